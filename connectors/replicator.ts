import { ClientOverrides, clientOverrides } from "./client-overrides";
import { topicsRegex } from "./mirrormaker2";
import { CredentialedSettings, Prefixed, SaslSslPlainClient, SaslSslPlainProperties, VisibleConfig, fileSecret, prefixedSettings, saslSslPlainSettings } from "./types";

export interface ReplicatorOptions {
  readonly sourceBootstrap: string;
  readonly target: SaslSslPlainClient;
  /** Topics to replicate (names preserved). */
  readonly topics: readonly string[];
  /** Java regex of further topics. */
  readonly topicsPattern?: string;
  /** Topics never replicated, e.g. the out-of-stock scratch topic. @default [] */
  readonly excludeTopics?: readonly string[];
  /** Properties file in the Connect container with `license=` (Replicator is licensed). */
  readonly licenseFile: string;
  /** Consumer group of Replicator on the source cluster. @default "replicator-bridge" */
  readonly groupId?: string;
}

type ReplicatorByteArrayConverter = "io.confluent.connect.replicator.util.ByteArrayConverter";

/** Confluent Replicator's source connector, reading on-prem and producing to the cloud. */
export type ReplicatorConfig = {
  readonly "connector.class": "io.confluent.connect.replicator.ReplicatorSourceConnector";
  readonly "tasks.max": string;
  readonly "topic.regex": string;
  readonly "topic.rename.format": string;
  readonly "topic.config.sync": string;
  readonly "topic.auto.create": string;
  readonly "src.kafka.bootstrap.servers": string;
  readonly "src.consumer.group.id": string;
  readonly "key.converter": ReplicatorByteArrayConverter;
  readonly "value.converter": ReplicatorByteArrayConverter;
  readonly "header.converter": ReplicatorByteArrayConverter;
  readonly "confluent.license": string;
  readonly "confluent.topic.bootstrap.servers": string;
  /** Only when topics are excluded. */
  readonly "topic.blacklist"?: string;
} & Prefixed<"dest.kafka.", SaslSslPlainProperties> &
  Prefixed<"producer.override.", SaslSslPlainProperties> &
  ClientOverrides<"producer">;

/** The keys of Replicator that carry the destination's credentials. */
export type ReplicatorSecretKey = "dest.kafka.sasl.jaas.config" | "producer.override.sasl.jaas.config";

/**
 * Confluent Replicator (licensed alternative to MirrorMaker 2) on the
 * on-prem Connect cluster, as the workshop ran it: topic configs not synced,
 * names preserved, the destination over SASL_SSL/PLAIN (credentials from
 * files, or given inline in the sensitive map), one task.
 */
export function replicatorConfig(o: ReplicatorOptions): CredentialedSettings<ReplicatorConfig, ReplicatorSecretKey> {
  const cloud = saslSslPlainSettings(o.target);
  const dest = prefixedSettings("dest.kafka.", cloud);
  // Records go to the cloud cluster, not the worker's own.
  const producer = clientOverrides("producer", cloud);
  const config: VisibleConfig<ReplicatorConfig, ReplicatorSecretKey> = {
    "connector.class": "io.confluent.connect.replicator.ReplicatorSourceConnector",
    "tasks.max": "1",
    "topic.regex": topicsRegex(o.topics, o.topicsPattern),
    "topic.rename.format": "${topic}",
    "topic.config.sync": "false",
    "topic.auto.create": "true",
    "src.kafka.bootstrap.servers": o.sourceBootstrap,
    "src.consumer.group.id": o.groupId ?? "replicator-bridge",
    ...dest.config,
    ...producer.config,
    "producer.override.acks": "all",
    "key.converter": "io.confluent.connect.replicator.util.ByteArrayConverter",
    "value.converter": "io.confluent.connect.replicator.util.ByteArrayConverter",
    "header.converter": "io.confluent.connect.replicator.util.ByteArrayConverter",
    "confluent.license": fileSecret(o.licenseFile, "license"),
    "confluent.topic.bootstrap.servers": o.sourceBootstrap,
    ...(o.excludeTopics && o.excludeTopics.length > 0 ? { "topic.blacklist": o.excludeTopics.join(",") } : {}),
  };
  return { config, sensitive: { ...dest.sensitive, ...producer.sensitive } };
}
