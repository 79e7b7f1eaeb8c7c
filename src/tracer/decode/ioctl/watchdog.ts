// Watchdog devices ('W'), as strace's watchdog_ioctl.c prints them.
import type { IoctlFamily } from './family.js';
import { AT_EXIT, NO_ARG, printIntD } from './umove.js';

/** WDIOC_GETSTATUS, GETBOOTSTATUS, GETTEMP, GETTIMEOUT, GETPRETIMEOUT, GETTIMELEFT: an int out. */
const GETS = new Set([0x80045701, 0x80045702, 0x80045703, 0x80045707, 0x80045709, 0x8004570a]);
/** WDIOC_SETTIMEOUT, SETPRETIMEOUT: an int in (printed once, at entry). */
const SETS = new Set([0xc0045706, 0xc0045708]);
const KEEPALIVE = 0x80045705;

export const WATCHDOG_IOCTLS: IoctlFamily = {
  types: [0x57],
  enter(ctx, code, arg) {
    if (GETS.has(code)) return AT_EXIT;
    if (SETS.has(code)) return { text: `, ${printIntD(ctx, arg)}` };
    return code === KEEPALIVE ? NO_ARG : undefined;
  },
  exit: (ctx, _code, arg) => `, ${printIntD(ctx, arg, ctx)}`,
};
