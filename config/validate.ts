import { AZURE_LOCATIONS } from "./azure-regions";
import { didYouMean, Validator, ConfigProblem } from "./problems";
import { ordersTables } from "./tables";
import { DATABASE_FLAVOURS, REPLICATION_ENGINES, TARGETS, Target } from "./types";

/** Credentials each target needs, by key of `credentials`. */
export const REQUIRED_CREDENTIALS: Readonly<Record<Target, readonly string[]>> = {
  local: [],
  "event-hubs": ["eventHubsConnectionString"],
  "confluent-cloud": ["confluentApiKey", "confluentApiSecret", "confluentCloudApiKey", "confluentCloudApiSecret", "lakeAccessKey"],
};

/** Every host port the local topology binds, with the field that sets it. */
export interface HostPort {
  readonly field: string;
  readonly port: number;
}

const STORAGE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const FILESYSTEM_NAME = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const KAFKA_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
const EVENT_HUB_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]{0,254}[a-zA-Z0-9])?$/;
const TF_IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
const STORAGE_REPLICATION = ["LRS", "ZRS", "GRS", "RAGRS", "GZRS", "RAGZRS"];

export function checkStorageAccountName(v: Validator, field: string, name: unknown): void {
  v.matches(field, name, STORAGE_ACCOUNT_NAME, "must be 3–24 characters, lowercase letters and digits only");
}

export function checkFilesystem(v: Validator, field: string, name: unknown): void {
  v.matches(
    field,
    name,
    FILESYSTEM_NAME,
    "must be 3–63 characters of lowercase letters, digits and single hyphens, starting and ending with a letter or digit",
  );
}

export function checkLocation(v: Validator, field: string, location: unknown): void {
  if (typeof location === "string" && AZURE_LOCATIONS.has(location)) return;
  const hint =
    typeof location === "string" && AZURE_LOCATIONS.has(location.toLowerCase().replace(/\s+/g, ""))
      ? ` (did you mean "${location.toLowerCase().replace(/\s+/g, "")}"?)`
      : "";
  v.add(field, location, `must be an Azure region's programmatic name such as "westeurope"${hint}`);
}

/** Checks a topic's name; true when it is a valid name (so further rules may look at it). */
export function checkTopic(v: Validator, field: string, topic: unknown, target: unknown): topic is string {
  if (!v.matches(field, topic, KAFKA_TOPIC, "must be a Kafka topic name: 1–249 of a–z A–Z 0–9 . _ -")) return false;
  if (topic === "." || topic === "..") {
    v.add(field, topic, 'must not be "." or ".."');
    return false;
  }
  if (target === "event-hubs" && !EVENT_HUB_NAME.test(topic)) {
    v.add(field, topic, "must be an Event Hub name for target event-hubs: start and end with a letter or digit, at most 256 characters");
    return false;
  }
  return true;
}

/** Reports every entry of a list that repeats an earlier one. */
export function checkUnique(v: Validator, field: string, list: readonly unknown[], rule: string): void {
  const first = new Map<unknown, number>();
  list.forEach((x, i) => {
    const j = first.get(x);
    if (j === undefined) first.set(x, i);
    else v.add(`${field}[${i}]`, x, `is listed twice (also ${field}[${j}]): ${rule}`);
  });
}

/**
 * Every replicated topic must be the CDC topic of a captured table
 * ("<dc>_<table>"): MirrorMaker 2 would otherwise replicate nothing, and the
 * lake sink or event hub of that topic would stay empty.
 */
