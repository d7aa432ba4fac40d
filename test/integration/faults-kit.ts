/**
 * Faults and their measurement, shared by the fault integration tests
 * (faults.test.ts, faults-3-brokers.test.ts) and the soak (bench/soak.ts):
 *
 * - `deployment(env)`: endpoints and container names of a deployed local topology, from its configuration;
 * - `fault(name)`: each fault injected with real Docker operations (kill, stop, pause, restart);
 * - `LakeWatch` + `measureRecovery`: how long after a fault's end the lake has caught up;
 * - `checkExactlyOnce`: the database table against the lake, row by row, and the load's changes one by one.
 *
 * Docker commands here are asynchronous on purpose: the load generator runs in the same
 * process and must keep committing while a container stops or restarts.
 */
import { execFile } from "child_process";
import { existsSync, readFileSync } from "fs";
import { promisify } from "util";
import { Kafka } from "kafkajs";
import { Change, changeIdentity, matchesRow, reconcile, rowColumns } from "../../verify/reconcile";
import { LakeLocation, lakeContainer, readLake, readTable } from "../../verify/sources";
import { DeployedTopology, topologyOf } from "../kit/local-deployment";
import { sleep } from "./harness";
import { LoadGenerator, LoadReport, Op } from "./load";

const execFileAsync = promisify(execFile);

/** `docker …` without blocking the event loop (the load keeps running). */
export async function dockerAsync(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync("docker", args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

// ---------------------------------------------------------------- the deployment

/** The deployed topology (test kit) with the table the faults load and its topic. */
export interface Deployment extends DeployedTopology {
  /** The replicated table and its topic. */
  readonly table: string;
  readonly topic: string;
}

/** The local topology deployed with `env` (as given to scripts/up.sh); secrets are read when first needed. */
export function deployment(env: NodeJS.ProcessEnv): Deployment {
  const t = topologyOf(env);
  const topic = `${t.config.onPrem.dc}_sales_order_details`;
  if (!t.config.derived.replicatedTopics.includes(topic)) throw new Error(`replication.topics: ${JSON.stringify(t.config.derived.replicatedTopics)} — must include ${topic}`);
  return { ...t, table: "sales_order_details", topic };
}

// ---------------------------------------------------------------- faults

export const FAULT_NAMES = [
  "connect-kill",
  "sink-kill-mid-upload",
  "onprem-broker-restart",
  "cloud-broker-stop",
  "cloud-broker-pause",
  "db-restart",
  "onprem-broker-kill",
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** When the fault began and when it ended (the component was started / unpaused / restarted again). */
export interface FaultWindow {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly detail: string;
}

export interface Fault {
  readonly name: FaultName;
  readonly what: string;
  /** How long the component is down, roughly (for scheduling). */
  readonly downMs: number;
  inject(d: Deployment, log: (line: string) => void): Promise<FaultWindow>;
}

export interface FaultOptions {
  /** Cloud broker stopped / frozen this long. @default 60000 */
  readonly outageMs?: number;
  /** A killed on-prem broker (of several) stays down this long under load. @default 15000 */
  readonly brokerDownMs?: number;
  /** Longest wait for the sink to start an upload. @default 60000 */
  readonly uploadWaitMs?: number;
}

/**
 * Bytes queued unread on established connections to a local TCP port
 * (/proc/net/tcp{,6}: the rx_queue of sockets whose local port is `port`).
 * With host networking this machine's table holds the containers' sockets too.
 */
export function unreadBytesToPort(port: number, tables: string[] = ["/proc/net/tcp", "/proc/net/tcp6"]): number {
  let total = 0;
  for (const file of tables) {
    if (!existsSync(file)) continue;
    total += parseUnreadBytes(readFileSync(file, "utf8"), port);
  }
  return total;
}

/** Pure part of `unreadBytesToPort`: one /proc/net/tcp table. */
export function parseUnreadBytes(table: string, port: number): number {
  let total = 0;
  for (const line of table.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const localPort = parseInt(f[1].split(":").pop() ?? "", 16);
    // st 01 = ESTABLISHED; field 4 is tx_queue:rx_queue (hex).
    if (localPort !== port || f[3] !== "01") continue;
    total += parseInt(f[4].split(":")[1] ?? "0", 16) || 0;
  }
  return total;
}

async function killAndStart(container: string): Promise<FaultWindow> {
  const startedAt = Date.now();
  await dockerAsync("kill", "-s", "KILL", container);
  await dockerAsync("start", container);
  return { startedAt, endedAt: Date.now(), detail: `${container} SIGKILL, started` };
}

async function restart(container: string): Promise<FaultWindow> {
  const startedAt = Date.now();
  await dockerAsync("restart", container);
  return { startedAt, endedAt: Date.now(), detail: `${container} restarted (docker restart: SIGTERM, then start)` };
}

/** Leader of each partition of `topic` on the on-prem cluster, with replicas and ISR. */
export async function partitionLeaders(d: Deployment, topic = d.topic): Promise<Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }>> {
  const admin = new Kafka(d.onPremKafka("faults")).admin();
  await admin.connect();
  try {
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    return md.topics[0].partitions.map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr }));
  } finally {
    await admin.disconnect();
  }
}

