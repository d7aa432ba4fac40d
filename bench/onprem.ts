/**
 * Benchmark of the on-prem cluster (MariaDB → Debezium on Kafka Connect → Kafka),
 * on a deployment of its own ("bench": see bench/lib.ts for ports; simulator container off).
 *
 *   npm run bench:onprem                                  # bootstrap timing, fresh deploy, 100 and 1000 rows/s, teardown
 *   node dist/bench/onprem.js --rates 100,1000 --duration 30 --keep --no-bootstrap
 *
 * Prints: setup time (scripts/bootstrap.sh on this warm machine, plus the first
 * recorded image builds from the cache's build log), deploy → first change event,
 * commit → Kafka latency p50/p99 per rate, keep-up ratio per rate.
 * Appends the result as one JSON line to bench/results/onprem-<date>.json.
 */
import { existsSync, readFileSync } from "fs";
import { homedir } from "os";
import { join } from "path";
import {
  LoadResult, PREFIX, Seen, benchConfig, benchEnv, commandLine, commitFor, concurrencyFor, envLine, fmt, machineFacts,
  nowMs, onPremKafka, printTable, recordTopics, runBench, saveResult, script, sleep, summary, tearDown,
} from "./lib";

const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const opt = (f: string, d: string) => (args.indexOf(f) >= 0 ? args[args.indexOf(f) + 1] : d);
const rates = opt("--rates", "100,1000").split(",").map(Number);
const durationMs = Number(opt("--duration", "30")) * 1000;
const DETAILS = "dc01_sales_order_details";
const ORDERS = "dc01_sales_orders";

/** Rows/s a single in-flight order can't hold reliably on 2 cores: more orders in flight above this. */

interface StepResult {
  targetRowsPerSecond: number;
  concurrency: number;
  durationS: number;
  committedRows: number;
  achievedRowsPerSecond: number;
  skippedTicks: number;
  eventsExpected: number;
  eventsSeen: number;
  latencyReceiveMs: ReturnType<typeof summary>;
  latencyKafkaTsMs: ReturnType<typeof summary>;
  capturedPerSecondInWindow: number;
  keepUpRatio: number;
  drainMs: number;
}

function coldSetup(): Record<string, unknown> {
  const res: Record<string, unknown> = {};
  if (!flag("--no-bootstrap")) {
    const { ms, out } = script("bootstrap.sh", [], { ...process.env });
    res.bootstrapWarmS = +(ms / 1000).toFixed(1);
    res.bootstrapTail = out.trim().split("\n").slice(-3);
  }
  const log = join(process.env.BRIDGE_CACHE ?? join(homedir(), ".cache", "bridge-to-azure"), "build-log.tsv");
  if (existsSync(log)) {
    const first: Record<string, { at: string; s: number; size: string }> = {};
    for (const line of readFileSync(log, "utf8").split("\n")) {
      const [at, tag, secs, size] = line.split("\t");
      if (!tag || first[tag]) continue;
      first[tag] = { at, s: parseInt(secs, 10), size };
    }
    res.firstRecordedBuilds = first;
  }
  return res;
}

async function deployToFirstEvent(): Promise<Record<string, unknown>> {
  const env = benchEnv();
  script("clean-deployment.sh", [], env);
  const t0 = nowMs();
  const up = script("up.sh", ["onprem"], env);
  const deployedAt = nowMs();
  // One order right after deploy returns (the DB starts with no sales rows, so the snapshot yields none).
  const one = await commitFor(6, 200, 1);
  const order = one.commits[0];
  if (!order) throw new Error("could not commit the first order");
  const rec = await recordTopics(onPremKafka(), [DETAILS]);
  const end = Date.now() + 120000;
  let first: Seen | undefined;
  while (!first && Date.now() < end) {
    first = rec.seen.find((s) => s.orderId === order.salesOrderId);
    if (!first) await sleep(50);
  }
  await rec.stop();
  if (!first) throw new Error("first change event did not arrive within 120 s");
  return {
    upShS: +(up.ms / 1000).toFixed(1),
    firstOrderCommittedAfterS: +((order.committedAtMs - t0) / 1000).toFixed(2),
    firstEventKafkaTsAfterS: +((first.kafkaTs - t0) / 1000).toFixed(2),
    firstEventCommitToKafkaMs: +(first.kafkaTs - order.committedAtMs).toFixed(0),
    deployReturnedAfterS: +((deployedAt - t0) / 1000).toFixed(1),
  };
}

