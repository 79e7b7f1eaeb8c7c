// capget/capset and the capability prctls as strace 6.1 prints them (its capability.c and
// prctl.c): the header as {version=..., pid=N}, the data as {effective=..., permitted=...,
// inheritable=...} with each set's bits named 1<<CAP_X (the high word's bits follow the low's).
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import { CAP_DATA_SIZE, PR_CAPBSET_DROP, PR_CAPBSET_READ, PR_CAP_AMBIENT, PR_CAP_AMBIENT_OP, capDataCount } from '../../abi/capabilities.js';
import { CAPABILITIES, CAP_MASK0, CAP_MASK1, CAP_VERSIONS, PR_CAP_AMBIENT_OPS } from '../xlat/capability.js';
import { formatReturn, hex, isError, printEnum, printFlags, printPtr, u64 } from './printers.js';
import type { SyscallTable } from './args.js';

interface CapHeader {
  readonly version: number;
  readonly pid: number;
}

function readHeader(ctx: DecodeContext, addr: bigint): CapHeader | null {
  if (u64(addr) === 0n) return null;
  const b = ctx.mem.read(addr, 8);
  if (b === null) return null;
  const dv = new DataView(b.buffer, b.byteOffset);
  return { version: dv.getUint32(0, true), pid: dv.getInt32(4, true) };
}

function printHeader(ctx: DecodeContext, addr: bigint, h: CapHeader | null): string {
  if (h === null) return printPtr(addr);
  return `{version=${printEnum(ctx.options.xlat, CAP_VERSIONS, h.version, '_LINUX_CAPABILITY_VERSION_???')}, pid=${h.pid}}`;
}

function printBits(ctx: DecodeContext, lo: number, hi: number): string {
  let text = '';
  if (lo !== 0 || hi === 0) text = printFlags(ctx.options.xlat, CAP_MASK0, lo, 'CAP_???');
  if (hi !== 0) text += (lo !== 0 ? '|' : '') + printFlags(ctx.options.xlat, CAP_MASK1, hi, 'CAP_???');
  return text;
}

/** The data structs, as many as the header's version says; the address when that is unknown. */
function printData(ctx: DecodeContext, addr: bigint, h: CapHeader | null): string {
  if (u64(addr) === 0n || h === null) return printPtr(addr);
  const count = capDataCount(h.version);
  if (count === undefined) return printPtr(addr);
  const b = ctx.mem.read(addr, CAP_DATA_SIZE * count);
  if (b === null) return printPtr(addr);
  const dv = new DataView(b.buffer, b.byteOffset);
  const set = (field: number): string =>
    printBits(ctx, dv.getUint32(field, true), count > 1 ? dv.getUint32(CAP_DATA_SIZE + field, true) : 0);
  return `{effective=${set(0)}, permitted=${set(4)}, inheritable=${set(8)}}`;
}

const capget: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printHeader(ctx, ctx.args[0]!, readHeader(ctx, ctx.args[0]!))}, ` }),
  exit(ctx: ExitContext) {
    const h = isError(ctx.ret) ? null : readHeader(ctx, ctx.args[0]!);
    return { text: printData(ctx, ctx.args[1]!, h), ret: formatReturn(ctx, 'dec') };
  },
};

const capset: SyscallDecoder = {
  enter(ctx) {
    const h = readHeader(ctx, ctx.args[0]!);
    return { text: `${printHeader(ctx, ctx.args[0]!, h)}, ${printData(ctx, ctx.args[1]!, h)}` };
  },
  exit: (ctx) => ({ text: '', ret: formatReturn(ctx, 'dec') }),
};

/**
 * The arguments after the option of a capability prctl (`, CAP_X` or `, PR_CAP_AMBIENT_X, CAP_Y,
 * 0, 0`); undefined for other options.
 */
export function capabilityPrctlArgs(ctx: DecodeContext, option: number): string | undefined {
  const style = ctx.options.xlat;
  const a = ctx.args;
  switch (option) {
    case PR_CAPBSET_READ: case PR_CAPBSET_DROP:
      return `, ${printEnum(style, CAPABILITIES, u64(a[1]!), 'CAP_???')}`;
    case PR_CAP_AMBIENT: {
      const op = u64(a[1]!);
      let text = `, ${printEnum(style, PR_CAP_AMBIENT_OPS, op, 'PR_CAP_AMBIENT_???')}`;
      const withCap = op === BigInt(PR_CAP_AMBIENT_OP.IS_SET) || op === BigInt(PR_CAP_AMBIENT_OP.RAISE) || op === BigInt(PR_CAP_AMBIENT_OP.LOWER);
      if (withCap) text += `, ${printEnum(style, CAPABILITIES, u64(a[2]!), 'CAP_???')}`;
      for (let i = withCap ? 3 : 2; i < 5; i++) text += `, ${hex(a[i]!)}`;
      return text;
    }
    default:
      return undefined;
  }
}

export const CAPABILITY_SYSCALLS: SyscallTable = {
  capget: { decoder: capget },
  capset: { decoder: capset },
};
