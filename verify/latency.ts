/**
 * Commit → hop latency by arrival for one record, as `npm run verify` (reconcile.ts), `bench:bridge`
 * and the console's hop probe measure it: the commit time is the service kit's commitTimeMs (the
 * latency probe's µs column, else Debezium's source.ts_ms), the arrival the hop's own clock (the
 * broker's append time: the CDC and cloud topics are LogAppendTime; a landed blob's time). Snapshot
 * reads (`r`) have no commit of their own and are not measured. Pure.
 */
import { commitTimeMs } from "@bridge-to-azure/service-kit";

/** Commit → arrival in ms, or undefined (snapshot read, no commit time). */
export function commitToArrivalMs(change: Readonly<Record<string, unknown>>, arrivalMs: number): number | undefined {
  if (change.__op === "r" || !Number.isFinite(arrivalMs)) return undefined;
  const committed = commitTimeMs(change);
  return committed === undefined ? undefined : arrivalMs - committed.ms;
}