export function checkTopicProduced(v: Validator, field: string, topic: string, dc: string, tables: readonly string[], defaulted: boolean): void {
  const produced = [...new Set(tables.map((t) => `${dc}_${t}`))];
  if (produced.includes(topic)) return;
  if (defaulted) {
    v.add(
      "replication.topics",
      [topic],
      `is the default, but no captured table produces ${JSON.stringify(topic)}: add "${topic.slice(dc.length + 1)}" to onPrem.tables, or list topics of captured tables (${produced.join(", ")})`,
    );
    return;
  }
  const m = /^(dc\d{2})_(.+)$/.exec(topic);
  if (m && m[1] !== dc) {
    const hint = produced.includes(`${dc}_${m[2]}`) ? ` (did you mean "${dc}_${m[2]}"?)` : "";
    v.add(field, topic, `belongs to data centre "${m[1]}", but this deployment's onPrem.dc is "${dc}": no captured table produces it${hint}`);
  } else if (m && ordersTables(dc).includes(m[2])) {
    v.add(field, topic, `is produced by table "${m[2]}", which onPrem.tables does not capture: add the table there, or remove the topic`);
  } else {
    v.add(field, topic, `is not produced by any captured table: must be one of ${produced.join(", ")}${didYouMean(topic, produced)}`);
  }
}

/** IPv4 address or CIDR accepted by a storage account firewall rule (public ranges only). */
export function checkAllowedIp(v: Validator, field: string, ip: unknown): void {
  const m = typeof ip === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(ip) : null;
  const octets = m ? m.slice(1, 5).map(Number) : [];
  if (!m || octets.some((o) => o > 255)) {
    v.add(field, ip, "must be an IPv4 address or CIDR range such as 203.0.113.7 or 203.0.113.0/24");
    return;
  }
  const prefix = m[5] === undefined ? undefined : Number(m[5]);
  if (prefix !== undefined && (prefix < 8 || prefix > 30)) {
    v.add(field, ip, "CIDR prefix must be /8 to /30 (write a single address without a prefix)");
    return;
  }
  const [a, b] = octets;
  const isPrivate = a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  if (isPrivate) v.add(field, ip, "must be a public address: storage firewalls ignore private and loopback ranges");
}

export function checkCredentials(v: Validator, target: unknown, credentials: Record<string, unknown>): void {
  for (const [key, name] of Object.entries(credentials)) {
    if (name === undefined) continue;
    if (typeof name !== "string" || !TF_IDENTIFIER.test(name)) {
      // Someone may have pasted the secret itself: never echo it.
      v.add(
        `credentials.${key}`,
        name,
        "must be the NAME of a sensitive Terraform variable (letters, digits, _ or -), never the secret itself",
        true,
      );
    }
  }
  // hasOwn: "toString" and other inherited names are not targets.
  if (typeof target !== "string" || !Object.hasOwn(REQUIRED_CREDENTIALS, target)) return;
  for (const key of REQUIRED_CREDENTIALS[target as Target]) {
    if (credentials[key] === undefined) {
      v.add(
        `credentials.${key}`,
        undefined,
        `target "${target}" needs this credential: declare the name of the sensitive Terraform variable that carries it (e.g. "${snake(key)}") and supply TF_VAR_${snake(key)} at plan time`,
      );
    }
  }
}

