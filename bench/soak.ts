/**
 * Soak of the whole local topology: a steady load for a long time with a random fault
 * every few minutes, then one reconciliation of everything (nothing lost, nothing twice,
 * values equal, table row by row and every change of the load). Not part of CI.
 *
 *   BRIDGE_IT_SLOT=6 npm run bench:soak                                  # 30 min, 500 rows/s, a fault every 2 min
 *   BRIDGE_IT_SLOT=6 npm run bench:soak -- --minutes 6 --rate 200 --seed 7
 *
 * Flags: --minutes M (30, ≤ 32: bench/lib.ts runBench stops any run after 40 min), --rate R rows/s (500),
 * --fault-every S seconds (120), --seed N (random, printed), --faults a,b,… (the six of faults.test.ts,
 * plus onprem-broker-kill when --brokers ≥ 2), --brokers N (1), --outage S (60: cloud broker stop/pause),
 * --no-deploy (use the slot's running deployment), --keep (leave it up).
 *
 * Deployment: the integration slot's (test/integration/harness.ts, BRIDGE_IT_SLOT), simulator off.
 * Faults and their recovery figure (fault end → the lake holds every change committed before the end,
 * and one committed after) come from test/integration/faults-kit.ts, the load from test/integration/load.ts:
 * the same code as the fault tests. A fault starts only after the previous one recovered, and only
 * while the load has its outage + 30 s left. Appends one JSON line to bench/results/soak-<date>.json.
 */
import { commandLine, fmt, machineFacts, printTable, runBench, saveResult, summary } from "./lib";
import { itEnv, IT, script } from "../test/integration/harness";
import {
  CLEAN, FAULT_NAMES, Fault, FaultName, FaultWindow, LakeWatch, Recovery, checkExactlyOnce, deployment, drained, fault, measureRecovery, summaryLine, verdict,
} from "../test/integration/faults-kit";
import { LoadGenerator, seededRandom } from "../test/integration/load";

interface Flags {
  minutes: number;
  rate: number;
  faultEveryS: number;
  seed: number;
  faults: FaultName[];
  brokers: number;
  outageS: number;
  deploy: boolean;
  keep: boolean;
}

function parseFlags(argv: string[]): Flags {
  const problems: string[] = [];
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (flag: string, dflt: number, min: number, max: number, integer = false): number => {
    const raw = value(flag);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) problems.push(`${flag}: "${raw}" — must be ${integer ? "an integer" : "a number"} in [${min}, ${max}]`);
    return n;
  };
  const known = new Set(["--minutes", "--rate", "--fault-every", "--seed", "--faults", "--brokers", "--outage", "--no-deploy", "--keep"]);
  for (const a of argv) if (a.startsWith("--") && !known.has(a)) problems.push(`${a}: unknown flag (known: ${[...known].join(" ")})`);
  const brokers = num("--brokers", 1, 1, 9, true);
  const applicable = FAULT_NAMES.filter((f) => f !== "onprem-broker-kill" || brokers >= 2);
  const faults = (value("--faults")?.split(",").filter(Boolean) ?? applicable) as FaultName[];
  for (const f of faults) if (!applicable.includes(f)) problems.push(`--faults: "${f}" — must be one of ${applicable.join(", ")}${f === "onprem-broker-kill" ? " (onprem-broker-kill needs --brokers ≥ 2)" : ""}`);
  const flags: Flags = {
    minutes: num("--minutes", 30, 1, 32),
    rate: num("--rate", 500, 1, 2000),
    faultEveryS: num("--fault-every", 120, 30, 3600),
    seed: num("--seed", Date.now() % 1000000, 0, 2 ** 31, true),
    faults,
    brokers,
    outageS: num("--outage", 60, 1, 600),
    deploy: !argv.includes("--no-deploy"),
    keep: argv.includes("--keep"),
  };
  if (problems.length) throw new Error(`bench:soak (${problems.length} problem${problems.length > 1 ? "s" : ""}):\n  - ${problems.join("\n  - ")}`);
  return flags;
}

