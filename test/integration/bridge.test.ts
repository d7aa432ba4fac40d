/**
 * The whole local topology deployed for real (stacks onprem + bridge):
 * MariaDB → Debezium → on-prem Kafka → MirrorMaker 2 → SASL_SSL cloud Kafka →
 * lake sink → Azurite. Changes must land exactly once, also when the sink
 * and the Connect worker are killed mid-stream.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { spawnSync } from "child_process";
import { ResultSetHeader } from "mysql2/promise";
import { Change, changeIdentity, reconcile } from "../../verify/reconcile";
import { readLake, readTable, readTopic } from "../../verify/sources";
import { IT, ROOT, appDb, cloudKafka, db, docker, itEnv, lakeLocation, planExitCode, script, sleep, waitFor } from "./harness";
import { logLevel } from "kafkajs";

jest.setTimeout(20 * 60 * 1000);

const TOPIC = "dc01_sales_order_details";
const onPrem = { brokers: [`127.0.0.1:${IT.kafkaPort}`], logLevel: logLevel.NOTHING };

/** The lake's changes of the given row ids, in source order. */
async function landedFor(ids: Set<number>): Promise<Change[]> {
  const { changes } = await readLake(lakeLocation(), TOPIC);
  return changes.map((c) => c.change).filter((c) => ids.has(Number(c.id)));
}

beforeAll(() => {
  script("clean-deployment.sh");
  script("up.sh");
});

afterAll(() => {
  script("down.sh", ["--purge"]);
});

test("the simulator's orders land in the lake within seconds, and the Power BI file points there", async () => {
  await waitFor("a landed file", async () => (await readLake(lakeLocation(), TOPIC)).files > 0, 90000, 2000);
  const { changes } = await readLake(lakeLocation(), TOPIC);
  expect(changes[0].change).toMatchObject({ sourcedc: "dc01" });
  const pbids = JSON.parse(readFileSync(join(ROOT, ".state", IT.environment, `${IT.prefix}.pbids`), "utf8"));
  expect(pbids.connections[0].details.address.url).toBe(`http://127.0.0.1:${IT.azuritePort}/bridgelake/orders`);
});

test("a second deploy of both stacks plans no change", () => {
  for (const stack of ["onprem", "bridge"]) {
    const { code, output } = planExitCode(stack);
    expect(`${stack}: ${output.includes("No changes.") ? "no changes" : output.slice(-2000)}`).toBe(`${stack}: no changes`);
    expect(code).toBe(0);
  }
});

test("a known set of inserts, updates and deletes lands exactly once with the right values", async () => {
  const conn = await db();
  const ids: number[] = [];
  try {
    const [order] = await conn.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 21)");
    for (let i = 0; i < 40; i++) {
      const [r] = await conn.execute<ResultSetHeader>(
        "INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, ?, ?, ?)",
        [order.insertId, (i % 30) + 1, 1 + (i % 10), (1000 + i) / 100],
      );
      ids.push(r.insertId);
    }
    for (const id of ids.slice(0, 10)) await conn.execute("UPDATE sales_order_details SET quantity = quantity + 100 WHERE id = ?", [id]);
    for (const id of ids.slice(30, 35)) await conn.execute("DELETE FROM sales_order_details WHERE id = ?", [id]);
  } finally {
    await conn.end();
  }
  const want = new Set(ids);
  const expectedChanges = 40 + 10 + 5;
  let landed: Change[] = [];
  await waitFor(`${expectedChanges} changes in the lake`, async () => (landed = await landedFor(want)).length >= expectedChanges, 120000, 2000);
  await sleep(5000); // anything extra would be a duplicate: give it time to show
  landed = await landedFor(want);

  expect(landed).toHaveLength(expectedChanges);
  expect(new Set(landed.map(changeIdentity)).size).toBe(expectedChanges);
  ids.forEach((id, i) => {
    const ops = landed.filter((c) => Number(c.id) === id);
    const expectedOps = i < 10 ? ["c", "u"] : i >= 30 && i < 35 ? ["c", "d"] : ["c"];
    expect({ id, ops: ops.map((c) => c.__op) }).toEqual({ id, ops: expectedOps });
    expect(ops[0]).toMatchObject({ quantity: 1 + (i % 10), price: (1000 + i) / 100, product_id: (i % 30) + 1 });
    if (i < 10) expect(ops[1]).toMatchObject({ quantity: 101 + (i % 10) });
    if (i >= 30 && i < 35) expect(ops[1]).toMatchObject({ __deleted: "true" });
  });
});

test("killing the sink and the Connect worker mid-stream loses and duplicates nothing", async () => {
  const conn = await db();
  const ids: number[] = [];
  try {
    const [order] = await conn.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 22)");
    const insert = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const [r] = await conn.execute<ResultSetHeader>(
          "INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, 7, 2, 3.50)",
          [order.insertId],
        );
        ids.push(r.insertId);
        await sleep(5);
      }
    };
    await insert(150);
    docker("kill", "-s", "KILL", IT.container("lake-sink"));
    await insert(100);
    docker("kill", "-s", "KILL", IT.container("connect-1"));
    await insert(100);
    docker("start", IT.container("connect-1"));
    docker("start", IT.container("lake-sink"));
    await insert(150);
  } finally {
    await conn.end();
  }
  for (const name of [IT.container("connect-1"), IT.container("lake-sink")]) {
    await waitFor(`${name} healthy`, () => docker("inspect", "-f", "{{.State.Health.Status}}", name) === "healthy", 240000, 2000);
  }
  const want = new Set(ids);
  let landed: Change[] = [];
  await waitFor("every row in the lake", async () => new Set((landed = await landedFor(want)).map((c) => Number(c.id))).size === ids.length, 300000, 3000);
  await sleep(5000);
  landed = await landedFor(want);
  const perId = new Map<number, number>();
  for (const c of landed) perId.set(Number(c.id), (perId.get(Number(c.id)) ?? 0) + 1);
  expect(ids.filter((id) => perId.get(id) !== 1)).toEqual([]);

  // The whole table reconciles too: every hop, every row, nothing twice. The simulator keeps
  // committing, so rows read now may still be in flight: give them time, but never a duplicate.
  const rows = await readTable(appDb(), "sales_order_details");
  let r!: ReturnType<typeof reconcile>;
  await waitFor(
    "the table to reconcile",
    async () => {
      r = reconcile(rows, [
        { name: "on-prem topic", changes: await readTopic(onPrem, TOPIC) },
        { name: "cloud topic", changes: await readTopic(cloudKafka(), TOPIC) },
        { name: "lake files", changes: (await readLake(lakeLocation(), TOPIC)).changes },
      ]);
      return r.ok || r.duplicatedInLake.length > 0;
    },
    120000,
    3000,
  ).catch(() => undefined);
  expect({ missing: r.missingInLake.map((x) => x.id), duplicated: r.duplicatedInLake }).toEqual({ missing: [], duplicated: [] });
});

test("the verify command reports every hop and exits 0", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "dist", "scripts", "verify.js"), "--wait", "120"], { cwd: ROOT, env: itEnv(), encoding: "utf8" });
  expect(r.stdout).toContain("lake files");
  expect(r.stdout).toContain("verdict: OK");
  expect(r.status).toBe(0);
});
