// Shared printers, after strace's printstr/printpath/printflags/printxval/printfd: every decoder
// builds its text from these so that quoting, truncation and the -X/-v/-y styles agree.
import type { StructLayout } from '../../arch/types.js';
import { formatErrno, isRestartErrno } from '../../abi/errno.js';
import type { DecodeContext, DecodeOptions, ExitContext, XlatStyle } from './types.js';
import type { HexStrings } from '../options.js';
import { describeSocket, deviceSuffix } from '../fd-info.js';
import { type Xlat, type XlatValue } from '../xlat/xlat.js';
import { AT_FDCWD } from '../xlat/fs.js';
import { pathStringToBytes } from '../../abi/path-bytes.js';

// ---------------------------------------------------------------------------------------------
// Integers as the ABI sees them.

export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
export const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
export const u32 = (v: bigint): bigint => BigInt.asUintN(32, v);
export const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);
/** An `int` argument (the low 32 bits, signed) as a JS number. */
export const int = (v: bigint): number => Number(BigInt.asIntN(32, v));
export const uint = (v: bigint): number => Number(BigInt.asUintN(32, v));

/** C's `%#x`: 0 prints as `0`, everything else as `0x…` (of the unsigned 64-bit value). */
export function hex(v: XlatValue): string {
  const b = u64(BigInt(v));
  return b === 0n ? '0' : `0x${b.toString(16)}`;
}

/** C's `%#03o` (modes, umask). */
export function octal(v: XlatValue): string {
  const b = u64(BigInt(v));
  return b === 0n ? '000' : `0${b.toString(8)}`.padStart(3, '0');
}

/** strace's printaddr: NULL or the address in hex. */
export function printPtr(v: bigint): string {
  return u64(v) === 0n ? 'NULL' : hex(v);
}

// Most values printed are small: going through a number (no BigInt allocated) when it is exact
// is twice as fast, and these print every return value.
/** C's `%lld` of the 64-bit value. */
export function dec(v: bigint): string {
  const n = Number(v);
  return Number.isSafeInteger(n) ? '' + n : s64(v).toString();
}

/** C's `%llu` of the 64-bit value. */
export function udec(v: bigint): string {
  const n = Number(v);
  return n >= 0 && Number.isSafeInteger(n) ? '' + n : u64(v).toString();
}

// ---------------------------------------------------------------------------------------------
// String quoting (strace's string_quote).

export interface QuoteOptions {
  /** Stop at the first NUL (a C string). */
  readonly nulTerminated?: boolean;
  /** Print every byte as \xNN (strace's QUOTE_FORCE_HEX, e.g. getrandom). */
  readonly forceHex?: boolean;
  /** Leave out the surrounding double quotes (fd paths in -y). */
  readonly omitQuotes?: boolean;
  /** Extra characters printed as escapes ("<>" in -y paths). */
  readonly escapeChars?: string;
}

/**
 * strace's -x (non-ascii: a string with a byte that is neither printable nor \t\n\v\f\r is
 * printed all in hex), -xx (all: every string in hex), --strings-in-hex=non-ascii-chars (such
 * bytes as \xNN instead of octal). One setting for the whole run, as in strace.
 */
let hexStrings: HexStrings = 'none';

export function setHexStrings(style: HexStrings): void {
  hexStrings = style;
}

/** Whether quoteBytes prints these `n` bytes all in hex under the -x setting (or forceHex). */
export function quotesInHex(bytes: Uint8Array, n: number, opts: QuoteOptions = {}): boolean {
  return opts.forceHex === true || hexStrings === 'all' || (hexStrings === 'non-ascii' && needsHex(bytes, Math.min(n, bytes.length), opts.nulTerminated === true));
}

function needsHex(bytes: Uint8Array, n: number, nulTerminated: boolean): boolean {
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (nulTerminated && c === 0) return false;
    if (c > 0x7e || (c < 0x20 && (c < 9 || c > 13))) return true;
  }
  return false;
}

function oct(c: number, three: boolean): string {
  const s = c.toString(8);
  return three ? s.padStart(3, '0') : s;
}

function hex2(c: number): string {
  return c.toString(16).padStart(2, '0');
}

/**
 * Quotes the first `size` bytes of `bytes` the way strace does. Returns the text and whether a
 * NUL ended a C string within `size` (so the caller knows whether `...` follows).
 */
