/**
 * The synthesized stacks and the secret loader agree on the secret files: every /run/secrets path
 * a container's environment names, and every `${file:path:key}` a connector config reads (resolved
 * by the Connect workers), is a file that secretVolumes writes into the volume mounted at that
 * directory, and a referenced properties key is a line of that file. A path renamed on one side
 * only, a volume mounted elsewhere, or a key the file does not have fails here, not at run time.
 */
import { Testing } from "cdktf";
import { resolveConfig } from "../config";
import { BridgeConfig, DeepPartial } from "../config/types";
import { CLOUD_KAFKA_SECRETS, CONNECT_SECRETS, CONSOLE_SECRETS, LAKE_SINK_SECRETS, SIMULATOR_SECRETS, STOCK_PROCESSOR_SECRETS } from "../constructs/secret-files";
import { buildStacks, everyStack } from "../main";
import { LAKE_CLIENT_SECRET_ENV } from "../config/schema";
import { REPLICATOR_LICENSE_ENV, SecretValues, consoleCloudLogin, consoleLakeClientSecret, secretVolumes } from "../scripts/lib/secrets";
import { SINK_ENV } from "../services/lake-sink/src/env";
import { SIM_ENV } from "../services/simulator/src/env";
import { Deployment } from "../stacks/deployment";
import type { DeploymentNames } from "../stacks/names";
import { TARGET_CONFIGS } from "./target-configs";
import { COMPONENT_LABEL } from "../constructs/docker/service-container";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

/** Stand-ins: the test looks at file names and keys only, never prints a value. */
const VALUES: SecretValues = {
  dbRootPassword: "root",
  dbCdcPassword: "cdc",
  dbSinkPassword: "oos-sink",
  dbAppPassword: "app",
  cloudBrokerPassword: "broker",
  cloudMm2Password: "mm2",
  cloudSinkPassword: "sink",
  cloudKeystorePassword: "store",
  lakeAccountKey: "a2V5",
  cloudStockPassword: "stock",
  cloudConsolePassword: "console",
  consoleCredential: "credential",
};
const TLS = { caPem: Buffer.from("ca"), brokerP12: Buffer.from("broker"), truststoreP12: Buffer.from("trust") };

/** Stated literally on purpose: a path outside this root would be missed by the scan. */
const SECRET_PATH = /\/run\/secrets\/[^"'\s:}]+/g;
const FILE_REF = /\$\{file:([^:}]+):([^}]+)\}/g;

interface Reference {
  /** Who resolves it: a container's name, or "connector <resource>" (resolved by the Connect workers). */
  readonly where: string;
  readonly path: string;
  readonly key?: string;
  /** The containers whose mounts resolve the path. */
  readonly containers: readonly TfJson[];
}

const component = (c: TfJson): string | undefined => c.labels?.find((l: TfJson) => l.label === COMPONENT_LABEL)?.value;

/** Every /run/secrets reference of every stack main.ts synthesizes for one configuration. */
function references(input: DeepPartial<BridgeConfig>): Reference[] {
  const stacks = everyStack(buildStacks(Testing.app(), resolveConfig(input))).map((s) => JSON.parse(Testing.synth(s)));
  const containers: TfJson[] = stacks.flatMap((s) => Object.values(s.resource?.docker_container ?? {}));
  const workers = containers.filter((c) => component(c) === "connect");
  const refs: Reference[] = [];
  for (const c of containers) {
    for (const entry of (c.env ?? []) as string[]) {
      for (const [path] of entry.matchAll(SECRET_PATH)) refs.push({ where: c.name, path, containers: [c] });
    }
  }
  for (const s of stacks) {
    for (const [id, connector] of Object.entries(s.resource?.["kafka-connect_connector"] ?? {})) {
      const text = JSON.stringify(connector);
      for (const [, path, key] of text.matchAll(FILE_REF)) refs.push({ where: `connector ${id}`, path, key, containers: workers });
      // Paths named outright (a truststore location): read by the worker's clients as they are.
      for (const [path] of text.replace(FILE_REF, "").matchAll(SECRET_PATH)) refs.push({ where: `connector ${id}`, path, containers: workers });
    }
  }
  return refs;
}

