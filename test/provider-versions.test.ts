import { Testing } from "cdktf";
import { mkdirSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { resolveConfig } from "../config";
import { DEFAULTS } from "../config/defaults";
import { SCHEMA } from "../config/schema";
import { PROVIDERS, ProviderSpec, compareVersions, mirrorVersionEnv, selectVersion } from "../config/providers";
import { providerVersionsCli } from "../scripts/provider-versions";
import { AzureStack } from "../stacks/azure-stack";
import { Deployment } from "../stacks/deployment";

const MIRROR = "/c/terraform-mirror";
/** A mirror holding `held[source]` version directories for registry.terraform.io. */
const mirrorOf =
  (held: Record<string, string[]>) =>
  (dir: string): string[] =>
    held[dir.slice(`${MIRROR}/registry.terraform.io/`.length)] ?? [];

describe("provider versions: the order", () => {
  test("semantic-version order: numeric cores, a prerelease below its release, numeric prerelease parts", () => {
    const sorted = ["10.0.0", "4.6.1-dev.20260916201441", "3.6.2", "4.6.1", "3.10.0", "4.6.1-dev.9", "4.6.1-alpha", "4.6.1-dev"].sort(compareVersions);
    expect(sorted).toEqual(["3.6.2", "3.10.0", "4.6.1-alpha", "4.6.1-dev", "4.6.1-dev.9", "4.6.1-dev.20260916201441", "4.6.1", "10.0.0"]);
    expect(compareVersions("5.2.0", "5.2.1-dev.20260824201233")).toBe(-1);
    expect(compareVersions("5.2.1-dev.20260824201233", "5.3.0")).toBe(-1);
    expect(() => compareVersions("3.6.2", "latest")).toThrow('not a semantic version: "latest"');
  });

  test("each build's Terraform version sorts above the releases before its commit (the azurerm build after 5.2.0)", () => {
    for (const spec of Object.values(PROVIDERS) as ProviderSpec[]) {
      expect(spec.builds[0].version).toBe(spec.pinned);
      const versions = spec.builds.map((b) => b.version);
      expect([...versions].sort(compareVersions)).toEqual(versions);
    }
    expect(compareVersions(PROVIDERS.azurerm.builds[1].version, "5.2.0")).toBe(1);
  });
});

describe("provider versions: the selection rule", () => {
  const docker = PROVIDERS.docker;

  test("the pinned version when the mirror holds it, even beside a newer build", () => {
    expect(selectVersion(docker, ["4.6.1-dev.20260916201441", "3.6.2"])).toBe("3.6.2");
  });

  test("else the newest build the mirror holds, by version order (not by name)", () => {
    expect(selectVersion(docker, ["4.6.1-dev.20260916201441"])).toBe("4.6.1-dev.20260916201441");
    expect(selectVersion(docker, ["4.10.0", "4.9.0", "notes"])).toBe("4.10.0");
    expect(selectVersion(PROVIDERS.azurerm, ["5.2.1-dev.20260824201233", "5.2.0"])).toBe("5.2.1-dev.20260824201233");
  });

  test("none when the mirror holds no build", () => {
    expect(selectVersion(docker, [])).toBeUndefined();
  });

  test("the variables for a mirror: only selectable providers it holds, never one already set", () => {
    const list = mirrorOf({ "kreuzwerker/docker": ["4.6.1-dev.20260916201441"], "hashicorp/azurerm": ["5.2.1-dev.20260824201233"], "Mongey/kafka": ["0.13.1"] });
    expect(mirrorVersionEnv({}, MIRROR, list)).toEqual({
      BRIDGE_DOCKER_PROVIDER_VERSION: "4.6.1-dev.20260916201441",
      BRIDGE_AZURERM_PROVIDER_VERSION: "5.2.1-dev.20260824201233",
    });
    expect(mirrorVersionEnv({ BRIDGE_AZURERM_PROVIDER_VERSION: "4.55.0" }, MIRROR, list)).toEqual({ BRIDGE_DOCKER_PROVIDER_VERSION: "4.6.1-dev.20260916201441" });
    expect(mirrorVersionEnv({}, MIRROR, mirrorOf({ "kreuzwerker/docker": ["3.6.2"] }))).toEqual({ BRIDGE_DOCKER_PROVIDER_VERSION: "3.6.2" });
  });
});

describe("provider versions: the shell's view (scripts/provider-versions.ts)", () => {
  test("builds: one line per build, in order of preference, with the Go module to build", () => {
    const lines = providerVersionsCli(["builds"], {});
    expect(lines).toContain(
      "docker|kreuzwerker|docker|4.6.1-dev.20260916201441|github.com/terraform-providers/terraform-provider-docker|v0.0.0-20260916201441-96d331c98ff4|github.com/kreuzwerker/terraform-provider-docker|",
    );
    const azurerm = lines.filter((l) => l.startsWith("azurerm|"));
    expect(azurerm).toEqual([
      "azurerm|hashicorp|azurerm|4.55.0|github.com/hashicorp/terraform-provider-azurerm|v1.44.1-0.20251204165152-37bf7f03b661||",
      "azurerm|hashicorp|azurerm|5.2.1-dev.20260824201233|github.com/hashicorp/terraform-provider-azurerm|v1.44.1-0.20260824201233-fae580791926||",
    ]);
    expect(lines.find((l) => l.startsWith("kafka|"))).toMatch(/\|git\.apache\.org\/thrift\.git => github\.com\/apache\/thrift v0\.0\.0-/);
  });

  test("env: export lines for the mirror in the cache dir (none online or without a mirror), mirror and hosts", () => {
    const cache = mkdtempSync(join(tmpdir(), "provider-versions-"));
    try {
      for (const v of ["3.6.2", "4.6.1-dev.20260916201441"]) mkdirSync(join(cache, "terraform-mirror", "registry.terraform.io", "kreuzwerker", "docker", v), { recursive: true });
      mkdirSync(join(cache, "terraform-mirror", "registry.terraform.io", "hashicorp", "azurerm", "5.2.1-dev.20260824201233"), { recursive: true });
      expect(providerVersionsCli(["env"], { BRIDGE_CACHE: cache })).toEqual([
        "export BRIDGE_DOCKER_PROVIDER_VERSION='3.6.2'",
        "export BRIDGE_AZURERM_PROVIDER_VERSION='5.2.1-dev.20260824201233'",
      ]);
      expect(providerVersionsCli(["env"], { BRIDGE_CACHE: cache, BRIDGE_PROVIDERS: "registry" })).toEqual([]);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
    expect(providerVersionsCli(["env"], { BRIDGE_CACHE: "/nonexistent" })).toEqual([]);
    expect(providerVersionsCli(["mirror"], { BRIDGE_CACHE: "/c" })).toEqual([MIRROR]);
    expect(providerVersionsCli(["hosts"], {})).toEqual(["registry.terraform.io", "registry.opentofu.org"]);
    expect(() => providerVersionsCli(["list"], {})).toThrow('unknown arguments "list" (usage: provider-versions.js env|mirror|hosts|builds)');
  });
});

describe("provider versions: the configuration and the stacks", () => {
  test("the fields' defaults and variables are the table's", () => {
    expect(DEFAULTS.providers).toEqual({ docker: "3.6.2", azurerm: "4.55.0" });
    expect(SCHEMA.providers.docker.spec.env).toBe("BRIDGE_DOCKER_PROVIDER_VERSION");
    expect(SCHEMA.providers.azurerm.spec.env).toBe("BRIDGE_AZURERM_PROVIDER_VERSION");
  });

  test("the azure stack pins the configured azurerm version (default: the binding's, 4.55.0)", () => {
    const pin = (input: object): string => {
      const stack = new AzureStack(Testing.app(), "azure", { deployment: new Deployment(resolveConfig(input)) });
      return JSON.parse(Testing.synth(stack)).terraform.required_providers.azurerm.version;
    };
    expect(pin({})).toBe("4.55.0");
    expect(pin({ providers: { azurerm: "5.2.1-dev.20260824201233" } })).toBe("5.2.1-dev.20260824201233");
  });
});
