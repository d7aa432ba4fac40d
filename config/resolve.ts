import { createHash } from "crypto";
import { DEFAULTS } from "./defaults";
import { BridgeConfig, DeepPartial, OnPremConfig } from "./types";
import { ConfigError, ConfigProblem, Validator } from "./problems";
import { DEFAULT_STATE_CONTAINER, SCHEMA } from "./schema";
import { mergeLayer } from "./schema-derive";
import { checkSites, HostPort, SitePorts, validateConfig } from "./validate";

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
  /** Topics the bridge replicates to the cloud cluster: every site's (with `sites`, first site first; a site's own are in `sites[i].derived`). */
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

/** What each site has of its own among the derived values (the top-level ones are the first site's). */
export type SiteDerived = Pick<
  Derived,
  "brokers" | "replicationFactor" | "minInsyncReplicas" | "connectPorts" | "capturedTables" | "cdcTopics" | "latencyProbeTopic" | "replicatedTopics"
> & {
  /** The site's own host ports (on its Docker host), named by the fields that set them. */
  readonly hostPorts: readonly HostPort[];
};

/** One on-prem site: its onPrem block (the entry of `sites` merged over `onPrem`) and what is derived from it. */
export interface ResolvedSite {
  /** Where its fields are named in problems: "onPrem" for the one site of a configuration without `sites`, else "sites[i]". */
  readonly field: string;
  readonly onPrem: OnPremConfig;
  readonly derived: SiteDerived;
}

export interface ResolvedConfig extends BridgeConfig {
  /**
   * The first site's onPrem block (with `sites`: `sites[0]` merged over `onPrem`), so every single-site
   * consumer reads the first site; `derived.sites` holds them all.
   */
  readonly onPrem: OnPremConfig;
  readonly derived: Derived & {
    /** Every site, the first one first; the top-level derived values are the first site's, but `replicatedTopics` is every site's. */
    readonly sites: readonly ResolvedSite[];
  };
}

type Json = Record<string, unknown>;

/** The host ports the local topology binds, per the (merged) configuration: the (first) site's and the cloud side's. */
export function hostPortsOf(c: BridgeConfig, siteField = "onPrem"): HostPort[] {
  return [...sitePortsOf(c.onPrem, siteField), ...cloudPortsOf(c)];
}

/** The host ports one on-prem site binds on its Docker host, named by `<field>.<path>` ("sites[1].database.port"). */
export function sitePortsOf(op: OnPremConfig, field: string): HostPort[] {
  const ports: HostPort[] = [{ field: `${field}.database.port`, port: op.database.port }];
  // Ports derived from a base only when the base is an integer: arithmetic on
  // a string ("19092" + 10·0 → "190920") would report a value nobody typed.
  const isInt = (x: unknown): boolean => typeof x === "number" && Number.isInteger(x);
  const brokers = isInt(op.kafka.brokers) && op.kafka.brokers > 0 && op.kafka.brokers < 10 ? op.kafka.brokers : 1;
  const kb = `${field}.kafka.basePort`;
  if (!isInt(op.kafka.basePort)) ports.push({ field: kb, port: op.kafka.basePort });
  else {
    for (let i = 0; i < brokers; i++) {
      const label = i === 0 ? kb : `${kb} (broker ${i})`;
      const b = brokerPorts(op.kafka.basePort, i);
      ports.push({ field: label, port: b.port });
      ports.push({ field: `${kb} (controller of broker ${i}: basePort + ${b.controllerPort - op.kafka.basePort})`, port: b.controllerPort });
      ports.push({ field: `${kb} (metrics of broker ${i}: basePort + ${brokerMetricsPort(b.port) - op.kafka.basePort})`, port: brokerMetricsPort(b.port) });
    }
  }
  const workers = isInt(op.connect.workers) && op.connect.workers > 0 && op.connect.workers < 6 ? op.connect.workers : 1;
  const cb = `${field}.connect.basePort`;
  if (!isInt(op.connect.basePort)) ports.push({ field: cb, port: op.connect.basePort });
  else {
    for (let i = 0; i < workers; i++) {
      ports.push({ field: i === 0 ? cb : `${cb} (worker ${i})`, port: op.connect.basePort + i });
      ports.push({ field: `${cb} (metrics of worker ${i}: + ${connectMetricsPort(op.connect.basePort + i) - op.connect.basePort})`, port: connectMetricsPort(op.connect.basePort + i) });
    }
  }
  if (op.simulator.enabled) ports.push({ field: `${field}.simulator.metricsPort`, port: op.simulator.metricsPort });
  return ports;
}

