import { readFileSync } from "fs";
import { join } from "path";
import {
  charLength,
  COMMENT_MARKER,
  GITHUB_COMMENT_LIMIT,
  parsePlan,
  PlanFormatError,
  PlanSummary,
  renderMarkdown,
  ResourceSummary,
  SENSITIVE,
  summarizePlan,
  TerraformPlanJson,
  UNKNOWN,
} from "../gitops/plan-summary";
import { defaultSkips, parseArgs, secretsFromEnv, stackOrder, terraformEnv } from "../gitops/plan-report";

// Real plans: `terraform show -json` of THIS project's stacks (onprem, and
// bridge for the event-hubs and confluent-cloud targets), produced by
// gitops/fixtures/regenerate.sh from a deployment of their own ("fixtures")
// on the local Docker engine. Resource addresses carry CDKTF's hash suffix,
// so they are found by prefix.
const FIXTURES = join(__dirname, "..", "..", "test", "fixtures", "plans");
/** Part of every fake credential of the sensitive fixtures (TF_VAR_* at plan time). */
const SECRET = "s3cr3t-fixture-value";
const EVENT_HUBS_CONNECTION_STRING = `Endpoint=sb://fixture.servicebus.windows.net/;SharedAccessKeyName=fixture;SharedAccessKey=${SECRET}`;

