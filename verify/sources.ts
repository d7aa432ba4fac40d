/** Readers of each hop: the database table, a Kafka topic to its end, the landed files of a topic. */
import { AccessToken, ClientSecretCredential, GetTokenOptions, TokenCredential } from "@azure/identity";
import { BlobServiceClient, ContainerClient, StoragePipelineOptions, StorageSharedKeyCredential } from "@azure/storage-blob";
import { ConfigResourceTypes, Kafka, KafkaConfig, logLevel } from "kafkajs";
import { createConnection } from "mysql2/promise";
import { BinlogPosition, canonicalNumber, Change, ColumnInfo, TableColumns, TimedChange, UNKNOWN_VALUE } from "./reconcile";

export interface DbConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export interface TableRead {
  readonly rows: Record<string, unknown>[];
  readonly columns: TableColumns;
  /** Binlog position the rows are consistent with (MariaDB); undefined where the server does not tell. */
  readonly snapshot?: BinlogPosition;
}

/** One SQL string literal as information_schema shows a MariaDB default ('it''s'), unquoted. */
function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/''|\\(.)/g, (m, c: string | undefined) => (m === "''" ? "'" : ({ n: "\n", t: "\t", r: "\r", "0": "\0" } as Record<string, string>)[c!] ?? c!));
}

/**
 * What ALTER TABLE … ADD COLUMN gave existing rows, from information_schema.COLUMNS:
 * COLUMN_DEFAULT is a SQL literal on MariaDB ('x', 12, NULL) and raw text on MySQL 8 (which
 * flags expression defaults DEFAULT_GENERATED); NOT NULL without a default gives 0 or ''.
 */
export function addedValue(c: { COLUMN_DEFAULT: string | null; IS_NULLABLE: string; DATA_TYPE: string; EXTRA?: string | null }, mariadb: boolean): unknown {
  const d = c.COLUMN_DEFAULT;
  const type = c.DATA_TYPE.toLowerCase();
  if (d === null) {
    if (c.IS_NULLABLE === "YES") return null;
    if (/int|decimal|numeric|float|double|real|bit|year/.test(type)) return 0;
    if (/char|text|binary|blob/.test(type)) return "";
    return UNKNOWN_VALUE; // zero dates, first enum member: not worth guessing
  }
  if (/DEFAULT_GENERATED/i.test(c.EXTRA ?? "")) return UNKNOWN_VALUE;
  if (mariadb) {
    if (d === "NULL") return null;
    if (/^'.*'$/s.test(d)) return unquote(d);
    return canonicalNumber(d) !== undefined ? d : UNKNOWN_VALUE; // current_timestamp(3), other expressions
  }
  return d;
}

/**
 * Rows of a table (optionally only the given ids) with its columns, read in one consistent
 * snapshot whose binlog position MariaDB reports. DECIMAL, BIGINT and DATETIME come as exact text
 * (a JS Date would drop DATETIME(6)'s microseconds).
 */
export async function readTableSnapshot(conn: DbConnection, table: string, ids?: ReadonlyArray<number>): Promise<TableRead> {
  if (!/^[A-Za-z0-9_]+$/.test(table)) throw new Error(`readTable: "${table}" is not a table name`);
  const c = await createConnection({ ...conn, decimalNumbers: false, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, timezone: "Z", charset: "utf8mb4" });
  try {
    const [[version]] = (await c.query("SELECT VERSION() AS v")) as unknown as [Array<{ v: string }>];
    const [cols] = (await c.query(
      "SELECT COLUMN_NAME, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, EXTRA, DATETIME_PRECISION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
      [conn.database, table],
    )) as unknown as [Array<{ COLUMN_NAME: string; COLUMN_DEFAULT: string | null; IS_NULLABLE: string; DATA_TYPE: string; EXTRA: string | null; DATETIME_PRECISION: number | string | null }>];
    if (cols.length === 0) throw new Error(`readTable: table "${conn.database}.${table}" does not exist`);
    const mariadb = /mariadb/i.test(version.v);
    const columns: Record<string, ColumnInfo> = Object.fromEntries(cols.map((k) => [k.COLUMN_NAME, { type: k.DATA_TYPE.toLowerCase(), precision: k.DATETIME_PRECISION === null ? undefined : Number(k.DATETIME_PRECISION), addedValue: addedValue(k, mariadb) }]));
    await c.query("START TRANSACTION WITH CONSISTENT SNAPSHOT");
    const [status] = (await c.query("SHOW STATUS LIKE 'binlog_snapshot_%'")) as unknown as [Array<{ Variable_name: string; Value: string }>];
    const v = (n: string) => status.find((s) => s.Variable_name.toLowerCase() === n)?.Value;
    const file = v("binlog_snapshot_file");
    const pos = Number(v("binlog_snapshot_position"));
    const [rows] =
      ids === undefined
        ? await c.query(`SELECT * FROM \`${table}\``)
        : ids.length === 0
          ? [[]]
          : await c.query(`SELECT * FROM \`${table}\` WHERE id IN (?)`, [ids]);
    await c.query("COMMIT");
    return { rows: rows as Record<string, unknown>[], columns, snapshot: file && Number.isFinite(pos) ? { file, pos } : undefined };
  } finally {
    await c.end();
  }
}

