/**
 * The on-prem stack deployed for real: MariaDB → Debezium on Kafka Connect →
 * Kafka, through `scripts/up.sh onprem` (cdktf deploy). Needs the Docker
 * engine, images and providers that scripts/bootstrap.sh prepares.
 */
import { ResultSetHeader } from "mysql2/promise";
import { IT, Event, db, deploymentContainers, deploymentVolumes, docker, onPremKafka, planExitCode, readUntil, script, waitFor } from "./harness";

jest.setTimeout(15 * 60 * 1000);

const byId = (events: Event[], id: number) => events.filter((e) => e.value !== null && e.value.id === id);

beforeAll(() => {
  script("clean-deployment.sh");
  script("up.sh", ["onprem"]);
});

afterAll(() => {
  script("down.sh", ["--purge", "onprem"]);
});

test("every container is healthy and the CDC connector runs", () => {
  const names = deploymentContainers();
  expect(names).toEqual(["connect-1", "kafka-1", "mariadb", "simulator"].map((c) => IT.container(c)));
  for (const n of names) expect(docker("inspect", "-f", "{{.State.Health.Status}}", n)).toBe("healthy");
  // up.sh returns only once every connector's tasks run (scripts/where.ts waits for them).
  const status = JSON.parse(execCurl(`http://127.0.0.1:${IT.connectPort}/connectors/dc01-orders-cdc/status`));
  expect(status.connector.state).toBe("RUNNING");
  expect(status.tasks.map((t: { state: string }) => t.state)).toEqual(["RUNNING"]);
});

test("a second deploy plans no change", () => {
  const { code, output } = planExitCode("onprem");
  expect(output).toContain("No changes.");
  expect(code).toBe(0);
});

test("inserts, updates and deletes arrive as change events with the right values", async () => {
  const conn = await db();
  let orderId: number;
  let lineId: number;
  try {
    const [order] = await conn.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 7)");
    orderId = order.insertId;
    const [line] = await conn.execute<ResultSetHeader>(
      "INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, 3, 4, 12345678.91)",
      [orderId],
    );
    lineId = line.insertId;
    await conn.execute("UPDATE sales_order_details SET quantity = 9, price = 0.10 WHERE id = ?", [lineId]);
    await conn.execute("DELETE FROM sales_order_details WHERE id = ?", [lineId]);
  } finally {
    await conn.end();
  }

  const events = await readUntil(onPremKafka, "dc01_sales_order_details", (evs) => evs.some((e) => e.key === String(lineId) && e.value === null));
  const mine = byId(events, lineId);
  expect(mine.map((e) => e.value!.__op)).toEqual(["c", "u", "d"]);
  // DECIMAL(10,2) arrives as an exact JSON number, not base64 or a rounded double.
  expect(mine[0].value).toMatchObject({ id: lineId, sales_order_id: orderId, product_id: 3, quantity: 4, price: 12345678.91, sourcedc: "dc01", __deleted: "false" });
  expect(mine[1].value).toMatchObject({ quantity: 9, price: 0.1 });
  expect(mine[2].value).toMatchObject({ id: lineId, __deleted: "true" });
  // Keyed by the row id; the delete is followed by a tombstone for compaction.
  expect(mine.every((e) => e.key === String(lineId))).toBe(true);
  const tombstone = events.find((e) => e.key === String(lineId) && e.value === null);
  expect(tombstone).toBeDefined();

  const orders = await readUntil(onPremKafka, "dc01_sales_orders", (evs) => byId(evs, orderId).length > 0);
  expect(byId(orders, orderId)[0].value).toMatchObject({ id: orderId, customer_id: 7, __op: "c" });
});

test("the simulator's orders arrive continuously", async () => {
  const maxId = (evs: Event[]) => Math.max(0, ...evs.map((e) => Number(e.value?.id ?? 0)));
  const first = maxId(await readUntil(onPremKafka, "dc01_sales_orders", () => false, 8000));
  await new Promise((r) => setTimeout(r, 6000));
  const second = await readUntil(onPremKafka, "dc01_sales_orders", (evs) => maxId(evs) >= first + 3, 30000);
  // One order a second in this deployment: at least three more in ~10 s.
  expect(maxId(second)).toBeGreaterThanOrEqual(first + 3);
  const lines = await readUntil(onPremKafka, "dc01_sales_order_details", () => false, 5000);
  expect(lines.length).toBeGreaterThan(0);
});

test("killing and restarting the Connect worker loses no change event", async () => {
  const worker = IT.container("connect-1");
  const conn = await db();
  const inserted: number[] = [];
  try {
    const [order] = await conn.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 11)");
    const orderId = order.insertId;
    const insertSome = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const [r] = await conn.execute<ResultSetHeader>(
          "INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, 5, 1, 1.00)",
          [orderId],
        );
        inserted.push(r.insertId);
      }
    };
    await insertSome(100);
    docker("kill", "-s", "KILL", worker); // mid-stream: no graceful shutdown, no offset flush
    await insertSome(100); // written while Connect is down
    docker("start", worker);
    await insertSome(100);
  } finally {
    await conn.end();
  }
  await waitFor("the Connect worker to be healthy again", () => docker("inspect", "-f", "{{.State.Health.Status}}", worker) === "healthy", 180000);
  const want = new Set(inserted);
  const events = await readUntil(
    onPremKafka,
    "dc01_sales_order_details",
    (evs) => {
      const seen = new Set(evs.filter((e) => e.value && e.value.__op === "c").map((e) => Number(e.value!.id)));
      return [...want].every((id) => seen.has(id));
    },
    180000,
  );
  const seen = new Set(events.filter((e) => e.value && e.value.__op === "c").map((e) => Number(e.value!.id)));
  const missing = inserted.filter((id) => !seen.has(id));
  expect(missing).toEqual([]);
});

test("destroy removes every container and volume of the deployment", () => {
  script("down.sh", ["--purge", "onprem"]);
  expect(deploymentContainers()).toEqual([]);
  expect(deploymentVolumes()).toEqual([]);
});

function execCurl(url: string): string {
  return docker("exec", IT.container("connect-1"), "curl", "-fsS", url);
}
