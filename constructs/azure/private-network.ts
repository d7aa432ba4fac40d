import { Construct } from "constructs";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";

/** A private-link sub-resource and the private DNS zone its records belong in (Azure's fixed names). */
export const PRIVATE_LINK = {
  blob: { subresource: "blob", zone: "privatelink.blob.core.windows.net" },
  dfs: { subresource: "dfs", zone: "privatelink.dfs.core.windows.net" },
  eventHubs: { subresource: "namespace", zone: "privatelink.servicebus.windows.net" },
} as const;
export type PrivateLinkKind = keyof typeof PRIVATE_LINK;

/** The virtual network of a subnet: its id names it, …/virtualNetworks/<vnet>/subnets/<subnet> (config checks the form). */
export function virtualNetworkIdOf(subnetId: string): string {
  return subnetId.slice(0, subnetId.toLowerCase().lastIndexOf("/subnets/"));
}

export interface PrivateNetworkProps {
  readonly resourceGroupName: string;
  readonly location: string;
  /** Existing subnet for the endpoints; its virtual network gets the DNS zone links. @default a network and subnet are created */
  readonly subnetId?: string;
  /** Name of the created virtual network (ignored with `subnetId`). */
  readonly virtualNetworkName: string;
  /** Address space of the created network. @default "10.80.0.0/16" */
  readonly addressSpace?: string;
  /** Prefix of the created endpoint subnet. @default "10.80.1.0/24" */
  readonly subnetPrefix?: string;
  /** Major version of the azurerm provider the stack is applied with (its schemas differ). @default 4 */
  readonly azurermMajor?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Where the private endpoints live: a subnet (given or created) and, per
 * private-link kind used, one private DNS zone linked to its network, so
 * `<account>.dfs.core.windows.net` resolves to the endpoint from inside.
 */
export class PrivateNetwork extends Construct {
  readonly subnetId: string;
  readonly virtualNetworkId: string;
  private readonly zones = new Map<PrivateLinkKind, PrivateDnsZone>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PrivateNetworkProps,
  ) {
    super(scope, id);
    if (props.subnetId) {
      this.subnetId = props.subnetId;
      this.virtualNetworkId = virtualNetworkIdOf(props.subnetId);
    } else {
      const vnet = new VirtualNetwork(this, "vnet", {
        name: props.virtualNetworkName,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        addressSpace: [props.addressSpace ?? "10.80.0.0/16"],
        tags: props.tags,
      });
      const subnet = new Subnet(this, "endpoints", {
        name: "private-endpoints",
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefixes: [props.subnetPrefix ?? "10.80.1.0/24"],
        // Nothing in this subnet needs to reach the internet.
        defaultOutboundAccessEnabled: false,
        // Let the security group below apply to the private endpoints too.
        privateEndpointNetworkPolicies: "Enabled",
      });
      // Azure's default rules: traffic from inside the network (and peered or connected ones) only.
      const nsg = new NetworkSecurityGroup(this, "endpoints-nsg", {
        name: `nsg-${props.virtualNetworkName}-private-endpoints`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        tags: props.tags,
      });
      new SubnetNetworkSecurityGroupAssociation(this, "endpoints-nsg-association", { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
      this.subnetId = subnet.id;
      this.virtualNetworkId = vnet.id;
    }
  }

  /** A private endpoint for `kind` of the resource, registered in the kind's DNS zone. */
  endpoint(id: string, kind: PrivateLinkKind, resource: { readonly id: string; readonly name: string }): PrivateEndpoint {
    const link = PRIVATE_LINK[kind];
    return new PrivateEndpoint(this, `pe-${id}`, {
      name: `pe-${resource.name}-${link.subresource}`,
      resourceGroupName: this.props.resourceGroupName,
      location: this.props.location,
      subnetId: this.subnetId,
      privateServiceConnection: {
        name: `${resource.name}-${link.subresource}`,
        privateConnectionResourceId: resource.id,
        subresourceNames: [link.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: "default", privateDnsZoneIds: [this.zone(kind).id] },
      tags: this.props.tags,
    });
  }

  private zone(kind: PrivateLinkKind): PrivateDnsZone {
    let zone = this.zones.get(kind);
    if (!zone) {
      zone = new PrivateDnsZone(this, `zone-${kind}`, { name: PRIVATE_LINK[kind].zone, resourceGroupName: this.props.resourceGroupName, tags: this.props.tags });
      const link = new PrivateDnsZoneVirtualNetworkLink(this, `zone-${kind}-link`, {
        name: `link-${kind}`,
        resourceGroupName: this.props.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId: this.virtualNetworkId,
        registrationEnabled: false,
        tags: this.props.tags,
      });
      if ((this.props.azurermMajor ?? 4) >= 5) {
        // azurerm 5 names the zone by id (the 4.x binding knows only name + resource group).
        link.addOverride("private_dns_zone_id", zone.id);
        link.addOverride("private_dns_zone_name", undefined);
        link.addOverride("resource_group_name", undefined);
      }
      this.zones.set(kind, zone);
    }
    return zone;
  }
}
