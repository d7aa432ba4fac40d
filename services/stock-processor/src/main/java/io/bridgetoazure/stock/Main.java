package io.bridgetoazure.stock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: configuration from the environment (see {@link Config}), the topology, and the
 * client's state in {@code STOCK_HEALTH_FILE} for the image's health check (RUNNING = healthy).
 * A fatal stream error stops the process with exit 1 so that Docker restarts it; exactly-once
 * processing resumes from the last committed transaction.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** How long to retry creating the events topics (the cloud broker may still be starting); then exit 1, Docker restarts. */
  private static final long TOPICS_TIMEOUT_MS = 120_000;

  public static void main(String[] args) throws InterruptedException {
    Config cfg;
    try {
      cfg = Config.fromEnv(System.getenv());
    } catch (Config.Invalid e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("stock-processor starting: {}", cfg.describe());
    writeHealth(cfg.healthFile(), "STARTING");
    if (!cfg.eventsTopics().isEmpty()) {
      // Before the topology runs: a send to a missing sink topic would stall its task.
      try (Admin admin = Admin.create(EventTopics.adminProperties(cfg.streamsProperties()))) {
        EventTopics.ensure(EventTopics.of(admin), cfg.eventsTopics(), cfg.replicationFactor(), TOPICS_TIMEOUT_MS, 5000);
      } catch (Exception e) {
        LOG.error("cannot create the events topics {} within {} s, stopping", cfg.eventsTopics(), TOPICS_TIMEOUT_MS / 1000, e);
        System.exit(1);
        return;
      }
    }
    KafkaStreams streams = new KafkaStreams(StockTopology.build(cfg.topicPattern()), cfg.streamsProperties());
    CountDownLatch done = new CountDownLatch(1);
    int[] exit = {0};
    streams.setStateListener((now, before) -> {
      LOG.info("state {} -> {}", before, now);
      writeHealth(cfg.healthFile(), now.name());
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) done.countDown();
    });
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("stream thread failed, stopping", e);
      exit[0] = 1;
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close();
      done.countDown();
    }, "shutdown"));
    streams.start();
    done.await();
    streams.close();
    System.exit(exit[0]);
  }

  private static void writeHealth(String file, String state) {
    try {
      Path p = Path.of(file), tmp = Path.of(file + ".tmp");
      Files.createDirectories(p.getParent());
      Files.writeString(tmp, state + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot write health file {}: {}", file, e.getMessage());
    }
  }
}
