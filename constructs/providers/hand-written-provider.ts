import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

/** Source and version of a provider without a prebuilt CDKTF binding. */
export interface ProviderPin {
  readonly source: string;
  readonly version: string;
}

/**
 * Base of the hand-written provider bindings: required_providers entry from
 * the pin, and an alias that is really kept (cdktf's base class ignores it;
 * generated bindings override it the same way).
 */
export abstract class HandWrittenProvider extends TerraformProvider {
  private _alias?: string;

  constructor(scope: Construct, id: string, type: string, pin: ProviderPin, alias?: string) {
    super(scope, id, {
      terraformResourceType: type,
      terraformGeneratorMetadata: { providerName: type, providerVersion: pin.version },
      terraformProviderSource: pin.source,
    });
    this._alias = alias;
  }

  get alias(): string | undefined {
    return this._alias;
  }
  set alias(value: string | undefined) {
    this._alias = value;
  }
}
