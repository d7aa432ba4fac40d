/**
 * The way back on one local deployment (slot per BRIDGE_IT_SLOT): a product sells out at dc01 through SQL
 * inserts → Debezium → on-prem Kafka → MirrorMaker 2 → cloud Kafka → the stock processor container
 * (Kafka Streams, exactly_once_v2) → dc01_out_of_stock_events on the cloud Kafka → (this test copies the
 * topic's records byte for byte to the on-prem cluster: the stand-in for MirrorMaker 2 cloud → site,
 * which is not wired yet) → Debezium's JDBC sink on the on-prem Connect → exactly one row in dc01's table.
 *
 * The simulator is off: its own local out-of-stock detection would write the same table.
 */
import { Kafka, logLevel } from "kafkajs";
import { ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { jdbcSinkConfig } from "../../connectors";
import { outOfStockTable } from "../../config/tables";
import { DEFAULTS } from "../../config/defaults";
import { CONNECT_SECRETS, LAKE_SINK_SECRETS } from "../../constructs/secret-files";
import { DEPLOYMENT_LABEL, MANAGED_LABEL } from "../../constructs/docker/service-container";
import { IT, cloudKafka, db, docker, itEnv, readUntil, script, sleep, waitFor } from "./harness";

jest.setTimeout(25 * 60 * 1000);

const DC = "dc01";
const EVENTS = outOfStockTable(DC);
const PRODUCT = 13;
const SINK = `${DC}-out-of-stock-sink`;

/** The whole default deployment, but no simulator and both order-line topics replicated. */
const env = itEnv({
  onPrem: {
    database: { port: IT.dbPort },
    kafka: { basePort: IT.kafkaPort },
    connect: { basePort: IT.connectPort },
    simulator: { enabled: false },
  },
  replication: { topics: [`${DC}_sales_order_details`, `${DC}_purchase_order_details`] },
});
const onPrem = { ...IT.onPremKafka("it-write-back"), logLevel: logLevel.NOTHING };
const cloud = () => ({ ...cloudKafka(), logLevel: logLevel.NOTHING });
const processorName = () => `${IT.prefix}-stock-processor`;
const connectUrl = `http://127.0.0.1:${IT.connectPort}`;

function stockProcessorImage(): string {
  const images = (IT.config() as { images?: Record<string, string> }).images;
  return images?.stockProcessor ?? DEFAULTS.images.stockProcessor;
}

let stopCopy: (() => Promise<void>) | undefined;

/** MirrorMaker 2 cloud → site stand-in: every record of the cloud events topic to the on-prem one, bytes unchanged. */
async function copyEventsToSite(): Promise<() => Promise<void>> {
  const consumer = new Kafka(cloud()).consumer({ groupId: `it-copy-${Date.now()}` });
  const producer = new Kafka(onPrem).producer();
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic: EVENTS, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void (await producer.send({ topic: EVENTS, messages: [{ key: message.key, value: message.value }] })) });
  return async () => {
    await consumer.disconnect();
    await producer.disconnect();
  };
}

async function eventRows(): Promise<RowDataPacket[]> {
  const conn = await db();
  try {
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT product_id, quantity_on_hand FROM \`${EVENTS}\``);
    return rows;
  } finally {
    await conn.end();
  }
}

