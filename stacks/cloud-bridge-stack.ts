import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { cloudTarget } from "../constructs/cloud";
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
    new Replication(this, "replication", {
      connectUrl: props.source.connect.url,
      sourceBootstrap: props.source.kafka.bootstrapServers,
      engine: c.replication.engine,
      topics: c.derived.replicatedTopics,
      topicsPattern: c.replication.topicsPattern,
      namePrefix: c.onPrem.dc,
      target: cloud.client,
      cloudKind: cloud.kind,
      targetReplicationFactor: cloud.replicationFactor,
      dependsOn: cloud.replicationDependsOn,
    });
    cloud.addSink();
  }
}
