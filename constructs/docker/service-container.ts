import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Container } from "@cdktf/provider-docker/lib/container";
import { Image } from "@cdktf/provider-docker/lib/image";
import { Volume } from "@cdktf/provider-docker/lib/volume";

/** Label on everything this project creates in Docker: cleanup selects by it. */
export const MANAGED_LABEL = "io.bridge-to-azure.managed";

/** A mount of a named Docker volume. */
export interface VolumeMount {
  /** Volume name (a `docker_volume` we manage, or one created outside Terraform, e.g. secrets). */
  readonly volume: string;
  /** Path in the container. */
  readonly target: string;
  /** @default false */
  readonly readOnly?: boolean;
}

export interface ServiceContainerProps {
  /** Container name, unique on the Docker host. */
  readonly name: string;
  /** Image the container runs. */
  readonly image: Image;
  /** Non-secret environment (secrets come as files in mounted volumes). @default {} */
  readonly env?: Record<string, string>;
  /** @default the image's command */
  readonly command?: string[];
  /** Health command, run in the container (exec form). Dependents wait until it passes. */
  readonly healthcheck: string[];
  /** Seconds between health checks. @default 5 */
  readonly healthIntervalSeconds?: number;
  /** Grace period before failed checks count. @default 30 */
  readonly healthStartPeriodSeconds?: number;
  /** How long apply waits for "healthy". @default 180 */
  readonly waitTimeoutSeconds?: number;
  /** Memory limit, MiB (no swap on top). */
  readonly memoryMb: number;
  /** CPU limit in cores. @default undefined (no limit) */
  readonly cpus?: number;
  /** User to run as. @default the image's (non-root in every image of this project) */
  readonly user?: string;
  /** @default [] */
  readonly mounts?: readonly VolumeMount[];
  /** Seconds to stop gracefully before SIGKILL. @default 30 */
  readonly stopTimeoutSeconds?: number;
  /** Extra labels, e.g. component. @default {} */
  readonly labels?: Record<string, string>;
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A long-running service on the Docker host, the way every container of the
 * topology runs: host networking on loopback ports, a health check that
 * `apply` waits for, memory limits, restart unless stopped, bounded logs,
 * the project label for cleanup.
 */
export class ServiceContainer extends Construct {
  readonly container: Container;
  readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceContainerProps) {
    super(scope, id);
    this.name = props.name;
    const labels = { [MANAGED_LABEL]: "true", ...(props.labels ?? {}) };
    const env = props.env ?? {};
    this.container = new Container(this, "container", {
      name: props.name,
      image: props.image.imageId,
      networkMode: "host",
      env: Object.keys(env)
        .sort()
        .map((k) => `${k}=${env[k]}`),
      command: props.command,
      user: props.user,
      memory: props.memoryMb,
      memorySwap: props.memoryMb,
      cpus: props.cpus === undefined ? undefined : String(props.cpus),
      restart: "unless-stopped",
      mustRun: true,
      wait: true,
      waitTimeout: props.waitTimeoutSeconds ?? 180,
      stopTimeout: props.stopTimeoutSeconds ?? 30,
      destroyGraceSeconds: props.stopTimeoutSeconds ?? 30,
      healthcheck: {
        test: ["CMD", ...props.healthcheck],
        interval: goDuration(props.healthIntervalSeconds ?? 5),
        timeout: goDuration(10),
        startPeriod: goDuration(props.healthStartPeriodSeconds ?? 30),
        retries: 5,
      },
      logDriver: "json-file",
      logOpts: { "max-size": "20m", "max-file": "3" },
      labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
      mounts: (props.mounts ?? []).map((m) => ({ type: "volume", source: m.volume, target: m.target, readOnly: m.readOnly ?? false })),
      dependsOn: props.dependsOn,
    });
  }
}

/**
 * Seconds as Docker reports durations back ("1m30s", not "90s"), so a
 * refreshed container never diffs against its own configuration.
 */
export function goDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`goDuration: ${seconds} must be a whole number of seconds`);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** A local image by name (built by scripts/build-images.sh); never deleted on destroy. */
export function localImage(scope: Construct, id: string, name: string): Image {
  return new Image(scope, id, { name, keepLocally: true });
}

/** A named data volume with the project label. */
export function dataVolume(scope: Construct, id: string, name: string, labels: Record<string, string> = {}): Volume {
  return new Volume(scope, id, {
    name,
    labels: Object.entries({ [MANAGED_LABEL]: "true", ...labels }).map(([label, value]) => ({ label, value })),
  });
}
