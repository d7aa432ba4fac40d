/**
 * Configuration from the environment only (12-factor), by the contract in env.ts. `loadConfig` is
 * pure apart from the injected `readFile`, so it is unit-testable; every problem is reported at
 * once, each naming the variable, the value and the rule (ConfigError).
 */
import { Env, EnvReader, LogLevel, ReadFile, readFileUtf8 } from "@bridge-to-azure/service-kit";
import { DistributionSpec, formatSpec } from "./distribution";
import { SIM_ENV } from "./env";

export interface DbConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  /** Read from the file named by DB_PASSWORD_FILE; never taken from the env directly. */
  password: string;
  passwordFile: string;
  poolSize: number;
  connectTimeoutMs: number;
}

export interface SimulatorConfig {
  db: DbConfig;
  /** Time between order starts in ms; 0 = as fast as possible. */
  intervalMs: number;
  /** How the rate was specified, for logs. */
  rateSource: string;
  linesPerOrder: number;
  /** Concurrent in-flight orders (each on its own pooled connection). */
  concurrency: number;
  customerDistribution: DistributionSpec;
  productDistribution: DistributionSpec;
  quantityDistribution: DistributionSpec;
  /** Draw distinct products within one order (weighted without replacement). */
  distinctProducts: boolean;
  /** Seed for the PRNG; undefined = random. */
  seed: number | undefined;
  dcId: string;
  /** Name of the out-of-stock events table: `${dcId}_out_of_stock_events`. */
  outOfStockTable: string;
  /** A sale below zero writes its event row (SIM_LOCAL_STOCK_EVENTS); false: the way back writes them, restock stays. */
  localStockEvents: boolean;
  /** Full re-read of inventory sums this often (incremental in between); 0 = always full. */
  inventoryResyncMs: number;
  /** Restock raises inventory of an out-of-stock product up to this many units. */
  restockQuantity: number;
  /** Stop after this many committed orders; 0 = run until signalled. */
  maxOrders: number;
  logLevel: LogLevel;
  /** How long to keep retrying the first DB connection. */
  startupTimeoutMs: number;
  /** How long transient DB errors may persist while running before giving up. */
  retryTimeoutMs: number;
  /** Attempts per order on deadlock / lock-wait timeout. */
  deadlockRetries: number;
  /** Heartbeat file path; "" disables it. */
  heartbeatFile: string;
  /** A heartbeat older than this is unhealthy. */
  healthMaxAgeMs: number;
  /** Hard limit for finishing in-flight work after SIGTERM/SIGINT. */
  shutdownTimeoutMs: number;
  /** Loopback port of /metrics; 0 = off. */
  metricsPort: number;
}

export { ConfigError, Env, ReadFile } from "@bridge-to-azure/service-kit";

