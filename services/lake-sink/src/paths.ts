/**
 * Blob naming, exactly as Confluent's storage sinks (S3/GCS/Azure) name their files:
 *
 *   <topicsDir>/<topic>/partition=<p>/[<time dirs>/]<topic>+<p>+<startOffset>.<ext>
 *
 * startOffset = Kafka offset of the file's first record, zero-padded to 10 digits (wider offsets
 * are written in full). The optional time directories come from STORAGE_PATH_FORMAT, a Joda-style
 * pattern like Confluent's `path.format`: `'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH`, applied to
 * the record timestamp of the file's first record in UTC. Pure functions only.
 */

export type PathToken =
  | { kind: "literal"; text: string }
  | { kind: "field"; field: "year" | "month" | "day" | "hour" | "minute" | "second"; width: number };

const FIELD_LETTERS: Record<string, { field: Extract<PathToken, { kind: "field" }>["field"]; widths: number[] }> = {
  Y: { field: "year", widths: [4] },
  y: { field: "year", widths: [4] },
  M: { field: "month", widths: [2] },
  d: { field: "day", widths: [2] },
  H: { field: "hour", widths: [2] },
  m: { field: "minute", widths: [2] },
  s: { field: "second", widths: [2] },
};

export const OFFSET_WIDTH = 10;

/** Parse a path format; returns the tokens or an error text naming the offending part. */
export function parsePathFormat(format: string): PathToken[] | { error: string } {
  const tokens: PathToken[] = [];
  const lit = (t: string) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === "literal") last.text += t;
    else tokens.push({ kind: "literal", text: t });
  };
  let i = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch === "'") {
      const end = format.indexOf("'", i + 1);
      if (end < 0) return { error: `unterminated quote at position ${i}` };
      lit(end === i + 1 ? "'" : format.slice(i + 1, end));
      i = end + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (j < format.length && format[j] === ch) j++;
      const spec = FIELD_LETTERS[ch];
      const width = j - i;
      if (!spec) return { error: `unsupported pattern letter '${ch}' at position ${i} (use YYYY, MM, dd, HH, mm, ss; quote literal text like 'year')` };
      if (!spec.widths.includes(width)) return { error: `'${ch.repeat(width)}' at position ${i}: use ${ch.repeat(spec.widths[0]!)}` };
      tokens.push({ kind: "field", field: spec.field, width });
      i = j;
    } else {
      lit(ch);
      i++;
    }
  }
  const text = tokens.map((t) => (t.kind === "literal" ? t.text : "x")).join("");
  if (text.startsWith("/") || text.endsWith("/")) return { error: "must not start or end with '/'" };
  if (text.includes("//")) return { error: "must not contain an empty directory ('//')" };
  if (/(^|\/)\.\.?(\/|$)/.test(text)) return { error: "must not contain '.' or '..' directories" };
  if (/[\\?#%+]/.test(text)) return { error: "must not contain \\ ? # % or +" };
  return tokens;
}

/** The time directories for a record timestamp (epoch ms, UTC); "" when there are no tokens. */
export function formatTimeDirs(tokens: readonly PathToken[], timestampMs: number): string {
  if (tokens.length === 0) return "";
  const d = new Date(timestampMs);
  const values = {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
  return tokens.map((t) => (t.kind === "literal" ? t.text : String(values[t.field]).padStart(t.width, "0"))).join("");
}

export function padOffset(offset: number): string {
  return String(offset).padStart(OFFSET_WIDTH, "0");
}

/** `<topicsDir>/<topic>/partition=<p>/` — the prefix under which all of a partition's files live. */
export function partitionPrefix(topicsDir: string, topic: string, partition: number): string {
  return `${topicsDir}/${topic}/partition=${partition}/`;
}

export function fileName(topic: string, partition: number, startOffset: number, ext: string): string {
  return `${topic}+${partition}+${padOffset(startOffset)}.${ext}`;
}

export function blobName(topicsDir: string, topic: string, partition: number, startOffset: number, timeDirs: string, ext: string): string {
  return partitionPrefix(topicsDir, topic, partition) + (timeDirs ? `${timeDirs}/` : "") + fileName(topic, partition, startOffset, ext);
}

export interface ParsedBlobName {
  topic: string;
  partition: number;
  startOffset: number;
  timeDirs: string;
}

/**
 * Parse a blob name written by blobName (under the same topicsDir). Returns undefined for
 * anything else (foreign files, another partition's directory, temp files).
 */
export function parseBlobName(topicsDir: string, name: string, ext: string): ParsedBlobName | undefined {
  if (!name.startsWith(`${topicsDir}/`)) return undefined;
  const rest = name.slice(topicsDir.length + 1).split("/");
  if (rest.length < 3) return undefined;
  const topic = rest[0]!;
  const pm = /^partition=(\d+)$/.exec(rest[1]!);
  if (!pm) return undefined;
  const partition = Number(pm[1]);
  const file = rest[rest.length - 1]!;
  const escaped = topic.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const fm = new RegExp(`^${escaped}\\+(\\d+)\\+(\\d{${OFFSET_WIDTH},})\\.${ext.replace(/\./g, "\\.")}$`).exec(file);
  if (!fm || Number(fm[1]) !== partition) return undefined;
  const startOffset = Number(fm[2]);
  if (!Number.isSafeInteger(startOffset)) return undefined;
  return { topic, partition, startOffset, timeDirs: rest.slice(2, -1).join("/") };
}
