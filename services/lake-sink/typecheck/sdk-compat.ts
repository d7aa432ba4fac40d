/**
 * Compile-only check that the structural SDK types declared in src/azure-store.ts match the real
 * @azure/storage-blob / @azure/identity packages pinned in package.json. Not part of the root build
 * (which must not need the sink's runtime dependencies). Run: npm ci && npm run typecheck.
 */
import * as blob from "@azure/storage-blob";
import * as identity from "@azure/identity";
import { BlobServiceClientLike, ContainerClientLike } from "../src/azure-store";

declare const container: blob.ContainerClient;
declare const service: blob.BlobServiceClient;
export const containerLike: ContainerClientLike = container;
export const serviceLike: BlobServiceClientLike = service;
const options = { retryOptions: { maxTries: 5, tryTimeoutInMs: 30000, retryDelayInMs: 500, maxRetryDelayInMs: 8000 }, userAgentOptions: { userAgentPrefix: "p" } };
export const sharedKey = new blob.BlobServiceClient("https://a.blob.core.windows.net", new blob.StorageSharedKeyCredential("a", "a2V5"), options);
export const sas = new blob.BlobServiceClient("https://a.blob.core.windows.net?sig=x", new blob.AnonymousCredential(), options);
export const managed = new blob.BlobServiceClient("https://a.blob.core.windows.net", new identity.ManagedIdentityCredential({ clientId: "id" }), options);
