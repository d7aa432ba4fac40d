/** The console's configuration from its environment (src/env.ts), every problem at once. */
import { Env, EnvReader, LogLevel, ReadFile, readFileUtf8 } from "@bridge-to-azure/service-kit";
import type { EntraClient, LakeLocation } from "../../../verify/sources";
import { CONSOLE_BIND } from "./contract";
import { CONSOLE_ENV } from "./env";

export interface KafkaAccess {
  readonly brokers: readonly string[];
  readonly sasl?: { readonly username: string; readonly password: string };
  readonly ca?: string;
}

export interface ConsoleConfig {
  readonly bind: string;
  readonly port: number;
  readonly credential: string;
  readonly deployment: string;
  readonly dc: string;
  readonly target: "local" | "event-hubs" | "confluent-cloud";
  readonly topics: readonly string[];
  readonly onPrem: KafkaAccess;
  readonly cloud: KafkaAccess;
  readonly sinkGroup: string;
  readonly connectUrls: readonly string[];
  readonly prometheusUrl?: string;
  /** The lake and how it is signed in to (verify/sources.ts lakeCredential: Entra ID when `entra`, else the account key). */
  readonly lake: LakeLocation;
  readonly db?: { readonly host: string; readonly port: number; readonly database: string; readonly user: string; readonly password: string };
  readonly maskedFields: readonly string[];
  readonly pbids?: string;
  readonly supervisorHistoryDir?: string;
  readonly sourceTimeoutMs: number;
  readonly probe: boolean;
  /** Records the hop probe times per hop, topic and second. */
  readonly probeSamplesPerSecond: number;
  readonly logLevel: LogLevel;
  readonly heartbeatFile: string;
  readonly shutdownTimeoutMs: number;
}

