/**
 * The hop probe: one consumer per cluster on every replicated topic, from the end at start (a group
 * id of its own, never committing), timing records commit → arrival at that cluster with verify's
 * rule (verify/latency.ts: Debezium's source.ts_ms → the broker's LogAppendTime). Exported as
 * prom-client histograms for Prometheus (history) and kept for the last minutes in memory (quantiles
 * by verify's nearest rank, so the console and `npm run verify` agree on the same records).
 *
 * Up to `samplesPerSecond` records per hop and topic are timed, every one of them below that rate.
 * Above it the probe samples: once a topic's second is spent, it jumps the partition to its end and
 * pauses it until the next second (SampleGate). A record's latency is fixed by the broker's append
 * time, not by when the probe reads it, so a sample times the same distribution; what it saves is the
 * reading (decoding and parsing every record on both clusters was most of the console's CPU at
 * 1,000 rows/s: bench/cpu-profile.ts, docs/benchmarks.md). Arrivals are counted from the partitions'
 * end offsets (each fetch's high watermark), so counts and rates stay exact while sampling.
 */
import { Consumer } from "kafkajs";
import { Counter, Histogram, Registry } from "prom-client";
import { commitToArrivalMs } from "../../../verify/latency";
import { percentile } from "../../../verify/reconcile";
import { DEFAULT_PROBE_SAMPLES_PER_SECOND } from "./contract";
import { METRICS } from "./metric-names";
import { ClusterClient, errorText } from "./sources";

export type Hop = "onprem" | "cloud";
export const HOP_LABEL: Record<Hop, string> = { onprem: "commit → on-prem topic", cloud: "commit → cloud topic" };

/** Seconds; MariaDB's source.ts_ms has second precision, hence nothing finer than 50 ms. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];

export interface HopStats {
  readonly hop: Hop;
  readonly topic: string;
  /** Records arrived at the hop's cluster since the probe's first fetch of the topic (end offsets). */
  readonly records: number;
  /** The timed arrivals kept (the window's, since `sinceMs` when asked) that the quantiles are of. */
  readonly kept: number;
  /** Epoch ms of the probe's first fetch of the topic (it starts at the topic's end). */
  readonly since?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** Records/s over the last minute. */
  readonly ratePerSecond: number;
  /** Epoch ms of the newest timed arrival. */
  readonly lastArrival?: number;
}

/** A fetch decodes at most about this much of a partition (the broker returns at least one whole batch). */
const FETCH_BYTES_PER_PARTITION = 16 * 1024;
/**
 * The most a fetch may return, and the least the broker waits for: more than 16 KiB × the partitions of
 * any deployment here, so the broker always answers after maxWaitTimeInMs. One fetch per broker a
 * second whatever the load: with kafkajs' minBytes of 1 the probe fetched as fast as records arrived
 * (each fetch a full request/decode cycle), for samples it then mostly skips.
 */
const FETCH_BYTES = 10 * 1024 * 1024;

/**
 * Which records the probe times: per hop and topic, at most `perSecond` in each second of the clock.
 * Pure (the clock is passed in), for the unit tests.
 */
export class SampleGate {
  private readonly spent = new Map<string, { second: number; n: number }>();

  constructor(readonly perSecond: number) {
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`samplesPerSecond ${perSecond}: must be an integer ≥ 1`);
  }

  /** Takes one of this second's samples of `key`: false once they are spent. */
  take(key: string, nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    const s = this.spent.get(key);
    if (!s || s.second !== second) {
      this.spent.set(key, { second, n: 1 });
      return true;
    }
    if (s.n >= this.perSecond) return false;
    s.n++;
    return true;
  }

  /** Milliseconds until `key` has samples again (0 when it has). */
  waitMs(key: string, nowMs: number): number {
    const s = this.spent.get(key);
    return s && s.second === Math.floor(nowMs / 1000) && s.n >= this.perSecond ? 1000 - (nowMs % 1000) : 0;
  }
}

/**
 * Records arrived per topic, from its partitions' end offsets: Σ (high watermark − the first offset
 * the probe saw) over the partitions, and a per-second history of that sum for the rate of the last
 * minute. Pure, for the unit tests.
 */
export class ArrivalCount {
  private readonly partitions = new Map<number, { first: number; end: number }>();
  private readonly history: Array<{ at: number; total: number }> = [];
  since?: number;

