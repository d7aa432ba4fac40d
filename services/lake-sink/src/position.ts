/**
 * Source positions of flattened Debezium rows and the duplicate-drop rule.
 *
 * Every record value is a row flattened by Debezium's ExtractNewRecordState with
 * add.fields=op,source.ts_ms,source.file,source.pos,source.row, i.e. it carries
 *   __op ("c" | "u" | "d" | "r"), __source_ts_ms, __source_file, __source_pos, __source_row, id.
 *
 * Position order (binlog order):
 *   1. __source_file: binlog file names compared as <base name, numeric suffix>
 *      (mysql-bin.000009 < mysql-bin.000010 < mysql-bin.1000000);
 *   2. __source_pos (byte position of the event in that file);
 *   3. phase: snapshot reads (__op = "r") before change events at the same file/pos;
 *   4. __source_row (row index inside one binlog event) — change events only.
 * Snapshot reads all share the snapshot's file/pos; among themselves they have no order, so a
 * snapshot read is identified by (file, pos, id).
 *
 * Rule, per topic-partition, with state hw = highest position landed (or held in the open file):
 *   - change event (c/u/d): keep iff position > hw; otherwise drop as a duplicate;
 *   - snapshot read (r):   keep iff (file,pos) > hw's (file,pos), or (file,pos) == hw's and hw is
 *                          a snapshot read whose id set does not contain this id; otherwise drop.
 * Keeping a record raises hw to its position (a new snapshot position starts a new id set).
 *
 * Assumptions: within one Kafka partition the records of one source stream arrive in binlog order
 * apart from re-deliveries (true for a single-partition topic written by one Debezium task; with
 * several partitions it holds per partition because each partition receives a subsequence of the
 * binlog — i.e. per-key order — as long as the key -> partition mapping never changes); the
 * binlog is never reset (RESET MASTER / new server with lower positions would make every new
 * event look like a duplicate: set SINK_DEDUPE=false or move to a new topic / lake prefix);
 * a snapshot finishes before streaming starts (Debezium's initial / when_needed snapshots).
 * Records without the position fields are always kept (counted as "unpositioned").
 */

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
  /** JSON text of the row id (value.id, else the Kafka key). */
  id: string;
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
  | { kind: "json"; identity: RecordIdentity | undefined };

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
  const id = v.id !== undefined ? JSON.stringify(v.id) : key !== null ? JSON.stringify(key) : undefined;
  if (id === undefined) return undefined;
  return { position: { file, pos, snapshot, row }, id };
}

export function parseValue(value: string | null, key: string | null): ParsedValue {
  if (value === null) return { kind: "tombstone" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { kind: "non-json" };
  }
  return { kind: "json", identity: identityOf(parsed, key) };
}

export interface DedupeSnapshot {
  hw: SourcePosition | undefined;
  snapshotIds: string[];
}

/** Duplicate filter of one topic-partition (see the header for the rule). */
export class PartitionDeduper {
  private hw: SourcePosition | undefined;
  private ids = new Set<string>();

  constructor(state?: DedupeSnapshot) {
    if (state) {
      this.hw = state.hw;
      this.ids = new Set(state.snapshotIds);
    }
  }

  /** true when the record must be dropped as already landed (or already in the open file). */
  isDuplicate(r: RecordIdentity): boolean {
    const hw = this.hw;
    if (!hw) return false;
    const p = r.position;
    if (p.snapshot) {
      const c = compareFilePos(p, hw);
      if (c < 0) return true;
      if (c > 0) return false;
      return !hw.snapshot || this.ids.has(r.id);
    }
    return comparePositions(p, hw) <= 0;
  }

  /** Record a kept record. */
  observe(r: RecordIdentity): void {
    const p = r.position;
    if (p.snapshot) {
      if (this.hw && this.hw.snapshot && compareFilePos(p, this.hw) === 0) {
        this.ids.add(r.id);
        return;
      }
      this.hw = { ...p };
      this.ids = new Set([r.id]);
      return;
    }
    this.hw = { ...p };
    this.ids.clear();
  }

  snapshot(): DedupeSnapshot {
    return { hw: this.hw ? { ...this.hw } : undefined, snapshotIds: [...this.ids] };
  }

  get highWatermark(): SourcePosition | undefined {
    return this.hw;
  }
}

/**
 * Rebuilds a PartitionDeduper from the lake: feed the partition's landed files newest first
 * (their JSON lines); `add` returns true while older files are still needed. The newest file
 * with a positioned record gives hw (its largest position); when hw is a snapshot read, older
 * files are read as long as they still hold reads of that snapshot position, collecting the ids.
 */
export class DedupeRecovery {
  private hw: SourcePosition | undefined;
  private readonly ids = new Set<string>();
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
      if (!max.snapshot) {
        this.done = true;
        return false;
      }
    }
    const hw = this.hw;
    let older = false;
    for (const r of ids) {
      if (r.position.snapshot && compareFilePos(r.position, hw) === 0) this.ids.add(r.id);
      else older = true;
    }
    // A file holding anything before the snapshot position means earlier files cannot hold it.
    if (older) this.done = true;
    return !this.done;
  }

  result(): DedupeSnapshot {
    return { hw: this.hw ? { ...this.hw } : undefined, snapshotIds: this.hw?.snapshot ? [...this.ids] : [] };
  }
}
