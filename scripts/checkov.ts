/**
 * checkov on the synthesized azure stack of every variant (target × network
 * mode, scripts/azure-variants.ts): fails on any finding that no construct
 * accepts with a reason (constructs/checkov.ts), and on any accepted finding
 * that no longer occurs.
 *
 *   node dist/scripts/checkov.js CHECKOV_BIN VARIANTS_DIR
 */
import { spawnSync } from "child_process";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { acceptedOf, Finding, judge } from "./lib/checkov-report";

const [checkov, dir] = process.argv.slice(2);
if (!checkov || !dir) {
  console.error("usage: node dist/scripts/checkov.js CHECKOV_BIN VARIANTS_DIR");
  process.exit(2);
}
let failed = false;
for (const variant of readdirSync(dir).sort()) {
  const stack = join(dir, variant, "stacks", "azure");
  // --skip-download: nothing may reach Prisma Cloud from here.
  const r = spawnSync(checkov, ["-d", stack, "--framework", "terraform_json", "--quiet", "--compact", "--skip-download", "-o", "json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  let report: { summary: { passed: number; failed: number; parsing_errors: number }; results: { failed_checks: Finding[] } };
  try {
    report = JSON.parse(r.stdout);
  } catch {
    console.error(`checkov: ${variant}: no JSON report (exit ${r.status}): ${r.stderr.split("\n").slice(-5).join(" ")}`);
    failed = true;
    continue;
  }
  const verdict = judge(report.results.failed_checks, acceptedOf(JSON.parse(readFileSync(join(stack, "cdk.tf.json"), "utf8"))));
  const bad = verdict.unaccepted.length + verdict.stale.length + report.summary.parsing_errors;
  console.log(`checkov: ${variant}: ${report.summary.passed} passed, ${verdict.accepted.length} accepted, ${verdict.unaccepted.length} failed, ${verdict.stale.length} stale`);
  for (const f of verdict.unaccepted) console.log(`  FAILED ${f.check_id} ${f.resource}`);
  for (const s of verdict.stale) console.log(`  STALE  ${s.check} ${s.resource}: accepted in the code but no longer found; remove the acceptFinding`);
  if (bad > 0) failed = true;
}
process.exit(failed ? 1 : 0);
