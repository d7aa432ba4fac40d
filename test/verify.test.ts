import { changeIdentity, formatReconciliation, matchesRow, percentile, reconcile, TimedChange } from "../verify/reconcile";

const change = (id: number, op: string, pos: number, extra: Record<string, unknown> = {}, at = 0): TimedChange => ({
  change: { id, quantity: 1, price: 2.5, __op: op, __source_file: "mariadb-bin.000002", __source_pos: pos, __source_row: 0, __source_ts_ms: 1000, ...extra },
  at,
});

describe("reconcile", () => {
  const rows = [
    { id: 1, quantity: 1, price: 2.5 },
    { id: 2, quantity: 7, price: 2.5 },
  ];
  const onPrem = [change(1, "c", 10, {}, 1100), change(2, "c", 20, {}, 1200), change(2, "u", 30, { quantity: 7 }, 1300)];

  test("everything landed once: ok, with latencies from commit time", () => {
    const r = reconcile(rows, [
      { name: "on-prem topic", changes: onPrem },
      { name: "lake files", changes: onPrem.map((c) => ({ ...c, at: c.at + 1000 })) },
    ]);
    expect(r.ok).toBe(true);
    expect(r.hops.map((h) => [h.hop, h.changes, h.behind, h.duplicates])).toEqual([
      ["database", 2, 0, 0],
      ["on-prem topic", 3, 0, 0],
      ["lake files", 3, 0, 0],
    ]);
    expect(r.hops[1].latencyP50).toBe(200);
    expect(r.hops[2].latencyP99).toBe(1300);
  });

  test("a row whose current values never landed is missing", () => {
    // The update to quantity 7 is not in the lake: row 2's current version is lost.
    const r = reconcile(rows, [{ name: "lake files", changes: onPrem.slice(0, 2) }]);
    expect(r.ok).toBe(false);
    expect(r.missingInLake.map((x) => x.id)).toEqual([2]);
  });

  test("a change landed twice is a duplicate even at another offset", () => {
    const r = reconcile(rows, [{ name: "lake files", changes: [...onPrem, onPrem[1]] }]);
    expect(r.ok).toBe(false);
    expect(r.duplicatedInLake).toEqual([changeIdentity(onPrem[1].change)]);
    expect(formatReconciliation("t", r)).toContain("verdict: FAILED");
  });

  test("snapshot reads share a position and are told apart by id", () => {
    const snap = [change(1, "r", 5), change(2, "r", 5, { quantity: 7 })];
    const r = reconcile(rows, [{ name: "lake files", changes: snap }]);
    expect(r.ok).toBe(true);
    expect(r.hops[1].changes).toBe(2);
  });

  test("a delete does not count as the row's current version", () => {
    const r = reconcile([{ id: 3, quantity: 1 }], [{ name: "lake files", changes: [change(3, "d", 40, { __deleted: "true" })] }]);
    expect(r.missingInLake.map((x) => x.id)).toEqual([3]);
  });
});

test("matchesRow compares numbers numerically and ignores added fields", () => {
  expect(matchesRow({ id: 1, price: 12.3 }, { id: 1, price: "12.30", __op: "c" })).toBe(true);
  expect(matchesRow({ id: 1, price: 12.3 }, { id: 1, price: 12.31 })).toBe(false);
  expect(matchesRow({ id: 1, note: "x" }, { id: 1 })).toBe(false);
});

test("percentile uses nearest rank", () => {
  expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
  expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
  expect(percentile([], 50)).toBeUndefined();
});

describe("Power BI data source file", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { powerBiDataSource } = require("../scripts/lib/powerbi") as typeof import("../scripts/lib/powerbi");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resolveConfig } = require("../config") as typeof import("../config");

  test("local: the Azurite filesystem of the landed data", () => {
    const p = powerBiDataSource(resolveConfig({}));
    expect(p.version).toBe("0.1");
    expect(p.connections).toHaveLength(1);
    expect(p.connections[0].details).toEqual({ protocol: "azure-blobs", address: { url: "http://127.0.0.1:10000/bridgelake/orders" } });
  });

  test("confluent-cloud: the ADLS Gen2 topics directory of the derived account", () => {
    const c = resolveConfig({
      target: "confluent-cloud",
      confluentCloud: { bootstrapServers: "pkc-1.azure.confluent.cloud:9092", environmentId: "env-a1", clusterId: "lkc-b2" },
      credentials: { confluentApiKey: "a", confluentApiSecret: "b", confluentCloudApiKey: "c", confluentCloudApiSecret: "d", lakeAccessKey: "e" },
      azure: { storageAccount: { sharedKeyAccess: true } },
    });
    expect(powerBiDataSource(c).connections[0].details.address.url).toBe(`https://${c.derived.storageAccountName}.dfs.core.windows.net/orders/topics`);
  });
});
