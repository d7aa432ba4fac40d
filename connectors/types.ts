/** A Kafka Connect connector configuration: every value a string, as the REST API returns it. */
export type ConnectorConfig = Record<string, string>;

/**
 * Reference to a secret resolved by the worker's FileConfigProvider at run
 * time: "${file:<path>:<key>}". The secret never enters the config map,
 * Terraform state or the REST API's responses.
 */
export function fileSecret(path: string, key: string): string {
  if (!path.startsWith("/")) throw new Error(`fileSecret: path "${path}" must be absolute (it is resolved inside the Connect container)`);
  if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw new Error(`fileSecret: key "${key}" must be a properties key of letters, digits, _ . -`);
  return `\${file:${path}:${key}}`;
}

/** Client settings for a Kafka cluster reached over SASL_SSL with PLAIN (Confluent Cloud, Event Hubs, the local stand-in). */
export interface SaslSslPlainClient {
  readonly bootstrapServers: string;
  /** Properties file mounted in the Connect container holding `username` and `password`. */
  readonly credentialsFile: string;
  /** PKCS12/PEM truststore path inside the container; unset = the JVM's default CAs (public clouds). */
  readonly truststoreFile?: string;
  /** Truststore type. @default "PEM" when truststoreFile ends in .pem or .crt, else "PKCS12" */
  readonly truststoreType?: string;
}

/** The Kafka client properties of such a cluster, with `prefix` ("target.cluster.", "dest.kafka.", …). */
export function saslSslPlainProperties(prefix: string, c: SaslSslPlainClient): ConnectorConfig {
  const user = fileSecret(c.credentialsFile, "username");
  const pass = fileSecret(c.credentialsFile, "password");
  const props: ConnectorConfig = {
    [`${prefix}bootstrap.servers`]: c.bootstrapServers,
    [`${prefix}security.protocol`]: "SASL_SSL",
    [`${prefix}sasl.mechanism`]: "PLAIN",
    [`${prefix}sasl.jaas.config`]: `org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${pass}";`,
    [`${prefix}ssl.endpoint.identification.algorithm`]: "https",
  };
  if (c.truststoreFile) {
    props[`${prefix}ssl.truststore.location`] = c.truststoreFile;
    props[`${prefix}ssl.truststore.type`] = c.truststoreType ?? (/\.(pem|crt)$/.test(c.truststoreFile) ? "PEM" : "PKCS12");
  }
  return props;
}
