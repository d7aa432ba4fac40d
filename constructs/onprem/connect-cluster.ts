import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { CLIENT_OVERRIDE_ALLOWLIST } from "../../connectors/client-overrides";
import { CAPTURE_STALL_AFTER_MS } from "../../connectors/debezium";
import { LOOPBACK, ServiceContainer, componentLabels } from "../docker/service-container";
import { CONNECT_SECRETS, SECRETS_ROOT } from "../secret-files";

// Decided in config/kafka-layout.ts (hostPortsOf checks it for collisions); re-exported for the constructs and scripts.
import { connectMetricsPort } from "../../config/kafka-layout";
export { connectMetricsPort };

/** REST URL of the worker listening on `restPort` (on LOOPBACK): the one place this is decided. */
export function connectRestUrl(restPort: number): string {
  return `http://${LOOPBACK}:${restPort}`;
}

/**
 * Where a worker's failed-task supervisor appends its restarts as JSON lines (images/connect/supervisor.sh,
 * CONNECT_SUPERVISOR_HISTORY_FILE): a named volume mounted at the image's /var/lib/kafka (owned by the
 * worker's user, so a fresh volume is too), one file per worker, read by the console (mounted read-only).
 */
export const SUPERVISOR_HISTORY_DIR = "/var/lib/kafka";
export const supervisorHistoryFile = (restPort: number): string => `${SUPERVISOR_HISTORY_DIR}/supervisor-${restPort}.jsonl`;

/** How long a worker waits for its tasks to stop gracefully (task.shutdown.graceful.timeout.ms). */
export const TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS = 20000;

/**
 * How long the group leader keeps the tasks of a worker that left unassigned, waiting for it to come
 * back (scheduled.rebalance.max.delay.ms; Kafka's default is 300000). A worker killed and restarted,
 * or one whose session expired while its broker restarted, rejoins as a new member: with the default
 * its Debezium and MirrorMaker 2 tasks stayed unassigned for up to 5 minutes while the connectors
 * said RUNNING (measured: 165–252 s after a Connect kill, 193–393 s after an on-prem broker restart).
 * 10 s still absorbs a quick rolling restart of one worker without moving its tasks twice.
 */
export const SCHEDULED_REBALANCE_MAX_DELAY_MS = 10000;

export interface ConnectClusterProps {
  /** Name prefix ("bridge-dev-connect" → "bridge-dev-connect-1"). */
  readonly namePrefix: string;
  readonly image: Image;
  /** Kafka the workers store their configs, offsets and status in. */
  readonly bootstrapServers: string;
  /** REST port per worker, bound to LOOPBACK. */
  readonly restPorts: readonly number[];
  /** Group id; also prefixes the three internal topics. */
  readonly groupId: string;
  /** Replication factor of the internal topics. */
  readonly replicationFactor: number;
  /** Volume with the files connector configs reference through `${file:…}` (CONNECT_SECRETS), mounted at its `mount`. */
  readonly secretsVolume: string;
  /** Memory limit per worker, MiB; the heap gets half. */
  readonly memoryMb: number;
  /** Volume the supervisors append their restart history to (SUPERVISOR_HISTORY_DIR). @default undefined (history only in the logs) */
  readonly supervisorHistoryVolume?: string;
  /** Seconds between checks for FAILED connectors/tasks to restart. @default 30 */
  readonly restartFailedEverySeconds?: number;
  /** @default {} */
  readonly labels?: Record<string, string>;
  /** Started after these are healthy. @default [] */
  readonly dependsOn?: ServiceContainer[];
}

/**
 * Kafka Connect in distributed mode with Debezium (MariaDB, MySQL) and
 * MirrorMaker 2 installed. The REST API listens on loopback only; secrets
 * reach connectors through the file config provider; the client override
 * policy is an allow-list, never `All`; failed tasks are restarted.
 */
export class ConnectCluster extends Construct {
  readonly workers: ServiceContainer[] = [];
  /** REST URL of each worker, on loopback. */
  readonly urls: readonly string[];
  /** REST URL of the first worker. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConnectClusterProps) {
    super(scope, id);
    if (props.restPorts.length === 0) throw new Error(`ConnectCluster ${props.namePrefix}: at least one worker`);
    const heapMb = Math.floor(props.memoryMb / 2);
    this.urls = props.restPorts.map(connectRestUrl);
    this.url = this.urls[0];
    props.restPorts.forEach((port, i) => {
      this.workers.push(
        new ServiceContainer(this, `worker-${i + 1}`, {
          name: `${props.namePrefix}-${i + 1}`,
          image: props.image,
          env: {
            CONNECT_BOOTSTRAP_SERVERS: props.bootstrapServers,
            CONNECT_REST_PORT: String(port),
            // Debezium's streaming metrics, read by the health check (capture stall) and by verify.
            CONNECT_METRICS_PORT: String(connectMetricsPort(port)),
            CONNECT_CAPTURE_STALL_AFTER_MS: String(CAPTURE_STALL_AFTER_MS),
            CONNECT_GROUP_ID: props.groupId,
            CONNECT_REPLICATION_FACTOR: String(props.replicationFactor),
            CONNECT_SECRETS_DIR: SECRETS_ROOT,
            CONNECT_HEAP_OPTS: `-Xmx${heapMb}m -Xms${heapMb}m`,
            CONNECT_SUPERVISOR_INTERVAL_SECONDS: String(props.restartFailedEverySeconds ?? 30),
            ...(props.supervisorHistoryVolume ? { CONNECT_SUPERVISOR_HISTORY_FILE: supervisorHistoryFile(port) } : {}),
            // Stop tasks cleanly on SIGTERM so offsets are committed.
            CONNECT_CFG_TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS: String(TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS),
            CONNECT_CFG_OFFSET_FLUSH_INTERVAL_MS: "5000",
            CONNECT_CFG_SCHEDULED_REBALANCE_MAX_DELAY_MS: String(SCHEDULED_REBALANCE_MAX_DELAY_MS),
            // Connectors may redirect their clients only in these keys (MirrorMaker 2
            // produces to the cloud cluster); anything else in an override is refused.
            CONNECT_CFG_CONNECTOR_CLIENT_CONFIG_OVERRIDE_POLICY: "Allowlist",
            CONNECT_CFG_CONNECTOR_CLIENT_CONFIG_OVERRIDE_ALLOWLIST: CLIENT_OVERRIDE_ALLOWLIST.join(","),
          },
          healthStartPeriodSeconds: 90,
          waitTimeoutSeconds: 240,
          memoryMb: props.memoryMb,
          stopTimeoutSeconds: 40,
          mounts: [
            { volume: props.secretsVolume, target: CONNECT_SECRETS.mount, readOnly: true },
            ...(props.supervisorHistoryVolume ? [{ volume: props.supervisorHistoryVolume, target: SUPERVISOR_HISTORY_DIR }] : []),
          ],
          // connect-distributed.properties generated at each start (/tmp/connect) and the JVM's
          // java.io.tmpdir (hsperfdata; native compression libraries, hence exec).
          tmpfs: [{ target: "/tmp", sizeMb: 32, exec: true }],
          labels: componentLabels(props.labels, "connect"),
          dependsOn: (props.dependsOn ?? []).map((s) => s.container),
        }),
      );
    });
  }
}
