/** What the engine needs from the lake (an Azure container / ADLS filesystem, or memory in tests). */
export interface StoredFile {
  name: string;
  metadata: Record<string, string>;
}

export interface LakeStore {
  /** All blobs whose name starts with prefix, with their metadata (any order). */
  list(prefix: string): Promise<StoredFile[]>;
  read(name: string): Promise<string>;
  /** Atomic create-or-replace of a whole blob (Put Blob): readers see the old or the new content. */
  put(name: string, body: Buffer, metadata: Record<string, string>): Promise<void>;
  /** Delete; a missing blob is not an error. */
  delete(name: string): Promise<void>;
}

/** In-memory LakeStore (tests, dry runs). */
export class MemoryStore implements LakeStore {
  readonly blobs = new Map<string, { body: string; metadata: Record<string, string> }>();
  puts = 0;
  /** When set, put() throws this (simulated outage) without storing. */
  failPuts: Error | undefined;

  async list(prefix: string): Promise<StoredFile[]> {
    return [...this.blobs.entries()].filter(([n]) => n.startsWith(prefix)).map(([name, b]) => ({ name, metadata: { ...b.metadata } }));
  }

  async read(name: string): Promise<string> {
    const b = this.blobs.get(name);
    if (!b) throw Object.assign(new Error(`BlobNotFound: ${name}`), { statusCode: 404 });
    return b.body;
  }

  async put(name: string, body: Buffer, metadata: Record<string, string>): Promise<void> {
    if (this.failPuts) throw this.failPuts;
    this.puts++;
    this.blobs.set(name, { body: body.toString("utf8"), metadata: { ...metadata } });
  }

  async delete(name: string): Promise<void> {
    this.blobs.delete(name);
  }
}
