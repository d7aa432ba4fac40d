/** How the on-prem Kafka's settings turn into numbers: used by resolve (derived values) and validate (rules). */

/** Ports of on-prem broker `i` (0-based): each broker takes 10 ports from the base, the controller the second. */
export function brokerPorts(basePort: number, i: number): { port: number; controllerPort: number } {
  return { port: basePort + 10 * i, controllerPort: basePort + 10 * i + 1 };
}

/** Replication factor when none is set: every broker, at most 3. */
export function defaultReplicationFactor(brokers: number): number {
  return Math.min(3, brokers);
}
