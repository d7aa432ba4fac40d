/**
 * Health mechanism: a heartbeat FILE (no port to open, works with host
 * networking and a read-only root filesystem as long as the file's directory is
 * writable). The simulator rewrites it atomically (write + rename) about once a
 * second with its progress and its own verdict (`judgeHeartbeat`); the container
 * health check `/usr/local/bin/healthcheck` (the service kit's heartbeat-check.sh,
 * a shell: no node start per check) reads SIM_HEARTBEAT_FILE (its default: env.ts),
 * exit 0 healthy, 1 unhealthy. Healthy iff the process is connected and its last
 * commit — or, before the first order, the moment it became ready — is younger
 * than `maxAgeMs` (written into the file by the simulator from
 * SIM_HEALTH_MAX_AGE_MS, default max(30 s, 3 x interval)), and the file itself is
 * younger than that (the event loop runs). No commit for that long means the
 * simulator is stuck (DB down, locks) even though the process is alive.
 *
 * Degraded: while rows are being skipped because of their data (quarantine.ts) —
 * or the last order failed on data nobody could be blamed for — the heartbeat
 * lists them in `problems` and the check prints `degraded: <key>: <reason> …` but
 * still exits 0: orders are being committed, so the container is serving and must
 * not be restarted (a restart cannot fix data). Docker keeps that line in
 * `docker inspect` .State.Health.Log[].Output. When the problems clear, the line
 * says `healthy:` again.
 */
import { HealthReport, HeartbeatBase, HeartbeatFile } from "@bridge-to-azure/service-kit";
import type { Problem } from "./quarantine";

/** A data problem as the heartbeat carries it (quarantine.ts Problem, or an unattributed order failure). */
export type HeartbeatProblem = Pick<Problem, "key" | "reason" | "since" | "failures"> & Partial<Pick<Problem, "culprit" | "retryAt">> & { op?: string };

export interface Heartbeat extends HeartbeatBase {
  /** When the DB connection and schema check succeeded (ISO), null while starting. */
  readyAt: string | null;
  lastCommitAt: string | null;
  lastSalesOrderId: number | null;
  orders: number;
  rows: number;
  /** Rows skipped because of their data; empty when none (older heartbeats: absent). */
  problems?: HeartbeatProblem[];
  /** Data errors since start (each failed attempt counts once). */
  dataErrors?: number;
}

export interface HealthVerdict {
  healthy: boolean;
  /** Healthy but skipping rows because of their data. */
  degraded: boolean;
  reason: string;
}

/** One line for the health check: the first problems with key, reason and culprit. */
export function describeProblems(problems: readonly HeartbeatProblem[], max = 3): string {
  const shown = problems.slice(0, max).map(
    (p) => `${p.key}${p.op ? ` (${p.op})` : ""}: ${p.reason}${p.culprit ? ` [caused by ${p.culprit}]` : ""} since ${p.since}, ${p.failures} failure(s)${p.retryAt ? `, next try ${p.retryAt}` : ""}`,
  );
  return `${problems.length} row(s) skipped because of their data: ${shown.join("; ")}${problems.length > max ? `; … ${problems.length - max} more` : ""}`;
}

/** The simulator's verdict on its heartbeat at `nowMs` (pure). */
export function checkHeartbeat(hb: Readonly<Heartbeat>, nowMs: number, maxAgeOverrideMs?: number): HealthVerdict {
  const maxAge = maxAgeOverrideMs ?? hb.maxAgeMs;
  if (typeof maxAge !== "number" || !(maxAge > 0)) return { healthy: false, degraded: false, reason: "heartbeat has no maxAgeMs" };
  if (hb.state === "starting" || !hb.readyAt) return { healthy: false, degraded: false, reason: "simulator is still connecting to the database" };
  const last = Math.max(Date.parse(hb.readyAt), hb.lastCommitAt ? Date.parse(hb.lastCommitAt) : 0);
  if (!Number.isFinite(last)) return { healthy: false, degraded: false, reason: "heartbeat timestamps are unreadable" };
  const age = nowMs - last;
  if (age > maxAge) {
    const problems = hb.problems?.length ? `; ${describeProblems(hb.problems)}` : "";
    return { healthy: false, degraded: false, reason: `no order committed for ${Math.round(age)} ms (limit ${maxAge} ms); last sales order ${hb.lastSalesOrderId ?? "none"}${problems}` };
  }
  const ok = `${hb.orders} orders, last sales order ${hb.lastSalesOrderId ?? "none"} ${Math.round(age)} ms ago`;
  if (hb.problems?.length) return { healthy: true, degraded: true, reason: `${describeProblems(hb.problems)}; ${ok}` };
  return { healthy: true, degraded: false, reason: `ok: ${ok}` };
}

/** The simulator's heartbeat: the kit's HeartbeatFile with the simulator's progress. */
export class HeartbeatWriter extends HeartbeatFile<Heartbeat> {
  constructor(path: string, maxAgeMs: number, onError: (e: Error) => void) {
    super(path, maxAgeMs, { readyAt: null, lastCommitAt: null, lastSalesOrderId: null, orders: 0, rows: 0, problems: [], dataErrors: 0 }, onError);
    this.judgeWith((hb, nowMs) => healthReport(checkHeartbeat(hb, nowMs)));
  }

  /** Replace the list of data problems (written with the next tick). */
  setProblems(problems: HeartbeatProblem[], dataErrors: number): void {
    this.update({ problems, dataErrors });
  }

  ready(): void {
    this.write({ readyAt: new Date().toISOString(), state: "running" });
  }

  committed(salesOrderId: number, rows: number, atMs: number): void {
    const hb = this.current;
    this.update({ orders: hb.orders + 1, rows: hb.rows + rows, lastSalesOrderId: salesOrderId, lastCommitAt: new Date(atMs).toISOString() });
  }

  stopping(): void {
    this.write({ state: "stopping" });
  }
}

/** The kit's report of a verdict: degraded is healthy (exit 0) on purpose, see above. */
export function healthReport(v: HealthVerdict): HealthReport {
  return { status: v.healthy ? (v.degraded ? "degraded" : "healthy") : "unhealthy", reason: v.reason };
}
