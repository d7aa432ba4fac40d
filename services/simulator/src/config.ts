/**
 * Configuration from the environment only (12-factor). `loadConfig` is pure
 * apart from the injected `readFile`, so it is unit-testable; every problem is
 * reported at once, each message naming the variable, the value and the rule.
 */
import { readFileSync } from "fs";
import { DistributionSpec, formatSpec, parseSpec } from "./distribution";

export type LogLevel = "error" | "warn" | "info" | "debug";
export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

export type Env = Record<string, string | undefined>;
export type ReadFile = (path: string) => string;

/** Documented contract: name -> [default, rule]. Used for --help and the README. */
export const ENV_DOC: ReadonlyArray<[string, string, string]> = [
  ["DB_HOST", "127.0.0.1", "hostname or IP of the MariaDB/MySQL server"],
  ["DB_PORT", "3306", "integer 1..65535"],
  ["DB_NAME", "orders", "database name, [A-Za-z0-9_$]{1,64}"],
  ["DB_USER", "orders_app", "1..128 characters (images/mariadb creates MARIADB_APP_USER, default orders_app)"],
  ["DB_PASSWORD_FILE", "(required)", "path of a readable file holding the password (one trailing newline is stripped); DB_PASSWORD is rejected"],
  ["DB_POOL_SIZE", "SIM_CONCURRENCY + 1", "integer 1..256, >= SIM_CONCURRENCY"],
  ["DB_CONNECT_TIMEOUT_MS", "10000", "integer 100..600000"],
  ["SIM_INTERVAL_MS", "5000", "integer 0..86400000; 0 = as fast as possible. At most one of SIM_INTERVAL_MS / SIM_ORDERS_PER_SECOND / SIM_ROWS_PER_SECOND"],
  ["SIM_ORDERS_PER_SECOND", "-", "number > 0 and <= 100000 (sets interval = 1000/value ms)"],
  ["SIM_ROWS_PER_SECOND", "-", "number > 0 and <= 1000000; rows = 1 sales_orders row + SIM_LINES_PER_ORDER detail rows per order"],
  ["SIM_LINES_PER_ORDER", "5", "integer 1..1000 (<= product range size when SIM_DISTINCT_PRODUCTS=true)"],
  ["SIM_CONCURRENCY", "1", "integer 1..64 in-flight orders"],
  ["SIM_CUSTOMER_DISTRIBUTION", "triangular:1:15:30", "triangular:MIN:MODE:MAX or uniform:MIN:MAX, integers >= 1"],
  ["SIM_PRODUCT_DISTRIBUTION", "triangular:1:15:30", "triangular:MIN:MODE:MAX or uniform:MIN:MAX, integers >= 1"],
  ["SIM_QUANTITY_DISTRIBUTION", "uniform:1:10", "triangular:MIN:MODE:MAX or uniform:MIN:MAX, integers >= 1"],
  ["SIM_DISTINCT_PRODUCTS", "true", "true|false: products within one order are distinct"],
  ["SIM_SEED", "(random)", "integer 0..4294967295 for a reproducible run"],
  ["SIM_DC_ID", "dc01", "[a-z][a-z0-9_]{0,31}; out-of-stock table is <id>_out_of_stock_events"],
  ["SIM_RESTOCK_QUANTITY", "100", "integer 1..1000000; restock brings a product's inventory up to this"],
  ["SIM_INVENTORY_RESYNC_MS", "300000", "integer 0..86400000; full re-sum of inventory this often (incremental reads in between), 0 = always full"],
  ["SIM_MAX_ORDERS", "0", "integer >= 0; stop (exit 0) after this many orders, 0 = unlimited"],
  ["SIM_LOG_LEVEL", "info", "error|warn|info|debug"],
  ["SIM_STARTUP_TIMEOUT_MS", "120000", "integer 0..3600000; how long to retry the first DB connection"],
  ["SIM_RETRY_TIMEOUT_MS", "60000", "integer 0..3600000; how long transient DB errors may persist while running"],
  ["SIM_DEADLOCK_RETRIES", "5", "integer 0..100"],
  ["SIM_HEARTBEAT_FILE", "/tmp/simulator/heartbeat.json", "writable path, or empty to disable"],
  ["SIM_HEALTH_MAX_AGE_MS", "max(30000, 3 x interval)", "integer 1000..86400000"],
  ["SIM_SHUTDOWN_TIMEOUT_MS", "30000", "integer 1000..600000"],
];

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
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
      this.fail(name, v, `must be an integer between ${min} and ${max}`);
      return def;
    }
    const n = Number(v);
    if (n < min || n > max) {
      this.fail(name, v, `must be an integer between ${min} and ${max}`);
      return def;
    }
    return n;
  }

  /** Positive decimal number in (0, max]. */
  rate(name: string, max: number): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0) || n > max) {
      this.fail(name, v, `must be a number greater than 0 and at most ${max}`);
      return undefined;
    }
    return n;
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

  dist(name: string, def: string): DistributionSpec {
    const v = this.raw(name) ?? def;
    const parsed = parseSpec(v);
    if ("error" in parsed) {
      this.fail(name, v, parsed.error);
      return parseSpec(def) as DistributionSpec;
    }
    if (parsed.min < 1) {
      this.fail(name, v, "MIN must be >= 1");
    }
    return parsed;
  }
}

