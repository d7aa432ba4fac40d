package io.bridgetoazure.stock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a replicated CDC record of an order line (connectors/debezium.ts: JSON without schemas,
 * flattened by ExtractNewRecordState, fields __op, __source_ts_ms, __source_file, __source_pos,
 * __source_row, __deleted and sourcedc). A record with a schema envelope ({"schema", "payload"}) is
 * read from its payload. The site and the table come from the topic name ({@code <dc>_<table>}); a
 * {@code sourcedc} that names another site is refused (a record of one site in another's topic).
 */
public final class ChangeParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOPIC = Pattern.compile("^(.+)_(purchase_order_details|sales_order_details)$");

  private ChangeParser() {}

  /** A record that cannot be a line change: what is wrong, for the log (never the record's text). */
  public static final class BadRecord extends Exception {
    public BadRecord(String message) {
      super(message);
    }
  }

  /** Site and kind of a CDC topic, or empty for a topic that is not an order-line topic. */
  public static Optional<Object[]> topicParts(String topic) {
    Matcher m = TOPIC.matcher(topic);
    if (!m.matches()) return Optional.empty();
    LineKind kind = m.group(2).equals(LineKind.PURCHASE.table) ? LineKind.PURCHASE : LineKind.SALES;
    return Optional.of(new Object[] {m.group(1), kind});
  }

  /**
   * @return the change, or empty for a tombstone (null value: the compaction marker after a delete,
   *     whose delete record came just before it)
   */
  public static Optional<LineChange> parse(String topic, String value) throws BadRecord {
    if (value == null) return Optional.empty();
    Object[] parts = topicParts(topic).orElseThrow(() -> new BadRecord("topic " + topic + " is not <dc>_purchase_order_details or <dc>_sales_order_details"));
    String site = (String) parts[0];
    LineKind kind = (LineKind) parts[1];
    JsonNode v = readTree(value);
    if (v.has("schema") && v.has("payload")) v = v.get("payload");
    if (!v.isObject()) throw new BadRecord("value is not a JSON object");
    JsonNode dc = v.get("sourcedc");
    if (dc != null && !dc.isNull() && !dc.asText().equals(site)) {
      throw new BadRecord("sourcedc \"" + dc.asText() + "\" is not the topic's site \"" + site + "\"");
    }
    String op = text(v, "__op");
    if (!op.matches("[cudr]")) throw new BadRecord("__op \"" + op + "\" is not one of c, u, d, r");
    boolean deleted = op.equals("d") || "true".equals(v.path("__deleted").asText("false"));
    char opChar = deleted ? 'd' : op.charAt(0);
    SourceVersion version = new SourceVersion(text(v, "__source_file"), integer(v, "__source_pos"), op.equals("r"), (int) optionalInteger(v, "__source_row", 0));
    long ts = optionalInteger(v, "__source_ts_ms", 0);
    long id = integer(v, "id");
    long product = integer(v, "product_id");
    long quantity = integer(v, "quantity");
    if (product < 1 || product > Integer.MAX_VALUE) throw new BadRecord("product_id " + product + " is not a positive INT");
    if (quantity < Integer.MIN_VALUE || quantity > Integer.MAX_VALUE) throw new BadRecord("quantity " + quantity + " is out of INT range");
    return Optional.of(new LineChange(site, kind, id, (int) product, (int) quantity, opChar, version, ts));
  }

  /** The commit time of a record (__source_ts_ms), or -1 when it has none or is not a change. */
  public static long sourceTimestamp(String value) {
    if (value == null) return -1;
    try {
      JsonNode v = JSON.readTree(value);
      if (v != null && v.has("payload")) v = v.get("payload");
      JsonNode ts = v == null ? null : v.get("__source_ts_ms");
      return ts != null && ts.canConvertToLong() ? ts.asLong() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static JsonNode readTree(String value) throws BadRecord {
    try {
      JsonNode n = JSON.readTree(value);
      if (n == null) throw new BadRecord("value is empty");
      return n;
    } catch (IOException e) {
      String at = e instanceof com.fasterxml.jackson.core.JsonProcessingException jp && jp.getLocation() != null ? " at column " + jp.getLocation().getColumnNr() : "";
      throw new BadRecord("value is not JSON" + at);
    }
  }

  private static String text(JsonNode v, String field) throws BadRecord {
    JsonNode n = v.get(field);
    if (n == null || n.isNull() || !n.isValueNode()) throw new BadRecord("field " + field + " is missing");
    return n.asText();
  }

  private static long integer(JsonNode v, String field) throws BadRecord {
    JsonNode n = v.get(field);
    if (n == null || n.isNull()) throw new BadRecord("field " + field + " is missing");
    if (!n.canConvertToExactIntegral() || !n.canConvertToLong()) throw new BadRecord("field " + field + " is not an integer");
    return n.asLong();
  }

  private static long optionalInteger(JsonNode v, String field, long dflt) throws BadRecord {
    JsonNode n = v.get(field);
    if (n == null || n.isNull()) return dflt;
    return integer(v, field);
  }
}
