/**
 * Health: the kit's heartbeat file, rewritten every second with the console's own verdict; the
 * container health check is the kit's docker/heartbeat-check.sh (no node start): healthy while the
 * heartbeat is fresh and the server is listening. The topology's own health is what the console
 * shows, not its own (a red component must not restart the console).
 */
import { HealthReport, HeartbeatBase, HeartbeatFile } from "@bridge-to-azure/service-kit";

export interface Heartbeat extends HeartbeatBase {
  listening: boolean;
  lastRefreshAt: string | null;
}

/** The console's verdict on itself (its heartbeat's age is the check script's part). */
export function judge(hb: Readonly<Heartbeat>): HealthReport {
  if (!hb.listening) return { status: "unhealthy", reason: "HTTP server not listening yet" };
  return { status: "healthy", reason: `serving; last refresh ${hb.lastRefreshAt ?? "not yet"}` };
}

export class ConsoleHeartbeat extends HeartbeatFile<Heartbeat> {
  constructor(path: string, onError: (e: Error) => void) {
    super(path, 15000, { listening: false, lastRefreshAt: null }, onError);
    this.judgeWith(judge);
  }
}
