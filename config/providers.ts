/**
 * The Terraform providers this project uses, each once: its source, the version its
 * binding writes into `required_providers`, the builds scripts/providers.sh makes from
 * the Go module proxy into the air-gapped mirror (in order of preference), and, for a
 * provider whose version is selectable, its named variable and the selection rule.
 *
 * Read by scripts/providers.sh (what to build) and scripts/env.sh (which version to pin)
 * through the CLI scripts/provider-versions.ts, by gitops/plan-report.ts (the same
 * selection), by config/schema.ts (defaults and variables of `providers.*`) and by the
 * hand-written bindings (their pins).
 */
import { readdirSync } from "fs";
import { homedir } from "os";
import { join } from "path";

/** One build of a provider: its Terraform version (the mirror directory) and the Go module version it is built from. */
export interface ProviderBuild {
  readonly version: string;
  /** A tag or a pseudo-version (which pins the commit). */
  readonly goVersion: string;
}

export interface ProviderSpec {
  /** `namespace/type`, as the bindings write it and the mirror lays it out. */
  readonly source: string;
  /** The version the binding writes (prebuilt bindings: theirs; hand-written ones take it from here). */
  readonly pinned: string;
  /** Go module to require, and the path to replace it by when the module declares another one. */
  readonly module: { readonly require: string; readonly replace?: string; readonly extraReplace?: string };
  /** What scripts/providers.sh builds: the first build that is present or builds wins. */
  readonly builds: readonly ProviderBuild[];
  /** Named variable of the version a stack pins (config `providers.<key>`), when it is selectable. */
  readonly env?: `BRIDGE_${string}`;
}

// Both Mongey go.mod files carry this replace; replaces in a dependency's go.mod are
// ignored, so the build module repeats it.
const THRIFT_REPLACE = "git.apache.org/thrift.git => github.com/apache/thrift v0.0.0-20180902110319-2566ecd5d999";

export const PROVIDERS = {
  // kreuzwerker/docker 3.6.2 = tag v3.6.2, commit 2f20f8c3ce82 (2025-06-13T21:46:48Z);
  // @cdktf/provider-docker 12.0.3 pins it. Its go.mod declares
  // github.com/terraform-providers/terraform-provider-docker, so the tag is no valid Go
  // version: require the declared path, replace it by the repository at a pseudo-version.
  // The Go module proxy reachable here refuses that pseudo-version (403 "This module
  // version is not available"); the one docker version it serves is main-branch commit
  // 96d331c98ff4 of 2026-09-16 (after v4.6.0), built as the prerelease
  // 4.6.1-dev.20260916201441. Its schema is v4 (docs/v3_v4_migration.md of the provider).
  docker: {
    source: "kreuzwerker/docker",
    pinned: "3.6.2",
    module: { require: "github.com/terraform-providers/terraform-provider-docker", replace: "github.com/kreuzwerker/terraform-provider-docker" },
    builds: [
      { version: "3.6.2", goVersion: "v0.0.0-20250613214648-2f20f8c3ce82" },
      { version: "4.6.1-dev.20260916201441", goVersion: "v0.0.0-20260916201441-96d331c98ff4" },
    ],
    env: "BRIDGE_DOCKER_PROVIDER_VERSION",
  },
  // Mongey/kafka-connect 0.5.0 = tag v0.5.0, commit 7829ed7ad1d9 (2026-02-16, newest release).
  kafkaConnect: {
    source: "Mongey/kafka-connect",
    pinned: "0.5.0",
    module: { require: "github.com/Mongey/terraform-provider-kafka-connect", extraReplace: THRIFT_REPLACE },
    builds: [{ version: "0.5.0", goVersion: "v0.5.0" }],
  },
  // Mongey/kafka 0.13.1 = tag v0.13.1, commit 27ff26d01af0 (2025-09-21, newest release).
  kafka: {
    source: "Mongey/kafka",
    pinned: "0.13.1",
    module: { require: "github.com/Mongey/terraform-provider-kafka", extraReplace: THRIFT_REPLACE },
    builds: [{ version: "0.13.1", goVersion: "v0.13.1" }],
  },
  // hashicorp/azurerm: @cdktf/provider-azurerm 14.23.1 pins 4.55.0 = tag v4.55.0, commit
  // 37bf7f03b661 (2025-12-04T16:51:52Z); the module path has no /v4 suffix, so its Go
  // version is a pseudo-version on top of v1.44.0. The proxy reachable here refuses it
  // (403); the one azurerm it serves (`go list -m …@latest`) is main-branch commit
  // fae580791926 of 2026-08-24T20:12:33Z, four days after 5.2.0, the newest entry of its
  // CHANGELOG.md. Built as the prerelease 5.2.1-dev.<commit time>: it sorts after 5.2.0
  // and before any later release, and does not pass for one.
  azurerm: {
    source: "hashicorp/azurerm",
    pinned: "4.55.0",
    module: { require: "github.com/hashicorp/terraform-provider-azurerm" },
    builds: [
      { version: "4.55.0", goVersion: "v1.44.1-0.20251204165152-37bf7f03b661" },
      { version: "5.2.1-dev.20260824201233", goVersion: "v1.44.1-0.20260824201233-fae580791926" },
    ],
    env: "BRIDGE_AZURERM_PROVIDER_VERSION",
  },
} as const satisfies Record<string, ProviderSpec>;

