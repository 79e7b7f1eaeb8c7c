// Netlink attributes (struct nlattr lists) as strace 6.1 prints them: each attribute as
// `[{nla_len=8, nla_type=IFA_ADDRESS}, value]` (the header alone when it carries no payload),
// a list of several as `[…, …]` with at most -s of them unless -v, and a value that no
// decoder claims (or that a decoder refuses for its size) as hex bytes. The tables that map
// an nla_type to a name and a value printer live with each message family (rtnl.ts); this
// file holds the list walker and the value printers those tables share.
import { readdirSync, readFileSync } from 'node:fs';
import { formatIpv6 } from './net.js';
import { hex, printEnum, printFd, printPtr, printFlags, printNamed, quoteBytes, quotesInHex, readInt, struct } from './printers.js';
import type { DecodeContext, XlatStyle } from './types.js';
import type { Xlat } from '../xlat/xlat.js';

const NLA_HDRLEN = 4;
const NLA_F_NESTED = 0x8000;
const NLA_F_NET_BYTEORDER = 0x4000;
const NLA_TYPE_MASK = 0x3fff;
/** MAX_ADDR_LEN: a longer hardware address is not decoded. */
const MAX_ADDR_LEN = 32;

/**
 * A range of the tracee's memory [addr, addr+len) of which the first bytes (possibly none, possibly
 * not all) could be read: strace reads each piece as it prints it, and prints the address of a
 * piece it cannot read, so the decoders here ask for each piece and get null past what was read.
 */
export class Span {
  constructor(
    /** The bytes read from `base` on (the readable prefix of the whole buffer). */
    private readonly mem: Uint8Array,
    private readonly base: bigint,
    private readonly off: number,
    readonly len: number,
  ) {}

  /** The readable prefix of `len` bytes at addr (a whole buffer of a syscall). */
  static read(ctx: DecodeContext, addr: bigint, len: number): Span {
    let mem = ctx.mem.read(addr, len);
    if (mem === null) {
      // Readability is a prefix: find its end by halving.
      let lo = 0;
      let hi = len;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (ctx.mem.read(addr, mid) !== null) lo = mid;
        else hi = mid - 1;
      }
      mem = lo === 0 ? new Uint8Array(0) : ctx.mem.read(addr, lo)!;
    }
    return new Span(mem, addr, 0, len);
  }

  get addr(): bigint {
    return this.base + BigInt(this.off);
  }

  /** The bytes at [at, at+n) of this span, or null when not all of them could be read. */
  read(n: number, at = 0): Uint8Array | null {
    const start = this.off + at;
    return start + n <= this.mem.length ? this.mem.subarray(start, start + n) : null;
  }

  /** How many of this span's bytes, from its start, could be read. */
  get readable(): number {
    return Math.max(0, Math.min(this.len, this.mem.length - this.off));
  }

  /** The sub-range [at, at+len). */
  sub(at: number, len = this.len - at): Span {
    return new Span(this.mem, this.base, this.off + at, len);
  }
}

/** An address as strace prints a piece it cannot read (printaddr). */
const addrOf = (s: Span): string => printPtr(s.addr);

/** What a value printer may need besides its bytes: the trace's options and the message's family. */
export interface NlaEnv {
  readonly ctx: DecodeContext;
  /** The family byte of the message's header (ifa_family, ifi_family, rtm_family). */
  readonly family: number;
  /** Inside IFLA_LINKINFO: the kinds its IFLA_INFO_KIND / IFLA_INFO_SLAVE_KIND named so far (they choose the data's table). */
  readonly linkinfo?: { kind: string; slaveKind: string };
}

/**
 * Prints an attribute's payload, or undefined when it does not apply (then the bytes are shown
 * in hex); the payload's address when the bytes it needs cannot be read.
 */
export type NlaValue = (env: NlaEnv, p: Span, type: number) => string | undefined;

/**
 * A family of attributes: names, the `???` default, and the value printer per type (a map), or
 * one printer for every type (a function, for lists keyed by something else, e.g. AF_*).
 */
export interface NlaTable {
  readonly names: Xlat;
  /** undefined: an unnamed type prints as a bare number. */
  readonly dflt: string | undefined;
  readonly values: ReadonlyMap<number, NlaValue> | NlaValue;
}

/** The most elements of a list or array shown (-s), or all of them with -v. */
function elementLimit(ctx: DecodeContext): number {
  return ctx.options.verbose ? Infinity : ctx.options.stringLimit;
}

