/**
 * Budget of the operator's view (Prometheus + the console), on the full local topology of the
 * "bench" deployment (bench/lib.ts: own ports, simulator container off):
 *
 *   npm run bench:console                                   # clean deploy, 6 h backfill, 1000 rows/s × 135 s, teardown
 *   node dist/bench/console.js --rate 1000 --duration 135 --history-hours 6 --no-clean --keep
 *
 * 1. History: the series the console reads (services/console/src/metric-names.ts), as Prometheus holds
 *    them now, are written back over the last N hours at the scrape interval (counters rising to their
 *    current value, gauges at it) with promtool's OpenMetrics backfill into Prometheus' own volume;
 *    Prometheus restarts and loads the blocks. The console's history pages then read N hours of samples,
 *    as after N hours of running.
 * 2. Load: the simulator engine commits `--rate` rows/s for `--duration` s; meanwhile Prometheus' and
 *    the console's cgroups are read (CPU time in ns, memory working set = usage − inactive file, as
 *    docker stats reports it): CPU as % of one core over each third of the load, memory mean/max.
 *    Thirds: nobody looking; the overview open in a browser, updating live (what an operator watching
 *    costs); the page loads below.
 * 3. Pages: in Debian's chromium (playwright-core), the overview, the hops page and the replication
 *    page at the 6 h range are loaded 5 times each during the load: time to the load event, p50 and max.
 *
 * The budget (issue 11): Prometheus + console ≤ 300 MiB and ≤ 5 % of a core at 1,000 rows/s; the overview
 * under 1 s with 6 h of history. Printed beside the figures, never asserted (a benchmark, not a test).
 * The pipeline's side of the budget (scraping ≤ 3 % of throughput) is `bench:bridge --scrape-compare`.
 * Appends the result as one JSON line to bench/results/console-<date>.json.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { chromium } from "playwright-core";
import { DEFAULTS } from "../config/defaults";
import { METRICS } from "../services/console/src/metric-names";
import { BENCH, PREFIX, benchConfig, benchEnv, commandLine, commitFor, concurrencyFor, docker, envLine, fmt, machineFacts, percentile, printTable, runBench, saveResult, script, sleep, tearDown } from "./lib";

const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const opt = (f: string, d: string) => (args.indexOf(f) >= 0 ? args[args.indexOf(f) + 1] : d);
const RATE = Number(opt("--rate", "1000"));
const DURATION_MS = Number(opt("--duration", "135")) * 1000;
const HISTORY_H = Number(opt("--history-hours", "6"));
const CHROMIUM = "/usr/bin/chromium";
const PROMETHEUS = BENCH.container("prometheus");
const CONSOLE = BENCH.container("console");
/** The Prometheus image's data directory (constructs/observability/prometheus.ts mounts the volume there). */
const DATA_DIR = "/var/lib/prometheus/metrics2";
const BUDGET = { memoryMiB: 300, cpuPercentOfCore: 5, overviewMs: 1000 };

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function promQuery(url: string, q: string): Promise<Sample[]> {
  const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await r.json()) as { status: string; data: { result: Sample[] }; error?: string };
  if (body.status !== "success") throw new Error(`Prometheus query ${q}: ${body.error}`);
  return body.data.result;
}

/** OpenMetrics text of `series` over [fromS, toS] every stepS: counters rise linearly to their value now, gauges stay at it. */
function history(series: Sample[], fromS: number, toS: number, stepS: number): { text: string; samples: number } {
  const byName = new Map<string, Sample[]>();
  for (const s of series) byName.set(s.metric.__name__, [...(byName.get(s.metric.__name__) ?? []), s]);
  const lines: string[] = [];
  let samples = 0;
  const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  for (const [name, list] of byName) {
    // One family per name, unknown type: promtool then takes any name suffix as it is.
    lines.push(`# TYPE ${name} unknown`);
    const counter = /(_total|_count|_sum|_bucket)$/.test(name);
    for (const s of list) {
      const labels = Object.entries(s.metric).filter(([k]) => k !== "__name__").map(([k, v]) => `${k}="${esc(v)}"`).join(",");
      const now = Number(s.value[1]);
      if (!Number.isFinite(now)) continue;
      for (let t = fromS; t <= toS; t += stepS) {
        const v = counter ? (now * (t - fromS)) / (toS - fromS) : now;
        lines.push(`${name}${labels ? `{${labels}}` : ""} ${v} ${t}`);
        samples++;
      }
    }
  }
  lines.push("# EOF");
  return { text: lines.join("\n") + "\n", samples };
}

