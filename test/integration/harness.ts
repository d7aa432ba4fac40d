/**
 * Integration harness: deploys the real stacks with `scripts/up.sh` (cdktf
 * deploy → terraform apply on this machine's Docker engine) in a deployment
 * of their own ("it", ports shifted by 10000 so a developer's "dev"
 * deployment can keep running), and reads what lands with real clients.
 */
import { execFileSync, spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { Kafka, KafkaConfig, logLevel } from "kafkajs";
import { createConnection, Connection } from "mysql2/promise";
import { DEFAULTS } from "../../config/defaults";
import { LOCAL_LAKE_ACCOUNT } from "../../stacks/names";
import { DbConnection, LakeLocation } from "../../verify/sources";

export const ROOT = join(__dirname, "..", "..", "..");

/**
 * Integration deployments run one at a time per slot; BRIDGE_IT_SLOT=N (N ≥ 1) gives a
 * deployment of its own ("itN", ports shifted by 300·N) so several work trees can test at once,
 * and BRIDGE_IMAGE_TAG_SUFFIX selects images built with that suffix (scripts/build-images.sh).
 */
const SLOT = Number(process.env.BRIDGE_IT_SLOT ?? "0");
if (!Number.isInteger(SLOT) || SLOT < 0 || SLOT > 9) throw new Error(`BRIDGE_IT_SLOT: ${process.env.BRIDGE_IT_SLOT} — must be an integer 0–9`);
const SHIFT = 300 * SLOT;
const ENVIRONMENT = SLOT === 0 ? "it" : `it${SLOT}`;

/** Configuration of the integration deployment, as environment for the scripts. */
export const IT = {
  environment: ENVIRONMENT,
  prefix: `bridge-${ENVIRONMENT}`,
  dbPort: 23306 + SHIFT,
  kafkaPort: 29192 + SHIFT,
  connectPort: 28083 + SHIFT,
  cloudKafkaPort: 39092 + SHIFT,
  azuritePort: 20000 + SHIFT,
  outdir: `cdktf.out.${ENVIRONMENT}`,
} as const;

/**
 * Image overrides for BRIDGE_IMAGE_TAG_SUFFIX: each image built with that suffix
 * (`BRIDGE_IMAGE_TAG_SUFFIX=-x scripts/build-images.sh connect`) replaces the default one.
 */
function imageOverrides(): Record<string, string> | undefined {
  const suffix = process.env.BRIDGE_IMAGE_TAG_SUFFIX;
  if (!suffix) return undefined;
  const exists = (tag: string) => spawnSync("docker", ["image", "inspect", tag], { stdio: "ignore" }).status === 0;
  const d = DEFAULTS.images as unknown as Record<string, string>;
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, exists(`${v}${suffix}`) ? `${v}${suffix}` : v]));
}

export function itEnv(extra: Record<string, unknown> = {}): NodeJS.ProcessEnv {
  const config = {
    onPrem: {
      database: { port: IT.dbPort },
      kafka: { basePort: IT.kafkaPort },
      connect: { basePort: IT.connectPort },
      simulator: { intervalMs: 1000 },
    },
    local: { kafkaPort: IT.cloudKafkaPort, kafkaControllerPort: IT.cloudKafkaPort + 1, azuriteBlobPort: IT.azuritePort },
    ...(process.env.BRIDGE_IMAGE_TAG_SUFFIX ? { images: imageOverrides() } : {}),
    ...extra,
  };
  return {
    ...process.env,
    BRIDGE_ENVIRONMENT: IT.environment,
    BRIDGE_CONFIG: JSON.stringify(config),
    BRIDGE_OUTDIR: IT.outdir,
    BRIDGE_OUTPUTS_FILE: join(".state", IT.environment, "outputs.json"),
    BRIDGE_SKIP_BOOTSTRAP: "1",
  };
}

/** Runs a project script; throws with its output tail on failure. */
export function script(name: string, args: string[] = [], env: NodeJS.ProcessEnv = itEnv()): string {
  const r = spawnSync(join(ROOT, "scripts", name), args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`scripts/${name} ${args.join(" ")} exited ${r.status}:\n${out.slice(-4000)}`);
  return out;
}

/** `terraform plan -detailed-exitcode` of a synthesized stack: 0 no change, 2 changes. */
export function planExitCode(stack: string, env: NodeJS.ProcessEnv = itEnv()): { code: number; output: string } {
  const r = spawnSync("terraform", ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false"], {
    cwd: join(ROOT, IT.outdir, "stacks", stack),
    env: { ...env, TF_CLI_CONFIG_FILE: process.env.TF_CLI_CONFIG_FILE ?? join(process.env.HOME ?? "/root", ".cache/bridge-to-azure/terraformrc") },
    encoding: "utf8",
  });
  return { code: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
}

export function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8" }).trim();
}

/** Names of containers of the deployment, running or not. */
export function deploymentContainers(): string[] {
  const out = docker("ps", "-a", "--filter", `label=io.bridge-to-azure.deployment=${IT.prefix}`, "--format", "{{.Names}}");
  return out ? out.split("\n").sort() : [];
}

export function deploymentVolumes(): string[] {
  const out = docker("volume", "ls", "-q", "--filter", `label=io.bridge-to-azure.deployment=${IT.prefix}`);
  return out ? out.split("\n").sort() : [];
}

interface Secrets {
  dbAppPassword: string;
  cloudKafkaPassword: string;
  cloudSinkPassword: string;
  lakeAccountKey: string;
}

export function secrets(): Secrets {
  return JSON.parse(readFileSync(join(ROOT, ".secrets", IT.prefix, "secrets.json"), "utf8")) as Secrets;
}

/** Where the deployment's lake is (Azurite), as verify reads it. */
export function lakeLocation(): LakeLocation {
  return { blobEndpoint: `http://127.0.0.1:${IT.azuritePort}/${LOCAL_LAKE_ACCOUNT}`, account: LOCAL_LAKE_ACCOUNT, accountKey: secrets().lakeAccountKey, filesystem: DEFAULTS.azure.filesystem };
}

/** The local stand-in for the cloud Kafka, as the sink's user. */
export function cloudKafka(): KafkaConfig {
  return {
    brokers: [`127.0.0.1:${IT.cloudKafkaPort}`],
    logLevel: logLevel.NOTHING,
    ssl: { ca: [readFileSync(join(ROOT, ".secrets", IT.prefix, "tls", "ca.pem"), "utf8")] },
    sasl: { mechanism: "plain", username: "sink", password: secrets().cloudSinkPassword },
  };
}

/** The database as the application user, as verify reads it. */
export function appDb(): DbConnection {
  return { host: "127.0.0.1", port: IT.dbPort, user: "orders_app", password: secrets().dbAppPassword, database: DEFAULTS.onPrem.database.name };
}

/** A connection as the application user (what the simulator uses). */
export async function db(): Promise<Connection> {
  return createConnection({ host: "127.0.0.1", port: IT.dbPort, user: "orders_app", password: secrets().dbAppPassword, database: "orders" });
}

export const onPremKafka: KafkaConfig = { brokers: [`127.0.0.1:${IT.kafkaPort}`], logLevel: logLevel.NOTHING, clientId: "bridge-it" };

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
