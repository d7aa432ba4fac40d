/**
 * A minimal valid configuration of each target, credentials as variable
 * names only. (A module of its own: importing a test file's constant would
 * run that file's tests too.)
 */
import { BridgeConfig, DeepPartial, Target } from "../config/types";

export const TARGET_CONFIGS: Readonly<Record<Target, DeepPartial<BridgeConfig>>> = {
  local: {},
  "event-hubs": { target: "event-hubs", credentials: { eventHubsConnectionString: "event_hubs_connection_string" } },
  "confluent-cloud": {
    target: "confluent-cloud",
    confluentCloud: { bootstrapServers: "pkc-12345.westeurope.azure.confluent.cloud:9092", environmentId: "env-abc12", clusterId: "lkc-xyz34" },
    credentials: {
      confluentApiKey: "confluent_api_key",
      confluentApiSecret: "confluent_api_secret",
      confluentCloudApiKey: "confluent_cloud_api_key",
      confluentCloudApiSecret: "confluent_cloud_api_secret",
      lakeAccessKey: "lake_access_key",
    },
    azure: { storageAccount: { sharedKeyAccess: true } },
  },
};
