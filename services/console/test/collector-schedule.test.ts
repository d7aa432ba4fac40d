/**
 * How often the collector asks the sources: every 5 s while someone watches, once a minute otherwise.
 */
import { Collector, Snapshot, UNWATCHED_REFRESH_MS, WATCHED_REFRESH_MS } from "../src/collector";

/** A collector whose refresh only records when it ran (the sources are not reached). */
function countingCollector(): { collector: Collector; refreshes: number[] } {
  const collector = new Collector(...([undefined, undefined, undefined, undefined, undefined, undefined] as unknown as ConstructorParameters<typeof Collector>));
  const refreshes: number[] = [];
  jest.spyOn(collector, "refresh").mockImplementation(async () => {
    refreshes.push(Date.now());
    collector.latest = { at: Date.now() } as Snapshot;
    return collector.latest;
  });
  return { collector, refreshes };
}

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

test("GIVEN someone watching WHEN two minutes pass THEN the sources are asked every 5 s", async () => {
  const { collector, refreshes } = countingCollector();
  collector.start(WATCHED_REFRESH_MS, () => undefined, () => true);
  await jest.advanceTimersByTimeAsync(120_000);
  collector.stop();
  expect(refreshes).toHaveLength(1 + 120_000 / WATCHED_REFRESH_MS);
});

test("GIVEN nobody watching WHEN two minutes pass THEN the sources are asked once a minute, and every 5 s again once someone looks", async () => {
  const { collector, refreshes } = countingCollector();
  let watched = false;
  collector.start(WATCHED_REFRESH_MS, () => undefined, () => watched);
  await jest.advanceTimersByTimeAsync(120_000);
  expect(refreshes).toEqual([0, UNWATCHED_REFRESH_MS, 2 * UNWATCHED_REFRESH_MS]);
  watched = true;
  await jest.advanceTimersByTimeAsync(20_000);
  collector.stop();
  expect(refreshes.slice(3)).toEqual([125_000, 130_000, 135_000, 140_000]);
});
