/**
 * The operator's console (README.md): pages of the whole bridge on 127.0.0.1, live.
 *
 *   node index.js            serve until SIGTERM/SIGINT
 *   node index.js --help     print the environment contract
 */
import { createLogger, envHelp, fixInstalledKafkajsIdleLoop, GracefulStop, runMain, UsageError } from "@bridge-to-azure/service-kit";
import { collectDefaultMetrics, Registry } from "prom-client";
import { Collector, WATCHED_REFRESH_MS } from "./collector";
import { loadConfig } from "./config";
import { CONSOLE_ENV } from "./env";
import { ConsoleHeartbeat } from "./health";
import { HopProbe } from "./probe";
import { ConsoleServer } from "./server";
import { ClusterClient, ConnectClient, LakeClient, PrometheusClient } from "./sources";

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(envHelp("console", CONSOLE_ENV));
    return 0;
  }
  if (argv.length > 0) throw new UsageError(`unknown argument ${argv[0]}`);
  // kafkajs 2.2.4 spins a 1 ms timer per idle broker connection: the kit's fix (kafkajs-idle-loop.ts).
  fixInstalledKafkajsIdleLoop();
  const cfg = loadConfig(process.env);
  const log = createLogger(cfg.logLevel);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "bridge_console_" });
  const t = cfg.sourceTimeoutMs;
  const clusters = { onprem: new ClusterClient("onprem", cfg.onPrem, t), cloud: new ClusterClient("cloud", cfg.cloud, t) };
  const probe = cfg.probe ? new HopProbe(registry, cfg.topics, { samplesPerSecond: cfg.probeSamplesPerSecond }) : undefined;
  const collector = new Collector(cfg, clusters, new ConnectClient(cfg.connectUrls, t), new PrometheusClient(cfg.prometheusUrl, t), new LakeClient(cfg.lake, t), probe);
  const server = new ConsoleServer({ config: cfg, collector, registry, log });
  const hb = new ConsoleHeartbeat(cfg.heartbeatFile, (e) => log.warn(`heartbeat: ${e.message}`));
  hb.start();
  await server.listen();
  hb.update({ listening: true, state: "running" });
  log.info(`console listening on ${server.origin} (deployment ${cfg.deployment}, topics ${cfg.topics.join(",")}, prometheus ${cfg.prometheusUrl ?? "none"})`);
  await probe?.start(clusters, log);
  // Every 5 s while someone looks; once a minute otherwise (UNWATCHED_REFRESH_MS).
  collector.start(
    WATCHED_REFRESH_MS,
    (s) => {
      hb.update({ lastRefreshAt: new Date(s.at).toISOString() });
      void server.broadcast(s);
    },
    () => server.watched(),
  );

  const stop = new GracefulStop({ log, limitMs: cfg.shutdownTimeoutMs, limitVariable: "CONSOLE_SHUTDOWN_TIMEOUT_MS" satisfies keyof typeof CONSOLE_ENV, again: "still closing" });
  const sig = await stop.requested;
  stop.begin(sig, { doing: "closing the server and the Kafka clients", expired: "exiting anyway" });
  hb.update({ state: "stopping" });
  collector.stop();
  await server.close();
  await probe?.stop();
  await Promise.all([clusters.onprem.close(), clusters.cloud.close()]);
  hb.close();
  stop.finished();
  return 0;
}

if (require.main === module) runMain("console", () => main(process.argv.slice(2)), { exitAfterMs: 2000 });
