/**
 * Incremental inventory (purchased - sold per product) so the cost of an order
 * does not grow with the size of the detail tables.
 *
 * For each product the cache holds the sums of purchase_order_details /
 * sales_order_details quantities up to a watermark id per table. With the
 * product row locked (SELECT ... FOR UPDATE), only detail rows with an id above
 * the watermark are read and added. This is exact as long as every writer that
 * adds detail rows for a product holds that product's row lock while doing so
 * (the simulator always does): then, per product, rows are inserted and
 * committed in increasing id order, so nothing can appear below a watermark.
 * Writers that do not follow the rule, or UPDATE/DELETE detail rows, are picked
 * up at the next full resync (SIM_INVENTORY_RESYNC_MS; 0 = always re-sum).
 *
 * Pure: the DB layer runs `deltaQuery()` and feeds the rows to `apply()`.
 */
export interface InventoryEntry {
  purchased: number;
  sold: number;
  /** Highest purchase_order_details.id / sales_order_details.id included. */
  purchaseMaxId: number;
  salesMaxId: number;
}

export interface DeltaRow {
  /** "p" = purchase_order_details, "s" = sales_order_details */
  kind: "p" | "s";
  productId: number;
  sum: number;
  maxId: number;
}

export class InventoryCache {
  private entries = new Map<number, InventoryEntry>();
  private syncedAt: number;

  constructor(private readonly resyncMs: number, private readonly clock: () => number = Date.now) {
    this.syncedAt = clock();
  }

  /** Drop everything when the resync period is over (or always, with resyncMs = 0). */
  private maybeExpire(): void {
    const now = this.clock();
    if (this.resyncMs === 0 || now - this.syncedAt >= this.resyncMs) {
      this.entries.clear();
      this.syncedAt = now;
    }
  }

  invalidate(): void {
    this.entries.clear();
  }

  /** Drop the products' sums so the next read re-sums them in full (after a data problem: the rows may have been fixed). */
  forget(productIds: Iterable<number>): void {
    for (const id of productIds) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Current watermarks for the products (0 = not cached: full sum). Call with the products locked. */
  watermarks(productIds: readonly number[]): Map<number, InventoryEntry> {
    this.maybeExpire();
    return new Map(productIds.map((id) => [id, { ...(this.entries.get(id) ?? { purchased: 0, sold: 0, purchaseMaxId: 0, salesMaxId: 0 }) }]));
  }

  /**
   * SQL + params reading only rows above the watermarks. One statement, one
   * round trip; uses the (product_id, id) extent of the product_id index.
   */
  static deltaQuery(marks: ReadonlyMap<number, InventoryEntry>): { sql: string; params: number[] } {
    const ids = [...marks.keys()];
    const cond = ids.map(() => "(product_id = ? AND id > ?)").join(" OR ");
    const sql =
      `SELECT 'p' AS kind, product_id, SUM(quantity) AS s, MAX(id) AS m FROM purchase_order_details WHERE ${cond} GROUP BY product_id ` +
      `UNION ALL ` +
      `SELECT 's' AS kind, product_id, SUM(quantity) AS s, MAX(id) AS m FROM sales_order_details WHERE ${cond} GROUP BY product_id`;
    const params = [...ids.flatMap((id) => [id, marks.get(id)!.purchaseMaxId]), ...ids.flatMap((id) => [id, marks.get(id)!.salesMaxId])];
    return { sql, params };
  }

  /** Merge the delta rows into the watermarks, store, and return inventory per product. */
  apply(marks: ReadonlyMap<number, InventoryEntry>, rows: readonly DeltaRow[]): Map<number, number> {
    const next = new Map<number, InventoryEntry>();
    for (const [id, e] of marks) next.set(id, { ...e });
    for (const r of rows) {
      const e = next.get(r.productId);
      if (!e) continue;
      if (r.kind === "p") {
        e.purchased += r.sum;
        e.purchaseMaxId = Math.max(e.purchaseMaxId, r.maxId);
      } else {
        e.sold += r.sum;
        e.salesMaxId = Math.max(e.salesMaxId, r.maxId);
      }
    }
    const inventory = new Map<number, number>();
    for (const [id, e] of next) {
      this.entries.set(id, e);
      inventory.set(id, e.purchased - e.sold);
    }
    return inventory;
  }
}
