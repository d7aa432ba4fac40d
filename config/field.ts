/**
 * The building blocks of the configuration schema (schema.ts): one Field per
 * configuration value, with its type, default, rule on its own value, named
 * environment variable and one-line doc. Everything else about a field
 * (defaults, merge shape, named variables, per-field validation, the README
 * table, the TypeScript types) is derived from these (schema-derive.ts).
 */

/** A rule on a field's own value. Rules that look at other fields are code in validate.ts. */
export type Rule =
  | {
      readonly kind: "pattern";
      readonly re: RegExp;
      /** The problem's rule, e.g. "must be 3–24 lowercase letters and digits". */
      readonly message: string;
      /** The README's rule, where it is not the message without "must be ". */
      readonly summary?: string;
      /** Never echo the value (a secret may have been pasted here). */
      readonly hideValue?: boolean;
    }
  | { readonly kind: "oneOf"; readonly values: readonly string[] }
  | { readonly kind: "int"; readonly min: number; readonly max: number }
  | { readonly kind: "bool" }
  /** A loopback port of the local topology: validate.ts checks it with the ports derived from it (range, collisions). */
  | { readonly kind: "port" }
  /** Checked by code in validate.ts; `summary` says what, for the README. */
  | { readonly kind: "code"; readonly summary: string }
  /** Any text: nothing checks it. */
  | { readonly kind: "none" };

/** Rules a text field may carry. */
export type TextRule = Extract<Rule, { kind: "pattern" | "code" | "none" }>;

/** How an environment variable's text becomes the field's value. */
export type ValueKind = "text" | "number" | "boolean" | "list" | "map";

/** Only check the rule when another field has a value (undefined: is unset); then an unset value breaks it too. */
export interface When {
  readonly field: string;
  readonly is: string | undefined;
}

export interface FieldSpec<T> {
  /** The value when no layer sets one. A field without one is optional in BridgeConfig. @default none */
  readonly default?: T;
  /** The README's default, where the value is computed from other fields (resolve.ts) or the literal reads badly. @default the literal default */
  readonly defaultDoc?: string;
  /** Named environment variable that sets the field, its text parsed by the field's type. @default none */
  readonly env?: `BRIDGE_${string}`;
  /** What the field means, in one line (the README's last column). */
  readonly doc: string;
  /** @default the rule is checked whenever the field is set */
  readonly when?: When;
}

export class Field<T = unknown, Optional extends boolean = boolean> {
  /** Type level only: true for a field without a literal default (it may be unset after the defaults). */
  declare readonly optional: Optional;

  constructor(
    readonly valueKind: ValueKind,
    readonly rule: Rule,
    readonly spec: FieldSpec<T>,
  ) {}
}

/** A level of the configuration: fields and further levels, by key. */
export interface Group {
  readonly [key: string]: Field | Group;
}

type Opt<S> = S extends { readonly default: unknown } ? false : true;

export function pattern(re: RegExp, message: string, more: { readonly summary?: string; readonly hideValue?: boolean } = {}): TextRule {
  return { kind: "pattern", re, message, ...more };
}

export function code(summary: string): TextRule {
  return { kind: "code", summary };
}

export const ANY_TEXT: TextRule = { kind: "none" };

export function text<S extends FieldSpec<string>>(rule: TextRule, spec: S): Field<string, Opt<S>> {
  return new Field("text", rule, spec);
}

export function oneOf<const T extends string, S extends FieldSpec<T>>(values: readonly T[], spec: S): Field<T, Opt<S>> {
  return new Field("text", { kind: "oneOf", values }, spec);
}

export function int<S extends FieldSpec<number>>(min: number, max: number, spec: S): Field<number, Opt<S>> {
  return new Field("number", { kind: "int", min, max }, spec);
}

export function port<S extends FieldSpec<number>>(spec: S): Field<number, Opt<S>> {
  return new Field("number", { kind: "port" }, spec);
}

export function bool<S extends FieldSpec<boolean>>(spec: S): Field<boolean, Opt<S>> {
  return new Field("boolean", { kind: "bool" }, spec);
}

export function list<S extends FieldSpec<readonly string[]>>(rule: TextRule, spec: S): Field<readonly string[], Opt<S>> {
  return new Field("list", rule, spec);
}

/** A list of objects (no default: optional), each entry checked by code (resolve.ts, validate.ts); `rule` says what, for the README. */
export function objects<T>(rule: TextRule, spec: FieldSpec<readonly T[]>): Field<readonly T[], true> {
  return new Field("list", rule, spec);
}

/** An object of free-form names to text values (its keys are not fields). */
export function map<S extends FieldSpec<Readonly<Record<string, string>>>>(rule: TextRule, spec: S): Field<Readonly<Record<string, string>>, Opt<S>> {
  return new Field("map", rule, spec);
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type OptionalKeys<G> = { [K in keyof G]: G[K] extends Field<unknown, true> ? K : never }[keyof G];
type ValueOf<N> = N extends Field<infer T, boolean> ? T : ConfigOf<N>;

/** The configuration a group describes: a field with a default is required, one without is optional. */
export type ConfigOf<G> = Simplify<
  { readonly [K in Exclude<keyof G, OptionalKeys<G>>]: ValueOf<G[K]> } & { readonly [K in OptionalKeys<G>]?: ValueOf<G[K]> }
>;
