import { configProblems } from "@bridge-to-azure/service-kit";
import { loadConfig } from "../src/config";
import { Discrete, parseSpec, seededRng, weights } from "../src/distribution";
import { checkHeartbeat, Heartbeat } from "../src/health";
import { parseArgs } from "../src/index";
import { InventoryCache } from "../src/inventory";
import { findShortfalls, lockOrder, planOrder, planRestock, ProductInfo } from "../src/planning";
import { decide, defaultMaxLag, dueAt, intervalForRows, ScheduleState } from "../src/scheduler";

const PW_FILE = "/run/secrets/simulator/db-password";
const files: Record<string, string> = { [PW_FILE]: "s3cret\n", "/empty": "" };
const readFile = (p: string): string => {
  if (p in files) return files[p]!;
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
};
const load = (env: Record<string, string>) => loadConfig({ DB_PASSWORD_FILE: PW_FILE, ...env }, readFile);
const problems = (env: Record<string, string | undefined>): string[] => configProblems(() => loadConfig(env, readFile));

describe("simulator distribution", () => {
  const tri = new Discrete({ kind: "triangular", min: 1, mode: 15, max: 30 });

  test("seeded RNG is deterministic and seed-dependent", () => {
    const a = seededRng(42), b = seededRng(42), c = seededRng(43);
    const xa = Array.from({ length: 5 }, a), xb = Array.from({ length: 5 }, b), xc = Array.from({ length: 5 }, c);
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    xa.forEach((x) => expect(x >= 0 && x < 1).toBe(true));
  });

  test("triangular 1..15..30: probabilities sum to 1, mode most likely, ends least", () => {
    let total = 0;
    for (let k = 1; k <= 30; k++) total += tri.probability(k);
    expect(total).toBeCloseTo(1, 12);
    expect(tri.probability(15)).toBeCloseTo(15 / 15 / (120 / 15 + 120 / 16), 10);
    for (let k = 1; k <= 30; k++) if (k !== 15) expect(tri.probability(k)).toBeLessThan(tri.probability(15));
    expect(tri.probability(1)).toBeLessThan(tri.probability(2));
    expect(tri.probability(30)).toBeLessThan(tri.probability(29));
    expect(tri.probability(0)).toBe(0);
    expect(tri.probability(31)).toBe(0);
  });

  test("samples stay in bounds and match the expected frequencies", () => {
    const rng = seededRng(7);
    const n = 200_000;
    const counts = new Array(32).fill(0);
    for (let i = 0; i < n; i++) counts[tri.sample(rng)]++;
    expect(counts[0]).toBe(0);
    expect(counts[31]).toBe(0);
    for (let k = 1; k <= 30; k++) {
      const p = tri.probability(k);
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(counts[k] - n * p)).toBeLessThan(5 * sd);
    }
    const mode = counts.indexOf(Math.max(...counts));
    expect(mode).toBeGreaterThanOrEqual(14);
    expect(mode).toBeLessThanOrEqual(16);
    // Skew: the middle third gets clearly more than a uniform third.
    const middle = counts.slice(11, 21).reduce((a: number, b: number) => a + b, 0);
    expect(middle / n).toBeGreaterThan(0.5);
  });

  test("asymmetric triangular mode and uniform", () => {
    const skew = new Discrete({ kind: "triangular", min: 1, mode: 1, max: 10 });
    expect(weights(skew.spec)).toEqual([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1].map((x) => expect.closeTo(x, 12)));
    const u = new Discrete({ kind: "uniform", min: 1, max: 10 });
    for (let k = 1; k <= 10; k++) expect(u.probability(k)).toBeCloseTo(0.1, 12);
    const one = new Discrete({ kind: "uniform", min: 5, max: 5 });
    expect(one.sample(seededRng(1))).toBe(5);
  });

  test("sampleDistinct draws distinct values, can exhaust the range, and refuses more", () => {
    const rng = seededRng(3);
    for (let i = 0; i < 200; i++) {
      const d = tri.sampleDistinct(rng, 5);
      expect(new Set(d).size).toBe(5);
      d.forEach((x) => expect(x >= 1 && x <= 30).toBe(true));
    }
    expect(tri.sampleDistinct(rng, 30).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(() => tri.sampleDistinct(rng, 31)).toThrow(RangeError);
  });

  test("parseSpec accepts the two forms and rejects bad ones with a reason", () => {
    expect(parseSpec("triangular:1:15:30")).toEqual({ kind: "triangular", min: 1, mode: 15, max: 30 });
    expect(parseSpec("uniform:2:9")).toEqual({ kind: "uniform", min: 2, max: 9 });
    expect(parseSpec("triangular:1:40:30")).toEqual({ error: expect.stringContaining("MIN <= MODE <= MAX") });
    expect(parseSpec("uniform:9:2")).toEqual({ error: expect.stringContaining("MIN <= MAX") });
    expect(parseSpec("normal:1:2")).toEqual({ error: expect.stringContaining("unknown distribution") });
    expect(parseSpec("uniform:1.5:3")).toEqual({ error: "parameters must be integers" });
  });
});

