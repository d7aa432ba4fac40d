/**
 * Two on-prem sites into one cloud on this machine's Docker engine (slot per BRIDGE_IT_SLOT), as
 * `scripts/up.sh` deploys them with `sites`: each site's simulator → its database → its Debezium →
 * its Kafka → its own MirrorMaker 2 → the one cloud Kafka → the one lake sink → Azurite. Both sites'
 * orders must land exactly once, each carrying its site (topic prefix and `sourcedc`).
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { createConnection, RowDataPacket } from "mysql2/promise";
import { readLake } from "../../verify/sources";
import { changeIdentity } from "../../verify/reconcile";
import { IT, ROOT, appDb, deploymentContainers, docker, itEnv, lakeLocation, planExitCode, script, terraform, waitFor } from "./harness";

jest.setTimeout(30 * 60 * 1000);

/** The second site: the slot's ports + 150, between this slot's and the next one's (300 apart). */
const DC02 = { dc: "dc02", database: { port: IT.dbPort + 150 }, kafka: { basePort: IT.kafkaPort + 150 }, connect: { basePort: IT.connectPort + 150 }, simulator: { metricsPort: IT.metricsPort + 150 } };
// The observability follows the first site only; off, to keep the deployment small.
const env = itEnv({ sites: [{ dc: "dc01" }, DC02], observability: { prometheus: { enabled: false }, console: { enabled: false } } });
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
  const env3 = { ...itEnv({ sites: [{ dc: "dc01" }, DC02, DC03], observability: { prometheus: { enabled: false }, console: { enabled: false } } }), BRIDGE_OUTDIR: outdir, CDKTF_OUTDIR: join(ROOT, outdir) };
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
  // dc03's replication, and the one lake sink, which now also reads dc03's topics: nothing of dc01's or dc02's.
  // (the lake sink's container is `sink` in the bridge stack: constructs/bridge/lake-sink.ts; its topics changed, so it is replaced)
  const foreign = bridge.changed.filter((c) => !/dc03/.test(c) && !/^docker_container\.sink_container_/.test(c));
  expect(foreign).toEqual([]);
  expect(bridge.changed.some((c) => /dc03/.test(c))).toBe(true);
});
