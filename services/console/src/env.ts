/**
 * The console's environment contract: every variable's default and rule, once. `loadConfig` reads
 * it, `--help` prints it and the README's table is generated from it (test/readme.test.ts). Secrets
 * (action credential, Kafka password, storage key, lake client secret, database password) only from files.
 */
import { bool, defineEnv, heartbeatPath, int, logLevel, oneOf, secretFile, text } from "@bridge-to-azure/service-kit";
import { ENTRA_ID } from "../../../verify/entra-id";
import { CONSOLE_BIND, DEFAULT_PROBE_SAMPLES_PER_SECOND, SUPERVISOR_HISTORY_MOUNT } from "./contract";

const URL_DOC = "http(s)://host:port, no credentials in it";

export const CONSOLE_ENV = defineEnv({
  CONSOLE_BIND: text({ default: CONSOLE_BIND, doc: `must be ${CONSOLE_BIND}: the console never listens on another address` }),
  CONSOLE_PORT: int({ default: 18888, min: 1024, max: 65535 }),
  CONSOLE_CREDENTIAL_FILE: secretFile({
    default: "/run/secrets/console/credential",
    doc: "file holding the per-deployment action credential (restart a connector, run verify)",
    rejects: { name: "CONSOLE_CREDENTIAL", what: "the action credential" },
  }),
  CONSOLE_DEPLOYMENT: text({ default: "bridge-dev", doc: "deployment name shown in the title" }),
  CONSOLE_DC: text({ default: "dc01", doc: "data-centre id, prefix of the CDC topics", pattern: /^[a-z][a-z0-9_]{0,31}$/ }),
  CONSOLE_TOPICS: text({ required: true, doc: "comma list of the replicated topics (probed on both clusters)" }),
  CONSOLE_ONPREM_BROKERS: text({ required: true, doc: "comma list of host:port of the on-prem Kafka (PLAINTEXT)" }),
  CONSOLE_CLOUD_BROKERS: text({ required: true, doc: "comma list of host:port of the cloud Kafka (SASL_SSL, PLAIN)" }),
  CONSOLE_CLOUD_CREDENTIALS_FILE: secretFile({
    unset: "(no SASL user: the cloud Kafka shows red)",
    doc: "properties file with username= and password= lines for the cloud Kafka",
    rejects: { name: "CONSOLE_CLOUD_PASSWORD", what: "the password", put: "username= and password= lines" },
  }),
  CONSOLE_CLOUD_CA_FILE: secretFile({ unset: "(system CAs)", doc: "PEM file with the CA certificate(s) of the cloud brokers" }),
  CONSOLE_SINK_GROUP: text({ default: "lake-sink", doc: "consumer group of the sink on the cloud Kafka (its lag is the sink's)" }),
  CONSOLE_CONNECT_URLS: text({ required: true, doc: `comma list of the Connect workers' REST URLs (${URL_DOC})` }),
  CONSOLE_PROMETHEUS_URL: text({ unset: "(none: history pages degraded)", doc: `Prometheus HTTP API base (${URL_DOC})` }),
  CONSOLE_LAKE_BLOB_ENDPOINT: text({ required: true, doc: "blob endpoint of the lake account (path-style for Azurite)" }),
  CONSOLE_LAKE_ACCOUNT: text({ required: true, doc: "storage account name", pattern: /^[a-z0-9]{3,24}$/ }),
  CONSOLE_LAKE_FILESYSTEM: text({ default: "orders", doc: "filesystem (container) of the landed files" }),
  CONSOLE_LAKE_KEY_FILE: secretFile({ unset: "(lake not readable)", doc: "file holding the account key of the lake", rejects: { name: "CONSOLE_LAKE_KEY", what: "the account key" } }),
  // An Azure lake without shared keys: the console signs in to Entra ID as an app registration (all three, or none).
  CONSOLE_LAKE_TENANT_ID: text({ unset: "(no Entra ID: the account key)", doc: "Entra ID tenant of the lake reader", pattern: ENTRA_ID, mismatch: "must be a tenant id (UUID)" }),
  CONSOLE_LAKE_CLIENT_ID: text({ unset: "(no Entra ID: the account key)", doc: "application (client) id the console reads the lake as (Storage Blob Data Reader)", pattern: ENTRA_ID, mismatch: "must be an application (client) id (UUID)" }),
  CONSOLE_LAKE_CLIENT_SECRET_FILE: secretFile({
    unset: "(no Entra ID: the account key)",
    doc: "file holding that client's secret (used instead of the account key; the endpoint must be https)",
    rejects: { name: "CONSOLE_LAKE_CLIENT_SECRET", what: "the client secret" },
  }),
  CONSOLE_DB_HOST: text({ default: "127.0.0.1", doc: "orders database host (verify reads the tables)" }),
  CONSOLE_DB_PORT: int({ default: 3306, min: 1, max: 65535 }),
  CONSOLE_DB_NAME: text({ default: "orders", doc: "database name", pattern: /^[A-Za-z0-9_$]{1,64}$/ }),
  CONSOLE_DB_USER: text({ default: "orders_app", doc: "database user verify reads as" }),
  CONSOLE_DB_PASSWORD_FILE: secretFile({ unset: "(verify unavailable)", doc: "file holding that user's password", rejects: { name: "CONSOLE_DB_PASSWORD", what: "the password" } }),
  CONSOLE_MASKED_FIELDS: text({ default: "", unset: "(none)", doc: "comma list of column names whose values the message browser masks (also inside before/after)" }),
  CONSOLE_PBIDS_JSON: text({ unset: "(none)", doc: "the deployment's Power BI data source file (JSON text; not a secret)" }),
  CONSOLE_SUPERVISOR_HISTORY_DIR: text({ unset: "(none: no restart history)", doc: `directory of the Connect supervisors' restart history (*.jsonl; the construct mounts it at ${SUPERVISOR_HISTORY_MOUNT})` }),
  CONSOLE_TARGET: oneOf(["local", "event-hubs", "confluent-cloud"], { default: "local" }),
  CONSOLE_SOURCE_TIMEOUT_MS: int({ default: 4000, min: 200, max: 60000, note: "each data source's timeout" }),
  CONSOLE_PROBE: bool({ default: true, note: "run the hop probe (consumers at the end of each replicated topic on both clusters)" }),
  CONSOLE_PROBE_SAMPLES_PER_SECOND: int({ default: DEFAULT_PROBE_SAMPLES_PER_SECOND, min: 1, max: 1000000, note: "records the hop probe times per hop, topic and second (every one below that rate; above it a sample, the counts stay exact)" }),
  CONSOLE_LOG_LEVEL: logLevel(),
  CONSOLE_HEARTBEAT_FILE: heartbeatPath("/tmp/console/heartbeat.json"),
  CONSOLE_SHUTDOWN_TIMEOUT_MS: int({ default: 10000, min: 1000, max: 600000 }),
});
