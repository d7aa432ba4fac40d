import {
  canonicalNumber,
  changeIdentity,
  compareChanges,
  formatReconciliation,
  matchesRow,
  percentile,
  reconcile,
  sameValue,
  TableColumns,
  TimedChange,
  UNKNOWN_VALUE,
} from "../verify/reconcile";
import { addedValue, parseJsonExact } from "../verify/sources";
import { AZURE_VARIANTS, OPEN_NETWORK } from "../scripts/lib/variants";

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
    expect(r.hops[1].latencyPrecise).toBe(false);
    expect(formatReconciliation("t", r)).toContain("latency from source.ts_ms: whole seconds on MariaDB");
  });

  test("GIVEN latency probe rows WHEN reconciled THEN latency is timed from their µs commit column, not the second-truncated source.ts_ms", () => {
    // committed at 1000.250 ms (µs column), source.ts_ms truncated to 1000; arrival at 1300.
    const probe = [{ change: { id: 1, seq: 1, committed_at: 1000250, __op: "u", __source_file: "f", __source_pos: 5, __source_row: 0, __source_ts_ms: 1000 }, at: 1300 }];
    const r = reconcile([{ id: 1, seq: 1, committed_at: 1000250 }], [{ name: "on-prem topic", changes: probe }]);
    expect(r.hops[1].latencyP50).toBeCloseTo(299.75, 5);
    expect(r.hops[1].latencyPrecise).toBe(true);
    expect(formatReconciliation("p", r)).toContain("latency from the probe row's commit time");
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

describe("reconcile across schema changes", () => {
  // GIVEN sales_order_details after ALTER TABLE … ADD COLUMN note VARCHAR(20) NULL, ADD COLUMN
  // grade INT NOT NULL DEFAULT 7, and DROP COLUMN legacy: row 1 landed before the ALTER (no
  // note/grade, still legacy), row 2 after it.
  const columns: TableColumns = {
    id: { type: "int", addedValue: 0 },
    quantity: { type: "int", addedValue: 0 },
    price: { type: "decimal", addedValue: 0 },
    note: { type: "varchar", addedValue: null },
    grade: { type: "int", addedValue: "7" },
  };
  const before = change(1, "c", 10, { legacy: "x" });
  const after = change(2, "c", 30, { note: "n", grade: 9 });

  test("rows written before ADD COLUMN that still hold its default/NULL reconcile: no false alarm", () => {
    const rows = [
      { id: 1, quantity: 1, price: "2.50", note: null, grade: 7 },
      { id: 2, quantity: 1, price: "2.50", note: "n", grade: 9 },
    ];
    // WHEN verify reconciles with the table's columns
    const r = reconcile(rows, [{ name: "lake files", changes: [before, after] }], { columns });
    // THEN nothing is missing; without the columns (the old rule) row 1 was a false alarm
    expect(r.missingInLake).toEqual([]);
    expect(r.ok).toBe(true);
    expect(reconcile(rows, [{ name: "lake files", changes: [before, after] }]).missingInLake.map((x) => x.id)).toEqual([1]);
  });

  test("a pre-ALTER row whose new column differs from what the ALTER gave it is still missing", () => {
    // GIVEN row 1 got grade 8 (an update that never landed) and row 2's note differs from its landed change
    const rows = [
      { id: 1, quantity: 1, price: 2.5, note: null, grade: 8 },
      { id: 2, quantity: 1, price: 2.5, note: "changed", grade: 9 },
    ];
    // WHEN verify reconciles
    const r = reconcile(rows, [{ name: "lake files", changes: [before, after] }], { columns });
    // THEN both are reported
    expect(r.missingInLake.map((x) => x.id)).toEqual([1, 2]);
    expect(formatReconciliation("t", r)).toContain("verdict: FAILED");
  });

  test("a column added with an expression default cannot be vouched for", () => {
    // GIVEN a column added with DEFAULT CURRENT_TIMESTAMP(3): its value at ALTER time is unknown
    const cols: TableColumns = { ...columns, stamped: { type: "datetime", addedValue: UNKNOWN_VALUE } };
    // WHEN a pre-ALTER row is matched THEN it is not accepted on trust
    expect(matchesRow({ id: 1, quantity: 1, price: 2.5, stamped: new Date(0) }, before.change, cols)).toBe(false);
  });

  test("information_schema defaults become what existing rows got", () => {
    const col = (COLUMN_DEFAULT: string | null, IS_NULLABLE = "YES", DATA_TYPE = "varchar", EXTRA = "") => ({ COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, EXTRA });
    expect(addedValue(col("NULL"), true)).toBeNull();
    expect(addedValue(col(null), true)).toBeNull();
    expect(addedValue(col("'it''s\\n'"), true)).toBe("it's\n");
    expect(addedValue(col("7", "NO", "int"), true)).toBe("7");
    expect(addedValue(col(null, "NO", "int"), true)).toBe(0);
    expect(addedValue(col(null, "NO", "varchar"), true)).toBe("");
    expect(addedValue(col("current_timestamp(3)", "NO", "datetime"), true)).toBe(UNKNOWN_VALUE);
    expect(addedValue(col("CURRENT_TIMESTAMP(3)", "NO", "datetime", "DEFAULT_GENERATED"), false)).toBe(UNKNOWN_VALUE);
    expect(addedValue(col("plain"), false)).toBe("plain");
  });
});

describe("reconcile against the database's consistent snapshot", () => {
  const snapshot = { file: "mariadb-bin.000002", pos: 100 };

  test("a lost last update is caught even though an older landed version equals the row", () => {
    // GIVEN row 1 went quantity 1 → 5 → 1 and the last update (back to 1) never landed
    const landed = [change(1, "c", 10), change(1, "u", 20, { quantity: 5 })];
    // WHEN verify reconciles THEN row 1 is missing (the lake's last word on it is quantity 5)
    const r = reconcile([{ id: 1, quantity: 1, price: 2.5 }], [{ name: "lake files", changes: landed }], { snapshot });
    expect(r.missingInLake.map((x) => x.id)).toEqual([1]);
  });

  test("changes committed after the database read are not held against it", () => {
    // GIVEN the row was read at position 100 and updated at 150
    const landed = [change(1, "c", 10), change(1, "u", 150, { quantity: 5 })];
    const r = reconcile([{ id: 1, quantity: 1, price: 2.5 }], [{ name: "lake files", changes: landed }], { snapshot });
    // THEN it reconciles
    expect(r.ok).toBe(true);
  });

  test("a delete that never landed leaves a row live in the lake: reported", () => {
    // GIVEN row 3 was deleted before the read but the lake only has its insert
    const r = reconcile([], [{ name: "lake files", changes: [change(3, "c", 10)] }], { snapshot });
    // THEN it is stale in the lake and the verdict fails
    expect(r.staleInLake).toEqual(["3"]);
    expect(r.ok).toBe(false);
    expect(formatReconciliation("t", r)).toContain("rows deleted but live in the lake: 1 (ids 3)");
  });

  test("a key change lands as a delete of the old key and a create of the new one at one position", () => {
    // GIVEN UPDATE … SET id = 9 WHERE id = 1: Debezium emits d(1) and c(9) with the same file/pos/row
    const landed = [change(1, "c", 10), change(1, "d", 40, { __deleted: "true" }), change(9, "c", 40)];
    const rows = [{ id: 9, quantity: 1, price: 2.5 }];
    // WHEN both landed THEN it reconciles; WHEN the sink dropped the create THEN the new key is missing
    expect(reconcile(rows, [{ name: "lake files", changes: landed }], { snapshot }).ok).toBe(true);
    expect(reconcile(rows, [{ name: "lake files", changes: landed.slice(0, 2) }], { snapshot }).missingInLake.map((x) => x.id)).toEqual([9]);
  });

  test("binlog order: file by number, then position, snapshot reads first, then row", () => {
    const at = (file: string, pos: number, row: number, op = "c") => ({ __source_file: file, __source_pos: pos, __source_row: row, __op: op });
    expect(compareChanges(at("mariadb-bin.000009", 900, 0), at("mariadb-bin.000010", 4, 0))).toBe(-1);
    expect(compareChanges(at("b.1", 40, 0, "r"), at("b.1", 40, 0, "c"))).toBe(-1);
    expect(compareChanges(at("b.1", 40, 3), at("b.1", 40, 1))).toBe(1);
  });
});

describe("values compared exactly", () => {
  test("numbers are the same however they are written, at any precision", () => {
    expect(canonicalNumber("12.30")).toBe(canonicalNumber(12.3));
    expect(canonicalNumber("0E-30")).toBe("0");
    expect(canonicalNumber("1E-30")).toBe(canonicalNumber("0.000000000000000000000000000001"));
    expect(canonicalNumber("-2147483648")).toBe("-2147483648e0");
    expect(canonicalNumber("abc")).toBeUndefined();
    const max = "99999999999999999999999999999999999.999999999999999999999999999999";
    expect(sameValue(max, max.replace(/9$/, "8"), "decimal")).toBe(false);
    expect(sameValue(max, `${max}000`, "decimal")).toBe(true);
    expect(sameValue("9223372036854775807", "9223372036854775806", "bigint")).toBe(false);
  });

  test("JSON from the lake keeps DECIMAL(65,30) and BIGINT exact, strings untouched", () => {
    const line = '{"id":-2147483648,"d":99999999999999999999999999999999999.999999999999999999999999999999,"b":9223372036854775807,"p":12.30,"s":"a\\"1.5e400 \\\\","z":0E-30}';
    expect(parseJsonExact(line)).toEqual({
      id: -2147483648,
      d: "99999999999999999999999999999999999.999999999999999999999999999999",
      b: "9223372036854775807",
      p: 12.3,
      s: 'a"1.5e400 \\',
      z: 0,
    });
  });

  test("GIVEN DATETIME(6) 9999-12-31 23:59:59.999 as epoch µs (beyond 2^53, yet printed back unchanged by a double) WHEN parsed and compared THEN it is exact", () => {
    const micros = "253402300799999000";
    const parsed = parseJsonExact(`{"t":${micros}}`) as { t: unknown };
    expect(parsed.t).toBe(micros);
    expect(sameValue("9999-12-31 23:59:59.999000", parsed.t, "datetime", 6)).toBe(true);
    expect(sameValue("9999-12-31 23:59:59.999001", parsed.t, "datetime", 6)).toBe(false);
  });

  test("dates by instant, NULL only equals NULL, text exactly", () => {
    const t = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
    expect(sameValue(t, t.getTime(), "datetime")).toBe(true);
    expect(sameValue(t, t.getTime() - 1, "datetime")).toBe(false);
    expect(sameValue(t, "9999-12-31T23:59:59.999Z", "timestamp")).toBe(true);
    expect(sameValue(new Date(Date.UTC(2024, 0, 31)), 19753, "date")).toBe(true);
    expect(sameValue("2024-01-31", 19753, "date")).toBe(true);
    // DATETIME(6) text from the database against epoch µs from the lake: a lost microsecond is a mismatch
    const micros = BigInt(Date.UTC(9999, 11, 31, 23, 59, 59, 999)) * 1000n + 999n;
    expect(sameValue("9999-12-31 23:59:59.999999", String(micros), "datetime", 6)).toBe(true);
    expect(sameValue("9999-12-31 23:59:59.999999", String(micros - 999n), "datetime", 6)).toBe(false);
    expect(sameValue("9999-12-31 23:59:59.999", t.getTime(), "datetime", 3)).toBe(true);
    expect(sameValue("1969-12-31 23:59:59.999", -1, "datetime", 3)).toBe(true);
    expect(sameValue("2026-12-01 12:34:56.123456", "2026-12-01T12:34:56.123456Z", "timestamp", 6)).toBe(true);
    expect(sameValue(null, "null", "varchar")).toBe(false);
    expect(sameValue(null, null, "varchar")).toBe(true);
    expect(sameValue("007", "7", "varchar")).toBe(false);
    expect(sameValue("😀 \"x\"\n", "😀 \"x\"\n", "varchar")).toBe(true);
  });
});

test("percentile uses nearest rank", () => {
  expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
  expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
  expect(percentile([], 50)).toBeUndefined();
});

describe("Power BI data source file", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { powerBiDataSource, powerBiRoute } = require("../scripts/lib/powerbi") as typeof import("../scripts/lib/powerbi");
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
      azure: { storageAccount: { sharedKeyAccess: true }, network: OPEN_NETWORK["confluent-cloud"] },
    });
    expect(powerBiDataSource(c).connections[0].details.address.url).toBe(`https://${c.derived.storageAccountName}.dfs.core.windows.net/orders/topics`);
  });

  test("per target and mode: the same dfs host, reached through the private endpoint from inside or through the analysts' IP rules", () => {
    for (const v of AZURE_VARIANTS.filter((x) => x.target !== "local")) {
      const c = resolveConfig(v.config);
      expect(powerBiDataSource(c).connections[0].details.address.url).toMatch(new RegExp(`^https://${c.derived.storageAccountName}\\.dfs\\.core\\.windows\\.net/orders/`));
      expect(powerBiRoute(c)).toMatch(v.mode === "private" ? /private endpoint, from inside the network/ : /firewall IP rules/);
    }
    expect(powerBiRoute(resolveConfig({}))).toMatch(/^Azurite/);
  });
});
