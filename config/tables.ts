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

/** Every table of the orders schema for a data centre (the out-of-stock table carries its id). */
export function ordersTables(dc: string): readonly string[] {
  return [...DEFAULT_CDC_TABLES, `${dc}_out_of_stock_events`];
}
