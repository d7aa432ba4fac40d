import { ResolvedConfig } from "../../config";
import { CloudKind, SaslLogin, SaslSslPlainClient } from "../../connectors";
import { KafkaEndpoint, bootstrapServers } from "../kafka-endpoint";
import { CloudTarget, LakeLocation, StockProcessing } from "./cloud-target";

/**
 * A managed cloud Kafka (Event Hubs, Confluent Cloud): one public bootstrap
 * endpoint, SASL PLAIN with credentials given as sensitive variables, the
 * lake the azure stack's ADLS Gen2 account.
 */
export abstract class ManagedCloud implements CloudTarget {
  abstract readonly kind: CloudKind;
  readonly bootstrap: readonly KafkaEndpoint[];
  readonly client: SaslSslPlainClient;
  readonly replicationFactor = 3;
  readonly lake: LakeLocation;

  protected constructor(config: ResolvedConfig, endpoint: KafkaEndpoint, credentials: SaslLogin) {
    this.bootstrap = [endpoint];
    this.client = { bootstrapServers: bootstrapServers(this.bootstrap), credentials };
    this.lake = { account: config.derived.storageAccountName, filesystem: config.azure.filesystem };
  }

  abstract addSink(): void;

  abstract stockProcessing(): StockProcessing;
}
