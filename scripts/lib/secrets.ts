import { randomBytes } from "crypto";
import { ResolvedConfig } from "../../config";

/** The generated secret values of one deployment (never printed, never in Terraform). */
export interface SecretValues {
  readonly dbRootPassword: string;
  readonly dbCdcPassword: string;
  readonly dbAppPassword: string;
  /** SASL/PLAIN password of the bridge's user on the local cloud Kafka. */
  readonly cloudKafkaPassword: string;
  /** Password of the local cloud Kafka's PKCS12 keystore. */
  readonly cloudKeystorePassword: string;
}

/** A volume of secret files for one service, owned by the uid the service runs as. */
export interface SecretVolume {
  readonly service: string;
  readonly uid: number;
  readonly files: Readonly<Record<string, string>>;
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
    cloudKafkaPassword: generateSecret(),
    cloudKeystorePassword: generateSecret(),
  };
}

/** Image users (see images/README.md and services/*\/Dockerfile). */
export const SERVICE_UIDS = { mariadb: 999, mysql: 999, kafka: 1001, connect: 1001, simulator: 10001 } as const;

/**
 * Which files each service finds under /run/secrets/<service>. Pure: the
 * same values always give the same files.
 */
export function secretVolumes(config: ResolvedConfig, s: SecretValues): SecretVolume[] {
  const flavour = config.onPrem.database.flavour;
  const volumes: SecretVolume[] = [
    {
      service: flavour,
      uid: SERVICE_UIDS[flavour],
      files: { root_password: `${s.dbRootPassword}\n`, cdc_password: `${s.dbCdcPassword}\n`, app_password: `${s.dbAppPassword}\n` },
    },
    { service: "connect", uid: SERVICE_UIDS.connect, files: { "db.properties": `password=${s.dbCdcPassword}\n` } },
    { service: "simulator", uid: SERVICE_UIDS.simulator, files: { "db-password": `${s.dbAppPassword}\n` } },
  ];
  return volumes;
}