/** The container's cgroup (v1 or v2) files: CPU time (ns) and memory working set (bytes). */
function cgroupOf(container: string): { cpuNs: () => number; memBytes: () => number } {
  const id = docker("inspect", "-f", "{{.Id}}", container).trim();
  const v1 = { cpu: `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, mem: `/sys/fs/cgroup/memory/docker/${id}` };
  const v2 = [`/sys/fs/cgroup/system.slice/docker-${id}.scope`, `/sys/fs/cgroup/docker/${id}`].find((d) => existsSync(`${d}/cpu.stat`));
  const stat = (file: string, key: string) => Number(new RegExp(`^${key} (\\d+)$`, "m").exec(readFileSync(file, "utf8"))?.[1] ?? NaN);
  if (existsSync(v1.cpu)) {
    return {
      cpuNs: () => Number(readFileSync(v1.cpu, "utf8")),
      memBytes: () => Number(readFileSync(`${v1.mem}/memory.usage_in_bytes`, "utf8")) - stat(`${v1.mem}/memory.stat`, "total_inactive_file"),
    };
  }
  if (v2) return { cpuNs: () => stat(`${v2}/cpu.stat`, "usage_usec") * 1000, memBytes: () => Number(readFileSync(`${v2}/memory.current`, "utf8")) - stat(`${v2}/memory.stat`, "inactive_file") };
  throw new Error(`no cgroup files found for ${container} (${id})`);
}

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const facts = machineFacts();
  const env = benchEnv();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run scripts/chromium.sh`);
  if (!flag("--no-clean")) script("clean-deployment.sh", [], env);
  const up = script("up.sh", [], env);
  const promUrl = `http://127.0.0.1:${BENCH.prometheusPort}`;
  const consoleUrl = `http://127.0.0.1:${BENCH.consolePort}`;

  // 1. History. A minute of real scrapes first, so every series the console reads exists.
  console.error("[bench:console] waiting 60 s for the first scrapes…");
  await sleep(60000);
  const names = Object.values(METRICS).join("|");
  const series = await promQuery(promUrl, `{__name__=~"(${names})(_bucket|_sum|_count|_total)?"}`);
  const nowS = Math.floor(Date.now() / 1000);
  const interval = DEFAULTS.observability.prometheus.scrapeIntervalSeconds;
  // Up to 5 min ago: the head block holds the rest.
  const h = history(series, nowS - HISTORY_H * 3600, nowS - 300, interval);
  const dir = mkdtempSync(join(tmpdir(), "bench-console-"));
  let backfillMs = 0;
  try {
    writeFileSync(join(dir, "history.om"), h.text);
    // promtool runs as the image's user (prometheus), who must read the file.
    chmodSync(dir, 0o755);
    const volume = docker("inspect", "-f", `{{range .Mounts}}{{if eq .Destination "${DATA_DIR}"}}{{.Name}}{{end}}{{end}}`, PROMETHEUS).trim();
    const image = docker("inspect", "-f", "{{.Config.Image}}", PROMETHEUS).trim();
    const t0 = Date.now();
    docker("run", "--rm", "--network", "none", "--entrypoint", "promtool", "-v", `${volume}:${DATA_DIR}`, "-v", `${dir}:/in:ro`, image,
      "tsdb", "create-blocks-from", "openmetrics", "/in/history.om", DATA_DIR);
    backfillMs = Date.now() - t0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  docker("restart", PROMETHEUS);
  for (const end = Date.now() + 120000; ; await sleep(2000)) {
    const ok = await fetch(`${promUrl}/-/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > end) throw new Error("Prometheus not ready 120 s after the backfill");
  }
  // What Prometheus now holds: samples of one series over the range, × the interval.
  const held = await promQuery(promUrl, `max(count_over_time(${METRICS.sinkRecordsLanded}[${HISTORY_H}h]))`).catch(() => []);
  const historyS = held[0] ? Number(held[0].value[1]) * interval : NaN;

  // 2 + 3. Load, cgroup readings, page loads.
  const groups = { prometheus: cgroupOf(PROMETHEUS), console: cgroupOf(CONSOLE) };
  const cpu0 = { prometheus: groups.prometheus.cpuNs(), console: groups.console.cpuNs() };
  const mem: Record<keyof typeof groups, number[]> = { prometheus: [], console: [] };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      for (const k of Object.keys(groups) as Array<keyof typeof groups>) mem[k].push(groups[k].memBytes() / 2 ** 20);
      await sleep(1000);
    }
  })();
  const t0 = Date.now();
  const loadP = commitFor(RATE, DURATION_MS, concurrencyFor(RATE));
  // Three windows of the same load: nobody looking (the cost of running Prometheus and the console,
  // which the budget is about), one operator watching the overview live, then the page loads (what an
  // operator paging through the history adds on top).
  const cpuNow = () => ({ prometheus: groups.prometheus.cpuNs(), console: groups.console.cpuNs() });
  const third = DURATION_MS / 3;
  await sleep(third);
  const cpu1 = cpuNow();
  const t1 = Date.now();
  const pages: Record<string, number[]> = { "/": [], "/hops?range=6h": [], "/replication?range=6h": [] };
  const profile = mkdtempSync(join(tmpdir(), "bench-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  let cpu2: ReturnType<typeof cpuNow>;
  let t2: number;
  try {
    const page = await browser.newPage();
    await page.goto(`${consoleUrl}/`, { waitUntil: "load" });
    await sleep(Math.max(0, t1 + third - Date.now()));
    cpu2 = cpuNow();
    t2 = Date.now();
    for (let i = 0; i < 5; i++) {
      for (const path of Object.keys(pages)) {
        const s = Date.now();
        await page.goto(`${consoleUrl}${path}`, { waitUntil: "load" });
        pages[path].push(Date.now() - s);
      }
    }
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
  const load = await loadP;
  const cpuEnd = cpuNow();
  const tEnd = Date.now();
  sampling = false;
  await sampler;
  const pct = (a: number, b: number, ms: number) => ((b - a) / (ms * 1e6)) * 100;
  const cpuPct = { prometheus: pct(cpu0.prometheus, cpu1.prometheus, t1 - t0), console: pct(cpu0.console, cpu1.console, t1 - t0) };
  const cpuWatched = { prometheus: pct(cpu1.prometheus, cpu2.prometheus, t2 - t1), console: pct(cpu1.console, cpu2.console, t2 - t1) };
  const cpuPages = { prometheus: pct(cpu2.prometheus, cpuEnd.prometheus, tEnd - t2), console: pct(cpu2.console, cpuEnd.console, tEnd - t2) };
  const stat = (v: number[]) => ({ mean: v.reduce((a, b) => a + b, 0) / v.length, max: Math.max(...v) });
  const memStat = { prometheus: stat(mem.prometheus), console: stat(mem.console) };
  const memBoth = stat(mem.prometheus.map((v, i) => v + (mem.console[i] ?? 0)));
  const cpuBoth = cpuPct.prometheus + cpuPct.console;
  const cpuWatchedBoth = cpuWatched.prometheus + cpuWatched.console;
  const cpuPagesBoth = cpuPages.prometheus + cpuPages.console;
  const pageStat = Object.fromEntries(Object.entries(pages).map(([p, v]) => [p, { p50: percentile(v, 50), max: Math.max(...v), n: v.length }]));
  const verdict = (ok: boolean) => (ok ? "within budget" : "OVER budget");

  const rows: Array<[string, string]> = [
    ["command", commandLine()],
    ["deployment", `${PREFIX} (env: ${envLine(benchConfig())})`],
    ["started", started],
    ["machine", `${facts.cpus} cores (${facts.cpuModel}), ${facts.memGiB} GiB, loadavg before ${facts.loadavg}`],
    ["other containers", `${(facts.otherContainers as string[]).join(", ") || "none"}`],
    ["scripts/up.sh", `${(up.ms / 1000).toFixed(1)} s`],
    ["history backfilled", `${series.length} series × ${HISTORY_H} h at ${interval} s = ${h.samples} samples (promtool ${fmt(backfillMs / 1000, 1)} s); Prometheus then holds ${fmt(historyS / 3600, 2)} h of ${METRICS.sinkRecordsLanded}`],
    ["load", `${load.achievedRowsPerSecond.toFixed(0)} rows/s achieved (target ${RATE}) over ${(load.durationMs / 1000).toFixed(0)} s`],
    ["Prometheus", `CPU ${fmt(cpuPct.prometheus, 2)} % of a core (${fmt(cpuWatched.prometheus, 2)} % watched, ${fmt(cpuPages.prometheus, 2)} % while the pages load); memory mean ${fmt(memStat.prometheus.mean)} MiB, max ${fmt(memStat.prometheus.max)} MiB`],
    ["console", `CPU ${fmt(cpuPct.console, 2)} % of a core (${fmt(cpuWatched.console, 2)} % watched, ${fmt(cpuPages.console, 2)} % while the pages load); memory mean ${fmt(memStat.console.mean)} MiB, max ${fmt(memStat.console.max)} MiB`],
    ["both: memory", `max ${fmt(memBoth.max)} MiB (budget ${BUDGET.memoryMiB}): ${verdict(memBoth.max <= BUDGET.memoryMiB)}`],
    ["both: CPU", `${fmt(cpuBoth, 2)} % of a core over the first ${fmt((t1 - t0) / 1000)} s, nobody looking (budget ${BUDGET.cpuPercentOfCore}): ${verdict(cpuBoth <= BUDGET.cpuPercentOfCore)}`],
    ["both: CPU, watched", `${fmt(cpuWatchedBoth, 2)} % of a core over the next ${fmt((t2 - t1) / 1000)} s, the overview open, live (budget ${BUDGET.cpuPercentOfCore}): ${verdict(cpuWatchedBoth <= BUDGET.cpuPercentOfCore)}`],
    ["both: CPU, pages loading", `${fmt(cpuPagesBoth, 2)} % of a core over the last ${fmt((tEnd - t2) / 1000)} s (the 15 page loads below, 6 h ranges)`],
  ];
  for (const [p, s] of Object.entries(pageStat)) rows.push([`page ${p}`, `load event p50 ${fmt(s.p50)} ms, max ${fmt(s.max)} ms (n=${s.n})${p === "/" ? ` (budget ${BUDGET.overviewMs} ms: ${verdict(s.max < BUDGET.overviewMs)})` : ""}`]);
  printTable(`console benchmark — ${started}`, rows);
  const file = saveResult("console", { bench: "console", started, command: commandLine(), env: envLine(benchConfig()), machine: facts, upS: +(up.ms / 1000).toFixed(1), history: { series: series.length, hours: HISTORY_H, samples: h.samples, backfillMs, oldestH: historyS / 3600 }, load: { target: RATE, achieved: load.achievedRowsPerSecond }, cpuPercentOfCore: cpuPct, cpuPercentOfCoreWatched: cpuWatched, cpuPercentOfCoreWhilePagesLoad: cpuPages, memoryMiB: memStat, both: { memoryMaxMiB: memBoth.max, cpuPercentOfCore: cpuBoth, cpuPercentOfCoreWatched: cpuWatchedBoth }, pages: pageStat, budget: BUDGET });
  console.log(`\nresult appended to ${file.replace(join(__dirname, "..", "..") + "/", "")}`);
  if (!flag("--keep")) tearDown(["--purge"]);
}

runBench("console", main);
