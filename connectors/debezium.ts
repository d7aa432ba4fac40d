import { fileSecret } from "./types";

export interface DebeziumSourceOptions {
  /** "mariadb" uses Debezium's MariaDB connector, "mysql" its MySQL connector. */
  readonly flavour: "mariadb" | "mysql";
  /** Data-centre id: topic prefix and the `sourcedc` field ("dc01"). */
  readonly dc: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  /** Schema to capture. */
  readonly database: string;
  /** Tables to capture (unqualified). */
  readonly tables: readonly string[];
  readonly user: string;
  /** Properties file in the Connect container with `password=`. */
  readonly passwordFile: string;
  /** Replication client id, unique among the database's replicas. */
  readonly serverId: number;
  /** Bootstrap of the cluster that keeps the schema history. */
  readonly bootstrapServers: string;
  /** Schema history topic (infinite retention, one partition). */
  readonly schemaHistoryTopic: string;
  /** Replication factor of topics Connect creates by itself. */
  readonly replicationFactor: number;
  /** Partitions of topics Connect creates by itself. @default 1 */
  readonly partitions?: number;
  /** Heartbeat interval: moves offsets on a quiet database so the binlog position stays fresh. @default 10000, 1000 with a latency probe */
  readonly heartbeatIntervalMs?: number;
  /**
   * Table of the latency probe (config/tables.ts LATENCY_PROBE_TABLE), one of `tables`: each heartbeat
   * updates its row with the database clock in µs, which then travels every hop like an order.
   * @default no probe
   */
  readonly latencyProbeTable?: string;
}

/**
 * How often the binlog client's keep-alive thread checks its connection (`connect.keep.alive.interval.ms`).
 * Debezium 3.5 asks the database for a binlog heartbeat every 0.8 × this (BINLOG_HEARTBEAT_FACTOR) and the
 * keep-alive thread reconnects when no binlog event — heartbeats included — arrived for longer than this.
 * When the database restarts, the server just closes the replication socket: the client marks itself
 * disconnected (streaming metric Connected = false) but raises no error, the task stays RUNNING, and only
 * the keep-alive thread reconnects, on its first check that finds the last event older than this. So
 * capture resumes at most max(K, 2K − outage) after the database accepts connections again (K = this):
 * the default 60 s gave the ~100 s stall that was observed; 5 s gives ≤ 10 s (goal: 15 s).
 */
export const BINLOG_KEEPALIVE_INTERVAL_MS = 5000;

/** Debezium 3.5 (BinlogStreamingChangeEventSource.heartbeatIntervalFactor): binlog heartbeat = 0.8 × keep-alive interval. */
export const BINLOG_HEARTBEAT_FACTOR = 0.8;

/** Period at which the database sends a binlog heartbeat event to Debezium's binlog client on a quiet binlog. */
export const BINLOG_HEARTBEAT_INTERVAL_MS = BINLOG_KEEPALIVE_INTERVAL_MS * BINLOG_HEARTBEAT_FACTOR;

/**
 * Capture counts as stalled when a streaming task has seen no binlog event (row change or heartbeat) for
 * longer than this. On a healthy quiet database the gap is at most one heartbeat interval (the metric
 * MilliSecondsSinceLastEvent counts whole seconds); twice the interval leaves a full interval of slack
 * for a late heartbeat on a busy machine, so a quiet database never flaps.
 */
export const CAPTURE_STALL_AFTER_MS = 2 * BINLOG_HEARTBEAT_INTERVAL_MS;

const CONNECTOR_CLASS = {
  mariadb: "io.debezium.connector.mariadb.MariaDbConnector",
  mysql: "io.debezium.connector.mysql.MySqlConnector",
} as const;

type JsonConverter = "org.apache.kafka.connect.json.JsonConverter";