beforeAll(async () => {
  script("clean-deployment.sh", [], env);
  script("up.sh", [], env);
  for (const c of [cloud(), onPrem]) {
    const admin = new Kafka(c).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: EVENTS, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
  }
  // The stock processor with the lake sink's SASL user on the cloud Kafka (its volume is readable by uid 10003 only).
  const secrets = IT.topology().deployment.names.secrets(LAKE_SINK_SECRETS.service);
  docker(
    "run", "-d", "--name", processorName(), "--network", "host", "--user", "10003:10003", "--memory", "768m", "--tmpfs", "/tmp",
    "--label", `${MANAGED_LABEL}=true`, "--label", `${DEPLOYMENT_LABEL}=${IT.prefix}`,
    "-v", `${secrets}:${LAKE_SINK_SECRETS.mount}:ro`,
    "-e", `STOCK_BOOTSTRAP_SERVERS=127.0.0.1:${IT.cloudKafkaPort}`,
    "-e", `STOCK_KAFKA_CREDENTIALS_FILE=${LAKE_SINK_SECRETS.files.kafka.path}`,
    "-e", `STOCK_KAFKA_CA_FILE=${LAKE_SINK_SECRETS.files.ca.path}`,
    "-e", "STOCK_APPLICATION_ID=it-stock-processor", "-e", "STOCK_REPLICATION_FACTOR=1",
    "-e", "STOCK_STATE_DIR=/tmp/state", "-e", "STOCK_HEALTH_FILE=/tmp/health",
    stockProcessorImage(),
  );
  await waitFor("the stock processor healthy", () => docker("inspect", "-f", "{{.State.Health.Status}}", processorName()) === "healthy", 180000, 2000);
  const config = jdbcSinkConfig({ flavour: "mariadb", dc: DC, databaseHost: "127.0.0.1", databasePort: IT.dbPort, database: "orders", passwordFile: CONNECT_SECRETS.files.sinkDb.path });
  const put = await fetch(`${connectUrl}/connectors/${SINK}/config`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(config) });
  expect(`${put.status} ${put.ok ? "" : await put.text()}`.trim()).toMatch(/^20[01]$/);
  await waitFor("the JDBC sink's task running", async () => {
    const s = (await (await fetch(`${connectUrl}/connectors/${SINK}/status`)).json()) as { tasks?: Array<{ state: string }> };
    return s.tasks?.[0]?.state === "RUNNING";
  }, 120000, 2000);
  stopCopy = await copyEventsToSite();
});

afterAll(async () => {
  await stopCopy?.();
  try {
    console.log(docker("logs", "--tail", "120", processorName()));
  } catch {
    /* not started */
  }
  spawnRemove(processorName());
  script("down.sh", ["--purge"], env);
});

function spawnRemove(name: string): void {
  try {
    docker("rm", "-f", name);
  } catch {
    /* already gone */
  }
}

test("GIVEN product 13 in stock at dc01 WHEN sales take it to 0 and one more sells THEN exactly one event row in dc01's table", async () => {
  const conn = await db();
  try {
    const [[row]] = await conn.query<RowDataPacket[]>(
      "SELECT (SELECT COALESCE(SUM(quantity), 0) FROM purchase_order_details WHERE product_id = ?) - (SELECT COALESCE(SUM(quantity), 0) FROM sales_order_details WHERE product_id = ?) AS stock",
      [PRODUCT, PRODUCT],
    );
    const stock = Number(row.stock);
    expect(stock).toBeGreaterThan(1);
    const [order] = await conn.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 3)");
    // Two lines: most of the stock, then the rest: the second crosses to 0.
    await conn.execute("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, ?, ?, 9.99)", [order.insertId, PRODUCT, stock - 1]);
    await conn.execute("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, ?, 1, 9.99)", [order.insertId, PRODUCT]);
    // Sold out already: this sale must not raise a second event.
    const [later] = await conn.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 4)");
    await conn.execute("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, ?, 2, 9.99)", [later.insertId, PRODUCT]);
  } finally {
    await conn.end();
  }
  await waitFor(`an event row in ${EVENTS}`, async () => (await eventRows()).length > 0, 180000, 2000);
  await sleep(15000); // a second event or a duplicate row would show by now
  const rows = await eventRows();
  expect(rows.map((r) => ({ product: Number(r.product_id), onHand: Number(r.quantity_on_hand) }))).toEqual([{ product: PRODUCT, onHand: 0 }]);
  const events = await readUntil(cloud(), EVENTS, () => false, 10000);
  expect(events.map((e) => (e.value as { payload: unknown }).payload)).toEqual([expect.objectContaining({ product_id: PRODUCT, quantity_on_hand: 0 })]);
});
