import type { PoolConnection } from "mysql2/promise";
import { loadConfig } from "../src/config";
import { SchemaInfo, writeOrder } from "../src/db";
import { InventoryCache } from "../src/inventory";
import { NO_LIMITS } from "../src/validation";

const PW_FILE = "/run/secrets/simulator/db-password";
const readFile = (p: string): string => {
  if (p === PW_FILE) return "s3cret\n";
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
};
const load = (env: Record<string, string>) => loadConfig({ DB_PASSWORD_FILE: PW_FILE, ...env }, readFile);

const SCHEMA: SchemaInfo = {
  productPriceColumn: "unit_price",
  productCostColumn: "unit_cost",
  eventHasQuantityOnHand: true,
  salesOrderDateExpr: "NOW(3)",
  purchaseOrderDateExpr: "NOW(3)",
  eventTimeColumn: null,
  eventTimeExpr: "NOW(3)",
  eventHasSalesOrderId: false,
  limits: NO_LIMITS,
};

/**
 * A connection that answers the order's reads like a database where product 13 has 2 units on hand
 * (100 purchased, 98 sold), and records every statement.
 */
function fakeConnection(): { conn: PoolConnection; sql: string[] } {
  const sql: string[] = [];
  const conn = {
    query: async (q: string) => {
      sql.push(q);
      if (q.startsWith("SELECT id, supplier_id")) return [[{ id: 13, supplier_id: 1, price: "9.99", cost: "5.00" }], []];
      if (q.includes("purchase_order_details") || q.includes("sales_order_details")) {
        if (q.startsWith("INSERT")) return [{ insertId: 0 }, []];
        return [[{ kind: "p", product_id: 13, s: 100, m: 1 }, { kind: "s", product_id: 13, s: 98, m: 1 }], []];
      }
      if (q.startsWith("INSERT INTO sales_orders")) return [{ insertId: 501 }, []];
      return [{ insertId: 0 }, []];
    },
  } as unknown as PoolConnection;
  return { conn, sql };
}

/** A sale of 5 units of product 13, which has 2 on hand: below zero. */
const SELL_OUT = { customerId: 3, lines: [{ productId: 13, quantity: 5 }] };

describe("SIM_LOCAL_STOCK_EVENTS", () => {
  test("GIVEN no setting WHEN loaded THEN the simulator records its own out-of-stock events (default true)", () => {
    expect(load({}).localStockEvents).toBe(true);
  });

  test("GIVEN false WHEN loaded THEN local events are off and the description says so", () => {
    expect(load({ SIM_LOCAL_STOCK_EVENTS: "false" }).localStockEvents).toBe(false);
  });

  test("GIVEN a value that is not a boolean WHEN loaded THEN the error names variable, value and rule", () => {
    expect(() => load({ SIM_LOCAL_STOCK_EVENTS: "maybe" })).toThrow(/SIM_LOCAL_STOCK_EVENTS="maybe"/);
  });

  test("GIVEN local events on WHEN a sale takes product 13 below zero THEN the order writes one event row with the stock after it", async () => {
    const { conn, sql } = fakeConnection();
    const r = await writeOrder(conn, SCHEMA, new InventoryCache(60000, () => 0), "dc01_out_of_stock_events", SELL_OUT);
    expect(r.shortfalls).toEqual([expect.objectContaining({ productId: 13, after: -3 })]);
    expect(sql.filter((q) => q.includes("dc01_out_of_stock_events"))).toEqual([expect.stringMatching(/^INSERT INTO `dc01_out_of_stock_events` \(product_id, quantity_on_hand\)/)]);
  });

  test("GIVEN local events off WHEN the same sale takes product 13 below zero THEN the order is written and no event row, no shortfall", async () => {
    const { conn, sql } = fakeConnection();
    const r = await writeOrder(conn, SCHEMA, new InventoryCache(60000, () => 0), undefined, SELL_OUT);
    expect(r).toEqual({ salesOrderId: 501, shortfalls: [] });
    expect(sql.some((q) => q.startsWith("INSERT INTO sales_order_details"))).toBe(true);
    expect(sql.filter((q) => q.includes("out_of_stock"))).toEqual([]);
  });
});
