import { App } from "cdktf";
import { loadConfig } from "./config";
import { AzureStack } from "./stacks/azure-stack";
import { CloudBridgeStack } from "./stacks/cloud-bridge-stack";
import { OnPremStack } from "./stacks/onprem-stack";

// On-prem database → Debezium → on-prem Kafka → replication → cloud Kafka → ADLS Gen2 → Power BI.
const app = new App();
const config = loadConfig(app);

const onPrem = new OnPremStack(app, "onprem", { config });
const azure = new AzureStack(app, "azure", { config });
new CloudBridgeStack(app, "bridge", { config, after: config.target === "local" ? [onPrem] : [onPrem, azure] });

app.synth();
