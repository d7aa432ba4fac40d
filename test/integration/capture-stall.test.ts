/**
 * No silent stall: the on-prem stack deployed for real, rows written continuously, the database
 * container stopped for a while and started again. While capture is stalled, the Connect container's
 * health check and `verify` say so from Debezium's streaming metrics (the connector stays RUNNING);
 * capture resumes within 15 s of the database accepting connections again; every row written reaches
 * the on-prem topic exactly once with its values.
 */
import { spawn, spawnSync } from "child_process";
import { join } from "path";
import { Kafka } from "kafkajs";
import { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { IT, ROOT, db, docker, itEnv, onPremKafka, script, sleep, waitFor } from "./harness";

jest.setTimeout(20 * 60 * 1000);

const TOPIC = "dc01_sales_order_details";
const DATABASE = IT.container("mariadb");
const CONNECT = IT.container("connect-1");
/** How long the database stays stopped: long enough for at least two health probes (every 5 s) to run. */
const OUTAGE_MS = 12000;
/** Correctness bound of the issue: capture resumes within this of the database accepting connections. */
const RESUME_BOUND_MS = 15000;

interface HealthEntry {
  readonly Start: string;
  readonly End: string;
  readonly ExitCode: number;
  readonly Output: string;
}

function healthLog(): HealthEntry[] {
  return (JSON.parse(docker("inspect", "-f", "{{json .State.Health.Log}}", CONNECT)) as HealthEntry[] | null) ?? [];
}

/** `npm run verify -- --capture-only` against this deployment: exit code and output. */
function verifyCapture(): { code: number; out: string } {
  const r = spawnSync("node", [join(ROOT, "dist/scripts/verify.js"), "--capture-only"], { cwd: ROOT, env: itEnv(), encoding: "utf8", timeout: 30000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

async function verifyCaptureAsync(): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn("node", [join(ROOT, "dist/scripts/verify.js"), "--capture-only"], { cwd: ROOT, env: itEnv() });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

/** True when a client can open a connection to the database right now. */
async function databaseAccepts(): Promise<boolean> {
  try {
    const c = await db();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  script("clean-deployment.sh");
  script("up.sh", ["onprem"]);
});

afterAll(() => {
  script("down.sh", ["--purge", "onprem"]);
});

test("GIVEN capture is streaming WHEN the database is stopped and started THEN the stall is visible, capture resumes within 15 s, every row arrives once", async () => {
  // GIVEN: capture streams, and the health check and verify both say so.
  // Right after deploy verify may pass while Debezium still snapshots (not a stall): wait for streaming itself.
  let streaming = { code: -1, out: "" };
  await waitFor("verify to report capture streaming", () => {
    streaming = verifyCapture();
    return streaming.code === 0 && /capture dc01: streaming \(connected/.test(streaming.out);
  }, 180000, 2000);
  expect(streaming.code).toBe(0);
  await waitFor("a passing health probe that shows the capture state", () => {
    const last = healthLog().at(-1);
    return last !== undefined && last.ExitCode === 0 && last.Output.includes("streaming capture dc01: connected=1");
  }, 60000);

  // A live consumer notes when each change event of the topic arrives.
  const arrivals: { id: number; op: string; at: number }[] = [];
  const consumer = new Kafka(onPremKafka).consumer({ groupId: `it-stall-${Date.now()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const v = JSON.parse(message.value.toString()) as { id: number; __op: string };
      arrivals.push({ id: v.id, op: v.__op, at: Date.now() });
    },
  });
  await sleep(3000); // let the consumer join before the first row

  // A writer inserts a row every 50 ms into an order of its own, reconnecting while the database is away.
  const setup = await db();
  const [order] = await setup.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 13)");
  const orderId = order.insertId;
  await setup.end();
  let writing = true;
  let attempts = 0;
  let failures = 0;
  const writer = (async () => {
    let conn: Connection | undefined;
    for (let i = 0; writing && i < 20000; i++) {
      try {
        conn ??= await db();
        attempts++;
        await conn.execute("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, 5, ?, ?)", [orderId, (i % 9) + 1, (i % 1000) / 100 + 0.01]);
        await sleep(50);
      } catch {
        failures++;
        await conn?.destroy();
        conn = undefined;
        await sleep(200);
      }
    }
    await conn?.end();
  })();
  await sleep(5000);

  // Docker keeps only the last 5 probes: collect them as they come.
  const probes = new Map<string, HealthEntry>();
  let watching = true;
  const watcher = (async () => {
    for (let i = 0; watching && i < 600; i++) {
      for (const e of healthLog()) probes.set(e.Start, e);
      await sleep(1000);
    }
  })();

  // WHEN: the database goes away for OUTAGE_MS and comes back.
  const stoppedAt = Date.now();
  docker("stop", "-t", "30", DATABASE);
  const down = Date.now();
  const outageEnd = down + OUTAGE_MS;
  let verifyStalled: { code: number; out: string } | undefined;
  while (Date.now() < outageEnd) {
    const v = await verifyCaptureAsync();
    if (v.code === 3 && v.out.includes("STALLED")) verifyStalled ??= v;
    await sleep(1000);
  }
  docker("start", DATABASE);
  const deadline = Date.now() + 120000;
  while (!(await databaseAccepts())) {
    if (Date.now() > deadline) throw new Error("the database did not accept connections within 120 s of docker start");
    await sleep(100);
  }
  const acceptedAt = Date.now();
  await waitFor("a change event after the database is back", () => arrivals.some((a) => a.at >= acceptedAt), 60000, 100);
  const resumedAt = Math.min(...arrivals.filter((a) => a.at >= acceptedAt).map((a) => a.at));
  const resumeMs = resumedAt - acceptedAt;
  console.log(
    `capture-stall: database stopped in ${down - stoppedAt} ms, down ${acceptedAt - down} ms in all; ` +
      `first change event ${resumeMs} ms after the database accepted connections again (bound ${RESUME_BOUND_MS} ms)`,
  );

  watching = false;
  await watcher;
  for (const e of healthLog()) probes.set(e.Start, e);
  // Health probes that ran while the database was stopped (and before capture resumed).
  const during = [...probes.values()].filter((e) => Date.parse(e.Start) >= down && Date.parse(e.End) <= resumedAt);
  console.log(`capture-stall: health probes during the outage:\n${during.map((e) => `  ${e.Start} exit ${e.ExitCode}: ${e.Output.trim()}`).join("\n")}`);
  console.log(`capture-stall: verify during the outage: ${verifyStalled?.out.trim() ?? "(never STALLED)"}`);

  await sleep(8000); // keep writing a while after capture resumed
  writing = false;
  await writer;

  // THEN: the stall was visible in the health check and in verify, from the streaming metrics …
  expect(during.length).toBeGreaterThanOrEqual(1);
  expect(during.some((e) => e.ExitCode !== 0 && /STALLED\(not connected\) capture dc01/.test(e.Output))).toBe(true);
  expect(verifyStalled?.out).toMatch(/capture dc01: STALLED — the binlog client is not connected/);
  // … while Connect still called the connector and its task RUNNING (the reason for this check).
  const status = JSON.parse(docker("exec", CONNECT, "curl", "-fsS", `http://127.0.0.1:${IT.connectPort}/connectors/dc01-orders-cdc/status`));
  expect(status.tasks.map((t: { state: string }) => t.state)).toEqual(["RUNNING"]);

  // … capture resumed within the bound …
  expect(resumeMs).toBeLessThanOrEqual(RESUME_BOUND_MS);
  await waitFor("verify to report capture streaming again", () => verifyCapture().code === 0, 60000, 2000);
  await waitFor("a passing health probe again", () => healthLog().at(-1)?.ExitCode === 0, 60000);

  // … and every row of the order reached the topic exactly once, with its values.
  const conn = await db();
  const [rows] = await conn.query<RowDataPacket[]>("SELECT id, quantity, price FROM sales_order_details WHERE sales_order_id = ? ORDER BY id", [orderId]);
  await conn.end();
  const want = new Map(rows.map((r) => [Number(r.id), { quantity: Number(r.quantity), price: Number(r.price) }]));
  const values = new Map<number, { quantity: number; price: number; op: string }[]>();
  const reader = new Kafka(onPremKafka).consumer({ groupId: `it-stall-read-${Date.now()}`, maxWaitTimeInMs: 500 });
  await reader.connect();
  await reader.subscribe({ topic: TOPIC, fromBeginning: true });
  let lastNew = Date.now();
  await reader.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const v = JSON.parse(message.value.toString()) as { id: number; sales_order_id: number; quantity: number; price: number; __op: string };
      if (v.sales_order_id !== orderId) return;
      values.set(v.id, [...(values.get(v.id) ?? []), { quantity: v.quantity, price: v.price, op: v.__op }]);
      lastNew = Date.now();
    },
  });
  await waitFor("every row of the order in the topic", () => [...want.keys()].every((id) => values.has(id)), 120000, 500);
  await waitFor("the topic to be read to its end", () => Date.now() - lastNew > 5000, 60000, 500);
  await reader.disconnect();
  await consumer.disconnect();

  console.log(`capture-stall: ${want.size} rows written (${attempts} attempts, ${failures} failed while the database was away)`);
  expect(want.size).toBeGreaterThan(100);
  const missing = [...want.keys()].filter((id) => !values.has(id));
  const duplicated = [...values].filter(([, evs]) => evs.length !== 1).map(([id, evs]) => `${id}×${evs.length}`);
  const unknown = [...values.keys()].filter((id) => !want.has(id));
  const wrong = [...want].filter(([id, w]) => {
    const e = values.get(id)?.[0];
    return e !== undefined && (e.op !== "c" || e.quantity !== w.quantity || e.price !== w.price);
  });
  expect({ missing, duplicated, unknown, wrong }).toEqual({ missing: [], duplicated: [], unknown: [], wrong: [] });
});
