/**
 * The simulator engine: startup (connect with bounded retry, schema check,
 * recover pending out-of-stock events), one-order unit of work with retries,
 * a fixed-rate dispatcher with bounded concurrency, and graceful stop.
 *
 * In-process API for tests and benchmarks: `commitOrders()`.
 */
import { FatalError, Logger, silentLogger } from "@bridge-to-azure/service-kit";
import type { Pool } from "mysql2/promise";
import { Env, loadConfig, SimulatorConfig } from "./config";
import * as db from "./db";
import { Discrete, Rng, seededRng } from "./distribution";
import { DataError, formatKey, RowKey } from "./errors";
import { HeartbeatProblem, HeartbeatWriter } from "./health";
import { dataRetryDelay, Quarantine } from "./quarantine";
import { InventoryCache } from "./inventory";
import { Distributions, OrderPlan, planOrder, SkippedProduct } from "./planning";
import { decide, defaultMaxLag, ScheduleState } from "./scheduler";

export interface RestockRecord {
  purchaseOrderIds: number[];
  products: number[];
  eventsCleared: number;
  committedAtMs: number;
}

/** One committed sales order. Times are epoch milliseconds with sub-ms precision (host clock). */
export interface CommitRecord {
  salesOrderId: number;
  customerId: number;
  lines: number;
  /** sales_orders + sales_order_details rows written (1 + lines). */
  rows: number;
  /** Out-of-stock events recorded in the same transaction. */
  outOfStockEvents: number;
  /** Just before BEGIN of the successful attempt. */
  startedAtMs: number;
  /** When the server acknowledged COMMIT. Use this for commit -> consumer latency. */
  committedAtMs: number;
  attempts: number;
  /** Set when this order triggered a restock transaction (committed after the order). */
  restock?: RestockRecord;
}

/** Why an order attempt failed, as the simulator's error metric counts it. */
export type SimulatorErrorKind = "deadlock" | "transient" | "data" | "fatal";

/**
 * What the simulator reports as it goes (its /metrics: metrics.ts); every call is synchronous and
 * must not throw. The simulator itself stays free of any metrics library.
 */
export interface SimulatorObserver {
  /** A committed order (rows per table: `rowsByTable`). */
  committed(rec: CommitRecord, rowsByTable: Readonly<Record<string, number>>): void;
  /** A failed attempt. */
  error(kind: SimulatorErrorKind): void;
}

const NO_OBSERVER: SimulatorObserver = { committed: () => undefined, error: () => undefined };

/** Rows a committed order wrote, per table: the order, its lines, its out-of-stock events, its restock. */
export function rowsByTable(rec: CommitRecord, outOfStockTable: string): Record<string, number> {
  const rows: Record<string, number> = { sales_orders: 1, sales_order_details: rec.lines };
  if (rec.outOfStockEvents > 0) rows[outOfStockTable] = rec.outOfStockEvents;
  if (rec.restock && rec.restock.purchaseOrderIds.length > 0) {
    rows.purchase_orders = rec.restock.purchaseOrderIds.length;
    rows.purchase_order_details = rec.restock.products.length;
  }
  return rows;
}

export interface RunSummary {
  orders: number;
  rows: number;
  outOfStockEvents: number;
  purchaseOrders: number;
  skippedTicks: number;
  startedAtMs: number;
  finishedAtMs: number;
  elapsedMs: number;
  ordersPerSecond: number;
  rowsPerSecond: number;
  /** Only filled when run with `collect: true` (commitOrders does). */
  commits: CommitRecord[];
  stoppedBySignal: boolean;
}

