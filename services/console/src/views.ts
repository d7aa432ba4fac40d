/**
 * The console's metric-to-view logic, pure (no I/O; unit-tested in test/views.test.ts): health
 * judgements, rates from counters, lag, quantiles from histogram buckets and from Prometheus
 * results, PromQL of the hop charts, masking of sensitive fields.
 */

// --- health --------------------------------------------------------------------------------------

export type HealthState = "up" | "degraded" | "down" | "unknown";

export interface Health {
  readonly state: HealthState;
  readonly reason: string;
}

/** A data source's answer: its value, or why there is none (timeout, refused, HTTP status). */
export type Sourced<T> = { readonly ok: true; readonly value: T; readonly at: number } | { readonly ok: false; readonly error: string; readonly at: number };

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: string; readonly worker_id?: string; readonly trace?: string };
  readonly tasks: ReadonlyArray<{ readonly id: number; readonly state: string; readonly worker_id?: string; readonly trace?: string }>;
  readonly type?: string;
}

const firstLine = (s: string | undefined) => (s ?? "").split("\n")[0]!.slice(0, 300);

/** A Kafka Connect connector (or a set of them: MirrorMaker 2's three) from the REST status. */
export function judgeConnectors(status: Sourced<readonly ConnectorStatus[]>, pick: (c: ConnectorStatus) => boolean, what: string): Health {
  if (!status.ok) return { state: "down", reason: `Connect REST: ${status.error}` };
  const mine = status.value.filter(pick);
  if (mine.length === 0) return { state: "down", reason: `no ${what} connector deployed` };
  for (const c of mine) {
    if (c.connector.state === "FAILED") return { state: "down", reason: `${c.name} FAILED: ${firstLine(c.connector.trace)}` };
    const failed = c.tasks.find((t) => t.state === "FAILED");
    if (failed) return { state: "down", reason: `${c.name} task ${failed.id} FAILED: ${firstLine(failed.trace)}` };
    if (c.connector.state !== "RUNNING") return { state: "degraded", reason: `${c.name} is ${c.connector.state}` };
    if (c.tasks.length === 0) return { state: "degraded", reason: `${c.name} has no tasks` };
    const notRunning = c.tasks.find((t) => t.state !== "RUNNING");
    if (notRunning) return { state: "degraded", reason: `${c.name} task ${notRunning.id} is ${notRunning.state}` };
  }
  const tasks = mine.reduce((n, c) => n + c.tasks.length, 0);
  return { state: "up", reason: `${mine.map((c) => c.name).join(", ")} RUNNING (${tasks} task${tasks === 1 ? "" : "s"})` };
}

/** A Kafka cluster from its admin's describeCluster. */
export function judgeCluster(cluster: Sourced<{ readonly brokers: number; readonly controller: number | null }>, name: string, expectedBrokers?: number): Health {
  if (!cluster.ok) return { state: "down", reason: `${name}: ${cluster.error}` };
  const { brokers, controller } = cluster.value;
  if (brokers === 0) return { state: "down", reason: `${name}: no broker answers` };
  if (expectedBrokers !== undefined && brokers < expectedBrokers) return { state: "degraded", reason: `${name}: ${brokers} of ${expectedBrokers} brokers` };
  return { state: "up", reason: `${name}: ${brokers} broker${brokers === 1 ? "" : "s"}, controller ${controller ?? "?"}` };
}

/** The sink from its consumer group on the cloud cluster: members and lag. */
export function judgeSink(group: Sourced<{ readonly state: string; readonly members: number; readonly lag: number }>, maxLag: number): Health {
  if (!group.ok) return { state: "down", reason: `consumer group: ${group.error}` };
  const g = group.value;
  if (g.members === 0) return { state: "down", reason: `consumer group ${g.state}, no member (sink not consuming); lag ${g.lag}` };
  if (g.lag > maxLag) return { state: "degraded", reason: `lag ${g.lag} records (> ${maxLag})` };
  return { state: "up", reason: `${g.members} member${g.members === 1 ? "" : "s"}, ${g.state}, lag ${g.lag}` };
}

