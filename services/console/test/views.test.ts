import {
  bucketsFromVector, ConnectorStatus, counterRate, displayValue, groupLag, judgeCluster, judgeConnectors, judgeSink, MASK, maskRecord, quantileFromBuckets,
  quantileQuery, replicationLag, seriesFromMatrix, Sourced, stepFor, vectorBy, vectorSum, worst,
} from "../src/views";

const ok = <T>(value: T): Sourced<T> => ({ ok: true, value, at: 0 });
const down = (error: string): Sourced<never> => ({ ok: false, error, at: 0 });
const connector = (name: string, state: string, tasks: Array<[string, string?]>, trace?: string): ConnectorStatus => ({
  name,
  connector: { state, trace },
  tasks: tasks.map(([s, t], id) => ({ id, state: s, trace: t })),
});
const any = () => true;

describe("health judgement", () => {
  test("GIVEN a running connector with running tasks WHEN judged THEN up, naming it and its task count", () => {
    expect(judgeConnectors(ok([connector("dc01-cdc", "RUNNING", [["RUNNING"]])]), any, "Debezium")).toEqual({ state: "up", reason: "dc01-cdc RUNNING (1 task)" });
  });
  test("GIVEN a FAILED task WHEN judged THEN down with the first line of its trace", () => {
    const h = judgeConnectors(ok([connector("mm2", "RUNNING", [["RUNNING"], ["FAILED", "org.apache.kafka.ConnectException: broker gone\n\tat x"]])]), any, "MirrorMaker 2");
    expect(h).toEqual({ state: "down", reason: "mm2 task 1 FAILED: org.apache.kafka.ConnectException: broker gone" });
  });
  test("GIVEN the Connect REST unreachable WHEN judged THEN down with the source's reason", () => {
    expect(judgeConnectors(down("no Connect worker answers (ECONNREFUSED)"), any, "Debezium")).toEqual({ state: "down", reason: "Connect REST: no Connect worker answers (ECONNREFUSED)" });
  });
  test("GIVEN a connector still UNASSIGNED, or none of the kind WHEN judged THEN degraded, resp. down", () => {
    expect(judgeConnectors(ok([connector("c", "UNASSIGNED", [])]), any, "Debezium").state).toBe("degraded");
    expect(judgeConnectors(ok([connector("c", "RUNNING", [["RUNNING"]])]), () => false, "Debezium")).toEqual({ state: "down", reason: "no Debezium connector deployed" });
  });
  test("GIVEN a cluster with fewer brokers than expected WHEN judged THEN degraded; none answering THEN down", () => {
    expect(judgeCluster(ok({ brokers: 2, controller: 1 }), "on-prem", 3)).toEqual({ state: "degraded", reason: "on-prem: 2 of 3 brokers" });
    expect(judgeCluster(down("Connection timeout"), "cloud").state).toBe("down");
    expect(judgeCluster(ok({ brokers: 1, controller: 1 }), "cloud").state).toBe("up");
  });
  test("GIVEN the sink's group without members THEN down; with a lag over the limit THEN degraded", () => {
    expect(judgeSink(ok({ state: "Empty", members: 0, lag: 5 }), 100).state).toBe("down");
    expect(judgeSink(ok({ state: "Stable", members: 1, lag: 500 }), 100)).toEqual({ state: "degraded", reason: "lag 500 records (> 100)" });
    expect(judgeSink(ok({ state: "Stable", members: 1, lag: 3 }), 100).state).toBe("up");
  });
  test("GIVEN several components WHEN the worst is asked THEN down beats degraded beats up", () => {
    expect(worst([{ state: "up", reason: "" }, { state: "degraded", reason: "" }])).toBe("degraded");
    expect(worst([{ state: "degraded", reason: "" }, { state: "down", reason: "" }])).toBe("down");
  });
});

describe("rates and lag", () => {
  test("GIVEN two counter samples 5 s apart WHEN the rate is asked THEN the difference per second; a reset counts from zero", () => {
    expect(counterRate({ value: 100, at: 0 }, { value: 600, at: 5000 })).toBe(100);
    expect(counterRate({ value: 600, at: 0 }, { value: 50, at: 5000 })).toBe(10);
    expect(counterRate(undefined, { value: 1, at: 1 })).toBeUndefined();
    expect(counterRate({ value: 1, at: 5 }, { value: 2, at: 5 })).toBeUndefined();
  });
  test("GIVEN end offsets and a group's commits WHEN the lag is asked THEN end − commit, an uncommitted partition from its start", () => {
    const ends = [{ partition: 0, high: 100, low: 0 }, { partition: 1, high: 50, low: 10 }];
    expect(groupLag(ends, new Map([[0, 90]]))).toBe(10 + 40);
    expect(groupLag(ends, new Map([[0, -1], [1, 50]]))).toBe(100);
  });
  test("GIVEN a source topic holding 120 records and its copy 100 WHEN replication lag is asked THEN 20 (never negative)", () => {
    expect(replicationLag([{ partition: 0, high: 120, low: 0 }], [{ partition: 0, high: 100, low: 0 }])).toBe(20);
    expect(replicationLag([{ partition: 0, high: 10, low: 0 }], [{ partition: 0, high: 12, low: 0 }])).toBe(0);
  });
});

