import { TerraformOutput, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { DataLake } from "../constructs/azure/data-lake";
import { EventHubsBridge } from "../constructs/azure/event-hubs-bridge";
import { BaseStack, BaseStackProps } from "./base-stack";

/**
 * The Azure side: the lake (ADLS Gen2) the bridge lands in and, for the
 * event-hubs target, the Event Hubs namespace that plays the cloud Kafka.
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
      features: [{}],
      // Data-plane calls with Entra ID: shared keys are off by default.
      storageUseAzuread: true,
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
            condition: '${can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.sink_principal_id))}',
            errorMessage: "sink_principal_id must be an Entra ID object id (UUID).",
          },
        ],
      }).stringValue;

    const rg = new ResourceGroup(this, "rg", { name: c.derived.resourceGroupName, location: az.location, tags });

    this.lake = new DataLake(this, "lake", {
      resourceGroupName: rg.name,
      location: rg.location,
      accountName: c.derived.storageAccountName,
      filesystem: az.filesystem,
      replication: az.storageAccount.replication,
      publicNetworkAccess: az.storageAccount.publicNetworkAccess,
      allowedIps: az.storageAccount.allowedIps,
      sharedKeyAccess: az.storageAccount.sharedKeyAccess,
      softDeleteDays: az.storageAccount.softDeleteDays,
      sinkPrincipalId,
      tags,
    });

    new TerraformOutput(this, "dfs_endpoint", { value: this.lake.dfsEndpoint, description: "ADLS Gen2 dfs endpoint" });
    new TerraformOutput(this, "filesystem_url", { value: this.lake.filesystemUrl, description: "URL of the landed-data filesystem" });

    if (az.eventHubs.enabled) {
      const eh = az.eventHubs;
      this.eventHubs = new EventHubsBridge(this, "event-hubs", {
        name: c.derived.eventHubsNamespace,
        resourceGroupName: rg.name,
        location: rg.location,
        topics: c.derived.replicatedTopics,
        capacity: eh.capacity,
        partitionCount: eh.partitionCount,
        messageRetentionDays: eh.messageRetentionDays,
        capture: eh.capture
          ? {
              storageAccountId: this.lake.account.id,
              filesystem: az.filesystem,
              intervalSeconds: eh.captureIntervalSeconds,
              sizeLimitBytes: eh.captureSizeLimitBytes,
            }
          : undefined,
        tags,
      });
      new TerraformOutput(this, "event_hubs_kafka_bootstrap", {
        value: this.eventHubs.kafkaBootstrap,
        description: "Kafka bootstrap of the Event Hubs namespace (SASL_SSL, PLAIN with the connection string)",
      });
    }
  }
}
