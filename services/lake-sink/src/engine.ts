/**
 * The sink engine: turns the records of assigned topic-partitions into files in the lake.
 * Independent of Kafka and Azure (a LakeStore and a commit callback are injected), so the
 * exactly-once behaviour is unit-tested with an in-memory store and simulated crashes.
 * Not re-entrant: the caller serialises all calls (one async lock).
 *
 * Per topic-partition:
 *   - records are appended to one open file; the file closes by the rules in rotation.ts;
 *   - closing = one Put Blob of the whole file (atomic), then deleting stale blobs that lie inside
 *     the new file's offset range, then committing offset (last processed + 1) to Kafka. Nothing
 *     is committed before the blob exists, so a crash at any point re-delivers from the start of
 *     the file that was being written;
 *   - the file name carries its first record's offset, and everything that decides file content
 *     (dedupe state, rotation by count/time/path) depends only on the records from the committed
 *     offset on plus the lake: re-processing after a crash rewrites the same blob name (with a
 *     superset of the records when more had arrived), never a second file with overlapping offsets;
 *   - tombstones (null values) and dropped duplicates are consumed and covered by the next commit
 *     but written nowhere;
 *   - on assignment the state is rebuilt from the lake (assign());
 *   - a record's content never makes a call throw (that would stop the partition for good: the
 *     same record comes back after every retry). What the sink cannot turn into a line (value not
 *     UTF-8, not serialisable) is "rejected": its raw bytes go to a dead-letter blob named by its
 *     offset (rejectedBlobName), it is logged with topic/partition/offset/key and the reason, and
 *     consumption goes on; an unusable timestamp for the time directories is replaced by 0
 *     (1970-01-01) and logged. Both are "data problems": health reports "degraded" (health.ts).
 */
import { blobName, formatTimeDirs, padOffset, parseBlobName, partitionPrefix, PathToken } from "./paths";
import { DedupeRecovery, formatPosition, ParsedValue, parseValue, PartitionDeduper } from "./position";
import { OpenFileView, RotateReason, RotationConfig, rotateAfterAppend, rotateBeforeAppend, rotateOnTimer } from "./rotation";
import { LakeStore } from "./store";

export const FILE_EXT = "json";
export const WRITER = "bridge-to-azure-lake-sink/0.1.0";

export interface SinkRecord {
  offset: number;
  /** Record timestamp (epoch ms). */
  timestamp: number;
  key: string | null;
  /** The value as text; null for a tombstone (or when `undecodable` is set). */
  value: string | null;
  /** Set when the value's bytes are not text the sink can hold: the record is rejected. */
  undecodable?: { bytes: Buffer; reason: string };
}

