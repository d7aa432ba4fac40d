/**
 * Pure logic behind "the simulator never crash-loops on data": which errors are data
 * (skip the row) and which are infrastructure (retry / back off), the bounded retry of a
 * skipped row, the degraded health state, and the checks that catch unwritable values.
 */
import { Discrete, seededRng } from "../src/distribution";
import { classifyError, DataError, foreignKeyTarget, isDataError } from "../src/errors";
import { checkHeartbeat, Heartbeat, HeartbeatWriter } from "../src/health";
import { planOrder, planRestock, ProductInfo, saleProblem } from "../src/planning";
import { DATA_RETRY_BASE_MS, DATA_RETRY_MAX_MS, dataRetryDelay, Quarantine } from "../src/quarantine";
import { blameOrder, MAX_DATA_REDRAWS } from "../src/simulator";
import { decimalProblem, intProblem, intRange, WriteLimits } from "../src/validation";

/** What mysql2 rejects with for a server error (fields as the driver sets them). */
const serverError = (errno: number, sqlState: string, message: string, code = "ER_X") => Object.assign(new Error(message), { errno, sqlState, code });

const INT = intRange("int")!;
const LIMITS: WriteLimits = {
  salesPrice: { precision: 10, scale: 2 },
  salesQuantity: INT,
  purchaseQuantity: INT,
  purchaseCost: { precision: 10, scale: 2 },
  eventQuantityOnHand: INT,
};

describe("simulator error classification", () => {
  test.each([
    ["out of range (the crash-loop of the issue)", serverError(1264, "22003", "Out of range value for column 'quantity' at row 1", "ER_WARN_DATA_OUT_OF_RANGE")],
    ["data too long", serverError(1406, "22001", "Data too long for column 'name' at row 1", "ER_DATA_TOO_LONG")],
    ["truncated (strict mode, SQLSTATE 01000)", serverError(1265, "01000", "Data truncated for column 'price' at row 1", "WARN_DATA_TRUNCATED")],
    ["incorrect value (SQLSTATE HY000)", serverError(1366, "HY000", "Incorrect decimal value: 'null' for column 'price' at row 1")],
    ["division by zero", serverError(1365, "22012", "Division by 0", "ER_DIVISION_BY_ZERO")],
    ["NULL into NOT NULL", serverError(1048, "23000", "Column 'supplier_id' cannot be null", "ER_BAD_NULL_ERROR")],
    ["foreign key", serverError(1452, "23000", "Cannot add or update a child row: a foreign key constraint fails", "ER_NO_REFERENCED_ROW_2")],
    ["MariaDB CHECK constraint", serverError(4025, "23000", "CONSTRAINT `ck_pod_quantity` failed for `orders`.`purchase_order_details`")],
    ["MySQL CHECK constraint (SQLSTATE HY000)", serverError(3819, "HY000", "Check constraint 'ck_pod_quantity' is violated.")],
    ["BIGINT out of range in an expression", serverError(1690, "22003", "BIGINT value is out of range in '`s` - 1'")],
    ["an unknown data errno with SQLSTATE class 22", serverError(9999, "22999", "some data exception")],
    ["the simulator's own check", new DataError({ table: "products", id: 15 }, "cannot be sold: price is NULL")],
  ])("GIVEN %s WHEN classified THEN it is a data error", (_what, e) => {
    expect(classifyError(e)).toBe("data");
    expect(isDataError(e)).toBe(true);
  });

  test.each([
    ["refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3306"), { code: "ECONNREFUSED", errno: -111 })],
    ["connection lost mid-query", Object.assign(new Error("Connection lost: The server closed the connection."), { code: "PROTOCOL_CONNECTION_LOST", fatal: true })],
    ["server shutting down", serverError(1053, "08S01", "Server shutdown in progress", "ER_SERVER_SHUTDOWN")],
    ["connection killed", serverError(1927, "70100", "Connection was killed", "ER_CONNECTION_KILLED")],
    // A fatal (connection-level) error wins over a data-looking SQLSTATE: never "skip the data" for it.
    ["a fatal error that also carries SQLSTATE 22", Object.assign(serverError(1264, "22003", "Out of range"), { fatal: true })],
  ])("GIVEN %s WHEN classified THEN it is infrastructure (transient), not data", (_what, e) => {
    expect(classifyError(e)).toBe("transient");
    expect(isDataError(e)).toBe(false);
  });

  test("GIVEN deadlocks, schema drift, privileges and bugs WHEN classified THEN deadlock / fatal, never data", () => {
    expect(classifyError(serverError(1213, "40001", "Deadlock found"))).toBe("deadlock");
    expect(classifyError(serverError(1205, "HY000", "Lock wait timeout exceeded"))).toBe("deadlock");
    expect(classifyError(serverError(1054, "42S22", "Unknown column 'unit_price' in 'field list'"))).toBe("fatal");
    expect(classifyError(serverError(1142, "42000", "INSERT command denied"))).toBe("fatal");
    expect(classifyError(new TypeError("x is undefined"))).toBe("fatal");
    expect(classifyError("a string")).toBe("fatal");
  });

  test("GIVEN a foreign-key message WHEN parsed THEN the child table, column and parent are named", () => {
    const msg =
      "Cannot add or update a child row: a foreign key constraint fails (`orders`.`sales_orders`, CONSTRAINT `fk_sales_orders_customer` " +
      "FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`))";
    expect(foreignKeyTarget(msg)).toEqual({ childTable: "sales_orders", column: "customer_id", parentTable: "customers" });
    expect(foreignKeyTarget("Out of range value")).toBeUndefined();
  });

  test("GIVEN an order's data error WHEN blamed THEN the named row, the customer of an FK failure, or nobody", () => {
    const plan = { customerId: 7, lines: [{ productId: 3, quantity: 1 }, { productId: 4, quantity: 2 }] };
    expect(blameOrder(new DataError({ table: "products", id: 4 }, "cannot be sold: price is NULL"), plan)).toEqual({
      key: { table: "products", id: 4 }, reason: "cannot be sold: price is NULL", stock: false, culprit: undefined,
    });
    const fk = serverError(1452, "23000",
      "Cannot add or update a child row: a foreign key constraint fails (`orders`.`sales_orders`, CONSTRAINT `fk` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`))");
    expect(blameOrder(fk, plan)?.key).toEqual({ table: "customers", id: 7 });
    expect(blameOrder(serverError(1264, "22003", "Out of range value for column 'quantity' at row 2"), plan)).toBeUndefined();
    expect(MAX_DATA_REDRAWS).toBeGreaterThan(0);
  });
});

