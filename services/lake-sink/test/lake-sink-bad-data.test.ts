/**
 * The lake sink never stops on a record's content: what it cannot land as it is goes to a
 * dead-letter blob (or is landed with a replaced timestamp), is logged with topic/partition/
 * offset/key and the reason, health turns "degraded", and consumption goes on.
 */
import { configProblems } from "@bridge-to-azure/service-kit";
import { loadConfig } from "../src/config";
import { describeRecord, LakeEngine, MAX_PATH_TIMESTAMP, rejectedBlobName, SinkRecord, toSinkRecord } from "../src/engine";
import { checkHeartbeat, DEGRADED_HOLD_MS, Heartbeat } from "../src/health";
import { parsePathFormat, PathToken } from "../src/paths";
import { DedupeRecovery, identityOf, parseValue } from "../src/position";
import { RotationConfig } from "../src/rotation";
import { MemoryStore } from "../src/store";

const TOPIC = "cloud.dc01.orders.sales_order_details";
const T0 = 1_700_000_000_000;

function setup(opts: { rotation?: Partial<RotationConfig>; pathFormat?: string } = {}) {
  const store = new MemoryStore();
  const warnings: string[] = [];
  const state = { committed: null as number | null };
  const pathTokens = opts.pathFormat ? (parsePathFormat(opts.pathFormat) as PathToken[]) : [];
  const make = () =>
    new LakeEngine(
      { topicsDir: "topics", pathTokens, rotation: { flushSize: 100, rotateIntervalMs: 0, idleFlushMs: 5000, openFileMaxMs: 0, fileMaxBytes: 1 << 20, ...opts.rotation }, dedupe: true },
      store,
      async (_t, _p, next) => {
        state.committed = next;
      },
      { info: () => undefined, warn: (m) => warnings.push(m), debug: () => undefined },
      () => 5000,
    );
  return { store, warnings, state, make, engine: make() };
}
const good = (offset: number, id: number, pos = 100 + offset): SinkRecord => ({
  offset, timestamp: T0 + offset, key: String(id),
  value: JSON.stringify({ id, __op: "c", __source_file: "mysql-bin.000001", __source_pos: pos, __source_row: 0 }),
});
const text = (offset: number, value: string, key: string | null = "k", timestamp = T0 + offset): SinkRecord => ({ offset, timestamp, key, value });
const lines = (store: MemoryStore) =>
  [...store.blobs.entries()].filter(([n]) => n.endsWith(".json")).sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([, b]) => b.body.trim().split("\n"));
const files = (store: MemoryStore) => [...store.blobs.keys()].filter((n) => n.endsWith(".json")).sort();

describe("lake-sink: decoding Kafka messages never throws", () => {
  test("GIVEN valid UTF-8, a tombstone, invalid UTF-8 WHEN decoded THEN text, null, and undecodable with the raw bytes", () => {
    const m = (value: Buffer | null, key: Buffer | null = Buffer.from("7")) => ({ offset: "12", timestamp: "1700000000000", key, value });
    expect(toSinkRecord(m(Buffer.from('{"id":7,"name":"Zoë"}')))).toEqual({ offset: 12, timestamp: T0, key: "7", value: '{"id":7,"name":"Zoë"}' });
    expect(toSinkRecord(m(null, null))).toEqual({ offset: 12, timestamp: T0, key: null, value: null });
    const bad = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const r = toSinkRecord(m(bad, Buffer.from([0xc3])));
    expect(r.value).toBeNull();
    expect(r.undecodable?.bytes.equals(bad)).toBe(true);
    expect(r.undecodable?.reason).toContain("not decodable as UTF-8");
    expect(r.key).toBe("\ufffd"); // keys only name the record in logs (and stand in for a missing id)
    expect(toSinkRecord({ offset: "1", timestamp: "not-a-number", key: null, value: Buffer.from("1") }).timestamp).toBeNaN();
  });
});

