import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { ServiceContainer, componentLabels } from "../docker/service-container";
import { STOCK_PROCESSOR_SECRETS } from "../secret-files";
import type { StockProcessing } from "../cloud/cloud-target";

/** The image's user (services/stock-processor/Dockerfile): owns its secrets volume (scripts/lib/secrets.ts SERVICE_UIDS). */
export const STOCK_PROCESSOR_UID = 1002;

/** The local cloud Kafka's SASL user of the stock processor (scripts/lib/secrets.ts adds it to the broker's JAAS). */
export const STOCK_PROCESSOR_CLOUD_USER = "stock";

/** Where the processor writes its Kafka Streams state (the image's volume path). */
const STATE_DIR = "/var/lib/stock-processor/state";

export interface StockProcessorProps {
  readonly name: string;
  readonly image: Image;
  /** Bootstrap of the cloud Kafka (SASL_SSL). */
  readonly bootstrapServers: string;
  /** How it runs on the target's cluster: guarantee, replication factor, CA (CloudTarget.stockProcessing). */
  readonly processing: StockProcessing;
  /** Kafka Streams application id: prefixes its internal topics and names its consumer group. */
  readonly applicationId: string;
  /** The events topics it creates at start when missing (`<dc>_out_of_stock_events`). */
  readonly eventsTopics: readonly string[];
  /** Volume with STOCK_PROCESSOR_SECRETS, mounted read-only at its `mount`. */
  readonly secretsVolume: string;
  /** Memory limit, MiB (the JVM takes half as heap: -XX:MaxRAMPercentage=50 in the image). */
  readonly memoryMb: number;
  /** @default {} */
  readonly labels?: Record<string, string>;
}

/**
 * The way back's stock processor (services/stock-processor, Kafka Streams) as a service container on
 * the Docker host, against the cloud Kafka: reads every site's replicated order lines, writes each
 * site's out-of-stock events. Its state lives in a tmpfs rebuilt from its changelog topics at start
 * (the root file system is read-only and nothing of it must outlive the cluster's own copy).
 */
export class StockProcessor extends Construct {
  readonly service: ServiceContainer;

  constructor(scope: Construct, id: string, props: StockProcessorProps) {
    super(scope, id);
    const f = STOCK_PROCESSOR_SECRETS.files;
    const p = props.processing;
    this.service = new ServiceContainer(this, "service", {
      name: props.name,
      image: props.image,
      // The names are the processor's Config constants (services/stock-processor Config.java): a Java
      // service, so no ServiceEnv schema to check them against; test/write-back.test.ts reads them back.
      env: {
        STOCK_BOOTSTRAP_SERVERS: props.bootstrapServers,
        STOCK_SECURITY_PROTOCOL: "SASL_SSL",
        STOCK_KAFKA_CREDENTIALS_FILE: f.kafka.path,
        ...(p.privateCa ? { STOCK_KAFKA_CA_FILE: f.ca.path } : {}),
        STOCK_APPLICATION_ID: props.applicationId,
        STOCK_PROCESSING_GUARANTEE: p.guarantee,
        STOCK_REPLICATION_FACTOR: String(p.replicationFactor),
        STOCK_EVENTS_TOPICS: props.eventsTopics.join(","),
        STOCK_STATE_DIR: STATE_DIR,
        STOCK_HEALTH_FILE: "/tmp/health",
      },
      healthcheck: ["/usr/local/bin/healthcheck"],
      // Restoring the stores and the first rebalance take a while on a cold start.
      healthStartPeriodSeconds: 90,
      waitTimeoutSeconds: 300,
      memoryMb: props.memoryMb,
      // Commit the open transaction and leave the group before exit.
      stopTimeoutSeconds: 30,
      mounts: [{ volume: props.secretsVolume, target: STOCK_PROCESSOR_SECRETS.mount, readOnly: true }],
      tmpfs: [
        // RocksDB stores: rebuilt from the changelogs; exec not needed (the JNI library is in the image).
        { target: STATE_DIR, sizeMb: Math.min(128, Math.floor(props.memoryMb / 8)), owner: { uid: STOCK_PROCESSOR_UID, gid: STOCK_PROCESSOR_UID } },
        { target: "/tmp", sizeMb: 8 },
      ],
      labels: componentLabels(props.labels, "stock-processor"),
      dependsOn: p.after,
    });
  }
}