export function fault(name: FaultName, o: FaultOptions = {}): Fault {
  const outageMs = o.outageMs ?? 60000;
  const brokerDownMs = o.brokerDownMs ?? 15000;
  switch (name) {
    case "connect-kill":
      return { name, what: "Connect worker (Debezium and MirrorMaker 2) SIGKILL, then started", downMs: 0, inject: (d) => killAndStart(d.container("connect-1")) };
    case "sink-kill-mid-upload":
      return {
        name,
        what: "lake sink SIGKILL while a Put Blob is in flight (Azurite frozen until the request arrived), then started",
        downMs: 0,
        inject: async (d, log) => {
          // Freezing Azurite holds the sink's next upload in flight: its request sits unread in
          // Azurite's socket. Killing the sink then lands exactly mid-upload; once unfrozen, Azurite
          // may still complete the dead request's Put Blob — a blob whose offsets were never committed.
          const azurite = d.container("azurite");
          const port = d.config.local.azuriteBlobPort;
          const before = unreadBytesToPort(port);
          await dockerAsync("pause", azurite);
          let startedAt: number;
          let bytes: number;
          try {
            const deadline = Date.now() + (o.uploadWaitMs ?? 60000);
            while ((bytes = unreadBytesToPort(port)) <= before) {
              if (Date.now() > deadline) throw new Error(`sink-kill-mid-upload: no upload reached Azurite (port ${port}) within ${o.uploadWaitMs ?? 60000} ms — is there load?`);
              await sleep(20);
            }
            await sleep(300); // let the rest of the request body arrive
            bytes = unreadBytesToPort(port);
            startedAt = Date.now();
            await dockerAsync("kill", "-s", "KILL", d.container("lake-sink"));
          } finally {
            await dockerAsync("unpause", azurite);
          }
          log(`sink-kill-mid-upload: killed with ${bytes} request bytes unread by the frozen Azurite`);
          await dockerAsync("start", d.container("lake-sink"));
          return { startedAt, endedAt: Date.now(), detail: `lake-sink SIGKILL mid-upload (${bytes} request bytes in flight), started` };
        },
      };
    case "onprem-broker-restart":
      return { name, what: "on-prem Kafka broker 1 restarted", downMs: 10000, inject: (d) => restart(d.container("kafka-1")) };
    case "cloud-broker-stop":
      return {
        name,
        what: `cloud Kafka broker stopped ${outageMs / 1000} s (docker stop, then start)`,
        downMs: outageMs,
        inject: async (d) => {
          const broker = d.container("kafka-cloud-1");
          const startedAt = Date.now();
          await dockerAsync("stop", broker);
          await sleep(Math.max(0, startedAt + outageMs - Date.now()));
          await dockerAsync("start", broker);
          return { startedAt, endedAt: Date.now(), detail: `${broker} stopped ${outageMs} ms, started` };
        },
      };
    case "cloud-broker-pause":
      return {
        name,
        what: `cloud Kafka broker frozen ${outageMs / 1000} s (docker pause, then unpause: a link that hangs instead of refusing)`,
        downMs: outageMs,
        inject: async (d) => {
          const broker = d.container("kafka-cloud-1");
          const startedAt = Date.now();
          await dockerAsync("pause", broker);
          try {
            await sleep(outageMs);
          } finally {
            await dockerAsync("unpause", broker);
          }
          return { startedAt, endedAt: Date.now(), detail: `${broker} paused ${outageMs} ms, unpaused` };
        },
      };
    case "db-restart":
      return { name, what: "database restarted", downMs: 10000, inject: (d) => restart(d.container("mariadb")) };
    case "onprem-broker-kill":
      return {
        name,
        what: `the on-prem broker leading the CDC topic SIGKILLed, started again after ${brokerDownMs / 1000} s`,
        downMs: brokerDownMs,
        inject: async (d) => {
          if (d.config.onPrem.kafka.brokers < 2) throw new Error(`onprem-broker-kill: onPrem.kafka.brokers = ${d.config.onPrem.kafka.brokers} — needs ≥ 2 brokers`);
          const [{ leader }] = await partitionLeaders(d);
          const broker = d.container(`kafka-${leader}`);
          const startedAt = Date.now();
          await dockerAsync("kill", "-s", "KILL", broker);
          await sleep(brokerDownMs);
          await dockerAsync("start", broker);
          return { startedAt, endedAt: Date.now(), detail: `${broker} (leader of ${d.topic}[0]) SIGKILL, started after ${brokerDownMs} ms` };
        },
      };
  }
}

