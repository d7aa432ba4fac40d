/**
 * CDC semantics, end to end on the real topology (stacks onprem + bridge, six tables replicated,
 * the simulator running): key changes, delete and re-insert of a key, a 10,000-row transaction,
 * values at the limits of their types, columns added and dropped mid-stream, tables other than
 * sales_order_details — each checked on the keys the test wrote (the simulator writes too):
 * every change present exactly once in the lake, and each database row equal to its key's last
 * landed change. Finally `verify` reconciles every replicated table across the schema changes.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { canonicalNumber, Change } from "../../verify/reconcile";
import { Lake, TABLES, Table, dba, expectExactlyOnce, expectRowsMatchLake, semanticsEnv } from "./cdc-kit";
import { DEFAULTS } from "../../config/defaults";
import { LATENCY_PROBE_TABLE } from "../../config/tables";
import { cdcTopic } from "../../connectors/debezium";
import { ROOT, db, script, waitFor } from "./harness";

jest.setTimeout(10 * 60 * 1000);

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const BIGINT_MAX = "9223372036854775807";
const BIGINT_MIN = "-9223372036854775808";
/** DECIMAL(65,30): 35 integer digits, 30 fraction digits. */
const DEC_MAX = `${"9".repeat(35)}.${"9".repeat(30)}`;
const DEC_TINY = `0.${"0".repeat(29)}1`;

const lake = new Lake();
let conn: Connection;

const byId = (changes: readonly Change[], id: number) => changes.filter((c) => Number(c.id) === id);
const lastOf = (changes: readonly Change[], id: number) => byId(changes, id).pop();

async function insert(sql: string, values: Array<string | number | null> = []): Promise<number> {
  const [r] = await conn.execute<ResultSetHeader>(sql, values);
  return r.insertId;
}

beforeAll(async () => {
  const env = semanticsEnv();
  script("clean-deployment.sh", [], env);
  const t0 = Date.now();
  script("up.sh", [], env);
  console.log(`deploy of onprem + bridge (${TABLES.length} tables replicated): ${Math.round((Date.now() - t0) / 1000)} s`);
  conn = await db();
  // The brief's statements use sales order 1: the simulator's first order.
  await waitFor("the simulator's first sales order in the lake", async () => (await lake.of("sales_orders", [1])).length > 0, 180000, 2000);
}, 25 * 60 * 1000); // a deploy took 91 s on a quiet machine and 655 s at load average 70

afterAll(async () => {
  await conn?.end();
  script("down.sh", ["--purge"], semanticsEnv());
});

describe("key changes", () => {
  test("GIVEN a detail row WHEN its primary key is updated THEN the lake has the old key's create and delete and the new key's create, once each", async () => {
    const old = await insert("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (1, 1, 1, 1.00)");
    // INT's minimum as the new key: a valid id that leaves AUTO_INCREMENT (and the simulator's next ids) alone.
    await conn.execute("UPDATE sales_order_details SET id = ? WHERE id = ?", [INT_MIN, old]);

    const landed = await lake.await("sales_order_details", [old, INT_MIN], 3);

    // Debezium turns a key change into a delete of the old key and a create of the new one, both at
    // the same binlog position and row: a sink deduplicating by position alone drops the create.
    expectExactlyOnce(landed, { [old]: "c,d", [INT_MIN]: "c" });
    expect(lastOf(landed, INT_MIN)).toMatchObject({ id: INT_MIN, sales_order_id: 1, product_id: 1, quantity: 1, price: 1 });
    await expectRowsMatchLake(lake, "sales_order_details", [old, INT_MIN]);
  });

  test("GIVEN five detail rows WHEN one UPDATE changes all their keys THEN each old key ends in a delete and each new key has its create, once each", async () => {
    const olds: number[] = [];
    for (let i = 0; i < 5; i++) olds.push(await insert("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (1, 2, ?, 2.00)", [i + 1]));
    const news = olds.map((id) => -id);
    const [r] = await conn.query<ResultSetHeader>("UPDATE sales_order_details SET id = -id WHERE id IN (?)", [olds]);
    expect(r.affectedRows).toBe(5);

    const landed = await lake.await("sales_order_details", [...olds, ...news], 15);

    expectExactlyOnce(landed, Object.fromEntries([...olds.map((id) => [id, "c,d"]), ...news.map((id) => [id, "c"])]));
    news.forEach((id, i) => expect(lastOf(landed, id)).toMatchObject({ id, quantity: i + 1, product_id: 2 }));
    await expectRowsMatchLake(lake, "sales_order_details", [...olds, ...news]);
  });
});

