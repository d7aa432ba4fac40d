/**
 * The live state behind every page, refreshed every few seconds from independent sources (each
 * with its timeout): a down component shows red with its reason while the others keep updating.
 */
import { ConsoleConfig } from "./config";
import { METRICS } from "./metric-names";
import { HopProbe, HopStats } from "./probe";
import { ClusterClient, ConnectClient, LakeClient, LakeTopic, PrometheusClient, tcpReachable } from "./sources";
import {
  ConnectorStatus, CounterSample, Health, Sourced, counterRate, judgeCluster, judgeConnectors, judgeReachable, judgeSink, recordsHeld, replicationLag, vectorSum,
} from "./views";

export const COMPONENTS = ["database", "debezium", "onprem", "mm2", "cloud", "sink", "lake", "powerbi"] as const;
export type Component = (typeof COMPONENTS)[number];
export const COMPONENT_LABEL: Record<Component, string> = {
  database: "Orders database",
  debezium: "Debezium",
  onprem: "On-prem Kafka",
  mm2: "MirrorMaker 2",
  cloud: "Cloud Kafka",
  sink: "Lake sink",
  lake: "Lake (ADLS Gen2)",
  powerbi: "Power BI",
};

export interface Arrow {
  readonly from: Component;
  readonly to: Component;
  /** records/s now, undefined when unknown. */
  readonly rate?: number;
  /** Lag now, as text ("12 records", "0.8 s behind"). */
  readonly lag: string;
}

export interface Snapshot {
  readonly at: number;
  readonly health: Record<Component, Health>;
  readonly arrows: readonly Arrow[];
  readonly connectors: Sourced<ConnectorStatus[]>;
  readonly probe: readonly HopStats[];
  readonly probeErrors: Readonly<Record<string, string>>;
  readonly lake: Sourced<LakeTopic[]>;
  readonly onPremRecords?: number;
  readonly cloudRecords?: number;
  readonly replicationLag?: number;
  readonly sinkLag?: number;
  readonly behindSourceMs?: number;
  readonly prometheus: Health;
}

/** How often the lake is listed (its files, records and newest file's age in the snapshots between). */
export const LAKE_LIST_EVERY_MS = 30000;

/**
 * With nobody watching (no page open, no request for a while) the collector refreshes at most this
 * often: its figures feed only the pages (Prometheus keeps the history, from the probe and the
 * services' own metrics), and each refresh asks every cluster, Connect, Prometheus and the lake.
 */
export const UNWATCHED_REFRESH_MS = 60000;
/** The refresh period while someone watches. */
export const WATCHED_REFRESH_MS = 5000;

export class Collector {
  latest: Snapshot | undefined;
  private prev: { onPrem?: CounterSample; cloud?: CounterSample; landed?: CounterSample } = {};
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Snapshot> | undefined;
  private lakeListing: { at: number; result: Sourced<LakeTopic[]> } | undefined;

  constructor(
    private readonly c: ConsoleConfig,
    readonly clusters: { onprem: ClusterClient; cloud: ClusterClient },
    readonly connect: ConnectClient,
    readonly prometheus: PrometheusClient,
    readonly lake: LakeClient,
    readonly probe: HopProbe | undefined,
  ) {}

