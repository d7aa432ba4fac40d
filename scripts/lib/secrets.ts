import { randomBytes } from "crypto";
import { ResolvedConfig } from "../../config";
import { LAKE_CLIENT_SECRET_ENV } from "../../config/schema";
import { managedCloudLogin } from "../../constructs/cloud/cloud-target";
import type { SaslLogin } from "../../connectors/types";
import {
  AZURITE_SECRETS,
  CLOUD_KAFKA_SECRETS,
  CONSOLE_SECRETS,
  CONNECT_SECRETS,
  LAKE_SINK_SECRETS,
  SIMULATOR_SECRETS,
  STOCK_PROCESSOR_SECRETS,
  propertiesText,
} from "../../constructs/secret-files";
import { Deployment } from "../../stacks/deployment";
import { CONSOLE_CLOUD_USER } from "../../services/console/src/contract";
import { STOCK_PROCESSOR_CLOUD_USER, STOCK_PROCESSOR_UID } from "../../constructs/bridge/stock-processor";

/** The generated secret values of one deployment (never printed, never in Terraform). */
export interface SecretValues {
  readonly dbRootPassword: string;
  readonly dbCdcPassword: string;
  readonly dbAppPassword: string;
  /** The write-back user of the JDBC sink (out-of-stock events into the site's table). */
  readonly dbSinkPassword: string;
  /** SASL/PLAIN passwords on the local cloud Kafka: the broker itself, MirrorMaker 2, the lake sink. */
  readonly cloudBrokerPassword: string;
  readonly cloudMm2Password: string;
  readonly cloudSinkPassword: string;
  /** Password of the local cloud Kafka's PKCS12 key and trust stores. */
  readonly cloudKeystorePassword: string;
  /** Account key of the Azurite account (base64, 64 bytes like Azure's). */
  readonly lakeAccountKey: string;
  /** The stock processor's SASL/PLAIN password on the local cloud Kafka (user `stock`, the way back). */
  readonly cloudStockPassword: string;
  /** The console's SASL/PLAIN password on the local cloud Kafka. */
  readonly cloudConsolePassword: string;
  /** The console's action credential (restart a connector, run verify): scripts/up.sh shows where it is. */
  readonly consoleCredential: string;
}

/** TLS material of the local cloud Kafka (PEM / PKCS12 bytes), made by scripts/secrets.ts with openssl + keytool. */
export interface TlsMaterial {
  readonly caPem: Buffer;
  readonly brokerP12: Buffer;
  readonly truststoreP12: Buffer;
}

/** A volume of secret files for one service, owned by the uid the service runs as. */
export interface SecretVolume {
  readonly service: string;
  readonly uid: number;
  readonly files: Readonly<Record<string, string | Buffer>>;
}

