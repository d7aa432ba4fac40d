import { Construct } from "constructs";
// Deep imports: the package index loads every azurerm resource (~2 s).
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { StorageAccount, StorageAccountConfig } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { acceptFinding } from "../checkov";
import { PrivateNetwork } from "./private-network";

/** How the account is reached: the network paths of config/reachability.ts, already checked. */
export type LakeNetwork =
  | {
      /** Public access off; blob and dfs private endpoints in the network. */
      readonly mode: "private";
      readonly network: PrivateNetwork;
    }
  | {
      /** Public endpoint with default Deny. */
      readonly mode: "selected-networks";
      /** Public IPv4 addresses / CIDRs let through. */
      readonly ipRules: readonly string[];
      /** Azure resources let through by resource-instance rules (an Event Hubs namespace for Capture). */
      readonly resourceInstanceIds: readonly string[];
    };

export interface DataLakeProps {
  /** Resource group that holds the account. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Globally unique account name, already validated (3–24 lowercase letters and digits). */
  readonly accountName: string;
  /** Filesystem (container) that receives the landed data. */
  readonly filesystem: string;
  /** Who may reach the account, and how. */
  readonly network: LakeNetwork;
  /** Log Analytics workspace that receives the blob service's read, write and delete logs. */
  readonly logAnalyticsWorkspaceId: string;
  /** Account replication type. @default "ZRS" */
  readonly replication?: string;
  /** Keep account-key and SAS authentication. @default false */
  readonly sharedKeyAccess?: boolean;
  /** With shared keys: the longest SAS life before it is logged as over-long ("D.HH:MM:SS"). @default "1.00:00:00" */
  readonly sasExpiryPeriod?: string;
  /** Customer-managed key and the user-assigned identity that reads it. @default Microsoft-managed keys */
  readonly customerManagedKey?: { readonly keyVaultKeyId: string; readonly identityId: string };
  /** Soft-delete retention of blobs and containers, days. @default 7 */
  readonly softDeleteDays?: number;
  /** Entra ID object id of the sink that writes into the lake. */
  readonly sinkPrincipalId: string;
  /**
   * Entra ID object id of the console's lake reader (a service principal): gets Storage Blob Data
   * Reader on the filesystem. @default undefined (no reader role)
   */
  readonly readerPrincipalId?: string;
  /** Tags of the account. @default {} */
  readonly tags?: Record<string, string>;
}

/** Replication types that keep a copy in the paired region. */
const GEO_REDUNDANT = ["GRS", "RAGRS", "GZRS", "RAGZRS"];

/** The blob service logs that record every access to the landed data. */
const ACCESS_LOGS = ["StorageRead", "StorageWrite", "StorageDelete"] as const;

/**
 * ADLS Gen2: a StorageV2 account with hierarchical namespace, locked down
 * (HTTPS only, TLS ≥ 1.2, no anonymous access, no local users,
 * infrastructure encryption, soft delete, reachable only on the paths its
 * network opens), the filesystem for the landed data, the sink's data-plane
 * role and the access logs.
 */
