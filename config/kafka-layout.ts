/** How the on-prem Kafka's settings turn into numbers: used by resolve (derived values) and validate (rules). */

/** Ports of on-prem broker `i` (0-based): each broker takes 10 ports from the base, the controller the second. */
export function brokerPorts(basePort: number, i: number): { port: number; controllerPort: number } {
  return { port: basePort + 10 * i, controllerPort: basePort + 10 * i + 1 };
}

/** Replication factor when none is set: every broker, at most 3. */
export function defaultReplicationFactor(brokers: number): number {
  return Math.min(3, brokers);
}

/**
 * Loopback port where the broker listening on `clientPort` serves its Prometheus metrics (JMX exporter agent,
 * /metrics): the one place this is decided, for the on-prem brokers (basePort + 10·i + 2, inside the broker's
 * 10 ports) and the local cloud stand-in (local.kafkaPort + 2).
 */
export function brokerMetricsPort(clientPort: number): number {
  return clientPort + 2;
}

/**
 * Loopback port where the Connect worker with REST port `restPort` serves its Prometheus metrics (JMX exporter
 * agent, /metrics): the one place this is decided. The health check gets it as CONNECT_METRICS_PORT; `npm run
 * verify` and Prometheus read it.
 */
export function connectMetricsPort(restPort: number): number {
  return restPort + 100;
}
