/** Prints what runs where after a deploy: endpoints from the stacks' outputs and the containers' health. */
import { execFileSync } from "child_process";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { ROOT } from "./lib/project-config";

const outputsFile = join(ROOT, ".state", "outputs.json");
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
const ps = execFileSync("docker", ["ps", "--filter", "label=io.bridge-to-azure.managed=true", "--format", "{{.Names}}\t{{.Status}}\t{{.Image}}"], { encoding: "utf8" });
console.log("\nContainers:");
for (const line of ps.trim().split("\n").filter(Boolean).sort()) console.log(`  ${line.replace(/\t/g, "  ")}`);
console.log("\nNext: `docker logs -f <name>-simulator` shows orders being created; `npm run verify` checks every hop.");
