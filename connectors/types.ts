/** A Kafka Connect connector configuration: every value a string, as the REST API returns it. */
export type ConnectorConfig = Readonly<Record<string, string>>;

/**
 * A connector's configuration in the two maps the kafka-connect provider takes: `config`, which Connect
 * shows in its REST API and the provider reads back (`${file:…}` references belong here: the secret stays
 * in the worker's files), and `sensitive` (`config_sensitive`), values that are secrets themselves, such
 * as Terraform references to sensitive variables.
 */
export interface ConnectorSettings<Config extends object = ConnectorConfig, Sensitive extends object = ConnectorConfig> {
  readonly config: Config;
  readonly sensitive: Sensitive;
}

/** The visible half of configuration C whose keys S carry credentials: S only when they reference files. */
export type VisibleConfig<C, S extends keyof C> = Omit<C, S> & Partial<Pick<C, S>>;

/**
 * Settings of configuration C whose keys S carry credentials: such a key is in `sensitive` when the
 * credentials are given inline, and in `config` when they only reference files.
 */
export type CredentialedSettings<C, S extends keyof C> = ConnectorSettings<VisibleConfig<C, S>, Partial<Pick<C, S>>>;

/**
 * The two maps for the kafka-connect provider from typed settings. TypeScript lets an optional key
 * hold `undefined` (no exactOptionalPropertyTypes here), which Connect cannot take: refused by name.
 */
export function providerMaps(where: string, s: ConnectorSettings<object, object>): ConnectorSettings {
  return { config: stringMap(`${where} config`, s.config), sensitive: stringMap(`${where} sensitive config`, s.sensitive) };
}

function stringMap(where: string, o: object): ConnectorConfig {
  for (const [key, value] of Object.entries(o)) {
    if (typeof value !== "string") throw new Error(`${where}: key "${key}" is ${value === undefined ? "undefined" : typeof value}, must be a string`);
  }
  return o as ConnectorConfig;
}

/** T with every key prefixed ("bootstrap.servers" → "target.cluster.bootstrap.servers"); optional keys stay optional. */
export type Prefixed<P extends string, T> = { readonly [K in keyof T & string as `${P}${K}`]: T[K] };

/** The keys of `o` with `prefix` in front, in the same order. */
export function withPrefix<P extends string, T extends object>(prefix: P, o: T): Prefixed<P, T> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [`${prefix}${k}`, v])) as Prefixed<P, T>;
}

/** Both halves of client settings with `prefix` in front of every key. */
export function prefixedSettings<P extends string, C extends object, S extends object>(
  prefix: P,
  s: ConnectorSettings<C, S>,
): ConnectorSettings<Prefixed<P, C>, Prefixed<P, S>> {
  return { config: withPrefix(prefix, s.config), sensitive: withPrefix(prefix, s.sensitive) };
}

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

/** A SASL/PLAIN login: values, or Terraform references to sensitive variables. */
export interface SaslLogin {
  readonly username: string;
  readonly password: string;
}

/** Client settings for a Kafka cluster reached over SASL_SSL with PLAIN (Confluent Cloud, Event Hubs, the local stand-in). */
export interface SaslSslPlainClient {
  readonly bootstrapServers: string;
  /**
   * Where username and password come from: a properties file mounted in the
   * Connect container (`username=`, `password=`), resolved by the worker at
   * run time, or values (Terraform references to sensitive variables), which
   * go to the connector's sensitive map.
   */
  readonly credentials: { readonly file: string } | SaslLogin;
  /** PKCS12/PEM truststore path inside the container; unset = the JVM's default CAs (public clouds). */
  readonly truststoreFile?: string;
  /** Truststore type. @default "PEM" when truststoreFile ends in .pem or .crt, else "PKCS12" */
  readonly truststoreType?: string;
}

/** The Kafka client properties of a SASL_SSL/PLAIN cluster, unprefixed. */
export type SaslSslPlainProperties = {
  readonly "bootstrap.servers": string;
  readonly "security.protocol": "SASL_SSL";
  readonly "sasl.mechanism": "PLAIN";
  /** Carries username and password: a secret unless both are file references. */
  readonly "sasl.jaas.config": string;
  readonly "ssl.endpoint.identification.algorithm": "https";
  readonly "ssl.truststore.location"?: string;
  readonly "ssl.truststore.type"?: string;
};

/** The key of SaslSslPlainProperties that carries credentials. */
export type SaslSslPlainSecretKey = "sasl.jaas.config";

/**
 * The client settings of such a cluster, the JAAS config (which holds the
 * credentials) in `sensitive` when they are given inline, in `config` when
 * both come from a file.
 */
export function saslSslPlainSettings(c: SaslSslPlainClient): CredentialedSettings<SaslSslPlainProperties, SaslSslPlainSecretKey> {
  const creds = c.credentials;
  const inline = !("file" in creds);
  const user = inline ? creds.username : fileSecret(creds.file, "username");
  const pass = inline ? creds.password : fileSecret(creds.file, "password");
  const jaas = { "sasl.jaas.config": `org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${pass}";` };
  return {
    config: {
      "bootstrap.servers": c.bootstrapServers,
      "security.protocol": "SASL_SSL",
      "sasl.mechanism": "PLAIN",
      ...(inline ? {} : jaas),
      "ssl.endpoint.identification.algorithm": "https",
      ...(c.truststoreFile
        ? {
            "ssl.truststore.location": c.truststoreFile,
            "ssl.truststore.type": c.truststoreType ?? (/\.(pem|crt)$/.test(c.truststoreFile) ? "PEM" : "PKCS12"),
          }
        : {}),
    },
    sensitive: inline ? jaas : {},
  };
}

/** Keys whose values are credentials: a JAAS config, a password, a secret, an API or access key. */
const CREDENTIAL_KEY = /(^|\.)(sasl\.jaas\.config|password|secret|api\.key|access\.key)$/;
/** A value that only references the worker's files: the whole value, or both JAAS credentials. */
const FILE_REFERENCES_ONLY = [/^\$\{file:[^}]+\}$/, /username="\$\{file:[^"]+\}" password="\$\{file:[^"]+\}"/];

/**
 * Throws when a credential landed in the visible half of a connector's
 * configuration: a credential key whose value is not made of `${file:…}`
 * references. (The builders put credentials in `sensitive`; this is the net.)
 */
export function assertNoInlineCredentials(where: string, config: ConnectorConfig): void {
  for (const [key, value] of Object.entries(config)) {
    if (CREDENTIAL_KEY.test(key) && !FILE_REFERENCES_ONLY.some((re) => re.test(value))) {
      throw new Error(`${where}: config key "${key}" holds a credential inline; it must be a \${file:…} reference or go to the sensitive map`);
    }
  }
}
