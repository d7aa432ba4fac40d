/**
 * How the console signs in to the lake (verify/sources.ts lakeCredential, shared with verify): the
 * account key for Azurite, Entra ID when its client is configured; what a refused token looks like on
 * the lake panel; and the cut of long reasons.
 */
import { configProblems } from "@bridge-to-azure/service-kit";
import { StorageSharedKeyCredential } from "@azure/storage-blob";
import { EntraClient, NamedClientCredential, entraFailure, lakeCredential } from "../../../verify/sources";
import { loadConfig } from "../src/config";
import { cutText, errorText, LakeClient, MAX_REASON_CHARS } from "../src/sources";

const SECRET = "client-secret-MUST-NOT-SHOW~9q";
const TENANT = "00000000-0000-0000-0000-00000000a001";
const CLIENT = "00000000-0000-0000-0000-00000000c001";
const FILES: Record<string, string> = {
  "/s/credential": "abcdefghijklmnopqrstuvwx\n",
  "/s/lake-key": "a2V5\n",
  "/s/lake-client-secret": `${SECRET}\n`,
};
const readFile = (p: string) => {
  if (!(p in FILES)) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
  return FILES[p]!;
};
const BASE = {
  CONSOLE_CREDENTIAL_FILE: "/s/credential",
  CONSOLE_TOPICS: "dc01_sales_order_details",
  CONSOLE_ONPREM_BROKERS: "127.0.0.1:19092",
  CONSOLE_CLOUD_BROKERS: "127.0.0.1:29092",
  CONSOLE_CONNECT_URLS: "http://127.0.0.1:18083",
  CONSOLE_LAKE_ACCOUNT: "bridgelake",
};
const AZURITE = { ...BASE, CONSOLE_LAKE_BLOB_ENDPOINT: "http://127.0.0.1:10000/bridgelake", CONSOLE_LAKE_KEY_FILE: "/s/lake-key" };
const AZURE = {
  ...BASE,
  CONSOLE_TARGET: "event-hubs",
  CONSOLE_LAKE_BLOB_ENDPOINT: "https://bridgelake.blob.core.windows.net",
  CONSOLE_LAKE_TENANT_ID: TENANT,
  CONSOLE_LAKE_CLIENT_ID: CLIENT,
  CONSOLE_LAKE_CLIENT_SECRET_FILE: "/s/lake-client-secret",
};

describe("the lake's credential", () => {
  test("GIVEN Azurite with the account key (local) WHEN the credential is built THEN the shared key, no Entra ID", () => {
    const lake = loadConfig(AZURITE, readFile).lake;
    expect(lake.entra).toBeUndefined();
    expect(lakeCredential(lake)).toBeInstanceOf(StorageSharedKeyCredential);
  });

  test("GIVEN an Azure lake with an Entra ID client WHEN the credential is built THEN a client-secret credential for that tenant and client, one per configuration (its token cache kept)", () => {
    const lake = loadConfig(AZURE, readFile).lake;
    expect(lake.entra).toEqual({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });
    const credential = lakeCredential(lake);
    expect(credential).toBeInstanceOf(NamedClientCredential);
    expect(credential).not.toBeInstanceOf(StorageSharedKeyCredential);
    expect(lakeCredential(lake)).toBe(credential);
  });

  test("GIVEN both a key and an Entra ID client WHEN the credential is built THEN Entra ID (the key may be disabled on the account)", () => {
    expect(lakeCredential({ account: "a", accountKey: "a2V5", entra: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET } })).toBeInstanceOf(NamedClientCredential);
  });

  test("GIVEN neither WHEN the credential is built THEN the reason says so", () => {
    expect(() => lakeCredential({ account: "a" })).toThrow("no account key and no Entra ID client configured");
  });
});

describe("the Entra ID variables", () => {
  test("GIVEN only the client id WHEN loaded THEN the tenant and the secret file are required with it", () => {
    const { CONSOLE_LAKE_TENANT_ID: _t, CONSOLE_LAKE_CLIENT_SECRET_FILE: _s, ...partial } = AZURE;
    expect(configProblems(() => loadConfig(partial, readFile))).toEqual([
      expect.stringMatching(/^CONSOLE_LAKE_TENANT_ID.*is required with CONSOLE_LAKE_CLIENT_ID/),
      expect.stringMatching(/^CONSOLE_LAKE_CLIENT_SECRET_FILE.*is required with CONSOLE_LAKE_CLIENT_ID/),
    ]);
  });

  test("GIVEN an Entra ID client and an http endpoint WHEN loaded THEN refused: a bearer token never travels in clear", () => {
    expect(configProblems(() => loadConfig({ ...AZURE, CONSOLE_LAKE_BLOB_ENDPOINT: "http://bridgelake.blob.core.windows.net" }, readFile))).toEqual([
      expect.stringMatching(/^CONSOLE_LAKE_BLOB_ENDPOINT="http:\/\/bridgelake\.blob\.core\.windows\.net": must be https:\/\//),
    ]);
  });

  test("GIVEN a tenant name instead of its id, and the secret itself in the environment WHEN loaded THEN both refused, the secret not echoed", () => {
    const problems = configProblems(() => loadConfig({ ...AZURE, CONSOLE_LAKE_TENANT_ID: "contoso.onmicrosoft.com", CONSOLE_LAKE_CLIENT_SECRET: SECRET }, readFile));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^CONSOLE_LAKE_TENANT_ID="contoso\.onmicrosoft\.com": must be a tenant id \(UUID\)/), expect.stringMatching(/^CONSOLE_LAKE_CLIENT_SECRET /)]));
    expect(JSON.stringify(problems)).not.toContain(SECRET);
  });
});

