/**
 * The form of an Entra ID id (tenant, application (client) id, object id): a UUID. Here, in a module
 * without imports, because the configuration schema (config/schema.ts), the azure stack's variable
 * validation and the console's environment contract (which ships with verify/ in its image) all check it.
 */
export const ENTRA_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
