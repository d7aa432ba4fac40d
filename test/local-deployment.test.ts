/**
 * The shared test kit's deployment (test/kit/local-deployment.ts): what it hands the project
 * scripts must resolve, through the real configuration loader, to the deployment it describes.
 */
import { LocalDeployment } from "./kit/local-deployment";

const PORTS = { dbPort: 43306, kafkaPort: 49192, connectPort: 48083, cloudKafkaPort: 49392, azuritePort: 40000 };

function clean(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // Ambient BRIDGE_* variables of the shell running the tests must not leak into the assertions.
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("BRIDGE_") || ["BRIDGE_ENVIRONMENT", "BRIDGE_CONFIG", "BRIDGE_OUTDIR", "BRIDGE_OUTPUTS_FILE", "BRIDGE_SKIP_BOOTSTRAP"].includes(k)));
}

test("GIVEN a deployment's ports WHEN its script environment is resolved THEN the configuration has those ports, its name and simulator", () => {
  const d = new LocalDeployment({ environment: "kit1", ...PORTS, simulator: { enabled: false } });
  const t = d.topology(clean(d.env()));
  const c = t.config;
  expect(c.environment).toBe("kit1");
  expect(c.onPrem.database.port).toBe(43306);
  expect(t.deployment.endpoints.onPremKafka).toEqual([{ host: "127.0.0.1", port: 49192 }]);
  expect(c.local).toMatchObject({ kafkaPort: 49392, kafkaControllerPort: 49393, azuriteBlobPort: 40000 });
  expect(c.onPrem.simulator.enabled).toBe(false);
  expect(d.outdir).toBe("cdktf.out.kit1");
});

test("GIVEN extra configuration WHEN it is merged THEN top-level keys replace, `local` adds to the ports", () => {
  const d = new LocalDeployment({ environment: "kit2", ...PORTS, simulator: { intervalMs: 1000 } });
  const c = d.topology(clean(d.env(d.config({ replication: { topics: ["dc01_sales_orders"] }, local: { azuriteBlobPort: 40100 } })))).config;
  expect(c.derived.replicatedTopics).toEqual(["dc01_sales_orders", "dc01_bridge_latency_probe"]);
  expect(c.local).toMatchObject({ kafkaPort: 49392, azuriteBlobPort: 40100 });
  expect(c.onPrem.simulator.intervalMs).toBe(1000);
});

test("GIVEN a deployment WHEN its command line is printed THEN it sets the same variables the scripts get", () => {
  const d = new LocalDeployment({ environment: "kit3", ...PORTS, simulator: { enabled: false } });
  const env = d.env();
  const line = d.envLine();
  for (const k of ["BRIDGE_ENVIRONMENT", "BRIDGE_OUTDIR", "BRIDGE_OUTPUTS_FILE", "BRIDGE_SKIP_BOOTSTRAP"]) expect(line).toContain(`${k}=${env[k]}`);
  expect(line).toContain(`BRIDGE_CONFIG='${env.BRIDGE_CONFIG}'`);
});
