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
