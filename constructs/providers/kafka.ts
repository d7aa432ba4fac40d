import { TerraformMetaArguments, TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { PROVIDERS } from "../../config/providers";
import { HandWrittenProvider } from "./hand-written-provider";

/** Typed bindings for Mongey/kafka (no prebuilt CDKTF package exists). */
export const KAFKA_PROVIDER = { source: PROVIDERS.kafka.source, version: PROVIDERS.kafka.pinned } as const;

export interface KafkaProviderConfig {
  readonly bootstrapServers: readonly string[];
  /** TLS to the brokers; the provider's own default is true. @default false */
  readonly tlsEnabled?: boolean;
  /** CA certificate (PEM content) when tlsEnabled. @default undefined */
  readonly caCert?: string;
  /** SASL/PLAIN user; the password comes from `saslPassword`, a sensitive variable reference. @default undefined */
  readonly saslUsername?: string;
  /** A reference to a sensitive Terraform variable, never a literal. @default undefined */
  readonly saslPassword?: string;
  /** Admin timeout, seconds. @default 120 */
  readonly timeoutSeconds?: number;
  /** @default undefined */
  readonly alias?: string;
}

export class KafkaProvider extends HandWrittenProvider {
  constructor(scope: Construct, id: string, private readonly cfg: KafkaProviderConfig) {
    super(scope, id, "kafka", KAFKA_PROVIDER, cfg.alias);
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.cfg;
    return {
      bootstrap_servers: [...c.bootstrapServers],
      tls_enabled: c.tlsEnabled ?? false,
      ca_cert: c.caCert,
      sasl_username: c.saslUsername,
      sasl_password: c.saslPassword,
      sasl_mechanism: c.saslUsername ? "plain" : undefined,
      timeout: c.timeoutSeconds ?? 120,
      kafka_version: "3.7.0",
    };
  }
}

export interface KafkaTopicConfig extends TerraformMetaArguments {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs in Kafka's own string format. @default {} */
  readonly config?: Record<string, string>;
}

/** A Kafka topic as a Terraform resource (kafka_topic). */
export class KafkaTopic extends TerraformResource {
  static readonly tfResourceType = "kafka_topic";

  constructor(scope: Construct, id: string, private readonly props: KafkaTopicConfig) {
    super(scope, id, {
      terraformResourceType: KafkaTopic.tfResourceType,
      terraformGeneratorMetadata: { providerName: "kafka", providerVersion: KAFKA_PROVIDER.version },
      provider: props.provider,
      dependsOn: props.dependsOn,
      lifecycle: props.lifecycle,
    });
  }

  get topicName(): string {
    return this.getStringAttribute("name");
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      name: this.props.name,
      partitions: this.props.partitions,
      replication_factor: this.props.replicationFactor,
      config: this.props.config,
    };
  }
}
