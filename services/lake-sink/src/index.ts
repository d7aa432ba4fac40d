/**
 * Lake sink entry point.
 *
 *   node index.js            consume KAFKA_TOPICS and land files until SIGTERM/SIGINT
 *   node index.js --health   run the heartbeat health check (same as health.js)
 *   node index.js --help     print the environment contract
 *
 * Exit codes: 0 stopped by signal (open files landed and committed), 1 runtime failure,
 * 2 invalid configuration or arguments.
 */
import { ConfigError, ENV_DOC, loadConfig } from "./config";
import { healthMain } from "./health";
import { createLogger } from "./logger";
import { LakeSink } from "./sink";

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--health")) return healthMain([]);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write("lake sink — environment variables (default; rule):\n");
    for (const [name, def, rule] of ENV_DOC) process.stdout.write(`  ${name.padEnd(34)} ${def.padEnd(24)} ${rule}\n`);
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`lake-sink: unknown argument ${argv[0]} (try --help)\n`);
    return 2;
  }
  let cfg;
  try {
    cfg = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`lake-sink: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const log = createLogger(cfg.logLevel);
  const sink = new LakeSink(cfg, log);

  let stopRequested: ((sig: string) => void) | undefined;
  const stopSignal = new Promise<string>((resolve) => {
    stopRequested = resolve;
  });
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals === 1) stopRequested!(sig);
    else log.warn(`${sig} received again: still landing open files`);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  let done: Promise<void>;
  try {
    ({ done } = await Promise.race([sink.start(), stopSignal.then(() => { throw new Error("stopped during startup"); })]));
  } catch (e) {
    log.error(`startup failed: ${e instanceof Error ? e.message : String(e)}`);
    await sink.abort();
    return signals > 0 ? 0 : 1;
  }
  try {
    const sig = await Promise.race([stopSignal, done.then(() => "")]);
    log.info(`${sig} received: landing open files and committing (limit ${cfg.shutdownTimeoutMs} ms)`);
  } catch (e) {
    log.error(e instanceof Error ? e.message : String(e));
    await sink.abort();
    return 1;
  }
  const forced = setTimeout(() => {
    log.error(`shutdown did not finish within ${cfg.shutdownTimeoutMs} ms (SINK_SHUTDOWN_TIMEOUT_MS); exiting without committing the rest (it will be re-delivered)`);
    process.exit(1);
  }, cfg.shutdownTimeoutMs);
  forced.unref();
  try {
    await sink.stop();
  } catch (e) {
    log.error(`shutdown: ${e instanceof Error ? e.message : String(e)} (uncommitted records will be re-delivered)`);
    clearTimeout(forced);
    await sink.abort();
    return 1;
  }
  clearTimeout(forced);
  log.info("stopped: open files landed and offsets committed");
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // kafkajs may leave sockets/timers behind after disconnect; do not hang.
      setTimeout(() => process.exit(code), 200).unref();
    },
    (e) => {
      process.stderr.write(`lake-sink: unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