const defaultReadFile: ReadFile = (p) => readFileSync(p, "utf8");

export function loadConfig(env: Env = process.env, readFile: ReadFile = defaultReadFile): SimulatorConfig {
  const c = new Collector(env);

  // --- database -------------------------------------------------------------
  const host = c.str("DB_HOST", "127.0.0.1", /^[A-Za-z0-9.\-_:\[\]]{1,253}$/, "must be a hostname or IP address");
  const port = c.int("DB_PORT", 3306, 1, 65535);
  const database = c.str("DB_NAME", "orders", /^[A-Za-z0-9_$]{1,64}$/, "must match [A-Za-z0-9_$]{1,64}");
  const user = c.str("DB_USER", "orders_app", /^.{1,128}$/, "must be 1..128 characters");
  if (env.DB_PASSWORD !== undefined) {
    c.problems.push(
      "DB_PASSWORD is set: the password must not be passed in the environment; put it in a file and set DB_PASSWORD_FILE to its path",
    );
  }
  const passwordFile = c.raw("DB_PASSWORD_FILE");
  let password = "";
  if (passwordFile === undefined) {
    c.fail("DB_PASSWORD_FILE", undefined, "is required: path of a file holding the database password (e.g. /run/secrets/simulator/db-password)");
  } else {
    try {
      password = readFile(passwordFile).replace(/\r?\n$/, "");
      if (password === "") c.fail("DB_PASSWORD_FILE", passwordFile, "the file is empty");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      c.fail("DB_PASSWORD_FILE", passwordFile, `must name a readable file (${code})`);
    }
  }
  const connectTimeoutMs = c.int("DB_CONNECT_TIMEOUT_MS", 10000, 100, 600000);

  // --- rate -----------------------------------------------------------------
  const linesPerOrder = c.int("SIM_LINES_PER_ORDER", 5, 1, 1000);
  const rateVars = ["SIM_INTERVAL_MS", "SIM_ORDERS_PER_SECOND", "SIM_ROWS_PER_SECOND"].filter((n) => c.raw(n) !== undefined);
  let intervalMs = 5000;
  let rateSource = "default SIM_INTERVAL_MS=5000";
  if (rateVars.length > 1) {
    c.problems.push(`${rateVars.map((n) => `${n}=${JSON.stringify(c.raw(n))}`).join(", ")}: set at most one of SIM_INTERVAL_MS, SIM_ORDERS_PER_SECOND, SIM_ROWS_PER_SECOND`);
  } else if (rateVars[0] === "SIM_INTERVAL_MS") {
    intervalMs = c.int("SIM_INTERVAL_MS", 5000, 0, 86400000);
    rateSource = `SIM_INTERVAL_MS=${intervalMs}`;
  } else if (rateVars[0] === "SIM_ORDERS_PER_SECOND") {
    const r = c.rate("SIM_ORDERS_PER_SECOND", 100000);
    if (r !== undefined) {
      intervalMs = 1000 / r;
      rateSource = `SIM_ORDERS_PER_SECOND=${r}`;
    }
  } else if (rateVars[0] === "SIM_ROWS_PER_SECOND") {
    const r = c.rate("SIM_ROWS_PER_SECOND", 1000000);
    if (r !== undefined) {
      intervalMs = (1000 * (1 + linesPerOrder)) / r;
      rateSource = `SIM_ROWS_PER_SECOND=${r} (${1 + linesPerOrder} rows/order)`;
    }
  }
  const concurrency = c.int("SIM_CONCURRENCY", 1, 1, 64);
  const poolSize = c.int("DB_POOL_SIZE", concurrency + 1, 1, 256);
  if (c.raw("DB_POOL_SIZE") !== undefined && poolSize < concurrency) {
    c.fail("DB_POOL_SIZE", c.raw("DB_POOL_SIZE"), `must be >= SIM_CONCURRENCY (${concurrency})`);
  }

  // --- order shape ----------------------------------------------------------
  const customerDistribution = c.dist("SIM_CUSTOMER_DISTRIBUTION", "triangular:1:15:30");
  const productDistribution = c.dist("SIM_PRODUCT_DISTRIBUTION", "triangular:1:15:30");
  const quantityDistribution = c.dist("SIM_QUANTITY_DISTRIBUTION", "uniform:1:10");
  const distinctProducts = c.bool("SIM_DISTINCT_PRODUCTS", true);
  const productRange = productDistribution.max - productDistribution.min + 1;
  if (distinctProducts && linesPerOrder > productRange) {
    c.fail(
      "SIM_LINES_PER_ORDER",
      String(linesPerOrder),
      `must be <= ${productRange} (the size of SIM_PRODUCT_DISTRIBUTION=${formatSpec(productDistribution)}) while SIM_DISTINCT_PRODUCTS=true`,
    );
  }
  const seedRaw = c.raw("SIM_SEED");
  const seed = seedRaw === undefined ? undefined : c.int("SIM_SEED", 0, 0, 4294967295);

  // --- inventory ------------------------------------------------------------
  const dcId = c.str("SIM_DC_ID", "dc01", /^[a-z][a-z0-9_]{0,31}$/, "must match [a-z][a-z0-9_]{0,31} (it becomes part of a table name)");
  const restockQuantity = c.int("SIM_RESTOCK_QUANTITY", 100, 1, 1000000);
  const inventoryResyncMs = c.int("SIM_INVENTORY_RESYNC_MS", 300000, 0, 86400000);

  // --- lifecycle ------------------------------------------------------------
  const maxOrders = c.int("SIM_MAX_ORDERS", 0, 0, Number.MAX_SAFE_INTEGER);
  const logLevelRaw = (c.raw("SIM_LOG_LEVEL") ?? "info").toLowerCase();
  let logLevel: LogLevel = "info";
  if ((LOG_LEVELS as readonly string[]).includes(logLevelRaw)) logLevel = logLevelRaw as LogLevel;
  else c.fail("SIM_LOG_LEVEL", c.raw("SIM_LOG_LEVEL"), `must be one of ${LOG_LEVELS.join("|")}`);
  const startupTimeoutMs = c.int("SIM_STARTUP_TIMEOUT_MS", 120000, 0, 3600000);
  const retryTimeoutMs = c.int("SIM_RETRY_TIMEOUT_MS", 60000, 0, 3600000);
  const deadlockRetries = c.int("SIM_DEADLOCK_RETRIES", 5, 0, 100);
  const heartbeatFile = env.SIM_HEARTBEAT_FILE === undefined ? "/tmp/simulator/heartbeat.json" : env.SIM_HEARTBEAT_FILE.trim();
  if (heartbeatFile !== "" && !heartbeatFile.startsWith("/")) {
    c.fail("SIM_HEARTBEAT_FILE", heartbeatFile, "must be an absolute path (or empty to disable)");
  }
  const healthMaxAgeMs = c.int("SIM_HEALTH_MAX_AGE_MS", Math.max(30000, Math.ceil(3 * intervalMs)), 1000, 86400000);
  if (c.raw("SIM_HEALTH_MAX_AGE_MS") !== undefined && healthMaxAgeMs <= intervalMs) {
    c.fail("SIM_HEALTH_MAX_AGE_MS", c.raw("SIM_HEALTH_MAX_AGE_MS"), `must be greater than the order interval (${intervalMs} ms)`);
  }
  const shutdownTimeoutMs = c.int("SIM_SHUTDOWN_TIMEOUT_MS", 30000, 1000, 600000);

  if (c.problems.length > 0) throw new ConfigError(c.problems);
  return {
    db: { host, port, database, user, password, passwordFile: passwordFile!, poolSize, connectTimeoutMs },
    intervalMs,
    rateSource,
    linesPerOrder,
    concurrency,
    customerDistribution,
    productDistribution,
    quantityDistribution,
    distinctProducts,
    seed,
    dcId,
    outOfStockTable: `${dcId}_out_of_stock_events`,
    restockQuantity,
    inventoryResyncMs,
    maxOrders,
    logLevel,
    startupTimeoutMs,
    retryTimeoutMs,
    deadlockRetries,
    heartbeatFile,
    healthMaxAgeMs,
    shutdownTimeoutMs,
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
    `oos_table=${cfg.outOfStockTable}`,
    `restock_to=${cfg.restockQuantity}`,
    `inventory_resync=${cfg.inventoryResyncMs}ms`,
    `max_orders=${cfg.maxOrders || "unlimited"}`,
    `heartbeat=${cfg.heartbeatFile || "disabled"}`,
  ].join(" ");
}
