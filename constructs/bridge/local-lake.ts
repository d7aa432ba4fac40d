import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { ServiceContainer, componentLabels, dataVolume } from "../docker/service-container";
import { localBlobEndpoint } from "../../stacks/names";
import { AZURITE_SECRETS } from "../secret-files";

export interface LocalLakeProps {
  readonly name: string;
  readonly image: Image;
  /** Blob port on 127.0.0.1. */
  readonly blobPort: number;
  /** Account name (its key is in the secrets volume). */
  readonly account: string;
  /** Volume with AZURITE_SECRETS (`accounts`, "name:key"), mounted at its `mount`. */
  readonly secretsVolume: string;
  /** @default 256 */
  readonly memoryMb?: number;
  /** @default {} */
  readonly labels?: Record<string, string>;
}

/**
 * Azurite standing in for the ADLS Gen2 account: the blob API on loopback,
 * data in a volume, the account key from a mounted secret file.
 */
export class LocalLake extends Construct {
  readonly service: ServiceContainer;
  /** Blob endpoint of the account, path-style as Azurite serves it. */
  readonly blobEndpoint: string;

  constructor(scope: Construct, id: string, props: LocalLakeProps) {
    super(scope, id);
    const volume = dataVolume(this, "data", `${props.name}-data`, props.labels);
    this.blobEndpoint = localBlobEndpoint(props.blobPort, props.account);
    this.service = new ServiceContainer(this, "azurite", {
      name: props.name,
      image: props.image,
      env: { AZURITE_BLOB_PORT: String(props.blobPort) },
      healthcheck: ["/usr/local/bin/healthcheck"],
      memoryMb: props.memoryMb ?? 256,
      mounts: [
        { volume: volume.name, target: "/var/lib/azurite" },
        { volume: props.secretsVolume, target: AZURITE_SECRETS.mount, readOnly: true },
      ],
      labels: componentLabels(props.labels, "lake"),
    });
  }
}
