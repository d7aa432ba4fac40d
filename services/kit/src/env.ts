/**
 * A service's environment contract as one schema (12-factor: configuration from the environment
 * only). Each entry holds a variable's default, its rule and its parser once; from the schema come
 * the values (`EnvReader`), `--help` (`envHelp`) and the README table (`envTable`). `EnvReader`
 * collects every problem (field, value, rule) and `done()` throws them at once as a ConfigError.
 *
 *   export const ENV = defineEnv({
 *     DB_PORT: int({ default: 3306, min: 1, max: 65535 }),
 *     DB_PASSWORD_FILE: secretFile({ required: true, doc: "…", rejects: { name: "DB_PASSWORD", what: "the password" } }),
 *   });
 *   const c = new EnvReader(ENV, process.env);
 *   const port = c.get("DB_PORT");
 *   c.done();
 */
import { ConfigError, ConfigIssue } from "./config-error";
import { LOG_LEVELS, LogLevel } from "./logger";
import { ReadFile, readFileUtf8, readSecretFile } from "./secret-file";

export type Env = Readonly<Record<string, string | undefined>>;

/** What a parser is handed for one variable. */
export interface EnvInput {
  /** Trimmed; undefined when unset or blank. */
  readonly value: string | undefined;
  /** Exactly as in the environment (a set-but-empty value can mean something: heartbeatPath). */
  readonly raw: string | undefined;
  /** Records a problem with this variable; `value` defaults to the trimmed value. */
  fail(rule: string, value?: string): void;
}

/**
 * One variable. `T` is its value; `O` what `EnvReader.get` supplies when the schema can only describe
 * it (a default or bound derived from another variable).
 */
export interface EnvVar<T, O = never> {
  /** Default column: the default value (`literal`), or what stands there instead ("(required)", "SIM_CONCURRENCY + 1"). */
  readonly defaultDoc: { readonly text: string; readonly literal: boolean };
  /** Rule column. */
  readonly ruleDoc: string;
  /** The value; on a problem it calls `input.fail` and returns a stand-in (the default). */
  read(input: EnvInput, options: O | undefined): T;
  /** A plain variable refused because this one (a secret file) replaces it. */
  readonly rejects?: RejectedVariable;
}

export type EnvSchema = Readonly<Record<string, EnvVar<any, any>>>;
export type EnvValue<V> = V extends EnvVar<infer T, infer _O> ? T : never;
export type EnvOptions<V> = V extends EnvVar<infer _T, infer O> ? O : never;

/** Keeps the literal keys (in order: the order of --help and the README table). */
export const defineEnv = <S extends EnvSchema>(schema: S): S => schema;

const literal = (text: string) => ({ text, literal: true });
const described = (text: string) => ({ text, literal: false });
const withNote = (rule: string, note: string | undefined) => (note === undefined ? rule : `${rule}: ${note}`);

// --- entries ------------------------------------------------------------------------------------

export interface IntSpec {
  /** The default, or a description of a default that `get` supplies (`{ default: … }`) because it is derived. */
  readonly default?: number | string;
  /** Default column when there is no default ("(random)"). @default "-" */
  readonly unset?: string;
  readonly min: number;
  /** Number.MAX_SAFE_INTEGER documents as ">= min"; a description ("KAFKA_SESSION_TIMEOUT_MS/3") means `get` supplies it. */
  readonly max: number | string;
  /** Appended to the rule column. */
  readonly note?: string;
}
export interface IntOptions {
  readonly default?: number;
  readonly max?: number;
}

