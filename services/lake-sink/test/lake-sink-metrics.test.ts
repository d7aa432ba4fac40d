import { sourceTsMsOf } from "../src/position";
/**
 * The sink's counting: what the engine reports to its observer (landed files with their records'
 * commit times, dropped duplicates, failures), and what /metrics then shows (SinkMetrics, prom-client).
 */
import { LAKE_SINK_METRICS as M } from "@bridge-to-azure/service-kit";
import { EngineErrorKind, EngineObserver, LakeEngine, LandedFile, SinkRecord } from "../src/engine";
import { SinkMetrics } from "../src/metrics";
import { MemoryStore } from "../src/store";

const TOPIC = "dc01_sales_order_details";
const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/** A change committed at `commitMs` (Debezium's flattened __source_ts_ms). */
function change(offset: number, commitMs: number, id = offset, pos = 100 + offset): SinkRecord {
  return {
    offset,
    timestamp: commitMs + 5,
    key: JSON.stringify({ id }),
    value: JSON.stringify({ id, __op: "c", __source_ts_ms: commitMs, __source_file: "mysql-bin.000001", __source_pos: pos, __source_row: 0 }),
  };
}

class Recorder implements EngineObserver {
  readonly files: LandedFile[] = [];
  readonly dropped_: Array<[string, number]> = [];
  readonly errors: EngineErrorKind[] = [];
  landed(f: LandedFile): void {
    this.files.push(f);
  }
  dropped(topic: string, n: number): void {
    this.dropped_.push([topic, n]);
  }
  error(kind: EngineErrorKind): void {
    this.errors.push(kind);
  }
}

function engineWith(observer: EngineObserver, store: MemoryStore, clock: () => number, failCommit = false): LakeEngine {
  return new LakeEngine(
    { topicsDir: "topics", pathTokens: [], rotation: { flushSize: 3, rotateIntervalMs: 0, idleFlushMs: 5000, openFileMaxMs: 0, fileMaxBytes: 1 << 20 }, dedupe: true },
    store,
    async () => {
      if (failCommit) throw new Error("commit refused");
    },
    quiet,
    clock,
    observer,
  );
}

