/**
 * Integration harness: deploys the real stacks with `scripts/up.sh` (cdktf
 * deploy → terraform apply on this machine's Docker engine) in a deployment
 * of their own ("it", ports clear of a developer's "dev" deployment), and
 * reads what lands with real clients. The deployment itself is the shared
 * test kit's (test/kit/local-deployment.ts), as the benchmarks' is.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { Kafka, KafkaConfig } from "kafkajs";
import { Connection } from "mysql2/promise";
import { DbConnection, LakeLocation } from "../../verify/sources";
import { LocalDeployment, ROOT, Secrets, docker } from "../kit/local-deployment";

export { ROOT, docker };

/**
 * Integration deployments run one at a time per slot; BRIDGE_IT_SLOT=N (N ≥ 1) gives a
 * deployment of its own ("itN", ports shifted by 300·N) so several work trees can test at once,
 * and BRIDGE_IMAGE_TAG_SUFFIX selects images built with that suffix (scripts/build-images.sh).
 */
const SLOT = Number(process.env.BRIDGE_IT_SLOT ?? "0");
if (!Number.isInteger(SLOT) || SLOT < 0 || SLOT > 9) throw new Error(`BRIDGE_IT_SLOT: ${process.env.BRIDGE_IT_SLOT} — must be an integer 0–9`);
const SHIFT = 300 * SLOT;

/** The integration deployment of this slot. */
export const IT = new LocalDeployment({
  environment: SLOT === 0 ? "it" : `it${SLOT}`,
  dbPort: 23306 + SHIFT,
  kafkaPort: 29192 + SHIFT,
  connectPort: 28083 + SHIFT,
  cloudKafkaPort: 39092 + SHIFT,
  azuritePort: 20000 + SHIFT,
  metricsPort: 24400 + SHIFT,
  simulator: { intervalMs: 1000 },
});

/** The environment for the project scripts; `extra` as in LocalDeployment.config. */
export function itEnv(extra: Record<string, unknown> = {}): NodeJS.ProcessEnv {
  return IT.env(IT.config(extra));
}

/** Runs a project script; throws with its output tail on failure. */
export function script(name: string, args: string[] = [], env: NodeJS.ProcessEnv = itEnv()): string {
  return IT.script(name, args, env).out;
}

/** Runs terraform in a synthesized stack's directory of `outdir`, with the providers' filesystem mirror (scripts/providers.sh). */
export function terraform(stack: string, args: string[], env: NodeJS.ProcessEnv = itEnv(), outdir: string = IT.outdir): { code: number; output: string } {
  const r = spawnSync("terraform", args, {
    cwd: join(ROOT, outdir, "stacks", stack),
    env: { ...env, TF_CLI_CONFIG_FILE: process.env.TF_CLI_CONFIG_FILE ?? join(process.env.HOME ?? "/root", ".cache/bridge-to-azure/terraformrc") },
    encoding: "utf8",
  });
  return { code: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
}

/** `terraform plan -detailed-exitcode` of a synthesized stack: 0 no change, 2 changes. */
export function planExitCode(stack: string, env: NodeJS.ProcessEnv = itEnv(), outdir: string = IT.outdir): { code: number; output: string } {
  return terraform(stack, ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false"], env, outdir);
}

export const deploymentContainers = (): string[] => IT.containers();
export const deploymentVolumes = (): string[] => IT.volumes();
export const secrets = (): Secrets => IT.secrets();
export const lakeLocation = (): LakeLocation => IT.lakeLocation();
export const cloudKafka = (): KafkaConfig => IT.cloudKafka("bridge-it");
export const appDb = (): DbConnection => IT.appDb();
export const db = (): Promise<Connection> => IT.db();
export const onPremKafka: KafkaConfig = IT.onPremKafka("bridge-it");

export interface Event {
  readonly key: string | null;
  readonly value: Record<string, unknown> | null;
  readonly offset: string;
  readonly timestamp: number;
}

/**
 * Reads `topic` from the beginning with a throwaway group until `done`
 * returns true for what has been read, or the timeout passes.
 */
export async function readUntil(
  config: KafkaConfig,
  topic: string,
  done: (events: Event[]) => boolean,
  timeoutMs = 60000,
): Promise<Event[]> {
  const consumer = new Kafka(config).consumer({ groupId: `it-${topic}-${Date.now()}-${Math.random()}` });
  const events: Event[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let resolveDone: () => void = () => undefined;
    const finished = new Promise<void>((r) => (resolveDone = r));
    await consumer.run({
      eachMessage: async ({ message }) => {
        events.push({
          key: message.key?.toString() ?? null,
          value: message.value ? (JSON.parse(message.value.toString()) as Record<string, unknown>) : null,
          offset: message.offset,
          timestamp: Number(message.timestamp),
        });
        if (done(events)) resolveDone();
      },
    });
    await Promise.race([finished, new Promise<void>((r) => setTimeout(r, timeoutMs))]);
    return events;
  } finally {
    await consumer.disconnect();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until `cond` holds, polling; throws with `what` on timeout. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 120000, everyMs = 1000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
