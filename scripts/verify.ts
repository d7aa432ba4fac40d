/**
 * Verifies the pipeline hop by hop — database → on-prem topic → cloud topic →
 * lake files — for every replicated table: counts, how far each hop is
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
 * Each hop's latency is commit → ARRIVAL at that hop (printed with the report, README "How each hop is timed"):
 * on-prem topic = the on-prem broker's append time (LogAppendTime), cloud topic = the cloud broker's append time
 * (LogAppendTime, which MirrorMaker 2 syncs to the cloud topic; verify warns when the cloud topic has CreateTime:
 * its "latency" then only repeats the on-prem one), lake files = the blob's Last-Modified, i.e. when the
 * sink's upload completed (1 s resolution: the storage service stamps whole seconds).
 *
 * --wait S: give in-flight changes up to S seconds to land before judging (default 60).
 * Exit: 0 ok, 1 a row missing or duplicated, 2 verify itself failed, 3 capture STALLED.
 */
import { CAPTURE_STALL_AFTER_MS } from "../connectors/debezium";
import { connectMetricsPort } from "../constructs/onprem/connect-cluster";
import { captureState, formatCapture, scrapeMetrics } from "../verify/capture";
import { formatReconciliation, reconcile, Reconciliation } from "../verify/reconcile";
import { readLake, readTableSnapshot, readTopic, topicTimestampType } from "../verify/sources";
import { localClients } from "./lib/local-clients";
import { projectConfig } from "./lib/project-config";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const waitIdx = args.indexOf("--wait");
  const waitS = waitIdx >= 0 ? Number(args[waitIdx + 1]) : 60;
  if (!Number.isFinite(waitS) || waitS < 0) throw new Error(`--wait: "${args[waitIdx + 1]}" must be a number of seconds ≥ 0`);
  const c = projectConfig();
  if (c.target !== "local") throw new Error(`verify reads the local topology; target is "${c.target}"`);

  const { bySource, errors } = await scrapeMetrics(c.derived.connectPorts.map(connectMetricsPort));
  for (const e of errors) console.log(`metrics not readable: ${e}`);
  const capture = captureState(c.onPrem.dc, bySource, CAPTURE_STALL_AFTER_MS);
  console.log(formatCapture(capture));
  if (capture.verdict === "STALLED") {
    console.log(`STALLED: capture of ${c.onPrem.dc} is not reading the binlog; hops not checked (exit 3)`);
    return 3;
  }
  if (args.includes("--capture-only")) return 0;
  const clients = localClients(c);
  const onPrem = clients.onPremKafka("verify");
  const cloud = clients.cloudKafka("verify");
  const lake = clients.lake();
  const db = clients.db();
  const prefix = `${c.onPrem.dc}_`;

  console.log(
    "Latency = commit (Debezium source.ts_ms) → arrival at the hop: on-prem topic = on-prem broker append time (LogAppendTime); " +
      "cloud topic = cloud broker append time (LogAppendTime); lake files = blob Last-Modified (upload completed, 1 s resolution).",
  );
  let failed = false;
  for (const topic of c.derived.replicatedTopics) {
    if (!topic.startsWith(prefix)) {
      console.log(`${topic}: not a CDC topic of ${c.onPrem.dc}, skipped`);
      continue;
    }
    const table = topic.slice(prefix.length);
    const cloudTimestamps = await topicTimestampType(cloud, topic).catch((e: Error) => `unknown (${e.message})`);
    if (cloudTimestamps !== "LogAppendTime") {
      console.log(`${topic}: the cloud topic's message.timestamp.type is ${cloudTimestamps}, not LogAppendTime: its latency repeats the on-prem one, not the cloud's arrival`);
    }
    // Rows, columns (defaults of added columns) and the binlog position they are consistent with.
    const { rows, columns, snapshot } = await readTableSnapshot(db, table);
    const deadline = Date.now() + waitS * 1000;
    let result: Reconciliation;
    let files = 0;
    for (;;) {
      const [onPremChanges, cloudChanges, landed] = await Promise.all([readTopic(onPrem, topic), readTopic(cloud, topic), readLake(lake, topic)]);
      files = landed.files;
      result = reconcile(rows, [
        { name: "on-prem topic", changes: onPremChanges },
        { name: "cloud topic", changes: cloudChanges },
        { name: "lake files", changes: landed.changes },
      ], { columns, snapshot });
      // Duplicates never heal; missing rows may still be in flight.
      if (result.ok || result.duplicatedInLake.length > 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 3000));
    }
    console.log(formatReconciliation(`${table} → ${topic} (${files} lake files)`, result));
    failed ||= !result.ok;
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`verify: ${e.message}`);
    process.exit(2);
  },
);
