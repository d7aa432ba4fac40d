/**
 * Synthesizes the app for every target × network mode of AZURE_VARIANTS,
 * each into OUTDIR/<variant>/ (cdktf's layout: stacks/<id>/cdk.tf.json), and
 * prints the variant ids. What scripts/azure-checks.sh validates, tests and
 * scans.
 *
 *   node dist/scripts/azure-variants.js OUTDIR
 */
import { mkdirSync, rmSync } from "fs";
import { join } from "path";
import { App } from "cdktf";
import { resolveConfig } from "../config";
import { buildStacks } from "../main";
import { AZURE_VARIANTS } from "./lib/variants";

const out = process.argv[2];
if (!out) {
  console.error("usage: node dist/scripts/azure-variants.js OUTDIR");
  process.exit(2);
}
for (const v of AZURE_VARIANTS) {
  const outdir = join(out, v.id);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  buildStacks(app, resolveConfig(v.config));
  app.synth();
  console.log(v.id);
}
