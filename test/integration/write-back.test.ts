/**
 * The way back on one local deployment (slot per BRIDGE_IT_SLOT), as `scripts/up.sh` deploys it with
 * `writeBack.enabled`: a product sells out at dc01 through SQL inserts → Debezium → on-prem Kafka →
 * MirrorMaker 2 → cloud Kafka → the deployed stock processor (Kafka Streams, exactly_once_v2) →
 * dc01_out_of_stock_events on the cloud Kafka → the reverse MirrorMaker 2 (cloud → site) → the on-prem
 * topic → Debezium's JDBC sink → exactly one row in dc01's table. Nothing is started or copied by hand.
 *
 * The simulator is off while the test sells product 13 out (its orders and restocks would move the stock);
 * the last test deploys it and sees it raise the purchase order for the pending event, as the workshop's
 * order application does (with write-back on its own out-of-stock detection is off: SIM_LOCAL_STOCK_EVENTS=false).
 */
import { logLevel } from "kafkajs";
import { RowDataPacket } from "mysql2/promise";
import { outOfStockTable } from "../../config/tables";
import { SIM_ENV } from "../../services/simulator/src/env";
import { Kafka, KafkaConfig } from "kafkajs";
import { eventRows as siteEventRows, sellOut, stockOf } from "../kit/stock";
import { IT, cloudKafka, db, docker, itEnv, readUntil, script, secrets, sleep, waitFor } from "./harness";

jest.setTimeout(30 * 60 * 1000);

const DC = "dc01";
const EVENTS = outOfStockTable(DC);
const PRODUCT = 13;
const connectUrl = `http://127.0.0.1:${IT.connectPort}`;

/** The whole default deployment with the way back on, and no simulator. */
const env = itEnv({
  onPrem: {
    database: { port: IT.dbPort },
    kafka: { basePort: IT.kafkaPort },
    connect: { basePort: IT.connectPort },
    simulator: { enabled: false },
  },
  writeBack: { enabled: true },
});
const onPrem = { ...IT.onPremKafka("it-write-back"), logLevel: logLevel.NOTHING };
const cloud = () => ({ ...cloudKafka(), logLevel: logLevel.NOTHING });
const processorName = () => `${IT.prefix}-stock-processor`;

async function eventRows(): Promise<Array<{ product: number; onHand: number }>> {
  const conn = await db();
  try {
    return await siteEventRows(conn, EVENTS);
  } finally {
    await conn.end();
  }
}

async function topicNames(client: KafkaConfig): Promise<string[]> {
  const admin = new Kafka(client).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

async function connectorState(name: string): Promise<string> {
  const s = (await (await fetch(`${connectUrl}/connectors/${name}/status`)).json()) as { connector?: { state: string }; tasks?: Array<{ state: string }> };
  return `${s.connector?.state}/${(s.tasks ?? []).map((t) => t.state).join(",")}`;
}

beforeAll(() => {
  script("clean-deployment.sh", [], env);
  script("up.sh", [], env);
});

afterAll(() => {
  try {
    console.log(docker("logs", "--tail", "80", processorName()));
  } catch {
    /* not deployed */
  }
  script("down.sh", ["--purge"], env);
});

test("GIVEN the deployed way back WHEN up.sh is done THEN the processor is healthy and the reverse MM2 and the JDBC sink run on the site's Connect", async () => {
  expect(docker("inspect", "-f", "{{.State.Health.Status}}", processorName())).toBe("healthy");
  // The processor's own login on the local cloud Kafka, not the lake sink's (its volume, its user).
  expect(docker("inspect", "-f", "{{range .Mounts}}{{.Name}} {{end}}", processorName())).toContain(`${IT.prefix}-secrets-stock-processor`);
  await waitFor("the reverse MM2 and the JDBC sink RUNNING", async () =>
    (await connectorState(`${DC}-mm2-reverse`)) === "RUNNING/RUNNING" && (await connectorState(`${DC}-out-of-stock-sink`)) === "RUNNING/RUNNING", 180000, 3000);
});

test("GIVEN the reverse connector's settings WHEN the real worker validates them THEN Kafka 4.3's MirrorSourceConnector knows each, and no offset-syncs topic exists for it", async () => {
  const cfg = (await (await fetch(`${connectUrl}/connectors/${DC}-mm2-reverse/config`)).json()) as Record<string, string>;
  const v = (await (
    await fetch(`${connectUrl}/connector-plugins/MirrorSourceConnector/config/validate`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(cfg) })
  ).json()) as { error_count: number; configs: Array<{ definition: { name: string }; value: { value: string | null; errors: string[] } }> };
  expect(v.error_count).toBe(0);
  const known = new Map(v.configs.map((c) => [c.definition.name, c.value.value]));
  // A key the connector does not define would be accepted silently: each must be one of its definitions.
  expect({ emitOffsetSyncs: known.get("emit.offset-syncs.enabled"), syncConfigs: known.get("sync.topic.configs.enabled"), topics: known.get("topics") }).toEqual({
    emitOffsetSyncs: "false",
    syncConfigs: "false",
    topics: EVENTS,
  });
  // The reverse connector's offset syncs would live on its source (the cloud) as mm2-offset-syncs.onprem.internal.
  expect((await topicNames(cloud())).filter((t) => t.startsWith("mm2-offset-syncs"))).toEqual([]);
});

