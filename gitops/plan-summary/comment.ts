/**
 * The whole report, as the pull-request comment and the job summary show it:
 * marker, title, overview table, one section per stack, every secret
 * scrubbed, kept under GitHub's comment limit.
 */
import { SENSITIVE, UNKNOWN } from "./masking";
import { code, Detail, renderStack, StackReport, verdict } from "./markdown";

export const COMMENT_MARKER = "<!-- bridge-to-azure-plan -->";
/** GitHub refuses comment bodies over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65536;

export interface RenderOptions {
  /** Hidden marker the comment upsert finds the comment by. @default COMMENT_MARKER */
  readonly marker?: string;
  /** @default "Terraform plan" */
  readonly title?: string;
  /** Extra line under the title (commit, environment, run link). */
  readonly subtitle?: string;
  /** Hard cap of the whole Markdown, in characters. @default 65000 (GitHub allows 65,536) */
  readonly maxLength?: number;
  /** Shown in the truncation note: where the full report is. */
  readonly fullReportHint?: string;
  /** Further strings to scrub (e.g. TF_VAR_* values of the environment). */
  readonly redact?: Iterable<string>;
}

function overviewTable(reports: readonly StackReport[]): string[] {
  const lines = ["| stack | add | change | replace | destroy | verdict |", "|---|--:|--:|--:|--:|---|"];
  for (const r of reports) {
    if (r.summary) {
      const c = r.summary.counts;
      lines.push(`| ${code(r.stack)} | ${c.add} | ${c.change} | ${c.replace} | ${c.destroy} | ${verdict(r.summary).split(":")[0].replace(/\.$/, "")} |`);
    } else if (r.error !== undefined) lines.push(`| ${code(r.stack)} | – | – | – | – | ❌ plan failed |`);
    else lines.push(`| ${code(r.stack)} | – | – | – | – | ⏭️ skipped |`);
  }
  return lines;
}

/** Replace every occurrence of each secret (longest first) by "(sensitive)". */
export function scrub(markdown: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  let out = markdown;
  for (const s of list) {
    out = out.split(s).join(SENSITIVE);
    // The same secret as it appears JSON-escaped inside a shown value.
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) out = out.split(escaped).join(SENSITIVE);
  }
  return out;
}

/** Length as GitHub counts it (characters); surrogate pairs count once. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function cutToLength(text: string, max: number): string {
  if (charLength(text) <= max) return text;
  const lines = text.split("\n");
  const out: string[] = [];
  let n = 0;
  let inFence = false;
  for (const line of lines) {
    const len = charLength(line) + 1;
    if (n + len > max) break;
    out.push(line);
    n += len;
    if (line.startsWith("```")) inFence = !inFence;
  }
  if (inFence) out.push("```");
  // Close <details> left open by the cut.
  const opened = out.filter((l) => l.startsWith("<details")).length - out.filter((l) => l === "</details>").length;
  for (let i = 0; i < opened; i++) out.push("", "</details>");
  return out.join("\n");
}

/**
 * The whole report: marker, title, overview table, then one section per
 * stack. Kept under `maxLength`: first attribute tables are dropped
 * (compact), then the text is cut at a line with a note saying so.
 */
export function renderMarkdown(reports: readonly StackReport[], options: RenderOptions = {}): string {
  const marker = options.marker ?? COMMENT_MARKER;
  const max = Math.min(options.maxLength ?? 65000, GITHUB_COMMENT_LIMIT);
  const secrets = new Set<string>(options.redact ?? []);
  for (const r of reports) for (const s of r.summary?.secrets ?? []) secrets.add(s);

  const head = [marker, `## ${options.title ?? "Terraform plan"}`, ""];
  if (options.subtitle) head.push(options.subtitle, "");
  head.push(...overviewTable(reports), "");
  const tfVersions = [...new Set(reports.map((r) => r.summary?.terraformVersion).filter((v): v is string => !!v))];
  const foot = [`<sub>Sensitive values are shown as _${SENSITIVE}_; values computed by the apply as _${UNKNOWN}_.${tfVersions.length ? ` Terraform ${tfVersions.join(", ")}.` : ""}</sub>`];

  const build = (detail: Detail): string => scrub([...head, ...reports.map((r) => renderStack(r, detail)), ...foot].join("\n"), secrets);
  const full = build("full");
  if (charLength(full) <= max) return full;
  const note = (what: string): string =>
    `\n\n> ✂️ **Truncated**: ${what} to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit.${options.fullReportHint ? ` ${options.fullReportHint}` : ""}`;
  const compactNote = note("attribute details were left out");
  const compact = build("compact");
  if (charLength(compact) + charLength(compactNote) <= max) return compact + compactNote;
  const cutNote = note("the report was cut");
  return cutToLength(compact, max - charLength(cutNote)) + cutNote;
}

/** Does any stack report changes (for `--detailed-exitcode`)? */
export function anyChanges(reports: readonly StackReport[]): boolean {
  return reports.some((r) => r.summary?.hasChanges);
}
