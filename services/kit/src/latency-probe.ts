/**
 * The latency probe's record, as every reader of a hop sees it (verify, the lake sink, the console,
 * the benchmarks): one row of LATENCY_PROBE_TABLE that Debezium updates at each heartbeat with the
 * database clock in µs (connectors/debezium.ts heartbeat.action.query), flattened by
 * ExtractNewRecordState and encoded by Debezium's adaptive_time_microseconds mode: DATETIME(6) →
 * epoch µs. A hop's latency is its arrival time (broker append time, blob landing) minus this.
 */

/** Table of the probe row; its topic is "<dc>_bridge_latency_probe" (images/mariadb/initdb/01-schema.sql creates it). */
export const LATENCY_PROBE_TABLE = "bridge_latency_probe";

/** The probe row's commit time column: DATETIME(6), set to NOW(6) by the statement that commits it. */
export const PROBE_COMMITTED_AT = "committed_at";

/** Whether a topic is a data centre's probe topic ("dc01_bridge_latency_probe"). */
export function isProbeTopic(topic: string): boolean {
  return PROBE_TOPIC.test(topic);
}
const PROBE_TOPIC = new RegExp(`^dc\\d{2}_${LATENCY_PROBE_TABLE}$`);

/**
 * Commit time (epoch ms, sub-ms precision) of a flattened probe record, or undefined when the value is
 * not one (a delete, a tombstone, another table's row). Epoch µs of today (~1.8e15) is an exact double.
 */
export function probeCommittedAtMs(value: Readonly<Record<string, unknown>> | null | undefined): number | undefined {
  if (!value || value.__deleted === "true" || value.__op === "d") return undefined;
  const us = value[PROBE_COMMITTED_AT];
  const n = typeof us === "string" && /^\d+$/.test(us) ? Number(us) : us;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n / 1000 : undefined;
}

/**
 * Commit time (epoch ms) of any flattened change: the probe's µs column where the record is a probe
 * row, else Debezium's source.ts_ms (`__source_ts_ms`: whole seconds on MariaDB, µs on MySQL 8).
 * `precise` says which: only precise times may be read below a second.
 */
export function commitTimeMs(value: Readonly<Record<string, unknown>> | null | undefined): { ms: number; precise: boolean } | undefined {
  const probe = probeCommittedAtMs(value);
  if (probe !== undefined) return { ms: probe, precise: true };
  const ts = Number(value?.__source_ts_ms);
  return Number.isFinite(ts) && ts > 0 ? { ms: ts, precise: false } : undefined;
}
