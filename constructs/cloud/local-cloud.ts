import { ITerraformDependable, TerraformOutput, TerraformStack } from "cdktf";
import { SaslSslPlainClient } from "../../connectors";
import type { DeploymentNames } from "../../stacks/names";
import { LakeSink } from "../bridge/lake-sink";
import { LocalLake } from "../bridge/local-lake";
import { dockerProvider } from "../docker/docker-provider";
import { localImage } from "../docker/service-container";
import { KafkaEndpoint, bootstrapServers } from "../kafka-endpoint";
import { KafkaCluster } from "../onprem/kafka-cluster";
import { CloudTarget, CloudTargetProps, LakeLocation, StockProcessing } from "./cloud-target";
import { AZURITE_SECRETS, CLOUD_KAFKA_SECRETS, CONNECT_SECRETS, LAKE_SINK_SECRETS } from "../secret-files";

/**
 * The local stand-in for a cloud, on the Docker host: a second Kafka that
 * speaks SASL_SSL/PLAIN like Event Hubs and Confluent Cloud, Azurite for the
 * ADLS Gen2 account, and the lake sink between them. Credentials are files
 * the secrets script fills at run time: no sensitive variable.
 */
export class LocalCloud implements CloudTarget {
  readonly kind = "local";
  readonly bootstrap: readonly KafkaEndpoint[];
  readonly client: SaslSslPlainClient;
  readonly replicationFactor = 1;
  readonly replicationDependsOn: ITerraformDependable[];
  readonly lake: Required<LakeLocation>;
  private readonly kafka: KafkaCluster;
  private readonly azurite: LocalLake;
  private readonly names: DeploymentNames;
  private readonly labels: Record<string, string>;

  constructor(
    private readonly stack: TerraformStack,
    private readonly props: CloudTargetProps,
  ) {
    const d = props.deployment;
    const c = d.config;
    const names = (this.names = d.names);
    const labels = (this.labels = d.labels(stack.node.id));
    this.lake = d.endpoints.localLake;
    dockerProvider(stack, c.onPrem.dockerHost, c.providers.docker);
    this.kafka = new KafkaCluster(stack, "cloud-kafka", {
      namePrefix: names.of("kafka-cloud"),
      image: localImage(stack, "image-kafka", c.images.kafka),
      brokers: [{ nodeId: 1, port: d.endpoints.localCloudKafka.port, controllerPort: c.local.kafkaControllerPort }],
      replicationFactor: this.replicationFactor,
      minInsyncReplicas: 1,
      clusterIdSeed: `${names.prefix}-cloud`,
      memoryMb: 768,
      security: "sasl-ssl",
      secretsVolume: names.secrets(CLOUD_KAFKA_SECRETS.service),
      labels,
    });
    this.azurite = new LocalLake(stack, "lake", {
      name: names.of("azurite"),
      image: localImage(stack, "image-azurite", c.images.azurite),
      blobPort: c.local.azuriteBlobPort,
      secretsVolume: names.secrets(AZURITE_SECRETS.service),
      labels,
    });
    this.bootstrap = this.kafka.endpoints;
    this.client = {
      bootstrapServers: bootstrapServers(this.bootstrap),
      credentials: { file: CONNECT_SECRETS.files.cloud.path },
      truststoreFile: CONNECT_SECRETS.files.cloudCa.path,
    };
    this.replicationDependsOn = this.kafka.brokers.map((b) => b.container);
    new TerraformOutput(stack, "endpoints", {
      description: "What runs where (all on the Docker host's loopback)",
      value: {
        cloud_kafka: `${this.client.bootstrapServers} (SASL_SSL, PLAIN)`,
        lake: d.endpoints.localLakeUrl,
        replicated_topics: c.derived.replicatedTopics.join(","),
      },
    });
  }

  /** Kafka transactions on the stand-in broker: exactly once; its own CA. */
  stockProcessing(): StockProcessing {
    return { guarantee: "exactly_once_v2", replicationFactor: this.replicationFactor, privateCa: true, after: this.kafka.brokers.map((b) => b.container) };
  }

  /** The lake sink container, consuming the cloud Kafka and writing to Azurite. */
  addSink(): void {
    const c = this.props.deployment.config;
    const { names, stack } = this;
    new LakeSink(stack, "sink", {
      name: names.of("lake-sink"),
      image: localImage(stack, "image-lake-sink", c.images.lakeSink),
      kafkaBrokers: this.client.bootstrapServers,
      topics: c.derived.replicatedTopics,
      groupId: this.props.deployment.lakeSinkGroup,
      blobEndpoint: this.lake.blobEndpoint,
      account: this.lake.account,
      filesystem: this.lake.filesystem,
      flushSize: c.local.sinkFlushSize,
      idleFlushMs: c.local.sinkIdleFlushMs,
      openFileMaxMs: c.local.sinkOpenFileMaxMs,
      metricsPort: this.props.deployment.endpoints.metrics.lakeSink.port,
      secretsVolume: names.secrets(LAKE_SINK_SECRETS.service),
      labels: this.labels,
      after: [...this.kafka.brokers, this.azurite.service],
    });
  }
}
