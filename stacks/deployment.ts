import { ResolvedConfig } from "../config";
import { ResolvedSite } from "../config/resolve";
import { LakeLocation } from "../constructs/cloud/cloud-target";
import { LOOPBACK } from "../constructs/docker/service-container";
import { KafkaEndpoint, loopbackEndpoint } from "../constructs/kafka-endpoint";
import { connectMetricsPort, connectRestUrl } from "../constructs/onprem/connect-cluster";
import { brokerMetricsEndpoint } from "../constructs/onprem/kafka-cluster";
import { databaseSecrets } from "../constructs/secret-files";
import { DeploymentNames } from "./names";

/** Account name of the local lake (Azurite); its key is generated per deployment (scripts/lib/secrets.ts). */
const LOCAL_LAKE_ACCOUNT = "bridgelake";

/** Where the parts of a deployment on the Docker host listen (all on its loopback), as structured values. */
export interface DeploymentEndpoints {
  /** The orders database. */
  readonly database: { readonly host: string; readonly port: number };
  /** The on-prem brokers' client listeners, in node order. */
  readonly onPremKafka: readonly KafkaEndpoint[];
  /** REST URL of each on-prem Connect worker, in worker order; Terraform's Connect provider uses the first. */
  readonly connect: readonly string[];
  /** The local stand-in for the cloud Kafka (SASL_SSL, PLAIN); deployed with target "local" only. */
  readonly localCloudKafka: KafkaEndpoint;
  /** The local lake (Azurite, path-style blob endpoint of its account); deployed with target "local" only. */
  readonly localLake: Required<LakeLocation>;
  /** URL of the local lake's filesystem (container): what Power BI opens. */
  readonly localLakeUrl: string;
  /** Where each part serves its Prometheus metrics (GET /metrics), as Prometheus scrapes them. */
  readonly metrics: DeploymentMetricsEndpoints;
  /** Prometheus (UI and HTTP API); deployed when `observability.prometheus.enabled`. */
  readonly prometheus: KafkaEndpoint;
  /** Its URL: what Grafana's data source and `scripts/up.sh` name. */
  readonly prometheusUrl: string;
  /** The operator's console (pages and its own GET /metrics); deployed when `observability.console.enabled`. */
  readonly console: KafkaEndpoint;
  /** Its URL: what `scripts/up.sh` prints. */
  readonly consoleUrl: string;
}

/** The /metrics endpoints of a deployment's parts (all on the Docker host's loopback). */
export interface DeploymentMetricsEndpoints {
  /** JMX exporter of each on-prem broker, in node order. */
  readonly onPremKafka: readonly KafkaEndpoint[];
  /** JMX exporter of each Connect worker (Debezium, MirrorMaker 2, Connect), in worker order. */
  readonly connect: readonly KafkaEndpoint[];
  /** The order simulator; undefined when it is not deployed. */
  readonly simulator: KafkaEndpoint | undefined;
  /** JMX exporter of the local cloud stand-in's broker (target "local"). */
  readonly localCloudKafka: readonly KafkaEndpoint[];
  /** The lake sink (target "local"). */
  readonly lakeSink: KafkaEndpoint;
}

/**
 * One deployment of the topology, built once from its resolved configuration (main.ts's
 * buildStacks, the scripts, the test kit) and handed to every stack: its names and labels,
 * its endpoints, the secret files of its parts. Values here are computed nowhere else.
 */
export class Deployment {
  /** Docker names of containers and volumes ("bridge-dev-kafka"). */
  readonly names: DeploymentNames;
  readonly endpoints: DeploymentEndpoints;
  /** Consumer group of the local lake sink on the cloud Kafka (its lag is the sink's: the console reads it). */
  readonly lakeSinkGroup: string;
  /** Volume of the Connect supervisors' restart history (written by Connect, read by the console). */
  readonly supervisorHistoryVolume: string;
  /** The secret files of the configured database flavour (its image reads them). */
  readonly databaseSecrets: ReturnType<typeof databaseSecrets>;

  /**
   * @param config the resolved, validated configuration (for a further site: its view, siteConfig)
   * @param site data-centre id of a further site: its containers and volumes carry it. @default none (the first site)
   */
  constructor(
    readonly config: ResolvedConfig,
    site?: string,
  ) {
    this.names = new DeploymentNames(config, site);
    // Path-style, as Azurite serves an account.
    const localLake = { account: LOCAL_LAKE_ACCOUNT, filesystem: config.azure.filesystem, blobEndpoint: `http://${LOOPBACK}:${config.local.azuriteBlobPort}/${LOCAL_LAKE_ACCOUNT}` };
    this.endpoints = {
      database: { host: LOOPBACK, port: config.onPrem.database.port },
      onPremKafka: config.derived.brokers.map((b) => loopbackEndpoint(b.port)),
      connect: config.derived.connectPorts.map(connectRestUrl),
      localCloudKafka: loopbackEndpoint(config.local.kafkaPort),
      localLake,
      localLakeUrl: `${localLake.blobEndpoint}/${localLake.filesystem}`,
      metrics: {
        onPremKafka: config.derived.brokers.map(brokerMetricsEndpoint),
        connect: config.derived.connectPorts.map((p) => loopbackEndpoint(connectMetricsPort(p))),
        simulator: config.onPrem.simulator.enabled ? loopbackEndpoint(config.onPrem.simulator.metricsPort) : undefined,
        localCloudKafka: [brokerMetricsEndpoint({ port: config.local.kafkaPort })],
        lakeSink: loopbackEndpoint(config.local.sinkMetricsPort),
      },
      prometheus: loopbackEndpoint(config.observability.prometheus.port),
      prometheusUrl: `http://${LOOPBACK}:${config.observability.prometheus.port}`,
      console: loopbackEndpoint(config.observability.console.port),
      consoleUrl: `http://${LOOPBACK}:${config.observability.console.port}`,
    };
    this.databaseSecrets = databaseSecrets(config.onPrem.database.flavour);
    this.supervisorHistoryVolume = this.names.of("connect-supervisor-history");
    this.lakeSinkGroup = `${this.names.prefix}-lake-sink`;
  }

  /** Labels on every container and volume a stack of this deployment makes. */
  labels(stack: string): Record<string, string> {
    return this.names.labels(stack);
  }
}

/**
 * The configuration as one site sees it: its onPrem block and its derived values (brokers, workers,
 * topics) in place of the first site's, everything else shared. What its on-prem stack is built from.
 */
export function siteConfig(config: ResolvedConfig, site: ResolvedSite): ResolvedConfig {
  return { ...config, onPrem: site.onPrem, derived: { ...config.derived, ...site.derived } };
}

/** One Deployment per site, the first one's names unchanged (its containers and state predate `sites`). */
export function siteDeployments(config: ResolvedConfig): Deployment[] {
  return config.derived.sites.map((s, i) => new Deployment(siteConfig(config, s), i === 0 ? undefined : s.onPrem.dc));
}