describe("quantiles", () => {
  const buckets = [{ le: 0.5, count: 10 }, { le: 1, count: 60 }, { le: 2, count: 100 }, { le: Infinity, count: 100 }];
  test("GIVEN cumulative buckets WHEN the median is asked THEN interpolated inside its bucket like histogram_quantile", () => {
    // rank 50 lies in (0.5, 1]: 40 of its 50 observations → 0.5 + 0.5 × 40/50
    expect(quantileFromBuckets(buckets, 0.5)).toBeCloseTo(0.9, 10);
    expect(quantileFromBuckets(buckets, 0.99)).toBeCloseTo(1 + (99 - 60) / 40, 10);
    expect(quantileFromBuckets(buckets, 0.05)).toBeCloseTo(0.25, 10);
  });
  test("GIVEN an empty histogram, or one in +Inf WHEN a quantile is asked THEN undefined, resp. the highest finite bound", () => {
    expect(quantileFromBuckets([{ le: 1, count: 0 }, { le: Infinity, count: 0 }], 0.5)).toBeUndefined();
    expect(quantileFromBuckets([{ le: 1, count: 0 }, { le: Infinity, count: 4 }], 0.5)).toBe(1);
    expect(() => quantileFromBuckets(buckets, 1.5)).toThrow(/between 0 and 1/);
  });
  test("GIVEN Prometheus _bucket series of two topics WHEN read as one histogram THEN the counts are summed per bound", () => {
    const v = [
      { metric: { le: "1", topic: "a" }, value: [0, "3"] as const },
      { metric: { le: "1", topic: "b" }, value: [0, "2"] as const },
      { metric: { le: "+Inf", topic: "a" }, value: [0, "4"] as const },
      { metric: { le: "+Inf", topic: "b" }, value: [0, "6"] as const },
    ];
    expect(bucketsFromVector(v)).toEqual([{ le: 1, count: 5 }, { le: Infinity, count: 10 }]);
    expect(quantileFromBuckets(bucketsFromVector(v), 0.5)).toBe(1);
  });
  test("GIVEN instant vectors WHEN summed or split by a label THEN NaN samples are skipped", () => {
    const v = [{ metric: { topic: "a" }, value: [0, "2"] as const }, { metric: { topic: "b" }, value: [0, "NaN"] as const }, { metric: { topic: "a" }, value: [0, "1.5"] as const }];
    expect(vectorSum(v)).toBe(3.5);
    expect(vectorBy(v, "topic")).toEqual({ a: 3.5 });
    expect(vectorSum([])).toBeUndefined();
  });
  test("GIVEN a matrix WHEN turned into chart series THEN epoch ms points without NaN", () => {
    expect(seriesFromMatrix([{ metric: { topic: "t" }, values: [[10, "1"], [25, "NaN"], [40, "2"]] }], (m) => m.topic!)).toEqual([{ name: "t", points: [[10000, 1], [40000, 2]] }]);
  });
  test("GIVEN a range WHEN its query is built THEN a step of about 120 points (≥ 15 s) and a quantile of the summed bucket rates", () => {
    expect(stepFor(15 * 60)).toBe(15);
    expect(stepFor(6 * 3600)).toBe(180);
    expect(quantileQuery("m", 0.99, ["topic"], "60s", '{hop="cloud"}')).toBe('histogram_quantile(0.99, sum by (le, topic) (rate(m_bucket{hop="cloud"}[60s])))');
  });
});

describe("masking", () => {
  test("GIVEN a flattened row with a sensitive column WHEN masked THEN that column's value is hidden, the rest kept, the input unchanged", () => {
    const row = { id: 7, email: "ann@example.com", city: "Graz" };
    expect(maskRecord(row, ["email"])).toEqual({ id: 7, email: MASK, city: "Graz" });
    expect(row.email).toBe("ann@example.com");
  });
  test("GIVEN a Debezium envelope WHEN masked THEN inside before and after too, names compared case-insensitively", () => {
    const env = { payload: { before: { EMAIL: "old@example.com", id: 1 }, after: { email: "new@example.com", id: 1 }, op: "u" } };
    expect(maskRecord(env, ["Email"])).toEqual({ payload: { before: { EMAIL: MASK, id: 1 }, after: { email: MASK, id: 1 }, op: "u" } });
  });
  test("GIVEN a null sensitive value WHEN masked THEN null stays (nothing to hide); no fields configured THEN the value is the same object", () => {
    expect(maskRecord({ email: null }, ["email"])).toEqual({ email: null });
    const v = { email: "x" };
    expect(maskRecord(v, [])).toBe(v);
  });
  test("GIVEN a record value that is not JSON but names a masked field WHEN displayed THEN it is hidden whole; a tombstone says so", () => {
    expect(displayValue("email=ann@example.com", ["email"])).toMatch(/^•••/);
    expect(displayValue("plain", ["email"])).toBe("plain");
    expect(displayValue(null, ["email"])).toBe("(tombstone)");
    expect(displayValue('{"email":"a@b.c","id":1}', ["email"])).toBe(`{"email":"${MASK}","id":1}`);
  });
});
