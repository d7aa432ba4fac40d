import { DEFAULT_CDC_TABLES } from "./tables";
import { BridgeConfig } from "./types";

export { DEFAULT_CDC_TABLES, ordersTables } from "./tables";

/**
 * Defaults of every field. Fields whose default depends on other fields
 * (resource group, event hubs enabled, replicated topics, storage suffix seed)
 * are filled in by resolveConfig.
 */
export const DEFAULTS: BridgeConfig = {
  project: "bridge",
  environment: "dev",
  target: "local",
  azure: {
    location: "westeurope",
    storageAccount: {
      prefix: "bridgelake",
      suffix: "hash",
      suffixLength: 6,
      replication: "ZRS",
      publicNetworkAccess: false,
      allowedIps: [],
      sharedKeyAccess: false,
      softDeleteDays: 7,
    },
    filesystem: "orders",
    eventHubs: {
      capacity: 1,
      partitionCount: 2,
      messageRetentionDays: 1,
      capture: true,
      captureIntervalSeconds: 300,
      captureSizeLimitBytes: 314572800,
    },
    tags: {},
  },
  onPrem: {
    dockerHost: "unix:///var/run/docker.sock",
    dc: "dc01",
    database: {
      flavour: "mariadb",
      port: 13306,
      name: "orders",
      binlogRetentionHours: 168,
      serverId: 1,
      cdcUser: "debezium",
      keepData: false,
      memoryMb: 512,
    },
    kafka: { brokers: 1, basePort: 19092, partitions: 1, memoryMb: 1024 },
    connect: { workers: 1, basePort: 18083, memoryMb: 1280 },
    simulator: { enabled: true, intervalMs: 5000, linesPerOrder: 5 },
    tables: DEFAULT_CDC_TABLES,
  },
  replication: { engine: "mirrormaker2" },
  local: { kafkaPort: 29092, kafkaControllerPort: 29093, azuriteBlobPort: 10000, sinkFlushSize: 1000, sinkIdleFlushMs: 2000 },
  confluentCloud: {},
  credentials: {},
  backend: { type: "local" },
  images: {
    kafka: "bridge-to-azure/kafka:4.3.0",
    connect: "bridge-to-azure/connect:4.3.0-dbz3.6.1.Final",
    mariadb: "bridge-to-azure/mariadb:10.11",
    simulator: "bridge-to-azure/simulator:0.1.0",
    azurite: "bridge-to-azure/azurite:3.35.0",
    lakeSink: "bridge-to-azure/lake-sink:0.1.0",
  },
  providers: { docker: "3.6.2" },
};
