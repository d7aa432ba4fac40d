/** How a broken configuration is reported: problems (field, value, rule), collected by a Validator, thrown as one ConfigError. */

/** One broken rule: which field, what it held, what it must be. */
export interface ConfigProblem {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  /** Print "<hidden>" instead of the value (it may be a secret pasted by mistake). */
  readonly hideValue?: boolean;
}

/** Thrown by resolveConfig with every problem at once, before any provider runs. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      `Invalid bridge-to-azure configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.field}: ${formatValue(p)} — ${p.rule}`).join("\n"),
    );
    this.name = "ConfigError";
    // A hidden value may be a secret typed in the wrong place: never keep it where a crash dump could print it.
    this.problems = problems.map((p) => (p.hideValue ? { ...p, value: "<hidden>" } : p));
  }
}

function formatValue(p: ConfigProblem): string {
  if (p.hideValue) return "<hidden>";
  if (p.value === undefined) return "(unset)";
  const s = JSON.stringify(p.value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * Collects the problems of a merged configuration. Works on untyped input
 * because values arrive from JSON and environment variables.
 */
export class Validator {
  private readonly problems: ConfigProblem[] = [];

  get all(): readonly ConfigProblem[] {
    return this.problems;
  }

  add(field: string, value: unknown, rule: string, hideValue = false): void {
    this.problems.push({ field, value, rule, hideValue });
  }

  /** True while no problem names `field` (so rules on other fields may build on its value). */
  passed(field: string): boolean {
    return !this.problems.some((p) => p.field === field);
  }

  matches(field: string, value: unknown, re: RegExp, rule: string, hideValue = false): value is string {
    if (typeof value === "string" && re.test(value)) return true;
    this.add(field, value, rule, hideValue);
    return false;
  }

  oneOf<T>(field: string, value: unknown, allowed: readonly T[]): value is T {
    if (allowed.includes(value as T)) return true;
    this.add(field, value, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    return false;
  }

  int(field: string, value: unknown, min: number, max: number): value is number {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return true;
    this.add(field, value, `must be an integer from ${min} to ${max}`);
    return false;
  }

  bool(field: string, value: unknown): value is boolean {
    if (typeof value === "boolean") return true;
    this.add(field, value, "must be true or false");
    return false;
  }

  port(field: string, value: unknown): value is number {
    return this.int(field, value, 1024, 65535);
  }
}

/** Edit distance (insert, delete, substitute), for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** ` (did you mean "x"?)` for the closest candidate within a few edits (case ignored), else "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best === undefined || best === word ? "" : ` (did you mean "${best}"?)`;
}
