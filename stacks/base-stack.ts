import { AzurermBackend, LocalBackend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ResolvedConfig } from "../config";
import { Deployment } from "./deployment";

export interface BaseStackProps {
  /** The deployment, built once from the resolved configuration (main.ts's buildStacks). */
  readonly deployment: Deployment;
}

/**
 * A stack of this app: same configuration, its own state file in the
 * configured backend ("<keyPrefix>/<stack>.tfstate" for azurerm).
 */
export abstract class BaseStack extends TerraformStack {
  readonly deployment: Deployment;
  /** The deployment's resolved configuration. */
  readonly config: ResolvedConfig;

  constructor(scope: Construct, id: string, props: BaseStackProps) {
    super(scope, id);
    this.deployment = props.deployment;
    this.config = props.deployment.config;
    const be = this.config.backend;
    if (be.type === "azurerm") {
      new AzurermBackend(this, {
        resourceGroupName: be.resourceGroupName,
        storageAccountName: be.storageAccountName,
        containerName: be.containerName,
        key: `${be.keyPrefix ?? `${this.config.project}/${this.config.environment}`}/${id}.tfstate`,
        // Entra ID (OIDC in pipelines), never an access key; blob leases lock the state.
        useAzureadAuth: true,
      });
    } else {
      // Relative to cdktf.out/stacks/<id>, where terraform runs: the state sits in
      // .state/<environment>/ of the project and the synthesized JSON names no machine path.
      new LocalBackend(this, { path: `../../../.state/${this.config.environment}/${id}.tfstate` });
    }
  }
}