test("GIVEN a row WHEN it is deleted and its key inserted again with other values THEN the lake has create, delete, create and the second version last", async () => {
  const id = await insert("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (1, 3, 3, 3.33)");
  await conn.execute("DELETE FROM sales_order_details WHERE id = ?", [id]);
  await conn.execute("INSERT INTO sales_order_details (id, sales_order_id, product_id, quantity, price) VALUES (?, 1, 4, 4, 4.44)", [id]);

  const landed = await lake.await("sales_order_details", [id], 3);

  expectExactlyOnce(landed, { [id]: "c,d,c" });
  expect(byId(landed, id).map((c) => [c.__op, c.product_id, c.quantity, c.price])).toEqual([
    ["c", 3, 3, 3.33],
    ["d", 3, 3, 3.33],
    ["c", 4, 4, 4.44],
  ]);
  await expectRowsMatchLake(lake, "sales_order_details", [id]);
});

test("GIVEN one transaction of 10,000 detail rows WHEN it commits THEN each row lands exactly once with its values", async () => {
  // A product of its own keeps the simulator's stock of products 1–30 untouched.
  const product = await insert("INSERT INTO products (sku, name, category, supplier_id, unit_price, unit_cost) VALUES ('IT-BULK', 'bulk', 'it', 1, 1.00, 0.50)");
  const rows = 10000;
  await conn.beginTransaction();
  const order = await insert("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 1)");
  for (let b = 0; b < rows / 1000; b++) {
    const values = Array.from({ length: 1000 }, (_, i) => [order, product, 1 + ((b * 1000 + i) % 97), ((b * 1000 + i) % 10000) / 100]);
    await conn.query("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES ?", [values]);
  }
  await conn.commit();
  const committed = Date.now();
  const [idRows] = await conn.query<RowDataPacket[]>("SELECT id FROM sales_order_details WHERE sales_order_id = ? ORDER BY id", [order]);
  const ids = idRows.map((r) => Number(r.id));
  expect(ids).toHaveLength(rows);

  const landed = await lake.await("sales_order_details", ids, rows, 240000);
  console.log(`10,000-row transaction: commit → all rows in the lake ≤ ${Math.round((Date.now() - committed) / 1000)} s (includes a 5 s settle)`);

  expectExactlyOnce(landed, Object.fromEntries(ids.map((id) => [id, "c"])));
  await expectRowsMatchLake(lake, "sales_order_details", ids);
});

