/**
 * The way back as synthesized, for each target: the stock processor only with writeBack.enabled, its
 * guarantee as the target decides, the reverse MirrorMaker 2 copying only the site's events topic, the
 * forward one excluding it, and no secret value in any stack's JSON.
 */
import { Testing } from "cdktf";
import { resolveConfig, TARGETS, Target } from "../config";
import { MM2_TOPICS_EXCLUDE_DEFAULT } from "../connectors";
import { buildStacks, everyStack } from "../main";
import { TARGET_CONFIGS } from "./target-configs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

/** Every stack of the app as synthesized JSON, by stack id. */
function synthAll(target: Target, writeBack: boolean): Record<string, TfJson> {
  const app = Testing.app();
  const stacks = buildStacks(app, resolveConfig({ ...TARGET_CONFIGS[target], writeBack: { enabled: writeBack } }));
  return Object.fromEntries(everyStack(stacks).map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
}

const connectors = (json: TfJson): TfJson[] => Object.values(json.resource?.["kafka-connect_connector"] ?? {});
const connector = (json: TfJson, name: string): TfJson => connectors(json).find((c: TfJson) => c.name === name);
const containers = (json: TfJson): TfJson[] => Object.values(json.resource?.docker_container ?? {});
const processorOf = (json: TfJson): TfJson | undefined => containers(json).find((c: TfJson) => c.name === "bridge-dev-stock-processor");
const envOf = (c: TfJson): Record<string, string> => Object.fromEntries((c.env as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

const GUARANTEE: Record<Target, string> = { local: "exactly_once_v2", "event-hubs": "at_least_once", "confluent-cloud": "exactly_once_v2" };
const EVENTS = "dc01_out_of_stock_events";

describe.each(TARGETS)("the way back, target %s", (target) => {
  const on = synthAll(target, true);
  const off = synthAll(target, false);

  test("GIVEN writeBack off THEN no stock processor, no reverse connector, no JDBC sink, no events topic, no exclusion", () => {
    expect(processorOf(off.bridge)).toBeUndefined();
    expect(connectors(off.bridge).map((c) => c.name).filter((n: string) => /reverse|out-of-stock/.test(n))).toEqual([]);
    expect(Object.values(off.bridge.resource?.kafka_topic ?? {}).map((t: TfJson) => t.name)).not.toContain(EVENTS);
    expect(connector(off.bridge, "dc01-mm2-source").config["topics.exclude"]).toBeUndefined();
  });

  test(`GIVEN writeBack on THEN the stock processor runs with ${GUARANTEE[target]} against the cloud Kafka, creating the site's events topic`, () => {
    const p = processorOf(on.bridge);
    expect(p).toBeDefined();
    const env = envOf(p);
    expect(env.STOCK_PROCESSING_GUARANTEE).toBe(GUARANTEE[target]);
    expect(env.STOCK_EVENTS_TOPICS).toBe(EVENTS);
    expect(env.STOCK_BOOTSTRAP_SERVERS).toBe(connector(on.bridge, "dc01-mm2-source").config["target.cluster.bootstrap.servers"]);
    expect(env.STOCK_KAFKA_CREDENTIALS_FILE).toBe("/run/secrets/stock-processor/kafka.properties");
    expect(env.STOCK_KAFKA_CA_FILE).toBe(target === "local" ? "/run/secrets/stock-processor/ca.pem" : undefined);
    expect(p.memory).toBe(768);
    expect(p.mounts).toEqual([expect.objectContaining({ source: "bridge-dev-secrets-stock-processor", target: "/run/secrets/stock-processor", read_only: true })]);
  });

  test("GIVEN writeBack on THEN the reverse MirrorMaker 2 copies exactly the site's events topic cloud → site, without offset syncs", () => {
    const r = connector(on.bridge, "dc01-mm2-reverse").config;
    expect(r["connector.class"]).toBe("org.apache.kafka.connect.mirror.MirrorSourceConnector");
    expect(r.topics).toBe(EVENTS);
    expect(r["source.cluster.bootstrap.servers"]).toBe(connector(on.bridge, "dc01-mm2-source").config["target.cluster.bootstrap.servers"]);
    expect(r["target.cluster.bootstrap.servers"]).toBe(connector(on.bridge, "dc01-mm2-source").config["source.cluster.bootstrap.servers"]);
    expect(r["replication.policy.class"]).toBe("org.apache.kafka.connect.mirror.IdentityReplicationPolicy");
    expect(r["emit.offset-syncs.enabled"]).toBe("false");
    // Only a source connector the way back: no checkpoint or heartbeat connector cloud → site.
    expect(connectors(on.bridge).map((c) => c.name).sort()).toEqual(
      [...connectors(off.bridge).map((c) => c.name), "dc01-mm2-reverse", "dc01-out-of-stock-sink"].sort(),
    );
  });

  test("GIVEN writeBack on THEN the forward MirrorMaker 2 excludes the events topic besides MM2's own defaults", () => {
    const f = connector(on.bridge, "dc01-mm2-source").config;
    expect(f["topics.exclude"]).toBe([...MM2_TOPICS_EXCLUDE_DEFAULT, EVENTS].join(","));
    expect(f.topics.split("|")).toEqual(["dc01_sales_order_details", "dc01_purchase_order_details", "dc01_bridge_latency_probe"]);
  });

  test("GIVEN writeBack on THEN the JDBC sink writes the site's topic into its table as oos_sink, password by file reference; the topic is a resource on-prem", () => {
    const s = connector(on.bridge, "dc01-out-of-stock-sink").config;
    expect(s.topics).toBe(EVENTS);
    expect(s["connection.username"]).toBe("oos_sink");
    // Terraform's escape of "${": the worker gets the literal ${file:…} reference.
    expect(s["connection.password"]).toBe("$${file:/run/secrets/connect/sink-db.properties:password}");
    const topic = Object.values(on.bridge.resource.kafka_topic).find((t: TfJson) => t.name === EVENTS) as TfJson;
    expect(topic).toMatchObject({ partitions: 1, replication_factor: 1 });
    const provider = on.bridge.provider.kafka.find((p: TfJson) => p.alias === "write-back-kafka");
    expect(provider.bootstrap_servers).toEqual(["127.0.0.1:19092"]);
  });

  test("GIVEN writeBack on THEN the database gets the sink user and the simulator's own events are off; off THEN neither", () => {
    const db = (json: TfJson) => envOf(containers(json.onprem).find((c: TfJson) => c.name === "bridge-dev-mariadb"));
    const sim = (json: TfJson) => envOf(containers(json.onprem).find((c: TfJson) => c.name === "bridge-dev-simulator"));
    expect(db(on)).toMatchObject({ MARIADB_SINK_USER: "oos_sink", MARIADB_SINK_TABLE: EVENTS });
    expect(sim(on).SIM_LOCAL_STOCK_EVENTS).toBe("false");
    expect(db(off).MARIADB_SINK_USER).toBeUndefined();
    expect(sim(off).SIM_LOCAL_STOCK_EVENTS).toBeUndefined();
  });

  test("GIVEN writeBack on THEN no stack's JSON holds a credential inline: every JAAS login is a file reference or a sensitive variable", () => {
    const text = JSON.stringify(on);
    const logins = [...text.matchAll(/password=\\"([^"\\]*)\\"/g)].map((m) => m[1]);
    expect(logins.length).toBeGreaterThan(0);
    // A worker's file reference (escaped "$${file:…}") or a sensitive variable ("${var.…}"), nothing else.
    for (const p of logins) expect(p).toMatch(/^(\$\$\{file:|\$\{var\.)/);
    const reverse = connector(on.bridge, "dc01-mm2-reverse");
    if (target === "local") expect(reverse.config["source.cluster.sasl.jaas.config"]).toContain("$${file:/run/secrets/connect/cloud.properties:password}");
    else expect(reverse.config_sensitive["source.cluster.sasl.jaas.config"]).toMatch(/\$\{var\./);
  });
});

describe("the way back on Event Hubs", () => {
  test("GIVEN writeBack on THEN the azure stack pre-creates the events topic as an event hub of one partition, not captured; off THEN not", () => {
    const hubs = (json: TfJson): TfJson[] => Object.values(json.resource?.azurerm_eventhub ?? {});
    const on = synthAll("event-hubs", true).azure;
    const events = hubs(on).find((h) => h.name === EVENTS);
    expect(events).toMatchObject({ partition_count: 1 });
    expect(events.capture_description).toBeUndefined();
    expect(hubs(on).find((h) => h.name === "dc01_purchase_order_details")).toBeDefined();
    expect(hubs(synthAll("event-hubs", false).azure).map((h) => h.name)).not.toContain(EVENTS);
  });
});
