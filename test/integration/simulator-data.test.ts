/**
 * The order simulator must not crash-loop on data. The on-prem stack is deployed for real
 * (`scripts/up.sh onprem`: MariaDB, Kafka, Connect, simulator at one order a second), then a
 * sales line of 2147483647 units is committed, the row that once made the simulator exit again
 * and again: restocking that product would need more units than purchase_order_details.quantity
 * (INT) can hold ("Out of range value for column 'quantity'").
 *
 * On the old code this fails: the simulator exits 1 on the restock, Docker restarts it
 * (restart unless-stopped), the startup restock fails the same way, RestartCount climbs.
 */
import { spawnSync } from "child_process";
import { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { loadConfig } from "../../services/simulator/src/config";
import { commitOrders } from "../../services/simulator/src/simulator";
import { IT, db, docker, script, secrets, sleep, waitFor } from "./harness";

jest.setTimeout(15 * 60 * 1000);

const SIMULATOR = IT.container("simulator");
/** The most frequently drawn product of the default distribution (triangular 1..15..30). */
const PRODUCT = 15;
const INT_MAX = 2147483647;
/** How long the bad row must be survived (the brief: at least 30 s). */
const OBSERVE_MS = 32_000;

const restartCount = () => Number(docker("inspect", "-f", "{{.RestartCount}}", SIMULATOR));
const running = () => docker("inspect", "-f", "{{.State.Running}}", SIMULATOR) === "true";
/** Everything the simulator logged (stdout + stderr) since its container was created. */
const logs = () => {
  const r = spawnSync("docker", ["logs", SIMULATOR], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return `${r.stdout}\n${r.stderr}`;
};
/** The heartbeat file the container health check reads. */
const heartbeat = () => JSON.parse(docker("exec", SIMULATOR, "cat", "/tmp/simulator/heartbeat.json")) as {
  problems?: Array<{ key: string; op: string; reason: string; culprit?: string; failures: number }>;
  orders: number;
};
/** The container health check itself, run now: [exit code, its line]. */
const healthcheck = (): [number, string] => {
  try {
    return [0, docker("exec", SIMULATOR, "/usr/local/bin/healthcheck")];
  } catch (e) {
    const err = e as { status?: number; stdout?: string };
    return [err.status ?? -1, String(err.stdout ?? "").trim()];
  }
};
/** Docker's view: status and the output of the latest probe (.State.Health.Log). */
const dockerHealth = () => {
  const h = JSON.parse(docker("inspect", "-f", "{{json .State.Health}}", SIMULATOR)) as { Status: string; Log: Array<{ ExitCode: number; Output: string; End: string }> };
  return { status: h.Status, last: h.Log[h.Log.length - 1] };
};

async function count(conn: Connection, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await conn.query<RowDataPacket[]>(sql, params);
  return Number(Object.values(rows[0]!)[0]);
}

/** As every writer of detail rows must (services/simulator/README.md): hold the product's row lock. */
async function withProductLocked<T>(conn: Connection, fn: (c: Connection) => Promise<T>): Promise<T> {
  await conn.beginTransaction();
  try {
    await conn.query("SELECT id FROM products WHERE id = ? FOR UPDATE", [PRODUCT]);
    const v = await fn(conn);
    await conn.commit();
    return v;
  } catch (e) {
    await conn.rollback();
    throw e;
  }
}

let conn: Connection;

beforeAll(async () => {
  script("clean-deployment.sh");
  script("up.sh", ["onprem"]);
  conn = await db();
});

afterAll(async () => {
  await conn?.end();
  script("down.sh", ["--purge", "onprem"]);
});

let badOrderId = 0;
let badLineId = 0;

test("GIVEN a sales line of 2147483647 units WHEN the simulator restocks THEN it skips the product, names the row, stays up, degraded, and keeps selling", async () => {
  // GIVEN the simulator runs and is healthy, orders flowing.
  await waitFor("the simulator to be healthy", () => dockerHealth().status === "healthy", 120000);
  expect(restartCount()).toBe(0);
  const before = await count(conn, "SELECT COUNT(*) FROM sales_orders");

  // WHEN a line of INT max units of the product is committed, with an out-of-stock event for it
  // as the stream-processing side would write back. The product's stock is first set to exactly
  // STOCK, so that "order up to 100" then needs 100 - (STOCK - 2147483647) > 2147483647 units (the
  // restock path overflows) while a further sale of 1..10 units still fits the INT of
  // dc01_out_of_stock_events.quantity_on_hand (only the restock path breaks, deterministically).
  const STOCK = 50;
  await withProductLocked(conn, async (c) => {
    const stock =
      (await count(c, "SELECT COALESCE(SUM(quantity), 0) FROM purchase_order_details WHERE product_id = ?", [PRODUCT])) -
      (await count(c, "SELECT COALESCE(SUM(quantity), 0) FROM sales_order_details WHERE product_id = ?", [PRODUCT]));
    const supplier = await count(c, "SELECT supplier_id FROM products WHERE id = ?", [PRODUCT]);
    if (stock < STOCK) {
      const [po] = await c.execute<ResultSetHeader>("INSERT INTO purchase_orders (order_date, supplier_id) VALUES (NOW(3), ?)", [supplier]);
      await c.execute("INSERT INTO purchase_order_details (purchase_order_id, product_id, quantity, cost) VALUES (?, ?, ?, 28.95)", [po.insertId, PRODUCT, STOCK - stock]);
    }
    const [o] = await c.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 7)");
    badOrderId = o.insertId;
    if (stock > STOCK) {
      await c.execute("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, ?, ?, 47.77)", [badOrderId, PRODUCT, stock - STOCK]);
    }
    const [l] = await c.execute<ResultSetHeader>(
      "INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, ?, ?, 47.77)",
      [badOrderId, PRODUCT, INT_MAX],
    );
    badLineId = l.insertId;
    await c.execute("INSERT INTO dc01_out_of_stock_events (product_id, quantity_on_hand) VALUES (?, ?)", [PRODUCT, STOCK - INT_MAX]);
  });
  const startedAt = Date.now();
  const atBadRow = await count(conn, "SELECT COUNT(*) FROM sales_orders");

  // THEN for more than 30 s: never restarted, always running.
  const samples: number[] = [];
  while (Date.now() - startedAt < OBSERVE_MS) {
    samples.push(restartCount());
    expect(running()).toBe(true);
    await sleep(2000);
  }
  samples.push(restartCount());
  process.stdout.write(`RestartCount every 2 s after the bad row: ${samples.join(" ")}\n`);
  if (samples.some((n) => n > 0)) {
    process.stdout.write(`simulator errors:\n${logs().split("\n").filter((l) => / ERROR /.test(l)).slice(-3).join("\n")}\n`);
  }
  expect(samples.every((n) => n === 0)).toBe(true);

  // ... orders kept being created: one a second would be ~32; a shared, overloaded machine
  // (load average 60-100 measured) stalled the database for ~20 s in one run (13 orders). The old
  // code creates at most one order after the bad row before it exits, again and again.
  const after = await count(conn, "SELECT COUNT(*) FROM sales_orders");
  process.stdout.write(`sales_orders: ${before} before, ${atBadRow} at the bad row, ${after} ${((Date.now() - startedAt) / 1000).toFixed(1)} s later\n`);
  expect(after - atBadRow).toBeGreaterThanOrEqual(8);

  // ... the log names the row's key and the reason, and the culprit line.
  const text = logs();
  const skips = text.split("\n").filter((l) => l.includes(`skipping products.id=${PRODUCT} (restock)`));
  process.stdout.write(`simulator log, first skip: ${skips[0]}\n`);
  expect(skips.length).toBeGreaterThanOrEqual(1);
  expect(skips[0]).toContain("more than purchase_order_details.quantity allows (max 2147483647)");
  expect(skips[0]).toContain(`sales_order_details.id=${badLineId} quantity ${INT_MAX}`);
  // ... remembered, not retried in a tight loop: 5 s, 10 s, 20 s … between tries.
  expect(skips.length).toBeLessThanOrEqual(5);
  expect(text).not.toMatch(/restock transaction failed/);
  // The product is left out of new orders while skipped (none of its lines after the first skip
  // but the ones of retries: at most one order per retry).
  const soldSince = await count(
    conn,
    "SELECT COUNT(*) FROM sales_order_details d JOIN sales_orders o ON o.id = d.sales_order_id WHERE d.product_id = ? AND o.id > ?",
    [PRODUCT, badOrderId],
  );
  expect(soldSince).toBeLessThanOrEqual(skips.length);

  // ... health: the heartbeat lists the problem; the health check says degraded (exit 0: it is
  // serving, a restart would not fix data) and Docker keeps that line in .State.Health.Log.
  const hb = heartbeat();
  expect(hb.problems).toEqual([
    expect.objectContaining({ key: `products.id=${PRODUCT}`, op: "restock", culprit: `sales_order_details.id=${badLineId}` }),
  ]);
  const [code, line] = healthcheck();
  process.stdout.write(`healthcheck: exit ${code}: ${line}\n`);
  expect(code).toBe(0);
  expect(line).toMatch(new RegExp(`^degraded: 1 row\\(s\\) skipped because of their data: products\\.id=${PRODUCT} \\(restock\\)`));
  await waitFor("Docker's health probe to report degraded", () => /^degraded: .*products\.id=15/.test(dockerHealth().last?.Output ?? ""), 15000);
  const dh = dockerHealth();
  process.stdout.write(`docker inspect .State.Health: ${dh.status}, last probe: ${dh.last.Output.trim()}\n`);
  expect(dh.status).toBe("healthy");
});

test("GIVEN the bad line is deleted WHEN the simulator retries the product THEN it restocks it and health is healthy again", async () => {
  expect(badLineId).toBeGreaterThan(0);
  await withProductLocked(conn, async (c) => {
    await c.execute("DELETE FROM sales_order_details WHERE sales_order_id = ?", [badOrderId]);
    await c.execute("DELETE FROM sales_orders WHERE id = ?", [badOrderId]);
  });
  // The retry comes at most DATA_RETRY_MAX_MS (60 s) after the last failure.
  await waitFor("the simulator to report healthy again", () => healthcheck()[1].startsWith("healthy:"), 90000, 2000);
  expect(heartbeat().problems).toEqual([]);
  expect(logs()).toContain(`products.id=${PRODUCT} works again (restock)`);
  expect(await count(conn, "SELECT COUNT(*) FROM dc01_out_of_stock_events WHERE product_id = ?", [PRODUCT])).toBe(0);
  expect(restartCount()).toBe(0);
});

// The simulator's engine (what the container runs) against the deployed database, the container
// stopped so the counts are exact: moved here from a unit-project file that was skipped in every run.
describe("the simulator engine against the deployed database", () => {
  const cfg = () =>
    loadConfig(
      { DB_HOST: "127.0.0.1", DB_PORT: String(IT.dbPort), DB_PASSWORD_FILE: "/run/secrets/db-app-password", SIM_INTERVAL_MS: "0", SIM_SEED: "1", SIM_HEARTBEAT_FILE: "" },
      () => secrets().dbAppPassword,
    );

  beforeAll(() => {
    docker("stop", "-t", "30", SIMULATOR);
  });

  test("GIVEN no other writer WHEN the engine commits 25 orders THEN exactly 25 complete orders exist, commit times after start", async () => {
    const before = await count(conn, "SELECT COUNT(*) FROM sales_orders");
    const s = await commitOrders({ config: cfg(), orders: 25 });
    expect(s.orders).toBe(25);
    expect(s.commits).toHaveLength(25);
    expect(await count(conn, "SELECT COUNT(*) FROM sales_orders")).toBe(before + 25);
    const ids = s.commits.map((c) => c.salesOrderId);
    expect(await count(conn, `SELECT COUNT(*) FROM sales_order_details WHERE sales_order_id IN (${ids.map(() => "?").join(",")})`, ids)).toBe(25 * 5);
    for (const c of s.commits) expect(c.committedAtMs).toBeGreaterThanOrEqual(c.startedAtMs);
  });

  test("GIVEN 3 units of every product WHEN 40 orders sell them out THEN restocks per supplier follow and no inventory stays negative", async () => {
    // Back to the seed, with only 3 units of every product in purchase order 1.
    await conn.query("DELETE FROM dc01_out_of_stock_events");
    await conn.query("DELETE FROM sales_order_details");
    await conn.query("DELETE FROM sales_orders");
    await conn.query("DELETE FROM purchase_order_details WHERE purchase_order_id <> 1");
    await conn.query("DELETE FROM purchase_orders WHERE id <> 1");
    await conn.query("UPDATE purchase_order_details SET quantity = 3 WHERE purchase_order_id = 1");
    const s = await commitOrders({ config: cfg(), orders: 40, concurrency: 3 });
    expect(s.outOfStockEvents).toBeGreaterThan(0);
    expect(s.purchaseOrders).toBeGreaterThan(0);
    expect(await count(conn, "SELECT COUNT(*) FROM dc01_out_of_stock_events")).toBe(0);
    const lowest = await count(
      conn,
      `SELECT MIN(inv) FROM (SELECT COALESCE((SELECT SUM(quantity) FROM purchase_order_details WHERE product_id = p.id), 0)
         - COALESCE((SELECT SUM(quantity) FROM sales_order_details WHERE product_id = p.id), 0) AS inv FROM products p) t`,
    );
    expect(lowest).toBeGreaterThanOrEqual(0);
  });
});
