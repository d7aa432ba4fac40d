/**
 * checkov's findings against the findings the constructs accept
 * (constructs/checkov.ts): pure, so the rule is unit-tested.
 */
import { ACCEPTED_KEY } from "../../constructs/checkov";

/** One failed check of checkov's JSON report (`results.failed_checks[]`). */
export interface Finding {
  readonly check_id: string;
  /** "azurerm_storage_account.lake_account_92054329" or, from the JSON runner, "resource.lake_account_92054329". */
  readonly resource: string;
}

export interface Verdict {
  /** Findings no construct accepts: each fails the check. */
  readonly unaccepted: readonly Finding[];
  /** Accepted findings that no longer occur: stale exceptions, which fail it too (the reason would mislead). */
  readonly stale: readonly { readonly check: string; readonly resource: string }[];
  /** Accepted findings that occurred, with their reasons. */
  readonly accepted: readonly { readonly check: string; readonly resource: string; readonly reason: string }[];
}

/** The accepted findings of a synthesized stack: cdktf's unique id of each resource → check → reason. */
export function acceptedOf(stackJson: { resource?: Record<string, Record<string, { "//"?: Record<string, unknown> }>> }): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const byName of Object.values(stackJson.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const accepted = body["//"]?.[ACCEPTED_KEY] as Record<string, string> | undefined;
      if (accepted) out.set(name, accepted);
    }
  }
  return out;
}

/** Compares a stack's findings with what its constructs accept. */
export function judge(findings: readonly Finding[], accepted: ReadonlyMap<string, Record<string, string>>): Verdict {
  const name = (resource: string) => resource.slice(resource.lastIndexOf(".") + 1);
  const seen = new Set<string>();
  const unaccepted: Finding[] = [];
  const hits: { check: string; resource: string; reason: string }[] = [];
  for (const f of findings) {
    const reason = accepted.get(name(f.resource))?.[f.check_id];
    if (reason === undefined) unaccepted.push(f);
    else {
      const key = `${name(f.resource)} ${f.check_id}`;
      if (!seen.has(key)) hits.push({ check: f.check_id, resource: name(f.resource), reason });
      seen.add(key);
    }
  }
  const stale = [...accepted].flatMap(([resource, checks]) => Object.keys(checks).filter((check) => !seen.has(`${resource} ${check}`)).map((check) => ({ check, resource })));
  return { unaccepted, stale, accepted: hits };
}
