/**
 * Checks of row content against the columns the simulator writes to, so that a
 * value the database would reject (1264 out of range, 1048 NULL, …) is caught
 * before the statement, attributed to the row it came from, and that row alone is
 * skipped. The column limits are read from information_schema (db.inspectSchema),
 * not assumed. Pure.
 */

/** Inclusive range of an integer column. */
export interface IntRange {
  min: number;
  max: number;
}

/** DECIMAL(precision, scale) of a column. */
export interface DecimalSpec {
  precision: number;
  scale: number;
}

/** Range of an integer column from information_schema DATA_TYPE / COLUMN_TYPE; undefined for other types. */
export function intRange(dataType: string, columnType = ""): IntRange | undefined {
  const bits: Record<string, number> = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, integer: 32, bigint: 64 };
  const b = bits[dataType.toLowerCase()];
  if (b === undefined) return undefined;
  const unsigned = /unsigned/i.test(columnType);
  // BIGINT bounds exceed 2^53; clamp to safe integers (still far beyond any stock level).
  const clamp = (x: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, x));
  return unsigned ? { min: 0, max: clamp(2 ** b - 1) } : { min: clamp(-(2 ** (b - 1))), max: clamp(2 ** (b - 1) - 1) };
}

export function decimalSpec(dataType: string, precision: number | null, scale: number | null): DecimalSpec | undefined {
  if (dataType.toLowerCase() !== "decimal" || precision === null || scale === null) return undefined;
  return { precision: Number(precision), scale: Number(scale) };
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Why `value` (as the driver returned it) cannot be written to a column
 * DECIMAL(p,s) named `column`, or undefined if it can. Extra fraction digits are
 * fine (the server rounds); too many integer digits are not.
 */
export function decimalProblem(value: unknown, spec: DecimalSpec | undefined, what: string, column: string): string | undefined {
  if (value === null || value === undefined) return `${what} is NULL`;
  const s = String(value).trim();
  if (!DECIMAL.test(s)) return `${what} ${JSON.stringify(s)} is not a decimal number`;
  if (!spec) return undefined;
  const intDigits = s.replace(/^-/, "").split(".")[0]!.replace(/^0+(?=\d)/, "");
  const allowed = spec.precision - spec.scale;
  if ((intDigits === "0" ? 0 : intDigits.length) > allowed) {
    return `${what} ${s} does not fit ${column} DECIMAL(${spec.precision},${spec.scale}) (at most ${allowed} digits before the point)`;
  }
  return undefined;
}

/** Why integer `n` cannot be written to `column`, or undefined. */
export function intProblem(n: number, range: IntRange | undefined, what: string, column: string): string | undefined {
  if (!Number.isFinite(n) || !Number.isInteger(n)) return `${what} ${n} is not an integer`;
  if (!range) return undefined;
  if (n > range.max) return `${what} ${n} is more than ${column} allows (max ${range.max})`;
  if (n < range.min) return `${what} ${n} is less than ${column} allows (min ${range.min})`;
  return undefined;
}

/** Limits of the columns the simulator writes computed values into. */
export interface WriteLimits {
  salesPrice?: DecimalSpec;
  salesQuantity?: IntRange;
  purchaseQuantity?: IntRange;
  purchaseCost?: DecimalSpec;
  eventQuantityOnHand?: IntRange;
}

export const NO_LIMITS: WriteLimits = {};
