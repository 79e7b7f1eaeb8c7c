// Memory syscalls (strace's mem.c): mmap's flags print the mapping type first, then the
// other bits, then the huge page size as `21<<MAP_HUGE_SHIFT`.
import type { DecodeContext, ExitContext } from './types.js';
import {
  MADVISE_ADVICE, MAP_FLAGS_GENERIC, MAP_FLAGS_X86_64, MAP_HUGE_MASK, SHMAT_FLAGS, MAP_HUGE_SHIFT, MAP_TYPES, MAP_TYPE_MASK, MLOCKALL_FLAGS,
  MREMAP_FLAGS, MSYNC_FLAGS, PROT_FLAGS, RISCV_FLUSH_ICACHE_FLAGS,
} from '../xlat/mm.js';
import { custom, customOut, entryOnly, fd, flags, i32, ptr, ulong, xlong, xval, type SyscallTable } from './args.js';
import { isError } from './printers.js';
import { hex, printEnum, printFlags, printPtr, u64 } from './printers.js';


/** mmap's flags: `MAP_PRIVATE|MAP_ANONYMOUS`, raw `0x22`, verbose `0x22 /* MAP_PRIVATE|MAP_ANONYMOUS *\/`. */
export function printMmapFlags(ctx: DecodeContext, value: bigint): string {
  const style = ctx.options.xlat;
  const all = u64(value);
  if (style === 'raw') return hex(all);
  let f = all;
  let s = printEnum('abbrev', MAP_TYPES, f & BigInt(MAP_TYPE_MASK), 'MAP_???');
  f &= ~BigInt(MAP_TYPE_MASK);
  const hugeMask = BigInt(MAP_HUGE_MASK) << BigInt(MAP_HUGE_SHIFT);
  const huge = f & hugeMask;
  f &= ~hugeMask;
  if (f !== 0n) s += `|${printFlags('abbrev', ctx.arch.hasMap32Bit ? MAP_FLAGS_X86_64 : MAP_FLAGS_GENERIC, f)}`;
  if (huge !== 0n) s += `|${huge >> BigInt(MAP_HUGE_SHIFT)}<<MAP_HUGE_SHIFT`;
  return style === 'verbose' ? `${hex(all)} /* ${s} */` : s;
}

const prot = flags(PROT_FLAGS, 'PROT_???', 64);
const mmapFlags = custom(printMmapFlags);
const mremapFlags = flags(MREMAP_FLAGS, 'MREMAP_???', 64);

/** mremap: new_address only when MREMAP_MAYMOVE|MREMAP_FIXED are both set. */
const mremap = entryOnly((ctx) => {
  const a = ctx.args;
  const parts = [printPtr(a[0]!), u64(a[1]!).toString(), u64(a[2]!).toString(), mremapFlags.print(ctx, a[3]!)];
  if ((u64(a[3]!) & 3n) === 3n) parts.push(printPtr(a[4]!));
  return parts.join(', ');
}, 'hex');

export const MM_SYSCALLS: SyscallTable = {
  brk: { args: [ptr], ret: 'hex' },
  mmap: { args: [ptr, ulong, prot, mmapFlags, fd, xlong], ret: 'hex' },
  munmap: { args: [ptr, ulong] },
  mprotect: { args: [ptr, ulong, prot] },
  pkey_mprotect: { args: [ptr, ulong, prot, i32] },
  mremap: { decoder: mremap },
  madvise: { args: [ptr, ulong, xval(MADVISE_ADVICE, 'MADV_???')] },
  msync: { args: [ptr, ulong, flags(MSYNC_FLAGS, 'MS_???')] },
  mlock: { args: [ptr, ulong] },
  munlock: { args: [ptr, ulong] },
  mlockall: { args: [flags(MLOCKALL_FLAGS, 'MCL_???')] },
  munlockall: { args: [] },
  mincore: { args: [ptr, ulong, customOut(printMincoreVector)] },
  shmat: { args: [i32, ptr, flags(SHMAT_FLAGS, 'SHM_???')], ret: 'hex' },
  shmdt: { args: [ptr] },
  riscv_flush_icache: { args: [ptr, ptr, flags(RISCV_FLUSH_ICACHE_FLAGS, 'SYS_RISCV_FLUSH_ICACHE_???', 64)] },
};


/** mincore's output: one byte per page, printed as numbers, -s of them at most (strace's print_array). */
function printMincoreVector(ctx: ExitContext, addr: bigint): string {
  if (isError(ctx.ret)) return printPtr(addr);
  const pages = Number((u64(ctx.args[1]!) + 4095n) / 4096n);
  const shown = Math.min(pages, ctx.options.verbose ? pages : ctx.options.stringLimit);
  const bytes = ctx.mem.read(addr, shown);
  if (bytes === null) return hex(addr);
  const items = Array.from(bytes, (b) => String(b));
  return `[${items.join(', ')}${shown < pages ? ', ...' : ''}]`;
}
