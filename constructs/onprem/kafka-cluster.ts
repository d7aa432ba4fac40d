import { createHash } from "crypto";
import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { LOOPBACK, ServiceContainer, componentLabels, dataVolume } from "../docker/service-container";
import { brokerMetricsPort } from "../../config/kafka-layout";
import { KafkaEndpoint, bootstrapServers, loopbackEndpoint } from "../kafka-endpoint";
import { CLOUD_KAFKA_SECRETS } from "../secret-files";

export interface KafkaBrokerEndpoint {
  readonly nodeId: number;
  /** Client listener port on LOOPBACK. */
  readonly port: number;
  /** Controller (KRaft) port on LOOPBACK. */
  readonly controllerPort: number;
}

/** Where Prometheus scrapes a broker: its JMX exporter's /metrics on LOOPBACK (port: brokerMetricsPort of its client port). */
export function brokerMetricsEndpoint(b: Pick<KafkaBrokerEndpoint, "port">): KafkaEndpoint {
  return loopbackEndpoint(brokerMetricsPort(b.port));
}

export interface KafkaClusterProps {
  /** Name prefix of containers and volumes ("bridge-dev-kafka" → "bridge-dev-kafka-1"). */
  readonly namePrefix: string;
  readonly image: Image;
  readonly brokers: readonly KafkaBrokerEndpoint[];
  /** default.replication.factor and internal topics' replication. */
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  /** Seed of the KRaft cluster id: the same seed gives the same id on every synth. */
  readonly clusterIdSeed: string;
  /** Memory limit per broker, MiB; the heap gets half. */
  readonly memoryMb: number;
  /**
   * Client listener security. `sasl-ssl`: TLS + SASL/PLAIN like Confluent
   * Cloud and Event Hubs, with keystore and JAAS users read from
   * `server-secrets.properties` in `secretsVolume` at start.
   * @default "plaintext"
   */
  readonly security?: "plaintext" | "sasl-ssl";
  /** Volume with the broker's secret files (CLOUD_KAFKA_SECRETS), mounted at its `mount`. Required for sasl-ssl. @default undefined */
  readonly secretsVolume?: string;
  /** Labels on containers and volumes. @default {} */
  readonly labels?: Record<string, string>;
}

/** KRaft cluster ids are 16 bytes in URL-safe base64 (22 characters). */
export function kraftClusterId(seed: string): string {
  return createHash("sha256").update(seed).digest().subarray(0, 16).toString("base64url");
}

/**
 * A Kafka cluster in KRaft mode, every node a combined broker + controller,
 * on loopback ports. Unclean leader election is off and min.insync.replicas
 * follows the replication factor, so an acknowledged write survives a broker.
 */
export class KafkaCluster extends Construct {
  readonly brokers: ServiceContainer[] = [];
  /** The client listener of each broker, on loopback. */
  readonly endpoints: readonly KafkaEndpoint[];
  /** "127.0.0.1:19092,…" */
  readonly bootstrapServers: string;
  /** Each broker's Prometheus metrics endpoint (JMX exporter), in node order. */
  readonly metricsEndpoints: readonly KafkaEndpoint[];

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    const security = props.security ?? "plaintext";
    if (security === "sasl-ssl" && !props.secretsVolume) {
      throw new Error(`KafkaCluster ${props.namePrefix}: security "sasl-ssl" needs secretsVolume (keystore and JAAS users)`);
    }
    if (props.replicationFactor > props.brokers.length) {
      throw new Error(`KafkaCluster ${props.namePrefix}: replicationFactor ${props.replicationFactor} exceeds ${props.brokers.length} broker(s)`);
    }
    const voters = props.brokers.map((b) => `${b.nodeId}@${LOOPBACK}:${b.controllerPort}`).join(",");
    const clientListener = security === "sasl-ssl" ? "SASL_SSL" : "PLAINTEXT";
    const heapMb = Math.floor(props.memoryMb / 2);
    this.endpoints = props.brokers.map((b) => loopbackEndpoint(b.port));
    this.bootstrapServers = bootstrapServers(this.endpoints);
    this.metricsEndpoints = props.brokers.map(brokerMetricsEndpoint);

