/**
 * The lake sink and simulator containers speak their services' env contracts (services/*\/src/env.ts):
 * every variable the stacks set is one the service reads, every variable it requires is set, and its
 * heartbeat file (by default) lies on a tmpfs the container may write (the root filesystem is read-only).
 */
import { Testing } from "cdktf";
import type { EnvSchema } from "@bridge-to-azure/service-kit";
import { resolveConfig } from "../config";
import { COMPONENT_LABEL } from "../constructs/docker/service-container";
import { ServiceEnv } from "../constructs/docker/service-env";
import { buildStacks, everyStack } from "../main";
import { SINK_ENV } from "../services/lake-sink/src/env";
import { SIM_ENV } from "../services/simulator/src/env";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

// Compile-time half: a variable the service does not read is a type error (the build fails when the
// directive below stops being needed, i.e. when ServiceEnv accepts any name).
// @ts-expect-error KAFKA_BROKER is not a variable of the lake sink
void ({ KAFKA_BROKER: "127.0.0.1:9092" } satisfies ServiceEnv<typeof SINK_ENV>);

const SERVICES: { component: string; schema: EnvSchema; heartbeat: string }[] = [
  { component: "lake-sink", schema: SINK_ENV, heartbeat: SINK_ENV.SINK_HEARTBEAT_FILE.default },
  { component: "simulator", schema: SIM_ENV, heartbeat: SIM_ENV.SIM_HEARTBEAT_FILE.default },
];

describe.each(SERVICES)("the $component container keeps its service's env contract", ({ component, schema, heartbeat }) => {
  // GIVEN the stacks of the local target (the one with both containers)
  const containers: TfJson[] = everyStack(buildStacks(Testing.app(), resolveConfig({}))).flatMap((s) =>
    Object.values(JSON.parse(Testing.synth(s)).resource?.docker_container ?? {}),
  );
  const container = containers.find((c) => c.labels.some((l: TfJson) => l.label === COMPONENT_LABEL && l.value === component));
  const env = new Map<string, string>(((container?.env ?? []) as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

  test("the container exists and has an environment", () => {
    expect(container).toBeDefined();
    expect(env.size).toBeGreaterThan(0);
  });

  test("every variable set is one the service reads", () => {
    // THEN no name outside the schema (a spread or rename the types did not see)
    expect([...env.keys()].filter((k) => !(k in schema))).toEqual([]);
  });

  test("every variable the service requires is set", () => {
    const required = Object.entries(schema).filter(([, v]) => v.defaultDoc.text === "(required)").map(([k]) => k);
    // THEN the check is not vacuous, and each required variable has a value
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((k) => !env.get(k))).toEqual([]);
  });

  test("its default heartbeat file lies on a tmpfs of the container", () => {
    // GIVEN no heartbeat variable set by the stacks (the default applies)
    expect([...env.keys()].some((k) => k.endsWith("_HEARTBEAT_FILE"))).toBe(false);
    // THEN some tmpfs mount holds the default path
    expect(Object.keys(container?.tmpfs ?? {}).some((t) => heartbeat.startsWith(`${t}/`))).toBe(true);
  });
});
