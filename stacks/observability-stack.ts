import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { dockerProvider } from "../constructs/docker/docker-provider";
import { localImage } from "../constructs/docker/service-container";
import { ConsoleService } from "../constructs/observability/console";
import { Prometheus, ScrapeJob } from "../constructs/observability/prometheus";
import { CONSOLE_SCRAPE_JOB } from "../services/console/src/contract";
import { BaseStack, BaseStackProps } from "./base-stack";
import { Deployment } from "./deployment";

/** The `job` label of each part Prometheus scrapes: the Grafana dashboard and the tests select by it. */
export const SCRAPE_JOBS = {
  onPremKafka: "kafka-onprem",
  connect: "connect",
  simulator: "simulator",
  cloudKafka: "kafka-cloud",
  lakeSink: "lake-sink",
  /** The console's own /metrics (its hop probes), where it is deployed. */
  console: CONSOLE_SCRAPE_JOB,
} as const;

/**
 * The scrape jobs of a deployment's own parts, from its endpoints (stacks/deployment.ts): every on-prem
 * broker, every Connect worker, the simulator when deployed, and for target "local" the cloud stand-in's
 * broker and the lake sink (the managed clouds expose no JMX to scrape).
 */
export function topologyScrapeJobs(deployment: Deployment): ScrapeJob[] {
  const c = deployment.config;
  const m = deployment.endpoints.metrics;
  const jobs: ScrapeJob[] = [
    { job: SCRAPE_JOBS.onPremKafka, targets: m.onPremKafka.map((endpoint, i) => ({ endpoint, labels: { cluster: "onprem", broker: String(c.derived.brokers[i].nodeId) } })) },
    { job: SCRAPE_JOBS.connect, targets: m.connect.map((endpoint, i) => ({ endpoint, labels: { worker: String(i + 1) } })) },
  ];
  if (m.simulator) jobs.push({ job: SCRAPE_JOBS.simulator, targets: [{ endpoint: m.simulator }] });
  if (c.target === "local") {
    jobs.push({ job: SCRAPE_JOBS.cloudKafka, targets: m.localCloudKafka.map((endpoint, i) => ({ endpoint, labels: { cluster: "cloud", broker: String(i + 1) } })) });
    jobs.push({ job: SCRAPE_JOBS.lakeSink, targets: [{ endpoint: m.lakeSink }] });
  }
  return jobs;
}

export interface ObservabilityStackProps extends BaseStackProps {
  /** Stacks deployed first (the parts it scrapes). @default [] */
  readonly after?: TerraformStack[];
  /**
   * Scrape jobs beyond the topology's own (topologyScrapeJobs): the hook for parts built elsewhere,
   * e.g. `[{ job: "stock-processor", targets: [{ endpoint: loopbackEndpoint(19402) }] }]`.
   * @default []
   */
  readonly extraScrapeJobs?: readonly ScrapeJob[];
}

/**
 * The operator's view, on the on-prem Docker host: Prometheus scraping every part of the deployment on
 * loopback (brokers, Connect workers with Debezium and MirrorMaker 2, simulator, lake sink, console), its
 * retention bounded by configuration (`observability.prometheus`; Grafana reads it, README "Metrics"), and
 * the console (`observability.console`), which reads the on-prem parts on loopback and the cloud side at
 * the target's endpoints.
 */
export class ObservabilityStack extends BaseStack {
  readonly prometheus: Prometheus | undefined;
  readonly console: ConsoleService | undefined;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    for (const s of props.after ?? []) this.addDependency(s);
    const c = this.config;
    const p = c.observability.prometheus;
    const { names, endpoints } = this.deployment;
    dockerProvider(this, c.onPrem.dockerHost, c.providers.docker);
    const labels = this.deployment.labels(id);
    const consoleOn = c.observability.console.enabled;
    if (p.enabled) {
      this.prometheus = new Prometheus(this, "prometheus", {
        name: names.of("prometheus"),
        image: localImage(this, "image-prometheus", c.images.prometheus),
        port: endpoints.prometheus.port,
        jobs: [
          ...topologyScrapeJobs(this.deployment),
          // The console's own /metrics (its hop probes): scraped where it is deployed, beside Prometheus.
          ...(consoleOn ? [{ job: SCRAPE_JOBS.console, targets: [{ endpoint: endpoints.console }] }] : []),
          ...(props.extraScrapeJobs ?? []),
        ],
        scrapeIntervalSeconds: p.scrapeIntervalSeconds,
        retention: p.retention,
        retentionSize: p.retentionSize,
        memoryMb: p.memoryMb,
        externalLabels: { deployment: names.prefix },
        labels,
      });
    }
    if (consoleOn) {
      // Its history pages query Prometheus; without it they say so and the live pages still work.
      this.console = new ConsoleService(this, "console", {
        deployment: this.deployment,
        image: localImage(this, "image-console", c.images.console),
        prometheusUrl: this.prometheus ? endpoints.prometheusUrl : undefined,
        labels,
        after: this.prometheus ? [this.prometheus.service] : [],
      });
    }
    new TerraformOutput(this, "endpoints", {
      description: "What runs where (all on the Docker host's loopback)",
      value: {
        ...(this.prometheus ? { prometheus: endpoints.prometheusUrl } : {}),
        ...(this.console ? { console: this.console.url } : {}),
      },
    });
  }
}