describe("lake-sink: records the sink cannot land go to a dead-letter blob and it goes on", () => {
  test("GIVEN a value that is not UTF-8 between good records WHEN processed THEN it is rejected with its raw bytes, logged, health degraded, the rest lands and is committed", async () => {
    const { store, warnings, state, engine } = setup();
    const bodies = new Map<string, Buffer>(); // MemoryStore keeps text; the Azure store uploads the Buffer as it is
    const put = store.put.bind(store);
    store.put = async (n, b, m) => {
      bodies.set(n, b);
      return put(n, b, m);
    };
    await engine.assign(TOPIC, 0, null, 0);
    const raw = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    await engine.process(TOPIC, 0, [good(0, 1), { offset: 1, timestamp: T0, key: "secret-order-2", value: null, undecodable: { bytes: raw, reason: "value is not decodable as UTF-8 text" } }, good(2, 3)]);
    await engine.flushAll();
    const dead = store.blobs.get(rejectedBlobName("topics", TOPIC, 0, 1));
    expect(dead).toBeDefined();
    expect(bodies.get(rejectedBlobName("topics", TOPIC, 0, 1))?.equals(raw)).toBe(true);
    expect(dead!.metadata).toMatchObject({ offset: "1", key: "secret-order-2", keyisnull: "false", reason: encodeURIComponent("value is not decodable as UTF-8 text") });
    expect(lines(store).map((l) => JSON.parse(l).id)).toEqual([1, 3]);
    expect(state.committed).toBe(3);
    expect(engine.metrics).toMatchObject({ rejected: 1, written: 2 });
    expect(warnings.join("\n")).toContain(`rejected ${TOPIC}[0]@1 key="secret-order-2": value is not decodable as UTF-8 text; raw value in topics/+rejected/${TOPIC}/partition=0/${TOPIC}+0+0000000001.bin`);
    expect(engine.dataProblems).toMatchObject({ count: 1, lastAt: 5000 });
  });

  test("GIVEN the dead-letter blob cannot be written WHEN processed THEN the batch fails (storage trouble, retried), nothing is committed", async () => {
    const { store, state, engine } = setup();
    await engine.assign(TOPIC, 0, null, 0);
    store.failPuts = new Error("503 ServerBusy");
    await expect(engine.process(TOPIC, 0, [{ offset: 0, timestamp: T0, key: null, value: null, undecodable: { bytes: Buffer.from([0xff]), reason: "x" } }])).rejects.toThrow(
      `writing the rejected record ${TOPIC}[0]@0 key=null to topics/+rejected/`,
    );
    expect(state.committed).toBeNull();
    store.failPuts = undefined;
    await engine.process(TOPIC, 0, [{ offset: 0, timestamp: T0, key: null, value: null, undecodable: { bytes: Buffer.from([0xff]), reason: "x" } }, good(1, 1)]);
    await engine.flushAll();
    expect(state.committed).toBe(2);
    expect(engine.metrics.rejected).toBe(1);
  });

  test("GIVEN JSON that parses to non-objects or carries odd fields WHEN processed THEN each lands as its line, unpositioned, no throw", async () => {
    const { store, engine } = setup();
    await engine.assign(TOPIC, 0, null, 0);
    const odd = [
      "42", '"just a string"', "[1,2,3]", "null", "true", "{}",
      '{"__proto__":{"polluted":1},"id":1,"__op":"c","__source_file":"f.1","__source_pos":1}',
      '{"id":2,"__op":"c","__source_file":"f.1","__source_pos":1e400}', // Infinity
      '{"id":3,"__op":"c","__source_file":"f.1","__source_pos":-5,"__source_row":1.5}',
      '{"id":{"nested":[1,{"x":null}]},"__op":"u","__source_file":"","__source_pos":"12"}',
      "not json at all \u0000\u2028",
    ];
    await engine.process(TOPIC, 0, odd.map((v, i) => text(i, v)));
    await engine.flushAll();
    const landed = lines(store);
    expect(landed).toHaveLength(odd.length);
    expect(landed.slice(0, 10)).toEqual(odd.slice(0, 10));
    expect(JSON.parse(landed[10]!)).toBe(odd[10]); // non-JSON: written as a JSON string
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(engine.metrics).toMatchObject({ non_json: 1, rejected: 0 });
    expect(engine.metrics.unpositioned).toBe(9); // all but the __proto__ row (positioned) and the non-JSON one
  });

  test("GIVEN an id nested 200 000 levels deep WHEN processed and recovered from the lake THEN it lands unpositioned and recovery does not throw", async () => {
    const deep = `{"id":${"[".repeat(200_000)}${"]".repeat(200_000)},"__op":"c","__source_file":"f.1","__source_pos":5}`;
    expect(() => JSON.stringify(JSON.parse(deep))).toThrow(RangeError); // the hazard is real
    expect(identityOf(JSON.parse(deep), null)).toBeUndefined();
    expect(parseValue(deep, null)).toEqual({ kind: "json", identity: undefined });
    const { store, state, make, engine } = setup();
    await engine.assign(TOPIC, 0, null, 0);
    await engine.process(TOPIC, 0, [good(0, 1), text(1, deep)]);
    await engine.flushAll();
    expect(engine.metrics).toMatchObject({ written: 2, unpositioned: 1 });
    const rec = new DedupeRecovery();
    expect(() => rec.add(lines(store).join("\n"))).not.toThrow();
    const b = make();
    await expect(b.assign(TOPIC, 0, state.committed, 2)).resolves.toMatchObject({ highWatermark: "mysql-bin.000001:100:0" });
  });

  test("GIVEN weird keys WHEN a record is described in a log line THEN the key is escaped and shortened", () => {
    const long = "k\n\"".repeat(1000);
    const d = describeRecord(TOPIC, 3, { offset: 9, key: long });
    expect(d.startsWith(`${TOPIC}[3]@9 key="k\\n\\"k`)).toBe(true);
    expect(d).toContain("…(3000 chars)");
    expect(d).not.toContain("\n");
    expect(d.length).toBeLessThan(400);
    expect(describeRecord(TOPIC, 0, { offset: 1, key: null })).toBe(`${TOPIC}[0]@1 key=null`);
  });
});

