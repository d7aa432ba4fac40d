/**
 * Configuration from the environment only, by the contract in env.ts. `loadConfig` is pure apart
 * from the injected `readFile`, so it is unit-testable; every problem is reported at once, each
 * naming the variable, the value and the rule (ConfigError). Secrets (Kafka password, storage
 * key / SAS) come from files.
 */
import { Env, EnvReader, LogLevel, ReadFile, readFileUtf8 } from "@bridge-to-azure/service-kit";
import { SINK_ENV } from "./env";
import { PathToken } from "./paths";
import { RotationConfig } from "./rotation";

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
  /** Loopback port of /metrics; 0 = off. */
  metricsPort: number;
  startupTimeoutMs: number;
  shutdownTimeoutMs: number;
}

export { ConfigError, Env, ReadFile } from "@bridge-to-azure/service-kit";

const TOPIC_RE = /^[A-Za-z0-9._-]{1,249}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

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

export function loadConfig(env: Env = process.env, readFile: ReadFile = readFileUtf8): LakeSinkConfig {
  const c = new EnvReader(SINK_ENV, env, readFile);

  // --- kafka ------------------------------------------------------------------
  const brokersRaw = c.get("KAFKA_BROKERS");
  let brokers: string[] = [];
  if (brokersRaw !== undefined) {
    brokers = brokersRaw.split(",").map((s) => s.trim());
    const bad = brokers.filter((b) => !/^[A-Za-z0-9.\-_]+:\d{1,5}$/.test(b) || Number(b.split(":")[1]) < 1 || Number(b.split(":")[1]) > 65535);
    if (bad.length > 0) c.fail("KAFKA_BROKERS", brokersRaw, `every entry must be host:port with port 1..65535 (bad: ${bad.map((b) => JSON.stringify(b)).join(", ")})`);
  }
  const topicsRaw = c.get("KAFKA_TOPICS");
  let topics: string[] = [];
  if (topicsRaw !== undefined) {
    topics = topicsRaw.split(",").map((s) => s.trim());
    const bad = topics.filter((t) => !TOPIC_RE.test(t) || t === "." || t === "..");
    if (bad.length > 0) c.fail("KAFKA_TOPICS", topicsRaw, `topic names must match [A-Za-z0-9._-]{1,249} (bad: ${bad.map((t) => JSON.stringify(t)).join(", ")})`);
    else if (new Set(topics).size !== topics.length) c.fail("KAFKA_TOPICS", topicsRaw, "must not name a topic twice");
  }
  const groupId = c.get("KAFKA_GROUP_ID");
  const clientId = c.get("KAFKA_CLIENT_ID");
  const security = c.get("KAFKA_SECURITY");
  const credentialsFile = c.get("KAFKA_CREDENTIALS_FILE");
  let username = "";
  let password = "";
  let ca: string | undefined;
  const caFile = c.get("KAFKA_CA_FILE");
  if (security === "sasl_ssl") {
    const text = c.secret("KAFKA_CREDENTIALS_FILE", credentialsFile);
    if (text !== undefined) {
      const props = parseProperties(text);
      username = props.get("username") ?? "";
      password = props.get("password") ?? "";
      if (username === "") c.fail("KAFKA_CREDENTIALS_FILE", credentialsFile, "the file has no non-empty username= line");
      if (password === "") c.fail("KAFKA_CREDENTIALS_FILE", credentialsFile, "the file has no non-empty password= line");
    }
    if (caFile !== undefined) {
      ca = c.secret("KAFKA_CA_FILE", caFile);
      if (ca !== undefined && !/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(ca)) {
        c.fail("KAFKA_CA_FILE", caFile, "must contain at least one PEM certificate (-----BEGIN CERTIFICATE-----)");
        ca = undefined;
      }
    }
  }
  const fromBeginning = c.get("KAFKA_FROM_BEGINNING");
  const sessionTimeoutMs = c.get("KAFKA_SESSION_TIMEOUT_MS");
  const heartbeatIntervalMs = c.get("KAFKA_HEARTBEAT_INTERVAL_MS", { max: Math.floor(sessionTimeoutMs / 3) });

  // --- storage ----------------------------------------------------------------
  const endpointRaw = c.get("STORAGE_BLOB_ENDPOINT");
  let endpoint = "";
  let account: string | undefined;
  if (endpointRaw !== undefined) {
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
  if (c.raw("STORAGE_ACCOUNT") !== undefined) {
    account = c.get("STORAGE_ACCOUNT");
  } else if (endpoint !== "" && account === undefined) {
    c.fail("STORAGE_ACCOUNT", undefined, `is required: the account name cannot be derived from STORAGE_BLOB_ENDPOINT=${JSON.stringify(endpointRaw)}`);
  } else if (account !== undefined && !/^[a-z0-9]{3,24}$/.test(account)) {
    c.fail("STORAGE_BLOB_ENDPOINT", endpointRaw, `the account name derived from it (${JSON.stringify(account)}) must be 3..24 lower-case letters or digits`);
  }
  const filesystem = c.get("STORAGE_FILESYSTEM");
  const keyFile = c.get("STORAGE_KEY_FILE");
  const sasFile = c.get("STORAGE_SAS_FILE");
  const authSet = c.get("STORAGE_AUTH");
  const miClientId = c.get("STORAGE_MANAGED_IDENTITY_CLIENT_ID");
  let auth: StorageAuth = { kind: "managed-identity", clientId: undefined };
  const kinds = [keyFile !== undefined ? "shared-key" : "", sasFile !== undefined ? "sas" : "", authSet === "managed-identity" ? "managed-identity" : ""].filter((k) => k);
  // A STORAGE_AUTH that is none of the three was reported by get(); the credential rules need one that is.
  if (c.raw("STORAGE_AUTH") === undefined || authSet !== undefined) {
    if (kinds.length !== 1) {
      c.conflict(
        ["STORAGE_KEY_FILE", "STORAGE_SAS_FILE", "STORAGE_AUTH"],
        "configure exactly one of STORAGE_KEY_FILE (shared key), STORAGE_SAS_FILE (SAS) or STORAGE_AUTH=managed-identity",
      );
    } else if (authSet !== undefined && authSet !== kinds[0]) {
      c.fail("STORAGE_AUTH", authSet, `contradicts the configured credential (${kinds[0]})`);
    } else if (kinds[0] === "shared-key") {
      const key = c.secret("STORAGE_KEY_FILE", keyFile!)?.trim();
      if (key !== undefined) {
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) c.fail("STORAGE_KEY_FILE", keyFile, "must hold a base64 account key");
        else auth = { kind: "shared-key", keyFile: keyFile!, key };
      }
    } else if (kinds[0] === "sas") {
      const sas = c.secret("STORAGE_SAS_FILE", sasFile!)?.trim().replace(/^\?/, "");
      if (sas !== undefined) {
        if (!/(^|&)sig=/.test(sas) || /\s/.test(sas)) c.fail("STORAGE_SAS_FILE", sasFile, "must hold a SAS token (query string with sig=..., no whitespace)");
        else auth = { kind: "sas", sasFile: sasFile!, sas };
      }
    } else {
      if (endpoint.startsWith("http:")) c.fail("STORAGE_AUTH", authSet, "managed-identity needs an https endpoint");
      auth = { kind: "managed-identity", clientId: miClientId };
    }
  }
  if (miClientId !== undefined && auth.kind !== "managed-identity" && kinds.length === 1) {
    c.fail("STORAGE_MANAGED_IDENTITY_CLIENT_ID", miClientId, "only applies to STORAGE_AUTH=managed-identity");
  }
  const topicsDir = c.get("STORAGE_TOPICS_DIR");
  const { format: pathFormat, tokens: pathTokens } = c.get("STORAGE_PATH_FORMAT");

  // --- files ------------------------------------------------------------------
  const rotation: RotationConfig = c.pick({
    flushSize: "FLUSH_SIZE", rotateIntervalMs: "ROTATE_INTERVAL_MS", fileMaxBytes: "FILE_MAX_BYTES", idleFlushMs: "IDLE_FLUSH_MS", openFileMaxMs: "OPEN_FILE_MAX_MS",
  });
  if (c.raw("OPEN_FILE_MAX_MS") !== undefined && rotation.openFileMaxMs > 0 && rotation.openFileMaxMs < rotation.idleFlushMs) {
    c.fail("OPEN_FILE_MAX_MS", c.raw("OPEN_FILE_MAX_MS"), `must be 0 or >= IDLE_FLUSH_MS (${rotation.idleFlushMs})`);
  }
  const dedupe = c.get("SINK_DEDUPE");

  // --- lifecycle --------------------------------------------------------------
  const lifecycle = c.pick({
    logLevel: "SINK_LOG_LEVEL", heartbeatFile: "SINK_HEARTBEAT_FILE", healthMaxAgeMs: "SINK_HEALTH_MAX_AGE_MS", metricsIntervalMs: "SINK_METRICS_INTERVAL_MS", metricsPort: "SINK_METRICS_PORT", startupTimeoutMs: "SINK_STARTUP_TIMEOUT_MS", shutdownTimeoutMs: "SINK_SHUTDOWN_TIMEOUT_MS",
  });

  c.done();
  return {
    kafka: { brokers, topics, groupId, clientId, security, username, password, credentialsFile, ca, caFile, fromBeginning, sessionTimeoutMs, heartbeatIntervalMs },
    storage: { endpoint, account: account!, filesystem, auth, topicsDir, pathFormat, pathTokens },
    rotation,
    dedupe,
    ...lifecycle,
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
