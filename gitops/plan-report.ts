/**
 * Plan report for the current working tree: synthesize, plan every stack,
 * print one Markdown summary (the same the pull-request comment shows).
 *
 *   node dist/gitops/plan-report.js [options] [[stack=]plan.json ...]
 *
 * With plan JSON files (output of `terraform show -json <planfile>`) it only
 * summarizes them. Without, it synthesizes the app (`app` of cdktf.json, i.e.
 * `node dist/main.js`; --no-synth reuses cdktf.out), then per stack in
 * cdktf.out/stacks/<stack>: `terraform init`, `terraform plan -out`,
 * `terraform show -json`. The saved plan stays in the stack's directory
 * (--plan-out), so a pipeline applies exactly what the report showed.
 *
 * Locally (a workstation or the on-prem runner) it uses the provider mirror
 * of scripts/providers.sh like every script here: TF_CLI_CONFIG_FILE defaults
 * to $BRIDGE_CACHE/terraformrc (~/.cache/bridge-to-azure/terraformrc) when
 * that file exists, unless BRIDGE_PROVIDERS=registry; `terraform providers
 * lock` is never run. The synth honours BRIDGE_ENVIRONMENT, BRIDGE_CONFIG and
 * BRIDGE_OUTDIR (the default of --outdir) like scripts/up.sh.
 *
 * The stacks whose network is Azure (stacks/plan.ts: the azure stack) need
 * Azure credentials: without ARM_SUBSCRIPTION_ID in the environment (and no
 * --stack naming them) they are listed as "not planned" instead.
 *
 * Options:
 *   --stack NAME            plan only this stack (repeatable; default: every stack of the manifest)
 *   --skip NAME[=REASON]    list this stack as not planned (repeatable)
 *   --no-synth              reuse cdktf.out instead of synthesizing
 *   --outdir DIR            synth output dir (default $BRIDGE_OUTDIR, else cdktf.out)
 *   --no-lock               plan with -lock=false (read-only plans of pull requests)
 *   --lock-timeout DURATION wait this long for the state lock (terraform's -lock-timeout, e.g. 10m)
 *   --plan-out NAME         file name of the saved plan in each stack's directory (default gitops.tfplan)
 *   --refresh-only          plan -refresh-only (what changed outside Terraform, nothing else)
 *   --detailed-exitcode     exit 2 when any stack has changes (the drift check)
 *   --output FILE           also write the Markdown to FILE
 *   --summary-json FILE     write the typed summary (no secret values) as JSON
 *   --title TEXT, --subtitle TEXT, --marker TEXT, --max-chars N
 *
 * Exit codes (like `terraform plan -detailed-exitcode`):
 *   0  the report was printed; no changes, or changes without --detailed-exitcode
 *   1  a stack failed to plan, a file was unreadable, or bad arguments
 *   2  --detailed-exitcode and at least one stack has changes (drift or pending code)
 *
 * Secrets: the Markdown masks values by the plan's sensitivity marks and
 * scrubs every sensitive value and every TF_VAR_* / credential environment
 * value. Terraform's own output (stderr of a failed plan) is scrubbed the same
 * way. The plan files written under cdktf.out carry secrets: never upload them.
 */
import { spawnSync, SpawnSyncReturns } from "child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { basename, join, resolve } from "path";
import { cacheDir, ListDir, mirrorDir, mirrorVersionEnv } from "../config/providers";
import { networkOf } from "../stacks/plan";
import { anyChanges, COMMENT_MARKER, parsePlan, PlanSummary, renderMarkdown, scrub, StackReport, summarizePlan } from "./plan-summary";

