/** Readers of each hop: the database table, a Kafka topic to its end, the landed files of a topic. */
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { Kafka, KafkaConfig, logLevel } from "kafkajs";
import { createConnection } from "mysql2/promise";
import { Change, TimedChange } from "./reconcile";

export async function readTable(
  conn: { host: string; port: number; user: string; password: string; database: string },
  table: string,
): Promise<Record<string, unknown>[]> {
  if (!/^[A-Za-z0-9_]+$/.test(table)) throw new Error(`readTable: "${table}" is not a table name`);
  const c = await createConnection({ ...conn, decimalNumbers: true, dateStrings: false });
  try {
    const [rows] = await c.query(`SELECT * FROM \`${table}\``);
    return rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
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

export interface LakeLocation {
  /** Blob endpoint of the account (path-style for Azurite). */
  readonly blobEndpoint: string;
  readonly account: string;
  readonly accountKey: string;
  readonly filesystem: string;
  /** @default "topics" */
  readonly topicsDir?: string;
}

/** Every record landed for a topic, timed by its file's last-modified time. */
export async function readLake(lake: LakeLocation, topic: string): Promise<{ files: number; changes: TimedChange[] }> {
  const service = new BlobServiceClient(lake.blobEndpoint, new StorageSharedKeyCredential(lake.account, lake.accountKey));
  const container = service.getContainerClient(lake.filesystem);
  const changes: TimedChange[] = [];
  let files = 0;
  if (!(await container.exists())) return { files, changes };
  for await (const blob of container.listBlobsFlat({ prefix: `${lake.topicsDir ?? "topics"}/${topic}/` })) {
    files++;
    const at = blob.properties.lastModified?.getTime() ?? 0;
    const body = await container.getBlobClient(blob.name).downloadToBuffer();
    for (const line of body.toString("utf8").split("\n")) {
      if (line.trim()) changes.push({ change: JSON.parse(line) as Change, at });
    }
  }
  return { files, changes };
}