function snake(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Reports every port used by more than one field. */
export function checkPortCollisions(v: Validator, ports: readonly HostPort[]): void {
  const byPort = new Map<number, string[]>();
  for (const { field, port } of ports) byPort.set(port, [...(byPort.get(port) ?? []), field]);
  for (const [port, fields] of byPort) {
    if (fields.length > 1) {
      v.add(fields[0], port, `host port collides with ${fields.slice(1).join(", ")}: every service needs its own loopback port`);
    }
  }
}

/** What validateConfig needs to know beyond the merged values. */
export interface ValidateOptions {
  /** Fields that nobody set: their value is a default (filled in by resolveConfig). */
  readonly defaulted?: ReadonlySet<string>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Every rule on a merged configuration (defaults already applied). */
export function validateConfig(c: any, hostPorts: readonly HostPort[], options: ValidateOptions = {}): ConfigProblem[] {
  const v = new Validator();
  v.matches("project", c.project, /^[a-z][a-z0-9-]{1,14}[a-z0-9]$/, "must be 3–16 characters of lowercase letters, digits and hyphens, starting with a letter");
  v.matches("environment", c.environment, /^[a-z][a-z0-9-]{0,15}$/, "must be 1–16 characters of lowercase letters, digits and hyphens, starting with a letter");
  v.oneOf("target", c.target, TARGETS);

  // Azure
  const az = c.azure;
  checkLocation(v, "azure.location", az.location);
  if (az.resourceGroupName !== undefined) {
    v.matches("azure.resourceGroupName", az.resourceGroupName, /^[-\w._()]{1,89}[-\w_()]$/, "must be 1–90 characters of letters, digits, - _ . ( ), not ending with a period");
  }
  const sa = az.storageAccount;
  if (sa.name === undefined) {
    v.matches("azure.storageAccount.prefix", sa.prefix, /^[a-z][a-z0-9]{2,23}$/, "must be 3–24 lowercase letters and digits, starting with a letter");
    v.oneOf("azure.storageAccount.suffix", sa.suffix, ["hash", "none"]);
    v.int("azure.storageAccount.suffixLength", sa.suffixLength, 4, 8);
    if (typeof sa.prefix === "string" && sa.suffix === "hash" && typeof sa.suffixLength === "number" && sa.prefix.length + sa.suffixLength > 24) {
      v.add("azure.storageAccount.prefix", sa.prefix, `is too long for a ${sa.suffixLength}-character suffix: prefix + suffix must fit 24 characters`);
    }
  } else {
    checkStorageAccountName(v, "azure.storageAccount.name", sa.name);
  }
  v.oneOf("azure.storageAccount.replication", sa.replication, STORAGE_REPLICATION);
  if (v.bool("azure.storageAccount.publicNetworkAccess", sa.publicNetworkAccess) && Array.isArray(sa.allowedIps)) {
    if (!sa.publicNetworkAccess && sa.allowedIps.length > 0) {
      v.add("azure.storageAccount.allowedIps", sa.allowedIps, "has no effect while publicNetworkAccess is false: enable it or remove the list");
    }
  }
  if (Array.isArray(sa.allowedIps)) sa.allowedIps.forEach((ip: unknown, i: number) => checkAllowedIp(v, `azure.storageAccount.allowedIps[${i}]`, ip));
  else v.add("azure.storageAccount.allowedIps", sa.allowedIps, "must be a list of IPv4 addresses or CIDR ranges");
  v.bool("azure.storageAccount.sharedKeyAccess", sa.sharedKeyAccess);
  v.int("azure.storageAccount.softDeleteDays", sa.softDeleteDays, 1, 365);
  checkFilesystem(v, "azure.filesystem", az.filesystem);
  if (az.sinkPrincipalId !== undefined) v.matches("azure.sinkPrincipalId", az.sinkPrincipalId, UUID, "must be an Entra ID object id (UUID)");
  const eh = az.eventHubs;
  if (v.bool("azure.eventHubs.enabled", eh.enabled) && c.target === "event-hubs" && !eh.enabled) {
    v.add("azure.eventHubs.enabled", eh.enabled, 'must be true for target "event-hubs"');
  }
  v.int("azure.eventHubs.capacity", eh.capacity, 1, 40);
  v.int("azure.eventHubs.partitionCount", eh.partitionCount, 1, 32);
  v.int("azure.eventHubs.messageRetentionDays", eh.messageRetentionDays, 1, 7);
  v.bool("azure.eventHubs.capture", eh.capture);
  v.int("azure.eventHubs.captureIntervalSeconds", eh.captureIntervalSeconds, 60, 900);
  v.int("azure.eventHubs.captureSizeLimitBytes", eh.captureSizeLimitBytes, 10485760, 524288000);
  for (const [k, val] of Object.entries(az.tags ?? {})) {
    if (typeof val !== "string" || k.length > 512 || val.length > 256) v.add(`azure.tags.${k}`, val, "tag keys must be ≤ 512 and values ≤ 256 characters of text");
  }

  // On-prem
  const op = c.onPrem;
  v.matches("onPrem.dockerHost", op.dockerHost, /^(unix|tcp|ssh|npipe):\/\/\S+$/, "must be a Docker host URL: unix:///path, tcp://host:port or ssh://user@host");
  const dcOk = v.matches("onPrem.dc", op.dc, /^dc\d{2}$/, 'must be "dc" followed by two digits, e.g. "dc01"');
  v.oneOf("onPrem.database.flavour", op.database.flavour, DATABASE_FLAVOURS);
  v.matches("onPrem.database.name", op.database.name, SQL_IDENTIFIER, "must be a SQL identifier of at most 32 characters");
  v.int("onPrem.database.binlogRetentionHours", op.database.binlogRetentionHours, 1, 8760);
  v.int("onPrem.database.serverId", op.database.serverId, 1, 4294967295);
  v.matches("onPrem.database.cdcUser", op.database.cdcUser, SQL_IDENTIFIER, "must be a SQL user name of at most 32 letters, digits and _");
  v.bool("onPrem.database.keepData", op.database.keepData);
  v.int("onPrem.database.memoryMb", op.database.memoryMb, 256, 65536);
  v.int("onPrem.kafka.memoryMb", op.kafka.memoryMb, 512, 65536);
  v.int("onPrem.connect.memoryMb", op.connect.memoryMb, 512, 65536);
  for (const [k, img] of Object.entries(c.images ?? {})) {
    v.matches(`images.${k}`, img, /^[a-z0-9][a-z0-9._\/-]*(:[A-Za-z0-9._-]{1,128})?(@sha256:[a-f0-9]{64})?$/, "must be a Docker image reference such as bridge-to-azure/kafka:4.3.0");
  }
  v.matches("providers.docker", c.providers?.docker, /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$|^[~>=<!, 0-9.]+$/, "must be a Terraform version or constraint such as 3.6.2");
  const brokersOk = v.int("onPrem.kafka.brokers", op.kafka.brokers, 1, 9);
  v.int("onPrem.kafka.partitions", op.kafka.partitions, 1, 64);
  if (op.kafka.replicationFactor !== undefined && v.int("onPrem.kafka.replicationFactor", op.kafka.replicationFactor, 1, 9)) {
    if (brokersOk && op.kafka.replicationFactor > op.kafka.brokers) {
      v.add("onPrem.kafka.replicationFactor", op.kafka.replicationFactor, `must not exceed the broker count (onPrem.kafka.brokers = ${op.kafka.brokers})`);
    }
  }
  if (op.kafka.minInsyncReplicas !== undefined && v.int("onPrem.kafka.minInsyncReplicas", op.kafka.minInsyncReplicas, 1, 9)) {
    const rf = op.kafka.replicationFactor ?? (brokersOk ? Math.min(3, op.kafka.brokers) : undefined);
    if (typeof rf === "number" && op.kafka.minInsyncReplicas > rf) {
      v.add("onPrem.kafka.minInsyncReplicas", op.kafka.minInsyncReplicas, `must not exceed the replication factor (${rf}), or no write could succeed`);
    }
  }
  v.int("onPrem.connect.workers", op.connect.workers, 1, 5);
  v.bool("onPrem.simulator.enabled", op.simulator.enabled);
  v.int("onPrem.simulator.intervalMs", op.simulator.intervalMs, 1, 3600000);
  v.int("onPrem.simulator.linesPerOrder", op.simulator.linesPerOrder, 1, 50);
  let tablesOk = false;
  if (Array.isArray(op.tables) && op.tables.length > 0) {
    const known = dcOk ? ordersTables(op.dc) : [];
    tablesOk = dcOk;
    op.tables.forEach((t: unknown, i: number) => {
      if (dcOk && !known.includes(t as string)) {
        tablesOk = false;
        v.add(`onPrem.tables[${i}]`, t, `must be a table of the orders schema: ${known.join(", ")}${typeof t === "string" ? didYouMean(t, known) : ""}`);
      }
    });
    // Each table gets one Debezium capture and one topic: twice is a name clash, not a wish.
    checkUnique(v, "onPrem.tables", op.tables, "each table is captured once");
  } else {
    v.add("onPrem.tables", op.tables, "must be a non-empty list of table names");
  }

  // Ports: range first, then collisions among the valid ones.
  const valid = hostPorts.filter((p) => v.port(p.field, p.port));
  checkPortCollisions(v, valid);

  // Replication
  const rep = c.replication;
  v.oneOf("replication.engine", rep.engine, REPLICATION_ENGINES);
  if (Array.isArray(rep.topics) && rep.topics.length > 0) {
    const defaulted = options.defaulted?.has("replication.topics") ?? false;
    rep.topics.forEach((t: unknown, i: number) => {
      const field = `replication.topics[${i}]`;
      if (checkTopic(v, field, t, c.target) && tablesOk) checkTopicProduced(v, field, t, op.dc, op.tables, defaulted);
    });
    checkUnique(v, "replication.topics", rep.topics, "each topic is replicated once");
  } else if (Array.isArray(rep.topics)) {
    // The lake sink and every event hub are per named topic; topicsPattern only adds to the list.
    v.add("replication.topics", rep.topics, "must list at least one topic (topicsPattern only adds topics to the list)");
  } else {
    v.add("replication.topics", rep.topics, "must be a list of topic names");
  }
  if (rep.topicsPattern !== undefined) {
    try {
      if (typeof rep.topicsPattern !== "string" || rep.topicsPattern === "") throw new Error("empty");
      new RegExp(rep.topicsPattern);
    } catch {
      v.add("replication.topicsPattern", rep.topicsPattern, "must be a valid regular expression");
    }
    if (c.target === "event-hubs") {
      v.add("replication.topicsPattern", rep.topicsPattern, 'is not supported for target "event-hubs": each event hub is pre-created, so list the topics');
    }
  }
  if (rep.engine === "replicator" && c.target === "local") {
    v.add("replication.engine", rep.engine, 'Confluent Replicator is licensed and not in the local Connect image; use "mirrormaker2" for target "local"');
  }
  v.int("local.sinkFlushSize", c.local.sinkFlushSize, 1, 1000000);
  v.int("local.sinkIdleFlushMs", c.local.sinkIdleFlushMs, 100, 600000);
  if (c.target === "confluent-cloud" && c.azure.storageAccount.sharedKeyAccess === false) {
    v.add("azure.storageAccount.sharedKeyAccess", false, 'must be true for target "confluent-cloud": its managed ADLS Gen2 sink authenticates with the account access key');
  }
  if (rep.engine === "replicator" && c.target === "event-hubs") {
    v.add("replication.engine", rep.engine, 'Confluent Replicator is not supported against Event Hubs; use "mirrormaker2"');
  }

  // Targets and their credentials
  checkCredentials(v, c.target, c.credentials ?? {});
  if (c.target === "confluent-cloud") {
    v.matches("confluentCloud.bootstrapServers", c.confluentCloud.bootstrapServers, /^[A-Za-z0-9.-]+:\d{2,5}$/, 'target "confluent-cloud" needs the cluster bootstrap as host:port');
    v.matches("confluentCloud.environmentId", c.confluentCloud.environmentId, /^env-[a-z0-9]+$/, 'target "confluent-cloud" needs the environment id (env-…) of its managed connectors');
    v.matches("confluentCloud.clusterId", c.confluentCloud.clusterId, /^lkc-[a-z0-9]+$/, 'target "confluent-cloud" needs the Kafka cluster id (lkc-…) of its managed connectors');
  }

  // Backend
  const be = c.backend;
  if (v.oneOf("backend.type", be.type, ["local", "azurerm"]) && be.type === "azurerm") {
    v.matches("backend.resourceGroupName", be.resourceGroupName, /^[-\w._()]{1,90}$/, "must name the resource group of the state storage account");
    checkStorageAccountName(v, "backend.storageAccountName", be.storageAccountName);
    v.matches("backend.containerName", be.containerName, /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/, "must be a blob container name: 3–63 lowercase letters, digits and single hyphens");
  }
  return [...v.all];
}
