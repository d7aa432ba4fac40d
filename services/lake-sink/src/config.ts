/**
 * Configuration from the environment only. `loadConfig` is pure apart from the injected
 * `readFile`, so it is unit-testable; every problem is reported at once, each message naming the
 * variable, the value and the rule. Secrets (Kafka password, storage key / SAS) come from files.
 */
import { readFileSync } from "fs";
import { parsePathFormat, PathToken } from "./paths";
import { RotationConfig } from "./rotation";

export type LogLevel = "error" | "warn" | "info" | "debug";
export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

export type StorageAuth =
  | { kind: "shared-key"; keyFile: string; key: string }
  | { kind: "sas"; sasFile: string; sas: string }
  | { kind: "managed-identity"; clientId: string | undefined };

export interface KafkaConfig {
  brokers: string[];
  topics: string[];
  groupId: string;
  clientId: string;
  security: "sasl_ssl" | "plaintext";
  /** SASL/PLAIN credentials (sasl_ssl only). */
  username: string;
  password: string;
  credentialsFile: string;
  /** PEM CA bundle for the brokers' certificates; undefined = the system trust store. */
  ca: string | undefined;
  caFile: string | undefined;
  fromBeginning: boolean;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
}

export interface StorageConfig {
  /** Blob endpoint without trailing slash, e.g. http://127.0.0.1:10000/devstoreaccount1. */
  endpoint: string;
  account: string;
  filesystem: string;
  auth: StorageAuth;
  topicsDir: string;
  pathFormat: string;
  pathTokens: PathToken[];
}