test("GIVEN values at the limits of their types WHEN they are captured THEN the lake holds them exactly", async () => {
  // The schema has no BIGINT, wide DECIMAL, long VARCHAR or DATETIME(6) columns: add them mid-test (nullable, no default).
  dba(
    "ALTER TABLE customers ADD COLUMN it_int INT NULL, ADD COLUMN it_big BIGINT NULL, ADD COLUMN it_dec DECIMAL(65,30) NULL, " +
      "ADD COLUMN it_text VARCHAR(5000) NULL, ADD COLUMN it_dt6 DATETIME(6) NULL",
  );
  // 5000 characters (VARCHAR counts code points; a JS string's length counts UTF-16 units).
  const longText = [..."é😀'\"\\\n\t„quote“ ".repeat(400)].slice(0, 5000).join("");
  const customer = (n: number, v: Record<string, string | number | null>) =>
    insert(
      "INSERT INTO customers (first_name, last_name, email, city, created_at, updated_at, it_int, it_big, it_dec, it_text, it_dt6) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      [v.first_name, v.last_name, `it-limits-${n}@example.test`, v.city, v.created_at, v.updated_at, v.it_int, v.it_big, v.it_dec, v.it_text, v.it_dt6],
    );
  const emoji50 = "😀".repeat(50); // VARCHAR(50) counts characters: 200 bytes of utf8mb4
  const quoted = `O'Brien "Q" \\ \n\t;--`;
  const c1 = await customer(1, { first_name: emoji50, last_name: quoted, city: "Zürich — 東京 — ½", created_at: "1000-01-01 00:00:00.000", updated_at: "9999-12-31 23:59:59.999", it_int: INT_MAX, it_big: BIGINT_MAX, it_dec: DEC_MAX, it_text: longText, it_dt6: "9999-12-31 23:59:59.999" });
  const c2 = await customer(2, { first_name: "min", last_name: "", city: "", created_at: "1969-12-31 23:59:59.999", updated_at: "1970-01-01 00:00:00.001", it_int: INT_MIN, it_big: BIGINT_MIN, it_dec: `-${DEC_MAX}`, it_text: "", it_dt6: "1000-01-01 00:00:00.000" });
  const c3 = await customer(3, { first_name: "nulls", last_name: "n", city: "n", created_at: "2026-02-28 23:59:59.999", updated_at: "2026-02-28 23:59:59.999", it_int: null, it_big: null, it_dec: null, it_text: null, it_dt6: null });
  const c4 = await customer(4, { first_name: "zeros", last_name: "0", city: "0", created_at: "2000-02-29 12:00:00.5", updated_at: "2000-02-29 12:00:00.5", it_int: 0, it_big: "0", it_dec: DEC_TINY, it_text: "null", it_dt6: "2000-02-29 12:00:00.000" });
  const c5 = await customer(5, { first_name: "zero", last_name: "0", city: "0", created_at: "2000-01-01 00:00:00", updated_at: "2000-01-01 00:00:00", it_int: -1, it_big: "-1", it_dec: "0", it_text: " ", it_dt6: null });
  const p1 = await insert("INSERT INTO products (sku, name, category, supplier_id, unit_price, unit_cost) VALUES ('IT-MAX', ?, 'it', 1, 99999999.99, 0.00)", ["😀".repeat(100)]);
  const p2 = await insert("INSERT INTO products (sku, name, category, supplier_id, unit_price, unit_cost) VALUES ('IT-MIN', ?, 'it', 1, 0.00, 0.01)", [quoted]);
  const customers = [c1, c2, c3, c4, c5];

  const landedC = await lake.await("customers", customers, customers.length);
  const landedP = await lake.await("products", [p1, p2], 2);

  expectExactlyOnce(landedC, Object.fromEntries(customers.map((id) => [id, "c"])));
  expectExactlyOnce(landedP, { [p1]: "c", [p2]: "c" });
  const [l1, l2, l3, l4, l5] = customers.map((id) => lastOf(landedC, id)!);
  expect(l1).toMatchObject({ first_name: emoji50, last_name: quoted, city: "Zürich — 東京 — ½", it_int: INT_MAX, it_big: BIGINT_MAX, it_text: longText });
  // DATETIME(3) travels as epoch milliseconds, DATETIME(6) as epoch microseconds (exact text beyond 2^53), UTC.
  expect([l1.created_at, l1.updated_at]).toEqual([Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999)]);
  expect([String(l1.it_dt6), String(l2.it_dt6)]).toEqual([`${BigInt(Date.UTC(9999, 11, 31, 23, 59, 59, 999)) * 1000n}`, `${BigInt(Date.UTC(1000, 0, 1)) * 1000n}`]);
  expect([l2.created_at, l2.updated_at]).toEqual([-1, 1]);
  expect(l4.created_at).toBe(Date.UTC(2000, 1, 29, 12, 0, 0, 500));
  expect(canonicalNumber(l1.it_dec)).toBe(canonicalNumber(DEC_MAX));
  expect(l2).toMatchObject({ it_int: INT_MIN, it_big: BIGINT_MIN, last_name: "", city: "", it_text: "" });
  expect(canonicalNumber(l2.it_dec)).toBe(canonicalNumber(`-${DEC_MAX}`));
  // NULL is a present null, not a missing column and not the text "null".
  for (const k of ["it_int", "it_big", "it_dec", "it_text", "it_dt6"]) expect({ [k]: k in l3 ? l3[k] : "absent" }).toEqual({ [k]: null });
  expect(l4).toMatchObject({ it_int: 0, it_big: 0, it_text: "null" });
  expect(canonicalNumber(l4.it_dec)).toBe(canonicalNumber(DEC_TINY));
  expect(canonicalNumber(l5.it_dec)).toBe("0");
  expect(l5).toMatchObject({ it_int: -1, it_big: -1, it_text: " " });
  expect(lastOf(landedP, p1)).toMatchObject({ name: "😀".repeat(100), unit_price: 99999999.99, unit_cost: 0 });
  expect(lastOf(landedP, p2)).toMatchObject({ name: quoted, unit_price: 0, unit_cost: 0.01 });
  await expectRowsMatchLake(lake, "customers", customers);
  await expectRowsMatchLake(lake, "products", [p1, p2]);
});