export function quoteBytes(bytes: Uint8Array, size: number, opts: QuoteOptions = {}): { text: string; sawNul: boolean } {
  const n = Math.min(size, bytes.length);
  let s = opts.omitQuotes ? '' : '"';
  let sawNul = false;
  let i = 0;
  if (opts.forceHex || hexStrings === 'all' || (hexStrings === 'non-ascii' && needsHex(bytes, n, opts.nulTerminated === true))) {
    for (; i < n; i++) {
      const c = bytes[i]!;
      if (opts.nulTerminated && c === 0) { sawNul = true; break; }
      s += `\\x${hex2(c)}`;
    }
  } else {
    for (; i < n; i++) {
      const c = bytes[i]!;
      if (opts.nulTerminated && c === 0) { sawNul = true; break; }
      switch (c) {
        case 0x22: s += '\\"'; break;
        case 0x5c: s += '\\\\'; break;
        case 0x0c: s += '\\f'; break;
        case 0x0a: s += '\\n'; break;
        case 0x0d: s += '\\r'; break;
        case 0x09: s += '\\t'; break;
        case 0x0b: s += '\\v'; break;
        default: {
          const printable = c >= 0x20 && c < 0x7f && !(opts.escapeChars?.includes(String.fromCharCode(c)) ?? false);
          if (printable) s += String.fromCharCode(c);
          else {
            const next = i + 1 < n ? bytes[i + 1]! : -1;
            s += hexStrings === 'non-ascii-chars' ? `\\x${hex2(c)}` : `\\${oct(c, next >= 0x30 && next <= 0x37)}`;
          }
        }
      }
    }
  }
  if (!opts.omitQuotes) s += '"';
  return { text: s, sawNul };
}

/**
 * strace's printstr_ex for a buffer of `len` bytes (read(2)'s data, write(2)'s data): at most
 * -s bytes, `...` when the buffer is longer, the address when it cannot be read.
 */
export function printBuffer(ctx: DecodeContext, addr: bigint, len: bigint, opts: QuoteOptions = {}): string {
  if (u64(addr) === 0n) return 'NULL';
  const limit = ctx.options.stringLimit;
  const want = u64(len) > BigInt(limit) ? limit : Number(u64(len));
  // strace fetches one byte past the limit (when the buffer has it): that byte must be readable too.
  const fetch = u64(len) > BigInt(limit) ? limit + 1 : want;
  const bytes = fetch === 0 ? new Uint8Array(0) : ctx.mem.read(addr, fetch);
  if (bytes === null) return hex(addr);
  const { text } = quoteBytes(bytes, want, opts);
  return u64(len) > BigInt(limit) ? `${text}...` : text;
}

/**
 * strace's printstr for a C string (printstr_ex with QUOTE_0_TERMINATED): at most -s
 * characters, `...` when no NUL came within them. `max` bounds the bytes looked at (for
 * fixed-size fields such as a 16-byte task name).
 */
export function printCString(ctx: DecodeContext, addr: bigint, max?: number): string {
  if (u64(addr) === 0n) return 'NULL';
  const limit = ctx.options.stringLimit;
  let size = limit + 1;
  if (max !== undefined && size > max) size = max;
  const r = ctx.mem.readCString(addr, size);
  // Unreadable memory before a NUL and before `size` bytes: strace's umovestr fails, and the address prints.
  if (r === null || (!r.terminated && r.bytes.length < size)) return hex(addr);
  return quoteCString(r.bytes, r.terminated, size, limit);
}

/**
 * Quotes a C string held in a fixed-size buffer (struct fields such as utsname's): up to the NUL,
 * `...` when the buffer holds none (strace's print_quoted_cstring, not cut at -s).
 */
export function quoteFixedCString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return quoteBytes(bytes, nul).text;
  return `${quoteBytes(bytes, bytes.length).text}...`;
}

/**
 * printstr_ex with QUOTE_0_TERMINATED: `body` is what was read before the NUL (or all
 * `fetched` bytes when none came); at most `limit` bytes are shown.
 */
function quoteCString(body: Uint8Array, terminated: boolean, fetched: number, limit: number): string {
  const size = Math.min(fetched, limit);
  if (terminated && body.length < size) return quoteBytes(body, body.length).text;
  const { text } = quoteBytes(body, size);
  // strace looks one byte past the limit: a NUL there means the string was shown whole.
  const nextIsNul = terminated && body.length === size && size < fetched;
  return nextIsNul ? text : `${text}...`;
}

