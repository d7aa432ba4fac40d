export * from "./types";
export * from "./client-overrides";
export * from "./debezium";
export * from "./mirrormaker2";
export * from "./replicator";
export * from "./adls-sink";
export * from "./jdbc-sink";