function raw(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.json`), "utf8");
}
function plan(name: string): TerraformPlanJson {
  return parsePlan(raw(name));
}
function summary(name: string): PlanSummary {
  return summarizePlan(plan(name));
}
/** The one resource whose address starts with `prefix` (CDKTF appends a hash). */
function resource(s: PlanSummary, prefix: string): ResourceSummary {
  const found = s.resources.filter((x) => x.address.startsWith(prefix));
  if (found.length !== 1) throw new Error(`${found.length} resources ${prefix}* in ${s.resources.map((x) => x.address).join(", ")}`);
  return found[0];
}
function byType(s: PlanSummary | ResourceSummary[], type: string): ResourceSummary[] {
  return (Array.isArray(s) ? s : s.resources).filter((r) => r.type === type);
}
const CONNECTOR = "kafka-connect_connector.cdc_debezium";
const DATABASE = "docker_container.database_server_container";
const ONPREM = ["create", "update", "replace", "drift", "destroy"];
const SENSITIVE_PLANS = ["sensitive", "sensitive-confluent"];
const ALL = [...ONPREM, ...SENSITIVE_PLANS];

describe("fixtures are real terraform plans of this project's stacks", () => {
  test.each(ALL)("%s.json: format 1.x from terraform, real providers, the fixtures deployment, no machine paths", (name) => {
    const p = plan(name);
    expect(p.format_version).toMatch(/^1\./);
    expect(p.terraform_version).toMatch(/^1\.\d+\.\d+/);
    for (const r of p.resource_changes!) expect(r.provider_name).toMatch(/^registry\.terraform\.io\/(kreuzwerker\/docker|mongey\/kafka|mongey\/kafka-connect)$/);
    // The deployment's own names and ports (config: environment "fixtures", Connect on 58083, Kafka on 59192).
    expect(raw(name)).toMatch(/bridge-fixtures|127\.0\.0\.1:59192/);
    expect(raw(name)).not.toMatch(/\/tmp\/bridge-fixtures\.|\/work\/|\/root\//);
  });

  test("onprem plans: docker, kafka and kafka-connect providers", () => {
    expect(new Set(plan("create").resource_changes!.map((r) => r.provider_name))).toEqual(
      new Set(["registry.terraform.io/kreuzwerker/docker", "registry.terraform.io/mongey/kafka", "registry.terraform.io/mongey/kafka-connect"]),
    );
  });

  test.each(SENSITIVE_PLANS)("%s.json carries the fake credential in clear text (as terraform writes it)", (name) => {
    expect(raw(name)).toContain(SECRET);
  });

  test.each(ONPREM)("%s.json has no credential at all (on-prem secrets are files, never Terraform values)", (name) => {
    expect(raw(name)).not.toContain(SECRET);
  });
});

describe("counts and kinds", () => {
  test("create: the whole on-prem stack on empty state", () => {
    const s = summary("create");
    expect(s.counts).toMatchObject({ add: 17, change: 0, replace: 0, destroy: 0 });
    expect(s.resources.every((r) => r.kind === "create")).toBe(true);
    const types: Record<string, number> = {};
    for (const r of s.resources) types[r.type] = (types[r.type] ?? 0) + 1;
    expect(types).toEqual({ docker_container: 3, docker_image: 3, docker_volume: 2, "kafka-connect_connector": 1, kafka_topic: 8 });
    expect(s.outputs.map((o) => [o.name, o.kind])).toEqual([["endpoints", "create"]]);
    expect(verdictLine(s)).toBe("➕ Additions only");
  });

  test("update: partitions 1→2 on every CDC topic, the connector in place, one topic more", () => {
    const s = summary("update");
    expect(s.counts).toMatchObject({ add: 1, change: 8, replace: 0, destroy: 0 });
    const topics = byType(s, "kafka_topic").filter((r) => r.kind === "update");
    expect(topics).toHaveLength(7);
    for (const t of topics) expect(t.attributes.map((a) => [a.path, a.before, a.after, a.forcesReplacement])).toEqual([["partitions", "1", "2", false]]);
    expect(resource(s, CONNECTOR).kind).toBe("update");
    const created = byType(s, "kafka_topic").filter((r) => r.kind === "create");
    expect(created).toHaveLength(1);
    expect(created[0].attributes.find((a) => a.path === "name")?.after).toBe('"dc01_dc01_out_of_stock_events"');
    expect(s.outputs.map((o) => [o.name, o.kind])).toEqual([["endpoints", "update"]]);
  });

  test("update: refresh noise of the apply before is not reported as drift", () => {
    // terraform lists these (computed attributes read back after the create) …
    expect(plan("update").resource_drift!.length).toBeGreaterThan(0);
    // … but nothing a reviewer must act on.
    expect(summary("update").drift).toEqual([]);
  });

  test("replace: detected from [delete, create], with the attribute that forces it", () => {
    const s = summary("replace");
    expect(s.counts).toMatchObject({ add: 0, change: 0, replace: 1, destroy: 0 });
    const r = resource(s, DATABASE);
    expect(r.kind).toBe("replace");
    expect(r.actions).toEqual(["delete", "create"]);
    expect(r.actionReason).toBe("replace_because_cannot_update");
    // onPrem.database.binlogRetentionHours 168 → 72 reaches the container as an environment variable.
    const forcing = r.attributes.filter((a) => a.forcesReplacement);
    expect(forcing.map((a) => [a.path, a.before, a.after])).toEqual([
      ["env[1]", '"MARIADB_BINLOG_EXPIRE_LOGS_SECONDS=604800"', '"MARIADB_BINLOG_EXPIRE_LOGS_SECONDS=259200"'],
    ]);
    // Computed attributes become unknown: flagged as such, not as real edits.
    expect(r.attributes.find((a) => a.path === "id")).toMatchObject({ after: UNKNOWN, computed: true });
  });

  test("destroy: every resource and the output go", () => {
    const s = summary("destroy");
    expect(s.counts).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 17 });
    expect(s.resources.every((r) => r.kind === "delete")).toBe(true);
    expect(byType(s, "kafka_topic")).toHaveLength(9);
    expect(s.outputs.map((o) => [o.name, o.kind])).toEqual([["endpoints", "delete"]]);
  });

  test("drift: changes outside Terraform are reported, and the plan restores them", () => {
    const s = summary("drift");
    expect(s.counts).toMatchObject({ add: 1, change: 1, replace: 0, destroy: 0 });
    expect(s.drift.map((d) => [d.address.replace(/_[0-9A-F]{8}$/, ""), d.kind])).toEqual([
      [DATABASE, "delete"],
      [CONNECTOR, "update"],
    ]);
    // PUT /connectors/dc01-orders-cdc/config: snapshot.mode changed, a key added, a key dropped.
    expect(s.drift[1].connector!.keys).toEqual([
      { key: "heartbeat.interval.ms", status: "removed", sensitive: false, before: '"10000"' },
      { key: "max.batch.size", status: "added", sensitive: false, after: '"4096"' },
      { key: "snapshot.mode", status: "changed", sensitive: false, before: '"when_needed"', after: '"never"' },
    ]);
    // The plan puts them back, and re-creates the removed container.
    expect(resource(s, CONNECTOR).connector!.keys.map((k) => [k.key, k.status])).toEqual([
      ["heartbeat.interval.ms", "added"],
      ["max.batch.size", "removed"],
      ["snapshot.mode", "changed"],
    ]);
    expect(resource(s, DATABASE).kind).toBe("create");
    const md = renderMarkdown([{ stack: "onprem", summary: s }]);
    expect(md).toContain("⚠️ Drift: 2 resource(s) changed outside Terraform");
    expect(md).toMatch(/- `docker_container\.database_server_container_[0-9A-F]{8}`: deleted outside Terraform/);
    expect(md).toContain('  - config `snapshot.mode`: `"when_needed"` → `"never"`');
    expect(md).toContain('  - config `max.batch.size`: added `"4096"`');
  });

  test("sensitive: the bridge for Event Hubs, three MirrorMaker 2 connectors to create", () => {
    const s = summary("sensitive");
    expect(s.counts).toMatchObject({ add: 3, change: 0, replace: 0, destroy: 0 });
    expect(s.resources.map((r) => r.connector?.name).sort()).toEqual(["dc01-mm2-checkpoint", "dc01-mm2-heartbeat", "dc01-mm2-source"]);
  });

  test("sensitive-confluent: the same plus Confluent's managed ADLS Gen2 sink", () => {
    const s = summary("sensitive-confluent");
    expect(s.counts).toMatchObject({ add: 4, change: 0, replace: 0, destroy: 0 });
    expect(resource(s, "kafka-connect_connector.adls-sink").connector!.name).toBe("dc01-adls-gen2-sink");
  });

  test("a plan without changes says so", () => {
    const p = plan("update");
    const empty = { ...p, resource_changes: p.resource_changes!.map((rc) => ({ ...rc, change: { ...rc.change, actions: ["no-op" as const] } })), output_changes: {} };
    const s = summarizePlan(empty);
    expect(s.hasChanges).toBe(false);
    expect(renderMarkdown([{ stack: "onprem", summary: s }])).toContain("No changes");
  });
});

function verdictLine(s: PlanSummary): string {
  return renderMarkdown([{ stack: "x", summary: s }]).match(/^\| `x` \|.*\| ([^|]+) \|$/m)![1];
}

describe("connector config, key by key", () => {
  test("update: the Debezium connector's changed keys only", () => {
    const cd = resource(summary("update"), CONNECTOR).connector!;
    expect(cd.name).toBe("dc01-orders-cdc");
    expect(cd.keys.map((k) => [k.key, k.status, k.sensitive])).toEqual([
      ["table.include.list", "changed", false],
      ["topic.creation.default.partitions", "changed", false],
    ]);
    const tables = cd.keys[0];
    expect(tables.before).not.toContain("out_of_stock");
    expect(tables.after).toContain("…"); // long value, truncated for display
    expect(cd.keys[1]).toMatchObject({ before: '"1"', after: '"2"' });
    expect(cd.unchanged).toBe(43);
  });

  test("update: the full new value with a longer limit", () => {
    const cd = resource(summarizePlan(plan("update"), { maxValueLength: 1000 }), CONNECTOR).connector!;
    expect(cd.keys[0].after).toMatch(/orders\\\\\.dc01_out_of_stock_events"$/);
  });

  test("create: every key is added", () => {
    const cd = resource(summary("create"), CONNECTOR).connector!;
    expect(cd.keys.every((k) => k.status === "added")).toBe(true);
    expect(cd.keys.find((k) => k.key === "connector.class")?.after).toBe('"io.debezium.connector.mariadb.MariaDbConnector"');
    // The password is a file reference resolved by Connect, not a secret value.
    expect(cd.keys.find((k) => k.key === "database.password")).toMatchObject({ sensitive: false, after: '"${file:/run/secrets/connect/db.properties:password}"' });
  });

  test("config_sensitive keys are named, never valued", () => {
    for (const r of summary("sensitive").resources) {
      const secret = r.connector!.keys.filter((k) => k.sensitive);
      expect(secret.map((k) => k.key)).toEqual(["producer.override.sasl.jaas.config", "target.cluster.sasl.jaas.config"]);
      for (const k of secret) expect(k).toEqual({ key: k.key, status: "added", sensitive: true, before: undefined, after: undefined });
    }
    const sink = resource(summary("sensitive-confluent"), "kafka-connect_connector.adls-sink").connector!;
    expect(sink.keys.filter((k) => k.sensitive).map((k) => k.key)).toEqual(["azure.datalake.gen2.access.key", "kafka.api.key", "kafka.api.secret"]);
  });

  test("the Markdown tables", () => {
    const md = renderMarkdown([{ stack: "onprem", summary: summary("update") }]);
    expect(md).toContain("Connector config `dc01-orders-cdc`, key by key (43 key(s) unchanged):");
    expect(md).toContain('| `topic.creation.default.partitions` | changed | `"1"` | `"2"` |');
    expect(md).toMatch(/\| `partitions` \| `1` \| `2` \|/);
    const sensitive = renderMarkdown([{ stack: "bridge", summary: summary("sensitive") }]);
    expect(sensitive).toContain(`| \`target.cluster.sasl.jaas.config\` 🔒 | added |  | _${SENSITIVE}_ |`);
    expect(sensitive).toContain('| `target.cluster.bootstrap.servers` | added |  | `"evhns-bridge-fixtures-');
  });
});

