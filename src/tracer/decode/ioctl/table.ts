// A family as a table of requests, each with the direction of its argument, and the reading
// helpers most families share (strace's umove_or_printaddr and friends).
import type { DecodeContext, ExitContext } from '../types.js';
import { hex, isError, quoteFixedCString, readInt, u64 } from '../printers.js';
import type { IoctlFamily } from './family.js';

/**
 * How a request's argument is shown:
 * - 'in': at entry only (the caller wrote it);
 * - 'out': at exit only (the address alone when the call failed);
 * - 'inout': at entry, then " => " and what the kernel wrote, unless the call failed;
 * - 'none': no argument is printed at all;
 * - 'value': the argument itself (not a pointer), at entry.
 */
export type ArgDirection = 'in' | 'out' | 'inout' | 'none' | 'value';

export interface IoctlRequest {
  readonly dir: ArgDirection;
  /** The argument's text; `exit` is the ExitContext when called for the exit half. */
  readonly print?: (ctx: DecodeContext, arg: bigint, exit?: ExitContext) => string;
}

/** A family from a table of its requests; requests not in the table print in hex. */
export function requestTable(types: readonly number[], requests: ReadonlyMap<number, IoctlRequest>): IoctlFamily {
  return {
    types,
    enter(ctx, code, arg) {
      const r = requests.get(code);
      if (r === undefined) return undefined;
      switch (r.dir) {
        case 'none': return { text: '' };
        case 'out': return { text: ', ', more: true };
        case 'in': case 'value': return { text: `, ${r.print?.(ctx, arg) ?? hex(arg)}` };
        case 'inout': {
          // strace stops at entry when the argument could not be read (NULL or the address).
          const text = r.print?.(ctx, arg) ?? hex(arg);
          return { text: `, ${text}`, more: text !== 'NULL' && text !== hex(arg) };
        }
      }
    },
    exit(ctx, code, arg) {
      const r = requests.get(code);
      if (r === undefined || r.print === undefined) return '';
      if (r.dir === 'out') return r.print(ctx, arg, ctx);
      if (r.dir !== 'inout' || isError(ctx.ret) || u64(arg) === 0n) return '';
      const after = r.print(ctx, arg, ctx);
      return after === '' ? '' : ` => ${after}`;
    },
  };
}

/**
 * strace's umove_or_printaddr: the argument's bytes, or the text printed instead: NULL, or the
 * address when it is unreadable, when structures are not shown, or at the exit of a failed call.
 */
export function fetchArg(ctx: DecodeContext, addr: bigint, size: number, exit?: ExitContext): Uint8Array | string {
  if (u64(addr) === 0n) return 'NULL';
  if (ctx.options.structs === false) return hex(addr);
  if (exit !== undefined && isError(exit.ret)) return hex(addr);
  return ctx.mem.read(addr, size) ?? hex(addr);
}

/** An unsigned little-endian field. */
export const uField = (b: Uint8Array, off: number, size: number): bigint => readInt(b, off, size, false);
/** A signed little-endian field. */
export const sField = (b: Uint8Array, off: number, size: number): bigint => readInt(b, off, size, true);

/** `[text]`: one value behind a pointer (strace's printnum_* and tprint_indirect). */
export function printIndirect(ctx: DecodeContext, addr: bigint, size: number, show: (b: Uint8Array) => string, exit?: ExitContext): string {
  const b = fetchArg(ctx, addr, size, exit);
  return typeof b === 'string' ? b : `[${show(b)}]`;
}

/** A struct behind a pointer: `show(bytes)` or what strace prints instead. */
export function printPointed(ctx: DecodeContext, addr: bigint, size: number, show: (b: Uint8Array) => string, exit?: ExitContext): string {
  const b = fetchArg(ctx, addr, size, exit);
  return typeof b === 'string' ? b : show(b);
}

/** A char array field as PRINT_FIELD_CSTRING prints it: at most size-1 characters, `...` when no NUL ends them. */
export function fixedCString(b: Uint8Array): string {
  const head = b.subarray(0, b.length - 1);
  return head.includes(0) || b[b.length - 1] === 0 ? quoteFixedCString(b) : quoteFixedCString(head);
}
