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
 * One site today; with several sites (issue 12) the same walk runs per site database.
 */
import { createConnection, RowDataPacket } from "mysql2/promise";
import { BENCH, PREFIX, commandLine, commitFor, concurrencyFor, envLine, fmt, machineFacts, memoryMiB, printTable, runBench, saveResult, script, sleep, summary, tearDown } from "./lib";
import { sellOuts, StockLine } from "./write-back-latency";

const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const opt = (f: string, d: string) => (args.indexOf(f) >= 0 ? args[args.indexOf(f) + 1] : d);
const RATE = Number(opt("--rate", "500"));
const DURATION_MS = Number(opt("--duration", "120")) * 1000;
const WARMUP_MS = Number(opt("--warmup", "30")) * 1000;
/** Sell-outs this close to the load's end are not counted: their answer needs the engine's next order. */
const TAIL_MS = 30000;
const SITE_ENV = { SIM_LOCAL_STOCK_EVENTS: "false" };

async function dbNowMs(): Promise<number> {
  const c = await createConnection(BENCH.appDb());
  try {
    const [[r]] = await c.query<RowDataPacket[]>("SELECT UNIX_TIMESTAMP(NOW(3)) * 1000 AS ms");
    return Number(r.ms);
  } finally {
    await c.end();
  }
}

/** Every sales and purchase line of the site with its order's timestamp. */
async function stockLines(): Promise<StockLine[]> {
  const c = await createConnection(BENCH.appDb());
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

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const facts = machineFacts();
  const config = BENCH.config({ writeBack: { enabled: true } });
  const env = BENCH.env(config);
  if (!flag("--no-clean")) script("clean-deployment.sh", [], env);
  const up = script("up.sh", [], env);
  // Warm-up: the processor's state, the reverse connector's first fetches, the JIT of every JVM.
  await commitFor(RATE, WARMUP_MS, concurrencyFor(RATE), 5, SITE_ENV);
  const fromMs = await dbNowMs();
  const mem: Array<ReturnType<typeof memoryMiB>> = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      mem.push(memoryMiB());
      await sleep(10000);
    }
  })();
  const load = await commitFor(RATE, DURATION_MS, concurrencyFor(RATE), 5, SITE_ENV);
  sampling = false;
  await sampler;
  const toMs = (await dbNowMs()) - TAIL_MS;
  const all = sellOuts(await stockLines(), fromMs).filter((s) => s.soldOutAtMs <= toMs);
  const answered = all.filter((s) => s.answeredAtMs !== undefined);
  const lat = summary(answered.map((s) => s.answeredAtMs! - s.soldOutAtMs));
  const total = mem.map((m) => m.total);
  const peak = mem.reduce((a, m) => (m.total > a.total ? m : a), mem[0] ?? { total: NaN, byContainer: {} });
  const top = Object.entries(peak.byContainer).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, v]) => `${n.slice(PREFIX.length + 1)} ${fmt(v)}`).join(", ");

  const rows: Array<[string, string]> = [
    ["command", commandLine()],
    ["deployment", `${PREFIX} (env: ${envLine(config)})`],
    ["machine", `${facts.cpus} cores (${facts.cpuModel}), ${facts.memGiB} GiB, loadavg before ${facts.loadavg}`],
    ["scripts/up.sh", `${(up.ms / 1000).toFixed(1)} s`],
    ["load", `${load.achievedRowsPerSecond.toFixed(0)} rows/s achieved (target ${RATE}) over ${(load.durationMs / 1000).toFixed(0)} s, after ${WARMUP_MS / 1000} s of warm-up`],
    ["sell-outs", `${all.length} in the window (the last ${TAIL_MS / 1000} s left out), ${answered.length} answered by a purchase order, ${all.length - answered.length} not`],
    ["sell-out → purchase order", `p50 ${fmt(lat.p50)} ms, p99 ${fmt(lat.p99)} ms, max ${fmt(lat.max)} ms (n=${lat.n})`],
    ["memory, whole topology", `mean ${fmt(total.reduce((a, b) => a + b, 0) / total.length)} MiB, max ${fmt(Math.max(...total))} MiB (${mem.length} samples); at the peak: ${top} MiB`],
  ];
  printTable(`write-back benchmark — ${started}`, rows);
  const file = saveResult("write-back", { bench: "write-back", started, command: commandLine(), env: envLine(config), machine: facts, upS: +(up.ms / 1000).toFixed(1), load: { target: RATE, achieved: load.achievedRowsPerSecond, durationMs: load.durationMs }, sellOuts: all.length, answered: answered.length, latencyMs: lat, memoryMiB: { mean: total.reduce((a, b) => a + b, 0) / total.length, max: Math.max(...total), peak: peak.byContainer } });
  console.log(`\nresult appended to ${file}`);
  if (!flag("--keep")) tearDown(["--purge"]);
}

runBench("write-back", main);
