/**
 * A `terraform test` file for a synthesized azure stack: the real azurerm
 * provider's schema and validators, no Azure. Each resource gets a
 * realistic, distinct Azure id (the provider's id parsers reject random
 * mock strings, and distinct ids make a wrong reference fail), then one
 * offline apply asserts the resources, their references and the network
 * rules the reachability model says the variant opens.
 */
import { eventHubsIpRules, storageIpRules } from "../../config/reachability";
import type { ResolvedConfig } from "../../config";
import { PRIVATE_LINK, PrivateLinkKind, virtualNetworkIdOf } from "../../constructs/azure/private-network";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

const SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000";

/** A resource of the stack: address and body. */
interface Res {
  readonly type: string;
  readonly name: string;
  readonly body: TfJson;
  readonly path: string;
}

function resources(json: TfJson): Res[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName as Record<string, TfJson>).map(([name, body]) => ({ type, name, body, path: body["//"]?.metadata?.path ?? "" })),
  );
}

/** The realistic id of a mocked resource, by type (what the provider's parsers accept). */
function mockId(r: Res, rg: string): string {
  const literal = typeof r.body.name === "string" && !r.body.name.includes("${") ? r.body.name : r.name;
  const p = `${SUBSCRIPTION}/resourceGroups/${rg}/providers`;
  switch (r.type) {
    case "azurerm_resource_group":
      return `${SUBSCRIPTION}/resourceGroups/${rg}`;
    case "azurerm_storage_account":
      return `${p}/Microsoft.Storage/storageAccounts/${literal}`;
    case "azurerm_storage_container":
      return `${p}/Microsoft.Storage/storageAccounts/account/blobServices/default/containers/${literal}`;
    case "azurerm_eventhub_namespace":
      return `${p}/Microsoft.EventHub/namespaces/${literal}`;
    case "azurerm_eventhub":
      return `${p}/Microsoft.EventHub/namespaces/ns/eventhubs/${literal}`;
    case "azurerm_virtual_network":
      return `${p}/Microsoft.Network/virtualNetworks/${literal}`;
    case "azurerm_subnet":
      return `${p}/Microsoft.Network/virtualNetworks/vnet/subnets/${literal}`;
    case "azurerm_network_security_group":
      return `${p}/Microsoft.Network/networkSecurityGroups/${literal}`;
    case "azurerm_subnet_network_security_group_association":
      return `${p}/Microsoft.Network/virtualNetworks/vnet/subnets/private-endpoints`;
    case "azurerm_private_dns_zone":
      return `${p}/Microsoft.Network/privateDnsZones/${literal}`;
    case "azurerm_private_dns_zone_virtual_network_link":
      return `${p}/Microsoft.Network/privateDnsZones/zone/virtualNetworkLinks/${literal}`;
    case "azurerm_private_endpoint":
      return `${p}/Microsoft.Network/privateEndpoints/${literal}`;
    case "azurerm_log_analytics_workspace":
      return `${p}/Microsoft.OperationalInsights/workspaces/${literal}`;
    case "azurerm_role_assignment":
      return `${p}/Microsoft.Storage/storageAccounts/account/providers/Microsoft.Authorization/roleAssignments/${uuidOf(r.name)}`;
    case "azurerm_monitor_diagnostic_setting":
      return `${p}/Microsoft.Storage/storageAccounts/account/blobServices/default|${literal}`;
    default:
      throw new Error(`tftest: no mock id for ${r.type}: add it to scripts/lib/tftest.ts`);
  }
}

/** A stable UUID-shaped string from a name (role assignment ids are GUIDs). */
function uuidOf(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const hex = h.toString(16).padStart(8, "0");
  return `${hex}-0000-4000-8000-${hex}0000`;
}

/** Extra computed attributes some resources must have in a realistic shape. */
function mockValues(r: Res, rg: string): Record<string, unknown> {
  const values: Record<string, unknown> = { id: mockId(r, rg) };
  if (r.type === "azurerm_storage_account") values.primary_dfs_endpoint = `https://${r.body.name}.dfs.core.windows.net/`;
  if (r.type === "azurerm_eventhub_namespace") {
    // A block's mocked value is one object, not a list (terraform test's rule), with its computed fields only (OpenTofu's).
    values.identity = { principal_id: "22222222-2222-4222-8222-222222222222", tenant_id: "33333333-3333-4333-8333-333333333333" };
  }
  return values;
}

const hcl = (v: unknown): string => JSON.stringify(v);
/** `expr` holds exactly `values` (toset([]) has no element type, so an empty list is checked by length). */
const setEquals = (expr: string, values: readonly string[]): string => (values.length === 0 ? `length(${expr}) == 0` : `toset(${expr}) == toset(${hcl(values)})`);

