import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { dockerProvider } from "../constructs/docker/docker-provider";
import { dataVolume, localImage } from "../constructs/docker/service-container";
import { CdcPipeline } from "../constructs/onprem/cdc-pipeline";
import { ConnectCluster } from "../constructs/onprem/connect-cluster";
import { KafkaCluster } from "../constructs/onprem/kafka-cluster";
import { OrderSimulator } from "../constructs/onprem/order-simulator";
import { OrdersDatabase } from "../constructs/onprem/orders-database";
import { bootstrapServers } from "../constructs/kafka-endpoint";
import { BaseStack, BaseStackProps } from "./base-stack";
import { CONNECT_SECRETS, SIMULATOR_SECRETS } from "../constructs/secret-files";
import { LATENCY_PROBE_TABLE, outOfStockTable } from "../config/tables";
import { WRITE_BACK_DB_USER } from "../connectors";

/**
 * The on-prem data centre on a Docker host: the orders database and its
 * simulator, Kafka (KRaft), Kafka Connect with Debezium, and the CDC topics
 * and connector as resources.
 */
export class OnPremStack extends BaseStack {
  readonly kafka: KafkaCluster;
  readonly connect: ConnectCluster;
  readonly database: OrdersDatabase;

  constructor(scope: Construct, id: string, props: BaseStackProps) {
    super(scope, id, props);
    const c = this.config;
    const op = c.onPrem;
    const { names, endpoints } = this.deployment;
    const labels = this.deployment.labels(id);

    dockerProvider(this, op.dockerHost, c.providers.docker);

    const images = {
      kafka: localImage(this, "image-kafka", c.images.kafka),
      connect: localImage(this, "image-connect", c.images.connect),
      database: localImage(this, "image-database", op.database.image ?? c.images.mariadb),
    };

    this.database = new OrdersDatabase(this, "database", {
      name: names.of(op.database.flavour),
      image: images.database,
      flavour: op.database.flavour,
      port: op.database.port,
      serverId: op.database.serverId,
      binlogRetentionHours: op.database.binlogRetentionHours,
      cdcUser: op.database.cdcUser,
      dc: op.dc,
      secretsVolume: names.secrets(this.deployment.databaseSecrets.service),
      memoryMb: op.database.memoryMb,
      keepData: op.database.keepData,
      // The JDBC sink's user, only with the way back (its password file is written only then: scripts/lib/secrets.ts).
      writeBack: c.writeBack.enabled ? { user: WRITE_BACK_DB_USER, table: outOfStockTable(op.dc) } : undefined,
      labels,
    });

    this.kafka = new KafkaCluster(this, "kafka", {
      namePrefix: names.of("kafka"),
      image: images.kafka,
      brokers: c.derived.brokers,
      replicationFactor: c.derived.replicationFactor,
      minInsyncReplicas: c.derived.minInsyncReplicas,
      clusterIdSeed: `${names.prefix}-onprem`,
      memoryMb: op.kafka.memoryMb,
      labels,
    });

    // The failed-task supervisors' restart history, which the console reads (constructs/onprem/connect-cluster.ts).
    const history = dataVolume(this, "connect-supervisor-history", this.deployment.supervisorHistoryVolume, labels);
    this.connect = new ConnectCluster(this, "connect", {
      namePrefix: names.of("connect"),
      image: images.connect,
      bootstrapServers: this.kafka.bootstrapServers,
      restPorts: c.derived.connectPorts,
      groupId: `${names.prefix}-connect`,
      replicationFactor: c.derived.replicationFactor,
      secretsVolume: names.secrets(CONNECT_SECRETS.service),
      supervisorHistoryVolume: history.name,
      memoryMb: op.connect.memoryMb,
      labels,
      dependsOn: this.kafka.brokers,
    });

    new CdcPipeline(this, "cdc", {
      connectUrl: this.connect.url,
      bootstrap: this.kafka.endpoints,
      flavour: op.database.flavour,
      dc: op.dc,
      databaseHost: this.database.host,
      databasePort: this.database.port,
      database: op.database.name,
      tables: c.derived.capturedTables,
      latencyProbeTable: op.latencyProbe ? LATENCY_PROBE_TABLE : undefined,
      cdcUser: op.database.cdcUser,
      connectorServerId: 5400 + op.database.serverId,
      replicationFactor: c.derived.replicationFactor,
      minInsyncReplicas: c.derived.minInsyncReplicas,
      partitions: op.kafka.partitions,
      dependsOn: [this.database.service.container, ...this.kafka.brokers.map((b) => b.container), ...this.connect.workers.map((w) => w.container)],
    });

    if (op.simulator.enabled) {
      new OrderSimulator(this, "simulator", {
        name: names.of("simulator"),
        image: localImage(this, "image-simulator", c.images.simulator),
        databaseHost: this.database.host,
        databasePort: this.database.port,
        database: op.database.name,
        secretsVolume: names.secrets(SIMULATOR_SECRETS.service),
        dc: op.dc,
        intervalMs: op.simulator.intervalMs,
        linesPerOrder: op.simulator.linesPerOrder,
        metricsPort: endpoints.metrics.simulator!.port,
        // With the way back the cloud's stock processor raises the events; the simulator still restocks them.
        localStockEvents: !c.writeBack.enabled,
        labels,
        databaseService: this.database.service,
      });
    }

    new TerraformOutput(this, "endpoints", {
      description: "What runs where (all on the Docker host's loopback)",
      value: {
        database: `${op.database.flavour}://${endpoints.database.host}:${endpoints.database.port}/${op.database.name}`,
        kafka: bootstrapServers(endpoints.onPremKafka),
        connect: endpoints.connect.join(","),
        cdc_topics: c.derived.cdcTopics.join(","),
      },
    });
  }
}
