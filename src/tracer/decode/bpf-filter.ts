// Classic BPF programs (struct sock_filter arrays) as strace 6.1 prints socket filters
// (bpf_filter.c, bpf_sock_filter.c): each instruction as `BPF_STMT(code, k)` or, when it has
// jump offsets, `BPF_JUMP(code, k, jt, jf)`, the code as its class and that class's fields
// (`BPF_LD|BPF_B|BPF_ABS`), a load's offset past SKF_AD_OFF / SKF_NET_OFF / SKF_LL_OFF named.
import { BPF_CLASSES, BPF_MISCOPS, BPF_MODES, BPF_OP_ALU, BPF_OP_JMP, BPF_RVALS, BPF_SIZES, BPF_SRCS, SKF_AD } from '../xlat/bpf.js';
import { hex, printEnum, printNamed, printPtr, readInt, struct, u64 } from './printers.js';
import type { DecodeContext, XlatStyle } from './types.js';

const BPF_LD = 0; const BPF_ST = 2; const BPF_STX = 3; const BPF_ALU = 4; const BPF_JMP = 5; const BPF_RET = 6; const BPF_MISC = 7;
const BPF_ABS = 0x20;
/** struct sock_filter: code (u16), jt, jf (u8), k (u32). */
export const SOCK_FILTER_SIZE = 8;

const extra = (v: number): string => `|${hex(v)} /* BPF_??? */`;

/** An instruction's code: its class, then the fields that class has. */
export function printBpfCode(style: XlatStyle, code: number): string {
  const cls = code & 7;
  let rest = code & ~7;
  const e = (table: Parameters<typeof printEnum>[1], v: number): string => printEnum(style, table, v, 'BPF_???');
  let s = e(BPF_CLASSES, cls);
  switch (cls) {
    case BPF_ST: case BPF_STX:
      if (rest !== 0) s += extra(rest);
      break;
    case BPF_LD: case 1:
      s += `|${e(BPF_SIZES, code & 0x18)}|${e(BPF_MODES, code & 0xe0)}`;
      break;
    case BPF_MISC:
      s += `|${e(BPF_MISCOPS, code & 0xf8)}`;
      rest &= ~0xf8;
      if (rest !== 0) s += extra(rest);
      break;
    case BPF_ALU:
      s += `|${e(BPF_SRCS, code & 0x08)}|${e(BPF_OP_ALU, code & 0xf0)}`;
      break;
    case BPF_JMP:
      s += `|${e(BPF_SRCS, code & 0x08)}|${e(BPF_OP_JMP, code & 0xf0)}`;
      break;
    case BPF_RET:
      s += `|${e(BPF_RVALS, code & 0x18)}`;
      rest &= ~0x18;
      if (rest !== 0) s += extra(rest);
      break;
  }
  return s;
}

const SKF_AD_OFF = 0xfffff000;
const SKF_NET_OFF = 0xfff00000;
const SKF_LL_OFF = 0xffe00000;

/** A socket filter's k: an absolute load's special offsets named (print_sock_filter_k). */
function printSockK(style: XlatStyle, code: number, k: number): string {
  if ((code & 7) === BPF_LD && (code & 0xe0) === BPF_ABS) {
    if (k >= SKF_AD_OFF) return `${printNamed(style, SKF_AD_OFF, 'SKF_AD_OFF')}+${printEnum(style, SKF_AD, k - SKF_AD_OFF, 'SKF_AD_???')}`;
    if (k >= SKF_NET_OFF) return `${printNamed(style, SKF_NET_OFF, 'SKF_NET_OFF')}+${k - SKF_NET_OFF}`;
    if (k >= SKF_LL_OFF) return `${printNamed(style, SKF_LL_OFF, 'SKF_LL_OFF')}+${k - SKF_LL_OFF}`;
  }
  return hex(k);
}

/** How a BPF_STMT's k is shown: a socket filter's by default, a seccomp filter's by its own. */
export type BpfKPrinter = (style: XlatStyle, code: number, k: number) => string;

/** One struct sock_filter of a socket filter. */
export function printSockFilter(style: XlatStyle, b: Uint8Array, printK: BpfKPrinter = printSockK): string {
  const code = Number(readInt(b, 0, 2, false));
  const jt = b[2]!;
  const jf = b[3]!;
  const k = Number(readInt(b, 4, 4, false));
  if (jt !== 0 || jf !== 0) return `BPF_JUMP(${printBpfCode(style, code)}, ${hex(k)}, ${hex(jt)}, ${hex(jf)})`;
  return `BPF_STMT(${printBpfCode(style, code)}, ${printK(style, code, k)})`;
}

const BPF_MAXINSNS = 4096;

/** A socket filter's `len` instructions at `addr` (print_sock_fprog's array): the address unless -v. */
export function printSockFilterArray(ctx: DecodeContext, addr: bigint, len: number, printK: BpfKPrinter = printSockK): string {
  if (!ctx.options.verbose) return printPtr(addr);
  if (u64(addr) === 0n) return 'NULL';
  if (len === 0) return '[]';
  const parts: string[] = [];
  for (let i = 0; i < len; i++) {
    const at = u64(addr) + BigInt(i * SOCK_FILTER_SIZE);
    const b = ctx.mem.read(at, SOCK_FILTER_SIZE);
    if (b === null) {
      if (i === 0) return hex(addr);
      parts.push(`... /* ${hex(at)} */`);
      break;
    }
    if (i >= BPF_MAXINSNS) {
      parts.push('...');
      break;
    }
    parts.push(printSockFilter(ctx.options.xlat, b, printK));
  }
  return `[${parts.join(', ')}]`;
}

/** struct sock_fprog at `addr` (decode_sock_fprog): `{len=N, filter=…}`, the address when unreadable. */
export function printSockFprog(ctx: DecodeContext, addr: bigint, printK: BpfKPrinter = printSockK): string {
  if (u64(addr) === 0n) return 'NULL';
  const b = ctx.mem.read(u64(addr), 16);
  if (b === null) return hex(addr);
  const len = Number(readInt(b, 0, 2, false));
  return struct([`len=${len}`, `filter=${printSockFilterArray(ctx, readInt(b, 8, 8, false), len, printK)}`]);
}