export async function readTable(conn: DbConnection, table: string): Promise<Record<string, unknown>[]> {
  return (await readTableSnapshot(conn, table)).rows;
}

/**
 * JSON.parse that keeps numbers a double cannot hold (DECIMAL(65,30), BIGINT beyond 2^53) as
 * their exact text; every other number stays a number.
 */
export function parseJsonExact(text: string): unknown {
  let out = "";
  let from = 0;
  const numberAt = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      numberAt.lastIndex = i;
      const m = numberAt.exec(text);
      if (!m) continue;
      const literal = m[0];
      // An integer beyond 2^53 can print back unchanged (253402300799999000, DATETIME(6) 9999-12-31 in
      // epoch µs) and still not be held exactly by a double: keep every unsafe integer as text.
      const unsafeInteger = /^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal));
      if (unsafeInteger || canonicalNumber(literal) !== canonicalNumber(Number(literal))) {
        out += `${text.slice(from, i)}"${literal}"`;
        from = i + literal.length;
      }
      i += literal.length - 1;
    }
  }
  return JSON.parse(from === 0 ? text : out + text.slice(from));
}

/**
 * Every record of a topic up to the end offsets it had when reading began,
 * with the record timestamp. Tombstones are skipped.
 */
export async function readTopic(config: KafkaConfig, topic: string, timeoutMs = 120000): Promise<TimedChange[]> {
  const kafka = new Kafka({ logLevel: logLevel.NOTHING, ...config });
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const out: TimedChange[] = [];
  if ([...ends.values()].every((e) => e === 0n)) return out;
  const consumer = kafka.consumer({ groupId: `verify-${topic}-${process.pid}-${Date.now()}` });
  await consumer.connect();
  try {
    const reached = new Set<number>([...ends].filter(([, e]) => e === 0n).map(([p]) => p));
    let done: () => void = () => undefined;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const end = ends.get(partition) ?? 0n;
        if (BigInt(message.offset) < end && message.value) {
          out.push({ change: JSON.parse(message.value.toString()) as Change, at: Number(message.timestamp) });
        }
        if (BigInt(message.offset) + 1n >= end) reached.add(partition);
        if (reached.size === ends.size) done();
      },
    });
    const timer = new Promise<void>((r) => setTimeout(r, timeoutMs).unref());
    await Promise.race([finished, timer]);
    return out;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * A topic's message.timestamp.type: "LogAppendTime" means its records carry the time this cluster's broker
 * appended them (their arrival), "CreateTime" the producer's timestamp (MirrorMaker 2: the source's).
 */
export async function topicTimestampType(config: KafkaConfig, topic: string): Promise<string | undefined> {
  const admin = new Kafka({ logLevel: logLevel.NOTHING, ...config }).admin();
  await admin.connect();
  try {
    const res = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["message.timestamp.type"] }], includeSynonyms: false });
    return res.resources[0]?.configEntries.find((e) => e.configName === "message.timestamp.type")?.configValue;
  } finally {
    await admin.disconnect();
  }
}

