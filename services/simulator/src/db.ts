/**
 * All database I/O. Transactions run at READ COMMITTED (set once per pooled
 * connection) and serialise inventory decisions by locking the involved
 * `products` rows with SELECT ... FOR UPDATE in ascending id order before
 * reading the inventory sums; a concurrent simulator (or anything else that
 * follows the same rule) therefore can never oversell past a decision made on
 * stale sums. Lock order everywhere is products -> out-of-stock events.
 */
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { createPool } from "mysql2/promise";
import type { DbConfig } from "./config";
import { InventoryCache } from "./inventory";
import { DataError } from "./errors";
import { OrderPlan, ProductInfo, RestockPlan, Shortfall, findShortfalls, lockOrder, planRestock, saleProblem } from "./planning";
import { decimalSpec, intProblem, intRange, WriteLimits } from "./validation";

export const nowMs = (): number => performance.timeOrigin + performance.now();

export function openPool(db: DbConfig): Pool {
  return createPool({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    connectionLimit: db.poolSize,
    maxIdle: db.poolSize,
    waitForConnections: true,
    queueLimit: 0,
    connectTimeout: db.connectTimeoutMs,
    enableKeepAlive: true,
    // DECIMALs stay exact strings; SUM() results are converted explicitly.
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: true,
    timezone: "Z",
    charset: "utf8mb4",
  });
}

// ---- error classification (errors.ts; re-exported for callers of db) ---------

export { classifyError, describeError, foreignKeyTarget, isDataError, isDeadlock, isTransient } from "./errors";

interface DbError {
  fatal?: boolean;
}

// ---- transactions --------------------------------------------------------------

const initialised = new WeakSet<object>();

export interface TxTiming {
  startedAtMs: number;
  committedAtMs: number;
}

/**
 * Run `fn` in one transaction on a pooled connection. Commits on success and
 * reports the time the COMMIT was acknowledged; rolls back on any error. A
 * connection that failed at the protocol level is destroyed, not returned.
 */
export async function inTransaction<T>(pool: Pool, fn: (c: PoolConnection) => Promise<T>): Promise<{ value: T } & TxTiming> {
  const conn = await pool.getConnection();
  let broken = false;
  try {
    const core = (conn as unknown as { connection: object }).connection;
    if (!initialised.has(core)) {
      await conn.query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
      initialised.add(core);
    }
    const startedAtMs = nowMs();
    await conn.beginTransaction();
    try {
      const value = await fn(conn);
      await conn.commit();
      return { value, startedAtMs, committedAtMs: nowMs() };
    } catch (e) {
      if ((e as DbError)?.fatal) broken = true;
      else {
        try {
          await conn.rollback();
        } catch {
          broken = true;
        }
      }
      throw e;
    }
  } catch (e) {
    if ((e as DbError)?.fatal) broken = true;
    throw e;
  } finally {
    if (broken) conn.destroy();
    else conn.release();
  }
}

// ---- schema -------------------------------------------------------------------

export interface SchemaInfo {
  /** products columns holding price / cost: `unit_price`/`unit_cost` (images/mariadb) or `price`/`cost`. */
  productPriceColumn: string;
  productCostColumn: string;
  /** Fill `quantity_on_hand` of an event with the inventory after the line (negative = backordered). */
  eventHasQuantityOnHand: boolean;
  salesOrderDateExpr: string;
  purchaseOrderDateExpr: string;
  /** Extra columns we fill in the out-of-stock events table. */
  eventTimeColumn: string | null;
  eventTimeExpr: string;
  eventHasSalesOrderId: boolean;
  /** Ranges of the columns computed values are written to (from information_schema). */
  limits: WriteLimits;
}

interface ColumnRow extends RowDataPacket {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
  column_default: string | null;
  extra: string;
  column_type: string;
  numeric_precision: number | null;
  numeric_scale: number | null;
}

const REQUIRED: Record<string, string[]> = {
  customers: ["id"],
  suppliers: ["id"],
  products: ["id", "supplier_id"],
  sales_orders: ["id", "order_date", "customer_id"],
  sales_order_details: ["id", "sales_order_id", "product_id", "quantity", "price"],
  purchase_orders: ["id", "order_date", "supplier_id"],
  purchase_order_details: ["id", "purchase_order_id", "product_id", "quantity", "cost"],
};

