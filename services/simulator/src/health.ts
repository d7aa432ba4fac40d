/**
 * Health mechanism: a heartbeat FILE (no port to open, works with host
 * networking and a read-only root filesystem as long as the file's directory is
 * writable). The simulator rewrites it atomically (write + rename) about once a
 * second with its progress; the container health check runs
 *
 *     node /app/health.js            (exit 0 healthy, 1 unhealthy)
 *
 * which reads SIM_HEARTBEAT_FILE (default /tmp/simulator/heartbeat.json) and is
 * healthy iff the process is connected and its last commit — or, before the
 * first order, the moment it became ready — is younger than `maxAgeMs` (written
 * into the file by the simulator from SIM_HEALTH_MAX_AGE_MS, default
 * max(30 s, 3 x interval)). A stale heartbeat means the simulator is stuck
 * (DB down, locks) even though the process is alive.
 *
 * Degraded: while rows are being skipped because of their data (quarantine.ts) —
 * or the last order failed on data nobody could be blamed for — the heartbeat
 * lists them in `problems` and the check prints `degraded: <key>: <reason> …` but
 * still exits 0: orders are being committed, so the container is serving and must
 * not be restarted (a restart cannot fix data). Docker keeps that line in
 * `docker inspect` .State.Health.Log[].Output. When the problems clear, the line
 * says `healthy:` again.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, unlinkSync } from "fs";
import { dirname } from "path";
import type { Problem } from "./quarantine";

/** A data problem as the heartbeat carries it (quarantine.ts Problem, or an unattributed order failure). */
export type HeartbeatProblem = Pick<Problem, "key" | "reason" | "since" | "failures"> & Partial<Pick<Problem, "culprit" | "retryAt">> & { op?: string };

export interface Heartbeat {
  pid: number;
  startedAt: string;
  /** When the DB connection and schema check succeeded (ISO), null while starting. */
  readyAt: string | null;
  lastCommitAt: string | null;
  lastSalesOrderId: number | null;
  orders: number;
  rows: number;
  maxAgeMs: number;
  state: "starting" | "running" | "stopping";
  writtenAt: string;
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

export function checkHeartbeat(text: string, nowMs: number, maxAgeOverrideMs?: number): HealthVerdict {
  let hb: Heartbeat;
  try {
    hb = JSON.parse(text) as Heartbeat;
  } catch {
    return { healthy: false, degraded: false, reason: "heartbeat file is not valid JSON" };
  }
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

export class HeartbeatWriter {
  private hb: Heartbeat;
  private timer: NodeJS.Timeout | undefined;
  private dirty = true;

  constructor(private readonly path: string, maxAgeMs: number, private readonly onError: (e: Error) => void) {
    const now = new Date().toISOString();
    this.hb = {
      pid: process.pid, startedAt: now, readyAt: null, lastCommitAt: null, lastSalesOrderId: null, orders: 0, rows: 0, maxAgeMs,
      state: "starting", writtenAt: now, problems: [], dataErrors: 0,
    };
  }

  /** Replace the list of data problems (written with the next flush). */
  setProblems(problems: HeartbeatProblem[], dataErrors: number): void {
    this.hb.problems = problems;
    this.hb.dataErrors = dataErrors;
    this.dirty = true;
  }

  /** What the heartbeat holds now (for tests). */
  snapshot(): Heartbeat {
    return JSON.parse(JSON.stringify(this.hb)) as Heartbeat;
  }

  start(periodMs = 1000): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    this.flush();
    this.timer = setInterval(() => this.flush(), periodMs);
    this.timer.unref();
  }

  ready(): void {
    this.update({ readyAt: new Date().toISOString(), state: "running" });
    this.flush();
  }

  committed(salesOrderId: number, rows: number, atMs: number): void {
    this.hb.orders += 1;
    this.hb.rows += rows;
    this.hb.lastSalesOrderId = salesOrderId;
    this.hb.lastCommitAt = new Date(atMs).toISOString();
    this.dirty = true;
  }

  stopping(): void {
    this.update({ state: "stopping" });
    this.flush();
  }

  /** Stop writing and remove the file (a stopped simulator is not healthy). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.path) return;
    try {
      unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }

  private update(p: Partial<Heartbeat>): void {
    this.hb = { ...this.hb, ...p };
    this.dirty = true;
  }

  private flush(): void {
    if (!this.path || !this.dirty) return;
    this.hb.writtenAt = new Date().toISOString();
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(this.hb) + "\n");
      renameSync(tmp, this.path);
      this.dirty = false;
    } catch (e) {
      this.onError(e as Error);
    }
  }
}

export const DEFAULT_HEARTBEAT_FILE = "/tmp/simulator/heartbeat.json";

/** `node health.js [path]`: exit 0 when healthy, 1 otherwise; one line on stdout. */
export function healthMain(argv: string[] = process.argv.slice(2), env = process.env): number {
  const path = argv[0] ?? (env.SIM_HEARTBEAT_FILE?.trim() || DEFAULT_HEARTBEAT_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    process.stdout.write(`unhealthy: cannot read heartbeat ${path} (${(e as NodeJS.ErrnoException).code ?? e})\n`);
    return 1;
  }
  const v = checkHeartbeat(text, Date.now());
  process.stdout.write(`${v.healthy ? (v.degraded ? "degraded" : "healthy") : "unhealthy"}: ${v.reason}\n`);
  return v.healthy ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = healthMain();
}
