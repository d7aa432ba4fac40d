package io.bridgetoazure.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  private Map<String, String> valid() throws Exception {
    Path creds = dir.resolve("kafka.properties");
    Files.writeString(creds, "username=stock\npassword=s3cr3t-value\n");
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> env = new HashMap<>();
    env.put(Config.BOOTSTRAP, "127.0.0.1:29092");
    env.put(Config.CREDENTIALS_FILE, creds.toString());
    env.put(Config.CA_FILE, ca.toString());
    return env;
  }

  private static String problems(Map<String, String> env) {
    return assertThrows(Config.Invalid.class, () -> Config.fromEnv(env)).getMessage();
  }

  @Test
  void givenValidEnvironment_whenLoaded_thenDefaultsAreExactlyOnceV2AndTheSitePattern() throws Exception {
    Config c = Config.fromEnv(valid());
    assertEquals("exactly_once_v2", c.processingGuarantee());
    assertEquals(Config.DEFAULT_TOPIC_PATTERN, c.topicPattern().pattern());
    assertTrue(c.topicPattern().matcher("dc07_sales_order_details").matches());
    assertFalse(c.topicPattern().matcher("dc07_out_of_stock_events").matches());
    var p = c.streamsProperties();
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals("PEM", p.get("ssl.truststore.type"));
    assertTrue(((String) p.get("sasl.jaas.config")).contains("username=\"stock\""));
  }

  @Test
  void givenValidEnvironment_whenDescribedOrPrinted_thenThePasswordIsNotInIt() throws Exception {
    Config c = Config.fromEnv(valid());
    assertFalse(c.describe().contains("s3cr3t-value"));
    assertFalse(c.toString().contains("s3cr3t-value"));
  }

  @Test
  void givenNoBootstrap_whenLoaded_thenTheErrorNamesTheVariableAndRule() throws Exception {
    var env = valid();
    env.remove(Config.BOOTSTRAP);
    assertTrue(problems(env).contains("STOCK_BOOTSTRAP_SERVERS: unset — required"));
  }

  @Test
  void givenBadBootstrapPort_whenLoaded_thenTheErrorNamesValueAndRule() throws Exception {
    var env = valid();
    env.put(Config.BOOTSTRAP, "a:1,b:70000");
    String m = problems(env);
    assertTrue(m.contains("STOCK_BOOTSTRAP_SERVERS: \"a:1,b:70000\" — must be host:port") && m.contains("\"b:70000\" is not"), m);
  }

  @Test
  void givenSaslWithoutCredentialsFile_whenLoaded_thenRefused() throws Exception {
    var env = valid();
    env.remove(Config.CREDENTIALS_FILE);
    assertTrue(problems(env).contains("STOCK_KAFKA_CREDENTIALS_FILE: unset — required with STOCK_SECURITY_PROTOCOL=SASL_SSL"));
  }

  @Test
  void givenCredentialsFileWithoutPassword_whenLoaded_thenRefusedNamingTheMissingKey() throws Exception {
    var env = valid();
    Files.writeString(Path.of(env.get(Config.CREDENTIALS_FILE)), "username=stock\n");
    assertTrue(problems(env).contains("(password is missing or empty)"));
  }

  @Test
  void givenMissingCredentialsFile_whenLoaded_thenRefusedNamingThePath() throws Exception {
    var env = valid();
    env.put(Config.CREDENTIALS_FILE, dir.resolve("nope").toString());
    assertTrue(problems(env).contains("nope\" — must be a readable properties file"));
  }

  @Test
  void givenPasswordInTheEnvironment_whenLoaded_thenRefusedWithoutShowingIt() throws Exception {
    var env = valid();
    env.put("STOCK_KAFKA_PASSWORD", "hunter2-value");
    String m = problems(env);
    assertTrue(m.contains("STOCK_KAFKA_PASSWORD: (value not shown)"), m);
    assertFalse(m.contains("hunter2-value"));
  }

  @Test
  void givenBadPatternGuaranteeAppIdAndReplication_whenLoaded_thenEveryProblemIsListedOnce() throws Exception {
    var env = valid();
    env.put(Config.TOPIC_PATTERN, "dc(\\d{2}");
    env.put(Config.PROCESSING_GUARANTEE, "exactly_once");
    env.put(Config.APPLICATION_ID, "-bad id");
    env.put(Config.REPLICATION_FACTOR, "0");
    var e = assertThrows(Config.Invalid.class, () -> Config.fromEnv(env));
    assertEquals(4, e.problems.size(), e.getMessage());
    assertTrue(e.getMessage().contains("STOCK_TOPIC_PATTERN: \"dc(\\d{2}\" — must be a Java regular expression"));
    assertTrue(e.getMessage().contains("STOCK_PROCESSING_GUARANTEE: \"exactly_once\" — must be exactly_once_v2 (default) or at_least_once"));
    assertTrue(e.getMessage().contains("STOCK_APPLICATION_ID: \"-bad id\""));
    assertTrue(e.getMessage().contains("STOCK_REPLICATION_FACTOR: \"0\""));
  }

  @Test
  void givenPlaintextWithoutCredentials_whenLoaded_thenAcceptedWithoutSaslSettings() throws Exception {
    Map<String, String> env = Map.of(Config.BOOTSTRAP, "localhost:9092", Config.SECURITY_PROTOCOL, "PLAINTEXT", Config.PROCESSING_GUARANTEE, "at_least_once");
    var p = Config.fromEnv(env).streamsProperties();
    assertFalse(p.containsKey("sasl.jaas.config"));
    assertEquals("at_least_once", p.get("processing.guarantee"));
  }

  @Test
  void givenEventsTopics_whenLoaded_thenTheyAreListedInOrderAndDescribed() throws Exception {
    var env = valid();
    env.put(Config.EVENTS_TOPICS, "dc01_out_of_stock_events, dc02_out_of_stock_events");
    Config c = Config.fromEnv(env);
    assertEquals(java.util.List.of("dc01_out_of_stock_events", "dc02_out_of_stock_events"), c.eventsTopics());
    assertTrue(c.describe().contains("events.topics=dc01_out_of_stock_events,dc02_out_of_stock_events"));
  }

  @Test
  void givenNoEventsTopics_whenLoaded_thenNoneAreCreated() throws Exception {
    assertEquals(java.util.List.of(), Config.fromEnv(valid()).eventsTopics());
  }

  @Test
  void givenAnEventsTopicOfAnotherShape_whenLoaded_thenTheErrorNamesVariableValueAndRule() throws Exception {
    var env = valid();
    env.put(Config.EVENTS_TOPICS, "dc01_out_of_stock_events,dc01_sales_order_details");
    String m = problems(env);
    assertTrue(m.contains("STOCK_EVENTS_TOPICS: \"dc01_out_of_stock_events,dc01_sales_order_details\" — must be a comma list of dcNN_out_of_stock_events topics (\"dc01_sales_order_details\" is not)"), m);
  }

  @Test
  void givenAnEventsTopicTwice_whenLoaded_thenItIsAProblem() throws Exception {
    var env = valid();
    env.put(Config.EVENTS_TOPICS, "dc01_out_of_stock_events,dc01_out_of_stock_events");
    assertTrue(problems(env).contains("lists \"dc01_out_of_stock_events\" twice"));
  }
}
