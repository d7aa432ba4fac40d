/**
 * Values of the console's contract that its deployers need too (constructs/observability/console.ts,
 * scripts/up.sh, the integration test). No imports, so synthesis loads this module alone, not the
 * service (constructs/docker/service-env.ts).
 */

/** The only address the console may bind: it serves the operator on this machine, never the network. */
export const CONSOLE_BIND = "127.0.0.1";
/** Header carrying the action credential on every state-changing request (set by the page's script). */
export const CREDENTIAL_HEADER = "x-bridge-console-credential";
/** Session cookie set after login: HttpOnly, SameSite=Strict, Path=/. */
export const SESSION_COOKIE = "bridge_console_session";
/** Docker volume directory, inside the console, of the Connect supervisor's restart history (read-only). */
export const SUPERVISOR_HISTORY_MOUNT = "/run/connect-supervisor";
/** Prometheus job name under which the console's own /metrics are scraped. */
export const CONSOLE_SCRAPE_JOB = "console";
/** The console's own user on the cloud Kafka (SASL/PLAIN, read-only use). */
export const CONSOLE_CLOUD_USER = "console";
/** Records the hop probe times per hop, topic and second; above it, a sample (src/probe.ts). */
export const DEFAULT_PROBE_SAMPLES_PER_SECOND = 20;
