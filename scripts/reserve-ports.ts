/**
 * Keeps the kernel from lending the topology's host ports to outgoing connections:
 *
 *   node dist/scripts/reserve-ports.js     # scripts/up.sh, before the deploy
 *
 * Every container here uses host networking, so each client connection (Connect → Kafka, the sink →
 * Azurite, …) takes a local port from net.ipv4.ip_local_port_range (32768–60999 on Debian). A service
 * configured on a port inside that range can find it taken by one of them and fail to bind: seen on
 * 2026-12-03, the bench's Prometheus (127.0.0.1:44402) restarted for minutes because the bench's own
 * Connect worker held 127.0.0.1:44402 as the local end of its connection to Kafka. The default ports
 * (1xxxx) lie below the range; the integration slots' and the benchmark's partly do not.
 *
 * As root it adds those ports to net.ipv4.ip_local_reserved_ports (merged with what is there; until
 * the next reboot). Otherwise it names each such port and its field, once, and carries on.
 */
import { readFileSync, writeFileSync } from "fs";
import { HostPort } from "../config/validate";
import { projectConfig } from "./lib/project-config";

const RANGE_FILE = "/proc/sys/net/ipv4/ip_local_port_range";
const RESERVED_FILE = "/proc/sys/net/ipv4/ip_local_reserved_ports";

/** Inclusive port ranges, sorted, non-overlapping. */
export type Ranges = ReadonlyArray<readonly [number, number]>;

/** `ip_local_reserved_ports`' format ("8080,39092-39100"; empty for none) → ranges. */
export function parseRanges(text: string): Ranges {
  const out: Array<[number, number]> = [];
  for (const part of text.trim().split(",").map((p) => p.trim()).filter((p) => p !== "")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`${RESERVED_FILE}: "${part}" is not a port or a range of ports`);
    out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return merge(out);
}

/** Sorted, with overlapping and adjacent ranges joined. */
export function merge(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function formatRanges(ranges: Ranges): string {
  return ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",");
}

const inside = (ranges: Ranges, port: number): boolean => ranges.some(([lo, hi]) => port >= lo && port <= hi);

/** The host ports inside the ephemeral range that are not reserved yet. */
export function unprotected(ports: readonly HostPort[], ephemeral: readonly [number, number], reserved: Ranges): HostPort[] {
  return ports.filter((p) => p.port >= ephemeral[0] && p.port <= ephemeral[1] && !inside(reserved, p.port));
}

if (require.main === module) {
  const ports = projectConfig().derived.hostPorts;
  const [lo, hi] = readFileSync(RANGE_FILE, "utf8").trim().split(/\s+/).map(Number);
  const reserved = parseRanges(readFileSync(RESERVED_FILE, "utf8"));
  const missing = unprotected(ports, [lo, hi], reserved);
  if (missing.length > 0) {
    const wanted = formatRanges(merge([...reserved, ...missing.map((p) => [p.port, p.port] as const)]));
    try {
      writeFileSync(RESERVED_FILE, wanted);
      console.log(`[reserve-ports] reserved ${missing.length} host port(s) inside the ephemeral range ${lo}–${hi}: ${missing.map((p) => p.port).join(", ")}`);
    } catch (e) {
      // Not root (or no /proc write): the deployment still works unless a connection takes the port first.
      console.log(
        `[reserve-ports] cannot write ${RESERVED_FILE} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ` +
          `these host ports lie inside the ephemeral range ${lo}–${hi}, where an outgoing connection may take one before its service binds it:\n` +
          missing.map((p) => `  ${p.field} = ${p.port}`).join("\n") +
          `\n  pick ports below ${lo}, or run: sudo sysctl -w net.ipv4.ip_local_reserved_ports=${wanted}`,
      );
    }
  }
}
