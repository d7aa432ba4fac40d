import { AZURE_LOCATIONS } from "./azure-regions";
import { ConfigProblem, didYouMean, Validator } from "./problems";
import { defaultReplicationFactor } from "./kafka-layout";
import { blockedPaths, ReachabilityInput } from "./reachability";
import { checkFields, valueAt } from "./schema-derive";
import { LATENCY_PROBE_TABLE, ORDER_LINE_TABLES, ordersTables } from "./tables";
import { Target } from "./types";

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

const KAFKA_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
const EVENT_HUB_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]{0,254}[a-zA-Z0-9])?$/;

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

const CIDR_LISTS = ["runnerCidrs", "analystCidrs", "onPremCidrs", "confluentEgressCidrs"] as const;

/** The network fields, then the paths: a needed path the mode blocks is a problem that names the path, the rule and the fix. */
function checkNetwork(v: Validator, c: any): void {
  const n = c.azure.network;
  let listsOk = true;
  for (const key of CIDR_LISTS) {
    const field = `azure.network.${key}`;
    const before = v.all.length;
    if (Array.isArray(n[key])) n[key].forEach((ip: unknown, i: number) => checkAllowedIp(v, `${field}[${i}]`, ip));
    else v.add(field, n[key], "must be a list of IPv4 addresses or CIDR ranges");
    if (v.all.length > before) listsOk = false;
    else if (n.mode === "private" && n[key].length > 0) {
      listsOk = false;
      v.add(field, n[key], 'has no effect in azure.network.mode "private" (public access is off): remove the list or use mode "selected-networks"');
    }
  }
  if (n.mode === "selected-networks" && n.subnetId !== undefined) {
    v.add("azure.network.subnetId", n.subnetId, 'is used only in azure.network.mode "private": remove it or use that mode');
  }
  if (v.passed("azure.network.addressSpace") && v.passed("azure.network.subnetPrefix") && !cidrInside(n.subnetPrefix, n.addressSpace)) {
    v.add("azure.network.subnetPrefix", n.subnetPrefix, `must lie inside azure.network.addressSpace (${n.addressSpace})`);
  }
  const decided = ["target", "azure.network.mode", "azure.network.runnerInside", "azure.network.onPremConnected", "azure.eventHubs.capture"].every((f) => v.passed(f));
  if (!decided || !listsOk) return;
  for (const p of blockedPaths(c as ReachabilityInput)) {
    v.add(p.field, valueAt(c, p.field), `blocks the path ${p.from} → ${p.to} that target "${c.target}" needs (${p.how}); fix: ${p.fix}`);
  }
}

/** Whether IPv4 CIDR `inner` lies inside `outer` (both already well-formed). */
export function cidrInside(inner: string, outer: string): boolean {
  const parse = (cidr: string) => {
    const [ip, bits] = cidr.split("/");
    const n = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
    return { n, bits: Number(bits) };
  };
  const i = parse(inner);
  const o = parse(outer);
  const block = 2 ** (32 - o.bits);
  return i.bits >= o.bits && Math.floor(i.n / block) === Math.floor(o.n / block);
}

