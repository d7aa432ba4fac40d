package io.bridgetoazure.stock;

import static io.bridgetoazure.stock.Changes.change;
import static io.bridgetoazure.stock.LineKind.PURCHASE;
import static io.bridgetoazure.stock.LineKind.SALES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineLedgerTest {
  private static List<Long> deltas(LineLedger.Outcome o) {
    return o.deltas().stream().map(ProductDelta::delta).toList();
  }

  @Test
  void givenNewPurchaseLine_whenCreated_thenStockRisesByItsQuantity() {
    var o = LineLedger.apply(null, change(PURCHASE, 1, 7, 100, 'c', 10));
    assertEquals(LineLedger.Verdict.APPLIED, o.verdict());
    assertEquals(List.of(100L), deltas(o));
    assertEquals(7, o.deltas().get(0).productId());
  }

  @Test
  void givenNewSalesLine_whenSnapshotRead_thenItCountsLikeACreate() {
    var o = LineLedger.apply(null, change(SALES, 1, 7, 4, 'r', 10));
    assertEquals(List.of(-4L), deltas(o));
  }

  @Test
  void givenSalesLineOf4_whenUpdatedTo6_thenStockFallsByTheDifference2() {
    var first = LineLedger.apply(null, change(SALES, 1, 7, 4, 'c', 10));
    var o = LineLedger.apply(first.state(), change(SALES, 1, 7, 6, 'u', 20));
    assertEquals(List.of(-2L), deltas(o));
    assertEquals(6, o.state().quantity());
  }

  @Test
  void givenSalesLineOf4_whenDeleted_thenItsQuantityReturnsToStock() {
    var first = LineLedger.apply(null, change(SALES, 1, 7, 4, 'c', 10));
    var o = LineLedger.apply(first.state(), change(SALES, 1, 7, 4, 'd', 20));
    assertEquals(List.of(4L), deltas(o));
    assertTrue(o.state().deleted());
  }

  @Test
  void givenPurchaseLine_whenUpdatedToAnotherProduct_thenOldProductLosesAndNewGains() {
    var first = LineLedger.apply(null, change(PURCHASE, 1, 7, 10, 'c', 10));
    var o = LineLedger.apply(first.state(), change(PURCHASE, 1, 8, 12, 'u', 20));
    assertEquals(2, o.deltas().size());
    assertEquals(new ProductDelta("dc01", 7, -10, o.deltas().get(0).sourceTsMs()), o.deltas().get(0));
    assertEquals(8, o.deltas().get(1).productId());
    assertEquals(12, o.deltas().get(1).delta());
  }

  @Test
  void givenAppliedChange_whenTheSameChangeIsRedelivered_thenNothingMoves() {
    var first = LineLedger.apply(null, change(SALES, 1, 7, 4, 'c', 10));
    var o = LineLedger.apply(first.state(), change(SALES, 1, 7, 4, 'c', 10));
    assertEquals(LineLedger.Verdict.DUPLICATE, o.verdict());
    assertEquals(List.of(), o.deltas());
    assertEquals(first.state(), o.state());
  }

  @Test
  void givenUpdateApplied_whenAnOlderCopyOfTheCreateArrives_thenItIsStaleAndIgnored() {
    var first = LineLedger.apply(null, change(SALES, 1, 7, 4, 'c', 10));
    var upd = LineLedger.apply(first.state(), change(SALES, 1, 7, 9, 'u', 20));
    var o = LineLedger.apply(upd.state(), change(SALES, 1, 7, 4, 'c', 10));
    assertEquals(LineLedger.Verdict.STALE, o.verdict());
    assertEquals(List.of(), o.deltas());
    assertEquals(9, o.state().quantity());
  }

  @Test
  void givenDeletedLine_whenTheDeleteIsRedelivered_thenTheQuantityIsNotReturnedTwice() {
    var first = LineLedger.apply(null, change(SALES, 1, 7, 4, 'c', 10));
    var del = LineLedger.apply(first.state(), change(SALES, 1, 7, 4, 'd', 20));
    var o = LineLedger.apply(del.state(), change(SALES, 1, 7, 4, 'd', 20));
    assertEquals(LineLedger.Verdict.DUPLICATE, o.verdict());
    assertEquals(List.of(), o.deltas());
  }

  @Test
  void givenUnknownLine_whenADeleteArrives_thenNothingMovesButTheDeleteIsRemembered() {
    var o = LineLedger.apply(null, change(SALES, 1, 7, 4, 'd', 20));
    assertEquals(List.of(), o.deltas());
    assertTrue(o.state().deleted());
    var late = LineLedger.apply(o.state(), change(SALES, 1, 7, 4, 'c', 10));
    assertEquals(LineLedger.Verdict.STALE, late.verdict());
  }

  @Test
  void givenLineState_whenEncodedAndDecoded_thenItIsTheSame() {
    var s = new LineState(7, 4, true, new SourceVersion("mariadb-bin.000012", 345, true, 3));
    assertEquals(s, LineState.decode(s.encode()));
  }
}
