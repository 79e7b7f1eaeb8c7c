// Infrared remote control devices ('i'), as strace's lirc_ioctl.c prints them: one u32, read
// by the GET requests at exit and written by the SET requests at entry.
import { hex, printEnum, printFlags } from '../printers.js';
import { LIRC_FEATURES, LIRC_MODES } from '../../xlat/ioctl-lirc.js';
import type { DecodeContext, ExitContext } from '../types.js';
import { iocDir, type IoctlFamily } from './family.js';
import { AT_EXIT, IOR, IOW, printNum } from './umove.js';

const T = 0x69;
const GET_FEATURES = IOR(T, 0x00, 4), TRANSMITTER_MASK = IOW(T, 0x17, 4);
const MODES = new Set([IOR(T, 0x01, 4), IOR(T, 0x02, 4), IOW(T, 0x11, 4), IOW(T, 0x12, 4)]);
const KNOWN = new Set([GET_FEATURES, TRANSMITTER_MASK, ...MODES, ...[0x07, 0x08, 0x09, 0x0f, 0x24].map((nr) => IOR(T, nr, 4)),
  ...[0x13, 0x14, 0x15, 0x18, 0x19, 0x1d, 0x1f, 0x23].map((nr) => IOW(T, nr, 4))]);

function value(ctx: DecodeContext, code: number, arg: bigint, exit?: ExitContext): string {
  const style = ctx.options.xlat;
  return printNum(ctx, arg, 4, (v) => {
    if (code === GET_FEATURES) return printFlags(style, LIRC_FEATURES, v, 'LIRC_CAN_???');
    if (MODES.has(code)) return printEnum(style, LIRC_MODES, v, 'LIRC_MODE_???');
    return code === TRANSMITTER_MASK ? hex(v) : v.toString();
  }, exit);
}

export const LIRC_IOCTLS: IoctlFamily = {
  types: [T],
  enter(ctx, code, arg) {
    if (!KNOWN.has(code)) return undefined;
    return iocDir(code) === 2 ? AT_EXIT : { text: `, ${value(ctx, code, arg)}` };
  },
  exit: (ctx, code, arg) => `, ${value(ctx, code, arg, ctx)}`,
};