describe("lake-sink: bad timestamps with time directories", () => {
  const FORMAT = "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH";
  test.each([
    ["-1 (no timestamp)", -1],
    ["NaN", NaN],
    ["beyond year 9999", MAX_PATH_TIMESTAMP + 1],
    ["int64 max", 9223372036854775807],
  ])("GIVEN a record with timestamp %s WHEN processed THEN it lands under 1970-01-01, logged, degraded, and the next record goes on", async (_name, ts) => {
    const { store, warnings, state, engine } = setup({ pathFormat: FORMAT });
    await engine.assign(TOPIC, 0, null, 0);
    await engine.process(TOPIC, 0, [{ ...good(0, 1), timestamp: ts }, good(1, 2)]);
    await engine.flushAll();
    expect(files(store)).toEqual([
      `topics/${TOPIC}/partition=0/year=1970/month=01/day=01/hour=00/${TOPIC}+0+0000000000.json`,
      `topics/${TOPIC}/partition=0/year=2023/month=11/day=14/hour=22/${TOPIC}+0+0000000001.json`,
    ]);
    expect(state.committed).toBe(2);
    expect(engine.metrics.bad_timestamps).toBe(1);
    expect(warnings.join()).toContain(`${TOPIC}[0]@0 key="1": timestamp ${ts} is outside 0..${MAX_PATH_TIMESTAMP}`);
  });

  test("GIVEN a bad timestamp WHEN re-processed after a crash before the commit THEN the same blob is rewritten (deterministic), no second file", async () => {
    const { store, state, make, engine } = setup({ pathFormat: FORMAT });
    await engine.assign(TOPIC, 0, null, 0);
    await engine.process(TOPIC, 0, [{ ...good(0, 1), timestamp: -1 }, good(1, 2)]);
    const before = files(store);
    expect(before).toHaveLength(1); // the path change closed the 1970 file; [1] is still open
    state.committed = 0; // the commit was lost
    const b = make();
    await b.assign(TOPIC, 0, 0, 0);
    await b.process(TOPIC, 0, [{ ...good(0, 1), timestamp: -1 }, good(1, 2)]);
    await b.flushAll();
    expect(files(store)).toEqual([before[0], `topics/${TOPIC}/partition=0/year=2023/month=11/day=14/hour=22/${TOPIC}+0+0000000001.json`]);
    expect(lines(store).map((l) => JSON.parse(l).id)).toEqual([1, 2]);
  });

  test("GIVEN no time directories WHEN a timestamp is -1 THEN nothing is replaced (it decides nothing but rotation)", async () => {
    const { engine } = setup();
    await engine.assign(TOPIC, 0, null, 0);
    await engine.process(TOPIC, 0, [{ ...good(0, 1), timestamp: -1 }]);
    expect(engine.metrics.bad_timestamps).toBe(0);
    expect(engine.dataProblems.count).toBe(0);
  });
});

