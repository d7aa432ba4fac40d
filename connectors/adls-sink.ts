import { ConnectorConfig } from "./types";

export interface ConfluentAdlsSinkOptions {
  /** Topics landed in the lake. */
  readonly topics: readonly string[];
  /** Storage account (ADLS Gen2) name. */
  readonly accountName: string;
  /** Directory of the landed data in the filesystem. @default "topics" */
  readonly topicsDir?: string;
  /** Records per file. @default 1000 */
  readonly flushSize?: number;
  /** Directory granularity. @default "HOURLY" */
  readonly timeInterval?: "HOURLY" | "DAILY";
  /** @default 1 */
  readonly tasksMax?: number;
}

/**
 * Confluent Cloud's fully managed ADLS Gen2 sink (`AzureDataLakeGen2Sink`),
 * the non-secret half of its configuration. The Kafka API key/secret and
 * the storage access key go in the connector's sensitive map.
 */
export function confluentAdlsSinkConfig(o: ConfluentAdlsSinkOptions): ConnectorConfig {
  if (o.topics.length === 0) throw new Error("confluentAdlsSinkConfig: topics must not be empty");
  return {
    "connector.class": "AzureDataLakeGen2Sink",
    "kafka.auth.mode": "KAFKA_API_KEY",
    topics: o.topics.join(","),
    "input.data.format": "JSON",
    "output.data.format": "JSON",
    "azure.datalake.gen2.account.name": o.accountName,
    "topics.dir": o.topicsDir ?? "topics",
    "time.interval": o.timeInterval ?? "HOURLY",
    "flush.size": String(o.flushSize ?? 1000),
    "tasks.max": String(o.tasksMax ?? 1),
  };
}

/** Keys of the managed sink that carry secrets. */
export const CONFLUENT_ADLS_SINK_SECRET_KEYS = ["kafka.api.key", "kafka.api.secret", "azure.datalake.gen2.access.key"] as const;
