/**
 * Every secret file a container reads, once: which secrets volume holds it, where that volume is
 * mounted, the file's name and full path, and for properties files the keys inside. scripts/secrets
 * (secretVolumes) writes the files by these names; the constructs mount the volumes at `mount` and
 * hand the paths to the services (env) and to connectors (`${file:<path>:<key>}`).
 * test/secret-files.test.ts checks that every /run/secrets path of the synthesized stacks is a file
 * secretVolumes writes. Values never live here, only names.
 */

/** Root under which each service finds its secrets volume, one directory per volume. */
export const SECRETS_ROOT = "/run/secrets";

/** One file of a secrets volume. */
export interface SecretFile<K extends string = never> {
  /** File name inside the volume ("db.properties"). */
  readonly name: string;
  /** Absolute path inside the container that mounts the volume ("/run/secrets/connect/db.properties"). */
  readonly path: string;
  /** Properties files: the keys, in the order they are written (`${file:path:key}` reads one). */
  readonly keys: readonly K[];
}

/** A secrets volume: its service (volume name `names.secrets(service)`), its mount directory, its files. */
export interface SecretVolumeSpec<F extends Record<string, SecretFile<string>>> {
  /** The service the volume belongs to; names the volume (`<prefix>-secrets-<service>`). */
  readonly service: string;
  /** Where the containers mount it read-only ("/run/secrets/kafka"). */
  readonly mount: string;
  readonly files: F;
}

/** Plain file (password, key, certificate, store). */
interface FileDecl {
  readonly name: string;
}
/** Properties file with these keys. */
interface PropertiesDecl<K extends string> {
  readonly name: string;
  readonly keys: readonly K[];
}
type FileOf<D> = D extends PropertiesDecl<infer K> ? SecretFile<K> : SecretFile;

const file = (name: string): FileDecl => ({ name });
const properties = <const K extends string>(name: string, keys: readonly K[]): PropertiesDecl<K> => ({ name, keys });

/** `dir` defaults to the service: only the cloud Kafka's volume is mounted under another name. */
function volume<const D extends Record<string, FileDecl | PropertiesDecl<string>>>(
  service: string,
  decls: D,
  dir: string = service,
): SecretVolumeSpec<{ readonly [N in keyof D]: FileOf<D[N]> }> {
  const mount = `${SECRETS_ROOT}/${dir}`;
  const files = Object.fromEntries(
    Object.entries(decls).map(([id, d]) => [id, { name: d.name, path: `${mount}/${d.name}`, keys: "keys" in d ? d.keys : [] }]),
  );
  return { service, mount, files: files as { readonly [N in keyof D]: FileOf<D[N]> } };
}

/**
 * The orders database's passwords, read by its image's entrypoint (one value a file). `sink`: the
 * write-back user of Debezium's JDBC sink (INSERT, UPDATE, SELECT on the out-of-stock table only).
 */
export function databaseSecrets(flavour: "mariadb" | "mysql") {
  return volume(flavour, { root: file("root_password"), cdc: file("cdc_password"), app: file("app_password"), sink: file("sink_password") });
}

/** The on-prem Connect workers: files the connector configs reference through `${file:…}`. */
export const CONNECT_SECRETS = volume("connect", {
  /** Debezium's database password. */
  db: properties("db.properties", ["password"]),
  /** The JDBC sink's database password (the write-back user, connectors/jdbc-sink.ts). */
  sinkDb: properties("sink-db.properties", ["password"]),
  /** MirrorMaker 2's SASL/PLAIN user on the local cloud Kafka (local target only). */
  cloud: properties("cloud.properties", ["username", "password"]),
  /** CA of the local cloud Kafka (local target only). */
  cloudCa: file("cloud-ca.pem"),
  /** Confluent Replicator's licence (engine "replicator" only). */
  replicatorLicense: properties("replicator.properties", ["license"]),
});

/** The order simulator's database password. */
export const SIMULATOR_SECRETS = volume("simulator", { dbPassword: file("db-password") });

/** The local cloud Kafka broker: its stores and a properties file with their passwords and the JAAS users. */
export const CLOUD_KAFKA_SECRETS = volume(
  "kafka-cloud",
  {
    keystore: file("broker.p12"),
    truststore: file("truststore.p12"),
    server: properties("server-secrets.properties", [
      "ssl.keystore.password",
      "ssl.key.password",
      "ssl.truststore.password",
      "listener.name.sasl_ssl.plain.sasl.jaas.config",
    ]),
  },
  "kafka",
);

/** Azurite: the account list ("name:key"). */
export const AZURITE_SECRETS = volume("azurite", { accounts: file("accounts") });

/** The lake sink: its SASL/PLAIN user on the cloud Kafka, the Kafka CA and the storage account key. */
export const LAKE_SINK_SECRETS = volume("lake-sink", {
  kafka: properties("kafka.properties", ["username", "password"]),
  ca: file("ca.pem"),
  storageKey: file("storage-key"),
});

/**
 * The stock processor of the way back: its SASL/PLAIN login on the cloud Kafka (locally its own user
 * `stock`, on a managed cloud the bridge's credentials) and, locally, that cluster's CA.
 */
export const STOCK_PROCESSOR_SECRETS = volume("stock-processor", {
  kafka: properties("kafka.properties", ["username", "password"]),
  ca: file("ca.pem"),
});

/**
 * The console: its action credential (generated per deployment), its SASL/PLAIN login on the cloud
 * Kafka (locally its own user, on a managed cloud the bridge's), locally also that cluster's CA and the
 * lake key, on a cloud target its lake reader's client secret, and the application user's database
 * password (verify on demand reads the tables).
 */
export const CONSOLE_SECRETS = volume("console", {
  credential: file("credential"),
  cloudKafka: properties("cloud-kafka.properties", ["username", "password"]),
  cloudCa: file("cloud-ca.pem"),
  lakeKey: file("lake-key"),
  /** The client secret of its Entra ID lake reader (cloud targets, observability.console.lakeReader). */
  lakeClientSecret: file("lake-client-secret"),
  dbPassword: file("db-password"),
});

/** A properties file's text from one value per key, in the spec's key order. Values must not hold newlines. */
export function propertiesText<K extends string>(f: SecretFile<K>, values: Readonly<Record<K, string>>): string {
  return f.keys.map((k) => `${k}=${values[k]}\n`).join("");
}
