/** Writes the deployment's Power BI data source file and prints its path. */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { powerBiDataSource, powerBiRoute } from "./lib/powerbi";
import { projectConfig, ROOT } from "./lib/project-config";

const config = projectConfig();
const dir = join(ROOT, ".state", config.environment);
mkdirSync(dir, { recursive: true });
const file = join(dir, `${config.project}-${config.environment}.pbids`);
writeFileSync(file, `${JSON.stringify(powerBiDataSource(config), null, 2)}\n`);
console.log(`Power BI: open ${file} in Power BI Desktop (${powerBiDataSource(config).connections[0].details.address.url})`);
console.log(`Power BI: reached through ${powerBiRoute(config)} (README: Power BI)`);