export type ProviderKey = keyof typeof PROVIDERS;

/** Registry hostname Terraform gives a short source such as `kreuzwerker/docker`; OpenTofu gives the second. */
export const REGISTRY_HOSTS = ["registry.terraform.io", "registry.opentofu.org"] as const;

/** The cache directory of scripts/env.sh (`BRIDGE_CACHE`). */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  return env.BRIDGE_CACHE || join(env.HOME || homedir(), ".cache", "bridge-to-azure");
}

/** The filesystem mirror scripts/providers.sh builds into; laid out for the first of REGISTRY_HOSTS. */
export function mirrorDir(cache: string): string {
  return join(cache, "terraform-mirror");
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

/**
 * Semantic-version order (semver.org §11): cores numerically, a prerelease below its
 * release, prerelease identifiers numerically when both are digits. Throws on a non-version.
 */
export function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) throw new Error(`not a semantic version: ${JSON.stringify(pa ? b : a)}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return Math.sign(d);
  }
  const [ra, rb] = [pa[4], pb[4]];
  if (ra === undefined || rb === undefined) return ra === rb ? 0 : ra === undefined ? 1 : -1;
  const ia = ra.split(".");
  const ib = rb.split(".");
  for (let i = 0; i < Math.max(ia.length, ib.length); i++) {
    if (ia[i] === undefined) return -1;
    if (ib[i] === undefined) return 1;
    const na = /^\d+$/.test(ia[i]);
    const nb = /^\d+$/.test(ib[i]);
    const d = na && nb ? Number(ia[i]) - Number(ib[i]) : na ? -1 : nb ? 1 : ia[i] < ib[i] ? -1 : ia[i] > ib[i] ? 1 : 0;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * The selection rule: the version the binding pins if the mirror holds it, else the
 * newest build the mirror holds, else none (the stack keeps its default).
 */
export function selectVersion(spec: ProviderSpec, held: readonly string[]): string | undefined {
  if (held.includes(spec.pinned)) return spec.pinned;
  const builds = held.filter((v) => SEMVER.test(v)).sort(compareVersions);
  return builds[builds.length - 1];
}

/** Lists a directory's entries; none when it does not exist. */
export type ListDir = (dir: string) => string[];
const listDir: ListDir = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** The versions of a provider the mirror holds (its version directories). */
export function heldVersions(mirror: string, spec: ProviderSpec, list: ListDir = listDir): string[] {
  return list(join(mirror, REGISTRY_HOSTS[0], ...spec.source.split("/")));
}

/**
 * The named version variables to set for a mirror: for each selectable provider whose
 * variable is unset in `env`, the selected version (none when the mirror holds no build).
 */
export function mirrorVersionEnv(env: NodeJS.ProcessEnv, mirror: string, list: ListDir = listDir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of Object.values(PROVIDERS) as ProviderSpec[]) {
    if (!spec.env || env[spec.env]) continue;
    const v = selectVersion(spec, heldVersions(mirror, spec, list));
    if (v) out[spec.env] = v;
  }
  return out;
}
