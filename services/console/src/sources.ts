/**
 * The console's data sources, each independent and bounded by a timeout: a source that is down
 * gives its reason (Sourced.ok = false) and the others keep working.
 */
import { readdirSync, readFileSync } from "fs";
import { connect as netConnect } from "net";
import { join } from "path";
import { Admin, Kafka, KafkaConfig, logLevel } from "kafkajs";
import { lakeContainer, parseJsonExact } from "../../../verify/sources";
import { ConsoleConfig, KafkaAccess } from "./config";
import { ConnectorStatus, PartitionOffsets, PromMatrixItem, PromVectorItem, Sourced, groupLag } from "./views";

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      timer.unref();
    }),
  ]);
}

/** Runs `fn` within the timeout; any failure becomes the reason. */
export async function sourced<T>(fn: () => Promise<T>, ms: number, what: string): Promise<Sourced<T>> {
  try {
    return { ok: true, value: await withTimeout(fn(), ms, what), at: Date.now() };
  } catch (e) {
    return { ok: false, error: errorText(e), at: Date.now() };
  }
}

/** Longest reason a page shows for a failed source (Entra ID's AADSTS texts run to a thousand characters). */
export const MAX_REASON_CHARS = 300;

/** `text` on one line and at most `max` characters; a cut one ends in "…" (never half a surrogate pair). */
export function cutText(text: string, max = MAX_REASON_CHARS): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  let head = line.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}…`;
}

export function errorText(e: unknown): string {
  const err = e as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = err?.code ?? err?.cause?.code;
  const msg = err?.message ?? String(e);
  return cutText(code && !msg.includes(code) ? `${msg} (${code})` : msg);
}

// --- Kafka ---------------------------------------------------------------------------------------

export function kafkaConfig(access: KafkaAccess, clientId: string): KafkaConfig {
  return {
    brokers: [...access.brokers],
    clientId,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1000 },
    ...(access.sasl ? { ssl: access.ca ? { ca: [access.ca] } : true, sasl: { mechanism: "plain" as const, ...access.sasl } } : {}),
  };
}

export interface TopicView {
  readonly name: string;
  readonly partitions: ReadonlyArray<PartitionOffsets & { readonly leader: number; readonly replicas: number; readonly isr: number }>;
}
export interface GroupView {
  readonly groupId: string;
  readonly state: string;
  readonly members: number;
  readonly lag: number;
  readonly topics: readonly string[];
}
export interface ClusterView {
  readonly brokers: ReadonlyArray<{ readonly nodeId: number; readonly host: string; readonly port: number }>;
  readonly controller: number | null;
  readonly topics: readonly TopicView[];
  readonly groups: readonly GroupView[];
}

/** One cluster's admin, reconnected after a failure. */
export class ClusterClient {
  readonly kafka: Kafka;
  private admin: Admin | undefined;

  constructor(
    readonly name: string,
    readonly access: KafkaAccess,
    private readonly timeoutMs: number,
  ) {
    this.kafka = new Kafka(kafkaConfig(access, `bridge-console-${name}`));
  }

  private async connected(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = this.kafka.admin();
    await admin.connect();
    this.admin = admin;
    return admin;
  }

  private async use<T>(fn: (a: Admin) => Promise<T>, what: string): Promise<Sourced<T>> {
    const r = await sourced(async () => fn(await this.connected()), this.timeoutMs, `${this.name} ${what}`);
    if (!r.ok) {
      const a = this.admin;
      this.admin = undefined;
      void a?.disconnect().catch(() => undefined);
    }
    return r;
  }

  describe(): Promise<Sourced<{ brokers: number; controller: number | null }>> {
    return this.use(async (a) => {
      const c = await a.describeCluster();
      return { brokers: c.brokers.length, controller: c.controller };
    }, "describeCluster");
  }

  offsets(topic: string): Promise<Sourced<PartitionOffsets[]>> {
    return this.use(async (a) => (await a.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, high: Number(o.high), low: Number(o.low) })), `offsets of ${topic}`);
  }

  /** Lag of one consumer group on `topics` (members from describeGroups). */
  group(groupId: string, topics: readonly string[]): Promise<Sourced<{ state: string; members: number; lag: number }>> {
    return this.use(async (a) => {
      const [d] = (await a.describeGroups([groupId])).groups;
      let lag = 0;
      for (const topic of topics) {
        const ends = (await a.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, high: Number(o.high), low: Number(o.low) }));
        const committed = (await a.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
        lag += groupLag(ends, new Map(committed.map((p) => [p.partition, Number(p.offset)])));
      }
      return { state: d?.state ?? "Unknown", members: d?.members.length ?? 0, lag };
    }, `group ${groupId}`);
  }

  view(): Promise<Sourced<ClusterView>> {
    return this.use(async (a) => {
      const cluster = await a.describeCluster();
      const names = (await a.listTopics()).filter((t) => !t.startsWith("__")).sort();
      const meta = names.length ? (await a.fetchTopicMetadata({ topics: names })).topics : [];
      const topics: TopicView[] = [];
      for (const t of meta) {
        const offsets = new Map((await a.fetchTopicOffsets(t.name)).map((o) => [o.partition, o]));
        topics.push({
          name: t.name,
          partitions: t.partitions
            .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas.length, isr: p.isr.length, high: Number(offsets.get(p.partitionId)?.high ?? 0), low: Number(offsets.get(p.partitionId)?.low ?? 0) }))
            .sort((x, y) => x.partition - y.partition),
        });
      }
      const listed = (await a.listGroups()).groups.filter((g) => !g.groupId.startsWith("bridge-console-"));
      const described = listed.length ? (await a.describeGroups(listed.map((g) => g.groupId))).groups : [];
      const groups: GroupView[] = [];
      for (const g of described) {
        const committed = await a.fetchOffsets({ groupId: g.groupId });
        let lag = 0;
        const used: string[] = [];
        for (const t of committed) {
          const topic = topics.find((x) => x.name === t.topic);
          if (!topic) continue;
          used.push(t.topic);
          lag += groupLag(topic.partitions, new Map(t.partitions.map((p) => [p.partition, Number(p.offset)])));
        }
        groups.push({ groupId: g.groupId, state: g.state, members: g.members.length, lag, topics: used });
      }
      return { brokers: cluster.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })), controller: cluster.controller, topics, groups };
    }, "cluster view");
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}

export interface BrowsedMessage {
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
  readonly key: string | null;
  readonly value: string | null;
}

/**
 * The latest `n` messages of a topic (at most `n` per partition, newest first): a throwaway
 * consumer (its own group id, no offset commits) seeking to end − n on each partition.
 */
export async function latestMessages(client: ClusterClient, topic: string, n: number, timeoutMs: number): Promise<BrowsedMessage[]> {
  const offsets = await withTimeout(
    (async () => {
      const a = client.kafka.admin();
      await a.connect();
      try {
        return await a.fetchTopicOffsets(topic);
      } finally {
        await a.disconnect();
      }
    })(),
    timeoutMs,
    `offsets of ${topic}`,
  );
  const wanted = offsets.map((o) => ({ partition: o.partition, from: Math.max(Number(o.low), Number(o.high) - n), end: Number(o.high) })).filter((p) => p.end > p.from);
  if (wanted.length === 0) return [];
  const consumer = client.kafka.consumer({ groupId: `bridge-console-browse-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 200, sessionTimeout: 10000 });
  const out: BrowsedMessage[] = [];
  const done = new Set<number>();
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const w = wanted.find((p) => p.partition === partition);
        const off = Number(message.offset);
        if (!w || off < w.from || off >= w.end) return;
        out.push({ partition, offset: message.offset, timestamp: Number(message.timestamp), key: message.key?.toString("utf8") ?? null, value: message.value?.toString("utf8") ?? null });
        if (off + 1 >= w.end) done.add(partition);
        if (done.size === wanted.length) finish();
      },
    });
    for (const w of wanted) consumer.seek({ topic, partition: w.partition, offset: String(w.from) });
    await withTimeout(finished, timeoutMs * 2, `messages of ${topic}`).catch((e) => {
      if (out.length === 0) throw e;
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return out.sort((a, b) => b.timestamp - a.timestamp || Number(b.offset) - Number(a.offset));
}

// --- Kafka Connect -------------------------------------------------------------------------------

/** Connect's REST: the first worker that answers. */
export class ConnectClient {
  constructor(
    readonly urls: readonly string[],
    private readonly timeoutMs: number,
  ) {}

  private async request(path: string, method = "GET"): Promise<unknown> {
    let last: unknown;
    for (const url of this.urls) {
      try {
        const r = await fetch(`${url}${path}`, { method, signal: AbortSignal.timeout(this.timeoutMs) });
        const text = await r.text();
        if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${text.slice(0, 200)}`);
        return text ? JSON.parse(text) : {};
      } catch (e) {
        last = e;
        if (/HTTP \d/.test(String((e as Error).message))) throw e;
      }
    }
    throw new Error(`no Connect worker answers (${this.urls.join(", ")}): ${errorText(last)}`);
  }

  status(): Promise<Sourced<ConnectorStatus[]>> {
    return sourced(async () => {
      const body = (await this.request("/connectors?expand=status&expand=info")) as Record<string, { status: ConnectorStatus; info?: { type?: string; config?: Record<string, string> } }>;
      return Object.values(body).map((c) => ({ ...c.status, type: c.info?.type ?? c.status.type, connectorClass: c.info?.config?.["connector.class"] }));
    }, this.timeoutMs * this.urls.length, "Connect REST");
  }

  /** Workers that answer GET / (their version). */
  async workers(): Promise<Array<{ url: string } & Sourced<string>>> {
    return Promise.all(
      this.urls.map(async (url) => ({
        url,
        ...(await sourced(async () => {
          const r = await fetch(`${url}/`, { signal: AbortSignal.timeout(this.timeoutMs) });
          const j = (await r.json()) as { version?: string };
          return `Kafka Connect ${j.version ?? "?"}`;
        }, this.timeoutMs, url)),
      })),
    );
  }

  async restart(name: string): Promise<void> {
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(name)) throw new Error(`connector "${name}": not a connector name`);
    await this.request(`/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=false`, "POST");
  }
}

// --- supervisor history --------------------------------------------------------------------------

export interface SupervisorRestart {
  readonly at: string;
  readonly worker?: string;
  readonly connector: string;
  readonly connectorState?: string;
  readonly failedTasks?: string;
  readonly http?: number;
  readonly cause?: string;
}

/** The supervisor's JSON lines (one file per worker), newest first, at most `max`. */
export function readSupervisorHistory(dir: string, max = 200): SupervisorRestart[] {
  const out: SupervisorRestart[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
    for (const line of readFileSync(join(dir, f), "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as SupervisorRestart);
      } catch {
        /* a line being written */
      }
    }
  }
  return out.sort((a, b) => b.at.localeCompare(a.at)).slice(0, max);
}

// --- Prometheus ----------------------------------------------------------------------------------

export class PrometheusClient {
  constructor(
    readonly url: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  private async get(path: string, params: Record<string, string>): Promise<unknown> {
    if (!this.url) throw new Error("no Prometheus configured");
    const r = await fetch(`${this.url}${path}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    const body = (await r.json()) as { status: string; data?: { result: unknown }; error?: string };
    if (body.status !== "success") throw new Error(`Prometheus: ${body.error ?? `HTTP ${r.status}`}`);
    return body.data!.result;
  }

  instant(query: string): Promise<Sourced<PromVectorItem[]>> {
    return sourced(async () => (await this.get("/api/v1/query", { query })) as PromVectorItem[], this.timeoutMs, "Prometheus");
  }

  range(query: string, startS: number, endS: number, stepS: number): Promise<Sourced<PromMatrixItem[]>> {
    return sourced(async () => (await this.get("/api/v1/query_range", { query, start: String(startS), end: String(endS), step: String(stepS) })) as PromMatrixItem[], this.timeoutMs, "Prometheus");
  }
}

// --- lake ----------------------------------------------------------------------------------------

export interface LakeTopic {
  readonly topic: string;
  readonly files: number;
  readonly bytes: number;
  /** From the files' start offsets and the newest file's lines, per partition. */
  readonly records: number;
  readonly newestAt: number;
}

interface FileSummary {
  readonly records: number;
  /** sales per "product|hour epoch ms" (sales_order_details only). */
  readonly sales: ReadonlyMap<string, number>;
}

/** The lake's listing and the per-file summaries behind the Power BI chart (cached by name and ETag). */
export class LakeClient {
  private readonly cache = new Map<string, FileSummary>();

  constructor(
    private readonly c: ConsoleConfig["lake"],
    private readonly timeoutMs: number,
    private readonly topicsDir = "topics",
  ) {}

  /** Signed in as verify/sources.ts lakeCredential says: Entra ID on an Azure lake without shared keys, the account key on Azurite. */
  private container() {
    return lakeContainer(this.c, { retryOptions: { maxTries: 1, tryTimeoutInMs: this.timeoutMs } });
  }

  private async summary(name: string, etag: string): Promise<FileSummary> {
    const key = `${name}@${etag}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const body = (await this.container().getBlobClient(name).downloadToBuffer()).toString("utf8");
    const sales = new Map<string, number>();
    let records = 0;
    for (const line of body.split("\n")) {
      if (!line.trim()) continue;
      records++;
      const v = parseJsonExact(line) as Record<string, unknown>;
      if (v.__op === "d" || v.product_id === undefined) continue;
      const ts = Number(v.__source_ts_ms);
      if (!Number.isFinite(ts)) continue;
      const hour = Math.floor(ts / 3600000) * 3600000;
      const k = `${v.product_id}|${hour}`;
      sales.set(k, (sales.get(k) ?? 0) + Number(v.quantity ?? 0) * Number(v.price ?? 0));
    }
    const s = { records, sales };
    if (this.cache.size > 5000) this.cache.clear();
    this.cache.set(key, s);
    return s;
  }

  topics(): Promise<Sourced<LakeTopic[]>> {
    return sourced(async () => {
      const container = this.container();
      if (!(await container.exists())) throw new Error(`filesystem "${this.c.filesystem}" does not exist`);
      const byTopic = new Map<string, { files: number; bytes: number; newestAt: number; parts: Map<string, Array<{ start: number; name: string; etag: string }>> }>();
      for await (const b of container.listBlobsFlat({ prefix: `${this.topicsDir}/` })) {
        const [, topic, part] = b.name.split("/");
        if (!topic) continue;
        const t = byTopic.get(topic) ?? { files: 0, bytes: 0, newestAt: 0, parts: new Map() };
        t.files++;
        t.bytes += b.properties.contentLength ?? 0;
        t.newestAt = Math.max(t.newestAt, b.properties.lastModified?.getTime() ?? 0);
        const m = /\+(\d+)\.[a-z]+$/.exec(b.name);
        const list = t.parts.get(part ?? "") ?? [];
        list.push({ start: m ? Number(m[1]) : 0, name: b.name, etag: b.properties.etag ?? "" });
        t.parts.set(part ?? "", list);
        byTopic.set(topic, t);
      }
      const out: LakeTopic[] = [];
      for (const [topic, t] of byTopic) {
        let records = 0;
        for (const files of t.parts.values()) {
          files.sort((a, b) => a.start - b.start);
          const last = files[files.length - 1]!;
          records += last.start - files[0]!.start + (await this.summary(last.name, last.etag)).records;
        }
        out.push({ topic, files: t.files, bytes: t.bytes, records, newestAt: t.newestAt });
      }
      return out.sort((a, b) => a.topic.localeCompare(b.topic));
    }, this.timeoutMs * 3, "lake");
  }

  /** Sales per product per hour from the files of `topic` modified in the last `hours` (newest `maxFiles`). */
  sales(topic: string, hours: number, maxFiles = 400): Promise<Sourced<Array<{ product: string; hour: number; amount: number }>>> {
    return sourced(async () => {
      const container = this.container();
      const since = Date.now() - hours * 3600000;
      const files: Array<{ name: string; etag: string; at: number }> = [];
      for await (const b of container.listBlobsFlat({ prefix: `${this.topicsDir}/${topic}/` })) {
        const at = b.properties.lastModified?.getTime() ?? 0;
        if (at >= since) files.push({ name: b.name, etag: b.properties.etag ?? "", at });
      }
      files.sort((a, b) => b.at - a.at);
      const total = new Map<string, number>();
      for (const f of files.slice(0, maxFiles)) for (const [k, v] of (await this.summary(f.name, f.etag)).sales) total.set(k, (total.get(k) ?? 0) + v);
      return [...total].map(([k, amount]) => {
        const [product, hour] = k.split("|");
        return { product: product!, hour: Number(hour), amount: Math.round(amount * 100) / 100 };
      });
    }, this.timeoutMs * 5, "lake sales");
  }
}

// --- TCP -----------------------------------------------------------------------------------------

/** Whether something accepts TCP connections at host:port. */
export function tcpReachable(host: string, port: number, timeoutMs: number): Promise<Sourced<string>> {
  return sourced(
    () =>
      new Promise<string>((resolve, reject) => {
        const s = netConnect({ host, port });
        s.once("connect", () => {
          s.destroy();
          resolve(`accepting connections on ${host}:${port}`);
        });
        s.once("error", (e) => reject(e));
      }),
    timeoutMs,
    `${host}:${port}`,
  );
}
