import { App } from "cdktf";
import { Construct } from "constructs";
import { ConfigError, loadConfig, ResolvedConfig } from "./config";
import { AzureStack } from "./stacks/azure-stack";
import { CloudBridgeStack } from "./stacks/cloud-bridge-stack";
import { Deployment, siteDeployments } from "./stacks/deployment";
import { OnPremStack } from "./stacks/onprem-stack";
import { ObservabilityStack } from "./stacks/observability-stack";
import { BaseStack } from "./stacks/base-stack";
import { deployed, siteStackId, STACKS } from "./stacks/plan";

/**
 * The app, one stack of each of stacks/plan.ts:
 * on-prem database → Debezium → on-prem Kafka → replication → cloud Kafka → ADLS Gen2 → Power BI,
 * and the metrics of every hop.
 */
export function buildStacks(
  app: Construct,
  config: ResolvedConfig,
): BuiltStacks {
  // Names, endpoints and secret specs once, for every stack.
  const deployment = new Deployment(config);
  // Per site (config `sites`; without it the one site of onPrem): the orders database, its CDC into the site's Kafka, and its Connect cluster.
  // Each is a stack of its own (own state, own Docker host), so a site is deployed and destroyed alone.
  const sites = siteDeployments(config).map((d, i) => new OnPremStack(app, siteStackId(i, d.config.onPrem.dc), { deployment: d }));
  const onPrem = sites[0];
  // The lake, and the Event Hubs namespace when that is the cloud Kafka.
  const azure = new AzureStack(app, STACKS.azure.id, { deployment });
  // Replication from every site's Kafka into the one cloud Kafka of the target, and its landing in the lake.
  const bridge = new CloudBridgeStack(app, STACKS.bridge.id, { deployment, sources: sites, after: deployed(config, [...sites, azure]) });
  // The operator's view: Prometheus scraping every part of it, and the console showing every hop (of the first site).
  const observability = new ObservabilityStack(app, STACKS.observability.id, { deployment, after: deployed(config, [onPrem, bridge]) });
  return { onPrem, azure, bridge, observability, sites };
}

/** Every stack of the app, each once: the sites' first, then azure, bridge and observability. */
export function everyStack(b: BuiltStacks): BaseStack[] {
  return [...b.sites, b.azure, b.bridge, b.observability];
}

/** The stacks of the app; `onPrem` is the first site's, `sites` every site's (the first one first). */
export interface BuiltStacks {
  readonly onPrem: OnPremStack;
  readonly azure: AzureStack;
  readonly bridge: CloudBridgeStack;
  readonly observability: ObservabilityStack;
  readonly sites: readonly OnPremStack[];
}

if (require.main === module) {
  const app = new App();
  const config = (() => {
    try {
      return loadConfig(app);
    } catch (e) {
      // Bad input: the list of problems, not a stack trace.
      if (e instanceof ConfigError) {
        console.error(e.message);
        process.exit(1);
      }
      throw e;
    }
  })();
  buildStacks(app, config);
  app.synth();
}