/** strace's printpath: the whole path (not cut at -s), NULL, or the address if unreadable. */
export function printPath(ctx: DecodeContext, addr: bigint): string {
  return printPathN(ctx, addr, 4095);
}

/** strace's printpathn: a path of at most `n` bytes, `...` when longer. */
export function printPathN(ctx: DecodeContext, addr: bigint, n: number): string {
  if (u64(addr) === 0n) return 'NULL';
  const r = ctx.mem.readCString(addr, n + 1);
  if (r === null || (!r.terminated && r.bytes.length < n + 1)) return hex(addr);
  const take = Math.min(r.bytes.length, n);
  const { text } = quoteBytes(r.bytes, take);
  return r.terminated && r.bytes.length <= n ? text : `${text}...`;
}

/** A path given as a JS string (for the tracer's synthesized lines). */
export function quotePath(path: string): string {
  const bytes = new TextEncoder().encode(path);
  return quoteBytes(bytes, bytes.length).text;
}

// ---------------------------------------------------------------------------------------------
// Constants (strace's printflags / printxval and -X).

export type ValueFormat = 'x' | 'd' | 'u';

function fmtVal(v: bigint, fmt: ValueFormat): string {
  switch (fmt) {
    case 'x': return hex(v);
    case 'd': return s64(v).toString();
    case 'u': return u64(v).toString();
  }
}

/**
 * A bit set printed as `A|B|0x40` (strace's printflags_ex). `dflt` is the `???` comment used
 * when no name matches (`0x80 /* PROT_??? *\/`); without it an unnamed set prints as hex.
 */
export function printFlags(style: XlatStyle, table: Xlat, value: XlatValue, dflt?: string, fmt: ValueFormat = 'x'): string {
  let flags = BigInt(value);
  if (style === 'raw') return flags !== 0n || dflt !== undefined ? fmtVal(flags, fmt) : '';
  const names: string[] = [];
  const verbose = style === 'verbose';
  const initial = flags;
  for (const [v, name] of table.rows) {
    if (flags === v || (v !== 0n && (flags & v) === v)) {
      names.push(name);
      flags &= ~v;
    }
    if (flags === 0n && names.length > 0) break;
    if (flags === 0n && initial !== 0n) break;
  }
  if (names.length > 0) {
    let body = names.join('|');
    if (flags !== 0n) body += `|${fmtVal(flags, fmt)}`;
    return verbose ? `${fmtVal(initial, fmt)} /* ${body} */` : body;
  }
  if (flags !== 0n) return dflt !== undefined ? `${fmtVal(flags, fmt)} /* ${dflt} */` : fmtVal(flags, fmt);
  return dflt !== undefined ? '0' : '';
}

/**
 * A flag set whose unnamed bits print as hex with no comment, and whose value 0 prints as `0`
 * (printflags with a NULL default, the common case for syscall flag arguments).
 */
export function printFlagsOrZero(style: XlatStyle, table: Xlat, value: XlatValue): string {
  const s = printFlags(style, table, value);
  return s === '' ? '0' : s;
}

/** One of a set of values (strace's printxval): its name, or `0x63 /* RLIMIT_??? *\/`. */
export function printEnum(style: XlatStyle, table: Xlat, value: XlatValue, dflt?: string, fmt: ValueFormat = 'x'): string {
  const v = BigInt(value);
  if (style === 'raw') return fmtVal(v, fmt);
  const name = table.byValue.get(v);
  if (name !== undefined) return style === 'verbose' ? `${fmtVal(v, fmt)} /* ${name} */` : name;
  return dflt !== undefined ? `${fmtVal(v, fmt)} /* ${dflt} */` : fmtVal(v, fmt);
}

/** A clock_t: the ticks with strace's comment in seconds (print_clock_t; _SC_CLK_TCK is 100 on Linux). */
export function printClockT(v: bigint, style: XlatStyle): string {
  if (style === 'raw' || v <= 0n) return v.toString();
  return `${v} /* ${v / 100n}.${String(v % 100n).padStart(2, '0')} s */`;
}

