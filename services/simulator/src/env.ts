/**
 * The simulator's environment contract: every variable's default and rule, once. `loadConfig`
 * reads it, `--help` prints it and the README's table is generated from it (test/readme.test.ts).
 */
import { bool, defineEnv, heartbeatPath, int, logLevel, parsed, positiveNumber, secretFile, text } from "@bridge-to-azure/service-kit";
import { APP_DB_USER } from "./contract";
import { DistributionSpec, parseSpec } from "./distribution";

const distribution = (def: string) =>
  parsed<DistributionSpec>({
    default: def,
    doc: "triangular:MIN:MODE:MAX or uniform:MIN:MAX, integers >= 1",
    parse: (v) => {
      const spec = parseSpec(v);
      if ("error" in spec) return spec;
      return spec.min < 1 ? { error: "MIN must be >= 1" } : { value: spec };
    },
  });

const RATE_VARS = "At most one of SIM_INTERVAL_MS / SIM_ORDERS_PER_SECOND / SIM_ROWS_PER_SECOND";

export const SIM_ENV = defineEnv({
  DB_HOST: text({
    default: "127.0.0.1",
    doc: "hostname or IP of the MariaDB/MySQL server",
    pattern: /^[A-Za-z0-9.\-_:\[\]]{1,253}$/,
    mismatch: "must be a hostname or IP address",
  }),
  DB_PORT: int({ default: 3306, min: 1, max: 65535 }),
  DB_NAME: text({ default: "orders", doc: "database name, [A-Za-z0-9_$]{1,64}", pattern: /^[A-Za-z0-9_$]{1,64}$/ }),
  DB_USER: text({
    default: APP_DB_USER,
    doc: `1..128 characters (images/mariadb creates MARIADB_APP_USER, default ${APP_DB_USER})`,
    pattern: /^.{1,128}$/,
    mismatch: "must be 1..128 characters",
  }),
  DB_PASSWORD_FILE: secretFile({
    required: true,
    doc: "path of a readable file holding the password (one trailing newline is stripped), e.g. /run/secrets/simulator/db-password",
    rejects: { name: "DB_PASSWORD", what: "the password" },
  }),
  DB_POOL_SIZE: int({ default: "SIM_CONCURRENCY + 1", min: 1, max: 256, note: "at least SIM_CONCURRENCY" }),
  DB_CONNECT_TIMEOUT_MS: int({ default: 10000, min: 100, max: 600000 }),
  SIM_INTERVAL_MS: int({ default: 5000, min: 0, max: 86400000, note: `time between order starts, 0 = as fast as possible. ${RATE_VARS}` }),
  SIM_ORDERS_PER_SECOND: positiveNumber({ max: 100000, note: "sets interval = 1000/value ms" }),
  SIM_ROWS_PER_SECOND: positiveNumber({ max: 1000000, note: "rows = 1 sales_orders row + SIM_LINES_PER_ORDER detail rows per order" }),
  SIM_LINES_PER_ORDER: int({ default: 5, min: 1, max: 1000, note: "<= product range size when SIM_DISTINCT_PRODUCTS=true" }),
  SIM_CONCURRENCY: int({ default: 1, min: 1, max: 64, note: "in-flight orders" }),
  SIM_CUSTOMER_DISTRIBUTION: distribution("triangular:1:15:30"),
  SIM_PRODUCT_DISTRIBUTION: distribution("triangular:1:15:30"),
  SIM_QUANTITY_DISTRIBUTION: distribution("uniform:1:10"),
  SIM_DISTINCT_PRODUCTS: bool({ default: true, note: "products within one order are distinct" }),
  SIM_SEED: int({ unset: "(random)", min: 0, max: 4294967295, note: "for a reproducible run" }),
  SIM_DC_ID: text({
    default: "dc01",
    doc: "[a-z][a-z0-9_]{0,31}; out-of-stock table is <id>_out_of_stock_events",
    pattern: /^[a-z][a-z0-9_]{0,31}$/,
    mismatch: "must match [a-z][a-z0-9_]{0,31} (it becomes part of a table name)",
  }),
  SIM_LOCAL_STOCK_EVENTS: bool({
    default: true,
    note: "a sale that takes a product below zero writes its event row in the out-of-stock table; false when the way back (the cloud's stock processor) writes them: restock of pending events stays on",
  }),
  SIM_RESTOCK_QUANTITY: int({ default: 100, min: 1, max: 1000000, note: "restock brings a product's inventory up to this" }),
  SIM_INVENTORY_RESYNC_MS: int({ default: 300000, min: 0, max: 86400000, note: "full re-sum of inventory this often (incremental reads in between), 0 = always full" }),
  SIM_MAX_ORDERS: int({ default: 0, min: 0, max: Number.MAX_SAFE_INTEGER, note: "stop (exit 0) after this many orders, 0 = unlimited" }),
  SIM_LOG_LEVEL: logLevel(),
  SIM_STARTUP_TIMEOUT_MS: int({ default: 120000, min: 0, max: 3600000, note: "how long to retry the first DB connection" }),
  SIM_RETRY_TIMEOUT_MS: int({ default: 60000, min: 0, max: 3600000, note: "how long transient DB errors may persist while running" }),
  SIM_DEADLOCK_RETRIES: int({ default: 5, min: 0, max: 100, note: "attempts per order on deadlock / lock-wait timeout" }),
  SIM_HEARTBEAT_FILE: heartbeatPath("/tmp/simulator/heartbeat.json"),
  SIM_HEALTH_MAX_AGE_MS: int({ default: "max(30000, 3 x interval)", min: 1000, max: 86400000, note: "unhealthy when no order was committed for this long; > the interval" }),
  SIM_METRICS_PORT: int({ default: 0, min: 0, max: 65535, note: "serve Prometheus /metrics on 127.0.0.1:<port> (names: service kit metric-names.ts); 0 = off" }),
  SIM_SHUTDOWN_TIMEOUT_MS: int({ default: 30000, min: 1000, max: 600000, note: "limit for finishing in-flight orders after SIGTERM/SIGINT" }),
});
