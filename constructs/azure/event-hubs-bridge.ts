import { Construct } from "constructs";
import { Eventhub } from "@cdktf/provider-azurerm/lib/eventhub";
import { EventhubNamespace } from "@cdktf/provider-azurerm/lib/eventhub-namespace";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { KafkaEndpoint, bootstrapServers } from "../kafka-endpoint";

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
  /** Throughput units. @default 1 */
  readonly capacity?: number;
  /** Partitions per event hub. @default 2 */
  readonly partitionCount?: number;
  /** Retention, days. @default 1 */
  readonly messageRetentionDays?: number;
  /** Capture into the lake. When set, every event hub captures Avro into `filesystem`. @default undefined */
  readonly capture?: {
    readonly storageAccountId: string;
    readonly filesystem: string;
    /** @default 300 */
    readonly intervalSeconds?: number;
    /** @default 314572800 */
    readonly sizeLimitBytes?: number;
  };
  /** Tags. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Event Hubs as the cloud Kafka: a Standard namespace (Kafka endpoint on
 * 9093, TLS ≥ 1.2), an event hub per replicated topic — Event Hubs has no
 * topic auto-creation over Kafka, so MirrorMaker 2 needs them pre-created —
 * and Capture of each into the lake filesystem as Avro.
 */
export class EventHubsBridge extends Construct {
  readonly namespace: EventhubNamespace;
  readonly hubs: Record<string, Eventhub> = {};
  /** "<namespace>.servicebus.windows.net:9093" */
  readonly kafkaBootstrap: string;

  constructor(scope: Construct, id: string, props: EventHubsBridgeProps) {
    super(scope, id);
    this.namespace = new EventhubNamespace(this, "namespace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "Standard", // Basic has no Kafka endpoint.
      capacity: props.capacity ?? 1,
      minimumTlsVersion: "1.2",
      // The Kafka client authenticates with a SAS connection string (SASL PLAIN).
      localAuthenticationEnabled: true,
      // Capture writes to the lake as the namespace's own identity.
      identity: { type: "SystemAssigned" },
      tags: props.tags,
    });

    const capture = props.capture;
    let captureRole: RoleAssignment | undefined;
    if (capture) {
      captureRole = new RoleAssignment(this, "capture-data-contributor", {
        scope: capture.storageAccountId,
        roleDefinitionName: "Storage Blob Data Contributor",
        principalId: this.namespace.identity.principalId,
      });
    }

    for (const topic of props.topics) {
      this.hubs[topic] = new Eventhub(this, `hub-${topic}`, {
        name: topic,
        namespaceId: this.namespace.id,
        partitionCount: props.partitionCount ?? 2,
        messageRetention: props.messageRetentionDays ?? 1,
        captureDescription: capture && {
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
        },
        dependsOn: captureRole ? [captureRole] : undefined,
      });
    }
    this.kafkaBootstrap = bootstrapServers([eventHubsKafkaEndpoint(this.namespace.name)]);
  }
}