function dateExpr(dataType: string): string {
  return dataType === "date" ? "CURRENT_DATE()" : "NOW(6)";
}

/** Check tables/columns exist and work out how to fill date/time columns. Throws with a precise message. */
export async function inspectSchema(pool: Pool, database: string, eventsTable: string): Promise<SchemaInfo> {
  const tables = [...Object.keys(REQUIRED), eventsTable];
  const [rows] = await pool.query<ColumnRow[]>(
    `SELECT table_name AS table_name, column_name AS column_name, data_type AS data_type, is_nullable AS is_nullable,
            column_default AS column_default, extra AS extra, column_type AS column_type,
            numeric_precision AS numeric_precision, numeric_scale AS numeric_scale
       FROM information_schema.columns WHERE table_schema = ? AND table_name IN (?)`,
    [database, tables],
  );
  const cols = new Map<string, Map<string, ColumnRow>>();
  for (const r of rows) {
    const t = cols.get(r.table_name) ?? new Map<string, ColumnRow>();
    t.set(r.column_name.toLowerCase(), r);
    cols.set(r.table_name, t);
  }
  const problems: string[] = [];
  for (const [t, need] of Object.entries({ ...REQUIRED, [eventsTable]: ["id", "product_id"] })) {
    const have = cols.get(t);
    if (!have) problems.push(`table ${database}.${t} is missing`);
    else for (const c of need) if (!have.has(c)) problems.push(`column ${t}.${c} is missing`);
  }
  const prod = cols.get("products");
  const pick = (names: string[]) => names.find((n) => prod?.has(n));
  const productPriceColumn = pick(["unit_price", "price"]);
  const productCostColumn = pick(["unit_cost", "cost"]);
  if (prod && !productPriceColumn) problems.push("products has neither unit_price nor price");
  if (prod && !productCostColumn) problems.push("products has neither unit_cost nor cost");
  if (problems.length) throw new Error(`schema check failed: ${problems.join("; ")}`);

  const ev = cols.get(eventsTable)!;
  const timeCol = [...ev.values()].find((c) => ["datetime", "timestamp", "date"].includes(c.data_type.toLowerCase()));
  const eventHasSalesOrderId = ev.has("sales_order_id");
  const eventHasQuantityOnHand = ev.has("quantity_on_hand");
  const filled = new Set([
    "id", "product_id",
    ...(timeCol ? [timeCol.column_name.toLowerCase()] : []),
    ...(eventHasSalesOrderId ? ["sales_order_id"] : []),
    ...(eventHasQuantityOnHand ? ["quantity_on_hand"] : []),
  ]);
  const unfillable = [...ev.values()].filter(
    (c) => !filled.has(c.column_name.toLowerCase()) && c.is_nullable === "NO" && c.column_default === null && !/auto_increment|generated/i.test(c.extra),
  );
  if (unfillable.length) {
    throw new Error(`schema check failed: ${eventsTable} has NOT NULL columns without default the simulator cannot fill: ${unfillable.map((c) => c.column_name).join(", ")}`);
  }
  const col = (t: string, c: string) => cols.get(t)?.get(c);
  const ints = (t: string, c: string) => {
    const r = col(t, c);
    return r ? intRange(r.data_type, r.column_type) : undefined;
  };
  const decs = (t: string, c: string) => {
    const r = col(t, c);
    return r ? decimalSpec(r.data_type, r.numeric_precision, r.numeric_scale) : undefined;
  };
  const limits: WriteLimits = {
    salesPrice: decs("sales_order_details", "price"),
    salesQuantity: ints("sales_order_details", "quantity"),
    purchaseQuantity: ints("purchase_order_details", "quantity"),
    purchaseCost: decs("purchase_order_details", "cost"),
    eventQuantityOnHand: eventHasQuantityOnHand ? ints(eventsTable, "quantity_on_hand") : undefined,
  };
  return {
    limits,
    productPriceColumn: productPriceColumn!,
    productCostColumn: productCostColumn!,
    eventHasQuantityOnHand,
    salesOrderDateExpr: dateExpr(cols.get("sales_orders")!.get("order_date")!.data_type.toLowerCase()),
    purchaseOrderDateExpr: dateExpr(cols.get("purchase_orders")!.get("order_date")!.data_type.toLowerCase()),
    eventTimeColumn: timeCol ? timeCol.column_name : null,
    eventTimeExpr: timeCol ? dateExpr(timeCol.data_type.toLowerCase()) : "",
    eventHasSalesOrderId,
  };
}

