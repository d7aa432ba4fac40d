/**
 * Pure reconciliation of the pipeline's hops: which committed rows reached
 * the lake, which landed twice, how far each hop lags and how late it is.
 */
import { commitTimeMs } from "@bridge-to-azure/service-kit";
import { compareBinlogFiles } from "../services/lake-sink/src/position";

/** A flattened Debezium change as it travels (ExtractNewRecordState + add.fields). */
export type Change = Record<string, unknown> & { id?: unknown };

/** What identifies one change: its binlog position, row index and row id (snapshot reads share a position). */
export function changeIdentity(c: Change): string {
  return [c.__source_file, c.__source_pos, c.__source_row, c.__op, c.id].map((v) => String(v ?? "")).join("|");
}

/** The row columns of a change (Debezium's added fields stripped). */
export function rowColumns(c: Change): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c).filter(([k]) => !k.startsWith("__") && k !== "sourcedc"));
}

/** A binlog position: the database's consistent-snapshot position, or a change's source position. */
export interface BinlogPosition {
  readonly file: string;
  readonly pos: number;
}

/**
 * Binlog order of two changes: file, position, row index in the event; snapshot
 * reads ("r") before change events at the same position (they come from the snapshot taken there).
 */
export function compareChanges(a: Change, b: Change): number {
  return (
    compareBinlogFiles(String(a.__source_file ?? ""), String(b.__source_file ?? "")) ||
    Math.sign(Number(a.__source_pos ?? 0) - Number(b.__source_pos ?? 0)) ||
    Number(b.__op === "r") - Number(a.__op === "r") ||
    Math.sign(Number(a.__source_row ?? 0) - Number(b.__source_row ?? 0))
  );
}

/** True when the change was committed before the database snapshot taken at `at`. */
export function committedBefore(c: Change, at: BinlogPosition): boolean {
  const byFile = compareBinlogFiles(String(c.__source_file ?? ""), at.file);
  // Every event of a transaction committed after the snapshot starts at or after the snapshot position.
  return byFile < 0 || (byFile === 0 && Number(c.__source_pos) < at.pos);
}

/** A column of the database table (information_schema.COLUMNS). */
export interface ColumnInfo {
  /** DATA_TYPE, lower case: "int", "bigint", "decimal", "varchar", "datetime", … */
  readonly type: string;
  /** DATETIME_PRECISION: digits of fractional seconds of a DATETIME / TIMESTAMP. */
  readonly precision?: number;
  /**
   * What `ALTER TABLE … ADD COLUMN` gave the rows that existed then: the literal
   * default, null (no default, nullable), or `UNKNOWN_VALUE` (an expression default such as
   * CURRENT_TIMESTAMP, whose value at ALTER time is not recorded anywhere).
   */
  readonly addedValue: unknown;
}
export const UNKNOWN_VALUE: unique symbol = Symbol("unknown value");
export type TableColumns = Readonly<Record<string, ColumnInfo>>;

const NUMERIC_TYPES = new Set(["tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float", "double", "real", "year", "bit"]);
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A number written any way (12.30, "12.3", 1.23E+1, "0E-30", 9223372036854775807n) as
 * one canonical text "<sign><digits>e<exponent>", exact for any precision; undefined when not a number.
 */
export function canonicalNumber(v: unknown): string | undefined {
  if (typeof v !== "number" && typeof v !== "bigint" && typeof v !== "string") return undefined;
  if (typeof v === "number" && !Number.isFinite(v)) return undefined;
  const m = DECIMAL_TEXT.exec(String(v).trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  let digits = `${m[2]}${m[3] ?? ""}`.replace(/^0+/, "");
  let exponent = Number(m[4] ?? 0) - (m[3] ?? "").length;
  if (digits === "") return "0";
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${m[1] === "-" ? "-" : ""}${digits}e${exponent}`;
}

const DATETIME_TEXT = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?)?(Z|[+-]\d\d:\d\d)?$/;

/** Epoch microseconds of a Date or a date/time text ("2024-01-31 23:59:59.123456" is UTC: the server runs on +00:00). */
function microsOf(v: unknown): bigint | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : BigInt(v.getTime()) * 1000n;
  const m = typeof v === "string" ? DATETIME_TEXT.exec(v.trim()) : null;
  if (!m) return undefined;
  const whole = Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}${m[4] ?? "Z"}`);
  return Number.isNaN(whole) ? undefined : BigInt(whole) * 1000n + BigInt((m[3] ?? "").padEnd(6, "0").slice(0, 6));
}

function integerOf(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : undefined;
  return typeof v === "string" && /^-?\d+$/.test(v) ? BigInt(v) : undefined;
}

