/**
 * The way back under load, on the bench deployment with `writeBack.enabled`:
 *
 *   npm run bench:write-back                                   # clean deploy, 500 rows/s × 120 s, teardown
 *   node dist/bench/write-back.js --rate 500 --duration 120 --no-clean --keep
 *
 * The simulator engine commits `--rate` rows/s at the site (its own out-of-stock detection off, as the
 * deployed simulator runs with write-back: SIM_LOCAL_STOCK_EVENTS=false), so products sell out as the
 * order mix makes them; each sell-out travels Debezium → on-prem Kafka → MirrorMaker 2 → cloud Kafka →
 * the stock processor → the event on the cloud → the reverse MirrorMaker 2 → the JDBC sink → the site's
 * events table, where the engine (after its next order) raises the purchase order and clears the row.
 * Measured from the site's rows alone (write-back-latency.ts): sell-out commit → purchase order, both
 * the database's own millisecond stamps; this includes the engine's reaction (its next order, a few
 * ms at this rate). Memory of every container of the deployment (docker stats, every 10 s). Sell-outs in
 * the last 30 s of the load are not counted (their answer may come after the load stopped, when the
 * engine no longer looks). A benchmark, not a test: figures printed and appended to
 * bench/results/write-back-<date>.json, nothing asserted.
 *
 * `--sites N` deploys N sites (dc01, dc02, …: bench/lib.ts benchSite) into the one cloud, each loaded at
 * `--rate` rows/s by a load generator of its own, all at once; the walk runs per site database, and
 * each site's keep-up is measured at the cloud: its sales lines that arrived in the cloud topic
 * (`dcNN_sales_order_details`, received by a consumer here) during the load ÷ the lines its database
 * committed in it — what is still in flight at the end counts against it, so ≈ 1 − latency/duration.
 *
 *   node dist/bench/write-back.js --sites 2 --rate 500 --duration 120     # the issue's two sites at 500 rows/s each
 */
import { createConnection, RowDataPacket } from "mysql2/promise";
import { SIM_ENV } from "../services/simulator/src/env";
import { DbConnection } from "../verify/sources";
import { BENCH, LoadResult, PREFIX, benchSite, cloudKafka, commandLine, commitFor, concurrencyFor, envLine, fmt, machineFacts, memoryMiB, printTable, recordTopics, runBench, saveResult, script, sleep, summary, tearDown } from "./lib";
import { sellOuts, StockLine } from "./write-back-latency";

const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const opt = (f: string, d: string) => (args.indexOf(f) >= 0 ? args[args.indexOf(f) + 1] : d);
const RATE = Number(opt("--rate", "500"));
const DURATION_MS = Number(opt("--duration", "120")) * 1000;
const WARMUP_MS = Number(opt("--warmup", "30")) * 1000;
const SITES = Array.from({ length: Number(opt("--sites", "1")) }, (_, i) => benchSite(i));
/** Sell-outs this close to the load's end are not counted: their answer needs the engine's next order. */
const TAIL_MS = 30000;
const SITE_ENV = { SIM_LOCAL_STOCK_EVENTS: "false" };
/** A simulator variable's name, checked against its schema (the name lives there). */
const simVar = (name: keyof typeof SIM_ENV): string => name;

async function dbNowMs(db: DbConnection): Promise<number> {
  const c = await createConnection(db);
  try {
    const [[r]] = await c.query<RowDataPacket[]>("SELECT UNIX_TIMESTAMP(NOW(3)) * 1000 AS ms");
    return Number(r.ms);
  } finally {
    await c.end();
  }
}

/** Every sales and purchase line of the site with its order's timestamp. */
async function stockLines(db: DbConnection): Promise<StockLine[]> {
  const c = await createConnection(db);
  try {
    const [sales] = await c.query<RowDataPacket[]>(
      "SELECT d.id, d.product_id, d.quantity, UNIX_TIMESTAMP(o.order_date) * 1000 AS ms FROM sales_order_details d JOIN sales_orders o ON o.id = d.sales_order_id",
    );
    const [buys] = await c.query<RowDataPacket[]>(
      "SELECT d.id, d.product_id, d.quantity, UNIX_TIMESTAMP(o.order_date) * 1000 AS ms FROM purchase_order_details d JOIN purchase_orders o ON o.id = d.purchase_order_id",
    );
    const line = (kind: StockLine["kind"]) => (r: RowDataPacket): StockLine => ({ product: Number(r.product_id), atMs: Number(r.ms), kind, quantity: Number(r.quantity), id: Number(r.id) });
    return [...sales.map(line("sale")), ...buys.map(line("purchase"))];
  } finally {
    await c.end();
  }
}

/** Every site at `RATE` at once, each with its own load generator. */
const loadEverySite = (ms: number): Promise<LoadResult[]> =>
  Promise.all(SITES.map((site) => commitFor(RATE, ms, concurrencyFor(RATE), 5, { ...SITE_ENV, [simVar("SIM_DC_ID")]: site.dc }, site.db())));