describe("secrets never reach the Markdown", () => {
  test.each(ALL)("%s: no fake credential, in full or in part", (name) => {
    const md = renderMarkdown([{ stack: name, summary: summary(name) }]);
    expect(md).not.toContain(SECRET);
    expect(md).not.toMatch(/FIXTURE(KAFKA|CLOUD)KEY|SharedAccessKey=/);
  });

  test("every string at a sensitive path is in the scrub list (not shown, not serialised)", () => {
    const s = summary("sensitive");
    expect([...s.secrets].length).toBeGreaterThan(0);
    expect([...s.secrets].every((v) => v.includes(SECRET))).toBe(true);
  });

  test("nested sensitive marks mask only the marked parts", () => {
    const p: TerraformPlanJson = {
      format_version: "1.2",
      resource_changes: [
        {
          address: "docker_container.db",
          mode: "managed",
          type: "docker_container",
          name: "db",
          change: {
            actions: ["update"],
            before: { env: ["A=1", "PASSWORD=hunter2-old"], labels: { team: "cdc", token: "tok-old-123456" } },
            after: { env: ["A=2", "PASSWORD=hunter2-new"], labels: { team: "cdc", token: "tok-new-123456" } },
            before_sensitive: { env: [false, true], labels: { token: true } },
            after_sensitive: { env: [false, true], labels: { token: true } },
            after_unknown: {},
          },
        },
      ],
    };
    const s = summarizePlan(p);
    const attrs = Object.fromEntries(s.resources[0].attributes.map((a) => [a.path, a]));
    expect(attrs["env[0]"]).toMatchObject({ before: '"A=1"', after: '"A=2"', sensitive: false });
    expect(attrs["env[1]"]).toMatchObject({ before: SENSITIVE, after: SENSITIVE, sensitive: true });
    expect(attrs["labels.token"]).toMatchObject({ before: SENSITIVE, after: SENSITIVE });
    expect(attrs["labels.team"]).toBeUndefined();
    const md = renderMarkdown([{ stack: "x", summary: s }]);
    expect(md).not.toMatch(/hunter2|tok-(old|new)/);
  });

  test("a sensitive value copied into a non-sensitive key is scrubbed too", () => {
    const p = JSON.parse(raw("sensitive"));
    const rc = p.resource_changes.find((r: { type: string }) => r.type === "kafka-connect_connector");
    const jaas = rc.change.after.config_sensitive["target.cluster.sasl.jaas.config"] as string;
    expect(jaas).toContain(SECRET);
    rc.change.after.config["leaky.copy"] = jaas;
    const md = renderMarkdown([{ stack: "x", summary: summarizePlan(p) }]);
    expect(md).toContain("leaky.copy");
    expect(md).not.toContain(SECRET);
  });

  test("a credential from the environment (TF_VAR_*) is redacted wherever it appears", () => {
    const p = JSON.parse(raw("sensitive"));
    const rc = p.resource_changes.find((r: { type: string }) => r.type === "kafka-connect_connector");
    rc.change.after.config["leaky.part"] = `broker says: ${EVENT_HUBS_CONNECTION_STRING}`;
    const redact = secretsFromEnv({ TF_VAR_event_hubs_connection_string: EVENT_HUBS_CONNECTION_STRING, PATH: "/usr/bin:/bin" });
    expect(redact).toEqual([EVENT_HUBS_CONNECTION_STRING]);
    const md = renderMarkdown([{ stack: "x", summary: summarizePlan(p, { maxValueLength: 1000 }) }], { redact });
    expect(md).toContain("leaky.part");
    expect(md).not.toContain(SECRET);
  });

  test("environment values (TF_VAR_*, credentials) are redacted from errors", () => {
    expect(secretsFromEnv({ TF_VAR_confluent_api_secret: "abcdefgh", ARM_CLIENT_ID: "not-a-secret-id", PATH: "/usr/bin:/bin" })).toEqual(["abcdefgh"]);
    const md = renderMarkdown([{ stack: "x", error: "Error: connecting with abcdefgh failed" }], { redact: ["abcdefgh"] });
    expect(md).not.toContain("abcdefgh");
  });
});