function analyse(load: LoadResult, seen: Seen[], drainUntil: number): StepResult {
  const byOrder = new Map(load.commits.map((c) => [c.salesOrderId, c]));
  const mine = seen.filter((s) => s.op === "c" && byOrder.has(s.orderId));
  // One create per row: dedupe re-deliveries by (topic, id).
  const uniq = new Map<string, Seen>();
  for (const s of mine) if (!uniq.has(`${s.topic}/${s.id}`)) uniq.set(`${s.topic}/${s.id}`, s);
  const events = [...uniq.values()];
  const recv = events.map((s) => s.receivedAt - byOrder.get(s.orderId)!.committedAtMs);
  const kts = events.map((s) => s.kafkaTs - byOrder.get(s.orderId)!.committedAtMs);
  const w0 = load.startedAtMs;
  const w1 = load.finishedAtMs;
  const winS = (w1 - w0) / 1000;
  const committedInWindow = load.rows; // every commit of the run is inside [start, finish]
  const capturedInWindow = events.filter((s) => s.kafkaTs >= w0 && s.kafkaTs <= w1).length;
  const lastEvent = events.reduce((a, s) => Math.max(a, s.receivedAt), 0);
  const lastCommit = load.commits.reduce((a, c) => Math.max(a, c.committedAtMs), 0);
  return {
    targetRowsPerSecond: load.targetRowsPerSecond,
    concurrency: load.concurrency,
    durationS: +winS.toFixed(1),
    committedRows: load.rows,
    achievedRowsPerSecond: +load.achievedRowsPerSecond.toFixed(1),
    skippedTicks: load.skippedTicks,
    eventsExpected: load.rows,
    eventsSeen: events.length,
    latencyReceiveMs: summary(recv),
    latencyKafkaTsMs: summary(kts),
    capturedPerSecondInWindow: +(capturedInWindow / winS).toFixed(1),
    keepUpRatio: +(capturedInWindow / committedInWindow).toFixed(3),
    drainMs: events.length === load.rows ? Math.round(lastEvent - lastCommit) : Math.round(drainUntil - lastCommit),
  };
}

async function latencySteps(): Promise<StepResult[]> {
  const rec = await recordTopics(onPremKafka(), [DETAILS, ORDERS]);
  const out: StepResult[] = [];
  try {
    for (const rate of rates) {
      console.error(`[bench:onprem] ${rate} rows/s for ${durationMs / 1000} s…`);
      const load = await commitFor(rate, durationMs, concurrencyFor(rate));
      const ids = new Set(load.commits.map((c) => c.salesOrderId));
      const count = () => rec.seen.filter((s) => s.op === "c" && ids.has(s.orderId)).length;
      const end = Date.now() + 60000;
      while (count() < load.rows && Date.now() < end) await sleep(200);
      out.push(analyse(load, rec.seen, nowMs()));
      await sleep(2000);
    }
  } finally {
    await rec.stop();
  }
  return out;
}

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const cmd = commandLine();
  const facts = machineFacts();
  const setup = coldSetup();
  const deploy = flag("--no-deploy") ? undefined : await deployToFirstEvent();
  const steps = await latencySteps();
  const factsAfter = machineFacts();

  const rows: Array<[string, string]> = [
    ["command", cmd],
    ["deployment", `${PREFIX} (env: ${envLine(benchConfig())})`],
    ["started", started],
    ["machine", `${facts.cpus} cores (${facts.cpuModel}), ${facts.memGiB} GiB, loadavg before ${facts.loadavg}`],
    ["other containers", `${(facts.otherContainers as string[]).join(", ") || "none"}`],
  ];
  if (setup.bootstrapWarmS !== undefined) rows.push(["scripts/bootstrap.sh (warm machine, all cached)", `${setup.bootstrapWarmS} s`]);
  for (const [tag, b] of Object.entries((setup.firstRecordedBuilds ?? {}) as Record<string, { at: string; s: number; size: string }>)) {
    rows.push([`first recorded build ${tag}`, `${b.s} s (${b.size}, ${b.at}, from build-log.tsv, not measured by this run)`]);
  }
  if (deploy) {
    rows.push(["scripts/up.sh onprem (fresh)", `${deploy.upShS} s`]);
    rows.push(["up.sh start → first order committed", `${deploy.firstOrderCommittedAfterS} s`]);
    rows.push(["up.sh start → first event in Kafka", `${deploy.firstEventKafkaTsAfterS} s (record timestamp of ${DETAILS}; its commit→Kafka ${deploy.firstEventCommitToKafkaMs} ms)`]);
  }
  for (const s of steps) {
    const k = `${s.targetRowsPerSecond} rows/s`;
    rows.push([`${k}: DB achieved`, `${s.achievedRowsPerSecond} rows/s over ${s.durationS} s (concurrency ${s.concurrency}, ${s.skippedTicks} slots skipped)`]);
    rows.push([`${k}: commit→Kafka record ts`, `p50 ${fmt(s.latencyKafkaTsMs.p50)} ms, p99 ${fmt(s.latencyKafkaTsMs.p99)} ms, max ${fmt(s.latencyKafkaTsMs.max)} ms (n=${s.latencyKafkaTsMs.n})`]);
    rows.push([`${k}: commit→consumer receive`, `p50 ${fmt(s.latencyReceiveMs.p50)} ms, p99 ${fmt(s.latencyReceiveMs.p99)} ms, max ${fmt(s.latencyReceiveMs.max)} ms`]);
    rows.push([`${k}: keep-up (captured/s ÷ committed/s)`, `${s.capturedPerSecondInWindow} / ${s.achievedRowsPerSecond} = ${s.keepUpRatio}; all ${s.eventsSeen}/${s.eventsExpected} events, last ${s.drainMs} ms after last commit`]);
  }
  rows.push(["other containers after", `${(factsAfter.otherContainers as string[]).join(", ") || "none"}; loadavg ${factsAfter.loadavg}`]);
  printTable(`on-prem cluster benchmark — ${started}`, rows);
  const file = saveResult("onprem", { bench: "onprem", started, command: cmd, env: envLine(benchConfig()), machine: facts, machineAfter: factsAfter, setup, deploy, steps });
  console.log(`\nresult appended to ${file.replace(join(__dirname, "..", "..") + "/", "")}`);
  // Teardown after the figures are safe: a failing destroy must not lose them.
  if (!flag("--keep")) tearDown(["--purge", "onprem"]);
}

runBench("onprem", main);
