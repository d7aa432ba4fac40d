/**
 * What kind of failure is this? Pure, so it is unit-tested without a database.
 *
 *  - "transient": the database is unreachable / restarting / killed our connection.
 *    Retried with backoff until SIM_RETRY_TIMEOUT_MS (then exit 1): never "skip the data".
 *  - "deadlock": deadlock or lock-wait timeout; the same work is retried at once.
 *  - "data": the statement failed because of the content of some row (value out of range,
 *    too long, truncated, NULL where NOT NULL, duplicate key, foreign key / CHECK constraint,
 *    division by zero) or a row the simulator needs is missing or unusable. The simulator
 *    skips the row (product / customer) it can attribute the error to, remembers it
 *    (quarantine.ts) and goes on: a data error never stops the process.
 *  - "fatal": anything else (schema drift such as an unknown column, privileges, bugs).
 */

export type ErrorKind = "transient" | "deadlock" | "data" | "fatal";

/** The row a data problem belongs to: `table` and its primary key `id`. */
export interface RowKey {
  table: string;
  id: number;
}

export const formatKey = (k: RowKey): string => `${k.table}.id=${k.id}`;

/**
 * A problem with the content of one row, detected by the simulator itself (before the
 * database would reject it, or when a row it needs is missing). `key` names the row
 * the simulator skips; `culprit`, when known, the row that caused it (e.g. the
 * sales_order_details line whose quantity makes the product's stock unrepresentable).
 */
export class DataError extends Error {
  /** True when the problem is a product's stock level: the sales / purchase lines behind it are the culprits. */
  readonly stock: boolean;
  readonly culprit: RowKey | undefined;

  constructor(readonly key: RowKey, readonly reason: string, opts: { culprit?: RowKey; stock?: boolean } = {}) {
    super(`${formatKey(key)}: ${reason}`);
    this.name = "DataError";
    this.stock = opts.stock ?? false;
    this.culprit = opts.culprit;
  }
}

interface DbError {
  code?: string;
  errno?: number;
  sqlState?: string;
  fatal?: boolean;
  message?: string;
}

const DEADLOCK_ERRNOS = new Set([1213 /* ER_LOCK_DEADLOCK */, 1205 /* ER_LOCK_WAIT_TIMEOUT */]);
const TRANSIENT_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST", "PROTOCOL_SEQUENCE_TIMEOUT", "ER_CON_COUNT_ERROR", "ER_SERVER_SHUTDOWN",
  "ER_CONNECTION_KILLED", "ER_QUERY_INTERRUPTED", "POOL_CLOSED",
]);
const TRANSIENT_ERRNOS = new Set([1040, 1053, 1077, 1152, 1158, 1159, 1160, 1161, 1317, 1927, 2002, 2003, 2006, 2013, 4031]);

/**
 * Server errors caused by row content, by errno (MariaDB and MySQL share them), for those
 * whose SQLSTATE is not in class 22/23 (e.g. 1366 and 3819 report HY000, 1265 01000).
 */
export const DATA_ERRNOS: ReadonlyMap<number, string> = new Map([
  [1048, "ER_BAD_NULL_ERROR"],
  [1062, "ER_DUP_ENTRY"],
  [1216, "ER_NO_REFERENCED_ROW"],
  [1217, "ER_ROW_IS_REFERENCED"],
  [1263, "ER_WARN_NULL_TO_NOTNULL"],
  [1264, "ER_WARN_DATA_OUT_OF_RANGE"],
  [1265, "WARN_DATA_TRUNCATED"],
  [1292, "ER_TRUNCATED_WRONG_VALUE"],
  [1365, "ER_DIVISION_BY_ZERO"],
  [1366, "ER_TRUNCATED_WRONG_VALUE_FOR_FIELD"],
  [1367, "ER_ILLEGAL_VALUE_FOR_TYPE"],
  [1406, "ER_DATA_TOO_LONG"],
  [1451, "ER_ROW_IS_REFERENCED_2"],
  [1452, "ER_NO_REFERENCED_ROW_2"],
  [1690, "ER_DATA_OUT_OF_RANGE"],
  [3819, "ER_CHECK_CONSTRAINT_VIOLATED (MySQL)"],
  [4025, "ER_CONSTRAINT_FAILED (MariaDB CHECK)"],
]);

export function isDeadlock(e: unknown): boolean {
  return DEADLOCK_ERRNOS.has((e as DbError)?.errno ?? -1);
}

export function isTransient(e: unknown): boolean {
  const err = e as DbError;
  if (!err || typeof err !== "object") return false;
  if (err.fatal) return true; // connection-level failure reported by the driver
  return TRANSIENT_CODES.has(err.code ?? "") || TRANSIENT_ERRNOS.has(err.errno ?? -1);
}

/** A server error caused by the values in a row (SQLSTATE class 22 data exception / 23 integrity constraint, or a known errno). */
export function isDataError(e: unknown): boolean {
  if (e instanceof DataError) return true;
  const err = e as DbError;
  if (!err || typeof err !== "object" || typeof err.errno !== "number") return false;
  // Connection-level problems win: a killed connection is never "bad data".
  if (isTransient(e) || isDeadlock(e)) return false;
  const cls = (err.sqlState ?? "").slice(0, 2);
  return cls === "22" || cls === "23" || DATA_ERRNOS.has(err.errno);
}

export function classifyError(e: unknown): ErrorKind {
  if (e instanceof DataError) return "data";
  if (isTransient(e)) return "transient";
  if (isDeadlock(e)) return "deadlock";
  if (isDataError(e)) return "data";
  return "fatal";
}

export function describeError(e: unknown): string {
  const err = e as DbError & Error;
  if (!err || typeof err !== "object") return String(e);
  if (err instanceof DataError) return err.message;
  const id = [err.code, err.errno].filter((x) => x !== undefined).join("/");
  return id ? `${err.message} [${id}]` : err.message;
}

/**
 * The child table and column named by a foreign-key error message
 * (1452 "Cannot add or update a child row: a foreign key constraint fails
 * (`orders`.`sales_orders`, CONSTRAINT `fk…` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`))"),
 * so the error can be attributed to the referenced row.
 */
export function foreignKeyTarget(message: string): { childTable: string; column: string; parentTable: string } | undefined {
  const m = /`([^`]+)`\s*,\s*CONSTRAINT\s+`[^`]*`\s+FOREIGN KEY\s*\(`([^`]+)`\)\s*REFERENCES\s+`([^`]+)`/i.exec(message);
  return m ? { childTable: m[1]!, column: m[2]!, parentTable: m[3]! } : undefined;
}