describe("simulator data retry backoff", () => {
  test("GIVEN consecutive failures WHEN the delay is computed THEN it doubles from the base and never exceeds the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => dataRetryDelay(n))).toEqual([5000, 10000, 20000, 40000, 60000, 60000]);
    expect(dataRetryDelay(1)).toBe(DATA_RETRY_BASE_MS);
    expect(dataRetryDelay(10_000)).toBe(DATA_RETRY_MAX_MS);
    expect(dataRetryDelay(Number.MAX_SAFE_INTEGER)).toBe(DATA_RETRY_MAX_MS);
    expect(dataRetryDelay(0)).toBe(0);
    for (let n = 1; n < 100; n++) {
      expect(dataRetryDelay(n + 1)).toBeGreaterThanOrEqual(dataRetryDelay(n));
      expect(dataRetryDelay(n)).toBeLessThanOrEqual(DATA_RETRY_MAX_MS);
    }
    // Bounded rate: one bad row costs at most this many attempts in an hour after the first minute or so.
    let t = 0, attempts = 0;
    for (let n = 1; t < 3_600_000; n++, attempts++) t += dataRetryDelay(n);
    expect(attempts).toBeLessThanOrEqual(3600 / 60 + 5);
  });

  test("GIVEN a quarantined product WHEN time passes THEN blocked until its retry, listed until it works again for the same operation", () => {
    let now = 1_000_000;
    const q = new Quarantine(() => now);
    const p15 = { table: "products", id: 15 };
    const first = q.fail(p15, "restock", "cannot restock", { table: "sales_order_details", id: 812 });
    expect(first).toMatchObject({ key: "products.id=15", op: "restock", failures: 1, culprit: "sales_order_details.id=812" });
    expect(q.isBlocked(p15)).toBe(true);
    expect([...q.blockedIds("products")]).toEqual([15]);
    expect([...q.blockedIds("customers")]).toEqual([]);

    now += DATA_RETRY_BASE_MS; // retry due: no longer blocked, but still a problem
    expect(q.isBlocked(p15)).toBe(false);
    expect(q.problems().map((p) => p.key)).toEqual(["products.id=15"]);

    const second = q.fail(p15, "restock", "cannot restock");
    expect(second.failures).toBe(2);
    expect(second.since).toBe(first.since);
    expect(second.culprit).toBe("sales_order_details.id=812"); // same reason: the culprit is remembered
    expect(Date.parse(second.retryAt) - now).toBe(2 * DATA_RETRY_BASE_MS);

    // Selling the product does not prove it can be restocked.
    expect(q.clear(p15, "sale")).toBeUndefined();
    expect(q.size).toBe(1);
    expect(q.clear(p15, "restock")?.failures).toBe(2);
    expect(q.size).toBe(0);
    expect(q.isBlocked(p15)).toBe(false);
    // A fresh failure starts again at the base delay.
    expect(q.fail(p15, "restock", "again").failures).toBe(1);
  });
});

