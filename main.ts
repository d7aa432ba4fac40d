import { App } from "cdktf";
import { ConfigError, loadConfig } from "./config";
import { AzureStack } from "./stacks/azure-stack";
import { CloudBridgeStack } from "./stacks/cloud-bridge-stack";
import { OnPremStack } from "./stacks/onprem-stack";

// On-prem database → Debezium → on-prem Kafka → replication → cloud Kafka → ADLS Gen2 → Power BI.
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

const onPrem = new OnPremStack(app, "onprem", { config });
const azure = new AzureStack(app, "azure", { config });
new CloudBridgeStack(app, "bridge", { config, after: config.target === "local" ? [onPrem] : [onPrem, azure] });

app.synth();
