/**
 * The network paths of each target in each mode (config/reachability.ts),
 * and the configuration errors a blocked path becomes.
 */
import { resolveConfig } from "../config";
import { blockedPaths, networkPaths, runnerReachesDataPlane, storageIpRules, eventHubsIpRules } from "../config/reachability";
import { BridgeConfig, DeepPartial, NETWORK_MODES, TARGETS } from "../config/types";
import { AZURE_VARIANTS, TARGET_CONFIGS } from "../scripts/lib/variants";

const problemsOf = (input: DeepPartial<BridgeConfig>): string[] => {
  try {
    resolveConfig(input);
    return [];
  } catch (e) {
    return (e as Error).message.split("\n").filter((l) => l.startsWith("  - ")).map((l) => l.slice(4));
  }
};
const withNetwork = (target: keyof typeof TARGET_CONFIGS, network: DeepPartial<BridgeConfig["azure"]["network"]>, more: DeepPartial<BridgeConfig["azure"]> = {}) => ({
  ...TARGET_CONFIGS[target],
  azure: { ...TARGET_CONFIGS[target].azure, ...more, network },
});

describe("every variant the checks use is a valid configuration with no blocked path", () => {
  test.each(AZURE_VARIANTS.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const c = resolveConfig(v.config);
    expect(c.target).toBe(v.target);
    expect(c.azure.network.mode).toBe(v.mode);
    expect(blockedPaths(c)).toEqual([]);
  });
  test("each target appears in each mode in which it can work, and confluent-cloud never in private", () => {
    const pairs = new Set(AZURE_VARIANTS.map((v) => `${v.target}/${v.mode}`));
    for (const t of TARGETS) for (const m of NETWORK_MODES) expect(pairs.has(`${t}/${m}`)).toBe(!(t === "confluent-cloud" && m === "private"));
  });
});