/** A whole number in [min, max]; the problem says "must be an integer between min and max". */
export function int(spec: IntSpec & { readonly default: number }): EnvVar<number, IntOptions> & { readonly default: number };
export function int(spec: IntSpec & { readonly default: string }): EnvVar<number, IntOptions> & { readonly default: string };
export function int(spec: IntSpec): EnvVar<number | undefined, IntOptions>;
export function int(spec: IntSpec): EnvVar<number | undefined, IntOptions> & { readonly default?: number | string } {
  const range = spec.max === Number.MAX_SAFE_INTEGER ? `integer >= ${spec.min}` : `integer ${spec.min}..${spec.max}`;
  return {
    default: spec.default,
    defaultDoc: spec.default === undefined ? described(spec.unset ?? "-") : typeof spec.default === "number" ? literal(String(spec.default)) : described(spec.default),
    ruleDoc: withNote(range, spec.note),
    read({ value, fail }, o) {
      const def = typeof spec.default === "number" ? spec.default : o?.default;
      if (typeof spec.default === "string" && def === undefined) throw new Error(`int: the derived default (${spec.default}) must be supplied to get()`);
      const max = typeof spec.max === "number" ? spec.max : o?.max;
      if (max === undefined) throw new Error(`int: the derived maximum (${spec.max}) must be supplied to get()`);
      if (value === undefined) return def;
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < spec.min || n > max) {
        fail(`must be an integer between ${spec.min} and ${max}`);
        return def;
      }
      return n;
    },
  };
}

/** A decimal number in (0, max], no default (unset = undefined). */
export function positiveNumber(spec: { readonly max: number; readonly note?: string }): EnvVar<number | undefined> {
  return {
    defaultDoc: described("-"),
    ruleDoc: withNote(`number > 0 and <= ${spec.max}`, spec.note),
    read({ value, fail }) {
      if (value === undefined) return undefined;
      const n = Number(value);
      if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > spec.max) {
        fail(`must be a number greater than 0 and at most ${spec.max}`);
        return undefined;
      }
      return n;
    },
  };
}

/** true|1|yes or false|0|no, any case. */
export function bool(spec: { readonly default: boolean; readonly note?: string }): EnvVar<boolean> {
  return {
    defaultDoc: literal(String(spec.default)),
    ruleDoc: withNote("true|false", spec.note),
    read({ value, fail }) {
      if (value === undefined) return spec.default;
      if (/^(true|1|yes)$/i.test(value)) return true;
      if (/^(false|0|no)$/i.test(value)) return false;
      fail("must be true or false");
      return spec.default;
    },
  };
}

export interface TextSpec {
  /** Rule column (and, when `required`, the problem of an unset variable: "is required: <doc>"). */
  readonly doc: string;
  readonly default?: string;
  /** Default column when there is no default. @default "-" ("(required)" when required) */
  readonly unset?: string;
  readonly required?: boolean;
  /** The value must match this; else the problem is `mismatch` (@default "must match <pattern without ^ $>"). */
  readonly pattern?: RegExp;
  readonly mismatch?: string;
}

/** A string, optionally matched against a pattern; the service parses anything richer. */
export function text(spec: TextSpec & { readonly default: string }): EnvVar<string>;
export function text(spec: TextSpec): EnvVar<string | undefined>;
export function text(spec: TextSpec): EnvVar<string | undefined> {
  return {
    defaultDoc: spec.default !== undefined ? literal(spec.default) : described(spec.unset ?? (spec.required ? "(required)" : "-")),
    ruleDoc: spec.doc,
    read({ value, fail }) {
      if (value === undefined) {
        if (spec.required) fail(`is required: ${spec.doc}`);
        return spec.default;
      }
      if (spec.pattern && !spec.pattern.test(value)) {
        fail(spec.mismatch ?? `must match ${spec.pattern.source.replace(/^\^|\$$/g, "")}`);
        return spec.default;
      }
      return value;
    },
  };
}

export interface OneOfSpec<V extends string> {
  readonly default?: V;
  /** Default column when there is no default. */
  readonly unset?: string;
  readonly note?: string;
  /** The problem of any other value. @default "must be one of a|b|c" */
  readonly mismatch?: string;
}

/** One of a fixed list, compared in lower case. */
export function oneOf<const V extends string>(values: readonly V[], spec: OneOfSpec<V> & { readonly default: V }): EnvVar<V>;
export function oneOf<const V extends string>(values: readonly V[], spec: OneOfSpec<V> & { readonly unset: string }): EnvVar<V | undefined>;
export function oneOf<const V extends string>(values: readonly V[], spec: OneOfSpec<V>): EnvVar<V | undefined> {
  return {
    defaultDoc: spec.default !== undefined ? literal(spec.default) : described(spec.unset ?? "-"),
    ruleDoc: withNote(values.join("|"), spec.note),
    read({ value, fail }) {
      if (value === undefined) return spec.default;
      const v = value.toLowerCase() as V;
      if (values.includes(v)) return v;
      fail(spec.mismatch ?? `must be one of ${values.join("|")}`);
      return spec.default;
    },
  };
}

