import { Construct } from "constructs";
// Deep imports: the package index loads every azurerm resource (~2 s).
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";

export interface DataLakeProps {
  /** Resource group that holds the account. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Globally unique account name, already validated (3–24 lowercase letters and digits). */
  readonly accountName: string;
  /** Filesystem (container) that receives the landed data. */
  readonly filesystem: string;
  /** Account replication type. @default "ZRS" */
  readonly replication?: string;
  /** Allow the public endpoint at all. @default false */
  readonly publicNetworkAccess?: boolean;
  /** Client IPv4 addresses / CIDRs allowed through the firewall. @default [] */
  readonly allowedIps?: readonly string[];
  /** Keep account-key and SAS authentication. @default false */
  readonly sharedKeyAccess?: boolean;
  /** Soft-delete retention of blobs and containers, days. @default 7 */
  readonly softDeleteDays?: number;
  /** Entra ID object id of the sink that writes into the lake. */
  readonly sinkPrincipalId: string;
  /** Tags of the account. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * ADLS Gen2: a StorageV2 account with hierarchical namespace, locked down
 * (HTTPS only, TLS ≥ 1.2, no anonymous access, infrastructure encryption,
 * soft delete, deny-by-default firewall), the filesystem for the landed data
 * and the sink's data-plane role.
 */
export class DataLake extends Construct {
  readonly account: StorageAccount;
  readonly filesystem: StorageContainer;
  readonly sinkRole: RoleAssignment;
  /** https://<account>.dfs.core.windows.net/ */
  readonly dfsEndpoint: string;
  /** abfss-style https URL of the filesystem. */
  readonly filesystemUrl: string;

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);
    const publicAccess = props.publicNetworkAccess ?? false;
    const softDeleteDays = props.softDeleteDays ?? 7;

    this.account = new StorageAccount(this, "account", {
      name: props.accountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: "StorageV2",
      accountTier: "Standard",
      accountReplicationType: props.replication ?? "ZRS",
      isHnsEnabled: true,
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: "TLS1_2",
      allowNestedItemsToBePublic: false,
      infrastructureEncryptionEnabled: true,
      sharedAccessKeyEnabled: props.sharedKeyAccess ?? false,
      // Entra ID by default on the portal too, so no key is ever needed.
      defaultToOauthAuthentication: true,
      publicNetworkAccessEnabled: publicAccess,
      networkRules: {
        defaultAction: "Deny",
        ipRules: [...(props.allowedIps ?? [])],
        // Event Hubs Capture and other trusted services reach the account through the firewall.
        bypass: ["AzureServices"],
      },
      blobProperties: {
        deleteRetentionPolicy: { days: softDeleteDays },
        containerDeleteRetentionPolicy: { days: softDeleteDays },
      },
      tags: props.tags,
    });

    // An HNS container *is* the ADLS Gen2 filesystem. Created through the
    // resource manager (storage_account_id), not the data plane, so it works
    // while the account's public endpoint is closed and shared keys are off.
    this.filesystem = new StorageContainer(this, "filesystem", {
      name: props.filesystem,
      storageAccountId: this.account.id,
      containerAccessType: "private",
    });

    this.sinkRole = new RoleAssignment(this, "sink-data-contributor", {
      scope: this.account.id,
      roleDefinitionName: "Storage Blob Data Contributor",
      principalId: props.sinkPrincipalId,
    });

    this.dfsEndpoint = this.account.primaryDfsEndpoint;
    this.filesystemUrl = `${this.account.primaryDfsEndpoint}${props.filesystem}`;
  }
}
