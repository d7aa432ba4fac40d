/**
 * A plan reduced to what a reviewer needs: what happens to each resource,
 * the attributes and connector keys that change, drift, outputs, counts, and
 * the list of secrets the renderer scrubs.
 */
import { Action, PlanResourceChange, TerraformPlanJson } from "./plan-json";
import { anyMarked, collectSensitive, Key, NULL, Shown, shown } from "./masking";
import { AttributeChange, DiffContext, diffInto } from "./attribute-diff";
import { ConnectorDiff, diffConnector } from "./connector-diff";

/** What happens to one resource instance. */
export type ChangeKind = "create" | "update" | "replace" | "delete" | "read" | "forget" | "import" | "move" | "no-op";

export interface ResourceSummary {
  readonly address: string;
  readonly previousAddress?: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly kind: ChangeKind;
  /** Raw terraform actions, e.g. ["delete","create"]. */
  readonly actions: Action[];
  /** create_before_destroy replacement. */
  readonly createBeforeDestroy?: boolean;
  readonly importing?: boolean;
  readonly actionReason?: string;
  readonly deposed?: string;
  readonly attributes: AttributeChange[];
  /** Attributes left out of `attributes` (limit). */
  readonly attributesOmitted: number;
  /** For connectors (kafka-connect_connector and look-alikes). */
  readonly connector?: ConnectorDiff;
}

export interface OutputSummary {
  readonly name: string;
  readonly kind: "create" | "update" | "delete";
  readonly before?: Shown;
  readonly after?: Shown;
  readonly sensitive: boolean;
}

export interface Counts {
  add: number;
  change: number;
  replace: number;
  destroy: number;
  import: number;
  move: number;
  forget: number;
  read: number;
}

export interface PlanSummary {
  readonly terraformVersion?: string;
  readonly formatVersion: string;
  readonly counts: Counts;
  /** Every resource that changes (no-ops left out unless moved/imported). */
  readonly resources: ResourceSummary[];
  /** Changes made outside Terraform since the last apply (refresh). */
  readonly drift: ResourceSummary[];
  readonly outputs: OutputSummary[];
  readonly hasChanges: boolean;
  readonly errored: boolean;
  readonly applyable?: boolean;
  readonly complete?: boolean;
  /**
   * Every string found at a sensitive path anywhere in the plan. NOT for
   * display: the renderer scrubs these out of its Markdown. Never serialise.
   */
  readonly secrets: ReadonlySet<string>;
}

export interface SummarizeOptions {
  /** Longest shown value, in characters. @default 120 */
  readonly maxValueLength?: number;
  /** Most attributes listed for one resource (creates list everything set). @default 40 */
  readonly maxAttributes?: number;
  /** Resource types treated as Kafka Connect connectors (`config` + `config_sensitive`). */
  readonly connectorTypes?: readonly string[];
}

const DEFAULT_CONNECTOR_TYPES: readonly string[] = ["kafka-connect_connector"];

function kindOf(rc: PlanResourceChange): ChangeKind {
  const a = rc.change.actions;
  const has = (x: Action): boolean => a.includes(x);
  if (has("delete") && has("create")) return "replace";
  if (has("create")) return "create";
  if (has("delete")) return "delete";
  if (has("update")) return rc.change.importing ? "import" : "update";
  if (has("read")) return "read";
  if (has("forget")) return "forget";
  if (rc.change.importing) return "import";
  if (rc.previous_address && rc.previous_address !== rc.address) return "move";
  return "no-op";
}

