import type { EnvSchema } from "@bridge-to-azure/service-kit";

/**
 * A container's environment written against its service's env schema (services/<name>/src/env.ts,
 * where each variable's default and rule live once): `{ … } satisfies ServiceEnv<typeof SCHEMA>`
 * makes a variable the service does not read (a misspelt name) a compile error. Import the schema
 * with `import type`: only its type is needed, so synthesis does not load the service's modules.
 */
export type ServiceEnv<S extends EnvSchema> = { readonly [K in keyof S]?: string };
