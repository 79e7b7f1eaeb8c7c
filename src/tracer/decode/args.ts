// Argument kinds for the syscall table: a syscall that needs no special decoding is a row of
// these, and the table decoder prints the inputs at entry and the outputs at exit.
import type { DecodeContext, EntryText, ExitContext, ExitText, SyscallDecoder } from './types.js';
import type { Xlat } from '../xlat/xlat.js';
import {
  dec, formatReturn, hex, int, isError, octal, printBuffer, printCString, printDirFd, printEnum, printFd,
  printFlags, printFlagsOrZero, printPath, printPid, printPidOrGroup, printPtr, s64, u64, udec, uint, type ReturnKind, type ValueFormat,
} from './printers.js';

/** An argument known at syscall entry. */
export interface InArg {
  readonly when: 'in';
  print(ctx: DecodeContext, value: bigint): string;
}

/** An argument the kernel fills in: printed at syscall exit. */
export interface OutArg {
  readonly when: 'out';
  print(ctx: ExitContext, value: bigint): string;
}

export type Arg = InArg | OutArg;

/** One row of the table: the arguments in order and how a successful return is shown. */
export interface SyscallRow {
  readonly args: readonly Arg[];
  readonly ret?: ReturnKind;
}

/** A family file's table: a row, or a decoder of its own (the argument count is the spec's). */
export type SyscallEntry = SyscallRow | { readonly decoder: SyscallDecoder };

export type SyscallTable = Readonly<Record<string, SyscallEntry>>;

const inArg = (print: (ctx: DecodeContext, v: bigint) => string): InArg => ({ when: 'in', print });
const outArg = (print: (ctx: ExitContext, v: bigint) => string): OutArg => ({ when: 'out', print });

// ---- scalar kinds -----------------------------------------------------------------------------

/** A descriptor (`3`, with -y `3</path>`). */
export const fd = inArg((ctx, v) => printFd(ctx, int(v)));
/** The directory descriptor of an *at call (AT_FDCWD or an fd). */
export const dirfd = inArg((ctx, v) => printDirFd(ctx, v));
/** C `int`. */
export const i32 = inArg((_ctx, v) => String(int(v)));
/** C `unsigned int`. */
export const u32 = inArg((_ctx, v) => String(uint(v)));
/** C `long` / `off_t` / `ssize_t`. */
export const long = inArg((_ctx, v) => dec(v));
/** C `unsigned long` / `size_t`. */
export const ulong = inArg((_ctx, v) => udec(v));
/** A value strace prints in hex (`%#lx`). */
export const xlong = inArg((_ctx, v) => hex(v));
/** An `unsigned int` strace prints in hex. */
export const xint = inArg((_ctx, v) => hex(uint(v)));
/** A pointer whose target is not decoded: `NULL` or `0x…`. */
export const ptr = inArg((_ctx, v) => printPtr(v));
/** An output pointer whose target is not decoded (printed at exit, same text). */
export const outPtr = outArg((_ctx, v) => printPtr(v));
/** A path name. */
export const path = inArg((ctx, v) => printPath(ctx, v));
/** A C string cut at -s. */
export const cstring = inArg((ctx, v) => printCString(ctx, v));
/** A file mode (`0644`, strace's print_numeric_umode_t). */
export const mode = inArg((_ctx, v) => octal(v & 0xffffn));
/** A pid/tid (`int`). */
/** A process id (with -Y, followed by its command name). */
export const pid = inArg((ctx, v) => printPid(ctx, int(v)));
/** kill's target: a process, or negated a process group. */
export const pidOrGroup = inArg((ctx, v) => printPidOrGroup(ctx, int(v)));

// ---- constants --------------------------------------------------------------------------------

