/**
 * One stack's section of the report as Markdown: verdict, counts, one entry
 * per resource (attribute and connector-key tables when detail is "full"),
 * output changes and drift.
 */
import { SENSITIVE, Shown, UNKNOWN } from "./masking";
import { ChangeKind, Counts, PlanSummary, ResourceSummary } from "./summary";

/** One stack's part of the report: a plan summary, or why there is none. */
export interface StackReport {
  readonly stack: string;
  readonly summary?: PlanSummary;
  /** The plan failed: a short, already-redacted message. */
  readonly error?: string;
  /** Not planned on purpose (e.g. no credentials for it here). */
  readonly skipped?: string;
}

const KIND_ICON: Record<ChangeKind, string> = {
  create: "➕",
  update: "🔧",
  replace: "♻️",
  delete: "🗑️",
  read: "📖",
  forget: "🫥",
  import: "📥",
  move: "🚚",
  "no-op": "·",
};

const KIND_LABEL: Record<ChangeKind, string> = {
  create: "create",
  update: "update in place",
  replace: "replace",
  delete: "destroy",
  read: "read",
  forget: "forget (remove from state)",
  import: "import",
  move: "move",
  "no-op": "no change",
};

/** One line: what a reviewer must notice first. */
export function verdict(s: PlanSummary): string {
  const c = s.counts;
  if (s.errored) return "❌ The plan errored: the changes below may be incomplete.";
  if (!s.hasChanges) return s.drift.length ? "✅ No changes (drift found, but the configuration already matches it or ignores it)." : "✅ No changes. Infrastructure matches the configuration.";
  const destructive = c.destroy + c.replace;
  if (destructive > 0) {
    const parts: string[] = [];
    if (c.destroy) parts.push(`${c.destroy} destroyed`);
    if (c.replace) parts.push(`${c.replace} replaced (destroyed and re-created)`);
    return `⚠️ Destructive: ${parts.join(", ")}. Review before merging.`;
  }
  if (c.change) return "🔧 In-place changes only: nothing is destroyed.";
  if (c.add) return "➕ Additions only: nothing is changed or destroyed.";
  return "ℹ️ State-only changes (import, move, forget or outputs).";
}

function countsLine(c: Counts): string {
  const parts = [`**${c.add}** to add`, `**${c.change}** to change`, `**${c.replace}** to replace`, `**${c.destroy}** to destroy`];
  if (c.import) parts.push(`**${c.import}** to import`);
  if (c.move) parts.push(`**${c.move}** moved`);
  if (c.forget) parts.push(`**${c.forget}** to forget`);
  return parts.join(", ");
}

