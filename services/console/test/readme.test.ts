import { readFileSync } from "fs";
import { join } from "path";
import { envTable, readmeEnvTable } from "@bridge-to-azure/service-kit";
import { CONSOLE_ENV } from "../src/env";

// Compiled to dist/services/console/test/: the README stays in the source tree.
const README = join(__dirname, "..", "..", "..", "..", "services", "console", "README.md");

test("GIVEN the README WHEN its environment table is compared with the env schema THEN they are equal (node dist/scripts/env-tables.js rewrites it)", () => {
  const table = readmeEnvTable(readFileSync(README, "utf8"));
  expect(table).toBeDefined();
  expect(table).toBe(envTable(CONSOLE_ENV));
});
