/**
 * Every container of every stack, for every target, is hardened: all Linux
 * capabilities dropped (added back only from the allow-list below),
 * no-new-privileges, a read-only root filesystem, and writes only where the
 * list below says. A container added without hardening, or writing somewhere
 * new, fails here until the lists are changed on purpose.
 */
import { App, Testing } from "cdktf";
import { Image } from "@cdktf/provider-docker/lib/image";
import { resolveConfig } from "../config";
import { BridgeConfig, DeepPartial } from "../config/types";
import { COMPONENT_LABEL, ServiceContainer, ServiceContainerProps } from "../constructs/docker/service-container";
import { buildStacks } from "../main";
import { Deployment } from "../stacks/deployment";
import { OnPremStack } from "../stacks/onprem-stack";
import { TARGET_CONFIGS } from "./target-configs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

/**
 * Per component (COMPONENT_LABEL): the capabilities it may
 * add back (every service runs as a non-root user and needs none) and every
 * path it may write to (read-write volumes and tmpfs mounts).
 */
const ALLOWED: Record<string, { capabilities: string[]; writable: string[] }> = {
  database: { capabilities: [], writable: ["/run/mysqld", "/tmp", "/var/lib/mysql"] },
  simulator: { capabilities: [], writable: ["/tmp"] },
  kafka: { capabilities: [], writable: ["/tmp", "/var/lib/kafka/data"] },
  // /var/lib/kafka: the supervisor's restart history (a volume the console reads)
  connect: { capabilities: [], writable: ["/tmp", "/var/lib/kafka"] },
  console: { capabilities: [], writable: ["/tmp"] },
  lake: { capabilities: [], writable: ["/var/lib/azurite"] },
  "lake-sink": { capabilities: [], writable: ["/tmp"] },
};

/** Every stack main.ts synthesizes, for one configuration. */
function synthAll(input: DeepPartial<BridgeConfig>): { stack: string; container: TfJson }[] {
  const app: App = Testing.app();
  const { onPrem, azure, bridge } = buildStacks(app, resolveConfig(input));
  return [onPrem, azure, bridge].flatMap((s) =>
    Object.values(JSON.parse(Testing.synth(s)).resource?.docker_container ?? {}).map((container) => ({ stack: s.node.id, container })),
  );
}

const TARGETS: Record<string, DeepPartial<BridgeConfig>> = {
  ...TARGET_CONFIGS,
  "local, 3 brokers, 2 workers, kept data": { onPrem: { kafka: { brokers: 3 }, connect: { workers: 2 }, database: { keepData: true } } },
};

const component = (c: TfJson): string => c.labels.find((l: TfJson) => l.label === COMPONENT_LABEL)?.value ?? "(no component label)";

function writablePaths(c: TfJson): string[] {
  const volumes = (c.mounts ?? []).filter((m: TfJson) => m.read_only !== true).map((m: TfJson) => m.target);
  return [...volumes, ...Object.keys(c.tmpfs ?? {})].sort();
}

describe.each(Object.entries(TARGETS))("target %s: every container hardened", (_name, input) => {
  // GIVEN every stack synthesized for the target
  const containers = synthAll(input);

  test("there are containers to check", () => {
    // THEN the loop below has something to check (the on-prem part runs in Docker for every target)
    expect(containers.map((c) => component(c.container))).toEqual(expect.arrayContaining(["database", "kafka", "connect", "simulator"]));
  });

  test.each(containers.map((c) => [`${c.stack}/${c.container.name}`, c.container]))("%s", (_id, c) => {
    // WHEN its component's allow-list is looked up
    const allowed = ALLOWED[component(c)];
    // THEN the component is a known one (a new one needs an entry above)
    expect({ component: component(c), known: allowed !== undefined }).toEqual({ component: component(c), known: true });
    // AND every capability is dropped, only allowed ones are added back
    expect(c.capabilities?.drop).toEqual(["ALL"]);
    expect(c.capabilities?.add ?? []).toEqual(allowed.capabilities);
    // AND no privilege gain, not privileged, read-only root
    expect(c.security_opts).toContain("no-new-privileges:true");
    expect(c.privileged ?? false).toBe(false);
    expect(c.read_only).toBe(true);
    // AND writes go only where declared: volumes and tmpfs, nothing else (no bind mounts, no `volumes` blocks)
    expect(writablePaths(c)).toEqual(allowed.writable);
    expect(c.volumes).toBeUndefined();
    expect((c.mounts ?? []).every((m: TfJson) => m.type === "volume")).toBe(true);
    // AND a tmpfs is size-limited and noexec unless it is a JVM's temp dir (kafka, connect)
    for (const [path, opts] of Object.entries<string>(c.tmpfs ?? {})) {
      expect({ path, opts }).toEqual({ path, opts: expect.stringMatching(/^size=\d+m(,uid=\d+,gid=\d+)?(,exec)?$/) });
      if (opts.endsWith(",exec")) expect(["kafka", "connect"]).toContain(component(c));
    }
  });
});

