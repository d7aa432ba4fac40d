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
  /**
   * Where username and password come from: a properties file mounted in the
   * Connect container (`username=`, `password=`), resolved by the worker at
   * run time, or values (Terraform references to sensitive variables) that
   * the caller must put in the connector's sensitive map.
   */
  readonly credentials: { readonly file: string } | { readonly username: string; readonly password: string };
  /** PKCS12/PEM truststore path inside the container; unset = the JVM's default CAs (public clouds). */
  readonly truststoreFile?: string;
  /** Truststore type. @default "PEM" when truststoreFile ends in .pem or .crt, else "PKCS12" */
  readonly truststoreType?: string;
}

/** The Kafka client properties of such a cluster, with `prefix` ("target.cluster.", "dest.kafka.", …). */
export function saslSslPlainProperties(prefix: string, c: SaslSslPlainClient): ConnectorConfig {
  const creds = c.credentials;
  const user = "file" in creds ? fileSecret(creds.file, "username") : creds.username;
  const pass = "file" in creds ? fileSecret(creds.file, "password") : creds.password;
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

/**
 * Splits a config into what Connect may show and what must stay sensitive:
 * every key ending in `sasl.jaas.config` (and any listed key) whose value is
 * not a `${file:…}` reference moves to the sensitive map.
 */
export function splitSensitive(config: ConnectorConfig, extraKeys: readonly string[] = []): { config: ConnectorConfig; sensitive: ConnectorConfig } {
  const plain: ConnectorConfig = {};
  const sensitive: ConnectorConfig = {};
  for (const [k, v] of Object.entries(config)) {
    const secretKey = k.endsWith("sasl.jaas.config") || extraKeys.includes(k);
    if (secretKey && !/^\$\{file:[^}]+\}$/.test(v) && !/username="\$\{file:[^"]+\}" password="\$\{file:[^"]+\}"/.test(v)) sensitive[k] = v;
    else plain[k] = v;
  }
  return { config: plain, sensitive };
}
