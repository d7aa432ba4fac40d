/**
 * docker/heartbeat-check.sh, the node-free container health check, run by /bin/sh on heartbeat files
 * written by the kit's HeartbeatFile with a verdict (judgeWith).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, utimesSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { HeartbeatBase, HeartbeatFile } from "../src";

const SCRIPT = join(__dirname, "..", "..", "docker", "heartbeat-check.sh");
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
