/**
 * Benchmark of the bridge, full local topology (stacks onprem + bridge) on the
 * "bench" deployment (bench/lib.ts: own ports, simulator container off):
 * MariaDB → Debezium → on-prem Kafka → MirrorMaker 2 → cloud Kafka (SASL_SSL) → lake sink → Azurite.
 *
 *   npm run bench:bridge                              # clean deploy, 500/1000/1500 rows/s × 40 s, teardown
 *   node dist/bench/bridge.js --rates 500,1000,1500 --duration 40 --no-clean --keep
 *
 * Per rate, in one run: the DB's achieved commit rate, the rate at which the
 * replicated detail rows land in the lake (ratio of the two, detail rows only:
 * only dc01_sales_order_details is replicated), the latency of every hop by
 * arrival, and the memory of the deployment's containers under load (docker stats).
 *
 * How each hop is measured (p50/p99/p99.9 per row, from the same rows):
 *   commit       the simulator engine's commit acknowledgement (ms, this process's clock)
 *   on-prem      the on-prem broker's append time (CDC topics are LogAppendTime)
 *   cloud        the cloud broker's append time (MirrorMaker 2 creates the cloud topic with the
 *                source's LogAppendTime; where the cloud topic keeps CreateTime instead, its
 *                timestamps equal the on-prem ones and the table says so)
 *   lake         the sink's `landed` log line of the blob holding the row (upload acknowledged)
 * All clocks are this machine's; a consumer's receive time is printed beside, for comparison.
 * Three ways, per step: the bench's own commit → on-prem/cloud arrival (the engine's commit ack), verify's
 * function on the same rows (source.ts_ms → arrival; MariaDB stamps whole seconds, so it reads about half
 * a second high on average) and the console's hop probe over the step (same function, its own consumer):
 * verify and console agree within the records at the window's edges.
 * --scrape-compare: each rate measured twice in the run, with Prometheus and the console running and with
 * both stopped (order alternating per rate), and what scraping costs printed per rate (issue 11: ≤ 3 %):
 *   node dist/bench/bridge.js --rates 1000,4000 --duration 40 --scrape-compare
 * --warmup S: S seconds of load at the first rate before the first measured step (not measured),
 * so the first step describes the bridge, not a deployment that is still settling.
 * Appends the result as one JSON line to bench/results/bridge-<date>.json.
 */
import { execFile, execFileSync } from "child_process";
import { join } from "path";
import { promisify } from "util";
import type { HopStats } from "../services/console/src/probe";
import { commitToArrivalMs } from "../verify/latency";
import {
  BENCH, LoadResult, PREFIX, Seen, benchConfig, benchEnv, cloudKafka, commandLine, commitFor, concurrencyFor, docker, envLine, fmt,
  machineFacts, memoryMiB, onPremKafka, percentile, printTable, recordTopics, runBench, saveResult, script, sleep, summary, tearDown,
} from "./lib";

const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const opt = (f: string, d: string) => (args.indexOf(f) >= 0 ? args[args.indexOf(f) + 1] : d);
const rates = opt("--rates", "500,1000,1500").split(",").map(Number);
const durationMs = Number(opt("--duration", "40")) * 1000;
const warmupMs = Number(opt("--warmup", "20")) * 1000;
const scrapeCompare = flag("--scrape-compare");
const DETAILS = "dc01_sales_order_details";
const SINK = `${PREFIX}-lake-sink`;
const pexec = promisify(execFile);

interface Landed {
  landedAt: number;
  partition: number;
  start: number;
  end: number;
  records: number;
}

/** Prometheus and the console of the bench deployment (the observability stack): stopped, nothing scrapes the exporters. */
function observability(action: "start" | "stop"): void {
  docker(action, BENCH.container("prometheus"), BENCH.container("console"));
}

