/**
 * After a deploy (scripts/up.sh): where the console is and its action credential. The credential
 * is printed only to a terminal (the operator's); into a log or a pipe only where it is kept.
 */
import { loadOrCreateSecrets, secretsFile } from "./secrets";
import { projectConfig } from "./lib/project-config";
import { Deployment } from "../stacks/deployment";

const config = projectConfig();
if (config.observability.console.enabled) {
  const { names } = new Deployment(config);
  const url = `http://127.0.0.1:${config.observability.console.port}`;
  console.log(`\nConsole: ${url} (actions: log in at ${url}/login)`);
  if (process.stdout.isTTY) console.log(`  credential: ${loadOrCreateSecrets(names.prefix).consoleCredential}`);
  else console.log(`  credential: "consoleCredential" in ${secretsFile(names.prefix)} (printed only to a terminal)`);
}