describe("a refused token on the lake panel", () => {
  const client: EntraClient = { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET };
  // The shape of Entra ID's answer to a wrong secret (AADSTS7000215), with its trace ids: longer than a panel line.
  const AADSTS =
    "ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, " +
    `not the client secret ID, for a secret added to app '${CLIENT}'.\r\nTrace ID: ${"f".repeat(36)}\r\nCorrelation ID: ${"e".repeat(36)}\r\nTimestamp: 2026-12-04 21:00:00Z ` +
    `(echoed by a proxy: ${SECRET}) ` + "x".repeat(600);

  test("GIVEN Entra ID refusing the secret WHEN a token is asked for THEN the reason names the client and the AADSTS code first, on one line, never the secret, cut to the panel's length", async () => {
    const refusing = new NamedClientCredential({ getToken: async () => Promise.reject(new Error(AADSTS)) }, client);
    const e = await refusing.getToken("https://storage.azure.com/.default").then(() => undefined, (x: unknown) => x);
    const reason = errorText(e);
    expect(reason.startsWith(`Entra ID token for client ${CLIENT} refused: AADSTS7000215: Invalid client secret provided.`)).toBe(true);
    expect(reason).not.toContain(SECRET);
    expect(reason).not.toMatch(/[\r\n]/);
    expect(reason).toHaveLength(MAX_REASON_CHARS);
    expect(reason.endsWith("…")).toBe(true);
  });

  test("GIVEN no answer from Entra ID WHEN the reason is made THEN it says not obtained, with the cause", () => {
    expect(entraFailure(client, new Error("network_error: Network request failed"))).toBe(`Entra ID token for client ${CLIENT} not obtained: network_error: Network request failed`);
  });

  test("GIVEN the real client-secret credential that gets no token WHEN the lake is listed THEN the lake source is down with the client's reason, never the secret", async () => {
    // No mock: @azure/identity's ClientSecretCredential, @azure/storage-blob's pipeline and the console's LakeClient.
    // Offline the token request fails ("not obtained"); online Entra ID refuses the made-up tenant ("refused: AADSTS…").
    const lake = new LakeClient(loadConfig(AZURE, readFile).lake, 4000);
    const result = await lake.topics();
    expect(result.ok).toBe(false);
    const reason = result.ok ? "" : result.error;
    expect(reason).toMatch(new RegExp(`^Entra ID token for client ${CLIENT} (refused: AADSTS\\d+|not obtained: )`));
    expect(reason).not.toContain(SECRET);
    expect(reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
  }, 20000);
});

describe("the cut of a reason", () => {
  test("GIVEN a reason longer than the limit WHEN cut THEN exactly the limit, its start kept, ending in an ellipsis", () => {
    const long = `start ${"y".repeat(1000)}`;
    const cut = cutText(long);
    expect(cut).toHaveLength(MAX_REASON_CHARS);
    expect(cut).toBe(`${long.slice(0, MAX_REASON_CHARS - 1)}…`);
  });

  test("GIVEN a reason at the limit WHEN cut THEN unchanged; one over THEN cut", () => {
    const exact = "z".repeat(MAX_REASON_CHARS);
    expect(cutText(exact)).toBe(exact);
    expect(cutText(`${exact}!`)).toBe(`${"z".repeat(MAX_REASON_CHARS - 1)}…`);
  });

  test("GIVEN a cut that would split a surrogate pair WHEN cut THEN the pair is dropped whole", () => {
    const text = `${"a".repeat(MAX_REASON_CHARS - 2)}😀${"b".repeat(10)}`;
    const cut = cutText(text);
    expect(cut).toBe(`${"a".repeat(MAX_REASON_CHARS - 2)}…`);
    // No lone surrogate left behind.
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  test("GIVEN an error with a code that is not in its message WHEN made a reason THEN the code is added, and the whole is cut", () => {
    expect(errorText(Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" }))).toBe("connect failed (ECONNREFUSED)");
    expect(errorText(Object.assign(new Error("w".repeat(400)), { code: "ETIMEDOUT" }))).toHaveLength(MAX_REASON_CHARS);
  });
});
