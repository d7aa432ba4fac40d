import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { CloudTarget, cloudTarget } from "../constructs/cloud";
import { StockProcessor } from "../constructs/bridge/stock-processor";
import { WriteBack } from "../constructs/bridge/write-back";
import { dockerProvider } from "../constructs/docker/docker-provider";
import { localImage } from "../constructs/docker/service-container";
import { STOCK_PROCESSOR_SECRETS } from "../constructs/secret-files";
import { outOfStockTable } from "../config/tables";
import { Replication } from "../constructs/bridge/replication";
import { BaseStack, BaseStackProps } from "./base-stack";
import { OnPremStack } from "./onprem-stack";

export interface CloudBridgeStackProps extends BaseStackProps {
  /**
   * The on-prem side: its Kafka is the source, its Connect cluster runs the
   * replication. Only plain values of it are read (URL, bootstrap), never
   * resource attributes, so no cross-stack output is needed.
   */
  readonly source: OnPremStack;
  /** Stacks deployed first (on-prem Connect runs the replication; Azure hosts the lake). @default [] */
  readonly after?: TerraformStack[];
}

/**
 * The bridge: replication from the on-prem Kafka to the cloud cluster of the
 * configured target, and the landing of the replicated topics in the lake.
 * The target (constructs/cloud) decides what the cloud side is: a local
 * stand-in (SASL_SSL Kafka + Azurite + lake sink), Azure Event Hubs (Capture
 * lands the data) or Confluent Cloud (its managed ADLS Gen2 sink).
 */
export class CloudBridgeStack extends BaseStack {
  constructor(scope: Construct, id: string, props: CloudBridgeStackProps) {
    super(scope, id, props);
    for (const s of props.after ?? []) this.addDependency(s);
    const c = this.config;
    const cloud = cloudTarget(this, { deployment: this.deployment });
    // The way back's topic never goes on-prem → cloud: the reverse connector copies it cloud → site.
    const events = c.writeBack.enabled ? outOfStockTable(c.onPrem.dc) : undefined;
    new Replication(this, "replication", {
      connectUrl: props.source.connect.url,
      sourceBootstrap: props.source.kafka.bootstrapServers,
      engine: c.replication.engine,
      topics: c.derived.replicatedTopics,
      topicsPattern: c.replication.topicsPattern,
      excludeTopics: events ? [events] : [],
      namePrefix: c.onPrem.dc,
      target: cloud.client,
      cloudKind: cloud.kind,
      targetReplicationFactor: cloud.replicationFactor,
      dependsOn: cloud.replicationDependsOn,
    });
    cloud.addSink();
    if (events) this.addWriteBack(props.source, cloud, events);
  }

  /** The stock processor against the cloud Kafka, and the way back to the site (constructs/bridge/write-back.ts). */
  private addWriteBack(source: OnPremStack, cloud: CloudTarget, events: string): void {
    const c = this.config;
    const { names } = this.deployment;
    // The processor runs on the Docker host; a managed target's bridge has no container of its own otherwise.
    if (!this.node.tryFindChild("docker")) dockerProvider(this, c.onPrem.dockerHost, c.providers.docker);
    const processor = new StockProcessor(this, "stock-processor", {
      name: names.of("stock-processor"),
      image: localImage(this, "image-stock-processor", c.images.stockProcessor),
      bootstrapServers: cloud.client.bootstrapServers,
      processing: cloud.stockProcessing(),
      applicationId: `${names.prefix}-stock-processor`,
      eventsTopics: [events],
      secretsVolume: names.secrets(STOCK_PROCESSOR_SECRETS.service),
      memoryMb: c.writeBack.processorMemoryMb,
      labels: this.deployment.labels(this.node.id),
    });
    new WriteBack(this, "write-back", {
      dc: c.onPrem.dc,
      connectUrl: source.connect.url,
      onPremBootstrap: source.kafka.endpoints,
      replicationFactor: c.derived.replicationFactor,
      minInsyncReplicas: c.derived.minInsyncReplicas,
      cloud: cloud.client,
      cloudKind: cloud.kind,
      database: { flavour: c.onPrem.database.flavour, host: source.database.host, port: source.database.port, name: c.onPrem.database.name },
      dependsOn: [processor.service.container],
    });
  }
}
