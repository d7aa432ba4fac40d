export * from "./types";
export { DEFAULTS, DEFAULT_CDC_TABLES, ordersTables } from "./defaults";
export { ConfigError, ConfigProblem } from "./problems";
export { REQUIRED_CREDENTIALS } from "./validate";
export { resolveConfig, ResolvedConfig, ResolvedSite, SiteDerived, Derived, BrokerEndpoint, uniqueSuffix } from "./resolve";
export { loadConfig } from "./load";
export { ENV_OVERRIDES } from "./schema-derive";
