/**
 * The schema (config/schema.ts) is the one description of every field: the
 * README's table, the defaults, the named variables and the conditions of
 * its rules all come from it.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { ConfigError, DEFAULTS, ENV_OVERRIDES, resolveConfig } from "../config";
import { configurationTable, TABLE_BEGIN, TABLE_END, tableIn } from "../config/readme-table";
import { FIELDS } from "../config/schema-derive";
import { BridgeConfig, DeepPartial } from "../config/types";

/** WHEN resolved: the problems as "field: value — rule" lines ([] when the configuration is valid). */
function problemsOf(input: DeepPartial<BridgeConfig>): string[] {
  try {
    resolveConfig(input);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n").slice(1).map((line) => line.trim().replace(/^- /, ""));
  }
}

describe("the README's configuration table", () => {
  test("GIVEN the README WHEN its table is compared with the schema's THEN they are the same (regenerate: node dist/config/readme-table.js --write)", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
    expect(tableIn(readme)).toBe(configurationTable());
  });

  test("GIVEN the generated table THEN it has one row per field, each with its default and named variable", () => {
    const rows = configurationTable().split("\n").slice(3, -1);
    expect(rows).toHaveLength(FIELDS.length);
    expect(rows).toContain("| `onPrem.kafka.brokers` | `1` | `BRIDGE_KAFKA_BROKERS` | integer 1–9 | KRaft nodes, each broker and controller (3 tested) |");
    expect(configurationTable().startsWith(TABLE_BEGIN) && configurationTable().endsWith(TABLE_END)).toBe(true);
  });

  test("GIVEN a README without the markers WHEN the table is looked for THEN there is none", () => {
    expect(tableIn(`# x\n${TABLE_BEGIN}\n| a |\n`)).toBeUndefined();
  });
});

describe("derived from the schema", () => {
  test("GIVEN every field THEN each named variable sets a field of the schema, and each field with a default has it in DEFAULTS", () => {
    const paths = new Set(FIELDS.map((f) => f.path));
    expect(Object.values(ENV_OVERRIDES).filter((p) => !paths.has(p))).toEqual([]);
    expect(ENV_OVERRIDES.BRIDGE_STORAGE_ACCOUNT).toBe("azure.storageAccount.name");
    const at = (path: string): unknown => path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], DEFAULTS);
    for (const { path, field } of FIELDS) expect({ path, value: at(path) }).toEqual({ path, value: field.spec.default });
  });

  test("GIVEN an explicit storage account name WHEN the prefix is invalid THEN the prefix is ignored (its rule applies only without a name)", () => {
    expect(problemsOf({ azure: { storageAccount: { name: "lakeabc", prefix: "Not-Valid", suffixLength: 99 } } })).toEqual([]);
    expect(problemsOf({ azure: { storageAccount: { prefix: "Not-Valid" } } })).toEqual([
      'azure.storageAccount.prefix: "Not-Valid" — must be 3–24 lowercase letters and digits, starting with a letter',
    ]);
  });

  test("GIVEN an azurerm backend without its fields WHEN resolved THEN each required field is named as unset; a local backend needs none", () => {
    expect(problemsOf({ backend: { type: "azurerm" } })).toEqual([
      "backend.resourceGroupName: (unset) — must name the resource group of the state storage account",
      "backend.storageAccountName: (unset) — must be 3–24 characters, lowercase letters and digits only",
    ]);
    expect(resolveConfig({ backend: { type: "azurerm", resourceGroupName: "rg-state", storageAccountName: "tfstate01" } }).backend).toEqual({
      type: "azurerm",
      resourceGroupName: "rg-state",
      storageAccountName: "tfstate01",
      containerName: "tfstate",
    });
    // JSON may bring azurerm fields to a local backend, which the type would refuse.
    expect(problemsOf({ backend: { type: "local", storageAccountName: "NOT VALID" } as never })).toEqual([]);
  });
});
