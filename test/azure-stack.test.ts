import { Testing } from "cdktf";
import { Eventhub } from "@cdktf/provider-azurerm/lib/eventhub";
import { EventhubNamespace } from "@cdktf/provider-azurerm/lib/eventhub-namespace";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { resolveConfig } from "../config";
import { BridgeConfig, DeepPartial } from "../config/types";
import { AzureStack } from "../stacks/azure-stack";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

function synth(input: DeepPartial<BridgeConfig> = {}): { raw: string; json: TfJson } {
  const app = Testing.app();
  const stack = new AzureStack(app, "azure", { config: resolveConfig(input) });
  const raw = Testing.synth(stack);
  return { raw, json: JSON.parse(raw) };
}

function only(json: TfJson, type: string): TfJson {
  const all = Object.values(json.resource?.[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
}

describe("azure stack: the lake", () => {
  const { raw, json } = synth();

  test("resource group in the configured region", () => {
    expect(raw).toHaveResourceWithProperties(ResourceGroup, { name: "rg-bridge-dev", location: "westeurope" });
  });

  test("storage account is ADLS Gen2 and locked down", () => {
    expect(raw).toHaveResourceWithProperties(StorageAccount, {
      account_kind: "StorageV2",
      is_hns_enabled: true,
      https_traffic_only_enabled: true,
      min_tls_version: "TLS1_2",
      allow_nested_items_to_be_public: false,
      infrastructure_encryption_enabled: true,
      shared_access_key_enabled: false,
      public_network_access_enabled: false,
    });
    const sa = only(json, "azurerm_storage_account");
    expect(sa.name).toMatch(/^bridgelake[0-9a-z]{6}$/);
    expect(sa.network_rules.default_action).toBe("Deny");
    expect(sa.network_rules.ip_rules).toEqual([]);
    expect(sa.blob_properties.delete_retention_policy.days).toBe(7);
    expect(sa.blob_properties.container_delete_retention_policy.days).toBe(7);
  });

  test("filesystem 'orders' is created through the resource manager, private", () => {
    expect(raw).toHaveResourceWithProperties(StorageContainer, { name: "orders", container_access_type: "private" });
    const fs = only(json, "azurerm_storage_container");
    expect(fs.storage_account_id).toMatch(/^\$\{azurerm_storage_account\.\w+\.id\}$/);
  });

  test("sink principal gets Storage Blob Data Contributor on the account, from a validated variable", () => {
    const ra = only(json, "azurerm_role_assignment");
    expect(ra.role_definition_name).toBe("Storage Blob Data Contributor");
    expect(ra.scope).toMatch(/^\$\{azurerm_storage_account\.\w+\.id\}$/);
    expect(ra.principal_id).toBe("${var.sink_principal_id}");
    expect(json.variable.sink_principal_id.validation[0].condition).toContain("regex");
  });

  test("outputs: dfs endpoint and filesystem URL", () => {
    expect(json.output.dfs_endpoint.value).toMatch(/primary_dfs_endpoint/);
    expect(json.output.filesystem_url.value).toMatch(/primary_dfs_endpoint\}orders$/);
    expect(json.output.event_hubs_kafka_bootstrap).toBeUndefined();
  });

  test("no event hubs unless enabled", () => {
    expect(json.resource.azurerm_eventhub_namespace).toBeUndefined();
  });

  test("provider uses Entra ID for data-plane calls, pinned to the prebuilt binding's version", () => {
    expect(json.provider.azurerm[0].storage_use_azuread).toBe(true);
    expect(json.terraform.required_providers.azurerm.version).toBe("4.55.0");
  });

  test("local backend keeps state at the project root without machine paths", () => {
    expect(json.terraform.backend.local.path).toBe("../../../.state/dev/azure.tfstate");
  });
});

describe("azure stack: configuration reaches resources", () => {
  test("selected-networks: public endpoint with default Deny and exactly the listed CIDRs", () => {
    const { json } = synth({ azure: { network: { mode: "selected-networks", runnerCidrs: ["203.0.113.7"], analystCidrs: ["198.51.100.0/28", "203.0.113.7"] } } });
    const sa = only(json, "azurerm_storage_account");
    expect(sa.public_network_access_enabled).toBe(true);
    expect(sa.network_rules).toEqual({ default_action: "Deny", ip_rules: ["203.0.113.7", "198.51.100.0/28"], bypass: ["AzureServices"] });
  });

  test("a configured principal id is used directly, no variable", () => {
    const { json } = synth({ azure: { sinkPrincipalId: "11111111-2222-3333-4444-555555555555" } });
    expect(only(json, "azurerm_role_assignment").principal_id).toBe("11111111-2222-3333-4444-555555555555");
    expect(json.variable?.sink_principal_id).toBeUndefined();
  });

  test("azurerm backend: per-stack key, Entra ID auth", () => {
    const { json } = synth({
      environment: "prod",
      backend: { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "tfstate0001" },
    });
    expect(json.terraform.backend.azurerm).toEqual({
      resource_group_name: "rg-tfstate",
      storage_account_name: "tfstate0001",
      container_name: "tfstate",
      key: "bridge/prod/azure.tfstate",
      use_azuread_auth: true,
    });
  });

  test("invalid input fails before any resource is built", () => {
    expect(() => synth({ azure: { storageAccount: { name: "Not-Valid" } } })).toThrow(/azure\.storageAccount\.name: "Not-Valid"/);
  });
});

describe("azure stack: event hubs", () => {
  const { raw, json } = synth({
    target: "event-hubs",
    credentials: { eventHubsConnectionString: "event_hubs_connection_string" },
    replication: { topics: ["dc01_sales_order_details", "dc01_sales_orders"] },
  });

  test("Standard namespace with Kafka endpoint and TLS 1.2", () => {
    expect(raw).toHaveResourceWithProperties(EventhubNamespace, { sku: "Standard", minimum_tls_version: "1.2", capacity: 1 });
    expect(only(json, "azurerm_eventhub_namespace").identity).toEqual({ type: "SystemAssigned" });
  });

  test("one event hub per replicated topic, captured as Avro into the filesystem", () => {
    const hubs = Object.values(json.resource.azurerm_eventhub) as TfJson[];
    expect(hubs.map((h) => h.name).sort()).toEqual(["dc01_sales_order_details", "dc01_sales_orders"]);
    expect(raw).toHaveResourceWithProperties(Eventhub, {
      name: "dc01_sales_order_details",
      capture_description: expect.objectContaining({
        enabled: true,
        encoding: "Avro",
        destination: expect.objectContaining({ blob_container_name: "orders", name: "EventHubArchive.AzureBlockBlob" }),
      }),
    });
  });

  test("the namespace identity may write the lake for Capture", () => {
    expect(raw).toHaveResourceWithProperties(RoleAssignment, {
      role_definition_name: "Storage Blob Data Contributor",
      principal_id: expect.stringMatching(/azurerm_eventhub_namespace\.[\w-]+\.identity\[0\]\.principal_id/),
    });
  });

  test("Kafka bootstrap output on port 9093", () => {
    expect(json.output.event_hubs_kafka_bootstrap.value).toMatch(/\.servicebus\.windows\.net:9093$/);
  });

  test("no secret material in the synthesized JSON", () => {
    expect(raw).not.toMatch(/SharedAccessKey|primary_connection_string|primary_access_key/i);
  });
});
