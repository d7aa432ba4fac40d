import { commitTimeMs, isProbeTopic, probeCommittedAtMs } from "../src";

describe("latency probe records", () => {
  test("GIVEN a flattened probe row WHEN read THEN its committed_at µs is the commit time in ms, sub-ms kept", () => {
    expect(probeCommittedAtMs({ id: 1, seq: 7, committed_at: 1764700000123456, __op: "u" })).toBe(1764700000123.456);
    expect(probeCommittedAtMs({ id: 1, committed_at: "1764700000123456" })).toBe(1764700000123.456);
  });

  test("GIVEN a delete, a tombstone or another table's row WHEN read THEN there is no probe time", () => {
    expect(probeCommittedAtMs({ id: 1, committed_at: 1764700000123456, __deleted: "true" })).toBeUndefined();
    expect(probeCommittedAtMs(null)).toBeUndefined();
    expect(probeCommittedAtMs({ id: 3, quantity: 2 })).toBeUndefined();
    expect(probeCommittedAtMs({ id: 1, committed_at: "2026-12-02 10:00:00" })).toBeUndefined();
  });

  test("GIVEN any change WHEN its commit time is asked THEN the probe's is precise and source.ts_ms is not", () => {
    expect(commitTimeMs({ committed_at: 1764700000123456, __source_ts_ms: 1764700000000 })).toEqual({ ms: 1764700000123.456, precise: true });
    expect(commitTimeMs({ id: 9, __source_ts_ms: 1764700000000 })).toEqual({ ms: 1764700000000, precise: false });
    expect(commitTimeMs({ id: 9 })).toBeUndefined();
  });

  test("GIVEN topic names WHEN matched THEN only a data centre's probe topic is one", () => {
    expect(isProbeTopic("dc01_bridge_latency_probe")).toBe(true);
    expect(isProbeTopic("dc12_bridge_latency_probe")).toBe(true);
    expect(isProbeTopic("dc01_sales_order_details")).toBe(false);
    expect(isProbeTopic("xdc01_bridge_latency_probe")).toBe(false);
  });
});