/** Each credential the target needs is declared (the form of a declared one is the schema's rule). */
export function checkCredentials(v: Validator, target: unknown, credentials: Record<string, unknown>): void {
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

/** One site's host ports, for the rules between sites (checkSites). */
export interface SitePorts {
  /** "onPrem" for the one site of a configuration without `sites`, else "sites[i]". */
  readonly field: string;
  readonly dc: unknown;
  readonly dockerHost: unknown;
  /** Its ports; the first site's include the cloud side's and the observability's (they run on its Docker host). */
  readonly ports: readonly HostPort[];
}

/**
 * The rules between sites: at least one, each data-centre id once (it prefixes every topic of
 * the site in the one cloud cluster), and no two sites on one port of one Docker host. Two sites
 * on different hosts may use the same ports (each binds its own host's loopback). A collision
 * inside one site is reported by that site's own check.
 */
export function checkSites(v: Validator, given: boolean, sites: readonly SitePorts[], rawSites?: unknown): void {
  if (given && Array.isArray(rawSites) && rawSites.length === 0) {
    v.add("sites", [], "must list at least one site (or leave sites unset: the one site is then onPrem)");
    return;
  }
  const dcs = sites.map((s) => s.dc);
  sites.forEach((s, i) => {
    const j = dcs.indexOf(s.dc);
    if (j === i || typeof s.dc !== "string") return;
    let n = 1;
    while (dcs.includes(`dc${String(n).padStart(2, "0")}`)) n++;
    v.add(`${s.field}.dc`, s.dc, `is the data-centre id of ${sites[j].field} too: each site needs its own, it prefixes the site's topics in the one cloud cluster (did you mean "dc${String(n).padStart(2, "0")}"?)`);
  });
  const byHost = new Map<unknown, { site: string; port: HostPort }[]>();
  for (const s of sites) {
    const valid = s.ports.filter((p) => typeof p.port === "number" && Number.isInteger(p.port) && p.port >= 1024 && p.port <= 65535);
    byHost.set(s.dockerHost, [...(byHost.get(s.dockerHost) ?? []), ...valid.map((port) => ({ site: s.field, port }))]);
  }
  for (const [host, ports] of byHost) {
    const byPort = new Map<number, { site: string; port: HostPort }[]>();
    for (const p of ports) byPort.set(p.port.port, [...(byPort.get(p.port.port) ?? []), p]);
    for (const [port, users] of byPort) {
      const others = users.filter((u) => u.site !== users[0].site);
      if (others.length === 0) continue;
      v.add(
        others[0].port.field,
        port,
        `host port collides with ${users[0].port.field} on the same Docker host (${String(host)}): every service of every site on one host needs its own loopback port (give the site other ports, or its own dockerHost)`,
      );
    }
  }
}

const LAKE_READER = "observability.console.lakeReader";
const LAKE_READER_KEYS = ["tenantId", "clientId", "objectId"] as const;

/**
 * The console's Entra ID lake reader: on a cloud target whose lake takes no shared key it is the
 * console's only way into the lake, so all three ids are required; elsewhere it is optional, but
 * never half given (the console signs in with tenant and client id, the role goes to the object id).
 */
export function checkLakeReader(v: Validator, c: any): void {
  const reader = c.observability?.console?.lakeReader ?? {};
  const given = LAKE_READER_KEYS.filter((k) => reader[k] !== undefined);
  // Only on a valid target and shared-key setting: a broken one is reported on its own field.
  const decided = v.passed("target") && v.passed("azure.storageAccount.sharedKeyAccess");
  const needed = decided && c.target !== "local" && c.observability?.console?.enabled === true && c.azure?.storageAccount?.sharedKeyAccess === false;
  if (given.length === 0 && !needed) return;
  for (const k of LAKE_READER_KEYS) {
    if (reader[k] !== undefined) continue;
    v.add(
      `${LAKE_READER}.${k}`,
      undefined,
      given.length > 0
        ? `is required with ${given.map((g) => `${LAKE_READER}.${g}`).join(" and ")}: the console signs in with the tenant and client id, the lake's reader role goes to the object id`
        : `is required for the console on target "${c.target}" with azure.storageAccount.sharedKeyAccess false: the lake takes Entra ID tokens only, so the console reads it as an app registration's service principal (README "The console's lake reader"; or set observability.console.enabled to false)`,
    );
  }
  // The role needs the service principal's object id; the app registration's client id is the usual slip.
  if (reader.objectId !== undefined && reader.objectId === reader.clientId && v.passed(`${LAKE_READER}.objectId`)) {
    v.add(`${LAKE_READER}.objectId`, reader.objectId, "is the client id: must be the object id of the app registration's service principal (Entra ID › Enterprise applications › the app › Object ID)");
  }
}

/**
 * The way back needs both order-line tables captured and their topics replicated: the stock processor
 * computes stock on hand as purchases received − sales, and with one of them missing it would raise no
 * event (no purchases: nothing ever above zero) or wrong ones (no sales: nothing ever sells out).
 */
export function checkWriteBack(v: Validator, c: any, tablesOk: boolean): void {
  if (c.writeBack?.enabled !== true || !v.passed("onPrem.dc")) return;
  const op = c.onPrem;
  const rule = "the stock processor computes stock on hand from both order-line topics (purchases received − sales)";
  const missingTables = ORDER_LINE_TABLES.filter((t) => Array.isArray(op.tables) && !op.tables.includes(t));
  if (tablesOk && missingTables.length > 0) {
    v.add("onPrem.tables", op.tables, `must capture ${missingTables.map((t) => JSON.stringify(t)).join(" and ")} with writeBack.enabled: ${rule}`);
  }
  const topics = c.replication.topics;
  if (!Array.isArray(topics)) return;
  const missingTopics = ORDER_LINE_TABLES.map((t) => `${op.dc}_${t}`).filter((t) => !topics.includes(t));
  if (missingTopics.length > 0) {
    v.add("replication.topics", topics, `must include ${missingTopics.map((t) => JSON.stringify(t)).join(" and ")} with writeBack.enabled: ${rule} (leave replication.topics unset for that default)`);
  }
}

/** What validateConfig needs to know beyond the merged values. */
export interface ValidateOptions {
  /** Fields that nobody set: their value is a default (filled in by resolveConfig). */
  readonly defaulted?: ReadonlySet<string>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Every rule on a merged configuration (defaults already applied): each
 * field's own rule from the schema, then the rules of this file, which look
 * further than one simple value or at other fields.
 */
export function validateConfig(c: any, hostPorts: readonly HostPort[], options: ValidateOptions = {}): ConfigProblem[] {
  const v = new Validator();
  checkFields(v, c);

  // Azure
  const az = c.azure;
  checkLocation(v, "azure.location", az.location);
  const sa = az.storageAccount;
  if (sa.name === undefined && typeof sa.prefix === "string" && sa.suffix === "hash" && typeof sa.suffixLength === "number" && sa.prefix.length + sa.suffixLength > 24) {
    v.add("azure.storageAccount.prefix", sa.prefix, `is too long for a ${sa.suffixLength}-character suffix: prefix + suffix must fit 24 characters`);
  }
  if ((sa.customerManagedKeyId === undefined) !== (sa.customerManagedKeyIdentityId === undefined)) {
    const [field, other] = sa.customerManagedKeyId === undefined ? ["customerManagedKeyId", "customerManagedKeyIdentityId"] : ["customerManagedKeyIdentityId", "customerManagedKeyId"];
    v.add(`azure.storageAccount.${field}`, undefined, `is required with azure.storageAccount.${other}: the account reads the key as that identity`);
  }
  checkNetwork(v, c);
  if (az.eventHubs.enabled === false && c.target === "event-hubs") {
    v.add("azure.eventHubs.enabled", false, 'must be true for target "event-hubs"');
  }
  for (const [k, val] of Object.entries(az.tags ?? {})) {
    if (typeof val !== "string" || k.length > 512 || val.length > 256) v.add(`azure.tags.${k}`, val, "tag keys must be ≤ 512 and values ≤ 256 characters of text");
  }

  // Observability
  const masked = c.observability?.console?.maskedFields;
  if (masked !== undefined) {
    if (!Array.isArray(masked)) v.add("observability.console.maskedFields", masked, "must be a list of column names");
    else {
      masked.forEach((f: unknown, i: number) => {
        if (typeof f !== "string" || !/^[A-Za-z0-9_$]{1,64}$/.test(f)) v.add(`observability.console.maskedFields[${i}]`, f, "must be a column name (letters, digits, _ and $, at most 64)");
      });
      checkUnique(v, "observability.console.maskedFields", masked, "each column once");
    }
  }

  // On-prem
  const op = c.onPrem;
  const dcOk = v.passed("onPrem.dc");
  const kafka = op.kafka;
  const brokersOk = v.passed("onPrem.kafka.brokers");
  if (kafka.replicationFactor !== undefined && v.passed("onPrem.kafka.replicationFactor") && brokersOk && kafka.replicationFactor > kafka.brokers) {
    v.add("onPrem.kafka.replicationFactor", kafka.replicationFactor, `must not exceed the broker count (onPrem.kafka.brokers = ${kafka.brokers})`);
  }
  if (kafka.minInsyncReplicas !== undefined && v.passed("onPrem.kafka.minInsyncReplicas")) {
    const rf = kafka.replicationFactor ?? (brokersOk ? defaultReplicationFactor(kafka.brokers) : undefined);
    if (typeof rf === "number" && kafka.minInsyncReplicas > rf) {
      v.add("onPrem.kafka.minInsyncReplicas", kafka.minInsyncReplicas, `must not exceed the replication factor (${rf}), or no write could succeed`);
    }
  }
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
  if (Array.isArray(rep.topics) && rep.topics.length > 0) {
    const defaulted = options.defaulted?.has("replication.topics") ?? false;
    rep.topics.forEach((t: unknown, i: number) => {
      const field = `replication.topics[${i}]`;
      // The probe's topic is produced when the probe is on (it is replicated then anyway).
      const captured = op.latencyProbe === true ? [...op.tables, LATENCY_PROBE_TABLE] : op.tables;
      // A defaulted order-line topic of the way back whose table is not captured: checkWriteBack names onPrem.tables.
      const writeBackDefault = defaulted && c.writeBack?.enabled === true && ORDER_LINE_TABLES.some((l) => t === `${op.dc}_${l}`);
      if (checkTopic(v, field, t, c.target) && tablesOk && !writeBackDefault) checkTopicProduced(v, field, t, op.dc, captured, defaulted);
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
  if (c.target === "confluent-cloud" && c.azure.storageAccount.sharedKeyAccess === false) {
    v.add("azure.storageAccount.sharedKeyAccess", false, 'must be true for target "confluent-cloud": its managed ADLS Gen2 sink authenticates with the account access key');
  }
  if (rep.engine === "replicator" && c.target === "event-hubs") {
    v.add("replication.engine", rep.engine, 'Confluent Replicator is not supported against Event Hubs; use "mirrormaker2"');
  }

  checkWriteBack(v, c, tablesOk);

  // Targets and their credentials (the console's lake reader after the target's own shared-key rule)
  checkCredentials(v, c.target, c.credentials ?? {});
  checkLakeReader(v, c);
  return [...v.all];
}
