/**
 * The lake sink's Prometheus metrics (prom-client), names from the service kit (metric-names.ts): an
 * observer of the engine (EngineObserver) that counts into its own registry, served on
 * 127.0.0.1:SINK_METRICS_PORT/metrics by sink.ts.
 */
import { DURATION_BUCKETS_SECONDS, LAKE_SINK_METRICS as M, LATENCY_BUCKETS_SECONDS } from "@bridge-to-azure/service-kit";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { EngineErrorKind, EngineObserver, LandedFile } from "./engine";

const ERROR_KINDS: readonly EngineErrorKind[] = ["upload", "commit", "rejected", "bad_timestamp"];

export class SinkMetrics implements EngineObserver {
  readonly registry = new Registry();
  private readonly records: Counter<"topic">;
  private readonly files: Counter<"topic">;
  private readonly upload: Histogram<"topic">;
  private readonly lastOffset: Gauge<"topic" | "partition">;
  private readonly dedupe: Counter<"topic">;
  private readonly errors: Counter<"kind">;
  private readonly commitToLand: Histogram<"topic">;
  private readonly newestFile: Gauge<"topic">;

  /** @param topics the consumed topics: their counters exist (at 0) before the first file lands */
  constructor(topics: readonly string[]) {
    const registers = [this.registry];
    this.records = new Counter({ name: M.recordsLanded, help: "Records written into landed files", labelNames: ["topic"], registers });
    this.files = new Counter({ name: M.filesLanded, help: "Files landed (uploaded and committed)", labelNames: ["topic"], registers });
    this.upload = new Histogram({ name: M.uploadDuration, help: "Upload of a file (one Put Blob), seconds", labelNames: ["topic"], buckets: [...DURATION_BUCKETS_SECONDS], registers });
    this.lastOffset = new Gauge({ name: M.lastLandedOffset, help: "Last offset inside a landed file", labelNames: ["topic", "partition"], registers });
    this.dedupe = new Counter({ name: M.dedupeDropped, help: "Re-delivered changes dropped by source position", labelNames: ["topic"], registers });
    this.errors = new Counter({ name: M.errors, help: "Upload and commit failures, rejected records, bad timestamps", labelNames: ["kind"], registers });
    this.commitToLand = new Histogram({
      name: M.commitToLand,
      help: "Commit to lake by arrival: upload completion minus the Debezium source.ts_ms of each landed record, seconds",
      labelNames: ["topic"],
      buckets: [...LATENCY_BUCKETS_SECONDS],
      registers,
    });
    this.newestFile = new Gauge({ name: M.newestFileTimestamp, help: "Epoch seconds when the newest file of the topic landed", labelNames: ["topic"], registers });
    for (const topic of topics) {
      this.records.inc({ topic }, 0);
      this.files.inc({ topic }, 0);
      this.dedupe.inc({ topic }, 0);
    }
    for (const kind of ERROR_KINDS) this.errors.inc({ kind }, 0);
  }

  landed(f: LandedFile): void {
    const topic = f.topic;
    this.records.inc({ topic }, f.records);
    this.files.inc({ topic });
    this.upload.observe({ topic }, f.uploadMs / 1000);
    this.lastOffset.set({ topic, partition: String(f.partition) }, f.endOffset);
    // A clock step can make a record look committed after it landed: count it as 0, never negative.
    for (const ts of f.sourceTimestampsMs) this.commitToLand.observe({ topic }, Math.max(0, f.landedAtMs - ts) / 1000);
    this.newestFile.set({ topic }, f.landedAtMs / 1000);
  }

  dropped(topic: string, count: number): void {
    this.dedupe.inc({ topic }, count);
  }

  error(kind: EngineErrorKind): void {
    this.errors.inc({ kind });
  }

  /** The exposition text (what GET /metrics answers). */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
