package io.bridgetoazure.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StockLedgerTest {
  /** Applies the deltas in order from stock 0; returns the events raised. */
  private static List<OutOfStockEvent> run(long... deltas) {
    long stock = 0;
    List<OutOfStockEvent> events = new ArrayList<>();
    long t = 0;
    for (long d : deltas) {
      var o = StockLedger.apply(stock, new ProductDelta("dc02", 5, d, ++t));
      stock = o.stock();
      o.event().ifPresent(events::add);
    }
    return events;
  }

  @Test
  void givenStock10_whenSalesTakeItTo0_thenOneEventWithOnHand0AndTheSellingSalesTime() {
    var events = run(10, -4, -6);
    assertEquals(List.of(new OutOfStockEvent("dc02", 5, 0, 3)), events);
  }

  @Test
  void givenSoldOut_whenMoreSalesFollow_thenNoSecondEvent() {
    assertEquals(1, run(10, -12, -3, -1).size());
    assertEquals(-2, run(10, -12).get(0).quantityOnHand());
  }

  @Test
  void givenSoldOut_whenRestockedAboveZeroAndSoldOutAgain_thenASecondEvent() {
    var events = run(10, -10, 5, -5);
    assertEquals(2, events.size());
    assertEquals(4, events.get(1).eventTimeMs());
  }

  @Test
  void givenSoldOut_whenRestockedOnlyTo0_thenTheNextSaleRaisesNothing() {
    assertEquals(1, run(10, -15, 5, -1).size());
  }

  @Test
  void givenNeverStockedProduct_whenSold_thenNoEvent() {
    assertTrue(run(-3, -1).isEmpty());
  }

  @Test
  void givenStockAboveIntRange_whenItFallsFarBelow_thenOnHandIsClampedToTheColumnRange() {
    var o = StockLedger.apply(1, new ProductDelta("dc02", 5, -(1L << 40), 1));
    assertEquals(Integer.MIN_VALUE, o.event().orElseThrow().quantityOnHand());
  }
}
