import {
  bool,
  ConfigError,
  configProblems,
  defineEnv,
  envHelp,
  EnvReader,
  envTable,
  heartbeatPath,
  int,
  logLevel,
  oneOf,
  parsed,
  positiveNumber,
  readmeEnvTable,
  secretFile,
  text,
  withReadmeEnvTable,
} from "../src";

const ENV = defineEnv({
  APP_PORT: int({ default: 8080, min: 1, max: 65535 }),
  APP_POOL: int({ default: "APP_WORKERS + 1", min: 1, max: 64, note: "at least APP_WORKERS" }),
  APP_BEAT_MS: int({ default: 1000, min: 100, max: "APP_SESSION_MS/3" }),
  APP_SEED: int({ unset: "(random)", min: 0, max: Number.MAX_SAFE_INTEGER }),
  APP_RATE: positiveNumber({ max: 100 }),
  APP_DEDUPE: bool({ default: true, note: "drop duplicates" }),
  APP_MODE: oneOf(["fast", "safe"], { default: "safe" }),
  APP_LOG_LEVEL: logLevel(),
  APP_HOST: text({ required: true, doc: "host name", pattern: /^[a-z.]+$/ }),
  APP_SPLIT: parsed<number[]>({ default: "1,2", doc: "comma list | of integers", parse: (v) => (/^\d+(,\d+)*$/.test(v) ? { value: v.split(",").map(Number) } : { error: "must be integers" }) }),
  APP_HEARTBEAT_FILE: heartbeatPath("/tmp/app/heartbeat.json"),
  APP_PASSWORD_FILE: secretFile({ required: true, doc: "file holding the password", rejects: { name: "APP_PASSWORD", what: "the password" } }),
});

const FILES: Record<string, string> = { "/pw": "hunter2\n", "/blank": " \n" };
const readFile = (p: string): string => {
  if (p in FILES) return FILES[p]!;
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
};
const reader = (env: Record<string, string>) => new EnvReader(ENV, { APP_HOST: "db.local", APP_PASSWORD_FILE: "/pw", ...env }, readFile);
const problems = (env: Record<string, string>, read: (c: EnvReader<typeof ENV>) => void) =>
  configProblems(() => {
    const c = reader(env);
    read(c);
    c.done();
  });

describe("env schema: values", () => {
  test("GIVEN nothing set WHEN read THEN each entry's default", () => {
    const c = reader({});
    expect(c.pick({ port: "APP_PORT", seed: "APP_SEED", rate: "APP_RATE", dedupe: "APP_DEDUPE", mode: "APP_MODE", level: "APP_LOG_LEVEL", split: "APP_SPLIT", hb: "APP_HEARTBEAT_FILE" })).toEqual({
      port: 8080, seed: undefined, rate: undefined, dedupe: true, mode: "safe", level: "info", split: [1, 2], hb: "/tmp/app/heartbeat.json",
    });
    expect(c.get("APP_POOL", { default: 5 })).toBe(5);
    expect(() => c.done()).not.toThrow();
  });

  test("GIVEN values with blanks and odd case WHEN read THEN trimmed and parsed", () => {
    const c = reader({ APP_PORT: " 9090 ", APP_RATE: "2.5", APP_DEDUPE: "NO", APP_MODE: "FAST", APP_LOG_LEVEL: "Debug", APP_SPLIT: "3,4", APP_SEED: "", APP_POOL: "7" });
    expect(c.pick({ port: "APP_PORT", rate: "APP_RATE", dedupe: "APP_DEDUPE", mode: "APP_MODE", level: "APP_LOG_LEVEL", split: "APP_SPLIT", seed: "APP_SEED" })).toEqual({
      port: 9090, rate: 2.5, dedupe: false, mode: "fast", level: "debug", split: [3, 4], seed: undefined,
    });
    expect(c.get("APP_POOL", { default: 5 })).toBe(7);
  });

  test("GIVEN a derived default or bound the caller does not supply WHEN read THEN a programming error, not a config problem", () => {
    expect(() => reader({}).get("APP_POOL")).toThrow("derived default (APP_WORKERS + 1)");
    expect(() => reader({}).get("APP_BEAT_MS")).toThrow("derived maximum (APP_SESSION_MS/3)");
  });

  test("GIVEN the heartbeat variable WHEN unset, empty or relative THEN default, disabled, refused", () => {
    expect(reader({}).get("APP_HEARTBEAT_FILE")).toBe("/tmp/app/heartbeat.json");
    expect(reader({ APP_HEARTBEAT_FILE: " " }).get("APP_HEARTBEAT_FILE")).toBe("");
    expect(problems({ APP_HEARTBEAT_FILE: "hb.json" }, (c) => c.get("APP_HEARTBEAT_FILE"))).toEqual(['APP_HEARTBEAT_FILE="hb.json": must be an absolute path (or empty to disable)']);
  });
});

