/**
 * Running a service: exit codes, and the graceful stop on SIGTERM/SIGINT with a deadline.
 *
 * Exit codes: 0 done / stopped by signal, 1 runtime failure (FatalError, a missed shutdown
 * deadline, anything unexpected), 2 invalid configuration (ConfigError) or arguments (UsageError).
 */
import { EventEmitter } from "events";
import { ConfigError } from "./config-error";
import { Logger } from "./logger";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A failure the service cannot recover from (exit 1): its message says what and why, no stack needed. */
export class FatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FatalError";
  }
}

/** Bad command-line arguments (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The exit code for an error that ended `main`, and the line that says so on stderr. */
export function exitFor(name: string, e: unknown): { readonly code: number; readonly line: string } {
  if (e instanceof ConfigError) return { code: EXIT_USAGE, line: `${name}: ${e.message}\n` };
  if (e instanceof UsageError) return { code: EXIT_USAGE, line: `${name}: ${e.message} (try --help)\n` };
  if (e instanceof FatalError) return { code: EXIT_FAILURE, line: `${name}: ${e.message}\n` };
  return { code: EXIT_FAILURE, line: `${name}: unexpected error: ${e instanceof Error ? e.stack : String(e)}\n` };
}

export interface RunMainOptions {
  /**
   * Exit this long after `main` returned, even if handles are left (kafkajs keeps sockets and
   * timers after disconnect); an unexpected error then exits at once. @default undefined (wait for the event loop)
   */
  readonly exitAfterMs?: number;
}

/** Runs a service's `main` (which returns its exit code) and sets the process's exit code. */
export function runMain(name: string, main: () => Promise<number>, options: RunMainOptions = {}): void {
  const finish = (code: number) => {
    process.exitCode = code;
    if (options.exitAfterMs !== undefined) setTimeout(() => process.exit(code), options.exitAfterMs).unref();
  };
  main().then(finish, (e: unknown) => {
    const { code, line } = exitFor(name, e);
    process.stderr.write(line);
    if (options.exitAfterMs !== undefined && code === EXIT_FAILURE && !(e instanceof FatalError)) process.exit(code);
    finish(code);
  });
}

export interface GracefulStopOptions {
  readonly log: Logger;
  /** How long the graceful stop may take. */
  readonly limitMs: number;
  /** The variable that sets `limitMs`, named when it passes. */
  readonly limitVariable: string;
  /** Logged on every further signal: `<SIG> received again: <again>`. */
  readonly again: string;
  /** @default ["SIGTERM", "SIGINT"] */
  readonly signals?: readonly NodeJS.Signals[];
  /** Where the signals come from. @default process */
  readonly source?: EventEmitter;
  /** How a missed deadline ends the process. @default process.exit */
  readonly exit?: (code: number) => void;
}

export interface StopPlan {
  /** What the stop does, for the log: `<SIG> received: <doing> (limit N ms)`. */
  readonly doing: string;
  /** What a missed deadline means: `shutdown did not finish within N ms (<VAR>); <expired>`. */
  readonly expired: string;
  /** Last resort before exit 1 (e.g. destroy connections so the server rolls back). */
  readonly onExpire?: () => void;
}

/**
 * SIGTERM/SIGINT handling: `requested` resolves with the first signal; the service then calls
 * `begin` (log line + deadline) and stops its work, and `finished` once it has. A stop that misses
 * the deadline exits 1. The handlers stay installed until `dispose` (a further signal must not
 * kill a process that is still landing its work).
 */
export class GracefulStop {
  readonly requested: Promise<NodeJS.Signals>;
  private count = 0;
  private deadline: NodeJS.Timeout | undefined;
  private readonly onSignal: (sig: NodeJS.Signals) => void;
  private readonly source: EventEmitter;

  constructor(private readonly o: GracefulStopOptions) {
    this.source = o.source ?? process;
    let resolve!: (sig: NodeJS.Signals) => void;
    this.requested = new Promise((r) => (resolve = r));
    this.onSignal = (sig) => {
      if (++this.count === 1) resolve(sig);
      else o.log.warn(`${sig} received again: ${o.again}`);
    };
    for (const s of this.signals) this.source.on(s, this.onSignal);
  }

  /** Whether a stop signal has arrived. */
  get signalled(): boolean {
    return this.count > 0;
  }

  /** Logs the stop and starts its deadline. */
  begin(sig: string, plan: StopPlan): void {
    const { log, limitMs, limitVariable } = this.o;
    log.info(`${sig} received: ${plan.doing} (limit ${limitMs} ms)`);
    this.deadline = setTimeout(() => {
      log.error(`shutdown did not finish within ${limitMs} ms (${limitVariable}); ${plan.expired}`);
      plan.onExpire?.();
      (this.o.exit ?? process.exit)(EXIT_FAILURE);
    }, limitMs);
    this.deadline.unref();
  }

  /** The stop is done: the deadline no longer applies. */
  finished(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  /** Removes the signal handlers (tests; a service keeps them to its end). */
  dispose(): void {
    this.finished();
    for (const s of this.signals) this.source.off(s, this.onSignal);
  }

  private get signals(): readonly NodeJS.Signals[] {
    return this.o.signals ?? ["SIGTERM", "SIGINT"];
  }
}
