/**
 * The one typed configuration that drives every stack.
 *
 * Its fields, their defaults, rules, named variables and docs are the
 * schema's (schema.ts); the types here are derived from it, so the two
 * cannot drift. Values come from, lowest precedence first: the defaults,
 * cdktf.json `context.bridge`, the JSON in the `BRIDGE_CONFIG` environment
 * variable, then the named `BRIDGE_*` environment variables (see load.ts).
 *
 * Secrets never live here: credentials are referenced by the name of a
 * sensitive Terraform variable (`credentials`) or by files mounted at run time.
 */
import type { ConfigOf } from "./field";
import type { SCHEMA } from "./schema";

/** Where the replicated topics land. */
export type Target = "local" | "event-hubs" | "confluent-cloud";
export const TARGETS: readonly Target[] = ["local", "event-hubs", "confluent-cloud"];

/** Which binlog-reading connector and which database server. */
export type DatabaseFlavour = "mariadb" | "mysql";
export const DATABASE_FLAVOURS: readonly DatabaseFlavour[] = ["mariadb", "mysql"];

/** How the Azure resources are reached (config/reachability.ts: which path each opens). */
export type NetworkMode = "private" | "selected-networks";
export const NETWORK_MODES: readonly NetworkMode[] = ["private", "selected-networks"];

export type ReplicationEngine = "mirrormaker2" | "replicator";
export const REPLICATION_ENGINES: readonly ReplicationEngine[] = ["mirrormaker2", "replicator"];

type Schema = typeof SCHEMA;
type SchemaBackend = ConfigOf<Schema["backend"]>;
/** What an azurerm backend cannot do without (the schema checks them `when` backend.type is azurerm; resolveConfig fills containerName). */
type AzurermRequired = "resourceGroupName" | "storageAccountName" | "containerName";

/**
 * Terraform state backend. The one level whose type the schema's flat
 * fields cannot say on their own: with `type: "azurerm"` its fields are
 * there, with `type: "local"` they are not.
 */
export type BackendConfig =
  | { readonly type: "local" }
  | ({ readonly type: "azurerm" } & Required<Pick<SchemaBackend, AzurermRequired>> & Omit<SchemaBackend, "type" | AzurermRequired>);

/** The configuration, field by field as schema.ts describes it (a field without a default is optional). */
export interface BridgeConfig extends Omit<ConfigOf<Schema>, "backend"> {
  readonly backend: BackendConfig;
}

export type AzureConfig = BridgeConfig["azure"];
export type StorageAccountConfig = AzureConfig["storageAccount"];
export type NetworkConfig = AzureConfig["network"];
export type EventHubsConfig = AzureConfig["eventHubs"];
export type OnPremConfig = BridgeConfig["onPrem"];
export type DatabaseConfig = OnPremConfig["database"];
export type KafkaConfig = OnPremConfig["kafka"];
export type ConnectConfig = OnPremConfig["connect"];
export type SimulatorConfig = OnPremConfig["simulator"];
export type ReplicationConfig = BridgeConfig["replication"];
export type LocalCloudConfig = BridgeConfig["local"];
export type ConfluentCloudConfig = BridgeConfig["confluentCloud"];
/**
 * Credentials by name of the sensitive Terraform variable that carries each
 * (supplied at plan/apply time as TF_VAR_<name>). Which ones are required
 * depends on the target (REQUIRED_CREDENTIALS).
 */
export type CredentialsConfig = BridgeConfig["credentials"];
/** Container images of the topology (built by scripts/build-images.sh, FROM debian:bookworm-slim). */
export type ImagesConfig = BridgeConfig["images"];
/** Terraform provider versions that are not fixed by a prebuilt CDKTF binding. */
export type ProvidersConfig = BridgeConfig["providers"];

/** Anything the user may write: every field optional, at any depth. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;
