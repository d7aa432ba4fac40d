import { outOfStockTable } from "../config/tables";
import { fileSecret } from "./types";

/**
 * The database user of the write-back (the image's default, images/mariadb/entrypoint.sh
 * MARIADB_SINK_USER): SELECT, INSERT, UPDATE on the site's out-of-stock table and nothing else.
 */
export const WRITE_BACK_DB_USER = "oos_sink";

export interface JdbcSinkOptions {
  /** Server of the site database: picks the JDBC driver (each server's own: MariaDB Connector/J, MySQL Connector/J). */
  readonly flavour: "mariadb" | "mysql";
  /** Data-centre id of the site ("dc01"): its events topic and table, `<dc>_out_of_stock_events`. */
  readonly dc: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  /** Schema of the site's tables. */
  readonly database: string;
  /** @default WRITE_BACK_DB_USER */
  readonly user?: string;
  /** Properties file in the Connect container with `password=` (CONNECT_SECRETS.files.sinkDb.path). */
  readonly passwordFile: string;
  /** Connection pool of the task: the events are few. @default 1 */
  readonly poolMaxSize?: number;
}

type JsonConverter = "org.apache.kafka.connect.json.JsonConverter";

/** Debezium's JDBC sink as configured here. The password is a file reference, never a secret value. */
export type JdbcSinkConfig = {
  readonly "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector";
  readonly "tasks.max": "1";
  readonly topics: string;
  readonly "connection.url": string;
  readonly "connection.username": string;
  readonly "connection.password": string;
  readonly "connection.pool.min_size": string;
  readonly "connection.pool.max_size": string;
  readonly "connection.restart.on.errors": string;
  readonly "insert.mode": "upsert";
  readonly "primary.key.mode": "record_key";
  readonly "primary.key.fields": string;
  readonly "delete.enabled": "false";
  readonly "truncate.enabled": "false";
  readonly "schema.evolution": "none";
  readonly "collection.name.format": string;
  readonly "quote.identifiers": string;
  readonly "use.time.zone": string;
  readonly "batch.size": string;
  readonly "key.converter": JsonConverter;
  readonly "key.converter.schemas.enable": "true";
  readonly "value.converter": JsonConverter;
  readonly "value.converter.schemas.enable": "true";
  readonly "errors.retry.timeout": string;
  readonly "errors.retry.delay.max.ms": string;
  readonly "errors.tolerance": "none";
};

const JDBC_SCHEME = { mariadb: "mariadb", mysql: "mysql" } as const;

/**
 * Debezium JDBC sink of the way back: the site's `<dc>_out_of_stock_events` topic (the stock
 * processor's events, services/stock-processor, replicated from the cloud cluster) into the site's
 * table of the same name, one row per product with a pending event.
 */
export function jdbcSinkConfig(o: JdbcSinkOptions): JdbcSinkConfig {
  if (!/^dc\d{2}$/.test(o.dc)) throw new Error(`jdbcSinkConfig: dc "${o.dc}" must be "dc" followed by two digits`);
  if (!/^[A-Za-z0-9_]{1,64}$/.test(o.database)) throw new Error(`jdbcSinkConfig: database "${o.database}" must be a SQL identifier`);
  const table = outOfStockTable(o.dc);
  const poolMax = o.poolMaxSize ?? 1;
  if (!Number.isInteger(poolMax) || poolMax < 1 || poolMax > 16) throw new Error(`jdbcSinkConfig: poolMaxSize ${poolMax} must be an integer 1–16`);
  return {
    "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
    // One task: the topic is small, and one writer keeps a product's events in topic order.
    "tasks.max": "1",
    // Exactly this site's topic: never a pattern, so no site can write another site's table.
    topics: table,
    // Loopback on the on-prem host, as the CDC source; the driver is the server's own. The MariaDB
    // driver takes the database from the path.
    "connection.url": `jdbc:${JDBC_SCHEME[o.flavour]}://${o.databaseHost}:${o.databasePort}/${o.database}`,
    "connection.username": o.user ?? WRITE_BACK_DB_USER,
    // Resolved by the worker's FileConfigProvider from the Connect secrets volume, like the CDC user's.
    "connection.password": fileSecret(o.passwordFile, "password"),
    "connection.pool.min_size": "1",
    "connection.pool.max_size": String(poolMax),
    // A database restart must not fail the task for good: reconnect on connection errors.
    "connection.restart.on.errors": "true",
    // Upsert on the key: the sink delivers at least once, and a re-written event (same key, same
    // values: the stock processor's events are deterministic) must land on the row it wrote before.
    // MariaDB/MySQL: INSERT … ON DUPLICATE KEY UPDATE — it dedupes only with a unique key on product_id
    // in the table (see services/stock-processor/README.md).
    "insert.mode": "upsert",
    // The record key is {product_id}: the column the upsert matches on. The table's own id stays AUTO_INCREMENT.
    "primary.key.mode": "record_key",
    "primary.key.fields": "product_id",
    // The site clears handled events itself (its simulator raises a purchase order, then deletes the
    // row); nothing from the cloud deletes or truncates a site's rows.
    "delete.enabled": "false",
    "truncate.enabled": "false",
    // The table belongs to the site's schema (images/mariadb/initdb); the sink user has no DDL rights.
    "schema.evolution": "none",
    // Topic name = table name, the same fact on both sides (config/tables.ts outOfStockTable).
    "collection.name.format": "${topic}",
    "quote.identifiers": "false",
    // event_time is a Connect Timestamp (epoch ms, UTC) into DATETIME(3): written as UTC, like the database's own clock.
    "use.time.zone": "UTC",
    "batch.size": "500",
    // The stock processor writes Connect JSON with schemas: the sink binds columns by the schema.
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "true",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "true",
    // Retry a failing write (database down, lock timeout) for up to 10 minutes before the task fails;
    // a bad record stops the task (errors.tolerance none): a skipped event is a missed purchase order.
    "errors.retry.timeout": "600000",
    "errors.retry.delay.max.ms": "30000",
    "errors.tolerance": "none",
  };
}