export class DataLake extends Construct {
  readonly account: StorageAccount;
  readonly filesystem: StorageContainer;
  readonly sinkRole: RoleAssignment;
  /** The console's read-only role on the filesystem, when it has a reader. */
  readonly readerRole?: RoleAssignment;
  /** https://<account>.dfs.core.windows.net/ */
  readonly dfsEndpoint: string;
  /** abfss-style https URL of the filesystem. */
  readonly filesystemUrl: string;

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);
    const softDeleteDays = props.softDeleteDays ?? 7;
    const sharedKey = props.sharedKeyAccess ?? false;
    const net = props.network;
    const cmk = props.customerManagedKey;

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
      // SFTP/NFS local users would be a second, key-based way in.
      localUserEnabled: false,
      sharedAccessKeyEnabled: sharedKey,
      // Only where a SAS can exist: with shared keys off there is nothing to expire.
      sasPolicy: sharedKey ? { expirationPeriod: props.sasExpiryPeriod ?? "1.00:00:00", expirationAction: "Log" } : undefined,
      // Entra ID by default on the portal too, so no key is ever needed.
      defaultToOauthAuthentication: true,
      publicNetworkAccessEnabled: net.mode === "selected-networks",
      networkRules: {
        defaultAction: "Deny",
        ipRules: net.mode === "selected-networks" ? [...net.ipRules] : [],
        // Ignored while public access is off (mode private); in selected-networks it lets Azure's
        // trusted services (Capture among them) through, the resource-instance rules narrow it to ours.
        bypass: ["AzureServices"],
        privateLinkAccess: net.mode === "selected-networks" && net.resourceInstanceIds.length > 0 ? net.resourceInstanceIds.map((endpointResourceId) => ({ endpointResourceId })) : undefined,
      },
      identity: cmk ? { type: "UserAssigned", identityIds: [cmk.identityId] } : undefined,
      customerManagedKey: cmk ? { keyVaultKeyId: cmk.keyVaultKeyId, userAssignedIdentityId: cmk.identityId } : undefined,
      blobProperties: {
        deleteRetentionPolicy: { days: softDeleteDays },
        containerDeleteRetentionPolicy: { days: softDeleteDays },
      },
      tags: props.tags,
    } satisfies StorageAccountConfig);

    const acceptAccount = (check: `CKV${string}`, reason: string) => acceptFinding(this.account, check, reason);
    if (net.mode === "selected-networks") {
      const why = "mode selected-networks: Event Hubs Capture and Confluent's managed sink come from outside any network, so the public endpoint stays on, default Deny, with only the paths config/reachability.ts opens";
      acceptAccount("CKV_AZURE_59", why);
      acceptAccount("CKV2_AZURE_33", why);
    }
    if (!GEO_REDUNDANT.includes(props.replication ?? "ZRS")) {
      acceptAccount("CKV_AZURE_206", "zone-redundant in the region by default; geo-redundancy (GZRS, RAGZRS) is azure.storageAccount.replication, for lakes that need a second region");
    }
    acceptAccount("CKV_AZURE_33", "the lake has no queues; queue_properties (what this check reads) needs the storage data plane and is gone in azurerm 5; access is logged by the blob service's diagnostic setting below");
    if (!cmk) acceptAccount("CKV2_AZURE_1", "Microsoft-managed keys with infrastructure (double) encryption by default; azure.storageAccount.customerManagedKeyId selects a customer-managed key");
    if (sharedKey) acceptAccount("CKV2_AZURE_40", "shared keys only where the target needs them: Confluent Cloud's managed ADLS Gen2 sink authenticates with the account key (SAS expiry policy above)");

    if (net.mode === "private") {
      // The sink, Power BI's gateway and the runner (when inside) resolve the usual host names to these.
      net.network.endpoint("blob", "blob", this.account);
      net.network.endpoint("dfs", "dfs", this.account);
    }

    // An HNS container *is* the ADLS Gen2 filesystem. Created through the
    // resource manager (storage_account_id), not the data plane, so it works
    // while the account's public endpoint is closed and shared keys are off.
    this.filesystem = new StorageContainer(this, "filesystem", {
      name: props.filesystem,
      storageAccountId: this.account.id,
      containerAccessType: "private",
    });
    acceptFinding(
      this.filesystem,
      "CKV2_AZURE_21",
      "reads are logged by the blob service's diagnostic setting (StorageRead/Write/Delete to Log Analytics); the check knows only log_analytics_storage_insights, which needs the account key",
    );

    this.sinkRole = new RoleAssignment(this, "sink-data-contributor", {
      scope: this.account.id,
      roleDefinitionName: "Storage Blob Data Contributor",
      principalId: props.sinkPrincipalId,
    });

    if (props.readerPrincipalId !== undefined) {
      // The filesystem, not the account: the console lists and reads the landed files, nothing else.
      this.readerRole = new RoleAssignment(this, "reader-data-reader", {
        scope: `${this.account.id}/blobServices/default/containers/${props.filesystem}`,
        roleDefinitionName: "Storage Blob Data Reader",
        principalId: props.readerPrincipalId,
        dependsOn: [this.filesystem],
      });
    }

    // Who read, wrote or deleted landed data: the blob service's logs (the dfs API logs there too).
    new MonitorDiagnosticSetting(this, "access-logs", {
      name: "lake-access",
      targetResourceId: `${this.account.id}/blobServices/default`,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      enabledLog: ACCESS_LOGS.map((category) => ({ category })),
      enabledMetric: [{ category: "Transaction" }],
    });

    this.dfsEndpoint = this.account.primaryDfsEndpoint;
    this.filesystemUrl = `${this.account.primaryDfsEndpoint}${props.filesystem}`;
  }
}
