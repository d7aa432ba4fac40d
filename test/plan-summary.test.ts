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
import { parseArgs, secretsFromEnv, stackOrder } from "../gitops/plan-report";

// Real plans: `terraform show -json` of gitops/fixtures-app, produced by
// gitops/fixtures/regenerate.sh against the local Docker engine.
const FIXTURES = join(__dirname, "..", "..", "test", "fixtures", "plans");
const SECRET = "s3cr3t-fixture-value";

function raw(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.json`), "utf8");
}
function plan(name: string): TerraformPlanJson {
  return parsePlan(raw(name));
}
function summary(name: string): PlanSummary {
  return summarizePlan(plan(name));
}
function resource(s: PlanSummary, address: string): ResourceSummary {
  const r = s.resources.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address} in ${s.resources.map((x) => x.address).join(", ")}`);
  return r;
}
const ALL = ["create", "update", "replace", "drift", "destroy"];

describe("fixtures are real terraform plans", () => {
  test.each(ALL)("%s.json: format 1.x from terraform, with the fake secret in clear text", (name) => {
    const p = plan(name);
    expect(p.format_version).toMatch(/^1\./);
    expect(p.terraform_version).toMatch(/^1\.\d+\.\d+/);
    // terraform writes sensitive values in clear: the summarizer must mask them.
    expect(raw(name)).toContain(SECRET);
    expect(raw(name)).not.toMatch(/\/tmp\/bridge-fixtures\.|\/work\//);
  });
});

describe("counts and kinds", () => {
  test("create: two resources to add, nothing else", () => {
    const s = summary("create");
    expect(s.counts).toMatchObject({ add: 2, change: 0, replace: 0, destroy: 0 });
    expect(s.hasChanges).toBe(true);
    expect(resource(s, "docker_container.probe").kind).toBe("create");
    expect(resource(s, "kafka-connect_connector.cdc").kind).toBe("create");
  });

  test("update: the connector changes in place, the container is not listed", () => {
    const s = summary("update");
    expect(s.counts).toMatchObject({ add: 0, change: 1, replace: 0, destroy: 0 });
    expect(s.resources.map((r) => r.address)).toEqual(["kafka-connect_connector.cdc"]);
  });

  test("replace: detected from [delete, create], with the attribute that forces it", () => {
    const s = summary("replace");
    expect(s.counts).toMatchObject({ add: 0, change: 0, replace: 1, destroy: 0 });
    const r = resource(s, "docker_container.probe");
    expect(r.kind).toBe("replace");
    expect(r.actions).toEqual(["delete", "create"]);
    const forcing = r.attributes.filter((a) => a.forcesReplacement);
    expect(forcing.map((a) => [a.path, a.before, a.after])).toEqual([["command[1]", '"3600"', '"7200"']]);
    // Computed attributes become unknown: flagged as such, not as real edits.
    expect(r.attributes.find((a) => a.path === "id")).toMatchObject({ after: UNKNOWN, computed: true });
  });

  test("destroy: both resources and the outputs go", () => {
    const s = summary("destroy");
    expect(s.counts).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 2 });
    expect(s.outputs.map((o) => [o.name, o.kind])).toEqual([
      ["cdc_password_out", "delete"],
      ["connector_name", "delete"],
      ["probe_container_id", "delete"],
    ]);
  });

  test("drift: changes outside Terraform are reported, and the plan restores them", () => {
    const s = summary("drift");
    expect(s.counts).toMatchObject({ add: 1, change: 1, replace: 0, destroy: 0 });
    expect(s.drift.map((d) => [d.address, d.kind])).toEqual([
      ["docker_container.probe", "delete"],
      ["kafka-connect_connector.cdc", "update"],
    ]);
    const cd = s.drift[1].connector!;
    expect(cd.keys).toEqual([
      { key: "snapshot.mode", status: "changed", sensitive: false, before: '"when_needed"', after: '"never"' },
      { key: "tasks.max", status: "changed", sensitive: false, before: '"1"', after: '"4"' },
    ]);
  });

  test("a plan without changes says so", () => {
    const empty = { ...plan("update"), resource_changes: plan("update").resource_changes!.map((rc) => ({ ...rc, change: { ...rc.change, actions: ["no-op" as const] } })), output_changes: {} };
    const s = summarizePlan(empty);
    expect(s.hasChanges).toBe(false);
    expect(renderMarkdown([{ stack: "onprem", summary: s }])).toContain("No changes");
  });
});