/** Why a reference does not resolve in one container, or undefined when it does. */
function problem(ref: Reference, container: TfJson, volumes: ReturnType<typeof secretVolumes>, names: DeploymentNames): string | undefined {
  const dir = ref.path.slice(0, ref.path.lastIndexOf("/"));
  const name = ref.path.slice(dir.length + 1);
  const mount = (container.mounts ?? []).find((m: TfJson) => m.target === dir);
  if (!mount) return `${container.name} mounts nothing at ${dir}`;
  if (mount.read_only !== true) return `${container.name} mounts ${dir} read-write`;
  const volume = volumes.find((v) => names.secrets(v.service) === mount.source);
  if (!volume) return `${dir} in ${container.name} is volume ${mount.source}, which secretVolumes does not fill`;
  const service = volume.service;
  const content = volume.files[name];
  if (content === undefined) return `secretVolumes writes no ${name} for ${service} (it writes ${Object.keys(volume.files).join(", ")})`;
  if (ref.key === undefined) return undefined;
  const keys = content.toString().split("\n").map((line) => line.slice(0, line.indexOf("=")));
  return keys.includes(ref.key) ? undefined : `${name} of ${service} has no key ${ref.key} (keys: ${keys.filter(Boolean).join(", ")})`;
}

const CASES: Record<string, DeepPartial<BridgeConfig>> = {
  ...TARGET_CONFIGS,
  "local, mysql": { onPrem: { database: { flavour: "mysql" } } },
  "confluent-cloud, replicator": { ...TARGET_CONFIGS["confluent-cloud"], replication: { engine: "replicator" } },
};

/** Stand-in of the managed cloud's login the console gets from the operator's TF_VAR_ values. */
const CLOUD_LOGIN = { username: "user-stand-in", password: "password-stand-in" };

/** Stand-in of the operator's licence file content (Replicator only). */
const LICENSE = "licence-stand-in";

/** Stand-in of the console's lake reader's client secret (cloud targets with observability.console.lakeReader). */
const LAKE_CLIENT_SECRET = "lake-client-secret-stand-in";

describe.each(Object.entries(CASES))("%s: every secret file the stacks reference is one secretVolumes writes", (_name, input) => {
  // GIVEN every stack synthesized for the configuration, and the files the loader writes for it
  const refs = references(input);
  const deployment = new Deployment(resolveConfig(input));
  const volumes = secretVolumes(deployment, VALUES, TLS, LICENSE, CLOUD_LOGIN, LAKE_CLIENT_SECRET);
  const names = deployment.names;

  test("the stacks reference secret files (the check below is not vacuous)", () => {
    // THEN at least the Debezium password reaches a connector, through a ${file:} reference
    expect(refs.some((r) => r.key === "password" && r.where.startsWith("connector "))).toBe(true);
    expect(refs.some((r) => !r.where.startsWith("connector "))).toBe(true);
  });

  test("each reference resolves to a written file (and key) in every container that resolves it", () => {
    // WHEN each reference is looked up in the volume each of its containers mounts at its directory
    const unresolved = refs.flatMap((r) => {
      const problems = r.containers.length === 0 ? ["no container resolves it"] : r.containers.map((c) => problem(r, c, volumes, names)).filter((p) => p !== undefined);
      return problems.length === 0 ? [] : [{ path: r.path, text: `${r.where}: ${r.path}${r.key ? `:${r.key}` : ""} (${problems.join("; ")})` }];
    });
    // THEN none is left unresolved
    expect(unresolved.map((u) => u.text)).toEqual([]);
  });
});

describe("Replicator's licence", () => {
  const deployment = new Deployment(resolveConfig(CASES["confluent-cloud, replicator"]));
  test("GIVEN engine replicator and no licence WHEN the volumes are made THEN the error names the variable to set", () => {
    expect(() => secretVolumes(deployment, VALUES, TLS)).toThrow(`replication.engine is "replicator": Confluent Replicator is licensed; set ${REPLICATOR_LICENSE_ENV} to the file holding your Confluent licence key`);
  });
  test("GIVEN a licence WHEN the volumes are made THEN Connect's volume holds it as the properties file the connector reads", () => {
    const connect = secretVolumes(deployment, VALUES, TLS, `${LICENSE}\n`, CLOUD_LOGIN).find((v) => v.service === "connect");
    expect(connect?.files["replicator.properties"]).toBe(`license=${LICENSE}\n`);
  });
  test("GIVEN MirrorMaker 2 WHEN the volumes are made THEN no licence file is written", () => {
    const mm2 = new Deployment(resolveConfig(TARGET_CONFIGS["confluent-cloud"]));
    expect(Object.keys(secretVolumes(mm2, VALUES, TLS, LICENSE, CLOUD_LOGIN).find((v) => v.service === "connect")?.files ?? {})).toEqual(["db.properties"]);
  });
});

