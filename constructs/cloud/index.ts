import { TerraformStack } from "cdktf";
import { Target } from "../../config";
import { CloudTarget, CloudTargetProps } from "./cloud-target";
import { ConfluentCloud } from "./confluent-cloud";
import { EventHubsCloud } from "./event-hubs-cloud";
import { LocalCloud } from "./local-cloud";

export * from "./cloud-target";
export { ConfluentCloud, EventHubsCloud, LocalCloud };

/** The cloud target of each `target` of the configuration. */
const CLOUD_TARGETS: Readonly<Record<Target, new (stack: TerraformStack, props: CloudTargetProps) => CloudTarget>> = {
  local: LocalCloud,
  "event-hubs": EventHubsCloud,
  "confluent-cloud": ConfluentCloud,
};

/** The cloud side of the configured target, its resources added to `stack`. */
export function cloudTarget(stack: TerraformStack, props: CloudTargetProps): CloudTarget {
  return new CLOUD_TARGETS[props.deployment.config.target](stack, props);
}
