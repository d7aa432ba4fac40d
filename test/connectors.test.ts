import {
  BINLOG_HEARTBEAT_INTERVAL_MS,
  BINLOG_KEEPALIVE_INTERVAL_MS,
  CAPTURE_STALL_AFTER_MS,
  CHECKPOINT_EMIT_INTERVAL_SECONDS,
  CLIENT_OVERRIDE_ALLOWLIST,
  MirrorSourceConfig,
  assertNoInlineCredentials,
  cdcTopic,
  clientOverrides,
  confluentAdlsSinkConfig, debeziumSourceConfig, fileSecret, mirrorMaker2Configs, providerMaps, replicatorConfig, saslSslPlainSettings, topicsRegex } from "../connectors";
import { TerraformStack, Testing } from "cdktf";
import { TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS } from "../constructs/onprem/connect-cluster";
import { Connector, KafkaConnectProvider } from "../constructs/providers/kafka-connect";

const dbz = {
  flavour: "mariadb" as const,
  dc: "dc01",
  databaseHost: "127.0.0.1",
  databasePort: 13306,
  database: "orders",
  tables: ["sales_orders", "sales_order_details"],
  user: "debezium",
  passwordFile: "/run/secrets/connect/db.properties",
  serverId: 5401,
  bootstrapServers: "127.0.0.1:19092",
  schemaHistoryTopic: "_dc01.schema-history",
  replicationFactor: 3,
};

describe("debezium source config", () => {
  const c = debeziumSourceConfig(dbz);

  test("flavour picks the connector class and its spelling of ssl off", () => {
    expect(c["database.ssl.mode"]).toBe("disable");
    expect(debeziumSourceConfig({ ...dbz, flavour: "mysql" })["database.ssl.mode"]).toBe("disabled");
    expect(c["connector.class"]).toBe("io.debezium.connector.mariadb.MariaDbConnector");
    expect(debeziumSourceConfig({ ...dbz, flavour: "mysql" })["connector.class"]).toBe("io.debezium.connector.mysql.MySqlConnector");
  });

  test("password is a config-provider reference, never a literal", () => {
    expect(c["database.password"]).toBe("${file:/run/secrets/connect/db.properties:password}");
  });

  test("captures the listed tables of the schema, snapshot then stream", () => {
    expect(c["table.include.list"]).toBe("orders\\.sales_orders,orders\\.sales_order_details");
    const [first] = c["table.include.list"].split(",").map((r) => new RegExp(`^${r}$`));
    expect(first.test("orders.sales_orders")).toBe(true);
    expect(first.test("ordersXsales_orders")).toBe(false);
    expect(c["database.include.list"]).toBe("orders");
    expect(c["snapshot.mode"]).toBe("when_needed");
  });

  test("changes are handed to Connect every 100 ms (latency floor)", () => {
    expect(c["poll.interval.ms"]).toBe("100");
  });

  test("the binlog client reconnects within seconds of a database restart (goal: capture resumes ≤ 15 s after)", () => {
    expect(c["connect.keep.alive"]).toBe("true");
    expect(c["connect.keep.alive.interval.ms"]).toBe(String(BINLOG_KEEPALIVE_INTERVAL_MS));
    // Worst case after the database accepts connections again: max(K, 2K − outage) ≤ 2K, plus one connect.
    expect(2 * BINLOG_KEEPALIVE_INTERVAL_MS + Number(c["connect.timeout.ms"])).toBeLessThanOrEqual(15000);
  });

  test("the stall bound leaves a full binlog heartbeat interval of slack and stays below the reconnect window", () => {
    expect(BINLOG_HEARTBEAT_INTERVAL_MS).toBe(0.8 * BINLOG_KEEPALIVE_INTERVAL_MS);
    expect(CAPTURE_STALL_AFTER_MS).toBeGreaterThanOrEqual(2 * BINLOG_HEARTBEAT_INTERVAL_MS);
    expect(CAPTURE_STALL_AFTER_MS).toBeLessThan(2 * BINLOG_KEEPALIVE_INTERVAL_MS);
  });

  test("DECIMAL arrives as an exact JSON number", () => {
    expect(c["decimal.handling.mode"]).toBe("precise");
    expect(c["value.converter.decimal.format"]).toBe("NUMERIC");
    expect(c["value.converter.schemas.enable"]).toBe("false");
  });

  test("topics are renamed <dc>.<db>.<table> → <dc>_<table>", () => {
    const re = new RegExp(`^${c["transforms.route.regex"]}$`);
    const replacement = c["transforms.route.replacement"].replace("$1", "$$1");
    expect("dc01.orders.sales_order_details".replace(re, replacement)).toBe("dc01_sales_order_details");
    expect(re.test("dc01xorders.sales_orders")).toBe(false); // dots are escaped
    expect(cdcTopic("dc01", "sales_order_details")).toBe("dc01_sales_order_details");
  });

  test("transform chain: unwrap, sourcedc, route, key (not on heartbeats)", () => {
    expect(c.transforms.split(",")).toEqual(["unwrap", "sourcedc", "route", "key"]);
    expect(c["transforms.sourcedc.static.value"]).toBe("dc01");
    expect(c["transforms.key.field"]).toBe("id");
    expect(c["transforms.key.negate"]).toBe("true");
    expect(new RegExp(c["predicates.heartbeat.pattern"]).test("__debezium-heartbeat.dc01")).toBe(true);
    expect(c["transforms.unwrap.add.fields"]).toContain("source.pos");
  });

  test("topics created by Connect follow the cluster's replication factor", () => {
    expect(c["topic.creation.default.replication.factor"]).toBe("3");
  });

  test("every value is a string, as Connect's REST API returns them", () => {
    for (const v of Object.values(c)) expect(typeof v).toBe("string");
  });

  test("empty table list is refused", () => {
    expect(() => debeziumSourceConfig({ ...dbz, tables: [] })).toThrow("tables must not be empty");
  });
});

