import { ResolvedConfig } from "../config";
import { DEPLOYMENT_LABEL, STACK_LABEL } from "../constructs/docker/service-container";

/**
 * Docker names of one deployment: "<project>-<environment>-<part>", so environments can share a host;
 * a further site's parts carry its data-centre id ("bridge-dev-dc02-kafka"), so sites can share one too.
 */
export class DeploymentNames {
  readonly prefix: string;
  /** Prefix of the parts' names: the deployment's, and for a further site its data-centre id. */
  private readonly partPrefix: string;

  /**
   * @param config the resolved configuration
   * @param site data-centre id of a further site (not the first): its parts' names carry it. @default none (the first or only site, and the cloud side)
   */
  constructor(config: ResolvedConfig, site?: string) {
    this.prefix = `${config.project}-${config.environment}`;
    this.partPrefix = site === undefined ? this.prefix : `${this.prefix}-${site}`;
  }

  /** Container or volume name of a part ("kafka" → "bridge-dev-kafka", at a further site "bridge-dev-dc02-kafka"). */
  of(part: string): string {
    return `${this.partPrefix}-${part}`;
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
