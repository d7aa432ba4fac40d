import { EventEmitter } from "events";
import { ConfigError, createLogger, exitFor, FatalError, GracefulStop, UsageError } from "../src";

describe("exit codes", () => {
  test("GIVEN each kind of error WHEN main ends with it THEN its exit code and stderr line", () => {
    expect(exitFor("svc", new ConfigError([{ field: "A", value: "1", rule: "bad" }]))).toEqual({ code: 2, line: 'svc: invalid configuration:\n  - A="1": bad\n' });
    expect(exitFor("svc", new UsageError("unknown argument --x"))).toEqual({ code: 2, line: "svc: unknown argument --x (try --help)\n" });
    expect(exitFor("svc", new FatalError("storage not reachable"))).toEqual({ code: 1, line: "svc: storage not reachable\n" });
    const other = exitFor("svc", new TypeError("boom"));
    expect(other.code).toBe(1);
    expect(other.line).toMatch(/^svc: unexpected error: TypeError: boom\n {4}at /);
  });
});

describe("graceful stop", () => {
  const setup = () => {
    const lines: string[] = [];
    const exits: number[] = [];
    const source = new EventEmitter();
    const log = createLogger("info", (l) => void lines.push(l.slice(25)));
    const stop = new GracefulStop({ log, limitMs: 1000, limitVariable: "APP_SHUTDOWN_TIMEOUT_MS", again: "still working", source, exit: (c) => void exits.push(c) });
    return { lines, exits, source, stop };
  };

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test("GIVEN SIGTERM, then SIGINT WHEN received THEN the first is the stop request, the second is only logged", async () => {
    const { lines, source, stop } = setup();
    expect(stop.signalled).toBe(false);
    source.emit("SIGTERM", "SIGTERM");
    source.emit("SIGINT", "SIGINT");
    await expect(stop.requested).resolves.toBe("SIGTERM");
    expect(stop.signalled).toBe(true);
    expect(lines).toEqual(["WARN  SIGINT received again: still working"]);
    stop.dispose();
    expect(source.listenerCount("SIGTERM")).toBe(0);
  });

  test("GIVEN a stop that misses its deadline THEN the log says so, onExpire runs, exit 1", () => {
    const { lines, exits, stop } = setup();
    const expired = jest.fn();
    stop.begin("SIGTERM", { doing: "finishing work", expired: "dropping it", onExpire: expired });
    expect(lines).toEqual(["INFO  SIGTERM received: finishing work (limit 1000 ms)"]);
    jest.advanceTimersByTime(999);
    expect(exits).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(lines[1]).toBe("ERROR shutdown did not finish within 1000 ms (APP_SHUTDOWN_TIMEOUT_MS); dropping it");
    expect(expired).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([1]);
    stop.dispose();
  });

  test("GIVEN a stop that finishes in time THEN no exit", () => {
    const { exits, stop } = setup();
    stop.begin("SIGINT", { doing: "d", expired: "e" });
    stop.finished();
    jest.advanceTimersByTime(5000);
    expect(exits).toEqual([]);
    stop.dispose();
  });
});