  /** Refreshes every `periodMs` while `watched()`, else every UNWATCHED_REFRESH_MS. */
  start(periodMs = WATCHED_REFRESH_MS, onSnapshot: (s: Snapshot) => void = () => undefined, watched: () => boolean = () => true): void {
    const tick = () => {
      if (!watched() && this.latest && Date.now() - this.latest.at < UNWATCHED_REFRESH_MS) return;
      void this.refresh().then(onSnapshot, () => undefined);
    };
    tick();
    this.timer = setInterval(tick, periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One refresh at a time; callers during one share it. */
  refresh(): Promise<Snapshot> {
    this.running ??= this.collect().finally(() => (this.running = undefined));
    return this.running;
  }

  private async topicRecords(cluster: ClusterClient): Promise<Sourced<{ records: number; offsets: Map<string, Awaited<ReturnType<ClusterClient["offsets"]>>> }>> {
    const offsets = new Map<string, Awaited<ReturnType<ClusterClient["offsets"]>>>();
    let records = 0;
    for (const t of this.c.topics) {
      const o = await cluster.offsets(t);
      if (!o.ok) return o;
      offsets.set(t, o);
      records += recordsHeld(o.value);
    }
    return { ok: true, value: { records, offsets }, at: Date.now() };
  }

  /**
   * The lake's files, listed at most every LAKE_LIST_EVERY_MS: a listing reads every blob's entry (XML
   * parsed by the Azure SDK), which at a 5 s refresh was the console's largest CPU cost once the probe
   * sampled (bench/cpu-profile.ts); files land every few seconds at most per topic and partition.
   */
  private async lakeTopics(now: number): Promise<Sourced<LakeTopic[]>> {
    const last = this.lakeListing;
    if (last && now - last.at < LAKE_LIST_EVERY_MS) return last.result;
    const result = await this.lake.topics();
    this.lakeListing = { at: now, result };
    return result;
  }

  private async collect(): Promise<Snapshot> {
    const c = this.c;
    const t = c.sourceTimeoutMs;
    const now = Date.now();
    const [db, connectors, onCluster, cloudCluster, onRecs, cloudRecs, group, lake, promUp, behind, landed] = await Promise.all([
      c.db ? tcpReachable(c.db.host, c.db.port, t) : Promise.resolve<Sourced<string>>({ ok: false, error: "no database configured", at: now }),
      this.connect.status(),
      this.clusters.onprem.describe(),
      this.clusters.cloud.describe(),
      this.topicRecords(this.clusters.onprem),
      this.topicRecords(this.clusters.cloud),
      c.target === "local" ? this.clusters.cloud.group(c.sinkGroup, c.topics) : Promise.resolve(undefined),
      this.lakeTopics(now),
      this.prometheus.instant("up"),
      this.prometheus.instant(`max(${METRICS.debeziumBehindSource})`),
      this.prometheus.instant(`sum(${METRICS.sinkRecordsLanded})`),
    ]);
    const isMirror = (x: ConnectorStatus & { connectorClass?: string }) => /mirror|replicator/i.test(`${x.connectorClass ?? ""} ${x.name}`);
    const health: Record<Component, Health> = {
      database: judgeReachable(db, "database"),
      debezium: judgeConnectors(connectors, (x) => !isMirror(x) && x.type !== "sink", "Debezium"),
      onprem: judgeCluster(onCluster, "on-prem Kafka"),
      mm2: judgeConnectors(connectors, (x) => isMirror(x) && /source/i.test(`${(x as { connectorClass?: string }).connectorClass ?? x.name}`), "MirrorMaker 2 source"),
      cloud: judgeCluster(cloudCluster, "cloud Kafka"),
      sink:
        group === undefined
          ? { state: "unknown", reason: c.target === "event-hubs" ? "Event Hubs Capture lands the data (not observable from on-prem)" : "Confluent's managed sink lands the data (Confluent Cloud console)" }
          : judgeSink(group, 100000),
      lake: lake.ok ? { state: "up", reason: `${lake.value.reduce((n, x) => n + x.files, 0)} files, newest ${ageText(now, Math.max(0, ...lake.value.map((x) => x.newestAt)))}` } : { state: "down", reason: `lake: ${lake.error}` },
      powerbi: c.pbids ? { state: "up", reason: ".pbids ready to download" } : { state: "unknown", reason: "no .pbids configured" },
    };
    const rate = (key: "onPrem" | "cloud" | "landed", value: number | undefined) => {
      if (value === undefined) return undefined;
      const sample = { value, at: now };
      const r = counterRate(this.prev[key], sample);
      this.prev[key] = sample;
      return r;
    };
    const onPremRecords = onRecs.ok ? onRecs.value.records : undefined;
    const cloudRecords = cloudRecs.ok ? cloudRecs.value.records : undefined;
    const sinkLag = group?.ok ? group.value.lag : undefined;
    // Landed = what the cloud topic holds minus what the sink has not committed.
    const landedNow = landed.ok ? vectorSum(landed.value) : cloudRecords !== undefined && sinkLag !== undefined ? cloudRecords - sinkLag : undefined;
    const onRate = rate("onPrem", onPremRecords);
    const cloudRate = rate("cloud", cloudRecords);
    const landRate = rate("landed", landedNow);
    const behindMs = behind.ok ? vectorSum(behind.value) : undefined;
    let repLag: number | undefined;
    if (onRecs.ok && cloudRecs.ok) {
      repLag = 0;
      for (const topic of c.topics) {
        const s = onRecs.value.offsets.get(topic);
        const d = cloudRecs.value.offsets.get(topic);
        if (s?.ok && d?.ok) repLag += replicationLag(s.value, d.value);
      }
    }
    const probe = this.probe?.stats(now) ?? [];
    const p50 = (hop: string) => {
      const xs = probe.filter((p) => p.hop === hop && p.p50Ms !== undefined).map((p) => p.p50Ms!);
      return xs.length ? Math.max(...xs) : undefined;
    };
    const sec = (ms: number | undefined) => (ms === undefined ? "–" : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 0)} s`);
    const arrows: Arrow[] = [
      { from: "database", to: "debezium", rate: undefined, lag: `behind source ${behindMs === undefined ? "–" : sec(behindMs)}` },
      { from: "debezium", to: "onprem", rate: onRate, lag: `p50 commit→topic ${sec(p50("onprem"))}` },
      { from: "onprem", to: "mm2", rate: onRate, lag: `${repLag ?? "–"} records behind` },
      { from: "mm2", to: "cloud", rate: cloudRate, lag: `p50 commit→cloud ${sec(p50("cloud"))}` },
      { from: "cloud", to: "sink", rate: landRate, lag: `${sinkLag ?? "–"} records behind` },
      { from: "sink", to: "lake", rate: landRate, lag: lake.ok ? `newest file ${ageText(now, Math.max(0, ...lake.value.map((x) => x.newestAt)))}` : "–" },
      { from: "lake", to: "powerbi", rate: undefined, lag: "on refresh" },
    ];
    const snap: Snapshot = {
      at: now,
      health,
      arrows,
      connectors,
      probe,
      probeErrors: { ...(this.probe?.errors ?? {}) },
      lake,
      onPremRecords,
      cloudRecords,
      replicationLag: repLag,
      sinkLag,
      behindSourceMs: behindMs,
      prometheus: promUp.ok ? { state: "up", reason: `${promUp.value.filter((u) => u.value[1] === "1").length}/${promUp.value.length} targets up` } : { state: "down", reason: promUp.error },
    };
    this.latest = snap;
    return snap;
  }
}

export function ageText(now: number, at: number): string {
  if (!at) return "never";
  const s = Math.max(0, Math.round((now - at) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${(s / 3600).toFixed(1)} h ago`;
}