test("GIVEN a DATETIME(6) value WHEN it is captured THEN its microseconds reach the lake", async () => {
  // it_dt6 was added by the limits test above.
  const id = await insert("INSERT INTO customers (first_name, last_name, email, city, it_dt6) VALUES ('micro', 's', 'it-micro@example.test', 'x', '2026-12-01 12:34:56.123456')");
  const [l] = await lake.await("customers", [id], 1);
  // Epoch microseconds of 2026-12-01T12:34:56.123456Z, however the lake writes them (number or ISO text).
  const micros = BigInt(Date.UTC(2026, 11, 1, 12, 34, 56, 123)) * 1000n + 456n;
  const landed = l?.it_dt6;
  const asMicros = typeof landed === "string" && /T/.test(landed) ? `ISO ${landed}` : String(landed);
  expect(asMicros).toMatch(new RegExp(`^(${micros}|ISO 2026-12-01T12:34:56\\.123456Z?)$`));
});

test("GIVEN the simulator writing WHEN columns are added (with and without a default) and dropped THEN rows after each change carry the new shape and nothing is lost", async () => {
  const line = (q: number) => insert("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (1, 5, ?, 5.00)", [q]);
  const before = [await line(1), await line(2), await line(3)];
  dba("ALTER TABLE sales_order_details ADD COLUMN it_note VARCHAR(40) NULL");
  dba("ALTER TABLE sales_order_details ADD COLUMN it_flag INT NOT NULL DEFAULT 7");
  const afterAdd = [
    await insert("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price, it_note, it_flag) VALUES (1, 5, 4, 5.00, 'after add', 9)"),
    await insert("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price, it_note) VALUES (1, 5, 5, 5.00, 'default flag')"),
  ];
  await conn.execute("UPDATE sales_order_details SET quantity = 11 WHERE id = ?", [before[0]]);
  dba("ALTER TABLE sales_order_details DROP COLUMN it_note");
  const afterDrop = [await line(6), await line(7)];
  await conn.execute("UPDATE sales_order_details SET quantity = 14 WHERE id = ?", [afterAdd[0]]);
  const mine = [...before, ...afterAdd, ...afterDrop];

  const landed = await lake.await("sales_order_details", mine, mine.length + 2);

  expectExactlyOnce(landed, { ...Object.fromEntries(mine.map((id) => [id, "c"])), [before[0]]: "c,u", [afterAdd[0]]: "c,u" });
  const shape = (c: Change) => ["it_note", "it_flag"].filter((k) => k in c).join("+") || "original";
  expect(mine.map((id) => byId(landed, id).map((c) => `${c.__op}:${shape(c)}`).join(" "))).toEqual([
    "c:original u:it_note+it_flag", // updated after the ADDs: its new version carries both columns
    "c:original",
    "c:original",
    "c:it_note+it_flag u:it_flag", // updated after the DROP
    "c:it_note+it_flag",
    "c:it_flag",
    "c:it_flag",
  ]);
  expect(byId(landed, before[0])[1]).toMatchObject({ quantity: 11, it_note: null, it_flag: 7 });
  expect(byId(landed, afterAdd[0])[0]).toMatchObject({ it_note: "after add", it_flag: 9 });
  expect(byId(landed, afterAdd[1])[0]).toMatchObject({ it_note: "default flag", it_flag: 7 });
  // Rows written before the ADD (no it_flag in the lake) match the database's it_flag = 7 (the default) by verify's rule.
  await expectRowsMatchLake(lake, "sales_order_details", mine);
  // The simulator's rows committed between the first and last of ours span the ALTERs: none lost.
  const [between] = await conn.query<RowDataPacket[]>("SELECT id FROM sales_order_details WHERE id BETWEEN ? AND ? AND id NOT IN (?)", [before[0], afterDrop[1], mine]);
  const theirs = between.map((r) => Number(r.id));
  expectExactlyOnce(await lake.await("sales_order_details", theirs, theirs.length), Object.fromEntries(theirs.map((id) => [id, "c"])));
  await expectRowsMatchLake(lake, "sales_order_details", theirs);
});