describe("the console's login on a managed cloud Kafka", () => {
  test("GIVEN Event Hubs and its connection string in TF_VAR_ WHEN the login is read THEN it is the bridge's: $ConnectionString and that string", () => {
    const config = resolveConfig(TARGET_CONFIGS["event-hubs"]);
    const name = `TF_VAR_${config.credentials.eventHubsConnectionString}`;
    expect(consoleCloudLogin(config, { [name]: "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v" })).toEqual({ username: "$ConnectionString", password: "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v" });
  });
  test("GIVEN Confluent Cloud without its API key and secret in TF_VAR_ WHEN the login is read THEN the error names both variables", () => {
    const config = resolveConfig(TARGET_CONFIGS["confluent-cloud"]);
    expect(() => consoleCloudLogin(config, {})).toThrow(new RegExp(`set TF_VAR_${config.credentials.confluentApiKey} \\(credentials.confluentApiKey\\) and TF_VAR_${config.credentials.confluentApiSecret} \\(credentials.confluentApiSecret\\)`));
  });
  test("GIVEN the local target or the console disabled THEN no login is read", () => {
    expect(consoleCloudLogin(resolveConfig(TARGET_CONFIGS.local), {})).toBeUndefined();
    expect(consoleCloudLogin(resolveConfig({ ...TARGET_CONFIGS["event-hubs"], observability: { console: { enabled: false } } }), {})).toBeUndefined();
  });
  test("GIVEN a login WHEN the volumes are made THEN the console's cloud-kafka.properties holds it", () => {
    const volumes = secretVolumes(new Deployment(resolveConfig(TARGET_CONFIGS["event-hubs"])), VALUES, undefined, undefined, CLOUD_LOGIN, LAKE_CLIENT_SECRET);
    expect(volumes.find((v) => v.service === CONSOLE_SECRETS.service)?.files[CONSOLE_SECRETS.files.cloudKafka.name]).toBe("username=user-stand-in\npassword=password-stand-in\n");
  });
});

describe("the console's Entra ID lake reader's client secret", () => {
  const eventHubs = resolveConfig(TARGET_CONFIGS["event-hubs"]);
  test("GIVEN a lake reader and its secret in the operator's variable WHEN read THEN that value, and the console's volume holds it as the file its environment names", () => {
    const secret = consoleLakeClientSecret(eventHubs, { [LAKE_CLIENT_SECRET_ENV]: ` ${LAKE_CLIENT_SECRET}\n` });
    expect(secret).toBe(LAKE_CLIENT_SECRET);
    const volumes = secretVolumes(new Deployment(eventHubs), VALUES, undefined, undefined, CLOUD_LOGIN, secret);
    expect(volumes.find((v) => v.service === CONSOLE_SECRETS.service)?.files[CONSOLE_SECRETS.files.lakeClientSecret.name]).toBe(`${LAKE_CLIENT_SECRET}\n`);
  });
  test("GIVEN a lake reader and no secret WHEN read THEN the error names the variable and the client, and holds no secret", () => {
    expect(() => consoleLakeClientSecret(eventHubs, {})).toThrow(
      `observability.console.lakeReader: the console reads the lake as client ${eventHubs.observability.console.lakeReader.clientId}; set ${LAKE_CLIENT_SECRET_ENV} to that app registration's client secret`,
    );
    expect(() => secretVolumes(new Deployment(eventHubs), VALUES, undefined, undefined, CLOUD_LOGIN)).toThrow(/lake reader needs its client secret/);
  });
  test("GIVEN the local target, the console disabled, or no lake reader WHEN read THEN none is needed and none is written", () => {
    const env = { [LAKE_CLIENT_SECRET_ENV]: LAKE_CLIENT_SECRET };
    for (const input of [TARGET_CONFIGS.local, { ...TARGET_CONFIGS["event-hubs"], observability: { console: { enabled: false } } }, TARGET_CONFIGS["confluent-cloud"]]) {
      const config = resolveConfig(input);
      expect(consoleLakeClientSecret(config, env)).toBeUndefined();
      const files = secretVolumes(new Deployment(config), VALUES, TLS, undefined, CLOUD_LOGIN, LAKE_CLIENT_SECRET).find((v) => v.service === CONSOLE_SECRETS.service)?.files ?? {};
      expect(Object.keys(files)).not.toContain(CONSOLE_SECRETS.files.lakeClientSecret.name);
    }
  });
});

