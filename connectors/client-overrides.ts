import { ConnectorSettings, Prefixed, prefixedSettings } from "./types";

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

/** A client setting the worker lets a connector override. */
export type ClientOverrideKey = (typeof CLIENT_OVERRIDE_ALLOWLIST)[number];

/** The clients Connect gives a connector; each one's overrides are keys "<client>.override.<setting>". */
export type ConnectClient = "producer" | "consumer" | "admin";

/** The override keys of a connector's `C` client: exactly those the worker allows. */
export type ClientOverrides<C extends ConnectClient> = { readonly [K in ClientOverrideKey as `${C}.override.${K}`]?: string };

/** T's keys checked against the allow-list: a key that is not on it gets type `never`, so T does not satisfy this. */
export type OnlyAllowedOverrides<T> = { readonly [K in keyof T]: K extends ClientOverrideKey ? T[K] : never };

/**
 * Client settings (both halves) as overrides of the connector's `client`:
 * a setting the worker does not allow fails to compile, and, should one
 * come in typed loosely, throws here rather than fail the connector at run time.
 */
export function clientOverrides<C extends ConnectClient, Config extends OnlyAllowedOverrides<Config>, Sensitive extends OnlyAllowedOverrides<Sensitive>>(
  client: C,
  settings: ConnectorSettings<Config, Sensitive>,
): ConnectorSettings<Prefixed<`${C}.override.`, Config>, Prefixed<`${C}.override.`, Sensitive>> {
  const allowed: readonly string[] = CLIENT_OVERRIDE_ALLOWLIST;
  for (const key of [...Object.keys(settings.config), ...Object.keys(settings.sensitive)]) {
    if (!allowed.includes(key)) {
      throw new Error(`clientOverrides: "${client}.override.${key}" is not on the worker's allow-list (CLIENT_OVERRIDE_ALLOWLIST: ${allowed.join(", ")})`);
    }
  }
  return prefixedSettings(`${client}.override.`, settings);
}
