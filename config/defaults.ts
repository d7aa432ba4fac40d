import { defaultsOf } from "./schema-derive";
import { SCHEMA } from "./schema";
import { BridgeConfig } from "./types";

export { DEFAULT_CDC_TABLES, ordersTables } from "./tables";

/**
 * The literal default of every field (schema.ts). Fields whose default
 * depends on other fields (resource group, event hubs enabled, replicated
 * topics, storage suffix seed, …: the schema's `defaultDoc`) are filled in by
 * resolveConfig.
 */
// The cast narrows backend to its union: its one default, type "local", is the local variant.
export const DEFAULTS = defaultsOf(SCHEMA) as BridgeConfig;
