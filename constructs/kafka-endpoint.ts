/** Where a Kafka client connects first: one broker's advertised listener. */
export interface KafkaEndpoint {
  readonly host: string;
  readonly port: number;
}

/** The `bootstrap.servers` form of endpoints: "host:port,host:port". */
export function bootstrapServers(endpoints: readonly KafkaEndpoint[]): string {
  return endpoints.map((e) => `${e.host}:${e.port}`).join(",");
}

/** An endpoint from "host:port" (the form the configuration validated, e.g. a Confluent Cloud bootstrap). */
export function parseEndpoint(hostPort: string): KafkaEndpoint {
  const m = /^([^:,\s]+):(\d{1,5})$/.exec(hostPort);
  if (!m) throw new Error(`parseEndpoint: "${hostPort}" must be host:port`);
  return { host: m[1], port: Number(m[2]) };
}
