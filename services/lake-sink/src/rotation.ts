/**
 * When an open file closes. Pure decisions; the engine calls them per record and on a timer.
 *
 * Deterministic rules (same input => same files):
 *   - "size": after appending, the file holds FLUSH_SIZE records;
 *   - "time": before appending, the record's timestamp >= the file's first record timestamp
 *             + ROTATE_INTERVAL_MS (the record starts the next file);
 *   - "path": before appending, the record's time directories (STORAGE_PATH_FORMAT) differ from
 *             the file's (the record starts the next file);
 *   - "bytes": before appending, the record's line would take the file past FILE_MAX_BYTES (the
 *             record starts the next file; a single larger record gets a file of its own). Bounds
 *             the memory of an open file and keeps its text below V8's longest string (~512 MiB),
 *             which would otherwise make every attempt to land the file throw.
 * Wall-clock rules (bound latency on quiet topics; not deterministic, which is safe because a
 * re-processed file overwrites the blob with the same start offset and stale blobs inside a new
 * file's offset range are deleted):
 *   - "idle": no record appended for IDLE_FLUSH_MS;
 *   - "age":  the file has been open for OPEN_FILE_MAX_MS (0 = no limit).
 */
export interface RotationConfig {
  flushSize: number;
  rotateIntervalMs: number;
  idleFlushMs: number;
  openFileMaxMs: number;
  fileMaxBytes: number;
}

export interface OpenFileView {
  count: number;
  /** UTF-8 bytes of the file so far (lines and their newlines). */
  bytes: number;
  firstTimestamp: number;
  timeDirs: string;
  openedAtWall: number;
  lastAppendWall: number;
}

export type RotateReason = "size" | "time" | "path" | "bytes" | "idle" | "age" | "shutdown";

export function rotateBeforeAppend(f: OpenFileView, recordTimestamp: number, recordTimeDirs: string, cfg: RotationConfig, lineBytes = 0): RotateReason | null {
  if (f.count === 0) return null;
  if (cfg.rotateIntervalMs > 0 && recordTimestamp >= f.firstTimestamp + cfg.rotateIntervalMs) return "time";
  if (recordTimeDirs !== f.timeDirs) return "path";
  if (f.bytes + lineBytes > cfg.fileMaxBytes) return "bytes";
  return null;
}

export function rotateAfterAppend(f: OpenFileView, cfg: RotationConfig): RotateReason | null {
  return f.count >= cfg.flushSize ? "size" : null;
}

export function rotateOnTimer(f: OpenFileView, nowWall: number, cfg: RotationConfig): RotateReason | null {
  if (f.count === 0) return null;
  if (cfg.openFileMaxMs > 0 && nowWall - f.openedAtWall >= cfg.openFileMaxMs) return "age";
  if (nowWall - f.lastAppendWall >= cfg.idleFlushMs) return "idle";
  return null;
}