function summarizeResource(rc: PlanResourceChange, opts: Required<SummarizeOptions>): ResourceSummary {
  const kind = kindOf(rc);
  const c = rc.change;
  const isConnector = opts.connectorTypes.includes(rc.type);
  const attributes: AttributeChange[] = [];
  const ctx: DiffContext = {
    maxValueLength: opts.maxValueLength,
    replacePaths: (c.replace_paths ?? []) as Key[][],
    skipTop: new Set(isConnector ? ["config", "config_sensitive"] : []),
    out: attributes,
  };
  const show = kind !== "delete" && kind !== "forget" && kind !== "no-op" && kind !== "move" && kind !== "read";
  if (show || kind === "read") {
    diffInto(
      ctx,
      [],
      kind === "create" || c.before === null || c.before === undefined
        ? undefined
        : { value: c.before, sensitive: c.before_sensitive ?? false, unknown: false },
      c.after === null || c.after === undefined && !anyMarked(c.after_unknown)
        ? undefined
        : { value: c.after, sensitive: c.after_sensitive ?? false, unknown: c.after_unknown ?? false },
    );
  }
  // For a create, list what is set (terraform's own plan shows the same).
  const list = kind === "create" ? attributes.filter((x) => x.after !== NULL) : attributes;
  // Replacement triggers first, then alphabetical.
  list.sort(
    (x, y) =>
      Number(y.forcesReplacement) - Number(x.forcesReplacement) || Number(x.computed) - Number(y.computed) || x.path.localeCompare(y.path),
  );
  const kept = list.slice(0, opts.maxAttributes);
  return {
    address: rc.address,
    previousAddress: rc.previous_address,
    type: rc.type,
    mode: rc.mode,
    kind,
    actions: c.actions,
    createBeforeDestroy: kind === "replace" && c.actions[0] === "create" ? true : undefined,
    importing: c.importing ? true : undefined,
    actionReason: rc.action_reason,
    deposed: rc.deposed,
    attributes: kept,
    attributesOmitted: list.length - kept.length,
    connector: isConnector && kind !== "delete" && kind !== "forget" && kind !== "no-op" && kind !== "move" ? diffConnector(c, opts.maxValueLength) : undefined,
  };
}

function emptyCounts(): Counts {
  return { add: 0, change: 0, replace: 0, destroy: 0, import: 0, move: 0, forget: 0, read: 0 };
}

/** Reduce a plan to what a reviewer needs. */
export function summarizePlan(plan: TerraformPlanJson, options: SummarizeOptions = {}): PlanSummary {
  const opts: Required<SummarizeOptions> = {
    maxValueLength: options.maxValueLength ?? 120,
    maxAttributes: options.maxAttributes ?? 40,
    connectorTypes: options.connectorTypes ?? DEFAULT_CONNECTOR_TYPES,
  };
  const counts = emptyCounts();
  const resources: ResourceSummary[] = [];
  const secrets = new Set<string>();

  for (const rc of plan.resource_changes ?? []) {
    collectSensitive(rc.change.before, rc.change.before_sensitive, secrets);
    collectSensitive(rc.change.after, rc.change.after_sensitive, secrets);
    const kind = kindOf(rc);
    if (kind === "create") counts.add++;
    else if (kind === "update") counts.change++;
    else if (kind === "replace") counts.replace++;
    else if (kind === "delete") counts.destroy++;
    else if (kind === "read") counts.read++;
    else if (kind === "forget") counts.forget++;
    if (rc.change.importing) counts.import++;
    if (rc.previous_address && rc.previous_address !== rc.address) counts.move++;
    if (kind === "no-op" || (kind === "read" && rc.mode === "data" && rc.action_reason === undefined)) continue;
    resources.push(summarizeResource(rc, opts));
  }
  const drift: ResourceSummary[] = [];
  for (const rc of plan.resource_drift ?? []) {
    collectSensitive(rc.change.before, rc.change.before_sensitive, secrets);
    collectSensitive(rc.change.after, rc.change.after_sensitive, secrets);
    // Drift compares the last-applied state (before) with what refresh found (after);
    // entries whose only differences are noise (null vs empty) are left out.
    const d = summarizeResource(rc, opts);
    if (d.kind === "delete" || d.attributes.length || d.connector?.keys.length) drift.push(d);
  }
  const outputs: OutputSummary[] = [];
  for (const [name, oc] of Object.entries(plan.output_changes ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    collectSensitive(oc.before, oc.before_sensitive, secrets);
    collectSensitive(oc.after, oc.after_sensitive, secrets);
    const a = oc.actions;
    const kind = a.includes("create") && !a.includes("delete") ? "create" : a.includes("delete") && !a.includes("create") ? "delete" : a.includes("update") || a.includes("create") ? "update" : undefined;
    if (!kind) continue;
    const sensitive = anyMarked(oc.before_sensitive) || anyMarked(oc.after_sensitive);
    outputs.push({
      name,
      kind,
      sensitive,
      before: kind === "create" ? undefined : shown(oc.before, oc.before_sensitive ?? false, false, opts.maxValueLength),
      after: kind === "delete" ? undefined : shown(oc.after, oc.after_sensitive ?? false, oc.after_unknown ?? false, opts.maxValueLength),
    });
  }
  const hasChanges =
    counts.add + counts.change + counts.replace + counts.destroy + counts.import + counts.move + counts.forget > 0 || outputs.length > 0;
  return {
    terraformVersion: plan.terraform_version,
    formatVersion: plan.format_version,
    counts,
    resources,
    drift,
    outputs,
    hasChanges,
    errored: plan.errored === true,
    applyable: plan.applyable,
    complete: plan.complete,
    secrets,
  };
}