/** strace's printstr_ex with QUOTE_FORCE_HEX: at most -s bytes in hex, `...` when there were more. */
export function hexData(ctx: DecodeContext, s: Span): string {
  const limit = ctx.options.stringLimit;
  const b = s.read(Math.min(s.len, limit + 1));
  if (b === null) return addrOf(s);
  const text = quoteBytes(b, Math.min(s.len, limit), { forceHex: true }).text;
  return s.len > limit ? `${text}...` : text;
}

/**
 * A string attribute (strace's decode_nla_str: a trailing NUL expected and left out): `"lo"`,
 * `"abc"...` when no NUL ended it within -s bytes.
 */
export const nlaString: NlaValue = (env, s) => {
  const limit = env.ctx.options.stringLimit;
  const p = s.read(Math.min(s.len, limit + 1));
  if (p === null) return addrOf(s);
  const size = Math.min(s.len, limit);
  if (quotesInHex(p, size)) return `${quoteBytes(p, size).text}${s.len > 0 ? '...' : ''}`;
  if (size > 0 && p[size - 1] === 0) return quoteBytes(p, size - 1).text;
  return `${quoteBytes(p, size).text}${s.len > 0 ? '...' : ''}`;
};

/** A C string attribute (printstr_ex with QUOTE_0_TERMINATED): up to the first NUL. */
export const nlaCString: NlaValue = (env, s) => {
  const limit = env.ctx.options.stringLimit;
  const fetched = Math.min(s.len, limit + 1);
  const size = Math.min(fetched, limit);
  // umovestr: enough when a NUL comes within what could be read.
  const p = s.read(Math.min(fetched, s.readable)) ?? new Uint8Array(0);
  if (p.length < fetched && !p.includes(0)) return addrOf(s);
  const { text, sawNul } = quoteBytes(p, size, { nulTerminated: true });
  if (sawNul || s.len === 0) return text;
  // The byte after the limit, when fetched, being a NUL means the string was whole.
  return fetched > size && p[size] === 0 ? text : `${text}...`;
};

/** An unsigned or signed integer of `size` bytes, decimal (decode_nla_u8 … s64); a shorter payload is refused. */
/**
 * The payload's first `size` bytes as an integer, printed by `show`; undefined (not applicable)
 * when the payload is shorter, its address when they cannot be read (umove_or_printaddr).
 */
export function nlaFixed(size: number, show: (env: NlaEnv, b: Uint8Array) => string): NlaValue {
  return (env, s) => {
    if (s.len < size) return undefined;
    const b = s.read(size);
    return b === null ? addrOf(s) : show(env, b);
  };
}

/** An unsigned or signed integer of `size` bytes, decimal (decode_nla_u8 … s64); a shorter payload is refused. */
export function nlaInt(size: 1 | 2 | 4 | 8, signed = false): NlaValue {
  return nlaFixed(size, (_env, b) => readInt(b, 0, size, signed).toString());
}

/** An unsigned integer in hex (decode_nla_x8 … x64). */
export function nlaHex(size: 1 | 2 | 4 | 8): NlaValue {
  return nlaFixed(size, (_env, b) => hex(readInt(b, 0, size, false)));
}

/** A value read as decode_nla_xval reads it: `size` bytes (0: the whole payload, at most 8), refused when the payload is longer than 8 or shorter than `size`. */
function nlaXval(size: number, show: (env: NlaEnv, v: bigint) => string): NlaValue {
  return (env, s) => {
    if (s.len > 8 || s.len < size) return undefined;
    const n = size === 0 ? s.len : size;
    const b = s.read(n);
    return b === null ? addrOf(s) : show(env, readInt(b, 0, n, false));
  };
}

/** A named value (decode_nla_xval). */
export function nlaEnum(table: Xlat, dflt: string | undefined, size: number): NlaValue {
  return nlaXval(size, (env, v) => printEnum(env.ctx.options.xlat, table, v, dflt));
}

/** A flag set (decode_nla_flags); 0 prints as `0`. */
export function nlaFlags(table: Xlat, dflt: string, size: number): NlaValue {
  return nlaXval(size, (env, v) => printFlags(env.ctx.options.xlat, table, v, dflt));
}