describe("lake-sink: oversize lines", () => {
  test("GIVEN FILE_MAX_BYTES WHEN lines would pass it THEN the next file starts; an oversize record lands alone; nothing is lost", async () => {
    const { store, state, engine } = setup({ rotation: { fileMaxBytes: 300 } });
    await engine.assign(TOPIC, 0, null, 0);
    const big = text(2, JSON.stringify({ id: 99, blob: "x".repeat(1000) }));
    await engine.process(TOPIC, 0, [good(0, 1), good(1, 2), big, good(3, 4), good(4, 5), good(5, 6)]);
    await engine.flushAll();
    const sizes = [...store.blobs.entries()].filter(([n]) => n.endsWith(".json")).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, b]) => [n.slice(-15, -5), b.body.trim().split("\n").length]);
    expect(sizes).toEqual([["0000000000", 2], ["0000000002", 1], ["0000000003", 3]]);
    expect(lines(store).map((l) => JSON.parse(l).id)).toEqual([1, 2, 99, 4, 5, 6]);
    expect(state.committed).toBe(6);
  });

  test("GIVEN FILE_MAX_BYTES outside 1 MiB..256 MiB THEN the configuration is refused naming the rule", () => {
    const env = { KAFKA_BROKERS: "127.0.0.1:1", KAFKA_TOPICS: "t", KAFKA_SECURITY: "plaintext", STORAGE_BLOB_ENDPOINT: "http://127.0.0.1:1/acct1", STORAGE_KEY_FILE: "/k" };
    const read = () => "c2VjcmV0LWtleS1mb3ItdGVzdHM=";
    const problems = (e: Record<string, string>) => configProblems(() => loadConfig({ ...env, ...e }, read)).join("\n");
    expect(problems({ FILE_MAX_BYTES: "1000" })).toContain('FILE_MAX_BYTES="1000": must be an integer between 1048576 and 268435456');
    expect(problems({ KAFKA_SESSION_TIMEOUT_MS: "3000" })).toContain('KAFKA_SESSION_TIMEOUT_MS="3000": must be an integer between 6000 and 300000');
    expect(problems({ KAFKA_SESSION_TIMEOUT_MS: "9000", KAFKA_HEARTBEAT_INTERVAL_MS: "3001" })).toContain("KAFKA_HEARTBEAT_INTERVAL_MS=\"3001\": must be an integer between 100 and 3000");
    expect(problems({ KAFKA_SESSION_TIMEOUT_MS: "9000", KAFKA_HEARTBEAT_INTERVAL_MS: "3000" })).toBe("");
  });
});

describe("lake-sink health: degraded after data problems", () => {
  const now = Date.parse("2026-01-01T02:00:00Z");
  const hb = (over: Partial<Heartbeat> = {}): Heartbeat =>
    ({ state: "running", maxAgeMs: 30000, writtenAt: "2026-01-01T01:59:59Z", lastFetchAt: "2026-01-01T01:59:59Z", failingSince: null, files: 2, records: 10, dataProblems: 0, lastDataProblemAt: null, lastDataProblem: null, ...over } as Heartbeat);
  test("GIVEN a recent data problem THEN healthy but degraded, naming it; GIVEN an old one THEN healthy; unhealthy still wins", () => {
    expect(checkHeartbeat(hb(), now)).toEqual({ healthy: true, status: "healthy", reason: "ok: 2 files, 10 records landed" });
    const recent = hb({ dataProblems: 3, lastDataProblemAt: new Date(now - 60000).toISOString(), lastDataProblem: "rejected t[0]@5 key=null: value is not decodable" });
    expect(checkHeartbeat(recent, now)).toEqual({ healthy: true, status: "degraded", reason: expect.stringContaining("3 record(s) could not be landed as they are") });
    expect(checkHeartbeat(recent, now).reason).toContain("rejected t[0]@5");
    expect(checkHeartbeat(hb({ dataProblems: 3, lastDataProblemAt: new Date(now - DEGRADED_HOLD_MS - 1).toISOString() }), now).status).toBe("healthy");
    expect(checkHeartbeat(hb({ dataProblems: 1, lastDataProblemAt: new Date(now).toISOString(), state: "stopping" }), now).status).toBe("unhealthy");
  });
});
