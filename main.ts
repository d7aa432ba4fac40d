import { App } from "cdktf";
import { Construct } from "constructs";
import { ConfigError, loadConfig, ResolvedConfig } from "./config";
import { AzureStack } from "./stacks/azure-stack";
import { CloudBridgeStack } from "./stacks/cloud-bridge-stack";
import { Deployment } from "./stacks/deployment";
import { OnPremStack } from "./stacks/onprem-stack";
import { ObservabilityStack } from "./stacks/observability-stack";
import { deployed, STACKS } from "./stacks/plan";

/**
 * The app, one stack of each of stacks/plan.ts:
 * on-prem database → Debezium → on-prem Kafka → replication → cloud Kafka → ADLS Gen2 → Power BI,
 * and the metrics of every hop.
 */
export function buildStacks(
  app: Construct,
  config: ResolvedConfig,
): { onPrem: OnPremStack; azure: AzureStack; bridge: CloudBridgeStack; observability: ObservabilityStack } {
  // Names, endpoints and secret specs once, for every stack.
  const deployment = new Deployment(config);
  // The orders database, its CDC into the on-prem Kafka, and the Connect cluster.
  const onPrem = new OnPremStack(app, STACKS.onPrem.id, { deployment });
  // The lake, and the Event Hubs namespace when that is the cloud Kafka.
  const azure = new AzureStack(app, STACKS.azure.id, { deployment });
  // Replication from the on-prem Kafka into the cloud Kafka of the target, and its landing in the lake.
  const bridge = new CloudBridgeStack(app, STACKS.bridge.id, { deployment, source: onPrem, after: deployed(config, [onPrem, azure]) });
  // The operator's view: Prometheus scraping every part of it, and the console showing every hop.
  const observability = new ObservabilityStack(app, STACKS.observability.id, { deployment, after: deployed(config, [onPrem, bridge]) });
  return { onPrem, azure, bridge, observability };
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
