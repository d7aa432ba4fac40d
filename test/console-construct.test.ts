/**
 * The console construct (constructs/observability/console.ts) on the synthesized JSON of each
 * target: local reads the stand-ins on loopback; the cloud targets synthesize it as an on-prem
 * component reading the cloud endpoints, with no secret in its environment.
 */
import { Testing } from "cdktf";
import { resolveConfig, TARGETS } from "../config";
import { ConsoleService } from "../constructs/observability/console";
import { localImage } from "../constructs/docker/service-container";
import { CONSOLE_SECRETS } from "../constructs/secret-files";
import { Deployment } from "../stacks/deployment";
import { TARGET_CONFIGS } from "./target-configs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

function consoleContainer(target: (typeof TARGETS)[number], extra: object = {}): { env: Record<string, string>; c: TfJson; d: Deployment } {
  const d = new Deployment(resolveConfig({ ...TARGET_CONFIGS[target], ...extra }));
  const json = JSON.parse(Testing.synthScope((scope) => new ConsoleService(scope, "console", { deployment: d, image: localImage(scope, "image", d.config.images.console) }))) as TfJson;
  const c = Object.values(json.resource.docker_container)[0] as TfJson;
  return { env: Object.fromEntries((c.env as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)])), c, d };
}

describe("the console construct", () => {
  test("GIVEN target local WHEN synthesized THEN it reads the local stand-ins on loopback with its secrets from files, on its configured port", () => {
    const { env, c, d } = consoleContainer("local", { observability: { console: { port: 18999 } } });
    expect(c.network_mode).toBe("host");
    expect(env.CONSOLE_PORT).toBe("18999");
    expect(env.CONSOLE_CLOUD_BROKERS).toBe("127.0.0.1:29092");
    expect(env.CONSOLE_LAKE_BLOB_ENDPOINT).toBe(d.endpoints.localLake.blobEndpoint);
    expect(env.CONSOLE_CLOUD_CREDENTIALS_FILE).toMatch(/^\/run\/secrets\/console\//);
    expect(env.CONSOLE_SINK_GROUP).toBe(d.lakeSinkGroup);
    expect(env.CONSOLE_MASKED_FIELDS).toBe("email");
    expect(JSON.parse(env.CONSOLE_PBIDS_JSON!).connections[0].details.address.url).toBe(d.endpoints.localLakeUrl);
    expect(c.mounts.map((m: TfJson) => [m.source, m.read_only])).toEqual([[d.names.secrets("console"), true], [d.supervisorHistoryVolume, true]]);
  });

  test.each([
    ["event-hubs", /\.servicebus\.windows\.net:9093$/],
    ["confluent-cloud", /^pkc-12345\.westeurope\.azure\.confluent\.cloud:9092$/],
  ] as const)("GIVEN target %s WHEN synthesized THEN an on-prem component reading the cloud endpoints, nothing secret in its environment", (target, brokers) => {
    const { env, d } = consoleContainer(target);
    expect(env.CONSOLE_CLOUD_BROKERS).toMatch(brokers);
    expect(env.CONSOLE_LAKE_BLOB_ENDPOINT).toBe(`https://${d.config.derived.storageAccountName}.blob.core.windows.net`);
    expect(env.CONSOLE_ONPREM_BROKERS).toMatch(/^127\.0\.0\.1:/);
    expect(env.CONSOLE_CONNECT_URLS).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(env.CONSOLE_TARGET).toBe(target);
    // The bridge's login, as a file of its secrets volume (scripts/lib/secrets.ts consoleCloudLogin); no local CA, no lake key.
    expect(env.CONSOLE_CLOUD_CREDENTIALS_FILE).toBe(CONSOLE_SECRETS.files.cloudKafka.path);
    expect(env.CONSOLE_CLOUD_CA_FILE).toBeUndefined();
    expect(env.CONSOLE_LAKE_KEY_FILE).toBeUndefined();
    // Secrets come as files only (…_FILE names a path under the secrets volume), never as a value.
    expect(Object.keys(env).filter((k) => /PASSWORD$|KEY$|SECRET|CREDENTIAL$/.test(k) && !k.endsWith("_FILE"))).toEqual([]);
    expect(Object.entries(env).filter(([k]) => k.endsWith("_FILE")).every(([, v]) => v.startsWith(`${CONSOLE_SECRETS.mount}/`))).toBe(true);
    // The lake is read with Entra ID where its configuration names a reader (event-hubs: shared keys off), else not at all.
    const reader = d.config.derived.consoleLakeReader;
    expect(env.CONSOLE_LAKE_CLIENT_SECRET_FILE).toBe(reader ? CONSOLE_SECRETS.files.lakeClientSecret.path : undefined);
    expect(target === "event-hubs" ? reader?.clientId : undefined).toBe(env.CONSOLE_LAKE_CLIENT_ID);
  });

  test("GIVEN the console's port equal to another service's WHEN the configuration is resolved THEN refused naming both fields", () => {
    expect(() => resolveConfig({ observability: { console: { port: 18083 } } })).toThrow(/observability\.console\.port.*18083|18083.*observability\.console\.port/s);
  });

  test("GIVEN a masked field that is not a column name WHEN resolved THEN refused naming the entry", () => {
    expect(() => resolveConfig({ observability: { console: { maskedFields: ["email", "e-mail"] } } })).toThrow(/observability\.console\.maskedFields\[1\]: "e-mail"/);
  });
});
