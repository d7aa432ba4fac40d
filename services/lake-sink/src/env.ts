/**
 * The lake sink's environment contract: every variable's default and rule, once. `loadConfig`
 * reads it, `--help` prints it and the README's table is generated from it (test/readme.test.ts).
 * Secrets (Kafka password, storage key / SAS) only from files.
 */
import { bool, defineEnv, heartbeatPath, int, logLevel, oneOf, parsed, secretFile, text } from "@bridge-to-azure/service-kit";
import { parsePathFormat, PathToken } from "./paths";

export const SINK_ENV = defineEnv({
  KAFKA_BROKERS: text({ required: true, doc: "comma list of host:port" }),
  KAFKA_TOPICS: text({ required: true, doc: "comma list of topic names ([A-Za-z0-9._-]{1,249}), no duplicates" }),
  KAFKA_GROUP_ID: text({ default: "lake-sink", doc: "consumer group id, 1..255 characters", pattern: /^.{1,255}$/, mismatch: "must be 1..255 characters" }),
  KAFKA_CLIENT_ID: text({ default: "lake-sink", doc: "[A-Za-z0-9._-]{1,255}", pattern: /^[A-Za-z0-9._-]{1,255}$/ }),
  KAFKA_SECURITY: oneOf(["sasl_ssl", "plaintext"], { default: "sasl_ssl", note: "sasl_ssl = SASL/PLAIN over TLS", mismatch: "must be sasl_ssl or plaintext" }),
  KAFKA_CREDENTIALS_FILE: secretFile({
    default: "/run/secrets/lake-sink/kafka.properties",
    doc: "sasl_ssl: properties file with username= and password= lines",
    rejects: { name: "KAFKA_PASSWORD", what: "the password", put: "username= and password= lines" },
  }),
  KAFKA_CA_FILE: secretFile({ unset: "(system CAs)", doc: "sasl_ssl: PEM file with the CA certificate(s) of the brokers" }),
  KAFKA_FROM_BEGINNING: bool({ default: true, note: "where a partition starts without a committed offset (and without files in the lake)" }),
  // Short session: after `kill -9` the group coordinator hands the partitions to the restarted
  // sink only when the dead member's session expires (kafkajs 2.2 has no group.instance.id /
  // static membership to take its place at once). Below the broker's group.min.session.timeout.ms
  // (default 6000) JoinGroup fails with INVALID_SESSION_TIMEOUT, hence the lower bound.
  KAFKA_SESSION_TIMEOUT_MS: int({
    default: 6000,
    min: 6000,
    max: 300000,
    note: "a killed sink's partitions are given to its restarted successor only after this (kafkajs has no static membership); 6000 = the brokers' default group.min.session.timeout.ms (also Event Hubs' minimum)",
  }),
  // Several heartbeats per session, so one late heartbeat (GC pause, busy event loop) does not
  // cost the assignment; the sink also heartbeats while a batch waits for an upload (sink.ts).
  KAFKA_HEARTBEAT_INTERVAL_MS: int({ default: 1000, min: 100, max: "KAFKA_SESSION_TIMEOUT_MS/3", note: "group heartbeat period, also while a batch waits for an upload" }),
  STORAGE_BLOB_ENDPOINT: text({
    required: true,
    doc: "https://<account>.blob.core.windows.net, or http(s)://127.0.0.1:<port>/<account> (Azurite, path style); http only for loopback hosts",
  }),
  STORAGE_ACCOUNT: text({
    unset: "(from the endpoint)",
    doc: "[a-z0-9]{3,24}; path-style endpoints: the first path segment, else the host's first label",
    pattern: /^[a-z0-9]{3,24}$/,
    mismatch: "must be 3..24 lower-case letters or digits",
  }),
  STORAGE_FILESYSTEM: text({
    default: "orders",
    doc: "container / ADLS filesystem: 3..63 of a-z 0-9 -, starting with a letter or digit, no '--'; created if missing",
    pattern: /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    mismatch: "must be 3..63 characters of a-z, 0-9 and '-', start and end with a letter or digit, without '--'",
  }),
  STORAGE_KEY_FILE: secretFile({
    doc: "file holding the base64 account key (shared-key auth)",
    rejects: { name: "STORAGE_KEY", what: "the account key" },
  }),
  STORAGE_SAS_FILE: secretFile({
    doc: "file holding a SAS token (sv=...&sig=...) with create/write/list/read/delete on the container (container creation needs an account SAS)",
  }),
  STORAGE_AUTH: oneOf(["shared-key", "sas", "managed-identity"], {
    unset: "(from the files)",
    note: "exactly one of the three must be configured",
    mismatch: "must be shared-key, sas or managed-identity",
  }),
  STORAGE_MANAGED_IDENTITY_CLIENT_ID: text({ doc: "managed-identity: client id of a user-assigned identity (unset = system-assigned)" }),
  STORAGE_TOPICS_DIR: text({
    default: "topics",
    doc: "top-level directory (Confluent topics.dir), [A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*",
    pattern: /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/,
    mismatch: "must be directory names of [A-Za-z0-9._-] separated by '/', no '.'/'..', no leading or trailing '/'",
  }),
  STORAGE_PATH_FORMAT: parsed<{ format: string; tokens: PathToken[] }>({
    default: "",
    unset: "(none)",
    doc: "Joda-style time directories between partition=<p>/ and the file, from the first record's timestamp (UTC), e.g. 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
    parse: (format) => {
      if (format === "") return { value: { format, tokens: [] } };
      const tokens = parsePathFormat(format);
      return "error" in tokens ? tokens : { value: { format, tokens } };
    },
  }),
  FLUSH_SIZE: int({ default: 1000, min: 1, max: 1000000, note: "records per file" }),
  ROTATE_INTERVAL_MS: int({ default: 0, min: 0, max: 604800000, note: "a record with timestamp >= first timestamp + this starts a new file; 0 = off" }),
  // 16 MiB: several open files (one per partition) fit the container's memory; at most 256 MiB,
  // half of V8's longest string, since a file's text is one string before the upload.
  FILE_MAX_BYTES: int({
    default: 16 * 1024 * 1024,
    min: 1024 * 1024,
    max: 256 * 1024 * 1024,
    note: "a record that would take a file past this many bytes starts the next file (a larger single record gets its own file)",
  }),
  IDLE_FLUSH_MS: int({ default: 5000, min: 100, max: 3600000, note: "close a file when no record was added for this long" }),
  OPEN_FILE_MAX_MS: int({ default: 60000, min: 0, max: 86400000, note: "close a file open this long (wall clock); 0 = off; else >= IDLE_FLUSH_MS" }),
  SINK_DEDUPE: bool({ default: true, note: "drop re-delivered Debezium rows by source position (see README)" }),
  SINK_LOG_LEVEL: logLevel(),
  SINK_HEARTBEAT_FILE: heartbeatPath("/tmp/lake-sink/heartbeat.json"),
  SINK_HEALTH_MAX_AGE_MS: int({ default: 60000, min: 5000, max: 3600000, note: "unhealthy when Kafka was not polled, or uploads kept failing, for this long" }),
  SINK_METRICS_INTERVAL_MS: int({ default: 30000, min: 0, max: 3600000, note: "period of the JSON metrics log line; 0 = off" }),
  SINK_METRICS_PORT: int({ default: 0, min: 0, max: 65535, note: "serve Prometheus /metrics on 127.0.0.1:<port> (names: service kit metric-names.ts); 0 = off" }),
  SINK_STARTUP_TIMEOUT_MS: int({ default: 120000, min: 0, max: 3600000, note: "how long to retry reaching the storage endpoint at startup" }),
  SINK_SHUTDOWN_TIMEOUT_MS: int({ default: 30000, min: 1000, max: 600000, note: "limit for flushing and committing after SIGTERM" }),
});
