import { Construct } from "constructs";
import { describeOffset, jsonSyntaxErrorOffset } from "./json-syntax";
import { resolveConfig, ResolvedConfig } from "./resolve";
import { BridgeConfig, DeepPartial } from "./types";
import { ConfigError } from "./problems";
import { ENV_OVERRIDES, parseNamed } from "./schema-derive";

/** Where warnings go: stderr, beside the synth's own output. */
export type Warn = (message: string) => void;
const stderrWarn: Warn = (message) => console.error(message);

const JSON_TYPE = (x: unknown): string => (x === null ? "null" : Array.isArray(x) ? "a list" : typeof x === "string" ? "a string" : typeof x === "number" ? "a number" : typeof x);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = (node[key] as Record<string, unknown>) ?? {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/**
 * The layer from the environment: BRIDGE_CONFIG (JSON) first, then the named
 * variables. An empty BRIDGE_CONFIG is unset (workflows pass
 * `${{ vars.BRIDGE_CONFIG }}`, empty where the variable is not defined).
 */
export function environmentLayers(env: NodeJS.ProcessEnv, warn: Warn = stderrWarn): DeepPartial<BridgeConfig>[] {
  const layers: DeepPartial<BridgeConfig>[] = [];
  const text = env.BRIDGE_CONFIG;
  if (text) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Position only: the text (and JSON.parse's message, which may quote it) could be a pasted secret.
      const offset = jsonSyntaxErrorOffset(text);
      const where = offset === undefined ? "" : `: syntax error at ${describeOffset(text, offset)}`;
      throw new ConfigError([{ field: "BRIDGE_CONFIG", value: text, rule: `must be a JSON object, but is not valid JSON${where}`, hideValue: true }]);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError([{ field: "BRIDGE_CONFIG", value: text, rule: `must be a JSON object, not ${JSON_TYPE(parsed)}`, hideValue: true }]);
    }
    layers.push(parsed as DeepPartial<BridgeConfig>);
  }
  const named: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const raw = env[name];
    if (raw === "") warn(`bridge-to-azure: ${name} is set but empty, so it is ignored (${path} keeps its value from the other layers); unset it to silence this warning`);
    else if (raw !== undefined) setPath(named, path, parseNamed(path, raw));
  }
  layers.push(named as DeepPartial<BridgeConfig>);
  return layers;
}

/** Configuration for an app: defaults ← cdktf.json context "bridge" ← environment. */
export function loadConfig(scope: Construct, env: NodeJS.ProcessEnv = process.env, warn: Warn = stderrWarn): ResolvedConfig {
  const context = scope.node.tryGetContext("bridge") as DeepPartial<BridgeConfig> | undefined;
  return resolveConfig(context ?? {}, ...environmentLayers(env, warn));
}
