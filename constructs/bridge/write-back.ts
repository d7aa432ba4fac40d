import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CloudKind, SaslSslPlainClient, jdbcSinkConfig, providerMaps, reverseMirrorSourceConfig } from "../../connectors";
import { outOfStockTable } from "../../config/tables";
import { KafkaEndpoint, bootstrapServers } from "../kafka-endpoint";
import { Connector, KafkaConnectProvider } from "../providers/kafka-connect";
import { KafkaProvider, KafkaTopic } from "../providers/kafka";
import { CONNECT_SECRETS } from "../secret-files";

export interface WriteBackProps {
  /** Data-centre id of the site ("dc01"): its events topic and table, `<dc>_out_of_stock_events`. */
  readonly dc: string;
  /** REST URL of the site's Connect cluster, which runs the reverse MirrorMaker 2 and the JDBC sink. */
  readonly connectUrl: string;
  /** The site's brokers (PLAINTEXT). */
  readonly onPremBootstrap: readonly KafkaEndpoint[];
  /** Replication factor and min.insync.replicas of the site's topic. */
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  /** The cloud cluster, source of the events, as the forward replication reaches it. */
  readonly cloud: SaslSslPlainClient;
  readonly cloudKind: CloudKind;
  /** The site's database, as the CDC source reaches it. */
  readonly database: { readonly flavour: "mariadb" | "mysql"; readonly host: string; readonly port: number; readonly name: string };
  /** Created after these (the cloud cluster, the stock processor that creates the cloud topic). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The way back on one site, as Terraform resources: the site's events topic on its own cluster, the
 * reverse MirrorMaker 2 connector copying that one topic cloud → site, and Debezium's JDBC sink writing
 * it into the site's table. The cloud copy of the topic is created by the stock processor at start
 * (STOCK_EVENTS_TOPICS; with Event Hubs it is an event hub of the azure stack).
 */
export class WriteBack extends Construct {
  readonly topic: KafkaTopic;
  readonly reverse: Connector;
  readonly sink: Connector;

  constructor(scope: Construct, id: string, props: WriteBackProps) {
    super(scope, id);
    const name = outOfStockTable(props.dc);
    const kafka = new KafkaProvider(this, "kafka", { bootstrapServers: props.onPremBootstrap.map((e) => bootstrapServers([e])), alias: `${id}-kafka` });
    const connect = new KafkaConnectProvider(this, "connect", { url: props.connectUrl, alias: `${id}-connect` });
    // One partition: the sink runs one task and a product's events stay in order. Deletion by time only:
    // a compacted topic would keep one event a product, but Event Hubs (a possible source) has no compaction,
    // and both copies keep the same policy.
    this.topic = new KafkaTopic(this, "topic-events", {
      provider: kafka,
      name,
      partitions: 1,
      replicationFactor: props.replicationFactor,
      config: { "cleanup.policy": "delete", "retention.ms": String(7 * 24 * 3600 * 1000), "min.insync.replicas": String(props.minInsyncReplicas) },
      dependsOn: props.dependsOn,
    });
    const reverse = providerMaps(
      `Connector ${props.dc}-mm2-reverse`,
      reverseMirrorSourceConfig({
        source: props.cloud,
        cloudKind: props.cloudKind,
        targetBootstrap: bootstrapServers(props.onPremBootstrap),
        topic: name,
        targetReplicationFactor: props.replicationFactor,
      }),
    );
    this.reverse = new Connector(this, "mm2-reverse", {
      provider: connect,
      name: `${props.dc}-mm2-reverse`,
      config: reverse.config,
      configSensitive: Object.keys(reverse.sensitive).length > 0 ? reverse.sensitive : undefined,
      dependsOn: [this.topic, ...(props.dependsOn ?? [])],
    });
    this.sink = new Connector(this, "jdbc-sink", {
      provider: connect,
      name: `${props.dc}-out-of-stock-sink`,
      config: jdbcSinkConfig({
        flavour: props.database.flavour,
        dc: props.dc,
        databaseHost: props.database.host,
        databasePort: props.database.port,
        database: props.database.name,
        passwordFile: CONNECT_SECRETS.files.sinkDb.path,
      }),
      dependsOn: [this.topic],
    });
  }
}
