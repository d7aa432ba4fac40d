package io.bridgetoazure.stock;

import java.util.Optional;

/**
 * The pure rule of the second stage: a product's stock on hand at a site (received purchase quantities
 * minus sold quantities) and when it sold out.
 *
 * An event is due exactly when the stock crosses from above zero to zero or below. While it stays at
 * or below zero, further sales raise nothing; a restock above zero re-arms it, so the next sell-out
 * raises the next event. A product that was never in stock (a sale seen before any purchase, e.g. the
 * sales topic read ahead of the purchases one at start-up) did not "sell out" and raises nothing.
 */
public final class StockLedger {
  private StockLedger() {}

  /** @param stock the new stock on hand; @param event the event due, if any */
  public record Outcome(long stock, Optional<OutOfStockEvent> event) {}

  /**
   * @param prior stock on hand before (0 for a product never seen)
   * @param d     the change
   */
  public static Outcome apply(long prior, ProductDelta d) {
    long next = Math.addExact(prior, d.delta());
    if (prior > 0 && next <= 0) {
      int onHand = (int) Math.max(Integer.MIN_VALUE, next);
      return new Outcome(next, Optional.of(new OutOfStockEvent(d.site(), d.productId(), onHand, d.sourceTsMs())));
    }
    return new Outcome(next, Optional.empty());
  }
}
