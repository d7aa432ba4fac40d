import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Container } from "@cdktf/provider-docker/lib/container";
import { Image } from "@cdktf/provider-docker/lib/image";
import { Volume } from "@cdktf/provider-docker/lib/volume";

// The Docker label keys, once for the TypeScript side. scripts/*.sh, gitops/fixtures/regenerate.sh,
// the Dockerfiles (images/, services/) and the plan fixtures (test/fixtures/plans) spell them out.
const LABEL_PREFIX = "io.bridge-to-azure";
/** Label on everything this project creates in Docker: cleanup selects by it. */
export const MANAGED_LABEL = `${LABEL_PREFIX}.managed`;
/** The deployment ("<project>-<environment>") a container or volume belongs to: clean-deployment selects by it. */
export const DEPLOYMENT_LABEL = `${LABEL_PREFIX}.deployment`;
/** The stack ("onprem", "bridge") that made a container or volume. */
export const STACK_LABEL = `${LABEL_PREFIX}.stack`;
/** What a container is ("kafka", "connect", "lake-sink", …): tests group containers by it. */
export const COMPONENT_LABEL = `${LABEL_PREFIX}.component`;

/**
 * The address every container of the topology binds and every client connects to: containers run
 * with host networking, bound to loopback only (ServiceContainer).
 */
export const LOOPBACK = "127.0.0.1";

/** `labels` plus the component label. */
export function componentLabels(labels: Readonly<Record<string, string>> | undefined, component: string): Record<string, string> {
  return { ...labels, [COMPONENT_LABEL]: component };
}

/** A mount of a named Docker volume. */
export interface VolumeMount {
  /** Volume name (a `docker_volume` we manage, or one created outside Terraform, e.g. secrets). */
  readonly volume: string;
  /** Path in the container. */
  readonly target: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/**
 * A memory-backed scratch directory (tmpfs) where a service writes files that
 * need not survive a restart: generated config, sockets, pid files, temp files.
 * It starts empty on every container start, and what is written counts against
 * the container's memory limit. Mounted nosuid, nodev and (unless `exec`) noexec.
 * Its mode is that of the image's directory at the path (Docker copies it), or
 * 1777 like /tmp where the image has none; its owner is root unless `owner`.
 */
export interface TmpfsMount {
  /** Absolute path in the container. */
  readonly target: string;
  /** Size limit, MiB (whole number ≥ 1); part of `memoryMb`, not on top of it. */
  readonly sizeMb: number;
  /**
   * Allow running files from it. Only for a JVM's java.io.tmpdir: zstd-jni and
   * snappy-java extract their native library there and dlopen() it, which noexec refuses.
   * @default false
   */
  readonly exec?: boolean;
  /**
   * Numeric owner of the mount's root, for a directory the image creates with
   * mode 0755 for its service user (e.g. /run/mysqld): without it root owns
   * the tmpfs and the service cannot write there.
   * @default root (uid 0, gid 0)
   */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

/** A Linux capability a container keeps although every other one is dropped, and why. */
export interface CapabilityGrant {
  /** Capability name, with or without `CAP_` ("NET_BIND_SERVICE"); never "ALL". */
  readonly capability: string;
  /** Why the service cannot work without it (review aid; not synthesized). */
  readonly reason: string;
}

/** The health command each of our images ships (images/README.md; Node services: the kit's install-healthcheck.sh). */
export const IMAGE_HEALTHCHECK: readonly string[] = ["/usr/local/bin/healthcheck"];

export interface ServiceContainerProps {
  /** Container name, unique on the Docker host. */
  readonly name: string;
  /** Image the container runs. */
  readonly image: Image;
  /** Non-secret environment (secrets come as files in mounted volumes). @default {} */
  readonly env?: Record<string, string>;
  /** @default the image's command */
  readonly command?: string[];
  /**
   * Health command, run in the container (exec form). Dependents wait until it passes.
   * @default IMAGE_HEALTHCHECK, the script every image of ours ships (images/README.md)
   */
  readonly healthcheck?: string[];
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
  /**
   * Named volumes. A read-write one is, with `tmpfs`, the only place the
   * container can write: its root filesystem is read-only.
   * @default []
   */
  readonly mounts?: readonly VolumeMount[];
  /**
   * Scratch directories where the service writes (the root filesystem is
   * read-only; declare each path the service writes to outside its volumes).
   * @default [] (nothing writable outside `mounts`)
   */
  readonly tmpfs?: readonly TmpfsMount[];
  /**
   * Capabilities kept; every other one is dropped (`--cap-drop ALL`). Services
   * running as a non-root user need none.
   * @default [] (all dropped)
   */
  readonly capabilities?: readonly CapabilityGrant[];
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
 * the project label for cleanup; and hardened: every capability dropped
 * (unless granted with a reason), no privilege gain through setuid binaries
 * (`no-new-privileges`), a read-only root filesystem with writes only to the
 * declared volumes and tmpfs mounts.
 */
export class ServiceContainer extends Construct {
  readonly container: Container;
  readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceContainerProps) {
    super(scope, id);
    this.name = props.name;
    const labels = { [MANAGED_LABEL]: "true", ...(props.labels ?? {}) };
    const env = props.env ?? {};
    const tmpfs = validTmpfs(props);
    const added = validCapabilities(props);
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
        test: ["CMD", ...(props.healthcheck ?? IMAGE_HEALTHCHECK)],
        interval: goDuration(props.healthIntervalSeconds ?? 5),
        timeout: goDuration(10),
        startPeriod: goDuration(props.healthStartPeriodSeconds ?? 30),
        retries: 5,
      },
      logDriver: "json-file",
      logOpts: { "max-size": "20m", "max-file": "3" },
      labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
      mounts: (props.mounts ?? []).map((m) => ({ type: "volume", source: m.volume, target: m.target, readOnly: m.readOnly ?? false })),
      readOnly: true,
      // Options as Docker keeps and reports them (it adds nosuid,nodev,noexec itself): no diff on refresh.
      tmpfs: tmpfs.length === 0 ? undefined : Object.fromEntries(tmpfs.map((t) => [t.target, tmpfsOptions(t)])),
      // Docker reports added capabilities with the CAP_ prefix and "ALL" as given: configured the same way.
      capabilities: { drop: ["ALL"], add: added.length === 0 ? undefined : added },
      // setuid/setgid binaries and file capabilities give the process nothing.
      securityOpts: ["no-new-privileges:true"],
      dependsOn: props.dependsOn,
    });
  }
}