interface SiteResult {
  dc: string;
  load: { achieved: number; detailRows: number; skippedTicks: number };
  keepUp: { arrivedInWindow: number; committed: number; ratio: number; allArrived: boolean };
  sellOuts: number;
  answered: number;
  latencyMs: ReturnType<typeof summary>;
}

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const facts = machineFacts();
  if (!(SITES.length >= 1 && SITES.length <= 4)) throw new Error(`--sites ${opt("--sites", "")}: 1 to 4 sites`);
  const config = BENCH.config({ writeBack: { enabled: true }, ...(SITES.length > 1 ? { sites: SITES.map((s) => s.entry) } : {}) });
  const env = BENCH.env(config);
  if (!flag("--no-clean")) script("clean-deployment.sh", [], env);
  const up = script("up.sh", [], env);
  // Warm-up: the processor's state, the reverse connector's first fetches, the JIT of every JVM.
  await loadEverySite(WARMUP_MS);
  const rec = await recordTopics(cloudKafka(), SITES.map((s) => `${s.dc}_sales_order_details`));
  const fromMs = await Promise.all(SITES.map((s) => dbNowMs(s.db())));
  const mem: Array<ReturnType<typeof memoryMiB>> = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      mem.push(memoryMiB());
      await sleep(10000);
    }
  })();
  const loads = await loadEverySite(DURATION_MS);
  sampling = false;
  await sampler;
  // Keep-up at the cloud: what arrived during the load, then up to 60 s for the rest (exactly-once count).
  const linesOf = (i: number) => {
    const orders = new Set(loads[i].commits.map((c) => c.salesOrderId));
    const uniq = new Map<number, number>();
    for (const r of rec.seen) if (r.topic === `${SITES[i].dc}_sales_order_details` && r.op === "c" && orders.has(r.orderId) && !uniq.has(r.id)) uniq.set(r.id, r.receivedAt);
    return uniq;
  };
  const drainEnd = Date.now() + 60000;
  while (SITES.some((_, i) => linesOf(i).size < loads[i].detailRows) && Date.now() < drainEnd) await sleep(500);
  await rec.stop();
  const results: SiteResult[] = [];
  for (const [i, site] of SITES.entries()) {
    const load = loads[i];
    const arrived = [...linesOf(i).values()];
    const inWindow = arrived.filter((t) => t >= load.startedAtMs && t <= load.finishedAtMs).length;
    const toMs = (await dbNowMs(site.db())) - TAIL_MS;
    const all = sellOuts(await stockLines(site.db()), fromMs[i]).filter((s) => s.soldOutAtMs <= toMs);
    const answered = all.filter((s) => s.answeredAtMs !== undefined);
    results.push({
      dc: site.dc,
      load: { achieved: +load.achievedRowsPerSecond.toFixed(1), detailRows: load.detailRows, skippedTicks: load.skippedTicks },
      keepUp: { arrivedInWindow: inWindow, committed: load.detailRows, ratio: +(inWindow / load.detailRows).toFixed(3), allArrived: arrived.length === load.detailRows },
      sellOuts: all.length,
      answered: answered.length,
      latencyMs: summary(answered.map((s) => s.answeredAtMs! - s.soldOutAtMs)),
    });
  }
  const total = mem.map((m) => m.total);
  const peak = mem.reduce((a, m) => (m.total > a.total ? m : a), mem[0] ?? { total: NaN, byContainer: {} });
  const top = Object.entries(peak.byContainer).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, v]) => `${n.slice(PREFIX.length + 1)} ${fmt(v)}`).join(", ");
  // A further site's containers carry its dc (stacks/names.ts); the first site's and the shared cloud side do not.
  const perSite = SITES.slice(1).map((s) => `${s.dc} ${fmt(Object.entries(peak.byContainer).filter(([n]) => n.startsWith(`${PREFIX}-${s.dc}-`)).reduce((a, [, v]) => a + v, 0))}`);

  const rows: Array<[string, string]> = [
    ["command", commandLine()],
    ["deployment", `${PREFIX} (env: ${envLine(config)})`],
    ["machine", `${facts.cpus} cores (${facts.cpuModel}), ${facts.memGiB} GiB, loadavg before ${facts.loadavg}`],
    ["scripts/up.sh", `${(up.ms / 1000).toFixed(1)} s (${SITES.length} site${SITES.length > 1 ? "s" : ""})`],
  ];
  for (const r of results) {
    const k = SITES.length > 1 ? `${r.dc}: ` : "";
    rows.push(
      [`${k}load`, `${r.load.achieved.toFixed(0)} rows/s achieved (target ${RATE}) over ${DURATION_MS / 1000} s, after ${WARMUP_MS / 1000} s of warm-up; ${r.load.skippedTicks} schedule slots skipped`],
      [`${k}keep-up at the cloud`, `${r.keepUp.arrivedInWindow} / ${r.keepUp.committed} lines in the window = ${r.keepUp.ratio}; ${r.keepUp.allArrived ? "all arrived" : "NOT all arrived within 60 s"}`],
      [`${k}sell-outs`, `${r.sellOuts} in the window (the last ${TAIL_MS / 1000} s left out), ${r.answered} answered by a purchase order, ${r.sellOuts - r.answered} not`],
      [`${k}sell-out → purchase order`, `p50 ${fmt(r.latencyMs.p50)} ms, p99 ${fmt(r.latencyMs.p99)} ms, max ${fmt(r.latencyMs.max)} ms (n=${r.latencyMs.n})`],
    );
  }
  rows.push([
    "memory, whole topology",
    `mean ${fmt(total.reduce((a, b) => a + b, 0) / total.length)} MiB, max ${fmt(Math.max(...total))} MiB (${mem.length} samples); at the peak: ${top} MiB${perSite.length ? `; further sites' own containers: ${perSite.join(", ")} MiB` : ""}`,
  ]);
  printTable(`write-back benchmark — ${started}`, rows);
  const file = saveResult("write-back", { bench: "write-back", started, command: commandLine(), env: envLine(config), machine: facts, upS: +(up.ms / 1000).toFixed(1), rate: RATE, durationS: DURATION_MS / 1000, sites: results, memoryMiB: { mean: total.reduce((a, b) => a + b, 0) / total.length, max: Math.max(...total), peak: peak.byContainer } });
  console.log(`\nresult appended to ${file}`);
  if (!flag("--keep")) tearDown(["--purge"], env);
}

runBench("write-back", main);