describe("simulator degraded health", () => {
  const now = Date.parse("2026-12-01T21:00:10.000Z");
  const hb = (over: Partial<Heartbeat>): Heartbeat => ({
    pid: 1, startedAt: "2026-12-01T21:00:00.000Z", readyAt: "2026-12-01T21:00:01.000Z", lastCommitAt: "2026-12-01T21:00:09.000Z",
    lastSalesOrderId: 42, orders: 9, rows: 54, maxAgeMs: 30000, state: "running", writtenAt: "2026-12-01T21:00:10.000Z", ...over,
  });
  const problem = {
    key: "products.id=15", op: "restock", failures: 3, since: "2026-12-01T21:00:02.000Z", retryAt: "2026-12-01T21:00:40.000Z",
    reason: "cannot restock (stock -2147483660): restock quantity 2147483760 is more than purchase_order_details.quantity allows (max 2147483647)",
    culprit: "sales_order_details.id=812",
  };

  test("GIVEN no problems WHEN checked THEN healthy, not degraded", () => {
    const v = checkHeartbeat(hb({ problems: [] }), now);
    expect(v).toEqual({ healthy: true, degraded: false, reason: expect.stringMatching(/^ok: 9 orders/) });
    // A heartbeat of the old format (no problems field) reads the same.
    expect(checkHeartbeat(hb({}), now).degraded).toBe(false);
  });

  test("GIVEN a skipped row while orders commit WHEN checked THEN healthy but degraded, naming key, reason and culprit", () => {
    const v = checkHeartbeat(hb({ problems: [problem], dataErrors: 3 }), now);
    expect(v.healthy).toBe(true);
    expect(v.degraded).toBe(true);
    expect(v.reason).toContain("products.id=15 (restock)");
    expect(v.reason).toContain("more than purchase_order_details.quantity allows");
    expect(v.reason).toContain("caused by sales_order_details.id=812");
    expect(v.reason).toContain("9 orders");
  });

  test("GIVEN a skipped row and no commit for too long WHEN checked THEN unhealthy (stuck beats degraded), problems still named", () => {
    const v = checkHeartbeat(hb({ problems: [problem], lastCommitAt: "2026-12-01T21:00:01.000Z", readyAt: "2026-12-01T20:00:00.000Z" }), now + 60000);
    expect(v.healthy).toBe(false);
    expect(v.degraded).toBe(false);
    expect(v.reason).toMatch(/no order committed/);
    expect(v.reason).toContain("products.id=15");
  });

  test("GIVEN the writer WHEN problems are set and then cleared THEN the heartbeat goes degraded and back to healthy", () => {
    const w = new HeartbeatWriter("", 30000, () => undefined);
    w.ready();
    w.committed(1, 6, Date.now());
    w.setProblems([problem], 1);
    expect(checkHeartbeat(w.snapshot(), Date.now()).degraded).toBe(true);
    w.setProblems([], 1);
    const back = checkHeartbeat(w.snapshot(), Date.now());
    expect(back).toMatchObject({ healthy: true, degraded: false });
    expect(w.snapshot().dataErrors).toBe(1);
  });
});

