import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { LOOPBACK, ServiceContainer, componentLabels, dataVolume } from "../docker/service-container";
import { databaseSecrets } from "../secret-files";

/**
 * The server's OS user `mysql` in the database image (images/mariadb/Dockerfile; the
 * official MySQL image uses the same ids): it owns the tmpfs at /run/mysqld.
 */
export const DATABASE_USER = { uid: 999, gid: 999 } as const;

export interface OrdersDatabaseProps {
  readonly name: string;
  readonly image: Image;
  /** MariaDB (default image) or MySQL 8 (image of your own with the same contract). */
  readonly flavour: "mariadb" | "mysql";
  readonly port: number;
  /** Replication server id of the database itself. */
  readonly serverId: number;
  readonly binlogRetentionHours: number;
  /** User for CDC, created with only the replication privileges CDC needs. */
  readonly cdcUser: string;
  /** The site's data-centre id: the image names its out-of-stock table `<dc>_out_of_stock_events` (images/mariadb/entrypoint.sh). */
  readonly dc: string;
  /**
   * Write-back: the JDBC sink's database user and the one table it may write (SELECT, INSERT, UPDATE),
   * created on first start when the secrets volume holds sink_password. Unset: the image's defaults
   * (`oos_sink`, `dc01_out_of_stock_events`). @default the image's defaults
   */
  readonly writeBack?: { readonly user: string; readonly table: string };
  /** Volume holding root_password, cdc_password, app_password (and sink_password), mounted read-only. */
  readonly secretsVolume: string;
  readonly memoryMb: number;
  /**
   * Keep the data volume when the stack is destroyed: the volume is then not
   * a Terraform resource, only mounted by name.
   * @default false
   */
  readonly keepData?: boolean;
  /** @default {} */
  readonly labels?: Record<string, string>;
}

/**
 * The on-prem orders database: schema `orders` seeded on first start,
 * binlog ROW/FULL with GTIDs for CDC, listening on loopback only.
 */
export class OrdersDatabase extends Construct {
  readonly service: ServiceContainer;
  readonly host = LOOPBACK;
  readonly port: number;

  constructor(scope: Construct, id: string, props: OrdersDatabaseProps) {
    super(scope, id);
    this.port = props.port;
    // A managed volume is referenced (not named) so Terraform removes the container before the volume.
    const volumeName = props.keepData ? `${props.name}-data` : dataVolume(this, "data", `${props.name}-data`, props.labels).name;
    const prefix = props.flavour === "mariadb" ? "MARIADB" : "MYSQL";
    this.service = new ServiceContainer(this, "server", {
      name: props.name,
      image: props.image,
      env: {
        [`${prefix}_PORT`]: String(props.port),
        [`${prefix}_BIND_ADDRESS`]: LOOPBACK,
        [`${prefix}_SERVER_ID`]: String(props.serverId),
        [`${prefix}_BINLOG_EXPIRE_LOGS_SECONDS`]: String(props.binlogRetentionHours * 3600),
        [`${prefix}_CDC_USER`]: props.cdcUser,
        [`${prefix}_DC`]: props.dc,
        [`${prefix}_INNODB_BUFFER_POOL_SIZE`]: `${Math.max(64, Math.floor(props.memoryMb / 4))}M`,
        ...(props.writeBack ? { [`${prefix}_SINK_USER`]: props.writeBack.user, [`${prefix}_SINK_TABLE`]: props.writeBack.table } : {}),
      },
      healthStartPeriodSeconds: 60,
      memoryMb: props.memoryMb,
      // A clean InnoDB shutdown flushes the redo log; give it time.
      stopTimeoutSeconds: 60,
      mounts: [
        { volume: volumeName, target: "/var/lib/mysql" },
        { volume: props.secretsVolume, target: databaseSecrets(props.flavour).mount, readOnly: true },
      ],
      tmpfs: [
        // Socket and pid file (also the entrypoint's init server's socket), owned by the server's user.
        { target: "/run/mysqld", sizeMb: 1, owner: DATABASE_USER },
        // tmpdir: on-disk temporary tables and filesort files.
        { target: "/tmp", sizeMb: 32 },
      ],
      labels: componentLabels(props.labels, "database"),
    });
  }
}
