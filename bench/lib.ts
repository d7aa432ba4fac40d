/**
 * Shared helpers of the deployment benchmarks (bench/onprem.ts, bench/bridge.ts):
 * the "bench" deployment (own environment name and ports, simulator container off),
 * project scripts, a time-bounded load generator on the simulator engine,
 * Kafka consumers that record receive times, percentiles, docker memory, results files.
 */
import { percentile as nearestRank } from "../verify/reconcile";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { hostname, cpus, totalmem, tmpdir } from "os";
import { join } from "path";
import { performance } from "perf_hooks";
import { Consumer, Kafka, KafkaConfig } from "kafkajs";
import { loadConfig } from "../services/simulator/src/config";
import { CommitRecord, Simulator } from "../services/simulator/src/simulator";
import { LocalDeployment, ROOT, Secrets, docker } from "../test/kit/local-deployment";
import { DbConnection } from "../verify/sources";

export { ROOT, docker };

/** The benchmark deployment: ports clear of "dev" (1xxxx) and "it" (2xxxx/3xxxx); simulator container off. */
export const BENCH = new LocalDeployment({
  environment: process.env.BENCH_ENVIRONMENT ?? "bench",
  dbPort: 43306,
  kafkaPort: 49192,
  connectPort: 48083,
  cloudKafkaPort: 49392,
  azuritePort: 40000,
  metricsPort: 44400,
  simulator: { enabled: false },
});
export const PREFIX = BENCH.prefix;

/** Ports between one site's and the next one's: the bench's own ports + SITE_PORT_STEP × the site's index. */
const SITE_PORT_STEP = 150;

/**
 * Site `i` (0-based) of a several-site bench deployment: `dc01`, `dc02`, …, each with ports of its own
 * (the first site's are the bench's: its entry carries only its dc), and its database as the application user.
 */
export function benchSite(i: number): { dc: string; entry: Record<string, unknown>; db: () => DbConnection } {
  if (!Number.isInteger(i) || i < 0 || i > 8) throw new Error(`benchSite: ${i} — a site index 0–8 (ports stay below the next deployment's)`);
  const dc = `dc${String(i + 1).padStart(2, "0")}`;
  const d = SITE_PORT_STEP * i;
  const entry =
    i === 0
      ? { dc }
      : { dc, database: { port: BENCH.dbPort + d }, kafka: { basePort: BENCH.kafkaPort + d }, connect: { basePort: BENCH.connectPort + d }, simulator: { metricsPort: BENCH.simulatorMetricsPort + d } };
  return { dc, entry, db: () => ({ ...BENCH.appDb(), port: BENCH.dbPort + d }) };
}

export function benchConfig(extra: { local?: Record<string, unknown> } = {}): Record<string, unknown> {
  return BENCH.config(extra);
}

export function benchEnv(config: Record<string, unknown> = benchConfig()): NodeJS.ProcessEnv {
  return BENCH.env(config);
}

/** Shell form of the environment, for the printed command lines. */
export function envLine(config: Record<string, unknown> = benchConfig()): string {
  return BENCH.envLine(config);
}

/** Runs a project script; returns wall time and output; throws with the output tail on failure. */
export function script(name: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 15 * 60 * 1000): { ms: number; out: string } {
  return BENCH.script(name, args, env, timeoutMs);
}

export const secrets = (): Secrets => BENCH.secrets();

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Epoch ms with sub-ms precision on the same clock as the simulator's committedAtMs. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- load generator

export interface LoadResult {
  targetRowsPerSecond: number;
  concurrency: number;
  durationMs: number;
  orders: number;
  rows: number;
  /** Detail lines (sales_order_details rows). */
  detailRows: number;
  achievedRowsPerSecond: number;
  skippedTicks: number;
  startedAtMs: number;
  finishedAtMs: number;
  commits: CommitRecord[];
}

/** Connections of the load generator for a target rate: one keeps up to ~300 rows/s here, two to ~1,200. */
export const concurrencyFor = (rate: number): number => (rate <= 300 ? 1 : rate <= 1200 ? 2 : 4);

/**
 * Commits orders on the simulator engine (the code `commitOrders()` runs) at a target
 * rows/s for a fixed wall time, then stops (in-flight orders finish). The achieved
 * rate is what the database acknowledged, whatever the target was. `env`: more of the
 * simulator's variables (services/simulator/src/env.ts), e.g. SIM_LOCAL_STOCK_EVENTS; `db`: another
 * site's database (benchSite), by default the first site's.
 */
