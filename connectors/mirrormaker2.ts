import { ClientOverrides, clientOverrides } from "./client-overrides";
import { CredentialedSettings, Prefixed, SaslSslPlainClient, SaslSslPlainProperties, VisibleConfig, prefixedSettings, saslSslPlainSettings } from "./types";

/** MirrorCheckpointTask's poll period; below the worker's graceful-stop timeout (see the checkpoint config). */
export const CHECKPOINT_EMIT_INTERVAL_SECONDS = 10;

/**
 * Kafka 4.3's DefaultConfigPropertyFilter default of `config.properties.exclude` (CONFIG_PROPERTIES_EXCLUDE_DEFAULT,
 * read from connect-mirror-4.3.0.jar) without `message.timestamp.type`: MirrorMaker 2 then creates and syncs the
 * cloud topics with the on-prem topics' LogAppendTime, so the cloud broker stamps each record's arrival instead of
 * keeping the copied on-prem timestamp (the cloud hop is then measured by arrival: README "How each hop is timed").
 * The other exclusions stay: throttles, timestamp bounds, unclean election and min.insync.replicas are the target's own.
 */
export const MM2_CONFIG_PROPERTIES_EXCLUDE: readonly string[] = [
  "follower\\.replication\\.throttled\\.replicas",
  "leader\\.replication\\.throttled\\.replicas",
  "message\\.timestamp\\.difference\\.max\\.ms",
  "log\\.message\\.timestamp\\.before\\.max\\.ms",
  "log\\.message\\.timestamp\\.after\\.max\\.ms",
  "unclean\\.leader\\.election\\.enable",
  "min\\.insync\\.replicas",
];

/**
 * Kafka 4.3's DefaultTopicFilter default of `topics.exclude` (TOPICS_EXCLUDE_DEFAULT, read from
 * connect-mirror-4.3.0.jar): MM2's internal topics, replicas, and every `__` topic. Setting
 * `topics.exclude` replaces it, so a connector that adds exclusions restates these first.
 */
export const MM2_TOPICS_EXCLUDE_DEFAULT: readonly string[] = ["mm2.*\\.internal", ".*\\.replica", "__.*"];

/** Kind of cloud cluster: decides the settings the target tolerates. */
export type CloudKind = "local" | "event-hubs" | "confluent-cloud";

export interface MirrorMaker2Options {
  /** Alias of the on-prem cluster. @default "onprem" */
  readonly sourceAlias?: string;
  /** Alias of the cloud cluster. @default "cloud" */
  readonly targetAlias?: string;
  /** Bootstrap of the on-prem cluster (PLAINTEXT on the on-prem network). */
  readonly sourceBootstrap: string;
  /** The cloud cluster, reached over SASL_SSL/PLAIN. */
  readonly target: SaslSslPlainClient;
  readonly cloudKind: CloudKind;
  /** Topics to replicate; names are preserved on the target. */
  readonly topics: readonly string[];
  /** Java regex of further topics. */
  readonly topicsPattern?: string;
  /**
   * Topics never copied on-prem → cloud although `topicsPattern` may match them: the way back's events
   * topic, which the reverse connector copies cloud → site (reverseMirrorSourceConfig), so it can never
   * loop. Added to MM2's own exclusions (MM2_TOPICS_EXCLUDE_DEFAULT), which `topics.exclude` replaces.
   * @default [] (no `topics.exclude`: MM2's default)
   */
  readonly excludeTopics?: readonly string[];
  /** Replication factor of topics MM2 creates on the target. @default 3 */
  readonly targetReplicationFactor?: number;
  /** @default 1 */
  readonly tasksMax?: number;
}

type ByteArrayConverter = "org.apache.kafka.connect.converters.ByteArrayConverter";

/** What every MirrorMaker 2 connector here sets: both clusters, and its producer pointed at the target. */
export type MirrorCommonConfig = {
  readonly "source.cluster.alias": string;
  readonly "target.cluster.alias": string;
  readonly "source.cluster.bootstrap.servers": string;
  readonly "replication.policy.class": "org.apache.kafka.connect.mirror.IdentityReplicationPolicy";
  readonly "key.converter": ByteArrayConverter;
  readonly "value.converter": ByteArrayConverter;
  readonly "header.converter": ByteArrayConverter;
  readonly "errors.retry.timeout": string;
} & Prefixed<"target.cluster.", SaslSslPlainProperties> &
  Prefixed<"producer.override.", SaslSslPlainProperties> &
  ClientOverrides<"producer">;

