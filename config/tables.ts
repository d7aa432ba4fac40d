/** Tables of the orders schema captured by default (all but the out-of-stock scratch table). */
export const DEFAULT_CDC_TABLES: readonly string[] = [
  "customers",
  "products",
  "suppliers",
  "sales_orders",
  "sales_order_details",
  "purchase_orders",
  "purchase_order_details",
];

/**
 * The order-line tables the stock processor of the way back computes stock on hand from
 * (services/stock-processor: purchases received − sales): captured and replicated when `writeBack.enabled`.
 */
export const ORDER_LINE_TABLES = ["sales_order_details", "purchase_order_details"] as const;

/**
 * The latency probe: one row that Debezium itself updates at each heartbeat (heartbeat.action.query,
 * connectors/debezium.ts) with the database's clock at microsecond precision. MariaDB's binlog stamps
 * events in whole seconds, so a change's source.ts_ms cannot time a hop below a second; the probe row's
 * `committed_at` can. Created by images/mariadb/initdb/01-schema.sql (test/latency-probe.test.ts holds
 * the two together); captured and replicated like the order tables, and landed like them. Its record's
 * shape is the service kit's (every reader of a hop uses it).
 */
export { LATENCY_PROBE_TABLE } from "@bridge-to-azure/service-kit";

/**
 * A data centre's out-of-stock events table, also the name of its events topic on both clusters
 * (services/stock-processor writes the topic, connectors/jdbc-sink.ts writes the topic into the table).
 */
export function outOfStockTable(dc: string): string {
  return `${dc}_out_of_stock_events`;
}

/** Every table of the orders schema for a data centre (the out-of-stock table carries its id). */
export function ordersTables(dc: string): readonly string[] {
  return [...DEFAULT_CDC_TABLES, outOfStockTable(dc)];
}
