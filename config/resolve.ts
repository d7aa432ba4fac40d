import { createHash } from "crypto";
import { DEFAULTS } from "./defaults";
import { BridgeConfig, DeepPartial } from "./types";
import { ConfigError, ConfigProblem } from "./problems";
import { DEFAULT_STATE_CONTAINER, SCHEMA } from "./schema";
import { mergeLayer } from "./schema-derive";
import { HostPort, validateConfig } from "./validate";

import { LATENCY_PROBE_TABLE, ORDER_LINE_TABLES } from "./tables";
import { brokerMetricsPort, brokerPorts, connectMetricsPort, defaultReplicationFactor } from "./kafka-layout";

/** A Kafka broker of the on-prem cluster. */
export interface BrokerEndpoint {
  readonly nodeId: number;
  readonly port: number;
  readonly controllerPort: number;
}

/** Values computed from the configuration, shared by every stack. */
export interface Derived {
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  /** The on-prem brokers' ports (their endpoints: stacks/deployment.ts). */
  readonly brokers: readonly BrokerEndpoint[];
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly connectPorts: readonly number[];
  /** Tables Debezium captures: onPrem.tables, and the latency probe's when it is on. */
  readonly capturedTables: readonly string[];
  /** Topic of each captured table: "<dc>_<table>". */
  readonly cdcTopics: readonly string[];
  /** The latency probe's topic, when onPrem.latencyProbe is on (config/tables.ts LATENCY_PROBE_TABLE). */
  readonly latencyProbeTopic?: string;
  /** Topics the bridge replicates to the cloud cluster. */
  readonly replicatedTopics: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly hostPorts: readonly HostPort[];
  /** Event Hubs namespace name (6–50 characters, globally unique). */
  readonly eventHubsNamespace: string;
  /** Virtual network created for the private endpoints (mode `private` without a subnet id). */
  readonly virtualNetworkName: string;
  /** Log Analytics workspace created for the lake's logs (when no workspace id is given). */
  readonly logAnalyticsWorkspaceName: string;
  /**
   * The Entra ID identity the deployed console reads the Azure lake as: observability.console.lakeReader
   * on a cloud target with the console enabled (locally the console reads Azurite with its key).
   * Undefined: none (no reader role, no Entra ID variables, no client secret to load).
   */
  readonly consoleLakeReader?: { readonly tenantId: string; readonly clientId: string; readonly objectId: string };
}

export interface ResolvedConfig extends BridgeConfig {
  readonly derived: Derived;
}

type Json = Record<string, unknown>;

/** The host ports the local topology binds, per the (merged) configuration. */
export function hostPortsOf(c: BridgeConfig): HostPort[] {
  const op = c.onPrem;
  const ports: HostPort[] = [{ field: "onPrem.database.port", port: op.database.port }];
  // Ports derived from a base only when the base is an integer: arithmetic on
  // a string ("19092" + 10·0 → "190920") would report a value nobody typed.
  const isInt = (x: unknown): boolean => typeof x === "number" && Number.isInteger(x);
  const brokers = isInt(op.kafka.brokers) && op.kafka.brokers > 0 && op.kafka.brokers < 10 ? op.kafka.brokers : 1;
  if (!isInt(op.kafka.basePort)) ports.push({ field: "onPrem.kafka.basePort", port: op.kafka.basePort });
  else {
    for (let i = 0; i < brokers; i++) {
      const label = i === 0 ? "onPrem.kafka.basePort" : `onPrem.kafka.basePort (broker ${i})`;
      const b = brokerPorts(op.kafka.basePort, i);
      ports.push({ field: label, port: b.port });
      ports.push({ field: `onPrem.kafka.basePort (controller of broker ${i}: basePort + ${b.controllerPort - op.kafka.basePort})`, port: b.controllerPort });
      ports.push({ field: `onPrem.kafka.basePort (metrics of broker ${i}: basePort + ${brokerMetricsPort(b.port) - op.kafka.basePort})`, port: brokerMetricsPort(b.port) });
    }
  }
  const workers = isInt(op.connect.workers) && op.connect.workers > 0 && op.connect.workers < 6 ? op.connect.workers : 1;
  if (!isInt(op.connect.basePort)) ports.push({ field: "onPrem.connect.basePort", port: op.connect.basePort });
  else {
    for (let i = 0; i < workers; i++) {
      ports.push({ field: i === 0 ? "onPrem.connect.basePort" : `onPrem.connect.basePort (worker ${i})`, port: op.connect.basePort + i });
      ports.push({ field: `onPrem.connect.basePort (metrics of worker ${i}: + ${connectMetricsPort(op.connect.basePort + i) - op.connect.basePort})`, port: connectMetricsPort(op.connect.basePort + i) });
    }
  }
  if (op.simulator.enabled) ports.push({ field: "onPrem.simulator.metricsPort", port: op.simulator.metricsPort });
  if (c.observability.prometheus.enabled) ports.push({ field: "observability.prometheus.port", port: c.observability.prometheus.port });
  if (c.observability.console.enabled !== false) ports.push({ field: "observability.console.port", port: c.observability.console.port });
  if (c.target === "local") {
    ports.push({ field: "local.kafkaPort", port: c.local.kafkaPort });
    if (isInt(c.local.kafkaPort)) ports.push({ field: "local.kafkaPort (metrics: + 2)", port: brokerMetricsPort(c.local.kafkaPort) });
    ports.push({ field: "local.sinkMetricsPort", port: c.local.sinkMetricsPort });
    ports.push({ field: "local.kafkaControllerPort", port: c.local.kafkaControllerPort });
    ports.push({ field: "local.azuriteBlobPort", port: c.local.azuriteBlobPort });
  }
  return ports;
}

