package io.bridgetoazure.stock;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processor's environment contract. Every variable is checked; all problems are reported at once,
 * each naming the variable, its value and the rule. Credentials come only from a file
 * (STOCK_KAFKA_CREDENTIALS_FILE, properties {@code username=} and {@code password=}, the layout of the
 * lake sink's kafka.properties), never from the environment or the command line: they would show in
 * {@code docker inspect} and in /proc.
 */
public record Config(
    String bootstrapServers,
    String securityProtocol,
    String username,
    String password,
    String caFile,
    String applicationId,
    Pattern topicPattern,
    String processingGuarantee,
    String stateDir,
    int replicationFactor,
    String healthFile,
    List<String> eventsTopics) {

  public static final String BOOTSTRAP = "STOCK_BOOTSTRAP_SERVERS";
  public static final String SECURITY_PROTOCOL = "STOCK_SECURITY_PROTOCOL";
  public static final String CREDENTIALS_FILE = "STOCK_KAFKA_CREDENTIALS_FILE";
  public static final String CA_FILE = "STOCK_KAFKA_CA_FILE";
  public static final String APPLICATION_ID = "STOCK_APPLICATION_ID";
  public static final String TOPIC_PATTERN = "STOCK_TOPIC_PATTERN";
  public static final String PROCESSING_GUARANTEE = "STOCK_PROCESSING_GUARANTEE";
  public static final String STATE_DIR = "STOCK_STATE_DIR";
  public static final String REPLICATION_FACTOR = "STOCK_REPLICATION_FACTOR";
  public static final String HEALTH_FILE = "STOCK_HEALTH_FILE";
  /** Output topics created at start when missing (EventTopics), comma list of {@code <dc>_out_of_stock_events}. */
  public static final String EVENTS_TOPICS = "STOCK_EVENTS_TOPICS";

  public static final String DEFAULT_TOPIC_PATTERN = "dc\\d{2}_(purchase|sales)_order_details";
  public static final String DEFAULT_APPLICATION_ID = "bridge-stock-processor";

  /** Invalid configuration: every problem, one a line. */
  public static final class Invalid extends RuntimeException {
    public final List<String> problems;

    Invalid(List<String> problems) {
      super("Invalid stock-processor configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n  - " + String.join("\n  - ", problems));
      this.problems = List.copyOf(problems);
    }
  }

  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");
  private static final Pattern EVENTS_TOPIC = Pattern.compile("dc\\d{2}" + OutOfStockEvent.TOPIC_SUFFIX);
  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  public static Config fromEnv(Map<String, String> env) {
    List<String> p = new ArrayList<>();
    for (String name : env.keySet()) {
      if (name.startsWith("STOCK_") && name.matches(".*(PASSWORD|SECRET|JAAS).*")) {
        p.add(name + ": (value not shown) — credentials are read from the file " + CREDENTIALS_FILE + " names, never from the environment");
      }
    }
    String bootstrap = get(env, BOOTSTRAP, null);
    if (bootstrap == null) p.add(BOOTSTRAP + ": unset — required: host:port of the cloud Kafka, comma-separated");
    else {
      for (String hp : bootstrap.split(",", -1)) {
        if (!HOST_PORT.matcher(hp).matches() || Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1)) > 65535 || Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1)) < 1) {
          p.add(BOOTSTRAP + ": \"" + bootstrap + "\" — must be host:port[,host:port…] with ports 1–65535 (\"" + hp + "\" is not)");
          break;
        }
      }
    }
    String protocol = get(env, SECURITY_PROTOCOL, "SASL_SSL");
    if (!protocol.equals("SASL_SSL") && !protocol.equals("PLAINTEXT")) p.add(SECURITY_PROTOCOL + ": \"" + protocol + "\" — must be SASL_SSL (SASL/PLAIN over TLS) or PLAINTEXT");
    String user = null, pass = null;
    String credFile = get(env, CREDENTIALS_FILE, null);
    if (protocol.equals("SASL_SSL")) {
      if (credFile == null) p.add(CREDENTIALS_FILE + ": unset — required with " + SECURITY_PROTOCOL + "=SASL_SSL: a properties file with username= and password=");
      else {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(credFile))) {
          props.load(r);
          user = props.getProperty("username", "").trim();
          pass = props.getProperty("password", "").trim();
          if (user.isEmpty() || pass.isEmpty()) p.add(CREDENTIALS_FILE + ": \"" + credFile + "\" — must hold non-empty username= and password= (" + (user.isEmpty() ? "username" : "password") + " is missing or empty)");
        } catch (IOException | IllegalArgumentException e) {
          p.add(CREDENTIALS_FILE + ": \"" + credFile + "\" — must be a readable properties file (" + e.getClass().getSimpleName() + ")");
        }
      }
    } else if (credFile != null) {
      p.add(CREDENTIALS_FILE + ": \"" + credFile + "\" — only with " + SECURITY_PROTOCOL + "=SASL_SSL (PLAINTEXT sends no credentials)");
    }
    String ca = get(env, CA_FILE, null);
    if (ca != null) {
      if (!protocol.equals("SASL_SSL")) p.add(CA_FILE + ": \"" + ca + "\" — only with " + SECURITY_PROTOCOL + "=SASL_SSL");
      else if (!Files.isReadable(Path.of(ca))) p.add(CA_FILE + ": \"" + ca + "\" — must be a readable PEM file of the broker's CA");
    }
    String appId = get(env, APPLICATION_ID, DEFAULT_APPLICATION_ID);
    if (!APP_ID.matcher(appId).matches()) p.add(APPLICATION_ID + ": \"" + appId + "\" — must be 1–100 letters, digits, . _ - starting with a letter or digit (it prefixes the internal topics and the consumer group)");
    String patternText = get(env, TOPIC_PATTERN, DEFAULT_TOPIC_PATTERN);
    Pattern pattern = null;
    try {
      pattern = Pattern.compile(patternText);
    } catch (PatternSyntaxException e) {
      p.add(TOPIC_PATTERN + ": \"" + patternText + "\" — must be a Java regular expression (" + e.getDescription() + " at index " + e.getIndex() + ")");
    }
    String guarantee = get(env, PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2);
    if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
      p.add(PROCESSING_GUARANTEE + ": \"" + guarantee + "\" — must be exactly_once_v2 (default) or at_least_once");
    }
    String stateDir = get(env, STATE_DIR, "/var/lib/stock-processor/state");
    if (!stateDir.startsWith("/")) p.add(STATE_DIR + ": \"" + stateDir + "\" — must be an absolute path");
    String rfText = get(env, REPLICATION_FACTOR, "-1");
    int rf = 0;
    try {
      rf = Integer.parseInt(rfText);
      if (rf != -1 && (rf < 1 || rf > 32)) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      p.add(REPLICATION_FACTOR + ": \"" + rfText + "\" — must be an integer 1–32, or -1 for the broker's default (of the internal topics)");
    }
    String health = get(env, HEALTH_FILE, "/var/lib/stock-processor/health");
    if (!health.startsWith("/")) p.add(HEALTH_FILE + ": \"" + health + "\" — must be an absolute path");
    List<String> events = new ArrayList<>();
    String eventsText = get(env, EVENTS_TOPICS, "");
    if (!eventsText.isEmpty()) {
      for (String t : eventsText.split(",", -1)) {
        String name = t.trim();
        if (!EVENTS_TOPIC.matcher(name).matches()) {
          p.add(EVENTS_TOPICS + ": \"" + eventsText + "\" — must be a comma list of dcNN" + OutOfStockEvent.TOPIC_SUFFIX + " topics (\"" + name + "\" is not)");
          break;
        }
        if (events.contains(name)) {
          p.add(EVENTS_TOPICS + ": \"" + eventsText + "\" — lists \"" + name + "\" twice: each topic once");
          break;
        }
        events.add(name);
      }
    }
    if (!p.isEmpty()) throw new Invalid(p);
    return new Config(bootstrap, protocol, user, pass, ca, appId, pattern, guarantee, stateDir, rf, health, List.copyOf(events));
  }

  /** Set-but-empty counts as unset, like the repo's named variables. */
  private static String get(Map<String, String> env, String name, String dflt) {
    String v = env.get(name);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  /** The Kafka Streams properties (the JAAS line carries the password: never log them). */
  public Properties streamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
    // New sites' topics are picked up by the pattern subscription within this time.
    p.put(StreamsConfig.consumerPrefix("metadata.max.age.ms"), 30000);
    // Wait up to 1 s for an empty partition of a task (the other table of the site) before processing
    // ahead by commit time, so a purchase and a sale arriving together are taken in commit order.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 1000L);
    if (securityProtocol.equals("SASL_SSL")) {
      p.put("security.protocol", "SASL_SSL");
      p.put("sasl.mechanism", "PLAIN");
      p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + jaasEscape(username) + "\" password=\"" + jaasEscape(password) + "\";");
      p.put("ssl.endpoint.identification.algorithm", "https");
      if (caFile != null) {
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", caFile);
      }
    }
    return p;
  }

  private static String jaasEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** What the processor logs at start: every setting but the credentials. */
  public String describe() {
    return "bootstrap=" + bootstrapServers + " security=" + securityProtocol + (caFile == null ? "" : " ca=" + caFile) + " application.id=" + applicationId + " topics=/" + topicPattern + "/ guarantee=" + processingGuarantee + " state=" + stateDir + " replication.factor=" + replicationFactor + " events.topics=" + String.join(",", eventsTopics);
  }

  @Override
  public String toString() {
    return "Config[" + describe() + "]"; // never the password
  }
}
