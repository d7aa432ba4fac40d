import { readFileSync } from "fs";
import { join } from "path";
import { resolveConfig, ResolvedConfig } from "../../config";
import { environmentLayers } from "../../config/load";

/** Project root (scripts run from dist/scripts/…). */
export const ROOT = join(__dirname, "..", "..", "..");

/** The same configuration the CDKTF app resolves: cdktf.json context "bridge", then the environment. */
export function projectConfig(env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const cdktf = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { context?: { bridge?: object } };
  return resolveConfig(cdktf.context?.bridge ?? {}, ...environmentLayers(env));
}