export interface LakeSinkConfig {
  kafka: KafkaConfig;
  storage: StorageConfig;
  rotation: RotationConfig;
  dedupe: boolean;
  logLevel: LogLevel;
  heartbeatFile: string;
  healthMaxAgeMs: number;
  metricsIntervalMs: number;
  startupTimeoutMs: number;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

export type Env = Record<string, string | undefined>;
export type ReadFile = (path: string) => string;

/** Documented contract: name, default, rule. Printed by --help and copied to the README. */
export const ENV_DOC: ReadonlyArray<[string, string, string]> = [
  ["KAFKA_BROKERS", "(required)", "comma list of host:port"],
  ["KAFKA_TOPICS", "(required)", "comma list of topic names ([A-Za-z0-9._-]{1,249}), no duplicates"],
  ["KAFKA_GROUP_ID", "lake-sink", "consumer group id, 1..255 characters"],
  ["KAFKA_CLIENT_ID", "lake-sink", "[A-Za-z0-9._-]{1,255}"],
  ["KAFKA_SECURITY", "sasl_ssl", "sasl_ssl (SASL/PLAIN over TLS) | plaintext"],
  ["KAFKA_CREDENTIALS_FILE", "/run/secrets/lake-sink/kafka.properties", "sasl_ssl: properties file with username= and password= lines; KAFKA_PASSWORD is rejected"],
  ["KAFKA_CA_FILE", "(system CAs)", "sasl_ssl: PEM file with the CA certificate(s) of the brokers"],
  ["KAFKA_FROM_BEGINNING", "true", "true|false: where a partition starts without a committed offset (and without files in the lake)"],
  ["KAFKA_SESSION_TIMEOUT_MS", "6000", "integer 6000..300000: a killed sink's partitions are given to its restarted successor only after this (kafkajs has no static membership); 6000 = the brokers' default group.min.session.timeout.ms (also Event Hubs' minimum)"],
  ["KAFKA_HEARTBEAT_INTERVAL_MS", "1000", "integer 100..KAFKA_SESSION_TIMEOUT_MS/3: group heartbeat period, also while a batch waits for an upload"],
  ["STORAGE_BLOB_ENDPOINT", "(required)", "https://<account>.blob.core.windows.net, or http(s)://127.0.0.1:<port>/<account> (Azurite, path style); http only for loopback hosts"],
  ["STORAGE_ACCOUNT", "(from the endpoint)", "[a-z0-9]{3,24}; path-style endpoints: the first path segment, else the host's first label"],
  ["STORAGE_FILESYSTEM", "orders", "container / ADLS filesystem: 3..63 of a-z 0-9 -, starting with a letter or digit, no '--'; created if missing"],
  ["STORAGE_KEY_FILE", "-", "file holding the base64 account key (shared-key auth); STORAGE_KEY is rejected"],
  ["STORAGE_SAS_FILE", "-", "file holding a SAS token (sv=...&sig=...) with create/write/list/read/delete on the container (container creation needs an account SAS)"],
  ["STORAGE_AUTH", "(from the files)", "shared-key | sas | managed-identity; exactly one of the three must be configured"],
  ["STORAGE_MANAGED_IDENTITY_CLIENT_ID", "-", "managed-identity: client id of a user-assigned identity (unset = system-assigned)"],
  ["STORAGE_TOPICS_DIR", "topics", "top-level directory (Confluent topics.dir), [A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*"],
  ["STORAGE_PATH_FORMAT", "(none)", "Joda-style time directories between partition=<p>/ and the file, from the first record's timestamp (UTC), e.g. 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH"],
  ["FLUSH_SIZE", "1000", "integer 1..1000000: records per file"],
  ["ROTATE_INTERVAL_MS", "0", "integer 0..604800000: a record with timestamp >= first timestamp + this starts a new file; 0 = off"],
  ["FILE_MAX_BYTES", "16777216", "integer 1048576..268435456: a record that would take a file past this many bytes starts the next file (a larger single record gets its own file)"],
  ["IDLE_FLUSH_MS", "5000", "integer 100..3600000: close a file when no record was added for this long"],
  ["OPEN_FILE_MAX_MS", "60000", "integer 0..86400000: close a file open this long (wall clock); 0 = off"],
  ["SINK_DEDUPE", "true", "true|false: drop re-delivered Debezium rows by source position (see README)"],
  ["SINK_LOG_LEVEL", "info", "error|warn|info|debug"],
  ["SINK_HEARTBEAT_FILE", "/tmp/lake-sink/heartbeat.json", "absolute path, or empty to disable"],
  ["SINK_HEALTH_MAX_AGE_MS", "60000", "integer 5000..3600000: unhealthy when Kafka was not polled, or uploads kept failing, for this long"],
  ["SINK_METRICS_INTERVAL_MS", "30000", "integer 0..3600000: period of the JSON metrics log line; 0 = off"],
  ["SINK_STARTUP_TIMEOUT_MS", "120000", "integer 0..3600000: how long to retry reaching the storage endpoint at startup"],
  ["SINK_SHUTDOWN_TIMEOUT_MS", "30000", "integer 1000..600000: limit for flushing and committing after SIGTERM"],
];

const TOPIC_RE = /^[A-Za-z0-9._-]{1,249}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

class Collector {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  }

  fail(name: string, value: string | undefined, rule: string): void {
    this.problems.push(`${name}=${value === undefined ? "(unset)" : JSON.stringify(value)}: ${rule}`);
  }

  int(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min || Number(v) > max) {
      this.fail(name, v, `must be an integer between ${min} and ${max}`);
      return def;
    }
    return Number(v);
  }

  bool(name: string, def: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (/^(true|1|yes)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    this.fail(name, v, "must be true or false");
    return def;
  }

  str(name: string, def: string, re: RegExp, rule: string): string {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (!re.test(v)) {
      this.fail(name, v, rule);
      return def;
    }
    return v;
  }

  /** Reads a secret file; one trailing newline is stripped. */
  file(name: string, path: string, readFile: ReadFile): string | undefined {
    try {
      const text = readFile(path).replace(/\r?\n$/, "");
      if (text.trim() === "") {
        this.fail(name, path, "the file is empty");
        return undefined;
      }
      return text;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      this.fail(name, path, `must name a readable file (${code})`);
      return undefined;
    }
  }
}

/** `key=value` / `key: value` lines; '#' and '!' comments; the first separator splits. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const m = /^([^=:\s]+)\s*[=:]\s?(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.replace(/\s+$/, ""));
  }
  return out;
}

/** Account name from a blob endpoint: first path segment (path style) or first host label. */
export function accountFromEndpoint(u: URL): string | undefined {
  const seg = u.pathname.split("/").filter((s) => s !== "")[0];
  if (seg) return seg;
  const label = u.hostname.split(".")[0];
  return label && !/^\d+$/.test(label) && u.hostname.includes(".blob.") ? label : undefined;
}

