/**
 * Metrics of every hop, for real: the local topology with the observability stack, the simulator's load,
 * then every panel query of the Grafana dashboard (docs/grafana/bridge-to-azure.json) against the real
 * Prometheus HTTP API must return data, every scrape target must be up, and the cloud topic must carry
 * its broker's arrival timestamps (LogAppendTime), so verify's cloud-topic latency exceeds the on-prem one.
 */
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { SCRAPE_JOBS } from "../../stacks/observability-stack";
import { readTopic, topicTimestampType } from "../../verify/sources";
import { changeIdentity } from "../../verify/reconcile";
import { IT, ROOT, cloudKafka, itEnv, onPremKafka, script, sleep, waitFor } from "./harness";

jest.setTimeout(15 * 60 * 1000);

const TOPIC = "dc01_sales_order_details";
const PROMETHEUS = `http://127.0.0.1:${IT.prometheusPort}`;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(expr: string): Promise<Sample[]> {
  const res = await fetch(`${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: Sample[] } };
  if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
  return body.data!.result;
}

/** Every panel query of the dashboard: [panel title, expr]. */
function dashboardQueries(): Array<[string, string]> {
  const dash = JSON.parse(readFileSync(join(ROOT, "docs", "grafana", "bridge-to-azure.json"), "utf8")) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
  return dash.panels.flatMap((p) => (p.targets ?? []).map((t) => [p.title, t.expr] as [string, string]));
}

let t0 = 0;
beforeAll(() => {
  t0 = Date.now();
  script("clean-deployment.sh");
  const out = script("up.sh");
  // up.sh names Prometheus (from the observability stack's output).
  expect(out).toContain(`Metrics: Prometheus at ${PROMETHEUS}`);
  console.log(`deployed in ${Math.round((Date.now() - t0) / 1000)} s`);
});

afterAll(() => {
  script("down.sh", ["--purge"]);
  console.log(`metrics test: ${Math.round((Date.now() - t0) / 1000)} s in all`);
});

test("every scrape target is up", async () => {
  const jobs = Object.values(SCRAPE_JOBS).sort();
  let up: Sample[] = [];
  await waitFor("every scrape target up", async () => {
    up = await query("up").catch(() => []);
    return up.length > 0 && [...new Set(up.map((s) => s.metric.job))].sort().join() === jobs.join() && up.every((s) => s.value[1] === "1");
  }, 180000, 3000);
  expect([...new Set(up.map((s) => s.metric.job))].sort()).toEqual(jobs);
  expect(up.filter((s) => s.value[1] !== "1").map((s) => `${s.metric.job} ${s.metric.instance}`)).toEqual([]);
});

test("every panel query of the Grafana dashboard returns data from the real Prometheus", async () => {
  const queries = dashboardQueries();
  expect(queries.length).toBeGreaterThan(15);
  let empty: string[] = [];
  // Rates need two scrapes, the lake's histograms a landed file, MM2's gauges replicated records.
  await waitFor("data for every panel", async () => {
    empty = [];
    for (const [title, expr] of queries) if ((await query(expr)).length === 0) empty.push(`${title}: ${expr}`);
    return empty.length === 0;
  }, 180000, 5000).catch(() => undefined);
  expect(empty).toEqual([]);
  // The figures themselves: the pipeline is flowing, measured at each hop.
  const value = async (expr: string) => Number((await query(expr))[0]?.value[1]);
  expect(await value("sum(rate(bridge_simulator_orders_committed_total[1m]))")).toBeGreaterThan(0);
  expect(await value(`sum(rate(kafka_server_brokertopicmetrics_messagesin_total{job="kafka-onprem",topic="${TOPIC}"}[1m]))`)).toBeGreaterThan(0);
  expect(await value(`sum(rate(kafka_server_brokertopicmetrics_messagesin_total{job="kafka-cloud",topic="${TOPIC}"}[1m]))`)).toBeGreaterThan(0);
  // The latency probe's topic lands first (a quiet topic's file closes after 2 s); the detail topic's first
  // file closes after 60 s open (local.sinkOpenFileMaxMs), and one more scrape brings it here.
  await waitFor(`a landed file of ${TOPIC} counted`, async () => (await value(`sum(bridge_lake_sink_records_landed_total{topic="${TOPIC}"})`)) > 0, 120000, 5000).catch(() => undefined);
  expect(await value(`sum(bridge_lake_sink_records_landed_total{topic="${TOPIC}"})`)).toBeGreaterThan(0);
  // A rate needs the histogram to have grown between two scrapes: a second landed file after the first
  // made the series (the first alone reads rate 0, quantile NaN).
  const p50Query = `histogram_quantile(0.5, sum by (le) (rate(bridge_lake_sink_commit_to_land_seconds_bucket{topic="${TOPIC}"}[5m])))`;
  await waitFor(`a commit → lake p50 of ${TOPIC}`, async () => Number.isFinite(await value(p50Query)), 180000, 5000).catch(() => undefined);
  const p50 = await value(p50Query);
  expect(p50).toBeGreaterThan(0.05);
  expect(p50).toBeLessThan(60);
  // What a scrape costs (report, not a rule): duration and samples per job.
  for (const s of await query("max by (job) (scrape_duration_seconds)")) {
    const samples = await value(`max(scrape_samples_scraped{job="${s.metric.job}"})`);
    console.log(`scrape ${s.metric.job}: ${(Number(s.value[1]) * 1000).toFixed(1)} ms, ${samples} samples`);
  }
});

test("the cloud topic carries its broker's arrival times (LogAppendTime), so verify's cloud hop is later than the on-prem one", async () => {
  expect(await topicTimestampType(onPremKafka, TOPIC)).toBe("LogAppendTime");
  expect(await topicTimestampType(cloudKafka(), TOPIC)).toBe("LogAppendTime");
  // The same changes on both clusters: each arrived in the cloud after it was appended on-prem.
  const onPrem = new Map((await readTopic(onPremKafka, TOPIC)).map((c) => [changeIdentity(c.change), c.at]));
  const cloud = (await readTopic(cloudKafka(), TOPIC)).filter((c) => onPrem.has(changeIdentity(c.change)));
  expect(cloud.length).toBeGreaterThan(10);
  const later = cloud.map((c) => c.at - onPrem.get(changeIdentity(c.change))!);
  expect(later.filter((d) => d < 0)).toEqual([]);
  expect(later.filter((d) => d > 0).length).toBeGreaterThan(cloud.length / 2);
  // verify says so too: cloud-topic p50 above the on-prem one. The lake lags by up to OPEN_FILE_MAX_MS (60 s) at this
  // rate (a file lands when full or a minute old), so verify gets 120 s to see every row landed.
  await sleep(1000);
  const r = spawnSync("node", [join(ROOT, "dist", "scripts", "verify.js"), "--wait", "120"], { cwd: ROOT, env: itEnv(), encoding: "utf8", timeout: 240000 });
  console.log(r.stdout);
  expect(r.status).toBe(0);
  const p50 = (hop: string) => Number(new RegExp(`^\\s+${hop}\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+(\\d+) ms`, "m").exec(r.stdout)?.[1]);
  expect(p50("cloud topic")).toBeGreaterThan(p50("on-prem topic"));
  expect(r.stdout).toContain("cloud topic = cloud broker append time");
});
