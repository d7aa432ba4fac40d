/**
 * Source positions of flattened Debezium rows and the duplicate-drop rule.
 *
 * Every record value is a row flattened by Debezium's ExtractNewRecordState with
 * add.fields=op,source.ts_ms,source.file,source.pos,source.row, i.e. it carries
 *   __op ("c" | "u" | "d" | "r"), __source_ts_ms, __source_file, __source_pos, __source_row, id
 * (and __deleted for rewritten deletes). Debezium adds no per-event ordinal to the source block.
 *
 * Position order (binlog order):
 *   1. __source_file: binlog file names compared as <base name, numeric suffix>
 *      (mysql-bin.000009 < mysql-bin.000010 < mysql-bin.1000000);
 *   2. __source_pos (byte position of the event in that file);
 *   3. phase: snapshot reads (__op = "r") before change events at the same file/pos;
 *   4. __source_row (row index inside one binlog event) — change events only.
 * Several records can share one position, so a record is identified by (position, __op, id):
 *   - snapshot reads all share the snapshot's file/pos (they have no order among themselves);
 *   - a primary-key UPDATE makes Debezium emit, for ONE binlog row, a delete of the old key, a
 *     tombstone, and a create of the new key, all with the same file/pos/row; the delete and the
 *     create differ by __op and id (a multi-row key UPDATE gives rows 0..k, each such a pair).
 *
 * Rule, per topic-partition, with state hw = highest position landed (or held in the open file)
 * plus the set of identities (__op, id) already kept AT hw:
 *   - position < hw: drop (already landed; a re-delivery, or an older snapshot);
 *   - position > hw: keep; hw becomes its position and the set starts over with it;
 *   - position = hw: keep iff its identity is not in the set (the create after the delete of a
 *     key change, the next read of a snapshot), else drop (a re-delivery of either).
 * So a snapshot read after change events at the same file/pos is dropped (phase order), and a
 * later re-snapshot (snapshot.mode=when_needed) has a higher position and is kept.
 *
 * Assumptions: within one Kafka partition the records of one source stream arrive in binlog order
 * apart from re-deliveries (true for a single-partition topic written by one Debezium task; with
 * several partitions it holds per partition because each partition receives a subsequence of the
 * binlog — i.e. per-key order — as long as the key -> partition mapping never changes; the two
 * halves of a key change then go to different partitions, each with its own state); the records
 * that share one position have distinct identities (true for snapshot reads — one per primary
 * key — and for the delete/create of a key change — different keys); the binlog is never reset
 * (RESET MASTER / new server with lower positions would make every new event look like a
 * duplicate: set SINK_DEDUPE=false or move to a new topic / lake prefix); a snapshot finishes
 * before streaming starts (Debezium's initial / when_needed snapshots).
 * Records without the position fields are always kept (counted as "unpositioned").
 */
import { probeCommittedAtMs } from "@bridge-to-azure/service-kit";

export interface SourcePosition {
  file: string;
  pos: number;
  /** true for snapshot reads (__op = "r"). */
  snapshot: boolean;
  /** __source_row; 0 for snapshot reads. */
  row: number;
}

export interface RecordIdentity {
  position: SourcePosition;
  /** __op ("c" | "u" | "d" | "r" | …). */
  op: string;
  /** JSON text of the row id (value.id, else the Kafka key). */
  id: string;
}

/** What tells apart records that share one position: (op, id). */
export function identityKey(r: RecordIdentity): string {
  return `${JSON.stringify(r.op)} ${r.id}`;
}

function splitBinlogName(name: string): [string, bigint | undefined] {
  const m = /^(.*?)(\d+)$/.exec(name);
  return m ? [m[1]!, BigInt(m[2]!)] : [name, undefined];
}

export function compareBinlogFiles(a: string, b: string): number {
  if (a === b) return 0;
  const [ab, an] = splitBinlogName(a);
  const [bb, bn] = splitBinlogName(b);
  if (ab !== bb || an === undefined || bn === undefined) return a < b ? -1 : 1;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** Order of (file, pos) only. */
export function compareFilePos(a: SourcePosition, b: SourcePosition): number {
  return compareBinlogFiles(a.file, b.file) || Math.sign(a.pos - b.pos);
}

/** Total order of positions (see the header). */
export function comparePositions(a: SourcePosition, b: SourcePosition): number {
  const fp = compareFilePos(a, b);
  if (fp !== 0) return fp;
  if (a.snapshot !== b.snapshot) return a.snapshot ? -1 : 1;
  if (a.snapshot) return 0;
  return Math.sign(a.row - b.row);
}

export function formatPosition(p: SourcePosition): string {
  return p.snapshot ? `${p.file}:${p.pos}:snapshot` : `${p.file}:${p.pos}:${p.row}`;
}

export type ParsedValue =
  | { kind: "tombstone" }
  | { kind: "non-json" }
  | { kind: "json"; identity: RecordIdentity | undefined; sourceTsMs?: number };

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** The identity of a parsed record value, or undefined when it lacks the position fields. */
export function identityOf(value: unknown, key: string | null): RecordIdentity | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const file = v.__source_file;
  const pos = typeof v.__source_pos === "string" && /^\d+$/.test(v.__source_pos) ? Number(v.__source_pos) : v.__source_pos;
  const op = v.__op;
  if (typeof file !== "string" || file === "" || !isInt(pos) || typeof op !== "string") return undefined;
  const snapshot = op === "r";
  let row = 0;
  if (!snapshot) {
    const r = v.__source_row ?? 0;
    if (!isInt(r)) return undefined;
    row = r;
  }
  let id: string | undefined;
  try {
    id = v.id !== undefined ? JSON.stringify(v.id) : key !== null ? JSON.stringify(key) : undefined;
  } catch {
    // JSON.stringify recurses: an id nested thousands of levels deep overflows the stack.
    // Such a record is kept like any record without a usable identity (never a throw).
    return undefined;
  }
  if (id === undefined) return undefined;
  return { position: { file, pos, snapshot, row }, op, id };
}

