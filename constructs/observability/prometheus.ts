import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { LOOPBACK, ServiceContainer, componentLabels, dataVolume } from "../docker/service-container";
import { KafkaEndpoint, hostPort } from "../kafka-endpoint";

/** Where Prometheus keeps its samples (images/prometheus: the data volume's mount point). */
export const PROMETHEUS_DATA_DIR = "/var/lib/prometheus/metrics2";

/** One scrape target: an endpoint serving GET /metrics, with labels of its own. */
export interface ScrapeTarget {
  readonly endpoint: KafkaEndpoint;
  /** Labels on every series of the target ("broker": "1"). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A scrape job: its name is the `job` label (Grafana's panels and `up{job=…}` select by it). */
export interface ScrapeJob {
  readonly job: string;
  readonly targets: readonly ScrapeTarget[];
  /** @default "/metrics" */
  readonly metricsPath?: string;
}

export interface PrometheusConfigOptions {
  readonly jobs: readonly ScrapeJob[];
  /** Seconds between scrapes of each target. */
  readonly scrapeIntervalSeconds: number;
  /** Labels on every series ("deployment": "bridge-dev"). @default {} */
  readonly externalLabels?: Readonly<Record<string, string>>;
}

/**
 * prometheus.yml as JSON (JSON is YAML): one job per part, static loopback targets. A scrape may take at
 * most the interval (Prometheus refuses a timeout above it), at most 10 s.
 */
export function prometheusConfig(o: PrometheusConfigOptions): string {
  const seen = new Set<string>();
  for (const j of o.jobs) {
    if (seen.has(j.job)) throw new Error(`prometheusConfig: job "${j.job}" twice`);
    seen.add(j.job);
    if (j.targets.length === 0) throw new Error(`prometheusConfig: job "${j.job}" has no target`);
  }
  if (!Number.isInteger(o.scrapeIntervalSeconds) || o.scrapeIntervalSeconds < 1) throw new Error(`prometheusConfig: scrapeIntervalSeconds ${o.scrapeIntervalSeconds} must be a whole number ≥ 1`);
  const interval = `${o.scrapeIntervalSeconds}s`;
  return JSON.stringify({
    global: {
      scrape_interval: interval,
      scrape_timeout: `${Math.min(10, o.scrapeIntervalSeconds)}s`,
      evaluation_interval: interval,
      ...(o.externalLabels && Object.keys(o.externalLabels).length > 0 ? { external_labels: o.externalLabels } : {}),
    },
    scrape_configs: o.jobs.map((j) => ({
      job_name: j.job,
      metrics_path: j.metricsPath ?? "/metrics",
      static_configs: j.targets.map((t) => ({ targets: [hostPort(t.endpoint)], ...(t.labels && Object.keys(t.labels).length > 0 ? { labels: t.labels } : {}) })),
    })),
  });
}

export interface PrometheusProps {
  /** Container name; the data volume is `<name>-data`. */
  readonly name: string;
  readonly image: Image;
  /** Loopback port of the UI and HTTP API. */
  readonly port: number;
  /** What to scrape (prometheusConfig). */
  readonly jobs: readonly ScrapeJob[];
  readonly scrapeIntervalSeconds: number;
  /** --storage.tsdb.retention.time, e.g. "7d". */
  readonly retention: string;
  /** --storage.tsdb.retention.size, e.g. "1GB". */
  readonly retentionSize: string;
  /** Memory limit, MiB; the Go runtime is told to stay within 80 % of it (GOMEMLIMIT). */
  readonly memoryMb: number;
  /** Labels on every series. @default {} */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** Labels on the container and volume. @default {} */
  readonly labels?: Record<string, string>;
}

/**
 * Prometheus (images/prometheus: Debian's package) on LOOPBACK:`port`, scraping the given jobs on
 * loopback, its samples in a volume of their own, bounded in time and size. The configuration reaches
 * it as PROMETHEUS_CONFIG: a change of targets replaces the container, the samples stay in the volume.
 */
export class Prometheus extends Construct {
  readonly service: ServiceContainer;
  /** http://127.0.0.1:<port> */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    this.url = `http://${LOOPBACK}:${props.port}`;
    const volume = dataVolume(this, "data", `${props.name}-data`, props.labels);
    this.service = new ServiceContainer(this, "service", {
      name: props.name,
      image: props.image,
      env: {
        PROMETHEUS_CONFIG: prometheusConfig({ jobs: props.jobs, scrapeIntervalSeconds: props.scrapeIntervalSeconds, externalLabels: props.externalLabels }),
        PROMETHEUS_LISTEN: `${LOOPBACK}:${props.port}`,
        PROMETHEUS_RETENTION: props.retention,
        PROMETHEUS_RETENTION_SIZE: props.retentionSize,
        GOMEMLIMIT: `${Math.floor(props.memoryMb * 0.8)}MiB`,
      },
      healthStartPeriodSeconds: 30,
      memoryMb: props.memoryMb,
      // Lets the TSDB write its head block out cleanly.
      stopTimeoutSeconds: 30,
      mounts: [{ volume: volume.name, target: PROMETHEUS_DATA_DIR }],
      // The generated prometheus.yml (entrypoint: PROMETHEUS_RUNTIME_DIR=/tmp/prometheus).
      tmpfs: [{ target: "/tmp", sizeMb: 4 }],
      labels: componentLabels(props.labels, "prometheus"),
    });
  }
}