describe("simulator config", () => {
  test("defaults", () => {
    const c = load({});
    expect(c.db).toMatchObject({ host: "127.0.0.1", port: 3306, database: "orders", user: "orders_app", password: "s3cret", poolSize: 2 });
    expect(c.intervalMs).toBe(5000);
    expect(c.linesPerOrder).toBe(5);
    expect(c.customerDistribution).toEqual({ kind: "triangular", min: 1, mode: 15, max: 30 });
    expect(c.productDistribution).toEqual({ kind: "triangular", min: 1, mode: 15, max: 30 });
    expect(c.quantityDistribution).toEqual({ kind: "uniform", min: 1, max: 10 });
    expect(c.outOfStockTable).toBe("dc01_out_of_stock_events");
    expect(c.restockQuantity).toBe(100);
    expect(c.maxOrders).toBe(0);
    expect(c.healthMaxAgeMs).toBe(30000);
    expect(c.seed).toBeUndefined();
  });

  test("rates: orders/s and rows/s become an interval", () => {
    expect(load({ SIM_ORDERS_PER_SECOND: "50" }).intervalMs).toBe(20);
    // 6 rows per order (1 + 5 lines) at 600 rows/s = 100 orders/s.
    expect(load({ SIM_ROWS_PER_SECOND: "600" }).intervalMs).toBe(10);
    expect(load({ SIM_ROWS_PER_SECOND: "600", SIM_LINES_PER_ORDER: "9" }).intervalMs).toBeCloseTo(1000 / 60, 10);
    expect(load({ SIM_INTERVAL_MS: "0" }).intervalMs).toBe(0);
    expect(load({ SIM_INTERVAL_MS: "60000" }).healthMaxAgeMs).toBe(180000);
    expect(load({ SIM_DC_ID: "dc02" }).outOfStockTable).toBe("dc02_out_of_stock_events");
  });

  test("messages name the variable, the value and the rule; all problems at once", () => {
    const p = problems({ DB_PASSWORD_FILE: PW_FILE, DB_PORT: "70000", SIM_LINES_PER_ORDER: "zero", SIM_LOG_LEVEL: "loud", SIM_DC_ID: "DC01" });
    expect(p).toHaveLength(4);
    expect(p).toContain('DB_PORT="70000": must be an integer between 1 and 65535');
    expect(p).toContain('SIM_LINES_PER_ORDER="zero": must be an integer between 1 and 1000');
    expect(p).toContain('SIM_LOG_LEVEL="loud": must be one of error|warn|info|debug');
    expect(p.find((x) => x.startsWith('SIM_DC_ID="DC01"'))).toMatch(/\[a-z\]\[a-z0-9_\]/);
  });

  test("password only from a file; DB_PASSWORD rejected", () => {
    expect(problems({})).toEqual([expect.stringMatching(/^DB_PASSWORD_FILE=\(unset\): is required/)]);
    expect(problems({ DB_PASSWORD_FILE: "/nope" })).toEqual(['DB_PASSWORD_FILE="/nope": must name a readable file (ENOENT)']);
    expect(problems({ DB_PASSWORD_FILE: "/empty" })).toEqual(['DB_PASSWORD_FILE="/empty": the file is empty']);
    expect(problems({ DB_PASSWORD_FILE: PW_FILE, DB_PASSWORD: "x" })).toEqual([expect.stringMatching(/^DB_PASSWORD is set: the password must not be passed in the environment/)]);
  });

  test("conflicting and cross-field rules", () => {
    expect(problems({ DB_PASSWORD_FILE: PW_FILE, SIM_INTERVAL_MS: "10", SIM_ROWS_PER_SECOND: "100" })).toEqual([
      expect.stringContaining("set at most one of SIM_INTERVAL_MS, SIM_ORDERS_PER_SECOND, SIM_ROWS_PER_SECOND"),
    ]);
    expect(problems({ DB_PASSWORD_FILE: PW_FILE, SIM_ORDERS_PER_SECOND: "-3" })).toEqual(['SIM_ORDERS_PER_SECOND="-3": must be a number greater than 0 and at most 100000']);
    expect(problems({ DB_PASSWORD_FILE: PW_FILE, SIM_LINES_PER_ORDER: "31" })).toEqual([
      expect.stringMatching(/^SIM_LINES_PER_ORDER="31": must be <= 30 .*SIM_DISTINCT_PRODUCTS=true/),
    ]);
    expect(problems({ DB_PASSWORD_FILE: PW_FILE, SIM_LINES_PER_ORDER: "31", SIM_DISTINCT_PRODUCTS: "false" })).toEqual([]);
    expect(problems({ DB_PASSWORD_FILE: PW_FILE, SIM_CONCURRENCY: "8", DB_POOL_SIZE: "4" })).toEqual(['DB_POOL_SIZE="4": must be >= SIM_CONCURRENCY (8)']);
    expect(problems({ DB_PASSWORD_FILE: PW_FILE, SIM_PRODUCT_DISTRIBUTION: "uniform:0:30" })).toEqual(['SIM_PRODUCT_DISTRIBUTION="uniform:0:30": MIN must be >= 1']);
    expect(problems({ DB_PASSWORD_FILE: PW_FILE, SIM_HEARTBEAT_FILE: "relative/hb" })).toEqual([expect.stringContaining("must be an absolute path")]);
    expect(load({ SIM_HEARTBEAT_FILE: "" }).heartbeatFile).toBe("");
  });

  test("CLI arguments", () => {
    expect(parseArgs(["--once"])).toEqual({ count: 1 });
    expect(parseArgs(["--count", "25"])).toEqual({ count: 25 });
    expect(parseArgs(["--count=7"])).toEqual({ count: 7 });
    expect(parseArgs(["--count", "0"])).toEqual({ error: expect.stringContaining("positive integer") });
    expect(parseArgs(["--bogus"])).toEqual({ error: "unknown argument --bogus" });
  });
});

