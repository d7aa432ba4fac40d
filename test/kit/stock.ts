/**
 * A site database's stock, as the simulator and the stock processor count it, and a controlled sell-out:
 * what the write-back tests do at a site (test/integration/write-back.test.ts, sites.test.ts).
 */
import { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";

/** Stock on hand at the site: purchases received − sales. */
export async function stockOf(conn: Connection, product: number): Promise<number> {
  const [[row]] = await conn.query<RowDataPacket[]>(
    "SELECT (SELECT COALESCE(SUM(quantity), 0) FROM purchase_order_details WHERE product_id = ?) - (SELECT COALESCE(SUM(quantity), 0) FROM sales_order_details WHERE product_id = ?) AS stock",
    [product, product],
  );
  return Number(row.stock);
}

/**
 * Sells `product` out: one order of two lines, most of the stock then the rest (the second crosses to 0),
 * then a later order of 2 more (sold out already: it must not raise a second event). Needs stock > 1.
 */
export async function sellOut(conn: Connection, product: number): Promise<void> {
  const stock = await stockOf(conn, product);
  if (stock <= 1) throw new Error(`sellOut: product ${product} has ${stock} in stock — needs more than 1 to sell out in two lines`);
  const [order] = await conn.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 3)");
  await conn.execute("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, ?, ?, 9.99)", [order.insertId, product, stock - 1]);
  await conn.execute("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, ?, 1, 9.99)", [order.insertId, product]);
  const [later] = await conn.execute<ResultSetHeader>("INSERT INTO sales_orders (order_date, customer_id) VALUES (NOW(3), 4)");
  await conn.execute("INSERT INTO sales_order_details (sales_order_id, product_id, quantity, price) VALUES (?, ?, 2, 9.99)", [later.insertId, product]);
}

/** The rows of a site's out-of-stock events table (`dcNN_out_of_stock_events`). */
export async function eventRows(conn: Connection, table: string): Promise<Array<{ product: number; onHand: number }>> {
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT product_id, quantity_on_hand FROM \`${table}\``);
  return rows.map((r) => ({ product: Number(r.product_id), onHand: Number(r.quantity_on_hand) }));
}
