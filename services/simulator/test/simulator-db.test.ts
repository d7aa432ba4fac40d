/**
 * Order simulator against a real MariaDB/MySQL. Skipped unless SIMULATOR_TEST_DB=1
 * and the usual DB_* variables (DB_HOST, DB_PORT, DB_PASSWORD_FILE, ...) point at a
 * DISPOSABLE database loaded with images/mariadb/initdb (or services/simulator/dev/schema.sql):
 * the second test DELETES all sales/purchase orders but purchase order 1 and rewrites its stock.
 */
import { createPool, Pool, RowDataPacket } from "mysql2/promise";
import { loadConfig } from "../src/config";
import { commitOrders } from "../src/simulator";

const enabled = process.env.SIMULATOR_TEST_DB === "1";
const d = enabled ? describe : describe.skip;

d("simulator against a database", () => {
  let pool: Pool;
  const cfg = () => loadConfig({ ...process.env, SIM_INTERVAL_MS: "0", SIM_SEED: "1", SIM_HEARTBEAT_FILE: "" });
  const one = async (sql: string): Promise<number> => {
    const [rows] = await pool.query<RowDataPacket[]>(sql);
    return Number(Object.values(rows[0]!)[0]);
  };

  beforeAll(() => {
    const c = cfg();
    pool = createPool({ host: c.db.host, port: c.db.port, user: c.db.user, password: c.db.password, database: c.db.database, connectionLimit: 4 });
  });
  afterAll(() => pool.end());

  test("commits exactly N complete orders with increasing commit times", async () => {
    const before = await one("SELECT COUNT(*) FROM sales_orders");
    const s = await commitOrders({ config: cfg(), orders: 25 });
    expect(s.orders).toBe(25);
    expect(s.commits).toHaveLength(25);
    expect(await one("SELECT COUNT(*) FROM sales_orders")).toBe(before + 25);
    const ids = s.commits.map((c) => c.salesOrderId).join(",");
    expect(await one(`SELECT COUNT(*) FROM sales_order_details WHERE sales_order_id IN (${ids})`)).toBe(125);
    for (const c of s.commits) expect(c.committedAtMs).toBeGreaterThanOrEqual(c.startedAtMs);
  }, 60000);

  test("low stock: out-of-stock events lead to per-supplier restock, inventory never stays negative", async () => {
    // Back to the seed, with only 3 units of every product in purchase order 1.
    await pool.query("DELETE FROM dc01_out_of_stock_events");
    await pool.query("DELETE FROM sales_order_details");
    await pool.query("DELETE FROM sales_orders");
    await pool.query("DELETE FROM purchase_order_details WHERE purchase_order_id <> 1");
    await pool.query("DELETE FROM purchase_orders WHERE id <> 1");
    await pool.query("UPDATE purchase_order_details SET quantity = 3 WHERE purchase_order_id = 1");
    const s = await commitOrders({ config: cfg(), orders: 40, concurrency: 3 });
    expect(s.outOfStockEvents).toBeGreaterThan(0);
    expect(s.purchaseOrders).toBeGreaterThan(0);
    expect(await one("SELECT COUNT(*) FROM dc01_out_of_stock_events")).toBe(0);
    expect(
      await one(`SELECT MIN(inv) FROM (SELECT COALESCE((SELECT SUM(quantity) FROM purchase_order_details WHERE product_id = p.id), 0)
                 - COALESCE((SELECT SUM(quantity) FROM sales_order_details WHERE product_id = p.id), 0) AS inv FROM products p) t`),
    ).toBeGreaterThanOrEqual(0);
  }, 120000);
});
