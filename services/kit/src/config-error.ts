/**
 * A configuration problem names the variable, the value as read and the rule it breaks; a service
 * collects every problem and stops once with all of them (exit 2), so one start shows them all.
 */

/** One broken rule. */
export interface ConfigIssue {
  /** The variable. */
  readonly field: string;
  /** Its value as read (trimmed); undefined = unset. Never set for a secret (`secret`). */
  readonly value?: string;
  /** What the value must be, or what is wrong with it: "must be an integer between 1 and 65535". */
  readonly rule: string;
  /** The variable holds a secret that must not be echoed: the line says "<field> is set". */
  readonly secret?: boolean;
  /** The other variables a rule across several is about ("set at most one of …"), with their values. */
  readonly with?: ReadonlyArray<{ readonly field: string; readonly value?: string }>;
}

const shown = (value: string | undefined): string => (value === undefined ? "(unset)" : JSON.stringify(value));

/** `DB_PORT="70000": must be …`, `A="1", B="2": set at most one of …`, `DB_PASSWORD is set: …`. */
export function formatIssue(issue: ConfigIssue): string {
  if (issue.secret) return `${issue.field} is set: ${issue.rule}`;
  const fields = [{ field: issue.field, value: issue.value }, ...(issue.with ?? [])];
  return `${fields.map((f) => `${f.field}=${shown(f.value)}`).join(", ")}: ${issue.rule}`;
}

export class ConfigError extends Error {
  /** The issues as lines, in the order they were found. */
  readonly problems: string[];

  constructor(readonly issues: readonly ConfigIssue[]) {
    const problems = issues.map(formatIssue);
    super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** The problem lines of the ConfigError that `load` throws; [] when it loads (for tests). Any other error is thrown on. */
export function configProblems(load: () => unknown): string[] {
  try {
    load();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}