/** The keys of a MirrorMaker 2 connector that carry the target's credentials. */
export type MirrorSecretKey = "target.cluster.sasl.jaas.config" | "producer.override.sasl.jaas.config";

/** MirrorSourceConnector: copies the records. */
export type MirrorSourceConfig = MirrorCommonConfig & {
  readonly "connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector";
  readonly "tasks.max": string;
  readonly topics: string;
  /** MM2's default exclusions and the way back's events topic (only with `excludeTopics`). */
  readonly "topics.exclude"?: string;
  readonly "refresh.topics.interval.seconds": string;
  readonly "replication.factor": string;
  readonly "offset-syncs.topic.location": "source" | "target";
  readonly "offset-syncs.topic.replication.factor": string;
  readonly "sync.topic.configs.enabled": string;
  readonly "sync.topic.acls.enabled": string;
  /** Topic configs not synced to the target (local and Confluent Cloud: MM2_CONFIG_PROPERTIES_EXCLUDE). */
  readonly "config.properties.exclude"?: string;
  readonly "consumer.auto.offset.reset": string;
  /** Event Hubs only. */
  readonly "refresh.topics.enabled"?: string;
  /** Event Hubs only. */
  readonly "sync.topic.configs.interval.seconds"?: string;
};

/** MirrorCheckpointConnector: translates consumer-group offsets. */
export type MirrorCheckpointConfig = MirrorCommonConfig & {
  readonly "connector.class": "org.apache.kafka.connect.mirror.MirrorCheckpointConnector";
  readonly "tasks.max": string;
  readonly "groups.exclude": string;
  readonly "emit.checkpoints.interval.seconds": string;
  readonly "sync.group.offsets.enabled": string;
  readonly "checkpoints.topic.replication.factor": string;
};

/** MirrorHeartbeatConnector: proves the path end to end. */
export type MirrorHeartbeatConfig = MirrorCommonConfig & {
  readonly "connector.class": "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector";
  readonly "tasks.max": string;
  readonly "emit.heartbeats.interval.seconds": string;
  readonly "heartbeats.topic.replication.factor": string;
};

/** The three connectors of MirrorMaker 2 on Kafka Connect. */
export interface MirrorMaker2Connectors {
  readonly source: CredentialedSettings<MirrorSourceConfig, MirrorSecretKey>;
  readonly checkpoint: CredentialedSettings<MirrorCheckpointConfig, MirrorSecretKey>;
  readonly heartbeat: CredentialedSettings<MirrorHeartbeatConfig, MirrorSecretKey>;
}

/** Regex matching exactly the listed topics, plus the pattern if any ("a|b|dc0[0-9]_.*"). */
export function topicsRegex(topics: readonly string[], pattern?: string): string {
  const parts = topics.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (pattern) parts.push(pattern);
  if (parts.length === 0) throw new Error("topicsRegex: give at least one topic or a pattern");
  return parts.join("|");
}

/**
 * MirrorMaker 2 as connectors of the on-prem Connect cluster. Connect would
 * write every record into the cluster it is attached to (on-prem), so each
 * connector's producer is pointed at the cloud cluster with
 * `producer.override.*` — which the worker's allow-list override policy
 * permits for exactly these keys.
 */
