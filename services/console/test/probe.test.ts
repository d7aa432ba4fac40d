import { Registry } from "prom-client";
import { HopProbe } from "../src/probe";

const TOPIC = "dc01_sales_order_details";
/** A change as Debezium emits it here: committed `lagMs` before its arrival. */
const change = (arrivalMs: number, lagMs: number) => ({ __op: "c", __source_ts_ms: arrivalMs - lagMs });

describe("the hop probe", () => {
  test("GIVEN arrivals 100 and 300 ms after their commits WHEN stats are read THEN p50/p99 and the record count are theirs, per hop", () => {
    const p = new HopProbe(new Registry(), [TOPIC]);
    for (let i = 0; i < 100; i++) p.observe("onprem", TOPIC, change(1_000_000 + i, i < 50 ? 100 : 300), 1_000_000 + i);
    const [onprem, cloud] = p.stats(1_000_100);
    expect(onprem).toMatchObject({ hop: "onprem", topic: TOPIC, records: 100, since: 1_000_000, p50Ms: 100, p99Ms: 300 });
    expect(cloud).toMatchObject({ hop: "cloud", records: 0 });
  });

  test("GIVEN a snapshot read (op r) WHEN observed THEN counted but not timed (it has no commit of its own)", () => {
    const p = new HopProbe(new Registry(), [TOPIC]);
    p.observe("cloud", TOPIC, { __op: "r", __source_ts_ms: 1 }, 5000);
    expect(p.stats(5000)[1]).toMatchObject({ records: 1, p50Ms: undefined });
  });

  test("GIVEN a steady stream past the window WHEN observed THEN arrivals older than the window (+ slack) are pruned, in chunks", () => {
    // GIVEN a 60 s window and one arrival every 10 ms for 180 s
    const p = new HopProbe(new Registry(), [TOPIC], 60000);
    for (let t = 0; t <= 180000; t += 10) p.observe("onprem", TOPIC, change(t, 50), t);
    // THEN every arrival was counted, and those kept cover the window plus at most the 30 s slack
    const [all] = p.stats(180000);
    expect(all.records).toBe(18001);
    expect(all.kept).toBeGreaterThanOrEqual(60000 / 10);
    expect(all.kept).toBeLessThanOrEqual((60000 + 30000) / 10 + 1);
    // AND the window's quantiles are of the window's arrivals
    expect(p.stats(180000, 120000)[0]).toMatchObject({ kept: 6001, p50Ms: 50 });
  });
});
