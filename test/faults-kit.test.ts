/** Pure parts of the fault kit and the load generator (the rest runs against a real deployment). */
import { parseUnreadBytes } from "./integration/faults-kit";
import { seededRandom, validateLoadOptions } from "./integration/load";

const db = { host: "127.0.0.1", port: 1, user: "u", password: "p", database: "d" };

describe("parseUnreadBytes (/proc/net/tcp)", () => {
  const table = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 0100007F:5208 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 1 1 0", // listening, backlog 3: not counted
    "   1: 0100007F:5208 0100007F:D431 01 00000000:00010000 00:00000000 00000000     0        0 2 1 0", // established to 21000: 65536 unread
    "   2: 0100007F:5208 0100007F:D432 01 00000000:00000010 00:00000000 00000000     0        0 3 1 0", // 16 more
    "   3: 0100007F:D431 0100007F:5208 01 00000200:00000000 00:00000000 00000000     0        0 4 1 0", // the client's side: not counted
  ].join("\n");

  test("GIVEN sockets of a port THEN only established ones on that local port count, by rx_queue", () => {
    expect(parseUnreadBytes(table, 0x5208)).toBe(65536 + 16);
  });

  test("GIVEN no socket on the port THEN 0", () => {
    expect(parseUnreadBytes(table, 21001)).toBe(0);
  });
});

describe("load generator options", () => {
  test("GIVEN valid options THEN no error", () => {
    expect(() => validateLoadOptions({ db, rowsPerSecond: 150, durationMs: 60000 })).not.toThrow();
  });

  test("GIVEN bad options THEN one error names each field, value and rule", () => {
    expect(() => validateLoadOptions({ db, rowsPerSecond: 0, durationMs: 1.5, concurrency: 99, mix: { insert: 0, update: 1, delete: 1 } })).toThrow(
      /4 problems[\s\S]*rowsPerSecond: 0 — must be a number in \(0, 5000\][\s\S]*durationMs: 1.5 — [\s\S]*concurrency: 99 — must be an integer 1–32[\s\S]*mix: .*insert > 0/,
    );
  });

  test("GIVEN the same seed THEN the same sequence, another seed another", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(8)()).not.toBe(xs[0]);
  });
});