/** Debezium's MariaDB or MySQL binlog source, as configured here. The password is a file reference, never a secret value. */
export type DebeziumSourceConfig = {
  readonly "connector.class": (typeof CONNECTOR_CLASS)[DebeziumSourceOptions["flavour"]];
  readonly "tasks.max": "1";
  readonly "database.hostname": string;
  readonly "database.port": string;
  readonly "database.user": string;
  readonly "database.password": string;
  readonly "database.server.id": string;
  readonly "database.ssl.mode": "disable" | "disabled";
  readonly "topic.prefix": string;
  readonly "database.include.list": string;
  readonly "table.include.list": string;
  readonly "snapshot.mode": string;
  readonly "schema.history.internal.kafka.bootstrap.servers": string;
  readonly "schema.history.internal.kafka.topic": string;
  readonly "schema.history.internal.store.only.captured.tables.ddl": string;
  readonly "include.schema.changes": string;
  readonly "decimal.handling.mode": string;
  readonly "time.precision.mode": string;
  readonly "heartbeat.interval.ms": string;
  readonly "heartbeat.action.query"?: string;
  readonly "connect.keep.alive": string;
  readonly "connect.keep.alive.interval.ms": string;
  readonly "connect.timeout.ms": string;
  readonly "poll.interval.ms": string;
  readonly "errors.max.retries": string;
  readonly "key.converter": JsonConverter;
  readonly "key.converter.schemas.enable": string;
  readonly "value.converter": JsonConverter;
  readonly "value.converter.schemas.enable": string;
  readonly "value.converter.decimal.format": "NUMERIC" | "BASE64";
  readonly "topic.creation.default.replication.factor": string;
  readonly "topic.creation.default.partitions": string;
  readonly transforms: string;
  readonly "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState";
  readonly "transforms.unwrap.delete.tombstone.handling.mode": string;
  readonly "transforms.unwrap.add.fields": string;
  readonly "transforms.sourcedc.type": "org.apache.kafka.connect.transforms.InsertField$Value";
  readonly "transforms.sourcedc.static.field": string;
  readonly "transforms.sourcedc.static.value": string;
  readonly "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter";
  readonly "transforms.route.regex": string;
  readonly "transforms.route.replacement": string;
  readonly "transforms.key.type": "org.apache.kafka.connect.transforms.ExtractField$Key";
  readonly "transforms.key.field": string;
  readonly "transforms.key.predicate": string;
  readonly "transforms.key.negate": string;
  readonly predicates: string;
  readonly "predicates.heartbeat.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches";
  readonly "predicates.heartbeat.pattern": string;
};

/** The CDC topic of a table: "<dc>_<table>", like the workshop's dc01_sales_order_details. */
export function cdcTopic(dc: string, table: string): string {
  return `${dc}_${table}`;
}

/**
 * Debezium binlog source: initial snapshot then streaming, flattened rows
 * (JSON without schemas) keyed by the row id, with a `sourcedc` field and
 * the change's operation and binlog position (what the lake uses to drop
 * re-delivered records).
 */
