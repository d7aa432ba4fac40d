/**
 * The console's HTTP server (node:http, no framework), bound to 127.0.0.1 only: pages, their live
 * updates (Server-Sent Events), the JSON of the message browser, /metrics (prom-client), and the
 * two actions behind the credential and the cross-site checks (src/security.ts).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "http";
import { Logger } from "@bridge-to-azure/service-kit";
import { Registry } from "prom-client";
import { formatReconciliation } from "../../../verify/reconcile";
import { DEFAULT_WAIT_S, TopicVerdict, verifyTopics } from "../../../verify/run";
import { Collector, Snapshot, WATCHED_REFRESH_MS } from "./collector";
import { ConsoleConfig } from "./config";
import { METRICS } from "./metric-names";
import * as pages from "./pages";
import { ClusterView, kafkaConfig, latestMessages, readSupervisorHistory, sourced, SupervisorRestart, withTimeout } from "./sources";
import { checkAction, credentialMatches, sameOrigin, sessionCookie } from "./security";
import { APP_CSS, APP_JS } from "./static";
import { displayValue, quantileQuery, RangeName, RANGES, rateWindow, Series, seriesFromMatrix, Sourced, stepFor } from "./views";

/** A snapshot older than two watched refreshes is refreshed when asked for. */
const STALE_SNAPSHOT_MS = 2 * WATCHED_REFRESH_MS;
/** How long after a page or API request the console counts as watched (a reload between live pages). */
const WATCHED_FOR_MS = 30000;

const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

export interface ServerDeps {
  readonly config: ConsoleConfig;
  readonly collector: Collector;
  readonly registry: Registry;
  readonly log: Logger;
}

export class ConsoleServer {
  readonly server: Server;
  private lastRequestAt = 0;
  private readonly streams = new Set<{ res: ServerResponse; page: string; query: URLSearchParams }>();
  private verifyRunning: Promise<{ ok: boolean; report: string }> | undefined;