/** Ids in [min, max] that have no row in `table` (customers/products). */
export async function missingIds(pool: Pool, table: "customers" | "products", min: number, max: number): Promise<number[]> {
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT id FROM ${table} WHERE id BETWEEN ? AND ?`, [min, max]);
  const have = new Set(rows.map((r) => Number(r.id)));
  const missing: number[] = [];
  for (let i = min; i <= max; i++) if (!have.has(i)) missing.push(i);
  return missing;
}

// ---- queries used inside transactions ----------------------------------------

async function lockProducts(c: PoolConnection, s: SchemaInfo, ids: number[]): Promise<Map<number, ProductInfo>> {
  const [rows] = await c.query<RowDataPacket[]>(
    `SELECT id, supplier_id, \`${s.productPriceColumn}\` AS price, \`${s.productCostColumn}\` AS cost FROM products WHERE id IN (?) ORDER BY id FOR UPDATE`,
    [ids],
  );
  const m = new Map<number, ProductInfo>();
  // NULLs stay null: validation (planning.ts) names them instead of writing "null".
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  for (const r of rows) {
    m.set(Number(r.id), { id: Number(r.id), supplierId: r.supplier_id === null ? null : Number(r.supplier_id), price: str(r.price), cost: str(r.cost) });
  }
  return m;
}

/** purchased - sold per product, read after the product rows are locked (READ COMMITTED => current). */
export async function readInventory(c: PoolConnection, cache: InventoryCache, ids: number[]): Promise<Map<number, number>> {
  const marks = cache.watermarks(ids);
  const q = InventoryCache.deltaQuery(marks);
  const [rows] = await c.query<RowDataPacket[]>(q.sql, q.params);
  return cache.apply(
    marks,
    rows.map((r) => ({ kind: r.kind === "p" ? "p" : "s", productId: Number(r.product_id), sum: Number(r.s), maxId: Number(r.m) })),
  );
}

export interface OrderOutcome {
  salesOrderId: number;
  shortfalls: Shortfall[];
}

/**
 * One sales order in the caller's transaction. `eventsTable`: where a line that takes a product below
 * zero records its out-of-stock event; undefined (SIM_LOCAL_STOCK_EVENTS=false: the way back's stock
 * processor writes the events) records none and reports no shortfall.
 */
export async function writeOrder(c: PoolConnection, s: SchemaInfo, cache: InventoryCache, eventsTable: string | undefined, plan: OrderPlan): Promise<OrderOutcome> {
  const ids = lockOrder(plan.lines.map((l) => l.productId));
  const products = await lockProducts(c, s, ids);
  // Rows that cannot be sold are DataErrors naming the product: the engine skips that
  // product (quarantine) and draws the order again, instead of the database rejecting it.
  const absent = ids.find((id) => !products.has(id));
  if (absent !== undefined) throw new DataError({ table: "products", id: absent }, "the product row does not exist (deleted?)");
  for (const p of products.values()) {
    const problem = saleProblem(p, s.limits, `products.${s.productPriceColumn}`);
    if (problem) throw new DataError({ table: "products", id: p.id }, `cannot be sold: ${problem}`);
  }
  const inventory = await readInventory(c, cache, ids);
  const shortfalls = eventsTable === undefined ? [] : findShortfalls(plan.lines, inventory).shortfalls;
  for (const x of shortfalls) {
    const problem = intProblem(x.after, s.eventHasQuantityOnHand ? s.limits.eventQuantityOnHand : undefined, "stock after the sale", `${eventsTable}.quantity_on_hand`);
    if (problem) throw new DataError({ table: "products", id: x.productId }, `cannot record out-of-stock event: ${problem}`, { stock: true });
  }

  const [hdr] = await c.query<ResultSetHeader>(`INSERT INTO sales_orders (order_date, customer_id) VALUES (${s.salesOrderDateExpr}, ?)`, [plan.customerId]);
  const salesOrderId = hdr.insertId;
  await c.query(`INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES ?`, [
    plan.lines.map((l) => [salesOrderId, l.productId, l.quantity, products.get(l.productId)!.price]),
  ]);
  if (shortfalls.length) {
    const cols = ["product_id"];
    const vals = ["?"];
    if (s.eventTimeColumn) {
      cols.push(`\`${s.eventTimeColumn}\``);
      vals.push(s.eventTimeExpr);
    }
    if (s.eventHasSalesOrderId) {
      cols.push("sales_order_id");
      vals.push(String(salesOrderId));
    }
    if (s.eventHasQuantityOnHand) {
      cols.push("quantity_on_hand");
      vals.push("?");
    }
    const tuple = `(${vals.join(", ")})`;
    await c.query(
      `INSERT INTO \`${eventsTable}\` (${cols.join(", ")}) VALUES ${shortfalls.map(() => tuple).join(", ")}`,
      shortfalls.flatMap((x) => (s.eventHasQuantityOnHand ? [x.productId, x.after] : [x.productId])),
    );
  }
  return { salesOrderId, shortfalls };
}

