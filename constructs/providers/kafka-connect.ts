import { TerraformMetaArguments, TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { assertNoInlineCredentials } from "../../connectors/types";
import { PROVIDERS } from "../../config/providers";
import { HandWrittenProvider } from "./hand-written-provider";
import { escapeTemplateValues } from "./escape";

/**
 * Typed bindings for Mongey/kafka-connect, written by hand: the provider has
 * no prebuilt CDKTF package, and `cdktf get` would need the registry.
 */
export const KAFKA_CONNECT_PROVIDER = { source: PROVIDERS.kafkaConnect.source, version: PROVIDERS.kafkaConnect.pinned } as const;

export interface KafkaConnectProviderConfig {
  /** Base URL of the Connect REST API, e.g. http://127.0.0.1:18083. */
  readonly url: string;
  /** Alias when a stack talks to several Connect clusters. @default undefined */
  readonly alias?: string;
  /**
   * Basic auth (Confluent Cloud's Connect API): references to sensitive
   * variables, never literals. @default undefined
   */
  readonly basicAuth?: { readonly username: string; readonly password: string };
}

export class KafkaConnectProvider extends HandWrittenProvider {
  constructor(scope: Construct, id: string, private readonly cfg: KafkaConnectProviderConfig) {
    super(scope, id, "kafka-connect", KAFKA_CONNECT_PROVIDER, cfg.alias);
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { url: this.cfg.url, basic_auth_username: this.cfg.basicAuth?.username, basic_auth_password: this.cfg.basicAuth?.password };
  }
}

export interface ConnectorConfig extends TerraformMetaArguments {
  /** Connector name (also `config.name`, which the provider requires to match). */
  readonly name: string;
  /** Non-secret configuration, read back from Connect on refresh so drift shows. */
  readonly config: Record<string, string>;
  /**
   * Secret configuration: sensitive in plans, but stored in state. Prefer
   * `${file:…}` references in `config`, which keep the secret out of state.
   * @default undefined
   */
  readonly configSensitive?: Record<string, string>;
  /** Timeouts of create/update/delete (rebalances can be slow). @default 5m each */
  readonly timeout?: string;
}

/** A Kafka Connect connector as a Terraform resource (kafka-connect_connector). */
export class Connector extends TerraformResource {
  static readonly tfResourceType = "kafka-connect_connector";

  constructor(scope: Construct, id: string, private readonly props: ConnectorConfig) {
    super(scope, id, {
      terraformResourceType: Connector.tfResourceType,
      terraformGeneratorMetadata: { providerName: "kafka-connect", providerVersion: KAFKA_CONNECT_PROVIDER.version },
      provider: props.provider,
      dependsOn: props.dependsOn,
      lifecycle: props.lifecycle,
      count: props.count,
      forEach: props.forEach,
    });
    if (props.config.name !== undefined && props.config.name !== props.name) {
      throw new Error(`Connector ${props.name}: config.name "${props.config.name}" must equal the connector name`);
    }
    // `config` is shown by Connect's REST API and stored in state in the clear.
    assertNoInlineCredentials(`Connector ${props.name}`, props.config);
    for (const key of Object.keys(props.configSensitive ?? {})) {
      // The provider strips sensitive keys from the live config on read: a key in both maps diffs forever.
      if (key in props.config) throw new Error(`Connector ${props.name}: key "${key}" is in both config and configSensitive`);
    }
  }

  get connectorName(): string {
    return this.getStringAttribute("name");
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const t = this.props.timeout ?? "5m";
    return {
      name: this.props.name,
      config: escapeTemplateValues({ ...this.props.config, name: this.props.name }),
      config_sensitive: this.props.configSensitive && escapeTemplateValues(this.props.configSensitive),
      timeouts: { create: t, update: t, delete: t },
    };
  }
}