function validTmpfs(props: ServiceContainerProps): readonly TmpfsMount[] {
  const tmpfs = props.tmpfs ?? [];
  const problems: string[] = [];
  const targets = new Set((props.mounts ?? []).map((m) => m.target));
  tmpfs.forEach((t, i) => {
    if (!/^\/[A-Za-z0-9._\/-]*[A-Za-z0-9._-]$/.test(t.target)) problems.push(`tmpfs[${i}].target: "${t.target}" — must be an absolute path other than / (letters, digits, . _ - /; no trailing /)`);
    if (!Number.isInteger(t.sizeMb) || t.sizeMb < 1) problems.push(`tmpfs[${i}].sizeMb: ${t.sizeMb} — must be a whole number of MiB ≥ 1`);
    for (const id of ["uid", "gid"] as const) {
      const v = t.owner?.[id];
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) problems.push(`tmpfs[${i}].owner.${id}: ${v} — must be a whole number ≥ 0`);
    }
    if (targets.has(t.target)) problems.push(`tmpfs[${i}].target: "${t.target}" — already mounted (a volume or another tmpfs)`);
    targets.add(t.target);
  });
  const total = tmpfs.reduce((sum, t) => sum + t.sizeMb, 0);
  if (total >= props.memoryMb) problems.push(`tmpfs: ${total} MiB in all — must stay below memoryMb (${props.memoryMb}), which it is part of`);
  if (problems.length > 0) throw new Error(`ServiceContainer ${props.name}: ${problems.join("; ")}`);
  return tmpfs;
}

function tmpfsOptions(t: TmpfsMount): string {
  return [`size=${t.sizeMb}m`, ...(t.owner ? [`uid=${t.owner.uid}`, `gid=${t.owner.gid}`] : []), ...(t.exec ? ["exec"] : [])].join(",");
}

/** Capability names as Docker reports them ("CAP_NET_BIND_SERVICE"), sorted. */
function validCapabilities(props: ServiceContainerProps): string[] {
  const problems: string[] = [];
  const names = (props.capabilities ?? []).map((c, i) => {
    const name = c.capability.toUpperCase().replace(/^CAP_/, "");
    if (!/^[A-Z][A-Z_]*[A-Z]$/.test(name) || name === "ALL") problems.push(`capabilities[${i}].capability: "${c.capability}" — must name one capability such as NET_BIND_SERVICE (not ALL)`);
    if (c.reason.trim() === "") problems.push(`capabilities[${i}].reason: empty — say why ${c.capability} is needed`);
    return `CAP_${name}`;
  });
  if (problems.length > 0) throw new Error(`ServiceContainer ${props.name}: ${problems.join("; ")}`);
  return [...new Set(names)].sort();
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
