/**
 * Which network paths a deployment needs and whether its network mode
 * opens each: the one place that knows how traffic reaches the Azure
 * resources. validate.ts turns a needed path that is blocked into a
 * configuration problem (at synth, before anything is planned); the azure
 * stack opens exactly the paths this reports open (IP rules, the
 * resource-instance rule, private endpoints) and sets the provider's
 * `data_plane_available` from the runner's path.
 *
 * Azure's rules this encodes (storage and Event Hubs network security docs):
 * - public network access *disabled*: only private endpoints get in; the
 *   firewall's IP rules, resource-instance rules and the trusted-services
 *   exception are all ignored;
 * - public access *enabled from selected networks* (default Deny): IP rules
 *   for public addresses, resource-instance rules for Azure resources such
 *   as an Event Hubs namespace (Capture), the trusted-services bypass;
 * - Event Hubs Capture and Confluent Cloud's managed connectors come from
 *   outside any virtual network: they never use a private endpoint.
 */
import type { BridgeConfig, NetworkMode, Target } from "./types";

export type PathId = "runner-arm" | "runner-storage" | "capture-storage" | "sink-storage" | "replication-kafka" | "analyst-lake";

export interface NetworkPath {
  readonly id: PathId;
  /** Who connects, and to what. */
  readonly from: string;
  readonly to: string;
  /** Whether the deployment fails without it (the others only change how it is deployed). */
  readonly needed: boolean;
  readonly open: boolean;
  /** How it gets through (open) or what stops it (blocked). */
  readonly how: string;
  /** The configuration field that decides it. */
  readonly field: string;
  /** What to change when it is blocked. */
  readonly fix?: string;
}

/** The part of the configuration the paths depend on. */
export interface ReachabilityInput {
  readonly target: Target;
  readonly azure: {
    readonly network: Pick<
      BridgeConfig["azure"]["network"],
      "mode" | "runnerInside" | "onPremConnected" | "runnerCidrs" | "analystCidrs" | "onPremCidrs" | "confluentEgressCidrs"
    >;
    readonly eventHubs: { readonly capture: boolean };
  };
}

const NO_PUBLIC = "public network access is disabled in mode `private`: Azure ignores IP rules, resource-instance rules and trusted services";

