import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CloudKind, ConnectorSettings, SaslSslPlainClient, mirrorMaker2Configs, providerMaps, replicatorConfig } from "../../connectors";
import { Connector, KafkaConnectProvider } from "../providers/kafka-connect";
import { CONNECT_SECRETS } from "../secret-files";

export interface ReplicationProps {
  /** REST URL of the on-prem Connect cluster that runs the replication connectors. */
  readonly connectUrl: string;
  /** On-prem Kafka bootstrap. */
  readonly sourceBootstrap: string;
  /** The cloud cluster and how to authenticate to it. */
  readonly target: SaslSslPlainClient;
  readonly cloudKind: CloudKind;
  readonly engine: "mirrormaker2" | "replicator";
  readonly topics: readonly string[];
  /** @default undefined */
  readonly topicsPattern?: string;
  /** Topics MirrorMaker 2 never copies to the cloud (the way back's events topic). @default [] */
  readonly excludeTopics?: readonly string[];
  /** Replication factor of topics created on the target. */
  readonly targetReplicationFactor: number;
  /** Name prefix of the connectors ("dc01" → "dc01-mm2-source"). */
  readonly namePrefix: string;
  /** Replicator only: properties file with `license=`. @default CONNECT_SECRETS.files.replicatorLicense.path */
  readonly replicatorLicenseFile?: string;
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Replication on-prem → cloud as Connect connectors: MirrorMaker 2's source,
 * checkpoint and heartbeat connectors (topic names preserved), or Confluent
 * Replicator. Credentials given as values (sensitive variables) go to each
 * connector's sensitive map; file references stay in the visible config.
 */
export class Replication extends Construct {
  readonly connectors: Connector[] = [];

  constructor(scope: Construct, id: string, props: ReplicationProps) {
    super(scope, id);
    const provider = new KafkaConnectProvider(this, "connect", { url: props.connectUrl, alias: `${id}-connect` });
    const configs: Record<string, ConnectorSettings<object, object>> =
      props.engine === "replicator"
        ? {
            replicator: replicatorConfig({
              sourceBootstrap: props.sourceBootstrap,
              target: props.target,
              topics: props.topics,
              topicsPattern: props.topicsPattern,
              licenseFile: props.replicatorLicenseFile ?? CONNECT_SECRETS.files.replicatorLicense.path,
            }),
          }
        : (() => {
            const mm2 = mirrorMaker2Configs({
              sourceBootstrap: props.sourceBootstrap,
              target: props.target,
              cloudKind: props.cloudKind,
              topics: props.topics,
              topicsPattern: props.topicsPattern,
              excludeTopics: props.excludeTopics,
              targetReplicationFactor: props.targetReplicationFactor,
            });
            return { "mm2-source": mm2.source, "mm2-checkpoint": mm2.checkpoint, "mm2-heartbeat": mm2.heartbeat };
          })();
    for (const [suffix, settings] of Object.entries(configs)) {
      const name = `${props.namePrefix}-${suffix}`;
      const { config, sensitive } = providerMaps(`Connector ${name}`, settings);
      this.connectors.push(
        new Connector(this, suffix, {
          provider,
          name,
          config,
          configSensitive: Object.keys(sensitive).length > 0 ? sensitive : undefined,
          dependsOn: props.dependsOn,
        }),
      );
    }
  }
}