describe("the write-back user's password", () => {
  test("GIVEN a deployment without the way back WHEN the volumes are made THEN there is no sink_password, so no write-back user", () => {
    const deployment = new Deployment(resolveConfig(TARGET_CONFIGS.local));
    const volumes = secretVolumes(deployment, VALUES, TLS);
    expect(Object.keys(volumes.find((v) => v.service === deployment.config.onPrem.database.flavour)?.files ?? {})).not.toContain(deployment.databaseSecrets.files.sink.name);
    expect(Object.keys(volumes.find((v) => v.service === CONNECT_SECRETS.service)?.files ?? {})).not.toContain(CONNECT_SECRETS.files.sinkDb.name);
    expect(volumes.map((v) => v.service)).not.toContain(STOCK_PROCESSOR_SECRETS.service);
  });
  test("GIVEN the way back locally WHEN the volumes are made THEN the processor's volume holds user stock and the CA, and the broker knows that user", () => {
    const deployment = new Deployment(resolveConfig({ ...TARGET_CONFIGS.local, writeBack: { enabled: true } }));
    const volumes = secretVolumes(deployment, VALUES, TLS);
    const stock = volumes.find((v) => v.service === STOCK_PROCESSOR_SECRETS.service);
    expect(stock?.uid).toBe(1002);
    expect(stock?.files).toEqual({ "kafka.properties": `username=stock\npassword=${VALUES.cloudStockPassword}\n`, "ca.pem": TLS.caPem });
    const broker = String(volumes.find((v) => v.service === CLOUD_KAFKA_SECRETS.service)?.files[CLOUD_KAFKA_SECRETS.files.server.name]);
    expect(broker).toContain(`user_stock="${VALUES.cloudStockPassword}"`);
  });
  test("GIVEN the way back on Confluent Cloud WHEN the volumes are made THEN the processor's volume holds the bridge's login and no CA", () => {
    const deployment = new Deployment(resolveConfig({ ...TARGET_CONFIGS["confluent-cloud"], writeBack: { enabled: true } }));
    const stock = secretVolumes(deployment, VALUES, TLS, undefined, CLOUD_LOGIN).find((v) => v.service === STOCK_PROCESSOR_SECRETS.service);
    expect(Object.keys(stock?.files ?? {})).toEqual(["kafka.properties"]);
    expect(stock?.files["kafka.properties"]).toBe(`username=${CLOUD_LOGIN.username}\npassword=${CLOUD_LOGIN.password}\n`);
  });
  test("GIVEN the way back WHEN the volumes are made THEN the database's sink_password and Connect's sink-db.properties hold the same value", () => {
    const deployment = new Deployment(resolveConfig({ ...TARGET_CONFIGS.local, writeBack: { enabled: true } }));
    const volumes = secretVolumes(deployment, VALUES, TLS);
    const db = volumes.find((v) => v.service === deployment.config.onPrem.database.flavour);
    const connect = volumes.find((v) => v.service === CONNECT_SECRETS.service);
    expect(db?.files[deployment.databaseSecrets.files.sink.name]).toBe(`${VALUES.dbSinkPassword}\n`);
    expect(connect?.files[CONNECT_SECRETS.files.sinkDb.name]).toBe(`password=${VALUES.dbSinkPassword}\n`);
  });
});

describe("the services' own defaults name the same secret files", () => {
  test("the lake sink's default credentials file is LAKE_SINK_SECRETS' kafka file", () => {
    // GIVEN the sink's env schema  THEN its documented default is the path the stacks mount
    expect(SINK_ENV.KAFKA_CREDENTIALS_FILE.defaultDoc).toEqual({ text: LAKE_SINK_SECRETS.files.kafka.path, literal: true });
  });

  test("the simulator's example password path is SIMULATOR_SECRETS' file", () => {
    // GIVEN the simulator's env schema  THEN the path its --help shows as example is the one the stack mounts
    expect(SIM_ENV.DB_PASSWORD_FILE.ruleDoc).toContain(SIMULATOR_SECRETS.files.dbPassword.path);
  });
});