export async function commitFor(
  targetRowsPerSecond: number,
  durationMs: number,
  concurrency: number,
  linesPerOrder = 5,
  env: Readonly<Record<string, string>> = {},
  // The deployment's database as the application user (the kit's client, from the same model as the stacks).
  db: DbConnection = BENCH.appDb(),
): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "bench-db-"));
  const pwFile = join(dir, "pw");
  writeFileSync(pwFile, `${db.password}\n`, { mode: 0o600 });
  try {
    const cfg = loadConfig({
      DB_HOST: db.host,
      DB_PORT: String(db.port),
      DB_USER: db.user,
      DB_PASSWORD_FILE: pwFile,
      SIM_LINES_PER_ORDER: String(linesPerOrder),
      SIM_CONCURRENCY: String(concurrency),
      DB_POOL_SIZE: String(concurrency + 1),
      SIM_HEARTBEAT_FILE: "",
      ...env,
    });
    const sim = new Simulator(cfg, undefined, { heartbeat: false });
    await sim.start();
    const timer = setTimeout(() => sim.stop(), durationMs);
    // Hard bound: in-flight orders get 30 s to finish after stop().
    const hard = setTimeout(() => sim.destroy(), durationMs + 30000);
    try {
      const intervalMs = (1000 * (1 + linesPerOrder)) / targetRowsPerSecond;
      const s = await sim.run({ count: 0, intervalMs, concurrency, collect: true });
      return {
        targetRowsPerSecond,
        concurrency,
        durationMs,
        orders: s.orders,
        rows: s.rows,
        detailRows: s.commits.reduce((a, c) => a + c.lines, 0),
        achievedRowsPerSecond: s.rowsPerSecond,
        skippedTicks: s.skippedTicks,
        startedAtMs: s.startedAtMs,
        finishedAtMs: s.finishedAtMs,
        commits: s.commits,
      };
    } finally {
      clearTimeout(timer);
      clearTimeout(hard);
      await sim.close().catch(() => undefined);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- Kafka

export const onPremKafka = (): KafkaConfig => BENCH.onPremKafka("bench");
export const cloudKafka = (): KafkaConfig => BENCH.cloudKafka("bench");

/** One consumed change event (only what the benchmarks need). */
export interface Seen {
  topic: string;
  partition: number;
  offset: number;
  /** Row id (`id` of the flattened row). */
  id: number;
  /** sales_order_id for detail rows, id for sales_orders rows. */
  orderId: number;
  op: string;
  /** Kafka record timestamp (ms). */
  kafkaTs: number;
  /** Debezium source.ts_ms (second precision on MariaDB). */
  sourceTs: number;
  /** When this process received the batch (epoch ms). */
  receivedAt: number;
}

/**
 * A consumer (own throwaway group) that records every row event of `topics`
 * from the beginning; `seen` grows as events arrive. Resolves once partitions are assigned.
 */
export async function recordTopics(config: KafkaConfig, topics: string[]): Promise<{ seen: Seen[]; stop: () => Promise<void> }> {
  const consumer: Consumer = new Kafka(config).consumer({
    groupId: `bench-${Date.now()}-${Math.floor(Math.random() * 1e9)}`,
    maxWaitTimeInMs: 100,
    minBytes: 1,
    maxBytes: 16 * 1024 * 1024,
  });
  const seen: Seen[] = [];
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      const receivedAt = nowMs();
      for (const m of batch.messages) {
        if (!m.value) continue;
        let v: Record<string, unknown>;
        try {
          v = JSON.parse(m.value.toString()) as Record<string, unknown>;
        } catch {
          continue;
        }
        const id = Number(v.id);
        seen.push({
          topic: batch.topic,
          partition: batch.partition,
          offset: Number(m.offset),
          id,
          orderId: batch.topic.endsWith("sales_order_details") ? Number(v.sales_order_id) : id,
          op: String(v.__op ?? ""),
          kafkaTs: Number(m.timestamp),
          sourceTs: Number(v.__source_ts_ms ?? NaN),
          receivedAt,
        });
      }
    },
  });
  const end = Date.now() + 60000;
  while (!joined && Date.now() < end) await sleep(200);
  if (!joined) throw new Error(`consumer of ${topics.join(",")} did not join its group within 60 s`);
  return { seen, stop: () => consumer.disconnect() };
}

