/**
 * The README's configuration table, generated from the schema (schema.ts).
 * A unit test fails while the README's copy differs. After a build:
 *
 *   node dist/config/readme-table.js            # print the table
 *   node dist/config/readme-table.js --write    # replace it in README.md
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { Field, Rule } from "./field";
import { FIELDS } from "./schema-derive";

export const TABLE_BEGIN = "<!-- configuration table: generated from config/schema.ts by `node dist/config/readme-table.js --write` -->";
export const TABLE_END = "<!-- end of the configuration table -->";

const cell = (s: string): string => s.replace(/\|/g, "\\|");
const literal = (x: unknown): string => `\`${typeof x === "string" ? x : JSON.stringify(x)}\``;

function ruleText(rule: Rule): string {
  switch (rule.kind) {
    case "pattern":
      return rule.summary ?? rule.message.replace(/^must be /, "");
    case "oneOf":
      return rule.values.map(literal).join(", ");
    case "int":
      return `integer ${rule.min}–${rule.max}`;
    case "bool":
      return "`true` or `false`";
    case "port":
      return "host port 1024–65535, one per service";
    case "code":
      return rule.summary;
    case "none":
      return "";
  }
}

function row(path: string, { rule, spec }: Field): string {
  const byDefault = spec.defaultDoc ?? (spec.default === undefined ? "—" : literal(spec.default));
  const when = spec.when === undefined ? "" : spec.when.is === undefined ? `ignored when \`${spec.when.field}\` is set` : `checked when \`${spec.when.field}\` is ${literal(spec.when.is)}`;
  const checks = [ruleText(rule), when].filter((s) => s !== "").join("; ");
  return `| ${[`\`${path}\``, byDefault, spec.env ? `\`${spec.env}\`` : "", checks, spec.doc].map(cell).join(" | ")} |`;
}

/** The table, markers included, as the README holds it. */
export function configurationTable(): string {
  return [TABLE_BEGIN, "| field | default | variable | rule | meaning |", "| --- | --- | --- | --- | --- |", ...FIELDS.map((f) => row(f.path, f.field)), TABLE_END].join("\n");
}

/** The README's table, markers included; undefined without both markers. */
export function tableIn(readme: string): string | undefined {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END, begin);
  return begin < 0 || end < 0 ? undefined : readme.slice(begin, end + TABLE_END.length);
}

if (require.main === module) {
  if (process.argv[2] === "--write") {
    const file = join(__dirname, "..", "..", "README.md");
    const readme = readFileSync(file, "utf8");
    const old = tableIn(readme);
    if (old === undefined) throw new Error(`${file}: no configuration table between ${TABLE_BEGIN} and ${TABLE_END}`);
    writeFileSync(file, readme.replace(old, () => configurationTable()));
  } else {
    process.stdout.write(`${configurationTable()}\n`);
  }
}