describe("Markdown", () => {
  const md = renderMarkdown(
    ALL.map((n) => ({ stack: n, summary: summary(n) })),
    { subtitle: "Commit abc123" },
  );

  test("starts with the hidden marker and has one section per stack", () => {
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    for (const n of ALL) expect(md).toContain(`### Stack \`${n}\``);
  });

  test("overview and verdicts", () => {
    expect(md).toContain("| `create` | 17 | 0 | 0 | 0 | ➕ Additions only |");
    expect(md).toContain("| `update` | 1 | 8 | 0 | 0 | 🔧 In-place changes only |");
    expect(md).toContain("| `replace` | 0 | 0 | 1 | 0 | ⚠️ Destructive |");
    expect(md).toContain("| `destroy` | 0 | 0 | 0 | 17 | ⚠️ Destructive |");
    expect(md).toContain("**0** to add, **0** to change, **1** to replace, **0** to destroy");
    expect(md).toContain('| `env[1]` **forces replacement** | `"MARIADB_BINLOG_EXPIRE_LOGS_SECONDS=604800"` | `"MARIADB_BINLOG_EXPIRE_LOGS_SECONDS=259200"` |');
    expect(md).toContain("reason: replace because cannot update");
    expect(md).not.toContain(SECRET);
  });

  test("failed and skipped stacks", () => {
    const out = renderMarkdown([
      { stack: "azure", error: "Error: building AzureRM Client: ```oops```" },
      { stack: "onprem", skipped: "needs the on-prem runner" },
    ]);
    expect(out).toContain("| `azure` | – | – | – | – | ❌ plan failed |");
    expect(out).toContain("⏭️ Not planned: needs the on-prem runner");
    expect(out.match(/```/g)!.length % 2).toBe(0);
  });

  test("kept under GitHub's comment limit, with a note, details first", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ stack: `stack-${i}`, summary: summary("create") }));
    const out = renderMarkdown(many);
    expect(charLength(out)).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(out).toContain("✂️ **Truncated**");
    expect(out.startsWith(COMMENT_MARKER)).toBe(true);
    // Balanced HTML blocks after the cut.
    expect((out.match(/<details/g) ?? []).length).toBe((out.match(/<\/details>/g) ?? []).length);
    const few = renderMarkdown(many.slice(0, 5), { maxLength: 20000 });
    expect(charLength(few)).toBeLessThanOrEqual(20000);
    expect(few).toContain("attribute details were left out");
  });

  test("long values are truncated", () => {
    const s = summarizePlan(plan("update"), { maxValueLength: 40 });
    const k = resource(s, CONNECTOR).connector!.keys.find((x) => x.key === "table.include.list")!;
    expect(k.after!.length).toBe(40);
    expect(k.after!.endsWith("…")).toBe(true);
  });
});

describe("input checks", () => {
  test("rejects what is not a plan", () => {
    expect(() => parsePlan("nope")).toThrow(PlanFormatError);
    expect(() => parsePlan('{"format_version":"0.1","resource_changes":[]}')).toThrow(/unsupported format_version/);
    expect(() => parsePlan('{"format_version":"1.0","values":{}}')).toThrow(/state instead of a plan/);
  });
});

describe("plan-report CLI", () => {
  test("arguments", () => {
    const a = parseArgs(["--stack", "azure", "--skip=onprem=needs the on-prem runner", "--no-lock", "--detailed-exitcode", "x/azure.json", "onprem=y.json"]);
    expect(a).toMatchObject({ stacks: ["azure"], lock: false, detailedExitcode: true });
    expect([...a.skip]).toEqual([["onprem", "needs the on-prem runner"]]);
    expect(a.files).toEqual([
      { stack: "azure", path: "x/azure.json" },
      { stack: "onprem", path: "y.json" },
    ]);
    expect(() => parseArgs(["--what"])).toThrow(/unknown option/);
  });

  test("GIVEN the apply pipeline's options THEN the lock wait and the saved plan's name; a path or a bare number is refused", () => {
    expect(parseArgs([]).planOut).toBe("gitops.tfplan");
    expect(parseArgs([]).lockTimeout).toBeUndefined();
    expect(parseArgs(["--lock-timeout", "10m", "--plan-out=apply.tfplan"])).toMatchObject({ lockTimeout: "10m", planOut: "apply.tfplan" });
    expect(() => parseArgs(["--lock-timeout", "10"])).toThrow(/--lock-timeout "10" must be a duration/);
    expect(() => parseArgs(["--plan-out", "../apply.tfplan"])).toThrow(/--plan-out "..\/apply.tfplan" must be a file name/);
  });

  test("local runs use the provider mirror, like scripts/env.sh", () => {
    const exists = (p: string): boolean => p === "/c/terraformrc";
    const list = (dir: string): string[] => (dir === "/c/terraform-mirror/registry.terraform.io/kreuzwerker/docker" ? ["3.6.2", "4.6.1-dev.1"] : []);
    const env = terraformEnv({ BRIDGE_CACHE: "/c", PATH: "/bin" }, exists, list);
    expect(env).toMatchObject({ TF_CLI_CONFIG_FILE: "/c/terraformrc", BRIDGE_DOCKER_PROVIDER_VERSION: "3.6.2", TF_IN_AUTOMATION: "1", TF_INPUT: "0" });
    expect(env.BRIDGE_AZURERM_PROVIDER_VERSION).toBeUndefined();
    expect(terraformEnv({ BRIDGE_CACHE: "/c", TF_CLI_CONFIG_FILE: "/mine" }, exists).TF_CLI_CONFIG_FILE).toBe("/mine");
    expect(terraformEnv({ BRIDGE_CACHE: "/c", BRIDGE_PROVIDERS: "registry" }, exists).TF_CLI_CONFIG_FILE).toBeUndefined();
    expect(terraformEnv({ BRIDGE_CACHE: "/none" }, exists).TF_CLI_CONFIG_FILE).toBeUndefined();
  });

  test("the azure stack is not planned without Azure credentials, unless asked for", () => {
    const all = ["azure", "onprem", "bridge"];
    expect([...defaultSkips({}, all, []).keys()]).toEqual(["azure"]);
    expect(defaultSkips({}, all, []).get("azure")).toMatch(/no Azure credentials/);
    expect(defaultSkips({ ARM_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000000" }, all, []).size).toBe(0);
    expect(defaultSkips({}, all, ["azure"]).size).toBe(0);
  });

  test("stacks in dependency order", () => {
    expect(
      stackOrder({
        stacks: {
          azure: { name: "azure", workingDirectory: "stacks/azure", dependencies: [] },
          bridge: { name: "bridge", workingDirectory: "stacks/bridge", dependencies: ["onprem", "azure"] },
          onprem: { name: "onprem", workingDirectory: "stacks/onprem", dependencies: [] },
        },
      }),
    ).toEqual(["azure", "onprem", "bridge"]);
  });
});