describe("event-hubs", () => {
  test("GIVEN private mode with Capture WHEN resolved THEN Capture's path is blocked, naming the rule and the fix", () => {
    const problems = problemsOf(withNetwork("event-hubs", { mode: "private", onPremConnected: true }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^azure\.network\.mode: "private" — blocks the path Event Hubs Capture → lake \(blob\)/);
    expect(problems[0]).toContain("Azure ignores IP rules, resource-instance rules and trusted services");
    expect(problems[0]).toContain('fix: set azure.network.mode to "selected-networks"');
  });
  test("GIVEN private mode, on-prem not connected WHEN resolved THEN MirrorMaker 2's path is blocked", () => {
    expect(problemsOf(withNetwork("event-hubs", { mode: "private" }, { eventHubs: { capture: false } }))).toEqual([
      expect.stringMatching(/^azure\.network\.onPremConnected: false — blocks the path on-prem MirrorMaker 2 → Event Hubs Kafka endpoint \(9093\).*fix: connect on-prem/),
    ]);
  });
  test("GIVEN selected-networks without on-prem or analyst CIDRs WHEN resolved THEN both paths are reported", () => {
    const problems = problemsOf(withNetwork("event-hubs", { mode: "selected-networks" }));
    expect(problems.map((p) => p.split(" — ")[0])).toEqual(["azure.network.onPremCidrs: []", "azure.network.analystCidrs: []"]);
  });
  test("GIVEN selected-networks WHEN the rules are derived THEN the namespace lets in the on-prem egress and the lake the runner and analysts, once each", () => {
    const c = resolveConfig(withNetwork("event-hubs", { mode: "selected-networks", onPremCidrs: ["203.0.113.64/29"], analystCidrs: ["198.51.100.7", "203.0.113.10"], runnerCidrs: ["203.0.113.10"] }));
    expect(eventHubsIpRules(c)).toEqual(["203.0.113.64/29"]);
    expect(storageIpRules(c)).toEqual(["203.0.113.10", "198.51.100.7"]);
    expect(runnerReachesDataPlane(c)).toBe(true);
    expect(networkPaths(c).find((p) => p.id === "capture-storage")).toMatchObject({ open: true, how: expect.stringContaining("resource-instance rule") });
  });
});

describe("confluent-cloud", () => {
  test("GIVEN private mode WHEN resolved THEN the managed sink's path is blocked: it comes from Confluent's egress", () => {
    expect(problemsOf(withNetwork("confluent-cloud", { mode: "private" }))).toEqual([
      expect.stringMatching(/^azure\.network\.mode: "private" — blocks the path Confluent Cloud managed ADLS Gen2 sink → lake \(dfs\).*confluentEgressCidrs/),
    ]);
  });
  test("GIVEN selected-networks without the egress IPs WHEN resolved THEN the fix says where to find them", () => {
    expect(problemsOf(withNetwork("confluent-cloud", { mode: "selected-networks", analystCidrs: ["198.51.100.7"] }))).toEqual([
      expect.stringMatching(/^azure\.network\.confluentEgressCidrs: \[\] — .*Confluent Cloud console → cluster → Networking → Egress IPs/),
    ]);
  });
  test("GIVEN selected-networks WHEN the lake's rules are derived THEN Confluent's egress is among them, the on-prem list is not", () => {
    const c = resolveConfig(withNetwork("confluent-cloud", { mode: "selected-networks", analystCidrs: ["198.51.100.7"], confluentEgressCidrs: ["192.0.2.16"] }));
    expect(storageIpRules(c)).toEqual(["198.51.100.7", "192.0.2.16"]);
    expect(runnerReachesDataPlane(c)).toBe(false);
  });
});

describe("local", () => {
  test("GIVEN the defaults WHEN resolved THEN no cloud path is needed and the runner stays off the data plane", () => {
    const c = resolveConfig({});
    expect(c.azure.network.mode).toBe("private");
    expect(networkPaths(c).filter((p) => p.needed).map((p) => p.id)).toEqual(["replication-kafka"]);
    expect(runnerReachesDataPlane(c)).toBe(false);
  });
  test("GIVEN a self-hosted runner inside the network WHEN resolved THEN the provider may use the data plane", () => {
    expect(runnerReachesDataPlane(resolveConfig({ azure: { network: { runnerInside: true } } }))).toBe(true);
  });
});

describe("network fields", () => {
  test("a subnet prefix outside the address space, a malformed subnet id, a subnet id in selected-networks", () => {
    expect(problemsOf({ azure: { network: { addressSpace: "10.80.0.0/16", subnetPrefix: "10.81.1.0/24" } } })).toEqual([
      'azure.network.subnetPrefix: "10.81.1.0/24" — must lie inside azure.network.addressSpace (10.80.0.0/16)',
    ]);
    expect(problemsOf({ azure: { network: { subnetId: "vnet-hub/endpoints" } } })).toEqual([
      expect.stringMatching(/^azure\.network\.subnetId: "vnet-hub\/endpoints" — must be a subnet's resource id/),
    ]);
    const id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s";
    expect(problemsOf({ azure: { network: { mode: "selected-networks", subnetId: id } } })).toEqual([
      expect.stringMatching(/^azure\.network\.subnetId: .* — is used only in azure\.network\.mode "private"/),
    ]);
  });
  test("a customer-managed key needs its identity", () => {
    expect(problemsOf({ azure: { storageAccount: { customerManagedKeyId: "https://kv-a.vault.azure.net/keys/lake" } } })).toEqual([
      "azure.storageAccount.customerManagedKeyIdentityId: (unset) — is required with azure.storageAccount.customerManagedKeyId: the account reads the key as that identity",
    ]);
  });
});

describe("npm run paths", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatPaths } = require("../scripts/paths") as typeof import("../scripts/paths");
  test("GIVEN event-hubs in selected-networks WHEN printed THEN one line per path, the optional runner path marked closed", () => {
    const lines = formatPaths(networkPaths(resolveConfig(TARGET_CONFIGS["event-hubs"])));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^closed  deploying runner → storage data plane \(blob, dfs\) \(optional\): no runner CIDR listed/);
    expect(lines.filter((l) => l.startsWith("open   "))).toHaveLength(4);
  });
});
