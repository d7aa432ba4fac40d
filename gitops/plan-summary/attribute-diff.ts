/**
 * Attribute diff of one resource instance: before and after walked together,
 * every changed leaf masked by its sensitivity and unknown marks.
 */
import { MarkTree } from "./plan-json";
import { anyMarked, deepEqual, isObject, Key, Shown, shown, subMark } from "./masking";

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

function isIdentifier(k: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k);
}

function formatPath(path: readonly Key[]): string {
  let out = "";
  for (const k of path) {
    if (typeof k === "number") out += `[${k}]`;
    else if (isIdentifier(k)) out += out ? `.${k}` : k;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out;
}

export interface Side {
  readonly value: unknown;
  readonly sensitive: MarkTree;
  readonly unknown: MarkTree;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function pathStartsWith(path: readonly Key[], prefix: readonly Key[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => String(path[i]) === String(k));
}

export interface DiffContext {
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
export function diffInto(ctx: DiffContext, path: Key[], b: Side | undefined, a: Side | undefined): void {
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
