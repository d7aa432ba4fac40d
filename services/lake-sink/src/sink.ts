/**
 * Wiring: kafkajs consumer (autoCommit off) -> LakeEngine -> Azure blob store.
 * All engine calls (batches, the idle timer, shutdown) run under one async lock.
 */
import { FatalError, Logger, MetricsServer, startMetricsServer } from "@bridge-to-azure/service-kit";
import { Admin, Consumer, EachBatchPayload, Kafka, logLevel as KafkaLogLevel, LogEntry } from "kafkajs";
import { AzureBlobStore } from "./azure-store";
import { describeConfig, LakeSinkConfig } from "./config";
import { LakeEngine, SinkRecord, toSinkRecord } from "./engine";
import { HeartbeatWriter } from "./health";
import { SinkMetrics } from "./metrics";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LakeSink {
  private lockTail: Promise<unknown> = Promise.resolve();
  private readonly kafka: Kafka;
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly store: AzureBlobStore;
  readonly engine: LakeEngine;
  /** What /metrics serves (SINK_METRICS_PORT). */
  readonly metrics: SinkMetrics;
  private metricsServer: MetricsServer | undefined;
  private readonly heartbeat: HeartbeatWriter;
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];
  private lastFetchAt: number | undefined;
  private fatal: ((e: Error) => void) | undefined;
  private readonly startedAt = Date.now();

  constructor(private readonly cfg: LakeSinkConfig, private readonly log: Logger) {
    const k = cfg.kafka;
    this.kafka = new Kafka({
      clientId: k.clientId,
      brokers: k.brokers,
      ssl: k.security === "sasl_ssl" ? (k.ca ? { ca: [k.ca] } : true) : false,
      sasl: k.security === "sasl_ssl" ? { mechanism: "plain", username: k.username, password: k.password } : undefined,
      connectionTimeout: 10000,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10000 },
      logLevel: log.level === "debug" ? KafkaLogLevel.INFO : KafkaLogLevel.WARN,
      logCreator: () => (e: LogEntry) => {
        const { message, ...rest } = e.log;
        delete (rest as Record<string, unknown>).timestamp;
        delete (rest as Record<string, unknown>).logger;
        const kafkaLog = log.child(`kafkajs ${e.namespace}`);
        if (e.level <= KafkaLogLevel.ERROR) kafkaLog.error(message, rest);
        else if (e.level === KafkaLogLevel.WARN) kafkaLog.warn(message, rest);
        else kafkaLog.debug(message, rest);
      },
    });
    this.consumer = this.kafka.consumer({
      groupId: k.groupId,
      sessionTimeout: k.sessionTimeoutMs,
      heartbeatInterval: k.heartbeatIntervalMs,
      retry: { retries: 8 },
    });
    this.admin = this.kafka.admin();
    this.store = AzureBlobStore.create(cfg.storage);
    this.metrics = new SinkMetrics(k.topics);
    this.engine = new LakeEngine(
      { topicsDir: cfg.storage.topicsDir, pathTokens: cfg.storage.pathTokens, rotation: cfg.rotation, dedupe: cfg.dedupe },
      this.store,
      (topic, partition, next) => this.consumer.commitOffsets([{ topic, partition, offset: String(next) }]),
      log,
      Date.now,
      this.metrics,
    );
    this.heartbeat = new HeartbeatWriter(cfg.heartbeatFile, cfg.healthMaxAgeMs, (e) => log.warn(`heartbeat: ${e.message}`));
  }

  private withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lockTail.then(fn, fn);
    this.lockTail = run.catch(() => undefined);
    return run;
  }

  /** Starts consuming; resolves when running, rejects on startup failure. `done` settles on a fatal error. */
  async start(): Promise<{ done: Promise<void> }> {
    const done = new Promise<void>((_, reject) => {
      this.fatal = reject;
    });
    done.catch(() => undefined);
    this.log.info(`lake sink starting (pid ${process.pid}): ${describeConfig(this.cfg)}`);
    this.heartbeat.start(() => {
      const m = this.engine.metrics;
      return {
        lastFetchAt: this.lastFetchAt ? new Date(this.lastFetchAt).toISOString() : null,
        lastLandedAt: this.engine.lastLandedAt ? new Date(this.engine.lastLandedAt).toISOString() : null,
        failingSince: this.engine.failingSince ? new Date(this.engine.failingSince).toISOString() : null,
        files: m.files,
        records: m.written,
        dataProblems: this.engine.dataProblems.count,
        lastDataProblemAt: this.engine.dataProblems.lastAt ? new Date(this.engine.dataProblems.lastAt).toISOString() : null,
        // one line, bounded: the log has the full text
        lastDataProblem: this.engine.dataProblems.last?.slice(0, 500) ?? null,
      };
    });
    if (this.cfg.metricsPort > 0) {
      this.metricsServer = await startMetricsServer({ port: this.cfg.metricsPort, render: () => this.metrics.render(), onError: (e) => this.log.warn(`metrics: ${e.message}`) });
      this.log.info(`metrics: http://127.0.0.1:${this.metricsServer.port}/metrics`);
    }
    await this.ensureContainer();
    await this.admin.connect();
    await this.consumer.connect();
    const c = this.consumer;
    c.on(c.events.GROUP_JOIN, (e) => {
      // New generation: kafkajs re-reads the committed offsets, so uncommitted open files are
      // re-delivered; every partition is recovered from the lake again on its first batch.
      this.engine.reset();
      const assigned = Object.entries(e.payload.memberAssignment).map(([t, ps]) => `${t}[${(ps as number[]).join(",")}]`).join(" ");
      this.log.info(`joined group ${this.cfg.kafka.groupId}: ${assigned || "no partitions"}`);
    });
    c.on(c.events.FETCH, () => {
      this.lastFetchAt = Date.now();
    });
    c.on(c.events.CRASH, (e) => {
      const err = e.payload.error;
      if (e.payload.restart) this.log.warn(`consumer crashed, restarting: ${err.message}`);
      else this.fatal?.(new FatalError(`consumer crashed: ${err.message}`));
    });
    await c.subscribe({ topics: this.cfg.kafka.topics, fromBeginning: this.cfg.kafka.fromBeginning });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (this.stopping) return;
        // kafkajs heartbeats only between batches and when asked: keep the membership alive while
        // this batch waits for the lock (a timer's upload) or lands a file, which can take longer
        // than the short session timeout when the storage is slow (SDK retries).
        const beat = setInterval(() => {
          heartbeat().catch((e: Error) => this.log.debug(`heartbeat during a batch: ${e.message}`));
        }, this.cfg.kafka.heartbeatIntervalMs);
        try {
          await this.runBatch(batch, resolveOffset, heartbeat, isRunning, isStale);
        } finally {
          clearInterval(beat);
        }
      },
    });
    const tickMs = Math.max(100, Math.min(1000, Math.floor(this.cfg.rotation.idleFlushMs / 4)));
    this.timers.push(
      setInterval(() => {
        if (!this.stopping) void this.withLock(() => this.engine.tick()).catch((e) => this.log.warn(`tick: ${(e as Error).message}`));
      }, tickMs),
    );
    if (this.cfg.metricsIntervalMs > 0) {
      this.timers.push(setInterval(() => this.logMetrics(), this.cfg.metricsIntervalMs));
    }
    this.heartbeat.write({ state: "running" });
    this.log.info("lake sink running");
    return { done };
  }

  private async runBatch(
    batch: EachBatchPayload["batch"],
    resolveOffset: EachBatchPayload["resolveOffset"],
    heartbeat: EachBatchPayload["heartbeat"],
    isRunning: EachBatchPayload["isRunning"],
    isStale: EachBatchPayload["isStale"],
  ): Promise<void> {
    await this.withLock(async () => {
      if (this.stopping || isStale()) return;
      const { topic, partition } = batch;
      const first = Number(batch.firstOffset() ?? batch.messages[0]?.offset ?? 0);
      if (!this.engine.has(topic, partition)) {
        const committed = await this.committedOffset(topic, partition);
        const r = await this.engine.assign(topic, partition, committed, first);
        if (r.seekTo !== undefined && r.seekTo > first) {
          this.consumer.seek({ topic, partition, offset: String(r.seekTo) });
          return;
        }
      }
      const records: SinkRecord[] = batch.messages.map(toSinkRecord);
      const last = await this.engine.process(topic, partition, records, () => isRunning() && !isStale() && !this.stopping);
      if (last !== undefined) resolveOffset(String(last));
      await heartbeat();
    });
  }

  logMetrics(final = false): void {
    const up = (Date.now() - this.startedAt) / 1000;
    const m = this.engine.metrics;
    this.log.info("metrics", { final, uptime_s: Math.round(up), ...m, records_per_s: Math.round((m.records / Math.max(up, 1)) * 10) / 10 });
  }

  private async committedOffset(topic: string, partition: number): Promise<number | null> {
    const res = await this.admin.fetchOffsets({ groupId: this.cfg.kafka.groupId, topics: [topic] });
    const p = res.find((t) => t.topic === topic)?.partitions.find((x) => x.partition === partition);
    const n = p ? Number(p.offset) : -1;
    return Number.isSafeInteger(n) && n >= 0 ? n : null;
  }

  private async ensureContainer(): Promise<void> {
    const deadline = Date.now() + this.cfg.startupTimeoutMs;
    let delay = 500;
    for (;;) {
      try {
        const created = await this.store.ensureContainer();
        this.log.info(`storage ${this.cfg.storage.endpoint}/${this.cfg.storage.filesystem}: ${created ? "container created" : "container exists"}`);
        return;
      } catch (e) {
        const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
        const code = (e as { statusCode?: number }).statusCode;
        if (code === 401 || code === 403) throw new FatalError(`storage ${this.cfg.storage.endpoint}: access denied (HTTP ${code}): ${msg}`);
        if (Date.now() + delay > deadline) throw new FatalError(`storage ${this.cfg.storage.endpoint} not reachable within ${this.cfg.startupTimeoutMs} ms (SINK_STARTUP_TIMEOUT_MS): ${msg}`);
        this.log.warn(`storage ${this.cfg.storage.endpoint} not ready (${msg}); retrying in ${delay} ms`);
        await sleep(delay);
        delay = Math.min(delay * 2, 10000);
      }
    }
  }

  /** Graceful stop: no new batches, land and commit open files, leave the group. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.heartbeat.write({ state: "stopping" });
    for (const t of this.timers) clearInterval(t);
    try {
      this.consumer.pause(this.cfg.kafka.topics.map((topic) => ({ topic })));
    } catch {
      /* not running */
    }
    await this.withLock(() => this.engine.flushAll());
    this.logMetrics(true);
    await this.consumer.disconnect();
    await this.admin.disconnect().catch(() => undefined);
    await this.metricsServer?.close();
    this.heartbeat.close();
  }

  /** Hard stop after a failure: disconnect without flushing (uncommitted records are re-delivered). */
  async abort(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.heartbeat.close();
    await this.metricsServer?.close().catch(() => undefined);
    await this.consumer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
