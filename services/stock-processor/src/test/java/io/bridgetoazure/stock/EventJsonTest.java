package io.bridgetoazure.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void givenEvent_whenWritten_thenValueHasTheTablesColumnsWithAConnectSchema() throws Exception {
    JsonNode v = JSON.readTree(EventJson.value(new OutOfStockEvent("dc01", 7, -2, 1_700_000_000_123L)));
    assertEquals("{\"product_id\":7,\"event_time\":1700000000123,\"quantity_on_hand\":-2}", v.get("payload").toString());
    assertEquals("struct", v.at("/schema/type").asText());
    assertEquals("org.apache.kafka.connect.data.Timestamp", v.at("/schema/fields/1/name").asText());
    assertEquals(3, v.at("/schema/fields").size());
  }

  @Test
  void givenProduct_whenKeyWritten_thenItIsAStructOfProductId() throws Exception {
    JsonNode k = JSON.readTree(EventJson.key(7));
    assertEquals("{\"product_id\":7}", k.get("payload").toString());
    assertEquals("int32", k.at("/schema/fields/0/type").asText());
  }
}
