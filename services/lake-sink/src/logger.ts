/** Minimal levelled logger: `<ISO time> <LEVEL> <message>`; warn/error to stderr. */
import { LOG_LEVELS, LogLevel } from "./config";

export interface Logger {
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  readonly level: LogLevel;
}

export function createLogger(level: LogLevel, out: (line: string, isError: boolean) => void = defaultOut): Logger {
  const max = LOG_LEVELS.indexOf(level);
  const emit = (l: LogLevel) => (msg: string) => {
    if (LOG_LEVELS.indexOf(l) <= max) out(`${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} ${msg}`, l === "error" || l === "warn");
  };
  return { level, error: emit("error"), warn: emit("warn"), info: emit("info"), debug: emit("debug") };
}

function defaultOut(line: string, isError: boolean): void {
  (isError ? process.stderr : process.stdout).write(line + "\n");
}
