/**
 * Capture state of the Debezium source from Debezium's own streaming metrics — not from the connector's
 * RUNNING state, which stays RUNNING while the binlog client is disconnected. Read from each Connect
 * worker's Prometheus endpoint (JMX exporter, images/connect/jmx-exporter.yaml); judged with the same
 * rule as the Connect health check (images/connect/healthcheck.sh):
 *   snapshot  — the task is snapshotting (SnapshotRunning = 1): not judged;
 *   STALLED   — Connected = 0, or MilliSecondsSinceLastEvent > the stall bound while connected (the database
 *               sends a binlog heartbeat on a quiet binlog, so a healthy quiet database stays below it);
 *   streaming — otherwise;
 *   absent    — no worker reports streaming metrics for the server (no Debezium task is running): STALLED too.
 */

/** One sample of the Prometheus text format: name, labels, value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the Prometheus text exposition format (comments skipped; label values unescaped). */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    const re = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    for (let l = re.exec(m[3] ?? ""); l; l = re.exec(m[3] ?? "")) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    const value = m[4] === "+Inf" ? Infinity : m[4] === "-Inf" ? -Infinity : Number(m[4]);
    out.push({ name: m[1], labels, value });
  }
  return out;
}

export type CaptureVerdict = "streaming" | "snapshot" | "STALLED";

export interface CaptureState {
  /** Debezium logical server name (topic.prefix, the dc). */
  readonly server: string;
  /** Where the metrics came from ("127.0.0.1:18183"), or undefined when absent. */
  readonly source?: string;
  readonly verdict: CaptureVerdict;
  /** Why it is STALLED (empty otherwise). */
  readonly reason: string;
  readonly connected?: boolean;
  readonly msSinceLastEvent?: number;
  /** -1 until the first change event after a (re)start. */
  readonly msBehindSource?: number;
  readonly queueRemaining?: number;
  readonly queueTotal?: number;
}

const STREAMING = "debezium_streaming_";
const SNAPSHOT = "debezium_snapshot_";

/**
 * The capture state of `server` from the samples of every worker (`bySource`: metrics source → samples).
 * `stallAfterMs`: the bound on MilliSecondsSinceLastEvent (connectors/debezium.ts CAPTURE_STALL_AFTER_MS).
 */
export function captureState(server: string, bySource: ReadonlyMap<string, readonly Sample[]>, stallAfterMs: number): CaptureState {
  for (const [source, samples] of bySource) {
    const mine = samples.filter((s) => s.labels.server === server && (s.name.startsWith(STREAMING) || s.name.startsWith(SNAPSHOT)));
    const get = (name: string) => mine.find((s) => s.name === name)?.value;
    const connectedValue = get(`${STREAMING}connected`);
    if (connectedValue === undefined) continue;
    const state = {
      server,
      source,
      connected: connectedValue === 1,
      msSinceLastEvent: get(`${STREAMING}millisecondssincelastevent`),
      msBehindSource: get(`${STREAMING}millisecondsbehindsource`),
      queueRemaining: get(`${STREAMING}queueremainingcapacity`),
      queueTotal: get(`${STREAMING}queuetotalcapacity`),
    };
    if (get(`${SNAPSHOT}snapshotrunning`) === 1) return { ...state, verdict: "snapshot", reason: "" };
    if (!state.connected) return { ...state, verdict: "STALLED", reason: "the binlog client is not connected to the database" };
    if ((state.msSinceLastEvent ?? 0) > stallAfterMs) {
      return { ...state, verdict: "STALLED", reason: `no binlog event (not even a heartbeat) for ${state.msSinceLastEvent} ms > ${stallAfterMs} ms` };
    }
    return { ...state, verdict: "streaming", reason: "" };
  }
  return { server, verdict: "STALLED", reason: "no Connect worker reports Debezium streaming metrics for it (no Debezium task is running)" };
}

/** One line: "capture dc01: streaming (connected, 0 ms since last binlog event, 12 ms behind source, queue 8192/8192 free) [127.0.0.1:18183]". */
export function formatCapture(s: CaptureState): string {
  if (s.source === undefined) return `capture ${s.server}: ${s.verdict} — ${s.reason}`;
  const facts = [
    s.connected ? "connected" : "NOT connected",
    `${s.msSinceLastEvent ?? "?"} ms since last binlog event`,
    s.msBehindSource === undefined || s.msBehindSource < 0 ? "behind source unknown (no change since start)" : `${s.msBehindSource} ms behind source`,
    `queue ${s.queueRemaining ?? "?"}/${s.queueTotal ?? "?"} free`,
  ];
  return `capture ${s.server}: ${s.verdict}${s.reason ? ` — ${s.reason}` : ""} (${facts.join(", ")}) [${s.source}]`;
}

/** Scrapes each `127.0.0.1:<port>/metrics`; an endpoint that does not answer contributes no samples (and is named in `errors`). */
export async function scrapeMetrics(ports: readonly number[], timeoutMs = 5000): Promise<{ bySource: Map<string, Sample[]>; errors: string[] }> {
  const bySource = new Map<string, Sample[]>();
  const errors: string[] = [];
  await Promise.all(
    ports.map(async (port) => {
      const source = `127.0.0.1:${port}`;
      try {
        const res = await fetch(`http://${source}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        bySource.set(source, parsePrometheus(await res.text()));
      } catch (e) {
        errors.push(`${source}/metrics: ${(e as Error).message}`);
      }
    }),
  );
  return { bySource, errors };
}