const HOST_PORT = /^[A-Za-z0-9.\-_]+:\d{1,5}$/;
const list = (v: string | undefined) => (v ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");

/** username= / password= of a properties file. */
export function parseCredentials(text: string): { username?: string; password?: string } {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(username|password)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** A URL the console may call: http(s), no user info (credentials never live in configuration). */
export function urlProblem(v: string): string | undefined {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return "must be an http(s) URL";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return "must be an http(s) URL";
  if (u.username || u.password) return "must not carry credentials";
  return undefined;
}

const ENTRA_VARS = ["CONSOLE_LAKE_TENANT_ID", "CONSOLE_LAKE_CLIENT_ID", "CONSOLE_LAKE_CLIENT_SECRET_FILE"] as const;

/** The lake reader's Entra ID client: all three variables or none, and only over https (a bearer token never travels in clear). */
function lakeEntraClient(c: EnvReader<typeof CONSOLE_ENV>, blobEndpoint: string): EntraClient | undefined {
  const set = ENTRA_VARS.filter((n) => c.get(n) !== undefined);
  if (set.length === 0) return undefined;
  for (const n of ENTRA_VARS) if (!set.includes(n)) c.fail(n, undefined, `is required with ${set.join(" and ")}: the console signs in to Entra ID with tenant, client id and secret together`);
  if (blobEndpoint && !blobEndpoint.startsWith("https://")) c.fail("CONSOLE_LAKE_BLOB_ENDPOINT", blobEndpoint, "must be https:// with an Entra ID client (CONSOLE_LAKE_CLIENT_ID): bearer tokens are never sent in clear");
  const tenantId = c.get("CONSOLE_LAKE_TENANT_ID");
  const clientId = c.get("CONSOLE_LAKE_CLIENT_ID");
  const secretFile = c.get("CONSOLE_LAKE_CLIENT_SECRET_FILE");
  const clientSecret = secretFile === undefined ? undefined : c.secret("CONSOLE_LAKE_CLIENT_SECRET_FILE", secretFile);
  return tenantId && clientId && clientSecret ? { tenantId, clientId, clientSecret } : undefined;
}

export function loadConfig(env: Env = process.env, readFile: ReadFile = readFileUtf8): ConsoleConfig {
  const c = new EnvReader(CONSOLE_ENV, env, readFile);
  const bind = c.get("CONSOLE_BIND");
  // Loopback only: the console shows the topology's data; a wider bind is refused here, not left to the deployer.
  if (bind !== CONSOLE_BIND) c.fail("CONSOLE_BIND", bind, `must be ${CONSOLE_BIND} (the console is bound to loopback only)`);
  const credentialFile = c.get("CONSOLE_CREDENTIAL_FILE");
  const credential = c.secret("CONSOLE_CREDENTIAL_FILE", credentialFile);
  if (credential !== undefined && credential.length < 16) c.fail("CONSOLE_CREDENTIAL_FILE", credentialFile, "the credential must be at least 16 characters");
  const brokers = (name: "CONSOLE_ONPREM_BROKERS" | "CONSOLE_CLOUD_BROKERS") => {
    const l = list(c.get(name));
    const bad = l.filter((b) => !HOST_PORT.test(b));
    if (bad.length) c.fail(name, c.raw(name), "must be a comma list of host:port");
    return l;
  };
  const topics = list(c.get("CONSOLE_TOPICS"));
  if (topics.some((t) => !/^[A-Za-z0-9._-]{1,249}$/.test(t))) c.fail("CONSOLE_TOPICS", c.raw("CONSOLE_TOPICS"), "must be topic names ([A-Za-z0-9._-]{1,249})");
  const credFile = c.get("CONSOLE_CLOUD_CREDENTIALS_FILE");
  const credText = credFile === undefined ? undefined : c.secret("CONSOLE_CLOUD_CREDENTIALS_FILE", credFile);
  const creds = credText === undefined ? {} : parseCredentials(credText);
  if (credText !== undefined && (!creds.username || !creds.password)) c.fail("CONSOLE_CLOUD_CREDENTIALS_FILE", credFile, "must hold username= and password= lines");
  const caFile = c.get("CONSOLE_CLOUD_CA_FILE");
  const ca = caFile === undefined ? undefined : c.secret("CONSOLE_CLOUD_CA_FILE", caFile);
  const connectUrls = list(c.get("CONSOLE_CONNECT_URLS"));
  for (const u of connectUrls) {
    const p = urlProblem(u);
    if (p) c.fail("CONSOLE_CONNECT_URLS", u, p);
  }
  const prometheusUrl = c.get("CONSOLE_PROMETHEUS_URL");
  if (prometheusUrl !== undefined) {
    const p = urlProblem(prometheusUrl);
    if (p) c.fail("CONSOLE_PROMETHEUS_URL", prometheusUrl, p);
  }
  const blobEndpoint = c.get("CONSOLE_LAKE_BLOB_ENDPOINT") ?? "";
  const bp = blobEndpoint ? urlProblem(blobEndpoint) : undefined;
  if (bp) c.fail("CONSOLE_LAKE_BLOB_ENDPOINT", blobEndpoint, bp);
  const keyFile = c.get("CONSOLE_LAKE_KEY_FILE");
  const accountKey = keyFile === undefined ? undefined : c.secret("CONSOLE_LAKE_KEY_FILE", keyFile);
  const entra = lakeEntraClient(c, blobEndpoint);
  const dbFile = c.get("CONSOLE_DB_PASSWORD_FILE");
  const dbPassword = dbFile === undefined ? undefined : c.secret("CONSOLE_DB_PASSWORD_FILE", dbFile);
  const pbids = c.get("CONSOLE_PBIDS_JSON");
  if (pbids !== undefined) {
    try {
      JSON.parse(pbids);
    } catch {
      c.fail("CONSOLE_PBIDS_JSON", "(text)", "must be JSON (the .pbids file)");
    }
  }
  const maskedFields = list(c.get("CONSOLE_MASKED_FIELDS"));
  if (maskedFields.some((f) => !/^[A-Za-z0-9_$]{1,64}$/.test(f))) c.fail("CONSOLE_MASKED_FIELDS", c.raw("CONSOLE_MASKED_FIELDS"), "must be a comma list of column names");
  const cfg: ConsoleConfig = {
    bind,
    port: c.get("CONSOLE_PORT"),
    credential: credential ?? "",
    deployment: c.get("CONSOLE_DEPLOYMENT"),
    dc: c.get("CONSOLE_DC"),
    target: c.get("CONSOLE_TARGET"),
    topics,
    onPrem: { brokers: brokers("CONSOLE_ONPREM_BROKERS") },
    cloud: { brokers: brokers("CONSOLE_CLOUD_BROKERS"), sasl: creds.username && creds.password ? { username: creds.username, password: creds.password } : undefined, ca },
    sinkGroup: c.get("CONSOLE_SINK_GROUP"),
    connectUrls,
    prometheusUrl: prometheusUrl?.replace(/\/+$/, ""),
    lake: { blobEndpoint: blobEndpoint.replace(/\/+$/, ""), account: c.get("CONSOLE_LAKE_ACCOUNT") ?? "", filesystem: c.get("CONSOLE_LAKE_FILESYSTEM"), accountKey, entra },
    db:
      dbPassword === undefined
        ? undefined
        : { host: c.get("CONSOLE_DB_HOST"), port: c.get("CONSOLE_DB_PORT"), database: c.get("CONSOLE_DB_NAME"), user: c.get("CONSOLE_DB_USER"), password: dbPassword },
    maskedFields,
    pbids,
    supervisorHistoryDir: c.get("CONSOLE_SUPERVISOR_HISTORY_DIR") || undefined,
    sourceTimeoutMs: c.get("CONSOLE_SOURCE_TIMEOUT_MS"),
    probe: c.get("CONSOLE_PROBE"),
    probeSamplesPerSecond: c.get("CONSOLE_PROBE_SAMPLES_PER_SECOND"),
    logLevel: c.get("CONSOLE_LOG_LEVEL"),
    heartbeatFile: c.get("CONSOLE_HEARTBEAT_FILE"),
    shutdownTimeoutMs: c.get("CONSOLE_SHUTDOWN_TIMEOUT_MS"),
  };
  c.done();
  return cfg;
}
