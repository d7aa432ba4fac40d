/**
 * Order simulator entry point.
 *
 *   node index.js                 run at the configured rate until SIGTERM/SIGINT (or SIM_MAX_ORDERS)
 *   node index.js --once          commit exactly one order and exit
 *   node index.js --count N       commit exactly N orders at the configured rate and exit
 *   node index.js --health        run the heartbeat health check (same as health.js)
 *   node index.js --help          print the environment contract
 *
 * Exit codes: 0 done / stopped by signal, 1 runtime failure (DB unreachable past
 * SIM_STARTUP_TIMEOUT_MS, persistent DB errors, shutdown timeout), 2 invalid
 * configuration or arguments.
 */
import { ConfigError, describeConfig, ENV_DOC, loadConfig } from "./config";
import { healthMain } from "./health";
import { createLogger } from "./logger";
import { FatalError, Simulator } from "./simulator";

export { commitOrders, Simulator } from "./simulator";
export type { CommitRecord, RunSummary, CommitOrdersOptions } from "./simulator";
export { loadConfig } from "./config";

export interface CliArgs {
  count?: number;
  health?: boolean;
  help?: boolean;
}

export function parseArgs(argv: string[]): CliArgs | { error: string } {
  const out: CliArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--once") out.count = 1;
    else if (a === "--count" || a.startsWith("--count=")) {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
        return { error: `--count ${v ?? "(missing)"}: must be a positive integer` };
      }
      out.count = Number(v);
    } else if (a === "--health") out.health = true;
    else if (a === "--help" || a === "-h") out.help = true;
    else return { error: `unknown argument ${a}` };
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if ("error" in args) {
    process.stderr.write(`simulator: ${args.error} (try --help)\n`);
    return 2;
  }
  if (args.health) return healthMain([]);
  if (args.help) {
    process.stdout.write("order simulator — environment variables (default; rule):\n");
    for (const [name, def, rule] of ENV_DOC) process.stdout.write(`  ${name.padEnd(26)} ${def.padEnd(22)} ${rule}\n`);
    return 0;
  }

  let cfg;
  try {
    cfg = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`simulator: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const log = createLogger(cfg.logLevel);
  const sim = new Simulator(cfg, log);
  const count = args.count ?? cfg.maxOrders;

  let signals = 0;
  let forced: NodeJS.Timeout | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      log.info(`${sig} received: finishing in-flight orders, then exiting (limit ${cfg.shutdownTimeoutMs} ms)`);
      sim.stop();
      forced = setTimeout(() => {
        log.error(`shutdown did not finish within ${cfg.shutdownTimeoutMs} ms (SIM_SHUTDOWN_TIMEOUT_MS); closing connections (open transactions roll back)`);
        sim.destroy();
        process.exit(1);
      }, cfg.shutdownTimeoutMs);
      forced.unref();
    } else {
      log.warn(`${sig} received again: still waiting for in-flight orders`);
    }
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  log.info(`order simulator starting (pid ${process.pid}): ${describeConfig(cfg)}${count ? ` orders=${count}` : ""}`);
  try {
    await sim.start();
  } catch (e) {
    await sim.close().catch(() => undefined);
    if (sim.isStopping) {
      log.info("stopped before the database became available");
      return 0;
    }
    log.error(e instanceof Error ? e.message : String(e));
    return 1;
  }
  let code = 0;
  try {
    const s = await sim.run({ count });
    log.info(
      `${s.stoppedBySignal ? "stopped" : "done"}: ${s.orders} orders, ${s.rows} rows in ${(s.elapsedMs / 1000).toFixed(1)} s ` +
        `(${s.ordersPerSecond.toFixed(1)} orders/s, ${s.rowsPerSecond.toFixed(1)} rows/s), ${s.outOfStockEvents} out-of-stock events, ` +
        `${s.purchaseOrders} purchase orders${s.skippedTicks ? `, ${s.skippedTicks} slots skipped` : ""}`,
    );
  } catch (e) {
    log.error(e instanceof FatalError || e instanceof Error ? e.message : String(e));
    code = 1;
  }
  try {
    await sim.close();
  } catch (e) {
    log.warn(`closing the pool: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (forced) clearTimeout(forced);
  log.info(`exiting with code ${code}`);
  return code;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`simulator: unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
