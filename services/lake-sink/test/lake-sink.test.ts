import { configProblems } from "@bridge-to-azure/service-kit";
import { accountFromEndpoint, loadConfig, parseProperties } from "../src/config";
import { LakeEngine, SinkRecord } from "../src/engine";
import { checkHeartbeat, Heartbeat } from "../src/health";
import { blobName, formatTimeDirs, parseBlobName, parsePathFormat, PathToken } from "../src/paths";
import { compareBinlogFiles, comparePositions, DedupeRecovery, identityOf, PartitionDeduper, RecordIdentity, SourcePosition } from "../src/position";
import { rotateAfterAppend, rotateBeforeAppend, rotateOnTimer, RotationConfig } from "../src/rotation";
import { MemoryStore } from "../src/store";

// ---------------------------------------------------------------------------------------------
// paths
describe("lake-sink paths", () => {
  test("Confluent layout with a 10-digit start offset", () => {
    expect(blobName("topics", "cloud.dc01.orders.sales_orders", 0, 42, "", "json")).toBe(
      "topics/cloud.dc01.orders.sales_orders/partition=0/cloud.dc01.orders.sales_orders+0+0000000042.json",
    );
    expect(blobName("topics", "t", 3, 12345678901, "", "json")).toBe("topics/t/partition=3/t+3+12345678901.json");
  });

  test("time directories from the first record's timestamp, UTC, between partition and file", () => {
    const tokens = parsePathFormat("'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH") as PathToken[];
    expect(Array.isArray(tokens)).toBe(true);
    const ts = Date.UTC(2026, 0, 5, 3, 59, 59, 999); // 2026-01-05T03:59:59.999Z
    const dirs = formatTimeDirs(tokens, ts);
    expect(dirs).toBe("year=2026/month=01/day=05/hour=03");
    expect(blobName("topics", "t", 0, 7, dirs, "json")).toBe("topics/t/partition=0/year=2026/month=01/day=05/hour=03/t+0+0000000007.json");
    expect(formatTimeDirs(tokens, ts + 1)).toBe("year=2026/month=01/day=05/hour=04");
    expect(formatTimeDirs(parsePathFormat("yyyy-MM-dd") as PathToken[], ts)).toBe("2026-01-05");
  });

  test("bad path formats are rejected with the reason", () => {
    expect(parsePathFormat("'year=YYYY")).toEqual({ error: expect.stringContaining("unterminated quote") });
    expect(parsePathFormat("foo=YYYY")).toEqual({ error: expect.stringContaining("unsupported pattern letter 'f'") });
    expect(parsePathFormat("'y'=YY")).toEqual({ error: expect.stringContaining("use YYYY") });
    expect(parsePathFormat("/'y'=YYYY")).toEqual({ error: expect.stringContaining("must not start or end") });
    expect(parsePathFormat("YYYY//MM")).toEqual({ error: expect.stringContaining("empty directory") });
  });

  test("parseBlobName round-trips and ignores foreign names", () => {
    const n = blobName("topics", "a.b-c_d", 2, 99, "year=2026", "json");
    expect(parseBlobName("topics", n, "json")).toEqual({ topic: "a.b-c_d", partition: 2, startOffset: 99, timeDirs: "year=2026" });
    expect(parseBlobName("topics", "topics/t/partition=1/t+2+0000000001.json", "json")).toBeUndefined(); // partition mismatch
    expect(parseBlobName("topics", "topics/t/partition=1/t+1+1.json", "json")).toBeUndefined(); // not padded
    expect(parseBlobName("topics", "topics/t/partition=1/x+1+0000000001.json", "json")).toBeUndefined();
    expect(parseBlobName("other", n, "json")).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// positions and dedupe
const S = (file: string, pos: number, row = 0): SourcePosition => ({ file, pos, row, snapshot: false });
const R = (file: string, pos: number): SourcePosition => ({ file, pos, row: 0, snapshot: true });
const ident = (position: SourcePosition, id: number, op = position.snapshot ? "r" : "c"): RecordIdentity => ({ position, op, id: JSON.stringify(id) });

describe("lake-sink source positions", () => {
  test("binlog files compare by numeric suffix", () => {
    expect(compareBinlogFiles("mysql-bin.000009", "mysql-bin.000010")).toBeLessThan(0);
    expect(compareBinlogFiles("mysql-bin.999999", "mysql-bin.1000000")).toBeLessThan(0);
    expect(compareBinlogFiles("mysql-bin.000010", "mysql-bin.000010")).toBe(0);
    expect(compareBinlogFiles("b.000001", "a.000002")).toBeGreaterThan(0); // different base: lexicographic
  });

  test("order: file, pos, snapshot before change events, row", () => {
    expect(comparePositions(S("f.000001", 900), S("f.000002", 4))).toBeLessThan(0);
    expect(comparePositions(S("f.1", 100, 5), S("f.1", 200, 0))).toBeLessThan(0);
    expect(comparePositions(S("f.1", 100, 1), S("f.1", 100, 2))).toBeLessThan(0);
    expect(comparePositions(R("f.1", 100), S("f.1", 100, 0))).toBeLessThan(0);
    expect(comparePositions(R("f.1", 100), R("f.1", 100))).toBe(0);
  });

  test("identityOf reads the flattened Debezium fields", () => {
    expect(identityOf({ id: 7, __op: "u", __source_file: "mysql-bin.000003", __source_pos: 1234, __source_row: 1 }, null)).toEqual({
      position: { file: "mysql-bin.000003", pos: 1234, row: 1, snapshot: false },
      op: "u",
      id: "7",
    });
    expect(identityOf({ id: 7, __op: "r", __source_file: "mysql-bin.000003", __source_pos: 1234, __source_row: 0 }, null)?.position.snapshot).toBe(true);
    expect(identityOf({ id: 7, __op: "u" }, null)).toBeUndefined();
    expect(identityOf({ __op: "c", __source_file: "f.1", __source_pos: 1 }, '{"id":9}')?.id).toBe(JSON.stringify('{"id":9}'));
  });

  test("change events: keep only positions above the high watermark", () => {
    const d = new PartitionDeduper();
    const a = ident(S("f.1", 100, 0), 1);
    const b = ident(S("f.1", 100, 1), 2);
    const c = ident(S("f.1", 250, 0), 1);
    for (const r of [a, b, c]) {
      expect(d.isDuplicate(r)).toBe(false);
      d.observe(r);
    }
    expect(d.isDuplicate(a)).toBe(true);
    expect(d.isDuplicate(b)).toBe(true);
    expect(d.isDuplicate(c)).toBe(true); // equal = already landed
    expect(d.isDuplicate(ident(S("f.1", 250, 1), 3))).toBe(false);
    expect(d.isDuplicate(ident(S("f.2", 4, 0), 3))).toBe(false);
  });

  test("snapshot reads: identity (file, pos, id); a newer snapshot starts over; change events end it", () => {
    const d = new PartitionDeduper();
    const snap = R("f.1", 500);
    for (const id of [1, 2, 3]) {
      expect(d.isDuplicate(ident(snap, id))).toBe(false);
      d.observe(ident(snap, id));
    }
    expect(d.isDuplicate(ident(snap, 2))).toBe(true);
    expect(d.isDuplicate(ident(snap, 4))).toBe(false);
    expect(d.isDuplicate(ident(R("f.1", 400), 9))).toBe(true); // older snapshot
    const ev = ident(S("f.1", 500, 0), 1); // first change event at the snapshot position
    expect(d.isDuplicate(ev)).toBe(false);
    d.observe(ev);
    expect(d.isDuplicate(ident(snap, 4))).toBe(true); // the snapshot is over in this partition
    const resnap = R("f.1", 900); // re-snapshot later (when_needed): new data versions, kept
    expect(d.isDuplicate(ident(resnap, 1))).toBe(false);
    d.observe(ident(resnap, 1));
    expect(d.isDuplicate(ident(resnap, 1))).toBe(true);
    expect(d.isDuplicate(ident(resnap, 2))).toBe(false);
  });

  test("recovery from the lake: hw from the newest file; snapshot ids across files", () => {
    const line = (op: string, pos: number, id: number, row = 0) => JSON.stringify({ id, __op: op, __source_file: "f.000001", __source_pos: pos, __source_row: row });
    const rec = new DedupeRecovery();
    expect(rec.add([line("c", 700, 1), line("u", 800, 1, 2)].join("\n") + "\n")).toBe(false);
    expect(rec.result()).toEqual({ hw: S("f.000001", 800, 2), seenAtHw: ['"u" 1'] });

    const rec2 = new DedupeRecovery();
    // newest first: two files of the same snapshot, then a file that ends an older stream
    expect(rec2.add([line("r", 500, 3), line("r", 500, 4)].join("\n"))).toBe(true);
    expect(rec2.add(["", line("r", 500, 1), line("r", 500, 2)].join("\n"))).toBe(true);
    expect(rec2.add([line("c", 300, 9), line("r", 500, 0)].join("\n"))).toBe(false);
    const r = rec2.result();
    expect(r.hw).toEqual(R("f.000001", 500));
    expect(r.seenAtHw.sort()).toEqual(['"r" 0', '"r" 1', '"r" 2', '"r" 3', '"r" 4']);
    const d = new PartitionDeduper(r);
    expect(d.isDuplicate(ident(R("f.000001", 500), 2))).toBe(true);
    expect(d.isDuplicate(ident(R("f.000001", 500), 5))).toBe(false);

    const rec3 = new DedupeRecovery();
    expect(rec3.add('"not positioned"\n')).toBe(true); // keeps looking further back
    expect(rec3.result().hw).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// rotation
describe("lake-sink rotation", () => {
  const cfg: RotationConfig = { flushSize: 3, rotateIntervalMs: 1000, idleFlushMs: 5000, openFileMaxMs: 60000, fileMaxBytes: 1000 };
  const f = (over: Partial<{ count: number; bytes: number; firstTimestamp: number; timeDirs: string; openedAtWall: number; lastAppendWall: number }> = {}) => ({
    count: 1, bytes: 10, firstTimestamp: 10000, timeDirs: "", openedAtWall: 0, lastAppendWall: 0, ...over,
  });
  test("record count", () => {
    expect(rotateAfterAppend(f({ count: 2 }), cfg)).toBeNull();
    expect(rotateAfterAppend(f({ count: 3 }), cfg)).toBe("size");
  });
  test("record time: closes when ts >= first + interval (the record starts the next file)", () => {
    expect(rotateBeforeAppend(f(), 10999, "", cfg)).toBeNull();
    expect(rotateBeforeAppend(f(), 11000, "", cfg)).toBe("time");
    expect(rotateBeforeAppend(f(), 5000, "", cfg)).toBeNull(); // earlier timestamps stay
    expect(rotateBeforeAppend(f(), 999999, "", { ...cfg, rotateIntervalMs: 0 })).toBeNull();
    expect(rotateBeforeAppend(f(), 10001, "hour=01", cfg)).toBe("path");
    expect(rotateBeforeAppend(f({ count: 0 }), 999999, "x", cfg)).toBeNull();
  });
  test("bytes: a line that would take the file past FILE_MAX_BYTES starts the next file; an oversize record gets a file of its own", () => {
    expect(rotateBeforeAppend(f({ bytes: 900 }), 10001, "", cfg, 100)).toBeNull(); // exactly the limit
    expect(rotateBeforeAppend(f({ bytes: 900 }), 10001, "", cfg, 101)).toBe("bytes");
    expect(rotateBeforeAppend(f({ count: 0, bytes: 0 }), 10001, "", cfg, 5000)).toBeNull(); // alone in a new file
  });
  test("idle and age (wall clock)", () => {
    expect(rotateOnTimer(f({ lastAppendWall: 1000 }), 5999, cfg)).toBeNull();
    expect(rotateOnTimer(f({ lastAppendWall: 1000 }), 6000, cfg)).toBe("idle");
    expect(rotateOnTimer(f({ lastAppendWall: 59000 }), 60000, cfg)).toBe("age");
    expect(rotateOnTimer(f({ lastAppendWall: 59000 }), 60000, { ...cfg, openFileMaxMs: 0 })).toBeNull();
    expect(rotateOnTimer(f({ count: 0 }), 1e9, cfg)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// config
const files: Record<string, string> = {
  "/run/secrets/lake-sink/kafka.properties": "# creds\nusername=sink\npassword=p=ss word\n",
  "/run/secrets/lake-sink/ca.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
  "/run/secrets/lake-sink/storage-key": "c2VjcmV0LWtleS1mb3ItdGVzdHM=\n",
  "/run/secrets/lake-sink/sas": "?sv=2024-01-01&sp=racwdl&sig=abc%3D\n",
  "/empty": "",
};
const readFile = (p: string): string => {
  if (p in files) return files[p]!;
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
};
const BASE = {
  KAFKA_BROKERS: "127.0.0.1:49092",
  KAFKA_TOPICS: "cloud.dc01.orders.sales_orders,cloud.dc01.orders.sales_order_details",
  KAFKA_CA_FILE: "/run/secrets/lake-sink/ca.pem",
  STORAGE_BLOB_ENDPOINT: "http://127.0.0.1:10000/devstoreaccount1",
  STORAGE_KEY_FILE: "/run/secrets/lake-sink/storage-key",
};
const problems = (env: Record<string, string | undefined>): string[] => configProblems(() => loadConfig(env, readFile));

describe("lake-sink config", () => {
  test("defaults", () => {
    const c = loadConfig(BASE, readFile);
    expect(c.kafka).toMatchObject({ groupId: "lake-sink", security: "sasl_ssl", username: "sink", password: "p=ss word", fromBeginning: true });
    expect(c.kafka.topics).toHaveLength(2);
    expect(c.storage).toMatchObject({ endpoint: "http://127.0.0.1:10000/devstoreaccount1", account: "devstoreaccount1", filesystem: "orders", topicsDir: "topics", pathFormat: "" });
    expect(c.storage.auth).toEqual({ kind: "shared-key", keyFile: "/run/secrets/lake-sink/storage-key", key: "c2VjcmV0LWtleS1mb3ItdGVzdHM=" });
    expect(c.rotation).toEqual({ flushSize: 1000, rotateIntervalMs: 0, idleFlushMs: 5000, openFileMaxMs: 60000, fileMaxBytes: 16777216 });
    expect(c.kafka).toMatchObject({ sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 });
    expect(c.dedupe).toBe(true);
  });

  test("plaintext needs no credentials; SAS and managed identity", () => {
    const p = loadConfig({ ...BASE, KAFKA_SECURITY: "plaintext", KAFKA_CREDENTIALS_FILE: "/nope" }, readFile);
    expect(p.kafka.security).toBe("plaintext");
    const sas = loadConfig({ ...BASE, STORAGE_KEY_FILE: undefined, STORAGE_SAS_FILE: "/run/secrets/lake-sink/sas" }, readFile);
    expect(sas.storage.auth).toEqual({ kind: "sas", sasFile: "/run/secrets/lake-sink/sas", sas: "sv=2024-01-01&sp=racwdl&sig=abc%3D" });
    const mi = loadConfig({ ...BASE, STORAGE_KEY_FILE: undefined, STORAGE_AUTH: "managed-identity", STORAGE_BLOB_ENDPOINT: "https://lakeacct.blob.core.windows.net/" }, readFile);
    expect(mi.storage).toMatchObject({ endpoint: "https://lakeacct.blob.core.windows.net", account: "lakeacct", auth: { kind: "managed-identity" } });
  });

  test("every problem names variable, value and rule, all at once", () => {
    const ps = problems({
      KAFKA_TOPICS: "ok,bad topic",
      KAFKA_SECURITY: "ssl",
      STORAGE_BLOB_ENDPOINT: "http://10.1.2.3:10000/devstoreaccount1",
      STORAGE_KEY_FILE: "/empty",
      FLUSH_SIZE: "0",
      STORAGE_FILESYSTEM: "Orders",
      STORAGE_PATH_FORMAT: "foo=YYYY",
    });
    const joined = ps.join("\n");
    expect(joined).toContain('KAFKA_BROKERS=(unset): is required');
    expect(joined).toContain('KAFKA_TOPICS="ok,bad topic": topic names must match');
    expect(joined).toContain('KAFKA_SECURITY="ssl": must be sasl_ssl or plaintext');
    expect(joined).toContain('STORAGE_BLOB_ENDPOINT="http://10.1.2.3:10000/devstoreaccount1": http is only allowed for loopback hosts');
    expect(joined).toContain('STORAGE_KEY_FILE="/empty": the file is empty');
    expect(joined).toContain('FLUSH_SIZE="0": must be an integer between 1 and 1000000');
    expect(joined).toContain('STORAGE_FILESYSTEM="Orders": must be 3..63 characters');
    expect(joined).toContain("STORAGE_PATH_FORMAT=\"foo=YYYY\": unsupported pattern letter 'f'");
  });

  test("secrets only from files; exactly one storage credential", () => {
    expect(problems({ ...BASE, KAFKA_PASSWORD: "x" }).join()).toContain("KAFKA_PASSWORD is set");
    expect(problems({ ...BASE, STORAGE_KEY: "x" }).join()).toContain("STORAGE_KEY is set");
    expect(problems({ ...BASE, STORAGE_SAS_FILE: "/run/secrets/lake-sink/sas" }).join()).toContain("configure exactly one of");
    expect(problems({ ...BASE, STORAGE_KEY_FILE: undefined }).join()).toContain("configure exactly one of");
    expect(problems({ ...BASE, KAFKA_CREDENTIALS_FILE: "/missing" }).join()).toContain('KAFKA_CREDENTIALS_FILE="/missing": must name a readable file (ENOENT)');
    expect(problems({ ...BASE, KAFKA_CA_FILE: "/run/secrets/lake-sink/storage-key" }).join()).toContain("must contain at least one PEM certificate");
    expect(problems({ ...BASE, STORAGE_KEY_FILE: undefined, STORAGE_AUTH: "managed-identity" }).join()).toContain("managed-identity needs an https endpoint");
  });

  test("properties and account helpers", () => {
    expect([...parseProperties("a=1\n! c\n  b : two words \nc=x=y\n")]).toEqual([["a", "1"], ["b", "two words"], ["c", "x=y"]]);
    expect(accountFromEndpoint(new URL("https://acct1.blob.core.windows.net"))).toBe("acct1");
    expect(accountFromEndpoint(new URL("http://127.0.0.1:10000/devstoreaccount1"))).toBe("devstoreaccount1");
    expect(accountFromEndpoint(new URL("http://127.0.0.1:10000"))).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// health
describe("lake-sink health", () => {
  const now = Date.parse("2026-01-01T00:01:00Z");
  const hb = (over: Partial<Heartbeat> = {}): Heartbeat =>
    ({ state: "running", maxAgeMs: 30000, writtenAt: "2026-01-01T00:00:59Z", lastFetchAt: "2026-01-01T00:00:58Z", failingSince: null, files: 2, records: 10, ...over } as Heartbeat);
  test("healthy while fetching; unhealthy when stale, stopping or failing too long", () => {
    expect(checkHeartbeat(hb(), now).healthy).toBe(true);
    expect(checkHeartbeat(hb({ lastFetchAt: "2026-01-01T00:00:00Z" }), now)).toEqual({ healthy: false, status: "unhealthy", reason: expect.stringContaining("no fetch from Kafka") });
    expect(checkHeartbeat(hb({ state: "stopping" }), now).healthy).toBe(false);
    expect(checkHeartbeat(hb({ failingSince: "2026-01-01T00:00:50Z" }), now).healthy).toBe(true);
    expect(checkHeartbeat(hb({ failingSince: "2026-01-01T00:00:10Z" }), now).healthy).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// engine: exactly once in the lake
const TOPIC = "cloud.dc01.orders.sales_orders";
const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/** A Debezium-like stream: offsets 0.., change events with increasing binlog positions. */
function row(offset: number, pos: number, id: number, op = "c", ts = 1_700_000_000_000 + offset * 10): SinkRecord {
  return { offset, timestamp: ts, key: JSON.stringify({ id }), value: JSON.stringify({ id, qty: offset, __op: op, __source_ts_ms: ts, __source_file: "mysql-bin.000003", __source_pos: pos, __source_row: 0 }) };
}

interface Harness {
  engine: LakeEngine;
  commits: Array<[number, number]>;
  committed: () => number | null;
}
function harness(store: MemoryStore, state: { committed: number | null }, opts: Partial<RotationConfig> = {}, crashOnCommit?: number, clock?: () => number): Harness {
  const commits: Array<[number, number]> = [];
  let n = 0;
  const engine = new LakeEngine(
    { topicsDir: "topics", pathTokens: [], rotation: { flushSize: 4, rotateIntervalMs: 0, idleFlushMs: 5000, openFileMaxMs: 0, fileMaxBytes: 1 << 20, ...opts }, dedupe: true },
    store,
    async (_t, p, next) => {
      n++;
      if (crashOnCommit !== undefined && n === crashOnCommit) throw new Error("simulated crash before commit");
      commits.push([p, next]);
      state.committed = next;
    },
    quiet,
    clock,
  );
  return { engine, commits, committed: () => state.committed };
}

/** Lake content of a partition: [startOffset, values[]] sorted, plus overlap check. */
function lake(store: MemoryStore): Array<{ name: string; start: number; end: number; ids: number[]; qtys: number[] }> {
  return [...store.blobs.entries()]
    .filter(([n]) => n.startsWith(`topics/${TOPIC}/partition=0/`))
    .map(([name, b]) => {
      const vals = b.body.trim().split("\n").map((l) => JSON.parse(l) as { id: number; qty: number });
      return { name, start: Number(b.metadata.startoffset), end: Number(b.metadata.endoffset), ids: vals.map((v) => v.id), qtys: vals.map((v) => v.qty) };
    })
    .sort((a, b) => a.start - b.start);
}
function assertNoOverlap(files: ReturnType<typeof lake>): void {
  for (let i = 1; i < files.length; i++) expect(files[i]!.start).toBeGreaterThan(files[i - 1]!.end);
}

describe("lake-sink engine", () => {
  test("files by count, tombstones skipped, duplicates dropped, commit only after the blob exists", async () => {
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const h = harness(store, st);
    await h.engine.assign(TOPIC, 0, null, 0);
    const recs: SinkRecord[] = [
      row(0, 100, 1), row(1, 200, 2),
      { offset: 2, timestamp: 1, key: '{"id":2}', value: null }, // tombstone
      row(3, 300, 3),
      row(4, 200, 2), // re-delivered by MirrorMaker: same change again
      row(5, 400, 4), row(6, 500, 5),
    ];
    await h.engine.process(TOPIC, 0, recs);
    const files = lake(store);
    expect(files.map((f) => f.name)).toEqual([`topics/${TOPIC}/partition=0/${TOPIC}+0+0000000000.json`]);
    expect(files[0]).toMatchObject({ start: 0, end: 5, ids: [1, 2, 3, 4] });
    expect(store.blobs.get(files[0]!.name)!.metadata).toMatchObject({ droppedduplicates: "1", tombstones: "1", records: "4" });
    expect(h.commits).toEqual([[0, 6]]);
    expect(h.engine.metrics).toMatchObject({ dropped_duplicates: 1, tombstones: 1, written: 4, open_records: 1 });
    await h.engine.flushAll();
    expect(lake(store).map((f) => [f.start, f.end, f.ids])).toEqual([[0, 5, [1, 2, 3, 4]], [6, 6, [5]]]);
    expect(h.commits).toEqual([[0, 6], [0, 7]]);
  });

  test("crash after the upload, before the commit: re-processing overwrites the same blob with a superset; no overlap, no loss, no duplicate", async () => {
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    // offsets 0..9 available; the 2nd commit (file starting at 4) "crashes"
    const first = Array.from({ length: 10 }, (_, i) => row(i, 100 * (i + 1), i));
    const a = harness(store, st, {}, 2);
    await a.engine.assign(TOPIC, 0, null, 0);
    await expect(a.engine.process(TOPIC, 0, first)).rejects.toThrow("simulated crash before commit");
    expect(st.committed).toBe(4);
    const crashedName = `topics/${TOPIC}/partition=0/${TOPIC}+0+0000000004.json`;
    expect(lake(store).map((f) => [f.start, f.ids])).toEqual([[0, [0, 1, 2, 3]], [4, [4, 5, 6, 7]]]);

    // Restart: 6 more records arrived meanwhile, plus re-deliveries of offsets 2 and 5 (upstream crash).
    const more = [
      ...Array.from({ length: 6 }, (_, i) => row(10 + i, 100 * (11 + i), 10 + i)),
      { ...row(16, 300, 2), offset: 16 },
      { ...row(17, 600, 5), offset: 17 },
      row(18, 1800, 18),
    ];
    const b = harness(store, st);
    const r = await b.engine.assign(TOPIC, 0, st.committed, 4);
    expect(r).toMatchObject({ seekTo: undefined, resumeOffset: 4, landedFiles: 1, staleFiles: 1 });
    const putsBefore = store.puts;
    await b.engine.process(TOPIC, 0, [...first.slice(4), ...more]);
    await b.engine.flushAll();
    const files = lake(store);
    assertNoOverlap(files);
    expect(files.map((f) => [f.start, f.ids])).toEqual([
      [0, [0, 1, 2, 3]],
      [4, [4, 5, 6, 7]], // rewritten under the same name
      [8, [8, 9, 10, 11]],
      [12, [12, 13, 14, 15]],
      [18, [18]],
    ]);
    expect(store.puts - putsBefore).toBe(4);
    expect(files.find((f) => f.name === crashedName)).toBeDefined();
    const all = files.flatMap((f) => f.ids);
    expect(all).toEqual([...Array.from({ length: 16 }, (_, i) => i), 18]);
    expect(new Set(all).size).toBe(all.length);
    expect(b.engine.metrics.dropped_duplicates).toBe(2);
    expect(st.committed).toBe(19);
  });

  test("a sink restart recovers the dedupe state from the lake (re-delivered rows stay dropped)", async () => {
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const a = harness(store, st);
    await a.engine.assign(TOPIC, 0, null, 0);
    await a.engine.process(TOPIC, 0, [row(0, 100, 1), row(1, 200, 2), row(2, 300, 3), row(3, 400, 4)]);
    expect(st.committed).toBe(4);
    // new process, nothing in memory: Connect re-delivered the changes at 300 and 400 again
    const b = harness(store, st);
    const r = await b.engine.assign(TOPIC, 0, st.committed, 4);
    expect(r.highWatermark).toBe("mysql-bin.000003:400:0");
    await b.engine.process(TOPIC, 0, [row(4, 300, 3), row(5, 400, 4), row(6, 500, 5)]);
    await b.engine.flushAll();
    expect(lake(store).map((f) => [f.start, f.end, f.ids])).toEqual([[0, 3, [1, 2, 3, 4]], [6, 6, [5]]]);
    expect(b.engine.metrics.dropped_duplicates).toBe(2);
  });

  test("snapshot rows: MirrorMaker re-delivery of a snapshot is dropped after a restart (ids recovered across files)", async () => {
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const snap = (offset: number, id: number) => row(offset, 777, id, "r");
    const a = harness(store, st);
    await a.engine.assign(TOPIC, 0, null, 0);
    await a.engine.process(TOPIC, 0, Array.from({ length: 8 }, (_, i) => snap(i, i + 1)));
    const b = harness(store, st);
    await b.engine.assign(TOPIC, 0, st.committed, 8);
    await b.engine.process(TOPIC, 0, [snap(8, 2), snap(9, 7), snap(10, 9), row(11, 800, 1, "u")]);
    await b.engine.flushAll();
    expect(lake(store).map((f) => f.ids)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 1]]);
    expect(b.engine.metrics.dropped_duplicates).toBe(2);
  });

  test("no committed offset (group offsets expired): resume after the lake's last file", async () => {
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const a = harness(store, st);
    await a.engine.assign(TOPIC, 0, null, 0);
    await a.engine.process(TOPIC, 0, [row(0, 100, 1), row(1, 200, 2), row(2, 300, 3), row(3, 400, 4), { offset: 4, timestamp: 0, key: null, value: null }]);
    await a.engine.flushAll();
    const b = harness(store, { committed: null });
    const r = await b.engine.assign(TOPIC, 0, null, 0);
    // the file [0..3] ends at 3; the trailing tombstone (4) is simply read again
    expect(r).toMatchObject({ seekTo: 4, landedFiles: 1, staleFiles: 0, highWatermark: "mysql-bin.000003:400:0" });
  });

  test("rotation by record time and idle flush; an uncommitted stale file inside a new file's range is deleted", async () => {
    let now = 0;
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const t0 = 1_700_000_000_000;
    const a = harness(store, st, { flushSize: 100, rotateIntervalMs: 1000 }, 3, () => now);
    await a.engine.assign(TOPIC, 0, null, 0);
    await a.engine.process(TOPIC, 0, [row(0, 100, 0, "c", t0), row(1, 200, 1, "c", t0 + 999), row(2, 300, 2, "c", t0 + 1000), row(3, 400, 3, "c", t0 + 1500)]);
    expect(lake(store).map((f) => [f.start, f.ids])).toEqual([[0, [0, 1]]]);
    now = 4999;
    await a.engine.tick();
    expect(lake(store)).toHaveLength(1);
    now = 6500;
    await a.engine.tick(); // idle flush of [2, 3]
    expect(lake(store).map((f) => [f.start, f.ids])).toEqual([[0, [0, 1]], [2, [2, 3]]]);
    await a.engine.process(TOPIC, 0, [row(4, 500, 4, "c", t0 + 1600)]);
    now = 20000;
    await a.engine.tick(); // idle flush of [4]: the 3rd commit "crashes"
    expect(lake(store).map((f) => [f.start, f.ids])).toEqual([[0, [0, 1]], [2, [2, 3]], [4, [4]]]);
    expect(st.committed).toBe(4);
    // [2,3] was committed (commit 2), [4] landed but not committed. Re-processing with the
    // backlog available rewrites the file from offset 4 on (time rotation from t0+1600).
    const b = harness(store, st, { flushSize: 100, rotateIntervalMs: 1000 }, undefined, () => now);
    await b.engine.assign(TOPIC, 0, st.committed, 4);
    await b.engine.process(TOPIC, 0, [row(4, 500, 4, "c", t0 + 1600), row(5, 600, 5, "c", t0 + 1700), row(6, 700, 6, "c", t0 + 2600)]);
    await b.engine.flushAll();
    expect(lake(store).map((f) => [f.start, f.ids])).toEqual([[0, [0, 1]], [2, [2, 3]], [4, [4, 5]], [6, [6]]]);
    assertNoOverlap(lake(store));
  });

  test("stale blobs from a different split are deleted, not left overlapping", async () => {
    const store = new MemoryStore();
    const st = { committed: 0 as number | null };
    // an earlier run landed (but never committed) two small idle-flushed files: [0..1] and [2..3]
    const a = harness(store, { committed: null }, { flushSize: 2 });
    await a.engine.assign(TOPIC, 0, null, 0);
    await a.engine.process(TOPIC, 0, [row(0, 100, 0), row(1, 200, 1), row(2, 300, 2), row(3, 400, 3)]);
    expect(lake(store)).toHaveLength(2);
    // the group's committed offset is still 0 (commits lost); re-processing with FLUSH_SIZE 4
    const b = harness(store, st, { flushSize: 4 });
    const r = await b.engine.assign(TOPIC, 0, 0, 0);
    expect(r.staleFiles).toBe(2);
    await b.engine.process(TOPIC, 0, [row(0, 100, 0), row(1, 200, 1), row(2, 300, 2), row(3, 400, 3)]);
    expect(lake(store).map((f) => [f.start, f.ids])).toEqual([[0, [0, 1, 2, 3]]]);
    expect(b.engine.metrics.stale_blobs_deleted).toBe(1);
  });

  test("a failed upload commits nothing and is retried", async () => {
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const h = harness(store, st, { flushSize: 2 });
    await h.engine.assign(TOPIC, 0, null, 0);
    store.failPuts = new Error("503 ServerBusy");
    await expect(h.engine.process(TOPIC, 0, [row(0, 100, 0), row(1, 200, 1)])).rejects.toThrow("503 ServerBusy");
    expect(st.committed).toBeNull();
    expect(h.engine.failingSince).toBeDefined();
    store.failPuts = undefined;
    await h.engine.flushAll();
    expect(lake(store).map((f) => f.ids)).toEqual([[0, 1]]);
    expect(st.committed).toBe(2);
    expect(h.engine.failingSince).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// engine: primary-key changes (Debezium: delete old key, tombstone, create new key, one position)
/** A flattened Debezium row at an explicit binlog position. */
function ev(offset: number, op: string, id: number, pos: number, srcRow = 0): SinkRecord {
  const value: Record<string, unknown> = { id, qty: offset, __op: op, __source_ts_ms: 1_700_000_000_000, __source_file: "mysql-bin.000003", __source_pos: pos, __source_row: srcRow };
  if (op === "d") value.__deleted = "true";
  return { offset, timestamp: 1_700_000_000_000 + offset, key: String(id), value: JSON.stringify(value) };
}
const tomb = (offset: number, id: number): SinkRecord => ({ offset, timestamp: 1_700_000_000_000 + offset, key: String(id), value: null });
/** UPDATE ... SET id = newId WHERE id = oldId as Debezium emits it: d(old), tombstone(old), c(new). */
const keyChange = (offset: number, oldId: number, newId: number, pos: number, srcRow = 0): SinkRecord[] => [
  ev(offset, "d", oldId, pos, srcRow), tomb(offset + 1, oldId), ev(offset + 2, "c", newId, pos, srcRow),
];
/** Every landed row of partition 0 as "op:id", in offset order. */
function landedOps(store: MemoryStore): string[] {
  return lake(store).flatMap((f) => store.blobs.get(f.name)!.body.trim().split("\n").map((l) => { const v = JSON.parse(l) as { __op: string; id: number }; return `${v.__op}:${v.id}`; }));
}

describe("lake-sink duplicate rule: events sharing one source position", () => {
  test("GIVEN hw at a position WHEN another (op, id) arrives at the same position THEN it is kept; the same (op, id) again is dropped", () => {
    const d = new PartitionDeduper();
    const del = ident(S("f.1", 200, 0), 1, "d");
    const cre = ident(S("f.1", 200, 0), 1001, "c");
    expect(d.isDuplicate(del)).toBe(false);
    d.observe(del);
    expect(d.isDuplicate(cre)).toBe(false); // the create of the key change: not a duplicate
    d.observe(cre);
    expect(d.isDuplicate(del)).toBe(true);
    expect(d.isDuplicate(cre)).toBe(true);
    expect(d.isDuplicate(ident(S("f.1", 200, 0), 1, "c"))).toBe(false); // identity = (op, id), not id alone
    expect(d.isDuplicate(ident(S("f.1", 199, 5), 7, "u"))).toBe(true); // below hw
    d.observe(ident(S("f.1", 200, 1), 2, "d")); // next row of the event: a new set
    expect(d.snapshot()).toEqual({ hw: S("f.1", 200, 1), seenAtHw: ['"d" 2'] });
    expect(d.isDuplicate(cre)).toBe(true); // row 0 is below hw now
  });

  test("GIVEN files ending with a key change split across them WHEN recovering THEN both identities at hw are rebuilt", () => {
    const line = (op: string, pos: number, id: number, row = 0) => JSON.stringify({ id, __op: op, __source_file: "f.000001", __source_pos: pos, __source_row: row });
    const rec = new DedupeRecovery();
    expect(rec.add(line("c", 200, 1001) + "\n")).toBe(true); // newest file: only the create, at hw
    expect(rec.add([line("c", 100, 5), line("d", 200, 1)].join("\n"))).toBe(false); // holds something older: done
    expect(rec.filesRead).toBe(2);
    expect(rec.result()).toEqual({ hw: S("f.000001", 200), seenAtHw: expect.arrayContaining(['"c" 1001', '"d" 1']) });
    expect(rec.result().seenAtHw).toHaveLength(2);
  });
});

describe("lake-sink engine: primary-key updates land exactly once", () => {
  test("GIVEN a key change in live consumption WHEN processed THEN the delete and the create both land, nothing dropped", async () => {
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const h = harness(store, st, { flushSize: 100 });
    await h.engine.assign(TOPIC, 0, null, 0);
    await h.engine.process(TOPIC, 0, [ev(0, "c", 1, 100), ...keyChange(1, 1, 1001, 200), ev(4, "c", 2, 300)]);
    await h.engine.flushAll();
    expect(landedOps(store)).toEqual(["c:1", "d:1", "c:1001", "c:2"]);
    expect(h.engine.metrics).toMatchObject({ dropped_duplicates: 0, tombstones: 1, written: 4 });
    expect(st.committed).toBe(5);
  });

  test("GIVEN the crash falls between the delete (landed, committed) and the create WHEN the sink restarts THEN the create lands (state rebuilt from the lake)", async () => {
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const a = harness(store, st, { flushSize: 2 });
    await a.engine.assign(TOPIC, 0, null, 0);
    const stream = [ev(0, "c", 1, 100), ...keyChange(1, 1, 1001, 200), ev(4, "c", 2, 300)];
    await a.engine.process(TOPIC, 0, stream.slice(0, 2)); // [c:1, d:1] lands as one file; then the process dies
    expect(st.committed).toBe(2);
    expect(landedOps(store)).toEqual(["c:1", "d:1"]);

    const b = harness(store, st, { flushSize: 2 });
    const r = await b.engine.assign(TOPIC, 0, st.committed, 2);
    expect(r.highWatermark).toBe("mysql-bin.000003:200:0");
    await b.engine.process(TOPIC, 0, stream.slice(2));
    await b.engine.flushAll();
    expect(landedOps(store)).toEqual(["c:1", "d:1", "c:1001", "c:2"]);
    expect(b.engine.metrics.dropped_duplicates).toBe(0);
  });

  test("GIVEN a key change landed WHEN upstream re-delivers the whole pair, live and after a restart THEN neither half lands twice", async () => {
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const a = harness(store, st, { flushSize: 2 });
    await a.engine.assign(TOPIC, 0, null, 0);
    // [c:1, d:1] | [c:1001 …: the pair is split by a file boundary
    await a.engine.process(TOPIC, 0, [ev(0, "c", 1, 100), ...keyChange(1, 1, 1001, 200)]);
    // Connect re-sends the pair right away (same positions, new offsets): dropped live
    await a.engine.process(TOPIC, 0, keyChange(4, 1, 1001, 200));
    expect(a.engine.metrics.dropped_duplicates).toBe(2);
    await a.engine.flushAll(); // [c:1001] lands alone: the newest file holds nothing but hw
    expect(landedOps(store)).toEqual(["c:1", "d:1", "c:1001"]);

    const b = harness(store, st, { flushSize: 2 });
    const r = await b.engine.assign(TOPIC, 0, st.committed, st.committed!);
    expect(r.highWatermark).toBe("mysql-bin.000003:200:0 (2 events)");
    expect(b.engine.metrics.recovery_files_read).toBe(2); // read back across the file boundary
    await b.engine.process(TOPIC, 0, [...keyChange(7, 1, 1001, 200), ev(10, "c", 2, 300)]);
    await b.engine.flushAll();
    expect(landedOps(store)).toEqual(["c:1", "d:1", "c:1001", "c:2"]);
    expect(b.engine.metrics.dropped_duplicates).toBe(2);
  });

  test("GIVEN a multi-row UPDATE changing several keys in one binlog event WHEN processed, crashed mid-event and re-delivered THEN every pair lands once", async () => {
    // UPDATE sales_order_details SET id = id + 10 WHERE id IN (10, 11, 12): rows 0..2 of one event at 500
    const event = (offset: number) => [0, 1, 2].flatMap((row) => keyChange(offset + 3 * row, 10 + row, 20 + row, 500, row));
    const store = new MemoryStore();
    const st = { committed: null as number | null };
    const a = harness(store, st, { flushSize: 3 });
    await a.engine.assign(TOPIC, 0, null, 0);
    const first = event(0); // offsets 0..8
    await a.engine.process(TOPIC, 0, first.slice(0, 5)); // d:10 c:20 d:11 land as a file at offset 3; then the process dies
    expect(landedOps(store)).toEqual(["d:10", "c:20", "d:11"]);
    expect(st.committed).toBe(4); // the tombstone at 4 was consumed but not committed

    const b = harness(store, st, { flushSize: 3 });
    const r = await b.engine.assign(TOPIC, 0, st.committed, 4);
    expect(r.highWatermark).toBe("mysql-bin.000003:500:1"); // row 1: its delete landed, its create did not
    await b.engine.process(TOPIC, 0, first.slice(4)); // the rest of the event: c:21 d:12 c:22
    await b.engine.process(TOPIC, 0, event(9)); // upstream re-delivers the whole event
    await b.engine.flushAll();
    expect(landedOps(store)).toEqual(["d:10", "c:20", "d:11", "c:21", "d:12", "c:22"]);
    expect(b.engine.metrics.dropped_duplicates).toBe(6);
    expect(st.committed).toBe(18);
  });
});
