/**
 * Two on-prem sites into one cloud on this machine's Docker engine (slot per BRIDGE_IT_SLOT), as
 * `scripts/up.sh` deploys them with `sites`: each site's simulator → its database → its Debezium →
 * its Kafka → its own MirrorMaker 2 → the one cloud Kafka → the one lake sink → Azurite. Both sites'
 * orders must land exactly once, each carrying its site (topic prefix and `sourcedc`). The way back is on:
 * one stock processor in the cloud for both sites, each site's own events topic copied back to it alone
 * and written into its own `dcNN_out_of_stock_events` table, where its simulator answers with a purchase order.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { createConnection, RowDataPacket } from "mysql2/promise";
import { readLake } from "../../verify/sources";
import { changeIdentity } from "../../verify/reconcile";
import { outOfStockTable } from "../../config/tables";
import { eventRows, sellOut, stockOf } from "../kit/stock";
import { IT, ROOT, appDb, deploymentContainers, docker, itEnv, lakeLocation, planExitCode, script, sleep, terraform, waitFor } from "./harness";

jest.setTimeout(30 * 60 * 1000);

/** The second site: the slot's ports + 150, between this slot's and the next one's (300 apart). */
const DC02 = { dc: "dc02", database: { port: IT.dbPort + 150 }, kafka: { basePort: IT.kafkaPort + 150 }, connect: { basePort: IT.connectPort + 150 }, simulator: { metricsPort: IT.metricsPort + 150 } };
// The observability follows the first site only; off, to keep the deployment small.
const env = itEnv({ sites: [{ dc: "dc01" }, DC02], writeBack: { enabled: true }, observability: { prometheus: { enabled: false }, console: { enabled: false } } });
/** A third site, for the plan of adding it: ports + 225 (between the second site's and the next slot's). */
const DC03 = { dc: "dc03", database: { port: IT.dbPort + 225 }, kafka: { basePort: IT.kafkaPort + 225 }, connect: { basePort: IT.connectPort + 225 }, simulator: { metricsPort: IT.metricsPort + 225 } };
const SITES = [
  { dc: "dc01", db: () => appDb(), simulator: `${IT.prefix}-simulator` },
  { dc: "dc02", db: () => ({ ...appDb(), port: DC02.database.port }), simulator: `${IT.prefix}-dc02-simulator` },
];

async function detailIds(db: ReturnType<typeof appDb>): Promise<number[]> {
  const conn = await createConnection(db);
  try {
    const [rows] = await conn.query<RowDataPacket[]>("SELECT id FROM sales_order_details ORDER BY id");
    return rows.map((r) => Number(r.id));
  } finally {
    await conn.end();
  }
}

let upSeconds = 0;
beforeAll(() => {
  script("clean-deployment.sh", [], env);
  const t0 = Date.now();
  script("up.sh", [], env);
  upSeconds = Math.round((Date.now() - t0) / 1000);
});

afterAll(() => {
  console.log(`sites: up.sh of two sites took ${upSeconds} s`);
  script("down.sh", ["--purge"], env);
});

test("GIVEN two sites deployed WHEN listed THEN each has its own containers, the second's named by its dc", () => {
  const names = deploymentContainers();
  for (const part of ["kafka-1", "connect-1", "mariadb", "simulator"]) {
    expect(names).toContain(`${IT.prefix}-${part}`);
    expect(names).toContain(`${IT.prefix}-dc02-${part}`);
  }
});

test("GIVEN both simulators writing WHEN they stop THEN every sales line of each site is in the lake exactly once, in its site's topic, carrying its site", async () => {
  for (const s of SITES) {
    await waitFor(`${s.dc}'s first lines in the lake`, async () => (await readLake(lakeLocation(), `${s.dc}_sales_order_details`)).changes.length > 0, 240000, 3000);
  }
  for (const s of SITES) docker("stop", s.simulator);
  for (const s of SITES) {
    const topic = `${s.dc}_sales_order_details`;
    const ids = await detailIds(s.db());
    expect(ids.length).toBeGreaterThan(0);
    let landed: Set<number> = new Set();
    await waitFor(`${ids.length} lines of ${s.dc} in the lake`, async () => {
      landed = new Set((await readLake(lakeLocation(), topic)).changes.map((c) => Number(c.change.id)));
      return ids.every((id) => landed.has(id));
    }, 180000, 3000);
    const { changes } = await readLake(lakeLocation(), topic);
    const identities = changes.map((c) => changeIdentity(c.change));
    // Exactly once: no change twice, none missing, and each one of its own site.
    expect({ topic, duplicates: identities.length - new Set(identities).size }).toEqual({ topic, duplicates: 0 });
    expect([...landed].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(changes.map((c) => c.change.sourcedc))).toEqual(new Set([s.dc]));
  }
});

/** The product sold out at dc02 (in stock at both sites when chosen), and dc02's purchase lines before it. */
let soldOut: { product: number; purchaseIdBefore: number } | undefined;

async function withDb<T>(site: (typeof SITES)[number], f: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
  const conn = await createConnection(site.db());
  try {
    return await f(conn);
  } finally {
    await conn.end();
  }
}

