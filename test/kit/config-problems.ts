import { ConfigError, resolveConfig } from "../../config";
import { BridgeConfig, DeepPartial } from "../../config/types";

/** The problems resolveConfig reports for an input, as "field — rule" lines (none: []). */
export function problemsOf(input: DeepPartial<BridgeConfig>): string[] {
  try {
    resolveConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.field} — ${p.rule}`);
    throw e;
  }
  return [];
}
