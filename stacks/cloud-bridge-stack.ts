import { TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { SaslSslPlainClient, confluentAdlsSinkConfig } from "../connectors";
import { LakeSink } from "../constructs/bridge/lake-sink";
import { LocalLake } from "../constructs/bridge/local-lake";
import { Replication } from "../constructs/bridge/replication";
import { localImage } from "../constructs/docker/service-container";
import { KafkaCluster } from "../constructs/onprem/kafka-cluster";
import { Connector, KafkaConnectProvider } from "../constructs/providers/kafka-connect";
import { BaseStack, BaseStackProps } from "./base-stack";
import { DeploymentNames, LOCAL_LAKE_ACCOUNT } from "./names";

export interface CloudBridgeStackProps extends BaseStackProps {
  /** Stacks deployed first (on-prem Connect runs the replication; Azure hosts the lake). @default [] */
  readonly after?: TerraformStack[];
}

/**
 * The bridge: replication from the on-prem Kafka to the cloud cluster and the
 * landing of the replicated topics in the lake, for the configured target —
 * a local stand-in (SASL_SSL Kafka + Azurite + lake sink), Azure Event Hubs
 * (Capture lands the data) or Confluent Cloud (its managed ADLS Gen2 sink).
 */
export class CloudBridgeStack extends BaseStack {
  constructor(scope: Construct, id: string, props: CloudBridgeStackProps) {
    super(scope, id, props);
    for (const s of props.after ?? []) this.addDependency(s);
    const c = this.config;
    const names = new DeploymentNames(c);
    const sensitive = (key: keyof typeof c.credentials, description: string) =>
      new TerraformVariable(this, c.credentials[key]!, { type: "string", sensitive: true, nullable: false, description }).stringValue;
    const common = {
      connectUrl: `http://127.0.0.1:${c.derived.connectPorts[0]}`,
      sourceBootstrap: c.derived.bootstrapServers,
      engine: c.replication.engine,
      topics: c.derived.replicatedTopics,
      topicsPattern: c.replication.topicsPattern,
      namePrefix: c.onPrem.dc,
    };

    if (c.target === "local") {
      new DockerProvider(this, "docker", { host: c.onPrem.dockerHost });
      this.addOverride("terraform.required_providers.docker.version", c.providers.docker);
      const labels = names.labels(id);
      const cloud = new KafkaCluster(this, "cloud-kafka", {
        namePrefix: names.of("kafka-cloud"),
        image: localImage(this, "image-kafka", c.images.kafka),
        brokers: [{ nodeId: 1, port: c.local.kafkaPort, controllerPort: c.local.kafkaControllerPort }],
        replicationFactor: 1,
        minInsyncReplicas: 1,
        clusterIdSeed: `${names.prefix}-cloud`,
        memoryMb: 768,
        security: "sasl-ssl",
        secretsVolume: names.secrets("kafka-cloud"),
        labels,
      });
      const lake = new LocalLake(this, "lake", {
        name: names.of("azurite"),
        image: localImage(this, "image-azurite", c.images.azurite),
        blobPort: c.local.azuriteBlobPort,
        account: LOCAL_LAKE_ACCOUNT,
        secretsVolume: names.secrets("azurite"),
        labels,
      });
      const target: SaslSslPlainClient = {
        bootstrapServers: cloud.bootstrapServers,
        credentials: { file: "/run/secrets/connect/cloud.properties" },
        truststoreFile: "/run/secrets/connect/cloud-ca.pem",
      };
      new Replication(this, "replication", { ...common, target, cloudKind: "local", targetReplicationFactor: 1, dependsOn: cloud.brokers.map((b) => b.container) });
      new LakeSink(this, "sink", {
        name: names.of("lake-sink"),
        image: localImage(this, "image-lake-sink", c.images.lakeSink),
        kafkaBrokers: cloud.bootstrapServers,
        topics: c.derived.replicatedTopics,
        groupId: `${names.prefix}-lake-sink`,
        blobEndpoint: lake.blobEndpoint,
        account: LOCAL_LAKE_ACCOUNT,
        filesystem: c.azure.filesystem,
        flushSize: c.local.sinkFlushSize,
        idleFlushMs: c.local.sinkIdleFlushMs,
        secretsVolume: names.secrets("lake-sink"),
        labels,
        after: [...cloud.brokers, lake.service],
      });
      new TerraformOutput(this, "endpoints", {
        description: "What runs where (all on the Docker host's loopback)",
        value: {
          cloud_kafka: `${cloud.bootstrapServers} (SASL_SSL, PLAIN)`,
          lake: `${lake.blobEndpoint}/${c.azure.filesystem}`,
          replicated_topics: c.derived.replicatedTopics.join(","),
        },
      });
      return;
    }

    if (c.target === "event-hubs") {
      // SASL PLAIN with the literal user "$ConnectionString" and the namespace connection string as password.
      const connectionString = sensitive("eventHubsConnectionString", "Event Hubs namespace connection string (SAS policy with Send and Listen)");
      new Replication(this, "replication", {
        ...common,
        target: { bootstrapServers: `${c.derived.eventHubsNamespace}.servicebus.windows.net:9093`, credentials: { username: "$ConnectionString", password: connectionString } },
        cloudKind: "event-hubs",
        targetReplicationFactor: 3,
      });
      return;
    }

    // confluent-cloud
    const cc = c.confluentCloud;
    const apiKey = sensitive("confluentApiKey", "Kafka API key of the Confluent Cloud cluster");
    const apiSecret = sensitive("confluentApiSecret", "Kafka API secret of the Confluent Cloud cluster");
    new Replication(this, "replication", {
      ...common,
      target: { bootstrapServers: cc.bootstrapServers!, credentials: { username: apiKey, password: apiSecret } },
      cloudKind: "confluent-cloud",
      targetReplicationFactor: 3,
    });
    const managed = new KafkaConnectProvider(this, "confluent-connect", {
      // Confluent Cloud's Connect API mirrors the Kafka Connect REST API.
      url: `https://api.confluent.cloud/connect/v1/environments/${cc.environmentId}/clusters/${cc.clusterId}`,
      alias: "confluent-cloud",
      basicAuth: {
        username: sensitive("confluentCloudApiKey", "Confluent Cloud API key (Connect management API)"),
        password: sensitive("confluentCloudApiSecret", "Confluent Cloud API secret (Connect management API)"),
      },
    });
    const sink = confluentAdlsSinkConfig({
      topics: c.derived.replicatedTopics,
      accountName: c.derived.storageAccountName,
      credentials: {
        kafkaApiKey: apiKey,
        kafkaApiSecret: apiSecret,
        lakeAccessKey: sensitive("lakeAccessKey", "Access key of the ADLS Gen2 account for the managed sink"),
      },
    });
    new Connector(this, "adls-sink", { provider: managed, name: `${c.onPrem.dc}-adls-gen2-sink`, config: sink.config, configSensitive: sink.sensitive });
  }
}