/** The parts of a kafkajs message the sink uses. */
export interface RawMessage {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes a Kafka message; never throws (bad bytes become `undecodable`). */
export function toSinkRecord(m: RawMessage): SinkRecord {
  const base = { offset: Number(m.offset), timestamp: Number(m.timestamp), key: m.key ? m.key.toString("utf8") : null };
  if (m.value === null) return { ...base, value: null };
  try {
    // Strict: a lossy decode would silently replace bytes with U+FFFD in the lake.
    return { ...base, value: utf8.decode(m.value) };
  } catch (e) {
    // Not UTF-8, or longer than the longest string V8 can hold.
    return { ...base, value: null, undecodable: { bytes: m.value, reason: `value is not decodable as UTF-8 text (${m.value.length} bytes: ${e instanceof Error ? e.message : String(e)})` } };
  }
}

/** Latest Kafka timestamp whose time directories still have a 4-digit year (9999-12-31T23:59:59.999Z). */
export const MAX_PATH_TIMESTAMP = 253402300799999;

/** Dead-letter blob of a rejected record; "+" cannot occur in a topic name, so no topic's directory collides. */
export function rejectedBlobName(topicsDir: string, topic: string, partition: number, offset: number): string {
  return `${topicsDir}/+rejected/${topic}/partition=${partition}/${topic}+${partition}+${padOffset(offset)}.bin`;
}

/** A record for a log line: topic[partition]@offset key=<JSON, shortened>. */
export function describeRecord(topic: string, partition: number, r: Pick<SinkRecord, "offset" | "key">): string {
  const k = r.key === null ? "null" : JSON.stringify(r.key.length > 200 ? `${r.key.slice(0, 200)}…(${r.key.length} chars)` : r.key);
  return `${topic}[${partition}]@${r.offset} key=${k}`;
}

/** Metadata values must be printable ASCII (HTTP headers). */
const headerSafe = (s: string) => encodeURIComponent(s.length > 1000 ? s.slice(0, 1000) : s);

export type Committer = (topic: string, partition: number, nextOffset: number) => Promise<void>;

export interface EngineLogger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

export interface EngineOptions {
  topicsDir: string;
  pathTokens: PathToken[];
  rotation: RotationConfig;
  dedupe: boolean;
}

/** A file that landed (uploaded, then its offsets committed), as the observer sees it. */
export interface LandedFile {
  readonly topic: string;
  readonly partition: number;
  /** Records in the file. */
  readonly records: number;
  readonly startOffset: number;
  /** Last offset the file covers. */
  readonly endOffset: number;
  /** Duration of the upload (one Put Blob), ms. */
  readonly uploadMs: number;
  /** Wall time the upload completed (the file's arrival in the lake), epoch ms. */
  readonly landedAtMs: number;
  /** Debezium `source.ts_ms` (commit time) of each record in it that carries one, epoch ms. */
  readonly sourceTimestampsMs: readonly number[];
}

/** Why the engine failed or could not land a record as it is (the error metric's `kind`). */
export type EngineErrorKind = "upload" | "commit" | "rejected" | "bad_timestamp";

/**
 * What the engine reports as it goes, for the sink's /metrics (metrics.ts): the engine itself stays
 * free of any metrics library. Calls are synchronous and must not throw.
 */
export interface EngineObserver {
  landed(file: LandedFile): void;
  /** `count` re-delivered changes of `topic` dropped by source position. */
  dropped(topic: string, count: number): void;
  error(kind: EngineErrorKind): void;
}

const NO_OBSERVER: EngineObserver = { landed: () => undefined, dropped: () => undefined, error: () => undefined };

export interface Metrics {
  records: number;
  written: number;
  tombstones: number;
  dropped_duplicates: number;
  unpositioned: number;
  non_json: number;
  files: number;
  bytes: number;
  commits: number;
  upload_ms: number;
  upload_failures: number;
  commit_failures: number;
  stale_blobs_deleted: number;
  recoveries: number;
  recovery_files_read: number;
  /** Records written to dead-letter blobs instead of the lake files. */
  rejected: number;
  /** Records whose timestamp could not give time directories (landed under 1970-01-01). */
  bad_timestamps: number;
  open_files: number;
  open_records: number;
}

interface OpenFile extends OpenFileView {
  startOffset: number;
  lines: string[];
  /** source.ts_ms of the records that carry one (LandedFile.sourceTimestampsMs). */
  sourceTs: number[];
}

interface Pending {
  dropped: number;
  tombstones: number;
}

interface PartitionState {
  topic: string;
  partition: number;
  dedupe: PartitionDeduper | undefined;
  open: OpenFile | undefined;
  /** Next offset to process. */
  next: number;
  /** Last committed offset (next to read); -1 when nothing committed yet. */
  committed: number;
  /** Blobs found at assignment at or after the resume offset: start offset -> names. */
  stale: Map<number, string[]>;
  pending: Pending;
}

export interface AssignResult {
  /** When set, the consumer must seek the partition to this offset (resume after the lake's last file). */
  seekTo: number | undefined;
  resumeOffset: number;
  landedFiles: number;
  staleFiles: number;
  highWatermark: string;
}

/** " (n snapshot ids)" / " (n events)" when more than one record was kept at hw. */
const describeSeen = (snapshot: boolean, n: number) => (snapshot ? ` (${n} snapshot ids)` : n > 1 ? ` (${n} events)` : "");

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class LakeEngine {
  private states = new Map<string, PartitionState>();
  readonly metrics: Metrics = {
    records: 0, written: 0, tombstones: 0, dropped_duplicates: 0, unpositioned: 0, non_json: 0, files: 0, bytes: 0, commits: 0,
    upload_ms: 0, upload_failures: 0, commit_failures: 0, stale_blobs_deleted: 0, recoveries: 0, recovery_files_read: 0, rejected: 0, bad_timestamps: 0, open_files: 0, open_records: 0,
  };
  /** Records the sink could not land as they are (rejected or bad timestamps): health is "degraded". */
  dataProblems: { count: number; lastAt: number | undefined; last: string | undefined } = { count: 0, lastAt: undefined, last: undefined };
  lastLandedAt: number | undefined;
  /** Wall time since when closing files has been failing (undefined = not failing). */
  failingSince: number | undefined;

  constructor(
    private readonly opts: EngineOptions,
    private readonly store: LakeStore,
    private readonly commit: Committer,
    private readonly log: EngineLogger,
    private readonly now: () => number = Date.now,
    private readonly observer: EngineObserver = NO_OBSERVER,
  ) {}

  has(topic: string, partition: number): boolean {
    return this.states.has(key(topic, partition));
  }

  /** Forget every partition (after a rebalance: uncommitted records are re-delivered). */
  reset(): void {
    this.states = new Map();
    this.updateOpenMetrics();
  }

  /**
   * Take over a partition. `committed` = the group's committed offset (null when none),
   * `firstOffset` = the offset the consumer will deliver first. Rebuilds the dedupe state from the
   * lake's files that start before the resume offset; files at or after it are "stale": they were
   * landed but not committed and will be rewritten (same name) or deleted by re-processing.
   * Without a committed offset the partition resumes after the lake's newest file (its endoffset
   * metadata) instead of re-reading the topic.
   */
  async assign(topic: string, partition: number, committed: number | null, firstOffset: number): Promise<AssignResult> {
    const { topicsDir } = this.opts;
    const listed = await this.store.list(partitionPrefix(topicsDir, topic, partition));
    const files = listed
      .map((f) => ({ f, p: parseBlobName(topicsDir, f.name, FILE_EXT) }))
      .filter((x): x is { f: (typeof listed)[number]; p: NonNullable<ReturnType<typeof parseBlobName>> } => x.p !== undefined && x.p.topic === topic && x.p.partition === partition)
      .sort((a, b) => a.p.startOffset - b.p.startOffset || (a.f.name < b.f.name ? -1 : 1));
    let resume = committed ?? firstOffset;
    let seekTo: number | undefined;
    if (committed === null && files.length > 0) {
      const end = Number(files[files.length - 1]!.f.metadata.endoffset);
      if (Number.isSafeInteger(end) && end + 1 > firstOffset) {
        resume = end + 1;
        seekTo = resume;
      }
    }
    const landed = files.filter((x) => x.p.startOffset < resume);
    const stale = new Map<number, string[]>();
    for (const x of files) if (x.p.startOffset >= resume) stale.set(x.p.startOffset, [...(stale.get(x.p.startOffset) ?? []), x.f.name]);
    let dedupe: PartitionDeduper | undefined;
    if (this.opts.dedupe) {
      const rec = new DedupeRecovery();
      for (let i = landed.length - 1; i >= 0; i--) {
        if (!rec.add(await this.store.read(landed[i]!.f.name))) break;
      }
      this.metrics.recovery_files_read += rec.filesRead;
      dedupe = new PartitionDeduper(rec.result());
    }
    this.metrics.recoveries++;
    this.states.set(key(topic, partition), {
      topic,
      partition,
      dedupe,
      open: undefined,
      next: resume,
      committed: committed ?? -1,
      stale,
      pending: { dropped: 0, tombstones: 0 },
    });
    const hw = dedupe?.highWatermark;
    const result: AssignResult = {
      seekTo,
      resumeOffset: resume,
      landedFiles: landed.length,
      staleFiles: files.length - landed.length,
      highWatermark: hw ? formatPosition(hw) + describeSeen(hw.snapshot, dedupe!.snapshot().seenAtHw.length) : "none",
    };
    this.log.info(
      `assigned ${topic}[${partition}]: resume at offset ${resume}${committed === null ? " (no committed offset" + (seekTo !== undefined ? ", after the lake's last file)" : ")") : " (committed)"}, ` +
        `${result.landedFiles} landed file(s), ${result.staleFiles} uncommitted file(s) to rewrite, dedupe high watermark ${result.highWatermark}`,
    );
    return result;
  }

  /**
   * Process records of one partition in offset order (records below the resume point are
   * ignored). Returns the last processed offset (for the consumer's in-memory position), or
   * undefined when none was processed. Throws when a file cannot be landed; state stays consistent
   * (the record that triggered the close is not processed).
   */
  async process(topic: string, partition: number, records: readonly SinkRecord[], keepGoing: () => boolean = () => true): Promise<number | undefined> {
    const st = this.states.get(key(topic, partition));
    if (!st) throw new Error(`${topic}[${partition}] is not assigned`);
    let last: number | undefined;
    for (const r of records) {
      if (r.offset < st.next) continue;
      if (!keepGoing()) break;
      await this.processOne(st, r);
      last = r.offset;
    }
    this.updateOpenMetrics();
    return last;
  }

  private async processOne(st: PartitionState, r: SinkRecord): Promise<void> {
    if (r.undecodable) return this.reject(st, r, r.undecodable.reason, r.undecodable.bytes);
    let pv: ParsedValue;
    let line: string;
    try {
      pv = parseValue(r.value, r.key);
      if (pv.kind === "tombstone") {
        this.metrics.records++;
        this.metrics.tombstones++;
        st.pending.tombstones++;
        st.next = r.offset + 1;
        return;
      }
      // Valid JSON can hold raw line breaks only as whitespace between tokens: replacing them
      // keeps the exact text of every value (numbers are not re-serialised).
      line = pv.kind === "non-json" ? JSON.stringify(r.value) : /[\r\n]/.test(r.value!) ? r.value!.replace(/[\r\n]+/g, " ") : r.value!;
    } catch (e) {
      // e.g. RangeError: Invalid string length (a huge non-JSON value doubled by escaping)
      return this.reject(st, r, `value cannot be written as a JSON line: ${e instanceof Error ? e.message : String(e)}`, Buffer.from(r.value ?? "", "utf8"));
    }
    if (pv.kind === "json" && st.dedupe && pv.identity && st.dedupe.isDuplicate(pv.identity)) {
      this.metrics.records++;
      this.metrics.dropped_duplicates++;
      st.pending.dropped++;
      this.observer.dropped(st.topic, 1);
      this.log.debug(`duplicate dropped: ${st.topic}[${st.partition}]@${r.offset} ${formatPosition(pv.identity.position)} op=${pv.identity.op} id=${pv.identity.id}`);
      st.next = r.offset + 1;
      return;
    }
    let pathTs = r.timestamp;
    if (this.opts.pathTokens.length > 0 && !(Number.isSafeInteger(pathTs) && pathTs >= 0 && pathTs <= MAX_PATH_TIMESTAMP)) {
      // Kafka's -1 ("no timestamp"), or beyond year 9999: no directory to put it in. Placing it
      // deterministically (epoch 0) keeps it in the lake and re-processing stable.
      pathTs = 0;
      this.metrics.bad_timestamps++;
      this.observer.error("bad_timestamp");
      this.dataProblem(`${describeRecord(st.topic, st.partition, r)}: timestamp ${r.timestamp} is outside 0..${MAX_PATH_TIMESTAMP} (STORAGE_PATH_FORMAT needs it); landed under the time directories of 1970-01-01T00:00:00Z`);
    }
    const lineBytes = Buffer.byteLength(line) + 1;
    const timeDirs = formatTimeDirs(this.opts.pathTokens, pathTs);
    if (st.open) {
      const why = rotateBeforeAppend(st.open, r.timestamp, timeDirs, this.opts.rotation, lineBytes);
      if (why) await this.close(st, why);
    }
    const now = this.now();
    if (!st.open) {
      st.open = { startOffset: r.offset, firstTimestamp: r.timestamp, timeDirs, count: 0, lines: [], sourceTs: [], bytes: 0, openedAtWall: now, lastAppendWall: now };
    }
    const f = st.open;
    f.lines.push(line);
    if (pv.kind === "json" && pv.sourceTsMs !== undefined) f.sourceTs.push(pv.sourceTsMs);
    f.count++;
    f.bytes += lineBytes;
    f.lastAppendWall = now;
    this.metrics.records++;
    if (pv.kind === "non-json") this.metrics.non_json++;
    else if (!pv.identity) this.metrics.unpositioned++;
    else st.dedupe?.observe(pv.identity);
    st.next = r.offset + 1;
    const why = rotateAfterAppend(f, this.opts.rotation);
    if (why) await this.close(st, why);
  }

  private dataProblem(msg: string): void {
    this.dataProblems = { count: this.dataProblems.count + 1, lastAt: this.now(), last: msg };
    this.log.warn(msg);
  }

  /**
   * A record the sink cannot land: its raw bytes go to a dead-letter blob (deterministic name, so
   * re-processing overwrites it), and it is consumed like a tombstone (covered by the next commit).
   * Throws only when the dead-letter blob cannot be written (storage trouble: retried like a file).
   */
  private async reject(st: PartitionState, r: SinkRecord, reason: string, bytes: Buffer): Promise<void> {
    const name = rejectedBlobName(this.opts.topicsDir, st.topic, st.partition, r.offset);
    try {
      await this.store.put(name, bytes, {
        offset: String(r.offset),
        timestamp: String(r.timestamp),
        key: headerSafe(r.key ?? ""),
        keyisnull: String(r.key === null),
        reason: headerSafe(reason),
        writer: WRITER,
      });
    } catch (e) {
      this.metrics.upload_failures++;
      this.observer.error("upload");
      this.failingSince ??= this.now();
      throw new Error(`writing the rejected record ${describeRecord(st.topic, st.partition, r)} to ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.metrics.records++;
    this.metrics.rejected++;
    this.observer.error("rejected");
    st.next = r.offset + 1;
    this.dataProblem(`rejected ${describeRecord(st.topic, st.partition, r)}: ${reason}; raw value in ${name}`);
  }

  private async close(st: PartitionState, reason: RotateReason): Promise<void> {
    const f = st.open!;
    const end = st.next - 1;
    const name = blobName(this.opts.topicsDir, st.topic, st.partition, f.startOffset, f.timeDirs, FILE_EXT);
    const body = Buffer.from(f.lines.join("\n") + "\n", "utf8");
    const t0 = this.now();
    try {
      await this.store.put(name, body, {
        startoffset: String(f.startOffset),
        endoffset: String(end),
        records: String(f.count),
        droppedduplicates: String(st.pending.dropped),
        tombstones: String(st.pending.tombstones),
        firsttimestamp: String(f.firstTimestamp),
        writer: WRITER,
      });
    } catch (e) {
      this.metrics.upload_failures++;
      this.observer.error("upload");
      this.failingSince ??= this.now();
      throw new Error(`landing ${name} (${f.count} records, offsets ${f.startOffset}..${end}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const uploadedAt = this.now();
    const ms = uploadedAt - t0;
    // Uncommitted blobs from before the crash / rebalance that this file supersedes.
    for (const [start, names] of [...st.stale.entries()]) {
      if (start < f.startOffset || start > end) continue;
      for (const n of names) {
        if (n === name) continue;
        await this.store.delete(n);
        this.metrics.stale_blobs_deleted++;
        this.log.info(`deleted stale ${n} (inside offsets ${f.startOffset}..${end} of ${name})`);
      }
      st.stale.delete(start);
    }
    await this.commitOffset(st, st.next);
    this.failingSince = undefined;
    this.metrics.files++;
    this.metrics.written += f.count;
    this.metrics.bytes += body.length;
    this.metrics.upload_ms += ms;
    this.lastLandedAt = this.now();
    // Counted once committed: a file whose commit failed is landed again (same name) and counted then.
    this.observer.landed({
      topic: st.topic, partition: st.partition, records: f.count, startOffset: f.startOffset, endOffset: end,
      uploadMs: ms, landedAtMs: uploadedAt, sourceTimestampsMs: f.sourceTs,
    });
    this.log.info(
      `landed ${name} records=${f.count} offsets=${f.startOffset}..${end} dropped_duplicates=${st.pending.dropped} ` +
        `tombstones=${st.pending.tombstones} bytes=${body.length} reason=${reason} upload_ms=${ms}` +
        (st.dedupe?.highWatermark ? ` hw=${formatPosition(st.dedupe.highWatermark)}` : ""),
    );
    st.open = undefined;
    st.pending = { dropped: 0, tombstones: 0 };
  }

  private async commitOffset(st: PartitionState, next: number): Promise<void> {
    try {
      await this.commit(st.topic, st.partition, next);
    } catch (e) {
      this.metrics.commit_failures++;
      this.observer.error("commit");
      throw new Error(`committing ${st.topic}[${st.partition}] offset ${next} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    st.committed = next;
    this.metrics.commits++;
  }

  /** Timer: close idle / old files; commit offsets of records that were only skipped. */
  async tick(): Promise<void> {
    const now = this.now();
    for (const st of [...this.states.values()]) {
      try {
        if (st.open) {
          const why = rotateOnTimer(st.open, now, this.opts.rotation);
          if (why) await this.close(st, why);
        } else if (st.next > st.committed && st.next > 0) {
          await this.commitOffset(st, st.next);
          this.log.debug(`committed ${st.topic}[${st.partition}] offset ${st.next} (${st.pending.dropped} duplicates, ${st.pending.tombstones} tombstones since the last file)`);
        }
      } catch (e) {
        this.log.warn(`${e instanceof Error ? e.message : String(e)} (retrying)`);
      }
    }
    this.updateOpenMetrics();
  }

  /** Shutdown: land every open file and commit; throws on the first failure. */
  async flushAll(): Promise<void> {
    for (const st of [...this.states.values()]) {
      if (st.open) await this.close(st, "shutdown");
      else if (st.next > st.committed && st.next > 0) await this.commitOffset(st, st.next);
    }
    this.updateOpenMetrics();
  }

  private updateOpenMetrics(): void {
    let files = 0;
    let records = 0;
    for (const st of this.states.values()) {
      if (st.open) {
        files++;
        records += st.open.count;
      }
    }
    this.metrics.open_files = files;
    this.metrics.open_records = records;
  }
}