/** SERVICE_LOG_LEVEL: error|warn|info|debug, default info. */
export const logLevel = (): EnvVar<LogLevel> => oneOf(LOG_LEVELS, { default: "info" });

/** A value the service's own parser turns into `T` (e.g. a distribution or a path format). */
export function parsed<T>(spec: {
  readonly default: string;
  /** Default column when the default is "" (nothing). */
  readonly unset?: string;
  readonly doc: string;
  readonly parse: (value: string) => { readonly value: T } | { readonly error: string };
}): EnvVar<T> {
  const parseDefault = (): T => {
    const d = spec.parse(spec.default);
    if ("error" in d) throw new Error(`parsed: the default ${JSON.stringify(spec.default)} does not parse: ${d.error}`);
    return d.value;
  };
  return {
    defaultDoc: spec.default === "" ? described(spec.unset ?? "-") : literal(spec.default),
    ruleDoc: spec.doc,
    read({ value, fail }) {
      if (value === undefined) return parseDefault();
      const p = spec.parse(value);
      if ("error" in p) {
        fail(p.error);
        return parseDefault();
      }
      return p.value;
    },
  };
}

/**
 * The heartbeat file the container health check reads: an absolute path; set but empty disables
 * the heartbeat (unset = the default).
 */
export function heartbeatPath(defaultPath: string): EnvVar<string> & { readonly default: string } {
  return {
    default: defaultPath,
    defaultDoc: literal(defaultPath),
    ruleDoc: "absolute path, or empty to disable",
    read({ raw, fail }) {
      const path = raw === undefined ? defaultPath : raw.trim();
      if (path !== "" && !path.startsWith("/")) fail("must be an absolute path (or empty to disable)", path);
      return path;
    },
  };
}

/** The plain variable a secret file replaces; refused whenever it is set. */
export interface RejectedVariable {
  readonly name: string;
  /** "the password", "the account key". */
  readonly what: string;
  /** What goes in the file. @default "it" */
  readonly put?: string;
}

/**
 * The path of a file holding a secret (read with `EnvReader.secret`, so a service reads it only
 * when it needs it). `rejects` names the variable that must never carry the secret itself.
 */
export function secretFile(spec: { readonly doc: string; readonly required: true; readonly rejects?: RejectedVariable }): EnvVar<string | undefined>;
export function secretFile(spec: { readonly doc: string; readonly default: string; readonly rejects?: RejectedVariable }): EnvVar<string>;
export function secretFile(spec: { readonly doc: string; readonly unset?: string; readonly rejects?: RejectedVariable }): EnvVar<string | undefined>;
export function secretFile(spec: {
  readonly doc: string;
  readonly default?: string;
  readonly required?: boolean;
  readonly unset?: string;
  readonly rejects?: RejectedVariable;
}): EnvVar<string | undefined> {
  const path = text({ doc: spec.doc, default: spec.default, required: spec.required, unset: spec.unset });
  return { ...path, ruleDoc: spec.rejects ? `${spec.doc}; ${spec.rejects.name} is rejected` : spec.doc, rejects: spec.rejects };
}

// --- reading --------------------------------------------------------------------------------------

type Name<S> = keyof S & string;

export class EnvReader<S extends EnvSchema> {
  private readonly issues: ConfigIssue[] = [];

  /** Refuses at once every plain variable that a secret file of the schema replaces. */
  constructor(
    readonly schema: S,
    private readonly env: Env = process.env,
    private readonly readFile: ReadFile = readFileUtf8,
  ) {
    for (const [name, v] of Object.entries(schema)) {
      const r = v.rejects;
      if (r && env[r.name] !== undefined) {
        this.issues.push({ field: r.name, secret: true, rule: `${r.what} must not be passed in the environment; put ${r.put ?? "it"} in a file named by ${name}` });
      }
    }
  }

