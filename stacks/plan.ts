import { ResolvedConfig } from "../config";

/** Stack ids of the app, in deployment order. */
export const STACK_IDS = { onPrem: "onprem", bridge: "bridge", azure: "azure" } as const;

/** Which stacks a deployment of the configured target applies, in order. */
export function stacksToDeploy(config: ResolvedConfig): string[] {
  const local = [STACK_IDS.onPrem, STACK_IDS.bridge];
  return config.target === "local" ? local : [STACK_IDS.azure, ...local];
}