export function parseValue(value: string | null, key: string | null): ParsedValue {
  if (value === null) return { kind: "tombstone" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { kind: "non-json" };
  }
  return { kind: "json", identity: identityOf(parsed, key), sourceTsMs: sourceTsMsOf(parsed) };
}

/**
 * Commit time of the change, epoch ms: the latency probe's µs column for a probe row (service kit),
 * else Debezium's `source.ts_ms` (the flattened `__source_ts_ms`, or the envelope's `source.ts_ms`);
 * undefined when the value carries none.
 */
export function sourceTsMsOf(value: unknown): number | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  // The latency probe's row carries its commit time in µs (the binlog's source.ts_ms has whole seconds).
  const probe = probeCommittedAtMs(v);
  if (probe !== undefined) return probe;
  const flat = typeof v.__source_ts_ms === "string" && /^\d+$/.test(v.__source_ts_ms) ? Number(v.__source_ts_ms) : v.__source_ts_ms;
  if (isInt(flat)) return flat;
  const source = v.source;
  if (source !== null && typeof source === "object" && !Array.isArray(source)) {
    const ts = (source as Record<string, unknown>).ts_ms;
    if (isInt(ts)) return ts;
  }
  return undefined;
}

export interface DedupeSnapshot {
  hw: SourcePosition | undefined;
  /** identityKey()s of the records kept at hw. */
  seenAtHw: string[];
}

/** Duplicate filter of one topic-partition (see the header for the rule). */
export class PartitionDeduper {
  private hw: SourcePosition | undefined;
  private seen = new Set<string>();

  constructor(state?: DedupeSnapshot) {
    if (state) {
      this.hw = state.hw;
      this.seen = new Set(state.seenAtHw);
    }
  }

  /** true when the record must be dropped as already landed (or already in the open file). */
  isDuplicate(r: RecordIdentity): boolean {
    if (!this.hw) return false;
    const c = comparePositions(r.position, this.hw);
    return c < 0 || (c === 0 && this.seen.has(identityKey(r)));
  }

  /** Record a kept record (one that isDuplicate() let through: its position is >= hw). */
  observe(r: RecordIdentity): void {
    if (this.hw && comparePositions(r.position, this.hw) === 0) {
      this.seen.add(identityKey(r));
      return;
    }
    this.hw = { ...r.position };
    this.seen = new Set([identityKey(r)]);
  }

  snapshot(): DedupeSnapshot {
    return { hw: this.hw ? { ...this.hw } : undefined, seenAtHw: [...this.seen] };
  }

  get highWatermark(): SourcePosition | undefined {
    return this.hw;
  }
}

/**
 * Rebuilds a PartitionDeduper from the lake: feed the partition's landed files newest first
 * (their JSON lines); `add` returns true while older files are still needed. The newest file
 * with a positioned record gives hw (its largest position); the identities at hw are collected
 * from it and, as long as a file holds nothing but records at hw, from the files before it
 * (a snapshot spread over many files; the delete and the create of a key change split by a
 * file boundary). Landed positions never decrease, so the first file that holds a record below
 * hw ends the search.
 */
export class DedupeRecovery {
  private hw: SourcePosition | undefined;
  private readonly seen = new Set<string>();
  private done = false;
  filesRead = 0;

  add(fileText: string): boolean {
    if (this.done) return false;
    this.filesRead++;
    const ids: RecordIdentity[] = [];
    for (const line of fileText.split("\n")) {
      if (line.trim() === "") continue;
      const pv = parseValue(line, null);
      if (pv.kind === "json" && pv.identity) ids.push(pv.identity);
    }
    if (ids.length === 0) return true; // nothing positioned here: look further back
    if (!this.hw) {
      let max = ids[0]!.position;
      for (const r of ids) if (comparePositions(r.position, max) > 0) max = r.position;
      this.hw = { ...max };
    }
    const hw = this.hw;
    for (const r of ids) {
      if (comparePositions(r.position, hw) === 0) this.seen.add(identityKey(r));
      else this.done = true; // something before hw: earlier files cannot hold hw
    }
    return !this.done;
  }

  result(): DedupeSnapshot {
    return { hw: this.hw ? { ...this.hw } : undefined, seenAtHw: this.hw ? [...this.seen] : [] };
  }
}
