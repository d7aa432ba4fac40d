/**
 * Prints, one per line in deployment order, the stacks a deployment of the
 * configured target applies (the list of stacks/plan.ts):
 *
 *   node dist/scripts/stacks.js                  # all of them: scripts/up.sh, scripts/down.sh
 *   node dist/scripts/stacks.js --network azure  # those a runner that reaches only Azure can plan
 *                                                # and apply: the workflows' default
 *
 * Exits 1 when no stack matches (the local target deploys nothing to Azure):
 * the callers would take an empty list for "every stack".
 */
import { ResolvedConfig } from "../config";
import { STACK_NETWORKS, StackNetwork, stacksToDeploy } from "../stacks/plan";
import { projectConfig } from "./lib/project-config";

/** The stacks the arguments select, or a usage problem. */
export function selectStacks(argv: readonly string[], config: ResolvedConfig): string[] {
  const usage = `usage: stacks.js [--network ${STACK_NETWORKS.join("|")}]`;
  let network: StackNetwork | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag !== "--network") throw new Error(`unknown argument "${argv[i]}" (${usage})`);
    const v = inline ?? argv[++i];
    if (!STACK_NETWORKS.includes(v as StackNetwork)) throw new Error(`--network ${v === undefined ? "needs a value" : `"${v}" must be one of ${STACK_NETWORKS.join(", ")}`}`);
    network = v as StackNetwork;
  }
  const stacks = stacksToDeploy(config, network);
  if (stacks.length === 0) throw new Error(`target "${config.target}" deploys no stack of network "${network}": name the stacks instead (BRIDGE_STACKS)`);
  return stacks;
}

if (require.main === module) {
  try {
    for (const id of selectStacks(process.argv.slice(2), projectConfig())) console.log(id);
  } catch (e) {
    console.error(`stacks: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
