import { TerraformStack } from "cdktf";
import { SaslSslPlainClient } from "../../connectors";
import { eventHubsKafkaEndpoint } from "../azure/event-hubs-bridge";
import { KafkaEndpoint, bootstrapServers } from "../kafka-endpoint";
import { CloudTarget, CloudTargetProps, LakeLocation, credentialVariable } from "./cloud-target";

/**
 * Azure Event Hubs as the cloud Kafka: its namespace, an event hub per
 * replicated topic and their Capture into the lake are the azure stack's;
 * the bridge only replicates into the namespace's Kafka endpoint.
 */
export class EventHubsCloud implements CloudTarget {
  readonly kind = "event-hubs";
  readonly bootstrap: readonly KafkaEndpoint[];
  readonly client: SaslSslPlainClient;
  readonly replicationFactor = 3;
  readonly lake: LakeLocation;

  constructor(stack: TerraformStack, props: CloudTargetProps) {
    const c = props.config;
    // The namespace's name from the configuration, not the azure stack's attribute: a reference would be a cross-stack output.
    this.bootstrap = [eventHubsKafkaEndpoint(c.derived.eventHubsNamespace)];
    // SASL PLAIN with the literal user "$ConnectionString" and the namespace connection string as password.
    const connectionString = credentialVariable(stack, c, "eventHubsConnectionString", "Event Hubs namespace connection string (SAS policy with Send and Listen)");
    this.client = { bootstrapServers: bootstrapServers(this.bootstrap), credentials: { username: "$ConnectionString", password: connectionString } };
    this.lake = { account: c.derived.storageAccountName, filesystem: c.azure.filesystem };
  }

  /** Nothing: Capture, in the azure stack, lands every event hub in the lake. */
  addSink(): void {}
}