interface Injected {
  name: FaultName;
  atMinute: number;
  window?: FaultWindow;
  recovery?: Recovery;
  error?: string;
}

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2));
  const env = { ...itEnv(), BRIDGE_SIMULATOR_ENABLED: "false", BRIDGE_KAFKA_BROKERS: String(f.brokers) };
  const started = new Date().toISOString();
  const facts = machineFacts();
  const log = (l: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`);
  log(`soak: ${commandLine()} — deployment ${IT.prefix}, ${f.minutes} min at ${f.rate} rows/s, a fault every ${f.faultEveryS} s from [${f.faults.join(", ")}], seed ${f.seed}`);
  let upS: number | undefined;
  if (f.deploy) {
    const t = Date.now();
    script("clean-deployment.sh", [], env);
    script("up.sh", [], env);
    upS = (Date.now() - t) / 1000;
    log(`deployed in ${upS.toFixed(1)} s`);
  }
  const d = deployment(env);
  const watch = new LakeWatch(d.lake(), d.topic);
  await watch.poll();
  const random = seededRandom(f.seed);
  const faults: Fault[] = f.faults.map((n) => fault(n, { outageMs: f.outageS * 1000 }));
  const load = new LoadGenerator({ db: d.db(), rowsPerSecond: f.rate, durationMs: Math.round(f.minutes * 60000), seed: f.seed, log: () => undefined });
  await load.ready;
  const t0 = Date.now();
  const end = t0 + f.minutes * 60000;
  const injected: Injected[] = [];
  for (let k = 1; ; k++) {
    const at = t0 + k * f.faultEveryS * 1000;
    const next = faults[Math.floor(random() * faults.length)];
    if (Math.max(at, Date.now()) + next.downMs + 30000 > end) break;
    while (Date.now() < at) await new Promise((r) => setTimeout(r, Math.min(1000, at - Date.now())));
    const entry: Injected = { name: next.name, atMinute: +((Date.now() - t0) / 60000).toFixed(2) };
    injected.push(entry);
    try {
      entry.window = await next.inject(d, log);
      entry.recovery = await measureRecovery(watch, load, entry.window.endedAt);
    } catch (e) {
      entry.error = (e as Error).message;
    }
    // Exactly once is checked once, at the end (the load keeps running between faults).
    log(entry.error ? `fault=${next.name} error: ${entry.error}` : summaryLine(next.name, entry.recovery, entry.window));
  }
  const report = await load.done;
  log(`load finished: ${report.committed} changes at ${report.achievedRowsPerSecond}/s; waiting for the lake to drain`);
  const drainMs = await drained(watch, load);
  await new Promise((r) => setTimeout(r, 3000));
  const check = await checkExactlyOnce(d, load);
  const v = verdict({ load: report, check });
  const ok = JSON.stringify(v) === JSON.stringify(CLEAN);
  const after = machineFacts();

  const rows: Array<[string, string]> = [
    ["command", `BRIDGE_IT_SLOT=${process.env.BRIDGE_IT_SLOT ?? "0"} ${commandLine()}`],
    ["started", started],
    ["deployment", `${IT.prefix}, ${f.brokers} on-prem broker(s), simulator off${upS !== undefined ? `, deployed in ${upS.toFixed(1)} s` : " (already up)"}`],
    ["machine", `${facts.cpus} cores (${facts.cpuModel}), ${facts.memGiB} GiB; loadavg before ${facts.loadavg}, after ${after.loadavg}`],
    ["other containers", `${(facts.otherContainers as string[]).filter((n) => !n.startsWith(`${IT.prefix}-`)).length} not of this deployment`],
    ["load", `${report.committed} changes (${report.inserts} c, ${report.updates} u, ${report.deletes} d) at ${report.achievedRowsPerSecond}/s of ${f.rate} target; ${report.failedStatements} failed statements (${report.appliedDespiteError} applied), ${report.skippedSlots} skipped slots, ${report.unresolved} unresolved`],
  ];
  for (const i of injected) {
    rows.push([
      `${i.atMinute.toFixed(1).padStart(5)} min ${i.name}`,
      i.error ? `ERROR ${i.error}` : `recovery ${fmt(i.recovery!.recoveryMs)} ms (caught up ${fmt(i.recovery!.caughtUpMs)}, first new ${fmt(i.recovery!.firstNewMs)}), fault ${i.window!.endedAt - i.window!.startedAt} ms`,
    ]);
  }
  for (const name of new Set(injected.map((i) => i.name))) {
    const s = summary(injected.filter((i) => i.name === name && i.recovery).map((i) => i.recovery!.recoveryMs));
    rows.push([`recovery ${name}`, `n=${s.n} p50 ${fmt(s.p50)} ms, max ${fmt(s.max)} ms`]);
  }
  rows.push(["lake", `${check.lakeFiles} files, ${check.lakeRecords} records; drained ${drainMs} ms after the load stopped; table ${check.tableRows} rows`]);
  rows.push(["exactly once", `lost=${check.lost} duplicated=${check.duplicated.length} missing=${check.missing.length} mismatched=${check.mismatched.length} unresolved=${report.unresolved}`]);
  if (check.mismatched.length) rows.push(["first mismatches", check.mismatched.slice(0, 5).join("; ")]);
  rows.push(["verdict", ok ? "OK" : "FAILED"]);
  printTable(`soak — ${started}`, rows);
  const file = saveResult("soak", { bench: "soak", started, command: rows[0][1], flags: f, machine: facts, machineAfter: after, upS, load: report, faults: injected, drainMs, check: { ...check, mismatched: check.mismatched.slice(0, 20) }, ok });
  console.log(`\nresult appended to ${file}`);
  if (!f.keep) {
    try {
      script("down.sh", ["--purge"], env);
      log("deployment destroyed");
    } catch (e) {
      console.log(`teardown FAILED (clean up with BRIDGE_ENVIRONMENT=${IT.environment} scripts/clean-deployment.sh): ${(e as Error).message.split("\n")[0]}`);
      process.exitCode = 3;
    }
  }
  if (!ok) process.exitCode = 1;
}

runBench("soak", main);
