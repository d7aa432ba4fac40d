/**
 * Terraform plan → Markdown, for pull-request comments, the drift check and
 * `npm run plan:summary` on a workstation.
 *
 * Pure functions only (no I/O): parse the output of `terraform show -json
 * <planfile>` (format_version 1.x), reduce it to a typed summary, render that
 * as Markdown.
 *
 * Secrets: terraform's JSON carries sensitive values IN CLEAR TEXT in
 * before/after; only the parallel trees before_sensitive/after_sensitive say
 * which parts are secret. Every value shown here goes through those trees
 * (`(sensitive)`), connector `config_sensitive` maps are reduced to their key
 * names, and the finished Markdown is scrubbed once more of every string that
 * sat at a sensitive path anywhere in the plan (defence in depth).
 */

// ---------------------------------------------------------------------------
// terraform show -json: the parts read here
// ---------------------------------------------------------------------------

export type Action = "no-op" | "create" | "read" | "update" | "delete" | "forget";

/** `true`, `false`, or a tree shaped like the value with `true` at marked leaves. */
export type MarkTree = boolean | MarkTree[] | { [key: string]: MarkTree } | undefined | null;

export interface PlanChange {
  readonly actions: Action[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: MarkTree;
  readonly before_sensitive?: MarkTree;
  readonly after_sensitive?: MarkTree;
  /** Paths (arrays of keys/indices) whose change forces replacement. */
  readonly replace_paths?: (string | number)[][];
  /** Present when the resource is being imported (Terraform ≥ 1.5). */
  readonly importing?: { readonly id?: string; readonly identity?: unknown };
  readonly generated_config?: string;
}

export interface PlanResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly deposed?: string;
  readonly change: PlanChange;
  readonly action_reason?: string;
}

export interface PlanOutputChange {
  readonly actions: Action[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: MarkTree;
  readonly before_sensitive?: MarkTree;
  readonly after_sensitive?: MarkTree;
}

export interface TerraformPlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: PlanResourceChange[];
  readonly resource_drift?: PlanResourceChange[];
  readonly output_changes?: Record<string, PlanOutputChange>;
  readonly errored?: boolean;
  readonly applyable?: boolean;
  readonly complete?: boolean;
  readonly timestamp?: string;
  readonly configuration?: unknown;
  readonly variables?: Record<string, { value?: unknown }>;
}

/** Thrown for input that is not a `terraform show -json` plan this module understands. */
export class PlanFormatError extends Error {}