/** An Entra ID app registration's client credential (its service principal holds a data role on the lake). */
export interface EntraClient {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** How the lake is signed in to: Entra ID when `entra` is given (an Azure lake without shared keys), else the account key (Azurite). */
export interface LakeAuth {
  /** @default undefined (Entra ID needs `entra`) */
  readonly accountKey?: string;
  /** @default undefined (the account key) */
  readonly entra?: EntraClient;
}

export interface LakeLocation extends LakeAuth {
  /** Blob endpoint of the account (path-style for Azurite). */
  readonly blobEndpoint: string;
  readonly account: string;
  readonly filesystem: string;
  /** @default "topics" */
  readonly topicsDir?: string;
}

/**
 * A refused token request says for which client and why (AADSTS… from Entra ID), on one line, never
 * with the secret. The wrapped credential keeps its token cache, so one credential serves many calls.
 */
export class NamedClientCredential implements TokenCredential {
  constructor(
    private readonly inner: TokenCredential,
    private readonly client: EntraClient,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    try {
      return await this.inner.getToken(scopes, options);
    } catch (e) {
      throw new Error(entraFailure(this.client, e));
    }
  }
}

/**
 * Why a token was not issued, on one line: "refused: AADSTS…" when Entra ID answered (from its error
 * code on, so the code survives a cut), else "not obtained: …" (network, proxy). The secret is never
 * in it: Entra ID does not echo it, and should a proxy or a future message do so, it is blanked here.
 */
export function entraFailure(client: EntraClient, e: unknown): string {
  const raw = (e as Error)?.message ?? String(e);
  // A real secret is some 40 characters; blanking a very short one would only garble the reason.
  const said = (client.clientSecret.length >= 8 ? raw.split(client.clientSecret).join("<secret>") : raw).replace(/\s+/g, " ").trim();
  const aadsts = said.indexOf("AADSTS");
  return `Entra ID token for client ${client.clientId} ${aadsts >= 0 ? `refused: ${said.slice(aadsts)}` : `not obtained: ${said}`}`;
}

/** One credential per Entra ID client object: its tokens are cached until they expire, not fetched per call. */
const CREDENTIALS = new WeakMap<EntraClient, TokenCredential>();

/**
 * The credential the lake is read with, for the console and for verify alike: Entra ID (a client
 * secret credential of `@azure/identity`) when configured, else the account's shared key.
 */
export function lakeCredential(lake: LakeAuth & { readonly account: string }): TokenCredential | StorageSharedKeyCredential {
  if (lake.entra) {
    const client = lake.entra;
    let credential = CREDENTIALS.get(client);
    if (!credential) {
      // No retries inside: the caller's timeout and its next refresh are the retry.
      credential = new NamedClientCredential(new ClientSecretCredential(client.tenantId, client.clientId, client.clientSecret, { retryOptions: { maxRetries: 0 } }), client);
      CREDENTIALS.set(client, credential);
    }
    return credential;
  }
  if (lake.accountKey) return new StorageSharedKeyCredential(lake.account, lake.accountKey);
  throw new Error("no account key and no Entra ID client configured");
}

/** The lake's filesystem as a container client, signed in as lakeCredential says. */
export function lakeContainer(lake: LakeLocation, options?: StoragePipelineOptions): ContainerClient {
  return new BlobServiceClient(lake.blobEndpoint, lakeCredential(lake), options).getContainerClient(lake.filesystem);
}

/**
 * Every record landed for a topic, timed by its file's last-modified time. `cache` (file name and
 * ETag → its records) spares re-downloading unchanged files when the lake is read repeatedly.
 */
export async function readLake(lake: LakeLocation, topic: string, cache?: Map<string, TimedChange[]>): Promise<{ files: number; changes: TimedChange[] }> {
  const container = lakeContainer(lake);
  const changes: TimedChange[] = [];
  let files = 0;
  if (!(await container.exists())) return { files, changes };
  for await (const blob of container.listBlobsFlat({ prefix: `${lake.topicsDir ?? "topics"}/${topic}/` })) {
    files++;
    const version = `${blob.name}@${blob.properties.etag ?? ""}`;
    let records = cache?.get(version);
    if (!records) {
      const at = blob.properties.lastModified?.getTime() ?? 0;
      const body = await container.getBlobClient(blob.name).downloadToBuffer();
      records = body
        .toString("utf8")
        .split("\n")
        .filter((line) => line.trim())
        .map((line) => ({ change: parseJsonExact(line) as Change, at }));
      cache?.set(version, records);
    }
    for (const r of records) changes.push(r);
  }
  return { files, changes };
}