  /** A fetch of `partition` whose first record is at `firstOffset` and whose end is `highWatermark`. */
  saw(partition: number, firstOffset: number, highWatermark: number, nowMs: number): number {
    const p = this.partitions.get(partition) ?? { first: firstOffset, end: firstOffset };
    const added = Math.max(0, highWatermark - p.end);
    p.end = Math.max(p.end, highWatermark);
    this.partitions.set(partition, p);
    this.since ??= nowMs;
    const total = this.total;
    const last = this.history[this.history.length - 1];
    if (last && nowMs - last.at < 1000) last.total = total;
    else this.history.push({ at: nowMs, total });
    while (this.history.length > 1 && this.history[1]!.at <= nowMs - 60000) this.history.shift();
    return added;
  }

  get total(): number {
    let n = 0;
    for (const p of this.partitions.values()) n += p.end - p.first;
    return n;
  }

  /** Records/s over the last minute (over 60 s even when the probe is younger, as a count would be). */
  ratePerSecond(nowMs: number): number {
    const base = [...this.history].reverse().find((h) => h.at <= nowMs - 60000);
    return (this.total - (base?.total ?? 0)) / 60;
  }
}

/** Timed arrivals kept per hop and topic (the window's records, at most this many). */
const MAX_SAMPLES = 200000;
/** How far past the window the oldest kept arrival may be before a prune. */
const PRUNE_SLACK_MS = 30000;

interface Sample {
  readonly at: number;
  readonly latencyMs?: number;
}

export class HopProbe {
  readonly histogram: Histogram<"hop" | "topic">;
  readonly counter: Counter<"hop" | "topic">;
  private readonly samples = new Map<string, Sample[]>();
  private readonly arrivals = new Map<string, ArrivalCount>();
  private readonly consumers: Consumer[] = [];
  private readonly gate: SampleGate;
  readonly errors: Partial<Record<Hop, string>> = {};

  private readonly keepMs: number;

  /**
   * @param options.keepMs how long timed arrivals are kept in memory. @default 15 min
   * @param options.samplesPerSecond records timed per hop, topic and second. @default DEFAULT_PROBE_SAMPLES_PER_SECOND
   */
  constructor(
    registry: Registry,
    private readonly topics: readonly string[],
    { keepMs = 15 * 60 * 1000, samplesPerSecond = DEFAULT_PROBE_SAMPLES_PER_SECOND }: { readonly keepMs?: number; readonly samplesPerSecond?: number } = {},
  ) {
    this.keepMs = keepMs;
    this.gate = new SampleGate(samplesPerSecond);
    this.histogram = new Histogram({ name: METRICS.hopLatency, help: `commit (the latency probe's µs column, else Debezium source.ts_ms) → arrival at the hop's cluster (broker LogAppendTime), seconds; up to ${samplesPerSecond} records/s per topic, above that a sample`, labelNames: ["hop", "topic"], buckets: LATENCY_BUCKETS, registers: [registry] });
    this.counter = new Counter({ name: METRICS.hopRecords, help: "records arrived at the hop's cluster (growth of the topic's end offsets, as the probe fetches it)", labelNames: ["hop", "topic"], registers: [registry] });
  }

  /** A fetch of `partition`: its first record's offset and the partition's end (exposed for tests). */
  fetched(hop: Hop, topic: string, partition: number, firstOffset: number, highWatermark: number, nowMs: number): void {
    const key = `${hop}|${topic}`;
    const a = this.arrivals.get(key) ?? new ArrivalCount();
    this.arrivals.set(key, a);
    const added = a.saw(partition, firstOffset, highWatermark, nowMs);
    if (added > 0) this.counter.inc({ hop, topic }, added);
  }

  /** Times one arrival (exposed for tests). */
  observe(hop: Hop, topic: string, value: Record<string, unknown> | undefined, arrivalMs: number): void {
    const key = `${hop}|${topic}`;
    const latencyMs = value ? commitToArrivalMs(value, arrivalMs) : undefined;
    if (latencyMs !== undefined) this.histogram.observe({ hop, topic }, latencyMs / 1000);
    const list = this.samples.get(key) ?? [];
    list.push({ at: arrivalMs, latencyMs });
    const cut = arrivalMs - this.keepMs;
    // Pruned in chunks, not per record: a splice at the front moves the whole array, which per record
    // at 1,000 records/s (the cap reached) would be a copy of 200,000 entries a millisecond.
    if (list.length > MAX_SAMPLES + MAX_SAMPLES / 10 || (list[0] && list[0].at < cut - PRUNE_SLACK_MS)) {
      const i = list.findIndex((s) => s.at >= cut);
      list.splice(0, Math.max(i < 0 ? list.length : i, list.length - MAX_SAMPLES));
    }
    this.samples.set(key, list);
  }

