/**
 * Health: the kit's heartbeat file, rewritten about once a second while the HTTP server listens.
 * The container health check (`node /app/services/console/src/health.js`) is healthy while the
 * heartbeat is fresh and the server is listening; the topology's own health is what the console
 * shows, not its own (a red component must not restart the console).
 */
import { healthCheckMain, HeartbeatBase, HeartbeatFile } from "@bridge-to-azure/service-kit";
import { CONSOLE_ENV } from "./env";

export interface Heartbeat extends HeartbeatBase {
  listening: boolean;
  lastRefreshAt: string | null;
}

export function checkHeartbeat(text: string, nowMs: number): { status: "healthy" | "unhealthy"; reason: string } {
  let hb: Heartbeat;
  try {
    hb = JSON.parse(text) as Heartbeat;
  } catch {
    return { status: "unhealthy", reason: "heartbeat file is not valid JSON" };
  }
  const age = nowMs - Date.parse(hb.writtenAt);
  if (!(age <= hb.maxAgeMs)) return { status: "unhealthy", reason: `heartbeat ${Math.round(age)} ms old (limit ${hb.maxAgeMs} ms)` };
  if (!hb.listening) return { status: "unhealthy", reason: "HTTP server not listening yet" };
  return { status: "healthy", reason: `serving; last refresh ${hb.lastRefreshAt ?? "not yet"}` };
}

export class ConsoleHeartbeat extends HeartbeatFile<Heartbeat> {
  constructor(path: string, onError: (e: Error) => void) {
    super(path, 15000, { listening: false, lastRefreshAt: null }, onError);
  }
}

export function healthMain(argv: string[] = process.argv.slice(2), env = process.env): number {
  return healthCheckMain({ variable: "CONSOLE_HEARTBEAT_FILE" satisfies keyof typeof CONSOLE_ENV, defaultPath: CONSOLE_ENV.CONSOLE_HEARTBEAT_FILE.default, check: checkHeartbeat }, argv, env);
}

if (require.main === module) {
  process.exitCode = healthMain();
}