const defaultReadFile: ReadFile = (p) => readFileSync(p, "utf8");

export function loadConfig(env: Env = process.env, readFile: ReadFile = defaultReadFile): LakeSinkConfig {
  const c = new Collector(env);

  // --- kafka ------------------------------------------------------------------
  const brokersRaw = c.raw("KAFKA_BROKERS");
  let brokers: string[] = [];
  if (brokersRaw === undefined) c.fail("KAFKA_BROKERS", undefined, "is required: comma list of host:port");
  else {
    brokers = brokersRaw.split(",").map((s) => s.trim());
    const bad = brokers.filter((b) => !/^[A-Za-z0-9.\-_]+:\d{1,5}$/.test(b) || Number(b.split(":")[1]) < 1 || Number(b.split(":")[1]) > 65535);
    if (bad.length > 0) c.fail("KAFKA_BROKERS", brokersRaw, `every entry must be host:port with port 1..65535 (bad: ${bad.map((b) => JSON.stringify(b)).join(", ")})`);
  }
  const topicsRaw = c.raw("KAFKA_TOPICS");
  let topics: string[] = [];
  if (topicsRaw === undefined) c.fail("KAFKA_TOPICS", undefined, "is required: comma list of topic names");
  else {
    topics = topicsRaw.split(",").map((s) => s.trim());
    const bad = topics.filter((t) => !TOPIC_RE.test(t) || t === "." || t === "..");
    if (bad.length > 0) c.fail("KAFKA_TOPICS", topicsRaw, `topic names must match [A-Za-z0-9._-]{1,249} (bad: ${bad.map((t) => JSON.stringify(t)).join(", ")})`);
    else if (new Set(topics).size !== topics.length) c.fail("KAFKA_TOPICS", topicsRaw, "must not name a topic twice");
  }
  const groupId = c.str("KAFKA_GROUP_ID", "lake-sink", /^.{1,255}$/, "must be 1..255 characters");
  const clientId = c.str("KAFKA_CLIENT_ID", "lake-sink", /^[A-Za-z0-9._-]{1,255}$/, "must match [A-Za-z0-9._-]{1,255}");
  const securityRaw = (c.raw("KAFKA_SECURITY") ?? "sasl_ssl").toLowerCase();
  let security: KafkaConfig["security"] = "sasl_ssl";
  if (securityRaw === "plaintext" || securityRaw === "sasl_ssl") security = securityRaw;
  else c.fail("KAFKA_SECURITY", c.raw("KAFKA_SECURITY"), "must be sasl_ssl or plaintext");
  if (env.KAFKA_PASSWORD !== undefined) {
    c.problems.push("KAFKA_PASSWORD is set: the password must not be passed in the environment; put username= and password= lines in a file named by KAFKA_CREDENTIALS_FILE");
  }
  const credentialsFile = c.raw("KAFKA_CREDENTIALS_FILE") ?? "/run/secrets/lake-sink/kafka.properties";
  let username = "";
  let password = "";
  let ca: string | undefined;
  const caFile = c.raw("KAFKA_CA_FILE");
  if (security === "sasl_ssl") {
    const text = c.file("KAFKA_CREDENTIALS_FILE", credentialsFile, readFile);
    if (text !== undefined) {
      const props = parseProperties(text);
      username = props.get("username") ?? "";
      password = props.get("password") ?? "";
      if (username === "") c.fail("KAFKA_CREDENTIALS_FILE", credentialsFile, "the file has no non-empty username= line");
      if (password === "") c.fail("KAFKA_CREDENTIALS_FILE", credentialsFile, "the file has no non-empty password= line");
    }
    if (caFile !== undefined) {
      ca = c.file("KAFKA_CA_FILE", caFile, readFile);
      if (ca !== undefined && !/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(ca)) {
        c.fail("KAFKA_CA_FILE", caFile, "must contain at least one PEM certificate (-----BEGIN CERTIFICATE-----)");
        ca = undefined;
      }
    }
  }
  const fromBeginning = c.bool("KAFKA_FROM_BEGINNING", true);
  // Short session: after `kill -9` the group coordinator hands the partitions to the restarted
  // sink only when the dead member's session expires (kafkajs 2.2 has no group.instance.id /
  // static membership to take its place at once). Below the broker's group.min.session.timeout.ms
  // (default 6000) JoinGroup fails with INVALID_SESSION_TIMEOUT, hence the lower bound.
  const sessionTimeoutMs = c.int("KAFKA_SESSION_TIMEOUT_MS", 6000, 6000, 300000);
  // Several heartbeats per session, so one late heartbeat (GC pause, busy event loop) does not
  // cost the assignment; the sink also heartbeats while a batch waits for an upload (sink.ts).
  const heartbeatIntervalMs = c.int("KAFKA_HEARTBEAT_INTERVAL_MS", 1000, 100, Math.floor(sessionTimeoutMs / 3));

  // --- storage ----------------------------------------------------------------
  const endpointRaw = c.raw("STORAGE_BLOB_ENDPOINT");
  let endpoint = "";
  let account: string | undefined;
  if (endpointRaw === undefined) {
    c.fail("STORAGE_BLOB_ENDPOINT", undefined, "is required, e.g. https://<account>.blob.core.windows.net or http://127.0.0.1:10000/devstoreaccount1");
  } else {
    let u: URL | undefined;
    try {
      u = new URL(endpointRaw);
    } catch {
      c.fail("STORAGE_BLOB_ENDPOINT", endpointRaw, "must be an absolute http(s) URL");
    }
    if (u) {
      const segs = u.pathname.split("/").filter((s) => s !== "");
      if (u.protocol !== "https:" && u.protocol !== "http:") c.fail("STORAGE_BLOB_ENDPOINT", endpointRaw, "must use https (or http for a loopback host)");
      else if (u.protocol === "http:" && !LOOPBACK.has(u.hostname)) c.fail("STORAGE_BLOB_ENDPOINT", endpointRaw, "http is only allowed for loopback hosts (127.0.0.1, localhost, ::1); use https");
      else if (u.search || u.hash || u.username || u.password) c.fail("STORAGE_BLOB_ENDPOINT", endpointRaw, "must not carry a query (put a SAS in STORAGE_SAS_FILE), fragment or user info");
      else if (segs.length > 1) c.fail("STORAGE_BLOB_ENDPOINT", endpointRaw, "path may only be the account name (path-style endpoints); the container is STORAGE_FILESYSTEM");
      else {
        endpoint = `${u.protocol}//${u.host}${segs.length ? `/${segs[0]}` : ""}`;
        account = accountFromEndpoint(u);
      }
    }
  }
  const accountRaw = c.raw("STORAGE_ACCOUNT");
  if (accountRaw !== undefined) {
    if (!/^[a-z0-9]{3,24}$/.test(accountRaw)) c.fail("STORAGE_ACCOUNT", accountRaw, "must be 3..24 lower-case letters or digits");
    else account = accountRaw;
  } else if (endpoint !== "" && account === undefined) {
    c.fail("STORAGE_ACCOUNT", undefined, `is required: the account name cannot be derived from STORAGE_BLOB_ENDPOINT=${JSON.stringify(endpointRaw)}`);
  } else if (account !== undefined && !/^[a-z0-9]{3,24}$/.test(account)) {
    c.fail("STORAGE_BLOB_ENDPOINT", endpointRaw, `the account name derived from it (${JSON.stringify(account)}) must be 3..24 lower-case letters or digits`);
  }
  const filesystem = c.str(
    "STORAGE_FILESYSTEM",
    "orders",
    /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    "must be 3..63 characters of a-z, 0-9 and '-', start and end with a letter or digit, without '--'",
  );
  if (env.STORAGE_KEY !== undefined) {
    c.problems.push("STORAGE_KEY is set: the account key must not be passed in the environment; put it in a file named by STORAGE_KEY_FILE");
  }
  const keyFile = c.raw("STORAGE_KEY_FILE");
  const sasFile = c.raw("STORAGE_SAS_FILE");
  const authRaw = c.raw("STORAGE_AUTH")?.toLowerCase();
  const miClientId = c.raw("STORAGE_MANAGED_IDENTITY_CLIENT_ID");
  let auth: StorageAuth = { kind: "managed-identity", clientId: undefined };
  const kinds = [keyFile !== undefined ? "shared-key" : "", sasFile !== undefined ? "sas" : "", authRaw === "managed-identity" ? "managed-identity" : ""].filter((k) => k);
  if (authRaw !== undefined && !["shared-key", "sas", "managed-identity"].includes(authRaw)) {
    c.fail("STORAGE_AUTH", c.raw("STORAGE_AUTH"), "must be shared-key, sas or managed-identity");
  } else if (kinds.length !== 1) {
    c.problems.push(
      `STORAGE_KEY_FILE=${JSON.stringify(keyFile ?? "(unset)")}, STORAGE_SAS_FILE=${JSON.stringify(sasFile ?? "(unset)")}, STORAGE_AUTH=${JSON.stringify(authRaw ?? "(unset)")}: ` +
        "configure exactly one of STORAGE_KEY_FILE (shared key), STORAGE_SAS_FILE (SAS) or STORAGE_AUTH=managed-identity",
    );
  } else if (authRaw !== undefined && authRaw !== kinds[0]) {
    c.fail("STORAGE_AUTH", authRaw, `contradicts the configured credential (${kinds[0]})`);
  } else if (kinds[0] === "shared-key") {
    const key = c.file("STORAGE_KEY_FILE", keyFile!, readFile)?.trim();
    if (key !== undefined) {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) c.fail("STORAGE_KEY_FILE", keyFile, "must hold a base64 account key");
      else auth = { kind: "shared-key", keyFile: keyFile!, key };
    }
  } else if (kinds[0] === "sas") {
    const sas = c.file("STORAGE_SAS_FILE", sasFile!, readFile)?.trim().replace(/^\?/, "");
    if (sas !== undefined) {
      if (!/(^|&)sig=/.test(sas) || /\s/.test(sas)) c.fail("STORAGE_SAS_FILE", sasFile, "must hold a SAS token (query string with sig=..., no whitespace)");
      else auth = { kind: "sas", sasFile: sasFile!, sas };
    }
  } else {
    if (endpoint.startsWith("http:")) c.fail("STORAGE_AUTH", authRaw, "managed-identity needs an https endpoint");
    auth = { kind: "managed-identity", clientId: miClientId };
  }
  if (miClientId !== undefined && auth.kind !== "managed-identity" && kinds.length === 1) {
    c.fail("STORAGE_MANAGED_IDENTITY_CLIENT_ID", miClientId, "only applies to STORAGE_AUTH=managed-identity");
  }
  const topicsDir = c.str("STORAGE_TOPICS_DIR", "topics", /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "must be directory names of [A-Za-z0-9._-] separated by '/', no '.'/'..', no leading or trailing '/'");
  const pathFormat = c.raw("STORAGE_PATH_FORMAT") ?? "";
  let pathTokens: PathToken[] = [];
  if (pathFormat !== "") {
    const parsed = parsePathFormat(pathFormat);
    if ("error" in parsed) c.fail("STORAGE_PATH_FORMAT", pathFormat, parsed.error);
    else pathTokens = parsed;
  }

  // --- files ------------------------------------------------------------------
  const flushSize = c.int("FLUSH_SIZE", 1000, 1, 1000000);
  const rotateIntervalMs = c.int("ROTATE_INTERVAL_MS", 0, 0, 604800000);
  // 16 MiB: several open files (one per partition) fit the container's memory; at most 256 MiB,
  // half of V8's longest string, since a file's text is one string before the upload.
  const fileMaxBytes = c.int("FILE_MAX_BYTES", 16 * 1024 * 1024, 1024 * 1024, 256 * 1024 * 1024);
  const idleFlushMs = c.int("IDLE_FLUSH_MS", 5000, 100, 3600000);
  const openFileMaxMs = c.int("OPEN_FILE_MAX_MS", 60000, 0, 86400000);
  if (c.raw("OPEN_FILE_MAX_MS") !== undefined && openFileMaxMs > 0 && openFileMaxMs < idleFlushMs) {
    c.fail("OPEN_FILE_MAX_MS", c.raw("OPEN_FILE_MAX_MS"), `must be 0 or >= IDLE_FLUSH_MS (${idleFlushMs})`);
  }
  const dedupe = c.bool("SINK_DEDUPE", true);

  // --- lifecycle --------------------------------------------------------------
  const levelRaw = (c.raw("SINK_LOG_LEVEL") ?? "info").toLowerCase();
  let logLevel: LogLevel = "info";
  if ((LOG_LEVELS as readonly string[]).includes(levelRaw)) logLevel = levelRaw as LogLevel;
  else c.fail("SINK_LOG_LEVEL", c.raw("SINK_LOG_LEVEL"), `must be one of ${LOG_LEVELS.join("|")}`);
  const heartbeatFile = env.SINK_HEARTBEAT_FILE === undefined ? "/tmp/lake-sink/heartbeat.json" : env.SINK_HEARTBEAT_FILE.trim();
  if (heartbeatFile !== "" && !heartbeatFile.startsWith("/")) c.fail("SINK_HEARTBEAT_FILE", heartbeatFile, "must be an absolute path (or empty to disable)");
  const healthMaxAgeMs = c.int("SINK_HEALTH_MAX_AGE_MS", 60000, 5000, 3600000);
  const metricsIntervalMs = c.int("SINK_METRICS_INTERVAL_MS", 30000, 0, 3600000);
  const startupTimeoutMs = c.int("SINK_STARTUP_TIMEOUT_MS", 120000, 0, 3600000);
  const shutdownTimeoutMs = c.int("SINK_SHUTDOWN_TIMEOUT_MS", 30000, 1000, 600000);

  if (c.problems.length > 0) throw new ConfigError(c.problems);
  return {
    kafka: { brokers, topics, groupId, clientId, security, username, password, credentialsFile, ca, caFile, fromBeginning, sessionTimeoutMs, heartbeatIntervalMs },
    storage: { endpoint, account: account!, filesystem, auth, topicsDir, pathFormat, pathTokens },
    rotation: { flushSize, rotateIntervalMs, idleFlushMs, openFileMaxMs, fileMaxBytes },
    dedupe,
    logLevel,
    heartbeatFile,
    healthMaxAgeMs,
    metricsIntervalMs,
    startupTimeoutMs,
    shutdownTimeoutMs,
  };
}