describe("connector config, key by key", () => {
  test("update: added, removed and changed keys; the sensitive key named, never valued", () => {
    const cd = resource(summary("update"), "kafka-connect_connector.cdc").connector!;
    expect(cd.name).toBe("dc01-orders-cdc");
    const byKey = Object.fromEntries(cd.keys.map((k) => [k.key, k]));
    expect(Object.keys(byKey).sort()).toEqual(["database.password", "decimal.handling.mode", "heartbeat.interval.ms", "snapshot.mode", "table.include.list"]);
    expect(byKey["decimal.handling.mode"]).toMatchObject({ status: "removed", before: '"string"' });
    expect(byKey["heartbeat.interval.ms"]).toMatchObject({ status: "added", after: '"10000"' });
    expect(byKey["snapshot.mode"]).toMatchObject({ status: "changed", before: '"initial"', after: '"when_needed"' });
    // config_sensitive: the rotation is detected, the values are not carried.
    expect(byKey["database.password"]).toEqual({ key: "database.password", status: "changed", sensitive: true, before: undefined, after: undefined });
    expect(cd.unchanged).toBe(11);
  });

  test("create: every key is added", () => {
    const cd = resource(summary("create"), "kafka-connect_connector.cdc").connector!;
    expect(cd.keys.every((k) => k.status === "added")).toBe(true);
    expect(cd.keys.find((k) => k.key === "database.password")).toMatchObject({ sensitive: true, after: undefined });
    expect(cd.keys.find((k) => k.key === "connector.class")?.after).toBe('"io.debezium.connector.mariadb.MariaDbConnector"');
  });

  test("the Markdown table of the update", () => {
    const md = renderMarkdown([{ stack: "onprem", summary: summary("update") }]);
    expect(md).toContain("| `snapshot.mode` | changed | `\"initial\"` | `\"when_needed\"` |");
    expect(md).toContain("| `heartbeat.interval.ms` | added |  | `\"10000\"` |");
    expect(md).toContain("| `decimal.handling.mode` | removed | `\"string\"` |  |");
    expect(md).toContain(`| \`database.password\` 🔒 | changed | _${SENSITIVE}_ | _${SENSITIVE}_ |`);
  });
});

describe("secrets never reach the Markdown", () => {
  test.each(ALL)("%s: the fake password (and its rotation) is masked", (name) => {
    const md = renderMarkdown([{ stack: name, summary: summary(name) }]);
    expect(md).not.toContain(SECRET);
    expect(md).not.toContain("rotated");
  });

  test("sensitive output is masked", () => {
    const s = summary("create");
    expect(s.outputs.find((o) => o.name === "cdc_password_out")).toMatchObject({ sensitive: true, after: SENSITIVE });
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

  test("a secret leaking into a non-sensitive attribute is scrubbed too", () => {
    const p = JSON.parse(raw("update"));
    const rc = p.resource_changes.find((r: { type: string }) => r.type === "kafka-connect_connector");
    rc.change.after.config["leaky.copy"] = `jdbc:mariadb://x?password=${SECRET}-rotated`;
    const md = renderMarkdown([{ stack: "x", summary: summarizePlan(p) }]);
    expect(md).toContain("leaky.copy");
    expect(md).not.toContain(SECRET);
  });

  test("environment values (TF_VAR_*, credentials) are redacted", () => {
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
    expect(md).toContain("| `replace` | 0 | 0 | 1 | 0 | ⚠️ Destructive |");
    expect(md).toContain("| `destroy` | 0 | 0 | 0 | 2 | ⚠️ Destructive |");
    expect(md).toContain("| `create` | 2 | 0 | 0 | 0 | ➕ Additions only |");
    expect(md).toContain("**0** to add, **0** to change, **1** to replace, **0** to destroy");
    expect(md).toContain("`command[1]` **forces replacement** | `\"3600\"` | `\"7200\"` |");
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
    const few = renderMarkdown(many.slice(0, 30), { maxLength: 20000 });
    expect(charLength(few)).toBeLessThanOrEqual(20000);
    expect(few).toContain("attribute details were left out");
  });

  test("long values are truncated", () => {
    const s = summarizePlan(plan("update"), { maxValueLength: 40 });
    const k = resource(s, "kafka-connect_connector.cdc").connector!.keys.find((x) => x.key === "table.include.list")!;
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