describe("fileSecret", () => {
  test("builds a FileConfigProvider reference", () => {
    expect(fileSecret("/run/secrets/x.properties", "password")).toBe("${file:/run/secrets/x.properties:password}");
  });
  test("rejects relative paths and odd keys", () => {
    expect(() => fileSecret("secrets/x", "password")).toThrow('path "secrets/x" must be absolute');
    expect(() => fileSecret("/x", "pass word")).toThrow('key "pass word"');
  });
});

const target = {
  bootstrapServers: "127.0.0.1:29092",
  credentials: { file: "/run/secrets/connect/cloud.properties" },
  truststoreFile: "/run/secrets/connect/cloud-ca.pem",
};

describe("mirrormaker 2", () => {
  const mm2 = mirrorMaker2Configs({
    sourceBootstrap: "127.0.0.1:19092",
    target,
    cloudKind: "local",
    topics: ["dc01_sales_order_details"],
  });

  test("three connectors of the right classes", () => {
    expect(mm2.source.config["connector.class"]).toBe("org.apache.kafka.connect.mirror.MirrorSourceConnector");
    expect(mm2.checkpoint.config["connector.class"]).toBe("org.apache.kafka.connect.mirror.MirrorCheckpointConnector");
    expect(mm2.heartbeat.config["connector.class"]).toBe("org.apache.kafka.connect.mirror.MirrorHeartbeatConnector");
  });

  test("topic names are preserved and matched exactly", () => {
    expect(mm2.source.config["replication.policy.class"]).toBe("org.apache.kafka.connect.mirror.IdentityReplicationPolicy");
    const re = new RegExp(`^(?:${mm2.source.config.topics})$`);
    expect(re.test("dc01_sales_order_details")).toBe(true);
    expect(re.test("dc01_sales_order_detailsX")).toBe(false);
  });

  test("records are produced to the cloud over SASL_SSL with file-provided credentials", () => {
    expect(mm2.source.config["producer.override.bootstrap.servers"]).toBe("127.0.0.1:29092");
    expect(mm2.source.config["producer.override.security.protocol"]).toBe("SASL_SSL");
    expect(mm2.source.config["target.cluster.sasl.mechanism"]).toBe("PLAIN");
    expect(mm2.source.config["target.cluster.sasl.jaas.config"]).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="${file:/run/secrets/connect/cloud.properties:username}" password="${file:/run/secrets/connect/cloud.properties:password}";',
    );
    expect(mm2.source.config["target.cluster.ssl.truststore.type"]).toBe("PEM");
    expect(mm2.source.config["producer.override.acks"]).toBe("all");
    // The local lake sink (kafkajs) cannot read lz4 batches.
    expect(mm2.source.config["producer.override.compression.type"]).toBe("none");
  });

  test("the checkpoint task's poll ends well within the worker's graceful-stop timeout (no 'Graceful stop … failed')", () => {
    expect(mm2.checkpoint.config["emit.checkpoints.interval.seconds"]).toBe(String(CHECKPOINT_EMIT_INTERVAL_SECONDS));
    expect(2 * CHECKPOINT_EMIT_INTERVAL_SECONDS * 1000).toBeLessThanOrEqual(TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS);
  });

  test("topic configs are synced with message.timestamp.type, so the cloud topic stamps arrival (LogAppendTime)", () => {
    // GIVEN the local and Confluent Cloud targets WHEN MM2's source connector is configured
    for (const kind of ["local", "confluent-cloud"] as const) {
      const c = mirrorMaker2Configs({ sourceBootstrap: "127.0.0.1:19092", target, cloudKind: kind, topics: ["t"] }).source.config;
      expect(c["sync.topic.configs.enabled"]).toBe("true");
      const excluded = c["config.properties.exclude"]!.split(",").map((p) => new RegExp(`^${p}$`));
      const isExcluded = (prop: string) => excluded.some((re) => re.test(prop));
      // THEN message.timestamp.type is replicated, Kafka 4.3's other default exclusions are kept
      expect(isExcluded("message.timestamp.type")).toBe(false);
      for (const kept of ["follower.replication.throttled.replicas", "leader.replication.throttled.replicas", "message.timestamp.difference.max.ms",
        "log.message.timestamp.before.max.ms", "log.message.timestamp.after.max.ms", "unclean.leader.election.enable", "min.insync.replicas"]) {
        expect(isExcluded(kept)).toBe(true);
      }
      expect(isExcluded("retention.ms")).toBe(false);
    }
  });

  test("no ACL sync anywhere", () => {
    expect(mm2.source.config["sync.topic.acls.enabled"]).toBe("false");
  });

  test("Event Hubs target: no topic-config sync, no idempotence or compression", () => {
    const eh = mirrorMaker2Configs({
      sourceBootstrap: "127.0.0.1:19092",
      target: { bootstrapServers: "ns.servicebus.windows.net:9093", credentials: { username: "$ConnectionString", password: "${var.eh}" } },
      cloudKind: "event-hubs",
      topics: ["dc01_sales_order_details"],
    });
    expect(eh.source.config["sync.topic.configs.enabled"]).toBe("false");
    expect(eh.source.config["config.properties.exclude"]).toBeUndefined();
    expect(eh.source.config["producer.override.enable.idempotence"]).toBe("false");
    expect(eh.source.config["producer.override.compression.type"]).toBe("none");
    expect(eh.source.config["target.cluster.ssl.truststore.location"]).toBeUndefined(); // public CA
    // Inline credentials are in the sensitive map only; file references stay visible.
    for (const c of [eh.source, eh.checkpoint, eh.heartbeat]) {
      expect(Object.keys(c.sensitive)).toEqual(["target.cluster.sasl.jaas.config", "producer.override.sasl.jaas.config"]);
      expect(c.sensitive["target.cluster.sasl.jaas.config"]).toContain('username="$ConnectionString" password="${var.eh}"');
      expect(JSON.stringify(c.config)).not.toContain("var.eh");
    }
    expect(mm2.source.sensitive).toEqual({});
  });

  test("topicsRegex escapes names and appends the pattern", () => {
    expect(topicsRegex(["a.b", "c"], "dc[0-9]{2}_.*")).toBe("a\\.b|c|dc[0-9]{2}_.*");
    expect(() => topicsRegex([])).toThrow("at least one topic");
  });
});