/** Deterministic base-36 suffix: same seed, same name, on every machine and every synth. */
export function uniqueSuffix(seed: string, length: number): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return BigInt(`0x${hex}`).toString(36).padStart(length, "0").slice(0, length);
}

/**
 * Merges the layers over the defaults, fills dependent defaults, validates
 * everything and derives shared values. Throws ConfigError listing every
 * problem at once.
 */
export function resolveConfig(...layers: DeepPartial<BridgeConfig>[]): ResolvedConfig {
  const problems: ConfigProblem[] = [];
  let merged = DEFAULTS as unknown as Json;
  for (const layer of layers) {
    if (layer !== undefined) merged = mergeLayer(merged, layer as Json, SCHEMA, "", problems);
  }
  const m = merged as unknown as BridgeConfig;
  const c: BridgeConfig = {
    ...m,
    azure: {
      ...m.azure,
      eventHubs: { ...m.azure.eventHubs, enabled: m.azure.eventHubs.enabled ?? m.target === "event-hubs" },
    },
    // The probe row is written by Debezium through our image's grant; MySQL 8 stamps its own changes in µs.
    onPrem: { ...m.onPrem, latencyProbe: m.onPrem.latencyProbe ?? m.onPrem.database.flavour === "mariadb" },
    // The way back computes stock from both order-line topics: replicated by default when it is on.
    replication: { ...m.replication, topics: m.replication.topics ?? (m.writeBack.enabled ? ORDER_LINE_TABLES : ORDER_LINE_TABLES.slice(0, 1)).map((t) => `${m.onPrem.dc}_${t}`) },
    backend: m.backend.type === "azurerm" ? { ...m.backend, containerName: m.backend.containerName ?? DEFAULT_STATE_CONTAINER } : m.backend,
  };
  const hostPorts = hostPortsOf(c);
  const defaulted = new Set(m.replication.topics === undefined ? ["replication.topics"] : []);
  problems.push(...validateConfig(c, hostPorts, { defaulted }));
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...c, derived: derive(c, hostPorts) };
}

function derive(c: BridgeConfig, hostPorts: HostPort[]): Derived {
  const sa = c.azure.storageAccount;
  const seed = sa.suffixSeed ?? `${c.project}-${c.environment}-${c.azure.location}`;
  const storageAccountName = sa.name ?? (sa.suffix === "hash" ? sa.prefix + uniqueSuffix(seed, sa.suffixLength) : sa.prefix);
  const k = c.onPrem.kafka;
  const brokers = Array.from({ length: k.brokers }, (_, i) => ({ nodeId: i + 1, ...brokerPorts(k.basePort, i) }));
  const replicationFactor = k.replicationFactor ?? defaultReplicationFactor(k.brokers);
  const probe = c.onPrem.latencyProbe === true;
  const capturedTables = [...c.onPrem.tables, ...(probe && !c.onPrem.tables.includes(LATENCY_PROBE_TABLE) ? [LATENCY_PROBE_TABLE] : [])];
  const probeTopic = probe ? `${c.onPrem.dc}_${LATENCY_PROBE_TABLE}` : undefined;
  const reader = c.observability.console.lakeReader;
  // validate.ts has checked that the three come together.
  const consoleLakeReader =
    c.target !== "local" && c.observability.console.enabled && reader.tenantId && reader.clientId && reader.objectId
      ? { tenantId: reader.tenantId, clientId: reader.clientId, objectId: reader.objectId }
      : undefined;
  return {
    resourceGroupName: c.azure.resourceGroupName ?? `rg-${c.project}-${c.environment}`,
    storageAccountName,
    brokers,
    replicationFactor,
    minInsyncReplicas: k.minInsyncReplicas ?? Math.max(1, replicationFactor - 1),
    connectPorts: Array.from({ length: c.onPrem.connect.workers }, (_, i) => c.onPrem.connect.basePort + i),
    capturedTables,
    cdcTopics: capturedTables.map((t) => `${c.onPrem.dc}_${t}`),
    latencyProbeTopic: probeTopic,
    // The probe travels every hop the data does.
    replicatedTopics: [...(c.replication.topics ?? []), ...(probeTopic && !(c.replication.topics ?? []).includes(probeTopic) ? [probeTopic] : [])],
    tags: { ...c.azure.tags, project: c.project, environment: c.environment, "managed-by": "cdktf" },
    hostPorts,
    eventHubsNamespace: `evhns-${c.project}-${c.environment}-${storageAccountName.slice(-6)}`,
    virtualNetworkName: `vnet-${c.project}-${c.environment}`,
    logAnalyticsWorkspaceName: `log-${c.project}-${c.environment}`,
    consoleLakeReader,
  };
}