/** A value with a known name printed in the -X style (strace's print_xlat_ex). */
export function printNamed(style: XlatStyle, value: XlatValue, name: string, fmt: ValueFormat = 'x'): string {
  const v = BigInt(value);
  switch (style) {
    case 'abbrev': return name;
    case 'raw': return fmtVal(v, fmt);
    case 'verbose': return `${fmtVal(v, fmt)} /* ${name} */`;
  }
}

/** A mode with its file type: `S_IFREG|0644` (strace's print_symbolic_mode_t). */
export function printSymbolicMode(style: XlatStyle, mode: number, fileTypes: Xlat): string {
  const S_IFMT = 0o170000;
  const ifmtBits = mode & S_IFMT;
  const ifmt = ifmtBits !== 0 ? fileTypes.byValue.get(BigInt(ifmtBits)) : '';
  const raw = octal(mode);
  if (ifmt === undefined || style === 'raw') return raw;
  const rest = mode & ~(S_IFMT | 0o7000);
  const sym = `${ifmt}${ifmt !== '' ? '|' : ''}${mode & 0o4000 ? 'S_ISUID|' : ''}${mode & 0o2000 ? 'S_ISGID|' : ''}${mode & 0o1000 ? 'S_ISVTX|' : ''}${octal(rest)}`;
  return style === 'abbrev' ? sym : `${raw} /* ${sym} */`;
}

// ---------------------------------------------------------------------------------------------
// Descriptors.

/** A descriptor: `3`, or with -y `3</etc/passwd>`. */
export function printFd(ctx: DecodeContext, fd: number): string {
  if (ctx.options.decodeFds && fd >= 0) {
    const path = ctx.fdPath(fd);
    if (path !== undefined) {
      const details = ctx.options.fdDetails;
      // -yy: a socket by protocol and address, a device with its numbers.
      const socket = details?.has('socket') === true ? describeSocket(path) : undefined;
      if (socket !== undefined) return `${fd}<${socket}>`;
      const dev = details?.has('dev') === true ? deviceSuffix(path) : undefined;
      // /proc names an unlinked file "… (deleted)"; strace moves that after the brackets (a file
      // whose name ends so keeps it inside).
      const deleted = path.endsWith(' (deleted)') && (ctx.fdDeleted?.(fd) ?? true);
      if (details?.has('path') === false && dev === undefined) return String(fd);
      return `${fd}<${quoteAssociated(deleted ? path.slice(0, -10) : path)}${dev ?? ''}>${deleted ? '(deleted)' : ''}`;
    }
  }
  return String(fd);
}

/**
 * A process or thread id as the tracee names it: `1234`, with -Y `1234<prog>` when such a
 * process exists, with --decode-pids=pidns `2 /* 1234 in strace's PID NS *\/` when the tracee's
 * pid namespace names it otherwise than strace's (strace's printpid).
 */
export function printPid(ctx: DecodeContext, pid: number, withComm = true): string {
  return String(pid) + pidSuffix(ctx, pid, withComm);
}

/** kill's and wait's first argument: a pid, or with a minus sign a process group (printpid_tgid_pgid). */
export function printPidOrGroup(ctx: DecodeContext, pid: number): string {
  return String(pid) + (pid > 0 ? pidSuffix(ctx, pid) : pid < -1 ? pidSuffix(ctx, -pid, false) : '');
}

/** What follows a positive id: its command (-Y; processes and threads only), its id in strace's namespace. */
function pidSuffix(ctx: DecodeContext, pid: number, named = true): string {
  if (pid <= 0 || (ctx.options.pidComm !== true && ctx.options.pidNs !== true)) return '';
  const own = ctx.stracePid?.(pid) ?? pid;
  if (own === 0) return '';
  let out = '';
  if (named && ctx.options.pidComm === true) {
    const comm = ctx.commOf?.(own);
    if (comm !== undefined) out += `<${quoteAssociated(comm)}>`;
  }
  if (ctx.options.pidNs === true && own !== pid) out += ` /* ${own} in strace's PID NS */`;
  return out;
}

