import { createLogger } from "../src";

const capture = () => {
  const lines: Array<[string, boolean]> = [];
  return { lines, out: (line: string, isError: boolean) => void lines.push([line, isError]) };
};

beforeEach(() => {
  jest.useFakeTimers();
  jest.setSystemTime(new Date("2026-12-01T20:00:00.123Z"));
});
afterEach(() => jest.useRealTimers());

describe("logger: the line format is a contract (tests and operators parse it)", () => {
  test("GIVEN a plain message WHEN logged THEN '<ISO time> <LEVEL padded to 5> <message>' exactly, warn and error as errors", () => {
    const c = capture();
    const log = createLogger("debug", c.out);
    log.info("landed topics/t/partition=0/t+0+0000000000.json records=3");
    log.warn("w");
    log.error("e");
    log.debug("d");
    expect(c.lines).toEqual([
      ["2026-12-01T20:00:00.123Z INFO  landed topics/t/partition=0/t+0+0000000000.json records=3", false],
      ["2026-12-01T20:00:00.123Z WARN  w", true],
      ["2026-12-01T20:00:00.123Z ERROR e", true],
      ["2026-12-01T20:00:00.123Z DEBUG d", false],
    ]);
  });

  test("GIVEN level warn WHEN every level logs THEN only warn and error are written", () => {
    const c = capture();
    const log = createLogger("warn", c.out);
    for (const level of ["debug", "info", "warn", "error"] as const) log[level](level);
    expect(c.lines.map(([l]) => l.split(" ")[1])).toEqual(["WARN", "ERROR"]);
  });

  test("GIVEN a namespace and fields WHEN logged THEN '<ns>: <message> <fields as JSON>'; nested namespaces join with a space", () => {
    const c = capture();
    const log = createLogger("info", c.out);
    log.child("kafkajs Consumer").warn("Crash", { retryCount: 2 });
    log.child("kafkajs").child("Runner").info("joined", {});
    log.info("metrics", { final: true });
    expect(c.lines.map(([l]) => l.slice(25))).toEqual(['WARN  kafkajs Consumer: Crash {"retryCount":2}', "INFO  kafkajs Runner: joined {}", 'INFO  metrics {"final":true}']);
    expect(log.child("x").level).toBe("info");
  });
});
