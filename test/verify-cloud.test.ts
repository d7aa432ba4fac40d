/**
 * `npm run verify` on a cloud target (scripts/lib/local-clients.ts deploymentClients): the cloud Kafka
 * with the bridge's login, the lake as the console's Entra ID reader (no shared key), both from the
 * operator's environment; and verify's lake reader signing in with Entra ID (verify/sources.ts readLake).
 */
import { resolveConfig } from "../config";
import { LAKE_CLIENT_SECRET_ENV } from "../config/schema";
import { deploymentClients } from "../scripts/lib/local-clients";
import { LAKE_READER, TARGET_CONFIGS } from "../scripts/lib/variants";
import { NamedClientCredential, lakeCredential, readLake } from "../verify/sources";

const SECRET = "verify-client-secret-stand-in~x1";

describe("verify's clients on target event-hubs (shared keys off)", () => {
  const config = resolveConfig(TARGET_CONFIGS["event-hubs"]);
  const env = { [`TF_VAR_${config.credentials.eventHubsConnectionString}`]: "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v", [LAKE_CLIENT_SECRET_ENV]: SECRET };

  test("GIVEN the lake reader and its secret WHEN verify's lake is made THEN the account's https endpoint, signed in with Entra ID as that client, no key", () => {
    const lake = deploymentClients(config, env).lake();
    expect(lake).toEqual({
      blobEndpoint: `https://${config.derived.storageAccountName}.blob.core.windows.net`,
      account: config.derived.storageAccountName,
      filesystem: "orders",
      entra: { tenantId: LAKE_READER.tenantId, clientId: LAKE_READER.clientId, clientSecret: SECRET },
    });
    expect(lakeCredential(lake)).toBeInstanceOf(NamedClientCredential);
  });

  test("GIVEN no client secret WHEN verify's lake is made THEN the error names the variable to set", () => {
    expect(() => deploymentClients(config, { ...env, [LAKE_CLIENT_SECRET_ENV]: undefined }).lake()).toThrow(new RegExp(`set ${LAKE_CLIENT_SECRET_ENV}`));
  });

  test("GIVEN the connection string in TF_VAR_ WHEN verify's cloud Kafka is made THEN SASL_SSL PLAIN as $ConnectionString on the namespace's Kafka endpoint", () => {
    const k = deploymentClients(config, env).cloudKafka("verify");
    expect(k.brokers).toEqual([expect.stringMatching(/\.servicebus\.windows\.net:9093$/)]);
    expect(k.ssl).toBe(true);
    expect(k.sasl).toEqual({ mechanism: "plain", username: "$ConnectionString", password: env[`TF_VAR_${config.credentials.eventHubsConnectionString}`] });
  });

  test("GIVEN an Entra ID lake that gives no token WHEN verify reads it THEN it fails with the client's reason, not a shared-key error, never the secret", async () => {
    const lake = deploymentClients(config, env).lake();
    const e = await readLake(lake, "dc01_sales_order_details").then(() => undefined, (x: Error) => x);
    expect(e?.message).toMatch(new RegExp(`^Entra ID token for client ${LAKE_READER.clientId} (refused: AADSTS\\d+|not obtained: )`));
    expect(e?.message).not.toContain(SECRET);
  }, 20000);
});

describe("verify's lake on target confluent-cloud (shared keys on, no reader)", () => {
  test("GIVEN the lake's access key in its TF_VAR_ WHEN verify's lake is made THEN the account key", () => {
    const config = resolveConfig(TARGET_CONFIGS["confluent-cloud"]);
    const lake = deploymentClients(config, { [`TF_VAR_${config.credentials.lakeAccessKey}`]: "a2V5" }).lake();
    expect(lake.accountKey).toBe("a2V5");
    expect(lake.entra).toBeUndefined();
  });
  test("GIVEN neither WHEN verify's lake is made THEN the error names both ways in", () => {
    const config = resolveConfig(TARGET_CONFIGS["confluent-cloud"]);
    expect(() => deploymentClients(config, {}).lake()).toThrow(new RegExp(`${LAKE_CLIENT_SECRET_ENV}.*TF_VAR_${config.credentials.lakeAccessKey}`));
  });
});