/** The value of one sample line of the exposition text, e.g. `name{topic="t"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("lake sink metrics", () => {
  test("GIVEN 3 changes committed 2.0/1.5/1.0 s before the upload completes WHEN the file lands THEN the observer gets the file with their commit times and the upload's end", async () => {
    const rec = new Recorder();
    let now = 1_800_000_000_000;
    const store = new MemoryStore();
    const engine = engineWith(rec, store, () => now);
    await engine.assign(TOPIC, 0, null, 0);
    // The third record fills the file (flushSize 3): the upload happens in that call.
    await engine.process(TOPIC, 0, [change(0, now - 2000), change(1, now - 1500), change(2, now - 1000)]);
    expect(rec.files).toHaveLength(1);
    const f = rec.files[0]!;
    expect(f).toMatchObject({ topic: TOPIC, partition: 0, records: 3, startOffset: 0, endOffset: 2, landedAtMs: now });
    expect(f.sourceTimestampsMs).toEqual([now - 2000, now - 1500, now - 1000]);
    expect(rec.errors).toEqual([]);
  });

  test("GIVEN a re-delivered change (same binlog position) WHEN processed THEN it is reported dropped, not landed", async () => {
    const rec = new Recorder();
    const now = 1_800_000_000_000;
    const engine = engineWith(rec, new MemoryStore(), () => now);
    await engine.assign(TOPIC, 0, null, 0);
    await engine.process(TOPIC, 0, [change(0, now - 100, 7, 500), change(1, now - 100, 7, 500), change(2, now - 50, 8, 501), change(3, now - 40, 9, 502)]);
    expect(rec.dropped_).toEqual([[TOPIC, 1]]);
    expect(rec.files.map((f) => f.records)).toEqual([3]);
  });

  test("GIVEN the storage refuses the upload WHEN a file closes THEN an upload error is reported and nothing counts as landed", async () => {
    const rec = new Recorder();
    const store = new MemoryStore();
    store.failPuts = new Error("503 server busy");
    const engine = engineWith(rec, store, () => 1_800_000_000_000);
    await engine.assign(TOPIC, 0, null, 0);
    await expect(engine.process(TOPIC, 0, [change(0, 1), change(1, 2), change(2, 3)])).rejects.toThrow(/503/);
    expect(rec.errors).toEqual(["upload"]);
    expect(rec.files).toEqual([]);
  });

  test("GIVEN the offset commit fails after the upload WHEN the file closes THEN a commit error is reported and the file is not counted (it lands again)", async () => {
    const rec = new Recorder();
    const engine = engineWith(rec, new MemoryStore(), () => 1_800_000_000_000, true);
    await engine.assign(TOPIC, 0, null, 0);
    await expect(engine.process(TOPIC, 0, [change(0, 1), change(1, 2), change(2, 3)])).rejects.toThrow(/commit refused/);
    expect(rec.errors).toEqual(["commit"]);
    expect(rec.files).toEqual([]);
  });

  test("GIVEN landed files WHEN /metrics is rendered THEN records, files, offsets, newest file and commit→lake latency per topic are there", async () => {
    const m = new SinkMetrics([TOPIC, "other_topic"]);
    const landedAt = 1_800_000_000_000;
    m.landed({ topic: TOPIC, partition: 0, records: 3, startOffset: 0, endOffset: 2, uploadMs: 40, landedAtMs: landedAt, sourceTimestampsMs: [landedAt - 2000, landedAt - 1500, landedAt - 80] });
    m.landed({ topic: TOPIC, partition: 0, records: 2, startOffset: 3, endOffset: 4, uploadMs: 20, landedAtMs: landedAt + 1000, sourceTimestampsMs: [landedAt + 900, landedAt + 950] });
    m.dropped(TOPIC, 2);
    m.error("upload");
    const { body, contentType } = await m.render();
    expect(contentType).toMatch(/^text\/plain/);
    const t = `{topic="${TOPIC}"}`;
    expect(sample(body, `${M.recordsLanded}${t}`)).toBe(5);
    expect(sample(body, `${M.filesLanded}${t}`)).toBe(2);
    expect(sample(body, `${M.recordsLanded}{topic="other_topic"}`)).toBe(0); // present before its first file
    expect(sample(body, `${M.lastLandedOffset}{topic="${TOPIC}",partition="0"}`)).toBe(4);
    expect(sample(body, `${M.newestFileTimestamp}${t}`)).toBe((landedAt + 1000) / 1000);
    expect(sample(body, `${M.dedupeDropped}${t}`)).toBe(2);
    expect(sample(body, `${M.errors}{kind="upload"}`)).toBe(1);
    expect(sample(body, `${M.errors}{kind="commit"}`)).toBe(0);
    // Latencies 2.0, 1.5, 0.08, 0.1, 0.05 s: 3 at or below 0.1 s, all 5 at or below 2 s.
    expect(sample(body, `${M.commitToLand}_count${t}`)).toBe(5);
    expect(sample(body, `${M.commitToLand}_bucket{le="0.1",topic="${TOPIC}"}`)).toBe(3);
    expect(sample(body, `${M.commitToLand}_bucket{le="1.5",topic="${TOPIC}"}`)).toBe(4);
    expect(sample(body, `${M.commitToLand}_bucket{le="2",topic="${TOPIC}"}`)).toBe(5);
    expect(sample(body, `${M.commitToLand}_sum${t}`)).toBeCloseTo(3.73, 6);
    expect(sample(body, `${M.uploadDuration}_count${t}`)).toBe(2);
  });
});

describe("commit time of a landed change", () => {
  test("GIVEN a latency probe row WHEN its commit time is read THEN it is the µs column, not the whole-second source.ts_ms", () => {
    expect(sourceTsMsOf({ id: 1, seq: 4, committed_at: 1764700000123456, __op: "u", __source_ts_ms: 1764700000000 })).toBe(1764700000123.456);
    expect(sourceTsMsOf({ id: 7, __op: "c", __source_ts_ms: 1764700000000 })).toBe(1764700000000);
  });
});
