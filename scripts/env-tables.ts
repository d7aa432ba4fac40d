/**
 * Rewrites the environment table of each service README from the service's env schema
 * (services/<svc>/test/readme.test.ts fails while they differ):
 *   npm run -s build && node dist/scripts/env-tables.js
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { EnvSchema, envTable, withReadmeEnvTable } from "@bridge-to-azure/service-kit";
import { CONSOLE_ENV } from "../services/console/src/env";
import { SINK_ENV } from "../services/lake-sink/src/env";
import { SIM_ENV } from "../services/simulator/src/env";

const ROOT = join(__dirname, "..", "..");
const SERVICES: ReadonlyArray<[string, EnvSchema]> = [
  ["simulator", SIM_ENV],
  ["lake-sink", SINK_ENV],
  ["console", CONSOLE_ENV],
];

for (const [svc, schema] of SERVICES) {
  const path = join(ROOT, "services", svc, "README.md");
  const before = readFileSync(path, "utf8");
  const after = withReadmeEnvTable(before, envTable(schema));
  if (after !== before) writeFileSync(path, after);
  process.stdout.write(`${path}: ${after === before ? "up to date" : "table rewritten"}\n`);
}