// ---------------------------------------------------------------- the lake, incrementally

/**
 * The lake's distinct changes per row id, kept up to date by re-reading only the blobs
 * that are new or changed since the last poll (etag); deleted blobs drop out.
 */
export class LakeWatch {
  private readonly blobs = new Map<string, { etag: string; entries: Array<[number, string]> }>();
  private readonly refs = new Map<string, number>();
  /** Distinct changes landed per row id. */
  readonly perId = new Map<number, number>();

  constructor(private readonly lake: LakeLocation, private readonly topic: string) {}

  async poll(): Promise<void> {
    const l = this.lake;
    const container = lakeContainer(l);
    if (!(await container.exists())) return;
    const present = new Set<string>();
    for await (const blob of container.listBlobsFlat({ prefix: `${l.topicsDir ?? "topics"}/${this.topic}/` })) {
      present.add(blob.name);
      const etag = blob.properties.etag ?? "";
      if (this.blobs.get(blob.name)?.etag === etag) continue;
      let body: Buffer;
      try {
        body = await container.getBlobClient(blob.name).downloadToBuffer();
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) continue; // deleted since listed (a superseded stale blob)
        throw e;
      }
      const entries: Array<[number, string]> = [];
      for (const line of body.toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        const c = JSON.parse(line) as Change;
        entries.push([Number(c.id), changeIdentity(c)]);
      }
      this.drop(blob.name);
      this.blobs.set(blob.name, { etag, entries });
      for (const [id, ident] of entries) {
        const n = (this.refs.get(ident) ?? 0) + 1;
        this.refs.set(ident, n);
        if (n === 1) this.perId.set(id, (this.perId.get(id) ?? 0) + 1);
      }
    }
    for (const name of [...this.blobs.keys()]) if (!present.has(name)) this.drop(name);
  }

  private drop(name: string): void {
    const old = this.blobs.get(name);
    if (!old) return;
    this.blobs.delete(name);
    for (const [id, ident] of old.entries) {
      const n = (this.refs.get(ident) ?? 0) - 1;
      if (n > 0) this.refs.set(ident, n);
      else {
        this.refs.delete(ident);
        this.perId.set(id, (this.perId.get(id) ?? 0) - 1);
      }
    }
  }
}

/** Per row id, how many changes the load committed up to `atOrBefore` (epoch ms). */
export function committedPerId(load: LoadGenerator, atOrBefore = Number.POSITIVE_INFINITY): Map<number, number> {
  const m = new Map<number, number>();
  for (const c of load.committed) if (c.atMs <= atOrBefore) m.set(c.id, (m.get(c.id) ?? 0) + 1);
  return m;
}

/** Changes of `expected` the lake does not hold yet. */
export function behind(watch: LakeWatch, expected: Map<number, number>): number {
  let n = 0;
  for (const [id, want] of expected) n += Math.max(0, want - (watch.perId.get(id) ?? 0));
  return n;
}

export interface Recovery {
  /** Fault end → the lake holds every change committed before the fault's end. */
  readonly caughtUpMs: number;
  /** Fault end → the first change committed after the fault's end is in the lake. */
  readonly firstNewMs: number;
  /** The later of the two: the pipeline has caught up and is moving again. */
  readonly recoveryMs: number;
}

/**
 * Recovery after a fault that ended at `endedAt`: polls the lake until it holds every
 * change the load committed before then, and at least one committed after (the load
 * must still be running). Throws after `timeoutMs`, saying how far behind the lake is.
 */
export async function measureRecovery(watch: LakeWatch, load: LoadGenerator, endedAt: number, timeoutMs = 600000, everyMs = 500): Promise<Recovery> {
  const before = committedPerId(load, endedAt);
  let caughtUpMs: number | undefined;
  let firstNewMs: number | undefined;
  const deadline = endedAt + timeoutMs;
  for (;;) {
    await watch.poll();
    const now = Date.now();
    if (caughtUpMs === undefined && behind(watch, before) === 0) caughtUpMs = now - endedAt;
    if (firstNewMs === undefined) {
      for (const c of load.committed) {
        if (c.atMs <= endedAt) continue;
        if ((watch.perId.get(c.id) ?? 0) > (before.get(c.id) ?? 0)) {
          firstNewMs = now - endedAt;
          break;
        }
      }
    }
    if (caughtUpMs !== undefined && firstNewMs !== undefined) return { caughtUpMs, firstNewMs, recoveryMs: Math.max(caughtUpMs, firstNewMs) };
    if (now > deadline) {
      throw new Error(
        `no recovery within ${timeoutMs} ms of the fault's end: ${behind(watch, before)} change(s) committed before it not in the lake, ` +
          `${firstNewMs === undefined ? "none" : "some"} committed after it landed`,
      );
    }
    await sleep(everyMs);
  }
}

