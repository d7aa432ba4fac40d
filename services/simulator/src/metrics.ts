/**
 * The simulator's Prometheus metrics (prom-client), names from the service kit (metric-names.ts):
 * an observer of the simulator (SimulatorObserver) that counts into its own registry, served on
 * 127.0.0.1:SIM_METRICS_PORT/metrics by index.ts.
 */
import { DURATION_BUCKETS_SECONDS, SIMULATOR_METRICS as M } from "@bridge-to-azure/service-kit";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CommitRecord, SimulatorErrorKind, SimulatorObserver } from "./simulator";

export class SimulatorMetrics implements SimulatorObserver {
  readonly registry = new Registry();
  private readonly orders: Counter<"dc">;
  private readonly rows: Counter<"dc" | "table">;
  private readonly duration: Histogram;
  private readonly errors: Counter<"kind">;
  private readonly lastCommit: Gauge;

  /** @param dc the data-centre id (SIM_DC_ID), label of every count */
  constructor(private readonly dc: string) {
    const registers = [this.registry];
    this.orders = new Counter({ name: M.ordersCommitted, help: "Sales orders committed", labelNames: ["dc"], registers });
    this.rows = new Counter({ name: M.rowsCommitted, help: "Rows written by committed transactions, per table", labelNames: ["dc", "table"], registers });
    this.duration = new Histogram({ name: M.commitDuration, help: "BEGIN to COMMIT acknowledged of each committed order, seconds", buckets: [...DURATION_BUCKETS_SECONDS], registers });
    this.errors = new Counter({ name: M.errors, help: "Failed order attempts by kind (deadlock, transient, data, fatal)", labelNames: ["kind"], registers });
    this.lastCommit = new Gauge({ name: M.lastCommitTimestamp, help: "Epoch seconds of the last committed order", registers });
    // Present (at 0) from the start, so a rate() has a series before the first order.
    this.orders.inc({ dc }, 0);
    for (const kind of ["deadlock", "transient", "data", "fatal"] as const) this.errors.inc({ kind }, 0);
  }

  committed(rec: CommitRecord, rowsByTable: Readonly<Record<string, number>>): void {
    this.orders.inc({ dc: this.dc });
    for (const [table, n] of Object.entries(rowsByTable)) this.rows.inc({ dc: this.dc, table }, n);
    this.duration.observe(Math.max(0, rec.committedAtMs - rec.startedAtMs) / 1000);
    this.lastCommit.set(rec.committedAtMs / 1000);
  }

  error(kind: SimulatorErrorKind): void {
    this.errors.inc({ kind });
  }

  /** The exposition text (what GET /metrics answers). */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