describe("simulator row checks", () => {
  test("GIVEN integer column types WHEN their ranges are read THEN signed, unsigned and BIGINT (clamped to safe integers)", () => {
    expect(INT).toEqual({ min: -2147483648, max: 2147483647 });
    expect(intRange("int", "int(10) unsigned")).toEqual({ min: 0, max: 4294967295 });
    expect(intRange("SMALLINT", "smallint(6)")).toEqual({ min: -32768, max: 32767 });
    expect(intRange("bigint")).toEqual({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    expect(intRange("double")).toBeUndefined();
  });

  test("GIVEN values WHEN checked against DECIMAL(10,2) / INT THEN the problem names value, column and rule", () => {
    const d = { precision: 10, scale: 2 };
    expect(decimalProblem("99999999.99", d, "unit_price", "sales_order_details.price")).toBeUndefined();
    expect(decimalProblem("0.5", d, "unit_price", "sales_order_details.price")).toBeUndefined();
    expect(decimalProblem("123456789.00", d, "unit_price", "sales_order_details.price")).toBe(
      "unit_price 123456789.00 does not fit sales_order_details.price DECIMAL(10,2) (at most 8 digits before the point)",
    );
    expect(decimalProblem(null, d, "unit_cost", "purchase_order_details.cost")).toBe("unit_cost is NULL");
    expect(decimalProblem("NaN", d, "unit_cost", "x")).toMatch(/is not a decimal number/);
    expect(intProblem(2147483647, INT, "q", "c")).toBeUndefined();
    expect(intProblem(2147483648, INT, "restock quantity", "purchase_order_details.quantity")).toBe(
      "restock quantity 2147483648 is more than purchase_order_details.quantity allows (max 2147483647)",
    );
    expect(intProblem(-2147483649, INT, "stock", "e.quantity_on_hand")).toMatch(/less than e.quantity_on_hand allows \(min -2147483648\)/);
    expect(saleProblem({ id: 1, supplierId: 1, price: null, cost: "1.00" }, LIMITS, "products.unit_price")).toBe("products.unit_price is NULL");
  });

  test("GIVEN a sale of 2147483647 units WHEN restock is planned THEN that product is skipped (stock problem), the others are still bought", () => {
    const products = new Map<number, ProductInfo>([
      [3, { id: 3, supplierId: 4, price: "72.91", cost: "44.19" }],
      [15, { id: 15, supplierId: 4, price: "47.77", cost: "28.95" }],
    ]);
    // 100 bought, 2147483647 + 5 sold.
    const inventory = new Map([[3, -2], [15, 100 - 2147483647 - 5]]);
    const plan = planRestock([3, 15], inventory, products, 100, LIMITS, "products.unit_cost");
    expect(plan.purchaseOrders).toEqual([{ supplierId: 4, lines: [{ productId: 3, quantity: 102, cost: "44.19" }] }]);
    expect(plan.skipped).toEqual([
      {
        productId: 15,
        stock: true,
        reason: "cannot restock (stock -2147483552): restock quantity 2147483652 is more than purchase_order_details.quantity allows (max 2147483647)",
      },
    ]);
    // Without the column limits the old behaviour: the line is planned (and the database would reject it).
    expect(planRestock([15], inventory, products, 100).purchaseOrders[0]!.lines[0]!.quantity).toBe(2147483652);
  });

  test("GIVEN NULL cost, NULL supplier or a huge cost WHEN restock is planned THEN each product is skipped with the reason", () => {
    const products = new Map<number, ProductInfo>([
      [1, { id: 1, supplierId: 1, price: "1.00", cost: null }],
      [2, { id: 2, supplierId: null, price: "1.00", cost: "1.00" }],
      [3, { id: 3, supplierId: 1, price: "1.00", cost: "1000000000.00" }],
    ]);
    const plan = planRestock([1, 2, 3], new Map([[1, 0], [2, -1], [3, -5]]), products, 100, LIMITS, "products.unit_cost");
    expect(plan.purchaseOrders).toEqual([]);
    expect(plan.skipped.map((x) => [x.productId, x.stock])).toEqual([[1, false], [2, false], [3, false]]);
    expect(plan.skipped[0]!.reason).toMatch(/products.unit_cost is NULL/);
    expect(plan.skipped[1]!.reason).toMatch(/supplier_id null/);
    expect(plan.skipped[2]!.reason).toMatch(/does not fit purchase_order_details.cost DECIMAL\(10,2\)/);
  });
});

describe("simulator order plans without skipped rows", () => {
  const dists = {
    customer: new Discrete({ kind: "triangular", min: 1, mode: 15, max: 30 }),
    product: new Discrete({ kind: "triangular", min: 1, mode: 15, max: 30 }),
    quantity: new Discrete({ kind: "uniform", min: 1, max: 10 }),
  };

  test("GIVEN skipped products and customers WHEN orders are drawn THEN they never appear, the rest keep full orders", () => {
    const rng = seededRng(5);
    const ex = { customers: new Set([15, 14]), products: new Set([15, 16, 1]) };
    for (let i = 0; i < 2000; i++) {
      const p = planOrder(rng, dists, 5, i % 2 === 0, ex)!;
      expect(ex.customers.has(p.customerId)).toBe(false);
      expect(p.lines).toHaveLength(5);
      for (const l of p.lines) expect(ex.products.has(l.productId)).toBe(false);
    }
  });

  test("GIVEN fewer usable products than lines WHEN drawn THEN a shorter order; GIVEN none THEN no order", () => {
    const all = new Set(Array.from({ length: 30 }, (_, i) => i + 1));
    const keep3 = new Set([...all].filter((x) => ![2, 9, 20].includes(x)));
    const p = planOrder(seededRng(1), dists, 5, true, { customers: new Set(), products: keep3 })!;
    expect(p.lines.map((l) => l.productId).sort((a, b) => a - b)).toEqual([2, 9, 20]);
    expect(planOrder(seededRng(1), dists, 5, true, { customers: new Set(), products: all })).toBeUndefined();
    expect(planOrder(seededRng(1), dists, 5, false, { customers: all, products: new Set() })).toBeUndefined();
    expect(dists.product.available(keep3)).toBe(3);
  });
});
