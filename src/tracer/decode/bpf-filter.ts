// Classic BPF programs (strace's bpf_filter.c, bpf_sock_filter.c): struct sock_fprog as
// `{len=N, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0xc), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x800, 0, 0x1), …]}`,
// the instructions only with -v (else the filter's address). Socket filters name the special
// load offsets (SKF_AD_OFF+SKF_AD_PROTOCOL).
import type { DecodeContext, XlatStyle } from './types.js';
import { xlat } from '../xlat/xlat.js';
import { hex, printEnum, printNamed, printPtr, readInt, struct, u64 } from './printers.js';

const BPF_CLASSES = xlat([
  ['BPF_LD', 0x0], ['BPF_LDX', 0x1], ['BPF_ST', 0x2], ['BPF_STX', 0x3], ['BPF_ALU', 0x4], ['BPF_JMP', 0x5], ['BPF_RET', 0x6], ['BPF_MISC', 0x7],
]);
const BPF_MISCOPS = xlat([['BPF_TAX', 0x00], ['BPF_TXA', 0x80]]);
const BPF_MODES = xlat([
  ['BPF_IMM', 0x00], ['BPF_ABS', 0x20], ['BPF_IND', 0x40], ['BPF_MEM', 0x60], ['BPF_LEN', 0x80], ['BPF_MSH', 0xa0], ['BPF_XADD', 0xc0],
]);
const BPF_OPS_ALU = xlat([
  ['BPF_ADD', 0x00], ['BPF_SUB', 0x10], ['BPF_MUL', 0x20], ['BPF_DIV', 0x30], ['BPF_OR', 0x40], ['BPF_AND', 0x50], ['BPF_LSH', 0x60],
  ['BPF_RSH', 0x70], ['BPF_NEG', 0x80], ['BPF_MOD', 0x90], ['BPF_XOR', 0xa0], ['BPF_MOV', 0xb0], ['BPF_ARSH', 0xc0], ['BPF_END', 0xd0],
]);
const BPF_OPS_JMP = xlat([
  ['BPF_JA', 0x00], ['BPF_JEQ', 0x10], ['BPF_JGT', 0x20], ['BPF_JGE', 0x30], ['BPF_JSET', 0x40], ['BPF_JNE', 0x50], ['BPF_JSGT', 0x60],
  ['BPF_JSGE', 0x70], ['BPF_CALL', 0x80], ['BPF_EXIT', 0x90], ['BPF_JLT', 0xa0], ['BPF_JLE', 0xb0], ['BPF_JSLT', 0xc0], ['BPF_JSLE', 0xd0],
]);
const BPF_RVALS = xlat([['BPF_K', 0x00], ['BPF_X', 0x08], ['BPF_A', 0x10]]);
const BPF_SIZES = xlat([['BPF_W', 0x00], ['BPF_H', 0x08], ['BPF_B', 0x10], ['BPF_DW', 0x18]]);
const BPF_SRCS = xlat([['BPF_K', 0x00], ['BPF_X', 0x08]]);
const SKF_AD = xlat([
  ['SKF_AD_PROTOCOL', 0], ['SKF_AD_PKTTYPE', 4], ['SKF_AD_IFINDEX', 8], ['SKF_AD_NLATTR', 12], ['SKF_AD_NLATTR_NEST', 16],
  ['SKF_AD_MARK', 20], ['SKF_AD_QUEUE', 24], ['SKF_AD_HATYPE', 28], ['SKF_AD_RXHASH', 32], ['SKF_AD_CPU', 36],
  ['SKF_AD_ALU_XOR_X', 40], ['SKF_AD_VLAN_TAG', 44], ['SKF_AD_VLAN_TAG_PRESENT', 48], ['SKF_AD_PAY_OFFSET', 52],
  ['SKF_AD_RANDOM', 56], ['SKF_AD_VLAN_TPID', 60],
]);
const SKF_AD_OFF = 0xfffff000;
const SKF_NET_OFF = 0xfff00000;
const SKF_LL_OFF = 0xffe00000;