/** Parse and check the output of `terraform show -json <planfile>`. */
export function parsePlan(text: string): TerraformPlanJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PlanFormatError(`not JSON: ${(e as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new PlanFormatError("not a JSON object");
  const plan = json as Record<string, unknown>;
  const fv = plan.format_version;
  if (typeof fv !== "string") throw new PlanFormatError("no format_version: not the output of `terraform show -json <planfile>`");
  if (!/^1\./.test(fv)) throw new PlanFormatError(`unsupported format_version ${fv} (1.x expected)`);
  if (!("resource_changes" in plan) && !("planned_values" in plan) && !("output_changes" in plan) && !("resource_drift" in plan)) {
    // `terraform show -json` of a STATE has values but no changes.
    throw new PlanFormatError("no resource_changes/planned_values: is this a state instead of a plan?");
  }
  for (const key of ["resource_changes", "resource_drift"] as const) {
    const list = plan[key];
    if (list !== undefined && !Array.isArray(list)) throw new PlanFormatError(`${key} is not an array`);
    for (const rc of (list as unknown[]) ?? []) {
      const r = rc as Record<string, unknown>;
      if (typeof r?.address !== "string" || typeof r.change !== "object" || !Array.isArray((r.change as Record<string, unknown>)?.actions)) {
        throw new PlanFormatError(`${key}: entry without address/change.actions`);
      }
    }
  }
  return plan as unknown as TerraformPlanJson;
}

// ---------------------------------------------------------------------------
// The typed summary
// ---------------------------------------------------------------------------

/** What happens to one resource instance. */
export type ChangeKind = "create" | "update" | "replace" | "delete" | "read" | "forget" | "import" | "move" | "no-op";

/** A value as it may be shown: already masked, unknown-marked and truncated. */
export type Shown = string;

export const SENSITIVE = "(sensitive)";
export const UNKNOWN = "(known after apply)";
export const NULL = "null";

export interface AttributeChange {
  /** "ports[0].external", "labels[\"a.b\"]" */
  readonly path: string;
  /** Absent for creates. */
  readonly before?: Shown;
  /** Absent for deletes. */
  readonly after?: Shown;
  readonly sensitive: boolean;
  readonly forcesReplacement: boolean;
  /** The new value is computed by the apply (after is "(known after apply)"). */
  readonly computed: boolean;
}

export type ConnectorKeyStatus = "added" | "removed" | "changed";

export interface ConnectorKeyChange {
  readonly key: string;
  readonly status: ConnectorKeyStatus;
  /** Never set for sensitive keys. */
  readonly before?: Shown;
  readonly after?: Shown;
  /** From `config_sensitive`, or marked sensitive in `config`: only the key is named. */
  readonly sensitive: boolean;
}

export interface ConnectorDiff {
  /** Connector name (config.name or the `name` attribute). */
  readonly name?: string;
  readonly keys: ConnectorKeyChange[];
  /** Count of keys that stay the same. */
  readonly unchanged: number;
  /** Whole config unknown until apply. */
  readonly unknown?: boolean;
}

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

export const DEFAULT_CONNECTOR_TYPES: readonly string[] = ["kafka-connect_connector"];

// ---------------------------------------------------------------------------
// Values, marks and paths
// ---------------------------------------------------------------------------

type Key = string | number;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The sub-tree of a mark tree (`true` covers everything below it). */
export function subMark(mark: MarkTree, key: Key): MarkTree {
  if (mark === true) return true;
  if (Array.isArray(mark)) return typeof key === "number" ? mark[key] : undefined;
  if (isObject(mark)) return (mark as Record<string, MarkTree>)[String(key)];
  return false;
}

/** Any `true` anywhere in the tree. */
export function anyMarked(mark: MarkTree): boolean {
  if (mark === true) return true;
  if (Array.isArray(mark)) return mark.some(anyMarked);
  if (isObject(mark)) return Object.values(mark as Record<string, MarkTree>).some(anyMarked);
  return false;
}

function isIdentifier(k: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k);
}

export function formatPath(path: readonly Key[]): string {
  let out = "";
  for (const k of path) {
    if (typeof k === "number") out += `[${k}]`;
    else if (isIdentifier(k)) out += out ? `.${k}` : k;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out;
}

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = Math.max(1, max - 1);
  return `${s.slice(0, cut)}…`;
}

const SENSITIVE_TOKEN = "\u0000sensitive\u0000";
const UNKNOWN_TOKEN = "\u0000unknown\u0000";

function maskTree(value: unknown, sensitive: MarkTree, unknown: MarkTree): unknown {
  if (sensitive === true) return SENSITIVE_TOKEN;
  if (unknown === true) return UNKNOWN_TOKEN;
  if (Array.isArray(value)) {
    const out: unknown[] = value.map((v, i) => maskTree(v, subMark(sensitive, i), subMark(unknown, i)));
    // after_unknown may list elements that do not exist yet in `after`.
    if (Array.isArray(unknown)) for (let i = value.length; i < unknown.length; i++) if (unknown[i] === true) out.push(UNKNOWN_TOKEN);
    return out;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskTree(v, subMark(sensitive, k), subMark(unknown, k));
    if (isObject(unknown)) for (const [k, u] of Object.entries(unknown)) if (!(k in out) && u === true) out[k] = UNKNOWN_TOKEN;
    return out;
  }
  if (value === undefined && anyMarked(unknown)) return UNKNOWN_TOKEN;
  return value;
}

function mask(value: unknown, sensitive: MarkTree, unknown: MarkTree): unknown {
  const m = maskTree(value, sensitive, unknown);
  if (m === SENSITIVE_TOKEN) return SENSITIVE;
  if (m === UNKNOWN_TOKEN) return UNKNOWN;
  if (typeof m !== "object" || m === null) return m;
  // JSON with the tokens turned into bare words: {"password":(sensitive)}.
  return new RawJson(
    JSON.stringify(m)
      .split(JSON.stringify(SENSITIVE_TOKEN))
      .join(SENSITIVE)
      .split(JSON.stringify(UNKNOWN_TOKEN))
      .join(UNKNOWN),
  );
}

class RawJson {
  constructor(readonly text: string) {}
  toJSON(): never {
    throw new Error("RawJson is rendered by shown() only");
  }
}

/**
 * A value as text, masked by its sensitivity tree and unknown tree. Nested
 * sensitive or unknown parts are replaced in place, so a list of blocks with
 * one secret field still shows every other field.
 */
export function shown(value: unknown, sensitive: MarkTree, unknown: MarkTree, maxLength: number): Shown {
  const m = mask(value, sensitive, unknown);
  let text: string;
  if (m instanceof RawJson) text = m.text;
  else if (m === SENSITIVE || m === UNKNOWN) text = m;
  else if (m === undefined) text = NULL;
  else text = JSON.stringify(m);
  return truncate(text, maxLength);
}

/** Collect every string (and number) at a sensitive path: the scrub list. */
export function collectSensitive(value: unknown, sensitive: MarkTree, into: Set<string>): void {
  if (sensitive === true) {
    const walk = (v: unknown): void => {
      if (typeof v === "string") into.add(v);
      else if (typeof v === "number") into.add(String(v));
      else if (Array.isArray(v)) v.forEach(walk);
      // Map keys stay visible: they name secrets, they do not carry them.
      else if (isObject(v)) Object.values(v).forEach(walk);
    };
    walk(value);
    return;
  }
  if (!sensitive) return;
  if (Array.isArray(value)) value.forEach((v, i) => collectSensitive(v, subMark(sensitive, i), into));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) collectSensitive(v, subMark(sensitive, k), into);
}

// ---------------------------------------------------------------------------
// Attribute diff
// ---------------------------------------------------------------------------

interface Side {
  readonly value: unknown;
  readonly sensitive: MarkTree;
  readonly unknown: MarkTree;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function pathStartsWith(path: readonly Key[], prefix: readonly Key[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => String(path[i]) === String(k));
}

interface DiffContext {
  readonly maxValueLength: number;
  readonly replacePaths: readonly (readonly Key[])[];
  readonly skipTop: ReadonlySet<string>;
  readonly out: AttributeChange[];
}

function forces(ctx: DiffContext, path: readonly Key[]): boolean {
  // A replace path at or below this path, or above it, forces replacement here.
  return ctx.replacePaths.some((rp) => pathStartsWith(path, rp) || pathStartsWith(rp, path));
}

/**
 * Walk before and after together. Objects (maps, single blocks) are compared
 * key by key; lists of the same length element by element; anything else
 * (scalars, sets/lists that grew or shrank) as a whole value, masked.
 */
function diffInto(ctx: DiffContext, path: Key[], b: Side | undefined, a: Side | undefined): void {
  if (path.length === 1 && ctx.skipTop.has(String(path[0]))) return;
  const bSens = b ? b.sensitive === true : false;
  const aSens = a ? a.sensitive === true : false;
  const aUnknown = a ? a.unknown === true : false;

  if (!bSens && !aSens && !aUnknown) {
    const bv = b?.value;
    const av = a?.value;
    const bObj = isObject(bv);
    const aObj = isObject(av) || (a !== undefined && av === undefined && isObject(a.unknown));
    if ((bObj || aObj) && (bObj || b === undefined || bv === null) && (aObj || a === undefined || av === null)) {
      const bo = bObj ? (bv as Record<string, unknown>) : {};
      const ao = isObject(av) ? av : {};
      const keys = new Set([...Object.keys(bo), ...Object.keys(ao)]);
      if (a && isObject(a.unknown)) for (const [k, u] of Object.entries(a.unknown)) if (u === true) keys.add(k);
      for (const k of [...keys].sort()) {
        const aHas = a !== undefined && (k in ao || subMark(a.unknown, k) === true);
        diffInto(
          ctx,
          [...path, k],
          b !== undefined && k in bo ? { value: bo[k], sensitive: subMark(b.sensitive, k), unknown: false } : undefined,
          aHas ? { value: ao[k], sensitive: subMark(a.sensitive, k), unknown: subMark(a.unknown, k) } : undefined,
        );
      }
      return;
    }
    if (b && a && Array.isArray(bv) && Array.isArray(av) && bv.length === av.length && bv.length > 0) {
      for (let i = 0; i < bv.length; i++) {
        diffInto(
          ctx,
          [...path, i],
          { value: bv[i], sensitive: subMark(b.sensitive, i), unknown: false },
          { value: av[i], sensitive: subMark(a.sensitive, i), unknown: subMark(a.unknown, i) },
        );
      }
      return;
    }
  }

  // Leaf (or a whole value): is it a change?
  const bv = b?.value;
  const av = a?.value;
  const valueChanged = !deepEqual(bv ?? null, av ?? null);
  const markChanged = bSens !== aSens || anyMarked(b?.sensitive) !== anyMarked(a?.sensitive);
  if (!aUnknown && !valueChanged && !markChanged) return;
  // Empty → empty is noise (null vs [] vs {}), unless sensitivity changed.
  if (!aUnknown && isEmpty(bv) && isEmpty(av) && !markChanged) return;
  // A zero value ("", 0, false) becoming null is an optional attribute the
  // configuration leaves unset: terraform lists it, reviewers need not.
  if (!aUnknown && a !== undefined && av === null && (bv === "" || bv === 0 || bv === false) && !markChanged) return;
  const sensitive = bSens || aSens || anyMarked(b?.sensitive) || anyMarked(a?.sensitive);
  ctx.out.push({
    path: formatPath(path),
    before: b === undefined ? undefined : shown(bv, b.sensitive, false, ctx.maxValueLength),
    after: a === undefined ? undefined : shown(av, a.sensitive, a.unknown, ctx.maxValueLength),
    sensitive,
    forcesReplacement: forces(ctx, path),
    computed: aUnknown,
  });
}

// ---------------------------------------------------------------------------
// Connector configs
// ---------------------------------------------------------------------------

function asStringMap(v: unknown): Record<string, unknown> {
  return isObject(v) ? v : {};
}

/**
 * Key-by-key diff of a connector's `config` (values shown, masked where
 * marked) and `config_sensitive` (keys only: values are compared, never shown).
 */
export function diffConnector(change: PlanChange, maxValueLength: number): ConnectorDiff {
  const before = asStringMap(change.before);
  const after = asStringMap(change.after);
  const keys: ConnectorKeyChange[] = [];
  let unchanged = 0;
  const afterUnknown = change.after_unknown;
  const configUnknown = subMark(afterUnknown, "config") === true;

  const plain = (
    attr: "config" | "config_sensitive",
    forceSensitive: boolean,
  ): void => {
    const b = asStringMap(before[attr]);
    const a = asStringMap(after[attr]);
    const bSens = subMark(change.before_sensitive, attr);
    const aSens = subMark(change.after_sensitive, attr);
    const aUnk = subMark(afterUnknown, attr);
    const all = new Set([...Object.keys(b), ...Object.keys(a)]);
    if (isObject(aUnk)) for (const [k, u] of Object.entries(aUnk)) if (u === true) all.add(k);
    for (const key of [...all].sort()) {
      const inB = key in b;
      const keyUnknown = subMark(aUnk, key) === true;
      const inA = key in a || keyUnknown;
      const sensitive = forceSensitive || subMark(bSens, key) === true || subMark(aSens, key) === true;
      let status: ConnectorKeyStatus | undefined;
      if (inB && !inA) status = "removed";
      else if (!inB && inA) status = "added";
      else if (keyUnknown || !deepEqual(b[key], a[key])) status = "changed";
      if (!status) {
        unchanged++;
        continue;
      }
      keys.push({
        key,
        status,
        sensitive,
        before: sensitive || !inB ? undefined : shown(b[key], false, false, maxValueLength),
        after: sensitive || !inA ? undefined : shown(a[key], false, subMark(aUnk, key), maxValueLength),
      });
    }
  };
  if (!configUnknown) plain("config", false);
  plain("config_sensitive", true);
  const cfgName = asStringMap(after.config).name ?? asStringMap(before.config).name ?? after.name ?? before.name;
  return {
    name: typeof cfgName === "string" && subMark(change.after_sensitive, "name") !== true ? cfgName : undefined,
    keys: keys.sort((x, y) => x.key.localeCompare(y.key)),
    unchanged,
    unknown: configUnknown || undefined,
  };
}

// ---------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------

export function kindOf(rc: PlanResourceChange): ChangeKind {
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


export function emptyCounts(): Counts {
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

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

export const COMMENT_MARKER = "<!-- bridge-to-azure-plan -->";
/** GitHub refuses comment bodies over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65536;

/** One stack's part of the report: a plan summary, or why there is none. */
export interface StackReport {
  readonly stack: string;
  readonly summary?: PlanSummary;
  /** The plan failed: a short, already-redacted message. */
  readonly error?: string;
  /** Not planned on purpose (e.g. no credentials for it here). */
  readonly skipped?: string;
}

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

export function countsLine(c: Counts): string {
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
