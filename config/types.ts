/**
 * The one typed configuration that drives every stack.
 *
 * Values come from, lowest precedence first: the documented defaults below,
 * cdktf.json `context.bridge`, the JSON in the `BRIDGE_CONFIG` environment
 * variable, then the named `BRIDGE_*` environment variables (see load.ts).
 *
 * Secrets never live here: credentials are referenced by the name of a
 * sensitive Terraform variable (`credentials`) or by files mounted at run time.
 */

/** Where the replicated topics land. */
export type Target = "local" | "event-hubs" | "confluent-cloud";
export const TARGETS: readonly Target[] = ["local", "event-hubs", "confluent-cloud"];

/** Which binlog-reading connector and which database server. */
export type DatabaseFlavour = "mariadb" | "mysql";
export const DATABASE_FLAVOURS: readonly DatabaseFlavour[] = ["mariadb", "mysql"];

export type ReplicationEngine = "mirrormaker2" | "replicator";
export const REPLICATION_ENGINES: readonly ReplicationEngine[] = ["mirrormaker2", "replicator"];

export interface StorageAccountConfig {
  /**
   * Explicit account name. When set, `prefix` and `suffix` are ignored.
   * Rule: 3–24 characters, lowercase letters and digits only (globally unique in Azure).
   * @default undefined (derived from prefix + suffix)
   */
  readonly name?: string;
  /** Name prefix. @default "bridgelake" */
  readonly prefix: string;
  /**
   * Deterministic uniqueness suffix: `hash` appends the first `suffixLength`
   * base-36 characters of SHA-256(suffixSeed); `none` appends nothing.
   * Never random: the same inputs give the same name on every synth.
   * @default "hash"
   */
  readonly suffix: "hash" | "none";
  /** Seed of the suffix hash. @default "<project>-<environment>-<location>" */
  readonly suffixSeed?: string;
  /** Suffix length, 4–8. @default 6 */
  readonly suffixLength: number;
  /** Replication: LRS, ZRS, GRS, RAGRS, GZRS, RAGZRS. @default "ZRS" */
  readonly replication: string;
  /**
   * Allow access from the public internet at all. When false the account is
   * reachable through private endpoints and trusted Azure services only.
   * @default false
   */
  readonly publicNetworkAccess: boolean;
  /**
   * Client IPv4 addresses or CIDR ranges allowed through the firewall when
   * `publicNetworkAccess` is true (default action is always Deny).
   * @default []
   */
  readonly allowedIps: readonly string[];
  /** Keep shared-key (account key / SAS) auth; off forces Entra ID. @default false */
  readonly sharedKeyAccess: boolean;
  /** Blob and container soft-delete retention in days, 1–365. @default 7 */
  readonly softDeleteDays: number;
}

export interface EventHubsConfig {
  /** Create the namespace. @default true when target is "event-hubs", else false */
  readonly enabled?: boolean;
  /** Throughput units of the Standard namespace, 1–40. @default 1 */
  readonly capacity: number;
  /** Partitions per event hub, 1–32. @default 2 */
  readonly partitionCount: number;
  /** Message retention in days, 1–7 (Standard). @default 1 */
  readonly messageRetentionDays: number;
  /** Capture each event hub into the lake filesystem as Avro. @default true */
  readonly capture: boolean;
  /** Capture window in seconds, 60–900. @default 300 */
  readonly captureIntervalSeconds: number;
  /** Capture window in bytes, 10 MiB – 500 MiB. @default 314572800 */
  readonly captureSizeLimitBytes: number;
}

export interface AzureConfig {
  /** Azure region (programmatic name, e.g. "westeurope"). @default "westeurope" */
  readonly location: string;
  /** Resource group name. @default "rg-<project>-<environment>" */
  readonly resourceGroupName?: string;
  readonly storageAccount: StorageAccountConfig;
  /**
   * ADLS Gen2 filesystem for the landed data. Rule: 3–63 characters, lowercase
   * letters, digits and single hyphens, starting and ending with a letter or digit.
   * @default "orders"
   */
  readonly filesystem: string;
  /**
   * Object id (UUID) of the sink's Entra ID principal that gets Storage Blob
   * Data Contributor on the account. When unset it becomes the Terraform
   * variable `sink_principal_id`, asked for at plan time.
   * @default undefined
   */
  readonly sinkPrincipalId?: string;
  readonly eventHubs: EventHubsConfig;
  /** Extra tags on every Azure resource (project, environment and managed-by are always set). @default {} */
  readonly tags: Readonly<Record<string, string>>;
}

