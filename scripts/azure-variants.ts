/**
 * Synthesizes the app for every target × network mode of AZURE_VARIANTS,
 * each into OUTDIR/<variant>/ (cdktf's layout: stacks/<id>/cdk.tf.json),
 * writes the azure stack's offline terraform test beside it
 * (stacks/azure/offline.tftest.hcl) and prints the variant ids. What scripts/azure-checks.sh validates, tests and
 * scans.
 *
 *   node dist/scripts/azure-variants.js OUTDIR
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { App } from "cdktf";
import { resolveConfig } from "../config";
import { PROVIDERS } from "../config/providers";
import { buildStacks } from "../main";
import { azureStackTest } from "./lib/tftest";
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
  // The azurerm build the checks run against (scripts/env.sh exports the one the mirror holds).
  const azurerm = process.env[PROVIDERS.azurerm.env];
  const config = resolveConfig(azurerm ? { ...v.config, providers: { azurerm } } : v.config);
  buildStacks(app, config);
  app.synth();
  // The offline terraform test of the azure stack, next to it (terraform test reads *.tftest.hcl of the directory).
  const azure = join(outdir, "stacks", "azure");
  writeFileSync(join(azure, "offline.tftest.hcl"), azureStackTest(JSON.parse(readFileSync(join(azure, "cdk.tf.json"), "utf8")), config));
  console.log(v.id);
}
