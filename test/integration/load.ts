/**
 * A bounded load generator for the fault tests and the soak: inserts, updates and
 * deletes of `sales_order_details` rows at a target rate, on its own connection pool,
 * recording every change it knows committed. It stops by itself after `durationMs`.
 *
 * Exact accounting through database outages: every statement is one autocommitted
 * row change of a row only this generator (and only one of its workers) touches, with
 * ids it chooses itself. When a statement fails in a way that leaves its outcome
 * unknown (connection lost mid-COMMIT, server shutting down, timeout), the worker
 * reads the row back once the database answers again and records the change iff the
 * row shows it. So `committed` is exactly what the database holds, fault or not.
 */
import { createPool, Pool, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { describeError, isTransient } from "../../services/simulator/src/db";
import { seededRng } from "../../services/simulator/src/distribution";
import { DbConnection } from "../../verify/sources";

export type Op = "c" | "u" | "d";

/** One change the database acknowledged (or that a read-back proved applied). */
export interface Committed {
  readonly id: number;
  readonly op: Op;
  /** Epoch ms the acknowledgement (or the read-back) arrived: an upper bound of the commit time. */
  readonly atMs: number;
  /** True when the statement's reply was lost and a read-back proved it applied. */
  readonly readBack: boolean;
}

/** Column values of a detail row as the generator wrote them. */
export interface RowValues {
  readonly sales_order_id: number;
  readonly product_id: number;
  readonly quantity: number;
  /** DECIMAL(10,2) as written, e.g. "12.34". */
  readonly price: string;
}

export interface LoadOptions {
  readonly db: DbConnection;
  /** Row changes per second (inserts + updates + deletes). */
  readonly rowsPerSecond: number;
  /** The generator stops by itself after this long. */
  readonly durationMs: number;
  /** Workers (each owns its rows; one statement at a time). @default 8 */
  readonly concurrency?: number;
  /** Shares of the operations. @default insert 0.6, update 0.3, delete 0.1 */
  readonly mix?: { readonly insert: number; readonly update: number; readonly delete: number };
  /** @default 1 */
  readonly seed?: number;
  /** Per statement. @default 10000 */
  readonly statementTimeoutMs?: number;
  /** How long after a failed statement its worker keeps trying to read the row back. @default 180000 */
  readonly readBackLimitMs?: number;
  readonly log?: (line: string) => void;
}

export interface LoadReport {
  readonly targetRowsPerSecond: number;
  readonly achievedRowsPerSecond: number;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  readonly committed: number;
  readonly inserts: number;
  readonly updates: number;
  readonly deletes: number;
  /** Statements that failed (outcome then settled by a read-back). */
  readonly failedStatements: number;
  /** Of those, how many had in fact been applied. */
  readonly appliedDespiteError: number;
  /** Schedule slots dropped because the workers were blocked (e.g. database down) for over a second. */
  readonly skippedSlots: number;
  /** Outcomes still unknown when the read-back limit passed: the accounting is then not exact. */
  readonly unresolved: number;
}

/** The simulator's seeded PRNG (mulberry32): the same seed, the same operations and faults. */
export const seededRandom = seededRng;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const ER_DUP_ENTRY = 1062;

/** Field, value, rule for each bad option; throws them all at once. */
export function validateLoadOptions(o: LoadOptions): void {
  const problems: string[] = [];
  const check = (field: string, value: unknown, ok: boolean, rule: string) => ok || problems.push(`${field}: ${JSON.stringify(value)} — ${rule}`);
  check("rowsPerSecond", o.rowsPerSecond, Number.isFinite(o.rowsPerSecond) && o.rowsPerSecond > 0 && o.rowsPerSecond <= 5000, "must be a number in (0, 5000]");
  check("durationMs", o.durationMs, Number.isInteger(o.durationMs) && o.durationMs > 0 && o.durationMs <= 3 * 3600 * 1000, "must be an integer in (0, 3 h]");
  const c = o.concurrency ?? 8;
  check("concurrency", c, Number.isInteger(c) && c >= 1 && c <= 32, "must be an integer 1–32");
  const m = o.mix ?? { insert: 0.6, update: 0.3, delete: 0.1 };
  check("mix", m, [m.insert, m.update, m.delete].every((x) => Number.isFinite(x) && x >= 0) && m.insert > 0, "shares must be ≥ 0 and insert > 0");
  if (problems.length) throw new Error(`load generator options (${problems.length} problem${problems.length > 1 ? "s" : ""}):\n  - ${problems.join("\n  - ")}`);
}

interface Worker {
  readonly index: number;
  orderId: number;
  /** Ids this worker inserted and has not deleted. */
  readonly live: number[];
}

export class LoadGenerator {
  /** Every change known committed, in commit order per id. */
  readonly committed: Committed[] = [];
  /** What the generator believes each of its rows holds now (null: deleted). */
  readonly rows = new Map<number, RowValues | null>();
  /** Resolves when every worker has stopped. */
  readonly done: Promise<LoadReport>;
  /** Resolves when the workers have their parent orders and the load begins. */
  readonly ready: Promise<void>;

  private readonly o: Required<Omit<LoadOptions, "log" | "mix">> & Pick<LoadOptions, "log"> & { mix: NonNullable<LoadOptions["mix"]> };
  private readonly pool: Pool;
  private readonly random: () => number;
  private stopped = false;
  private nextId = 0;
  private slot = 0;
  private t0 = 0;
  private endAt = 0;
  private counts = { failed: 0, appliedDespiteError: 0, skipped: 0, unresolved: 0 };
  private idFloor = Number.POSITIVE_INFINITY;
  private wake: () => void = () => undefined;
  private readonly woken = new Promise<void>((r) => (this.wake = r));
  private began: () => void = () => undefined;

  constructor(options: LoadOptions) {
    validateLoadOptions(options);
    this.o = {
      concurrency: 8,
      mix: { insert: 0.6, update: 0.3, delete: 0.1 },
      seed: 1,
      statementTimeoutMs: 10000,
      readBackLimitMs: 180000,
      ...options,
    } as LoadGenerator["o"];
    this.random = seededRandom(this.o.seed);
    this.pool = createPool({
      ...this.o.db,
      connectionLimit: this.o.concurrency + 1,
      waitForConnections: true,
      queueLimit: 0,
      connectTimeout: 5000,
      enableKeepAlive: true,
      decimalNumbers: false,
    });
    // A connection the server drops while idle in the pool emits here; the next use reconnects.
    this.pool.on("connection", (c) => c.on("error", () => undefined));
    this.ready = new Promise<void>((r) => (this.began = r));
    this.done = this.run();
    // Rejections surface through `done`; nothing else awaits the run early.
    this.done.catch(() => undefined);
  }

  /** True for ids this generator wrote (all are ≥ the first id it chose). */
  owns(id: number): boolean {
    return this.rows.has(id) || id >= this.idFloor;
  }

  /** Stops early: workers finish (and settle) their current statement. */
  async stop(): Promise<LoadReport> {
    this.stopped = true;
    this.wake();
    return this.done;
  }

  private async run(): Promise<LoadReport> {
    try {
      const workers = await this.prepare();
      this.t0 = Date.now();
      this.endAt = this.t0 + this.o.durationMs;
      this.began();
      const hardStop = setTimeout(() => ((this.stopped = true), this.wake()), this.o.durationMs);
      try {
        await Promise.all(workers.map((w) => this.work(w)));
      } finally {
        clearTimeout(hardStop);
      }
      const finishedAtMs = Date.now();
      const by = (op: Op) => this.committed.filter((c) => c.op === op).length;
      return {
        targetRowsPerSecond: this.o.rowsPerSecond,
        achievedRowsPerSecond: Math.round((this.committed.length / Math.max(1, finishedAtMs - this.t0)) * 10000) / 10,
        startedAtMs: this.t0,
        finishedAtMs,
        committed: this.committed.length,
        inserts: by("c"),
        updates: by("u"),
        deletes: by("d"),
        failedStatements: this.counts.failed,
        appliedDespiteError: this.counts.appliedDespiteError,
        skippedSlots: this.counts.skipped,
        unresolved: this.counts.unresolved,
      };
    } finally {
      this.began(); // a failed start must not leave `ready` waiting; `done` carries the error
      await this.pool.end().catch(() => undefined);
    }
  }

  /** One parent order per worker, and the first free id (waits up to 60 s for the database). */
  private async prepare(): Promise<Worker[]> {
    const deadline = Date.now() + 60000;
    for (;;) {
      try {
        const [[max]] = await this.pool.query<RowDataPacket[]>("SELECT COALESCE(MAX(id), 0) AS m FROM sales_order_details");
        // Room above anything written so far; ids then only grow.
        this.nextId = Number(max.m) + 1;
        this.idFloor = this.nextId;
        const workers: Worker[] = [];
        for (let i = 0; i < this.o.concurrency; i++) {
          const [r] = await this.pool.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), ?)", [1 + (i % 20)]);
          workers.push({ index: i, orderId: r.insertId, live: [] });
        }
        return workers;
      } catch (e) {
        if (!isTransient(e) || Date.now() > deadline) throw new Error(`load generator could not start: ${describeError(e)}`);
        await sleep(1000);
      }
    }
  }

  private async work(w: Worker): Promise<void> {
    const interval = 1000 / this.o.rowsPerSecond;
    for (;;) {
      if (this.stopped) return;
      let due = this.t0 + this.slot * interval;
      const now = Date.now();
      if (now - due > 1000) {
        // Blocked (database down): drop the missed slots instead of bursting to catch up.
        const current = Math.ceil((now - this.t0) / interval);
        this.counts.skipped += current - this.slot;
        this.slot = current;
        due = this.t0 + this.slot * interval;
      }
      this.slot++;
      if (due >= this.endAt) return;
      if (due > now) await Promise.race([sleep(due - now), this.woken]);
      if (this.stopped) return;
      await this.one(w);
    }
  }

  private pick(n: number): number {
    return Math.floor(this.random() * n);
  }

  private newValues(w: Worker, old?: RowValues): RowValues {
    // An update always changes the quantity: an UPDATE that changes nothing writes no binlog event.
    const quantity = old ? (old.quantity % 50) + 1 : 1 + this.pick(20);
    return { sales_order_id: w.orderId, product_id: old?.product_id ?? 1 + this.pick(30), quantity, price: (100 + this.pick(99900)) / 100 + "" };
  }

  private async one(w: Worker): Promise<void> {
    const { insert, update } = this.o.mix;
    const total = insert + update + this.o.mix.delete;
    const r = this.random() * total;
    const op: Op = w.live.length === 0 || r < insert ? "c" : r < insert + update ? "u" : "d";
    if (op === "c") {
      const id = this.nextId++;
      const v = this.newValues(w);
      await this.apply(w, id, "c", v, "INSERT INTO sales_order_details (id, sales_order_id, product_id, quantity, price) VALUES (?, ?, ?, ?, ?)", [
        id, v.sales_order_id, v.product_id, v.quantity, v.price,
      ]);
    } else {
      const at = this.pick(w.live.length);
      const id = w.live[at];
      if (op === "u") {
        const v = this.newValues(w, this.rows.get(id)!);
        await this.apply(w, id, "u", v, "UPDATE sales_order_details SET quantity = ?, price = ? WHERE id = ?", [v.quantity, v.price, id]);
      } else {
        await this.apply(w, id, "d", null, "DELETE FROM sales_order_details WHERE id = ?", [id]);
      }
    }
  }

  private record(w: Worker, id: number, op: Op, v: RowValues | null, readBack: boolean): void {
    this.committed.push({ id, op, atMs: Date.now(), readBack });
    this.rows.set(id, v);
    if (op === "c") w.live.push(id);
    if (op === "d") w.live.splice(w.live.indexOf(id), 1);
  }

  private async apply(w: Worker, id: number, op: Op, v: RowValues | null, sql: string, values: Array<string | number>): Promise<void> {
    try {
      const [res] = await this.pool.execute<ResultSetHeader>({ sql, timeout: this.o.statementTimeoutMs }, values);
      // The row is this worker's alone: anything but one affected row is a bug, not a fault.
      if (res.affectedRows !== 1) throw new Error(`load generator: ${op} of id ${id} affected ${res.affectedRows} rows (expected 1)`);
      this.record(w, id, op, v, false);
      return;
    } catch (e) {
      if (op === "c" && (e as { errno?: number }).errno === ER_DUP_ENTRY) return; // another writer took the id: not applied
      if (!isTransient(e) && !/timeout/i.test(describeError(e))) throw new Error(`load generator: ${op} of id ${id}: ${describeError(e)}`);
      this.counts.failed++;
    }
    // Outcome unknown: read the row back once the database answers.
    const limit = Date.now() + this.o.readBackLimitMs;
    for (;;) {
      try {
        const [rows] = await this.pool.execute<RowDataPacket[]>({ sql: "SELECT quantity, price FROM sales_order_details WHERE id = ?", timeout: this.o.statementTimeoutMs }, [id]);
        const row = rows[0] as { quantity: number; price: string } | undefined;
        const applied = op === "d" ? row === undefined : row !== undefined && Number(row.quantity) === v!.quantity && Number(row.price) === Number(v!.price);
        if (applied) {
          this.counts.appliedDespiteError++;
          this.record(w, id, op, v, true);
        }
        this.o.log?.(`load: ${op} of id ${id} failed; read back: ${applied ? "applied" : "not applied"}`);
        return;
      } catch (e) {
        if (Date.now() > limit) {
          this.counts.unresolved++;
          this.o.log?.(`load: ${op} of id ${id}: outcome unknown after the read-back limit (${describeError(e)})`);
          return;
        }
        await sleep(500);
      }
    }
  }
}