export function loadConfig(env: Env = process.env, readFile: ReadFile = readFileUtf8): SimulatorConfig {
  const c = new EnvReader(SIM_ENV, env, readFile);

  // --- database -------------------------------------------------------------
  const db = c.pick({ host: "DB_HOST", port: "DB_PORT", database: "DB_NAME", user: "DB_USER", passwordFile: "DB_PASSWORD_FILE", connectTimeoutMs: "DB_CONNECT_TIMEOUT_MS" });
  const password = db.passwordFile === undefined ? undefined : c.secret("DB_PASSWORD_FILE", db.passwordFile);

  // --- rate -----------------------------------------------------------------
  const linesPerOrder = c.get("SIM_LINES_PER_ORDER");
  const rateVars = (["SIM_INTERVAL_MS", "SIM_ORDERS_PER_SECOND", "SIM_ROWS_PER_SECOND"] as const).filter((n) => c.raw(n) !== undefined);
  let intervalMs = SIM_ENV.SIM_INTERVAL_MS.default;
  let rateSource = `default SIM_INTERVAL_MS=${intervalMs}`;
  if (rateVars.length > 1) {
    c.conflict(rateVars, "set at most one of SIM_INTERVAL_MS, SIM_ORDERS_PER_SECOND, SIM_ROWS_PER_SECOND");
  } else if (rateVars[0] === "SIM_INTERVAL_MS") {
    intervalMs = c.get("SIM_INTERVAL_MS");
    rateSource = `SIM_INTERVAL_MS=${intervalMs}`;
  } else if (rateVars[0] === "SIM_ORDERS_PER_SECOND") {
    const r = c.get("SIM_ORDERS_PER_SECOND");
    if (r !== undefined) {
      intervalMs = 1000 / r;
      rateSource = `SIM_ORDERS_PER_SECOND=${r}`;
    }
  } else if (rateVars[0] === "SIM_ROWS_PER_SECOND") {
    const r = c.get("SIM_ROWS_PER_SECOND");
    if (r !== undefined) {
      intervalMs = (1000 * (1 + linesPerOrder)) / r;
      rateSource = `SIM_ROWS_PER_SECOND=${r} (${1 + linesPerOrder} rows/order)`;
    }
  }
  const concurrency = c.get("SIM_CONCURRENCY");
  const poolSize = c.get("DB_POOL_SIZE", { default: concurrency + 1 });
  if (c.raw("DB_POOL_SIZE") !== undefined && poolSize < concurrency) {
    c.fail("DB_POOL_SIZE", c.raw("DB_POOL_SIZE"), `must be >= SIM_CONCURRENCY (${concurrency})`);
  }

  // --- order shape ----------------------------------------------------------
  const customerDistribution = c.get("SIM_CUSTOMER_DISTRIBUTION");
  const productDistribution = c.get("SIM_PRODUCT_DISTRIBUTION");
  const quantityDistribution = c.get("SIM_QUANTITY_DISTRIBUTION");
  const distinctProducts = c.get("SIM_DISTINCT_PRODUCTS");
  const productRange = productDistribution.max - productDistribution.min + 1;
  if (distinctProducts && linesPerOrder > productRange) {
    c.fail(
      "SIM_LINES_PER_ORDER",
      String(linesPerOrder),
      `must be <= ${productRange} (the size of SIM_PRODUCT_DISTRIBUTION=${formatSpec(productDistribution)}) while SIM_DISTINCT_PRODUCTS=true`,
    );
  }

  // --- inventory, lifecycle -------------------------------------------------
  const plain = c.pick({ seed: "SIM_SEED", dcId: "SIM_DC_ID", localStockEvents: "SIM_LOCAL_STOCK_EVENTS", restockQuantity: "SIM_RESTOCK_QUANTITY", inventoryResyncMs: "SIM_INVENTORY_RESYNC_MS", maxOrders: "SIM_MAX_ORDERS" });
  const lifecycle = c.pick({
    logLevel: "SIM_LOG_LEVEL", startupTimeoutMs: "SIM_STARTUP_TIMEOUT_MS", retryTimeoutMs: "SIM_RETRY_TIMEOUT_MS", deadlockRetries: "SIM_DEADLOCK_RETRIES", heartbeatFile: "SIM_HEARTBEAT_FILE", shutdownTimeoutMs: "SIM_SHUTDOWN_TIMEOUT_MS",
    metricsPort: "SIM_METRICS_PORT",
  });
  const healthMaxAgeMs = c.get("SIM_HEALTH_MAX_AGE_MS", { default: Math.max(30000, Math.ceil(3 * intervalMs)) });
  if (c.raw("SIM_HEALTH_MAX_AGE_MS") !== undefined && healthMaxAgeMs <= intervalMs) {
    c.fail("SIM_HEALTH_MAX_AGE_MS", c.raw("SIM_HEALTH_MAX_AGE_MS"), `must be greater than the order interval (${intervalMs} ms)`);
  }

  c.done();
  return {
    db: { ...db, password: password!, passwordFile: db.passwordFile!, poolSize },
    intervalMs, rateSource, linesPerOrder, concurrency, customerDistribution, productDistribution, quantityDistribution, distinctProducts,
    ...plain,
    outOfStockTable: `${plain.dcId}_out_of_stock_events`,
    ...lifecycle,
    healthMaxAgeMs,
  };
}

/** Config as safe-to-log key/values (no password). */
export function describeConfig(cfg: SimulatorConfig): string {
  return [
    `db=${cfg.db.user}@${cfg.db.host}:${cfg.db.port}/${cfg.db.database}`,
    `pool=${cfg.db.poolSize}`,
    `rate=${cfg.rateSource} (interval ${cfg.intervalMs.toFixed(3)} ms)`,
    `lines=${cfg.linesPerOrder}`,
    `concurrency=${cfg.concurrency}`,
    `customers=${formatSpec(cfg.customerDistribution)}`,
    `products=${formatSpec(cfg.productDistribution)}${cfg.distinctProducts ? " distinct" : ""}`,
    `quantity=${formatSpec(cfg.quantityDistribution)}`,
    `seed=${cfg.seed ?? "random"}`,
    `oos_table=${cfg.outOfStockTable}${cfg.localStockEvents ? "" : " (no local events)"}`,
    `restock_to=${cfg.restockQuantity}`,
    `inventory_resync=${cfg.inventoryResyncMs}ms`,
    `max_orders=${cfg.maxOrders || "unlimited"}`,
    `heartbeat=${cfg.heartbeatFile || "disabled"}`,
  ].join(" ");
}
