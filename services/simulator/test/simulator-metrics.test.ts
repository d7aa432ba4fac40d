/**
 * The simulator's counting: rows per table of a committed order, and what /metrics shows
 * (SimulatorMetrics, prom-client) after commits and failed attempts.
 */
import { SIMULATOR_METRICS as M } from "@bridge-to-azure/service-kit";
import { SimulatorMetrics } from "../src/metrics";
import { CommitRecord, rowsByTable } from "../src/simulator";

const order = (id: number, lines: number, startedAtMs: number, committedAtMs: number, extra: Partial<CommitRecord> = {}): CommitRecord => ({
  salesOrderId: id, customerId: 3, lines, rows: 1 + lines, outOfStockEvents: 0, startedAtMs, committedAtMs, attempts: 1, ...extra,
});

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("simulator metrics", () => {
  test("GIVEN an order with 5 lines, 2 out-of-stock events and a restock of 2 products THEN its rows are counted per table", () => {
    const rec = order(1, 5, 0, 10, { outOfStockEvents: 2, restock: { purchaseOrderIds: [9], products: [4, 7], eventsCleared: 2, committedAtMs: 12 } });
    expect(rowsByTable(rec, "dc01_out_of_stock_events")).toEqual({
      sales_orders: 1, sales_order_details: 5, dc01_out_of_stock_events: 2, purchase_orders: 1, purchase_order_details: 2,
    });
    expect(rowsByTable(order(2, 3, 0, 1), "dc01_out_of_stock_events")).toEqual({ sales_orders: 1, sales_order_details: 3 });
  });

  test("GIVEN two commits and a deadlock WHEN /metrics is rendered THEN orders, rows, commit durations, errors and the last commit time are there", async () => {
    const m = new SimulatorMetrics("dc01");
    const before = await m.render();
    expect(sample(before.body, `${M.ordersCommitted}{dc="dc01"}`)).toBe(0); // a series before the first order
    const a = order(1, 5, 1_800_000_000_000, 1_800_000_000_004);
    const b = order(2, 2, 1_800_000_001_000, 1_800_000_001_030);
    m.committed(a, rowsByTable(a, "dc01_out_of_stock_events"));
    m.committed(b, rowsByTable(b, "dc01_out_of_stock_events"));
    m.error("deadlock");
    const { body } = await m.render();
    expect(sample(body, `${M.ordersCommitted}{dc="dc01"}`)).toBe(2);
    expect(sample(body, `${M.rowsCommitted}{dc="dc01",table="sales_orders"}`)).toBe(2);
    expect(sample(body, `${M.rowsCommitted}{dc="dc01",table="sales_order_details"}`)).toBe(7);
    expect(sample(body, `${M.commitDuration}_count`)).toBe(2);
    expect(sample(body, `${M.commitDuration}_bucket{le="0.005"}`)).toBe(1); // 4 ms; 30 ms is above
    expect(sample(body, `${M.commitDuration}_sum`)).toBeCloseTo(0.034, 6);
    expect(sample(body, `${M.errors}{kind="deadlock"}`)).toBe(1);
    expect(sample(body, `${M.errors}{kind="fatal"}`)).toBe(0);
    expect(sample(body, M.lastCommitTimestamp)).toBe(1_800_000_001.03);
  });
});
