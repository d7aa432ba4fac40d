/**
 * Client settings a connector may override: where its producer writes and
 * how it authenticates there, plus delivery guarantees. Never `All`.
 * The one list both sides use: the Connect worker's allow-list policy
 * (ConnectCluster) and the types of the connectors' `producer.override.*` keys.
 */
export const CLIENT_OVERRIDE_ALLOWLIST = [
  "bootstrap.servers",
  "security.protocol",
  "sasl.mechanism",
  "sasl.jaas.config",
  "ssl.truststore.location",
  "ssl.truststore.type",
  "ssl.endpoint.identification.algorithm",
  "acks",
  "enable.idempotence",
  "compression.type",
  "linger.ms",
  "batch.size",
  "request.timeout.ms",
  "delivery.timeout.ms",
  "max.request.size",
] as const;
