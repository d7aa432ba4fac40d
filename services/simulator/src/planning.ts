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
import { decimalProblem, intProblem, NO_LIMITS, WriteLimits } from "./validation";

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

/** Customers / products left out of new orders because of their data (see quarantine.ts). */
export interface Exclusions {
  customers: ReadonlySet<number>;
  products: ReadonlySet<number>;
}

export const NO_EXCLUSIONS: Exclusions = { customers: new Set(), products: new Set() };

/**
 * Draw one order. Excluded customers / products are never drawn. Returns
 * undefined when no customer or no product is left to draw; with distinct
 * products and fewer than `linesPerOrder` left, the order has fewer lines.
 */
export function planOrder(rng: Rng, d: Distributions, linesPerOrder: number, distinctProducts: boolean, ex: Exclusions = NO_EXCLUSIONS): OrderPlan | undefined {
  const customerId = d.customer.sampleExcluding(rng, ex.customers);
  if (customerId === undefined) return undefined;
  const productIds = distinctProducts
    ? d.product.sampleDistinct(rng, linesPerOrder, ex.products)
    : Array.from({ length: linesPerOrder }, () => d.product.sampleExcluding(rng, ex.products)).filter((x): x is number => x !== undefined);
  if (!productIds.length) return undefined;
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
  /** null when the column is NULL (the schema says NOT NULL, but rows are checked, not trusted). */
  supplierId: number | null;
  /** DECIMAL(10,2) kept as the exact string the driver returns; null = SQL NULL. */
  price: string | null;
  cost: string | null;
}

/** Why the product cannot be sold (its price cannot be copied into sales_order_details.price), or undefined. */
export function saleProblem(p: ProductInfo, limits: WriteLimits = NO_LIMITS, priceColumn = "price"): string | undefined {
  return decimalProblem(p.price, limits.salesPrice, `${priceColumn}`, "sales_order_details.price");
}

/** Why `quantity` units of the product cannot be bought, or undefined. */
export function restockProblem(p: ProductInfo, quantity: number, limits: WriteLimits = NO_LIMITS, costColumn = "cost"): string | undefined {
  if (p.supplierId === null || !Number.isSafeInteger(p.supplierId) || p.supplierId < 1) return `supplier_id ${p.supplierId} is not a supplier id`;
  const cost = decimalProblem(p.cost, limits.purchaseCost, costColumn, "purchase_order_details.cost");
  if (cost) return cost;
  return intProblem(quantity, limits.purchaseQuantity, "restock quantity", "purchase_order_details.quantity");
}

export interface PurchaseLine {
  productId: number;
  quantity: number;
  cost: string;
}
/** A product with pending events that this restock leaves alone because of its data. */
export interface SkippedProduct {
  productId: number;
  reason: string;
  /** True when the problem is the product's stock level (so the sales / purchase lines behind it are the culprits). */
  stock: boolean;
}
export interface PurchasePlan {
  supplierId: number;
  lines: PurchaseLine[];
}
export interface RestockPlan {
  purchaseOrders: PurchasePlan[];
  /** Products with events whose inventory was already > 0: events cleared, nothing bought. */
  alreadyStocked: number[];
  /** Products whose data makes a purchase impossible: nothing bought, events kept (see quarantine.ts). */
  skipped: SkippedProduct[];
}

export function planRestock(
  productIds: Iterable<number>,
  inventory: ReadonlyMap<number, number>,
  products: ReadonlyMap<number, ProductInfo>,
  restockTo: number,
  limits: WriteLimits = NO_LIMITS,
  costColumn = "cost",
): RestockPlan {
  const bySupplier = new Map<number, PurchaseLine[]>();
  const alreadyStocked: number[] = [];
  const skipped: SkippedProduct[] = [];
  for (const id of lockOrder(productIds)) {
    const p = products.get(id);
    if (!p) {
      skipped.push({ productId: id, reason: "has out-of-stock events but the product row does not exist", stock: false });
      continue;
    }
    const inv = inventory.get(id) ?? 0;
    if (!Number.isSafeInteger(inv)) {
      skipped.push({ productId: id, reason: `stock ${inv} is not a safe integer`, stock: true });
      continue;
    }
    if (inv > 0) {
      alreadyStocked.push(id);
      continue;
    }
    const quantity = restockTo - inv;
    const problem = restockProblem(p, quantity, limits, costColumn);
    if (problem) {
      // A stock level so low that "order up to" overflows the column (e.g. a sale of
      // 2147483647 units): the sales lines, not the product row, are what is wrong.
      skipped.push({ productId: id, reason: `cannot restock (stock ${inv}): ${problem}`, stock: /restock quantity/.test(problem) });
      continue;
    }
    const lines = bySupplier.get(p.supplierId!) ?? [];
    lines.push({ productId: id, quantity, cost: String(p.cost) });
    bySupplier.set(p.supplierId!, lines);
  }
  const purchaseOrders = [...bySupplier.entries()]
    .sort(([a], [b]) => a - b)
    .map(([supplierId, lines]) => ({ supplierId, lines }));
  return { purchaseOrders, alreadyStocked, skipped };
}

/** Rows one order writes in the order transaction (header + lines + events). */
export function rowsOfOrder(lines: number, events = 0): number {
  return 1 + lines + events;
}
