import { TerraformResource } from "cdktf";

/** Where the accepted findings go in the synthesized JSON: the resource's "//" comment, which Terraform and OpenTofu ignore. */
export const ACCEPTED_KEY = "checkov_accepted";

/**
 * Accepts a checkov finding for one resource, with the reason, at the line
 * that makes the choice. Written into the resource's JSON comment;
 * scripts/checkov.ts fails on any finding not accepted this way and on any
 * accepted one that no longer occurs.
 */
export function acceptFinding(resource: TerraformResource, check: `CKV${string}`, reason: string): void {
  resource.addOverride(`//.${ACCEPTED_KEY}.${check}`, reason);
}
