import { ResolvedConfig } from "../../config";
import { localBlobEndpoint } from "../../stacks/names";

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
      ? { protocol: "azure-blobs", address: { url: `${localBlobEndpoint(c.local.azuriteBlobPort)}/${c.azure.filesystem}` } }
      : c.target === "event-hubs"
        ? // Capture writes Avro under <namespace>/<hub>/… in the same filesystem.
          { protocol: "azure-data-lake-storage", address: { url: `https://${c.derived.storageAccountName}.dfs.core.windows.net/${c.azure.filesystem}/${c.derived.eventHubsNamespace}` } }
        : { protocol: "azure-data-lake-storage", address: { url: `https://${c.derived.storageAccountName}.dfs.core.windows.net/${c.azure.filesystem}/topics` } };
  return { version: "0.1", connections: [{ details, options: {}, mode: null }] };
}
