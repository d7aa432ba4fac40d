import { App } from "cdktf";
import { loadConfig } from "./config";
import { AzureStack } from "./stacks/azure-stack";
import { OnPremStack } from "./stacks/onprem-stack";

// On-prem database → Debezium → on-prem Kafka → replication → cloud Kafka → ADLS Gen2 → Power BI.
const app = new App();
const config = loadConfig(app);

new OnPremStack(app, "onprem", { config });
new AzureStack(app, "azure", { config });

app.synth();
