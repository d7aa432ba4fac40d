package io.bridgetoazure.stock;

/** Which table a CDC line comes from, and which way its quantity moves the stock on hand. */
public enum LineKind {
  /** purchase_order_details: goods received, stock goes up by the quantity. */
  PURCHASE("purchase_order_details", 1),
  /** sales_order_details: goods sold, stock goes down by the quantity. */
  SALES("sales_order_details", -1);

  public final String table;
  /** +1 or −1: the stock change per unit of the line's quantity. */
  public final int sign;

  LineKind(String table, int sign) {
    this.table = table;
    this.sign = sign;
  }
}
