import { ResolvedConfig } from "../config";

/** Stack ids of the app, in deployment order. */
export const STACK_IDS = { onPrem: "onprem", bridge: "bridge", azure: "azure" } as const;

/** Which stacks a deployment of the configured target applies, in order. */
export function stacksToDeploy(config: ResolvedConfig): string[] {
  const local = [STACK_IDS.onPrem];
  // The bridge stack exists once replication is part of the app (see main.ts).
  return config.target === "local" ? local : [STACK_IDS.azure, ...local];
}
