import { topicsRegex } from "./mirrormaker2";
import { ConnectorConfig, SaslSslPlainClient, fileSecret, saslSslPlainProperties } from "./types";

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

/**
 * Confluent Replicator (licensed alternative to MirrorMaker 2) on the
 * on-prem Connect cluster, as the workshop ran it: topic configs not synced,
 * names preserved, the destination over SASL_SSL/PLAIN with credentials
 * resolved from files, one task.
 */
export function replicatorConfig(o: ReplicatorOptions): ConnectorConfig {
  const config: ConnectorConfig = {
    "connector.class": "io.confluent.connect.replicator.ReplicatorSourceConnector",
    "tasks.max": "1",
    "topic.regex": topicsRegex(o.topics, o.topicsPattern),
    "topic.rename.format": "${topic}",
    "topic.config.sync": "false",
    "topic.auto.create": "true",
    "src.kafka.bootstrap.servers": o.sourceBootstrap,
    "src.consumer.group.id": o.groupId ?? "replicator-bridge",
    ...saslSslPlainProperties("dest.kafka.", o.target),
    // Records go to the cloud cluster, not the worker's own.
    ...saslSslPlainProperties("producer.override.", o.target),
    "producer.override.acks": "all",
    "key.converter": "io.confluent.connect.replicator.util.ByteArrayConverter",
    "value.converter": "io.confluent.connect.replicator.util.ByteArrayConverter",
    "header.converter": "io.confluent.connect.replicator.util.ByteArrayConverter",
    "confluent.license": fileSecret(o.licenseFile, "license"),
    "confluent.topic.bootstrap.servers": o.sourceBootstrap,
  };
  if (o.excludeTopics && o.excludeTopics.length > 0) config["topic.blacklist"] = o.excludeTopics.join(",");
  return config;
}