/** A descriptor of the tracee (decode_nla_fd). */
export const nlaFd: NlaValue = nlaFixed(4, (env, b) => printFd(env.ctx, Number(readInt(b, 0, 4, true))));

let ifNames: Map<number, string> | undefined;
/** The host's interface names by index (strace prints ifindexes as if_nametoindex("lo")). */
function ifName(index: number): string | undefined {
  if (ifNames === undefined) {
    ifNames = new Map();
    try {
      for (const n of readdirSync('/sys/class/net')) {
        const i = Number.parseInt(readFileSync(`/sys/class/net/${n}/ifindex`, 'utf8'), 10);
        if (Number.isInteger(i)) ifNames.set(i, n);
      }
    } catch {
      // no sysfs: indexes print as numbers
    }
  }
  return ifNames.get(index);
}

/** Text quoted as strace quotes a string it made itself (print_quoted_string: -x and -xx apply). */
function quoteText(s: string): string {
  const b = new TextEncoder().encode(s);
  return quoteBytes(b, b.length).text;
}

/**
 * An interface index (strace's print_ifindex): `if_nametoindex("lo")` when the host has such an
 * interface (-X raw: the number, -X verbose: both), else the number.
 */
export function printIfindex(ctx: DecodeContext, index: number): string {
  const n = index === 0 ? undefined : ifName(index);
  return n === undefined ? String(index >>> 0) : printNamed(ctx.options.xlat, index >>> 0, `if_nametoindex(${quoteText(n)})`, 'u');
}

/** decode_nla_ifindex. */
export const nlaIfindex: NlaValue = nlaFixed(4, (env, b) => printIfindex(env.ctx, Number(readInt(b, 0, 4, false))));

/** strace's hwaddr_sizes: the address length of an ARPHRD_* type (255: all of it). */
const HWADDR_SIZES = new Map<number, number>([[0, 7], [1, 6], [3, 7], [6, 6], [7, 1], [15, 2], [24, 16], [27, 8],
  [32, 20], [256, 0], [270, 5], [271, 0], [280, 0], [290, 1], [512, 0], [518, 0], [519, 0], [768, 4], [769, 16],
  [772, 6], [773, 1], [774, 6], [776, 4], [777, 0], [778, 4], [779, 0], [780, 6], [783, 4], [801, 6], [802, 6],
  [803, 6], [804, 8], [805, 8], [820, 1], [821, 1], [822, 0], [823, 16], [824, 0], [825, 8], [826, 0]]);

/** print_hwaddr: `00:11:22:33:44:55` (as long as the ARPHRD_* type's addresses), -X raw the bytes in hex, -X verbose both. */
export function printHwaddr(style: XlatStyle, bytes: Uint8Array, type: number): string {
  const hexStr = quoteBytes(bytes, bytes.length, { forceHex: true }).text;
  const n = Math.min(bytes.length, type <= 826 ? (HWADDR_SIZES.get(type) ?? 255) : 255);
  const mac = Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(':');
  switch (style) {
    case 'abbrev': return mac;
    case 'raw': return hexStr;
    case 'verbose': return `${hexStr} /* ${mac} */`;
  }
}

/** A hardware address attribute, its length type given by the message's family (as strace does: decode_nla_hwaddr_family). */
export const nlaHwaddr: NlaValue = (env, s) => {
  if (s.len > MAX_ADDR_LEN) return undefined;
  const b = s.read(s.len);
  return b === null ? addrOf(s) : printHwaddr(env.ctx.options.xlat, b, env.family);
};

/**
 * An address of family `af` (strace's decode_inet_addr): `inet_addr("127.0.0.1")`,
 * `inet_pton(AF_INET6, "::1")`; another family or a short payload as hex bytes. `field`
 * names it inside a struct (`rtvia_addr=…`, `&rtvia_addr` for IPv6).
 */
export function printInetAddr(ctx: DecodeContext, s: Span, af: number, field?: string): string {
  const style = ctx.options.xlat;
  const size = af === 2 ? 4 : af === 10 ? 16 : 0;
  const prefix = field === undefined ? '' : `${field}=`;
  if (size === 0 || s.len < size) return prefix + hexData(ctx, s);
  const a = s.read(size);
  if (a === null) return prefix + addrOf(s);
  const raw = quoteBytes(a, size, { forceHex: true }).text;
  const sym = af === 2
    ? `inet_addr(${quoteText(`${a[0]}.${a[1]}.${a[2]}.${a[3]}`)})`
    : `inet_pton(AF_INET6, ${quoteText(formatIpv6(a))}${field !== undefined && style === 'abbrev' ? `, &${field}` : ''})`;
  const named = af === 2 || style !== 'abbrev' ? prefix : '';
  switch (style) {
    case 'abbrev': return named + sym;
    case 'raw': return prefix + raw;
    case 'verbose': return `${prefix}${raw} /* ${sym} */`;
  }
}