export function mirrorMaker2Configs(o: MirrorMaker2Options): MirrorMaker2Connectors {
  const sourceAlias = o.sourceAlias ?? "onprem";
  const targetAlias = o.targetAlias ?? "cloud";
  const eventHubs = o.cloudKind === "event-hubs";
  const cloud = saslSslPlainSettings(o.target);
  const targetCluster = prefixedSettings("target.cluster.", cloud);
  const producer = clientOverrides("producer", cloud);
  // Each connector reaches the cloud twice: MM2's own clients of the target, and the producer Connect gives it.
  const sensitive = { ...targetCluster.sensitive, ...producer.sensitive };
  const common: VisibleConfig<MirrorCommonConfig, MirrorSecretKey> = {
    "source.cluster.alias": sourceAlias,
    "target.cluster.alias": targetAlias,
    "source.cluster.bootstrap.servers": o.sourceBootstrap,
    ...targetCluster.config,
    ...producer.config,
    // Keep topic names as they are on-prem (what Confluent Replicator does), no "onprem." prefix.
    "replication.policy.class": "org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
    // MM2 copies bytes: no (de)serialisation on the way.
    "key.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
    "value.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
    "header.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
    "errors.retry.timeout": "-1",
  };

  const source: VisibleConfig<MirrorSourceConfig, MirrorSecretKey> = {
    ...common,
    "connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector",
    "tasks.max": String(o.tasksMax ?? 1),
    topics: topicsRegex(o.topics, o.topicsPattern),
    ...(o.excludeTopics?.length ? { "topics.exclude": [...MM2_TOPICS_EXCLUDE_DEFAULT, topicsRegex(o.excludeTopics)].join(",") } : {}),
    "refresh.topics.interval.seconds": "30",
    "replication.factor": String(o.targetReplicationFactor ?? 3),
    // Offset syncs stay on-prem: Event Hubs cannot host compacted internal topics on Standard.
    "offset-syncs.topic.location": "source",
    "offset-syncs.topic.replication.factor": "1",
    "sync.topic.configs.enabled": eventHubs ? "false" : "true",
    // Synced topic configs include message.timestamp.type (LogAppendTime): the cloud broker stamps arrival.
    ...(eventHubs ? {} : { "config.properties.exclude": MM2_CONFIG_PROPERTIES_EXCLUDE.join(",") }),
    // Never mirror ACLs: the cloud side has its own identities.
    "sync.topic.acls.enabled": "false",
    // No acknowledged record may be lost on the way.
    "producer.override.acks": "all",
    "producer.override.enable.idempotence": eventHubs ? "false" : "true",
    // Event Hubs takes no lz4; the local lake sink (kafkajs) reads no lz4; Confluent Cloud's managed sink does.
    "producer.override.compression.type": o.cloudKind === "confluent-cloud" ? "lz4" : "none",
    "consumer.auto.offset.reset": "earliest",
    // Event hubs are pre-created by the azure stack; their partitions cannot be added over Kafka.
    ...(eventHubs ? { "refresh.topics.enabled": "true", "sync.topic.configs.interval.seconds": "-1" } : {}),
  };

  const checkpoint: VisibleConfig<MirrorCheckpointConfig, MirrorSecretKey> = {
    ...common,
    "connector.class": "org.apache.kafka.connect.mirror.MirrorCheckpointConnector",
    "tasks.max": "1",
    "groups.exclude": "connect-.*,__.*",
    // Must stay well below the worker's task.shutdown.graceful.timeout.ms (20 s): in Kafka 4.3
    // MirrorCheckpointTask.poll() sleeps until this interval has passed and only checks its own
    // `stopping` flag, which task.stop() sets — and the worker calls task.stop() on the task thread
    // only after poll() returned. So every stop of this task (the connector reconfigures its tasks when
    // the set of consumer groups changes, checked every refresh.groups.interval.seconds) waits up to
    // this long; with 30 s, stops landing early in a poll logged "Graceful stop of task …-checkpoint-0
    // failed" and the task was cancelled (harmless: checkpoints are re-emitted). docs/mirrormaker2-checkpoint-stop.md
    "emit.checkpoints.interval.seconds": String(CHECKPOINT_EMIT_INTERVAL_SECONDS),
    "sync.group.offsets.enabled": "false",
    "checkpoints.topic.replication.factor": String(o.targetReplicationFactor ?? 3),
  };

  const heartbeat: VisibleConfig<MirrorHeartbeatConfig, MirrorSecretKey> = {
    ...common,
    "connector.class": "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
    "tasks.max": "1",
    "emit.heartbeats.interval.seconds": "5",
    "heartbeats.topic.replication.factor": String(o.targetReplicationFactor ?? 3),
  };
  return { source: { config: source, sensitive }, checkpoint: { config: checkpoint, sensitive }, heartbeat: { config: heartbeat, sensitive } };
}

