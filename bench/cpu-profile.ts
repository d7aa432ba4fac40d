/**
 * CPU profile of a running Node service container of the bench deployment, under the bench's load:
 *
 *   node --experimental-websocket dist/bench/cpu-profile.js --service console --rate 1000 --seconds 30
 *
 * Opens the inspector of the container's main process (SIGUSR1 to PID 1: Node then listens on
 * 127.0.0.1:9229, which host networking makes the host's), drives `--rate` rows/s through the simulator
 * engine, records a V8 CPU profile over `--seconds` through the DevTools protocol, and prints the
 * functions by self time and the modules (files) by self time; `--rate 0` profiles it idle. The profile is written to
 * bench/results/<service>-<date>.cpuprofile (opens in Chrome DevTools). A tool to find where time goes,
 * not a benchmark: the figures of the budget are bench:console's.
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { BENCH, ROOT, commitFor, concurrencyFor, docker, fmt, printTable, runBench, sleep } from "./lib";

const args = process.argv.slice(2);
const opt = (f: string, d: string) => (args.indexOf(f) >= 0 ? args[args.indexOf(f) + 1] : d);
const SERVICE = opt("--service", "console");
const RATE = Number(opt("--rate", "1000"));
const SECONDS = Number(opt("--seconds", "30"));
const TOP = Number(opt("--top", "25"));
const INSPECTOR = "http://127.0.0.1:9229";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One DevTools-protocol session over the inspector's WebSocket (Node's own, --experimental-websocket). */
async function session(wsUrl: string): Promise<{ send: (method: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>; close: () => void }> {
  const WS = (globalThis as unknown as { WebSocket?: new (u: string) => WebSocket }).WebSocket;
  if (!WS) throw new Error("no WebSocket in this Node: run with node --experimental-websocket");
  const ws = new WS(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`inspector WebSocket ${wsUrl} failed`));
  });
  let next = 1;
  const waiting = new Map<number, (r: Record<string, unknown>) => void>();
  ws.onmessage = (e: MessageEvent) => {
    const m = JSON.parse(String(e.data)) as { id?: number; result?: Record<string, unknown>; error?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m.error ? { error: m.error } : (m.result ?? {}));
  };
  return {
    send: (method, params = {}) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Self time per node id, from the sample stream. */
function selfTimes(p: Profile): Map<number, number> {
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  return self;
}

async function main(): Promise<void> {
  const container = BENCH.container(SERVICE);
  // The images have no kill(1); their node, as the service's user, may signal it.
  docker("exec", container, "node", "-e", "process.kill(1, \"SIGUSR1\")");
  let wsUrl: string | undefined;
  for (let i = 0; i < 20 && !wsUrl; i++, await sleep(250)) {
    const list = await fetch(`${INSPECTOR}/json/list`).then((r) => r.json() as Promise<Array<{ webSocketDebuggerUrl: string }>>, () => []);
    wsUrl = list[0]?.webSocketDebuggerUrl;
  }
  if (!wsUrl) throw new Error(`${container}: no inspector at ${INSPECTOR} after SIGUSR1 (is the service's PID 1 node?)`);
  const s = await session(wsUrl);
  try {
    await s.send("Profiler.enable");
    await s.send("Profiler.setSamplingInterval", { interval: 1000 });
    // --rate 0: no load, the service's idle cost.
    const load = RATE > 0 ? commitFor(RATE, (SECONDS + 10) * 1000, concurrencyFor(RATE)) : Promise.resolve({ achievedRowsPerSecond: 0 });
    await sleep(5000);
    await s.send("Profiler.start");
    await sleep(SECONDS * 1000);
    const { profile } = (await s.send("Profiler.stop")) as unknown as { profile: Profile };
    const achieved = (await load).achievedRowsPerSecond;
    const dir = join(ROOT, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${SERVICE}-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));

    const self = selfTimes(profile);
    const wallUs = profile.endTime - profile.startTime;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const idle = new Set(["(idle)", "(program)", "(garbage collector)"]);
    let busyUs = 0;
    const fns = new Map<string, number>();
    const mods = new Map<string, number>();
    for (const [id, us] of self) {
      const n = byId.get(id)!;
      const name = n.callFrame.functionName || "(anonymous)";
      if (name !== "(idle)") busyUs += us;
      const url = n.callFrame.url.replace(/^file:\/\//, "");
      const inPackage = url.includes("node_modules/");
      const where = inPackage ? url.replace(/^.*node_modules\//, "") : url.split("/").slice(-3).join("/");
      const fnKey = idle.has(name) ? name : `${name} ${where}:${n.callFrame.lineNumber + 1}`;
      fns.set(fnKey, (fns.get(fnKey) ?? 0) + us);
      // A package by its name, our own code by file, V8/Node internals as "(native)".
      const mod = idle.has(name) ? name : !where ? "(native)" : inPackage ? where.split("/").slice(0, where.startsWith("@") ? 2 : 1).join("/") : where;
      mods.set(mod, (mods.get(mod) ?? 0) + us);
    }
    const pct = (us: number) => `${fmt((us / wallUs) * 100, 2)} % of a core`;
    const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([k, us]): [string, string] => [k, pct(us)]);
    printTable(`${container}: busy ${pct(busyUs)} over ${fmt(wallUs / 1e6, 1)} s at ${fmt(achieved)} rows/s — by module`, top(mods));
    printTable("by function (self time)", top(fns));
    console.log(`\nprofile: ${file.replace(ROOT + "/", "")}`);
  } finally {
    s.close();
  }
}

runBench("cpu-profile", main);