test("GIVEN the processor's container WHEN inspected THEN its login is a file: no password in its environment or command", () => {
  const inspect = docker("inspect", processorName());
  expect(inspect).toContain("STOCK_KAFKA_CREDENTIALS_FILE=/run/secrets/stock-processor/kafka.properties");
  expect(inspect.includes(secrets().cloudStockPassword)).toBe(false);
});

test("GIVEN product 13 in stock at dc01 WHEN sales take it to 0 and one more sells THEN exactly one event row in dc01's table", async () => {
  const conn = await db();
  try {
    await sellOut(conn, PRODUCT);
  } finally {
    await conn.end();
  }
  await waitFor(`an event row in ${EVENTS}`, async () => (await eventRows()).length > 0, 240000, 2000);
  await sleep(15000); // a second event or a duplicate row would show by now
  const rows = await eventRows();
  expect(rows).toEqual([{ product: PRODUCT, onHand: 0 }]);
  // One event on each cluster: the processor's on the cloud, the reverse MM2's copy on the site.
  for (const [where, client] of [["cloud", cloud()], ["on-prem", onPrem]] as const) {
    const events = await readUntil(client, EVENTS, () => false, 10000);
    expect({ where, payloads: events.map((e) => (e.value as { payload: unknown }).payload) }).toEqual({ where, payloads: [expect.objectContaining({ product_id: PRODUCT, quantity_on_hand: 0 })] });
  }
});

test("GIVEN the forward MM2 excludes the events topic WHEN the event is on-prem THEN nothing copied it back into the cloud (one record there)", async () => {
  const cfg = (await (await fetch(`${connectUrl}/connectors/${DC}-mm2-source/config`)).json()) as Record<string, string>;
  expect(cfg["topics.exclude"]).toContain(EVENTS);
  const events = await readUntil(cloud(), EVENTS, () => false, 5000);
  expect(events).toHaveLength(1);
});

test("GIVEN dc01's pending event for product 13 WHEN the simulator is deployed THEN it raises a purchase order for 13 (stock back to its restock level) and clears the row", async () => {
  const conn = await db();
  let before: number;
  let stock: number;
  try {
    const [[row]] = await conn.query<RowDataPacket[]>("SELECT COALESCE(MAX(id), 0) AS id FROM purchase_order_details");
    before = Number(row.id);
    stock = await stockOf(conn, PRODUCT);
  } finally {
    await conn.end();
  }
  expect(stock).toBeLessThanOrEqual(0);
  expect((await eventRows()).map((r) => r.product)).toEqual([PRODUCT]);
  // The same deployment with the simulator on (its default): its local detection stays off with write-back.
  const withSimulator = itEnv({
    onPrem: { database: { port: IT.dbPort }, kafka: { basePort: IT.kafkaPort }, connect: { basePort: IT.connectPort } },
    writeBack: { enabled: true },
  });
  script("up.sh", [], withSimulator);
  expect(docker("inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", IT.container("simulator"))).toContain("SIM_LOCAL_STOCK_EVENTS=false");
  let bought: number[] = [];
  await waitFor(`a purchase order line for product ${PRODUCT} and its event row cleared`, async () => {
    const c = await db();
    try {
      const [lines] = await c.query<RowDataPacket[]>("SELECT quantity FROM purchase_order_details WHERE product_id = ? AND id > ? ORDER BY id", [PRODUCT, before]);
      bought = lines.map((l) => Number(l.quantity));
      return bought.length > 0 && !(await eventRows()).some((r) => r.product === PRODUCT);
    } finally {
      await c.end();
    }
  }, 120000, 2000);
  // "Order up to" the restock level, backorders included: the startup restock runs before any order.
  expect(bought[0]).toBe(Number(SIM_ENV.SIM_RESTOCK_QUANTITY.default) - stock);
});
