import { ITerraformDependable, TerraformStack, TerraformVariable } from "cdktf";
import { ResolvedConfig } from "../../config";
import { CloudKind, SaslLogin, SaslSslPlainClient } from "../../connectors";
import { KafkaEndpoint } from "../kafka-endpoint";
import type { Deployment } from "../../stacks/deployment";

/** Where the replicated topics land. */
export interface LakeLocation {
  /** Storage account: Azurite's local account, or the ADLS Gen2 account of the azure stack. */
  readonly account: string;
  /** Filesystem (container) of the landed data. */
  readonly filesystem: string;
  /** Blob endpoint, when it is not the account's own in Azure (Azurite). @default undefined */
  readonly blobEndpoint?: string;
}

/**
 * What the bridge needs from the cloud side, whichever cloud it is: the
 * Kafka cluster replication writes to, how Connect's clients authenticate
 * there, and the lake the replicated topics land in.
 *
 * An implementation adds its resources to the bridge stack itself, not to a
 * construct of its own: their construct paths are the Terraform addresses of
 * deployed state, and a level more would re-create every one of them.
 */
export interface CloudTarget {
  /** Which cloud: decides the replication settings the cluster tolerates. */
  readonly kind: CloudKind;
  /** The cluster's bootstrap endpoints. */
  readonly bootstrap: readonly KafkaEndpoint[];
  /**
   * The replication's client of the cluster (SASL_SSL, PLAIN): credentials
   * from files of the Connect container go to the connectors' visible config,
   * credentials given as values (sensitive variables) to their sensitive map.
   */
  readonly client: SaslSslPlainClient;
  /** Replication factor of the topics replication creates on the cluster. */
  readonly replicationFactor: number;
  /** What the replication connectors wait for. @default undefined (nothing in this stack) */
  readonly replicationDependsOn?: ITerraformDependable[];
  /** Where the replicated topics land. */
  readonly lake: LakeLocation;
  /**
   * Adds what lands the replicated topics in the lake, if this stack runs it
   * (a sink container, a connector of the cloud's own Connect); a cloud that
   * lands them itself (Event Hubs Capture, in the azure stack) adds nothing.
   * Called once the replication exists.
   */
  addSink(): void;
  /**
   * The way back's hook: how the stock processor runs on this cluster (constructs/bridge/stock-processor.ts).
   * Called only with `writeBack.enabled`.
   */
  stockProcessing(): StockProcessing;
}

/** The Kafka Streams processing guarantees the stock processor offers (services/stock-processor Config). */
export type ProcessingGuarantee = "exactly_once_v2" | "at_least_once";

/** How the way back's stock processor runs against a cloud cluster: the target decides. */
export interface StockProcessing {
  /** exactly_once_v2 where the cluster has Kafka transactions; at_least_once where it has none. */
  readonly guarantee: ProcessingGuarantee;
  /** Replication factor of its internal topics and events topics. */
  readonly replicationFactor: number;
  /** Its secrets volume holds the cluster's CA (a private CA: the local stand-in); else the JVM's CAs. */
  readonly privateCa: boolean;
  /** What it starts after. @default [] */
  readonly after?: ITerraformDependable[];
}

/** What every cloud target is built from. */
export interface CloudTargetProps {
  /** The deployment (its configuration, names and endpoints). */
  readonly deployment: Deployment;
}

/**
 * A sensitive variable named by the configuration (`credentials.<key>`),
 * supplied as TF_VAR_<name> at plan time: the value never enters the synthesized JSON.
 */
export function credentialVariable(stack: TerraformStack, config: ResolvedConfig, key: keyof ResolvedConfig["credentials"], description: string): string {
  const name = config.credentials[key];
  // Validation requires every credential of the configured target (REQUIRED_CREDENTIALS).
  if (name === undefined) throw new Error(`credentials.${key}: undefined, must name the sensitive variable of target "${config.target}"`);
  return new TerraformVariable(stack, name, { type: "string", sensitive: true, nullable: false, description }).stringValue;
}

/** The credentials (`credentials.<key>`) a login on a managed cloud Kafka is made of. */
export type CloudKafkaCredential = "eventHubsConnectionString" | "confluentApiKey" | "confluentApiSecret";

/** What each of them is, for the sensitive variable's description. */
export const CREDENTIAL_DESCRIPTIONS: Readonly<Record<CloudKafkaCredential, string>> = {
  eventHubsConnectionString: "Event Hubs namespace connection string (SAS policy with Send and Listen)",
  confluentApiKey: "Kafka API key of the Confluent Cloud cluster",
  confluentApiSecret: "Kafka API secret of the Confluent Cloud cluster",
};

/**
 * The SASL/PLAIN login on a managed cloud Kafka, from its credentials however they are read: as
 * sensitive Terraform variables (the bridge stack's MirrorMaker 2) or as the operator's TF_VAR_ values
 * (scripts/secrets.ts, the console's secrets volume). One rule for both, so they cannot drift.
 */
export function managedCloudLogin(target: "event-hubs" | "confluent-cloud", read: (key: CloudKafkaCredential) => string): SaslLogin {
  // Event Hubs: SASL PLAIN with the literal user "$ConnectionString" and the namespace connection string as password.
  if (target === "event-hubs") return { username: "$ConnectionString", password: read("eventHubsConnectionString") };
  return { username: read("confluentApiKey"), password: read("confluentApiSecret") };
}