export interface DatabaseConfig {
  /** Server flavour; picks the Debezium connector too. @default "mariadb" */
  readonly flavour: DatabaseFlavour;
  /** Image to run. @default "bridge-to-azure/mariadb:10.11" for mariadb */
  readonly image?: string;
  /** Loopback port of the server. @default 13306 */
  readonly port: number;
  /** Database (schema) name. @default "orders" */
  readonly name: string;
  /** Binlog retention in hours, ≥ 1. @default 168 */
  readonly binlogRetentionHours: number;
  /** Replication server id of the database, 1–4294967295. @default 1 */
  readonly serverId: number;
  /** User the CDC connector logs in as. @default "debezium" */
  readonly cdcUser: string;
  /** Keep the data volume on destroy. @default false */
  readonly keepData: boolean;
  /** Memory limit of the container, MiB. @default 512 */
  readonly memoryMb: number;
}

export interface KafkaConfig {
  /** Brokers (KRaft, combined broker + controller), 1–9. @default 1 */
  readonly brokers: number;
  /** Port of broker 0; broker i listens on basePort + 10·i and its controller on +1. @default 19092 */
  readonly basePort: number;
  /** Topic replication factor. @default min(3, brokers) */
  readonly replicationFactor?: number;
  /** min.insync.replicas. @default max(1, replicationFactor - 1) */
  readonly minInsyncReplicas?: number;
  /** Default partitions of the CDC topics. @default 1 */
  readonly partitions: number;
  /** Memory limit per broker container, MiB (heap is half). @default 1024 */
  readonly memoryMb: number;
}

export interface ConnectConfig {
  /** Distributed workers, 1–5. @default 1 */
  readonly workers: number;
  /** REST port of worker 0; worker i uses basePort + i (bound to 127.0.0.1). @default 18083 */
  readonly basePort: number;
  /** Memory limit per worker container, MiB (heap is half). @default 1280 */
  readonly memoryMb: number;
}

export interface SimulatorConfig {
  /** Run the order simulator. @default true */
  readonly enabled: boolean;
  /** Milliseconds between sales orders, ≥ 1. @default 5000 */
  readonly intervalMs: number;
  /** Detail lines per sales order, 1–50. @default 5 */
  readonly linesPerOrder: number;
}

/** Container images of the topology (built by scripts/build-images.sh, FROM debian:bookworm-slim). */
export interface ImagesConfig {
  /** @default "bridge-to-azure/kafka:4.3.0" */
  readonly kafka: string;
  /** @default "bridge-to-azure/connect:4.3.0-dbz3.6.1.Final" */
  readonly connect: string;
  /** @default "bridge-to-azure/mariadb:10.11" */
  readonly mariadb: string;
  /** @default "bridge-to-azure/simulator:0.1.0" */
  readonly simulator: string;
  /** @default "bridge-to-azure/azurite:3.35.0" */
  readonly azurite: string;
  /** @default "bridge-to-azure/lake-sink:0.1.0" */
  readonly lakeSink: string;
}

/** Terraform provider versions that are not fixed by a prebuilt CDKTF binding. */
export interface ProvidersConfig {
  /**
   * kreuzwerker/docker version constraint. The prebuilt binding pins 3.6.2;
   * the air-gapped mirror may hold another build (scripts/providers.sh
   * exports BRIDGE_DOCKER_PROVIDER_VERSION to match it).
   * @default "3.6.2"
   */
  readonly docker: string;
}

