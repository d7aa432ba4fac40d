package io.bridgetoazure.stock;

/**
 * A product sold out at a site: one row of the site's {@code <site>_out_of_stock_events} table
 * (images/mariadb/initdb/01-schema.sql: product_id, event_time, quantity_on_hand; id is the table's own).
 *
 * @param site           data-centre id; the event goes to topic {@code <site>_out_of_stock_events}
 * @param productId      the product (the record key: one pending event per product)
 * @param quantityOnHand stock after the sale that sold it out (≤ 0), clamped to the column's INT range
 * @param eventTimeMs    commit time of that sale in the site database, epoch ms (deterministic: a
 *                       recomputation gives the same row)
 */
public record OutOfStockEvent(String site, int productId, int quantityOnHand, long eventTimeMs) {
  public static final String TOPIC_SUFFIX = "_out_of_stock_events";

  public String topic() {
    return topicOf(site);
  }

  public static String topicOf(String site) {
    return site + TOPIC_SUFFIX;
  }
}
