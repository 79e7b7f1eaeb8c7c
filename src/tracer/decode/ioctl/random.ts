// /dev/random's ioctls ('R'), as strace's random_ioctl.c prints them.
import { readInt } from '../printers.js';
import type { IoctlFamily } from './family.js';
import { AT_EXIT, NO_ARG, printIntD, printStr, umove } from './umove.js';

const GETENTCNT = 0x80045200, ADDTOENTCNT = 0x40045201, ADDENTROPY = 0x40085203;
const NO_ARGS = new Set([0x5204 /* RNDZAPENTCNT */, 0x5206 /* RNDCLEARPOOL */, 0x5207 /* RNDRESEEDCRNG */]);

export const RANDOM_IOCTLS: IoctlFamily = {
  types: [0x52],
  enter(ctx, code, arg) {
    if (NO_ARGS.has(code)) return NO_ARG;
    switch (code) {
      case GETENTCNT: return AT_EXIT;
      case ADDTOENTCNT: return { text: `, ${printIntD(ctx, arg)}` };
      case ADDENTROPY: {
        // struct rand_pool_info: int entropy_count, int buf_size, then the buffer.
        const b = umove(ctx, arg, 8);
        if (typeof b === 'string') return { text: `, ${b}` };
        const size = readInt(b, 4, 4, true);
        return { text: `, {entropy_count=${readInt(b, 0, 4, true)}, buf_size=${size}, buf=${printStr(ctx, arg + 8n, size)}}` };
      }
    }
    return undefined;
  },
  exit: (ctx, _code, arg) => `, ${printIntD(ctx, arg, ctx)}`,
};
