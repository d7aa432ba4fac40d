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
import { DeploymentNames, LOCAL_LAKE_ACCOUNT, localBlobEndpoint } from "../../stacks/names";
import { DbConnection, LakeLocation } from "../../verify/sources";
import { ROOT } from "./project-config";
import { SecretValues } from "./secrets";

export interface LocalClients {
  readonly names: DeploymentNames;
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

export function localClients(c: ResolvedConfig): LocalClients {
  if (c.target !== "local") throw new Error(`target: "${c.target}" — these clients are the local topology's (target "local")`);
  const names = new DeploymentNames(c);
  const dir = join(ROOT, ".secrets", names.prefix);
  let cached: SecretValues | undefined;
  const secrets = () => (cached ??= JSON.parse(readFileSync(join(dir, "secrets.json"), "utf8")) as SecretValues);
  return {
    names,
    secrets,
    db: () => ({ host: "127.0.0.1", port: c.onPrem.database.port, user: "orders_app", password: secrets().dbAppPassword, database: c.onPrem.database.name }),
    onPremKafka: (clientId) => ({ brokers: [...c.derived.onPremBootstrap], clientId, logLevel: logLevel.NOTHING }),
    cloudKafka: (clientId) => ({
      brokers: [`127.0.0.1:${c.local.kafkaPort}`],
      clientId,
      logLevel: logLevel.NOTHING,
      ssl: { ca: [readFileSync(join(dir, "tls", "ca.pem"), "utf8")] },
      sasl: { mechanism: "plain", username: "sink", password: secrets().cloudSinkPassword },
    }),
    lake: () => ({ blobEndpoint: localBlobEndpoint(c.local.azuriteBlobPort), account: LOCAL_LAKE_ACCOUNT, accountKey: secrets().lakeAccountKey, filesystem: c.azure.filesystem }),
  };
}