export interface RunOptions {
  /** Stop after this many committed orders (0/undefined = until stop()). */
  count?: number;
  /** Override the configured interval (0 = as fast as possible). */
  intervalMs?: number;
  concurrency?: number;
  collect?: boolean;
  onCommit?: (r: CommitRecord) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An order whose rows turned out unusable is drawn again (without them) at most this often before its slot is given up. */
export const MAX_DATA_REDRAWS = 3;
/** Pause after an order failed on data nobody could be blamed for: 1 s, doubling, at most 60 s (bounded rate, never a tight loop). */
export const UNATTRIBUTED_PAUSE_BASE_MS = 1_000;
export const UNATTRIBUTED_PAUSE_MAX_MS = 60_000;

export class Simulator {
  readonly cfg: SimulatorConfig;
  private readonly log: Logger;
  private readonly rng: Rng;
  private readonly dists: Distributions;
  private pool: Pool | undefined;
  private schema: db.SchemaInfo | undefined;
  private readonly heartbeat: HeartbeatWriter;
  private readonly inventory: InventoryCache;
  private stopping = false;
  private readonly sleepers = new Set<() => void>();
  /** First moment of the current run of transient failures (0 = healthy). */
  private failingSince = 0;
  /** Rows skipped because of their data, with their retry time. */
  readonly quarantine = new Quarantine();
  /** Data errors since start (each failed attempt once). */
  private dataErrors = 0;
  /** The last order failed on data that could not be attributed to a row (cleared by the next commit). */
  private unattributed: HeartbeatProblem | undefined;
  private unattributedFailures = 0;

  private readonly observer: SimulatorObserver;