  /** Per hop and topic: latency quantiles of the records kept (arrived since `sinceMs`, default: all kept). */
  stats(now = Date.now(), sinceMs?: number): HopStats[] {
    const out: HopStats[] = [];
    for (const hop of ["onprem", "cloud"] as const) {
      for (const topic of this.topics) {
        const key = `${hop}|${topic}`;
        const all = this.samples.get(key) ?? [];
        const list = sinceMs === undefined ? all : all.filter((s) => s.at >= sinceMs);
        const lat: number[] = [];
        for (const s of list) if (s.latencyMs !== undefined) lat.push(s.latencyMs);
        const a = this.arrivals.get(key);
        out.push({
          hop,
          topic,
          records: a?.total ?? 0,
          kept: list.length,
          since: a?.since,
          p50Ms: percentile(lat, 50),
          p99Ms: percentile(lat, 99),
          ratePerSecond: a?.ratePerSecond(now) ?? 0,
          lastArrival: list[list.length - 1]?.at,
        });
      }
    }
    return out;
  }

  async start(clusters: Record<Hop, ClusterClient>, log: { warn: (m: string) => void }): Promise<void> {
    for (const hop of ["onprem", "cloud"] as const) {
      void this.run(hop, clusters[hop], log);
    }
  }

  private async run(hop: Hop, cluster: ClusterClient, log: { warn: (m: string) => void }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // A group of its own each time, never committed: every start begins at the topics' end.
      // A fetch waits 1 s: latencies come from the broker's append times, not from when the probe
      // reads, so waiting only saves fetches (FETCH_BYTES).
      const consumer = cluster.kafka.consumer({
        groupId: `bridge-console-probe-${hop}-${process.pid}-${Date.now()}`,
        maxWaitTimeInMs: 1000,
        minBytes: FETCH_BYTES,
        maxBytes: FETCH_BYTES,
        maxBytesPerPartition: FETCH_BYTES_PER_PARTITION,
        sessionTimeout: 10000,
        heartbeatInterval: 2000,
      });
      this.consumers.push(consumer);
      try {
        await consumer.connect();
        for (const topic of this.topics) await consumer.subscribe({ topic, fromBeginning: false });
        let crashed!: (e: unknown) => void;
        const crash = new Promise<never>((_, reject) => (crashed = reject));
        consumer.on(consumer.events.CRASH, (e) => crashed(e.payload.error));
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch, pause }) => {
            const key = `${hop}|${batch.topic}`;
            const first = batch.messages[0];
            if (!first) return;
            const now = Date.now();
            this.fetched(hop, batch.topic, batch.partition, Number(first.offset), Number(batch.highWatermark), now);
            for (const m of batch.messages) {
              if (!this.gate.take(key, now)) {
                // This second's samples are spent: skip to the end, read again in the next second.
                consumer.seek({ topic: batch.topic, partition: batch.partition, offset: batch.highWatermark });
                const resume = pause();
                setTimeout(resume, this.gate.waitMs(key, now)).unref();
                return;
              }
              let v: Record<string, unknown> | undefined;
              try {
                v = m.value ? (JSON.parse(m.value.toString("utf8")) as Record<string, unknown>) : undefined;
              } catch {
                v = undefined;
              }
              this.observe(hop, batch.topic, v, Number(m.timestamp));
            }
          },
        });
        delete this.errors[hop];
        await crash;
      } catch (e) {
        this.errors[hop] = errorText(e);
        if (attempt % 10 === 0) log.warn(`hop probe ${hop}: ${errorText(e)}; retrying`);
      }
      await consumer.disconnect().catch(() => undefined);
      this.consumers.splice(this.consumers.indexOf(consumer), 1);
      if (this.stopped) return;
      await new Promise((r) => setTimeout(r, 3000));
    }
  }

  private stopped = false;

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.consumers.map((c) => c.disconnect().catch(() => undefined)));
  }
}