describe("simulator planning", () => {
  const dists = {
    customer: new Discrete({ kind: "triangular", min: 1, mode: 15, max: 30 }),
    product: new Discrete({ kind: "triangular", min: 1, mode: 15, max: 30 }),
    quantity: new Discrete({ kind: "uniform", min: 1, max: 10 }),
  };

  test("planOrder: N lines, distinct products, quantities 1..10, reproducible", () => {
    const a = planOrder(seededRng(9), dists, 5, true)!;
    const b = planOrder(seededRng(9), dists, 5, true)!;
    expect(a).toEqual(b);
    expect(a.lines).toHaveLength(5);
    expect(new Set(a.lines.map((l) => l.productId)).size).toBe(5);
    const rng = seededRng(10);
    for (let i = 0; i < 500; i++) {
      const p = planOrder(rng, dists, 8, false)!;
      expect(p.lines).toHaveLength(8);
      expect(p.customerId >= 1 && p.customerId <= 30).toBe(true);
      p.lines.forEach((l) => expect(l.quantity >= 1 && l.quantity <= 10 && Number.isInteger(l.quantity)).toBe(true));
    }
  });

  test("lockOrder is ascending and de-duplicated", () => {
    expect(lockOrder([15, 3, 15, 27, 1])).toEqual([1, 3, 15, 27]);
  });

  test("findShortfalls flags each line that takes inventory below zero, cumulatively", () => {
    const inv = new Map([[1, 10], [2, 3], [3, 0]]);
    const { shortfalls, after } = findShortfalls(
      [{ productId: 1, quantity: 10 }, { productId: 2, quantity: 2 }, { productId: 2, quantity: 2 }, { productId: 3, quantity: 1 }, { productId: 4, quantity: 1 }],
      inv,
    );
    expect(shortfalls).toEqual([
      { line: 2, productId: 2, before: 1, after: -1 },
      { line: 3, productId: 3, before: 0, after: -1 },
      { line: 4, productId: 4, before: 0, after: -1 },
    ]);
    expect(after.get(1)).toBe(0); // exactly zero is not out of stock
    expect(inv.get(2)).toBe(3); // input untouched
  });

  test("planRestock: one PO per supplier, order-up-to quantity, skips re-stocked products", () => {
    const products = new Map<number, ProductInfo>([
      [5, { id: 5, supplierId: 2, price: "20.00", cost: "12.50" }],
      [7, { id: 7, supplierId: 1, price: "9.99", cost: "5.00" }],
      [9, { id: 9, supplierId: 2, price: "1.00", cost: "0.40" }],
      [11, { id: 11, supplierId: 3, price: "1.00", cost: "0.40" }],
    ]);
    const inventory = new Map([[5, -4], [7, 0], [9, -1], [11, 6]]);
    const plan = planRestock([9, 5, 7, 11, 5], inventory, products, 100);
    expect(plan).toEqual({
      purchaseOrders: [
        { supplierId: 1, lines: [{ productId: 7, quantity: 100, cost: "5.00" }] },
        { supplierId: 2, lines: [{ productId: 5, quantity: 104, cost: "12.50" }, { productId: 9, quantity: 101, cost: "0.40" }] },
      ],
      alreadyStocked: [11],
      skipped: [],
    });
    // A product that is gone is skipped (it keeps its events), not a reason to stop.
    expect(planRestock([99], inventory, products, 100).skipped).toEqual([{ productId: 99, reason: expect.stringMatching(/does not exist/), stock: false }]);
  });
});

