import { App, Testing } from "cdktf";
import { readFileSync } from "fs";
import { join } from "path";
import { resolveConfig } from "../config";
import { LATENCY_PROBE_TABLE } from "../config/tables";
import { debeziumSourceConfig } from "../connectors";
import { buildStacks } from "../main";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;
const ROOT = join(__dirname, "..", "..");

function debezium(input: Parameters<typeof resolveConfig>[0] = {}): Record<string, string> {
  const { onPrem } = buildStacks(Testing.app() as App, resolveConfig(input));
  const json: TfJson = JSON.parse(Testing.synth(onPrem));
  const connectors = Object.values(json.resource["kafka-connect_connector"]) as TfJson[];
  return connectors.find((c) => /-orders-cdc$/.test(c.name)).config;
}

describe("latency probe", () => {
  test("GIVEN the default (MariaDB) WHEN resolved THEN the probe table is captured and its topic replicated after the configured ones", () => {
    const c = resolveConfig({});
    expect(c.onPrem.latencyProbe).toBe(true);
    expect(c.derived.capturedTables).toContain(LATENCY_PROBE_TABLE);
    expect(c.derived.latencyProbeTopic).toBe("dc01_bridge_latency_probe");
    expect(c.derived.replicatedTopics).toEqual(["dc01_sales_order_details", "dc01_bridge_latency_probe"]);
  });

  test("GIVEN the default WHEN synthesized THEN Debezium writes the probe row every second with NOW(6), and captures it", () => {
    const cfg = debezium();
    expect(cfg["heartbeat.interval.ms"]).toBe("1000");
    expect(cfg["heartbeat.action.query"]).toBe(
      "INSERT INTO orders.bridge_latency_probe (id, seq, committed_at) VALUES (1, 1, NOW(6)) ON DUPLICATE KEY UPDATE seq = seq + 1, committed_at = NOW(6)",
    );
    expect(cfg["table.include.list"].split(",")).toContain("orders\\.bridge_latency_probe");
  });

  test("GIVEN latencyProbe false WHEN synthesized THEN nothing of the probe is left: no query, 10 s heartbeat, no topic", () => {
    const c = resolveConfig({ onPrem: { latencyProbe: false } });
    expect(c.derived.capturedTables).not.toContain(LATENCY_PROBE_TABLE);
    expect(c.derived.latencyProbeTopic).toBeUndefined();
    expect(c.derived.replicatedTopics).toEqual(["dc01_sales_order_details"]);
    const cfg = debezium({ onPrem: { latencyProbe: false } });
    expect(cfg["heartbeat.action.query"]).toBeUndefined();
    expect(cfg["heartbeat.interval.ms"]).toBe("10000");
  });

  test("GIVEN MySQL (whose GTID events stamp changes in µs) WHEN resolved THEN the probe is off unless asked for", () => {
    expect(resolveConfig({ onPrem: { database: { flavour: "mysql" } } }).onPrem.latencyProbe).toBe(false);
    expect(resolveConfig({ onPrem: { database: { flavour: "mysql" }, latencyProbe: true } }).derived.latencyProbeTopic).toBe("dc01_bridge_latency_probe");
  });

  test("GIVEN the topic already listed for replication WHEN resolved THEN it is replicated once", () => {
    const c = resolveConfig({ replication: { topics: ["dc01_bridge_latency_probe", "dc01_sales_order_details"] } });
    expect(c.derived.replicatedTopics).toEqual(["dc01_bridge_latency_probe", "dc01_sales_order_details"]);
    expect(c.derived.capturedTables.filter((t) => t === LATENCY_PROBE_TABLE)).toHaveLength(1);
    // Without the probe its topic has no producer: the usual error.
    expect(() => resolveConfig({ onPrem: { latencyProbe: false }, replication: { topics: ["dc01_bridge_latency_probe"] } })).toThrow(/replication\.topics\[0\].*bridge_latency_probe/);
  });

  test("GIVEN a probe table that is not captured WHEN the connector config is built THEN it refuses", () => {
    const base = { flavour: "mariadb" as const, dc: "dc01", databaseHost: "127.0.0.1", databasePort: 3306, database: "orders", user: "debezium", passwordFile: "/x", serverId: 1, bootstrapServers: "b:1", schemaHistoryTopic: "_h", replicationFactor: 1 };
    expect(() => debeziumSourceConfig({ ...base, tables: ["customers"], latencyProbeTable: LATENCY_PROBE_TABLE })).toThrow(/latencyProbeTable "bridge_latency_probe" must be one of tables/);
  });

  test("GIVEN our database image WHEN its init runs THEN it creates the probe table with a µs column and grants the CDC user only INSERT and UPDATE on it", () => {
    const schema = readFileSync(join(ROOT, "images", "mariadb", "initdb", "01-schema.sql"), "utf8");
    expect(schema).toMatch(new RegExp(`CREATE TABLE ${LATENCY_PROBE_TABLE} \\([^;]*committed_at\\s+DATETIME\\(6\\)\\s+NOT NULL`));
    const entrypoint = readFileSync(join(ROOT, "images", "mariadb", "entrypoint.sh"), "utf8");
    expect(entrypoint).toContain(`GRANT INSERT, UPDATE ON orders.${LATENCY_PROBE_TABLE} TO $(sql_str "$cdc_user")`);
  });
});
