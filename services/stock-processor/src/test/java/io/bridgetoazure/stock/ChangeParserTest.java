package io.bridgetoazure.stock;

import static io.bridgetoazure.stock.Changes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChangeParserTest {
  @Test
  void givenFlattenedSalesCreate_whenParsed_thenSiteKindLineProductQuantityAndVersionAreRead() throws Exception {
    var c = ChangeParser.parse("dc02_sales_order_details", json("sales_order_details", 17, 5, 3, "c", 1234, "dc02")).orElseThrow();
    assertEquals(new LineChange("dc02", LineKind.SALES, 17, 5, 3, 'c', new SourceVersion("mariadb-bin.000001", 1234, false, 0), 1_700_000_001_234L), c);
  }

  @Test
  void givenRewrittenDelete_whenParsed_thenItIsADeleteWithTheDeletedRowsValues() throws Exception {
    var c = ChangeParser.parse("dc01_purchase_order_details", json("purchase_order_details", 3, 9, 100, "d", 50, "dc01")).orElseThrow();
    assertTrue(c.isDelete());
    assertEquals(100, c.quantity());
    assertEquals(LineKind.PURCHASE, c.kind());
  }

  @Test
  void givenSnapshotRead_whenParsed_thenItsVersionIsMarkedSnapshot() throws Exception {
    assertTrue(ChangeParser.parse("dc01_sales_order_details", json("sales_order_details", 3, 9, 1, "r", 50, null)).orElseThrow().version().snapshot());
  }

  @Test
  void givenTombstone_whenParsed_thenNothing() throws Exception {
    assertTrue(ChangeParser.parse("dc01_sales_order_details", null).isEmpty());
  }

  @Test
  void givenSchemaEnvelope_whenParsed_thenThePayloadIsRead() throws Exception {
    String v = "{\"schema\":{\"type\":\"struct\"},\"payload\":" + json("sales_order_details", 4, 2, 1, "u", 60, "dc01") + "}";
    assertEquals('u', ChangeParser.parse("dc01_sales_order_details", v).orElseThrow().op());
  }

  @Test
  void givenSourcedcOfAnotherSite_whenParsed_thenRefusedNamingBoth() {
    var e = assertThrows(ChangeParser.BadRecord.class, () -> ChangeParser.parse("dc01_sales_order_details", json("sales_order_details", 4, 2, 1, "c", 60, "dc02")));
    assertTrue(e.getMessage().contains("\"dc02\"") && e.getMessage().contains("\"dc01\""), e.getMessage());
  }

  @Test
  void givenRecordWithoutQuantity_whenParsed_thenRefusedNamingTheField() {
    var e = assertThrows(ChangeParser.BadRecord.class, () -> ChangeParser.parse("dc01_sales_order_details", "{\"id\":1,\"product_id\":2,\"__op\":\"c\",\"__source_file\":\"f.1\",\"__source_pos\":4}"));
    assertEquals("field quantity is missing", e.getMessage());
  }

  @Test
  void givenUnknownOp_whenParsed_thenRefusedNamingTheOp() {
    var e = assertThrows(ChangeParser.BadRecord.class, () -> ChangeParser.parse("dc01_sales_order_details", json("sales_order_details", 4, 2, 1, "t", 60, null)));
    assertTrue(e.getMessage().contains("__op \"t\""), e.getMessage());
  }

  @Test
  void givenNotJson_whenParsed_thenRefusedWithoutEchoingTheText() {
    var e = assertThrows(ChangeParser.BadRecord.class, () -> ChangeParser.parse("dc01_sales_order_details", "{secret-looking text"));
    assertTrue(e.getMessage().startsWith("value is not JSON") && !e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void givenOtherTopic_whenParsed_thenRefusedNamingIt() {
    var e = assertThrows(ChangeParser.BadRecord.class, () -> ChangeParser.parse("dc01_products", json("sales_order_details", 4, 2, 1, "c", 60, null)));
    assertTrue(e.getMessage().contains("dc01_products"));
  }
}