/** Per rate measured with and without scraping: what scraping costs, as a share of the unscraped figure. */
function scrapeCost(steps: readonly Step[]): Array<{ rate: number; lakeWith: number; lakeWithout: number; lakeCostPct: number; dbWith: number; dbWithout: number; dbCostPct: number; p50With: number; p50Without: number }> {
  const rateList = [...new Set(steps.map((s) => s.targetRowsPerSecond))];
  return rateList.flatMap((rate) => {
    const w = steps.find((s) => s.targetRowsPerSecond === rate && s.scraping);
    const wo = steps.find((s) => s.targetRowsPerSecond === rate && !s.scraping);
    if (!w || !wo) return [];
    const pct = (a: number, b: number) => ((b - a) / b) * 100;
    return [{ rate, lakeWith: w.lakeDetailRowsPerSecond, lakeWithout: wo.lakeDetailRowsPerSecond, lakeCostPct: pct(w.lakeDetailRowsPerSecond, wo.lakeDetailRowsPerSecond), dbWith: w.dbRowsPerSecond, dbWithout: wo.dbRowsPerSecond, dbCostPct: pct(w.dbRowsPerSecond, wo.dbRowsPerSecond), p50With: w.hops["commit→lake"].p50, p50Without: wo.hops["commit→lake"].p50 }];
  });
}

