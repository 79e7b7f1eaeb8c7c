// Small pieces the ioctl families share: strace's umove_or_printaddr and the usual shapes of
// what a family returns (no argument, an argument decoded at exit).
import type { DecodeContext, ExitContext } from '../types.js';
import { dec, hex, isError, printBuffer, printPtr, quoteBytes, readInt, u64, type QuoteOptions } from '../printers.js';
import type { IoctlEntry } from './family.js';

/** A request without argument: nothing after its name. */
export const NO_ARG: IoctlEntry = { text: '' };
/** A request whose argument is printed at exit (the exit text starts with ", "). */
export const AT_EXIT: IoctlEntry = { text: '', more: true };
/** A known request whose argument strace prints in hex. */
export const hexArg = (arg: bigint): IoctlEntry => ({ text: `, ${hex(arg)}` });

/**
 * strace's umove_or_printaddr: `size` bytes at addr, or what stands for them: NULL, or the
 * address when unreadable, when structures are not shown, or at exit (`exit` given) after a failed call.
 */
export function umove(ctx: DecodeContext, addr: bigint, size: number, exit?: ExitContext): Uint8Array | string {
  if (u64(addr) === 0n) return 'NULL';
  if (ctx.options.structs === false || (exit !== undefined && isError(exit.ret))) return hex(addr);
  const b = ctx.mem.read(u64(addr), size);
  return b === null ? hex(addr) : b;
}

/** strace's printnum_int / printnum_int64 / ...: `[value]` of an integer at addr. */
export function printNum(ctx: DecodeContext, addr: bigint, size: 1 | 2 | 4 | 8, fmt: (v: bigint, b: Uint8Array) => string, exit?: ExitContext): string {
  const b = umove(ctx, addr, size, exit);
  return typeof b === 'string' ? b : `[${fmt(readInt(b, 0, size, false), b)}]`;
}

/** printnum_int(tcp, arg, "%d"). */
export const printIntD = (ctx: DecodeContext, addr: bigint, exit?: ExitContext): string =>
  printNum(ctx, addr, 4, (v) => dec(BigInt.asIntN(32, v)), exit);
/** printnum_int(tcp, arg, "%u"). */
export const printIntU = (ctx: DecodeContext, addr: bigint, exit?: ExitContext): string =>
  printNum(ctx, addr, 4, (v) => v.toString(), exit);

/** Unsigned and signed little-endian fields of a struct read as bytes. */
export const uAt = (b: Uint8Array, off: number, size: number): bigint => readInt(b, off, size, false);
export const sAt = (b: Uint8Array, off: number, size: number): bigint => readInt(b, off, size, true);
export { printPtr };

/**
 * strace's print_local_array: `[a, b, ...]` of `count` elements already in memory, at most -s
 * of them unless -v.
 */
export function localArray(ctx: DecodeContext, count: number, item: (i: number) => string): string {
  const limit = ctx.options.verbose ? Infinity : ctx.options.stringLimit;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i >= limit) { parts.push('...'); break; }
    parts.push(item(i));
  }
  return `[${parts.join(', ')}]`;
}

/** Whether bytes [from, to) are all zero (strace's IS_ARRAY_ZERO). */
export function allZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

/** _IOC(dir, type, nr, size) as an unsigned request code. */
export const ioc = (dir: number, type: number, nr: number, size: number): number => ((dir << 30) | (size << 16) | (type << 8) | nr) >>> 0;
export const IO = (type: number, nr: number): number => ioc(0, type, nr, 0);
export const IOW = (type: number, nr: number, size: number): number => ioc(1, type, nr, size);
export const IOR = (type: number, nr: number, size: number): number => ioc(2, type, nr, size);
export const IOWR = (type: number, nr: number, size: number): number => ioc(3, type, nr, size);

/**
 * strace's PRINT_FIELD_CSTRING (print_quoted_cstring) of a fixed char array: the string up to
 * its NUL; at most size-1 characters, then `...` when the last byte is not a NUL.
 */
export function cstringField(b: Uint8Array): string {
  const n = b.length - 1;
  const nul = b.subarray(0, n).indexOf(0);
  if (nul >= 0) return quoteBytes(b, nul).text;
  return `${quoteBytes(b, n).text}${b[n] !== 0 ? '...' : ''}`;
}

/**
 * strace's printstr_ex for a buffer of `len` bytes: like printBuffer, but the address is printed
 * when the -s+1 bytes strace fetches (one more than it shows) are not all readable.
 */
export function printStr(ctx: DecodeContext, addr: bigint, len: bigint, opts: QuoteOptions = {}): string {
  if (u64(addr) === 0n) return 'NULL';
  const limit = BigInt(ctx.options.stringLimit + 1);
  const size = Number(u64(len) < limit ? u64(len) : limit);
  if (size > 0 && ctx.mem.read(u64(addr), size) === null) return hex(addr);
  return printBuffer(ctx, addr, len, opts);
}
