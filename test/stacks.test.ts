/**
 * Synthesis tests of the on-prem and bridge stacks for every target: the
 * resources, the settings that matter, and that no secret is synthesized.
 */
import { App, Testing } from "cdktf";
import { Container } from "@cdktf/provider-docker/lib/container";
import { MANAGED_LABEL } from "../constructs/docker/service-container";
import { resolveConfig } from "../config";
import { BridgeConfig, DeepPartial } from "../config/types";
import { buildStacks } from "../main";
import { CONFLUENT_CREDENTIALS, OPEN_NETWORK, TARGET_CONFIGS } from "../scripts/lib/variants";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

function synth(input: DeepPartial<BridgeConfig> = {}): { onprem: TfJson; bridge: TfJson; raw: string; rawOnPrem: string } {
  const app: App = Testing.app();
  const { onPrem, bridge } = buildStacks(app, resolveConfig(input));
  const rawOnPrem = Testing.synth(onPrem);
  const rawBridge = Testing.synth(bridge);
  return { onprem: JSON.parse(rawOnPrem), bridge: JSON.parse(rawBridge), raw: rawOnPrem + rawBridge, rawOnPrem };
}

const values = (json: TfJson, type: string): TfJson[] => Object.values(json.resource?.[type] ?? {});
const connector = (json: TfJson, name: string): TfJson => values(json, "kafka-connect_connector").find((c) => c.name === name);
const env = (c: TfJson): Record<string, string> => Object.fromEntries(c.env.map((e: string) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

describe("on-prem stack", () => {
  const { onprem, raw, rawOnPrem } = synth();
  const containers = values(onprem, "docker_container");

  test("every container: host network, health check waited for, memory limit, restart, project label", () => {
    expect(containers.map((c) => c.name).sort()).toEqual(["bridge-dev-connect-1", "bridge-dev-kafka-1", "bridge-dev-mariadb", "bridge-dev-simulator"]);
    for (const c of containers) {
      expect(c).toMatchObject({ network_mode: "host", wait: true, must_run: true, restart: "unless-stopped" });
      expect(c.healthcheck.test[0]).toBe("CMD");
      expect(c.memory).toBeGreaterThan(0);
      expect(c.memory_swap).toBe(c.memory);
      expect(c.labels).toContainEqual({ label: MANAGED_LABEL, value: "true" });
    }
    expect(rawOnPrem).toHaveResourceWithProperties(Container, { name: "bridge-dev-connect-1", depends_on: expect.arrayContaining([expect.stringMatching(/docker_container\.kafka/)]) });
  });

  test("Kafka: KRaft, unclean leader election off, no auto-created topics", () => {
    const e = env(containers.find((c) => c.name === "bridge-dev-kafka-1"));
    expect(e).toMatchObject({
      KAFKA_CFG_PROCESS_ROLES: "broker,controller",
      KAFKA_CFG_UNCLEAN_LEADER_ELECTION_ENABLE: "false",
      KAFKA_CFG_AUTO_CREATE_TOPICS_ENABLE: "false",
      KAFKA_CFG_MIN_INSYNC_REPLICAS: "1",
      KAFKA_CFG_LISTENERS: "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093",
    });
  });

  test("three brokers: one quorum, replication 3, min.insync.replicas 2, topics replicated 3 times", () => {
    const three = synth({ onPrem: { kafka: { brokers: 3 } } }).onprem;
    const brokers = values(three, "docker_container").filter((c) => c.name.startsWith("bridge-dev-kafka-"));
    expect(brokers).toHaveLength(3);
    const voters = new Set(brokers.map((b) => env(b).KAFKA_CFG_CONTROLLER_QUORUM_VOTERS));
    expect([...voters]).toEqual(["1@127.0.0.1:19093,2@127.0.0.1:19103,3@127.0.0.1:19113"]);
    expect(new Set(brokers.map((b) => env(b).KAFKA_CLUSTER_ID)).size).toBe(1);
    expect(brokers.every((b) => env(b).KAFKA_CFG_MIN_INSYNC_REPLICAS === "2")).toBe(true);
    expect(values(three, "kafka_topic").every((t) => t.replication_factor === 3)).toBe(true);
  });

  test("Connect: REST on loopback port, allow-list override policy, secrets from a read-only volume", () => {
    const c = containers.find((x) => x.name === "bridge-dev-connect-1");
    const e = env(c);
    expect(e.CONNECT_REST_PORT).toBe("18083");
    expect(e.CONNECT_CFG_CONNECTOR_CLIENT_CONFIG_OVERRIDE_POLICY).toBe("Allowlist");
    expect(e.CONNECT_CFG_CONNECTOR_CLIENT_CONFIG_OVERRIDE_ALLOWLIST).toContain("bootstrap.servers");
    expect(c.mounts).toContainEqual({ type: "volume", source: "bridge-dev-secrets-connect", target: "/run/secrets/connect", read_only: true });
  });

  test("CDC topics and schema history are resources; history is kept forever", () => {
    const topics = values(onprem, "kafka_topic");
    expect(topics.map((t) => t.name).sort()).toEqual([
      "_dc01.schema-history",
      "dc01_bridge_latency_probe",
      "dc01_customers",
      "dc01_products",
      "dc01_purchase_order_details",
      "dc01_purchase_orders",
      "dc01_sales_order_details",
      "dc01_sales_orders",
      "dc01_suppliers",
    ]);
    expect(topics.find((t) => t.name === "_dc01.schema-history").config["retention.ms"]).toBe("-1");
  });

  test("Debezium connector: config-provider password (escaped for Terraform), no secret anywhere", () => {
    const dbz = connector(onprem, "dc01-orders-cdc");
    expect(dbz.config["database.password"]).toBe("$${file:/run/secrets/connect/db.properties:password}");
    expect(dbz.config.name).toBe("dc01-orders-cdc");
    expect(dbz.config_sensitive).toBeUndefined();
    // Every password in either stack is a config-provider or variable reference.
    expect(raw).toMatch(/password=/);
    expect(raw).not.toMatch(/password=\\"(?!\$\$\{file:|\$\{var\.)/);
    expect(raw).not.toMatch(/"password":/);
  });

  test("containers reference their managed volumes, so destroy removes the container first", () => {
    const db = containers.find((c) => c.name === "bridge-dev-mariadb");
    expect(db.mounts).toContainEqual(expect.objectContaining({ target: "/var/lib/mysql", source: expect.stringMatching(/^\$\{docker_volume\.[\w-]+\.name\}$/) }));
    const kafka = containers.find((c) => c.name === "bridge-dev-kafka-1");
    expect(kafka.mounts).toContainEqual(expect.objectContaining({ target: "/var/lib/kafka/data", source: expect.stringMatching(/^\$\{docker_volume\./) }));
  });

  test("data volumes are resources unless kept", () => {
    // (and the Connect supervisors' restart history, which the console reads)
    expect(values(onprem, "docker_volume").map((v) => v.name).sort()).toEqual(["bridge-dev-connect-supervisor-history", "bridge-dev-kafka-1-data", "bridge-dev-mariadb-data"]);
    const kept = synth({ onPrem: { database: { keepData: true } } }).onprem;
    expect(values(kept, "docker_volume").map((v) => v.name).sort()).toEqual(["bridge-dev-connect-supervisor-history", "bridge-dev-kafka-1-data"]);
  });

  test("the docker provider version follows the configuration (air-gapped mirror builds)", () => {
    expect(onprem.terraform.required_providers.docker.version).toBe("3.6.2");
    const mirror = synth({ providers: { docker: "4.6.1-dev.20260916201441" } }).onprem;
    expect(mirror.terraform.required_providers.docker.version).toBe("4.6.1-dev.20260916201441");
  });
});

describe("bridge stack, local target", () => {
  const { bridge } = synth();

  test("a SASL_SSL cloud Kafka, Azurite and the lake sink", () => {
    const names = values(bridge, "docker_container").map((c) => c.name).sort();
    expect(names).toEqual(["bridge-dev-azurite", "bridge-dev-kafka-cloud-1", "bridge-dev-lake-sink"]);
    const cloud = env(values(bridge, "docker_container").find((c) => c.name === "bridge-dev-kafka-cloud-1"));
    expect(cloud.KAFKA_CFG_LISTENERS).toBe("SASL_SSL://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093");
    expect(cloud.KAFKA_CFG_SASL_ENABLED_MECHANISMS).toBe("PLAIN");
  });

  test("MirrorMaker 2 connectors on the on-prem Connect, names preserved, credentials by file", () => {
    for (const n of ["dc01-mm2-source", "dc01-mm2-checkpoint", "dc01-mm2-heartbeat"]) expect(connector(bridge, n)).toBeDefined();
    const src = connector(bridge, "dc01-mm2-source");
    expect(src.config["replication.policy.class"]).toBe("org.apache.kafka.connect.mirror.IdentityReplicationPolicy");
    expect(src.config["producer.override.bootstrap.servers"]).toBe("127.0.0.1:29092");
    expect(src.config["target.cluster.sasl.jaas.config"]).toContain("$${file:/run/secrets/connect/cloud.properties:password}");
    expect(bridge.provider["kafka-connect"]).toEqual([{ alias: "replication-connect", url: "http://127.0.0.1:18083" }]);
    expect(src.provider).toBe("kafka-connect.replication-connect");
  });

  test("no sensitive variable is needed locally: credentials are files mounted at run time", () => {
    expect(bridge.variable).toBeUndefined();
  });
});

describe("bridge stack, event-hubs target", () => {
  const { bridge, raw } = synth(TARGET_CONFIGS["event-hubs"]);

  test("no local containers; the connection string is a sensitive variable", () => {
    expect(values(bridge, "docker_container")).toEqual([]);
    expect(bridge.variable.event_hubs_connection_string).toMatchObject({ type: "string", sensitive: true, nullable: false });
  });

  test("MirrorMaker 2 settings Event Hubs needs", () => {
    const src = connector(bridge, "dc01-mm2-source");
    expect(src.config["producer.override.bootstrap.servers"]).toMatch(/^evhns-bridge-dev-[a-z0-9]{6}\.servicebus\.windows\.net:9093$/);
    expect(src.config).toMatchObject({
      "sync.topic.configs.enabled": "false",
      "sync.topic.acls.enabled": "false",
      "producer.override.enable.idempotence": "false",
      "producer.override.compression.type": "none",
    });
    // The JAAS configs carry the secret: only in the sensitive map, as a variable reference.
    expect(src.config["target.cluster.sasl.jaas.config"]).toBeUndefined();
    expect(src.config_sensitive["target.cluster.sasl.jaas.config"]).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="$ConnectionString" password="${var.event_hubs_connection_string}";',
    );
  });

  test("no secret literal is synthesized", () => {
    expect(raw).not.toMatch(/SharedAccessKey=/);
  });
});

describe("bridge stack, confluent-cloud target", () => {
  const { bridge, raw } = synth({
    target: "confluent-cloud",
    confluentCloud: { bootstrapServers: "pkc-12345.westeurope.azure.confluent.cloud:9092", environmentId: "env-abc12", clusterId: "lkc-xyz34" },
    credentials: CONFLUENT_CREDENTIALS,
    azure: { storageAccount: { sharedKeyAccess: true }, network: OPEN_NETWORK["confluent-cloud"] },
  });

  test("every credential is a sensitive variable", () => {
    for (const name of Object.values(CONFLUENT_CREDENTIALS)) expect(bridge.variable[name]).toMatchObject({ sensitive: true });
  });

  test("replication to the cluster with API key/secret in the sensitive map", () => {
    const src = connector(bridge, "dc01-mm2-source");
    expect(src.config["producer.override.bootstrap.servers"]).toBe("pkc-12345.westeurope.azure.confluent.cloud:9092");
    expect(src.config["producer.override.compression.type"]).toBe("lz4");
    expect(src.config_sensitive["producer.override.sasl.jaas.config"]).toContain('username="${var.confluent_api_key}" password="${var.confluent_api_secret}"');
  });

  test("the managed ADLS Gen2 sink is a connector of Confluent Cloud's Connect API", () => {
    const sink = connector(bridge, "dc01-adls-gen2-sink");
    expect(sink.provider).toBe("kafka-connect.confluent-cloud");
    expect(sink.config).toMatchObject({ "connector.class": "AzureDataLakeGen2Sink", topics: "dc01_sales_order_details,dc01_bridge_latency_probe", "input.data.format": "JSON" });
    expect(sink.config["azure.datalake.gen2.account.name"]).toMatch(/^bridgelake[a-z0-9]{6}$/);
    expect(sink.config_sensitive).toEqual({
      "kafka.api.key": "${var.confluent_api_key}",
      "kafka.api.secret": "${var.confluent_api_secret}",
      "azure.datalake.gen2.access.key": "${var.lake_access_key}",
    });
    const provider = bridge.provider["kafka-connect"].find((p: TfJson) => p.alias === "confluent-cloud");
    expect(provider.url).toBe("https://api.confluent.cloud/connect/v1/environments/env-abc12/clusters/lkc-xyz34");
    expect(provider.basic_auth_password).toBe("${var.confluent_cloud_api_secret}");
  });

  test("no secret literal is synthesized", () => {
    expect(raw).not.toMatch(/api\.key": "[^$]/);
  });
});
