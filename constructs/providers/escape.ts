import { Token } from "cdktf";

/**
 * Terraform reads "${…}" and "%{…}" in JSON strings as template syntax;
 * Kafka Connect's config-provider references ("${file:/path:key}") must
 * reach the provider verbatim, so they are escaped as "$${…}" / "%%{…}".
 */
export function escapeTemplate(value: string): string {
  // A value holding a Terraform reference (a cdktf token) is meant to be interpolated.
  if (Token.isUnresolved(value)) return value;
  // Function replacers: in a replacement string "$$" would mean a single "$".
  return value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** escapeTemplate on every value of a map. */
export function escapeTemplateValues(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, escapeTemplate(v)]));
}
