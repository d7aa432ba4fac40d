/**
 * Commit → hop latency by arrival, once for `npm run verify`, `bench:bridge` and the console's hop
 * probe: a change's commit time is Debezium's `source.ts_ms` (flattened by ExtractNewRecordState +
 * add.fields as `__source_ts_ms`; an unflattened envelope carries it as `source.ts_ms`), and its
 * arrival at a hop is the hop's own clock: the broker's append time (the CDC and cloud topics are
 * LogAppendTime, so a record's Kafka timestamp is its arrival at that cluster) or the landed blob's
 * last-modified time. Snapshot reads (`r`) have no commit of their own and are not measured.
 * Pure: no I/O.
 */

/** The commit time (epoch ms) a change carries, or undefined (snapshot read, no source time). */
export function commitTimeMs(change: Readonly<Record<string, unknown>>): number | undefined {
  const source = change.source as Record<string, unknown> | undefined;
  const op = change.__op ?? change.op;
  if (op === "r") return undefined;
  const ts = Number(change.__source_ts_ms ?? (source && typeof source === "object" ? source.ts_ms : undefined));
  return Number.isFinite(ts) && ts > 0 ? ts : undefined;
}

/** Commit → arrival in ms (arrival: epoch ms at the hop), or undefined when the change has no commit time. */
export function commitToArrivalMs(change: Readonly<Record<string, unknown>>, arrivalMs: number): number | undefined {
  const committed = commitTimeMs(change);
  return committed === undefined || !Number.isFinite(arrivalMs) ? undefined : arrivalMs - committed;
}
