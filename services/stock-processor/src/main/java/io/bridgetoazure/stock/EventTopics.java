package io.bridgetoazure.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output topics {@code <dc>_out_of_stock_events} ({@link Config#eventsTopics()}), created at start when
 * missing: Kafka Streams creates its internal topics but never its sink topics, and a send to a missing
 * topic would stall the task (the cloud cluster does not auto-create topics). One partition (the JDBC sink
 * runs one task and a product's events stay in order), the configured replication factor (-1: the broker's
 * default). An existing topic is left as it is, whatever its settings.
 */
public final class EventTopics {
  private static final Logger LOG = LoggerFactory.getLogger(EventTopics.class);

  private EventTopics() {}

  /** What creating needs from a cluster: the names that exist, and a create that may fail. */
  public interface Cluster {
    Set<String> existing() throws Exception;

    /** Creates one topic; a TopicExistsException (as cause) means someone else was first. */
    void create(NewTopic topic) throws Exception;
  }

  /** The topics of {@code names} that are missing, as NewTopic of one partition and {@code replicationFactor}. */
  public static List<NewTopic> missing(List<String> names, Set<String> existing, int replicationFactor) {
    List<NewTopic> out = new ArrayList<>();
    for (String n : names) {
      if (existing.contains(n)) continue;
      out.add(new NewTopic(n, Optional.of(1), replicationFactor == -1 ? Optional.empty() : Optional.of((short) replicationFactor)));
    }
    return out;
  }

  /**
   * Creates the missing topics; retries (the broker may still be starting) until {@code timeoutMs} has
   * passed, then throws the last failure. Returns the names it created.
   */
  public static List<String> ensure(Cluster cluster, List<String> names, int replicationFactor, long timeoutMs, long retryMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    List<String> created = new ArrayList<>();
    while (true) {
      try {
        for (NewTopic t : missing(names, cluster.existing(), replicationFactor)) {
          try {
            cluster.create(t);
            created.add(t.name());
            LOG.info("created events topic {} (1 partition, replication factor {})", t.name(), replicationFactor == -1 ? "broker default" : replicationFactor);
          } catch (Exception e) {
            if (!(e instanceof TopicExistsException) && !(e.getCause() instanceof TopicExistsException)) throw e;
          }
        }
        return created;
      } catch (Exception e) {
        if (System.currentTimeMillis() + retryMs > deadline) throw e;
        LOG.warn("cannot create the events topics yet ({}), retrying in {} ms", e.getClass().getSimpleName() + ": " + e.getMessage(), retryMs);
        Thread.sleep(retryMs);
      }
    }
  }

  /** A Cluster over an Admin client of the processor's own connection settings. */
  public static Cluster of(Admin admin) {
    return new Cluster() {
      @Override
      public Set<String> existing() throws InterruptedException, ExecutionException, TimeoutException {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
      }

      @Override
      public void create(NewTopic topic) throws InterruptedException, ExecutionException, TimeoutException {
        admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      }
    };
  }

  /** Admin client properties: the connection and security part of the Streams properties. */
  public static Properties adminProperties(Properties streams) {
    Properties p = new Properties();
    for (String k : streams.stringPropertyNames()) {
      if (k.equals("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) p.put(k, streams.getProperty(k));
    }
    return p;
  }
}