  constructor(private readonly d: ServerDeps) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        d.log.warn(`request ${req.method} ${req.url?.split("?")[0]} failed: ${(e as Error).message}`);
        if (!res.headersSent) this.json(res, 500, { error: "internal error" });
        else res.end();
      });
    });
    this.server.keepAliveTimeout = 5000;
  }

  get origin(): string {
    return `http://${this.d.config.bind}:${this.d.config.port}`;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.d.config.port, this.d.config.bind, () => resolve());
    });
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.res.end();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Pushes every open page's live region (called after each refresh). */
  async broadcast(s: Snapshot): Promise<void> {
    for (const st of [...this.streams]) {
      try {
        const html = await this.live(st.page as pages.PageName, st.query, s);
        st.res.write(`event: live\ndata: ${html.replace(/\n/g, "\ndata: ")}\n\n`);
      } catch (e) {
        this.d.log.debug(`stream ${st.page}: ${(e as Error).message}`);
      }
    }
  }

  private send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
    res.writeHead(status, { ...SECURITY_HEADERS, "content-type": type, ...extra });
    res.end(body);
  }

  private json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    this.send(res, status, "application/json; charset=utf-8", JSON.stringify(body), extra);
  }

  /**
   * The latest snapshot; after a quiet spell (the collector refreshes slowly while nobody watches) a
   * fresh one is started at once and sent to the page's live stream, or awaited with `fresh`.
   */
  private async snapshot(fresh = false): Promise<Snapshot> {
    const latest = this.d.collector.latest;
    if (!latest) return this.d.collector.refresh();
    if (Date.now() - latest.at <= STALE_SNAPSHOT_MS) return latest;
    const next = this.d.collector.refresh();
    next.then((s) => this.broadcast(s), () => undefined);
    return fresh ? next : latest;
  }

  /** Someone is looking: a live page is open or a page or API call came in the last WATCHED_FOR_MS. */
  watched(now = Date.now()): boolean {
    return this.streams.size > 0 || now - this.lastRequestAt < WATCHED_FOR_MS;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page of another site resolving its name to 127.0.0.1 sends its own Host.
    const host = req.headers.host ?? "";
    if (host !== `${this.d.config.bind}:${this.d.config.port}` && host !== `localhost:${this.d.config.port}`) return this.json(res, 421, { error: `unexpected Host ${host.slice(0, 80)}` });
    const url = new URL(req.url ?? "/", this.origin);
    const path = url.pathname;
    // Prometheus' scrapes and the health probe are not someone looking.
    if (path !== "/metrics" && path !== "/healthz") this.lastRequestAt = Date.now();
    const page = pages.PAGES.find(([, href]) => href === path);
    if (req.method === "GET" && page) {
      const s = await this.snapshot();
      const live = await this.live(page[0], url.searchParams, s);
      const extra = page[0] === "clusters" ? pages.browser(await this.topicLists()) : page[0] === "lake" ? pages.verifyPanel() : page[0] === "connectors" ? pages.actionResult() : "";
      return this.send(res, 200, "text/html; charset=utf-8", pages.layout(page[2], this.d.config.deployment, page[0], live, url.searchParams.toString()).replace("</main>", `${extra}</main>`));
    }
    if (req.method === "GET" && path === "/login") return this.send(res, 200, "text/html; charset=utf-8", pages.layout("Log in", this.d.config.deployment, "login", pages.login()));
    if (req.method === "GET" && path === "/static/app.js") return this.send(res, 200, "text/javascript; charset=utf-8", APP_JS, { "cache-control": "max-age=60" });
    if (req.method === "GET" && path === "/static/app.css") return this.send(res, 200, "text/css; charset=utf-8", APP_CSS, { "cache-control": "max-age=60" });
    if (req.method === "GET" && path === "/events") return this.events(req, res, url);
    if (req.method === "GET" && path === "/metrics") return this.send(res, 200, this.d.registry.contentType, await this.d.registry.metrics());
    if (req.method === "GET" && path === "/healthz") return this.json(res, 200, { ok: true });
    if (req.method === "GET" && path === "/api/snapshot") return this.json(res, 200, await this.snapshot(true));
    if (req.method === "GET" && path === "/api/hops") {
      const since = url.searchParams.get("since");
      return this.json(res, 200, { stats: this.d.collector.probe?.stats(Date.now(), since ? Number(since) : undefined) ?? [] });
    }
    if (req.method === "GET" && path === "/api/messages") return this.messages(res, url);
    if (req.method === "GET" && path === "/powerbi.pbids") {
      if (!this.d.config.pbids) return this.json(res, 404, { error: "no .pbids configured" });
      return this.send(res, 200, "application/json", `${JSON.stringify(JSON.parse(this.d.config.pbids), null, 2)}\n`, { "content-disposition": `attachment; filename="${this.d.config.deployment}.pbids"` });
    }
    if (req.method === "POST" && path === "/login") return this.login(req, res);
    const restart = /^\/api\/connectors\/([^/]+)\/restart$/.exec(path);
    if (restart || path === "/api/verify") {
      const v = checkAction({ method: req.method ?? "", headers: req.headers }, this.origin, this.d.config.credential);
      if (!v.ok) {
        this.d.log.warn(`action ${path} refused: ${v.reason}`);
        return this.json(res, v.status, { error: v.reason });
      }
      await readBody(req, 4096);
      if (restart) {
        const name = decodeURIComponent(restart[1]!);
        await this.d.collector.connect.restart(name);
        this.d.log.info(`connector ${name}: restart requested from the console`);
        void this.d.collector.refresh();
        return this.json(res, 202, { restarted: name });
      }
      return this.json(res, 200, await this.runVerify());
    }
    return this.json(res, 404, { error: "not found" });
  }

  private async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const o = sameOrigin({ method: "POST", headers: req.headers }, this.origin);
    if (!o.ok) return this.json(res, o.status, { error: o.reason });
    let given: string | undefined;
    try {
      given = (JSON.parse((await readBody(req, 4096)) || "{}") as { credential?: string }).credential;
    } catch {
      return this.json(res, 400, { error: "body must be JSON {credential}" });
    }
    if (!credentialMatches(given, this.d.config.credential)) {
      this.d.log.warn("login refused: wrong credential");
      return this.json(res, 401, { error: "wrong credential" });
    }
    return this.json(res, 200, { ok: true }, { "set-cookie": sessionCookie(this.d.config.credential) });
  }

  private events(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const page = url.searchParams.get("page") ?? "overview";
    if (!pages.PAGES.some(([id]) => id === page)) return this.json(res, 404, { error: "no such page" });
    res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive" });
    res.write("retry: 3000\n\n");
    const st = { res, page, query: url.searchParams };
    this.streams.add(st);
    req.on("close", () => this.streams.delete(st));
    void this.broadcastOne(st);
  }

  private async broadcastOne(st: { res: ServerResponse; page: string; query: URLSearchParams }): Promise<void> {
    const s = await this.snapshot();
    const html = await this.live(st.page as pages.PageName, st.query, s);
    st.res.write(`event: live\ndata: ${html.replace(/\n/g, "\ndata: ")}\n\n`);
  }

  private async topicLists(): Promise<Record<"onprem" | "cloud", string[]>> {
    const list = async (id: "onprem" | "cloud") => {
      const r = await sourced(async () => {
        const a = this.d.collector.clusters[id].kafka.admin();
        await a.connect();
        try {
          // The replicated topics first, then the other CDC topics, Connect's own last.
          const rank = (t: string) => (this.d.config.topics.includes(t) ? 0 : t.startsWith(`${this.d.config.dc}_`) ? 1 : 2);
          return (await a.listTopics()).filter((t) => !t.startsWith("__")).sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
        } finally {
          await a.disconnect();
        }
      }, this.d.config.sourceTimeoutMs, id);
      return r.ok ? r.value : [...this.d.config.topics];
    };
    const [onprem, cloud] = await Promise.all([list("onprem"), list("cloud")]);
    return { onprem, cloud };
  }

  private async messages(res: ServerResponse, url: URL): Promise<void> {
    const cluster = url.searchParams.get("cluster");
    const topic = url.searchParams.get("topic") ?? "";
    const n = Number(url.searchParams.get("n") ?? "20");
    if (cluster !== "onprem" && cluster !== "cloud") return this.json(res, 400, { error: "cluster must be onprem or cloud" });
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) return this.json(res, 400, { error: "topic must be a topic name" });
    if (!Number.isInteger(n) || n < 1 || n > 200) return this.json(res, 400, { error: "n must be an integer 1..200" });
    // Connect's internal topics hold connector configs (secrets by reference, but still): not browsable.
    if (/^(connect-|_connect|mm2-|__)/.test(topic) || /config|offsets|status/.test(topic)) return this.json(res, 403, { error: `${topic}: internal topics are not shown` });
    try {
      const msgs = await latestMessages(this.d.collector.clusters[cluster], topic, n, this.d.config.sourceTimeoutMs);
      const fields = this.d.config.maskedFields;
      return this.json(res, 200, { cluster, topic, masked: fields, messages: msgs.slice(0, n).map((m) => ({ ...m, key: m.key === null ? null : displayValue(m.key, fields, 400), value: displayValue(m.value, fields) })) });
    } catch (e) {
      return this.json(res, 200, { error: `${topic} on ${cluster}: ${(e as Error).message}` });
    }
  }

  private runVerify(): Promise<{ ok: boolean; report: string }> {
    const c = this.d.config;
    this.verifyRunning ??= (async () => {
      if (!c.db) return { ok: false, report: "verify needs the database password (CONSOLE_DB_PASSWORD_FILE)" };
      if (!c.lake.accountKey && !c.lake.entra) return { ok: false, report: "verify needs the lake key (CONSOLE_LAKE_KEY_FILE) or its Entra ID client (CONSOLE_LAKE_CLIENT_ID)" };
      try {
        const verdicts: TopicVerdict[] = await withTimeout(
          verifyTopics({ onPrem: kafkaConfig(c.onPrem, "bridge-console-verify"), cloud: kafkaConfig(c.cloud, "bridge-console-verify"), lake: c.lake, db: c.db }, c.dc, c.topics, DEFAULT_WAIT_S),
          180000,
          "verify",
        );
        const report = verdicts.map((v) => ("skipped" in v ? `${v.topic}: ${v.skipped}, skipped` : formatReconciliation(`${v.table} → ${v.topic} (${v.files} lake files)`, v.result))).join("\n\n");
        const ok = verdicts.every((v) => !("result" in v) || v.result.ok);
        this.d.log.info(`verify run from the console: ${ok ? "OK" : "FAILED"}`);
        return { ok, report };
      } catch (e) {
        return { ok: false, report: `verify failed: ${(e as Error).message}` };
      }
    })().finally(() => (this.verifyRunning = undefined));
    return this.verifyRunning;
  }

  private range(q: URLSearchParams): { range: RangeName; fromMs: number; toMs: number; step: number } {
    const r = (q.get("range") ?? "1h") as RangeName;
    const range = r in RANGES ? r : "1h";
    const toMs = Date.now();
    const seconds = RANGES[range];
    return { range, fromMs: toMs - seconds * 1000, toMs, step: stepFor(seconds) };
  }

  private async q(query: string, fromMs: number, toMs: number, step: number, name: (m: Readonly<Record<string, string>>) => string): Promise<Sourced<Series[]>> {
    const r = await this.d.collector.prometheus.range(query, Math.floor(fromMs / 1000), Math.floor(toMs / 1000), step);
    return r.ok ? { ok: true, value: seriesFromMatrix(r.value, name), at: r.at } : r;
  }

  /** The live region of a page. */
  async live(page: pages.PageName, query: URLSearchParams, s: Snapshot): Promise<string> {
    const c = this.d.config;
    switch (page) {
      case "overview":
        return pages.overview(s);
      case "hops": {
        const { range, fromMs, toMs, step } = this.range(query);
        const w = rateWindow(step);
        const byTopic = (m: Readonly<Record<string, string>>) => m.topic ?? "all";
        const hop = async (id: "onprem" | "cloud", label: string) => {
          const sel = `{hop="${id}"}`;
          const [throughput, p50, p99] = await Promise.all([
            this.q(`sum by (topic) (rate(${METRICS.hopRecords}${sel}[${w}]))`, fromMs, toMs, step, byTopic),
            this.q(quantileQuery(METRICS.hopLatency, 0.5, ["topic"], w, sel), fromMs, toMs, step, byTopic),
            this.q(quantileQuery(METRICS.hopLatency, 0.99, ["topic"], w, sel), fromMs, toMs, step, byTopic),
          ]);
          return { id, label, throughput, p50, p99 };
        };
        const lakeHop = async () => {
          const [throughput, p50, p99] = await Promise.all([
            this.q(`sum by (topic) (rate(${METRICS.sinkRecordsLanded}[${w}]))`, fromMs, toMs, step, byTopic),
            this.q(quantileQuery(METRICS.sinkCommitToLand, 0.5, ["topic"], w), fromMs, toMs, step, byTopic),
            this.q(quantileQuery(METRICS.sinkCommitToLand, 0.99, ["topic"], w), fromMs, toMs, step, byTopic),
          ]);
          return { id: "lake", label: "commit → lake (the sink's histogram)", throughput, p50, p99 };
        };
        const behind = await this.q(`max(${METRICS.debeziumBehindSource}) / 1000`, fromMs, toMs, step, () => "behind source");
        const [a, b, l] = await Promise.all([hop("onprem", "commit → on-prem topic"), hop("cloud", "commit → cloud topic"), lakeHop()]);
        return pages.hops(s, { range, fromMs, toMs, hops: [{ ...a, lagSeconds: behind }, b, l] });
      }
      case "clusters": {
        const [onprem, cloud] = await Promise.all([this.d.collector.clusters.onprem.view(), this.d.collector.clusters.cloud.view()]);
        return pages.clusters(s, { onprem, cloud } as Record<"onprem" | "cloud", Sourced<ClusterView>>);
      }
      case "connectors": {
        const history: Sourced<SupervisorRestart[]> = c.supervisorHistoryDir
          ? await sourced(async () => readSupervisorHistory(c.supervisorHistoryDir!), c.sourceTimeoutMs, "supervisor history")
          : { ok: false, error: "no history directory configured", at: Date.now() };
        return pages.connectors(s, history, await this.d.collector.connect.workers());
      }
      case "replication": {
        const { range, fromMs, toMs, step } = this.range(query);
        const w = rateWindow(step);
        const [throughput, latency] = await Promise.all([
          // MirrorMaker 2's own per-topic count (kafka.connect.mirror MBeans), not Connect's task metric: the connector is named per site.
          this.q(`sum by (topic) (rate(${METRICS.mm2RecordCount}[${w}]))`, fromMs, toMs, step, (m) => m.topic ?? "all"),
          this.q(`max by (topic) (${METRICS.mm2ReplicationLatency})`, fromMs, toMs, step, (m) => m.topic ?? "all"),
        ]);
        return pages.replication(s, { throughput, latency, fromMs, toMs, range });
      }
      case "lake":
        return pages.lake(s);
      case "powerbi": {
        const topic = c.topics.find((t) => t.endsWith("sales_order_details")) ?? c.topics[0]!;
        return pages.powerbi(s, await this.d.collector.lake.sales(topic, 6), c.pbids !== undefined, topic);
      }
    }
  }
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
