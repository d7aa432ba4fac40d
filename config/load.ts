import { Construct } from "constructs";
import { resolveConfig, ResolvedConfig } from "./resolve";
import { BridgeConfig, DeepPartial } from "./types";
import { ConfigError } from "./validate";

/** Named environment variables and the field each sets (numbers and booleans are parsed). */
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

function parseScalar(raw: string): unknown {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  if (raw === "true" || raw === "false") return raw === "true";
  return raw;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = (node[key] as Record<string, unknown>) ?? {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** The layer from the environment: BRIDGE_CONFIG (JSON) first, then the named variables. */
export function environmentLayers(env: NodeJS.ProcessEnv): DeepPartial<BridgeConfig>[] {
  const layers: DeepPartial<BridgeConfig>[] = [];
  if (env.BRIDGE_CONFIG) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.BRIDGE_CONFIG);
    } catch (e) {
      throw new ConfigError([{ field: "BRIDGE_CONFIG", value: undefined, rule: `must be a JSON object (${(e as Error).message})` }]);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError([{ field: "BRIDGE_CONFIG", value: parsed, rule: "must be a JSON object" }]);
    }
    layers.push(parsed as DeepPartial<BridgeConfig>);
  }
  const named: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const raw = env[name];
    if (raw !== undefined && raw !== "") setPath(named, path, parseScalar(raw));
  }
  layers.push(named as DeepPartial<BridgeConfig>);
  return layers;
}

/** Configuration for an app: defaults ← cdktf.json context "bridge" ← environment. */
export function loadConfig(scope: Construct, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const context = scope.node.tryGetContext("bridge") as DeepPartial<BridgeConfig> | undefined;
  return resolveConfig(context ?? {}, ...environmentLayers(env));
}