export interface ReportArgs {
  stacks: string[];
  skip: Map<string, string>;
  synth: boolean;
  outdir: string;
  lock: boolean;
  lockTimeout?: string;
  planOut: string;
  refreshOnly: boolean;
  detailedExitcode: boolean;
  output?: string;
  summaryJson?: string;
  title?: string;
  subtitle?: string;
  marker?: string;
  maxChars?: number;
  files: { stack: string; path: string }[];
  help: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): ReportArgs {
  const a: ReportArgs = { stacks: [], skip: new Map(), synth: true, outdir: process.env.BRIDGE_OUTDIR || "cdktf.out", lock: true, planOut: "gitops.tfplan", refreshOnly: false, detailedExitcode: false, files: [], help: false };
  const need = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => (inline !== undefined ? inline : need(i++, flag));
    switch (flag) {
      case "-h":
      case "--help":
        a.help = true;
        break;
      case "--stack":
        a.stacks.push(value());
        break;
      case "--skip": {
        const v = value();
        const k = v.indexOf("=");
        a.skip.set(k > 0 ? v.slice(0, k) : v, k > 0 ? v.slice(k + 1) : "skipped in this run");
        break;
      }
      case "--no-synth":
        a.synth = false;
        break;
      case "--synth":
        a.synth = true;
        break;
      case "--outdir":
        a.outdir = value();
        break;
      case "--no-lock":
        a.lock = false;
        break;
      case "--lock-timeout": {
        const v = value();
        if (!/^\d+(ms|s|m|h)$/.test(v)) throw new UsageError(`--lock-timeout "${v}" must be a duration like 30s or 10m`);
        a.lockTimeout = v;
        break;
      }
      case "--plan-out": {
        const v = value();
        if (!/^[\w.-]+$/.test(v)) throw new UsageError(`--plan-out "${v}" must be a file name (letters, digits, _ . -), no path`);
        a.planOut = v;
        break;
      }
      case "--refresh-only":
        a.refreshOnly = true;
        break;
      case "--detailed-exitcode":
        a.detailedExitcode = true;
        break;
      case "--output":
        a.output = value();
        break;
      case "--summary-json":
        a.summaryJson = value();
        break;
      case "--title":
        a.title = value();
        break;
      case "--subtitle":
        a.subtitle = value();
        break;
      case "--marker":
        a.marker = value();
        break;
      case "--max-chars": {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1000) throw new UsageError("--max-chars must be an integer ≥ 1000");
        a.maxChars = n;
        break;
      }
      default: {
        if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
        const k = arg.indexOf("=");
        const path = k > 0 ? arg.slice(k + 1) : arg;
        a.files.push({ stack: k > 0 ? arg.slice(0, k) : basename(path).replace(/(\.plan)?\.json$/, ""), path });
      }
    }
  }
  return a;
}

/** Environment values that must never appear in a report. */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const names = /^(TF_VAR_.+|ARM_CLIENT_SECRET|ARM_ACCESS_KEY|ARM_SAS_TOKEN|ARM_OIDC_TOKEN|ARM_CLIENT_CERTIFICATE_PASSWORD|ACTIONS_ID_TOKEN_REQUEST_TOKEN|GITHUB_TOKEN|GH_TOKEN)$/;
  return Object.entries(env)
    .filter(([k, v]) => names.test(k) && typeof v === "string" && v.length >= 6)
    .map(([, v]) => v as string);
}

interface Manifest {
  stacks: Record<string, { name: string; workingDirectory: string; dependencies?: string[] }>;
}

/** Stacks of the manifest, dependencies first. */
export function stackOrder(manifest: Manifest): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (seen.has(name)) return;
    if (path.includes(name)) throw new Error(`stack dependency cycle: ${[...path, name].join(" → ")}`);
    for (const dep of manifest.stacks[name]?.dependencies ?? []) visit(dep, [...path, name]);
    seen.add(name);
    out.push(name);
  };
  for (const name of Object.keys(manifest.stacks).sort()) visit(name, []);
  return out;
}

/**
 * The environment terraform runs with: the provider mirror's CLI config when
 * there is one (as scripts/env.sh sets it), no prompts, no telemetry.
 */
export function terraformEnv(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync, list?: ListDir): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
  if (!env.TF_CLI_CONFIG_FILE && env.BRIDGE_PROVIDERS !== "registry") {
    const cache = cacheDir(env);
    const rc = join(cache, "terraformrc");
    if (exists(rc)) {
      out.TF_CLI_CONFIG_FILE = rc;
      // The provider builds the mirror holds (as scripts/env.sh selects them): the synth pins them.
      Object.assign(out, mirrorVersionEnv(env, mirrorDir(cache), list));
    }
  }
  return out;
}

/**
 * Stacks not planned by default and why: those of network Azure without
 * Azure credentials in the environment (a workstation, the on-prem runner).
 */
export function defaultSkips(env: NodeJS.ProcessEnv, stacks: readonly string[], requested: readonly string[]): Map<string, string> {
  const skip = new Map<string, string>();
  if (env.ARM_SUBSCRIPTION_ID) return skip;
  for (const stack of stacks) {
    if (networkOf(stack) === "azure" && !requested.includes(stack)) {
      skip.set(stack, `no Azure credentials here (ARM_SUBSCRIPTION_ID is unset); the pipeline plans it with OIDC, or pass \`--stack ${stack}\` after \`az login\``);
    }
  }
  return skip;
}

function run(cmd: string, args: string[], cwd: string, shell = false): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    shell,
    maxBuffer: 512 * 1024 * 1024,
    env: terraformEnv(process.env),
  });
}