/** The host ports of the cloud side and the observability, all on the first site's Docker host. */
function cloudPortsOf(c: BridgeConfig): HostPort[] {
  const ports: HostPort[] = [];
  const isInt = (x: unknown): boolean => typeof x === "number" && Number.isInteger(x);
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
  // The probe row is written by Debezium through our image's grant; MySQL 8 stamps its own changes in µs.
  const withProbe = (op: OnPremConfig): OnPremConfig => ({ ...op, latencyProbe: op.latencyProbe ?? op.database.flavour === "mariadb" });
  const sites = siteEntries(m, problems).map((s) => ({ ...s, onPrem: withProbe(s.onPrem) }));
  const first = sites[0];
  const c: BridgeConfig = {
    ...m,
    azure: {
      ...m.azure,
      eventHubs: { ...m.azure.eventHubs, enabled: m.azure.eventHubs.enabled ?? m.target === "event-hubs" },
    },
    onPrem: first.onPrem,
    // The way back computes stock from both order-line topics: replicated by default when it is on.
    replication: { ...m.replication, topics: m.replication.topics ?? (m.writeBack.enabled ? ORDER_LINE_TABLES : ORDER_LINE_TABLES.slice(0, 1)).map((t) => `${first.onPrem.dc}_${t}`) },
    backend: m.backend.type === "azurerm" ? { ...m.backend, containerName: m.backend.containerName ?? DEFAULT_STATE_CONTAINER } : m.backend,
  };
  const hostPorts = hostPortsOf(c, first.field);
  const defaulted = new Set(m.replication.topics === undefined ? ["replication.topics"] : []);
  // The first site with every rule, the others with the on-prem ones: each named by its own field ("sites[1].database.port").
  problems.push(...validateConfig(c, hostPortsOf(c), { defaulted }).map((p) => renamed(p, first.field)));
  sites.slice(1).forEach((site) => {
    const sc = { ...c, onPrem: site.onPrem, replication: { ...c.replication, topics: siteTopics(c, site.onPrem.dc) } };
    const own = validateConfig(sc, sitePortsOf(site.onPrem, "onPrem"), { defaulted });
    problems.push(...own.filter((p) => p.field.startsWith("onPrem")).map((p) => renamed(p, site.field)));
    problems.push(...own.filter((p) => p.field.startsWith("replication.topics")).map((p) => ({ ...p, rule: `${p.rule} (at site ${site.field}, whose copy of replication.topics is under its own prefix "${site.onPrem.dc}_")` })));
  });
  const v = new Validator();
  checkSites(v, m.sites !== undefined, sites.map((s): SitePorts => ({ field: s.field, dc: s.onPrem.dc, dockerHost: s.onPrem.dockerHost, ports: s === first ? hostPorts : sitePortsOf(s.onPrem, s.field) })), m.sites);
  problems.push(...v.all);
  if (problems.length > 0) throw new ConfigError(problems);
  const resolvedSites = sites.map((s): ResolvedSite => ({ field: s.field, onPrem: s.onPrem, derived: deriveSite(s.onPrem, siteTopics(c, s.onPrem.dc), sitePortsOf(s.onPrem, s.field)) }));
  const allPorts = [...hostPorts, ...resolvedSites.slice(1).flatMap((s) => s.derived.hostPorts)];
  const replicatedTopics = resolvedSites.flatMap((s) => s.derived.replicatedTopics);
  return { ...c, derived: { ...derive(c, allPorts), replicatedTopics, sites: resolvedSites } };
}

