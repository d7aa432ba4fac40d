/**
 * One local deployment of the whole topology on this machine's Docker engine, as the tests and
 * the benchmarks see it: its environment name and loopback ports, the environment the project
 * scripts get (`scripts/up.sh`, `down.sh`, …), its secrets, and clients for its database, both
 * Kafka clusters and its lake. The integration deployment (test/integration/harness.ts, one per
 * BRIDGE_IT_SLOT) and the bench deployment (bench/lib.ts) are two instances of it.
 */
import { execFileSync, spawnSync } from "child_process";
import { join } from "path";
import { performance } from "perf_hooks";
import { KafkaConfig } from "kafkajs";
import { createConnection, Connection } from "mysql2/promise";
import { ResolvedConfig } from "../../config";
import { DEFAULTS } from "../../config/defaults";
import { projectConfig } from "../../scripts/lib/project-config";
import { LocalClients, localClients } from "../../scripts/lib/local-clients";
import { SecretValues } from "../../scripts/lib/secrets";
import { DbConnection, LakeLocation } from "../../verify/sources";
import { DEPLOYMENT_LABEL } from "../../constructs/docker/service-container";

/** The repository root (this file runs from dist/test/kit/). */
export const ROOT = join(__dirname, "..", "..", "..");

/** Loopback ports of a deployment; the cloud Kafka's controller listens on `cloudKafkaPort + 1`. */
export interface LocalDeploymentPorts {
  readonly dbPort: number;
  /** First on-prem broker's port (the others follow, see config `onPrem.kafka.basePort`). */
  readonly kafkaPort: number;
  /** First Connect worker's REST port. */
  readonly connectPort: number;
  readonly cloudKafkaPort: number;
  readonly azuritePort: number;
  /** First of three: the simulator's /metrics, the lake sink's /metrics (+1), Prometheus (+2). */
  readonly metricsPort: number;
}

export interface LocalDeploymentProps extends LocalDeploymentPorts {
  /** `BRIDGE_ENVIRONMENT`: containers are named `bridge-<environment>-…`. */
  readonly environment: string;
  /** The simulator container's settings (config `onPrem.simulator`). */
  readonly simulator: Record<string, unknown>;
}

/** What `scripts/secrets.ts` stored for a deployment (.secrets/<prefix>/secrets.json). */
export type Secrets = SecretValues;

/** A deployed local topology as its clients see it (scripts/lib/local-clients.ts), with its configuration. */
export interface DeployedTopology extends LocalClients {
  readonly config: ResolvedConfig;
  /** Container name of a part: "connect-1", "lake-sink", … */
  container(part: string): string;
}

/** The local topology deployed with `env` (as given to scripts/up.sh); secrets are read when first needed. */
export function topologyOf(env: NodeJS.ProcessEnv): DeployedTopology {
  return topologyFrom(projectConfig(env));
}

function topologyFrom(config: ResolvedConfig): DeployedTopology {
  const clients = localClients(config);
  return { ...clients, config, container: (part) => clients.deployment.names.of(part) };
}

export function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }).trim();
}

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

export class LocalDeployment implements LocalDeploymentPorts {
  readonly environment: string;
  /** `BRIDGE_OUTDIR`: where its stacks are synthesized. */
  readonly outdir: string;
  readonly dbPort: number;
  readonly kafkaPort: number;
  readonly connectPort: number;
  readonly cloudKafkaPort: number;
  readonly cloudControllerPort: number;
  readonly azuritePort: number;
  readonly metricsPort: number;
  readonly simulatorMetricsPort: number;
  readonly sinkMetricsPort: number;
  readonly prometheusPort: number;
  readonly consolePort: number;
  private readonly simulator: Record<string, unknown>;

  constructor(props: LocalDeploymentProps) {
    this.environment = props.environment;
    this.outdir = `cdktf.out.${props.environment}`;
    this.dbPort = props.dbPort;
    this.kafkaPort = props.kafkaPort;
    this.connectPort = props.connectPort;
    this.cloudKafkaPort = props.cloudKafkaPort;
    this.cloudControllerPort = props.cloudKafkaPort + 1;
    this.azuritePort = props.azuritePort;
    this.metricsPort = props.metricsPort;
    this.simulatorMetricsPort = props.metricsPort;
    this.sinkMetricsPort = props.metricsPort + 1;
    this.prometheusPort = props.metricsPort + 2;
    this.consolePort = props.metricsPort + 3;
    this.simulator = props.simulator;
  }

