/**
 * Where a JSON text first breaks the grammar (RFC 8259), as an offset only.
 *
 * Why not JSON.parse's message: V8 quotes the input in some of them
 * (`Unexpected token 's', "s3cr3t…" is not valid JSON`), and BRIDGE_CONFIG
 * may hold a secret pasted by mistake. This scanner returns a number, never text.
 */

/** Offset of the first syntax error (text.length for a premature end), or undefined for valid JSON. */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  // Containers open at the cursor; iterative, so deep nesting cannot overflow the call stack.
  const open: ("{" | "[")[] = [];
  let expect: "value" | "key" | "after" = "value";

  const skipSpace = (): void => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  /** A string starting at the cursor's `"`; false with the cursor at the error. */
  const string = (): boolean => {
    i++;
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i++;
        return true;
      }
      if (ch < 0x20) return false;
      if (ch === 0x5c) {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === "u") {
          // The error is at the first character that is not a hex digit.
          let k = 0;
          while (k < 4 && /[0-9a-fA-F]/.test(text[i + 2 + k] ?? "")) k++;
          i += 2 + k;
          if (k < 4) return false;
        } else {
          i = Math.min(i + 1, n);
          return false;
        }
        continue;
      }
      i++;
    }
    return false;
  };
  const digits = (): boolean => {
    const start = i;
    while (i < n && text[i] >= "0" && text[i] <= "9") i++;
    return i > start;
  };
  /** true, false, null or a number; false with the cursor where the grammar broke (e.g. the missing digit of "1."). */
  const literal = (): boolean => {
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return true;
      }
    }
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (!digits()) return false;
    if (text[i] === ".") {
      i++;
      if (!digits()) return false;
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!digits()) return false;
    }
    return true;
  };

  for (;;) {
    skipSpace();
    if (expect === "value") {
      if (i >= n) return n;
      const ch = text[i];
      if (ch === "{" || ch === "[") {
        open.push(ch);
        i++;
        skipSpace();
        if (text[i] === (ch === "{" ? "}" : "]")) {
          open.pop();
          i++;
          expect = "after";
        } else expect = ch === "{" ? "key" : "value";
      } else if (ch === '"') {
        if (!string()) return i;
        expect = "after";
      } else {
        if (!literal()) return i;
        expect = "after";
      }
    } else if (expect === "key") {
      if (i >= n) return n;
      if (text[i] !== '"' || !string()) return i;
      skipSpace();
      if (i >= n) return n;
      if (text[i] !== ":") return i;
      i++;
      expect = "value";
    } else {
      if (open.length === 0) return i < n ? i : undefined;
      if (i >= n) return n;
      const top = open[open.length - 1];
      if (text[i] === ",") {
        i++;
        expect = top === "{" ? "key" : "value";
      } else if (text[i] === (top === "{" ? "}" : "]")) {
        open.pop();
        i++;
      } else return i;
    }
  }
}

/** "position 39 (line 2, column 5)": offset as JSON.parse counts it, line and column from 1. */
export function describeOffset(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return `position ${offset} (line ${line}, column ${column})`;
}
