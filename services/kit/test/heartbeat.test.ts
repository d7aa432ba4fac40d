import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { HeartbeatBase, HeartbeatFile } from "../src";

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

  test("GIVEN a verdict WHEN each tick writes THEN the file holds the verdict judged at that moment", () => {
    const path = join(dir, "heartbeat.json");
    const hb = new HeartbeatFile<Beat>(path, 30_000, { count: 0 }, (e) => { throw e; });
    const seen: number[] = [];
    hb.judgeWith((b, nowMs) => (seen.push(nowMs), b.count > 0 ? { status: "healthy", reason: `${b.count} done` } : { status: "unhealthy", reason: "nothing yet" }));
    hb.start(undefined, 60_000);
    expect(read(path).health).toBe("unhealthy: nothing yet");
    hb.write({ count: 2 });
    expect(read(path).health).toBe("healthy: 2 done");
    expect(seen[1]).toBe(Date.parse(read(path).writtenAt));
    hb.close();
  });

  test("GIVEN an unwritable directory WHEN written THEN the error goes to onError, not up the stack", () => {
    writeFileSync(join(dir, "file"), "");
    const errors: Error[] = [];
    const hb = new HeartbeatFile<Beat>(join(dir, "file", "heartbeat.json"), 1000, { count: 0 }, (e) => errors.push(e));
    hb.write();
    expect(errors).toHaveLength(1);
  });
});
