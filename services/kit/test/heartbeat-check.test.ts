/**
 * docker/heartbeat-check.sh, the node-free container health check, run by /bin/sh on heartbeat files
 * written by the kit's HeartbeatFile with a verdict (judgeWith); docker/install-healthcheck.sh, which
 * makes an image's /usr/local/bin/healthcheck from the service's env schema.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { HeartbeatBase, HeartbeatFile } from "../src";

const SCRIPT = join(__dirname, "..", "..", "docker", "heartbeat-check.sh");
const INSTALL = join(__dirname, "..", "..", "docker", "install-healthcheck.sh");
interface Beat extends HeartbeatBase {
  ready: boolean;
}
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "kit-hb-check-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const check = (path: string) => {
  const r = spawnSync("/bin/sh", [SCRIPT, path], { encoding: "utf8" });
  return { code: r.status, out: r.stdout.trim() };
};
function beat(ready: boolean): { path: string; hb: HeartbeatFile<Beat> } {
  const path = join(dir, "heartbeat.json");
  const hb = new HeartbeatFile<Beat>(path, 15_000, { ready }, (e) => { throw e; });
  hb.judgeWith((b) => (b.ready ? { status: "healthy", reason: "ready" } : { status: "unhealthy", reason: "not ready yet" }));
  hb.start();
  return { path, hb };
}

test("GIVEN a fresh heartbeat whose service says healthy WHEN checked THEN exit 0 with its verdict", () => {
  const { path, hb } = beat(true);
  expect(JSON.parse(readFileSync(path, "utf8")).health).toBe("healthy: ready");
  expect(check(path)).toEqual({ code: 0, out: "healthy: ready" });
  hb.close();
});

test("GIVEN the service's own verdict unhealthy WHEN checked THEN exit 1", () => {
  const { path, hb } = beat(false);
  expect(check(path)).toEqual({ code: 1, out: "unhealthy: not ready yet" });
  hb.close();
});

test("GIVEN a healthy verdict written 20 s ago (limit 15 s: the event loop stopped) WHEN checked THEN exit 1 naming the age", () => {
  const { path, hb } = beat(true);
  clearInterval((hb as unknown as { timer: NodeJS.Timeout }).timer); // the service stops rewriting it
  const old = Date.now() / 1000 - 20;
  utimesSync(path, old, old);
  const r = check(path);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/^unhealthy: heartbeat about 2\d{4} ms old \(limit 15000 ms\)$/);
});

test("GIVEN no file, or a heartbeat without a verdict WHEN checked THEN exit 1 saying which", () => {
  expect(check(join(dir, "none.json"))).toEqual({ code: 1, out: `unhealthy: cannot read heartbeat ${join(dir, "none.json")}` });
  const path = join(dir, "plain.json");
  const plain = new HeartbeatFile<Beat>(path, 15_000, { ready: true }, (e) => { throw e; });
  plain.start();
  expect(check(path)).toMatchObject({ code: 1, out: expect.stringContaining("no verdict") });
  plain.close();
});

describe("install-healthcheck.sh", () => {
  /** A compiled env schema as a service's dist/env.js exports it. */
  function schema(defaultPath: unknown): string {
    const module = join(dir, "env.js");
    writeFileSync(module, `exports.APP_ENV = { APP_HEARTBEAT_FILE: { default: ${JSON.stringify(defaultPath)} } };`);
    return module;
  }
  const install = (module: string, variable = "APP_HEARTBEAT_FILE") => spawnSync("/bin/sh", [INSTALL, module, "APP_ENV", variable, join(dir, "healthcheck")], { encoding: "utf8" });
  const healthcheck = (env: Record<string, string> = {}) => {
    const r = spawnSync(join(dir, "healthcheck"), [], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });
    return { code: r.status, out: r.stdout.trim() };
  };

  test("GIVEN a schema whose heartbeat default is a path WHEN installed THEN the check reads the variable's file, else the default", () => {
    const byDefault = join(dir, "default.json");
    expect(install(schema(byDefault)).status).toBe(0);
    const hb = new HeartbeatFile<Beat>(byDefault, 15_000, { ready: true }, (e) => { throw e; });
    hb.judgeWith(() => ({ status: "healthy", reason: "by default" }));
    hb.start();
    expect(healthcheck()).toEqual({ code: 0, out: "healthy: by default" });
    expect(healthcheck({ APP_HEARTBEAT_FILE: join(dir, "other.json") })).toEqual({ code: 1, out: `unhealthy: cannot read heartbeat ${join(dir, "other.json")}` });
    hb.close();
  });

  test("GIVEN no such variable, or a default that is not a plain absolute path WHEN installed THEN it fails naming it", () => {
    const missing = install(schema("/tmp/x.json"), "APP_NOPE");
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain("has no APP_ENV.APP_NOPE with a default path");
    const relative = install(schema("tmp/x.json"));
    expect(relative.stderr).toContain("APP_HEARTBEAT_FILE's default 'tmp/x.json' must be an absolute path");
    const shelly = install(schema("/tmp/$(reboot).json"));
    expect(shelly.status).not.toBe(0);
    expect(shelly.stderr).toContain("may hold only letters, digits");
  });
});