/**
 * Whether a database value and a lake value are the same. `type` (information_schema
 * DATA_TYPE) decides how: numbers exactly by value (DECIMAL(65,30) and BIGINT beyond 2^53 included),
 * dates by instant to the microsecond (Debezium, time.precision.mode=adaptive_time_microseconds, writes
 * DATETIME(0–3) as epoch ms, DATETIME(4–6) as epoch µs — `precision` tells which — DATE as epoch days,
 * TIMESTAMP as ISO text), everything else as text. Without a type, numbers compare numerically when
 * either side is a number, and a date or date text against a number as epoch ms or days.
 */
export function sameValue(db: unknown, lake: unknown, type?: string, precision?: number): boolean {
  if (db === null || db === undefined || lake === null || lake === undefined) return (db ?? null) === (lake ?? null);
  const dateType = type !== undefined && /^(datetime|timestamp|date)$/.test(type);
  if (db instanceof Date || dateType || (type === undefined && typeof db === "string" && DATETIME_TEXT.test(db) && typeof lake === "number")) {
    const d = microsOf(db);
    if (d === undefined) return false;
    if (typeof lake === "string" && DATETIME_TEXT.test(lake)) return microsOf(lake) === d;
    const n = integerOf(lake);
    if (n === undefined) return false;
    if (type === "date") return n * 86400000000n === d;
    if (type === undefined) return n * 1000n === d || n * 86400000000n === d;
    return n * ((precision ?? 3) > 3 ? 1n : 1000n) === d;
  }
  const numeric = type !== undefined ? NUMERIC_TYPES.has(type) : typeof db === "number" || typeof lake === "number" || typeof db === "bigint" || typeof lake === "bigint";
  if (numeric) {
    const d = canonicalNumber(db);
    return d !== undefined && d === canonicalNumber(lake);
  }
  if (Buffer.isBuffer(db)) return typeof lake === "string" && (db.toString("base64") === lake || db.toString("utf8") === lake);
  return String(db) === String(lake);
}

/**
 * True when every column of `row` (from the database) has the same value in `change`.
 * Columns of the lake change that the table no longer has (dropped since) are ignored. A
 * column the change lacks was added after the change was captured: with `columns` given it is
 * accepted when the row still holds what the ALTER gave existing rows (its default, or NULL) —
 * any later write to the row would have landed a newer change carrying the column.
 */
export function matchesRow(row: Record<string, unknown>, change: Change, columns?: TableColumns): boolean {
  return Object.entries(row).every(([k, v]) => {
    const column = columns?.[k];
    if (k in change) return sameValue(v, change[k], column?.type, column?.precision);
    return column !== undefined && column.addedValue !== UNKNOWN_VALUE && sameValue(v, column.addedValue, column.type, column.precision);
  });
}

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export interface TimedChange {
  readonly change: Change;
  /** Epoch ms the hop got it (broker append time, blob last-modified). */
  readonly at: number;
}

export interface HopReport {
  readonly hop: string;
  readonly records: number;
  /** Distinct changes. */
  readonly changes: number;
  /** Changes of the previous hop not (yet) here. */
  readonly behind: number;
  /** Changes present more than once. */
  readonly duplicates: number;
  /** Commit → this hop, ms. */
  readonly latencyP50?: number;
  readonly latencyP99?: number;
  /**
   * Whether the commit times were precise (the latency probe's µs column) or Debezium's source.ts_ms,
   * which MariaDB's binlog gives in whole seconds: such latencies read up to 1 s high (0.5 s on average).
   */
  readonly latencyPrecise?: boolean;
}

export interface Reconciliation {
  readonly hops: HopReport[];
  /** Database rows whose key's latest landed change (before the database snapshot) is not a live row with their values. */
  readonly missingInLake: Array<Record<string, unknown>>;
  /** Keys whose latest landed change (before the snapshot) is a live row the database no longer has: a lost delete. */
  readonly staleInLake: string[];
  /** Change identities landed more than once in the lake. */
  readonly duplicatedInLake: string[];
  readonly ok: boolean;
}

export interface ReconcileOptions {
  /** The table's columns: lets a row match a change landed before a column was added (see matchesRow). */
  readonly columns?: TableColumns;
  /**
   * The binlog position of the database read (MariaDB: Binlog_snapshot_file/position of a consistent
   * snapshot). With it each row is held against the last change of its key committed before the read,
   * and lost deletes are found; without it, against any landed live version of the key.
   */
  readonly snapshot?: BinlogPosition;
}

/**
 * Reconciles a table: its rows in the database, its changes in each Kafka
 * hop and in the lake. Latency is measured from the change's commit time
 * (`__source_ts_ms`) to when each hop had it.
 */