  /**
   * Its configuration (`BRIDGE_CONFIG`): the ports, the simulator, image overrides; `extra`'s
   * top-level keys replace the generated ones, except `local` and `observability`'s groups, which
   * are merged into the ports (a test that sets the console's masked fields keeps its own port).
   */
  config(extra: Record<string, unknown> = {}): Record<string, unknown> {
    type Group = Record<string, unknown>;
    const { local, observability, ...rest } = extra as { local?: Group; observability?: { prometheus?: Group; console?: Group } };
    const images = imageOverrides();
    return {
      onPrem: {
        database: { port: this.dbPort },
        kafka: { basePort: this.kafkaPort },
        connect: { basePort: this.connectPort },
        simulator: { metricsPort: this.simulatorMetricsPort, ...this.simulator },
      },
      local: { kafkaPort: this.cloudKafkaPort, kafkaControllerPort: this.cloudControllerPort, azuriteBlobPort: this.azuritePort, sinkMetricsPort: this.sinkMetricsPort, ...local },
      observability: {
        ...observability,
        prometheus: { port: this.prometheusPort, ...observability?.prometheus },
        console: { port: this.consolePort, ...observability?.console },
      },
      ...(images ? { images } : {}),
      ...rest,
    };
  }

  /** The variables the project scripts read (besides the ambient ones) for this deployment. */
  private vars(config: Record<string, unknown>): Record<string, string> {
    return {
      BRIDGE_ENVIRONMENT: this.environment,
      BRIDGE_CONFIG: JSON.stringify(config),
      BRIDGE_OUTDIR: this.outdir,
      BRIDGE_OUTPUTS_FILE: join(".state", this.environment, "outputs.json"),
      BRIDGE_SKIP_BOOTSTRAP: "1",
    };
  }

  /** The environment for the project scripts. */
  env(config: Record<string, unknown> = this.config()): NodeJS.ProcessEnv {
    return { ...process.env, ...this.vars(config) };
  }

  /** Shell form of that environment, for printed command lines. */
  envLine(config: Record<string, unknown> = this.config()): string {
    return Object.entries(this.vars(config))
      .map(([k, v]) => (k === "BRIDGE_CONFIG" ? `${k}='${v}'` : `${k}=${v}`))
      .join(" ");
  }

  /** Runs a project script; returns its wall time and output; throws with the output tail on failure. */
  script(name: string, args: string[] = [], env: NodeJS.ProcessEnv = this.env(), timeoutMs = 15 * 60 * 1000): { ms: number; out: string } {
    const t0 = performance.now();
    const r = spawnSync(join(ROOT, "scripts", name), args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs });
    const ms = performance.now() - t0;
    const out = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
    if (r.status !== 0) throw new Error(`scripts/${name} ${args.join(" ")} exited ${r.status ?? r.signal}:\n${out.slice(-4000)}`);
    return { ms, out };
  }

  private resolvedConfig?: ResolvedConfig;

  /**
   * Its configuration, resolved once: it depends only on the environment built here, and tests ask
   * for clients in polling loops (resolving, and the image checks of BRIDGE_IMAGE_TAG_SUFFIX, each time
   * would be wasted work). Secrets are still read at each use: a redeploy may have made new ones.
   */
  private get resolved(): ResolvedConfig {
    return (this.resolvedConfig ??= projectConfig(this.env()));
  }

  /** Container, volume and secrets-directory prefix (`<project>-<environment>`, from the configuration). */
  get prefix(): string {
    return this.topology().deployment.names.prefix;
  }

  /** Container name of a part of this deployment ("connect-1", "lake-sink", …). */
  container(part: string): string {
    return this.topology().container(part);
  }

  /** What is deployed with `env` (default: this deployment as configured here), from its resolved configuration. */
  topology(env?: NodeJS.ProcessEnv): DeployedTopology {
    return env === undefined ? topologyFrom(this.resolved) : topologyOf(env);
  }

  secrets(): Secrets {
    return this.topology().secrets();
  }

  /** Names of its containers, running or not. */
  containers(): string[] {
    const out = docker("ps", "-a", "--filter", `label=${DEPLOYMENT_LABEL}=${this.prefix}`, "--format", "{{.Names}}");
    return out ? out.split("\n").sort() : [];
  }

  volumes(): string[] {
    const out = docker("volume", "ls", "-q", "--filter", `label=${DEPLOYMENT_LABEL}=${this.prefix}`);
    return out ? out.split("\n").sort() : [];
  }

  lakeLocation(): LakeLocation {
    return this.topology().lake();
  }

  onPremKafka(clientId: string): KafkaConfig {
    return this.topology().onPremKafka(clientId);
  }

  cloudKafka(clientId: string): KafkaConfig {
    return this.topology().cloudKafka(clientId);
  }

  appDb(): DbConnection {
    return this.topology().db();
  }

  /** A connection as the application user. */
  db(): Promise<Connection> {
    return createConnection(this.appDb());
  }
}