export interface ReverseMirrorOptions {
  /** The cloud cluster, the source here, reached over SASL_SSL/PLAIN. */
  readonly source: SaslSslPlainClient;
  readonly cloudKind: CloudKind;
  /** Bootstrap of the on-prem cluster, the target (PLAINTEXT; the worker's own cluster). */
  readonly targetBootstrap: string;
  /** The one topic copied to the site: its `<dc>_out_of_stock_events` (config/tables.ts outOfStockTable). */
  readonly topic: string;
  /** Replication factor on-prem, should MM2 create the topic before Terraform did. */
  readonly targetReplicationFactor: number;
}

/** The keys of the reverse connector that carry the cloud's credentials. */
export type ReverseMirrorSecretKey = "source.cluster.sasl.jaas.config";

/** MirrorSourceConnector cloud → site: the way back's events topic, nothing else. */
export type ReverseMirrorSourceConfig = {
  readonly "connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector";
  readonly "tasks.max": "1";
  readonly "source.cluster.alias": string;
  readonly "target.cluster.alias": string;
  readonly "target.cluster.bootstrap.servers": string;
  readonly "replication.policy.class": "org.apache.kafka.connect.mirror.IdentityReplicationPolicy";
  readonly topics: string;
  readonly "refresh.topics.interval.seconds": string;
  readonly "emit.offset-syncs.enabled": "false";
  readonly "sync.topic.configs.enabled": "false";
  readonly "sync.topic.acls.enabled": "false";
  readonly "replication.factor": string;
  readonly "consumer.auto.offset.reset": "earliest";
  readonly "key.converter": ByteArrayConverter;
  readonly "value.converter": ByteArrayConverter;
  readonly "header.converter": ByteArrayConverter;
  readonly "errors.retry.timeout": string;
} & Prefixed<"source.cluster.", SaslSslPlainProperties>;

/**
 * MirrorMaker 2 the other way, cloud → site, on the site's Connect: one MirrorSourceConnector copying
 * exactly the site's events topic (the stock processor's output) into the on-prem cluster, where the JDBC
 * sink writes it into the site's table. Records go to the worker's own cluster (on-prem), so no producer
 * override. No offset syncs, no checkpoint or heartbeat connector: nothing on the site consumes the
 * events through a translated group, and offset syncs would need a topic on one of the clusters
 * (Event Hubs Standard cannot host compacted ones). The forward connector excludes the same topic, so
 * with the identity policy (names kept both ways) no record can come back.
 */
export function reverseMirrorSourceConfig(o: ReverseMirrorOptions): CredentialedSettings<ReverseMirrorSourceConfig, ReverseMirrorSecretKey> {
  const cloud = prefixedSettings("source.cluster.", saslSslPlainSettings(o.source));
  const config: VisibleConfig<ReverseMirrorSourceConfig, ReverseMirrorSecretKey> = {
    "connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector",
    // One topic of one partition (the stock processor creates it so): one task.
    "tasks.max": "1",
    "source.cluster.alias": "cloud",
    "target.cluster.alias": "onprem",
    ...cloud.config,
    "target.cluster.bootstrap.servers": o.targetBootstrap,
    // The same name on the site: the JDBC sink's topic is the table's name (jdbc-sink.ts).
    "replication.policy.class": "org.apache.kafka.connect.mirror.IdentityReplicationPolicy",
    // Exactly this site's topic: never a pattern, so no site sees another site's events.
    topics: topicsRegex([o.topic]),
    "refresh.topics.interval.seconds": "30",
    // Kafka 4.3's MirrorConnectorConfig EMIT_OFFSET_SYNCS_ENABLED (default true): no offset-syncs topic.
    "emit.offset-syncs.enabled": "false",
    // The on-prem topic is a Terraform resource of its own (constructs/bridge/write-back.ts), with its own settings.
    "sync.topic.configs.enabled": "false",
    "sync.topic.acls.enabled": "false",
    "replication.factor": String(o.targetReplicationFactor),
    "consumer.auto.offset.reset": "earliest",
    "key.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
    "value.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
    "header.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
    "errors.retry.timeout": "-1",
  };
  return { config, sensitive: cloud.sensitive };
}
