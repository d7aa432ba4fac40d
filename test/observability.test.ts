/**
 * The observability stack: Prometheus' scrape targets derived from the configuration (every broker,
 * Connect worker, the simulator, the local cloud and lake sink, the console), its retention flags, the
 * console beside it, the extra-job hook,
 * and the metrics ports validated with the other host ports.
 */
import { Testing } from "cdktf";
import { resolveConfig, ConfigError } from "../config";
import { BridgeConfig, DeepPartial } from "../config/types";
import { prometheusConfig } from "../constructs/observability/prometheus";
import { CONSOLE_SCRAPE_JOB } from "../services/console/src/contract";
import { buildStacks } from "../main";
import { Deployment } from "../stacks/deployment";
import { ObservabilityStack, SCRAPE_JOBS, topologyScrapeJobs } from "../stacks/observability-stack";
import { TARGET_CONFIGS } from "./target-configs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

const envOf = (container: TfJson | undefined): Record<string, string> =>
  Object.fromEntries((container?.env ?? []).map((e: string) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

/** The observability stack's container named bridge-dev-<component>, if synthesized. */
function containerOf(json: TfJson, component: string): TfJson | undefined {
  return Object.values(json.resource?.docker_container ?? {}).find((c: TfJson) => c.name === `bridge-dev-${component}`);
}

function prometheusContainer(input: DeepPartial<BridgeConfig>): { container: TfJson | undefined; env: Record<string, string>; config: TfJson; json: TfJson } {
  const { observability } = buildStacks(Testing.app(), resolveConfig(input));
  const json = JSON.parse(Testing.synth(observability));
  const container = containerOf(json, "prometheus");
  const env = envOf(container);
  return { container, env, config: env.PROMETHEUS_CONFIG ? JSON.parse(env.PROMETHEUS_CONFIG) : undefined, json };
}

/** job → its targets ("127.0.0.1:19094"). */
const targetsByJob = (config: TfJson): Record<string, string[]> =>
  Object.fromEntries(config.scrape_configs.map((j: TfJson) => [j.job_name, j.static_configs.flatMap((s: TfJson) => s.targets)]));

describe("observability stack", () => {
  test("GIVEN the local target with 3 brokers and 2 Connect workers THEN every part is scraped at its metrics port, on loopback", () => {
    const { config, container } = prometheusContainer({ onPrem: { kafka: { brokers: 3 }, connect: { workers: 2 } } });
    expect(container).toMatchObject({ name: "bridge-dev-prometheus", network_mode: "host" });
    expect(targetsByJob(config)).toEqual({
      [SCRAPE_JOBS.onPremKafka]: ["127.0.0.1:19094", "127.0.0.1:19104", "127.0.0.1:19114"],
      [SCRAPE_JOBS.connect]: ["127.0.0.1:18183", "127.0.0.1:18184"],
      [SCRAPE_JOBS.simulator]: ["127.0.0.1:19400"],
      [SCRAPE_JOBS.cloudKafka]: ["127.0.0.1:29094"],
      [SCRAPE_JOBS.lakeSink]: ["127.0.0.1:19401"],
      [CONSOLE_SCRAPE_JOB]: ["127.0.0.1:18888"],
    });
    expect(config.scrape_configs[0].static_configs.map((s: TfJson) => s.labels)).toEqual([
      { cluster: "onprem", broker: "1" }, { cluster: "onprem", broker: "2" }, { cluster: "onprem", broker: "3" },
    ]);
    expect(config.global).toMatchObject({ scrape_interval: "5s", scrape_timeout: "5s", external_labels: { deployment: "bridge-dev" } });
  });

  test("GIVEN the brokers' and workers' ports THEN the metrics ports Prometheus scrapes are the ones the containers are told", () => {
    const app = Testing.app();
    const stacks = buildStacks(app, resolveConfig({ onPrem: { kafka: { brokers: 2 } } }));
    const onprem = JSON.parse(Testing.synth(stacks.onPrem));
    const envOfName = (name: string) => envOf(Object.values(onprem.resource.docker_container).find((x: TfJson) => x.name === name));
    const jobs = Object.fromEntries(topologyScrapeJobs(stacks.observability.deployment).map((j) => [j.job, j.targets.map((t) => t.endpoint.port)]));
    expect([envOfName("bridge-dev-kafka-1").KAFKA_METRICS_PORT, envOfName("bridge-dev-kafka-2").KAFKA_METRICS_PORT].map(Number)).toEqual(jobs[SCRAPE_JOBS.onPremKafka]);
    expect([Number(envOfName("bridge-dev-connect-1").CONNECT_METRICS_PORT)]).toEqual(jobs[SCRAPE_JOBS.connect]);
    expect([Number(envOfName("bridge-dev-simulator").SIM_METRICS_PORT)]).toEqual(jobs[SCRAPE_JOBS.simulator]);
  });

  test("GIVEN retention, size, interval and memory in the configuration THEN Prometheus gets them", () => {
    const { env, config, container } = prometheusContainer({ observability: { prometheus: { port: 19999, retention: "6h", retentionSize: "512MB", scrapeIntervalSeconds: 15, memoryMb: 400 } } });
    expect(env).toMatchObject({ PROMETHEUS_LISTEN: "127.0.0.1:19999", PROMETHEUS_RETENTION: "6h", PROMETHEUS_RETENTION_SIZE: "512MB", GOMEMLIMIT: "320MiB" });
    expect(config.global).toMatchObject({ scrape_interval: "15s", scrape_timeout: "10s" });
    expect(container.memory).toBe(400);
  });

  test("GIVEN a cloud target THEN only the on-prem parts are scraped (the managed clouds expose no JMX), the console among them", () => {
    const { config } = prometheusContainer(TARGET_CONFIGS["event-hubs"]);
    expect(Object.keys(targetsByJob(config)).sort()).toEqual([SCRAPE_JOBS.connect, SCRAPE_JOBS.onPremKafka, SCRAPE_JOBS.simulator, CONSOLE_SCRAPE_JOB].sort());
  });

  test("GIVEN the defaults WHEN synthesized THEN the console is deployed beside Prometheus, reads its history from it and starts after it", () => {
    const { json } = prometheusContainer({});
    const console = containerOf(json, "console");
    expect(console).toMatchObject({ network_mode: "host" });
    expect(envOf(console)).toMatchObject({ CONSOLE_PORT: "18888", CONSOLE_PROMETHEUS_URL: "http://127.0.0.1:19090" });
    expect(console.depends_on).toEqual([expect.stringMatching(/^docker_container\.prometheus_/)]);
    expect(json.output.endpoints.value).toEqual({ prometheus: "http://127.0.0.1:19090", console: "http://127.0.0.1:18888" });
  });

  test("GIVEN Prometheus disabled THEN there is no Prometheus, and the console runs without history", () => {
    const { container, json } = prometheusContainer({ observability: { prometheus: { enabled: false } } });
    expect(container).toBeUndefined();
    expect(envOf(containerOf(json, "console")).CONSOLE_PROMETHEUS_URL).toBeUndefined();
  });

  test("GIVEN the console disabled THEN it is neither deployed nor scraped", () => {
    const { config, json } = prometheusContainer({ observability: { console: { enabled: false } } });
    expect(containerOf(json, "console")).toBeUndefined();
    expect(targetsByJob(config)[CONSOLE_SCRAPE_JOB]).toBeUndefined();
  });

  test("GIVEN an extra scrape job (a part built elsewhere) THEN it is scraped besides the topology's", () => {
    const deployment = new Deployment(resolveConfig({}));
    const stack = new ObservabilityStack(Testing.app(), "observability", { deployment, extraScrapeJobs: [{ job: "stock-processor", targets: [{ endpoint: { host: "127.0.0.1", port: 19600 } }] }] });
    const config = JSON.parse(envOf(containerOf(JSON.parse(Testing.synth(stack)), "prometheus")).PROMETHEUS_CONFIG);
    expect(targetsByJob(config)["stock-processor"]).toEqual(["127.0.0.1:19600"]);
  });

  test("GIVEN a job twice or without targets THEN the config is refused", () => {
    const t = { endpoint: { host: "127.0.0.1", port: 1 } };
    expect(() => prometheusConfig({ jobs: [{ job: "a", targets: [t] }, { job: "a", targets: [t] }], scrapeIntervalSeconds: 5 })).toThrow(/job "a" twice/);
    expect(() => prometheusConfig({ jobs: [{ job: "a", targets: [] }], scrapeIntervalSeconds: 5 })).toThrow(/no target/);
  });

  test("GIVEN a metrics port that collides with a broker's THEN the configuration names both fields", () => {
    let err: unknown;
    try {
      resolveConfig({ onPrem: { simulator: { metricsPort: 19094 } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/19094.*collides/);
    expect((err as Error).message).toMatch(/onPrem.simulator.metricsPort/);
  });

  test("GIVEN a retention that is no Prometheus duration THEN it is refused with the rule", () => {
    expect(() => resolveConfig({ observability: { prometheus: { retention: "7 days" } } })).toThrow(/observability.prometheus.retention: "7 days" — must be a Prometheus duration/);
  });
});