/** An instruction's code (print_bpf_filter_code for classic BPF): class, then what that class uses. */
function printCode(style: XlatStyle, code: number): string {
  const cls = code & 0x07;
  let rest = code & ~cls;
  const parts = [printEnum(style, BPF_CLASSES, cls, 'BPF_???')];
  const leftover = (): void => {
    if (rest !== 0) parts.push(`${hex(rest)} /* BPF_??? */`);
  };
  switch (cls) {
    case 0x2: case 0x3: // BPF_ST, BPF_STX
      leftover();
      break;
    case 0x0: case 0x1: // BPF_LD, BPF_LDX
      parts.push(printEnum(style, BPF_SIZES, code & 0x18, 'BPF_???'), printEnum(style, BPF_MODES, code & 0xe0, 'BPF_???'));
      break;
    case 0x7: // BPF_MISC
      parts.push(printEnum(style, BPF_MISCOPS, code & 0xf8, 'BPF_???'));
      rest &= ~(code & 0xf8);
      leftover();
      break;
    case 0x4: // BPF_ALU
      parts.push(printEnum(style, BPF_SRCS, code & 0x08, 'BPF_???'), printEnum(style, BPF_OPS_ALU, code & 0xf0, 'BPF_???'));
      break;
    case 0x5: // BPF_JMP
      parts.push(printEnum(style, BPF_SRCS, code & 0x08, 'BPF_???'), printEnum(style, BPF_OPS_JMP, code & 0xf0, 'BPF_???'));
      break;
    case 0x6: // BPF_RET
      parts.push(printEnum(style, BPF_RVALS, code & 0x18, 'BPF_???'));
      rest &= ~(code & 0x18);
      leftover();
      break;
  }
  return parts.join('|');
}

/** A socket filter's absolute load offset: `SKF_AD_OFF+SKF_AD_PROTOCOL`, `SKF_NET_OFF+4`; undefined for a plain one. */
function sockFilterK(style: XlatStyle, code: number, k: number): string | undefined {
  if ((code & 0x07) !== 0x0 || (code & 0xe0) !== 0x20) return undefined; // BPF_LD|BPF_ABS only
  if (k >= SKF_AD_OFF) return `${printNamed(style, SKF_AD_OFF, 'SKF_AD_OFF')}+${printEnum(style, SKF_AD, k - SKF_AD_OFF, 'SKF_AD_???')}`;
  if (k >= SKF_NET_OFF) return `${printNamed(style, SKF_NET_OFF, 'SKF_NET_OFF')}+${k - SKF_NET_OFF}`;
  if (k >= SKF_LL_OFF) return `${printNamed(style, SKF_LL_OFF, 'SKF_LL_OFF')}+${k - SKF_LL_OFF}`;
  return undefined;
}

const BPF_MAXINSNS = 4096;
const SOCK_FILTER_SIZE = 8;

/** A socket filter's `len` instructions at `addr` (print_sock_fprog): the address unless -v. */
export function printSockFilter(ctx: DecodeContext, addr: bigint, len: number): string {
  if (!ctx.options.verbose) return printPtr(addr);
  if (u64(addr) === 0n) return 'NULL';
  if (len === 0) return '[]';
  const style = ctx.options.xlat;
  const x = (v: number): string => (v === 0 ? '0' : hex(v));
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
    const code = Number(readInt(b, 0, 2, false));
    const jt = b[2]!;
    const jf = b[3]!;
    const k = Number(readInt(b, 4, 4, false));
    if (jt !== 0 || jf !== 0) parts.push(`BPF_JUMP(${printCode(style, code)}, ${x(k)}, ${x(jt)}, ${x(jf)})`);
    else parts.push(`BPF_STMT(${printCode(style, code)}, ${sockFilterK(style, code, k) ?? x(k)})`);
  }
  return `[${parts.join(', ')}]`;
}

/** struct sock_fprog at `addr` (decode_sock_fprog): `{len=N, filter=…}`, the address when unreadable. */
export function printSockFprog(ctx: DecodeContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const b = ctx.mem.read(u64(addr), 16);
  if (b === null) return hex(addr);
  const len = Number(readInt(b, 0, 2, false));
  return struct([`len=${len}`, `filter=${printSockFilter(ctx, readInt(b, 8, 8, false), len)}`]);
}

