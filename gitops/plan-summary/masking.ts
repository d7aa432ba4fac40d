/**
 * Values, marks and paths: how a value from the plan becomes text that may be
 * shown. Terraform's JSON carries sensitive values in clear text; only the
 * parallel mark trees (before_sensitive/after_sensitive, after_unknown) say
 * which parts are secret or unknown, so every shown value goes through them.
 */
import { MarkTree } from "./plan-json";

/** A value as it may be shown: already masked, unknown-marked and truncated. */
export type Shown = string;

export const SENSITIVE = "(sensitive)";
export const UNKNOWN = "(known after apply)";
export const NULL = "null";

export type Key = string | number;

export function isObject(x: unknown): x is Record<string, unknown> {
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

function truncate(s: string, max: number): string {
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

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
