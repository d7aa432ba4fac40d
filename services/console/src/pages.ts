/** Server-rendered pages: a layout, and per page the live region the SSE stream re-renders. */
import { lineChart, stackedBars } from "./charts";
import { ageText, Arrow, Component, COMPONENT_LABEL, COMPONENTS, Snapshot } from "./collector";
import { HOP_LABEL } from "./probe";
import { ClusterView, LakeTopic, SupervisorRestart } from "./sources";
import { escapeHtml as h, fmtNumber, fmtSeconds, Health, Series, Sourced } from "./views";

export const PAGES = [
  ["overview", "/", "Overview"],
  ["hops", "/hops", "Hops"],
  ["clusters", "/clusters", "Clusters"],
  ["connectors", "/connectors", "Connectors"],
  ["replication", "/replication", "Replication"],
  ["lake", "/lake", "Lake"],
  ["powerbi", "/powerbi", "Power BI"],
] as const;
export type PageName = (typeof PAGES)[number][0];

export function layout(title: string, deployment: string, page: PageName | "login", live: string, query = ""): string {
  const nav = PAGES.map(([id, href, label]) => `<a href="${href}"${id === page ? ' class="here"' : ""}>${label}</a>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${h(title)} · ${h(deployment)}</title><link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script></head>
<body data-page="${page}" data-query="${h(query)}"><header><strong>bridge-to-azure console</strong> <span class="dep">${h(deployment)}</span><nav>${nav}</nav><span id="conn" class="pill unknown">connecting…</span> <a id="login" href="/login">log in</a></header>
<main><h1>${h(title)}</h1><div id="live">${live}</div></main></body></html>`;
}

const pill = (x: Health) => `<span class="pill ${x.state}">${x.state === "up" ? "healthy" : x.state}</span>`;
const when = (s: Snapshot) => `<p class="muted">updated ${new Date(s.at).toISOString().slice(11, 19)} UTC</p>`;
const err = (e: string) => `<p class="error">${h(e)}</p>`;

// --- overview ------------------------------------------------------------------------------------

const NODE_X = (i: number) => 20 + i * 150;

export function overview(s: Snapshot): string {
  const nodes = COMPONENTS.map((c, i) => {
    const x = NODE_X(i);
    const state = s.health[c].state;
    return `<g class="node ${state}" data-component="${c}"><rect x="${x}" y="40" width="120" height="64" rx="8"/><text x="${x + 60}" y="66" text-anchor="middle" class="name">${h(COMPONENT_LABEL[c])}</text><text x="${x + 60}" y="88" text-anchor="middle" class="state">${state === "up" ? "healthy" : state}</text></g>`;
  }).join("");
  const arrows = s.arrows.map((a: Arrow) => {
    const i = COMPONENTS.indexOf(a.from);
    const x1 = NODE_X(i) + 120, x2 = NODE_X(i + 1);
    return `<g class="arrow"><line x1="${x1 + 2}" y1="72" x2="${x2 - 4}" y2="72" marker-end="url(#head)"/><text x="${(x1 + x2) / 2}" y="128" text-anchor="middle" class="rate">${a.rate === undefined ? "–" : fmtNumber(a.rate)} rec/s</text><text x="${(x1 + x2) / 2}" y="144" text-anchor="middle" class="lag">${h(a.lag)}</text></g>`;
  }).join("");
  const svg = `<svg class="topology" viewBox="0 0 ${NODE_X(COMPONENTS.length - 1) + 140} 160" width="100%" role="img" aria-label="topology"><defs><marker id="head" markerWidth="8" markerHeight="8" refX="6" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#6b7280"/></marker></defs>${arrows}${nodes}</svg>`;
  const rows = COMPONENTS.map((c: Component) => `<tr data-component="${c}"><td>${h(COMPONENT_LABEL[c])}</td><td>${pill(s.health[c])}</td><td class="reason">${h(s.health[c].reason)}</td></tr>`).join("");
  return `${svg}<table class="health"><thead><tr><th>component</th><th>health</th><th>why</th></tr></thead><tbody>${rows}<tr data-component="prometheus"><td>Prometheus</td><td>${pill(s.prometheus)}</td><td class="reason">${h(s.prometheus.reason)}</td></tr></tbody></table>${when(s)}`;
}

// --- hops ----------------------------------------------------------------------------------------

export interface HopCharts {
  readonly range: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Per hop: throughput, p50, p99 series; or why Prometheus gave none. */
  readonly hops: ReadonlyArray<{ readonly id: string; readonly label: string; readonly throughput: Sourced<Series[]>; readonly p50: Sourced<Series[]>; readonly p99: Sourced<Series[]>; readonly lagSeconds?: Sourced<Series[]> }>;
}

const chartOf = (r: Sourced<Series[]>, title: string, unit: string, c: HopCharts, format?: (v: number) => string) =>
  r.ok ? lineChart(r.value, { title, unit, fromMs: c.fromMs, toMs: c.toMs, format }) : `<div class="chart-missing">${h(title)}: ${h(r.error)}</div>`;

export function hops(s: Snapshot, c: HopCharts): string {
  const ranges = ["15m", "1h", "6h"].map((r) => `<a href="/hops?range=${r}"${r === c.range ? ' class="here"' : ""}>${r}</a>`).join(" ");
  const now = s.probe.map((p) => `<tr data-hop="${p.hop}" data-topic="${h(p.topic)}"><td>${h(HOP_LABEL[p.hop])}</td><td>${h(p.topic)}</td><td class="num">${p.records}</td><td class="num">${fmtNumber(p.ratePerSecond)}</td><td class="num p50">${fmtSeconds(p.p50Ms === undefined ? undefined : p.p50Ms / 1000)}</td><td class="num p99">${fmtSeconds(p.p99Ms === undefined ? undefined : p.p99Ms / 1000)}</td><td>${p.since ? new Date(p.since).toISOString().slice(11, 19) : "–"}</td></tr>`).join("");
  const lagRows = `<tr><td>on-prem → cloud (MirrorMaker 2)</td><td class="num">${s.replicationLag ?? "–"}</td></tr><tr><td>cloud → lake (sink group)</td><td class="num">${s.sinkLag ?? "–"}</td></tr><tr><td>database → Debezium</td><td class="num">${fmtSeconds(s.behindSourceMs === undefined ? undefined : s.behindSourceMs / 1000)} behind source</td></tr>`;
  const perHop = c.hops
    .map((x) => `<section class="hop"><h2>${h(x.label)}</h2><div class="charts">${chartOf(x.throughput, "throughput", "records/s", c)}${chartOf(x.p50, "commit → hop p50", "s", c)}${chartOf(x.p99, "commit → hop p99", "s", c)}${x.lagSeconds ? chartOf(x.lagSeconds, "lag", "s", c) : ""}</div></section>`)
    .join("");
  const probeErr = Object.entries(s.probeErrors).map(([k, v]) => err(`hop probe ${k}: ${v}`)).join("");
  return `<p class="ranges">range: ${ranges}</p><h2>now (hop probe, since the console started; by arrival: commit (the latency probe's µs column, else Debezium source.ts_ms) → broker LogAppendTime)</h2>${probeErr}<table class="hops"><thead><tr><th>hop</th><th>topic</th><th>records</th><th>rec/s (1 min)</th><th>p50</th><th>p99</th><th>since</th></tr></thead><tbody>${now}</tbody></table><h2>lag now (records)</h2><table><tbody>${lagRows}</tbody></table>${perHop}${when(s)}`;
}

// --- clusters ------------------------------------------------------------------------------------

export function clusters(s: Snapshot, views: Record<"onprem" | "cloud", Sourced<ClusterView>>): string {
  const one = (id: "onprem" | "cloud", title: string) => {
    const v = views[id];
    if (!v.ok) return `<section class="cluster" data-cluster="${id}"><h2>${title} ${pill({ state: "down", reason: "" })}</h2>${err(v.error)}</section>`;
    const c = v.value;
    const brokers = c.brokers.map((b) => `<tr><td>${b.nodeId}${b.nodeId === c.controller ? " (controller)" : ""}</td><td>${h(b.host)}:${b.port}</td></tr>`).join("");
    // Topics of many partitions (Connect's offsets topic has 25) in one line: the sums and the worst ISR.
    const topics = c.topics
      .map((t) =>
        t.partitions.length > 4
          ? `<tr><td>${h(t.name)}</td><td class="num">${t.partitions.length} partitions</td><td class="num">–</td><td class="num">${Math.min(...t.partitions.map((p) => p.isr))}/${t.partitions[0]!.replicas}</td><td class="num">${t.partitions.reduce((n, p) => n + p.low, 0)}</td><td class="num">${t.partitions.reduce((n, p) => n + p.high, 0)}</td></tr>`
          : t.partitions.map((p, i) => `<tr>${i === 0 ? `<td rowspan="${t.partitions.length}">${h(t.name)}</td>` : ""}<td class="num">${p.partition}</td><td class="num">${p.leader}</td><td class="num">${p.isr}/${p.replicas}</td><td class="num">${p.low}</td><td class="num">${p.high}</td></tr>`).join(""),
      )
      .join("");
    const groups = c.groups.map((g) => `<tr><td>${h(g.groupId)}</td><td>${h(g.state)}</td><td class="num">${g.members}</td><td>${h(g.topics.join(", "))}</td><td class="num">${g.lag}</td></tr>`).join("") || `<tr><td colspan="5" class="muted">no consumer groups</td></tr>`;
    return `<section class="cluster" data-cluster="${id}"><h2>${title} ${pill(s.health[id])}</h2><h3>brokers</h3><table><thead><tr><th>node</th><th>address</th></tr></thead><tbody>${brokers}</tbody></table><h3>topics</h3><table><thead><tr><th>topic</th><th>partition</th><th>leader</th><th>ISR</th><th>start offset</th><th>end offset</th></tr></thead><tbody>${topics}</tbody></table><h3>consumer groups</h3><table><thead><tr><th>group</th><th>state</th><th>members</th><th>topics</th><th>lag</th></tr></thead><tbody>${groups}</tbody></table></section>`;
  };
  return `<div class="two">${one("onprem", "On-prem Kafka")}${one("cloud", "Cloud Kafka")}</div>${when(s)}`;
}

/** The message browser form: static (not re-rendered by the stream, so a typed choice stays). */
export function browser(topics: Record<"onprem" | "cloud", readonly string[]>): string {
  const opts = (id: string) => topics[id as "onprem" | "cloud"].map((t) => `<option>${h(t)}</option>`).join("");
  return `<section id="browser"><h2>Messages</h2><form id="browse"><label>cluster <select name="cluster"><option value="onprem">on-prem</option><option value="cloud">cloud</option></select></label> <label>topic <select name="topic" data-onprem="${h(topics.onprem.join(","))}" data-cloud="${h(topics.cloud.join(","))}">${opts("onprem")}</select></label> <label>latest <input name="n" type="number" min="1" max="200" value="20"></label> <button type="submit">show</button></form><div id="messages" class="muted">choose a topic</div></section>`;
}

// --- connectors ----------------------------------------------------------------------------------

export function connectors(s: Snapshot, history: Sourced<SupervisorRestart[]>, workers: ReadonlyArray<{ url: string } & Sourced<string>>): string {
  const w = workers.map((x) => `<tr><td>${h(x.url)}</td><td>${pill(x.ok ? { state: "up", reason: "" } : { state: "down", reason: "" })}</td><td>${h(x.ok ? x.value : x.error)}</td></tr>`).join("");
  let list: string;
  if (!s.connectors.ok) list = err(`Connect REST: ${s.connectors.error}`);
  else
    list = `<table class="connectors"><thead><tr><th>connector</th><th>type</th><th>state</th><th>tasks</th><th>failure trace</th><th></th></tr></thead><tbody>${s.connectors.value
      .map((c) => {
        const trace = c.connector.trace ?? c.tasks.find((t) => t.trace)?.trace;
        return `<tr data-connector="${h(c.name)}"><td>${h(c.name)}</td><td>${h(c.type ?? "")}</td><td><span class="pill ${c.connector.state === "RUNNING" ? "up" : c.connector.state === "FAILED" ? "down" : "degraded"}">${h(c.connector.state)}</span></td><td>${c.tasks.map((t) => `${t.id}: ${h(t.state)}${t.worker_id ? ` @${h(t.worker_id)}` : ""}`).join("<br>")}</td><td>${trace ? `<details><summary>${h(trace.split("\n")[0]!.slice(0, 120))}</summary><pre>${h(trace.slice(0, 8000))}</pre></details>` : "–"}</td><td><button class="action" data-action="restart" data-name="${h(c.name)}">restart</button></td></tr>`;
      })
      .join("")}</tbody></table>`;
  const hist = !history.ok
    ? err(`supervisor history: ${history.error}`)
    : history.value.length === 0
      ? `<p class="muted">no restarts by the failed-task supervisor</p>`
      : `<table class="supervisor-history"><thead><tr><th>time</th><th>worker</th><th>connector</th><th>connector state</th><th>failed tasks</th><th>HTTP</th><th>cause</th></tr></thead><tbody>${history.value.map((r) => `<tr data-connector="${h(r.connector)}"><td>${h(r.at)}</td><td>${h(r.worker ?? "")}</td><td>${h(r.connector)}</td><td>${h(r.connectorState ?? "")}</td><td>${h(r.failedTasks ?? "")}</td><td>${r.http ?? ""}</td><td>${h((r.cause ?? "").slice(0, 200))}</td></tr>`).join("")}</tbody></table>`;
  return `<h2>workers</h2><table><tbody>${w}</tbody></table><h2>connectors</h2>${list}<h2>failed-task supervisor: restarts</h2>${hist}${when(s)}`;
}

// --- replication ---------------------------------------------------------------------------------

export function replication(s: Snapshot, c: { throughput: Sourced<Series[]>; latency: Sourced<Series[]>; fromMs: number; toMs: number; range: string }): string {
  const hc = { range: c.range, fromMs: c.fromMs, toMs: c.toMs, hops: [] };
  const cloud = s.probe.filter((p) => p.hop === "cloud");
  const rows = cloud.map((p) => `<tr><td>${h(p.topic)}</td><td class="num">${fmtNumber(p.ratePerSecond)}</td><td class="num">${fmtSeconds(p.p50Ms === undefined ? undefined : p.p50Ms / 1000)}</td><td class="num">${fmtSeconds(p.p99Ms === undefined ? undefined : p.p99Ms / 1000)}</td></tr>`).join("");
  const ranges = ["15m", "1h", "6h"].map((r) => `<a href="/replication?range=${r}"${r === c.range ? ' class="here"' : ""}>${r}</a>`).join(" ");
  return `<p>MirrorMaker 2 ${pill(s.health.mm2)} ${h(s.health.mm2.reason)}</p><p>records behind (on-prem − cloud): <strong class="num">${s.replicationLag ?? "–"}</strong></p><h2>per topic now (hop probe: commit → cloud arrival)</h2><table><thead><tr><th>topic</th><th>rec/s</th><th>p50</th><th>p99</th></tr></thead><tbody>${rows}</tbody></table><p class="ranges">range: ${ranges}</p><div class="charts">${chartOf(c.throughput, "MirrorMaker 2 throughput", "records/s", hc)}${chartOf(c.latency, "replication latency (MirrorMaker 2)", "ms", hc)}</div>${when(s)}`;
}

// --- lake ----------------------------------------------------------------------------------------

export function lake(s: Snapshot): string {
  const t: Sourced<LakeTopic[]> = s.lake;
  const table = !t.ok
    ? err(`lake: ${t.error}`)
    : `<table class="lake"><thead><tr><th>topic</th><th>files</th><th>records</th><th>bytes</th><th>newest file</th></tr></thead><tbody>${t.value.map((x) => `<tr data-topic="${h(x.topic)}"><td>${h(x.topic)}</td><td class="num files">${x.files}</td><td class="num records">${x.records}</td><td class="num">${x.bytes}</td><td>${ageText(s.at, x.newestAt)}</td></tr>`).join("")}</tbody></table>`;
  return `<p>${pill(s.health.lake)} ${h(s.health.lake.reason)}</p>${table}${when(s)}`;
}

/** Where the restart action answers: outside the live region, so the next update does not wipe it. */
export function actionResult(): string {
  return `<p id="action-result" class="muted"></p>`;
}

export function verifyPanel(): string {
  return `<section id="verify"><h2>reconciliation (verify)</h2><p>Runs <code>npm run verify</code>'s reconciliation of every replicated table: database rows against the on-prem topic, the cloud topic and the lake files.</p><button class="action" data-action="verify">run verify</button><pre id="verify-result" class="muted">not run yet</pre></section>`;
}

// --- power bi ------------------------------------------------------------------------------------

export function powerbi(s: Snapshot, sales: Sourced<Array<{ product: string; hour: number; amount: number }>>, hasPbids: boolean, detailTopic: string): string {
  const chart = sales.ok ? stackedBars(sales.value.map((r) => ({ x: r.hour, group: r.product, value: r.amount })), { title: `sales per product per hour (${detailTopic}, lake files of the last 6 h)`, unit: "quantity × price" }) : err(`sales: ${sales.error}`);
  return `<p>${hasPbids ? `<a class="button" href="/powerbi.pbids" download>download the .pbids</a> — open it in Power BI Desktop (README: Power BI).` : "no .pbids configured"}</p>${chart}${when(s)}`;
}

// --- login ---------------------------------------------------------------------------------------

export function login(): string {
  return `<form id="loginform"><p>Actions (restart a connector, run verify) need this deployment's console credential: <code>scripts/up.sh</code> prints where it is.</p><label>credential <input name="credential" type="password" autocomplete="off"></label> <button type="submit">log in</button></form><p id="login-result" class="muted"></p>`;
}
