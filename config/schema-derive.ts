/**
 * What the schema (schema.ts) implies, derived rather than written again:
 * the defaults, the merge of a layer (which keys are fields, which are
 * levels, which are free-form maps), the named environment variables and
 * each field's own rule.
 */
import { ConfigOf, Field, Group } from "./field";
import { ConfigProblem, didYouMean, Validator } from "./problems";
import { SCHEMA } from "./schema";

type Json = Record<string, unknown>;

function isPlainObject(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A field with its dotted path ("onPrem.kafka.brokers"). */
export interface SchemaField {
  readonly path: string;
  readonly field: Field;
}

function fieldsOf(group: Group, prefix: string): SchemaField[] {
  return Object.entries(group).flatMap(([key, node]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return node instanceof Field ? [{ path, field: node }] : fieldsOf(node, path);
  });
}

/** Every field, in the schema's order. */
export const FIELDS: readonly SchemaField[] = fieldsOf(SCHEMA, "");

const FIELD_AT: ReadonlyMap<string, Field> = new Map(FIELDS.map(({ path, field }) => [path, field]));

/** The literal default of every field that has one; every level is an object, even an empty one. */
export function defaultsOf<G extends Group>(group: G): ConfigOf<G> {
  const out: Json = {};
  for (const [key, node] of Object.entries(group)) {
    if (!(node instanceof Field)) out[key] = defaultsOf(node);
    else if (node.spec.default !== undefined) out[key] = node.spec.default;
  }
  // Sound by construction: ConfigOf makes exactly the fields without a default optional.
  return out as ConfigOf<G>;
}

/** The value at a dotted path of an untyped configuration (undefined where a level is missing). */
export function valueAt(config: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), config);
}

/**
 * Deep merge of one layer over `base`: levels merge key by key, a field's
 * value (a list or a map too) replaces. A key that is not in the schema is
 * reported, so a typo never silently falls back to a default.
 */
export function mergeLayer(base: Json, layer: Json, group: Group, path: string, problems: ConfigProblem[]): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(layer)) {
    const field = path ? `${path}.${key}` : key;
    if (value === undefined) continue;
    // hasOwn, not `in`: "constructor", "toString" and the like are inherited by every object, not fields.
    if (!Object.hasOwn(group, key)) {
      const rule = `is not a configuration field (check the spelling; see README › Configuration)${didYouMean(key, Object.keys(group))}`;
      problems.push({ field, value, rule, hideValue: true });
      continue;
    }
    const node = group[key];
    if (!(node instanceof Field)) {
      if (isPlainObject(value)) out[key] = mergeLayer(isPlainObject(base[key]) ? base[key] : {}, value, node, field, problems);
      else problems.push({ field, value, rule: "must be an object" });
    } else if (node.valueKind === "map" && !isPlainObject(value)) {
      // A list or a string spread into a map would give entries named "0", "1", …
      problems.push({ field, value, rule: 'must be an object of names to values, e.g. {"owner": "data"}' });
    } else {
      out[key] = value;
    }
  }
  return out;
}

function namedVariables(): Readonly<Record<string, string>> {
  const named: Record<string, string> = {};
  for (const { path, field } of FIELDS) {
    const name = field.spec.env;
    if (name === undefined) continue;
    if (Object.hasOwn(named, name)) throw new Error(`config/schema.ts: ${name} names both ${named[name]} and ${path}`);
    named[name] = path;
  }
  return named;
}

/** Named environment variables and the field each sets (the `env` of the schema's fields). */
export const ENV_OVERRIDES: Readonly<Record<string, string>> = namedVariables();

/**
 * The text of a named variable as the value of the field at `path`: numbers
 * and booleans are parsed, any other field keeps the text as it is
 * (BRIDGE_STORAGE_ACCOUNT=123456789 is the name "123456789"). What does not
 * parse stays text, for validation to report.
 */
export function parseNamed(path: string, raw: string): unknown {
  const kind = FIELD_AT.get(path)?.valueKind;
  if (kind === "number") return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (kind === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}

/**
 * Each field's own rule, in the schema's order. A field is checked when it
 * is set or, with `when`, whenever the other field has that value. Ports are
 * checked by validate.ts with the ports derived from them, "code" rules are
 * validate.ts's.
 */
export function checkFields(v: Validator, config: unknown): void {
  for (const { path, field } of FIELDS) {
    const { rule, spec } = field;
    const value = valueAt(config, path);
    if (spec.when ? valueAt(config, spec.when.field) !== spec.when.is : value === undefined) continue;
    if (rule.kind === "pattern") v.matches(path, value, rule.re, rule.message, rule.hideValue);
    else if (rule.kind === "oneOf") v.oneOf(path, value, rule.values);
    else if (rule.kind === "int") v.int(path, value, rule.min, rule.max);
    else if (rule.kind === "bool") v.bool(path, value);
  }
}
