/**
 * Levelled line logger: `<ISO time> <LEVEL padded to 5> [<namespace>: ]<message>[ <fields as JSON>]`,
 * warn and error to stderr. Tests and operators parse these lines (`… INFO  landed topics/…`), so the
 * format is a contract: a logger without namespace and a message without fields print exactly the
 * message.
 */
export type LogLevel = "error" | "warn" | "info" | "debug";
export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

/** Structured part of a line: appended as one JSON object. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  readonly level: LogLevel;
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  /** The same output and level, each message prefixed `<namespace>: ` (nested: `<outer> <inner>: `). */
  child(namespace: string): Logger;
}

/** Where a finished line goes; `isError` for warn and error. */
export type LogOutput = (line: string, isError: boolean) => void;

export function createLogger(level: LogLevel, out: LogOutput = stdOutput, namespace?: string): Logger {
  const max = LOG_LEVELS.indexOf(level);
  const prefix = namespace === undefined ? "" : `${namespace}: `;
  const emit = (l: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(l) > max) return;
    const tail = fields === undefined ? "" : ` ${JSON.stringify(fields)}`;
    out(`${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} ${prefix}${msg}${tail}`, l === "error" || l === "warn");
  };
  return {
    level,
    error: emit("error"),
    warn: emit("warn"),
    info: emit("info"),
    debug: emit("debug"),
    child: (ns) => createLogger(level, out, namespace === undefined ? ns : `${namespace} ${ns}`),
  };
}

function stdOutput(line: string, isError: boolean): void {
  (isError ? process.stderr : process.stdout).write(line + "\n");
}

/** Errors only, to nowhere: for library use (tests, benchmarks) where the caller reports. */
export const silentLogger: Logger = createLogger("error", () => undefined);
