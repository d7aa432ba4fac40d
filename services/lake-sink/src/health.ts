/**
 * Health: a heartbeat FILE (no port), rewritten atomically about once a second with the sink's own
 * verdict (`checkHeartbeat`). The container health check `/usr/local/bin/healthcheck` (the service
 * kit's heartbeat-check.sh, a shell: no node start per check) prints it; healthy iff
 *   - the sink is running (connected, subscribed), and
 *   - the consumer fetched from Kafka within maxAgeMs (kafkajs fetches every few hundred ms even
 *     on a quiet topic), and
 *   - landing files has not been failing for longer than maxAgeMs, and
 *   - the heartbeat file itself is fresh (the process is not stuck: heartbeat-check.sh's part).
 * Healthy but "degraded" (exit 0, line starts with "degraded:") while a data problem — a record
 * rejected to a dead-letter blob, or landed with a replaced timestamp (engine.ts) — happened within
 * DEGRADED_HOLD_MS. Degraded is not unhealthy on purpose: restarting cannot fix a record, and an
 * orchestrator that restarts unhealthy containers would only crash-loop the sink on it.
 */
import { HealthStatus, HeartbeatBase, HeartbeatFile } from "@bridge-to-azure/service-kit";

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

/** The sink's verdict on its heartbeat at `nowMs` (pure). */
export function checkHeartbeat(hb: Readonly<Heartbeat>, nowMs: number): HealthVerdict {
  const maxAge = hb.maxAgeMs;
  if (typeof maxAge !== "number" || !(maxAge > 0)) return bad("heartbeat has no maxAgeMs");
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
    this.judgeWith((hb, nowMs) => checkHeartbeat(hb, nowMs));
  }
}
