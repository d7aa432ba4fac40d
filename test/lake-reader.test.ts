/**
 * The console's Entra ID lake reader on the synthesized JSON of the event-hubs target (an Azure lake
 * with shared keys off): the reader's role on the lake, the console's environment (ids, and the
 * client secret as a file), and no secret value anywhere in any stack.
 */
import { Testing } from "cdktf";
import { resolveConfig } from "../config";
import { LAKE_CLIENT_SECRET_ENV } from "../config/schema";
import { CONSOLE_SECRETS } from "../constructs/secret-files";
import { buildStacks, everyStack } from "../main";
import { consoleLakeClientSecret } from "../scripts/lib/secrets";
import { LAKE_READER, TARGET_CONFIGS } from "../scripts/lib/variants";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = any;

/** A value no configuration holds: if it shows up in synthesized JSON, a secret leaked. */
const SECRET = "entra-client-secret-MUST-NOT-LEAK-7f3a";

function synthAll(input: object): Record<string, { raw: string; json: TfJson }> {
  const stacks = buildStacks(Testing.app(), resolveConfig(input));
  return Object.fromEntries(everyStack(stacks).map((s) => {
    const id = s.node.id;
    const raw = Testing.synth(s);
    return [id, { raw, json: JSON.parse(raw) }];
  }));
}

const roles = (json: TfJson): TfJson[] => Object.values(json.resource?.azurerm_role_assignment ?? {});
const consoleEnv = (json: TfJson): Record<string, string> => {
  const c = Object.values(json.resource.docker_container as Record<string, TfJson>).find((x) => x.name.endsWith("-console"));
  return Object.fromEntries((c.env as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
};

describe("GIVEN target event-hubs with shared keys off and a lake reader", () => {
  // The operator's secret is in the environment while synthesizing, as when `up.sh` loads the secrets and deploys.
  const before = process.env[LAKE_CLIENT_SECRET_ENV];
  process.env[LAKE_CLIENT_SECRET_ENV] = SECRET;
  const stacks = synthAll(TARGET_CONFIGS["event-hubs"]);
  if (before === undefined) delete process.env[LAKE_CLIENT_SECRET_ENV];
  else process.env[LAKE_CLIENT_SECRET_ENV] = before;

  test("WHEN the azure stack is synthesized THEN the reader's object id gets Storage Blob Data Reader on the lake's filesystem, after it exists", () => {
    const reader = roles(stacks.azure!.json).filter((r) => r.role_definition_name === "Storage Blob Data Reader");
    expect(reader).toHaveLength(1);
    expect(reader[0].principal_id).toBe(LAKE_READER.objectId);
    expect(reader[0].scope).toMatch(/^\$\{azurerm_storage_account\.\w+\.id\}\/blobServices\/default\/containers\/orders$/);
    expect(reader[0].depends_on).toEqual([expect.stringMatching(/^azurerm_storage_container\./)]);
    // The reader gets no other role (least privilege): it never writes.
    expect(roles(stacks.azure!.json).filter((r) => r.principal_id === LAKE_READER.objectId)).toHaveLength(1);
  });

  test("WHEN the observability stack is synthesized THEN the console has the tenant and client id and the secret's FILE path, no key file", () => {
    const env = consoleEnv(stacks.observability!.json);
    expect(env.CONSOLE_LAKE_TENANT_ID).toBe(LAKE_READER.tenantId);
    expect(env.CONSOLE_LAKE_CLIENT_ID).toBe(LAKE_READER.clientId);
    expect(env.CONSOLE_LAKE_CLIENT_SECRET_FILE).toBe(CONSOLE_SECRETS.files.lakeClientSecret.path);
    expect(env.CONSOLE_LAKE_CLIENT_SECRET).toBeUndefined();
    expect(env.CONSOLE_LAKE_KEY_FILE).toBeUndefined();
    expect(env.CONSOLE_LAKE_BLOB_ENDPOINT).toMatch(/^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net$/);
  });

  test("WHEN every stack is synthesized THEN the client secret is in none of them (the check is not vacuous: the loader does read it)", () => {
    expect(consoleLakeClientSecret(resolveConfig(TARGET_CONFIGS["event-hubs"]), { [LAKE_CLIENT_SECRET_ENV]: SECRET })).toBe(SECRET);
    expect(Object.keys(stacks).sort()).toEqual(["azure", "bridge", "observability", "onprem"]);
    for (const [id, s] of Object.entries(stacks)) expect({ id, leaks: s.raw.includes(SECRET) }).toEqual({ id, leaks: false });
  });
});

describe("GIVEN no console, or the local target", () => {
  test.each([
    ["event-hubs, console disabled", { ...TARGET_CONFIGS["event-hubs"], observability: { console: { enabled: false, lakeReader: LAKE_READER } } }],
    ["local (Azurite, shared key), reader ids given", { observability: { console: { lakeReader: LAKE_READER } } }],
  ])("%s WHEN synthesized THEN no reader role and no Entra ID variables in the console", (_what, input) => {
    const stacks = synthAll(input);
    expect(roles(stacks.azure!.json).filter((r) => r.role_definition_name === "Storage Blob Data Reader")).toEqual([]);
    const containers = Object.values(stacks.observability!.json.resource?.docker_container ?? {}) as TfJson[];
    const consoleContainer = containers.find((x) => x.name.endsWith("-console"));
    if (consoleContainer) expect(Object.keys(consoleEnv(stacks.observability!.json)).filter((k) => k.startsWith("CONSOLE_LAKE_CLIENT") || k === "CONSOLE_LAKE_TENANT_ID")).toEqual([]);
  });
});