/** An address of the message's own family (decode_ifa_address, decode_route_addr). */
export const nlaFamilyAddr: NlaValue = (env, p) => printInetAddr(env.ctx, p, env.family);
/** decode_nla_in6_addr. */
export const nlaIn6Addr: NlaValue = (env, p) => (p.len < 16 ? undefined : printInetAddr(env.ctx, p, 10));

/** One field of a struct value: name, size in bytes, and how it prints (u: unsigned, d: signed, x: hex). */
export type FieldSpec = readonly [name: string, size: 1 | 2 | 4 | 8, fmt?: 'u' | 'x' | 'd'];

/** The fields laid out one after another (no padding: every struct printed here is naturally aligned). */
function printFields(p: Uint8Array, fields: readonly FieldSpec[]): string {
  let off = 0;
  return struct(fields.map(([name, size, fmt]) => {
    const v = readInt(p, off, size, fmt === 'd');
    off += size;
    return `${name}=${fmt === 'x' ? hex(v) : v.toString()}`;
  }));
}

function fieldsSize(fields: readonly FieldSpec[]): number {
  return fields.reduce((n, [, size]) => n + size, 0);
}

/** A struct value: refused when shorter than `minSize` (default: the whole struct). */
export function nlaStruct(fields: readonly FieldSpec[], minSize = fieldsSize(fields)): NlaValue {
  return nlaFixed(minSize, (_env, b) => printFields(b, fields));
}

/**
 * A struct that grew over kernel versions (rtnl_link_stats, rtnl_link_stats64): the whole one
 * when the payload holds it, else one of the older sizes when the payload is exactly that.
 */
export function nlaGrownStruct(fields: readonly FieldSpec[], olderCounts: readonly number[]): NlaValue {
  const full = fieldsSize(fields);
  return (_env, s) => {
    let shown = s.len >= full ? fields : undefined;
    for (const n of olderCounts) {
      if (shown === undefined && s.len === fieldsSize(fields.slice(0, n))) shown = fields.slice(0, n);
    }
    if (shown === undefined) return undefined;
    const b = s.read(fieldsSize(shown));
    return b === null ? addrOf(s) : printFields(b, shown);
  };
}

/**
 * An array of integers with named indexes (print_array_ex with PAF_PRINT_INDICES):
 * `[[DEVCONF_FORWARDING]=0, [37 /* IPSTATS_MIB_??? *\/]=0]`, at most -s elements unless -v.
 */
export function nlaIndexedArray(size: 4 | 8, signed: boolean, indexes: Xlat, dflt: string): NlaValue {
  return (env, s) => {
    const count = Math.floor(s.len / size);
    if (count === 0) return undefined;
    const { ctx } = env;
    const limit = elementLimit(ctx);
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      const b = s.read(size, i * size);
      if (b === null) {
        // The first element unreadable: the address; a later one: `... /* its address */`.
        if (i === 0) return addrOf(s);
        parts.push(`... /* ${addrOf(s.sub(i * size))} */`);
        break;
      }
      if (i >= limit) {
        parts.push('...');
        break;
      }
      parts.push(`[${printEnum(ctx.options.xlat, indexes, i, dflt, 'u')}]=${readInt(b, 0, size, signed)}`);
    }
    return `[${parts.join(', ')}]`;
  };
}

/** A nested attribute list of another table (decode_nlattr on the payload). */
export function nlaNested(table: NlaTable | (() => NlaTable)): NlaValue {
  return (env, p) => printNlattrs(env, p, typeof table === 'function' ? table() : table);
}

function printNlaType(style: XlatStyle, table: NlaTable, type: number): string {
  let s = '';
  if (type & NLA_F_NESTED) s += `${printNamed(style, NLA_F_NESTED, 'NLA_F_NESTED')}|`;
  if (type & NLA_F_NET_BYTEORDER) s += `${printNamed(style, NLA_F_NET_BYTEORDER, 'NLA_F_NET_BYTEORDER')}|`;
  return s + printEnum(style, table.names, type & NLA_TYPE_MASK, table.dflt);
}

