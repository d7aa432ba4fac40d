import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { ServiceContainer, componentLabels } from "../docker/service-container";
import { SIMULATOR_SECRETS } from "../secret-files";
import type { SIM_ENV } from "../../services/simulator/src/env";
import { APP_DB_USER } from "../../services/simulator/src/contract";
import { ServiceEnv } from "../docker/service-env";

export interface OrderSimulatorProps {
  readonly name: string;
  readonly image: Image;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly database: string;
  /** Application user of the orders schema (created by the database image). @default APP_DB_USER, the service's own default */
  readonly user?: string;
  /** Volume with SIMULATOR_SECRETS (the database password), mounted read-only at its `mount`. */
  readonly secretsVolume: string;
  /** Data-centre id: names the out-of-stock table. */
  readonly dc: string;
  /** Milliseconds between sales orders. */
  readonly intervalMs: number;
  /** Detail lines per order. */
  readonly linesPerOrder: number;
  /** Loopback port of its Prometheus /metrics. */
  readonly metricsPort: number;
  /** Its own out-of-stock detection (SIM_LOCAL_STOCK_EVENTS): off when the way back writes the events. @default true */
  readonly localStockEvents?: boolean;
  /** @default 256 */
  readonly memoryMb?: number;
  /** @default {} */
  readonly labels?: Record<string, string>;
  /** Starts after the database is healthy. */
  readonly databaseService: ServiceContainer;
}

/**
 * The transaction simulator: a sales order with several lines every
 * interval, restocking through purchase orders when inventory runs out.
 * Healthy while it keeps committing (its heartbeat's verdict, read by the image's healthcheck).
 */
export class OrderSimulator extends Construct {
  readonly service: ServiceContainer;

  constructor(scope: Construct, id: string, props: OrderSimulatorProps) {
    super(scope, id);
    this.service = new ServiceContainer(this, "service", {
      name: props.name,
      image: props.image,
      env: {
        DB_HOST: props.databaseHost,
        DB_PORT: String(props.databasePort),
        DB_NAME: props.database,
        DB_USER: props.user ?? APP_DB_USER,
        DB_PASSWORD_FILE: SIMULATOR_SECRETS.files.dbPassword.path,
        SIM_DC_ID: props.dc,
        SIM_INTERVAL_MS: String(props.intervalMs),
        SIM_LINES_PER_ORDER: String(props.linesPerOrder),
        SIM_METRICS_PORT: String(props.metricsPort),
        // Only when off: the default leaves the container of a deployment without the way back unchanged.
        ...(props.localStockEvents === false ? { SIM_LOCAL_STOCK_EVENTS: "false" } : {}),
      } satisfies ServiceEnv<typeof SIM_ENV>,
      healthStartPeriodSeconds: 20,
      memoryMb: props.memoryMb ?? 256,
      // Finish the transaction in flight, then exit.
      stopTimeoutSeconds: 20,
      mounts: [{ volume: props.secretsVolume, target: SIMULATOR_SECRETS.mount, readOnly: true }],
      // The heartbeat file the health check reads (SIM_HEARTBEAT_FILE's default lies under /tmp: test/service-env.test.ts).
      tmpfs: [{ target: "/tmp", sizeMb: 4 }],
      labels: componentLabels(props.labels, "simulator"),
      dependsOn: [props.databaseService.container],
    });
  }
}