describe("env schema: problems name field, value and rule, all at once", () => {
  test("GIVEN several bad values WHEN read THEN one ConfigError listing each with its rule", () => {
    const c = reader({ APP_PORT: "70000", APP_RATE: "0", APP_DEDUPE: "maybe", APP_MODE: "slow", APP_HOST: "DB!", APP_SPLIT: "x", APP_BEAT_MS: "3001" });
    c.pick({ port: "APP_PORT", rate: "APP_RATE", dedupe: "APP_DEDUPE", mode: "APP_MODE", host: "APP_HOST", split: "APP_SPLIT" });
    c.get("APP_BEAT_MS", { max: 3000 });
    let error: unknown;
    try {
      c.done();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.problems).toEqual([
      'APP_PORT="70000": must be an integer between 1 and 65535',
      'APP_RATE="0": must be a number greater than 0 and at most 100',
      'APP_DEDUPE="maybe": must be true or false',
      'APP_MODE="slow": must be one of fast|safe',
      'APP_HOST="DB!": must match [a-z.]+',
      'APP_SPLIT="x": must be integers',
      'APP_BEAT_MS="3001": must be an integer between 100 and 3000',
    ]);
    expect(e.issues[0]).toEqual({ field: "APP_PORT", value: "70000", rule: "must be an integer between 1 and 65535" });
    expect(e.message).toBe(`invalid configuration:\n  - ${e.problems.join("\n  - ")}`);
  });

  test("GIVEN a required variable unset WHEN read THEN '(unset): is required: <doc>'", () => {
    expect(problems({ APP_HOST: "" }, (c) => c.get("APP_HOST"))).toEqual(["APP_HOST=(unset): is required: host name"]);
  });

  test("GIVEN a rule across variables WHEN broken THEN every variable is named with its value", () => {
    expect(problems({ APP_RATE: "5" }, (c) => c.conflict(["APP_RATE", "APP_SEED"], "set at most one of them"))).toEqual(['APP_RATE="5", APP_SEED=(unset): set at most one of them']);
  });
});

describe("env schema: secret files", () => {
  test("GIVEN a password file WHEN read THEN its text without the trailing newline", () => {
    const c = reader({});
    expect(c.secret("APP_PASSWORD_FILE", c.get("APP_PASSWORD_FILE")!)).toBe("hunter2");
  });

  test("GIVEN a missing, unreadable or blank file WHEN read THEN the rule, never the content", () => {
    const read = (c: EnvReader<typeof ENV>) => c.secret("APP_PASSWORD_FILE", c.get("APP_PASSWORD_FILE") ?? "");
    expect(problems({ APP_PASSWORD_FILE: "" }, read)).toEqual([expect.stringMatching(/^APP_PASSWORD_FILE=\(unset\): is required: file holding the password/), 'APP_PASSWORD_FILE="": must name a readable file (ENOENT)']);
    expect(problems({ APP_PASSWORD_FILE: "/nope" }, read)).toEqual(['APP_PASSWORD_FILE="/nope": must name a readable file (ENOENT)']);
    expect(problems({ APP_PASSWORD_FILE: "/blank" }, read)).toEqual(['APP_PASSWORD_FILE="/blank": the file is empty']);
  });

  test("GIVEN the secret in the plain variable WHEN the reader starts THEN refused by name, its value never shown", () => {
    const p = problems({ APP_PASSWORD: "hunter2" }, () => undefined);
    expect(p).toEqual(["APP_PASSWORD is set: the password must not be passed in the environment; put it in a file named by APP_PASSWORD_FILE"]);
    expect(p.join()).not.toContain("hunter2");
  });
});

describe("env schema: documentation", () => {
  test("GIVEN the schema WHEN tabled THEN one row per variable in order, literal defaults as code, pipes escaped, generated rules", () => {
    const rows = envTable(ENV).trimEnd().split("\n");
    expect(rows.slice(0, 2)).toEqual(["| variable | default | rule |", "| --- | --- | --- |"]);
    expect(rows.slice(2).map((r) => r.split(" | ")[0])).toEqual(Object.keys(ENV).map((n) => `| \`${n}\``));
    expect(rows).toEqual(
      expect.arrayContaining([
        "| `APP_PORT` | `8080` | integer 1..65535 |",
        "| `APP_POOL` | APP_WORKERS + 1 | integer 1..64: at least APP_WORKERS |",
        "| `APP_BEAT_MS` | `1000` | integer 100..APP_SESSION_MS/3 |",
        "| `APP_SEED` | (random) | integer >= 0 |",
        "| `APP_DEDUPE` | `true` | true\\|false: drop duplicates |",
        "| `APP_SPLIT` | `1,2` | comma list \\| of integers |",
        "| `APP_PASSWORD_FILE` | (required) | file holding the password; APP_PASSWORD is rejected |",
      ]),
    );
  });

  test("GIVEN the schema WHEN --help is printed THEN a title and aligned name / default / rule lines", () => {
    const lines = envHelp("app", ENV).split("\n");
    expect(lines[0]).toBe("app — environment variables (default; rule):");
    // Columns as wide as the longest name and the longest default (at most 24).
    expect(lines[1]).toBe(`  ${"APP_PORT".padEnd("APP_HEARTBEAT_FILE".length)} ${"8080".padEnd("/tmp/app/heartbeat.json".length)} integer 1..65535`);
    expect(lines).toHaveLength(Object.keys(ENV).length + 2);
  });

  test("GIVEN a README with the markers WHEN the table is replaced and read back THEN the same table, the rest untouched", () => {
    const readme = `# App\n\n${"<!-- env table: generated from the service's env schema (src/env.ts); a unit test keeps it equal -->"}\nold\n<!-- end of env table -->\n\nmore\n`;
    const updated = withReadmeEnvTable(readme, envTable(ENV));
    expect(readmeEnvTable(updated)).toBe(envTable(ENV));
    expect(updated.startsWith("# App\n\n")).toBe(true);
    expect(updated.endsWith("<!-- end of env table -->\n\nmore\n")).toBe(true);
    expect(readmeEnvTable("# App without markers")).toBeUndefined();
    expect(() => withReadmeEnvTable("# App", "x")).toThrow("markers");
  });
});
