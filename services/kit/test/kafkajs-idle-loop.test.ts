/**
 * kafkajs 2.2.4's request queue spins a 1 ms timer while idle; fixKafkajsIdleLoop stops that and keeps
 * the checks that have something to wait for. Run against kafkajs' real RequestQueue class.
 */
import { fixKafkajsIdleLoop, RequestQueueLike } from "../src";

type Queue = RequestQueueLike;
type QueueClass = new (o: Record<string, unknown>) => Queue;

/** A fresh copy of kafkajs' class (patching changes the module's prototype). */
function freshClass(): QueueClass {
  let cls: QueueClass | undefined;
  jest.isolateModules(() => {
    cls = require("kafkajs/src/network/requestQueue") as QueueClass;
  });
  return cls!;
}
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queueOf = (cls: QueueClass): Queue =>
  new cls({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: "t", broker: "b:1", logger: silent });
/** A pending socket request as kafkajs' queue keeps it. */
const pendingRequest = () => ({ correlationId: 7, expectResponse: true, pendingDuration: 0, send: jest.fn() });

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

describe("kafkajs request queue while idle", () => {
  test("GIVEN kafkajs 2.2.4 unpatched WHEN a queue with nothing pending checks once THEN it re-arms itself about every millisecond", () => {
    const q = queueOf(freshClass());
    const checks = jest.spyOn(q, "checkPendingRequests");
    q.checkPendingRequests();
    jest.advanceTimersByTime(100);
    expect(checks.mock.calls.length).toBeGreaterThan(50); // the bug this fix exists for
    clearTimeout(q.throttleCheckTimeoutId!);
  });

  test("GIVEN the fix WHEN a queue with nothing pending checks THEN no timer is armed", () => {
    const cls = freshClass();
    fixKafkajsIdleLoop(cls);
    const q = queueOf(cls);
    const checks = jest.spyOn(q, "checkPendingRequests");
    q.checkPendingRequests();
    jest.advanceTimersByTime(10_000);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(q.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe("the checks that have something to wait for stay", () => {
  test("GIVEN the fix and a throttled queue with a pending request WHEN the throttle ends THEN the request is sent then, not before", () => {
    const cls = freshClass();
    fixKafkajsIdleLoop(cls);
    const q = queueOf(cls);
    const r = pendingRequest();
    q.pending.push(r);
    q.throttledUntil = Date.now() + 50;
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(49);
    expect(r.send).not.toHaveBeenCalled();
    jest.advanceTimersByTime(2);
    expect(r.send).toHaveBeenCalledTimes(1);
    expect(q.pending).toHaveLength(0);
  });

  test("GIVEN the fix and a pending request behind a full in-flight window WHEN nothing else happens THEN it is checked again every 10 ms, as kafkajs does", () => {
    const cls = freshClass();
    fixKafkajsIdleLoop(cls);
    const q = queueOf(cls);
    q.inflight.set(1, { sentAt: Date.now(), requestTimeout: 30_000, timeoutRequest: () => undefined }); // maxInFlightRequests 1: full
    const r = pendingRequest();
    q.pending.push(r);
    const checks = jest.spyOn(q, "checkPendingRequests");
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(35);
    expect(checks).toHaveBeenCalledTimes(3);
    q.inflight.clear();
    jest.advanceTimersByTime(10);
    expect(r.send).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1_000);
    expect(jest.getTimerCount()).toBe(0); // sent: idle again, nothing armed
  });

  test("GIVEN the fix and a request in flight WHEN it outlives its timeout THEN it times out within a second; the check runs once a second, not ten times", () => {
    for (const [fixed, checksIn10s, timedOutBy] of [[false, 100, 30_100], [true, 10, 31_000]] as const) {
      const cls = freshClass();
      if (fixed) fixKafkajsIdleLoop(cls);
      let checks = 0;
      const q = new cls({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: "t", broker: "b:1", logger: silent, isConnected: () => (checks++, true) });
      q.scheduleRequestTimeoutCheck();
      jest.advanceTimersByTime(10_000);
      expect(checks).toBe(checksIn10s);
      const request = { sentAt: Date.now(), requestTimeout: 30_000, timeoutRequest: jest.fn() };
      q.inflight.set(1, request);
      jest.advanceTimersByTime(timedOutBy - 1);
      expect(request.timeoutRequest).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(request.timeoutRequest).toHaveBeenCalled();
      q.destroy();
    }
  });

  test("GIVEN a class without the method WHEN fixed THEN it says the fix does not fit; a second fix is a no-op", () => {
    expect(() => fixKafkajsIdleLoop(class {})).toThrow(/does not fit this kafkajs version/);
    const cls = freshClass();
    fixKafkajsIdleLoop(cls);
    const once = (cls.prototype as RequestQueueLike).scheduleCheckPendingRequests;
    fixKafkajsIdleLoop(cls);
    expect((cls.prototype as RequestQueueLike).scheduleCheckPendingRequests).toBe(once);
  });
});