    for (const b of props.brokers) {
      const name = `${props.namePrefix}-${b.nodeId}`;
      const volume = dataVolume(this, `data-${b.nodeId}`, `${name}-data`, props.labels);
      const env: Record<string, string> = {
        KAFKA_CLUSTER_ID: kraftClusterId(props.clusterIdSeed),
        KAFKA_HEAP_OPTS: `-Xmx${heapMb}m -Xms${heapMb}m`,
        // JMX exporter agent (images/kafka/jmx-exporter.yaml), scraped by Prometheus.
        KAFKA_METRICS_PORT: String(brokerMetricsPort(b.port)),
        KAFKA_CFG_NODE_ID: String(b.nodeId),
        KAFKA_CFG_PROCESS_ROLES: "broker,controller",
        KAFKA_CFG_LISTENERS: `${clientListener}://${LOOPBACK}:${b.port},CONTROLLER://${LOOPBACK}:${b.controllerPort}`,
        KAFKA_CFG_ADVERTISED_LISTENERS: `${clientListener}://${LOOPBACK}:${b.port}`,
        KAFKA_CFG_INTER_BROKER_LISTENER_NAME: clientListener,
        KAFKA_CFG_CONTROLLER_QUORUM_VOTERS: voters,
        KAFKA_CFG_DEFAULT_REPLICATION_FACTOR: String(props.replicationFactor),
        KAFKA_CFG_MIN_INSYNC_REPLICAS: String(props.minInsyncReplicas),
        KAFKA_CFG_OFFSETS_TOPIC_REPLICATION_FACTOR: String(props.replicationFactor),
        KAFKA_CFG_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: String(props.replicationFactor),
        KAFKA_CFG_TRANSACTION_STATE_LOG_MIN_ISR: String(props.minInsyncReplicas),
        KAFKA_CFG_UNCLEAN_LEADER_ELECTION_ENABLE: "false",
        // Topics are Terraform resources; a typo in a client must not create one.
        KAFKA_CFG_AUTO_CREATE_TOPICS_ENABLE: "false",
        KAFKA_CFG_GROUP_INITIAL_REBALANCE_DELAY_MS: "0",
      };
      if (security === "sasl-ssl") {
        Object.assign(env, {
          KAFKA_CFG_SASL_ENABLED_MECHANISMS: "PLAIN",
          KAFKA_CFG_SASL_MECHANISM_INTER_BROKER_PROTOCOL: "PLAIN",
          KAFKA_SECRETS_PROPERTIES: CLOUD_KAFKA_SECRETS.files.server.path,
          // Stores and their passwords come from the secrets volume, never from env.
          KAFKA_CFG_SSL_KEYSTORE_TYPE: "PKCS12",
          KAFKA_CFG_SSL_KEYSTORE_LOCATION: CLOUD_KAFKA_SECRETS.files.keystore.path,
          KAFKA_CFG_SSL_TRUSTSTORE_TYPE: "PKCS12",
          KAFKA_CFG_SSL_TRUSTSTORE_LOCATION: CLOUD_KAFKA_SECRETS.files.truststore.path,
          KAFKA_CFG_SSL_CLIENT_AUTH: "none",
        });
      }
      this.brokers.push(
        new ServiceContainer(this, `broker-${b.nodeId}`, {
          name,
          image: props.image,
          env,
          // Each probe starts a small JVM (~1.5 s).
          healthIntervalSeconds: 10,
          healthStartPeriodSeconds: 60,
          memoryMb: props.memoryMb,
          mounts: [
            { volume: volume.name, target: "/var/lib/kafka/data" },
            ...(props.secretsVolume ? [{ volume: props.secretsVolume, target: CLOUD_KAFKA_SECRETS.mount, readOnly: true }] : []),
          ],
          // server.properties generated at each start (KAFKA_RUNTIME_DIR=/tmp/kafka) and the JVM's
          // java.io.tmpdir (hsperfdata; native compression libraries, hence exec).
          tmpfs: [{ target: "/tmp", sizeMb: 32, exec: true }],
          labels: componentLabels(props.labels, "kafka"),
        }),
      );
    }
  }
}
