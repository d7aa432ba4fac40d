/**
 * The network paths of the configured deployment (config/reachability.ts):
 * who reaches what, whether the network mode opens it and how. Bad input
 * gets the configuration's own problem list (a blocked path that is needed
 * is one of them).
 *
 *   npm run paths                                   # the configuration of cdktf.json and BRIDGE_*
 *   BRIDGE_TARGET=event-hubs BRIDGE_NETWORK_MODE=selected-networks npm run paths
 */
import { ConfigError } from "../config";
import { NetworkPath, networkPaths } from "../config/reachability";
import { projectConfig } from "./lib/project-config";

export function formatPaths(paths: readonly NetworkPath[]): string[] {
  return paths.map((p) => `${p.open ? "open   " : p.needed ? "BLOCKED" : "closed "} ${p.from} → ${p.to}${p.needed ? "" : " (optional)"}: ${p.how}`);
}

if (require.main === module) {
  try {
    const c = projectConfig();
    console.log(`${c.project}-${c.environment}: target ${c.target}, azure.network.mode ${c.azure.network.mode}`);
    for (const line of formatPaths(networkPaths(c))) console.log(`  ${line}`);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exit(1);
  }
}
