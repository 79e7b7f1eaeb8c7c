// Real-time clocks ('p'), as strace's rtc.c prints them.
import { dec, hex, isError, printEnum, printFlags, readInt, u64 } from '../printers.js';
import { RTC_BACKUP_SWITCH_MODES, RTC_FEATURES, RTC_PARAMS, RTC_VL_FLAGS } from '../../xlat/ioctl-rtc.js';
import type { DecodeContext, ExitContext } from '../types.js';
import type { IoctlFamily } from './family.js';
import { AT_EXIT, IO, IOR, IOW, NO_ARG, printNum, umove } from './umove.js';

const P = 0x70;
const TIME = 36, WKALRM = 40, PLL = 32, PARAM = 24;
const ALM_SET = IOW(P, 0x07, TIME), ALM_READ = IOR(P, 0x08, TIME), RD_TIME = IOR(P, 0x09, TIME), SET_TIME = IOW(P, 0x0a, TIME);
const IRQP_READ = IOR(P, 0x0b, 8), IRQP_SET = IOW(P, 0x0c, 8), EPOCH_READ = IOR(P, 0x0d, 8), EPOCH_SET = IOW(P, 0x0e, 8);
const WKALM_SET = IOW(P, 0x0f, WKALRM), WKALM_RD = IOR(P, 0x10, WKALRM), PLL_GET = IOR(P, 0x11, PLL), PLL_SET = IOW(P, 0x12, PLL);
const VL_READ = IOR(P, 0x13, 4), PARAM_GET = IOW(P, 0x13, PARAM), PARAM_SET = IOW(P, 0x14, PARAM);
const NO_ARGS = new Set([1, 2, 3, 4, 5, 6, 0x0f, 0x10, 0x14].map((nr) => IO(P, nr)));

const s32 = (b: Uint8Array, off: number): bigint => readInt(b, off, 4, true);

/** struct rtc_time at off; tm_wday, tm_yday and tm_isdst only with -v. */
function rtcTime(ctx: DecodeContext, b: Uint8Array, off: number): string {
  const names = ['tm_sec', 'tm_min', 'tm_hour', 'tm_mday', 'tm_mon', 'tm_year', 'tm_wday', 'tm_yday', 'tm_isdst'];
  const shown = ctx.options.verbose ? 9 : 6;
  const f = names.slice(0, shown).map((n, i) => `${n}=${s32(b, off + 4 * i)}`);
  if (!ctx.options.verbose) f.push('...');
  return `{${f.join(', ')}}`;
}

function decodeArg(ctx: DecodeContext, code: number, arg: bigint, exit?: ExitContext): string {
  switch (code) {
    case ALM_SET: case ALM_READ: case RD_TIME: case SET_TIME: {
      const b = umove(ctx, arg, TIME, exit);
      return typeof b === 'string' ? b : rtcTime(ctx, b, 0);
    }
    case WKALM_SET: case WKALM_RD: {
      const b = umove(ctx, arg, WKALRM, exit);
      return typeof b === 'string' ? b : `{enabled=${b[0]!}, pending=${b[1]!}, time=${rtcTime(ctx, b, 4)}}`;
    }
    case PLL_SET: case PLL_GET: {
      const b = umove(ctx, arg, PLL, exit);
      if (typeof b === 'string') return b;
      const names = ['pll_ctrl', 'pll_value', 'pll_max', 'pll_min', 'pll_posmult', 'pll_negmult'];
      return `{${names.map((n, i) => `${n}=${s32(b, 4 * i)}`).join(', ')}, pll_clock=${readInt(b, 24, 8, true)}}`;
    }
    case IRQP_READ: case EPOCH_READ: return printNum(ctx, arg, 8, (v) => v.toString(), exit);
    case VL_READ: return printNum(ctx, arg, 4, (v) => printFlags(ctx.options.xlat, RTC_VL_FLAGS, v, 'RTC_VL_???'), exit);
  }
  return '';
}

/** struct rtc_param: the entry shows param and index, the value where it is an input; the exit the value read. */
function rtcParam(ctx: DecodeContext, arg: bigint, get: boolean, exit?: ExitContext): string {
  const b = umove(ctx, arg, PARAM, exit);
  if (typeof b === 'string') return b;
  const style = ctx.options.xlat;
  const param = readInt(b, 0, 8, false), value = readInt(b, 8, 8, false);
  const f: string[] = [];
  if (exit === undefined) f.push(`param=${printEnum(style, RTC_PARAMS, param, 'RTC_PARAM_???')}`);
  if ((exit === undefined) !== get) {
    switch (param) {
      case 0n: f.push(`uvalue=${printFlags(style, RTC_FEATURES, value, '1<<RTC_FEATURE_???')}`); break;
      case 1n: f.push(`svalue=${dec(BigInt.asIntN(64, value))}`); break;
      case 2n: f.push(`uvalue=${printEnum(style, RTC_BACKUP_SWITCH_MODES, value, 'RTC_BSM_???')}`); break;
      default: f.push(`uvalue=${hex(value)}`);
    }
  }
  if (exit === undefined) f.push(`index=${readInt(b, 16, 4, false)}`);
  const pad = readInt(b, 20, 4, false);
  if (pad !== 0n) f.push(`__pad=${hex(pad)}`);
  return `{${f.join(', ')}}`;
}

const OUTS = new Set([ALM_READ, RD_TIME, IRQP_READ, EPOCH_READ, WKALM_RD, PLL_GET, VL_READ]);
const INS = new Set([ALM_SET, SET_TIME, WKALM_SET, PLL_SET]);

export const RTC_IOCTLS: IoctlFamily = {
  types: [P],
  enter(ctx, code, arg) {
    if (NO_ARGS.has(code)) return NO_ARG;
    if (OUTS.has(code)) return AT_EXIT;
    if (INS.has(code)) return { text: `, ${decodeArg(ctx, code, arg)}` };
    if (code === IRQP_SET || code === EPOCH_SET) return { text: `, ${u64(arg)}` };
    if (code === PARAM_GET || code === PARAM_SET) {
      const text = rtcParam(ctx, arg, code === PARAM_GET);
      return { text: `, ${text}`, more: code === PARAM_GET && text.startsWith('{') };
    }
    return undefined;
  },
  exit(ctx, code, arg) {
    if (code === PARAM_GET) return ` => ${isError(ctx.ret) ? hex(arg) : rtcParam(ctx, arg, true, ctx)}`;
    return `, ${decodeArg(ctx, code, arg, ctx)}`;
  },
};
