import {
  BINLOG_HEARTBEAT_INTERVAL_MS,
  BINLOG_KEEPALIVE_INTERVAL_MS,
  CAPTURE_STALL_AFTER_MS,
  CHECKPOINT_EMIT_INTERVAL_SECONDS,
  cdcTopic,
  confluentAdlsSinkConfig, debeziumSourceConfig, fileSecret, mirrorMaker2Configs, replicatorConfig, splitSensitive, topicsRegex } from "../connectors";
import { TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS } from "../constructs/onprem/connect-cluster";

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
    expect(mm2.source["connector.class"]).toBe("org.apache.kafka.connect.mirror.MirrorSourceConnector");
    expect(mm2.checkpoint["connector.class"]).toBe("org.apache.kafka.connect.mirror.MirrorCheckpointConnector");
    expect(mm2.heartbeat["connector.class"]).toBe("org.apache.kafka.connect.mirror.MirrorHeartbeatConnector");
  });

  test("topic names are preserved and matched exactly", () => {
    expect(mm2.source["replication.policy.class"]).toBe("org.apache.kafka.connect.mirror.IdentityReplicationPolicy");
    const re = new RegExp(`^(?:${mm2.source.topics})$`);
    expect(re.test("dc01_sales_order_details")).toBe(true);
    expect(re.test("dc01_sales_order_detailsX")).toBe(false);
  });

  test("records are produced to the cloud over SASL_SSL with file-provided credentials", () => {
    expect(mm2.source["producer.override.bootstrap.servers"]).toBe("127.0.0.1:29092");
    expect(mm2.source["producer.override.security.protocol"]).toBe("SASL_SSL");
    expect(mm2.source["target.cluster.sasl.mechanism"]).toBe("PLAIN");
    expect(mm2.source["target.cluster.sasl.jaas.config"]).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="${file:/run/secrets/connect/cloud.properties:username}" password="${file:/run/secrets/connect/cloud.properties:password}";',
    );
    expect(mm2.source["target.cluster.ssl.truststore.type"]).toBe("PEM");
    expect(mm2.source["producer.override.acks"]).toBe("all");
    // The local lake sink (kafkajs) cannot read lz4 batches.
    expect(mm2.source["producer.override.compression.type"]).toBe("none");
  });

  test("the checkpoint task's poll ends well within the worker's graceful-stop timeout (no 'Graceful stop … failed')", () => {
    expect(mm2.checkpoint["emit.checkpoints.interval.seconds"]).toBe(String(CHECKPOINT_EMIT_INTERVAL_SECONDS));
    expect(2 * CHECKPOINT_EMIT_INTERVAL_SECONDS * 1000).toBeLessThanOrEqual(TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS);
  });

  test("no ACL sync anywhere", () => {
    expect(mm2.source["sync.topic.acls.enabled"]).toBe("false");
  });

  test("Event Hubs target: no topic-config sync, no idempotence or compression", () => {
    const eh = mirrorMaker2Configs({
      sourceBootstrap: "127.0.0.1:19092",
      target: { bootstrapServers: "ns.servicebus.windows.net:9093", credentials: { username: "$ConnectionString", password: "${var.eh}" } },
      cloudKind: "event-hubs",
      topics: ["dc01_sales_order_details"],
    });
    expect(eh.source["sync.topic.configs.enabled"]).toBe("false");
    expect(eh.source["producer.override.enable.idempotence"]).toBe("false");
    expect(eh.source["producer.override.compression.type"]).toBe("none");
    expect(eh.source["target.cluster.ssl.truststore.location"]).toBeUndefined(); // public CA
    // Inline credentials are split off into the sensitive map; file references stay visible.
    const split = splitSensitive(eh.source);
    expect(Object.keys(split.sensitive).sort()).toEqual(["producer.override.sasl.jaas.config", "target.cluster.sasl.jaas.config"]);
    expect(split.sensitive["target.cluster.sasl.jaas.config"]).toContain('username="$ConnectionString" password="${var.eh}"');
    expect(JSON.stringify(split.config)).not.toContain("var.eh");
    expect(splitSensitive(mm2.source).sensitive).toEqual({});
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
    expect(r["topic.regex"]).toBe("dc[0-9][0-9]_.*");
    expect(r["topic.blacklist"]).toBe("dc01_out_of_stock_events");
    expect(r["topic.config.sync"]).toBe("false");
    expect(r["topic.rename.format"]).toBe("${topic}");
    expect(r["tasks.max"]).toBe("1");
  });
  test("destination over SASL_SSL/PLAIN, license and credentials by reference", () => {
    expect(r["dest.kafka.security.protocol"]).toBe("SASL_SSL");
    expect(r["confluent.license"]).toBe("${file:/run/secrets/connect/replicator.properties:license}");
    expect(JSON.stringify(r)).not.toMatch(/password="[^$]/);
  });
});

describe("confluent cloud ADLS Gen2 sink", () => {
  test("managed connector class, JSON in and out, no secret in the visible half", () => {
    const c = confluentAdlsSinkConfig({ topics: ["dc01_sales_order_details"], accountName: "bridgelake1a2b3c" });
    expect(c).toMatchObject({
      "connector.class": "AzureDataLakeGen2Sink",
      topics: "dc01_sales_order_details",
      "input.data.format": "JSON",
      "azure.datalake.gen2.account.name": "bridgelake1a2b3c",
    });
    expect(Object.keys(c).some((k) => /secret|access\.key|api\.key/.test(k))).toBe(false);
    expect(() => confluentAdlsSinkConfig({ topics: [], accountName: "x" })).toThrow("topics must not be empty");
  });
});