export interface OnPremConfig {
  /**
   * Docker engine that runs the on-prem cluster: a unix socket, tcp:// or
   * ssh://user@host for a remote on-prem server.
   * @default "unix:///var/run/docker.sock"
   */
  readonly dockerHost: string;
  /** Data-centre id, prefix of every CDC topic ("dc01_sales_orders"). Rule: dc + two digits. @default "dc01" */
  readonly dc: string;
  readonly database: DatabaseConfig;
  readonly kafka: KafkaConfig;
  readonly connect: ConnectConfig;
  readonly simulator: SimulatorConfig;
  /**
   * Tables captured by Debezium.
   * @default the order tables: customers, products, suppliers, sales_orders,
   * sales_order_details, purchase_orders, purchase_order_details (not the out-of-stock table)
   */
  readonly tables: readonly string[];
}

export interface ReplicationConfig {
  /** MirrorMaker 2 (open source) or Confluent Replicator (licensed). @default "mirrormaker2" */
  readonly engine: ReplicationEngine;
  /** Topics replicated to the cloud cluster, names preserved. @default ["<dc>_sales_order_details"] */
  readonly topics?: readonly string[];
  /** Java regex of further topics to replicate (in addition to `topics`). @default undefined */
  readonly topicsPattern?: string;
}

export interface LocalCloudConfig {
  /** SASL_SSL port of the local stand-in for the cloud Kafka. @default 29092 */
  readonly kafkaPort: number;
  /** Controller port of that cluster. @default 29093 */
  readonly kafkaControllerPort: number;
  /** Azurite blob port. @default 10000 */
  readonly azuriteBlobPort: number;
  /** Records per landed file. @default 1000 */
  readonly sinkFlushSize: number;
  /** A quiet topic's open file lands after this many ms. @default 2000 */
  readonly sinkIdleFlushMs: number;
}

export interface ConfluentCloudConfig {
  /** Bootstrap of the existing cluster, host:port. @default undefined (required for that target) */
  readonly bootstrapServers?: string;
  /** Confluent Cloud environment id (env-xxxxx). @default undefined */
  readonly environmentId?: string;
  /** Kafka cluster id (lkc-xxxxx). @default undefined */
  readonly clusterId?: string;
}

export type BackendConfig =
  | { readonly type: "local" }
  | {
      readonly type: "azurerm";
      /** Resource group of the state storage account. */
      readonly resourceGroupName: string;
      /** State storage account name. */
      readonly storageAccountName: string;
      /** Blob container of the state files. @default "tfstate" */
      readonly containerName: string;
      /** Key prefix; each stack's state is "<keyPrefix>/<stack>.tfstate". @default "<project>/<environment>" */
      readonly keyPrefix?: string;
    };

/**
 * Credentials by name of the sensitive Terraform variable that carries each
 * (supplied at plan/apply time as TF_VAR_<name>). Which ones are required
 * depends on the target.
 */
export interface CredentialsConfig {
  /** Event Hubs namespace connection string (target event-hubs). */
  readonly eventHubsConnectionString?: string;
  /** Confluent Cloud API key (target confluent-cloud). */
  readonly confluentApiKey?: string;
  /** Confluent Cloud API secret (target confluent-cloud). */
  readonly confluentApiSecret?: string;
  /** Storage account access key for Confluent's managed ADLS Gen2 sink (target confluent-cloud). */
  readonly lakeAccessKey?: string;
  /** Confluent Cloud (organisation) API key of the Connect management API (target confluent-cloud). */
  readonly confluentCloudApiKey?: string;
  /** Its secret (target confluent-cloud). */
  readonly confluentCloudApiSecret?: string;
}

export interface BridgeConfig {
  /** Short project name used in resource names, lowercase letters/digits/hyphens. @default "bridge" */
  readonly project: string;
  /** Environment name (dev, test, prod…). @default "dev" */
  readonly environment: string;
  /** Where replicated topics land. @default "local" */
  readonly target: Target;
  readonly azure: AzureConfig;
  readonly onPrem: OnPremConfig;
  readonly replication: ReplicationConfig;
  readonly local: LocalCloudConfig;
  readonly confluentCloud: ConfluentCloudConfig;
  readonly credentials: CredentialsConfig;
  /** Terraform state backend. @default { type: "local" } */
  readonly backend: BackendConfig;
  readonly images: ImagesConfig;
  readonly providers: ProvidersConfig;
}

/** Anything the user may write: every field optional, at any depth. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;
