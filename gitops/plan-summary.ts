/**
 * Terraform plan → Markdown, for pull-request comments, the drift check and
 * `npm run plan:summary` on a workstation.
 *
 * Pure functions only (no I/O): parse the output of `terraform show -json
 * <planfile>` (format_version 1.x), reduce it to a typed summary, render that
 * as Markdown. The modules under plan-summary/, in the order data flows:
 *   plan-json       the plan format read, and its check (parsePlan)
 *   masking         values as shown text: sensitive and unknown marks applied
 *   attribute-diff  before/after of one resource, leaf by leaf
 *   connector-diff  Kafka Connect `config`/`config_sensitive`, key by key
 *   summary         the typed summary of a plan (summarizePlan)
 *   markdown        one stack's section
 *   comment         the whole report: scrubbed, under GitHub's length limit
 *
 * Secrets: terraform's JSON carries sensitive values IN CLEAR TEXT in
 * before/after; only the parallel trees before_sensitive/after_sensitive say
 * which parts are secret. Every value shown here goes through those trees
 * (`(sensitive)`), connector `config_sensitive` maps are reduced to their key
 * names, and the finished Markdown is scrubbed once more of every string that
 * sat at a sensitive path anywhere in the plan (defence in depth).
 *
 * This file is the public surface: what gitops/plan-report.ts,
 * gitops/upsert-comment.ts and the tests use. (It is a file next to the
 * directory rather than plan-summary/index.ts so that a dist/ built before the
 * split cannot shadow the new code with a stale dist/gitops/plan-summary.js.)
 */
export { parsePlan, PlanFormatError, TerraformPlanJson } from "./plan-summary/plan-json";
export { SENSITIVE, UNKNOWN } from "./plan-summary/masking";
export { PlanSummary, ResourceSummary, summarizePlan } from "./plan-summary/summary";
export { StackReport } from "./plan-summary/markdown";
export { anyChanges, charLength, COMMENT_MARKER, GITHUB_COMMENT_LIMIT, renderMarkdown, scrub } from "./plan-summary/comment";
