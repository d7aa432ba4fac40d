/**
 * The metric names the console reads from Prometheus. TEMPORARY local list: the exporters' names
 * live in services/kit/src/metric-names.ts on the metrics branch; once it is merged this file
 * re-exports from there (the names are spelled here and nowhere else in the console).
 */
export const METRICS = {
  simulatorOrders: "bridge_simulator_orders_committed_total",
  simulatorRows: "bridge_simulator_rows_committed_total",
  simulatorErrors: "bridge_simulator_errors_total",
  simulatorLastCommit: "bridge_simulator_last_commit_timestamp_seconds",
  sinkRecordsLanded: "bridge_lake_sink_records_landed_total",
  sinkFilesLanded: "bridge_lake_sink_files_landed_total",
  sinkErrors: "bridge_lake_sink_errors_total",
  sinkCommitToLand: "bridge_lake_sink_commit_to_land_seconds",
  sinkNewestFile: "bridge_lake_sink_newest_file_timestamp_seconds",
  mm2ReplicationLatency: "kafka_connect_mirror_mirrorsourceconnector_replication_latency_ms",
  mm2RecordCount: "kafka_connect_mirror_mirrorsourceconnector_record_count",
  connectSourceRecordsWritten: "kafka_connect_source_task_source_record_write_total",
  debeziumBehindSource: "debezium_streaming_millisecondsbehindsource",
  /** The console's own (src/metrics.ts registers them). */
  hopLatency: "bridge_console_hop_latency_seconds",
  hopRecords: "bridge_console_hop_records_total",
} as const;
