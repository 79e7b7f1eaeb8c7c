// Block devices (0x12: BLK*), as strace's block.c prints them.
import { dec, isError, printEnum, printPid, readInt, u64 } from '../printers.js';
import { BLKPG_OPS } from '../../xlat/ioctl-block.js';
import type { DecodeContext, ExitContext } from '../types.js';
import type { IoctlFamily } from './family.js';
import { AT_EXIT, NO_ARG, cstringField, printNum, umove } from './umove.js';

const BLKPG = 0x1269, TRACESETUP = 0xc0481273;
const BY_VALUE = new Set([0x1262 /* BLKRASET */, 0x1264 /* BLKFRASET */]);
const INT_IN = new Set([0x125d /* BLKROSET */, 0x40081271 /* BLKBSZSET */]);
const PAIR_IN = new Set([0x1277 /* BLKDISCARD */, 0x127d /* BLKSECDISCARD */, 0x127f /* BLKZEROOUT */]);
const NO_ARGS = new Set([0x125f /* BLKRRPART */, 0x1261 /* BLKFLSBUF */, 0x1274, 0x1275, 0x1276 /* BLKTRACESTART/STOP/TEARDOWN */]);
/** Requests whose argument the kernel writes: the integer's size and how it prints. */
const OUTS: ReadonlyMap<number, readonly [1 | 2 | 4 | 8, 'u' | 'd']> = new Map([
  [0x1267, [2, 'u']], [0x127e, [2, 'u']], // BLKSECTGET, BLKROTATIONAL: unsigned short
  [0x125e, [4, 'd']], [0x80081270, [4, 'd']], [0x1268, [4, 'd']], [0x127a, [4, 'd']], // BLKROGET, BLKBSZGET, BLKSSZGET, BLKALIGNOFF
  [0x127b, [4, 'u']], [0x1278, [4, 'u']], [0x1279, [4, 'u']], [0x127c, [4, 'u']], [0x80041284, [4, 'u']], [0x80041285, [4, 'u']],
  [0x1263, [8, 'd']], [0x1265, [8, 'd']], // BLKRAGET, BLKFRAGET: long
  [0x1260, [8, 'u']], [0x80081272, [8, 'u']], [0x80081280, [8, 'u']], // BLKGETSIZE, BLKGETSIZE64, BLKGETDISKSEQ
]);

const num = (size: number, kind: 'u' | 'd') => (v: bigint): string => (kind === 'u' ? v.toString() : dec(BigInt.asIntN(size * 8, v)));

function blkpg(ctx: DecodeContext, arg: bigint): string {
  // struct blkpg_ioctl_arg: int op, int flags, int datalen, void *data.
  const b = umove(ctx, arg, 24);
  if (typeof b === 'string') return b;
  const i32 = (x: Uint8Array, off: number): bigint => readInt(x, off, 4, true);
  const ptr = readInt(b, 16, 8, false);
  // struct blkpg_partition: long long start, length; int pno; char devname[64], volname[64].
  const p = umove(ctx, ptr, 152);
  const data = typeof p === 'string' ? p : `{start=${readInt(p, 0, 8, true)}, length=${readInt(p, 8, 8, true)}, pno=${i32(p, 16)}, ` +
    `devname=${cstringField(p.subarray(20, 84))}, volname=${cstringField(p.subarray(84, 148))}}`;
  return `{op=${printEnum(ctx.options.xlat, BLKPG_OPS, i32(b, 0), 'BLKPG_???')}, flags=${i32(b, 4)}, datalen=${i32(b, 8)}, data=${data}}`;
}

function traceSetupExit(ctx: ExitContext, arg: bigint): string {
  const b = isError(ctx.ret) ? null : ctx.mem.read(u64(arg), 72);
  return b === null ? '}' : `, name=${cstringField(b.subarray(0, 32))}}`;
}

export const BLOCK_IOCTLS: IoctlFamily = {
  types: [0x12],
  enter(ctx, code, arg) {
    if (NO_ARGS.has(code)) return NO_ARG;
    if (OUTS.has(code)) return AT_EXIT;
    if (BY_VALUE.has(code)) return { text: `, ${u64(arg)}` };
    if (INT_IN.has(code)) return { text: `, ${printNum(ctx, arg, 4, num(4, 'd'))}` };
    if (PAIR_IN.has(code)) {
      const b = umove(ctx, arg, 16);
      return { text: `, ${typeof b === 'string' ? b : `[${readInt(b, 0, 8, false)}, ${readInt(b, 8, 8, false)}]`}` };
    }
    if (code === BLKPG) return { text: `, ${blkpg(ctx, arg)}` };
    if (code === TRACESETUP) {
      const b = umove(ctx, arg, 72);
      if (typeof b === 'string') return { text: `, ${b}` };
      const u = (off: number, size: number): bigint => readInt(b, off, size, false);
      return {
        text: `, {act_mask=${u(32, 2)}, buf_size=${u(36, 4)}, buf_nr=${u(40, 4)}, start_lba=${u(48, 8)}, end_lba=${u(56, 8)}, ` +
          `pid=${printPid(ctx, Number(readInt(b, 64, 4, true)))}`,
        more: true,
      };
    }
    return undefined;
  },
  exit(ctx, code, arg) {
    if (code === TRACESETUP) return traceSetupExit(ctx, arg);
    const [size, kind] = OUTS.get(code)!;
    return `, ${printNum(ctx, arg, size, num(size, kind), ctx)}`;
  },
};