/** A directory descriptor of an *at call: AT_FDCWD (with -y the tracer may name the cwd) or an fd. */
export function printDirFd(ctx: DecodeContext, v: bigint): string {
  const fd = int(v);
  if (fd === AT_FDCWD) {
    const name = printNamed(ctx.options.xlat, fd, 'AT_FDCWD', 'd');
    // Only --decode-fds=path names the cwd, and not when it is PATH_MAX (4096) bytes or longer.
    const wanted = ctx.options.decodeFds === true && ctx.options.fdDetails?.has('path') !== false;
    const cwd = wanted ? ctx.fdPath(AT_FDCWD) : undefined;
    return cwd !== undefined && pathStringToBytes(cwd).length < 4096 ? `${name}<${quoteAssociated(cwd)}>` : name;
  }
  return printFd(ctx, fd);
}

/** A name shown between <> after an fd or a pid: non-printable bytes and <> escaped. */
export function quoteAssociated(path: string): string {
  const bytes = pathStringToBytes(path);
  return quoteBytes(bytes, bytes.length, { omitQuotes: true, escapeChars: '<>' }).text;
}

// ---------------------------------------------------------------------------------------------
// Structures in tracee memory.

/** A struct read from the tracee, with its fields decoded by a layout. */
export class StructView<F extends string = string> {
  constructor(readonly bytes: Uint8Array, readonly layout: StructLayout<F>) {}

  /** An integer field (sign-extended when the layout says signed). */
  get(field: F): bigint {
    const f = this.layout.fields[field];
    return readInt(this.bytes, f.offset, f.size, f.signed ?? false);
  }

  num(field: F): number {
    return Number(this.get(field));
  }

  /** The raw bytes of an array or opaque field. */
  raw(field: F): Uint8Array {
    const f = this.layout.fields[field];
    return this.bytes.subarray(f.offset, f.offset + f.size);
  }
}

/** Little-endian integer of 1, 2, 4 or 8 bytes at `offset`. */
export function readInt(bytes: Uint8Array, offset: number, size: number, signed: boolean): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i] ?? 0);
  return signed ? BigInt.asIntN(size * 8, v) : v;
}

export function readStruct<F extends string>(ctx: DecodeContext, addr: bigint, layout: StructLayout<F>): StructView<F> | null {
  // -e verbose= without this call: structures are shown by address only.
  if (u64(addr) === 0n || ctx.options.structs === false) return null;
  const bytes = ctx.mem.read(addr, layout.size);
  return bytes === null ? null : new StructView(bytes, layout);
}

/** `{a=1, b=2}` from already formatted fields. */
export function struct(fields: readonly (string | undefined)[]): string {
  return `{${fields.filter((f): f is string => f !== undefined).join(', ')}}`;
}

/**
 * strace's umove_or_printaddr for an output argument at syscall exit: NULL, the address when
 * the call failed or the memory is unreadable, else whatever `show` prints of the struct.
 */
export function printOutStruct<F extends string>(ctx: ExitContext, addr: bigint, layout: StructLayout<F>, show: (v: StructView<F>) => string): string {
  if (u64(addr) === 0n) return 'NULL';
  if (isError(ctx.ret)) return hex(addr);
  const v = readStruct(ctx, addr, layout);
  return v === null ? hex(addr) : show(v);
}

/** The same for an input argument (no syscall result to check). */
export function printInStruct<F extends string>(ctx: DecodeContext, addr: bigint, layout: StructLayout<F>, show: (v: StructView<F>) => string): string {
  if (u64(addr) === 0n) return 'NULL';
  const v = readStruct(ctx, addr, layout);
  return v === null ? hex(addr) : show(v);
}

/**
 * An array of `count` elements of `size` bytes (strace's print_array): `[a, b, ...]` with at most
 * -s elements unless -v, the address if the first element is unreadable.
 */
export function printArray(ctx: DecodeContext, addr: bigint, count: number, size: number, show: (bytes: Uint8Array, index: number) => string): string {
  if (u64(addr) === 0n) return 'NULL';
  if (ctx.options.structs === false) return hex(addr);
  if (count === 0) return '[]';
  const limit = ctx.options.verbose ? Infinity : ctx.options.stringLimit;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = u64(addr + BigInt(i * size));
    const bytes = ctx.mem.read(at, size);
    if (bytes === null) {
      if (i === 0) return hex(addr);
      parts.push(`... /* ${hex(at)} */`);
      return `[${parts.join(', ')}]`;
    }
    if (i >= limit) { parts.push('...'); break; }
    parts.push(show(bytes, i));
  }
  return `[${parts.join(', ')}]`;
}