function tail(text: string, lines = 30): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** init + plan + show -json for one synthesized stack dir. */
function planStack(dir: string, args: ReportArgs, redact: string[]): { summary?: PlanSummary; error?: string } {
  const fail = (what: string, r: SpawnSyncReturns<string>): { error: string } => ({
    error: scrub(`${what} failed (exit ${r.status ?? r.signal}):\n${tail(`${r.stderr ?? ""}\n${r.stdout ?? ""}`)}`, redact),
  });
  const init = run("terraform", ["init", "-input=false", "-no-color"], dir);
  if (init.status !== 0) return fail("terraform init", init);
  const planArgs = ["plan", "-input=false", "-no-color", `-out=${args.planOut}`];
  if (!args.lock) planArgs.push("-lock=false");
  if (args.lockTimeout) planArgs.push(`-lock-timeout=${args.lockTimeout}`);
  if (args.refreshOnly) planArgs.push("-refresh-only");
  const plan = run("terraform", planArgs, dir);
  if (plan.status !== 0) return fail("terraform plan", plan);
  const show = run("terraform", ["show", "-json", args.planOut], dir);
  if (show.status !== 0) return fail("terraform show", show);
  return { summary: summarizePlan(parsePlan(show.stdout)) };
}

function synth(root: string, outdir: string): void {
  mkdirSync(outdir, { recursive: true });
  const cdktfJson = join(root, "cdktf.json");
  const app = existsSync(cdktfJson) ? (JSON.parse(readFileSync(cdktfJson, "utf8")).app as string | undefined) : undefined;
  const r = spawnSync(app ?? "node dist/main.js", {
    cwd: root,
    shell: true,
    encoding: "utf8",
    env: { ...terraformEnv(process.env), CDKTF_OUTDIR: outdir },
  });
  if (r.status !== 0) throw new Error(`synth failed (${app ?? "node dist/main.js"}):\n${tail(r.stderr ?? "")}`);
}

/** Strip the secret set before serialising a summary. */
export function publicSummary(s: PlanSummary): Omit<PlanSummary, "secrets"> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { secrets: _omit, ...rest } = s;
  return rest;
}

export function main(argv: readonly string[], root = process.cwd()): number {
  let args: ReportArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`plan-report: ${(e as Error).message}\n`);
    return 1;
  }
  if (args.help) {
    const src = readFileSync(__filename, "utf8");
    const doc = /\/\*\*([\s\S]*?)\*\//.exec(src)?.[1] ?? "";
    process.stdout.write(doc.replace(/^ \* ?/gm, "").trim() + "\n");
    return 0;
  }
  const redact = secretsFromEnv(process.env);
  const reports: StackReport[] = [];
  let failed = false;

  if (args.files.length) {
    for (const f of args.files) {
      try {
        reports.push({ stack: f.stack, summary: summarizePlan(parsePlan(readFileSync(f.path, "utf8"))) });
      } catch (e) {
        reports.push({ stack: f.stack, error: scrub(`${f.path}: ${(e as Error).message}`, redact) });
        failed = true;
      }
    }
  } else {
    const outdir = resolve(root, args.outdir);
    try {
      if (args.synth || !existsSync(join(outdir, "manifest.json"))) synth(root, outdir);
    } catch (e) {
      process.stderr.write(`plan-report: ${scrub((e as Error).message, redact)}\n`);
      return 1;
    }
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
    const all = stackOrder(manifest);
    const unknown = [...args.stacks, ...args.skip.keys()].filter((s) => !all.includes(s));
    if (unknown.length) {
      process.stderr.write(`plan-report: no such stack: ${unknown.join(", ")} (stacks: ${all.join(", ")})\n`);
      return 1;
    }
    const skips = defaultSkips(process.env, all, args.stacks);
    for (const stack of all) {
      if (args.skip.has(stack)) {
        reports.push({ stack, skipped: args.skip.get(stack) });
        continue;
      }
      if (args.stacks.length && !args.stacks.includes(stack)) continue;
      if (skips.has(stack)) {
        reports.push({ stack, skipped: skips.get(stack) });
        continue;
      }
      process.stderr.write(`plan-report: planning stack ${stack} ...\n`);
      const r = planStack(join(outdir, manifest.stacks[stack].workingDirectory), args, redact);
      if (r.error) failed = true;
      reports.push({ stack, ...r });
    }
  }

  const markdown = renderMarkdown(reports, {
    title: args.title,
    subtitle: args.subtitle,
    marker: args.marker ?? COMMENT_MARKER,
    maxLength: args.maxChars,
    redact,
    fullReportHint: "Run `npm run plan:summary` locally for the full report.",
  });
  process.stdout.write(markdown + "\n");
  if (args.output) writeFileSync(args.output, markdown + "\n");
  if (args.summaryJson) {
    const json = reports.map((r) => ({ ...r, summary: r.summary ? publicSummary(r.summary) : undefined }));
    writeFileSync(args.summaryJson, scrub(JSON.stringify(json, null, 2), [...redact, ...reports.flatMap((r) => [...(r.summary?.secrets ?? [])])]) + "\n");
  }
  if (failed) return 1;
  if (args.detailedExitcode && anyChanges(reports)) return 2;
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