/** Every path of the deployment's target in its network mode, needed or not. */
export function networkPaths(c: ReachabilityInput): NetworkPath[] {
  const n = c.azure.network;
  const mode: NetworkMode = n.mode;
  const priv = mode === "private";
  const cloud = c.target !== "local";
  const listed = (cidrs: readonly string[]) => cidrs.length > 0;
  const paths: NetworkPath[] = [];

  paths.push({
    id: "runner-arm",
    from: "deploying runner",
    to: "Azure Resource Manager",
    needed: cloud,
    open: true,
    how: "public ARM endpoint, Entra ID sign-in (OIDC in the pipeline); every resource is created through it",
    field: "azure.network.mode",
  });

  const runnerIn = priv ? n.runnerInside : listed(n.runnerCidrs);
  paths.push({
    id: "runner-storage",
    from: "deploying runner",
    to: "storage data plane (blob, dfs)",
    // The stack creates everything through ARM (the filesystem by storage_account_id), so this only
    // decides data_plane_available: without it the provider never waits for the data plane.
    needed: false,
    open: runnerIn,
    how: runnerIn
      ? priv
        ? "through the private endpoints (runner inside the network)"
        : "firewall IP rule for the runner's egress"
      : priv
        ? "runner outside the network: the provider skips the data plane (data_plane_available = false)"
        : "no runner CIDR listed: the provider skips the data plane (data_plane_available = false)",
    field: priv ? "azure.network.runnerInside" : "azure.network.runnerCidrs",
  });

  if (c.target === "event-hubs" && c.azure.eventHubs.capture) {
    paths.push({
      id: "capture-storage",
      from: "Event Hubs Capture",
      to: "lake (blob)",
      needed: true,
      open: !priv,
      how: priv ? NO_PUBLIC : "resource-instance rule for the namespace (its managed identity holds Storage Blob Data Contributor)",
      field: "azure.network.mode",
      fix: priv ? 'set azure.network.mode to "selected-networks" (Capture then writes through a resource-instance rule; no address to list), or azure.eventHubs.capture to false and land the hubs with a sink of your own inside the network' : undefined,
    });
  }

  if (c.target === "confluent-cloud") {
    const ok = !priv && listed(n.confluentEgressCidrs);
    paths.push({
      id: "sink-storage",
      from: "Confluent Cloud managed ADLS Gen2 sink",
      to: "lake (dfs)",
      needed: true,
      open: ok,
      how: priv
        ? `${NO_PUBLIC}; Confluent's managed connectors reach Azure over the internet from the cluster's egress IPs`
        : ok
          ? "firewall IP rules for the cluster's egress IPs"
          : "firewall default Deny and no rule for the cluster's egress IPs",
      field: priv ? "azure.network.mode" : "azure.network.confluentEgressCidrs",
      fix: ok
        ? undefined
        : priv
          ? 'set azure.network.mode to "selected-networks" and list the cluster\'s egress IPs in azure.network.confluentEgressCidrs'
          : "list the cluster's egress IPs (Confluent Cloud console → cluster → Networking → Egress IPs) in azure.network.confluentEgressCidrs",
    });
  }

  if (c.target === "event-hubs") {
    const ok = priv ? n.onPremConnected : listed(n.onPremCidrs);
    paths.push({
      id: "replication-kafka",
      from: "on-prem MirrorMaker 2",
      to: "Event Hubs Kafka endpoint (9093)",
      needed: true,
      open: ok,
      how: priv
        ? ok
          ? "the namespace's private endpoint, over VPN or ExpressRoute"
          : "the namespace has no public access in mode `private` and on-prem is not connected to the network"
        : ok
          ? "namespace IP rules for the on-prem egress"
          : "namespace firewall default Deny and no rule for the on-prem egress",
      field: priv ? "azure.network.onPremConnected" : "azure.network.onPremCidrs",
      fix: ok
        ? undefined
        : priv
          ? 'connect on-prem to the virtual network (VPN or ExpressRoute) and set azure.network.onPremConnected to true, or use mode "selected-networks" with azure.network.onPremCidrs'
          : "list the public egress address of the on-prem Connect workers in azure.network.onPremCidrs",
    });
  } else {
    paths.push({
      id: "replication-kafka",
      from: "on-prem MirrorMaker 2",
      to: c.target === "local" ? "local cloud Kafka (loopback)" : "Confluent Cloud Kafka endpoint (9092)",
      needed: true,
      open: true,
      how: c.target === "local" ? "the same host" : "Confluent Cloud's public endpoint (outside Azure; the cluster's own IP filtering applies)",
      field: "target",
    });
  }

  if (cloud) {
    const ok = priv || listed(n.analystCidrs);
    paths.push({
      id: "analyst-lake",
      from: "Power BI (Desktop or the on-premises data gateway)",
      to: "lake (dfs)",
      needed: true,
      open: ok,
      how: priv
        ? "the dfs private endpoint, from inside the network: a data gateway or Power BI Desktop on a machine in or peered to it (README: Power BI)"
        : ok
          ? "firewall IP rules for the analysts' or the gateway's egress"
          : "firewall default Deny and no rule for the analysts or the gateway",
      field: priv ? "azure.network.mode" : "azure.network.analystCidrs",
      fix: ok ? undefined : "list the public egress of the Power BI users or of the on-premises data gateway in azure.network.analystCidrs",
    });
  }
  return paths;
}

/** The needed paths the configuration blocks. */
export function blockedPaths(c: ReachabilityInput): NetworkPath[] {
  return networkPaths(c).filter((p) => p.needed && !p.open);
}

/** Whether the provider may use the storage data plane (azurerm `features.storage.data_plane_available`). */
export function runnerReachesDataPlane(c: ReachabilityInput): boolean {
  return networkPaths(c).some((p) => p.id === "runner-storage" && p.open);
}

/** The storage firewall's IP rules in mode selected-networks: exactly the listed addresses of the paths the target uses. */
export function storageIpRules(c: ReachabilityInput): string[] {
  const n = c.azure.network;
  if (n.mode !== "selected-networks") return [];
  const cidrs = [...n.runnerCidrs, ...n.analystCidrs, ...(c.target === "confluent-cloud" ? n.confluentEgressCidrs : [])];
  return [...new Set(cidrs)];
}

/** The Event Hubs namespace's IP rules in mode selected-networks. */
export function eventHubsIpRules(c: ReachabilityInput): string[] {
  const n = c.azure.network;
  return n.mode === "selected-networks" ? [...new Set(n.onPremCidrs)] : [];
}
