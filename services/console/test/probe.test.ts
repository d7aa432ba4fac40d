import { Registry } from "prom-client";
import { ArrivalCount, HopProbe, SampleGate } from "../src/probe";

const TOPIC = "dc01_sales_order_details";
/** A change as Debezium emits it here: committed `lagMs` before its arrival. */
const change = (arrivalMs: number, lagMs: number) => ({ __op: "c", __source_ts_ms: arrivalMs - lagMs });

describe("the hop probe", () => {
  test("GIVEN arrivals 100 and 300 ms after their commits WHEN stats are read THEN p50/p99 and the record count are theirs, per hop", () => {
    const p = new HopProbe(new Registry(), [TOPIC]);
    p.fetched("onprem", TOPIC, 0, 5000, 5100, 1_000_000);
    for (let i = 0; i < 100; i++) p.observe("onprem", TOPIC, change(1_000_000 + i, i < 50 ? 100 : 300), 1_000_000 + i);
    const [onprem, cloud] = p.stats(1_000_100);
    expect(onprem).toMatchObject({ hop: "onprem", topic: TOPIC, records: 100, since: 1_000_000, p50Ms: 100, p99Ms: 300 });
    expect(cloud).toMatchObject({ hop: "cloud", records: 0 });
  });

  test("GIVEN a snapshot read (op r) WHEN observed THEN counted but not timed (it has no commit of its own)", () => {
    const p = new HopProbe(new Registry(), [TOPIC]);
    p.observe("cloud", TOPIC, { __op: "r", __source_ts_ms: 1 }, 5000);
    expect(p.stats(5000)[1]).toMatchObject({ kept: 1, p50Ms: undefined });
  });

  test("GIVEN a steady stream past the window WHEN observed THEN arrivals older than the window (+ slack) are pruned, in chunks", () => {
    // GIVEN a 60 s window and one arrival every 10 ms for 180 s
    const p = new HopProbe(new Registry(), [TOPIC], { keepMs: 60000 });
    for (let t = 0; t <= 180000; t += 10) p.observe("onprem", TOPIC, change(t, 50), t);
    // THEN those kept cover the window plus at most the 30 s slack
    const [all] = p.stats(180000);
    expect(all.kept).toBeGreaterThanOrEqual(60000 / 10);
    expect(all.kept).toBeLessThanOrEqual((60000 + 30000) / 10 + 1);
    // AND the window's quantiles are of the window's arrivals
    expect(p.stats(180000, 120000)[0]).toMatchObject({ kept: 6001, p50Ms: 50 });
  });

  test("GIVEN fetches of two partitions WHEN their ends grow THEN records are the growth since the first offset seen, the rate that of the last minute, and Prometheus counts the same", async () => {
    // GIVEN partition 0 first fetched at offset 1000 (end 1010) and partition 1 at 0 (end 5)
    const registry = new Registry();
    const p = new HopProbe(registry, [TOPIC]);
    p.fetched("cloud", TOPIC, 0, 1000, 1010, 0);
    p.fetched("cloud", TOPIC, 1, 0, 5, 0);
    // WHEN, 2 minutes on, the ends are 1610 and 605 (and a stale fetch reports an older end)
    p.fetched("cloud", TOPIC, 0, 1200, 1310, 60000);
    p.fetched("cloud", TOPIC, 0, 1500, 1610, 120000);
    p.fetched("cloud", TOPIC, 1, 500, 605, 120000);
    p.fetched("cloud", TOPIC, 1, 400, 450, 120500);
    // THEN 610 + 605 arrived, 1215 − what the end sums held a minute before (310 + 5) in the last 60 s
    const [, cloud] = p.stats(120500);
    expect(cloud).toMatchObject({ records: 1215, since: 0 });
    expect(cloud!.ratePerSecond).toBeCloseTo((1215 - 315) / 60, 6);
    const counted = (await registry.getSingleMetric("bridge_console_hop_records_total")!.get()).values.find((v) => v.labels.hop === "cloud")!.value;
    expect(counted).toBe(1215);
  });
});

describe("the sample gate", () => {
  test("GIVEN 3 samples a second WHEN 5 records come in one second THEN 3 are timed, the wait is the rest of the second, and the next second times again", () => {
    const g = new SampleGate(3);
    expect([1, 2, 3, 4, 5].map((i) => g.take("cloud|t", 10_200 + i))).toEqual([true, true, true, false, false]);
    expect(g.waitMs("cloud|t", 10_250)).toBe(750);
    // AND another topic has its own
    expect(g.take("cloud|u", 10_300)).toBe(true);
    expect(g.take("cloud|t", 11_000)).toBe(true);
    expect(g.waitMs("cloud|t", 11_000)).toBe(0);
  });

  test("GIVEN a budget under 1 WHEN the gate is made THEN it says which value and rule", () => {
    expect(() => new SampleGate(0)).toThrow("samplesPerSecond 0: must be an integer ≥ 1");
  });
});

describe("the arrival count", () => {
  test("GIVEN a probe younger than a minute WHEN the rate is read THEN it is the count over 60 s", () => {
    const a = new ArrivalCount();
    a.saw(0, 0, 30, 1000);
    a.saw(0, 30, 90, 20000);
    expect(a.total).toBe(90);
    expect(a.ratePerSecond(20000)).toBe(1.5);
  });
});

