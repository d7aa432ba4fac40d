/**
 * Rows the simulator skipped because of their data, with a bounded retry.
 *
 * A key (e.g. `products.id=15`) that caused a data error is "blocked": products are
 * left out of new orders and of restocks, customers out of new orders. After a
 * backoff (DATA_RETRY_BASE_MS, doubled per consecutive failure, at most
 * DATA_RETRY_MAX_MS) the key is tried once more; success clears it, another failure
 * blocks it again for longer. So a bad row costs at most one failed attempt per
 * backoff period — never a tight loop — and the simulator notices when somebody
 * fixes the data. While any key is listed, health reports "degraded" with the reasons.
 *
 * Pure apart from the injected clock; the engine decides what to block and when it cleared.
 */
import { formatKey, RowKey } from "./errors";

export const DATA_RETRY_BASE_MS = 5_000;
export const DATA_RETRY_MAX_MS = 60_000;

/** Delay before retry number `failures` (1 = after the first failure): base · 2^(failures-1), capped. */
export function dataRetryDelay(failures: number, baseMs = DATA_RETRY_BASE_MS, maxMs = DATA_RETRY_MAX_MS): number {
  if (!(failures >= 1)) return 0;
  // 2^30 is far past any cap; avoids Infinity for absurd failure counts.
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}

export interface Problem {
  /** "products.id=15" */
  key: string;
  row: RowKey;
  /** What failed with it: "sale" (new orders) or "restock" (purchase orders); only success of the same clears it. */
  op: string;
  reason: string;
  /** The row that caused it, when known (e.g. "sales_order_details.id=812"). */
  culprit?: string;
  /** First failure of the current run (ISO). */
  since: string;
  lastFailureAt: string;
  failures: number;
  /** When the key is tried again (ISO). */
  retryAt: string;
}

export class Quarantine {
  private readonly entries = new Map<string, Problem & { retryAtMs: number }>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly baseMs = DATA_RETRY_BASE_MS,
    private readonly maxMs = DATA_RETRY_MAX_MS,
  ) {}

  /** Record a failure of `row` in `op`; returns the entry (failures counts consecutive failures). */
  fail(row: RowKey, op: string, reason: string, culprit?: RowKey): Problem {
    const key = formatKey(row);
    const now = this.clock();
    const prev = this.entries.get(key);
    const failures = (prev?.failures ?? 0) + 1;
    const retryAtMs = now + dataRetryDelay(failures, this.baseMs, this.maxMs);
    const entry = {
      key,
      row,
      op,
      reason,
      ...(culprit ? { culprit: formatKey(culprit) } : prev?.culprit && prev.reason === reason ? { culprit: prev.culprit } : {}),
      since: prev?.since ?? new Date(now).toISOString(),
      lastFailureAt: new Date(now).toISOString(),
      failures,
      retryAt: new Date(retryAtMs).toISOString(),
      retryAtMs,
    };
    this.entries.set(key, entry);
    return publicPart(entry);
  }

  /**
   * `op` worked again with the row: forget it, if it was listed for that op.
   * Returns the cleared entry, if there was one.
   */
  clear(row: RowKey, op: string): Problem | undefined {
    const key = formatKey(row);
    const e = this.entries.get(key);
    if (!e || e.op !== op) return undefined;
    this.entries.delete(key);
    return publicPart(e);
  }

  has(row: RowKey): boolean {
    return this.entries.has(formatKey(row));
  }

  /** Blocked = listed and its retry time has not come yet. */
  isBlocked(row: RowKey): boolean {
    const e = this.entries.get(formatKey(row));
    return !!e && e.retryAtMs > this.clock();
  }

  /** Ids of `table` currently blocked. */
  blockedIds(table: string): Set<number> {
    const now = this.clock();
    const out = new Set<number>();
    for (const e of this.entries.values()) if (e.row.table === table && e.retryAtMs > now) out.add(e.row.id);
    return out;
  }

  /** Every listed problem (blocked or due for its retry), oldest first. */
  problems(): Problem[] {
    return [...this.entries.values()].sort((a, b) => a.since.localeCompare(b.since) || a.key.localeCompare(b.key)).map(publicPart);
  }

  get size(): number {
    return this.entries.size;
  }
}

function publicPart(e: Problem & { retryAtMs: number }): Problem {
  const { retryAtMs: _drop, ...p } = e;
  return p;
}
