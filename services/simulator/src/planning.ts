/**
 * Pure order / inventory / restock planning. The DB layer feeds it rows and
 * executes what it returns; nothing here does I/O.
 *
 * Policy (documented in services/simulator/README.md):
 *  - Backorders: a line is always written in full, even when it takes the
 *    product's inventory below zero. Such a line additionally records one
 *    out-of-stock event (one row per offending line) in the same transaction as
 *    the order, so every sales order always has exactly SIM_LINES_PER_ORDER lines.
 *  - Restock: right after an order that recorded events (and once at startup),
 *    a separate transaction takes all pending events, raises ONE purchase order
 *    PER SUPPLIER with one line per out-of-stock product bringing its inventory
 *    up to SIM_RESTOCK_QUANTITY (quantity = restock - inventory, so backorders
 *    are covered too) at the product's cost, and deletes the handled events.
 *    A product whose inventory is already positive again (somebody else
 *    restocked) gets no purchase line; its events are just cleared.
 */
import { Discrete, Rng } from "./distribution";

export interface OrderLine {
  productId: number;
  quantity: number;
}
export interface OrderPlan {
  customerId: number;
  lines: OrderLine[];
}
export interface Distributions {
  customer: Discrete;
  product: Discrete;
  quantity: Discrete;
}

export function planOrder(rng: Rng, d: Distributions, linesPerOrder: number, distinctProducts: boolean): OrderPlan {
  const customerId = d.customer.sample(rng);
  const productIds = distinctProducts
    ? d.product.sampleDistinct(rng, linesPerOrder)
    : Array.from({ length: linesPerOrder }, () => d.product.sample(rng));
  return { customerId, lines: productIds.map((productId) => ({ productId, quantity: d.quantity.sample(rng) })) };
}

/** Distinct product ids of a plan in ascending order: the row-lock order, which avoids lock-order deadlocks. */
export function lockOrder(productIds: Iterable<number>): number[] {
  return [...new Set(productIds)].sort((a, b) => a - b);
}

export interface Shortfall {
  /** Index of the line in the order. */
  line: number;
  productId: number;
  /** Inventory before this line. */
  before: number;
  /** Inventory after this line (negative). */
  after: number;
}

/**
 * Walk the lines in order against current inventory (purchased - sold) and
 * report each line that takes its product below zero. Returns the inventory
 * after the order as well.
 */
export function findShortfalls(
  lines: readonly OrderLine[],
  inventory: ReadonlyMap<number, number>,
): { shortfalls: Shortfall[]; after: Map<number, number> } {
  const after = new Map(inventory);
  const shortfalls: Shortfall[] = [];
  lines.forEach((l, i) => {
    const before = after.get(l.productId) ?? 0;
    const next = before - l.quantity;
    after.set(l.productId, next);
    if (next < 0) shortfalls.push({ line: i, productId: l.productId, before, after: next });
  });
  return { shortfalls, after };
}

export interface ProductInfo {
  id: number;
  supplierId: number;
  /** DECIMAL(10,2) kept as the exact string the driver returns. */
  price: string;
  cost: string;
}

export interface PurchaseLine {
  productId: number;
  quantity: number;
  cost: string;
}
export interface PurchasePlan {
  supplierId: number;
  lines: PurchaseLine[];
}
export interface RestockPlan {
  purchaseOrders: PurchasePlan[];
  /** Products with events whose inventory was already > 0: events cleared, nothing bought. */
  alreadyStocked: number[];
}

export function planRestock(
  productIds: Iterable<number>,
  inventory: ReadonlyMap<number, number>,
  products: ReadonlyMap<number, ProductInfo>,
  restockTo: number,
): RestockPlan {
  const bySupplier = new Map<number, PurchaseLine[]>();
  const alreadyStocked: number[] = [];
  for (const id of lockOrder(productIds)) {
    const p = products.get(id);
    if (!p) throw new Error(`product ${id} has out-of-stock events but does not exist`);
    const inv = inventory.get(id) ?? 0;
    if (inv > 0) {
      alreadyStocked.push(id);
      continue;
    }
    const lines = bySupplier.get(p.supplierId) ?? [];
    lines.push({ productId: id, quantity: restockTo - inv, cost: p.cost });
    bySupplier.set(p.supplierId, lines);
  }
  const purchaseOrders = [...bySupplier.entries()]
    .sort(([a], [b]) => a - b)
    .map(([supplierId, lines]) => ({ supplierId, lines }));
  return { purchaseOrders, alreadyStocked };
}

/** Rows one order writes in the order transaction (header + lines + events). */
export function rowsOfOrder(lines: number, events = 0): number {
  return 1 + lines + events;
}
