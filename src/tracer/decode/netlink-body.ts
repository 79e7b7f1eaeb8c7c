// The family headers that start most netlink payloads (struct ifinfomsg, tcmsg,
// unix_diag_msg…) as strace 6.1 prints them: the family byte, then the rest of the struct when
// the payload holds all of it (`{family, ...}` when it is shorter, the rest's address when it
// cannot be read), then the attributes after the struct's aligned size, by the header's table.
// A header of the family alone (rtgenmsg, tcamsg…) is printed whatever the payload's size.
import { ADDRESS_FAMILIES } from '../xlat/net.js';
import type { Xlat } from '../xlat/xlat.js';
import { type NlaTable, type Span, hexData, printIfindex, printNlattrs } from './nlattr.js';
import { hex, printEnum, printFlags, readInt, struct } from './printers.js';
import type { DecodeContext } from './types.js';

/** One field of a header: its name and how it reads from the bytes (raw: the field's bytes, for the wider ones; fam: the header's family). */
export interface BodyField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly print: (ctx: DecodeContext, v: number, raw: Uint8Array, fam: number) => string;
  /** Printed only when not zero (reserved fields). */
  readonly ifSet?: boolean;
}

export interface Body {
  readonly size: number;
  readonly fields: readonly BodyField[];
  /**
   * The attributes' table (by the family, for headers whose attributes depend on it; undefined:
   * the bytes in hex); 'none': what follows the header is not printed (sock_diag requests).
   */
  readonly attrs: NlaTable | ((family: number) => NlaTable | undefined) | 'none';
}

export const num = (_: DecodeContext, v: number): string => String(v);
export const hexNum = (_: DecodeContext, v: number): string => hex(v);
export const en = (table: Xlat, dflt: string | undefined) => (ctx: DecodeContext, v: number): string => printEnum(ctx.options.xlat, table, v, dflt);
export const fl = (table: Xlat, dflt: string) => (ctx: DecodeContext, v: number): string => {
  const s = printFlags(ctx.options.xlat, table, v, dflt);
  return s === '' ? '0' : s;
};
export const family = en(ADDRESS_FAMILIES, 'AF_???');
export const ifindex = (ctx: DecodeContext, v: number): string => printIfindex(ctx, v | 0);
/** A socket cookie (two __u32): `[0, 0]`. */
export const cookie = (_: DecodeContext, _v: number, raw: Uint8Array): string => `[${readInt(raw, 0, 4, false)}, ${readInt(raw, 4, 4, false)}]`;
/** An unsigned 64-bit field. */
export const u64 = (_: DecodeContext, _v: number, raw: Uint8Array): string => readInt(raw, 0, 8, false).toString();

/** The payload p (its first byte, the family, already read as fam) as `body` describes it. */
export function printBody(ctx: DecodeContext, body: Body, fam: number, p: Span): string {
  const first = body.fields[0]!;
  const famText = `${first.name}=${first.print(ctx, fam, new Uint8Array([fam]), fam)}`;
  if (body.attrs === 'none') return printHeader(ctx, body, fam, famText, p)?.text ?? `{${famText}, ...}`;
  const attrs = typeof body.attrs === 'function' ? body.attrs(fam) : body.attrs;
  const at = (body.size + 3) & ~3;
  const printAttrs = (): string => {
    const rest = p.sub(at);
    return attrs === undefined ? hexData(ctx, rest) : printNlattrs({ ctx, family: fam }, rest, attrs);
  };
  if (body.fields.length === 1) return p.len > at ? `{${famText}}, ${printAttrs()}` : `{${famText}}`;
  const header = printHeader(ctx, body, fam, famText, p);
  if (header === undefined) return `{${famText}, ...}`;
  // Attributes follow a header that could be read.
  return p.len <= at || !header.read ? header.text : `${header.text}, ${printAttrs()}`;
}

/** The header struct (read: whether its bytes could be read); undefined when the payload is shorter. */
function printHeader(ctx: DecodeContext, body: Body, fam: number, famText: string, p: Span): { text: string; read: boolean } | undefined {
  if (p.len < body.size) return undefined;
  const b = p.read(body.size);
  if (b === null) return { text: `{${famText}, ${hex(p.addr + 1n)}}`, read: false };
  const parts: string[] = [];
  for (const f of body.fields) {
    const raw = b.subarray(f.offset, f.offset + f.size);
    const v = f.size <= 4 ? Number(readInt(b, f.offset, f.size as 1 | 2 | 4, false)) : 0;
    if (f.ifSet === true && raw.some((x) => x !== 0) === false) continue;
    parts.push(`${f.name}=${f.print(ctx, v, raw, fam)}`);
  }
  return { text: struct(parts), read: true };
}
