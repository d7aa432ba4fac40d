/**
 * The parts of `terraform show -json <planfile>` (format_version 1.x) the
 * summarizer reads, and the check that an input is such a plan.
 */

export type Action = "no-op" | "create" | "read" | "update" | "delete" | "forget";

/** `true`, `false`, or a tree shaped like the value with `true` at marked leaves. */
export type MarkTree = boolean | MarkTree[] | { [key: string]: MarkTree } | undefined | null;

/** A change of values with sensitivity marks: what outputs carry, and resources too. */
export interface PlanOutputChange {
  readonly actions: Action[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: MarkTree;
  readonly before_sensitive?: MarkTree;
  readonly after_sensitive?: MarkTree;
}

export interface PlanChange extends PlanOutputChange {
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
