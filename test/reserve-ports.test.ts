/**
 * Which host ports scripts/reserve-ports.ts takes out of the ephemeral range, and the reserved list it writes.
 */
import { resolveConfig } from "../config";
import { formatRanges, merge, parseRanges, unprotected } from "../scripts/reserve-ports";

const EPHEMERAL = [32768, 60999] as const;

describe("the reserved-ports list", () => {
  test("GIVEN the kernel's format WHEN parsed and written back THEN ranges are sorted and joined", () => {
    expect(parseRanges("")).toEqual([]);
    expect(parseRanges("\n")).toEqual([]);
    expect(formatRanges(parseRanges("44402,39092-39100,39101, 8080\n"))).toBe("8080,39092-39101,44402");
  });
  test("GIVEN overlapping ranges WHEN merged THEN one range covers them", () => {
    expect(merge([[5, 9], [1, 3], [4, 4], [8, 12], [20, 20]])).toEqual([[1, 12], [20, 20]]);
  });
  test("GIVEN text that is not a port list WHEN parsed THEN the error names the part", () => {
    expect(() => parseRanges("80,abc")).toThrow(/"abc" is not a port/);
  });
});

describe("ports to reserve", () => {
  test("GIVEN the default configuration WHEN checked THEN no port lies in the ephemeral range", () => {
    expect(unprotected(resolveConfig({}).derived.hostPorts, EPHEMERAL, [])).toEqual([]);
  });
  test("GIVEN a Prometheus port inside the range WHEN checked THEN only it is named, with its field, until reserved", () => {
    const ports = resolveConfig({ observability: { prometheus: { port: 44402 } } }).derived.hostPorts;
    expect(unprotected(ports, EPHEMERAL, [])).toEqual([{ field: "observability.prometheus.port", port: 44402 }]);
    expect(unprotected(ports, EPHEMERAL, parseRanges("44400-44410"))).toEqual([]);
  });
});
