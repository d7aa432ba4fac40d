/** Prints what runs where after a deploy: endpoints from the stacks' outputs and the containers' health. */
import { execFileSync } from "child_process";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { ROOT } from "./lib/project-config";
import { MANAGED_LABEL } from "../constructs/docker/service-container";

const outputsFile = process.argv[2] ?? join(ROOT, ".state", "outputs.json");
const outputs = existsSync(outputsFile) ? (JSON.parse(readFileSync(outputsFile, "utf8")) as Record<string, Record<string, unknown>>) : {};

console.log("\nWhat runs where (all on the Docker host's loopback):");
for (const [stack, values] of Object.entries(outputs)) {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) console.log(`  ${stack}.${k.padEnd(16)} ${v}`);
    } else {
      console.log(`  ${stack}.${name.padEnd(16)} ${value}`);
    }
  }
}
const prometheus = (outputs.observability?.endpoints as Record<string, string> | undefined)?.prometheus;
if (prometheus) console.log(`\nMetrics: Prometheus at ${prometheus} (Grafana: add it as a Prometheus data source, import docs/grafana/bridge-to-azure.json; README "Metrics")`);

/** Waits until every connector of each Connect cluster runs all its tasks, then prints them. */
async function connectorsReady(urls: string[], timeoutMs = 120000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  let lines: string[] = [];
  for (;;) {
    lines = [];
    let ready = true;
    for (const url of urls) {
      try {
        const res = await fetch(`${url}/connectors?expand=status&expand=info`);
        const all = (await res.json()) as Record<
          string,
          { status: { connector: { state: string }; tasks: { state: string }[] }; info: { config: Record<string, string> } }
        >;
        for (const [name, { status, info }] of Object.entries(all)) {
          const tasks = status.tasks.map((t) => t.state);
          // MirrorMaker 2's checkpoint connector has no task until a consumer group needs checkpoints.
          const mayBeIdle = info.config["connector.class"].endsWith("MirrorCheckpointConnector");
          const ok = status.connector.state === "RUNNING" && (tasks.length > 0 || mayBeIdle) && tasks.every((t) => t === "RUNNING");
          ready &&= ok;
          lines.push(`  ${name.padEnd(28)} ${status.connector.state} tasks=[${tasks.join(",")}] ${url}`);
        }
      } catch (e) {
        ready = false;
        lines.push(`  ${url}: ${(e as Error).message}`);
      }
    }
    if (ready || Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log("\nConnectors:");
  for (const l of lines) console.log(l);
  return lines.length > 0 && Date.now() <= end;
}

const ps = execFileSync("docker", ["ps", "--filter", `label=${MANAGED_LABEL}=true`, "--format", "{{.Names}}\t{{.Status}}\t{{.Image}}"], { encoding: "utf8" });
console.log("\nContainers:");
for (const line of ps.trim().split("\n").filter(Boolean).sort()) console.log(`  ${line.replace(/\t/g, "  ")}`);
console.log("\nNext: `docker logs -f <name>-simulator` shows orders being created; `npm run verify` checks every hop.");

const connectUrls = Object.values(outputs)
  .flatMap((v) => Object.values(v))
  .flatMap((v) => (typeof v === "object" && v !== null ? Object.entries(v) : []))
  .filter(([k]) => k === "connect")
  .flatMap(([, v]) => String(v).split(",").slice(0, 1));
if (connectUrls.length > 0) {
  connectorsReady(connectUrls).then((ok) => {
    if (!ok) {
      console.error("some connector is not RUNNING: see `curl <connect>/connectors/<name>/status`");
      process.exit(1);
    }
  });
}
