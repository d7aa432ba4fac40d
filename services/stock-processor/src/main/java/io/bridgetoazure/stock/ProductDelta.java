package io.bridgetoazure.stock;

/**
 * A change of one product's stock on hand at one site, in units, caused by the change of a line
 * committed at {@code sourceTsMs} (the time an out-of-stock event it causes carries).
 */
public record ProductDelta(String site, int productId, long delta, long sourceTsMs) {
  /** Key of the product's stock: site and product ("dc01|7"); deltas are repartitioned by it. */
  public String stockKey() {
    return stockKey(site, productId);
  }

  public static String stockKey(String site, int productId) {
    return site + "|" + productId;
  }

  public String encode() {
    return site + "," + productId + "," + delta + "," + sourceTsMs;
  }

  public static ProductDelta decode(String s) {
    String[] p = s.split(",", 4);
    if (p.length != 4) throw new IllegalArgumentException("not an encoded product delta: " + s);
    return new ProductDelta(p[0], Integer.parseInt(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]));
  }
}
