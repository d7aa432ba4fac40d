/**
 * Health: a heartbeat FILE (no port), rewritten atomically about once a second. The container
 * health check runs `/usr/local/bin/healthcheck` (= node /app/health.js), healthy iff
 *   - the sink is running (connected, subscribed), and
 *   - the consumer fetched from Kafka within maxAgeMs (kafkajs fetches every few hundred ms even
 *     on a quiet topic), and
 *   - landing files has not been failing for longer than maxAgeMs, and
 *   - the heartbeat itself is fresh (the process is not stuck).
 * Healthy but "degraded" (exit 0, line starts with "degraded:") while a data problem — a record
 * rejected to a dead-letter blob, or landed with a replaced timestamp (engine.ts) — happened within
 * DEGRADED_HOLD_MS. Degraded is not unhealthy on purpose: restarting cannot fix a record, and an
 * orchestrator that restarts unhealthy containers would only crash-loop the sink on it.
 */
import { healthCheckMain, HealthStatus, HeartbeatBase, HeartbeatFile } from "@bridge-to-azure/service-kit";
import { SINK_ENV } from "./env";

export interface Heartbeat extends HeartbeatBase {
  lastFetchAt: string | null;
  lastLandedAt: string | null;
  failingSince: string | null;
  files: number;
  records: number;
  /** Data problems since start (rejected records, replaced timestamps). */
  dataProblems: number;
  lastDataProblemAt: string | null;
  lastDataProblem: string | null;
}

export interface HealthVerdict {
  healthy: boolean;
  /** "degraded" = healthy, but records could not be landed as they are (see the log). */
  status: HealthStatus;
  reason: string;
}

/**
 * How long the sink reports "degraded" after its last data problem: long enough for a monitor
 * polling every few minutes to see it, short enough that one bad record does not mark it for
 * good (the log lines and the dead-letter blobs stay).
 */
export const DEGRADED_HOLD_MS = 60 * 60 * 1000;

const bad = (reason: string): HealthVerdict => ({ healthy: false, status: "unhealthy", reason });

export function checkHeartbeat(text: string, nowMs: number): HealthVerdict {
  let hb: Heartbeat;
  try {
    hb = JSON.parse(text) as Heartbeat;
  } catch {
    return bad("heartbeat file is not valid JSON");
  }
  const maxAge = hb.maxAgeMs;
  if (typeof maxAge !== "number" || !(maxAge > 0)) return bad("heartbeat has no maxAgeMs");
  const written = Date.parse(hb.writtenAt);
  if (!Number.isFinite(written) || nowMs - written > maxAge) return bad(`heartbeat not rewritten for ${Math.round(nowMs - written)} ms (process stuck?)`);
  if (hb.state !== "running") return bad(`sink is ${hb.state}`);
  const fetched = hb.lastFetchAt ? Date.parse(hb.lastFetchAt) : NaN;
  if (!Number.isFinite(fetched) || nowMs - fetched > maxAge) {
    return bad(hb.lastFetchAt ? `no fetch from Kafka for ${Math.round(nowMs - fetched)} ms (limit ${maxAge} ms)` : "no fetch from Kafka yet");
  }
  if (hb.failingSince) {
    const since = Date.parse(hb.failingSince);
    if (nowMs - since > maxAge) return bad(`landing files has been failing for ${Math.round(nowMs - since)} ms (limit ${maxAge} ms)`);
  }
  const landed = `${hb.files} files, ${hb.records} records landed${hb.failingSince ? " (uploads failing, retrying)" : ""}`;
  const problemAt = hb.lastDataProblemAt ? Date.parse(hb.lastDataProblemAt) : NaN;
  if (Number.isFinite(problemAt) && nowMs - problemAt <= DEGRADED_HOLD_MS) {
    return { healthy: true, status: "degraded", reason: `${hb.dataProblems} record(s) could not be landed as they are, the last at ${hb.lastDataProblemAt}: ${hb.lastDataProblem ?? "?"}; ${landed}` };
  }
  return { healthy: true, status: "healthy", reason: `ok: ${landed}` };
}

/** The sink's heartbeat: the kit's HeartbeatFile with the sink's progress (sampled each tick, `start(sample)`). */
export class HeartbeatWriter extends HeartbeatFile<Heartbeat> {
  constructor(path: string, maxAgeMs: number, onError: (e: Error) => void) {
    const progress = { lastFetchAt: null, lastLandedAt: null, failingSince: null, files: 0, records: 0, dataProblems: 0, lastDataProblemAt: null, lastDataProblem: null };
    super(path, maxAgeMs, progress, onError);
  }
}

/** `node health.js [path]`: exit 0 when healthy (or degraded), 1 otherwise; one line on stdout. */
export function healthMain(argv: string[] = process.argv.slice(2), env = process.env): number {
  return healthCheckMain({ variable: "SINK_HEARTBEAT_FILE" satisfies keyof typeof SINK_ENV, defaultPath: SINK_ENV.SINK_HEARTBEAT_FILE.default, check: checkHeartbeat }, argv, env);
}

if (require.main === module) {
  process.exitCode = healthMain();
}
