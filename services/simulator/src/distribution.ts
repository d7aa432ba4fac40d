/**
 * Random number generation and the discrete distributions the simulator draws
 * customers, products and quantities from. Pure: no I/O, no globals.
 */

/** A source of uniform doubles in [0, 1). */
export type Rng = () => number;

/**
 * Small, fast, seedable PRNG (mulberry32). Good enough for a load generator,
 * and deterministic so tests and benchmarks can reproduce a run.
 */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TriangularSpec {
  kind: "triangular";
  min: number;
  mode: number;
  max: number;
}
export interface UniformSpec {
  kind: "uniform";
  min: number;
  max: number;
}
export type DistributionSpec = TriangularSpec | UniformSpec;

/** Render a spec back to the env-var syntax, e.g. `triangular:1:15:30`. */
export function formatSpec(spec: DistributionSpec): string {
  return spec.kind === "triangular"
    ? `triangular:${spec.min}:${spec.mode}:${spec.max}`
    : `uniform:${spec.min}:${spec.max}`;
}

const INT = /^-?\d+$/;

/**
 * Parse `triangular:MIN:MODE:MAX` or `uniform:MIN:MAX` (integers,
 * MIN <= MODE <= MAX, MIN <= MAX). Returns an error message instead of
 * throwing so the config layer can name the variable.
 */
export function parseSpec(text: string): DistributionSpec | { error: string } {
  const parts = text.trim().split(":");
  const kind = parts[0]?.toLowerCase();
  const nums = parts.slice(1);
  if (!nums.every((p) => INT.test(p.trim()))) {
    return { error: "parameters must be integers" };
  }
  const n = nums.map((p) => Number(p.trim()));
  if (!n.every((x) => Number.isSafeInteger(x))) {
    return { error: "parameters must be safe integers" };
  }
  if (kind === "triangular") {
    if (n.length !== 3) return { error: "expected triangular:MIN:MODE:MAX" };
    const [min, mode, max] = n as [number, number, number];
    if (!(min <= mode && mode <= max)) return { error: `need MIN <= MODE <= MAX (got ${min} <= ${mode} <= ${max})` };
    return { kind, min, mode, max };
  }
  if (kind === "uniform") {
    if (n.length !== 2) return { error: "expected uniform:MIN:MAX" };
    const [min, max] = n as [number, number];
    if (!(min <= max)) return { error: `need MIN <= MAX (got ${min} > ${max})` };
    return { kind, min, max };
  }
  return { error: `unknown distribution "${parts[0] ?? ""}"; expected triangular:MIN:MODE:MAX or uniform:MIN:MAX` };
}

/**
 * Integer weights of the discrete distribution over [min, max].
 * Triangular: weight rises linearly from the ends to the mode, so every value in
 * range has non-zero probability and the mode is the single most likely value
 * (for 1..30 mode 15: P(15) = 1/15.5 ≈ 6.5 %, P(1) ≈ 0.43 %, P(30) ≈ 0.40 %).
 */
export function weights(spec: DistributionSpec): number[] {
  const out: number[] = [];
  for (let k = spec.min; k <= spec.max; k++) {
    if (spec.kind === "uniform") out.push(1);
    else if (k <= spec.mode) out.push((k - spec.min + 1) / (spec.mode - spec.min + 1));
    else out.push((spec.max - k + 1) / (spec.max - spec.mode + 1));
  }
  return out;
}

/** A discrete distribution sampled by inverse CDF (binary search). */
export class Discrete {
  readonly min: number;
  readonly max: number;
  private readonly cdf: Float64Array;
  private readonly w: number[];

  constructor(readonly spec: DistributionSpec) {
    this.min = spec.min;
    this.max = spec.max;
    this.w = weights(spec);
    this.cdf = new Float64Array(this.w.length);
    let acc = 0;
    const total = this.w.reduce((a, b) => a + b, 0);
    this.w.forEach((x, i) => {
      acc += x / total;
      this.cdf[i] = acc;
    });
    this.cdf[this.cdf.length - 1] = 1;
  }

  /** Probability of value k (0 outside the range). */
  probability(k: number): number {
    if (k < this.min || k > this.max) return 0;
    const prev = k === this.min ? 0 : this.cdf[k - this.min - 1]!;
    return this.cdf[k - this.min]! - prev;
  }

  get size(): number {
    return this.max - this.min + 1;
  }

  /**
   * One value; values in `excluded` (rows the simulator skips because of their data)
   * are left out, the others keep their relative weights. Returns undefined when
   * every value is excluded.
   */
  sampleExcluding(rng: Rng, excluded: ReadonlySet<number>): number | undefined {
    if (excluded.size === 0) return this.sample(rng);
    return this.sampleDistinct(rng, 1, excluded)[0];
  }

  /** How many values of the range are not in `excluded`. */
  available(excluded: ReadonlySet<number> = new Set()): number {
    let n = 0;
    for (let k = this.min; k <= this.max; k++) if (!excluded.has(k)) n++;
    return n;
  }

  sample(rng: Rng): number {
    const u = rng();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < this.cdf[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return this.min + lo;
  }

  /**
   * Draw `n` distinct values, each draw weighted like `sample` among the values
   * not drawn yet (weighted sampling without replacement). n must be <= size.
   * Values in `excluded` are never drawn; when fewer than n remain, all remaining
   * ones are returned (in draw order).
   */
  sampleDistinct(rng: Rng, n: number, excluded: ReadonlySet<number> = new Set()): number[] {
    if (n > this.size) throw new RangeError(`cannot draw ${n} distinct values from ${this.size}`);
    const w = this.w.map((x, i) => (excluded.has(this.min + i) ? 0 : x));
    let total = w.reduce((a, b) => a + b, 0);
    n = Math.min(n, w.filter((x) => x > 0).length);
    const out: number[] = [];
    for (let d = 0; d < n; d++) {
      let u = rng() * total;
      let i = 0;
      // Skip exhausted slots; fall back to the last live slot on rounding.
      let last = -1;
      for (; i < w.length; i++) {
        if (w[i] === 0) continue;
        last = i;
        if (u < w[i]!) break;
        u -= w[i]!;
      }
      if (i === w.length) i = last;
      out.push(this.min + i);
      total -= w[i]!;
      w[i] = 0;
    }
    return out;
  }
}
