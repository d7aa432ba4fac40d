import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { cdcTopic, debeziumSourceConfig } from "../../connectors";
import { Connector, KafkaConnectProvider } from "../providers/kafka-connect";
import { KafkaProvider, KafkaTopic } from "../providers/kafka";
import { KafkaEndpoint, bootstrapServers } from "../kafka-endpoint";
import { CONNECT_SECRETS } from "../secret-files";

export interface CdcPipelineProps {
  /** Connect REST URL. */
  readonly connectUrl: string;
  /** The on-prem brokers (PLAINTEXT). */
  readonly bootstrap: readonly KafkaEndpoint[];
  readonly flavour: "mariadb" | "mysql";
  readonly dc: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly database: string;
  /** Captured tables, the latency probe's included when it is on. */
  readonly tables: readonly string[];
  /** The latency probe's table, one of `tables` (connectors/debezium.ts latencyProbeTable). @default no probe */
  readonly latencyProbeTable?: string;
  readonly cdcUser: string;
  /** Replication client id of the connector (unique among the database's replicas). */
  readonly connectorServerId: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly partitions: number;
  /** Created only after these are healthy (Kafka brokers, Connect workers). */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * Change data capture as Terraform resources: the CDC topics (and the
 * schema-history topic, kept forever) and the Debezium source connector.
 * `plan` reads both back from the live cluster, so drift shows key by key.
 */
export class CdcPipeline extends Construct {
  readonly topics: Record<string, KafkaTopic> = {};
  readonly connector: Connector;
  readonly schemaHistoryTopic: string;

  constructor(scope: Construct, id: string, props: CdcPipelineProps) {
    super(scope, id);
    const kafka = new KafkaProvider(this, "kafka", { bootstrapServers: props.bootstrap.map((e) => bootstrapServers([e])), alias: `${id}-kafka` });
    const connect = new KafkaConnectProvider(this, "connect", { url: props.connectUrl, alias: `${id}-connect` });
    const topicConfig = {
      "min.insync.replicas": String(props.minInsyncReplicas),
      "cleanup.policy": "delete",
      "retention.ms": String(7 * 24 * 3600 * 1000),
      // The broker stamps each change when it is appended: exact capture latency (MariaDB's binlog has second precision).
      "message.timestamp.type": "LogAppendTime",
    };

    // Debezium cannot recover the table schemas without the full history: infinite retention, one partition.
    this.schemaHistoryTopic = `_${props.dc}.schema-history`;
    const history = new KafkaTopic(this, "topic-schema-history", {
      provider: kafka,
      name: this.schemaHistoryTopic,
      partitions: 1,
      replicationFactor: props.replicationFactor,
      config: { "retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete", "min.insync.replicas": String(props.minInsyncReplicas) },
      dependsOn: props.dependsOn,
    });
    // One topic at a time: the provider shares one admin client, and concurrent
    // creates against a broker that has just started fail with "broker not connected".
    let previous: KafkaTopic = history;
    for (const table of props.tables) {
      const name = cdcTopic(props.dc, table);
      previous = this.topics[name] = new KafkaTopic(this, `topic-${name}`, {
        provider: kafka,
        name,
        partitions: props.partitions,
        replicationFactor: props.replicationFactor,
        config: topicConfig,
        dependsOn: [previous],
      });
    }

    this.connector = new Connector(this, "debezium", {
      provider: connect,
      name: `${props.dc}-orders-cdc`,
      config: debeziumSourceConfig({
        flavour: props.flavour,
        dc: props.dc,
        databaseHost: props.databaseHost,
        databasePort: props.databasePort,
        database: props.database,
        tables: props.tables,
        latencyProbeTable: props.latencyProbeTable,
        user: props.cdcUser,
        passwordFile: CONNECT_SECRETS.files.db.path,
        serverId: props.connectorServerId,
        bootstrapServers: bootstrapServers(props.bootstrap),
        schemaHistoryTopic: this.schemaHistoryTopic,
        replicationFactor: props.replicationFactor,
        partitions: props.partitions,
      }),
      dependsOn: [...props.dependsOn, history, ...Object.values(this.topics)],
    });
  }
}
