import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { ResolvedConfig } from "../../config";
import { powerBiDataSource } from "../../scripts/lib/powerbi";
import type { CONSOLE_ENV } from "../../services/console/src/env";
import { SUPERVISOR_HISTORY_MOUNT } from "../../services/console/src/contract";
import { APP_DB_USER } from "../../services/simulator/src/contract";
import type { Deployment } from "../../stacks/deployment";
import { eventHubsKafkaEndpoint } from "../azure/event-hubs-bridge";
import { ServiceContainer, componentLabels } from "../docker/service-container";
import { ServiceEnv } from "../docker/service-env";
import { bootstrapServers, hostPort } from "../kafka-endpoint";
import { CONSOLE_SECRETS } from "../secret-files";

export interface ConsoleServiceProps {
  /** The deployment: names, endpoints, configuration (`observability.console`). */
  readonly deployment: Deployment;
  readonly image: Image;
  /** Prometheus HTTP API base the history pages query. @default undefined (history pages degraded) */
  readonly prometheusUrl?: string;
  /** @default {} */
  readonly labels?: Record<string, string>;
  /** Started once these are healthy. @default [] */
  readonly after?: ServiceContainer[];
}

/** Where the console of a deployment reads the cloud side: the local stand-ins, or the cloud target's public endpoints. */
export function consoleCloudEndpoints(d: Deployment): { readonly cloudBrokers: string; readonly blobEndpoint: string; readonly account: string } {
  const c: ResolvedConfig = d.config;
  if (c.target === "local") return { cloudBrokers: hostPort(d.endpoints.localCloudKafka), blobEndpoint: d.endpoints.localLake.blobEndpoint, account: d.endpoints.localLake.account };
  const blob = { blobEndpoint: `https://${c.derived.storageAccountName}.blob.core.windows.net`, account: c.derived.storageAccountName };
  if (c.target === "event-hubs") return { cloudBrokers: hostPort(eventHubsKafkaEndpoint(c.derived.eventHubsNamespace)), ...blob };
  // Validation requires the bootstrap for this target.
  return { cloudBrokers: c.confluentCloud.bootstrapServers!, ...blob };
}

/**
 * A cloud target's lake reader (observability.console.lakeReader): tenant and client id, and where its
 * client secret lies (scripts/lib/secrets.ts writes it from the operator's environment). None configured:
 * none (the lake page then says the lake is not readable).
 */
function lakeReaderEnv(c: ResolvedConfig): ServiceEnv<typeof CONSOLE_ENV> {
  const r = c.derived.consoleLakeReader;
  if (!r) return {};
  return { CONSOLE_LAKE_TENANT_ID: r.tenantId, CONSOLE_LAKE_CLIENT_ID: r.clientId, CONSOLE_LAKE_CLIENT_SECRET_FILE: CONSOLE_SECRETS.files.lakeClientSecret.path };
}

/**
 * The operator's console (services/console): pages of every hop of the bridge on
 * 127.0.0.1:`observability.console.port`, live. An on-prem component with every target: it reads
 * the on-prem Kafka and Connect on loopback and the cloud side at the target's endpoints. Its
 * secrets (action credential; locally also its cloud Kafka user, the CA and the lake key) come from
 * its secrets volume; it mounts the Connect supervisors' restart history read-only.
 */
export class ConsoleService extends Construct {
  readonly service: ServiceContainer;
  /** http://127.0.0.1:<port> */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleServiceProps) {
    super(scope, id);
    const d = props.deployment;
    const c = d.config;
    const o = c.observability.console;
    const local = c.target === "local";
    const cloud = consoleCloudEndpoints(d);
    const f = CONSOLE_SECRETS.files;
    this.url = d.endpoints.consoleUrl;
    this.service = new ServiceContainer(this, "service", {
      name: d.names.of("console"),
      image: props.image,
      env: {
        CONSOLE_PORT: String(d.endpoints.console.port),
        CONSOLE_CREDENTIAL_FILE: f.credential.path,
        CONSOLE_DEPLOYMENT: d.names.prefix,
        CONSOLE_DC: c.onPrem.dc,
        CONSOLE_TARGET: c.target,
        // The console follows one site's hops (CONSOLE_DC's Kafka to the cloud): the first site's topics, not every site's.
        CONSOLE_TOPICS: c.derived.sites[0].derived.replicatedTopics.join(","),
        CONSOLE_ONPREM_BROKERS: bootstrapServers(d.endpoints.onPremKafka),
        CONSOLE_CLOUD_BROKERS: cloud.cloudBrokers,
        // Its cloud Kafka login: locally its own user; on a managed cloud the bridge's (scripts/lib/secrets.ts consoleCloudLogin).
        CONSOLE_CLOUD_CREDENTIALS_FILE: f.cloudKafka.path,
        // The local stand-in's own CA and the lake key; a managed cloud's brokers have public certificates,
        // and its lake is read with an Entra ID token: the reader's ids here, its secret in a file.
        ...(local ? { CONSOLE_CLOUD_CA_FILE: f.cloudCa.path, CONSOLE_LAKE_KEY_FILE: f.lakeKey.path } : lakeReaderEnv(c)),
        CONSOLE_SINK_GROUP: d.lakeSinkGroup,
        CONSOLE_CONNECT_URLS: d.endpoints.connect.join(","),
        ...(props.prometheusUrl ? { CONSOLE_PROMETHEUS_URL: props.prometheusUrl } : {}),
        CONSOLE_LAKE_BLOB_ENDPOINT: cloud.blobEndpoint,
        CONSOLE_LAKE_ACCOUNT: cloud.account,
        CONSOLE_LAKE_FILESYSTEM: c.azure.filesystem,
        CONSOLE_DB_HOST: d.endpoints.database.host,
        CONSOLE_DB_PORT: String(d.endpoints.database.port),
        CONSOLE_DB_NAME: c.onPrem.database.name,
        CONSOLE_DB_USER: APP_DB_USER,
        CONSOLE_DB_PASSWORD_FILE: f.dbPassword.path,
        CONSOLE_MASKED_FIELDS: o.maskedFields.join(","),
        // The .pbids names the lake's address only (no key): scripts/pbids.ts writes the same file.
        CONSOLE_PBIDS_JSON: JSON.stringify(powerBiDataSource(c)),
        CONSOLE_SUPERVISOR_HISTORY_DIR: SUPERVISOR_HISTORY_MOUNT,
      } satisfies ServiceEnv<typeof CONSOLE_ENV>,
      healthStartPeriodSeconds: 20,
      memoryMb: o.memoryMb,
      stopTimeoutSeconds: 15,
      mounts: [
        { volume: d.names.secrets(CONSOLE_SECRETS.service), target: CONSOLE_SECRETS.mount, readOnly: true },
        { volume: d.supervisorHistoryVolume, target: SUPERVISOR_HISTORY_MOUNT, readOnly: true },
      ],
      // A check is a shell reading the heartbeat (the kit's heartbeat-check.sh); every 10 s, not 5: the
      // console's budget is 5 % of a core (issue 11), and nothing depends on its health being quick.
      healthIntervalSeconds: 10,
      // The heartbeat file (CONSOLE_HEARTBEAT_FILE's default lies under /tmp).
      tmpfs: [{ target: "/tmp", sizeMb: 4 }],
      labels: componentLabels(props.labels, "console"),
      dependsOn: (props.after ?? []).map((s) => s.container),
    });
  }
}
