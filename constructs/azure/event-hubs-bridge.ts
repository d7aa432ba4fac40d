import { dependable } from "cdktf";
import { Construct } from "constructs";
import { Eventhub } from "@cdktf/provider-azurerm/lib/eventhub";
import { EventhubNamespace } from "@cdktf/provider-azurerm/lib/eventhub-namespace";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { KafkaEndpoint, bootstrapServers } from "../kafka-endpoint";
import { PrivateNetwork } from "./private-network";

/** The Kafka endpoint of an Event Hubs namespace: TLS on 9093 of its Service Bus host. */
export function eventHubsKafkaEndpoint(namespace: string): KafkaEndpoint {
  return { host: `${namespace}.servicebus.windows.net`, port: 9093 };
}

export interface EventHubsBridgeProps {
  /** Namespace name (6–50 characters, globally unique). */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Topics replicated into the namespace: one event hub each, same name. */
  readonly topics: readonly string[];
  /**
   * The way back's events topics (`<dc>_out_of_stock_events`, written by the stock processor, read by
   * the reverse MirrorMaker 2): an event hub each, one partition, not captured (they are not lake data).
   * @default []
   */
  readonly eventsTopics?: readonly string[];
  /** Throughput units. @default 1 */
  readonly capacity?: number;
  /** Partitions per event hub. @default 2 */
  readonly partitionCount?: number;
  /** Retention, days. @default 1 */
  readonly messageRetentionDays?: number;
  /** Who may reach the Kafka endpoint: the paths of config/reachability.ts, already checked. */
  readonly network:
    | { readonly mode: "private"; readonly network: PrivateNetwork }
    | {
        readonly mode: "selected-networks";
        /** Public IPv4 addresses / CIDRs let through (the on-prem Connect's egress). */
        readonly ipRules: readonly string[];
      };
  /** Tags. @default {} */
  readonly tags?: Record<string, string>;
}

/** Where Capture writes. */
export interface EventHubsCapture {
  readonly storageAccountId: string;
  readonly filesystem: string;
  /** @default 300 */
  readonly intervalSeconds?: number;
  /** @default 314572800 */
  readonly sizeLimitBytes?: number;
}

/**
 * Event Hubs as the cloud Kafka: a Standard namespace (Kafka endpoint on
 * 9093, TLS ≥ 1.2), an event hub per replicated topic — Event Hubs has no
 * topic auto-creation over Kafka, so MirrorMaker 2 needs them pre-created —
 * network rules (default Deny; the paths config/reachability.ts opens) and,
 * with captureInto, Capture of each into the lake filesystem as Avro.
 */
export class EventHubsBridge extends Construct {
  readonly namespace: EventhubNamespace;
  readonly hubs: Record<string, Eventhub> = {};
  /** "<namespace>.servicebus.windows.net:9093" */
  readonly kafkaBootstrap: string;

  constructor(scope: Construct, id: string, props: EventHubsBridgeProps) {
    super(scope, id);
    const net = props.network;
    this.namespace = new EventhubNamespace(this, "namespace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "Standard", // Basic has no Kafka endpoint.
      capacity: props.capacity ?? 1,
      minimumTlsVersion: "1.2",
      // The Kafka client authenticates with a SAS connection string (SASL PLAIN): Event Hubs'
      // Kafka endpoint takes Entra ID only through OAUTHBEARER, which MirrorMaker 2 is not set up for.
      localAuthenticationEnabled: true,
      // Capture writes to the lake as the namespace's own identity.
      identity: { type: "SystemAssigned" },
      publicNetworkAccessEnabled: net.mode === "selected-networks",
      networkRulesets: [
        {
          defaultAction: "Deny",
          publicNetworkAccessEnabled: net.mode === "selected-networks",
          ipRule: net.mode === "selected-networks" ? net.ipRules.map((ipMask) => ({ ipMask, action: "Allow" })) : [],
          virtualNetworkRule: [],
          trustedServiceAccessEnabled: true,
        },
      ],
      tags: props.tags,
    });
    if (net.mode === "private") net.network.endpoint("event-hubs", "eventHubs", this.namespace);

    for (const topic of props.topics) {
      this.hubs[topic] = new Eventhub(this, `hub-${topic}`, {
        name: topic,
        namespaceId: this.namespace.id,
        partitionCount: props.partitionCount ?? 2,
        messageRetention: props.messageRetentionDays ?? 1,
      });
    }
    for (const topic of props.eventsTopics ?? []) {
      // Not in `hubs`: captureInto captures only the replicated topics.
      new Eventhub(this, `hub-${topic}`, { name: topic, namespaceId: this.namespace.id, partitionCount: 1, messageRetention: props.messageRetentionDays ?? 1 });
    }
    this.kafkaBootstrap = bootstrapServers([eventHubsKafkaEndpoint(this.namespace.name)]);
  }

  /**
   * Capture every event hub into the lake as Avro. A method, not a prop:
   * the lake's firewall lets the namespace in by its id, so the namespace
   * exists before the lake and the capture after it.
   */
  captureInto(capture: EventHubsCapture): void {
    const role = new RoleAssignment(this, "capture-data-contributor", {
      scope: capture.storageAccountId,
      roleDefinitionName: "Storage Blob Data Contributor",
      principalId: this.namespace.identity.principalId,
    });
    for (const hub of Object.values(this.hubs)) {
      hub.putCaptureDescription({
        enabled: true,
        encoding: "Avro",
        intervalInSeconds: capture.intervalSeconds ?? 300,
        sizeLimitInBytes: capture.sizeLimitBytes ?? 314572800,
        skipEmptyArchives: true,
        destination: {
          name: "EventHubArchive.AzureBlockBlob",
          blobContainerName: capture.filesystem,
          storageAccountId: capture.storageAccountId,
          archiveNameFormat: "{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}",
        },
      });
      // Capture fails its first writes until the identity holds the role.
      hub.dependsOn = [...(hub.dependsOn ?? []), dependable(role)];
    }
  }
}
