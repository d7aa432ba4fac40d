/**
 * Bad input that used to get through (or crash later, in a construct) is
 * reported by the real loading path: environment layers → resolve → validate,
 * as one ConfigError naming field, value and rule, without a stack trace.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App } from "cdktf";
import { ConfigError, loadConfig, ResolvedConfig } from "../config";
import { describeOffset, jsonSyntaxErrorOffset } from "../config/json-syntax";

/** Warnings the loading path printed (instead of stderr). */
let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
});

function load(env: NodeJS.ProcessEnv): ResolvedConfig {
  return loadConfig(new App({ skipValidation: true }), env, (m) => warnings.push(m));
}

/** WHEN the environment is loaded: the ConfigError's message (fails the test on success or on any other error). */
function errorOf(env: NodeJS.ProcessEnv): { message: string; problems: number } {
  try {
    load(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${(e as Error).stack}`);
    return { message: e.message, problems: e.problems.length };
  }
  throw new Error("expected a ConfigError, but the configuration loaded");
}

const json = (config: unknown): NodeJS.ProcessEnv => ({ BRIDGE_CONFIG: JSON.stringify(config) });

describe("azure.tags", () => {
  test.each([
    ["a list", ["owner", "data"], '["owner","data"]'],
    ["a string", "owner=data", '"owner=data"'],
  ])("GIVEN tags as %s WHEN loaded THEN the field, the value and the object rule are named", (_, tags, shown) => {
    const { message, problems } = errorOf(json({ azure: { tags } }));
    expect(message).toContain(`azure.tags: ${shown} — must be an object of names to values, e.g. {"owner": "data"}`);
    expect(problems).toBe(1);
  });

  test("GIVEN tags as an object WHEN loaded THEN they are the tags", () => {
    expect(load(json({ azure: { tags: { owner: "data" } } })).derived.tags).toMatchObject({ owner: "data", project: "bridge" });
  });
});

describe("replication.topics", () => {
  test("GIVEN an empty list WHEN loaded THEN the rule says at least one topic (a pattern does not replace it)", () => {
    for (const replication of [{ topics: [] }, { topics: [], topicsPattern: "dc01_.*" }]) {
      const { message, problems } = errorOf(json({ replication }));
      expect(message).toContain("replication.topics: [] — must list at least one topic (topicsPattern only adds topics to the list)");
      expect(problems).toBe(1);
    }
  });

  test("GIVEN the same topic twice WHEN loaded THEN the second entry is named with the first", () => {
    const { message, problems } = errorOf(json({ replication: { topics: ["dc01_sales_orders", "dc01_customers", "dc01_sales_orders"] } }));
    expect(message).toContain('replication.topics[2]: "dc01_sales_orders" — is listed twice (also replication.topics[0]): each topic is replicated once');
    expect(problems).toBe(1);
  });

  test("GIVEN a topic of a table that is not captured WHEN loaded THEN the rule names the table and onPrem.tables", () => {
    const { message, problems } = errorOf(json({ onPrem: { tables: ["sales_orders", "sales_order_details"] }, replication: { topics: ["dc01_customers"] } }));
    expect(message).toContain('replication.topics[0]: "dc01_customers" — is produced by table "customers", which onPrem.tables does not capture');
    expect(problems).toBe(1);
  });

  test("GIVEN a topic of another data centre WHEN loaded THEN the rule names both data centres and suggests this one's topic", () => {
    const { message } = errorOf(json({ replication: { topics: ["dc02_sales_order_details"] } }));
    expect(message).toContain(
      'replication.topics[0]: "dc02_sales_order_details" — belongs to data centre "dc02", but this deployment\'s onPrem.dc is "dc01": no captured table produces it (did you mean "dc01_sales_order_details"?)',
    );
  });

  test("GIVEN a topic no table of the schema produces WHEN loaded THEN the rule lists the topics that are produced", () => {
    const { message } = errorOf(json({ onPrem: { tables: ["sales_orders", "customers"] }, replication: { topics: ["dc01_sales_order"] } }));
    expect(message).toContain('replication.topics[0]: "dc01_sales_order" — is not produced by any captured table: must be one of dc01_sales_orders, dc01_customers, dc01_bridge_latency_probe (did you mean "dc01_sales_orders"?)');
  });

  test("GIVEN captured tables without the default topic's table and no topics WHEN loaded THEN the default is named as such", () => {
    const { message, problems } = errorOf(json({ onPrem: { tables: ["customers"] } }));
    expect(message).toContain('replication.topics: ["dc01_sales_order_details"] — is the default, but no captured table produces "dc01_sales_order_details"');
    expect(problems).toBe(1);
  });

  test("GIVEN topics of captured tables of another data centre WHEN loaded THEN they are replicated", () => {
    const c = load(json({ onPrem: { dc: "dc02", tables: ["customers", "sales_orders"] }, replication: { topics: ["dc02_customers", "dc02_sales_orders"] } }));
    expect(c.derived.replicatedTopics).toEqual(["dc02_customers", "dc02_sales_orders", "dc02_bridge_latency_probe"]);
  });
});

describe("onPrem.tables", () => {
  test("GIVEN the same table twice WHEN loaded THEN the second entry is named with the first", () => {
    const { message, problems } = errorOf(json({ onPrem: { tables: ["customers", "sales_order_details", "customers"] } }));
    expect(message).toContain('onPrem.tables[2]: "customers" — is listed twice (also onPrem.tables[0]): each table is captured once');
    expect(problems).toBe(1);
  });

  test("GIVEN a misspelt table WHEN loaded THEN the schema's table is suggested", () => {
    expect(errorOf(json({ onPrem: { tables: ["sales_order_details", "costumers"] } })).message).toContain('onPrem.tables[1]: "costumers" — must be a table of the orders schema');
    expect(errorOf(json({ onPrem: { tables: ["sales_order_details", "costumers"] } })).message).toContain('(did you mean "customers"?)');
  });
});

describe("base ports", () => {
  test.each([
    ["onPrem.kafka.basePort", { kafka: { basePort: "19092" } }, '"19092"'],
    ["onPrem.connect.basePort", { connect: { basePort: "18083" } }, '"18083"'],
  ])("GIVEN %s as a string WHEN loaded THEN the value typed and the real field are named, nothing derived from it", (field, onPrem, typed) => {
    const { message, problems } = errorOf(json({ onPrem }));
    expect(message).toContain(`${field}: ${typed} — must be an integer from 1024 to 65535`);
    expect(message).not.toMatch(/"190920"|"1909201"|"180830"|basePort controller/);
    expect(problems).toBe(1);
  });

  test("GIVEN a port on a broker's controller WHEN loaded THEN the collision names how that port is derived", () => {
    expect(errorOf(json({ onPrem: { database: { port: 19093 } } })).message).toContain(
      "onPrem.database.port: 19093 — host port collides with onPrem.kafka.basePort (controller of broker 0: basePort + 1)",
    );
  });
});

describe("BRIDGE_CONFIG that is not a JSON object", () => {
  const SECRET = "s3cr3t-pasted-value";

  test.each([
    ["an unterminated string", `{"credentials": {"eventHubsConnectionString": "${SECRET}`, `position ${47 + SECRET.length} (line 1, column ${48 + SECRET.length})`],
    ["a pasted secret (JSON.parse quotes it)", SECRET, "position 0 (line 1, column 1)"],
    ["a syntax error on line 2", `{"project": "bridge",\n  "environment": ${SECRET}}`, "position 39 (line 2, column 18)"],
  ])("GIVEN %s WHEN loaded THEN only the position is reported, never the text", (_, text, where) => {
    const { message } = errorOf({ BRIDGE_CONFIG: text });
    expect(message).toContain(`BRIDGE_CONFIG: <hidden> — must be a JSON object, but is not valid JSON: syntax error at ${where}`);
    expect(message).not.toContain("(unset)");
    expect(message).not.toContain("s3cr3t");
  });

  test("GIVEN valid JSON that is not an object WHEN loaded THEN its type is named, not its value", () => {
    expect(errorOf({ BRIDGE_CONFIG: JSON.stringify(SECRET) }).message).toContain("BRIDGE_CONFIG: <hidden> — must be a JSON object, not a string");
    expect(errorOf({ BRIDGE_CONFIG: "[1]" }).message).toContain("must be a JSON object, not a list");
    expect(errorOf({ BRIDGE_CONFIG: JSON.stringify(SECRET) }).message).not.toContain("s3cr3t");
  });

  test("GIVEN texts valid and invalid WHEN scanned THEN the scanner agrees with JSON.parse, and with its position where it names one", () => {
    const texts = [
      "{}", "[]", '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]}', " 7 ", '"\\/"', "[[[]]]",
      "{not json", '{"a": 1,}', '{"a": "x', '{"a": 1} x', "", "   ", "tru", '{"a": tru}', "[1,2", '{"a":"b" "c":1}',
      "{'a':1}", "[01]", '"\\x"', '"a\tb"', '{"a" 1}', "[1,]", "-", "-x", "1.", "1e", "1e+", "0x1", "-0.5E-2", '"\\u12g4"', '{"a":1,"b":}',
    ];
    for (const text of texts) {
      let parsed = true;
      let v8Position: number | undefined;
      try {
        JSON.parse(text);
      } catch (e) {
        parsed = false;
        const m = /at position (\d+)/.exec((e as Error).message);
        v8Position = m ? Number(m[1]) : undefined;
      }
      const offset = jsonSyntaxErrorOffset(text);
      expect({ text, valid: offset === undefined }).toEqual({ text, valid: parsed });
      if (v8Position !== undefined) expect({ text, offset }).toEqual({ text, offset: v8Position });
    }
    expect(describeOffset("ab\ncd", 4)).toBe("position 4 (line 2, column 2)");
  });

  test("GIVEN an empty BRIDGE_CONFIG WHEN loaded THEN it is unset, without a warning (workflows pass an undefined variable as empty)", () => {
    expect(load({ BRIDGE_CONFIG: "" }).onPrem.kafka.brokers).toBe(1);
    expect(warnings).toEqual([]);
  });
});

describe("inherited names", () => {
  test("GIVEN constructor, toString, hasOwnProperty and __proto__ as keys WHEN loaded THEN each is not a configuration field", () => {
    const text = '{"constructor": {}, "onPrem": {"toString": "x"}, "azure": {"storageAccount": {"hasOwnProperty": 1}}, "__proto__": {"project": "x"}}';
    const { message, problems } = errorOf({ BRIDGE_CONFIG: text });
    for (const field of ["constructor", "onPrem.toString", "azure.storageAccount.hasOwnProperty", "__proto__"]) {
      expect(message).toContain(`  - ${field}: <hidden> — is not a configuration field`);
    }
    expect(problems).toBe(4);
  });

  test("GIVEN an inherited name as the target WHEN loaded THEN the allowed targets are named (no TypeError)", () => {
    const { message, problems } = errorOf({ BRIDGE_TARGET: "toString" });
    expect(message).toContain('target: "toString" — must be one of "local", "event-hubs", "confluent-cloud"');
    expect(problems).toBe(1);
  });

  test("GIVEN a misspelt field WHEN loaded THEN the field is suggested", () => {
    expect(errorOf(json({ onPrem: { kafka: { broker: 3 } } })).message).toContain(
      'onPrem.kafka.broker: <hidden> — is not a configuration field (check the spelling; see README › Configuration) (did you mean "brokers"?)',
    );
  });
});

describe("named variables are parsed by the field's type", () => {
  test("GIVEN an all-digit storage account name WHEN set by variable or by JSON THEN both give that name", () => {
    expect(load({ BRIDGE_STORAGE_ACCOUNT: "123456789" }).derived.storageAccountName).toBe("123456789");
    expect(load(json({ azure: { storageAccount: { name: "123456789" } } })).derived.storageAccountName).toBe("123456789");
  });

  test("GIVEN numbers and booleans as text WHEN loaded THEN numeric and boolean fields get numbers and booleans", () => {
    const c = load({ BRIDGE_KAFKA_BROKERS: "3", BRIDGE_SIMULATOR_ENABLED: "false", BRIDGE_PROJECT: "true" });
    expect(c.onPrem.kafka.brokers).toBe(3);
    expect(c.onPrem.simulator.enabled).toBe(false);
    expect(c.project).toBe("true");
  });

  test("GIVEN text that is not of the field's type WHEN loaded THEN the text is named with the rule", () => {
    expect(errorOf({ BRIDGE_KAFKA_BROKERS: "true" }).message).toContain('onPrem.kafka.brokers: "true" — must be an integer from 1 to 9');
    expect(errorOf({ BRIDGE_SIMULATOR_ENABLED: "yes" }).message).toContain('onPrem.simulator.enabled: "yes" — must be true or false');
  });

  test("GIVEN an empty named variable WHEN loaded THEN it is unset, with a warning naming the variable", () => {
    const c = load({ BRIDGE_CONFIG: JSON.stringify({ onPrem: { kafka: { brokers: 3 } } }), BRIDGE_KAFKA_BROKERS: "" });
    expect(c.onPrem.kafka.brokers).toBe(3);
    expect(warnings).toEqual([expect.stringContaining("BRIDGE_KAFKA_BROKERS is set but empty, so it is ignored (onPrem.kafka.brokers keeps its value")]);
  });
});

describe("the app on input that used to crash a construct", () => {
  test.each([
    ["an empty topic list", { BRIDGE_CONFIG: '{"replication": {"topics": []}}' }, "replication.topics: [] — must list at least one topic"],
    ["a table twice", { BRIDGE_CONFIG: '{"onPrem": {"tables": ["sales_order_details", "sales_order_details"]}}' }, 'onPrem.tables[1]: "sales_order_details" — is listed twice'],
    ["BRIDGE_CONFIG with a pasted secret", { BRIDGE_CONFIG: "s3cr3t-pasted-value" }, "BRIDGE_CONFIG: <hidden> — must be a JSON object, but is not valid JSON: syntax error at position 0"],
  ])("GIVEN %s WHEN node dist/main.js runs THEN it prints the problem, exits 1, no stack trace, synthesizes nothing", (_, env, expected) => {
    const outdir = mkdtempSync(join(tmpdir(), "bridge-bad-input-"));
    try {
      const r = spawnSync(process.execPath, [join(__dirname, "..", "main.js")], {
        env: { PATH: process.env.PATH, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1", ...env },
        encoding: "utf8",
      });
      expect(r.stderr).toContain(expected);
      expect(r.status).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).not.toContain("s3cr3t");
      // The App creates an empty stacks/ before the configuration is read; nothing may be written into it.
      expect(readdirSync(join(outdir, "stacks"))).toEqual([]);
      expect(existsSync(join(outdir, "manifest.json"))).toBe(false);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