test("GIVEN both simulators stopped WHEN a product sells out at dc02 THEN one event row for it in dc02's table and none in dc01's", async () => {
  const [dc01, dc02] = SITES;
  // A product well in stock at both sites (the simulators' own orders may have sold some out already).
  const stocks = await Promise.all(SITES.map((s) => withDb(s, async (c) => Promise.all(Array.from({ length: 20 }, (_, i) => stockOf(c, i + 1))))));
  const product = 1 + stocks[0].map((v, i) => Math.min(v, stocks[1][i])).reduce((best, v, i, all) => (v > all[best] ? i : best), 0);
  expect(Math.min(stocks[0][product - 1], stocks[1][product - 1])).toBeGreaterThan(1);
  const purchaseIdBefore = await withDb(dc02, async (c) => {
    const [[row]] = await c.query<RowDataPacket[]>("SELECT COALESCE(MAX(id), 0) AS id FROM purchase_order_details");
    await sellOut(c, product);
    return Number(row.id);
  });
  soldOut = { product, purchaseIdBefore };
  const rowsOf = (s: (typeof SITES)[number]) => withDb(s, (c) => eventRows(c, outOfStockTable(s.dc)));
  await waitFor(`dc02's event row for product ${product}`, async () => (await rowsOf(dc02)).some((r) => r.product === product), 240000, 2000);
  await sleep(15000); // a duplicate, or a copy reaching dc01, would show by now
  expect((await rowsOf(dc02)).filter((r) => r.product === product)).toEqual([{ product, onHand: 0 }]);
  // dc01 still has the product in stock: an event for it there could only be dc02's, leaked.
  expect(await withDb(dc01, (c) => stockOf(c, product))).toBeGreaterThan(0);
  expect((await rowsOf(dc01)).filter((r) => r.product === product)).toEqual([]);
});

test("GIVEN both sites landed WHEN npm run verify runs THEN it reconciles each site on its own and exits 0", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "dist", "scripts", "verify.js"), "--wait", "60"], { cwd: ROOT, env, encoding: "utf8" });
  const out = `${r.stdout}\n${r.stderr}`;
  expect({ status: r.status, out }).toEqual({ status: 0, out: expect.stringContaining("Site dc02:") });
  expect(out).toContain("Site dc01:");
  for (const dc of ["dc01", "dc02"]) expect(out).toMatch(new RegExp(`sales_order_details → ${dc}_sales_order_details`));
});

test("GIVEN two sites deployed WHEN a third is added to the configuration THEN the deployed sites plan no change and the bridge's changes are the new site's", () => {
  // The simulators run again (the test above stopped them: a stopped container would plan its start).
  for (const s of SITES) docker("start", s.simulator);
  // The three-site configuration synthesized beside the deployed one; the stacks' local state is the same files.
  const outdir = `${IT.outdir}-3sites`;
  const env3 = { ...itEnv({ sites: [{ dc: "dc01" }, DC02, DC03], writeBack: { enabled: true }, observability: { prometheus: { enabled: false }, console: { enabled: false } } }), BRIDGE_OUTDIR: outdir, CDKTF_OUTDIR: join(ROOT, outdir) };
  const synth = spawnSync(process.execPath, [join(ROOT, "dist", "main.js")], { cwd: ROOT, env: env3, encoding: "utf8" });
  expect({ status: synth.status, err: synth.stderr.slice(-1000) }).toEqual({ status: 0, err: expect.any(String) });
  const plan = (stack: string) => {
    const init = terraform(stack, ["init", "-input=false", "-no-color"], env3, outdir);
    expect({ stack, init: init.code === 0 ? "ok" : init.output.slice(-3000) }).toEqual({ stack, init: "ok" });
    const p = planExitCode(stack, env3, outdir);
    const changed = [...p.output.matchAll(/^ {2}# (\S+) (?:will be|must be) (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    return { code: p.code, changed, tail: p.output.slice(-3000) };
  };
  for (const stack of ["onprem", "onprem-dc02"]) {
    const p = plan(stack);
    expect({ stack, code: p.code, changed: p.changed }).toEqual({ stack, code: 0, changed: [] });
  }
  const bridge = plan("bridge");
  console.log(`sites: adding dc03, the bridge plans:\n  ${bridge.changed.join("\n  ")}`);
  expect({ code: bridge.code, tail: bridge.code === 2 ? "" : bridge.tail }).toEqual({ code: 2, tail: "" });
  // dc03's replication both ways and its JDBC sink, and the two shared readers of every site's topics, which now
  // also read dc03's: the lake sink (`sink` in constructs/bridge/lake-sink.ts) and the stock processor (`service`
  // in constructs/bridge/stock-processor.ts); their topics are in their environment, so each is replaced. Nothing
  // of dc01's or dc02's.
  const shared = /^docker_container\.(sink|stock-processor_service)_container_/;
  const foreign = bridge.changed.filter((c) => !/dc03/.test(c) && !shared.test(c));
  expect(foreign).toEqual([]);
  expect(bridge.changed.some((c) => /dc03/.test(c))).toBe(true);
});

test("GIVEN dc02's pending event WHEN its simulator runs again THEN it raises a purchase order for the product at dc02 and clears the row", async () => {
  expect(soldOut).toBeDefined();
  const { product, purchaseIdBefore } = soldOut!;
  const dc02 = SITES[1];
  // The plan test above started the simulators again; dc02's answers its pending events at its next order.
  await waitFor(`a purchase order line for product ${product} at dc02 and its event row cleared`, async () =>
    withDb(dc02, async (c) => {
      const [lines] = await c.query<RowDataPacket[]>("SELECT id FROM purchase_order_details WHERE product_id = ? AND id > ?", [product, purchaseIdBefore]);
      return lines.length > 0 && !(await eventRows(c, outOfStockTable(dc02.dc))).some((r) => r.product === product);
    }), 180000, 2000);
});