/** Topic names of a Kafka cluster (to wait for topics the CDC connector creates). */
export async function listTopics(config: KafkaConfig): Promise<string[]> {
  const admin = new Kafka(config).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------- statistics

/** Nearest-rank percentile (verify's), NaN for no values so tables print "n/a". */
export function percentile(values: number[], p: number): number {
  return nearestRank(values, p) ?? NaN;
}

export function summary(values: number[]): { n: number; p50: number; p99: number; max: number } {
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: values.length ? Math.max(...values) : NaN };
}

export const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");

// ---------------------------------------------------------------- docker

/** Memory of the deployment's running containers (`docker stats --no-stream`), MiB each and total. */
export function memoryMiB(statsOutput?: string): { total: number; byContainer: Record<string, number> } {
  const out = statsOutput ?? docker("stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}");
  const byContainer: Record<string, number> = {};
  for (const line of out.split("\n")) {
    const [name, usage] = line.split("\t");
    if (!name?.startsWith(`${PREFIX}-`) || !usage) continue;
    const m = /^([\d.]+)\s*([KMG]i?B|B)/.exec(usage.trim());
    if (!m) continue;
    const unit = m[2];
    const f = unit.startsWith("G") ? 1024 : unit.startsWith("M") ? 1 : unit.startsWith("K") ? 1 / 1024 : 1 / (1024 * 1024);
    byContainer[name] = Number(m[1]) * f;
  }
  return { total: Object.values(byContainer).reduce((a, b) => a + b, 0), byContainer };
}

/** Machine facts, and the other containers running on the engine at the time. */
export function machineFacts(): Record<string, unknown> {
  let others: string[] = [];
  try {
    others = docker("ps", "--format", "{{.Names}}")
      .split("\n")
      .filter((n) => n && !n.startsWith(`${PREFIX}-`));
  } catch {
    /* no docker */
  }
  let load = "";
  try {
    load = readFileSync("/proc/loadavg", "utf8").trim();
  } catch {
    /* not linux */
  }
  return { host: hostname(), cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version, loadavg: load, otherContainers: others };
}

// ---------------------------------------------------------------- output

export function commandLine(): string {
  return `node ${process.argv.slice(1).map((a) => a.replace(ROOT + "/", "")).join(" ")}`;
}

export function printTable(title: string, rows: Array<[string, string]>): void {
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  console.log("-".repeat(Math.min(100, title.length)));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}

/** Appends one JSON result (one line) to bench/results/<name>-<date>.json; returns the path. */
export function saveResult(name: string, result: Record<string, unknown>): string {
  const dir = join(ROOT, "bench", "results");
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().slice(0, 10)}.json`);
  appendFileSync(file, JSON.stringify(result) + "\n");
  return file;
}

/**
 * Tears the bench deployment (as configured in `env`) down once the figures are saved: a failing
 * destroy never loses them, it sets exit code 3 and says how to clean up.
 */
export function tearDown(downArgs: string[], env: NodeJS.ProcessEnv = benchEnv()): void {
  try {
    console.log(`teardown: scripts/down.sh ${downArgs.join(" ")} took ${(script("down.sh", downArgs, env).ms / 1000).toFixed(1)} s`);
  } catch (e) {
    const errors = (e as Error).message.split("\n").filter((l) => /Error/.test(l)).slice(0, 3).join(" | ");
    console.log(`teardown FAILED (clean up with BRIDGE_ENVIRONMENT=${BENCH.environment} scripts/clean-deployment.sh): ${errors}`);
    process.exitCode = 3;
  }
}

/** Runs a benchmark's main: everything stops by itself within 40 minutes (exit 2), errors exit 1. */
export function runBench(name: string, main: () => Promise<void>): void {
  setTimeout(() => {
    console.error(`[bench:${name}] hard time limit (40 min) reached, exiting`);
    process.exit(2);
  }, 40 * 60 * 1000).unref();
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (e) => {
      // The reason, not a stack trace (BRIDGE_DEBUG=1 shows it).
      console.error(`[bench:${name}] failed: ${e instanceof Error ? (process.env.BRIDGE_DEBUG === "1" ? (e.stack ?? e.message) : e.message) : String(e)}`);
      process.exit(1);
    },
  );
}
