/**
 * Health without a port: the service rewrites a heartbeat FILE atomically (write + rename) about
 * once a second, with its own verdict (`judgeWith`); the image's health check
 * (`/usr/local/bin/healthcheck`, made by docker/install-healthcheck.sh) is docker/heartbeat-check.sh:
 * a shell that prints the verdict `<healthy|degraded|unhealthy>: <reason>` and exits 0 unless it is
 * unhealthy or the file is older than its maxAgeMs (then the event loop has stopped). No node start
 * per check: that cost about 0.27 s of CPU each, 5 % of a core per service at a 5 s interval.
 * Works with host networking and a read-only root filesystem as long as the file's directory
 * (a tmpfs) is writable.
 */
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from "fs";
import { dirname } from "path";

/** Healthy but "degraded" exits 0 on purpose: a restart cannot fix bad data, it would only crash-loop. */
export type HealthStatus = "healthy" | "degraded" | "unhealthy";

export interface HealthReport {
  readonly status: HealthStatus;
  readonly reason: string;
}

/** What every heartbeat holds; a service adds its progress. */
export interface HeartbeatBase {
  pid: number;
  state: "starting" | "running" | "stopping";
  startedAt: string;
  /** The age limit the health check applies (the service's own rule says of what). */
  maxAgeMs: number;
  /** Set on every write. */
  writtenAt: string;
  /** `<status>: <reason>`, the service's own verdict (HeartbeatFile.judgeWith), read by `docker/heartbeat-check.sh`. */
  health?: string;
}

/**
 * The heartbeat file of one process: state "starting" until the service says otherwise. An empty
 * path disables it (every call is then a no-op). A service extends it with its progress fields.
 */
export class HeartbeatFile<T extends HeartbeatBase> {
  private hb: T;
  private timer: NodeJS.Timeout | undefined;
  private dirty = true;
  private verdict: ((hb: Readonly<T>, nowMs: number) => HealthReport) | undefined;

  constructor(
    readonly path: string,
    maxAgeMs: number,
    progress: Omit<T, keyof HeartbeatBase>,
    private readonly onError: (e: Error) => void,
  ) {
    const now = new Date().toISOString();
    this.hb = { pid: process.pid, state: "starting", startedAt: now, maxAgeMs, writtenAt: now, ...progress } as T;
  }

  /** What the heartbeat holds now. */
  get current(): Readonly<T> {
    return this.hb;
  }

  /** A deep copy of what the heartbeat holds (for tests). */
  snapshot(): T {
    return JSON.parse(JSON.stringify(this.hb)) as T;
  }

  /**
   * The service judges its own health on every write (at that moment, `nowMs`), and the heartbeat is
   * rewritten on every tick: its age is then the liveness of the event loop. Without a verdict the
   * health check finds none and says unhealthy.
   */
  judgeWith(verdict: (hb: Readonly<T>, nowMs: number) => HealthReport): void {
    this.verdict = verdict;
  }

  /** Changes the heartbeat; written with the next tick. */
  update(patch: Partial<T>): void {
    this.hb = { ...this.hb, ...patch };
    this.dirty = true;
  }

  /** Changes the heartbeat and writes it now. */
  write(patch: Partial<T> = {}): void {
    this.update(patch);
    this.flush();
  }

  /** Writes now, then every `periodMs` when changed; `sample` (if given) is merged in first on each tick. */
  start(sample?: () => Partial<T>, periodMs = 1000): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const tick = () => {
      if (sample) this.update(sample());
      if (this.verdict) this.dirty = true;
      this.flush();
    };
    tick();
    this.timer = setInterval(tick, periodMs);
    this.timer.unref();
  }

  /** Stops writing and removes the file: a stopped process is not healthy. */
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

  private flush(): void {
    if (!this.path || !this.dirty) return;
    const now = Date.now();
    this.hb.writtenAt = new Date(now).toISOString();
    if (this.verdict) {
      const v = this.verdict(this.hb, now);
      this.hb.health = `${v.status}: ${v.reason}`;
    }
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
