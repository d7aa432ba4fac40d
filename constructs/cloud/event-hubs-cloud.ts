import { TerraformStack } from "cdktf";
import { eventHubsKafkaEndpoint } from "../azure/event-hubs-bridge";
import { CloudTargetProps, StockProcessing, CREDENTIAL_DESCRIPTIONS, credentialVariable, managedCloudLogin } from "./cloud-target";
import { ManagedCloud } from "./managed-cloud";

/**
 * Azure Event Hubs as the cloud Kafka: its namespace, an event hub per
 * replicated topic and their Capture into the lake are the azure stack's;
 * the bridge only replicates into the namespace's Kafka endpoint.
 */
export class EventHubsCloud extends ManagedCloud {
  readonly kind = "event-hubs";

  constructor(stack: TerraformStack, props: CloudTargetProps) {
    const c = props.deployment.config;
    super(
      c,
      // The namespace's name from the configuration, not the azure stack's attribute: a reference would be a cross-stack output.
      eventHubsKafkaEndpoint(c.derived.eventHubsNamespace),
      managedCloudLogin("event-hubs", (k) => credentialVariable(stack, c, k, CREDENTIAL_DESCRIPTIONS[k])),
    );
  }

  /**
   * Event Hubs' Kafka endpoint has no transactions (so no exactly-once) and Standard no log compaction
   * (the processor's changelogs): at least once, state restored from uncompacted changelogs.
   */
  stockProcessing(): StockProcessing {
    return { guarantee: "at_least_once", replicationFactor: this.replicationFactor, privateCa: false };
  }

  /** Nothing: Capture, in the azure stack, lands every event hub in the lake. */
  addSink(): void {}
}