describe("simulator scheduler", () => {
  test("due times come from the tick index, so processing time never accumulates", () => {
    let st: ScheduleState = { originMs: 1000, next: 0 };
    let now = 1000;
    const starts: number[] = [];
    for (let i = 0; i < 100; i++) {
      const d = decide(st, now, 50, defaultMaxLag(50));
      st = d.state;
      now += d.delayMs + 0.7; // timer fires 0.7 ms late every time
      starts.push(now);
      st = { ...st, next: st.next + 1 };
      now += 13; // the order takes 13 ms
    }
    // Tick 99 starts within one timer-lateness of 1000 + 99 * 50: no drift.
    expect(starts[99]! - (1000 + 99 * 50)).toBeCloseTo(0.7, 6);
    // A naive sleep(interval) loop would have drifted by 100 * (13 + 0.7) ms.
  });

  test("late ticks run immediately (catch-up) within the lag allowance", () => {
    const st = { originMs: 0, next: 10 };
    expect(dueAt(st, 100)).toBe(1000);
    expect(decide(st, 950, 100, 1000)).toEqual({ delayMs: 50, state: st, skipped: 0 });
    expect(decide(st, 1500, 100, 1000)).toEqual({ delayMs: 0, state: st, skipped: 0 });
  });

  test("beyond the lag allowance it re-bases and reports skipped slots", () => {
    const d = decide({ originMs: 0, next: 10 }, 4550, 100, 1000);
    expect(d.skipped).toBe(35);
    expect(d.state).toEqual({ originMs: 3500, next: 10 });
    expect(d.delayMs).toBe(0);
    expect(decide({ originMs: 0, next: 3 }, 999999, 0, 1000)).toEqual({ delayMs: 0, state: { originMs: 0, next: 3 }, skipped: 0 });
  });

  test("interval for a rows/s target", () => {
    expect(intervalForRows(600, 6)).toBe(10);
    expect(defaultMaxLag(5000)).toBe(10000);
    expect(defaultMaxLag(10)).toBe(1000);
  });
});

