import { readFileSync } from "fs";
import { join } from "path";
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
import { Deployment } from "../stacks/deployment";
import { AZURE_VARIANTS, TARGET_CONFIGS } from "../scripts/lib/variants";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

function synth(input: DeepPartial<BridgeConfig> = {}): { raw: string; json: TfJson } {
  const app = Testing.app();
  const stack = new AzureStack(app, "azure", { deployment: new Deployment(resolveConfig(input)) });
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
    ...TARGET_CONFIGS["event-hubs"],
    replication: { topics: ["dc01_sales_order_details", "dc01_sales_orders"] },
  });

  test("Standard namespace with Kafka endpoint and TLS 1.2", () => {
    expect(raw).toHaveResourceWithProperties(EventhubNamespace, { sku: "Standard", minimum_tls_version: "1.2", capacity: 1 });
    expect(only(json, "azurerm_eventhub_namespace").identity).toEqual({ type: "SystemAssigned" });
  });

  test("one event hub per replicated topic, captured as Avro into the filesystem", () => {
    const hubs = Object.values(json.resource.azurerm_eventhub) as TfJson[];
    expect(hubs.map((h) => h.name).sort()).toEqual(["dc01_bridge_latency_probe", "dc01_sales_order_details", "dc01_sales_orders"]);
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

/** The synthesized azure stack of a variant of scripts/lib/variants.ts. */
function variant(id: string): TfJson {
  const v = AZURE_VARIANTS.find((x) => x.id === id);
  if (!v) throw new Error(`no variant ${id}`);
  return synth(v.config).json;
}
const ref = (json: TfJson, type: string) => `\${${type}.${Object.keys(json.resource[type])[0]}`;

describe("azure stack: network mode private", () => {
  const json = variant("event-hubs-private");
  const endpoints = Object.values(json.resource.azurerm_private_endpoint) as TfJson[];

  test("GIVEN mode private WHEN synthesized THEN the lake and the namespace have no public access", () => {
    expect(only(json, "azurerm_storage_account")).toMatchObject({ public_network_access_enabled: false, network_rules: { default_action: "Deny", ip_rules: [] } });
    const ns = only(json, "azurerm_eventhub_namespace");
    expect(ns.public_network_access_enabled).toBe(false);
    expect(ns.network_rulesets).toEqual([{ default_action: "Deny", public_network_access_enabled: false, ip_rule: [], virtual_network_rule: [], trusted_service_access_enabled: true }]);
  });

  test("THEN blob, dfs and the namespace each get a private endpoint in the created subnet, registered in their private DNS zone", () => {
    const sa = ref(json, "azurerm_storage_account");
    const byResource = endpoints.map((e) => [e.private_service_connection.private_connection_resource_id, e.private_service_connection.subresource_names[0]]);
    expect(byResource).toEqual([
      [`${sa}.id}`, "blob"],
      [`${sa}.id}`, "dfs"],
      [`${ref(json, "azurerm_eventhub_namespace")}.id}`, "namespace"],
    ]);
    for (const e of endpoints) expect(e.subnet_id).toBe(`${ref(json, "azurerm_subnet")}.id}`);
    const zones = Object.entries(json.resource.azurerm_private_dns_zone) as [string, TfJson][];
    expect(zones.map(([, z]) => z.name)).toEqual(["privatelink.blob.core.windows.net", "privatelink.dfs.core.windows.net", "privatelink.servicebus.windows.net"]);
    endpoints.forEach((e, i) => expect(e.private_dns_zone_group.private_dns_zone_ids).toEqual([`\${azurerm_private_dns_zone.${zones[i][0]}.id}`]));
  });

  test("THEN every zone is linked to the created network, whose subnet has a security group", () => {
    const links = Object.values(json.resource.azurerm_private_dns_zone_virtual_network_link) as TfJson[];
    expect(links).toHaveLength(3);
    for (const l of links) expect(l.virtual_network_id).toBe(`${ref(json, "azurerm_virtual_network")}.id}`);
    expect(only(json, "azurerm_subnet_network_security_group_association").subnet_id).toBe(`${ref(json, "azurerm_subnet")}.id}`);
    expect(only(json, "azurerm_virtual_network").address_space).toEqual(["10.80.0.0/16"]);
  });

  test("GIVEN an existing subnet WHEN synthesized THEN nothing of the network is created and the zones link its network", () => {
    const existing = variant("event-hubs-private-existing-subnet");
    expect(existing.resource.azurerm_virtual_network).toBeUndefined();
    expect(existing.resource.azurerm_subnet).toBeUndefined();
    expect(existing.resource.azurerm_log_analytics_workspace).toBeUndefined();
    const links = Object.values(existing.resource.azurerm_private_dns_zone_virtual_network_link) as TfJson[];
    for (const l of links) expect(l.virtual_network_id).toBe("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub");
    expect(only(existing, "azurerm_monitor_diagnostic_setting").log_analytics_workspace_id).toMatch(/\/workspaces\/log-hub$/);
  });

  test("GIVEN a runner inside the network WHEN synthesized THEN the provider may use the data plane", () => {
    expect(json.provider.azurerm[0].features[0].storage).toEqual([{ data_plane_available: true }]);
    expect(json.provider.azurerm[0].resource_providers_to_register).toContain("Microsoft.Network");
  });
});

describe("azure stack: network mode selected-networks", () => {
  const json = variant("event-hubs-selected-networks");

  test("GIVEN Capture WHEN synthesized THEN the lake lets the namespace in by a resource-instance rule and the listed CIDRs by IP rules", () => {
    const sa = only(json, "azurerm_storage_account");
    expect(sa.public_network_access_enabled).toBe(true);
    expect(sa.network_rules).toEqual({
      default_action: "Deny",
      ip_rules: ["203.0.113.10", "198.51.100.0/28"],
      bypass: ["AzureServices"],
      private_link_access: [{ endpoint_resource_id: `${ref(json, "azurerm_eventhub_namespace")}.id}` }],
    });
    expect(json.resource.azurerm_private_endpoint).toBeUndefined();
    expect(json.resource.azurerm_virtual_network).toBeUndefined();
  });

  test("THEN the namespace lets in only the on-prem egress", () => {
    expect(only(json, "azurerm_eventhub_namespace").network_rulesets).toEqual([
      { default_action: "Deny", public_network_access_enabled: true, ip_rule: [{ ip_mask: "203.0.113.64/29", action: "Allow" }], virtual_network_rule: [], trusted_service_access_enabled: true },
    ]);
  });

  test("THEN Capture of every event hub waits for its role on the lake", () => {
    const hubs = Object.values(json.resource.azurerm_eventhub) as TfJson[];
    expect(hubs.length).toBeGreaterThan(0);
    for (const hub of hubs) {
      expect(hub.capture_description.destination.storage_account_id).toBe(`${ref(json, "azurerm_storage_account")}.id}`);
      expect(hub.depends_on).toEqual([expect.stringMatching(/^azurerm_role_assignment\./)]);
    }
  });

  test("GIVEN a runner CIDR WHEN synthesized THEN the provider may use the data plane; without one it may not", () => {
    expect(json.provider.azurerm[0].features[0].storage).toEqual([{ data_plane_available: true }]);
    expect(variant("confluent-cloud-selected-networks").provider.azurerm[0].features[0].storage).toEqual([{ data_plane_available: false }]);
  });
});

describe("azure stack: hardening of the lake", () => {
  test("local users off, access logs of the blob service to the created workspace", () => {
    const json = variant("local-private");
    expect(only(json, "azurerm_storage_account")).toMatchObject({ local_user_enabled: false, shared_access_key_enabled: false });
    expect(only(json, "azurerm_storage_account").sas_policy).toBeUndefined();
    const diag = only(json, "azurerm_monitor_diagnostic_setting");
    expect(diag.target_resource_id).toBe(`${ref(json, "azurerm_storage_account")}.id}/blobServices/default`);
    expect(diag.log_analytics_workspace_id).toBe(`${ref(json, "azurerm_log_analytics_workspace")}.id}`);
    expect(diag.enabled_log.map((l: TfJson) => l.category)).toEqual(["StorageRead", "StorageWrite", "StorageDelete"]);
  });

  test("GIVEN shared keys (confluent-cloud) WHEN synthesized THEN a SAS expiry policy; GIVEN a customer-managed key THEN the account uses it as its identity", () => {
    expect(only(variant("confluent-cloud-selected-networks"), "azurerm_storage_account").sas_policy).toEqual({ expiration_period: "1.00:00:00", expiration_action: "Log" });
    const cmk = only(variant("confluent-cloud-selected-networks-cmk"), "azurerm_storage_account");
    expect(cmk.sas_policy.expiration_period).toBe("0.04:00:00");
    expect(cmk.customer_managed_key).toEqual({
      key_vault_key_id: "https://kv-bridge-keys.vault.azure.net/keys/lake",
      user_assigned_identity_id: expect.stringMatching(/userAssignedIdentities\/id-lake-cmk$/),
    });
    expect(cmk.identity).toEqual({ type: "UserAssigned", identity_ids: [cmk.customer_managed_key.user_assigned_identity_id] });
  });

  test("each accepted checkov finding carries its reason in the resource's comment, where Terraform ignores it", () => {
    // Testing.synth drops the "//" comments: the full synth keeps them, as `cdktf synth` writes them.
    const app = Testing.app();
    new AzureStack(app, "azure", { deployment: new Deployment(resolveConfig({})) });
    const full = JSON.parse(readFileSync(join(Testing.fullSynth(app.node.children[0] as AzureStack), "stacks", "azure", "cdk.tf.json"), "utf8"));
    const sa = only(full, "azurerm_storage_account");
    expect(Object.keys(sa["//"].checkov_accepted).sort()).toEqual(["CKV2_AZURE_1", "CKV_AZURE_206", "CKV_AZURE_33"]);
    for (const reason of Object.values(sa["//"].checkov_accepted)) expect(reason).toMatch(/\w{4,}.{30,}/);
  });
});