describe("confluent replicator", () => {
  const r = replicatorConfig({
    sourceBootstrap: "127.0.0.1:19092",
    target,
    topics: [],
    topicsPattern: "dc[0-9][0-9]_.*",
    excludeTopics: ["dc01_out_of_stock_events"],
    licenseFile: "/run/secrets/connect/replicator.properties",
  });
  test("workshop semantics: regex, exclusion, no config sync, names preserved, one task", () => {
    expect(r.config["topic.regex"]).toBe("dc[0-9][0-9]_.*");
    expect(r.config["topic.blacklist"]).toBe("dc01_out_of_stock_events");
    expect(r.config["topic.config.sync"]).toBe("false");
    expect(r.config["topic.rename.format"]).toBe("${topic}");
    expect(r.config["tasks.max"]).toBe("1");
  });
  test("destination over SASL_SSL/PLAIN, license and credentials by reference", () => {
    expect(r.config["dest.kafka.security.protocol"]).toBe("SASL_SSL");
    expect(r.config["confluent.license"]).toBe("${file:/run/secrets/connect/replicator.properties:license}");
    expect(JSON.stringify(r.config)).not.toMatch(/password="[^$]/);
    expect(r.sensitive).toEqual({});
  });
});

describe("confluent cloud ADLS Gen2 sink", () => {
  const sinkCredentials = { kafkaApiKey: "${var.k}", kafkaApiSecret: "${var.s}", lakeAccessKey: "${var.a}" };
  test("managed connector class, JSON in and out, no secret in the visible half", () => {
    const c = confluentAdlsSinkConfig({ topics: ["dc01_sales_order_details"], accountName: "bridgelake1a2b3c", credentials: sinkCredentials });
    expect(c.config).toMatchObject({
      "connector.class": "AzureDataLakeGen2Sink",
      topics: "dc01_sales_order_details",
      "input.data.format": "JSON",
      "azure.datalake.gen2.account.name": "bridgelake1a2b3c",
    });
    expect(Object.keys(c.config).some((k) => /secret|access\.key|api\.key/.test(k))).toBe(false);
    expect(c.sensitive).toEqual({ "kafka.api.key": "${var.k}", "kafka.api.secret": "${var.s}", "azure.datalake.gen2.access.key": "${var.a}" });
    expect(() => confluentAdlsSinkConfig({ topics: [], accountName: "x", credentials: sinkCredentials })).toThrow("topics must not be empty");
  });
});

describe("client settings of a SASL_SSL/PLAIN cluster", () => {
  test("credentials from a file: the JAAS config is visible (it holds references only), nothing is sensitive", () => {
    const s = saslSslPlainSettings(target);
    expect(s.config["sasl.jaas.config"]).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="${file:/run/secrets/connect/cloud.properties:username}" password="${file:/run/secrets/connect/cloud.properties:password}";',
    );
    expect(s.config["ssl.truststore.location"]).toBe("/run/secrets/connect/cloud-ca.pem");
    expect(s.sensitive).toEqual({});
  });

  test("credentials given inline: the JAAS config is only in the sensitive half", () => {
    const s = saslSslPlainSettings({ bootstrapServers: "pkc.example:9092", credentials: { username: "${var.key}", password: "${var.secret}" } });
    expect(s.config).toEqual({
      "bootstrap.servers": "pkc.example:9092",
      "security.protocol": "SASL_SSL",
      "sasl.mechanism": "PLAIN",
      "ssl.endpoint.identification.algorithm": "https",
    });
    expect(s.sensitive).toEqual({ "sasl.jaas.config": 'org.apache.kafka.common.security.plain.PlainLoginModule required username="${var.key}" password="${var.secret}";' });
  });
});

