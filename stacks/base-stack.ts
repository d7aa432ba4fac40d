import { AzurermBackend, LocalBackend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ResolvedConfig } from "../config";

export interface BaseStackProps {
  /** The resolved, validated configuration. */
  readonly config: ResolvedConfig;
}

/**
 * A stack of this app: same configuration, its own state file in the
 * configured backend ("<keyPrefix>/<stack>.tfstate" for azurerm).
 */
export abstract class BaseStack extends TerraformStack {
  readonly config: ResolvedConfig;

  constructor(scope: Construct, id: string, props: BaseStackProps) {
    super(scope, id);
    this.config = props.config;
    const be = props.config.backend;
    if (be.type === "azurerm") {
      new AzurermBackend(this, {
        resourceGroupName: be.resourceGroupName,
        storageAccountName: be.storageAccountName,
        containerName: be.containerName,
        key: `${be.keyPrefix ?? `${props.config.project}/${props.config.environment}`}/${id}.tfstate`,
        // Entra ID (OIDC in pipelines), never an access key; blob leases lock the state.
        useAzureadAuth: true,
      });
    } else {
      // Relative to cdktf.out/stacks/<id>, where terraform runs: the state sits in
      // .state/<environment>/ of the project and the synthesized JSON names no machine path.
      new LocalBackend(this, { path: `../../../.state/${props.config.environment}/${id}.tfstate` });
    }
  }
}
