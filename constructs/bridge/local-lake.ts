import { Construct } from "constructs";
import { Image } from "@cdktf/provider-docker/lib/image";
import { ServiceContainer, componentLabels, dataVolume } from "../docker/service-container";
import { AZURITE_SECRETS } from "../secret-files";

export interface LocalLakeProps {
  readonly name: string;
  readonly image: Image;
  /** Blob port on the loopback (the deployment's local lake endpoint, stacks/deployment.ts). */
  readonly blobPort: number;
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

  constructor(scope: Construct, id: string, props: LocalLakeProps) {
    super(scope, id);
    const volume = dataVolume(this, "data", `${props.name}-data`, props.labels);
    this.service = new ServiceContainer(this, "azurite", {
      name: props.name,
      image: props.image,
      env: { AZURITE_BLOB_PORT: String(props.blobPort) },
      memoryMb: props.memoryMb ?? 256,
      mounts: [
        { volume: volume.name, target: "/var/lib/azurite" },
        { volume: props.secretsVolume, target: AZURITE_SECRETS.mount, readOnly: true },
      ],
      labels: componentLabels(props.labels, "lake"),
    });
  }
}