/** URL-safe random secret (no characters that need quoting in properties, SQL or JAAS). */
export function generateSecret(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

export function generateSecretValues(): SecretValues {
  return {
    dbRootPassword: generateSecret(),
    dbCdcPassword: generateSecret(),
    dbAppPassword: generateSecret(),
    dbSinkPassword: generateSecret(),
    cloudBrokerPassword: generateSecret(),
    cloudMm2Password: generateSecret(),
    cloudSinkPassword: generateSecret(),
    cloudKeystorePassword: generateSecret(),
    lakeAccountKey: randomBytes(64).toString("base64"),
    cloudStockPassword: generateSecret(),
    cloudConsolePassword: generateSecret(),
    consoleCredential: generateSecret(),
  };
}

/** Image users (see images/README.md and services/*\/Dockerfile). */
export const SERVICE_UIDS = { mariadb: 999, mysql: 999, kafka: 1001, connect: 1001, simulator: 10001, azurite: 10002, "lake-sink": 10003, console: 10004, "stock-processor": STOCK_PROCESSOR_UID } as const;

/**
 * Which files each service finds in its secrets volume (constructs/secret-files.ts). Pure: the
 * same values always give the same files.
 */
/** The variable naming the operator's Confluent licence file, which Replicator needs (nothing here can make one). */
export const REPLICATOR_LICENSE_ENV = "BRIDGE_REPLICATOR_LICENSE_FILE";

/**
 * The console's login on a managed cloud Kafka: the same credentials the bridge stack gets as sensitive
 * variables, read from the operator's TF_VAR_<name> values (constructs/cloud/cloud-target.ts holds the
 * rule). Undefined for the local target; an error naming every variable to set when one is missing.
 */
export function consoleCloudLogin(config: ResolvedConfig, env: NodeJS.ProcessEnv): SaslLogin | undefined {
  const readers = [...(config.observability.console.enabled ? ["observability.console: the console"] : []), ...(config.writeBack.enabled ? ["writeBack: the stock processor"] : [])];
  if (config.target === "local" || readers.length === 0) return undefined;
  const missing: string[] = [];
  const login = managedCloudLogin(config.target, (key) => {
    const name = `TF_VAR_${config.credentials[key] ?? ""}`;
    const value = env[name];
    if (!value) missing.push(`${name} (credentials.${key})`);
    return value ?? "";
  });
  if (missing.length) {
    throw new Error(`${readers.join(" and ")} read${readers.length === 1 ? "s" : ""} the cloud Kafka of target "${config.target}" with the bridge's credentials; set ${missing.join(" and ")} when loading the secrets, as for the deploy (or set ${readers.map((r) => r.startsWith("writeBack") ? "writeBack.enabled" : "observability.console.enabled").join(" and ")} to false)`);
  }
  return login;
}

/**
 * The client secret of the console's Entra ID lake reader, from the operator's LAKE_CLIENT_SECRET_ENV
 * (like the TF_VAR_ values of consoleCloudLogin: supplied when loading the secrets, never in a file of
 * the repository or in Terraform). Undefined where the console has no such reader; an error naming the
 * variable when it is needed and missing.
 */
export function consoleLakeClientSecret(config: ResolvedConfig, env: NodeJS.ProcessEnv): string | undefined {
  const reader = config.derived.consoleLakeReader;
  if (!reader) return undefined;
  const value = env[LAKE_CLIENT_SECRET_ENV]?.trim();
  if (!value) {
    throw new Error(
      `observability.console.lakeReader: the console reads the lake as client ${reader.clientId}; set ${LAKE_CLIENT_SECRET_ENV} to that app registration's client secret (its value, not its id) when loading the secrets (or set observability.console.enabled to false)`,
    );
  }
  if (/[\r\n]/.test(value)) throw new Error(`${LAKE_CLIENT_SECRET_ENV}: must be one line (a client secret has no line breaks)`);
  return value;
}

export function secretVolumes(deployment: Deployment, s: SecretValues, tls?: TlsMaterial, replicatorLicense?: string, cloudLogin?: SaslLogin, lakeClientSecret?: string): SecretVolume[] {
  const config = deployment.config;
  const flavour = config.onPrem.database.flavour;
  const db = deployment.databaseSecrets.files;
  const connect = CONNECT_SECRETS.files;
  const connectFiles: Record<string, string | Buffer> = {
    [connect.db.name]: propertiesText(connect.db, { password: s.dbCdcPassword }),
  };
  // The write-back user exists only with the way back: no password file, no user (images/mariadb/entrypoint.sh).
  const writeBack = config.writeBack.enabled;
  if (writeBack) connectFiles[connect.sinkDb.name] = propertiesText(connect.sinkDb, { password: s.dbSinkPassword });
  const volumes: SecretVolume[] = [
    {
      service: flavour,
      uid: SERVICE_UIDS[flavour],
      files: {
        [db.root.name]: `${s.dbRootPassword}\n`,
        [db.cdc.name]: `${s.dbCdcPassword}\n`,
        [db.app.name]: `${s.dbAppPassword}\n`,
        ...(writeBack ? { [db.sink.name]: `${s.dbSinkPassword}\n` } : {}),
      },
    },
    { service: CONNECT_SECRETS.service, uid: SERVICE_UIDS.connect, files: connectFiles },
    { service: SIMULATOR_SECRETS.service, uid: SERVICE_UIDS.simulator, files: { [SIMULATOR_SECRETS.files.dbPassword.name]: `${s.dbAppPassword}\n` } },
  ];
  if (config.replication.engine === "replicator") {
    if (!replicatorLicense?.trim()) {
      throw new Error(`replication.engine is "replicator": Confluent Replicator is licensed; set ${REPLICATOR_LICENSE_ENV} to the file holding your Confluent licence key`);
    }
    connectFiles[connect.replicatorLicense.name] = propertiesText(connect.replicatorLicense, { license: replicatorLicense.trim() });
  }
  const consoleFiles: Record<string, string | Buffer> = {
    [CONSOLE_SECRETS.files.credential.name]: `${s.consoleCredential}\n`,
    [CONSOLE_SECRETS.files.dbPassword.name]: `${s.dbAppPassword}\n`,
  };
  if (config.observability.console.enabled) volumes.push({ service: CONSOLE_SECRETS.service, uid: SERVICE_UIDS.console, files: consoleFiles });
  if (config.target !== "local") {
    if (config.observability.console.enabled) {
      if (!cloudLogin) throw new Error(`secretVolumes: the console of target "${config.target}" needs its cloud Kafka login (consoleCloudLogin)`);
      // Values must not hold newlines (propertiesText); a connection string never does.
      consoleFiles[CONSOLE_SECRETS.files.cloudKafka.name] = propertiesText(CONSOLE_SECRETS.files.cloudKafka, cloudLogin);
      if (config.derived.consoleLakeReader) {
        if (!lakeClientSecret) throw new Error(`secretVolumes: the console's lake reader needs its client secret (consoleLakeClientSecret)`);
        consoleFiles[CONSOLE_SECRETS.files.lakeClientSecret.name] = `${lakeClientSecret}\n`;
      }
    }
    if (writeBack) {
      if (!cloudLogin) throw new Error(`secretVolumes: the stock processor of target "${config.target}" needs its cloud Kafka login (consoleCloudLogin)`);
      volumes.push({ service: STOCK_PROCESSOR_SECRETS.service, uid: SERVICE_UIDS["stock-processor"], files: { [STOCK_PROCESSOR_SECRETS.files.kafka.name]: propertiesText(STOCK_PROCESSOR_SECRETS.files.kafka, cloudLogin) } });
    }
    return volumes;
  }
  if (!tls) throw new Error("secretVolumes: the local target needs the cloud Kafka's TLS material");

  // MirrorMaker 2 on the on-prem Connect reaches the cloud Kafka as user "mm2".
  connectFiles[connect.cloud.name] = propertiesText(connect.cloud, { username: "mm2", password: s.cloudMm2Password });
  connectFiles[connect.cloudCa.name] = tls.caPem;
  const con = CONSOLE_SECRETS.files;
  consoleFiles[con.cloudKafka.name] = propertiesText(con.cloudKafka, { username: CONSOLE_CLOUD_USER, password: s.cloudConsolePassword });
  consoleFiles[con.cloudCa.name] = tls.caPem;
  consoleFiles[con.lakeKey.name] = `${s.lakeAccountKey}\n`;
  const kafka = CLOUD_KAFKA_SECRETS.files;
  const sink = LAKE_SINK_SECRETS.files;
  volumes.push(
    {
      service: CLOUD_KAFKA_SECRETS.service,
      uid: SERVICE_UIDS.kafka,
      files: {
        [kafka.keystore.name]: tls.brokerP12,
        [kafka.truststore.name]: tls.truststoreP12,
        [kafka.server.name]: propertiesText(kafka.server, {
          "ssl.keystore.password": s.cloudKeystorePassword,
          "ssl.key.password": s.cloudKeystorePassword,
          "ssl.truststore.password": s.cloudKeystorePassword,
          "listener.name.sasl_ssl.plain.sasl.jaas.config":
            `org.apache.kafka.common.security.plain.PlainLoginModule required ` +
            `username="broker" password="${s.cloudBrokerPassword}" user_broker="${s.cloudBrokerPassword}" user_mm2="${s.cloudMm2Password}" user_sink="${s.cloudSinkPassword}" ` +
            `user_${CONSOLE_CLOUD_USER}="${s.cloudConsolePassword}"` +
            (writeBack ? ` user_${STOCK_PROCESSOR_CLOUD_USER}="${s.cloudStockPassword}"` : "") +
            ";",
        }),
      },
    },
    {
      service: AZURITE_SECRETS.service,
      uid: SERVICE_UIDS.azurite,
      files: { [AZURITE_SECRETS.files.accounts.name]: `${deployment.endpoints.localLake.account}:${s.lakeAccountKey}\n` },
    },
    {
      service: LAKE_SINK_SECRETS.service,
      uid: SERVICE_UIDS["lake-sink"],
      files: {
        [sink.kafka.name]: propertiesText(sink.kafka, { username: "sink", password: s.cloudSinkPassword }),
        [sink.ca.name]: tls.caPem,
        [sink.storageKey.name]: `${s.lakeAccountKey}\n`,
      },
    },
  );
  if (writeBack) {
    const f = STOCK_PROCESSOR_SECRETS.files;
    volumes.push({
      service: STOCK_PROCESSOR_SECRETS.service,
      uid: SERVICE_UIDS["stock-processor"],
      files: { [f.kafka.name]: propertiesText(f.kafka, { username: STOCK_PROCESSOR_CLOUD_USER, password: s.cloudStockPassword }), [f.ca.name]: tls.caPem },
    });
  }
  return volumes;
}
