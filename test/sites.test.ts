import { Testing } from "cdktf";
import { resolveConfig } from "../config";
import { buildStacks, everyStack } from "../main";
import { networkOf, stacksToDeploy } from "../stacks/plan";
import { THREE_SITES, TWO_SITES } from "./kit/sites";

/* eslint-disable @typescript-eslint/no-explicit-any */
type TfJson = any;

/** Every stack of the app for the input, synthesized, by stack id. */
function synthAll(input: object): Record<string, TfJson> {
  const stacks = buildStacks(Testing.app(), resolveConfig(input));
  return Object.fromEntries(everyStack(stacks).map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
}

const containers = (json: TfJson): TfJson[] => Object.values(json.resource?.docker_container ?? {});
const connectorNames = (json: TfJson): string[] => Object.values(json.resource?.["kafka-connect_connector"] ?? {}).map((c: TfJson) => c.name);
const envOf = (c: TfJson): Record<string, string> => Object.fromEntries((c.env as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

describe("GIVEN two sites on one Docker host, target local", () => {
  const stacks = synthAll(TWO_SITES);

  test("WHEN synthesized THEN each site is an on-prem stack of its own, the first keeping its id, with disjoint names and ports", () => {
    expect(Object.keys(stacks).sort()).toEqual(["azure", "bridge", "observability", "onprem", "onprem-dc02"]);
    const [a, b] = [stacks.onprem, stacks["onprem-dc02"]];
    expect(containers(a).map((c) => c.name)).toContain("bridge-dev-kafka-1");
    expect(containers(b).map((c) => c.name)).toContain("bridge-dev-dc02-kafka-1");
    expect(containers(a).map((c) => c.name).filter((n) => containers(b).some((c) => c.name === n))).toEqual([]);
    // The containers use the host's network: their ports are in their environments.
    expect(envOf(containers(b).find((c) => c.name === "bridge-dev-dc02-simulator")).DB_PORT).toBe("23306");
    expect(envOf(containers(b).find((c) => c.name === "bridge-dev-dc02-connect-1")).CONNECT_BOOTSTRAP_SERVERS).toBe("127.0.0.1:39092");
    expect(JSON.stringify(b)).not.toMatch(/127\.0\.0\.1:(19092|18083)\b|"DB_PORT=13306"/);
    const [pa, pb] = resolveConfig(TWO_SITES).derived.sites.map((s) => s.derived.hostPorts.map((p) => p.port));
    expect(pb.length).toBeGreaterThan(5);
    expect(pa.filter((p) => pb.includes(p))).toEqual([]);
    // Each site's state is its own file, so it is planned, applied and destroyed alone.
    expect(b.terraform.backend.local.path).toBe("../../../.state/dev/onprem-dc02.tfstate");
    expect(a.terraform.backend.local.path).toBe("../../../.state/dev/onprem.tfstate");
  });

  test("WHEN synthesized THEN each site captures its own tables into its own prefix", () => {
    const simulator = containers(stacks["onprem-dc02"]).find((c) => c.name === "bridge-dev-dc02-simulator");
    expect(envOf(simulator).SIM_DC_ID).toBe("dc02");
    expect(connectorNames(stacks["onprem-dc02"]).every((n) => n.startsWith("dc02-"))).toBe(true);
    expect(connectorNames(stacks.onprem).every((n) => n.startsWith("dc01-"))).toBe(true);
    // Every record carries its site twice: the topic prefix and the value's `sourcedc` field (connectors/debezium.ts).
    const debezium = Object.values(stacks["onprem-dc02"].resource["kafka-connect_connector"]) as TfJson[];
    expect(debezium.map((c) => c.config["transforms.sourcedc.static.value"])).toEqual(["dc02"]);
  });

  test("WHEN synthesized THEN the bridge has one replication flow per site, each on its site's Connect, of its site's topics only", () => {
    const providers = stacks.bridge.provider["kafka-connect"].map((p: TfJson) => p.url);
    expect(providers).toEqual(expect.arrayContaining(["http://127.0.0.1:18083", "http://127.0.0.1:38083"]));
    const mm2 = Object.values(stacks.bridge.resource["kafka-connect_connector"]).filter((c: TfJson) => /mirror-source|mm2-source/.test(c.name)) as TfJson[];
    expect(mm2.map((c) => c.name.slice(0, 4)).sort()).toEqual(["dc01", "dc02"]);
    for (const c of mm2) {
      const topics = String(c.config.topics).split(",");
      expect(topics.length).toBeGreaterThan(0);
      expect(topics.every((t) => t.startsWith(`${c.name.slice(0, 4)}_`))).toBe(true);
    }
  });

  test("WHEN synthesized THEN the one lake sink subscribes to both sites' topics", () => {
    const sink = containers(stacks.bridge).find((c) => c.name === "bridge-dev-lake-sink");
    expect(envOf(sink).KAFKA_TOPICS.split(",")).toEqual(["dc01_sales_order_details", "dc01_bridge_latency_probe", "dc02_sales_order_details", "dc02_bridge_latency_probe"]);
  });

  test("WHEN the stacks to deploy are listed THEN every site's is there, on-prem, before the bridge", () => {
    expect(stacksToDeploy(resolveConfig(TWO_SITES))).toEqual(["onprem", "onprem-dc02", "bridge", "observability"]);
    expect(networkOf("onprem-dc02")).toBe("on-prem");
    expect(networkOf("onprem-x")).toBeUndefined();
    expect(stacks.bridge.terraform.required_providers).toBeDefined();
  });
});

describe("GIVEN two sites with the way back", () => {
  const stacks = synthAll({ ...TWO_SITES, writeBack: { enabled: true } });

  test("WHEN synthesized THEN each site gets its own reverse MirrorMaker 2 of only its own events topic and its own JDBC sink", () => {
    const connectors = Object.values(stacks.bridge.resource["kafka-connect_connector"]) as TfJson[];
    for (const dc of ["dc01", "dc02"]) {
      const reverse = connectors.find((c) => c.name === `${dc}-mm2-reverse`);
      expect(reverse.config.topics).toBe(`${dc}_out_of_stock_events`);
      expect(connectors.find((c) => c.name === `${dc}-out-of-stock-sink`)).toBeDefined();
    }
    // Forward, no site's events topic goes to the cloud: it is the way back's.
    const forward = connectors.filter((c) => /mirror-source|mm2-source/.test(c.name));
    expect(forward.every((c) => !String(c.config.topics).includes("out_of_stock"))).toBe(true);
    const processor = containers(stacks.bridge).find((c) => c.name === "bridge-dev-stock-processor");
    expect(envOf(processor).STOCK_EVENTS_TOPICS).toBe("dc01_out_of_stock_events,dc02_out_of_stock_events");
  });
});

describe("GIVEN two sites WHEN a third is added", () => {
  const two = synthAll(TWO_SITES);
  const three = synthAll(THREE_SITES);

  test("THEN only the new site's stack and the bridge differ", () => {
    const changed = Object.keys(three).filter((id) => JSON.stringify(two[id]) !== JSON.stringify(three[id]));
    expect(changed.sort()).toEqual(["bridge", "onprem-dc03"]);
    expect(two["onprem-dc03"]).toBeUndefined();
  });
});

describe("GIVEN one site (no sites list) THEN the stacks are the same as with sites: [onPrem's dc]", () => {
  test("WHEN both are synthesized THEN every stack is identical (a single-site deployment's state is unaffected)", () => {
    const before = synthAll({});
    const listed = synthAll({ sites: [{ dc: "dc01" }] });
    expect(Object.keys(listed)).toEqual(Object.keys(before));
    for (const id of Object.keys(before)) expect({ id, same: JSON.stringify(listed[id]) === JSON.stringify(before[id]) }).toEqual({ id, same: true });
  });
});
