/**
 * LakeStore on the Azure Blob API (@azure/storage-blob): Azure Blob Storage, ADLS Gen2 accounts
 * (hierarchical namespace; the blob endpoint creates the directories implicitly) and Azurite.
 *
 * The SDK is loaded at run time with require() and typed here by the few members used, so the
 * repository's root TypeScript build does not need the sink's runtime dependencies installed
 * (they live in services/lake-sink/package.json and the image only). `npm run typecheck` in
 * services/lake-sink checks these declarations against the real SDK types.
 */
import { StorageConfig } from "./config";
import { LakeStore, StoredFile } from "./store";

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface BlobItemLike {
  name: string;
  metadata?: Record<string, string>;
}
export interface BlockBlobClientLike {
  upload(body: Buffer, contentLength: number, options?: { blobHTTPHeaders?: { blobContentType?: string }; metadata?: Record<string, string> }): Promise<unknown>;
  downloadToBuffer(): Promise<Buffer>;
  deleteIfExists(): Promise<unknown>;
}
export interface ContainerClientLike {
  createIfNotExists(): Promise<{ succeeded: boolean }>;
  exists(): Promise<boolean>;
  listBlobsFlat(options?: { prefix?: string; includeMetadata?: boolean }): AsyncIterable<BlobItemLike>;
  getBlockBlobClient(name: string): BlockBlobClientLike;
}
export interface BlobServiceClientLike {
  getContainerClient(name: string): ContainerClientLike;
}
interface StorageBlobModule {
  BlobServiceClient: new (url: string, credential?: unknown, options?: unknown) => BlobServiceClientLike;
  StorageSharedKeyCredential: new (account: string, key: string) => unknown;
  AnonymousCredential: new () => unknown;
}
interface IdentityModule {
  ManagedIdentityCredential: new (options?: { clientId?: string }) => unknown;
}

export function loadSdk(): StorageBlobModule {
  return require("@azure/storage-blob") as StorageBlobModule;
}

/** Builds the service client for the configured auth (shared key, SAS, managed identity). */
export function serviceClient(cfg: StorageConfig, sdk: StorageBlobModule = loadSdk()): BlobServiceClientLike {
  // Retries: exponential, 5 tries, 30 s per try (a file is one Put Blob of at most a few MB).
  const options = { retryOptions: { maxTries: 5, tryTimeoutInMs: 30000, retryDelayInMs: 500, maxRetryDelayInMs: 8000 }, userAgentOptions: { userAgentPrefix: "bridge-to-azure-lake-sink/0.1.0" } };
  switch (cfg.auth.kind) {
    case "shared-key":
      return new sdk.BlobServiceClient(cfg.endpoint, new sdk.StorageSharedKeyCredential(cfg.account, cfg.auth.key), options);
    case "sas":
      return new sdk.BlobServiceClient(`${cfg.endpoint}?${cfg.auth.sas}`, new sdk.AnonymousCredential(), options);
    case "managed-identity": {
      const identity = require("@azure/identity") as IdentityModule;
      const cred = new identity.ManagedIdentityCredential(cfg.auth.clientId ? { clientId: cfg.auth.clientId } : undefined);
      return new sdk.BlobServiceClient(cfg.endpoint, cred, options);
    }
  }
}

export class AzureBlobStore implements LakeStore {
  constructor(private readonly container: ContainerClientLike) {}

  static create(cfg: StorageConfig): AzureBlobStore {
    return new AzureBlobStore(serviceClient(cfg).getContainerClient(cfg.filesystem));
  }

  /** Creates the container (filesystem) when missing; true when it was created. */
  async ensureContainer(): Promise<boolean> {
    if (await this.container.exists()) return false;
    return (await this.container.createIfNotExists()).succeeded;
  }

  async list(prefix: string): Promise<StoredFile[]> {
    const out: StoredFile[] = [];
    for await (const b of this.container.listBlobsFlat({ prefix, includeMetadata: true })) out.push({ name: b.name, metadata: b.metadata ?? {} });
    return out;
  }

  async read(name: string): Promise<string> {
    return (await this.container.getBlockBlobClient(name).downloadToBuffer()).toString("utf8");
  }

  async put(name: string, body: Buffer, metadata: Record<string, string>): Promise<void> {
    await this.container.getBlockBlobClient(name).upload(body, body.length, { blobHTTPHeaders: { blobContentType: "application/x-ndjson" }, metadata });
  }

  async delete(name: string): Promise<void> {
    await this.container.getBlockBlobClient(name).deleteIfExists();
  }
}
