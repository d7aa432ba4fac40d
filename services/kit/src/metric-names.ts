/**
 * The Prometheus metric names the services expose on `/metrics`, once: the services register them
 * (prom-client), the Grafana dashboard (docs/grafana/bridge-to-azure.json) and the console query them.
 * No dependencies: importing this module loads nothing else.
 */

/** The order simulator (services/simulator). */
export const SIMULATOR_METRICS = {
  /** Counter, label `dc`: sales orders committed. */
  ordersCommitted: "bridge_simulator_orders_committed_total",
  /** Counter, labels `dc`, `table`: rows written by committed transactions, per table. */
  rowsCommitted: "bridge_simulator_rows_committed_total",
  /** Histogram: BEGIN → COMMIT acknowledged of each committed order, seconds. */
  commitDuration: "bridge_simulator_commit_duration_seconds",
  /** Counter, label `kind` (deadlock, transient, data, fatal): failed attempts. */
  errors: "bridge_simulator_errors_total",
  /** Gauge: epoch seconds of the last committed order. */
  lastCommitTimestamp: "bridge_simulator_last_commit_timestamp_seconds",
} as const;

/** The lake sink (services/lake-sink). */
export const LAKE_SINK_METRICS = {
  /** Counter, label `topic`: records written into landed files. */
  recordsLanded: "bridge_lake_sink_records_landed_total",
  /** Counter, label `topic`: files landed. */
  filesLanded: "bridge_lake_sink_files_landed_total",
  /** Histogram, label `topic`: duration of a file's upload, seconds. */
  uploadDuration: "bridge_lake_sink_upload_duration_seconds",
  /** Gauge, labels `topic`, `partition`: last offset inside a landed file. */
  lastLandedOffset: "bridge_lake_sink_last_landed_offset",
  /** Counter, label `topic`: re-delivered changes dropped by source position. */
  dedupeDropped: "bridge_lake_sink_dedupe_dropped_total",
  /** Counter, label `kind` (upload, commit, rejected, bad_timestamp): failures and data problems. */
  errors: "bridge_lake_sink_errors_total",
  /**
   * Histogram, label `topic`: commit → lake by arrival: the upload's completion minus the Debezium
   * `source.ts_ms` of each landed record, seconds.
   */
  commitToLand: "bridge_lake_sink_commit_to_land_seconds",
  /** Gauge, label `topic`: epoch seconds when the newest file of the topic landed. */
  newestFileTimestamp: "bridge_lake_sink_newest_file_timestamp_seconds",
} as const;

/** Buckets of commit → hop latency histograms, seconds: fine enough for p50/p99 between 0.05 s and 60 s. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6.5, 8, 10, 13, 16, 20, 25, 30, 40, 50, 60, 90, 120,
];

/** Buckets of short operations (a commit, an upload), seconds. */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
