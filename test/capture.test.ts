/**
 * The capture-stall rule, twice on the same metrics: verify's (verify/capture.ts) and the Connect
 * health check's (images/connect/healthcheck.sh, run with a stand-in curl that serves the fixture).
 */
import { spawnSync } from "child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { CAPTURE_STALL_AFTER_MS } from "../connectors/debezium";
import { connectMetricsPort } from "../constructs/onprem/connect-cluster";
import { captureState, formatCapture, parsePrometheus } from "../verify/capture";

const ROOT = join(__dirname, "..", "..");

/** Exporter output for one Debezium MariaDB task of server dc01 (as jmx-exporter.yaml names it). */
function metrics(o: { connected: number; msSince: number; snapshotRunning?: number; behind?: number }): string {
  const l = '{plugin="mariadb",server="dc01",task="",}';
  return [
    "# HELP debezium_streaming_connected Connected",
    "# TYPE debezium_streaming_connected untyped",
    `debezium_streaming_connected${l} ${o.connected}.0`,
    `debezium_streaming_millisecondssincelastevent${l} ${o.msSince}.0`,
    `debezium_streaming_millisecondsbehindsource${l} ${o.behind ?? 12}.0`,
    `debezium_streaming_queueremainingcapacity${l} 8192.0`,
    `debezium_streaming_queuetotalcapacity${l} 8192.0`,
    `debezium_snapshot_snapshotrunning${l} ${o.snapshotRunning ?? 0}.0`,
    'kafka_connect_worker_connector_count 3.0',
    'jvm_memory_used_bytes{area="heap"} 1.2345678E8',
    "",
  ].join("\n");
}

/** Runs the image's health check against a stand-in curl: REST healthy, /metrics = `body`. */
function healthcheck(body: string | null): { code: number; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "hc-"));
  writeFileSync(join(dir, "metrics.txt"), body ?? "");
  const curl = `#!/bin/bash
url="\${@: -1}"
case "$url" in
  */metrics) ${body === null ? "exit 7" : `cat "${dir}/metrics.txt"`} ;;
  */health) echo '{"status":"healthy","message":"Worker has completed startup and is ready to handle requests."}' ;;
  */connectors) echo '[]' ;;
  *) echo '{"version":"4.3.0"}' ;;
esac
`;
  writeFileSync(join(dir, "curl"), curl);
  chmodSync(join(dir, "curl"), 0o755);
  const r = spawnSync("bash", [join(ROOT, "images/connect/healthcheck.sh")], {
    env: { PATH: `${dir}:${process.env.PATH}`, CONNECT_REST_PORT: "18083", CONNECT_METRICS_PORT: "18183", CONNECT_CAPTURE_STALL_AFTER_MS: String(CAPTURE_STALL_AFTER_MS) },
    encoding: "utf8",
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const judge = (text: string) => captureState("dc01", new Map([["127.0.0.1:18183", parsePrometheus(text)]]), CAPTURE_STALL_AFTER_MS);

describe("capture state from Debezium's streaming metrics", () => {
  test("GIVEN a connected task that saw a heartbeat within the bound THEN streaming, in verify and in the health check", () => {
    const text = metrics({ connected: 1, msSince: CAPTURE_STALL_AFTER_MS });
    const s = judge(text);
    expect(s).toMatchObject({ verdict: "streaming", connected: true, msSinceLastEvent: CAPTURE_STALL_AFTER_MS, msBehindSource: 12, queueRemaining: 8192, queueTotal: 8192 });
    expect(formatCapture(s)).toContain("capture dc01: streaming (connected");
    const hc = healthcheck(text);
    expect(hc.code).toBe(0);
    expect(hc.out).toContain(`streaming capture dc01: connected=1 ms_since_last_event=${CAPTURE_STALL_AFTER_MS}`);
  });

  test("GIVEN a task whose binlog client is not connected THEN STALLED at once, whatever the time since the last event", () => {
    const text = metrics({ connected: 0, msSince: 0 });
    const s = judge(text);
    expect(s.verdict).toBe("STALLED");
    expect(s.reason).toContain("not connected");
    const hc = healthcheck(text);
    expect(hc.code).toBe(1);
    expect(hc.out).toContain("STALLED(not connected) capture dc01");
  });

  test("GIVEN a connected task with no binlog event for longer than the bound THEN STALLED", () => {
    const text = metrics({ connected: 1, msSince: CAPTURE_STALL_AFTER_MS + 1000 });
    expect(judge(text)).toMatchObject({ verdict: "STALLED", connected: true });
    const hc = healthcheck(text);
    expect(hc.code).toBe(1);
    expect(hc.out).toContain(`STALLED(no binlog event for ${CAPTURE_STALL_AFTER_MS + 1000} ms > ${CAPTURE_STALL_AFTER_MS} ms)`);
  });

  test("GIVEN a task that is snapshotting (binlog client not yet connected) THEN snapshot, not a stall", () => {
    const text = metrics({ connected: 0, msSince: 0, snapshotRunning: 1 });
    expect(judge(text).verdict).toBe("snapshot");
    const hc = healthcheck(text);
    expect(hc.code).toBe(0);
    expect(hc.out).toContain("snapshot capture dc01");
  });

  test("GIVEN no worker reports streaming metrics THEN verify says STALLED but a worker's health check does not (the task may run elsewhere)", () => {
    const text = "kafka_connect_worker_connector_count 0.0\n";
    expect(judge(text).verdict).toBe("STALLED");
    expect(judge(text).source).toBeUndefined();
    expect(formatCapture(judge(text))).toContain("no Connect worker reports Debezium streaming metrics");
    const hc = healthcheck(text);
    expect(hc.code).toBe(0);
    expect(hc.out).toContain("no Debezium task on this worker");
  });

  test("GIVEN the metrics endpoint does not answer THEN the health check fails", () => {
    const hc = healthcheck(null);
    expect(hc.code).toBe(1);
    expect(hc.out).toContain("metrics not answering on 127.0.0.1:18183");
  });

  test("metrics of another server are not mistaken for ours", () => {
    const other = metrics({ connected: 1, msSince: 0 }).replace(/server="dc01"/g, 'server="dc02"');
    expect(judge(other).source).toBeUndefined();
  });
});

describe("parsePrometheus", () => {
  test("reads names, labels and values (also exponent notation); skips comments", () => {
    const s = parsePrometheus('# HELP x\na_b{k="v\\"q",z="1",} 1.5E3\nplain 2\n\nbad line here x y\n');
    expect(s).toEqual([
      { name: "a_b", labels: { k: 'v"q', z: "1" }, value: 1500 },
      { name: "plain", labels: {}, value: 2 },
    ]);
  });
});

test("the metrics port is derived from the REST port in one place, distinct from it", () => {
  expect(connectMetricsPort(18083)).toBe(18183);
  expect(connectMetricsPort(18084)).not.toBe(18084);
});
