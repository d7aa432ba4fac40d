/**
 * The way back's latency, from the site database alone (pure, for the unit tests): per product, the
 * sales and purchase lines in time order give its stock on hand; a sale that takes the stock from above
 * zero to zero or below is a sell-out; the next purchase line of that product is the site's answer to the
 * out-of-stock event that came back (the simulator engine raises it as soon as the event row is in its
 * table). Both times are the database's own DATETIME(3) stamps (sales_orders.order_date and
 * purchase_orders.order_date, NOW(3) in the writing transaction), so no clock of ours is in between.
 */

export interface StockLine {
  readonly product: number;
  /** Epoch ms, the order's timestamp in the database. */
  readonly atMs: number;
  /** Sold (a sales line) or bought (a purchase line), in units. */
  readonly kind: "sale" | "purchase";
  readonly quantity: number;
  /** The line's id within its table: the order of lines with the same timestamp. */
  readonly id: number;
}

export interface SellOut {
  readonly product: number;
  readonly soldOutAtMs: number;
  /** When the purchase order that answered it was written; undefined when none came. */
  readonly answeredAtMs?: number;
}

/**
 * Sell-outs at or after `fromMs`, each with the purchase that answered it. `lines` may come in any order;
 * all of a product's lines are needed (its stock starts from the first).
 */
export function sellOuts(lines: readonly StockLine[], fromMs: number): SellOut[] {
  const byProduct = new Map<number, StockLine[]>();
  for (const l of lines) {
    const list = byProduct.get(l.product);
    if (list) list.push(l);
    else byProduct.set(l.product, [l]);
  }
  const out: SellOut[] = [];
  for (const [product, list] of byProduct) {
    // Same millisecond: the purchase first (a restock raised in that ms was for an earlier sell-out).
    list.sort((a, b) => a.atMs - b.atMs || (a.kind === b.kind ? a.id - b.id : a.kind === "purchase" ? -1 : 1));
    let stock = 0;
    let open: { soldOutAtMs: number } | undefined;
    for (const l of list) {
      if (l.kind === "purchase") {
        if (open) out.push({ product, soldOutAtMs: open.soldOutAtMs, answeredAtMs: l.atMs });
        open = undefined;
        stock += l.quantity;
        continue;
      }
      const before = stock;
      stock -= l.quantity;
      if (before > 0 && stock <= 0 && l.atMs >= fromMs) open = { soldOutAtMs: l.atMs };
    }
    if (open) out.push({ product, soldOutAtMs: open.soldOutAtMs });
  }
  return out.sort((a, b) => a.soldOutAtMs - b.soldOutAtMs);
}
