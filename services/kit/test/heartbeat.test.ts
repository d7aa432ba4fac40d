import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { healthCheckMain, HealthReport, HeartbeatBase, HeartbeatFile } from "../src";

interface Beat extends HeartbeatBase {
  count: number;
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "kit-heartbeat-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (path: string): Beat => JSON.parse(readFileSync(path, "utf8")) as Beat;

describe("heartbeat file", () => {
  test("GIVEN a started heartbeat WHEN updated and written THEN the file holds the state, rewritten with a fresh writtenAt; close removes it", () => {
    const path = join(dir, "sub", "heartbeat.json");
    const errors: Error[] = [];
    const hb = new HeartbeatFile<Beat>(path, 30_000, { count: 0 }, (e) => errors.push(e));
    hb.start(undefined, 60_000);
    expect(read(path)).toMatchObject({ pid: process.pid, state: "starting", maxAgeMs: 30_000, count: 0 });
    expect(Date.parse(read(path).writtenAt)).not.toBeNaN();
    hb.update({ count: hb.current.count + 1 });
    expect(read(path).count).toBe(0); // update waits for the next tick
    hb.write({ state: "running" });
    expect(read(path)).toMatchObject({ state: "running", count: 1 });
    expect(hb.snapshot()).toMatchObject({ state: "running", count: 1 });
    expect(readFileSync(path, "utf8").endsWith("}\n")).toBe(true);
    hb.close();
    expect(existsSync(path)).toBe(false);
    expect(errors).toEqual([]);
  });

  test("GIVEN an empty path WHEN used THEN nothing is written and nothing fails", () => {
    const hb = new HeartbeatFile<Beat>("", 1000, { count: 0 }, () => {
      throw new Error("no error expected");
    });
    hb.start();
    hb.write({ state: "running" });
    hb.close();
    expect(hb.current.state).toBe("running");
  });

  test("GIVEN an unwritable directory WHEN written THEN the error goes to onError, not up the stack", () => {
    writeFileSync(join(dir, "file"), "");
    const errors: Error[] = [];
    const hb = new HeartbeatFile<Beat>(join(dir, "file", "heartbeat.json"), 1000, { count: 0 }, (e) => errors.push(e));
    hb.write();
    expect(errors).toHaveLength(1);
  });
});

describe("health check main", () => {
  const check = (text: string): HealthReport => JSON.parse(text) as HealthReport;
  const run = (argv: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const code = healthCheckMain({ variable: "APP_HEARTBEAT_FILE", defaultPath: join(dir, "default.json"), check }, argv, env, (l) => void out.push(l));
    return { code, out: out.join("") };
  };

  test("GIVEN healthy, degraded and unhealthy verdicts THEN one line each; exit 0, 0, 1", () => {
    for (const [status, code] of [["healthy", 0], ["degraded", 0], ["unhealthy", 1]] as const) {
      writeFileSync(join(dir, "hb.json"), JSON.stringify({ status, reason: "because" }));
      expect(run([join(dir, "hb.json")])).toEqual({ code, out: `${status}: because\n` });
    }
  });

  test("GIVEN no argument WHEN the variable is set, blank or unset THEN its path, the default, the default", () => {
    writeFileSync(join(dir, "env.json"), JSON.stringify({ status: "healthy", reason: "env" }));
    writeFileSync(join(dir, "default.json"), JSON.stringify({ status: "healthy", reason: "default" }));
    expect(run([], { APP_HEARTBEAT_FILE: join(dir, "env.json") }).out).toBe("healthy: env\n");
    expect(run([], { APP_HEARTBEAT_FILE: " " }).out).toBe("healthy: default\n");
    expect(run([]).out).toBe("healthy: default\n");
  });

  test("GIVEN no heartbeat file THEN unhealthy with the path and the reason, exit 1", () => {
    expect(run([join(dir, "missing.json")])).toEqual({ code: 1, out: `unhealthy: cannot read heartbeat ${join(dir, "missing.json")} (ENOENT)\n` });
  });
});
