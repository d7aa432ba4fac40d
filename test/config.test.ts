import { App } from "cdktf";
import { loadConfig, resolveConfig, uniqueSuffix } from "../config";
import { BridgeConfig, DeepPartial } from "../config/types";
import { problemsOf } from "./kit/config-problems";
import { CONFLUENT_CREDENTIALS, LAKE_READER, OPEN_NETWORK, TARGET_CONFIGS } from "../scripts/lib/variants";

/** Names of the sensitive variables a confluent-cloud deployment declares. */

function messageOf(input: DeepPartial<BridgeConfig>): string {
  try {
    resolveConfig(input);
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}

describe("defaults", () => {
  test("resolve without problems and derive shared values", () => {
    const c = resolveConfig({});
    expect(c.target).toBe("local");
    expect(c.derived.resourceGroupName).toBe("rg-bridge-dev");
    expect(c.derived.storageAccountName).toMatch(/^bridgelake[a-z0-9]{6}$/);
    expect(c.derived.brokers.map((b) => b.port)).toEqual([19092]);
    expect(c.derived.replicationFactor).toBe(1);
    expect(c.derived.minInsyncReplicas).toBe(1);
    // The latency probe travels with the data (config/tables.ts LATENCY_PROBE_TABLE).
    expect(c.derived.replicatedTopics).toEqual(["dc01_sales_order_details", "dc01_bridge_latency_probe"]);
    expect(c.derived.cdcTopics).toContain("dc01_sales_order_details");
    expect(c.derived.cdcTopics).not.toContain("dc01_dc01_out_of_stock_events");
    expect(c.azure.eventHubs.enabled).toBe(false);
  });

  test("three brokers derive replication factor 3 and min.insync.replicas 2", () => {
    const c = resolveConfig({ onPrem: { kafka: { brokers: 3 } } });
    expect(c.derived.replicationFactor).toBe(3);
    expect(c.derived.minInsyncReplicas).toBe(2);
    expect(c.derived.brokers.map((b) => b.port)).toEqual([19092, 19102, 19112]);
  });
});

describe("storage account name", () => {
  test.each(["abc", "bridgelake01", "a".repeat(24)])("accepts %s", (name) => {
    expect(problemsOf({ azure: { storageAccount: { name } } })).toEqual([]);
  });
  test.each(["ab", "a".repeat(25), "Bridge", "bridge-lake", "bridge_lake"])("rejects %s", (name) => {
    expect(problemsOf({ azure: { storageAccount: { name } } })).toEqual([
      "azure.storageAccount.name — must be 3–24 characters, lowercase letters and digits only",
    ]);
  });
  test("the suffix is deterministic and depends on the seed", () => {
    const a = resolveConfig({}).derived.storageAccountName;
    const b = resolveConfig({}).derived.storageAccountName;
    const prod = resolveConfig({ environment: "prod" }).derived.storageAccountName;
    expect(a).toBe(b);
    expect(prod).not.toBe(a);
    expect(resolveConfig({ azure: { storageAccount: { suffixSeed: "x" } } }).derived.storageAccountName).toBe(
      `bridgelake${uniqueSuffix("x", 6)}`,
    );
    expect(uniqueSuffix("x", 6)).toMatch(/^[0-9a-z]{6}$/);
  });
  test("suffix none keeps the prefix as the name", () => {
    expect(resolveConfig({ azure: { storageAccount: { suffix: "none" } } }).derived.storageAccountName).toBe("bridgelake");
  });
  test("a prefix too long for its suffix is rejected", () => {
    expect(problemsOf({ azure: { storageAccount: { prefix: "a".repeat(20) } } })).toEqual([
      "azure.storageAccount.prefix — is too long for a 6-character suffix: prefix + suffix must fit 24 characters",
    ]);
  });
});

describe("azure location", () => {
  test.each(["westeurope", "eastus2", "swedencentral"])("accepts %s", (location) => {
    expect(problemsOf({ azure: { location } })).toEqual([]);
  });
  test("rejects an unknown region", () => {
    expect(problemsOf({ azure: { location: "mars-north" } })).toEqual([
      'azure.location — must be an Azure region\'s programmatic name such as "westeurope"',
    ]);
  });
  test("suggests the programmatic name for a display name", () => {
    expect(messageOf({ azure: { location: "West Europe" } })).toContain('(did you mean "westeurope"?)');
  });
});

describe("filesystem name", () => {
  test.each(["orders", "raw-orders", "abc", "a".repeat(63)])("accepts %s", (filesystem) => {
    expect(problemsOf({ azure: { filesystem } })).toEqual([]);
  });
  test.each(["ab", "Orders", "-orders", "orders-", "raw--orders", "raw_orders", "a".repeat(64)])("rejects %s", (filesystem) => {
    expect(problemsOf({ azure: { filesystem } })).toEqual([
      "azure.filesystem — must be 3–63 characters of lowercase letters, digits and single hyphens, starting and ending with a letter or digit",
    ]);
  });
});

describe("topic names", () => {
  test.each(["dc01_sales_order_details", "dc01_sales_orders", "dc01_purchase_order_details"])("accepts %s", (t) => {
    expect(problemsOf({ replication: { topics: [t] } })).toEqual([]);
  });
  test.each(["", "bad topic", "x".repeat(250), "ümlaut"])("rejects %j", (t) => {
    expect(problemsOf({ replication: { topics: [t] } })).toEqual([
      "replication.topics[0] — must be a Kafka topic name: 1–249 of a–z A–Z 0–9 . _ -",
    ]);
  });
  test('rejects "." and ".."', () => {
    expect(problemsOf({ replication: { topics: [".", ".."] } })).toEqual([
      'replication.topics[0] — must not be "." or ".."',
      'replication.topics[1] — must not be "." or ".."',
    ]);
  });
  test("event hubs target also applies the event hub naming rule", () => {
    const base = TARGET_CONFIGS["event-hubs"];
    expect(problemsOf({ ...base, replication: { topics: ["dc01_sales_orders"] } })).toEqual([]);
    expect(problemsOf({ ...base, replication: { topics: ["_dc01_orders"] } })).toEqual([
      "replication.topics[0] — must be an Event Hub name for target event-hubs: start and end with a letter or digit, at most 256 characters",
    ]);
  });
  test("Replicator is refused for the local target (licensed, not in the image)", () => {
    expect(problemsOf({ replication: { engine: "replicator" } })).toEqual([
      'replication.engine — Confluent Replicator is licensed and not in the local Connect image; use "mirrormaker2" for target "local"',
    ]);
  });
  test("a pattern must compile", () => {
    expect(problemsOf({ replication: { topicsPattern: "dc[0-9]{2}_.*" } })).toEqual([]);
    expect(problemsOf({ replication: { topicsPattern: "dc[0-9" } })).toEqual([
      "replication.topicsPattern — must be a valid regular expression",
    ]);
  });
});

describe("host ports", () => {
  test("distinct ports pass", () => {
    expect(problemsOf({ onPrem: { database: { port: 3306 }, connect: { basePort: 8083 } } })).toEqual([]);
  });
  test("a collision names both fields and the port", () => {
    const msg = messageOf({ onPrem: { database: { port: 18083 } } });
    expect(msg).toContain("onPrem.database.port: 18083 — host port collides with onPrem.connect.basePort");
  });
  test("brokers' derived ports collide with another service", () => {
    // Broker 1 of 2 listens on 19102.
    expect(problemsOf({ onPrem: { kafka: { brokers: 2 }, database: { port: 19102 } } })).toEqual([
      "onPrem.database.port — host port collides with onPrem.kafka.basePort (broker 1): every service needs its own loopback port",
    ]);
  });
  test("local stand-in ports only count for the local target", () => {
    expect(problemsOf({ local: { azuriteBlobPort: 13306 } })).toHaveLength(1);
    expect(
      problemsOf({
        target: "confluent-cloud",
        local: { azuriteBlobPort: 13306 },
        confluentCloud: { bootstrapServers: "pkc-1.westeurope.azure.confluent.cloud:9092", environmentId: "env-abc12", clusterId: "lkc-xyz34" },
        credentials: CONFLUENT_CREDENTIALS,
        azure: { storageAccount: { sharedKeyAccess: true }, network: OPEN_NETWORK["confluent-cloud"] },
      }),
    ).toEqual([]);
  });
  test("ports outside 1024–65535 are rejected", () => {
    expect(problemsOf({ onPrem: { database: { port: 80 } } })).toEqual(["onPrem.database.port — must be an integer from 1024 to 65535"]);
  });
});

describe("replication factor", () => {
  test("may equal the broker count", () => {
    expect(problemsOf({ onPrem: { kafka: { brokers: 3, replicationFactor: 3 } } })).toEqual([]);
  });
  test("larger than the broker count is rejected", () => {
    expect(problemsOf({ onPrem: { kafka: { brokers: 1, replicationFactor: 3 } } })).toEqual([
      "onPrem.kafka.replicationFactor — must not exceed the broker count (onPrem.kafka.brokers = 1)",
    ]);
  });
  test("min.insync.replicas larger than the replication factor is rejected", () => {
    expect(problemsOf({ onPrem: { kafka: { brokers: 3, minInsyncReplicas: 4 } } })).toEqual([
      "onPrem.kafka.minInsyncReplicas — must not exceed the replication factor (3), or no write could succeed",
    ]);
  });
});

describe("credentials of the target", () => {
  test("local needs none", () => {
    expect(problemsOf({ target: "local" })).toEqual([]);
  });
  test("confluent-cloud without declared variables names each missing one", () => {
    const problems = problemsOf({
      target: "confluent-cloud",
      confluentCloud: { bootstrapServers: "pkc-1.azure.confluent.cloud:9092", environmentId: "env-abc12", clusterId: "lkc-xyz34" },
      azure: { network: OPEN_NETWORK["confluent-cloud"] },
    });
    expect(problems).toEqual([
      'azure.storageAccount.sharedKeyAccess — must be true for target "confluent-cloud": its managed ADLS Gen2 sink authenticates with the account access key',
      expect.stringMatching(/^credentials\.confluentApiKey — target "confluent-cloud" needs this credential.*TF_VAR_confluent_api_key/),
      expect.stringMatching(/^credentials\.confluentApiSecret — target "confluent-cloud" needs this credential/),
      expect.stringMatching(/^credentials\.confluentCloudApiKey — target "confluent-cloud" needs this credential/),
      expect.stringMatching(/^credentials\.confluentCloudApiSecret — target "confluent-cloud" needs this credential/),
      expect.stringMatching(/^credentials\.lakeAccessKey — target "confluent-cloud" needs this credential/),
    ]);
  });
  test("event-hubs needs the connection string variable", () => {
    const network = { azure: { network: OPEN_NETWORK["event-hubs"] }, observability: { console: { lakeReader: LAKE_READER } } };
    expect(problemsOf({ target: "event-hubs", ...network })).toEqual([
      expect.stringMatching(/^credentials\.eventHubsConnectionString — target "event-hubs" needs this credential/),
    ]);
    expect(problemsOf({ target: "event-hubs", credentials: { eventHubsConnectionString: "eh_conn" }, ...network })).toEqual([]);
  });
  test("a pasted secret is rejected and never echoed", () => {
    const secret = "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKey=abc123";
    const msg = messageOf({ target: "event-hubs", credentials: { eventHubsConnectionString: secret } });
    expect(msg).toContain("credentials.eventHubsConnectionString: <hidden> — must be the NAME of a sensitive Terraform variable");
    expect(msg).not.toContain("abc123");
  });
  test("unknown fields are rejected without echoing their value (a secret in the wrong place)", () => {
    const msg = messageOf({ onPrem: { database: { password: "hunter2" } } } as never);
    expect(msg).toContain("onPrem.database.password: <hidden> — is not a configuration field");
    expect(msg).not.toContain("hunter2");
  });
});

describe("the console's Entra ID lake reader (observability.console.lakeReader)", () => {
  const EVENT_HUBS = TARGET_CONFIGS["event-hubs"];
  const withReader = (lakeReader: object, more: DeepPartial<BridgeConfig> = {}) =>
    problemsOf({ ...EVENT_HUBS, ...more, observability: { console: { lakeReader, ...(more.observability?.console ?? {}) } } } as DeepPartial<BridgeConfig>);
  const REQUIRED = 'is required for the console on target "event-hubs" with azure.storageAccount.sharedKeyAccess false: the lake takes Entra ID tokens only';

  test("GIVEN target event-hubs with shared keys off (the default) and no lake reader WHEN validated THEN each id is required, naming the field and the rule", () => {
    const problems = withReader({});
    expect(problems).toEqual(["tenantId", "clientId", "objectId"].map((k) => expect.stringContaining(`observability.console.lakeReader.${k} — ${REQUIRED}`)));
  });

  test("GIVEN all three ids WHEN validated THEN accepted", () => {
    expect(withReader(LAKE_READER)).toEqual([]);
  });

  test("GIVEN an id that is no UUID WHEN validated THEN refused with the field, its value and the rule", () => {
    const msg = messageOf({ ...EVENT_HUBS, observability: { console: { lakeReader: { ...LAKE_READER, tenantId: "contoso.onmicrosoft.com" } } } });
    expect(msg).toContain('observability.console.lakeReader.tenantId: "contoso.onmicrosoft.com" — must be the Entra ID tenant (directory) id (UUID)');
    expect(msg).toMatch(/\(1 problem\)/);
  });

  test("GIVEN only the client id WHEN validated THEN the other two are required with it", () => {
    expect(withReader({ clientId: LAKE_READER.clientId }, { target: "local" } as DeepPartial<BridgeConfig>)).toEqual([
      "observability.console.lakeReader.tenantId — is required with observability.console.lakeReader.clientId: the console signs in with the tenant and client id, the lake's reader role goes to the object id",
      "observability.console.lakeReader.objectId — is required with observability.console.lakeReader.clientId: the console signs in with the tenant and client id, the lake's reader role goes to the object id",
    ]);
  });

  test("GIVEN the client id as object id WHEN validated THEN refused: the role needs the service principal's object id", () => {
    expect(withReader({ ...LAKE_READER, objectId: LAKE_READER.clientId })).toEqual([
      expect.stringMatching(/^observability\.console\.lakeReader\.objectId — is the client id: must be the object id of the app registration's service principal/),
    ]);
  });

  test.each([
    ["target local (Azurite, shared key)", { target: "local" }],
    ["shared keys on", { azure: { ...EVENT_HUBS.azure, storageAccount: { sharedKeyAccess: true } } }],
    ["no console", { observability: { console: { enabled: false } } }],
  ] as const)("GIVEN %s and no lake reader WHEN validated THEN none is required", (_what, more) => {
    expect(withReader({}, more as DeepPartial<BridgeConfig>)).toEqual([]);
  });
});

describe("other rules", () => {
  test("network CIDR lists: public IPv4 addresses or ranges, only in mode selected-networks", () => {
    const selected = (analystCidrs: string[]) => problemsOf({ azure: { network: { mode: "selected-networks", analystCidrs } } });
    expect(selected(["203.0.113.7", "198.51.100.0/24"])).toEqual([]);
    expect(selected(["10.1.2.3", "300.1.1.1", "203.0.113.0/32"])).toEqual([
      "azure.network.analystCidrs[0] — must be a public address: storage firewalls ignore private and loopback ranges",
      "azure.network.analystCidrs[1] — must be an IPv4 address or CIDR range such as 203.0.113.7 or 203.0.113.0/24",
      "azure.network.analystCidrs[2] — CIDR prefix must be /8 to /30 (write a single address without a prefix)",
    ]);
    expect(problemsOf({ azure: { network: { runnerCidrs: ["203.0.113.7"] } } })).toEqual([
      'azure.network.runnerCidrs — has no effect in azure.network.mode "private" (public access is off): remove the list or use mode "selected-networks"',
    ]);
  });
  test("sink principal must be a UUID", () => {
    expect(problemsOf({ azure: { sinkPrincipalId: "00000000-0000-0000-0000-000000000001" } })).toEqual([]);
    expect(problemsOf({ azure: { sinkPrincipalId: "my-sp" } })).toEqual(["azure.sinkPrincipalId — must be an Entra ID object id (UUID)"]);
  });
  test("types from JSON are checked", () => {
    expect(problemsOf({ onPrem: { kafka: { brokers: "3" as unknown as number } } })).toEqual([
      "onPrem.kafka.brokers — must be an integer from 1 to 9",
    ]);
  });
  test("tables must belong to the orders schema", () => {
    expect(problemsOf({ onPrem: { tables: ["sales_orders", "dc01_out_of_stock_events"] }, replication: { topics: ["dc01_sales_orders"] } })).toEqual([]);
    expect(problemsOf({ onPrem: { tables: ["invoices"] } })).toEqual([expect.stringMatching(/^onPrem\.tables\[0\] — must be a table of the orders schema/)]);
  });
  test("every problem is reported at once, each with field, value and rule", () => {
    const msg = messageOf({
      azure: { location: "nowhere", filesystem: "X", storageAccount: { name: "UPPER" } },
      onPrem: { kafka: { replicationFactor: 2 } },
    });
    expect(msg).toMatch(/^Invalid bridge-to-azure configuration \(4 problems\):/);
    expect(msg).toContain('azure.location: "nowhere" —');
    expect(msg).toContain('azure.storageAccount.name: "UPPER" —');
    expect(msg).toContain('azure.filesystem: "X" —');
    expect(msg).toContain("onPrem.kafka.replicationFactor: 2 —");
  });
});

describe("loading", () => {
  test("cdktf.json context is overridden by BRIDGE_CONFIG, which named variables override", () => {
    const app = new App({ context: { bridge: { environment: "test", azure: { location: "northeurope" } } }, skipValidation: true });
    const c = loadConfig(app, {
      BRIDGE_CONFIG: JSON.stringify({ azure: { location: "swedencentral" }, onPrem: { kafka: { brokers: 3 } } }),
      BRIDGE_KAFKA_BROKERS: "1",
    });
    expect(c.environment).toBe("test");
    expect(c.azure.location).toBe("swedencentral");
    expect(c.onPrem.kafka.brokers).toBe(1);
  });
  test("environment numbers are parsed and then validated", () => {
    const app = new App({ skipValidation: true });
    expect(() => loadConfig(app, { BRIDGE_KAFKA_BROKERS: "ten" })).toThrow('onPrem.kafka.brokers: "ten" — must be an integer from 1 to 9');
  });
  test("malformed BRIDGE_CONFIG names the variable", () => {
    const app = new App({ skipValidation: true });
    expect(() => loadConfig(app, { BRIDGE_CONFIG: "{not json" })).toThrow(/BRIDGE_CONFIG: <hidden> — must be a JSON object/);
  });
});

describe("the app on bad input", () => {
  test("prints every problem, exits 1, no stack trace, no hidden value", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require("child_process") as typeof import("child_process");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { join } = require("path") as typeof import("path");
    const r = spawnSync(process.execPath, [join(__dirname, "..", "main.js")], {
      env: { ...process.env, BRIDGE_CONFIG: JSON.stringify({ azure: { location: "mars" }, onPrem: { dbPassword: "hunter2" } }), CDKTF_OUTDIR: "/tmp/bridge-bad-input" },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Invalid bridge-to-azure configuration (2 problems)");
    expect(r.stderr).toContain('azure.location: "mars"');
    expect(r.stderr).not.toContain("hunter2");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
