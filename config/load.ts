import { Construct } from "constructs";
import { DEFAULTS } from "./defaults";
import { describeOffset, jsonSyntaxErrorOffset } from "./json-syntax";
import { resolveConfig, ResolvedConfig } from "./resolve";
import { BridgeConfig, DeepPartial } from "./types";
import { ConfigError } from "./problems";

/**
 * Named environment variables and the field each sets. The text is parsed by
 * the type of the field's default: numbers and booleans are parsed, every
 * other field keeps the text as it is (BRIDGE_STORAGE_ACCOUNT=123456789 is
 * the name "123456789"). Set but empty means unset, with a warning.
 */
export const ENV_OVERRIDES: Readonly<Record<string, string>> = {
  BRIDGE_PROJECT: "project",
  BRIDGE_ENVIRONMENT: "environment",
  BRIDGE_TARGET: "target",
  BRIDGE_AZURE_LOCATION: "azure.location",
  BRIDGE_STORAGE_ACCOUNT: "azure.storageAccount.name",
  BRIDGE_SINK_PRINCIPAL_ID: "azure.sinkPrincipalId",
  BRIDGE_DOCKER_HOST: "onPrem.dockerHost",
  BRIDGE_DB_FLAVOUR: "onPrem.database.flavour",
  BRIDGE_DB_IMAGE: "onPrem.database.image",
  BRIDGE_KAFKA_BROKERS: "onPrem.kafka.brokers",
  BRIDGE_CONNECT_WORKERS: "onPrem.connect.workers",
  BRIDGE_SIMULATOR_INTERVAL_MS: "onPrem.simulator.intervalMs",
  BRIDGE_SIMULATOR_ENABLED: "onPrem.simulator.enabled",
  BRIDGE_CONFLUENT_BOOTSTRAP: "confluentCloud.bootstrapServers",
  BRIDGE_DOCKER_PROVIDER_VERSION: "providers.docker",
};

/** The text of a named variable as the value of `path`; what does not parse stays text, for validation to report. */
function parseFor(path: string, raw: string): unknown {
  const fallback: unknown = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], DEFAULTS);
  if (typeof fallback === "number") return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof fallback === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}

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
    else if (raw !== undefined) setPath(named, path, parseFor(path, raw));
  }
  layers.push(named as DeepPartial<BridgeConfig>);
  return layers;
}

/** Configuration for an app: defaults ← cdktf.json context "bridge" ← environment. */
export function loadConfig(scope: Construct, env: NodeJS.ProcessEnv = process.env, warn: Warn = stderrWarn): ResolvedConfig {
  const context = scope.node.tryGetContext("bridge") as DeepPartial<BridgeConfig> | undefined;
  return resolveConfig(context ?? {}, ...environmentLayers(env, warn));
}
