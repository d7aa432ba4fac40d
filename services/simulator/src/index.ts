/**
 * Order simulator entry point.
 *
 *   node index.js                 run at the configured rate until SIGTERM/SIGINT (or SIM_MAX_ORDERS)
 *   node index.js --once          commit exactly one order and exit
 *   node index.js --count N       commit exactly N orders at the configured rate and exit
 *   node index.js --help          print the environment contract
 *
 * Exit codes: 0 done / stopped by signal, 1 runtime failure (DB unreachable past
 * SIM_STARTUP_TIMEOUT_MS, persistent DB errors, shutdown timeout), 2 invalid
 * configuration or arguments.
 */
import { createLogger, envHelp, GracefulStop, MetricsServer, runMain, startMetricsServer, UsageError } from "@bridge-to-azure/service-kit";
import { describeConfig, loadConfig } from "./config";
import { SIM_ENV } from "./env";
import { SimulatorMetrics } from "./metrics";
import { Simulator } from "./simulator";

export { commitOrders, Simulator } from "./simulator";
export type { CommitRecord, RunSummary, CommitOrdersOptions } from "./simulator";
export { loadConfig } from "./config";

export interface CliArgs {
  count?: number;
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
    } else if (a === "--help" || a === "-h") out.help = true;
    else return { error: `unknown argument ${a}` };
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if ("error" in args) throw new UsageError(args.error);
  if (args.help) {
    process.stdout.write(envHelp("order simulator", SIM_ENV));
    return 0;
  }

  const cfg = loadConfig(process.env);
  const log = createLogger(cfg.logLevel);
  const metrics = new SimulatorMetrics(cfg.dcId);
  const sim = new Simulator(cfg, log, { observer: metrics });
  let metricsServer: MetricsServer | undefined;
  if (cfg.metricsPort > 0) {
    metricsServer = await startMetricsServer({ port: cfg.metricsPort, render: () => metrics.render(), onError: (e) => log.warn(`metrics: ${e.message}`) });
    log.info(`metrics: http://127.0.0.1:${metricsServer.port}/metrics`);
  }
  const count = args.count ?? cfg.maxOrders;

  const stop = new GracefulStop({ log, limitMs: cfg.shutdownTimeoutMs, limitVariable: "SIM_SHUTDOWN_TIMEOUT_MS" satisfies keyof typeof SIM_ENV, again: "still waiting for in-flight orders" });
  void stop.requested.then((sig) => {
    stop.begin(sig, {
      doing: "finishing in-flight orders, then exiting",
      expired: "closing connections (open transactions roll back)",
      onExpire: () => sim.destroy(),
    });
    sim.stop();
  });

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
    log.error(e instanceof Error ? e.message : String(e));
    code = 1;
  }
  try {
    await sim.close();
  } catch (e) {
    log.warn(`closing the pool: ${e instanceof Error ? e.message : String(e)}`);
  }
  await metricsServer?.close();
  stop.finished();
  log.info(`exiting with code ${code}`);
  return code;
}

if (require.main === module) runMain("simulator", () => main(process.argv.slice(2)));
