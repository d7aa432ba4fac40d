import { outOfStockTable } from "../config/tables";
import { TerraformOutput, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { eventHubsIpRules, runnerReachesDataPlane, storageIpRules } from "../config/reachability";
import { DataLake, LakeNetwork } from "../constructs/azure/data-lake";
import { EventHubsBridge } from "../constructs/azure/event-hubs-bridge";
import { PrivateNetwork } from "../constructs/azure/private-network";
import { ResolvedConfig } from "../config";
import { ENTRA_ID } from "../verify/entra-id";
import { BaseStack, BaseStackProps } from "./base-stack";

/**
 * The Azure side: the lake (ADLS Gen2) the bridge lands in and, for the
 * event-hubs target, the Event Hubs namespace that plays the cloud Kafka,
 * reachable on exactly the paths config/reachability.ts opens for the
 * network mode (private endpoints, or IP and resource-instance rules).
 */
export class AzureStack extends BaseStack {
  readonly lake: DataLake;
  readonly eventHubs?: EventHubsBridge;

  constructor(scope: Construct, id: string, props: BaseStackProps) {
    super(scope, id, props);
    const c = this.config;
    const az = c.azure;
    const tags = { ...c.derived.tags };

    new AzurermProvider(this, "azurerm", {
      features: [
        {
          // azurerm waits for a new account's data plane (blob, dfs) unless told the runner cannot reach it;
          // from outside the network that wait ends in "context deadline exceeded" (azurerm #32474, #30893).
          storage: [{ dataPlaneAvailable: runnerReachesDataPlane(c) }],
        },
      ],
      // Data-plane calls with Entra ID: shared keys are off by default.
      storageUseAzuread: true,
      // Register what the stack uses, nothing more (a subscription-wide "legacy" set needs more rights).
      resourceProviderRegistrations: "none",
      resourceProvidersToRegister: resourceProviders(c),
    });
    // The azurerm version of the configuration: the binding pins 4.55.0, an air-gapped mirror may hold another build.
    this.addOverride("terraform.required_providers.azurerm.version", c.providers.azurerm);

    const sinkPrincipalId =
      az.sinkPrincipalId ??
      new TerraformVariable(this, "sink_principal_id", {
        type: "string",
        description: "Entra ID object id of the principal that writes into the lake (Storage Blob Data Contributor).",
        validation: [
          {
            // The schema's pattern (RE2 reads it the same; it has no backslash to escape in HCL).
            condition: `\${can(regex("${ENTRA_ID.source}", var.sink_principal_id))}`,
            errorMessage: "sink_principal_id must be an Entra ID object id (UUID).",
          },
        ],
      }).stringValue;

    const rg = new ResourceGroup(this, "rg", { name: c.derived.resourceGroupName, location: az.location, tags });

    const net = az.network;
    const privateNetwork =
      net.mode === "private"
        ? new PrivateNetwork(this, "network", {
            resourceGroupName: rg.name,
            location: rg.location,
            subnetId: net.subnetId,
            virtualNetworkName: c.derived.virtualNetworkName,
            addressSpace: net.addressSpace,
            subnetPrefix: net.subnetPrefix,
            azurermMajor: Number(c.providers.azurerm.split(".")[0]),
            tags,
          })
        : undefined;

    // Before the lake: in selected-networks the lake lets the namespace (Capture) in by its id.
    if (az.eventHubs.enabled) {
      const eh = az.eventHubs;
      this.eventHubs = new EventHubsBridge(this, "event-hubs", {
        name: c.derived.eventHubsNamespace,
        resourceGroupName: rg.name,
        location: rg.location,
        topics: c.derived.replicatedTopics,
        // Event Hubs creates no topic over Kafka: the way back's events topic is an event hub too.
        eventsTopics: c.writeBack.enabled ? [outOfStockTable(c.onPrem.dc)] : [],
        capacity: eh.capacity,
        partitionCount: eh.partitionCount,
        messageRetentionDays: eh.messageRetentionDays,
        network: privateNetwork ? { mode: "private", network: privateNetwork } : { mode: "selected-networks", ipRules: eventHubsIpRules(c) },
        tags,
      });
      new TerraformOutput(this, "event_hubs_kafka_bootstrap", {
        value: this.eventHubs.kafkaBootstrap,
        description: "Kafka bootstrap of the Event Hubs namespace (SASL_SSL, PLAIN with the connection string)",
      });
    }
    const capture = this.eventHubs && az.eventHubs.capture ? this.eventHubs : undefined;

    const lakeNetwork: LakeNetwork = privateNetwork
      ? { mode: "private", network: privateNetwork }
      : { mode: "selected-networks", ipRules: storageIpRules(c), resourceInstanceIds: capture ? [capture.namespace.id] : [] };
    const sa = az.storageAccount;
    this.lake = new DataLake(this, "lake", {
      resourceGroupName: rg.name,
      location: rg.location,
      accountName: c.derived.storageAccountName,
      filesystem: az.filesystem,
      network: lakeNetwork,
      logAnalyticsWorkspaceId:
        az.logAnalyticsWorkspaceId ??
        new LogAnalyticsWorkspace(this, "logs", {
          name: c.derived.logAnalyticsWorkspaceName,
          resourceGroupName: rg.name,
          location: rg.location,
          sku: "PerGB2018",
          retentionInDays: 90,
          tags,
        }).id,
      replication: sa.replication,
      sharedKeyAccess: sa.sharedKeyAccess,
      sasExpiryPeriod: sa.sasExpiryPeriod,
      customerManagedKey:
        sa.customerManagedKeyId && sa.customerManagedKeyIdentityId ? { keyVaultKeyId: sa.customerManagedKeyId, identityId: sa.customerManagedKeyIdentityId } : undefined,
      softDeleteDays: sa.softDeleteDays,
      sinkPrincipalId,
      // The console's Entra ID reader (config/validate.ts requires one where the lake takes no shared key).
      readerPrincipalId: c.derived.consoleLakeReader?.objectId,
      tags,
    });
    capture?.captureInto({
      storageAccountId: this.lake.account.id,
      filesystem: az.filesystem,
      intervalSeconds: az.eventHubs.captureIntervalSeconds,
      sizeLimitBytes: az.eventHubs.captureSizeLimitBytes,
    });

    new TerraformOutput(this, "dfs_endpoint", { value: this.lake.dfsEndpoint, description: "ADLS Gen2 dfs endpoint" });
    new TerraformOutput(this, "filesystem_url", { value: this.lake.filesystemUrl, description: "URL of the landed-data filesystem" });
  }
}

/**
 * The Azure resource providers the stack's resources live in. With
 * `resource_provider_registrations = "none"` the provider registers exactly
 * these (a subscription owner can pre-register them instead: README).
 */
export function resourceProviders(c: ResolvedConfig): string[] {
  const az = c.azure;
  return [
    "Microsoft.Authorization", // role assignments
    ...(az.eventHubs.enabled ? ["Microsoft.EventHub"] : []),
    "Microsoft.Insights", // diagnostic settings
    ...(az.storageAccount.customerManagedKeyIdentityId ? ["Microsoft.ManagedIdentity"] : []),
    ...(az.network.mode === "private" ? ["Microsoft.Network"] : []),
    "Microsoft.OperationalInsights", // the Log Analytics workspace
    "Microsoft.Storage",
  ];
}
