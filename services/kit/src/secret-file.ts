/**
 * Secrets come from files (mounted read-only), never from the environment: the file's text with one
 * trailing newline stripped, or the rule the file breaks. The text itself is never part of a problem.
 */
import { readFileSync } from "fs";

export type ReadFile = (path: string) => string;

export const readFileUtf8: ReadFile = (path) => readFileSync(path, "utf8");

export type SecretFile = { readonly text: string } | { readonly problem: string };

export function readSecretFile(path: string, readFile: ReadFile = readFileUtf8): SecretFile {
  let text: string;
  try {
    text = readFile(path).replace(/\r?\n$/, "");
  } catch (e) {
    return { problem: `must name a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return text.trim() === "" ? { problem: "the file is empty" } : { text };
}