/** A pointer to one integer written by the kernel: `[42]` (strace's printnum_int). */
export function printOutInt(ctx: ExitContext, addr: bigint, size: 4 | 8, fmt: (v: bigint) => string = dec): string {
  if (u64(addr) === 0n) return 'NULL';
  if (ctx.options.structs === false) return hex(addr);
  if (isError(ctx.ret)) return hex(addr);
  const b = ctx.mem.read(addr, size);
  return b === null ? hex(addr) : `[${fmt(readInt(b, 0, size, true))}]`;
}

/** The same for an input pointer to an integer. */
export function printInInt(ctx: DecodeContext, addr: bigint, size: 4 | 8, fmt: (v: bigint) => string = dec): string {
  if (u64(addr) === 0n) return 'NULL';
  if (ctx.options.structs === false) return hex(addr);
  const b = ctx.mem.read(addr, size);
  return b === null ? hex(addr) : `[${fmt(readInt(b, 0, size, true))}]`;
}

// ---------------------------------------------------------------------------------------------
// argv / envp (strace's printargv and printargc).

/** argv as `["./prog", "a"]`: at most -s elements unless -v, each a C string cut at -s. */
export function printStringArray(ctx: DecodeContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const parts: string[] = [];
  for (let n = 0; ; n++) {
    const at = u64(addr + BigInt(n * 8));
    const w = ctx.mem.read(at, 8);
    if (w === null) {
      if (n === 0) return hex(addr);
      parts.push(`... /* ${hex(at)} */`);
      break;
    }
    const word = readInt(w, 0, 8, false);
    if (word === 0n) break;
    if (!ctx.options.verbose && n >= ctx.options.stringLimit) { parts.push('...'); break; }
    parts.push(printCString(ctx, word));
  }
  return `[${parts.join(', ')}]`;
}

/** envp without -v: `0x7ffd… /* 20 vars *\/`. */
export function printStringArrayCount(ctx: DecodeContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  let n = 0;
  let unterminated = false;
  for (; ; n++) {
    const w = ctx.mem.read(u64(addr + BigInt(n * 8)), 8);
    if (w === null) {
      if (n === 0) return hex(addr);
      // The array runs into unreadable memory before its NULL.
      unterminated = true;
      break;
    }
    if (readInt(w, 0, 8, false) === 0n) break;
  }
  return `${hex(addr)} ${varsComment(n, unterminated)}`;
}

export function varsComment(n: number, unterminated = false): string {
  return `/* ${n} var${n === 1 ? '' : 's'}${unterminated ? ', unterminated' : ''} */`;
}

// ---------------------------------------------------------------------------------------------
// Return values.

/** True when a raw return register holds -4095..-1 (an errno). */
export function isError(ret: bigint): boolean {
  // -4095..-1, given signed or as the unsigned register value; compared without a new BigInt.
  return ret < 0n ? ret >= -4095n : ret >= 0xfffffffffffff001n && ret <= 0xffffffffffffffffn;
}

/** The errno of a failed call (positive), or 0. */
export function errnoOf(ret: bigint): number {
  return isError(ret) ? Number(-s64(ret)) : 0;
}

/** `-1 ENOENT (No such file or directory)` or `? ERESTARTSYS (...)`. */
export function formatError(errno: number): string {
  return `${isRestartErrno(errno) ? '?' : '-1'} ${formatErrno(errno)}`;
}

/** How a successful return value is shown. */
export type ReturnKind = 'dec' | 'udec' | 'hex' | 'oct' | 'fd' | 'pid' | 'none';

export function formatReturn(ctx: ExitContext, kind: ReturnKind): string {
  if (kind === 'none') return '?';
  if (isError(ctx.ret)) return formatError(errnoOf(ctx.ret));
  switch (kind) {
    case 'dec': return dec(ctx.ret);
    case 'udec': return udec(ctx.ret);
    case 'hex': return hex(ctx.ret);
    case 'oct': return octal(ctx.ret);
    case 'fd': {
      const r = u64(ctx.ret);
      return r <= 0x7fffffffn ? printFd(ctx, Number(r)) : dec(ctx.ret);
    }
    case 'pid': return printPid(ctx, Number(BigInt.asIntN(32, ctx.ret)));
  }
}

export type { DecodeOptions };