/** Inline code that survives backticks and pipes inside the value (tables). */
export function code(s: string): string {
  const clean = s.replace(/\r?\n/g, "⏎").replace(/\|/g, "\\|");
  const ticks = clean.match(/`+/g);
  const fence = "`".repeat(ticks ? Math.max(...ticks.map((t) => t.length)) + 1 : 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function shownCell(v: Shown | undefined): string {
  if (v === undefined) return "";
  if (v === SENSITIVE || v === UNKNOWN) return `_${v}_`;
  return code(v);
}

function renderAttributes(r: ResourceSummary): string[] {
  const lines: string[] = [];
  // Values the apply computes are listed by name only, on one line.
  const rows = r.attributes.filter((a) => !(a.computed && !a.forcesReplacement));
  const computed = r.attributes.filter((a) => a.computed && !a.forcesReplacement);
  if (rows.length) {
    const create = r.kind === "create";
    lines.push(create ? "| attribute | value |" : "| attribute | before | after |");
    lines.push(create ? "|---|---|" : "|---|---|---|");
    for (const a of rows) {
      const name = `${code(a.path)}${a.forcesReplacement ? " **forces replacement**" : ""}`;
      lines.push(create ? `| ${name} | ${shownCell(a.after)} |` : `| ${name} | ${shownCell(a.before)} | ${a.after === undefined ? "_(removed)_" : shownCell(a.after)} |`);
    }
    lines.push("");
  }
  if (computed.length) lines.push(`_${UNKNOWN}_: ${computed.map((a) => code(a.path)).join(", ")}`, "");
  if (r.attributesOmitted) lines.push(`… and ${r.attributesOmitted} more attribute(s) not shown.`, "");
  if (r.connector) {
    const cd = r.connector;
    lines.push(`Connector config${cd.name ? ` ${code(cd.name)}` : ""}, key by key${cd.unchanged ? ` (${cd.unchanged} key(s) unchanged)` : ""}:`);
    lines.push("");
    if (cd.unknown) lines.push(`- \`config\`: _${UNKNOWN}_`);
    if (cd.keys.length) {
      lines.push("| key | change | before | after |");
      lines.push("|---|---|---|---|");
      for (const k of cd.keys) {
        const b = k.sensitive ? (k.status === "added" ? "" : `_${SENSITIVE}_`) : shownCell(k.before);
        const a = k.sensitive ? (k.status === "removed" ? "" : `_${SENSITIVE}_`) : shownCell(k.after);
        lines.push(`| ${code(k.key)}${k.sensitive ? " 🔒" : ""} | ${k.status} | ${b} | ${a} |`);
      }
    } else if (!cd.unknown) {
      lines.push("_No connector config key changes._");
    }
    lines.push("");
  }
  return lines;
}

function resourceHeading(r: ResourceSummary): string {
  const extra: string[] = [];
  if (r.createBeforeDestroy) extra.push("create before destroy");
  if (r.previousAddress && r.previousAddress !== r.address) extra.push(`moved from ${code(r.previousAddress)}`);
  if (r.importing) extra.push("imported");
  if (r.deposed) extra.push(`deposed object ${code(r.deposed)}`);
  if (r.actionReason) extra.push(`reason: ${r.actionReason.replace(/_/g, " ")}`);
  return `${KIND_ICON[r.kind]} ${code(r.address)}: **${KIND_LABEL[r.kind]}**${extra.length ? ` (${extra.join("; ")})` : ""}`;
}

const KIND_ORDER: ChangeKind[] = ["delete", "replace", "update", "create", "import", "move", "forget", "read", "no-op"];

export type Detail = "full" | "compact";

/** One stack's section. `compact` lists resources without attribute tables. */
export function renderStack(report: StackReport, detail: Detail = "full"): string {
  const lines: string[] = [`### Stack ${code(report.stack)}`, ""];
  if (report.error !== undefined) {
    lines.push("❌ **The plan failed.**", "", "```text", report.error.replace(/```/g, "'''"), "```", "");
    return lines.join("\n");
  }
  if (report.skipped !== undefined) {
    lines.push(`⏭️ Not planned: ${report.skipped}`, "");
    return lines.join("\n");
  }
  const s = report.summary;
  if (!s) return lines.join("\n");
  lines.push(`${verdict(s)}`, "", countsLine(s.counts), "");
  const ordered = [...s.resources].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.address.localeCompare(b.address));
  for (const r of ordered) {
    const hasDetail = detail === "full" && (r.attributes.length > 0 || r.connector !== undefined);
    if (!hasDetail) {
      lines.push(`- ${resourceHeading(r)}`);
      continue;
    }
    lines.push("<details" + (r.kind === "create" ? "" : " open") + `><summary>${htmlSummary(r)}</summary>`, "", ...renderAttributes(r), "</details>", "");
  }
  if (ordered.length && ordered.every((r) => !(detail === "full" && (r.attributes.length > 0 || r.connector !== undefined)))) lines.push("");
  if (s.outputs.length) {
    lines.push("<details><summary>Output changes</summary>", "", "| output | change | before | after |", "|---|---|---|---|");
    for (const o of s.outputs) lines.push(`| ${code(o.name)}${o.sensitive ? " 🔒" : ""} | ${o.kind} | ${shownCell(o.before)} | ${shownCell(o.after)} |`);
    lines.push("", "</details>", "");
  }
  if (s.drift.length) {
    lines.push(`<details><summary>⚠️ Drift: ${s.drift.length} resource(s) changed outside Terraform since the last apply</summary>`, "");
    for (const d of s.drift) {
      lines.push(`- ${code(d.address)}: ${d.kind === "delete" ? "deleted outside Terraform" : d.kind === "update" ? "modified outside Terraform" : KIND_LABEL[d.kind]}`);
      if (detail !== "full") continue;
      for (const a of d.attributes) lines.push(`  - ${code(a.path)}: ${shownCell(a.before)} → ${a.after === undefined ? "_(removed)_" : shownCell(a.after)}`);
      // Connector config edited out of band (e.g. through the Connect REST API): key by key.
      for (const k of d.connector?.keys ?? []) {
        const b = k.sensitive ? `_${SENSITIVE}_` : shownCell(k.before);
        const a = k.sensitive ? `_${SENSITIVE}_` : shownCell(k.after);
        const what = k.status === "added" ? `added ${a}` : k.status === "removed" ? `removed (was ${b})` : `${b} → ${a}`;
        lines.push(`  - config ${code(k.key)}${k.sensitive ? " 🔒" : ""}: ${what}`);
      }
    }
    lines.push("", "</details>", "");
  }
  return lines.join("\n");
}

/** <summary> holds HTML: no Markdown code spans there. */
function htmlSummary(r: ResourceSummary): string {
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const n = r.attributes.length + (r.connector?.keys.length ?? 0) + r.attributesOmitted;
  const extra: string[] = [];
  if (r.createBeforeDestroy) extra.push("create before destroy");
  if (r.importing) extra.push("imported");
  if (r.actionReason) extra.push(`reason: ${esc(r.actionReason.replace(/_/g, " "))}`);
  return `${KIND_ICON[r.kind]} <code>${esc(r.address)}</code>: <b>${KIND_LABEL[r.kind]}</b>${extra.length ? ` (${extra.join("; ")})` : ""}, ${n} attribute(s)`;
}
