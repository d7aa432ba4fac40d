/**
 * Faults under a steady load on the whole local topology (stacks onprem + bridge),
 * one after the other on one deployment: the Connect worker killed, the lake sink
 * killed mid-upload, the on-prem broker restarted, the cloud broker stopped and
 * frozen for 60 s, the database restarted. After each, the load stops, the lake
 * drains, and the whole table and every change of that load are checked against
 * the lake: nothing lost, nothing twice, values equal. Each prints its recovery
 * (faults-kit.ts: fault end → the lake has every change committed before the end
 * and one committed after); recovery times are figures, not assertions.
 */
import { itEnv, script } from "./harness";
import { CLEAN, MIN_CHANGES_PER_RUN, FaultName, FaultRun, LakeWatch, deployment, fault, underLoad, verdict } from "./faults-kit";

// Generous: recovery times are printed, not asserted (a loaded 2-core machine takes minutes for some faults).
jest.setTimeout(15 * 60 * 1000);

// The simulator container is off: the load generator is the only writer, so every row is accounted for.
const ENV = { ...itEnv(), BRIDGE_SIMULATOR_ENABLED: "false" };
const d = deployment(ENV);
const RATE = 150;
let watch: LakeWatch;

beforeAll(() => {
  script("clean-deployment.sh", [], ENV);
  script("up.sh", [], ENV);
  watch = new LakeWatch(d.lake(), d.topic);
}, 10 * 60 * 1000);

afterAll(() => {
  script("down.sh", ["--purge"], ENV);
}, 5 * 60 * 1000);

function expectExactlyOnce(run: FaultRun): void {
  expect(verdict(run)).toEqual(CLEAN);
  // A run that committed (almost) nothing would prove nothing.
  expect(run.check.rows).toBeGreaterThanOrEqual(MIN_CHANGES_PER_RUN);
}

test("GIVEN a steady load and no fault THEN every change lands once (the baseline recovery figure)", async () => {
  expectExactlyOnce(await underLoad(d, watch, "baseline", { rowsPerSecond: RATE, preMs: 3000, postMs: 20000, seed: 1 }));
});

const SEQUENCE: FaultName[] = ["connect-kill", "sink-kill-mid-upload", "onprem-broker-restart", "cloud-broker-stop", "cloud-broker-pause", "db-restart"];

SEQUENCE.forEach((name, i) => {
  const f = fault(name);
  test(`GIVEN a steady load WHEN ${f.what} THEN nothing is lost or duplicated and the values are equal`, async () => {
    expectExactlyOnce(await underLoad(d, watch, f, { rowsPerSecond: RATE, seed: 10 + i }));
  });
});
