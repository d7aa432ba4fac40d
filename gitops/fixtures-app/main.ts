/**
 * A small stack built from this project's configuration, planned for real
 * (terraform plan against the local Docker engine and a Kafka Connect REST
 * API) to produce the plan fixtures of test/fixtures/plans/. Run by
 * gitops/fixtures/regenerate.sh, never by the GitOps pipeline.
 *
 * It mirrors the on-prem side in miniature: a container (docker provider) and
 * the Debezium source connector (Mongey/kafka-connect) with its password in
 * `config_sensitive`, fed by a sensitive variable.
 *
 * FIXTURE_STEP selects the revision of the "code":
 *   1  initial
 *   2  connector config edited (keys added, removed, changed), password rotated
 *   3  as 2, plus a container command change (forces replacement)
 * FIXTURE_OUTDIR           synth output dir (default cdktf.out.fixtures)
 * FIXTURE_CONNECT_URL      Kafka Connect REST URL (default http://127.0.0.1:18183)
 * FIXTURE_DOCKER_VERSION   kreuzwerker/docker version constraint (default: the one @cdktf/provider-docker pins)
 */
import { mkdirSync } from "fs";
import { App, Fn, TerraformOutput, TerraformResource, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { Container } from "@cdktf/provider-docker/lib/container";
import { DataDockerImage } from "@cdktf/provider-docker/lib/data-docker-image";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { loadConfig } from "../../config";
import { BaseStack, BaseStackProps } from "../../stacks/base-stack";

export const MANAGED_LABEL = "io.bridge-to-azure.managed";

export interface FixtureStackProps extends BaseStackProps {
  readonly step: 1 | 2 | 3;
  readonly connectUrl: string;
  readonly dockerVersion?: string;
}

export class FixtureStack extends BaseStack {
  constructor(scope: Construct, id: string, props: FixtureStackProps) {
    super(scope, id, props);
    const c = this.config;
    const db = c.onPrem.database;
    const step = props.step;

    new DockerProvider(this, "docker", { host: c.onPrem.dockerHost });
    if (props.dockerVersion) this.addOverride("terraform.required_providers.docker.version", props.dockerVersion);
    this.addOverride("terraform.required_providers.kafka-connect", { source: "Mongey/kafka-connect", version: "0.5.0" });
    this.addOverride("provider.kafka-connect", [{ url: props.connectUrl }]);

    const password = new TerraformVariable(this, "cdc_password", {
      type: "string",
      sensitive: true,
      description: "Password of the CDC user (fixture: a fake value).",
    });

    const image = new DataDockerImage(this, "base", { name: "debian:bookworm-slim" });
    const probe = new Container(this, "probe", {
      name: `${c.project}-${c.environment}-fixture-probe`,
      image: image.id,
      networkMode: "host",
      command: ["sleep", step === 3 ? "7200" : "3600"],
      env: [`DB_NAME=${db.name}`, `DB_PORT=${db.port}`],
      labels: [
        { label: MANAGED_LABEL, value: "true" },
        { label: "io.bridge-to-azure.stack", value: id },
      ],
      mustRun: true,
      destroyGraceSeconds: 1,
    });

    const name = `${c.onPrem.dc}-orders-cdc`;
    const tables = c.onPrem.tables.map((t) => `${db.name}.${t}`);
    const config: Record<string, string> = {
      name,
      "connector.class": db.flavour === "mariadb" ? "io.debezium.connector.mariadb.MariaDbConnector" : "io.debezium.connector.mysql.MySqlConnector",
      "tasks.max": "1",
      "database.hostname": "127.0.0.1",
      "database.port": String(db.port),
      "database.user": db.cdcUser,
      "database.server.id": String(db.serverId + 1000),
      "topic.prefix": c.onPrem.dc,
      "database.include.list": db.name,
      "table.include.list": (step === 1 ? tables.slice(0, 3) : tables).join(","),
      "snapshot.mode": step === 1 ? "initial" : "when_needed",
      "schema.history.internal.kafka.bootstrap.servers": c.derived.bootstrapServers,
      "schema.history.internal.kafka.topic": `${c.onPrem.dc}_schema_history`,
    };
    if (step === 1) config["decimal.handling.mode"] = "string";
    else config["heartbeat.interval.ms"] = "10000";

    const connector = new TerraformResource(this, "cdc", { terraformResourceType: "kafka-connect_connector" });
    connector.addOverride("name", name);
    connector.addOverride("config", config);
    // Rotation in step 2: the same variable with a suffix, so both values are known fakes.
    connector.addOverride("config_sensitive", {
      "database.password": step === 1 ? password.stringValue : Fn.format("%s-rotated", [password.stringValue]),
    });
    connector.addOverride("depends_on", [`docker_container.${probe.friendlyUniqueId}`]);

    new TerraformOutput(this, "connector_name", { value: name });
    new TerraformOutput(this, "probe_container_id", { value: probe.id });
    new TerraformOutput(this, "cdc_password_out", { value: password.stringValue, sensitive: true });
  }
}

if (require.main === module) {
  const step = Number(process.env.FIXTURE_STEP ?? "1");
  if (step !== 1 && step !== 2 && step !== 3) throw new Error(`FIXTURE_STEP must be 1, 2 or 3, not ${process.env.FIXTURE_STEP}`);
  const outdir = process.env.FIXTURE_OUTDIR ?? "cdktf.out.fixtures";
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  const config = loadConfig(app);
  if (config.backend.type !== "local") throw new Error("the fixture app plans with local state only (unset BRIDGE_CONFIG backend)");
  new FixtureStack(app, "onprem-fixture", {
    config,
    step,
    connectUrl: process.env.FIXTURE_CONNECT_URL ?? "http://127.0.0.1:18183",
    dockerVersion: process.env.FIXTURE_DOCKER_VERSION || undefined,
  });
  app.synth();
}