  /** The trimmed value; undefined when unset or blank. */
  raw(name: Name<S>): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  }

  get<K extends Name<S>>(name: K, options?: EnvOptions<S[K]>): EnvValue<S[K]> {
    const value = this.raw(name);
    const fail = (rule: string, v: string | undefined = value) => this.fail(name, v, rule);
    return this.schema[name]!.read({ value, raw: this.env[name], fail }, options) as EnvValue<S[K]>;
  }

  /** Several values at once, by the names of the result's fields: `pick({ port: "DB_PORT" })` = `{ port: get("DB_PORT") }`. */
  pick<M extends Readonly<Record<string, Name<S>>>>(names: M): { -readonly [P in keyof M]: EnvValue<S[M[P]]> } {
    const out: Record<string, unknown> = {};
    for (const [field, name] of Object.entries(names)) out[field] = this.get(name);
    return out as { -readonly [P in keyof M]: EnvValue<S[M[P]]> };
  }

  /** The text of the secret file at `path` (the value of `name`), or undefined after recording why not. */
  secret(name: Name<S>, path: string): string | undefined {
    const r = readSecretFile(path, this.readFile);
    if ("problem" in r) {
      this.fail(name, path, r.problem);
      return undefined;
    }
    return r.text;
  }

  fail(name: Name<S>, value: string | undefined, rule: string): void {
    this.issues.push({ field: name, value, rule });
  }

  /** A rule across several variables: every one is named with its value. */
  conflict(names: readonly Name<S>[], rule: string): void {
    const [first, ...rest] = names.map((n) => ({ field: n, value: this.raw(n) }));
    this.issues.push({ ...first!, rule, with: rest });
  }

  /** Throws a ConfigError with every problem found so far, if there is one. */
  done(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues);
  }
}

// --- documentation -----------------------------------------------------------------------------------

/** `--help`: a title line, then one line per variable: name, default, rule. */
export function envHelp(title: string, schema: EnvSchema): string {
  const rows = Object.entries(schema).map(([name, v]) => [name, v.defaultDoc.text, v.ruleDoc] as const);
  const nameWidth = Math.max(...rows.map((r) => r[0].length));
  // Long defaults (paths) overflow the column rather than push every rule far right.
  const defaultWidth = Math.min(24, Math.max(...rows.map((r) => r[1].length)));
  return `${title} — environment variables (default; rule):\n${rows.map(([n, d, r]) => `  ${n.padEnd(nameWidth)} ${d.padEnd(defaultWidth)} ${r}\n`).join("")}`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The README table (Markdown): literal defaults as code. */
export function envTable(schema: EnvSchema): string {
  const rows = Object.entries(schema).map(
    ([name, v]) => `| \`${name}\` | ${v.defaultDoc.literal ? `\`${v.defaultDoc.text}\`` : cell(v.defaultDoc.text)} | ${cell(v.ruleDoc)} |`,
  );
  return ["| variable | default | rule |", "| --- | --- | --- |", ...rows].join("\n") + "\n";
}

/** Markers around the generated table in a README. */
export const ENV_TABLE_BEGIN = "<!-- env table: generated from the service's env schema (src/env.ts); a unit test keeps it equal -->";
export const ENV_TABLE_END = "<!-- end of env table -->";

/** The text between the markers (undefined when a marker is missing). */
export function readmeEnvTable(readme: string): string | undefined {
  const begin = readme.indexOf(ENV_TABLE_BEGIN);
  const end = readme.indexOf(ENV_TABLE_END);
  if (begin < 0 || end < begin) return undefined;
  return readme.slice(begin + ENV_TABLE_BEGIN.length, end).replace(/^\n/, "");
}

/** The README with `table` between the markers (they must be there). */
export function withReadmeEnvTable(readme: string, table: string): string {
  if (readmeEnvTable(readme) === undefined) throw new Error(`the README has no ${ENV_TABLE_BEGIN} … ${ENV_TABLE_END} markers`);
  return readme.slice(0, readme.indexOf(ENV_TABLE_BEGIN) + ENV_TABLE_BEGIN.length) + "\n" + table + readme.slice(readme.indexOf(ENV_TABLE_END));
}