/** Safe-to-log summary (no secrets). */
export function describeConfig(cfg: LakeSinkConfig): string {
  const k = cfg.kafka;
  const s = cfg.storage;
  const auth = s.auth.kind === "shared-key" ? `shared-key(${s.auth.keyFile})` : s.auth.kind === "sas" ? `sas(${s.auth.sasFile})` : `managed-identity(${s.auth.clientId ?? "system-assigned"})`;
  return [
    `kafka=${k.brokers.join(",")}`,
    `security=${k.security}${k.security === "sasl_ssl" ? `(user ${k.username}, ca ${k.caFile ?? "system"})` : ""}`,
    `group=${k.groupId}`,
    `topics=${k.topics.join(",")}`,
    `lake=${s.endpoint}/${s.filesystem}/${s.topicsDir}`,
    `auth=${auth}`,
    `path_format=${s.pathFormat || "none"}`,
    `flush_size=${cfg.rotation.flushSize}`,
    `file_max_bytes=${cfg.rotation.fileMaxBytes}`,
    `session_timeout=${k.sessionTimeoutMs}ms`,
    `heartbeat=${k.heartbeatIntervalMs}ms`,
    `rotate_interval=${cfg.rotation.rotateIntervalMs}ms`,
    `idle_flush=${cfg.rotation.idleFlushMs}ms`,
    `open_file_max=${cfg.rotation.openFileMaxMs}ms`,
    `dedupe=${cfg.dedupe}`,
  ].join(" ");
}