/** `landed topics/<DETAILS>/partition=p/...+p+start.json records=N offsets=a..b` lines of the sink since `sinceIso`. */
function landedFiles(sinceIso: string): Landed[] {
  // stdout only: the sink's INFO lines (its warnings/errors go to stderr and are not needed here).
  const out = execFileSync("docker", ["logs", "--since", sinceIso, SINK], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"] });
  const re = new RegExp(`^(\\S+) INFO\\s+landed topics/${DETAILS}/partition=(\\d+)/\\S+ records=(\\d+) offsets=(\\d+)\\.\\.(\\d+)`);
  const files: Landed[] = [];
  for (const line of out.split("\n")) {
    const m = re.exec(line);
    if (m) files.push({ landedAt: Date.parse(m[1]), partition: +m[2], records: +m[3], start: +m[4], end: +m[5] });
  }
  return files;
}

/** Files and records of the replicated topic in the lake, from the blobs' metadata (SDK inside the sink container). */
function lakeTotals(): { files: number; records: number } | { error: string } {
  const js = `
const { BlobServiceClient, StorageSharedKeyCredential } = require("/app/node_modules/@azure/storage-blob");
const key = require("fs").readFileSync(process.env.STORAGE_KEY_FILE, "utf8").trim();
const ep = process.env.STORAGE_BLOB_ENDPOINT; const acct = process.env.STORAGE_ACCOUNT || new URL(ep).pathname.split("/")[1];
const c = new BlobServiceClient(ep, new StorageSharedKeyCredential(acct, key)).getContainerClient(process.env.STORAGE_FILESYSTEM || "orders");
(async () => { let files = 0, records = 0;
  for await (const b of c.listBlobsFlat({ prefix: "topics/${DETAILS}/", includeMetadata: true })) { files++; records += Number((b.metadata || {}).records || 0); }
  console.log(JSON.stringify({ files, records })); })().catch((e) => { console.log(JSON.stringify({ error: String(e) })); });`;
  try {
    return JSON.parse(docker("exec", SINK, "node", "-e", js)) as { files: number; records: number };
  } catch (e) {
    return { error: (e as Error).message.split("\n")[0] };
  }
}

async function sampleMemory(): Promise<ReturnType<typeof memoryMiB>> {
  // Async: `docker stats --no-stream` takes ~2 s and must not stall the load generator.
  const { stdout } = await pexec("docker", ["stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}"], { maxBuffer: 16 * 1024 * 1024 });
  return memoryMiB(stdout);
}

interface Step {
  targetRowsPerSecond: number;
  concurrency: number;
  durationS: number;
  dbRowsPerSecond: number;
  dbDetailRowsPerSecond: number;
  skippedTicks: number;
  detailRows: number;
  cloudSeen: number;
  landedRows: number;
  lakeDetailRowsPerSecond: number;
  ratio: number;
  /** Consumer receive time on the cloud cluster (own group), for comparison with the broker's arrival. */
  cloudLatencyMs: ReturnType<typeof summary>;
  freshnessMs: ReturnType<typeof summary>;
  /** Commit → arrival at each hop, and each hop's own share, ms. */
  hops: Record<HopName, HopLatency>;
  /** False when the cloud topic's timestamps are the on-prem ones (CreateTime copied): its arrival is not measured. */
  cloudStampsArrival: boolean;
  allLandedAfterLastCommitMs: number;
  memoryMiB: ReturnType<typeof memoryMiB>;
  /** Whether Prometheus and the console ran (and scraped) during the step (--scrape-compare stops them for the other). */
  scraping: boolean;
  /** verify's commit → arrival (verify/latency.ts) on the same rows, per hop. */
  verifyMs: Record<"on-prem" | "cloud", ReturnType<typeof summary>>;
  /** The console's hop probe over the step (its own consumer, the same function), per hop. */
  consoleMs?: Partial<Record<"on-prem" | "cloud", { n: number; p50: number; p99: number }>> | { error: string };
}

type HopName = "commit→on-prem" | "commit→cloud" | "commit→lake" | "on-prem→cloud" | "cloud→lake";
interface HopLatency {
  n: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

function hopLatency(values: number[]): HopLatency {
  const s = summary(values);
  return { n: s.n, p50: s.p50, p99: s.p99, p999: percentile(values, 99.9), max: s.max };
}

function analyse(load: LoadResult, seen: Seen[], onPremSeen: Seen[], files: Landed[], mem: ReturnType<typeof memoryMiB>): Step {
  const byOrder = new Map(load.commits.map((c) => [c.salesOrderId, c]));
  const uniq = new Map<number, Seen>();
  for (const s of seen) if (s.op === "c" && byOrder.has(s.orderId) && !uniq.has(s.id)) uniq.set(s.id, s);
  const rows = [...uniq.values()];
  const cloudLat = rows.map((s) => s.receivedAt - byOrder.get(s.orderId)!.committedAtMs);
  const onPremById = new Map<number, Seen>();
  for (const s of onPremSeen) if (s.op === "c" && !onPremById.has(s.id)) onPremById.set(s.id, s);
  // Row → the file whose offset range holds its cloud offset.
  const fresh: number[] = [];
  const perFile = new Map<Landed, number>();
  const hop: Record<HopName, number[]> = { "commit→on-prem": [], "commit→cloud": [], "commit→lake": [], "on-prem→cloud": [], "cloud→lake": [] };
  // verify's function on the same rows (verify/latency.ts: the commit is source.ts_ms here, whole seconds on MariaDB).
  const verifyOf = (x: Seen) => commitToArrivalMs({ __op: x.op, __source_ts_ms: x.sourceTs }, x.kafkaTs);
  const verifyHop: Record<"on-prem" | "cloud", number[]> = { "on-prem": [], cloud: [] };
  let sameStamp = 0;
  for (const s of rows) {
    const committed = byOrder.get(s.orderId)!.committedAtMs;
    const onPrem = onPremById.get(s.id);
    const vc = verifyOf(s);
    if (vc !== undefined) verifyHop.cloud.push(vc);
    if (onPrem) {
      const vo = verifyOf(onPrem);
      if (vo !== undefined) verifyHop["on-prem"].push(vo);
      hop["commit→on-prem"].push(onPrem.kafkaTs - committed);
      hop["on-prem→cloud"].push(s.kafkaTs - onPrem.kafkaTs);
      if (s.kafkaTs === onPrem.kafkaTs) sameStamp++;
    }
    hop["commit→cloud"].push(s.kafkaTs - committed);
    const f = files.find((x) => x.partition === s.partition && x.start <= s.offset && s.offset <= x.end);
    if (!f) continue;
    fresh.push(f.landedAt - committed);
    hop["commit→lake"].push(f.landedAt - committed);
    hop["cloud→lake"].push(f.landedAt - s.kafkaTs);
    perFile.set(f, (perFile.get(f) ?? 0) + 1);
  }
  // Sustained landing rate: rows after the first file over first → last landing (inter-arrival estimator).
  const fs = [...perFile.entries()].sort((a, b) => a[0].landedAt - b[0].landedAt);
  const landedRows = fs.reduce((a, [, n]) => a + n, 0);
  let lakeRate = NaN;
  if (fs.length >= 2) lakeRate = (landedRows - fs[0][1]) / ((fs[fs.length - 1][0].landedAt - fs[0][0].landedAt) / 1000);
  const elapsedS = (load.finishedAtMs - load.startedAtMs) / 1000;
  const dbDetailRate = load.detailRows / elapsedS;
  const lastCommit = load.commits.reduce((a, c) => Math.max(a, c.committedAtMs), 0);
  return {
    targetRowsPerSecond: load.targetRowsPerSecond,
    concurrency: load.concurrency,
    durationS: +elapsedS.toFixed(1),
    dbRowsPerSecond: +load.achievedRowsPerSecond.toFixed(1),
    dbDetailRowsPerSecond: +dbDetailRate.toFixed(1),
    skippedTicks: load.skippedTicks,
    detailRows: load.detailRows,
    cloudSeen: rows.length,
    landedRows,
    lakeDetailRowsPerSecond: +lakeRate.toFixed(1),
    ratio: +(lakeRate / dbDetailRate).toFixed(3),
    cloudLatencyMs: summary(cloudLat),
    freshnessMs: summary(fresh),
    hops: Object.fromEntries(Object.entries(hop).map(([k, v]) => [k, hopLatency(v)])) as Record<HopName, HopLatency>,
    // Every pair equal: the cloud broker kept the copied source timestamp (CreateTime), so "cloud" is on-prem's arrival.
    cloudStampsArrival: !(sameStamp > 0 && sameStamp === hop["on-prem→cloud"].length),
    allLandedAfterLastCommitMs: landedRows === load.detailRows && fs.length ? Math.round(fs[fs.length - 1][0].landedAt - lastCommit) : NaN,
    memoryMiB: mem,
    scraping: true,
    verifyMs: { "on-prem": summary(verifyHop["on-prem"]), cloud: summary(verifyHop.cloud) },
  };
}

/** The console's hop probe for the detail topic since `sinceMs` (GET /api/hops), or why not. */
async function consoleHops(sinceMs: number): Promise<Step["consoleMs"]> {
  try {
    const r = await fetch(`http://127.0.0.1:${BENCH.consolePort}/api/hops?since=${Math.floor(sinceMs)}`);
    const { stats } = (await r.json()) as { stats: HopStats[] };
    const of = (hop: string) => {
      const x = stats.find((st) => st.topic === DETAILS && st.hop === hop);
      return x ? { n: x.records, p50: x.p50Ms ?? NaN, p99: x.p99Ms ?? NaN } : undefined;
    };
    return { "on-prem": of("onprem"), cloud: of("cloud") };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const cmd = commandLine();
  const facts = machineFacts();
  const env = benchEnv();
  if (!flag("--no-clean")) script("clean-deployment.sh", [], env);
  const up = script("up.sh", [], env);
  const idleMem = memoryMiB();
  const rec = await recordTopics(cloudKafka(), [DETAILS]);
  const recOnPrem = await recordTopics(onPremKafka(), [DETAILS]);
  const steps: Step[] = [];
  try {
    if (warmupMs > 0 && rates.length) {
      console.error(`[bench:bridge] warm-up: ${rates[0]} rows/s for ${warmupMs / 1000} s (not measured)…`);
      const w = await commitFor(rates[0], warmupMs, concurrencyFor(rates[0]));
      // Drained (bounded): the first measured step must not start behind the warm-up's backlog.
      const ids = new Set(w.commits.map((c) => c.salesOrderId));
      const end = Date.now() + 90000;
      while (rec.seen.filter((s) => s.op === "c" && ids.has(s.orderId)).length < w.detailRows && Date.now() < end) await sleep(1000);
      await sleep(3000);
    }
    // --scrape-compare: each rate twice, with and without Prometheus and the console (stopped, so nothing
    // scrapes the exporters), in alternating order so that a drift of the machine does not favour one.
    const plan = rates.flatMap((rate, i) => (scrapeCompare ? (i % 2 === 0 ? [[rate, false], [rate, true]] : [[rate, true], [rate, false]]) : [[rate, true]]) as Array<[number, boolean]>);
    for (const [rate, scraping] of plan) {
      if (scrapeCompare) observability(scraping ? "start" : "stop");
      console.error(`[bench:bridge] ${rate} rows/s for ${durationMs / 1000} s${scrapeCompare ? (scraping ? ", scraped" : ", not scraped") : ""}…`);
      const since = new Date(Date.now() - 1000).toISOString();
      const memP = sleep(durationMs * 0.6).then(sampleMemory).catch(() => memoryMiB(""));
      const load = await commitFor(rate, durationMs, concurrencyFor(rate));
      const mem = await memP;
      // Drain: until every detail row is in the cloud topic and in a landed blob (bounded).
      const ids = new Set(load.commits.map((c) => c.salesOrderId));
      const end = Date.now() + 90000;
      let files: Landed[] = [];
      for (;;) {
        const mine = rec.seen.filter((s) => s.op === "c" && ids.has(s.orderId));
        files = landedFiles(since);
        const landed = mine.filter((s) => files.some((f) => f.partition === s.partition && f.start <= s.offset && s.offset <= f.end)).length;
        if ((mine.length >= load.detailRows && landed >= load.detailRows) || Date.now() > end) break;
        await sleep(1000);
      }
      const fromConsole = scraping ? await consoleHops(load.startedAtMs) : undefined;
      steps.push({ ...analyse(load, rec.seen, recOnPrem.seen, files, mem), scraping, consoleMs: fromConsole });
      await sleep(3000); // longer than the idle flush: the next step starts with no open file
    }
  } finally {
    if (scrapeCompare) observability("start");
    await rec.stop();
    await recOnPrem.stop();
  }
  const totals = lakeTotals();
  const logTotals = landedFiles("2000-01-01T00:00:00Z");
  const factsAfter = machineFacts();
  const rows: Array<[string, string]> = [
    ["command", cmd],
    ["deployment", `${PREFIX} (env: ${envLine(benchConfig())})`],
    ["started", started],
    ["machine", `${facts.cpus} cores (${facts.cpuModel}), ${facts.memGiB} GiB, loadavg before ${facts.loadavg}`],
    ["other containers", `${(facts.otherContainers as string[]).join(", ") || "none"}`],
    [flag("--no-clean") ? "scripts/up.sh (onprem already up)" : "scripts/up.sh (fresh, all local stacks)", `${(up.ms / 1000).toFixed(1)} s`],
    ["memory idle (deployment total)", `${fmt(idleMem.total)} MiB`],
  ];
  for (const s of steps) {
    const k = `${s.targetRowsPerSecond} rows/s${scrapeCompare ? (s.scraping ? " scraped" : " unscraped") : ""}`;
    rows.push([`${k}: DB achieved`, `${s.dbRowsPerSecond} rows/s (${s.dbDetailRowsPerSecond} detail rows/s) over ${s.durationS} s, concurrency ${s.concurrency}, ${s.skippedTicks} slots skipped`]);
    rows.push([`${k}: lake landing rate`, `${s.lakeDetailRowsPerSecond} detail rows/s → ratio lake/DB ${s.ratio} (${s.landedRows}/${s.detailRows} rows landed, ${s.cloudSeen} in cloud topic)`]);
    for (const [h, l] of Object.entries(s.hops)) {
      const note = !s.cloudStampsArrival && h.includes("cloud") ? " (cloud topic keeps CreateTime: not its arrival)" : "";
      rows.push([`${k}: ${h} (arrival)`, `p50 ${fmt(l.p50)} ms, p99 ${fmt(l.p99)} ms, p99.9 ${fmt(l.p999)} ms, max ${fmt(l.max)} ms (n=${l.n})${note}`]);
    }
    for (const h of ["on-prem", "cloud"] as const) {
      const v = s.verifyMs[h];
      const c = s.consoleMs && !("error" in s.consoleMs) ? s.consoleMs[h] : undefined;
      const cs = c ? `console p50 ${fmt(c.p50)} ms, p99 ${fmt(c.p99)} ms (n=${c.n})` : s.consoleMs && "error" in s.consoleMs ? `console: ${s.consoleMs.error}` : "console not running";
      rows.push([`${k}: commit→${h}, three ways`, `bench (engine's commit ack) p50 ${fmt(s.hops[h === "on-prem" ? "commit→on-prem" : "commit→cloud"].p50)} ms; verify (source.ts_ms) p50 ${fmt(v.p50)} ms, p99 ${fmt(v.p99)} ms (n=${v.n}); ${cs}`]);
    }
    rows.push([`${k}: commit→cloud consumer receive`, `p50 ${fmt(s.cloudLatencyMs.p50)} ms, p99 ${fmt(s.cloudLatencyMs.p99)} ms, max ${fmt(s.cloudLatencyMs.max)} ms (own group, n=${s.cloudLatencyMs.n})`]);
    rows.push([`${k}: drained`, `every row landed ${fmt(s.allLandedAfterLastCommitMs)} ms after the last commit`]);
    rows.push([`${k}: memory (deployment total)`, `${fmt(s.memoryMiB.total)} MiB = ${Object.entries(s.memoryMiB.byContainer).map(([n, v]) => `${n.slice(PREFIX.length + 1)} ${fmt(v)}`).join(", ")}`]);
  }
  const cost = scrapeCost(steps);
  for (const c of cost) {
    rows.push([`${c.rate} rows/s: scraping cost`, `lake landing rate ${fmt(c.lakeWith)} vs ${fmt(c.lakeWithout)} detail rows/s → ${fmt(c.lakeCostPct, 1)} % (budget 3 %); DB achieved ${fmt(c.dbWith)} vs ${fmt(c.dbWithout)} rows/s → ${fmt(c.dbCostPct, 1)} %; commit→lake p50 ${fmt(c.p50With)} vs ${fmt(c.p50Without)} ms`]);
  }
  rows.push(["lake totals (blob metadata)", "error" in totals ? totals.error : `${totals.files} files, ${totals.records} records of ${DETAILS}`]);
  rows.push(["lake totals (sink log lines)", `${logTotals.length} files, ${logTotals.reduce((a, f) => a + f.records, 0)} records`]);
  rows.push(["other containers after", `${(factsAfter.otherContainers as string[]).join(", ") || "none"}; loadavg ${factsAfter.loadavg}`]);
  printTable(`bridge benchmark — ${started}`, rows);
  const file = saveResult("bridge", { bench: "bridge", started, command: cmd, env: envLine(benchConfig()), machine: facts, machineAfter: factsAfter, upS: +(up.ms / 1000).toFixed(1), idleMemoryMiB: idleMem, steps, scrapeCost: cost, lakeTotals: totals });
  console.log(`\nresult appended to ${file.replace(join(__dirname, "..", "..") + "/", "")}`);
  // Teardown after the figures are safe: a failing destroy must not lose them.
  if (!flag("--keep")) tearDown(["--purge"]);
}

runBench("bridge", main);
