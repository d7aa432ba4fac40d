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
   * The on-prem sites, the first one first: each one's Kafka is a source, its Connect cluster runs
   * that site's replication (and its way back). Only plain values of them are read (URL, bootstrap),
   * never resource attributes, so no cross-stack output is needed.
   */
  readonly sources: readonly OnPremStack[];
  /** Stacks deployed first (on-prem Connect runs the replication; Azure hosts the lake). @default [] */
  readonly after?: TerraformStack[];
}

/**
 * The bridge: replication from each on-prem site's Kafka to the one cloud cluster of the
 * configured target (topics kept apart by the site's prefix, `dcNN_`), and the landing of
 * every site's replicated topics in the lake.
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
    props.sources.forEach((source, i) => {
      const site = source.config;
      // The way back's topic never goes on-prem → cloud: the reverse connector copies it cloud → site.
      const events = c.writeBack.enabled ? [outOfStockTable(site.onPrem.dc)] : [];
      // The first site keeps its construct id (and so its resource addresses in the state) from before `sites`.
      new Replication(this, siteConstructId("replication", i, site.onPrem.dc), {
        connectUrl: source.connect.url,
        sourceBootstrap: source.kafka.bootstrapServers,
        engine: c.replication.engine,
        topics: site.derived.replicatedTopics,
        topicsPattern: c.replication.topicsPattern,
        excludeTopics: events,
        namePrefix: site.onPrem.dc,
        target: cloud.client,
        cloudKind: cloud.kind,
        targetReplicationFactor: cloud.replicationFactor,
        dependsOn: cloud.replicationDependsOn,
      });
    });
    // The sink lands c.derived.replicatedTopics: every site's.
    cloud.addSink();
    if (c.writeBack.enabled) this.addWriteBack(props.sources, cloud);
  }

  /** The stock processor against the cloud Kafka, and the way back to each site (constructs/bridge/write-back.ts). */
  private addWriteBack(sources: readonly OnPremStack[], cloud: CloudTarget): void {
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
      // One processor for every site: stock is per site, each site's events go to its own topic.
      eventsTopics: sources.map((s) => outOfStockTable(s.config.onPrem.dc)),
      secretsVolume: names.secrets(STOCK_PROCESSOR_SECRETS.service),
      memoryMb: c.writeBack.processorMemoryMb,
      labels: this.deployment.labels(this.node.id),
    });
    // Each site gets its own reverse MirrorMaker 2 (of its own events topic only) and its own JDBC sink, on its own Connect.
    sources.forEach((source, i) => {
      const site = source.config;
      new WriteBack(this, siteConstructId("write-back", i, site.onPrem.dc), {
        dc: site.onPrem.dc,
        connectUrl: source.connect.url,
        onPremBootstrap: source.kafka.endpoints,
        replicationFactor: site.derived.replicationFactor,
        minInsyncReplicas: site.derived.minInsyncReplicas,
        cloud: cloud.client,
        cloudKind: cloud.kind,
        database: { flavour: site.onPrem.database.flavour, host: source.database.host, port: source.database.port, name: site.onPrem.database.name },
        dependsOn: [processor.service.container],
      });
    });
  }
}

/** Construct id of a per-site part of the bridge: the first site's is the id it had before `sites` ("replication"), a further one's "replication-dc02". */
function siteConstructId(base: string, i: number, dc: string): string {
  return i === 0 ? base : `${base}-${dc}`;
}