/** The test file of one variant's synthesized azure stack. */
export function azureStackTest(json: TfJson, c: ResolvedConfig): string {
  const all = resources(json);
  const rg = c.derived.resourceGroupName;
  const one = (type: string, pathEnd?: string): string => {
    const found = all.filter((r) => r.type === type && (pathEnd === undefined || r.path.endsWith(pathEnd)));
    if (found.length !== 1) throw new Error(`tftest: expected one ${type}${pathEnd ? ` at …${pathEnd}` : ""}, found ${found.length}`);
    return `${type}.${found[0].name}`;
  };
  const asserts: [string, string][] = [];
  const assert = (condition: string, message: string) => asserts.push([condition, message]);
  const net = c.azure.network;
  const selected = net.mode === "selected-networks";
  const sa = one("azurerm_storage_account");

  assert(`${sa}.public_network_access_enabled == ${selected}`, `public network access of the lake must be ${selected} in mode ${net.mode}`);
  assert(`${sa}.network_rules[0].default_action == "Deny"`, "the lake's firewall must deny by default");
  assert(setEquals(`${sa}.network_rules[0].ip_rules`, storageIpRules(c)), "the lake must let in exactly the listed CIDRs");
  assert(`${sa}.local_user_enabled == false`, "local users must be off");
  assert(`${sa}.shared_access_key_enabled == ${c.azure.storageAccount.sharedKeyAccess}`, "shared keys only where the target needs them");
  assert(`${sa}.min_tls_version == "TLS1_2" && ${sa}.https_traffic_only_enabled`, "TLS 1.2, HTTPS only");
  assert(`${one("azurerm_storage_container")}.storage_account_id == ${sa}.id`, "the filesystem must be the lake's, created through ARM");
  assert(`${one("azurerm_role_assignment", "/lake/sink-data-contributor")}.scope == ${sa}.id`, "the sink's role must be on the lake");
  const diag = one("azurerm_monitor_diagnostic_setting");
  assert(`${diag}.target_resource_id == "\${${sa}.id}/blobServices/default"`, "access logs must be the blob service's");
  const workspace = c.azure.logAnalyticsWorkspaceId ? hcl(c.azure.logAnalyticsWorkspaceId) : `${one("azurerm_log_analytics_workspace")}.id`;
  assert(`${diag}.log_analytics_workspace_id == ${workspace}`, "access logs must go to the workspace");
  assert(`toset([for l in ${diag}.enabled_log : l.category]) == toset(["StorageRead", "StorageWrite", "StorageDelete"])`, "reads, writes and deletes must be logged");

  const ns = c.azure.eventHubs.enabled ? one("azurerm_eventhub_namespace") : undefined;
  if (ns) {
    assert(`${ns}.public_network_access_enabled == ${selected}`, `public access of the namespace must be ${selected} in mode ${net.mode}`);
    assert(`${ns}.network_rulesets[0].default_action == "Deny"`, "the namespace must deny by default");
    assert(setEquals(`[for r in ${ns}.network_rulesets[0].ip_rule : r.ip_mask]`, eventHubsIpRules(c)), "the namespace must let in exactly the on-prem egress");
    assert(`${ns}.minimum_tls_version == "1.2"`, "the namespace must require TLS 1.2");
    if (c.azure.eventHubs.capture) {
      const role = one("azurerm_role_assignment", "/event-hubs/capture-data-contributor");
      assert(`${role}.principal_id == ${ns}.identity[0].principal_id && ${role}.scope == ${sa}.id`, "Capture's identity must hold its role on the lake");
      for (const hub of all.filter((r) => r.type === "azurerm_eventhub")) {
        assert(`azurerm_eventhub.${hub.name}.capture_description[0].destination[0].storage_account_id == ${sa}.id`, `${hub.body.name} must capture into the lake`);
      }
      if (selected) assert(`one(${sa}.network_rules[0].private_link_access).endpoint_resource_id == ${ns}.id`, "the lake must let the namespace in by a resource-instance rule");
    }
  }

  if (!selected) {
    const subnet = net.subnetId ? hcl(net.subnetId) : `${one("azurerm_subnet")}.id`;
    const vnet = net.subnetId ? hcl(virtualNetworkIdOf(net.subnetId)) : `${one("azurerm_virtual_network")}.id`;
    const kinds: [PrivateLinkKind, string][] = [["blob", sa], ["dfs", sa], ...(ns ? [["eventHubs", ns] as [PrivateLinkKind, string]] : [])];
    for (const [kind, target] of kinds) {
      const { subresource: sub, zone: zoneName } = PRIVATE_LINK[kind];
      const endpoints = all.filter((r) => r.type === "azurerm_private_endpoint" && r.body.private_service_connection?.subresource_names?.[0] === sub);
      if (endpoints.length !== 1) throw new Error(`tftest: expected one private endpoint for ${sub}, found ${endpoints.length}`);
      const pe = `azurerm_private_endpoint.${endpoints[0].name}`;
      const zone = all.find((r) => r.type === "azurerm_private_dns_zone" && r.body.name === zoneName);
      if (!zone) throw new Error(`tftest: no private DNS zone ${zoneName}`);
      assert(`${pe}.private_service_connection[0].private_connection_resource_id == ${target}.id`, `the ${sub} endpoint must connect to its resource`);
      assert(`${pe}.private_service_connection[0].subresource_names == tolist([${hcl(sub)}])`, `the ${sub} endpoint must serve ${sub}`);
      assert(`${pe}.subnet_id == ${subnet}`, `the ${sub} endpoint must be in the endpoint subnet`);
      assert(`${pe}.private_dns_zone_group[0].private_dns_zone_ids == tolist([azurerm_private_dns_zone.${zone.name}.id])`, `the ${sub} endpoint must register in ${zoneName}`);
    }
    for (const link of all.filter((r) => r.type === "azurerm_private_dns_zone_virtual_network_link")) {
      assert(`azurerm_private_dns_zone_virtual_network_link.${link.name}.virtual_network_id == ${vnet}`, "each zone must be linked to the endpoints' network");
    }
  }

  const overrides = all
    .map((r) => `  override_resource {\n    target = ${r.type}.${r.name}\n    values = ${JSON.stringify(mockValues(r, rg))}\n  }`)
    .join("\n");
  const runs = asserts.map(([condition, message]) => `  assert {\n    condition     = ${condition}\n    error_message = ${hcl(message)}\n  }`).join("\n");
  return `# Generated by scripts/lib/tftest.ts for the ${c.target} target in mode ${net.mode}: offline, against the real azurerm schema.
mock_provider "azurerm" {
${overrides}
}

variables {
  sink_principal_id = "44444444-4444-4444-8444-444444444444"
}

run "apply_offline" {
  command = apply
${runs}
}
`;
}
