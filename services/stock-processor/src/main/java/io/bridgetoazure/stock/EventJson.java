package io.bridgetoazure.stock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The out-of-stock events on the wire: Kafka Connect JSON with schemas (JsonConverter,
 * schemas.enable=true), because Debezium's JDBC sink (connectors/jdbc-sink.ts) binds columns by the
 * record's Connect schema and cannot write schemaless records. Key: struct {product_id} (the sink's
 * primary.key.mode record_key: one pending event per product). Value: the table's columns
 * product_id, event_time (Connect Timestamp: epoch ms) and quantity_on_hand; no other field, since the
 * sink runs with schema.evolution none and a field without a column would fail it.
 */
public final class EventJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String VALUE_SCHEMA_NAME = "io.bridgetoazure.stock.OutOfStockEvent";
  public static final String KEY_SCHEMA_NAME = "io.bridgetoazure.stock.OutOfStockEventKey";

  private EventJson() {}

  public static String key(int productId) {
    ObjectNode schema = struct(KEY_SCHEMA_NAME);
    ((ArrayNode) schema.get("fields")).add(field("product_id", "int32", null));
    ObjectNode payload = JSON.createObjectNode().put("product_id", productId);
    return envelope(schema, payload);
  }

  public static String value(OutOfStockEvent e) {
    ObjectNode schema = struct(VALUE_SCHEMA_NAME);
    ArrayNode fields = (ArrayNode) schema.get("fields");
    fields.add(field("product_id", "int32", null));
    fields.add(field("event_time", "int64", "org.apache.kafka.connect.data.Timestamp").put("version", 1));
    fields.add(field("quantity_on_hand", "int32", null));
    ObjectNode payload = JSON.createObjectNode().put("product_id", e.productId()).put("event_time", e.eventTimeMs()).put("quantity_on_hand", e.quantityOnHand());
    return envelope(schema, payload);
  }

  private static ObjectNode struct(String name) {
    ObjectNode s = JSON.createObjectNode().put("type", "struct").put("optional", false).put("name", name);
    s.putArray("fields");
    return s;
  }

  private static ObjectNode field(String name, String type, String logical) {
    ObjectNode f = JSON.createObjectNode().put("field", name).put("type", type).put("optional", false);
    if (logical != null) f.put("name", logical);
    return f;
  }

  private static String envelope(ObjectNode schema, ObjectNode payload) {
    ObjectNode env = JSON.createObjectNode();
    env.set("schema", schema);
    env.set("payload", payload);
    return env.toString();
  }

  /** Write-only serdes: the processor never reads its events back. */
  public static Serde<Integer> keySerde() {
    return Serdes.serdeFrom(new KeySerializer(), (topic, bytes) -> {
      throw new UnsupportedOperationException("out-of-stock event keys are write-only");
    });
  }

  public static Serde<OutOfStockEvent> valueSerde() {
    return Serdes.serdeFrom(new ValueSerializer(), (topic, bytes) -> {
      throw new UnsupportedOperationException("out-of-stock event values are write-only");
    });
  }

  /** Key serializer: product id → the JSON key above. */
  public static final class KeySerializer implements Serializer<Integer> {
    @Override
    public byte[] serialize(String topic, Integer productId) {
      return productId == null ? null : key(productId).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Value serializer: event → the JSON value above. */
  public static final class ValueSerializer implements Serializer<OutOfStockEvent> {
    @Override
    public byte[] serialize(String topic, OutOfStockEvent e) {
      return e == null ? null : value(e).getBytes(StandardCharsets.UTF_8);
    }
  }
}
