// Network block devices (0xab), as strace's nbd_ioctl.c prints them.
import { int, printFd, printFlags, u64 } from '../printers.js';
import { NBD_FLAGS } from '../../xlat/ioctl-nbd.js';
import type { IoctlFamily } from './family.js';
import { IO, NO_ARG } from './umove.js';

const T = 0xab;
const SET_SOCK = IO(T, 0), SET_FLAGS = IO(T, 10);
/** NBD_DO_IT, CLEAR_SOCK, CLEAR_QUE, PRINT_DEBUG, DISCONNECT. */
const NO_ARGS = new Set([IO(T, 3), IO(T, 4), IO(T, 5), IO(T, 6), IO(T, 8)]);
/** NBD_SET_BLKSIZE, SET_SIZE, SET_SIZE_BLOCKS, SET_TIMEOUT: an unsigned long by value. */
const VALUES = new Set([IO(T, 1), IO(T, 2), IO(T, 7), IO(T, 9)]);

export const NBD_IOCTLS: IoctlFamily = {
  types: [T],
  enter(ctx, code, arg) {
    if (NO_ARGS.has(code)) return NO_ARG;
    if (VALUES.has(code)) return { text: `, ${u64(arg)}` };
    if (code === SET_SOCK) return { text: `, ${printFd(ctx, int(arg))}` };
    if (code === SET_FLAGS) return { text: `, ${printFlags(ctx.options.xlat, NBD_FLAGS, u64(arg), 'NBD_IOC_FLAG_???')}` };
    return undefined;
  },
};
