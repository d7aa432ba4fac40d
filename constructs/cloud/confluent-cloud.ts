import { TerraformStack } from "cdktf";
import { confluentAdlsSinkConfig } from "../../connectors";
import { parseEndpoint } from "../kafka-endpoint";
import { Connector, KafkaConnectProvider } from "../providers/kafka-connect";
import { CloudTargetProps, StockProcessing, CREDENTIAL_DESCRIPTIONS, credentialVariable, managedCloudLogin } from "./cloud-target";
import { ManagedCloud } from "./managed-cloud";

/**
 * An existing Confluent Cloud cluster as the cloud Kafka, with its fully
 * managed ADLS Gen2 sink, defined through Confluent Cloud's Connect API,
 * landing the topics in the azure stack's lake. Every credential is a
 * sensitive variable.
 */
export class ConfluentCloud extends ManagedCloud {
  readonly kind = "confluent-cloud";
  /** The cluster's Kafka API key and secret: the replication's and the managed sink's. */
  private readonly apiKey: string;
  private readonly apiSecret: string;

  constructor(
    private readonly stack: TerraformStack,
    private readonly props: CloudTargetProps,
  ) {
    const c = props.deployment.config;
    const login = managedCloudLogin("confluent-cloud", (k) => credentialVariable(stack, c, k, CREDENTIAL_DESCRIPTIONS[k]));
    // Validation requires the bootstrap, as host:port, for this target.
    super(c, parseEndpoint(c.confluentCloud.bootstrapServers!), login);
    this.apiKey = login.username;
    this.apiSecret = login.password;
  }

  /** Confluent Cloud has Kafka transactions: exactly once; public CAs. */
  stockProcessing(): StockProcessing {
    return { guarantee: "exactly_once_v2", replicationFactor: this.replicationFactor, privateCa: false };
  }

  /** The managed sink, a connector of the cluster's own Connect. */
  addSink(): void {
    const c = this.props.deployment.config;
    const cc = c.confluentCloud;
    const stack = this.stack;
    const managed = new KafkaConnectProvider(stack, "confluent-connect", {
      // Confluent Cloud's Connect API mirrors the Kafka Connect REST API.
      url: `https://api.confluent.cloud/connect/v1/environments/${cc.environmentId}/clusters/${cc.clusterId}`,
      alias: "confluent-cloud",
      basicAuth: {
        username: credentialVariable(stack, c, "confluentCloudApiKey", "Confluent Cloud API key (Connect management API)"),
        password: credentialVariable(stack, c, "confluentCloudApiSecret", "Confluent Cloud API secret (Connect management API)"),
      },
    });
    const sink = confluentAdlsSinkConfig({
      topics: c.derived.replicatedTopics,
      accountName: this.lake.account,
      credentials: {
        kafkaApiKey: this.apiKey,
        kafkaApiSecret: this.apiSecret,
        lakeAccessKey: credentialVariable(stack, c, "lakeAccessKey", "Access key of the ADLS Gen2 account for the managed sink"),
      },
    });
    new Connector(stack, "adls-sink", { provider: managed, name: `${c.onPrem.dc}-adls-gen2-sink`, config: sink.config, configSensitive: sink.sensitive });
  }
}
