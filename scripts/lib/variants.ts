/**
 * Configurations that cover the cloud half: a minimal valid one per target
 * (credentials as variable names only), and each target in each network
 * mode in which it can work. The unit tests, `scripts/azure-checks.sh`
 * (terraform validate, terraform test, checkov) and synth-compare use these.
 */
import { BridgeConfig, DeepPartial, NetworkMode, Target } from "../../config/types";

/** Documentation addresses (RFC 5737): never anyone's real egress. */
const RUNNER = "203.0.113.10";
const ANALYSTS = "198.51.100.0/28";
const ON_PREM = "203.0.113.64/29";
const CONFLUENT_EGRESS = ["192.0.2.16", "192.0.2.17"];

/** The names (never values) of the sensitive variables of the confluent-cloud target. */
export const CONFLUENT_CREDENTIALS = {
  confluentApiKey: "confluent_api_key",
  confluentApiSecret: "confluent_api_secret",
  confluentCloudApiKey: "confluent_cloud_api_key",
  confluentCloudApiSecret: "confluent_cloud_api_secret",
  lakeAccessKey: "lake_access_key",
};

/** The console's Entra ID lake reader: ids of no real tenant (a cloud target without shared keys needs one). */
export const LAKE_READER = {
  tenantId: "00000000-0000-0000-0000-00000000a001",
  clientId: "00000000-0000-0000-0000-00000000c001",
  objectId: "00000000-0000-0000-0000-00000000b001",
} as const;

const CONFLUENT_CLOUD: DeepPartial<BridgeConfig> = {
  target: "confluent-cloud",
  confluentCloud: { bootstrapServers: "pkc-12345.westeurope.azure.confluent.cloud:9092", environmentId: "env-abc12", clusterId: "lkc-xyz34" },
  credentials: CONFLUENT_CREDENTIALS,
};

/** A network section in which each cloud target's needed paths are open (selected-networks: Capture and Confluent's sink come from outside any network). */
export const OPEN_NETWORK = {
  "event-hubs": { mode: "selected-networks", onPremCidrs: [ON_PREM], analystCidrs: [ANALYSTS] },
  "confluent-cloud": { mode: "selected-networks", confluentEgressCidrs: CONFLUENT_EGRESS, analystCidrs: [ANALYSTS] },
} as const satisfies Record<Exclude<Target, "local">, DeepPartial<BridgeConfig["azure"]["network"]>>;

export const TARGET_CONFIGS: Readonly<Record<Target, DeepPartial<BridgeConfig>>> = {
  local: {},
  "event-hubs": {
    target: "event-hubs",
    credentials: { eventHubsConnectionString: "event_hubs_connection_string" },
    azure: { network: OPEN_NETWORK["event-hubs"] },
    observability: { console: { lakeReader: LAKE_READER } },
  },
  "confluent-cloud": {
    ...CONFLUENT_CLOUD,
    azure: { storageAccount: { sharedKeyAccess: true }, network: OPEN_NETWORK["confluent-cloud"] },
  },
};

export interface Variant {
  /** Directory name: "<target>-<mode>[-<what>]". */
  readonly id: string;
  readonly target: Target;
  readonly mode: NetworkMode;
  readonly config: DeepPartial<BridgeConfig>;
}

/** Every target × network mode that can work (confluent-cloud needs the public endpoint: its sink comes from Confluent's egress). */
export const AZURE_VARIANTS: readonly Variant[] = [
  { id: "local-private", target: "local", mode: "private", config: {} },
  { id: "local-selected-networks", target: "local", mode: "selected-networks", config: { azure: { network: { mode: "selected-networks", runnerCidrs: [RUNNER] } } } },
  {
    id: "event-hubs-private",
    target: "event-hubs",
    mode: "private",
    config: {
      ...TARGET_CONFIGS["event-hubs"],
      azure: { network: { mode: "private", onPremConnected: true, runnerInside: true }, eventHubs: { capture: false } },
    },
  },
  {
    id: "event-hubs-private-existing-subnet",
    target: "event-hubs",
    mode: "private",
    config: {
      ...TARGET_CONFIGS["event-hubs"],
      azure: {
        network: {
          mode: "private",
          onPremConnected: true,
          subnetId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/endpoints",
        },
        eventHubs: { capture: false },
        logAnalyticsWorkspaceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.OperationalInsights/workspaces/log-hub",
      },
    },
  },
  {
    id: "event-hubs-selected-networks",
    target: "event-hubs",
    mode: "selected-networks",
    config: { ...TARGET_CONFIGS["event-hubs"], azure: { network: { mode: "selected-networks", onPremCidrs: [ON_PREM], analystCidrs: [ANALYSTS], runnerCidrs: [RUNNER] } } },
  },
  { id: "confluent-cloud-selected-networks", target: "confluent-cloud", mode: "selected-networks", config: TARGET_CONFIGS["confluent-cloud"] },
  {
    id: "confluent-cloud-selected-networks-cmk",
    target: "confluent-cloud",
    mode: "selected-networks",
    config: {
      ...CONFLUENT_CLOUD,
      azure: {
        storageAccount: {
          sharedKeyAccess: true,
          sasExpiryPeriod: "0.04:00:00",
          customerManagedKeyId: "https://kv-bridge-keys.vault.azure.net/keys/lake",
          customerManagedKeyIdentityId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-keys/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-lake-cmk",
        },
        network: OPEN_NETWORK["confluent-cloud"],
      },
    },
  },
];
