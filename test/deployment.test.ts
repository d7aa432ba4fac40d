/**
 * The deployment model (stacks/deployment.ts): built once from the resolved configuration, it is
 * what the stacks deploy and what the scripts' clients connect to, so the two cannot disagree.
 */
import { Testing } from "cdktf";
import { resolveConfig } from "../config";
import { DEPLOYMENT_LABEL, STACK_LABEL } from "../constructs/docker/service-container";
import { bootstrapServers, hostPort } from "../constructs/kafka-endpoint";
import { buildStacks } from "../main";
import { localClients } from "../scripts/lib/local-clients";
import { powerBiDataSource } from "../scripts/lib/powerbi";
import { Deployment } from "../stacks/deployment";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

/** Ports off every default, so a value taken from a default instead of the configuration shows. */
const INPUT = {
  environment: "qa",
  onPrem: { database: { flavour: "mysql" as const, port: 13406 }, kafka: { brokers: 3, basePort: 19192 }, connect: { workers: 2, basePort: 18183 } },
  local: { kafkaPort: 29192, kafkaControllerPort: 29193, azuriteBlobPort: 10100 },
  azure: { filesystem: "landing" },
};

describe("GIVEN a configuration with its own ports, environment and flavour", () => {
  const config = resolveConfig(INPUT);
  const d = new Deployment(config);

  test("WHEN the model is built THEN every endpoint is on loopback at the configured port, in node/worker order", () => {
    expect(d.endpoints.database).toEqual({ host: "127.0.0.1", port: 13406 });
    expect(d.endpoints.onPremKafka).toEqual([19192, 19202, 19212].map((port) => ({ host: "127.0.0.1", port })));
    expect(d.endpoints.connect).toEqual(["http://127.0.0.1:18183", "http://127.0.0.1:18184"]);
    expect(d.endpoints.localCloudKafka).toEqual({ host: "127.0.0.1", port: 29192 });
    expect(d.endpoints.localLake).toEqual({ account: "bridgelake", filesystem: "landing", blobEndpoint: "http://127.0.0.1:10100/bridgelake" });
    expect(d.endpoints.localLakeUrl).toBe("http://127.0.0.1:10100/bridgelake/landing");
  });

  test("WHEN names, labels and secret specs are asked for THEN they carry the deployment's prefix and the configured flavour", () => {
    expect(d.names.of("kafka")).toBe("bridge-qa-kafka");
    expect(d.labels("onprem")).toEqual({ [DEPLOYMENT_LABEL]: "bridge-qa", [STACK_LABEL]: "onprem" });
    expect(d.databaseSecrets.service).toBe("mysql");
    expect(new Deployment(resolveConfig({})).databaseSecrets.service).toBe("mariadb");
  });

  test("WHEN main.ts synthesizes the stacks THEN they deploy the model's endpoints", () => {
    const { onPrem, bridge } = buildStacks(Testing.app(), config);
    const onprem: TfJson = JSON.parse(Testing.synth(onPrem));
    const br: TfJson = JSON.parse(Testing.synth(bridge));
    const env = (component: string): Record<string, string> => {
      const c: TfJson = Object.values(br.resource.docker_container).find((x: TfJson) => x.labels.some((l: TfJson) => l.value === component));
      return Object.fromEntries((c.env as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    };
    // THEN the on-prem outputs are the model's values, the bridge's Connect provider its first worker
    expect(onprem.output.endpoints.value).toMatchObject({
      database: "mysql://127.0.0.1:13406/orders",
      kafka: bootstrapServers(d.endpoints.onPremKafka),
      connect: d.endpoints.connect.join(","),
    });
    expect(br.provider["kafka-connect"]).toEqual([{ alias: "replication-connect", url: d.endpoints.connect[0] }]);
    // AND the lake sink reads the model's cloud Kafka and writes the model's lake
    expect(env("lake-sink")).toMatchObject({
      KAFKA_BROKERS: hostPort(d.endpoints.localCloudKafka),
      STORAGE_BLOB_ENDPOINT: d.endpoints.localLake.blobEndpoint,
      STORAGE_ACCOUNT: d.endpoints.localLake.account,
      STORAGE_FILESYSTEM: d.endpoints.localLake.filesystem,
    });
    expect(br.output.endpoints.value.lake).toBe(d.endpoints.localLakeUrl);
  });

  test("WHEN the scripts build their clients and the Power BI source THEN they reach the same endpoints", () => {
    const clients = localClients(config);
    expect(clients.deployment.endpoints).toEqual(d.endpoints);
    expect(clients.onPremKafka("t").brokers).toEqual(["127.0.0.1:19192", "127.0.0.1:19202", "127.0.0.1:19212"]);
    expect(powerBiDataSource(config).connections[0].details.address.url).toBe(d.endpoints.localLakeUrl);
  });
});
