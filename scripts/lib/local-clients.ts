/**
 * Clients of a deployed local topology (target "local"), from its resolved configuration and the
 * secrets `scripts/secrets.ts` stored for it: the database as the application user, the on-prem
 * Kafka, the cloud stand-in as the sink's user, the Azurite lake. Used by `npm run verify` and by
 * the tests' and benchmarks' deployment kit (test/kit/local-deployment.ts).
 */
import { readFileSync } from "fs";
import { join } from "path";
import { KafkaConfig, logLevel } from "kafkajs";
import { ResolvedConfig } from "../../config";
import { hostPort } from "../../constructs/kafka-endpoint";
import { APP_DB_USER } from "../../services/simulator/src/contract";
import { Deployment } from "../../stacks/deployment";
import { DbConnection, LakeLocation } from "../../verify/sources";
import { ROOT } from "./project-config";
import { LAKE_CLIENT_SECRET_ENV } from "../../config/schema";
import { consoleCloudEndpoints } from "../../constructs/observability/console";
import { SecretValues, consoleCloudLogin, consoleLakeClientSecret } from "./secrets";

export interface LocalClients {
  /** The deployment these clients reach (names, endpoints), from the same configuration as its stacks. */
  readonly deployment: Deployment;
  /** The stored secret values (read on first use). */
  secrets(): SecretValues;
  /** The database as the application user (what the simulator uses). */
  db(): DbConnection;
  onPremKafka(clientId: string): KafkaConfig;
  /** The local stand-in for the cloud Kafka, as the sink's user. */
  cloudKafka(clientId: string): KafkaConfig;
  /** Where the lake is (Azurite, path-style). */
  lake(): LakeLocation;
}

/** What every target's deployment has on-prem: the database, the on-prem Kafka, the stored secrets. */
function onPremClients(c: ResolvedConfig): Omit<LocalClients, "cloudKafka" | "lake"> & { readonly dir: string } {
  const deployment = new Deployment(c);
  const { names, endpoints } = deployment;
  const dir = join(ROOT, ".secrets", names.prefix);
  let cached: SecretValues | undefined;
  const secrets = () => (cached ??= JSON.parse(readFileSync(join(dir, "secrets.json"), "utf8")) as SecretValues);
  return {
    deployment,
    dir,
    secrets,
    db: () => ({ ...endpoints.database, user: APP_DB_USER, password: secrets().dbAppPassword, database: c.onPrem.database.name }),
    onPremKafka: (clientId) => ({ brokers: endpoints.onPremKafka.map(hostPort), clientId, logLevel: logLevel.NOTHING }),
  };
}

/**
 * Clients of a deployment of any target, as `npm run verify` reads it from the on-prem host: a cloud
 * target's Kafka with the bridge's login and its lake as the console's Entra ID reader (or, without
 * one, with the account key Confluent's sink uses), both from the operator's environment (TF_VAR_…,
 * BRIDGE_CONSOLE_LAKE_CLIENT_SECRET), as when the secrets are loaded. Locally: localClients.
 */
export function deploymentClients(c: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): LocalClients {
  if (c.target === "local") return localClients(c);
  const base = onPremClients(c);
  const cloud = consoleCloudEndpoints(base.deployment);
  const reader = c.derived.consoleLakeReader;
  const lakeKeyVariable = c.credentials.lakeAccessKey ? `TF_VAR_${c.credentials.lakeAccessKey}` : undefined;
  return {
    ...base,
    cloudKafka: (clientId) => {
      const login = consoleCloudLogin(c, env);
      if (!login) throw new Error(`verify reads the cloud Kafka of target "${c.target}" with the bridge's login, which the console's configuration carries (observability.console.enabled is false)`);
      return { brokers: cloud.cloudBrokers.split(","), clientId, logLevel: logLevel.NOTHING, ssl: true, sasl: { mechanism: "plain", ...login } };
    },
    lake: () => {
      const where = { blobEndpoint: cloud.blobEndpoint, account: cloud.account, filesystem: c.azure.filesystem };
      const clientSecret = consoleLakeClientSecret(c, env);
      if (reader && clientSecret) return { ...where, entra: { tenantId: reader.tenantId, clientId: reader.clientId, clientSecret } };
      const key = lakeKeyVariable ? env[lakeKeyVariable]?.trim() : undefined;
      if (key) return { ...where, accountKey: key };
      throw new Error(`verify reads the lake of target "${c.target}" as the console's Entra ID reader (observability.console.lakeReader and ${LAKE_CLIENT_SECRET_ENV})${lakeKeyVariable ? ` or with the account key (${lakeKeyVariable})` : ""}: set one`);
    },
  };
}

export function localClients(c: ResolvedConfig): LocalClients {
  if (c.target !== "local") throw new Error(`target: "${c.target}" — these clients are the local topology's (target "local")`);
  const { dir, ...base } = onPremClients(c);
  const { endpoints } = base.deployment;
  const secrets = base.secrets;
  return {
    ...base,
    cloudKafka: (clientId) => ({
      brokers: [hostPort(endpoints.localCloudKafka)],
      clientId,
      logLevel: logLevel.NOTHING,
      ssl: { ca: [readFileSync(join(dir, "tls", "ca.pem"), "utf8")] },
      sasl: { mechanism: "plain", username: "sink", password: secrets().cloudSinkPassword },
    }),
    lake: () => ({ ...endpoints.localLake, accountKey: secrets().lakeAccountKey }),
  };
}
