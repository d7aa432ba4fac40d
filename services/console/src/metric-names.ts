/**
 * The metric names the console reads from Prometheus: the services' from the service kit (where their
 * exporters take them), the JMX exporter's as its rules name them (images/connect/jmx-exporter.yaml),
 * and the console's own (src/metrics.ts registers them).
 */
import { LAKE_SINK_METRICS, SIMULATOR_METRICS } from "@bridge-to-azure/service-kit";

export const METRICS = {
  simulatorOrders: SIMULATOR_METRICS.ordersCommitted,
  simulatorRows: SIMULATOR_METRICS.rowsCommitted,
  simulatorErrors: SIMULATOR_METRICS.errors,
  simulatorLastCommit: SIMULATOR_METRICS.lastCommitTimestamp,
  sinkRecordsLanded: LAKE_SINK_METRICS.recordsLanded,
  sinkFilesLanded: LAKE_SINK_METRICS.filesLanded,
  sinkErrors: LAKE_SINK_METRICS.errors,
  sinkCommitToLand: LAKE_SINK_METRICS.commitToLand,
  sinkNewestFile: LAKE_SINK_METRICS.newestFileTimestamp,
  /** MirrorMaker 2 (kafka.connect.mirror:type=MirrorSourceConnector,…), per topic and partition, ms. */
  mm2ReplicationLatency: "kafka_connect_mirror_source_replication_latency_ms_avg",
  mm2RecordCount: "kafka_connect_mirror_source_record_count_total",
  debeziumBehindSource: "debezium_streaming_millisecondsbehindsource",
  hopLatency: "bridge_console_hop_latency_seconds",
  hopRecords: "bridge_console_hop_records_total",
} as const;