/** One attribute at the start of s (its bytes left being s.len), whose header could be read: `{hdr}` or `[{hdr}, value]`. */
function printNlattr(env: NlaEnv, s: Span, h: Uint8Array, table: NlaTable): string {
  const nlaLen = Number(readInt(h, 0, 2, false));
  const type = Number(readInt(h, 2, 2, false));
  const hdr = `{nla_len=${nlaLen}, nla_type=${printNlaType(env.ctx.options.xlat, table, type)}}`;
  const len = Math.min(nlaLen, s.len);
  if (len <= NLA_HDRLEN) return hdr;
  const p = s.sub(NLA_HDRLEN, len - NLA_HDRLEN);
  const t = type & NLA_TYPE_MASK;
  const decode = typeof table.values === 'function' ? table.values : table.values.get(t);
  return `[${hdr}, ${decode?.(env, p, t) ?? hexData(env.ctx, p)}]`;
}

/**
 * A list of records each starting with a header of `hdrLen` bytes that holds its length (netlink
 * messages, attributes), walked as strace walks them (decode_netlink, decode_nlattr): one
 * prints alone, several as a list; bytes too few for a header print in hex; past -s records
 * (without -v) the list ends in `...`; a header that cannot be read ends it with
 * `... /* its address *\/` (alone: the address). Records are 4-byte aligned.
 */
export function printRecords(
  ctx: DecodeContext, s: Span, hdrLen: number, lenOf: (h: Uint8Array) => number,
  printOne: (rest: Span, h: Uint8Array) => string,
): string {
  const limit = elementLimit(ctx);
  const parts: string[] = [];
  let rest = s;
  let isList = false;
  for (;;) {
    if (rest.len < hdrLen) {
      parts.push(hexData(ctx, rest));
      break;
    }
    const h = rest.read(hdrLen);
    if (h === null) {
      parts.push(isList ? `... /* ${addrOf(rest)} */` : addrOf(rest));
      break;
    }
    if (parts.length === limit) {
      parts.push('...');
      break;
    }
    const len = lenOf(h);
    const step = (len + 3) & ~3;
    const hasNext = len >= hdrLen && rest.len > step;
    if (hasNext) isList = true;
    parts.push(printOne(rest, h));
    if (!hasNext) break;
    rest = rest.sub(step);
  }
  return isList ? `[${parts.join(', ')}]` : parts[0]!;
}

/** The attributes in s (strace's decode_nlattr). */
export function printNlattrs(env: NlaEnv, s: Span, table: NlaTable): string {
  return printRecords(env.ctx, s, NLA_HDRLEN, (h) => Number(readInt(h, 0, 2, false)), (rest, h) => printNlattr(env, rest, h, table));
}

/** An array of bytes as numbers (print_array of u8): `[171, 254]`, at most -s of them unless -v. */
export const nlaByteArray: NlaValue = (env, s) => {
  if (s.len === 0) return undefined;
  const limit = elementLimit(env.ctx);
  const parts: string[] = [];
  for (let i = 0; i < s.len; i++) {
    const b = s.read(1, i);
    if (b === null) {
      if (i === 0) return addrOf(s);
      parts.push(`... /* ${addrOf(s.sub(i))} */`);
      break;
    }
    if (i >= limit) {
      parts.push('...');
      break;
    }
    parts.push(String(b[0]));
  }
  return `[${parts.join(', ')}]`;
};

/**
 * An array of fixed-size elements (print_array): `[e0, e1, …]`, at most -s of them unless -v
 * (and at most `max`, whatever -v says); refused when empty.
 */
export function nlaArray(size: number, show: (env: NlaEnv, b: Uint8Array) => string, max = Infinity): NlaValue {
  return (env, s) => {
    const count = Math.floor(s.len / size);
    if (count === 0) return undefined;
    const limit = Math.min(elementLimit(env.ctx), max);
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      const b = s.read(size, i * size);
      if (b === null) {
        if (i === 0) return addrOf(s);
        parts.push(`... /* ${addrOf(s.sub(i * size))} */`);
        break;
      }
      if (i >= limit) {
        parts.push('...');
        break;
      }
      parts.push(show(env, b));
    }
    return `[${parts.join(', ')}]`;
  };
}