describe("simulator health", () => {
  const base = { pid: 1, startedAt: "2025-01-01T00:00:00.000Z", readyAt: "2025-01-01T00:00:01.000Z", lastCommitAt: "2025-01-01T00:00:10.000Z", lastSalesOrderId: 42, orders: 3, rows: 18, maxAgeMs: 30000, state: "running", writtenAt: "2025-01-01T00:00:10.000Z" };
  const t = (iso: string) => Date.parse(iso);

  test("healthy while commits are recent, unhealthy once stale", () => {
    expect(checkHeartbeat(base as Heartbeat, t("2025-01-01T00:00:39.000Z")).healthy).toBe(true);
    const stale = checkHeartbeat(base as Heartbeat, t("2025-01-01T00:00:41.000Z"));
    expect(stale.healthy).toBe(false);
    expect(stale.reason).toMatch(/no order committed for 31000 ms/);
  });

  test("starting is unhealthy; ready-but-no-order-yet counts from readyAt", () => {
    expect(checkHeartbeat({ ...base, state: "starting", readyAt: null } as Heartbeat, t("2025-01-01T00:00:02.000Z")).healthy).toBe(false);
    const fresh = { ...base, lastCommitAt: null };
    expect(checkHeartbeat(fresh as Heartbeat, t("2025-01-01T00:00:20.000Z")).healthy).toBe(true);
    expect(checkHeartbeat(fresh as Heartbeat, t("2025-01-01T00:00:32.000Z")).healthy).toBe(false);
  });
});

describe("simulator incremental inventory", () => {
  test("first read is a full sum (watermark 0), later reads only rows above the watermark", () => {
    const cache = new InventoryCache(60000, () => 0);
    const m1 = cache.watermarks([15, 3]);
    const q1 = InventoryCache.deltaQuery(m1);
    expect(q1.params).toEqual([15, 0, 3, 0, 15, 0, 3, 0]);
    expect(q1.sql).toContain("(product_id = ? AND id > ?) OR (product_id = ? AND id > ?)");
    const inv1 = cache.apply(m1, [
      { kind: "p", productId: 15, sum: 100, maxId: 1 },
      { kind: "s", productId: 15, sum: 30, maxId: 40 },
      { kind: "p", productId: 3, sum: 100, maxId: 2 },
    ]);
    expect([...inv1]).toEqual([[15, 70], [3, 100]]);
    const m2 = cache.watermarks([3, 15]);
    expect(InventoryCache.deltaQuery(m2).params).toEqual([3, 2, 15, 1, 3, 0, 15, 40]);
    const inv2 = cache.apply(m2, [{ kind: "s", productId: 15, sum: 75, maxId: 47 }, { kind: "p", productId: 15, sum: 100, maxId: 9 }]);
    expect(inv2.get(15)).toBe(95);
    expect(inv2.get(3)).toBe(100);
  });

  test("resync period drops the cache; resyncMs 0 never keeps it", () => {
    let now = 0;
    const cache = new InventoryCache(1000, () => now);
    cache.apply(cache.watermarks([1]), [{ kind: "p", productId: 1, sum: 5, maxId: 7 }]);
    now = 999;
    expect(cache.watermarks([1]).get(1)!.purchaseMaxId).toBe(7);
    now = 1000;
    expect(cache.watermarks([1]).get(1)!.purchaseMaxId).toBe(0);
    const never = new InventoryCache(0, () => 0);
    never.apply(never.watermarks([1]), [{ kind: "p", productId: 1, sum: 5, maxId: 7 }]);
    expect(never.watermarks([1]).get(1)).toEqual({ purchased: 0, sold: 0, purchaseMaxId: 0, salesMaxId: 0 });
  });
});