describe("ServiceContainer hardening props", () => {
  function container(extra: Partial<ServiceContainerProps>): TfJson {
    const app = Testing.app();
    const stack = new OnPremStack(app, "onprem", { deployment: new Deployment(resolveConfig({})) });
    const image = new Image(stack, "probe-image", { name: "probe:1" });
    new ServiceContainer(stack, "probe", { name: "probe", image, healthcheck: ["true"], memoryMb: 64, ...extra });
    return Object.values(JSON.parse(Testing.synth(stack)).resource.docker_container).find((c: TfJson) => c.name === "probe");
  }

  test("by default: all capabilities dropped, none added, read-only root, nothing writable", () => {
    // GIVEN a container with no hardening props
    // WHEN synthesized
    const c = container({});
    // THEN it is locked down
    expect(c).toMatchObject({ capabilities: { drop: ["ALL"] }, read_only: true, security_opts: ["no-new-privileges:true"] });
    expect(c.capabilities.add).toBeUndefined();
    expect(c.tmpfs).toBeUndefined();
  });

  test("a granted capability is named as Docker reports it (CAP_ prefix), once, sorted", () => {
    // GIVEN grants with and without the prefix, one twice
    const grants = [
      { capability: "net_bind_service", reason: "port 80" },
      { capability: "CAP_CHOWN", reason: "chowns its volume" },
      { capability: "NET_BIND_SERVICE", reason: "port 443" },
    ];
    // WHEN synthesized
    // THEN the add list is normalised, so a refresh after apply shows no change
    expect(container({ capabilities: grants }).capabilities).toEqual({ drop: ["ALL"], add: ["CAP_CHOWN", "CAP_NET_BIND_SERVICE"] });
  });

  test("tmpfs: size, owner and exec in the option string Docker keeps", () => {
    // GIVEN three scratch dirs: one exec, one owned by the service user
    const c = container({
      tmpfs: [
        { target: "/tmp", sizeMb: 8, exec: true },
        { target: "/run/app", sizeMb: 1, owner: { uid: 999, gid: 998 } },
        { target: "/var/cache/app", sizeMb: 2 },
      ],
    });
    // THEN each is declared with its options, in the order Docker reports them back
    expect(c.tmpfs).toEqual({ "/tmp": "size=8m,exec", "/run/app": "size=1m,uid=999,gid=998", "/var/cache/app": "size=2m" });
  });

  test.each([
    [{ capabilities: [{ capability: "ALL", reason: "everything" }] }, /capabilities\[0\]\.capability: "ALL" — must name one capability/],
    [{ capabilities: [{ capability: "NET_ADMIN", reason: " " }] }, /capabilities\[0\]\.reason: empty — say why NET_ADMIN is needed/],
    [{ tmpfs: [{ target: "tmp", sizeMb: 1 }] }, /tmpfs\[0\]\.target: "tmp" — must be an absolute path/],
    [{ tmpfs: [{ target: "/", sizeMb: 1 }] }, /tmpfs\[0\]\.target: "\/" — must be an absolute path other than \//],
    [{ tmpfs: [{ target: "/tmp", sizeMb: 0.5 }] }, /tmpfs\[0\]\.sizeMb: 0\.5 — must be a whole number of MiB ≥ 1/],
    [{ tmpfs: [{ target: "/data", sizeMb: 1 }], mounts: [{ volume: "v", target: "/data" }] }, /tmpfs\[0\]\.target: "\/data" — already mounted/],
    [{ tmpfs: [{ target: "/run/x", sizeMb: 1, owner: { uid: -1, gid: 0 } }] }, /tmpfs\[0\]\.owner\.uid: -1 — must be a whole number ≥ 0/],
    [{ tmpfs: [{ target: "/tmp", sizeMb: 64 }] }, /tmpfs: 64 MiB in all — must stay below memoryMb \(64\)/],
  ] as [Partial<ServiceContainerProps>, RegExp][])("bad input %j is refused naming field, value and rule", (extra, message) => {
    // GIVEN bad hardening props  WHEN synthesized  THEN a clear error names the container and the problem
    expect(() => container(extra)).toThrow(new RegExp(`ServiceContainer probe: .*${message.source}`));
  });
});
