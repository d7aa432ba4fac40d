import { LOOPBACK } from "./docker/service-container";

/** Where a Kafka client connects first: one broker's advertised listener. */
export interface KafkaEndpoint {
  readonly host: string;
  readonly port: number;
}

/** A listener of a broker on the Docker host (LOOPBACK). */
export function loopbackEndpoint(port: number): KafkaEndpoint {
  return { host: LOOPBACK, port };
}

/** The "host:port" form of an endpoint (a kafkajs broker, one entry of `bootstrap.servers`). */
export function hostPort(e: KafkaEndpoint): string {
  return `${e.host}:${e.port}`;
}

/** The `bootstrap.servers` form of endpoints: "host:port,host:port". */
export function bootstrapServers(endpoints: readonly KafkaEndpoint[]): string {
  return endpoints.map(hostPort).join(",");
}

/** An endpoint from "host:port" (the form the configuration validated, e.g. a Confluent Cloud bootstrap). */
export function parseEndpoint(hostPort: string): KafkaEndpoint {
  const m = /^([^:,\s]+):(\d{1,5})$/.exec(hostPort);
  if (!m) throw new Error(`parseEndpoint: "${hostPort}" must be host:port`);
  return { host: m[1], port: Number(m[2]) };
}