  constructor(cfg: SimulatorConfig, log: Logger = silentLogger, opts: { pool?: Pool; heartbeat?: boolean; observer?: SimulatorObserver } = {}) {
    this.observer = opts.observer ?? NO_OBSERVER;
    this.cfg = cfg;
    this.log = log;
    this.pool = opts.pool;
    this.rng = seededRng(cfg.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.dists = {
      customer: new Discrete(cfg.customerDistribution),
      product: new Discrete(cfg.productDistribution),
      quantity: new Discrete(cfg.quantityDistribution),
    };
    this.inventory = new InventoryCache(cfg.inventoryResyncMs);
    this.heartbeat = new HeartbeatWriter(opts.heartbeat === false ? "" : cfg.heartbeatFile, cfg.healthMaxAgeMs, (e) =>
      this.log.warn(`cannot write heartbeat ${cfg.heartbeatFile}: ${e.message}`),
    );
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /**
   * Connect and verify the schema, retrying with exponential backoff (0.5 s .. 10 s)
   * for up to SIM_STARTUP_TIMEOUT_MS. Throws FatalError when the time is up.
   */
  async start(): Promise<void> {
    this.heartbeat.start();
    const deadline = Date.now() + this.cfg.startupTimeoutMs;
    let delay = 500;
    let missing: RowKey[] = [];
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) throw new FatalError("stopped while connecting");
      try {
        this.pool ??= db.openPool(this.cfg.db);
        await this.pool.query("SELECT 1");
        this.schema = await db.inspectSchema(this.pool, this.cfg.db.database, this.cfg.outOfStockTable);
        const problems: string[] = [];
        const mc = await db.missingIds(this.pool, "customers", this.cfg.customerDistribution.min, this.cfg.customerDistribution.max);
        const mp = await db.missingIds(this.pool, "products", this.cfg.productDistribution.min, this.cfg.productDistribution.max);
        // None at all: the database may still be loading its seed (or the range is wrong) — keep
        // waiting. Some missing: those rows were deleted; skip them (data), do not refuse to run.
        if (mc.length === this.dists.customer.size) problems.push(`customers ${summarise(mc)} do not exist (SIM_CUSTOMER_DISTRIBUTION range)`);
        if (mp.length === this.dists.product.size) problems.push(`products ${summarise(mp)} do not exist (SIM_PRODUCT_DISTRIBUTION range)`);
        if (problems.length) throw new Error(problems.join("; "));
        missing = [...mc.map((id) => ({ table: "customers", id })), ...mp.map((id) => ({ table: "products", id }))];
        break;
      } catch (e) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new FatalError(`database not usable after ${attempt} attempt(s) in ${this.cfg.startupTimeoutMs} ms (SIM_STARTUP_TIMEOUT_MS): ${db.describeError(e)}`);
        }
        this.log.warn(`database not ready (attempt ${attempt}): ${db.describeError(e)}; retrying in ${Math.min(delay, left)} ms`);
        await this.interruptibleSleep(Math.min(delay, left));
        delay = Math.min(delay * 2, 10000);
      }
    }
    this.log.info(`connected to ${this.cfg.db.host}:${this.cfg.db.port}/${this.cfg.db.database}`);
    for (const k of missing) this.skipRow(k, "sale", "the row does not exist (in the configured distribution range)");
    await this.restockPending("startup");
    this.heartbeat.ready();
  }

  /** Ask the run loop to stop: no new orders are started; in-flight ones finish. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.heartbeat.stopping();
    for (const wake of [...this.sleepers]) wake();
  }

  /** Close the pool (after run() returned). */
  async close(): Promise<void> {
    this.heartbeat.close();
    const p = this.pool;
    this.pool = undefined;
    if (p) await p.end();
  }

  /** Forget a caller-owned pool without closing it. */
  detach(): void {
    this.heartbeat.close();
    this.pool = undefined;
  }

  /** Destroy without waiting (shutdown timeout): open transactions are rolled back by the server. */
  destroy(): void {
    this.heartbeat.close();
    const p = this.pool as unknown as { pool?: { _allConnections?: { toArray(): Array<{ destroy(): void }> } } } | undefined;
    try {
      p?.pool?._allConnections?.toArray().forEach((c) => c.destroy());
    } catch {
      /* best effort */
    }
  }

  /** A new order plan without the customers / products currently skipped; undefined if none is left. */
  plan(): OrderPlan | undefined {
    return planOrder(this.rng, this.dists, this.cfg.linesPerOrder, this.cfg.distinctProducts, {
      customers: this.quarantine.blockedIds("customers"),
      products: this.quarantine.blockedIds("products"),
    });
  }

  /** Data problems now listed (what the heartbeat says), for tests. */
  problems(): HeartbeatProblem[] {
    return [...this.quarantine.problems(), ...(this.unattributed ? [this.unattributed] : [])];
  }

  /**
   * Create one sales order in one transaction (retrying deadlocks and, within
   * SIM_RETRY_TIMEOUT_MS, connection failures), then restock if it recorded
   * out-of-stock events. Returns null if abandoned because of stop() (nothing written).
   */
  async createOrder(first?: OrderPlan): Promise<CommitRecord | null> {
    const pool = this.requirePool();
    let attempts = 0;
    let deadlocks = 0;
    let backoff = 200;
    let redraws = 0;
    let plan = first ?? this.plan();
    for (;;) {
      if (!plan) {
        await this.unattributedPause("every customer or every product of the distribution is skipped because of its data", "sale", "orders");
        return null;
      }
      attempts++;
      try {
        const cur = plan;
        const r = await db.inTransaction(pool, (c) => db.writeOrder(c, this.schema!, this.inventory, this.cfg.localStockEvents ? this.cfg.outOfStockTable : undefined, cur));
        this.failingSince = 0;
        this.saleSucceeded(plan);
        const rec: CommitRecord = {
          salesOrderId: r.value.salesOrderId,
          customerId: plan.customerId,
          lines: plan.lines.length,
          rows: 1 + plan.lines.length,
          outOfStockEvents: r.value.shortfalls.length,
          startedAtMs: r.startedAtMs,
          committedAtMs: r.committedAtMs,
          attempts,
        };
        this.heartbeat.committed(rec.salesOrderId, rec.rows, rec.committedAtMs);
        this.log.info(`Sales Order ${rec.salesOrderId} Created`);
        this.log.debug(
          `sales order ${rec.salesOrderId}: customer ${plan.customerId}, lines ${plan.lines.map((l) => `${l.productId}x${l.quantity}`).join(" ")}, ` +
            `committed ${new Date(rec.committedAtMs).toISOString()} in ${(rec.committedAtMs - rec.startedAtMs).toFixed(2)} ms, attempts ${attempts}`,
        );
        for (const s of r.value.shortfalls) {
          this.log.info(`Product ${s.productId} out of stock on sales order ${rec.salesOrderId} (inventory ${s.before} -> ${s.after}): event recorded in ${this.cfg.outOfStockTable}`);
        }
        // Events may also come from elsewhere (the stream-processing side writes them
        // back), so look for pending ones after every order, not only after our own.
        let rs: RestockRecord | undefined;
        try {
          rs = await this.restockPending(`sales order ${rec.salesOrderId}`);
        } catch (e) {
          // The order is committed: whatever the restock threw must not reach the retry below
          // (that would write the order twice). restockPending handles data and transient errors.
          throw e instanceof FatalError ? e : new FatalError(`restock after sales order ${rec.salesOrderId} failed: ${db.describeError(e)}`);
        }
        if (rs) rec.restock = rs;
        this.observer.committed(rec, rowsByTable(rec, this.cfg.outOfStockTable));
        return rec;
      } catch (e) {
        if (e instanceof FatalError) {
          this.observer.error("fatal");
          throw e;
        }
        this.observer.error(db.isDeadlock(e) ? "deadlock" : db.isTransient(e) ? "transient" : db.classifyError(e) === "data" ? "data" : "fatal");
        if (db.isDeadlock(e) && deadlocks < this.cfg.deadlockRetries) {
          deadlocks++;
          this.log.debug(`order transaction: ${db.describeError(e)}; retry ${deadlocks}/${this.cfg.deadlockRetries}`);
          await sleep(5 + Math.random() * 20 * deadlocks);
          continue;
        }
        if (db.isTransient(e) || db.isDeadlock(e)) {
          await this.transientPause(e, backoff, "order transaction");
          backoff = Math.min(backoff * 2, 5000);
          if (this.stopping) return null; // rolled back, nothing written
          deadlocks = 0;
          continue;
        }
        if (db.classifyError(e) === "data") {
          // The data, not the database: skip what it can be blamed on and draw a new order
          // (bounded), or give up this slot after a bounded pause. Never exit, never spin.
          const blamed = blameOrder(e, plan);
          if (!blamed) {
            await this.unattributedPause(
              `order for customers.id=${plan.customerId} with products ${plan.lines.map((l) => l.productId).join(", ")} failed: ${db.describeError(e)}`,
              "sale",
              "orders",
            );
            return null;
          }
          await this.skipRowBlaming(blamed.key, "sale", blamed.reason, blamed.stock, blamed.culprit);
          if (this.stopping || ++redraws > MAX_DATA_REDRAWS) return null;
          plan = this.plan();
          deadlocks = 0;
          continue;
        }
        throw new FatalError(`order transaction failed: ${db.describeError(e)}`);
      }
    }
  }

  /**
   * Raise purchase orders for pending out-of-stock events (see planning.ts for the policy).
   * Products whose data makes a purchase impossible are skipped (quarantine) and keep their
   * events; a data error the plan did not foresee is narrowed down product by product.
   */
  async restockPending(reason: string): Promise<RestockRecord | undefined> {
    try {
      return await this.restockOnce(reason);
    } catch (e) {
      if (e instanceof FatalError || db.classifyError(e) !== "data") throw e;
      const products = (e as { restockProducts?: number[] }).restockProducts ?? [];
      if (products.length <= 1) {
        for (const id of products) await this.skipRowBlaming({ table: "products", id }, "restock", `restock failed: ${db.describeError(e)}`, false);
        return undefined;
      }
      this.log.warn(`restock of products ${products.join(", ")} failed on data (${db.describeError(e)}); retrying them one by one to find the row`);
      let merged: RestockRecord | undefined;
      for (const id of products) {
        if (this.stopping) break;
        try {
          const r = await this.restockOnce(reason, [id]);
          if (r) {
            merged = merged
              ? { purchaseOrderIds: [...merged.purchaseOrderIds, ...r.purchaseOrderIds], products: [...merged.products, ...r.products], eventsCleared: merged.eventsCleared + r.eventsCleared, committedAtMs: r.committedAtMs }
              : r;
          }
        } catch (e1) {
          if (e1 instanceof FatalError || db.classifyError(e1) !== "data") throw e1;
          await this.skipRowBlaming({ table: "products", id }, "restock", `restock failed: ${db.describeError(e1)}`, false);
        }
      }
      return merged;
    }
  }

  /** One restock transaction with the transient / deadlock retries; data errors are thrown (tagged with the products). */
  private async restockOnce(reason: string, only?: number[]): Promise<RestockRecord | undefined> {
    const pool = this.requirePool();
    let backoff = 200;
    let deadlocks = 0;
    for (;;) {
      let pending: number[] = [];
      try {
        const blocked = this.quarantine.blockedIds("products");
        pending = (only ?? (await db.pendingEventProducts(pool, this.cfg.outOfStockTable))).filter((id) => !blocked.has(id));
        if (!pending.length) return undefined;
        const r = await db.inTransaction(pool, (c) => db.writeRestock(c, this.schema!, this.inventory, this.cfg.outOfStockTable, pending, this.cfg.restockQuantity));
        this.failingSince = 0;
        if (!r.value) return undefined;
        const { plan, purchaseOrderIds, eventsCleared } = r.value;
        plan.purchaseOrders.forEach((po, i) => {
          this.log.info(
            `Purchase Order ${purchaseOrderIds[i]} Created for supplier ${po.supplierId} (restock after ${reason}): ` +
              po.lines.map((l) => `product ${l.productId} x ${l.quantity}`).join(", "),
          );
        });
        if (plan.alreadyStocked.length) this.log.info(`products ${plan.alreadyStocked.join(", ")} were already restocked; their events were cleared`);
        this.log.debug(`cleared ${eventsCleared} out-of-stock event(s)`);
        const bought = plan.purchaseOrders.flatMap((p) => p.lines.map((l) => l.productId));
        for (const id of [...bought, ...plan.alreadyStocked]) this.cleared({ table: "products", id }, "restock");
        for (const x of plan.skipped) await this.skipRestock(x);
        return { purchaseOrderIds, products: bought, eventsCleared, committedAtMs: r.committedAtMs };
      } catch (e) {
        if (e instanceof FatalError) throw e;
        if (db.isDeadlock(e) && deadlocks < this.cfg.deadlockRetries) {
          deadlocks++;
          await sleep(5 + Math.random() * 20 * deadlocks);
          continue;
        }
        if (db.isTransient(e) || db.isDeadlock(e)) {
          // Events stay in the table; a later order or the next start retries them.
          await this.transientPause(e, backoff, "restock transaction");
          backoff = Math.min(backoff * 2, 5000);
          if (this.stopping) return undefined;
          continue;
        }
        if (db.classifyError(e) === "data") {
          if (e && typeof e === "object") (e as { restockProducts?: number[] }).restockProducts = pending;
          throw e;
        }
        throw new FatalError(`restock transaction failed: ${db.describeError(e)}`);
      }
    }
  }

  private skipRestock(x: SkippedProduct): Promise<void> {
    return this.skipRowBlaming({ table: "products", id: x.productId }, "restock", x.reason, x.stock);
  }

  /** After a committed order: its customer and products work for sales again. */
  private saleSucceeded(plan: OrderPlan): void {
    this.cleared({ table: "customers", id: plan.customerId }, "sale");
    for (const l of plan.lines) this.cleared({ table: "products", id: l.productId }, "sale");
    if (this.unattributed?.op === "sale") {
      this.log.info(`orders are committed again after ${this.unattributed.failures} failure(s) on data (${this.unattributed.reason})`);
      this.unattributed = undefined;
      this.unattributedFailures = 0;
      this.publishProblems();
    }
  }

  private cleared(row: RowKey, op: string): void {
    const p = this.quarantine.clear(row, op);
    if (!p) return;
    this.log.info(`${p.key} works again (${op}) after ${p.failures} failure(s) since ${p.since}: no longer skipped`);
    this.publishProblems();
  }

  /**
   * Skip a row because of its data; when the problem is a product's stock level, name the
   * sales line that most likely caused it (the largest one). Logs key, reason and retry time.
   */
  private async skipRowBlaming(row: RowKey, op: string, reason: string, stock: boolean, culprit?: RowKey): Promise<void> {
    let why = reason;
    if (stock && !culprit && row.table === "products") {
      try {
        const big = await db.largestSale(this.requirePool(), row.id);
        if (big) {
          culprit = { table: "sales_order_details", id: big.id };
          why = `${reason}; largest sale: ${formatKey(culprit)} quantity ${big.quantity}`;
        }
      } catch (e) {
        this.log.debug(`looking up the largest sale of ${formatKey(row)}: ${db.describeError(e)}`);
      }
    }
    this.skipRow(row, op, why, culprit);
  }

  private skipRow(row: RowKey, op: string, reason: string, culprit?: RowKey): void {
    this.dataErrors++;
    // The next try re-sums the product's stock in full: the rows may have been fixed meanwhile.
    if (row.table === "products") this.inventory.forget([row.id]);
    const p = this.quarantine.fail(row, op, reason, culprit);
    const delay = Date.parse(p.retryAt) - Date.parse(p.lastFailureAt);
    this.log.warn(
      `skipping ${p.key} (${op}): ${reason}${p.culprit ? ` [caused by ${p.culprit}]` : ""}; failure ${p.failures} since ${p.since}, next try in ${delay} ms`,
    );
    this.publishProblems();
  }

  /** A data error nobody can be blamed for: log, report degraded, pause (1 s … 60 s). */
  private async unattributedPause(reason: string, op: string, key: string): Promise<void> {
    this.dataErrors++;
    this.unattributedFailures++;
    const pause = dataRetryDelay(this.unattributedFailures, UNATTRIBUTED_PAUSE_BASE_MS, UNATTRIBUTED_PAUSE_MAX_MS);
    const now = new Date().toISOString();
    this.unattributed = { key, op, reason, since: this.unattributed?.since ?? now, failures: this.unattributedFailures, retryAt: new Date(Date.now() + pause).toISOString() };
    this.log.warn(`skipping an order (${key}): ${reason}; failure ${this.unattributedFailures}, pausing ${pause} ms`);
    this.publishProblems();
    await this.interruptibleSleep(pause);
  }

  private publishProblems(): void {
    this.heartbeat.setProblems(this.problems(), this.dataErrors);
  }

  /**
   * Dispatch orders on a fixed-rate schedule with at most `concurrency` in
   * flight until `count` orders have committed or stop() is called. Resolves
   * after every in-flight order finished; rejects with the first fatal error.
   */
  async run(opts: RunOptions = {}): Promise<RunSummary> {
    const count = opts.count ?? this.cfg.maxOrders;
    const intervalMs = opts.intervalMs ?? this.cfg.intervalMs;
    const concurrency = Math.max(1, opts.concurrency ?? this.cfg.concurrency);
    const maxLag = defaultMaxLag(intervalMs);
    const sum: RunSummary = {
      orders: 0, rows: 0, outOfStockEvents: 0, purchaseOrders: 0, skippedTicks: 0,
      startedAtMs: db.nowMs(), finishedAtMs: 0, elapsedMs: 0, ordersPerSecond: 0, rowsPerSecond: 0,
      commits: [], stoppedBySignal: false,
    };
    let sched: ScheduleState = { originMs: performance.now(), next: 0 };
    let dispatched = 0;
    let fatal: unknown;
    const inFlight = new Set<Promise<void>>();

    while (!this.stopping && fatal === undefined && (count <= 0 || dispatched < count)) {
      const d = decide(sched, performance.now(), intervalMs, maxLag);
      sched = d.state;
      if (d.skipped > 0) {
        sum.skippedTicks += d.skipped;
        this.log.warn(`falling behind the configured rate: skipped ${d.skipped} order slot(s)`);
      }
      if (d.delayMs > 0) await this.interruptibleSleep(d.delayMs);
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (this.stopping || fatal !== undefined) break;
      sched = { ...sched, next: sched.next + 1 };
      dispatched++;
      const p: Promise<void> = this.createOrder()
        .then((rec) => {
          if (!rec) {
            dispatched--;
            return;
          }
          sum.orders++;
          sum.rows += rec.rows;
          sum.outOfStockEvents += rec.outOfStockEvents;
          sum.purchaseOrders += rec.restock?.purchaseOrderIds.length ?? 0;
          if (opts.collect) sum.commits.push(rec);
          opts.onCommit?.(rec);
        })
        .catch((e) => {
          dispatched--;
          if (fatal === undefined) fatal = e;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    sum.stoppedBySignal = this.stopping;
    sum.finishedAtMs = db.nowMs();
    sum.elapsedMs = sum.finishedAtMs - sum.startedAtMs;
    sum.ordersPerSecond = sum.elapsedMs > 0 ? (sum.orders * 1000) / sum.elapsedMs : 0;
    sum.rowsPerSecond = sum.elapsedMs > 0 ? (sum.rows * 1000) / sum.elapsedMs : 0;
    if (opts.collect) sum.commits.sort((a, b) => a.salesOrderId - b.salesOrderId);
    if (fatal !== undefined) throw fatal;
    return sum;
  }

  private requirePool(): Pool {
    if (!this.pool || !this.schema) throw new FatalError("simulator not started");
    return this.pool;
  }

  /** Sleep after a transient failure; FatalError once failures have lasted SIM_RETRY_TIMEOUT_MS. */
  private async transientPause(e: unknown, backoffMs: number, what: string): Promise<void> {
    const now = Date.now();
    if (this.failingSince === 0) this.failingSince = now;
    const failingFor = now - this.failingSince;
    if (failingFor >= this.cfg.retryTimeoutMs) {
      throw new FatalError(`${what}: database failing for ${failingFor} ms (SIM_RETRY_TIMEOUT_MS=${this.cfg.retryTimeoutMs}): ${db.describeError(e)}`);
    }
    this.log.warn(`${what}: ${db.describeError(e)}; retrying in ${backoffMs} ms`);
    await this.interruptibleSleep(backoffMs);
  }

  private interruptibleSleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.sleepers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}

/**
 * Which row an order's data error belongs to: the row a DataError names, or the
 * customer a foreign-key failure on sales_orders.customer_id points to; undefined
 * when it cannot be told (the order is then skipped as a whole).
 */
export function blameOrder(e: unknown, plan: OrderPlan): { key: RowKey; reason: string; stock: boolean; culprit?: RowKey } | undefined {
  if (e instanceof DataError) return { key: e.key, reason: e.reason, stock: e.stock, culprit: e.culprit };
  const fk = db.foreignKeyTarget(String((e as Error)?.message ?? ""));
  if (fk && fk.parentTable === "customers" && fk.column === "customer_id") {
    return { key: { table: "customers", id: plan.customerId }, reason: `cannot be used in a sales order: ${db.describeError(e)}`, stock: false };
  }
  const products = [...new Set(plan.lines.map((l) => l.productId))];
  if (fk && fk.parentTable === "products" && products.length === 1) {
    return { key: { table: "products", id: products[0]! }, reason: `cannot be sold: ${db.describeError(e)}`, stock: false };
  }
  return undefined;
}

function summarise(ids: number[]): string {
  return ids.length > 10 ? `${ids.slice(0, 10).join(", ")} … (${ids.length} in all)` : ids.join(", ");
}

export interface CommitOrdersOptions {
  /** Configuration; defaults to loadConfig(env ?? process.env). */
  config?: SimulatorConfig;
  env?: Env;
  /** Commit exactly this many orders... */
  orders?: number;
  /** ...or enough orders to write at least this many sales rows (1 + lines per order). */
  rows?: number;
  /** Target rate; default: as fast as possible. */
  ordersPerSecond?: number;
  rowsPerSecond?: number;
  concurrency?: number;
  linesPerOrder?: number;
  onCommit?: (r: CommitRecord) => void;
  logger?: Logger;
  /** Reuse an existing mysql2 pool (not closed afterwards). */
  pool?: Pool;
}

/**
 * Commit exactly N orders (or >= N rows) in-process, as fast as possible or at
 * a target rate, and return per-order commit timestamps. For tests and the
 * commit -> Kafka latency benchmark. Does not touch signals or the heartbeat.
 */
export async function commitOrders(o: CommitOrdersOptions): Promise<RunSummary> {
  const base = o.config ?? loadConfig(o.env ?? process.env);
  const lines = o.linesPerOrder ?? base.linesPerOrder;
  const cfg: SimulatorConfig = { ...base, linesPerOrder: lines, concurrency: o.concurrency ?? base.concurrency };
  if (cfg.db.poolSize < cfg.concurrency) cfg.db = { ...cfg.db, poolSize: cfg.concurrency + 1 };
  let count: number;
  if (o.orders !== undefined && o.rows !== undefined) throw new RangeError("pass orders or rows, not both");
  if (o.orders !== undefined) count = o.orders;
  else if (o.rows !== undefined) count = Math.ceil(o.rows / (1 + lines));
  else throw new RangeError("pass orders or rows");
  if (!(Number.isSafeInteger(count) && count > 0)) throw new RangeError(`order count must be a positive integer (got ${count})`);
  let intervalMs = 0;
  if (o.ordersPerSecond !== undefined && o.rowsPerSecond !== undefined) throw new RangeError("pass ordersPerSecond or rowsPerSecond, not both");
  if (o.ordersPerSecond !== undefined) intervalMs = 1000 / o.ordersPerSecond;
  if (o.rowsPerSecond !== undefined) intervalMs = (1000 * (1 + lines)) / o.rowsPerSecond;
  if (!(intervalMs >= 0 && Number.isFinite(intervalMs))) throw new RangeError("rate must be > 0");

  const sim = new Simulator(cfg, o.logger ?? silentLogger, { pool: o.pool, heartbeat: false });
  try {
    await sim.start();
    return await sim.run({ count, intervalMs, collect: true, onCommit: o.onCommit });
  } finally {
    if (o.pool) sim.detach();
    else await sim.close();
  }
}
