package io.bridgetoazure.stock;

import static io.bridgetoazure.stock.Changes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

class StockTopologyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private long pos = 1000;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "stock-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()); // not the shared /tmp/kafka-streams
    driver = new TopologyTestDriver(StockTopology.build(Pattern.compile(Config.DEFAULT_TOPIC_PATTERN)), p);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private TestInputTopic<String, String> topic(String name) {
    return driver.createInputTopic(name, new StringSerializer(), new StringSerializer());
  }

  /** Sends one change at the next binlog position; returns the JSON sent (to re-deliver it). */
  private String send(String site, String table, long id, int product, int qty, String op) {
    String v = json(table, id, product, qty, op, pos++, site);
    topic(site + "_" + table).pipeInput(String.valueOf(id), v);
    return v;
  }

  private List<KeyValue<String, String>> events(String site) {
    return driver.createOutputTopic(site + "_out_of_stock_events", new StringDeserializer(), new StringDeserializer()).readKeyValuesToList();
  }

  private static String payload(String json) throws Exception {
    return JSON.readTree(json).get("payload").toString();
  }

  @Test
  void givenTenUnitsPurchased_whenSalesOf4And6_thenExactlyOneEventKeyedByProductWithOnHand0() throws Exception {
    send("dc01", "purchase_order_details", 1, 7, 10, "r");
    send("dc01", "sales_order_details", 1, 7, 4, "c");
    send("dc01", "sales_order_details", 2, 7, 6, "c");
    var e = events("dc01");
    assertEquals(1, e.size());
    assertEquals("{\"product_id\":7}", payload(e.get(0).key));
    assertEquals(0, JSON.readTree(e.get(0).value).at("/payload/quantity_on_hand").asInt());
    assertEquals(7, JSON.readTree(e.get(0).value).at("/payload/product_id").asInt());
  }

  @Test
  void givenSoldOut_whenFurtherSalesArrive_thenNoSecondEvent() {
    send("dc01", "purchase_order_details", 1, 7, 10, "c");
    send("dc01", "sales_order_details", 1, 7, 10, "c");
    send("dc01", "sales_order_details", 2, 7, 3, "c");
    send("dc01", "sales_order_details", 3, 7, 1, "c");
    assertEquals(1, events("dc01").size());
  }

  @Test
  void givenSaleRedeliveredByMirrorMaker_whenTheSameChangeArrivesTwice_thenItCountsOnce() {
    send("dc01", "purchase_order_details", 1, 7, 10, "c");
    String sale = send("dc01", "sales_order_details", 1, 7, 6, "c");
    topic("dc01_sales_order_details").pipeInput("1", sale); // the at-least-once copy
    assertEquals(List.of(), events("dc01"), "6 of 10 sold: still 4 on hand");
    send("dc01", "sales_order_details", 2, 7, 4, "c");
    var e = events("dc01");
    assertEquals(1, e.size());
    assertTrue(e.get(0).value.contains("\"quantity_on_hand\":0"));
  }

  @Test
  void givenSoldOutBySale_whenTheSaleIsDeletedAndStockSoldOutAgain_thenASecondEvent() {
    send("dc01", "purchase_order_details", 1, 7, 10, "c");
    send("dc01", "sales_order_details", 1, 7, 10, "c");
    assertEquals(1, events("dc01").size());
    send("dc01", "sales_order_details", 1, 7, 10, "d"); // back to 10
    topic("dc01_sales_order_details").pipeInput("1", (String) null); // its tombstone
    send("dc01", "sales_order_details", 2, 7, 9, "c"); // 1 left
    assertEquals(List.of(), events("dc01"));
    send("dc01", "sales_order_details", 2, 7, 10, "u"); // update 9 → 10: 0 left
    assertEquals(1, events("dc01").size());
  }

  @Test
  void givenPurchaseUpdatedDown_whenItTakesTheStockTo0_thenAnEvent() {
    send("dc01", "purchase_order_details", 1, 7, 10, "c");
    send("dc01", "sales_order_details", 1, 7, 4, "c");
    send("dc01", "purchase_order_details", 1, 7, 4, "u");
    assertEquals(1, events("dc01").size());
  }

  @Test
  void givenTwoSites_whenAProductSellsOutAtDc02Only_thenTheEventGoesToDc02sTopicAndNoneToDc01s() {
    send("dc01", "purchase_order_details", 1, 7, 10, "c");
    send("dc02", "purchase_order_details", 1, 7, 10, "c");
    send("dc01", "sales_order_details", 1, 7, 5, "c");
    send("dc02", "sales_order_details", 1, 7, 10, "c"); // same line id and product, other site
    assertEquals(List.of(), events("dc01"));
    assertEquals(1, events("dc02").size());
  }

  @Test
  void givenMalformedRecord_whenItArrives_thenItIsSkippedAndLaterChangesStillCount() {
    send("dc01", "purchase_order_details", 1, 7, 10, "c");
    topic("dc01_sales_order_details").pipeInput("9", "{not json");
    topic("dc01_sales_order_details").pipeInput("9", json("sales_order_details", 9, 7, 10, "c", pos++, "dc02")); // wrong site
    assertEquals(List.of(), events("dc01"));
    send("dc01", "sales_order_details", 1, 7, 10, "c");
    assertEquals(1, events("dc01").size());
  }

  @Test
  void givenTopology_whenRunning_thenBothStoresHaveChangelogsAndDeltasGoThroughARepartitionTopic() {
    send("dc01", "purchase_order_details", 1, 7, 10, "c");
    var topics = driver.producedTopicNames();
    assertTrue(topics.contains("stock-test-line-state-changelog"), topics.toString());
    assertTrue(topics.contains("stock-test-stock-on-hand-changelog"), topics.toString());
    assertTrue(topics.contains("stock-test-stock-deltas-repartition"), topics.toString());
    assertEquals(10L, driver.<String, Long>getKeyValueStore(StockTopology.STOCK_STORE).get("dc01|7"));
  }
}
