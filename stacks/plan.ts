import { Construct } from "constructs";
import { ResolvedConfig, Target, TARGETS } from "../config";

/**
 * Where a runner must be to plan or apply a stack: anywhere it can sign in
 * to Azure (OIDC), or on the on-prem network, where the Docker engine and
 * the Kafka Connect REST API are.
 */
export type StackNetwork = "azure" | "on-prem";
export const STACK_NETWORKS: readonly StackNetwork[] = ["azure", "on-prem"];

export interface StackDefinition {
  /** Stack id: its directory under cdktf.out/stacks and the name of its state. */
  readonly id: string;
  /** Targets whose deployments apply it (main.ts synthesizes every stack for every target). */
  readonly targets: readonly Target[];
  /** Where its providers' APIs are. */
  readonly network: StackNetwork;
}

/**
 * The stacks of the app. main.ts builds one of each; scripts/up.sh and
 * down.sh, gitops/plan-report.ts and the workflows (through scripts/stacks.ts)
 * pick theirs from here.
 */
export const STACKS = {
  /** The lake (ADLS Gen2) and, for Event Hubs, the namespace: the cloud targets only. */
  azure: { id: "azure", targets: TARGETS.filter((t) => t !== "local"), network: "azure" },
  /** The orders database, Kafka, Kafka Connect and the CDC pipeline on the on-prem Docker host. */
  onPrem: { id: "onprem", targets: TARGETS, network: "on-prem" },
  /** Replication into the cloud Kafka (on the on-prem Connect) and the landing in the lake. */
  bridge: { id: "bridge", targets: TARGETS, network: "on-prem" },
  /** Prometheus and the console on the on-prem Docker host, watching every part of the deployment: after the parts they watch. */
  observability: { id: "observability", targets: TARGETS, network: "on-prem" },
} as const satisfies Record<string, StackDefinition>;

/** Every stack, in deployment order: the lake before the bridge lands in it, the source before it is replicated, the metrics last. */
export const DEPLOYMENT_ORDER: readonly StackDefinition[] = [STACKS.azure, STACKS.onPrem, STACKS.bridge, STACKS.observability];

/**
 * Stack id of the on-prem site `i` of `sites`: the first keeps "onprem" (its state file and every script
 * predate `sites`, so adding a site renames nothing), a further one is "onprem-<dc>".
 */
export function siteStackId(i: number, dc: string): string {
  return i === 0 ? STACKS.onPrem.id : `${STACKS.onPrem.id}-${dc}`;
}

/** The on-prem stack ids of the configuration, one per site, the first site's first. */
export function siteStackIds(config: ResolvedConfig): string[] {
  return config.derived.sites.map((s, i) => siteStackId(i, s.onPrem.dc));
}

/** Ids of the stacks a deployment of the configured target applies, in order; only those of `network` when given. */
export function stacksToDeploy(config: ResolvedConfig, network?: StackNetwork): string[] {
  return DEPLOYMENT_ORDER.filter((s) => s.targets.includes(config.target) && (network === undefined || s.network === network)).flatMap((s) =>
    s === STACKS.onPrem ? siteStackIds(config) : [s.id],
  );
}

/** Of `stacks`, those a deployment of the configured target applies (same order). */
export function deployed<T extends Construct>(config: ResolvedConfig, stacks: readonly T[]): T[] {
  const ids = stacksToDeploy(config);
  return stacks.filter((s) => ids.includes(s.node.id));
}

/** The network of a stack id of this app; undefined for an id that is not one. */
export function networkOf(id: string): StackNetwork | undefined {
  // A further site's stack ("onprem-dc02") is on-prem like the first's.
  const site = new RegExp(`^${STACKS.onPrem.id}-dc\\d{2}$`).test(id);
  return (site ? STACKS.onPrem : DEPLOYMENT_ORDER.find((s) => s.id === id))?.network;
}
