/**
 * Fixed-rate scheduling without drift: tick k is due at origin + k * interval,
 * computed from k (never by adding sleeps, which accumulates the time spent
 * creating each order and timer lateness). When the simulator falls behind by
 * more than `maxLagMs` (e.g. the DB stalled), it does not burst to catch up the
 * whole backlog: it re-bases the origin and reports how many ticks it skipped.
 */
export interface ScheduleState {
  originMs: number;
  /** Index of the next tick to dispatch. */
  next: number;
}

export interface ScheduleDecision {
  /** How long to wait before dispatching tick `state.next`. */
  delayMs: number;
  state: ScheduleState;
  /** Ticks dropped by re-basing (0 when on schedule). */
  skipped: number;
}

export function dueAt(state: ScheduleState, intervalMs: number): number {
  return state.originMs + state.next * intervalMs;
}

export function decide(state: ScheduleState, nowMs: number, intervalMs: number, maxLagMs: number): ScheduleDecision {
  if (intervalMs <= 0) return { delayMs: 0, state, skipped: 0 };
  const due = dueAt(state, intervalMs);
  const lag = nowMs - due;
  if (lag > maxLagMs) {
    const skipped = Math.floor(lag / intervalMs);
    const rebased = { originMs: state.originMs + skipped * intervalMs, next: state.next };
    return { delayMs: Math.max(0, dueAt(rebased, intervalMs) - nowMs), state: rebased, skipped };
  }
  return { delayMs: Math.max(0, due - nowMs), state, skipped: 0 };
}

/** Default catch-up allowance: a second or two intervals, whichever is larger. */
export function defaultMaxLag(intervalMs: number): number {
  return Math.max(1000, 2 * intervalMs);
}

/** Interval that achieves `rowsPerSecond` with `rowsPerOrder` rows each. */
export function intervalForRows(rowsPerSecond: number, rowsPerOrder: number): number {
  return (1000 * rowsPerOrder) / rowsPerSecond;
}
