/**
 * OpenTofu for real: the on-prem stack deployed and destroyed with `tofu` (the build of
 * scripts/opentofu.sh) instead of terraform, through scripts/up.sh and scripts/down.sh
 * (cdktf runs the binary TERRAFORM_BINARY_NAME names), with the providers of the same
 * air-gapped mirror, which serves registry.opentofu.org too. Fails, never skips, when
 * tofu is not built: scripts/bootstrap.sh builds it.
 */
import { spawnSync } from "child_process";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { ROOT, IT, db, deploymentContainers, deploymentVolumes, docker, itEnv, onPremKafka, readUntil, script } from "./harness";

jest.setTimeout(10 * 60 * 1000);

/** The tofu binary scripts/opentofu.sh built; throws (failing every test) when there is none. */
function tofu(): string {
  const r = spawnSync(join(ROOT, "scripts", "opentofu.sh"), ["--path"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`OpenTofu is not built: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

const stateFile = join(ROOT, ".state", IT.environment, "onprem.tfstate");
let env: NodeJS.ProcessEnv;
let destroyed = false;

beforeAll(() => {
  env = { ...itEnv(), TERRAFORM_BINARY_NAME: tofu() };
  script("clean-deployment.sh");
  script("up.sh", ["onprem"], env);
});

afterAll(() => {
  // A failed test before the destroy test must not leave the deployment behind.
  if (!destroyed && env) script("down.sh", ["--purge", "onprem"], env);
});

test("tofu applied it, with the mirror's providers for registry.opentofu.org", () => {
  expect(spawnSync(env.TERRAFORM_BINARY_NAME!, ["version"], { encoding: "utf8", env }).stdout).toMatch(/^OpenTofu v1\.12\.6$/m);
  const state = JSON.parse(readFileSync(stateFile, "utf8"));
  // Terraform would write its own version here, and registry.terraform.io provider addresses.
  expect(state.terraform_version).toBe("1.12.6");
  const providers = [...new Set((state.resources as { provider: string }[]).map((r) => r.provider))];
  expect(providers).toContain('provider["registry.opentofu.org/kreuzwerker/docker"]');
  for (const p of providers) expect(p).toMatch(/^provider\["registry\.opentofu\.org\//);
});

test("the deployment runs: healthy containers, the database answers, its changes reach Kafka", async () => {
  const names = deploymentContainers();
  expect(names).toEqual(["connect-1", "kafka-1", "mariadb", "simulator"].map((c) => IT.container(c)));
  for (const n of names) expect(docker("inspect", "-f", "{{.State.Health.Status}}", n)).toBe("healthy");
  const conn = await db();
  try {
    const [rows] = await conn.query("SELECT COUNT(*) AS n FROM sales_orders");
    expect(Number((rows as { n: number }[])[0].n)).toBeGreaterThan(0);
  } finally {
    await conn.end();
  }
  const events = await readUntil(onPremKafka, "dc01_sales_orders", (evs) => evs.length > 0, 60000);
  expect(events.length).toBeGreaterThan(0);
});

test("tofu destroys it, leaving no container or volume", () => {
  script("down.sh", ["--purge", "onprem"], env);
  destroyed = true;
  expect(deploymentContainers()).toEqual([]);
  expect(deploymentVolumes()).toEqual([]);
  expect(existsSync(stateFile) && JSON.parse(readFileSync(stateFile, "utf8")).resources).toEqual([]);
});
