// Linux paths are bytes, not text. A path that the kernel hands the tracer as a string (a
// descriptor's path for -y) keeps its bytes this way: the parts that are valid UTF-8 decode as
// UTF-8, and each other byte B becomes the lone surrogate U+DC00+B, which valid UTF-8 never
// yields (Python's "surrogateescape"). pathStringToBytes undoes it exactly.

/** The length of the valid UTF-8 sequence at b[i], or 0 when the byte there starts none. */
function utf8SequenceAt(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  if (n === 3) {
    const cp = ((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f);
    if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  } else if (n === 4) {
    const cp = ((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f);
    if (cp < 0x10000 || cp > 0x10ffff) return 0;
  }
  return n;
}

/** A path's bytes as a string that maps back to the same bytes. */
export function pathBytesToString(bytes: Uint8Array): string {
  let out = '';
  let start = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (end > start) out += Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  };
  while (i < bytes.length) {
    const n = utf8SequenceAt(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    flush(i);
    out += String.fromCharCode(0xdc00 + bytes[i]!);
    start = ++i;
  }
  flush(i);
  return out;
}

/** The bytes of a path string (pathBytesToString's inverse; plain text encodes as UTF-8). */
export function pathStringToBytes(s: string): Uint8Array {
  // Fast path: no lone surrogate of an escaped byte.
  if (!/[\udc80-\udcff]/.test(s)) return Buffer.from(s, 'utf8');
  const parts: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) parts.push(cp - 0xdc00);
    else for (const b of Buffer.from(ch, 'utf8')) parts.push(b);
  }
  return Uint8Array.from(parts);
}
