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
import { SecretValues } from "./secrets";

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

export function localClients(c: ResolvedConfig): LocalClients {
  if (c.target !== "local") throw new Error(`target: "${c.target}" — these clients are the local topology's (target "local")`);
  const deployment = new Deployment(c);
  const { names, endpoints } = deployment;
  const dir = join(ROOT, ".secrets", names.prefix);
  let cached: SecretValues | undefined;
  const secrets = () => (cached ??= JSON.parse(readFileSync(join(dir, "secrets.json"), "utf8")) as SecretValues);
  return {
    deployment,
    secrets,
    db: () => ({ ...endpoints.database, user: APP_DB_USER, password: secrets().dbAppPassword, database: c.onPrem.database.name }),
    onPremKafka: (clientId) => ({ brokers: endpoints.onPremKafka.map(hostPort), clientId, logLevel: logLevel.NOTHING }),
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
