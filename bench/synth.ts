/**
 * Synthesis benchmark: wall time of building and synthesizing every stack of
 * the app, in-process (what `cdktf synth` spends in our code) and through the
 * real CLI path (`node dist/main.js` as cdktf.json runs it).
 *
 *   npm run bench:synth            # build, then N=5 runs of each
 *   BENCH_RUNS=10 node dist/bench/synth.js
 */
import { execFileSync } from "child_process";
import { mkdtempSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { performance } from "perf_hooks";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const root = join(__dirname, "..", "..");

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  return `median ${median.toFixed(0)} ms, min ${s[0].toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms (n=${s.length})`;
}

function timeProcess(script: string, outdir: string): number {
  const t0 = performance.now();
  execFileSync(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return performance.now() - t0;
}

const outdir = mkdtempSync(join(tmpdir(), "bridge-synth-"));
try {
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) cold.push(timeProcess(join(root, "dist", "main.js"), outdir));
  const stacks = readdirSync(join(outdir, "stacks"));

  // Module loading dominates; compare the deep imports we use with the index.
  const deep = timeProcess(join(root, "dist", "bench", "load-deep.js"), outdir);
  const index = timeProcess(join(root, "dist", "bench", "load-index.js"), outdir);

  console.log(`synth all stacks (${stacks.join(", ")}), fresh node process each: ${stats(cold)}`);
  console.log(`  goal < 1000 ms: ${cold.sort((a, b) => a - b)[Math.floor(cold.length / 2)] < 1000 ? "met" : "NOT met"}`);
  console.log(`load @cdktf/provider-azurerm deep modules: ${deep.toFixed(0)} ms; package index: ${index.toFixed(0)} ms; ratio index/deep ${(index / deep).toFixed(1)}x`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