/** Something answering or not (TCP connect, container listing). */
export function judgeReachable(r: Sourced<string>, name: string): Health {
  return r.ok ? { state: "up", reason: r.value } : { state: "down", reason: `${name}: ${r.error}` };
}

/** Worst first: the state shown for a group of components. */
export function worst(states: readonly Health[]): HealthState {
  for (const s of ["down", "degraded", "unknown", "up"] as const) if (states.some((h) => h.state === s)) return s;
  return "unknown";
}

// --- rates and lag -------------------------------------------------------------------------------

export interface CounterSample {
  readonly value: number;
  /** Epoch ms. */
  readonly at: number;
}

/** Per second between two samples of a counter; a counter reset (value falls) counts from zero. undefined without two samples in time order. */
export function counterRate(prev: CounterSample | undefined, now: CounterSample): number | undefined {
  if (!prev || now.at <= prev.at) return undefined;
  const delta = now.value >= prev.value ? now.value - prev.value : now.value;
  return (delta * 1000) / (now.at - prev.at);
}

export interface PartitionOffsets {
  readonly partition: number;
  /** Log end offset. */
  readonly high: number;
  /** Log start offset. */
  readonly low: number;
}

/** Records behind per consumer group: end − committed per partition (no commit: from the start). */
export function groupLag(ends: readonly PartitionOffsets[], committed: ReadonlyMap<number, number>): number {
  return ends.reduce((sum, p) => {
    const c = committed.get(p.partition);
    const from = c === undefined || c < 0 ? p.low : c;
    return sum + Math.max(0, p.high - from);
  }, 0);
}

/** Records a topic holds (end − start, all partitions). */
export function recordsHeld(offsets: readonly PartitionOffsets[]): number {
  return offsets.reduce((n, p) => n + Math.max(0, p.high - p.low), 0);
}

/**
 * Replication lag in records: what the source topic holds that the target does not (MirrorMaker 2
 * does not keep offsets, so the counts are compared; both topics with the same retention).
 */
export function replicationLag(source: readonly PartitionOffsets[], target: readonly PartitionOffsets[]): number {
  return Math.max(0, recordsHeld(source) - recordsHeld(target));
}

// --- quantiles -----------------------------------------------------------------------------------

export interface Bucket {
  /** Upper bound (Infinity for +Inf). */
  readonly le: number;
  /** Cumulative count. */
  readonly count: number;
}

/**
 * The q-quantile of a cumulative histogram, interpolated linearly inside its bucket the way
 * Prometheus's histogram_quantile does (the lowest bucket from 0; a quantile in +Inf is the
 * highest finite bound). undefined when the histogram is empty.
 */
