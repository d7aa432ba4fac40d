import { ConnectorSettings } from "./types";

/** The visible half of Confluent Cloud's managed ADLS Gen2 sink. */
export type ConfluentAdlsSinkConfig = {
  readonly "connector.class": "AzureDataLakeGen2Sink";
  readonly "kafka.auth.mode": "KAFKA_API_KEY";
  readonly topics: string;
  readonly "input.data.format": "JSON";
  readonly "output.data.format": "JSON";
  readonly "azure.datalake.gen2.account.name": string;
  readonly "topics.dir": string;
  readonly "time.interval": "HOURLY" | "DAILY";
  readonly "flush.size": string;
  readonly "tasks.max": string;
};

/** Its credentials, always given inline (references to sensitive variables). */
export type ConfluentAdlsSinkSecrets = {
  readonly "kafka.api.key": string;
  readonly "kafka.api.secret": string;
  readonly "azure.datalake.gen2.access.key": string;
};

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
  /** References to sensitive variables, never literals: they go to the connector's sensitive map. */
  readonly credentials: {
    /** Kafka API key of the cluster the sink reads. */
    readonly kafkaApiKey: string;
    readonly kafkaApiSecret: string;
    /** Access key of the storage account. */
    readonly lakeAccessKey: string;
  };
}

/**
 * Confluent Cloud's fully managed ADLS Gen2 sink (`AzureDataLakeGen2Sink`):
 * the Kafka API key/secret and the storage access key in the sensitive map,
 * the rest visible.
 */
export function confluentAdlsSinkConfig(o: ConfluentAdlsSinkOptions): ConnectorSettings<ConfluentAdlsSinkConfig, ConfluentAdlsSinkSecrets> {
  if (o.topics.length === 0) throw new Error("confluentAdlsSinkConfig: topics must not be empty");
  const config: ConfluentAdlsSinkConfig = {
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
  const sensitive: ConfluentAdlsSinkSecrets = {
    "kafka.api.key": o.credentials.kafkaApiKey,
    "kafka.api.secret": o.credentials.kafkaApiSecret,
    "azure.datalake.gen2.access.key": o.credentials.lakeAccessKey,
  };
  return { config, sensitive };
}