export function debeziumSourceConfig(o: DebeziumSourceOptions): DebeziumSourceConfig {
  if (o.tables.length === 0) throw new Error("debeziumSourceConfig: tables must not be empty");
  const probe = o.latencyProbeTable;
  if (probe !== undefined && !o.tables.includes(probe)) throw new Error(`debeziumSourceConfig: latencyProbeTable "${probe}" must be one of tables`);
  return {
    "connector.class": CONNECTOR_CLASS[o.flavour],
    "tasks.max": "1", // A binlog reader is single-task by design.
    "database.hostname": o.databaseHost,
    "database.port": String(o.databasePort),
    "database.user": o.user,
    "database.password": fileSecret(o.passwordFile, "password"),
    "database.server.id": String(o.serverId),
    // Loopback on the on-prem host; the two connectors spell "off" differently.
    "database.ssl.mode": o.flavour === "mariadb" ? "disable" : "disabled",
    "topic.prefix": o.dc,
    "database.include.list": o.database,
    // A list of regexes: escape the dots so "orders.sales_orders" cannot match "ordersXsales_orders".
    "table.include.list": o.tables.map((t) => `${escapeRegex(o.database)}\\.${escapeRegex(t)}`).join(","),
    // Snapshot when there is no usable offset (first start, or binlog purged), else stream.
    "snapshot.mode": "when_needed",
    "schema.history.internal.kafka.bootstrap.servers": o.bootstrapServers,
    "schema.history.internal.kafka.topic": o.schemaHistoryTopic,
    "schema.history.internal.store.only.captured.tables.ddl": "true",
    "include.schema.changes": "false",
    // DECIMAL stays exact (BigDecimal) and the JSON converter writes it as a
    // plain number (decimal.format NUMERIC) — not base64 bytes, not a lossy double.
    "decimal.handling.mode": "precise",
    // DATETIME(4–6) as epoch µs ("connect" truncates every DATETIME to ms); DATETIME(0–3) stays epoch ms.
    "time.precision.mode": "adaptive_time_microseconds",
    "heartbeat.interval.ms": String(o.heartbeatIntervalMs ?? (probe ? 1000 : 10000)),
    ...(probe
      ? {
          // Debezium runs this on its own connection when a heartbeat is due (checked at each binlog event,
          // so about every second under load and at each binlog heartbeat when quiet). NOW(6) is the
          // statement's time and the statement autocommits: the row's committed_at is its commit time to
          // within the commit's own duration, in µs where the binlog event header has whole seconds.
          // A failing write (database restarting) is logged by DatabaseHeartbeatImpl and retried at the
          // next heartbeat: the task stays RUNNING (seen: "Could not execute heartbeat action (Error: 08000)").
          "heartbeat.action.query": `INSERT INTO ${o.database}.${probe} (id, seq, committed_at) VALUES (1, 1, NOW(6)) ON DUPLICATE KEY UPDATE seq = seq + 1, committed_at = NOW(6)`,
        }
      : {}),
    // Reconnect the binlog client within seconds of a database restart, not minutes (see BINLOG_KEEPALIVE_INTERVAL_MS).
    "connect.keep.alive": "true",
    "connect.keep.alive.interval.ms": String(BINLOG_KEEPALIVE_INTERVAL_MS),
    // A reconnect attempt blocks the keep-alive thread for up to this long; the database is on loopback,
    // where a connect either succeeds or is refused at once (default 30 s would outlast the 15 s goal).
    "connect.timeout.ms": "5000",
    // Hand changes to Connect every 100 ms instead of 500 ms: the default alone puts p99 capture latency near 0.5 s.
    "poll.interval.ms": "100",
    "errors.max.retries": "-1",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "false",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "value.converter.decimal.format": "NUMERIC",
    "topic.creation.default.replication.factor": String(o.replicationFactor),
    "topic.creation.default.partitions": String(o.partitions ?? 1),
    transforms: "unwrap,sourcedc,route,key",
    "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
    // Deletes arrive as the deleted row with __deleted=true, plus a tombstone for compaction.
    "transforms.unwrap.delete.tombstone.handling.mode": "rewrite-with-tombstone",
    "transforms.unwrap.add.fields": "op,source.ts_ms,source.file,source.pos,source.row",
    "transforms.sourcedc.type": "org.apache.kafka.connect.transforms.InsertField$Value",
    "transforms.sourcedc.static.field": "sourcedc",
    "transforms.sourcedc.static.value": o.dc,
    // "<dc>.<db>.<table>" → "<dc>_<table>"; heartbeats and other topics pass unchanged.
    "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
    "transforms.route.regex": `${escapeRegex(o.dc)}\\.${escapeRegex(o.database)}\\.(.*)`,
    "transforms.route.replacement": `${o.dc}_$1`,
    "transforms.key.type": "org.apache.kafka.connect.transforms.ExtractField$Key",
    "transforms.key.field": "id",
    // Heartbeat records have no row id: leave their key alone.
    "transforms.key.predicate": "heartbeat",
    "transforms.key.negate": "true",
    predicates: "heartbeat",
    "predicates.heartbeat.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
    "predicates.heartbeat.pattern": "__debezium-heartbeat\\..*",
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
