/**
 * Lake sink entry point.
 *
 *   node index.js            consume KAFKA_TOPICS and land files until SIGTERM/SIGINT
 *   node index.js --help     print the environment contract
 *
 * Exit codes: 0 stopped by signal (open files landed and committed), 1 runtime failure,
 * 2 invalid configuration or arguments.
 */
import { createLogger, envHelp, fixInstalledKafkajsIdleLoop, GracefulStop, runMain, UsageError } from "@bridge-to-azure/service-kit";
import { loadConfig } from "./config";
import { SINK_ENV } from "./env";
import { LakeSink } from "./sink";

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(envHelp("lake sink", SINK_ENV));
    return 0;
  }
  if (argv.length > 0) throw new UsageError(`unknown argument ${argv[0]}`);
  // kafkajs 2.2.4 spins a 1 ms timer per idle broker connection: the kit's fix (kafkajs-idle-loop.ts).
  fixInstalledKafkajsIdleLoop();
  const cfg = loadConfig(process.env);
  const log = createLogger(cfg.logLevel);
  const sink = new LakeSink(cfg, log);
  const stop = new GracefulStop({ log, limitMs: cfg.shutdownTimeoutMs, limitVariable: "SINK_SHUTDOWN_TIMEOUT_MS" satisfies keyof typeof SINK_ENV, again: "still landing open files" });

  let done: Promise<void>;
  try {
    ({ done } = await Promise.race([sink.start(), stop.requested.then(() => { throw new Error("stopped during startup"); })]));
  } catch (e) {
    log.error(`startup failed: ${e instanceof Error ? e.message : String(e)}`);
    await sink.abort();
    return stop.signalled ? 0 : 1;
  }
  try {
    const sig = await Promise.race([stop.requested, done.then(() => "")]);
    stop.begin(sig, { doing: "landing open files and committing", expired: "exiting without committing the rest (it will be re-delivered)" });
  } catch (e) {
    log.error(e instanceof Error ? e.message : String(e));
    await sink.abort();
    return 1;
  }
  try {
    await sink.stop();
  } catch (e) {
    log.error(`shutdown: ${e instanceof Error ? e.message : String(e)} (uncommitted records will be re-delivered)`);
    stop.finished();
    await sink.abort();
    return 1;
  }
  stop.finished();
  log.info("stopped: open files landed and offsets committed");
  return 0;
}

// kafkajs may leave sockets/timers behind after disconnect; do not hang.
if (require.main === module) runMain("lake-sink", () => main(process.argv.slice(2)), { exitAfterMs: 200 });
