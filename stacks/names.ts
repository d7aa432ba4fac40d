import { ResolvedConfig } from "../config";
import { DEPLOYMENT_LABEL, STACK_LABEL } from "../constructs/docker/service-container";

/** Docker names of one deployment: "<project>-<environment>-<part>", so environments can share a host. */
export class DeploymentNames {
  readonly prefix: string;

  constructor(config: ResolvedConfig) {
    this.prefix = `${config.project}-${config.environment}`;
  }

  /** Container or volume name of a part ("kafka" → "bridge-dev-kafka"). */
  of(part: string): string {
    return `${this.prefix}-${part}`;
  }

  /** Volume of a service's secret files, filled by scripts/secrets (never by Terraform). */
  secrets(service: string): string {
    return `${this.prefix}-secrets-${service}`;
  }

  /** Labels on every container and volume of the deployment. */
  labels(stack: string): Record<string, string> {
    return { [DEPLOYMENT_LABEL]: this.prefix, [STACK_LABEL]: stack };
  }
}
