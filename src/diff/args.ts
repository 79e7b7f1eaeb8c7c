// Reading strace's argument text: top-level splitting and string literals.

/** Splits `a, {b, c}, "d, e"` at its top-level commas: ["a", "{b, c}", "\"d, e\""]. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  if (text.length === 0) return out;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = stringEnd(text, i) - 1;
    } else if (c === 40 || c === 91 || c === 123) {
      depth++;
    } else if (c === 41 || c === 93 || c === 125) {
      depth--;
    } else if (c === 44 /* , */ && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

export function joinArgs(args: readonly string[]): string {
  return args.join(', ');
}

/**
 * Index just past the string literal opening at `open` (past its closing quote and a
 * truncation mark `...` if any). An unterminated literal runs to the end.
 */
export function stringEnd(text: string, open: number): number {
  let i = open + 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === 34) {
      i++;
      if (text.startsWith('...', i)) i += 3;
      return i;
    }
    i++;
  }
  return n;
}

/**
 * Cuts a string literal (as strace prints it, quotes included, maybe with a trailing `...`)
 * to at most `limit` bytes of content. Escapes count as the one byte they stand for, so a log
 * written with `-s 32` and one with `-s 4096` agree on the first 32 bytes.
 */
export function limitString(literal: string, limit: number): string {
  const truncated = literal.endsWith('...') && literal.charCodeAt(literal.length - 4) === 34;
  const bodyEnd = truncated ? literal.length - 4 : literal.length - 1;
  let bytes = 0;
  let i = 1;
  while (i < bodyEnd) {
    if (bytes === limit) return literal.slice(0, i) + '"...';
    const c = literal.charCodeAt(i);
    if (c === 92) {
      const d = literal.charCodeAt(i + 1);
      if (d === 120 /* x */) i += 4;
      else if (d >= 48 && d <= 55) {
        let j = i + 2;
        while (j < i + 4 && j < bodyEnd && literal.charCodeAt(j) >= 48 && literal.charCodeAt(j) <= 55) j++;
        i = j;
      } else i += 2;
    } else i++;
    bytes++;
  }
  return literal;
}
