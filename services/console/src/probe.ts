/**
 * The hop probe: one consumer per cluster on every replicated topic, from the end at start (a group
 * id of its own, never committing), timing each record commit → arrival at that cluster with
 * verify's rule (verify/latency.ts: Debezium's source.ts_ms → the broker's LogAppendTime). Exported
 * as prom-client histograms for Prometheus (history) and kept for the last minutes in memory
 * (quantiles by verify's nearest rank, so the console and `npm run verify` agree on the same records).
 */
import { Consumer } from "kafkajs";
import { Counter, Histogram, Registry } from "prom-client";
import { commitToArrivalMs } from "../../../verify/latency";
import { percentile } from "../../../verify/reconcile";
import { METRICS } from "./metric-names";
import { ClusterClient, errorText } from "./sources";

export type Hop = "onprem" | "cloud";
export const HOP_LABEL: Record<Hop, string> = { onprem: "commit → on-prem topic", cloud: "commit → cloud topic" };

/** Seconds; MariaDB's source.ts_ms has second precision, hence nothing finer than 50 ms. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];

export interface HopStats {
  readonly hop: Hop;
  readonly topic: string;
  readonly records: number;
  /** Of them, the arrivals kept (the window's, since `sinceMs` when asked) that the quantiles are of. */
  readonly kept: number;
  /** Epoch ms of the first record measured (the probe starts at the topic's end). */
  readonly since?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** Records/s over the last minute. */
  readonly ratePerSecond: number;
  readonly lastArrival?: number;
}

/** Arrivals kept per hop and topic (the window's records, at most this many). */
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
  private readonly totals = new Map<string, { records: number; since?: number }>();
  private readonly consumers: Consumer[] = [];
  readonly errors: Partial<Record<Hop, string>> = {};

  constructor(
    registry: Registry,
    private readonly topics: readonly string[],
    private readonly keepMs = 15 * 60 * 1000,
  ) {
    this.histogram = new Histogram({ name: METRICS.hopLatency, help: "commit (the latency probe's µs column, else Debezium source.ts_ms) → arrival at the hop's cluster (broker LogAppendTime), seconds", labelNames: ["hop", "topic"], buckets: LATENCY_BUCKETS, registers: [registry] });
    this.counter = new Counter({ name: METRICS.hopRecords, help: "records the hop probe saw", labelNames: ["hop", "topic"], registers: [registry] });
  }

  /** Records one arrival (exposed for tests). */
  observe(hop: Hop, topic: string, value: Record<string, unknown> | undefined, arrivalMs: number): void {
    const key = `${hop}|${topic}`;
    const latencyMs = value ? commitToArrivalMs(value, arrivalMs) : undefined;
    this.counter.inc({ hop, topic });
    if (latencyMs !== undefined) this.histogram.observe({ hop, topic }, latencyMs / 1000);
    const t = this.totals.get(key) ?? { records: 0 };
    t.records++;
    t.since ??= arrivalMs;
    this.totals.set(key, t);
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
        const list = (this.samples.get(key) ?? []).filter((s) => sinceMs === undefined || s.at >= sinceMs);
        const lat = list.flatMap((s) => (s.latencyMs === undefined ? [] : [s.latencyMs]));
        const lastMinute = list.filter((s) => s.at >= now - 60000).length;
        out.push({
          hop,
          topic,
          records: this.totals.get(key)?.records ?? 0,
          kept: list.length,
          since: this.totals.get(key)?.since,
          p50Ms: percentile(lat, 50),
          p99Ms: percentile(lat, 99),
          ratePerSecond: lastMinute / 60,
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
      const consumer = cluster.kafka.consumer({ groupId: `bridge-console-probe-${hop}-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 250, sessionTimeout: 10000, heartbeatInterval: 2000 });
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
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
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
