/**
 * The lake sink killed (`docker kill -s KILL`) mid-stream, three times, while primary keys change
 * (UPDATE … SET id = -id: Debezium's delete + create at one binlog position): every change lands
 * exactly once, and the time from the kill / the restart until the partitions are assigned again
 * and until the next file lands is printed (a figure, not a timed assertion).
 */
import { spawnSync } from "child_process";
import { ResultSetHeader } from "mysql2/promise";
import { reconcile } from "../../verify/reconcile";
import { readLake, readTable } from "../../verify/sources";
import { IT, appDb, db, docker, lakeLocation, script, sleep, waitFor } from "./harness";

jest.setTimeout(25 * 60 * 1000);

const TOPIC = "dc01_sales_order_details";
const SINK = IT.container("lake-sink");
const ROUNDS = 3;

/** Sink log lines (they start with an ISO time) written at or after `sinceMs`. */
function sinkLogSince(sinceMs: number): Array<{ at: number; text: string }> {
  // info lines go to stdout, warnings to stderr
  const r = spawnSync("docker", ["logs", "--since", new Date(sinceMs - 1000).toISOString(), SINK], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return `${r.stdout ?? ""}\n${r.stderr ?? ""}`
    .split("\n")
    .map((l) => ({ at: Date.parse(l.slice(0, 24)), text: l }))
    .filter((l) => Number.isFinite(l.at) && l.at >= sinceMs);
}

beforeAll(() => {
  script("clean-deployment.sh");
  script("up.sh");
});

afterAll(() => {
  script("down.sh", ["--purge"]);
});

test("killing the sink three times while keys change: exactly once, and the recovery time is printed", async () => {
  await waitFor("a landed file", async () => (await readLake(lakeLocation(), TOPIC)).files > 0, 120000, 2000);
  const conn = await db();
  const inserted: number[] = [];
  const rekeyed: number[] = []; // old ids whose row now has id = -old
  const figures: Array<{
    round: number;
    restartAfterKillMs: number;
    assignedAfterKillMs: number;
    /** The partition recovered from the lake and its first batch processed again: the sink is back. */
    resumedAfterKillMs: number;
    landedAfterKillMs: number;
    /** Why that first file closed (rotation.ts): with a few rows a second, "age" = OPEN_FILE_MAX_MS after it opened. */
    landedReason: string;
  }> = [];
  try {
    const [order] = await conn.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 23)");
    const insert = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const [r] = await conn.execute<ResultSetHeader>(
          "INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, 5, 3, 4.25)",
          [order.insertId],
        );
        inserted.push(r.insertId);
        await sleep(10);
      }
    };
    /** One key change per statement for the first `single`, then one multi-row UPDATE for `multi` ids. */
    const rekey = async (single: number, multi: number) => {
      const todo = inserted.filter((id) => !rekeyed.includes(id)).slice(-(single + multi));
      for (const id of todo.slice(0, single)) await conn.execute("UPDATE sales_order_details SET id = -id WHERE id = ?", [id]);
      const many = todo.slice(single);
      if (many.length > 0) await conn.query(`UPDATE sales_order_details SET id = -id WHERE id IN (${many.map(() => "?").join(",")})`, many);
      rekeyed.push(...todo);
    };
    for (let round = 1; round <= ROUNDS; round++) {
      await insert(40);
      await rekey(3, 4);
      const killAt = Date.now();
      docker("kill", "-s", "KILL", SINK);
      await insert(20);
      await rekey(2, 3);
      docker("start", SINK); // a no-op when Docker's restart policy was faster
      const startedAt = Date.parse(docker("inspect", "-f", "{{.State.StartedAt}}", SINK));
      await insert(20);
      let assigned: number | undefined;
      let resumed: number | undefined;
      let landed: { at: number; text: string } | undefined;
      await waitFor(
        `round ${round}: the restarted sink to be assigned its partitions and land a file`,
        () => {
          const log = sinkLogSince(startedAt);
          assigned ??= log.find((l) => / joined group .*\[\d/.test(l.text))?.at;
          resumed ??= assigned === undefined ? undefined : log.find((l) => l.at >= assigned! && l.text.includes(`assigned ${TOPIC}[`))?.at;
          landed = resumed === undefined ? undefined : log.find((l) => l.at >= resumed! && / landed topics\//.test(l.text));
          return landed !== undefined;
        },
        180000,
        500,
      );
      figures.push({
        round,
        restartAfterKillMs: startedAt - killAt,
        assignedAfterKillMs: assigned! - killAt,
        resumedAfterKillMs: resumed! - killAt,
        landedAfterKillMs: landed!.at - killAt,
        landedReason: / reason=(\S+)/.exec(landed!.text)?.[1] ?? "?",
      });
    }
  } finally {
    await conn.end();
  }
  console.log(`sink recovery after docker kill -s KILL (ms):\n${figures.map((f) => JSON.stringify(f)).join("\n")}`);

  // Every inserted row: exactly one create; a re-keyed row also exactly one delete of the old id
  // and one create of the new (negative) id.
  const want = new Map<number, string[]>();
  for (const id of inserted) want.set(id, rekeyed.includes(id) ? ["c", "d"] : ["c"]);
  for (const id of rekeyed) want.set(-id, ["c"]);
  const landedOps = async () => {
    const got = new Map<number, string[]>();
    for (const { change } of (await readLake(lakeLocation(), TOPIC)).changes) {
      const id = Number(change.id);
      if (want.has(id)) got.set(id, [...(got.get(id) ?? []), String(change.__op)]);
    }
    return got;
  };
  let got = new Map<number, string[]>();
  const total = [...want.values()].reduce((n, ops) => n + ops.length, 0);
  const count = () => [...got.values()].reduce((n, ops) => n + ops.length, 0);
  await waitFor(`${total} changes in the lake`, async () => count() >= total || ((got = await landedOps()), count() >= total), 300000, 3000);
  await sleep(5000); // a duplicate would show by now
  got = await landedOps();
  const wrong = [...want.entries()].filter(([id, ops]) => JSON.stringify(got.get(id) ?? []) !== JSON.stringify(ops)).map(([id, ops]) => ({ id, want: ops, got: got.get(id) ?? [] }));
  expect(wrong).toEqual([]);
  expect(rekeyed.length).toBe(ROUNDS * 12);

  // The whole table reconciles: every row's current version landed, no change twice.
  const rows = await readTable(appDb(), "sales_order_details");
  let r!: ReturnType<typeof reconcile>;
  await waitFor(
    "the table to reconcile",
    async () => {
      r = reconcile(rows, [{ name: "lake files", changes: (await readLake(lakeLocation(), TOPIC)).changes }]);
      return r.ok || r.duplicatedInLake.length > 0;
    },
    120000,
    3000,
  ).catch(() => undefined);
  expect({ missing: r.missingInLake.map((x) => x.id), duplicated: r.duplicatedInLake }).toEqual({ missing: [], duplicated: [] });
});