/** Every replication connector, with credentials from a file and given inline. */
const inlineTarget = { bootstrapServers: "ns.servicebus.windows.net:9093", credentials: { username: "$ConnectionString", password: "${var.eh}" } };
const licenseFile = "/run/secrets/connect/replicator.properties";
const replicator = replicatorConfig({ sourceBootstrap: "127.0.0.1:19092", target, topics: ["t"], licenseFile });
const replication = [
  ...Object.values(mirrorMaker2Configs({ sourceBootstrap: "127.0.0.1:19092", target, cloudKind: "local", topics: ["t"] })),
  ...Object.values(mirrorMaker2Configs({ sourceBootstrap: "127.0.0.1:19092", target: inlineTarget, cloudKind: "event-hubs", topics: ["t"] })),
  replicator,
  replicatorConfig({ sourceBootstrap: "127.0.0.1:19092", target: inlineTarget, topics: ["t"], licenseFile }),
];

describe("client overrides follow the worker's allow-list", () => {
  test("every override a replication connector sets, visible or sensitive, is on the allow-list", () => {
    const keys = replication.flatMap((c) => [...Object.keys(c.config), ...Object.keys(c.sensitive)]);
    const overrides = keys.filter((k) => /^(producer|consumer|admin)\.override\./.test(k));
    expect(overrides).toContain("producer.override.sasl.jaas.config");
    for (const key of overrides) expect(CLIENT_OVERRIDE_ALLOWLIST).toContain(key.replace(/^[a-z]+\.override\./, ""));
  });

  test("a setting the worker does not allow is refused at run time too, by name", () => {
    expect(() =>
      // @ts-expect-error "ssl.keystore.location" is not on CLIENT_OVERRIDE_ALLOWLIST
      clientOverrides("producer", { config: { "ssl.keystore.location": "/x.p12" }, sensitive: {} }),
    ).toThrow('"producer.override.ssl.keystore.location" is not on the worker\'s allow-list');
  });

  test("a key outside a connector's key set or the allow-list does not compile (tsc fails on an unused @ts-expect-error)", () => {
    const accept = <T>(config: T): T => config;
    // @ts-expect-error override of a setting the worker does not allow
    accept<Partial<MirrorSourceConfig>>({ "producer.override.max.block.ms": "1000" });
    // @ts-expect-error misspelt override prefix
    accept<Partial<MirrorSourceConfig>>({ "producer.overide.acks": "all" });
    // @ts-expect-error misspelt key read from a typed config
    expect(debeziumSourceConfig(dbz)["poll.intervall.ms"]).toBeUndefined();
    // @ts-expect-error a MirrorMaker 2 key read from Replicator's config
    expect(replicator.config["target.cluster.alias"]).toBeUndefined();
    // The same lines, spelt right, compile.
    expect(accept<Partial<MirrorSourceConfig>>({ "producer.override.acks": "all" })).toEqual({ "producer.override.acks": "all" });
    expect(debeziumSourceConfig(dbz)["poll.interval.ms"]).toBe("100");
  });
});