export function quantileFromBuckets(buckets: readonly Bucket[], q: number): number | undefined {
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile ${q}: must be between 0 and 1`);
  const b = [...buckets].sort((x, y) => x.le - y.le);
  const total = b.length ? b[b.length - 1]!.count : 0;
  if (total === 0 || b[b.length - 1]!.le !== Infinity) return total === 0 ? undefined : undefined;
  const rank = q * total;
  let i = b.findIndex((x) => x.count >= rank);
  if (i < 0) i = b.length - 1;
  if (b[i]!.le === Infinity) return b.length > 1 ? b[b.length - 2]!.le : undefined;
  const lower = i === 0 ? 0 : b[i - 1]!.le;
  const below = i === 0 ? 0 : b[i - 1]!.count;
  const inBucket = b[i]!.count - below;
  if (inBucket === 0) return b[i]!.le;
  return lower + (b[i]!.le - lower) * ((rank - below) / inBucket);
}

// --- Prometheus ----------------------------------------------------------------------------------

export interface PromVectorItem {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}
export interface PromMatrixItem {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: ReadonlyArray<readonly [number, string]>;
}

/** Prometheus's sample text as a number ("NaN", "+Inf" included); NaN stays NaN. */
export const promNumber = (s: string): number => (s === "+Inf" ? Infinity : s === "-Inf" ? -Infinity : Number(s));

/** The sum of an instant vector's values (NaN ones skipped); undefined when empty. */
export function vectorSum(v: readonly PromVectorItem[]): number | undefined {
  const xs = v.map((i) => promNumber(i.value[1])).filter((x) => Number.isFinite(x));
  return xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0);
}

/** One value per label value (e.g. per topic) of an instant vector. */
export function vectorBy(v: readonly PromVectorItem[], label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of v) {
    const x = promNumber(i.value[1]);
    if (Number.isFinite(x)) out[i.metric[label] ?? ""] = (out[i.metric[label] ?? ""] ?? 0) + x;
  }
  return out;
}

/** Buckets of a histogram from an instant vector of its _bucket series (summed over other labels). */
export function bucketsFromVector(v: readonly PromVectorItem[]): Bucket[] {
  const byLe = new Map<number, number>();
  for (const i of v) {
    const le = promNumber(i.metric.le ?? "NaN");
    const x = promNumber(i.value[1]);
    if (!Number.isNaN(le) && Number.isFinite(x)) byLe.set(le, (byLe.get(le) ?? 0) + x);
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/** A chart series: [epoch ms, value] points, NaN points dropped. */
export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export function seriesFromMatrix(m: readonly PromMatrixItem[], nameOf: (metric: Readonly<Record<string, string>>) => string): Series[] {
  return m.map((i) => ({
    name: nameOf(i.metric),
    points: i.values.map(([t, v]) => [t * 1000, promNumber(v)] as const).filter(([, v]) => Number.isFinite(v)),
  }));
}

export const RANGES = { "15m": 15 * 60, "1h": 3600, "6h": 6 * 3600 } as const;
export type RangeName = keyof typeof RANGES;

/** query_range step for a range: about 120 points, never under 15 s (the scrape interval). */
export function stepFor(rangeSeconds: number): number {
  return Math.max(15, Math.ceil(rangeSeconds / 120));
}

/** The rate window of a chart step: at least four scrapes. */
export const rateWindow = (step: number) => `${Math.max(60, step * 2)}s`;

/** PromQL of a quantile of a histogram by one label, over `window`. */
export function quantileQuery(metric: string, q: number, by: readonly string[], window: string, selector = ""): string {
  return `histogram_quantile(${q}, sum by (le${by.map((b) => `, ${b}`).join("")}) (rate(${metric}_bucket${selector}[${window}])))`;
}

// --- masking -------------------------------------------------------------------------------------

export const MASK = "•••";

/**
 * A record value with every field named in `fields` masked, at the top level (flattened
 * ExtractNewRecordState rows) and inside Debezium's before/after (and a payload envelope). Names
 * compare case-insensitively. Pure: the input is not changed.
 */
export function maskRecord(value: unknown, fields: readonly string[]): unknown {
  if (fields.length === 0) return value;
  const masked = new Set(fields.map((f) => f.toLowerCase()));
  const walk = (v: unknown, depth: number): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (v === null || typeof v !== "object" || depth > 6) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, masked.has(k.toLowerCase()) && x !== null ? MASK : walk(x, depth + 1)]));
  };
  return walk(value, 0);
}

/**
 * What the message browser shows of a record value: JSON parsed and masked, or (not JSON) the
 * text cut to `max` characters, masked as a whole when a masked field name occurs in it.
 */
export function displayValue(raw: string | null, fields: readonly string[], max = 4000): string {
  if (raw === null) return "(tombstone)";
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    const lower = raw.toLowerCase();
    if (fields.some((f) => lower.includes(f.toLowerCase()))) return `${MASK} (not JSON; holds a masked field name)`;
    return raw.length > max ? `${raw.slice(0, max)}…` : raw;
  }
  const text = JSON.stringify(maskRecord(parsed, fields));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// --- formatting ----------------------------------------------------------------------------------

export function fmtNumber(x: number | undefined, digits = 1): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en-US");
  return x.toFixed(digits).replace(/\.0+$/, "");
}

export function fmtSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return "–";
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
