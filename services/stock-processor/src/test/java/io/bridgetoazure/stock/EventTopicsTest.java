package io.bridgetoazure.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

class EventTopicsTest {
  /** A cluster in memory: topics by name, failing the first {@code failures} listings. */
  static final class FakeCluster implements EventTopics.Cluster {
    final Set<String> topics = new HashSet<>();
    final List<NewTopic> creates = new ArrayList<>();
    int failures;
    String raceOn;

    @Override
    public Set<String> existing() {
      if (failures > 0) {
        failures--;
        throw new TimeoutException("broker not available");
      }
      return Set.copyOf(topics);
    }

    @Override
    public void create(NewTopic t) throws Exception {
      creates.add(t);
      if (t.name().equals(raceOn) || topics.contains(t.name())) throw new ExecutionException(new TopicExistsException(t.name()));
      topics.add(t.name());
    }
  }

  @Test
  void givenOneOfTwoTopicsExists_whenEnsured_thenOnlyTheMissingOneIsCreatedWithOnePartitionAndTheFactor() throws Exception {
    var c = new FakeCluster();
    c.topics.add("dc01_out_of_stock_events");
    var created = EventTopics.ensure(c, List.of("dc01_out_of_stock_events", "dc02_out_of_stock_events"), 3, 1000, 10);
    assertEquals(List.of("dc02_out_of_stock_events"), created);
    assertEquals(1, c.creates.size());
    assertEquals(1, c.creates.get(0).numPartitions());
    assertEquals((short) 3, c.creates.get(0).replicationFactor());
  }

  @Test
  void givenReplicationFactorMinusOne_whenMissing_thenTheBrokerDefaultIsLeftToTheBroker() {
    var t = EventTopics.missing(List.of("dc01_out_of_stock_events"), Set.of(), -1);
    assertEquals(1, t.size());
    assertEquals(-1, t.get(0).replicationFactor());
    assertEquals(1, t.get(0).numPartitions());
  }

  @Test
  void givenAllTopicsExist_whenEnsured_thenNothingIsCreated() throws Exception {
    var c = new FakeCluster();
    c.topics.add("dc01_out_of_stock_events");
    assertEquals(List.of(), EventTopics.ensure(c, List.of("dc01_out_of_stock_events"), 1, 1000, 10));
    assertTrue(c.creates.isEmpty());
  }

  @Test
  void givenAnotherInstanceCreatesTheTopicFirst_whenEnsured_thenTheRaceIsNoError() throws Exception {
    var c = new FakeCluster();
    c.raceOn = "dc01_out_of_stock_events";
    assertEquals(List.of(), EventTopics.ensure(c, List.of("dc01_out_of_stock_events"), 1, 1000, 10));
    assertEquals(1, c.creates.size());
  }

  @Test
  void givenTheBrokerIsNotUpYet_whenEnsured_thenItRetriesAndCreates() throws Exception {
    var c = new FakeCluster();
    c.failures = 2;
    assertEquals(List.of("dc01_out_of_stock_events"), EventTopics.ensure(c, List.of("dc01_out_of_stock_events"), 1, 5000, 10));
  }

  @Test
  void givenTheBrokerStaysDown_whenEnsured_thenTheLastFailureIsThrownAfterTheTimeout() {
    var c = new FakeCluster();
    c.failures = Integer.MAX_VALUE;
    long t0 = System.currentTimeMillis();
    assertThrows(TimeoutException.class, () -> EventTopics.ensure(c, List.of("dc01_out_of_stock_events"), 1, 200, 20));
    assertTrue(System.currentTimeMillis() - t0 < 2000);
  }

  @Test
  void givenStreamsProperties_whenAdminPropertiesAreTaken_thenOnlyConnectionAndSecurityKeysRemain() {
    var s = new Properties();
    s.put("bootstrap.servers", "127.0.0.1:29092");
    s.put("security.protocol", "SASL_SSL");
    s.put("sasl.jaas.config", "x");
    s.put("ssl.truststore.location", "/ca.pem");
    s.put("application.id", "app");
    s.put("processing.guarantee", "exactly_once_v2");
    var a = EventTopics.adminProperties(s);
    assertEquals(Set.of("bootstrap.servers", "security.protocol", "sasl.jaas.config", "ssl.truststore.location"), a.stringPropertyNames());
  }
}