describe("what reaches the kafka-connect provider", () => {
  test("a credential inline in the visible config is refused, by key and without its value", () => {
    const jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="hunter2";';
    const refused = () => assertNoInlineCredentials("Connector x", { "target.cluster.sasl.jaas.config": jaas });
    expect(refused).toThrow('Connector x: config key "target.cluster.sasl.jaas.config" holds a credential inline');
    expect(refused).not.toThrow("hunter2");
    expect(() => assertNoInlineCredentials("Connector x", { "kafka.api.secret": "${var.s}" })).toThrow('"kafka.api.secret"');
  });

  test("what the builders put in the visible config passes: file references are no credential in the clear", () => {
    for (const c of [...replication, { config: debeziumSourceConfig(dbz), sensitive: {} }]) {
      expect(() => assertNoInlineCredentials("Connector x", providerMaps("Connector x", c).config)).not.toThrow();
    }
  });

  test("an optional key holding undefined is refused by name", () => {
    expect(() => providerMaps("Connector x", { config: { "topic.blacklist": undefined }, sensitive: {} })).toThrow('Connector x config: key "topic.blacklist" is undefined');
  });

  test("the Connector resource refuses an inline credential in config", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const provider = new KafkaConnectProvider(stack, "connect", { url: "http://127.0.0.1:18083" });
    const jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";';
    expect(() => new Connector(stack, "c", { provider, name: "c", config: { "producer.override.sasl.jaas.config": jaas } })).toThrow(
      'Connector c: config key "producer.override.sasl.jaas.config" holds a credential inline',
    );
  });
});