/** A bit set of `table` (printed as `A|B`, `0` when empty); `dflt` names the unknown rest. */
export function flags(table: Xlat, dflt?: string, width: 32 | 64 = 32): InArg {
  return inArg((ctx, v) => {
    const x = width === 32 ? BigInt(uint(v)) : u64(v);
    return dflt === undefined ? printFlagsOrZero(ctx.options.xlat, table, x) : printFlags(ctx.options.xlat, table, x, dflt);
  });
}

/** One value of `table` (`printxval`); unknown values print as `0x63 /* dflt *\/`. */
export function xval(table: Xlat, dflt?: string, fmt: ValueFormat = 'x', width: 32 | 64 = 32): InArg {
  return inArg((ctx, v) => {
    const x = width === 32 ? (fmt === 'd' ? BigInt(int(v)) : BigInt(uint(v))) : fmt === 'd' ? s64(v) : u64(v);
    return printEnum(ctx.options.xlat, table, x, dflt, fmt);
  });
}

// ---- buffers ----------------------------------------------------------------------------------

/** A buffer the caller filled, its length in argument `lenIndex` (write's data). */
export function bufIn(lenIndex: number): InArg {
  return inArg((ctx, v) => printBuffer(ctx, v, ctx.args[lenIndex] ?? 0n));
}

/**
 * A buffer the kernel filled, its length the return value (read's data); on failure the
 * address alone.
 */
// A failed call's buffer is shown as its address (NULL for 0), as strace does.
export const bufOut: OutArg = outArg((ctx, v) => (isError(ctx.ret) ? printPtr(v) : printBuffer(ctx, v, u64(ctx.ret))));

/** An input argument shown at exit (when it follows an output, e.g. read's count). */
export function atExit(arg: InArg): OutArg {
  return outArg((ctx, v) => arg.print(ctx, v));
}

export function custom(print: (ctx: DecodeContext, v: bigint) => string): InArg {
  return inArg(print);
}

export function customOut(print: (ctx: ExitContext, v: bigint) => string): OutArg {
  return outArg(print);
}

// ---- the table decoder -----------------------------------------------------------------------

/** Turns a row into a decoder: inputs up to the first output at entry, the rest at exit. */
export function rowDecoder(row: SyscallRow): SyscallDecoder {
  const firstOut = row.args.findIndex((a) => a.when === 'out');
  const split = firstOut < 0 ? row.args.length : firstOut;
  const ret = row.ret ?? 'dec';
  const args = row.args;
  const none: EntryText = { text: '' };
  return {
    exitPrints: split < args.length,
    enter(ctx: DecodeContext): EntryText {
      if (split === 0) return none;
      // Inputs joined by ", "; when outputs follow, the text ends in ", " for them.
      let text = '';
      for (let i = 0; i < split; i++) {
        const a = args[i]!;
        if (a.when !== 'in') continue;
        text += (i === 0 ? '' : ', ') + a.print(ctx, ctx.args[i] ?? 0n);
      }
      return { text: split === args.length ? text : text + ', ' };
    },
    exit(ctx: ExitContext): ExitText {
      let text = '';
      for (let i = split; i < args.length; i++) text += (i === split ? '' : ', ') + args[i]!.print(ctx, ctx.args[i] ?? 0n);
      return { text, ret: formatReturn(ctx, ret) };
    },
  };
}

/** A decoder that prints every argument at entry with `print` and nothing at exit. */
export function entryOnly(print: (ctx: DecodeContext) => string, ret: ReturnKind | ((ctx: ExitContext) => string) = 'dec'): SyscallDecoder {
  return {
    enter: (ctx) => ({ text: print(ctx) }),
    exit: (ctx) => ({ text: '', ret: typeof ret === 'function' ? ret(ctx) : formatReturn(ctx, ret) }),
  };
}

/** strace's printargs: every argument in hex (undecoded and unknown syscalls). */
export function rawDecoder(nargs: number): SyscallDecoder {
  return entryOnly((ctx) => ctx.args.slice(0, nargs).map((a) => hex(a)).join(', '));
}