export function reconcile(
  dbRows: ReadonlyArray<Record<string, unknown>>,
  hops: ReadonlyArray<{ name: string; changes: TimedChange[] }>,
  options: ReconcileOptions = {},
): Reconciliation {
  const reports: HopReport[] = [{ hop: "database", records: dbRows.length, changes: dbRows.length, behind: 0, duplicates: 0 }];
  let previous: Set<string> | undefined;
  const counts: Map<string, number>[] = [];
  for (const hop of hops) {
    const count = new Map<string, number>();
    const latencies: number[] = [];
    let precise = true;
    for (const { change, at } of hop.changes) {
      const id = changeIdentity(change);
      count.set(id, (count.get(id) ?? 0) + 1);
      const committed = commitTimeMs(change);
      if (committed !== undefined && change.__op !== "r") {
        latencies.push(at - committed.ms);
        precise &&= committed.precise;
      }
    }
    const ids = new Set(count.keys());
    reports.push({
      hop: hop.name,
      records: hop.changes.length,
      changes: ids.size,
      behind: previous ? [...previous].filter((i) => !ids.has(i)).length : 0,
      duplicates: [...count.values()].filter((n) => n > 1).length,
      latencyP50: percentile(latencies, 50),
      latencyP99: percentile(latencies, 99),
      ...(latencies.length ? { latencyPrecise: precise } : {}),
    });
    counts.push(count);
    previous = ids;
  }
  const { columns, snapshot } = options;
  const lakeById = new Map<string, Change[]>();
  for (const { change } of hops[hops.length - 1]?.changes ?? []) {
    if (snapshot && !committedBefore(change, snapshot)) continue; // committed after the database was read
    const key = String(change.id);
    const list = lakeById.get(key);
    if (list) list.push(change);
    else lakeById.set(key, [change]);
  }
  const live = (c: Change) => c.__op !== "d";
  const latest = (key: string) => (lakeById.get(key) ?? []).reduce<Change | undefined>((a, c) => (a === undefined || compareChanges(c, a) >= 0 ? c : a), undefined);
  const missingInLake = dbRows.filter((row) => {
    if (!snapshot) return !(lakeById.get(String(row.id)) ?? []).some((c) => live(c) && matchesRow(row, c, columns));
    const last = latest(String(row.id));
    return last === undefined || !live(last) || !matchesRow(row, last, columns);
  });
  const inDb = new Set(dbRows.map((r) => String(r.id)));
  const staleInLake = snapshot ? [...lakeById.keys()].filter((k) => !inDb.has(k) && live(latest(k)!)) : [];
  const lakeCounts = counts[counts.length - 1] ?? new Map<string, number>();
  const duplicatedInLake = [...lakeCounts.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  return {
    hops: reports,
    missingInLake,
    staleInLake,
    duplicatedInLake,
    ok: missingInLake.length === 0 && staleInLake.length === 0 && duplicatedInLake.length === 0,
  };
}

/** The report as a fixed-width table. */
export function formatReconciliation(table: string, r: Reconciliation): string {
  const ms = (v?: number) => (v === undefined ? "-" : `${Math.round(v)} ms`);
  const lines = [
    `${table}:`,
    `  ${"hop".padEnd(16)}${"records".padStart(9)}${"changes".padStart(9)}${"behind".padStart(8)}${"dupes".padStart(7)}${"p50".padStart(10)}${"p99".padStart(10)}`,
    ...r.hops.map(
      (h) =>
        `  ${h.hop.padEnd(16)}${String(h.records).padStart(9)}${String(h.changes).padStart(9)}${String(h.behind).padStart(8)}${String(h.duplicates).padStart(7)}${ms(h.latencyP50).padStart(10)}${ms(h.latencyP99).padStart(10)}`,
    ),
    ...(r.hops.some((h) => h.latencyPrecise === false)
      ? ["  (latency from source.ts_ms: whole seconds on MariaDB, so up to 1 s high; the latency probe's table times hops to the ms)"]
      : r.hops.some((h) => h.latencyPrecise) ? ["  (latency from the probe row's commit time, µs)"] : []),
    `  rows missing in the lake: ${r.missingInLake.length}${r.missingInLake.length ? ` (ids ${r.missingInLake.slice(0, 10).map((x) => x.id).join(", ")}${r.missingInLake.length > 10 ? ", …" : ""})` : ""}`,
    `  rows deleted but live in the lake: ${r.staleInLake.length}${r.staleInLake.length ? ` (ids ${r.staleInLake.slice(0, 10).join(", ")}${r.staleInLake.length > 10 ? ", …" : ""})` : ""}`,
    `  changes duplicated in the lake: ${r.duplicatedInLake.length}`,
    `  verdict: ${r.ok ? "OK" : "FAILED"}`,
  ];
  return lines.join("\n");
}
