package io.bridgetoazure.stock;

/** Test data: flattened Debezium changes as connectors/debezium.ts produces them. */
final class Changes {
  private Changes() {}

  static SourceVersion at(long pos) {
    return new SourceVersion("mariadb-bin.000001", pos, false, 0);
  }

  static LineChange change(LineKind kind, long id, int product, int qty, char op, long pos) {
    return new LineChange("dc01", kind, id, product, qty, op, op == 'r' ? new SourceVersion("mariadb-bin.000001", pos, true, 0) : at(pos), 1_700_000_000_000L + pos);
  }

  /** The JSON value of a line change (schemas disabled), with sourcedc. */
  static String json(String table, long id, int product, int qty, String op, long pos, String sourcedc) {
    String parent = table.startsWith("purchase") ? "purchase_order_id" : "sales_order_id";
    String money = table.startsWith("purchase") ? "cost" : "price";
    return "{\"id\":" + id + ",\"" + parent + "\":1,\"product_id\":" + product + ",\"quantity\":" + qty + ",\"" + money + "\":12.50"
        + ",\"__op\":\"" + op + "\",\"__source_ts_ms\":" + (1_700_000_000_000L + pos) + ",\"__source_file\":\"mariadb-bin.000001\",\"__source_pos\":" + pos
        + ",\"__source_row\":0,\"__deleted\":\"" + op.equals("d") + "\"" + (sourcedc == null ? "" : ",\"sourcedc\":\"" + sourcedc + "\"") + "}";
  }
}
