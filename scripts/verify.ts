/**
 * Verifies the pipeline hop by hop — database → on-prem topic → cloud topic →
 * lake files — for every replicated table of every site (config `sites`, each on its own): counts, how far each hop is
 * behind, commit-to-hop latency, and exits 1 when a committed row is
 * missing from the lake or a change landed twice.
 *
 * First it prints the capture state from Debezium's own streaming metrics (each Connect worker's
 * /metrics, see verify/capture.ts): connected, ms since the last binlog event, ms behind source, queue.
 * When capture is STALLED it says so and exits 3 at once, without reading the hops: while the binlog
 * reader is stalled every recent row would only show up as "missing" after --wait.
 *
 *   npm run verify                       # the dev deployment
 *   BRIDGE_ENVIRONMENT=it npm run verify -- --wait 120
 *   npm run verify -- --capture-only     # only the capture state (0 streaming/snapshot, 3 STALLED)
 *
 * On a cloud target it runs on the on-prem host, reading the cloud Kafka with the bridge's login
 * (TF_VAR_… as for the deploy) and the lake as the console's Entra ID reader
 * (BRIDGE_CONSOLE_LAKE_CLIENT_SECRET; or the account key where the lake keeps shared keys).
 *
 * --wait S: give in-flight changes up to S seconds to land before judging (default 60).
 * Exit: 0 ok, 1 a row missing or duplicated, 2 verify itself failed, 3 capture STALLED.
 */
import { CAPTURE_STALL_AFTER_MS } from "../connectors/debezium";
import { connectMetricsPort } from "../constructs/onprem/connect-cluster";
import { captureState, formatCapture, scrapeMetrics } from "../verify/capture";
import { formatReconciliation } from "../verify/reconcile";
import { DEFAULT_WAIT_S, verifyTopics } from "../verify/run";
import { topicTimestampType } from "../verify/sources";
import { deploymentClients } from "./lib/local-clients";
import { projectConfig } from "./lib/project-config";
import { ResolvedConfig } from "../config";
import { siteConfig } from "../stacks/deployment";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const waitIdx = args.indexOf("--wait");
  const waitS = waitIdx >= 0 ? Number(args[waitIdx + 1]) : DEFAULT_WAIT_S;
  if (!Number.isFinite(waitS) || waitS < 0) throw new Error(`--wait: "${args[waitIdx + 1]}" must be a number of seconds ≥ 0`);
  const config = projectConfig();
  // Each site on its own (config `sites`): its capture, its database, its Kafka, its topics in the one cloud and lake.
  const codes: number[] = [];
  for (const site of config.derived.sites) codes.push(await verifySite(siteConfig(config, site), waitS, args.includes("--capture-only")));
  // The worst site decides: a missing or duplicated row (1) over a stalled capture (3); verify's own failure throws (2).
  return codes.includes(1) ? 1 : codes.includes(3) ? 3 : 0;
}

/** One site's capture state and hops (the configuration as the site sees it: stacks/deployment.ts siteConfig). */
async function verifySite(c: ResolvedConfig, waitS: number, captureOnly: boolean): Promise<number> {
  if (c.derived.sites.length > 1) console.log(`Site ${c.onPrem.dc}:`);

  const { bySource, errors } = await scrapeMetrics(c.derived.connectPorts.map(connectMetricsPort));
  for (const e of errors) console.log(`metrics not readable: ${e}`);
  const capture = captureState(c.onPrem.dc, bySource, CAPTURE_STALL_AFTER_MS);
  console.log(formatCapture(capture));
  if (capture.verdict === "STALLED") {
    console.log(`STALLED: capture of ${c.onPrem.dc} is not reading the binlog; hops not checked (exit 3)`);
    return 3;
  }
  if (captureOnly) return 0;
  // A cloud target: its Kafka and lake with the operator's credentials (scripts/lib/local-clients.ts deploymentClients).
  const clients = deploymentClients(c);
  console.log(
    "Latency = commit → arrival at the hop (README: How each hop is timed). Commit: the latency probe's µs column, else Debezium's source.ts_ms (whole seconds on MariaDB). " +
      "Arrival: on-prem topic = on-prem broker append time (LogAppendTime); cloud topic = cloud broker append time (LogAppendTime); lake files = blob Last-Modified (1 s resolution).",
  );
  const cloudKafka = clients.cloudKafka("verify");
  for (const topic of c.derived.replicatedTopics) {
    const type = await topicTimestampType(cloudKafka, topic).catch((e: Error) => `unknown (${e.message})`);
    if (type !== "LogAppendTime") console.log(`${topic}: the cloud topic's message.timestamp.type is ${type}, not LogAppendTime: its latency repeats the on-prem one, not the cloud's arrival`);
  }
  const verdicts = await verifyTopics(
    { onPrem: clients.onPremKafka("verify"), cloud: clients.cloudKafka("verify"), lake: clients.lake(), db: clients.db() },
    c.onPrem.dc,
    c.derived.replicatedTopics,
    waitS,
    (v) => console.log("skipped" in v ? `${v.topic}: ${v.skipped}, skipped` : formatReconciliation(`${v.table} → ${v.topic} (${v.files} lake files)`, v.result)),
  );
  const failed = verdicts.some((v) => "result" in v && !v.result.ok);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`verify: ${e.message}`);
    process.exit(2);
  },
);
