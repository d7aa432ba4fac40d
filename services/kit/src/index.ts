/**
 * @bridge-to-azure/service-kit: what every Node service of the bridge shares (README.md).
 */
export { ConfigError, ConfigIssue, configProblems, formatIssue } from "./config-error";
export {
  bool,
  defineEnv,
  Env,
  ENV_TABLE_BEGIN,
  ENV_TABLE_END,
  envHelp,
  EnvInput,
  EnvOptions,
  EnvReader,
  EnvSchema,
  envTable,
  EnvValue,
  EnvVar,
  heartbeatPath,
  int,
  IntOptions,
  IntSpec,
  logLevel,
  oneOf,
  OneOfSpec,
  parsed,
  positiveNumber,
  readmeEnvTable,
  RejectedVariable,
  secretFile,
  text,
  TextSpec,
  withReadmeEnvTable,
} from "./env";
export { HealthReport, HealthStatus, HeartbeatBase, HeartbeatFile } from "./heartbeat";
export { fixInstalledKafkajsIdleLoop, fixKafkajsIdleLoop, RequestQueueLike } from "./kafkajs-idle-loop";
export { createLogger, LOG_LEVELS, LogFields, Logger, LogLevel, LogOutput, silentLogger } from "./logger";
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, exitFor, FatalError, GracefulStop, GracefulStopOptions, runMain, RunMainOptions, StopPlan, UsageError } from "./run";
export { ReadFile, readFileUtf8, readSecretFile, SecretFile } from "./secret-file";
export { commitTimeMs, isProbeTopic, LATENCY_PROBE_TABLE, PROBE_COMMITTED_AT, probeCommittedAtMs } from "./latency-probe";
export { DURATION_BUCKETS_SECONDS, LAKE_SINK_METRICS, LATENCY_BUCKETS_SECONDS, SIMULATOR_METRICS } from "./metric-names";
export { MetricsServer, MetricsServerOptions, startMetricsServer } from "./metrics-server";
