import { ResolvedConfig } from "../../config";
import { networkPaths } from "../../config/reachability";
import { Deployment } from "../../stacks/deployment";

/** A Power BI Desktop data source file (.pbids): one connection, opened with a double click. */
export interface Pbids {
  readonly version: "0.1";
  readonly connections: ReadonlyArray<{
    readonly details: { readonly protocol: string; readonly address: Readonly<Record<string, string>> };
    readonly options: Readonly<Record<string, never>>;
    readonly mode: null;
  }>;
}

/**
 * The landed data as a Power BI source: the ADLS Gen2 filesystem's topics
 * directory on Azure; locally, Azurite's blob endpoint (Azurite has no dfs
 * endpoint), which Power BI's Azure Blob Storage connector reads.
 */
export function powerBiDataSource(c: ResolvedConfig): Pbids {
  const details =
    c.target === "local"
      ? { protocol: "azure-blobs", address: { url: new Deployment(c).endpoints.localLakeUrl } }
      : c.target === "event-hubs"
        ? // Capture writes Avro under <namespace>/<hub>/… in the same filesystem.
          { protocol: "azure-data-lake-storage", address: { url: `https://${c.derived.storageAccountName}.dfs.core.windows.net/${c.azure.filesystem}/${c.derived.eventHubsNamespace}` } }
        : { protocol: "azure-data-lake-storage", address: { url: `https://${c.derived.storageAccountName}.dfs.core.windows.net/${c.azure.filesystem}/topics` } };
  return { version: "0.1", connections: [{ details, options: {}, mode: null }] };
}

/**
 * How Power BI reaches the address of the .pbids in the deployment's network
 * mode: the analyst path of config/reachability.ts (the same host name in
 * both modes; in `private` the private DNS zone resolves it to the dfs
 * private endpoint from inside the network).
 */
export function powerBiRoute(c: ResolvedConfig): string {
  if (c.target === "local") return "Azurite on this machine's loopback port: Power BI Desktop on this machine, account key from .secrets/<project>-<environment>/";
  const path = networkPaths(c).find((p) => p.id === "analyst-lake");
  return path ? path.how : "no route";
}
