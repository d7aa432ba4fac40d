/**
 * Prints, one per line, the stacks `scripts/up.sh` deploys for the configured
 * target: the local target runs entirely on the Docker host; the cloud
 * targets add the Azure stack (which needs Azure credentials).
 */
import { projectConfig } from "./lib/project-config";
import { stacksToDeploy } from "../stacks/plan";

for (const id of stacksToDeploy(projectConfig())) console.log(id);
