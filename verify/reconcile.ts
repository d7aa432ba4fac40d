/**
 * Pure reconciliation of the pipeline's hops: which committed rows reached
 * the lake, which landed twice, how far each hop lags and how late it is.
 */

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

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") return Number(a) === Number(b);
  return String(a) === String(b);
}

/** True when every column of `row` (from the database) has the same value in `change`. */
export function matchesRow(row: Record<string, unknown>, change: Change): boolean {
  return Object.entries(row).every(([k, v]) => k in change && sameValue(v, change[k]));
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
}

export interface Reconciliation {
  readonly hops: HopReport[];
  /** Database rows (at the start) for which the lake holds no change with their current values. */
  readonly missingInLake: Array<Record<string, unknown>>;
  /** Change identities landed more than once in the lake. */
  readonly duplicatedInLake: string[];
  readonly ok: boolean;
}

/**
 * Reconciles a table: its rows in the database, its changes in each Kafka
 * hop and in the lake. Latency is measured from the change's commit time
 * (`__source_ts_ms`) to when each hop had it.
 */
export function reconcile(dbRows: ReadonlyArray<Record<string, unknown>>, hops: ReadonlyArray<{ name: string; changes: TimedChange[] }>): Reconciliation {
  const reports: HopReport[] = [{ hop: "database", records: dbRows.length, changes: dbRows.length, behind: 0, duplicates: 0 }];
  let previous: Set<string> | undefined;
  const counts: Map<string, number>[] = [];
  for (const hop of hops) {
    const count = new Map<string, number>();
    const latencies: number[] = [];
    for (const { change, at } of hop.changes) {
      const id = changeIdentity(change);
      count.set(id, (count.get(id) ?? 0) + 1);
      const committed = Number(change.__source_ts_ms);
      if (Number.isFinite(committed) && committed > 0 && change.__op !== "r") latencies.push(at - committed);
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
    });
    counts.push(count);
    previous = ids;
  }
  const lake = hops[hops.length - 1];
  const lakeById = new Map<string, Change[]>();
  for (const { change } of lake?.changes ?? []) {
    const key = String(change.id);
    lakeById.set(key, [...(lakeById.get(key) ?? []), change]);
  }
  const missingInLake = dbRows.filter((row) => !(lakeById.get(String(row.id)) ?? []).some((c) => c.__op !== "d" && matchesRow(row, c)));
  const lakeCounts = counts[counts.length - 1] ?? new Map<string, number>();
  const duplicatedInLake = [...lakeCounts.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  return { hops: reports, missingInLake, duplicatedInLake, ok: missingInLake.length === 0 && duplicatedInLake.length === 0 };
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
    `  rows missing in the lake: ${r.missingInLake.length}${r.missingInLake.length ? ` (ids ${r.missingInLake.slice(0, 10).map((x) => x.id).join(", ")}${r.missingInLake.length > 10 ? ", …" : ""})` : ""}`,
    `  changes duplicated in the lake: ${r.duplicatedInLake.length}`,
    `  verdict: ${r.ok ? "OK" : "FAILED"}`,
  ];
  return lines.join("\n");
}
