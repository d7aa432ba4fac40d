/**
 * The on-prem Kafka with 3 brokers (replication factor 3, min in-sync 2, derived from
 * `onPrem.kafka.brokers`): the broker leading the CDC topic is killed under a steady
 * load and brought back. Nothing may be lost or duplicated on the way to the lake,
 * and the broker must rejoin the in-sync replicas. Prints the recovery figure.
 */
import { itEnv, script, waitFor } from "./harness";
import { CLEAN, MIN_CHANGES_PER_RUN, LakeWatch, deployment, fault, partitionLeaders, underLoad, verdict } from "./faults-kit";

// Generous: recovery times are printed, not asserted (a loaded 2-core machine takes minutes for some faults).
jest.setTimeout(15 * 60 * 1000);

const ENV = { ...itEnv(), BRIDGE_SIMULATOR_ENABLED: "false", BRIDGE_KAFKA_BROKERS: "3" };
const d = deployment(ENV);
const RATE = 150;

beforeAll(() => {
  script("clean-deployment.sh", [], ENV);
  script("up.sh", [], ENV);
}, 10 * 60 * 1000);

afterAll(() => {
  script("down.sh", ["--purge"], ENV);
}, 5 * 60 * 1000);

test("the deployment has 3 brokers and the CDC topic 3 in-sync replicas", async () => {
  expect(d.config.derived.replicationFactor).toBe(3);
  expect(d.config.derived.minInsyncReplicas).toBe(2);
  const [p] = await partitionLeaders(d);
  expect([...p.replicas].sort()).toEqual([1, 2, 3]);
  expect([...p.isr].sort()).toEqual([1, 2, 3]);
});

test("GIVEN a steady load WHEN the leading on-prem broker is killed and brought back THEN nothing is lost or duplicated, values are equal, and it rejoins the ISR", async () => {
  const run = await underLoad(d, new LakeWatch(d.lake(), d.topic), fault("onprem-broker-kill"), { rowsPerSecond: RATE, seed: 30 });
  expect(verdict(run)).toEqual(CLEAN);
  // A run that committed (almost) nothing would prove nothing.
  expect(run.check.rows).toBeGreaterThanOrEqual(MIN_CHANGES_PER_RUN);
  await waitFor("the killed broker back in the ISR", async () => (await partitionLeaders(d))[0].isr.length === 3, 120000, 2000);
});
