import { sellOuts, StockLine } from "../bench/write-back-latency";

const sale = (product: number, atMs: number, quantity: number, id = atMs): StockLine => ({ product, atMs, kind: "sale", quantity, id });
const buy = (product: number, atMs: number, quantity: number, id = atMs): StockLine => ({ product, atMs, kind: "purchase", quantity, id });

describe("write-back latency from the site's own rows", () => {
  test("GIVEN stock 10 WHEN sales take it to 0 and below and a purchase follows THEN one sell-out, answered by that purchase", () => {
    const r = sellOuts([buy(1, 0, 10), sale(1, 100, 6), sale(1, 200, 4), sale(1, 300, 3), buy(1, 1500, 103)], 0);
    expect(r).toEqual([{ product: 1, soldOutAtMs: 200, answeredAtMs: 1500 }]);
  });

  test("GIVEN lines out of order and two products THEN each product's own walk, sorted by sell-out", () => {
    const r = sellOuts([sale(2, 50, 5), buy(2, 0, 5), buy(1, 0, 1), sale(1, 10, 1), buy(1, 900, 100), buy(2, 400, 100)], 0);
    expect(r).toEqual([
      { product: 1, soldOutAtMs: 10, answeredAtMs: 900 },
      { product: 2, soldOutAtMs: 50, answeredAtMs: 400 },
    ]);
  });

  test("GIVEN a sell-out before the window or one never answered THEN the first is left out, the second has no answer", () => {
    const r = sellOuts([buy(1, 0, 1), sale(1, 10, 1), buy(1, 20, 1), sale(1, 30, 1)], 15);
    expect(r).toEqual([{ product: 1, soldOutAtMs: 30 }]);
  });

  test("GIVEN a purchase that does not bring stock above zero WHEN the next sale comes THEN that sale is no new sell-out", () => {
    // Stock -5, +3 → -2: still out; a sale then is not a crossing from above zero.
    const r = sellOuts([buy(1, 0, 1), sale(1, 10, 6), buy(1, 20, 3), sale(1, 30, 1), buy(1, 40, 100)], 0);
    expect(r).toEqual([{ product: 1, soldOutAtMs: 10, answeredAtMs: 20 }]);
  });
});