/** Waits until the lake holds every change the load committed. */
export async function drained(watch: LakeWatch, load: LoadGenerator, timeoutMs = 600000): Promise<number> {
  const t0 = Date.now();
  const all = committedPerId(load);
  for (;;) {
    await watch.poll();
    const n = behind(watch, all);
    if (n === 0) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`the lake is still missing ${n} of the load's ${load.committed.length} changes ${timeoutMs} ms after the load stopped`);
    await sleep(1000);
  }
}

// ---------------------------------------------------------------- exactly once

export interface ExactlyOnce {
  /** Changes the load committed. */
  readonly rows: number;
  readonly tableRows: number;
  readonly lakeFiles: number;
  readonly lakeRecords: number;
  /** Committed changes of the load not in the lake. */
  readonly lost: number;
  /** Table rows whose current values no lake change holds (verify's reconcile). */
  readonly missing: unknown[];
  /** Changes landed more than once, anywhere in the lake (verify's reconcile). */
  readonly duplicated: string[];
  /** Value or sequence differences: table row vs its last lake change, the load's changes vs the lake's, the load's belief vs the table. */
  readonly mismatched: string[];
  readonly ok: boolean;
}

function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return ["sales_order_id", "product_id", "quantity", "price"].every((k) => Number(a[k]) === Number(b[k]));
}

/**
 * The whole table against the whole lake, row by row, and each change of `load`
 * against the lake's changes of that row (same operations, in the same order, once).
 */
export async function checkExactlyOnce(d: Deployment, load?: LoadGenerator): Promise<ExactlyOnce> {
  const rows = await readTable(d.db(), d.table);
  const lake = await readLake(d.lake(), d.topic);
  const r = reconcile(rows, [{ name: "lake files", changes: lake.changes }]);
  const seen = new Set<string>();
  const byId = new Map<number, Change[]>();
  for (const { change } of lake.changes) {
    const ident = changeIdentity(change);
    if (seen.has(ident)) continue;
    seen.add(ident);
    const id = Number(change.id);
    byId.set(id, [...(byId.get(id) ?? []), change]);
  }
  const mismatched: string[] = [];
  const rowsById = new Map<number, Record<string, unknown>>();
  for (const row of rows) {
    const id = Number(row.id);
    rowsById.set(id, row);
    const last = byId.get(id)?.at(-1);
    if (!last || last.__op === "d" || !matchesRow(row, last)) {
      mismatched.push(`id ${id}: table ${JSON.stringify(row)}, lake's last change ${last ? JSON.stringify({ __op: last.__op, ...rowColumns(last) }) : "none"}`);
    }
  }
  let lost = 0;
  if (load) {
    const expected = new Map<number, Op[]>();
    for (const c of load.committed) expected.set(c.id, [...(expected.get(c.id) ?? []), c.op]);
    for (const [id, ops] of expected) {
      const got = (byId.get(id) ?? []).map((c) => String(c.__op));
      if (got.join("") === ops.join("")) continue;
      lost += Math.max(0, ops.length - got.length);
      mismatched.push(`id ${id}: committed ${ops.join("")}, lake ${got.join("") || "nothing"}`);
    }
    for (const [id, v] of load.rows) {
      const row = rowsById.get(id);
      if (v === null ? row === undefined : row !== undefined && sameValues(v as unknown as Record<string, unknown>, row)) continue;
      mismatched.push(`id ${id}: the load wrote ${JSON.stringify(v)}, the table holds ${JSON.stringify(row ?? null)}`);
    }
  }
  const missing = r.missingInLake.map((x) => x.id);
  return {
    rows: load?.committed.length ?? 0,
    tableRows: rows.length,
    lakeFiles: lake.files,
    lakeRecords: lake.changes.length,
    lost,
    missing,
    duplicated: r.duplicatedInLake,
    mismatched,
    ok: lost === 0 && missing.length === 0 && r.duplicatedInLake.length === 0 && mismatched.length === 0,
  };
}