test("GIVEN writes to customers, products, sales and purchase orders WHEN they land THEN every table reconciles the same way", async () => {
  const cust = [
    await insert("INSERT INTO customers (first_name, last_name, email, city) VALUES ('Ada', 'L', 'it-multi-1@example.test', 'Turin')"),
    await insert("INSERT INTO customers (first_name, last_name, email, city) VALUES ('Bo', 'K', 'it-multi-2@example.test', 'Cork')"),
  ];
  await conn.execute("UPDATE customers SET city = 'Ghent' WHERE id = ?", [cust[0]]);
  await conn.execute("DELETE FROM customers WHERE id = ?", [cust[1]]);
  const prod = await insert("INSERT INTO products (sku, name, category, supplier_id, unit_price, unit_cost) VALUES ('IT-MULTI', 'multi', 'it', 2, 10.00, 4.00)");
  await conn.execute("UPDATE products SET unit_price = 12.50 WHERE id = ?", [prod]);
  const so = await insert("INSERT INTO sales_orders (order_date, customer_id) VALUES ('2026-06-30 23:59:59.999', ?)", [cust[0]]);
  await conn.execute("UPDATE sales_orders SET order_date = '2026-07-01 00:00:00.000' WHERE id = ?", [so]);
  const po = await insert("INSERT INTO purchase_orders (order_date, supplier_id) VALUES (NOW(3), 3)");
  await conn.execute("UPDATE purchase_orders SET supplier_id = 4 WHERE id = ?", [po]);
  const pod: number[] = [];
  for (let i = 0; i < 3; i++) pod.push(await insert("INSERT INTO purchase_order_details (purchase_order_id, product_id, quantity, cost) VALUES (?, ?, 10, 4.00)", [po, prod]));
  await conn.execute("UPDATE purchase_order_details SET cost = 3.99 WHERE id = ?", [pod[0]]);
  await conn.execute("DELETE FROM purchase_order_details WHERE id = ?", [pod[2]]);

  const expected: Array<[Table, Record<string, string>]> = [
    ["customers", { [cust[0]]: "c,u", [cust[1]]: "c,d" }],
    ["products", { [prod]: "c,u" }],
    ["sales_orders", { [so]: "c,u" }],
    ["purchase_orders", { [po]: "c,u" }],
    ["purchase_order_details", { [pod[0]]: "c,u", [pod[1]]: "c", [pod[2]]: "c,d" }],
  ];
  const landed = await Promise.all(expected.map(([table, ops]) => lake.await(table, Object.keys(ops).map(Number), Object.values(ops).join(",").split(",").length)));
  for (const [i, [table, ops]] of expected.entries()) {
    expectExactlyOnce(landed[i], ops);
    await expectRowsMatchLake(lake, table, Object.keys(ops).map(Number));
  }
  const [order] = await lake.of("sales_orders", [so]).then((c) => c.slice(-1));
  expect(order).toMatchObject({ customer_id: cust[0], order_date: Date.UTC(2026, 6, 1) });
});

test("GIVEN the schema changes above WHEN verify runs THEN every replicated table, the latency probe's too, reconciles: exit 0, verdict OK", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "dist", "scripts", "verify.js"), "--wait", "120"], { cwd: ROOT, env: semanticsEnv(), encoding: "utf8", timeout: 300000 });
  console.log(r.stdout, r.stderr);
  // The latency probe's table is captured, replicated and landed like the orders (onPrem.latencyProbe).
  for (const table of [...TABLES, LATENCY_PROBE_TABLE]) expect(r.stdout).toContain(`${table} → ${cdcTopic(DEFAULTS.onPrem.dc, table)} (`);
  expect(r.stdout.match(/verdict: OK/g)?.length ?? 0).toBe(TABLES.length + 1);
  expect(r.stdout).not.toContain("FAILED");
  expect(r.status).toBe(0);
});
