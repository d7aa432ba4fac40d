/**
 * A fix for kafkajs 2.2.4's idle loop, applied by every long-running service that uses kafkajs.
 *
 * kafkajs 2.2.4's RequestQueue.scheduleCheckPendingRequests (src/network/requestQueue/index.js)
 * always arms a timer, also with nothing pending and no throttle: the delay is then
 * `throttledUntil - Date.now()`, negative (throttledUntil is -1), so Node fires it after 1 ms and the
 * check arms the next one. Every broker connection's queue spins once a millisecond for ever
 * (tulios/kafkajs#1556, #1604, #1704; the fix of PR #1667 / #1768's review is unreleased, the project is
 * unmaintained). Measured on the console with no load (2026-12-03): 810 wake-ups/s and 6.7 % of a core.
 *
 * The replacement keeps kafkajs' behaviour wherever there is something to wait for (requests pending:
 * check again at the throttle's end or after 10 ms; nothing pending but throttled: check at its end) and
 * arms nothing otherwise: a request that cannot go at once is pushed to `pending` and schedules a check
 * itself, and every fulfilled in-flight request checks the queue (checkPendingRequests).
 *
 * Second, each connection checks its in-flight requests for timeouts every min(requestTimeout, 100 ms),
 * idle or not: 10 wake-ups a second per broker connection (the console holds about ten), most of what
 * was left in the console's profile under load (2026-12-04: the timer callback and node's timer list
 * 0.46 % of a core of 4.2). Checked once a second instead: a 30 s request timeout then fires up to
 * 1 s late, nothing else changes.
 */

/** kafkajs' CHECK_PENDING_REQUESTS_INTERVAL (not exported). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** How often a connection looks for timed-out requests (kafkajs: min(requestTimeout, 100 ms)). */
const REQUEST_TIMEOUT_CHECK_MS = 1000;

/** The part of kafkajs' RequestQueue the fix reads and replaces. */
export interface RequestQueueLike {
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  requestTimeoutIntervalId: ReturnType<typeof setInterval> | undefined;
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  isConnected(): boolean;
  destroy(): void;
  scheduleRequestTimeoutCheck(): void;
}

const FIXED = Symbol.for("bridge-to-azure.kafkajs-idle-loop-fixed");

function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  let delay: number;
  if (this.pending.length > 0) delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  else if (untilUnthrottled > 0) delay = untilUnthrottled;
  else return; // nothing pending, not throttled: nothing to check (kafkajs 2.2.4 armed a 1 ms timer here)
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

/** kafkajs 2.2.4's scheduleRequestTimeoutCheck, line for line, at REQUEST_TIMEOUT_CHECK_MS. */
function scheduleRequestTimeoutCheck(this: RequestQueueLike): void {
  if (!this.enforceRequestTimeout) return;
  this.destroy();
  this.requestTimeoutIntervalId = setInterval(() => {
    this.inflight.forEach((request) => {
      if (Date.now() - request.sentAt > request.requestTimeout) request.timeoutRequest();
    });
    if (!this.isConnected()) this.destroy();
  }, Math.min(this.requestTimeout, REQUEST_TIMEOUT_CHECK_MS));
}

/**
 * Replaces scheduleCheckPendingRequests and scheduleRequestTimeoutCheck on kafkajs' RequestQueue class, passed in by the service
 * (`require("kafkajs/src/network/requestQueue")`: the kit depends on nothing, and the class must be the
 * one of the service's own kafkajs). Idempotent. Throws when the class lacks the method (a kafkajs
 * whose queue changed: check whether the bug is still there before moving the fix along).
 */
export function fixKafkajsIdleLoop(requestQueueClass: { prototype: object }): void {
  const proto = requestQueueClass.prototype as Partial<RequestQueueLike> & { [FIXED]?: true };
  if (proto[FIXED]) return;
  for (const m of ["scheduleCheckPendingRequests", "checkPendingRequests", "scheduleRequestTimeoutCheck", "destroy"] as const) {
    if (typeof proto[m] !== "function") throw new Error(`kafkajs RequestQueue has no ${m}: the idle-loop fix does not fit this kafkajs version`);
  }
  proto.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  proto.scheduleRequestTimeoutCheck = scheduleRequestTimeoutCheck;
  proto[FIXED] = true;
}

/**
 * The fix on the kafkajs that the service runs with: its RequestQueue, required from where the kit
 * sits (in an image under the service's node_modules, in the repository beside the root's), so the
 * class is that of the service's own kafkajs. Every service that uses kafkajs calls this first.
 */
export function fixInstalledKafkajsIdleLoop(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  fixKafkajsIdleLoop(require("kafkajs/src/network/requestQueue") as { prototype: object });
}