/** A problem found on `onPrem.…` of a site's own copy, named by the site's field (unchanged for the one site of `onPrem`). */
function renamed(p: ConfigProblem, field: string): ConfigProblem {
  return /^onPrem(\.|\[|$)/.test(p.field) ? { ...p, field: field + p.field.slice("onPrem".length) } : p;
}

/**
 * `replication.topics` names the first site's topics; every other site replicates the same tables'
 * topics under its own prefix ("dc01_sales_order_details" → "dc02_sales_order_details").
 */
function siteTopics(c: BridgeConfig, dc: string): readonly string[] {
  const prefix = `${c.onPrem.dc}_`;
  return (c.replication.topics ?? []).map((t) => (t.startsWith(prefix) ? `${dc}_${t.slice(prefix.length)}` : t));
}

/**
 * The sites: without `sites`, the one of `onPrem`; with it, each entry merged over `onPrem`
 * (an unknown key is reported like any other, by its path "sites[1].databse").
 */
function siteEntries(m: BridgeConfig, problems: ConfigProblem[]): { field: string; onPrem: OnPremConfig }[] {
  const one = [{ field: "onPrem", onPrem: m.onPrem }];
  const given: unknown = m.sites;
  if (given === undefined) return one;
  const example = 'e.g. [{"dc": "dc01"}, {"dc": "dc02", "database": {"port": 23306}}]';
  if (!Array.isArray(given)) {
    problems.push({ field: "sites", value: given, rule: `must be a list of sites, ${example}` });
    return one;
  }
  // Reported by checkSites; the one site of onPrem keeps the rest of the checks meaningful.
  if (given.length === 0) return one;
  return given.map((entry: unknown, i) => {
    const field = `sites[${i}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push({ field, value: entry, rule: `must be an object: the site's own onPrem fields, ${example}` });
      return { field, onPrem: m.onPrem };
    }
    if ((entry as Json).dc === undefined) problems.push({ field: `${field}.dc`, value: undefined, rule: 'is required: every site names its own data-centre id, e.g. "dc02"' });
    return { field, onPrem: mergeLayer(m.onPrem as unknown as Json, entry as Json, SCHEMA.onPrem, field, problems) as unknown as OnPremConfig };
  });
}

/** What one site derives from its onPrem block: brokers, workers, captured tables and its topics. */
function deriveSite(op: OnPremConfig, topics: readonly string[], hostPorts: readonly HostPort[]): SiteDerived {
  const k = op.kafka;
  const brokers = Array.from({ length: k.brokers }, (_, i) => ({ nodeId: i + 1, ...brokerPorts(k.basePort, i) }));
  const replicationFactor = k.replicationFactor ?? defaultReplicationFactor(k.brokers);
  const probe = op.latencyProbe === true;
  const capturedTables = [...op.tables, ...(probe && !op.tables.includes(LATENCY_PROBE_TABLE) ? [LATENCY_PROBE_TABLE] : [])];
  const probeTopic = probe ? `${op.dc}_${LATENCY_PROBE_TABLE}` : undefined;
  return {
    brokers,
    replicationFactor,
    minInsyncReplicas: k.minInsyncReplicas ?? Math.max(1, replicationFactor - 1),
    connectPorts: Array.from({ length: op.connect.workers }, (_, i) => op.connect.basePort + i),
    capturedTables,
    cdcTopics: capturedTables.map((t) => `${op.dc}_${t}`),
    latencyProbeTopic: probeTopic,
    // The probe travels every hop the data does.
    replicatedTopics: [...topics, ...(probeTopic && !topics.includes(probeTopic) ? [probeTopic] : [])],
    hostPorts,
  };
}

function derive(c: BridgeConfig, hostPorts: HostPort[]): Derived {
  const sa = c.azure.storageAccount;
  const seed = sa.suffixSeed ?? `${c.project}-${c.environment}-${c.azure.location}`;
  const storageAccountName = sa.name ?? (sa.suffix === "hash" ? sa.prefix + uniqueSuffix(seed, sa.suffixLength) : sa.prefix);
  const reader = c.observability.console.lakeReader;
  // validate.ts has checked that the three come together.
  const consoleLakeReader =
    c.target !== "local" && c.observability.console.enabled && reader.tenantId && reader.clientId && reader.objectId
      ? { tenantId: reader.tenantId, clientId: reader.clientId, objectId: reader.objectId }
      : undefined;
  return {
    resourceGroupName: c.azure.resourceGroupName ?? `rg-${c.project}-${c.environment}`,
    storageAccountName,
    // The first site's, for every single-site consumer.
    ...deriveSite(c.onPrem, c.replication.topics ?? [], hostPorts),
    tags: { ...c.azure.tags, project: c.project, environment: c.environment, "managed-by": "cdktf" },
    hostPorts,
    eventHubsNamespace: `evhns-${c.project}-${c.environment}-${storageAccountName.slice(-6)}`,
    virtualNetworkName: `vnet-${c.project}-${c.environment}`,
    logAnalyticsWorkspaceName: `log-${c.project}-${c.environment}`,
    consoleLakeReader,
  };
}
