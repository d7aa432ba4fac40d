/**
 * Helpers of the CDC semantics suite: a deployment replicating several tables, schema changes
 * as the database administrator, and the two checks every scenario makes on the keys it wrote:
 *   - each change of those keys is in the lake exactly once, in binlog order per key;
 *   - each key's database row equals the key's last change in the lake (a deleted key's last
 *     change is its delete), by verify's rule (verify/reconcile.ts matchesRow).
 */
import { DEFAULTS } from "../../config/defaults";
import { cdcTopic } from "../../connectors/debezium";
import { Change, changeIdentity, committedBefore, compareChanges, matchesRow, TimedChange } from "../../verify/reconcile";
import { readLake, readTableSnapshot, TableRead } from "../../verify/sources";
import { IT, appDb, docker, itEnv, lakeLocation, sleep, waitFor } from "./harness";

export { appDb, cloudKafka, lakeLocation } from "./harness";

/** The tables this suite replicates to the lake (the simulator writes to all but customers and products). */
export const TABLES = ["customers", "products", "sales_orders", "sales_order_details", "purchase_orders", "purchase_order_details"] as const;
export type Table = (typeof TABLES)[number];

export const topicOf = (table: Table): string => cdcTopic(DEFAULTS.onPrem.dc, table);

/**
 * The integration deployment with every table of TABLES in `replication.topics` (MirrorMaker 2 and the
 * lake sink follow it). Files land after 10 s open, not 60: the simulator keeps sales_order_details busy,
 * so each wait for a change in the lake would otherwise take up to a minute.
 */
export function semanticsEnv(): NodeJS.ProcessEnv {
  return itEnv({ replication: { topics: TABLES.map(topicOf) }, local: { sinkOpenFileMaxMs: 10000 } });
}


/**
 * DDL as the database administrator: the application user may not ALTER. Runs the client inside
 * the database container as its OS user, whose unix_socket account has every privilege.
 */
export function dba(sql: string): string {
  return docker("exec", IT.container(DEFAULTS.onPrem.database.flavour), "mariadb", "--user=mysql", DEFAULTS.onPrem.database.name, "-N", "-e", sql);
}

/** Reads the lake repeatedly without downloading a file twice. */
export class Lake {
  private readonly cache = new Map<Table, Map<string, TimedChange[]>>();

  /** Every landed change of the table, in binlog order. */
  async changes(table: Table): Promise<Change[]> {
    if (!this.cache.has(table)) this.cache.set(table, new Map());
    const { changes } = await readLake(lakeLocation(), topicOf(table), this.cache.get(table));
    return changes.map((c) => c.change).sort(compareChanges);
  }

  /** The landed changes of the given keys, in binlog order. */
  async of(table: Table, ids: Iterable<number>): Promise<Change[]> {
    const want = new Set([...ids].map(String));
    return (await this.changes(table)).filter((c) => want.has(String(c.id)));
  }

  /**
   * Waits until at least `count` changes of the keys landed, then a little longer so a duplicate
   * landing late would show too (the sink closes idle files after 2 s), and returns them.
   */
  async await(table: Table, ids: Iterable<number>, count: number, timeoutMs = 120000): Promise<Change[]> {
    const keys = [...ids];
    await waitFor(`${count} changes of ${keys.length} ${table} keys in the lake`, async () => (await this.of(table, keys)).length >= count, timeoutMs, 1000).catch(
      () => undefined, // the assertions below say what is missing
    );
    await sleep(5000);
    return this.of(table, keys);
  }
}

/** Operations per key, in binlog order: { "17": "c,u,d" }. */
export function opsByKey(changes: readonly Change[]): Record<string, string> {
  const out: Record<string, string[]> = {};
  for (const c of [...changes].sort(compareChanges)) (out[String(c.id)] ??= []).push(String(c.__op));
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join(",")]));
}

/** The landed changes exactly once each: no identity twice, and per key exactly the expected operations. */
export function expectExactlyOnce(landed: readonly Change[], expected: Record<string, string>): void {
  const seen = new Map<string, number>();
  for (const c of landed) seen.set(changeIdentity(c), (seen.get(changeIdentity(c)) ?? 0) + 1);
  expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
  expect(opsByKey(landed)).toEqual(expected);
}

export interface RowCheck {
  readonly read: TableRead;
  /** Keys whose database row differs from their last landed change (or that are gone from one side only). */
  readonly mismatches: Array<{ id: number; db: Record<string, unknown> | undefined; lake: Change | undefined }>;
}

/**
 * Holds each key's database row (read in a consistent snapshot) against its last change in the
 * lake committed before that snapshot: a live row must match it, a missing row must end in a delete.
 */
export async function compareRows(lake: Lake, table: Table, ids: readonly number[]): Promise<RowCheck> {
  const read = await readTableSnapshot(appDb(), table, ids);
  const rows = new Map(read.rows.map((r) => [Number(r.id), r]));
  const last = new Map<number, Change>(); // changes come in binlog order: the last one set wins
  for (const c of await lake.of(table, ids)) if (!read.snapshot || committedBefore(c, read.snapshot)) last.set(Number(c.id), c);
  const mismatches: RowCheck["mismatches"] = [];
  for (const id of ids) {
    const db = rows.get(id);
    const lc = last.get(id);
    const ok = db ? lc !== undefined && lc.__op !== "d" && matchesRow(db, lc, read.columns) : lc === undefined || lc.__op === "d";
    if (!ok) mismatches.push({ id, db, lake: lc });
  }
  return { read, mismatches };
}

export async function expectRowsMatchLake(lake: Lake, table: Table, ids: readonly number[]): Promise<RowCheck> {
  const check = await compareRows(lake, table, ids);
  expect(check.mismatches).toEqual([]);
  return check;
}
