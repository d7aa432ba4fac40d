/**
 * The stack list main.ts builds from (stacks/plan.ts), the script the
 * workflows read it through, and the cloud target behind the bridge for
 * each target (constructs/cloud).
 */
import { Testing, TerraformStack } from "cdktf";
import { resolveConfig, TARGETS } from "../config";
import { cloudTarget } from "../constructs/cloud";
import { bootstrapServers, parseEndpoint } from "../constructs/kafka-endpoint";
import { buildStacks } from "../main";
import { selectStacks } from "../scripts/stacks";
import { Deployment } from "../stacks/deployment";
import { DEPLOYMENT_ORDER, STACKS, stacksToDeploy } from "../stacks/plan";
import { TARGET_CONFIGS } from "./target-configs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

const config = (target: keyof typeof TARGET_CONFIGS) => resolveConfig(TARGET_CONFIGS[target]);
const connector = (json: TfJson, name: string): TfJson => Object.values(json.resource["kafka-connect_connector"]).find((c: TfJson) => c.name === name);

describe("the stack list", () => {
  test.each(TARGETS)("GIVEN target %s WHEN main.ts builds the app THEN it builds every listed stack, the bridge after the deployed others, the metrics after the parts", (target) => {
    const app = Testing.app();
    const c = config(target);
    const { bridge, observability } = buildStacks(app, c);
    const built = app.node.children.filter((x) => x instanceof TerraformStack).map((s) => s.node.id);
    expect(built.sort()).toEqual(DEPLOYMENT_ORDER.map((s) => s.id).sort());
    const before = (id: string) => stacksToDeploy(c).slice(0, stacksToDeploy(c).indexOf(id));
    expect(bridge.dependencies.map((s) => s.node.id).sort()).toEqual(before(STACKS.bridge.id).sort());
    expect(observability.dependencies.map((s) => s.node.id).sort()).toEqual([STACKS.onPrem.id, STACKS.bridge.id].sort());
  });

  test("GIVEN each target THEN a deployment applies the lake first, then the source, then the bridge, then the metrics; the local one no Azure", () => {
    expect(stacksToDeploy(config("local"))).toEqual(["onprem", "bridge", "observability"]);
    expect(stacksToDeploy(config("event-hubs"))).toEqual(["azure", "onprem", "bridge", "observability"]);
    expect(stacksToDeploy(config("confluent-cloud"))).toEqual(["azure", "onprem", "bridge", "observability"]);
    expect(stacksToDeploy(config("event-hubs"), "on-prem")).toEqual(["onprem", "bridge", "observability"]);
  });

  test("GIVEN scripts/stacks.js WHEN a workflow asks for the stacks a hosted runner reaches THEN the azure stack; nothing is refused, not guessed", () => {
    expect(selectStacks(["--network", "azure"], config("event-hubs"))).toEqual(["azure"]);
    expect(selectStacks(["--network=on-prem"], config("confluent-cloud"))).toEqual(["onprem", "bridge", "observability"]);
    expect(selectStacks([], config("local"))).toEqual(["onprem", "bridge", "observability"]);
    // An empty list would read as "every stack" to plan-report.
    expect(() => selectStacks(["--network", "azure"], config("local"))).toThrow(/target "local" deploys no stack of network "azure"/);
    expect(() => selectStacks(["--network", "cloud"], config("local"))).toThrow(/"cloud" must be one of azure, on-prem/);
    expect(() => selectStacks(["--network"], config("local"))).toThrow(/--network needs a value/);
    expect(() => selectStacks(["azure"], config("local"))).toThrow(/unknown argument "azure"/);
  });
});

describe("cloud targets", () => {
  test.each(TARGETS)("GIVEN target %s WHEN the factory picks THEN that target's cloud, its client at its bootstrap endpoints", (target) => {
    const stack = new TerraformStack(Testing.app(), "bridge");
    const cloud = cloudTarget(stack, { deployment: new Deployment(config(target)) });
    expect(cloud.kind).toBe(target);
    expect(cloud.bootstrap.length).toBeGreaterThan(0);
    expect(cloud.client.bootstrapServers).toBe(bootstrapServers(cloud.bootstrap));
  });

  test("GIVEN local THEN the stand-in Kafka on its loopback port, the lake in Azurite, replication waiting for the broker", () => {
    const c = resolveConfig({ local: { kafkaPort: 39092, kafkaControllerPort: 39093, azuriteBlobPort: 10100 } });
    const cloud = cloudTarget(new TerraformStack(Testing.app(), "bridge"), { deployment: new Deployment(c) });
    expect(cloud.bootstrap).toEqual([{ host: "127.0.0.1", port: 39092 }]);
    expect(cloud.lake).toEqual({ account: "bridgelake", filesystem: "orders", blobEndpoint: "http://127.0.0.1:10100/bridgelake" });
    expect(cloud.replicationDependsOn).toHaveLength(1);
    expect(cloud.client.credentials).toEqual({ file: "/run/secrets/connect/cloud.properties" });
  });

  test("GIVEN event-hubs WHEN both stacks synthesize THEN the bridge replicates into the Kafka endpoint of the namespace the azure stack creates", () => {
    const { azure, bridge } = buildStacks(Testing.app(), config("event-hubs"));
    const az = JSON.parse(Testing.synth(azure));
    const [[nsId, ns]] = Object.entries(az.resource.azurerm_eventhub_namespace) as [string, TfJson][];
    const published = az.output.event_hubs_kafka_bootstrap.value.replace(`\${azurerm_eventhub_namespace.${nsId}.name}`, ns.name);
    expect(published).toBe(`${ns.name}.servicebus.windows.net:9093`);
    const src = connector(JSON.parse(Testing.synth(bridge)), "dc01-mm2-source");
    expect(src.config["producer.override.bootstrap.servers"]).toBe(published);
  });

  test("GIVEN confluent-cloud THEN its bootstrap as host and port; the lake is the azure stack's account", () => {
    const c = config("confluent-cloud");
    const cloud = cloudTarget(new TerraformStack(Testing.app(), "bridge"), { deployment: new Deployment(c) });
    expect(cloud.bootstrap).toEqual([{ host: "pkc-12345.westeurope.azure.confluent.cloud", port: 9092 }]);
    expect(cloud.lake).toEqual({ account: c.derived.storageAccountName, filesystem: "orders" });
    expect(() => parseEndpoint("a:1,b:2")).toThrow(/"a:1,b:2" must be host:port/);
    expect(() => parseEndpoint("pkc-12345")).toThrow(/must be host:port/);
  });

  test("GIVEN another Connect port WHEN the app is built THEN the bridge's connectors go to the on-prem stack's first Connect worker", () => {
    const { onPrem, bridge } = buildStacks(Testing.app(), resolveConfig({ onPrem: { connect: { basePort: 28183, workers: 2 } } }));
    const first = JSON.parse(Testing.synth(onPrem)).output.endpoints.value.connect.split(",")[0];
    expect(first).toBe("http://127.0.0.1:28183");
    expect(JSON.parse(Testing.synth(bridge)).provider["kafka-connect"]).toEqual([{ alias: "replication-connect", url: first }]);
  });
});
