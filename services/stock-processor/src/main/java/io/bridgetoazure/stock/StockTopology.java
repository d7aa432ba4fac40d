package io.bridgetoazure.stock;

import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two stages, each with a persistent state store backed by a changelog topic:
 *
 * <ol>
 *   <li>lines: the CDC topics of every site (keyed by line id, so every change of one line comes
 *       through one partition and one task) → store {@value #LINE_STORE} ("site|table|id" → last applied
 *       row image and its binlog version) → product deltas ({@link LineLedger}), re-keyed "site|product";
 *   <li>repartition topic {@code <application.id>-stock-deltas-repartition}: every delta of one product
 *       at one site reaches one task, whatever line and topic it came from;
 *   <li>stock: store {@value #STOCK_STORE} ("site|product" → stock on hand) → out-of-stock events
 *       ({@link StockLedger}) to topic {@code <site>_out_of_stock_events}, key product id.
 * </ol>
 *
 * With processing.guarantee exactly_once_v2, reading a record, the store updates (their changelogs),
 * the repartition write and the event write commit in one Kafka transaction with the input offsets,
 * so a crash or rebalance can neither lose nor repeat a delta or an event. What it cannot do is see
 * that two input records are one change delivered twice (MirrorMaker 2 and Connect deliver at least
 * once): the line store's versions catch that.
 */
public final class StockTopology {
  public static final String LINE_STORE = "line-state";
  public static final String STOCK_STORE = "stock-on-hand";
  public static final String DELTAS = "stock-deltas";
  private static final Logger LOG = LoggerFactory.getLogger(StockTopology.class);

  private StockTopology() {}

  public static Topology build(Pattern inputTopics) {
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LINE_STORE), Serdes.String(), Serdes.String()));
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STOCK_STORE), Serdes.String(), Serdes.Long()));
    b.stream(inputTopics, Consumed.with(Serdes.String(), Serdes.String()).withTimestampExtractor(new SourceTimestampExtractor()).withName("cdc-lines"))
        .process(LineProcessor::new, LINE_STORE)
        .repartition(Repartitioned.with(Serdes.String(), Serdes.String()).withName(DELTAS))
        .process(StockProcessor::new, STOCK_STORE)
        .to((key, event, ctx) -> event.topic(), Produced.with(EventJson.keySerde(), EventJson.valueSerde()).withName("out-of-stock-events"));
    return b.build();
  }

  /**
   * Event time = the change's commit time in the site database (__source_ts_ms), so that when the
   * purchase and the sales topic of a site are read together, Kafka Streams takes their records in
   * commit order rather than in the order MirrorMaker 2 happened to copy them.
   */
  static final class SourceTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      long ts = ChangeParser.sourceTimestamp((String) record.value());
      return ts > 0 ? ts : Math.max(record.timestamp(), Math.max(partitionTime, 0));
    }
  }

  /** Stage 1: line changes → product deltas keyed "site|product" (value: ProductDelta.encode()). */
  static final class LineProcessor implements Processor<String, String, String, String> {
    private ProcessorContext<String, String> ctx;
    private KeyValueStore<String, String> lines;
    private final java.util.EnumMap<LineLedger.Verdict, Long> counts = new java.util.EnumMap<>(LineLedger.Verdict.class);
    private long skipped, logged = -1;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.ctx = context;
      this.lines = context.getStateStore(LINE_STORE);
      // What the task did, every 30 s when something happened: applied, duplicate and stale changes, skipped records.
      context.schedule(java.time.Duration.ofSeconds(30), org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, now -> {
        long total = skipped + counts.values().stream().mapToLong(Long::longValue).sum();
        if (total == logged) return;
        logged = total;
        LOG.info("task {}: changes {} , records skipped {}", context.taskId(), counts, skipped);
      });
    }

    @Override
    public void process(Record<String, String> r) {
      String topic = ctx.recordMetadata().map(m -> m.topic()).orElse("");
      LineChange c;
      try {
        var parsed = ChangeParser.parse(topic, r.value());
        if (parsed.isEmpty()) return; // tombstone
        c = parsed.get();
      } catch (ChangeParser.BadRecord e) {
        // Skipped, with where it is: the record is still in the topic for whoever looks.
        var m = ctx.recordMetadata();
        LOG.warn("skipping record {}-{}@{}: {}", topic, m.map(x -> x.partition()).orElse(-1), m.map(x -> x.offset()).orElse(-1L), e.getMessage());
        skipped++;
        return;
      }
      String key = c.site() + "|" + c.kind().table + "|" + c.lineId();
      String stored = lines.get(key);
      LineLedger.Outcome o = LineLedger.apply(stored == null ? null : LineState.decode(stored), c);
      counts.merge(o.verdict(), 1L, Long::sum);
      if (o.verdict() != LineLedger.Verdict.APPLIED) {
        LOG.debug("{} change of {} ignored ({})", c.op(), key, o.verdict());
        return;
      }
      lines.put(key, o.state().encode());
      for (ProductDelta d : o.deltas()) ctx.forward(new Record<>(d.stockKey(), d.encode(), r.timestamp()));
    }
  }

  /** Stage 2: deltas → stock on hand → out-of-stock events keyed by product id. */
  static final class StockProcessor implements Processor<String, String, Integer, OutOfStockEvent> {
    private ProcessorContext<Integer, OutOfStockEvent> ctx;
    private KeyValueStore<String, Long> stock;

    @Override
    public void init(ProcessorContext<Integer, OutOfStockEvent> context) {
      this.ctx = context;
      this.stock = context.getStateStore(STOCK_STORE);
    }

    @Override
    public void process(Record<String, String> r) {
      ProductDelta d = ProductDelta.decode(r.value());
      Long prior = stock.get(d.stockKey());
      StockLedger.Outcome o = StockLedger.apply(prior == null ? 0 : prior, d);
      stock.put(d.stockKey(), o.stock());
      o.event().ifPresent(e -> {
        LOG.info("product {} out of stock at {} (on hand {}): event to {}", e.productId(), e.site(), e.quantityOnHand(), e.topic());
        ctx.forward(new Record<>(e.productId(), e, r.timestamp()));
      });
    }
  }
}
