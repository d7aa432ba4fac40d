import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { ServiceContainer, componentLabels } from "../docker/service-container";
import { LAKE_SINK_SECRETS } from "../secret-files";
import type { SINK_ENV } from "../../services/lake-sink/src/env";
import { ServiceEnv } from "../docker/service-env";

export interface LakeSinkProps {
  readonly name: string;
  readonly image: Image;
  /** Cloud Kafka bootstrap (SASL_SSL). */
  readonly kafkaBrokers: string;
  readonly topics: readonly string[];
  /** Consumer group, whose committed offsets say what has landed. */
  readonly groupId: string;
  /** Blob endpoint of the lake account (Azurite, or https://<account>.blob.core.windows.net). */
  readonly blobEndpoint: string;
  readonly account: string;
  /** Filesystem (container) of the landed data. */
  readonly filesystem: string;
  /** Records per file. */
  readonly flushSize: number;
  /** A quiet partition's open file lands after this long. */
  readonly idleFlushMs: number;
  /** A busy partition's open file lands after it has been open this long (wall clock). */
  readonly openFileMaxMs: number;
  /** Loopback port of its Prometheus /metrics. */
  readonly metricsPort: number;
  /** Volume with LAKE_SINK_SECRETS (Kafka user, Kafka CA, storage key), mounted at its `mount`. */
  readonly secretsVolume: string;
  /** @default 384 */
  readonly memoryMb?: number;
  /** @default {} */
  readonly labels?: Record<string, string>;
  /** Started once these are healthy. */
  readonly after: ServiceContainer[];
}

/**
 * The sink that lands replicated topics in the lake with Confluent's storage
 * layout (topics/<topic>/partition=<p>/<topic>+<p>+<offset>.json), exactly
 * once: offsets are committed only after a file is durable, file names are
 * deterministic, and re-delivered changes are dropped by source position.
 */
export class LakeSink extends Construct {
  readonly service: ServiceContainer;

  constructor(scope: Construct, id: string, props: LakeSinkProps) {
    super(scope, id);
    this.service = new ServiceContainer(this, "sink", {
      name: props.name,
      image: props.image,
      env: {
        KAFKA_BROKERS: props.kafkaBrokers,
        KAFKA_TOPICS: props.topics.join(","),
        KAFKA_GROUP_ID: props.groupId,
        KAFKA_SECURITY: "sasl_ssl",
        KAFKA_CREDENTIALS_FILE: LAKE_SINK_SECRETS.files.kafka.path,
        KAFKA_CA_FILE: LAKE_SINK_SECRETS.files.ca.path,
        STORAGE_BLOB_ENDPOINT: props.blobEndpoint,
        STORAGE_ACCOUNT: props.account,
        STORAGE_AUTH: "shared-key",
        STORAGE_KEY_FILE: LAKE_SINK_SECRETS.files.storageKey.path,
        STORAGE_FILESYSTEM: props.filesystem,
        FLUSH_SIZE: String(props.flushSize),
        IDLE_FLUSH_MS: String(props.idleFlushMs),
        OPEN_FILE_MAX_MS: String(props.openFileMaxMs),
        SINK_METRICS_PORT: String(props.metricsPort),
      } satisfies ServiceEnv<typeof SINK_ENV>,
      memoryMb: props.memoryMb ?? 384,
      // Flush open files and commit before exit.
      stopTimeoutSeconds: 30,
      mounts: [{ volume: props.secretsVolume, target: LAKE_SINK_SECRETS.mount, readOnly: true }],
      // The heartbeat file the health check reads (SINK_HEARTBEAT_FILE's default lies under /tmp: test/service-env.test.ts).
      tmpfs: [{ target: "/tmp", sizeMb: 4 }],
      labels: componentLabels(props.labels, "lake-sink"),
      dependsOn: props.after.map((s) => s.container),
    });
  }
}