/** Products with pending out-of-stock events (rows without a usable product id are ignored). */
export async function pendingEventProducts(pool: Pool, eventsTable: string): Promise<number[]> {
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT DISTINCT product_id FROM \`${eventsTable}\` WHERE product_id IS NOT NULL`);
  return rows.map((r) => Number(r.product_id)).filter((id) => Number.isSafeInteger(id) && id > 0);
}

/**
 * The sales line with the largest quantity of a product (the likely culprit when the
 * product's stock is out of any column's range), e.g. {id: 812, quantity: 2147483647}.
 */
export async function largestSale(pool: Pool, productId: number): Promise<{ id: number; quantity: number } | undefined> {
  const [rows] = await pool.query<RowDataPacket[]>(
    "SELECT id, quantity FROM sales_order_details WHERE product_id = ? ORDER BY quantity DESC, id LIMIT 1",
    [productId],
  );
  return rows[0] ? { id: Number(rows[0].id), quantity: Number(rows[0].quantity) } : undefined;
}

export interface RestockOutcome {
  plan: RestockPlan;
  purchaseOrderIds: number[];
  eventsCleared: number;
}

/** One restock transaction: lock products, then their events; buy per supplier; delete the handled events. */
export async function writeRestock(
  c: PoolConnection,
  s: SchemaInfo,
  cache: InventoryCache,
  eventsTable: string,
  candidateProducts: number[],
  restockTo: number,
): Promise<RestockOutcome | null> {
  const ids = lockOrder(candidateProducts);
  if (!ids.length) return null;
  const products = await lockProducts(c, s, ids);
  const [events] = await c.query<RowDataPacket[]>(
    `SELECT id, product_id FROM \`${eventsTable}\` WHERE product_id IN (?) ORDER BY id FOR UPDATE`,
    [ids],
  );
  if (!events.length) return null; // handled by a concurrent writer
  const eventProducts = lockOrder(events.map((e) => Number(e.product_id)));
  const inventory = await readInventory(c, cache, eventProducts);
  const plan = planRestock(eventProducts, inventory, products, restockTo, s.limits, `products.${s.productCostColumn}`);
  const purchaseOrderIds: number[] = [];
  for (const po of plan.purchaseOrders) {
    const [hdr] = await c.query<ResultSetHeader>(`INSERT INTO purchase_orders (order_date, supplier_id) VALUES (${s.purchaseOrderDateExpr}, ?)`, [po.supplierId]);
    purchaseOrderIds.push(hdr.insertId);
    await c.query(`INSERT INTO purchase_order_details (purchase_order_id, product_id, quantity, cost) VALUES ?`, [
      po.lines.map((l) => [hdr.insertId, l.productId, l.quantity, l.cost]),
    ]);
  }
  // Only the events of products handled here; a skipped product keeps its events for the retry.
  const skipped = new Set(plan.skipped.map((x) => x.productId));
  const handled = events.filter((e) => !skipped.has(Number(e.product_id))).map((e) => Number(e.id));
  let eventsCleared = 0;
  if (handled.length) {
    const [del] = await c.query<ResultSetHeader>(`DELETE FROM \`${eventsTable}\` WHERE id IN (?)`, [handled]);
    eventsCleared = del.affectedRows;
  }
  return { plan, purchaseOrderIds, eventsCleared };
}