// ---------------------------------------------------------------- one fault under load

export interface FaultRun {
  readonly fault: string;
  readonly window?: FaultWindow;
  readonly recovery: Recovery;
  readonly load: LoadReport;
  readonly drainMs: number;
  readonly check: ExactlyOnce;
}

/**
 * Fewest changes a fault run must have committed to prove anything: several lake files' worth
 * around the fault. A floor in changes, not in seconds × target rate, so a machine that cannot
 * reach the target rate (2 shared cores under load) still passes when the run is meaningful.
 */
export const MIN_CHANGES_PER_RUN = 200;

/** What a clean run looks like (`verdict(run)` must equal it): tests compare, the soak prints. */
export const CLEAN = { unresolved: 0, lost: 0, duplicated: [] as string[], missing: [] as unknown[], mismatched: [] as string[] };

/** The exactly-once figures of a run, shaped like CLEAN (first 10 mismatches). */
export function verdict(run: { load: LoadReport; check: ExactlyOnce }): typeof CLEAN {
  const c = run.check;
  return { unresolved: run.load.unresolved, lost: c.lost, duplicated: c.duplicated, missing: c.missing, mismatched: c.mismatched.slice(0, 10) };
}

/** The one-line summary of a fault run (the exactly-once figures when it has been checked). */
export function summaryLine(name: string, recovery: Partial<Recovery> | undefined, window?: FaultWindow, check?: Pick<ExactlyOnce, "rows" | "lost" | "duplicated" | "missing" | "mismatched">): string {
  const ms = (v?: number) => (v === undefined ? "n/a" : String(Math.round(v)));
  return (
    `fault=${name} recovery_ms=${ms(recovery?.recoveryMs)}` +
    (check ? ` rows=${check.rows} lost=${check.lost} duplicated=${check.duplicated.length} missing=${check.missing.length} mismatched=${check.mismatched.length}` : "") +
    ` caught_up_ms=${ms(recovery?.caughtUpMs)} first_new_ms=${ms(recovery?.firstNewMs)}` +
    (window ? ` fault_ms=${window.endedAt - window.startedAt}` : "")
  );
}

export interface UnderLoadOptions {
  readonly rowsPerSecond: number;
  /** Load before the fault. @default 5000 */
  readonly preMs?: number;
  /** Load after the fault's end. @default 15000 */
  readonly postMs?: number;
  readonly seed?: number;
  readonly recoveryTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * Under a steady load: the fault (or none: a baseline), its recovery, the load stopped,
 * the lake drained, then the table and the load's changes checked against the lake.
 */
export async function underLoad(d: Deployment, watch: LakeWatch, f: Fault | "baseline", o: UnderLoadOptions): Promise<FaultRun> {
  const log = o.log ?? ((l: string) => console.log(l));
  const preMs = o.preMs ?? 5000;
  const postMs = o.postMs ?? 15000;
  await watch.poll();
  // Bounded: stopped explicitly after the fault, or by itself after a generous ceiling.
  const load = new LoadGenerator({ db: d.db(), rowsPerSecond: o.rowsPerSecond, durationMs: preMs + postMs + 15 * 60 * 1000, seed: o.seed, log });
  let window: FaultWindow | undefined;
  let recovery: Recovery;
  try {
    await load.ready;
    await sleep(preMs);
    const endedAt = f === "baseline" ? Date.now() : (window = await f.inject(d, log)).endedAt;
    const stopLater = sleep(postMs).then(() => load.stop());
    try {
      recovery = await measureRecovery(watch, load, endedAt, o.recoveryTimeoutMs);
    } finally {
      await stopLater;
    }
  } finally {
    await load.stop();
  }
  const report = await load.done;
  const drainMs = await drained(watch, load);
  await sleep(3000); // a change landing twice would do so now: give it the time to show
  const check = await checkExactlyOnce(d, load);
  const name = f === "baseline" ? "baseline" : f.name;
  log(summaryLine(name, recovery, window, check));
  log(
    `  ${name}: ${window?.detail ?? "no fault"}; load ${report.committed} changes (${report.inserts} c, ${report.updates} u, ${report.deletes} d) at ` +
      `${report.achievedRowsPerSecond}/s, ${report.failedStatements} failed statements (${report.appliedDespiteError} applied), ${report.skippedSlots} skipped slots; ` +
      `lake ${check.lakeFiles} files, ${check.lakeRecords} records; drained ${drainMs} ms after the load stopped` +
      (check.mismatched.length ? `\n  first mismatches: ${check.mismatched.slice(0, 5).join("; ")}` : ""),
  );
  return { fault: name, window, recovery, load: report, drainMs, check };
}
