// Input event devices ('E'), as strace's evdev.c prints them: requests the kernel answers are
// printed at exit, requests giving the kernel something at entry.
import { dec, hex, isError, printArray, printEnum, printPtr, readInt, u64 } from '../printers.js';
import type { Xlat } from '../../xlat/xlat.js';
import {
  EVDEV_ABS, EVDEV_AUTOREPEAT, EVDEV_EV, EVDEV_FF_STATUS, EVDEV_FF_TYPES, EVDEV_KEYCODE, EVDEV_LEDS, EVDEV_MISC,
  EVDEV_MTSLOTS, EVDEV_PROP, EVDEV_RELATIVE_AXES, EVDEV_SND, EVDEV_SWITCH,
} from '../../xlat/ioctl-evdev.js';
import type { DecodeContext, ExitContext, XlatStyle } from '../types.js';
import { iocDir, iocNr, iocSize, type IoctlFamily } from './family.js';
import { AT_EXIT, IOR, IOW, localArray, printNum, printStr, umove } from './umove.js';

const E = 0x45;
const GVERSION = IOR(E, 0x01, 4), GID = IOR(E, 0x02, 8), GREP = IOR(E, 0x03, 8), SREP = IOW(E, 0x03, 8);
const GKEYCODE = IOR(E, 0x04, 8), SKEYCODE = IOW(E, 0x04, 8), GKEYCODE_V2 = IOR(E, 0x04, 40), SKEYCODE_V2 = IOW(E, 0x04, 40);
const SFF = IOW(E, 0x80, 48), RMFF = IOW(E, 0x81, 4), GEFFECTS = IOR(E, 0x84, 4), GRAB = IOW(E, 0x90, 4);
const REVOKE = IOW(E, 0x91, 4), SCLOCKID = IOW(E, 0xa0, 4);
const READ = 2, WRITE = 1;

/** strace's evdev_decode_number: the requests whose number holds a parameter. */
function requestName(code: number, style: XlatStyle): string | undefined {
  const nr = iocNr(code), dir = iocDir(code);
  const inner = (table: Xlat, v: number, dflt: string): string => printEnum('abbrev', table, v, style === 'verbose' ? undefined : dflt);
  if (dir === WRITE && nr >= 0xc0) return `EVIOCSABS(${inner(EVDEV_ABS, nr - 0xc0, 'ABS_???')})`;
  if (dir !== READ) return undefined;
  if (nr >= 0x20 && nr < 0x40) return `EVIOCGBIT(${nr === 0x20 ? '0' : inner(EVDEV_EV, nr - 0x20, 'EV_???')}, ${iocSize(code)})`;
  if (nr >= 0x40 && nr < 0x80) return `EVIOCGABS(${inner(EVDEV_ABS, nr - 0x40, 'ABS_???')})`;
  const name = SIZED.get(nr);
  return name === undefined ? undefined : `${name}(${iocSize(code)})`;
}
const SIZED: ReadonlyMap<number, string> = new Map([[0x06, 'EVIOCGNAME'], [0x07, 'EVIOCGPHYS'], [0x08, 'EVIOCGUNIQ'],
  [0x09, 'EVIOCGPROP'], [0x0a, 'EVIOCGMTSLOTS'], [0x18, 'EVIOCGKEY'], [0x19, 'EVIOCGLED'], [0x1a, 'EVIOCGSND'], [0x1b, 'EVIOCGSW']]);

const u32 = (b: Uint8Array, off: number): bigint => readInt(b, off, 4, false);
const u16 = (b: Uint8Array, off: number): bigint => readInt(b, off, 2, false);
const s16 = (b: Uint8Array, off: number): bigint => readInt(b, off, 2, true);

/** struct input_absinfo (value, minimum, maximum, fuzz, flat, resolution) of the request's size. */
function absinfo(ctx: DecodeContext, code: number, arg: bigint, exit?: ExitContext): string {
  const ORIG = 20, RES = 24;
  const sz = iocSize(code);
  if (sz < ORIG) return printPtr(arg);
  const b = umove(ctx, arg, Math.min(sz, RES), exit);
  if (typeof b === 'string') return b;
  const f = [`value=${u32(b, 0)}`, `minimum=${u32(b, 4)}`];
  if (ctx.options.verbose) {
    f.push(`maximum=${u32(b, 8)}`, `fuzz=${u32(b, 12)}`, `flat=${u32(b, 16)}`);
    if (sz > ORIG) {
      if (sz >= RES) f.push(`resolution=${u32(b, 20)}`);
      if (sz !== RES) f.push('...');
    }
  } else {
    f.push('...');
  }
  return `{${f.join(', ')}}`;
}

function keycode(ctx: DecodeContext, arg: bigint, exit?: ExitContext): string {
  const b = umove(ctx, arg, 8, exit);
  return typeof b === 'string' ? b : `[${u32(b, 0)}, ${printEnum(ctx.options.xlat, EVDEV_KEYCODE, u32(b, 4), 'KEY_???')}]`;
}

/** struct input_keymap_entry. */
function keymapEntry(ctx: DecodeContext, arg: bigint, exit?: ExitContext): string {
  const b = umove(ctx, arg, 40, exit);
  if (typeof b === 'string') return b;
  const f = [`flags=${b[0]!}`, `len=${b[1]!}`];
  if (ctx.options.verbose) {
    f.push(`index=${u16(b, 2)}`, `keycode=${printEnum(ctx.options.xlat, EVDEV_KEYCODE, u32(b, 4), 'KEY_???')}`,
      `scancode=[${Array.from(b.subarray(8, 40), (x) => hex(x)).join(', ')}]`);
  } else {
    f.push('...');
  }
  return `{${f.join(', ')}}`;
}

function pairU(ctx: DecodeContext, arg: bigint, exit?: ExitContext): string {
  const b = umove(ctx, arg, 8, exit);
  return typeof b === 'string' ? b : `[${u32(b, 0)}, ${u32(b, 4)}]`;
}

/** struct ff_effect (x86_64 layout: the union at offset 16). */
function ffEffect(ctx: DecodeContext, arg: bigint): string {
  const b = umove(ctx, arg, 48);
  if (typeof b === 'string') return b;
  const type = Number(u16(b, 0));
  const head = `type=${printEnum(ctx.options.xlat, EVDEV_FF_TYPES, type, 'FF_???')}, id=${s16(b, 2)}, direction=${u16(b, 4)}`;
  if (!ctx.options.verbose) return `{${head}, ...}`;
  const envelope = (off: number): string => `envelope={attack_length=${u16(b, off)}, attack_level=${u16(b, off + 2)}, ` +
    `fade_length=${u16(b, off + 4)}, fade_level=${hex(u16(b, off + 6))}}`;
  const f = [head, `trigger={button=${u16(b, 6)}, interval=${u16(b, 8)}}`, `replay={length=${u16(b, 10)}, delay=${u16(b, 12)}}`];
  const u = 16;
  switch (type) {
    case 0x52: f.push(`constant={level=${s16(b, u)}, ${envelope(u + 2)}}`); break;
    case 0x57: f.push(`ramp={start_level=${s16(b, u)}, end_level=${s16(b, u + 2)}, ${envelope(u + 4)}}`); break;
    case 0x51:
      f.push(`periodic={waveform=${u16(b, u)}, period=${u16(b, u + 2)}, magnitude=${s16(b, u + 4)}, offset=${s16(b, u + 6)}, ` +
        `phase=${u16(b, u + 8)}, ${envelope(u + 10)}, custom_len=${u32(b, u + 20)}, custom_data=${printPtr(readInt(b, u + 24, 8, false))}}`);
      break;
    case 0x50: f.push(`rumble={strong_magnitude=${u16(b, u)}, weak_magnitude=${u16(b, u + 2)}}`); break;
  }
  return `{${f.join(', ')}}`;
}

/** strace's decode_bitset: the bits the kernel set (as many bytes as it returned), by name. */
function bitset(ctx: ExitContext, arg: bigint, table: Xlat, maxNr: number, dflt: string): string {
  const rval = u64(ctx.ret);
  const sizeBits = rval > BigInt(Math.floor(maxNr / 8)) ? maxNr : Number(rval) * 8;
  const size = Math.ceil(Math.ceil(sizeBits / 8) / 8) * 8;
  if (isError(ctx.ret) || size === 0) return printPtr(arg);
  const b = umove(ctx, arg, size, ctx);
  if (typeof b === 'string') return b;
  const style = ctx.options.xlat;
  let text = '';
  if (style !== 'raw') {
    const names: string[] = [];
    let shown = 0;
    for (let i = 0; i < sizeBits; i++) {
      if (((b[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      if (names.length > 0) {
        if (!ctx.options.verbose && shown >= 3) { names.push('...'); break; }
        shown++;
      }
      names.push(printEnum(style, table, i, dflt));
    }
    text = `[${names.join(' ')}]`;
  }
  if (style !== 'abbrev') {
    const words = localArray(ctx, size / 8, (i) => hex(readInt(b, 8 * i, 8, false)));
    text += style === 'verbose' ? ` /* ${words} */` : words;
  }
  return text;
}

/** EVIOCGBIT(ev, len): the event type's bit set. */
function bitIoctl(ctx: ExitContext, ev: number, arg: bigint): string {
  switch (ev) {
    case 0: return bitset(ctx, arg, EVDEV_EV, 0x1f, 'EV_???');
    case 0x01: return bitset(ctx, arg, EVDEV_KEYCODE, 0x2ff, 'KEY_???');
    case 0x02: return bitset(ctx, arg, EVDEV_RELATIVE_AXES, 0x0f, 'REL_???');
    case 0x03: return bitset(ctx, arg, EVDEV_ABS, 0x3f, 'ABS_???');
    case 0x04: return bitset(ctx, arg, EVDEV_MISC, 0x07, 'MSC_???');
    case 0x05: return bitset(ctx, arg, EVDEV_SWITCH, 0x10, 'SW_???');
    case 0x11: return bitset(ctx, arg, EVDEV_LEDS, 0x0f, 'LED_???');
    case 0x12: return bitset(ctx, arg, EVDEV_SND, 0x07, 'SND_???');
    case 0x14: return bitset(ctx, arg, EVDEV_AUTOREPEAT, 0x01, 'REP_???');
    case 0x15: return bitset(ctx, arg, EVDEV_FF_TYPES, 0x7f, 'FF_???');
    case 0x16: return printNum(ctx, arg, 4, (v) => dec(BigInt.asIntN(32, v)), ctx);
    case 0x17: return bitset(ctx, arg, EVDEV_FF_STATUS, 0x01, 'FF_STATUS_???');
  }
  return printPtr(arg);
}

function readIoctl(ctx: ExitContext, code: number, arg: bigint): string {
  switch (code) {
    case GVERSION: return printNum(ctx, arg, 4, (v) => hex(v), ctx);
    case GEFFECTS: return printNum(ctx, arg, 4, (v) => v.toString(), ctx);
    case GID: {
      const b = umove(ctx, arg, 8, ctx);
      return typeof b === 'string' ? b : `{bustype=${u16(b, 0)}, vendor=${u16(b, 2)}, product=${u16(b, 4)}, version=${u16(b, 6)}}`;
    }
    case GREP: return pairU(ctx, arg, ctx);
    case GKEYCODE: return keycode(ctx, arg, ctx);
    case GKEYCODE_V2: return keymapEntry(ctx, arg, ctx);
  }
  const nr = iocNr(code);
  switch (nr) {
    case 0x0a: {
      const n = Math.floor(iocSize(code) / 4);
      if (n === 0) return printPtr(arg);
      const b = umove(ctx, arg, 4, ctx);
      if (typeof b === 'string') return b;
      const values = printArray(ctx, arg + 4n, n - 1, 4, (v) => String(readInt(v, 0, 4, true)));
      return `{code=${printEnum(ctx.options.xlat, EVDEV_MTSLOTS, u32(b, 0), 'ABS_MT_???')}, values=${values}}`;
    }
    case 0x06: case 0x07: case 0x08: return isError(ctx.ret) ? printPtr(arg) : printStr(ctx, arg, ctx.ret);
    case 0x09: return bitset(ctx, arg, EVDEV_PROP, 0x1f, 'PROP_???');
    case 0x1a: return bitset(ctx, arg, EVDEV_SND, 0x07, 'SND_???');
    case 0x1b: return bitset(ctx, arg, EVDEV_SWITCH, 0x10, 'SW_???');
    case 0x18: return bitset(ctx, arg, EVDEV_KEYCODE, 0x2ff, 'KEY_???');
    case 0x19: return bitset(ctx, arg, EVDEV_LEDS, 0x0f, 'LED_???');
  }
  if ((nr & ~0x3f) === 0x40) return absinfo(ctx, code, arg, ctx);
  if ((nr & ~0x1f) === 0x20) return bitIoctl(ctx, nr & 0x1f, arg);
  return printPtr(arg);
}

function writeIoctl(ctx: DecodeContext, code: number, arg: bigint): string {
  switch (code) {
    case SREP: return pairU(ctx, arg);
    case SKEYCODE: return keycode(ctx, arg);
    case SKEYCODE_V2: return keymapEntry(ctx, arg);
    case RMFF: return String(Number(BigInt.asIntN(32, arg)));
    case GRAB: case REVOKE: return u64(arg).toString();
    case SCLOCKID: return printNum(ctx, arg, 4, (v) => v.toString());
    case SFF: return ffEffect(ctx, arg);
  }
  if ((iocNr(code) & ~0x3f) === 0xc0) return absinfo(ctx, code, arg);
  return printPtr(arg);
}

export const EVDEV_IOCTLS: IoctlFamily = {
  types: [E],
  requestName,
  enter(ctx, code, arg) {
    switch (iocDir(code)) {
      case READ: return AT_EXIT;
      case WRITE: return { text: `, ${writeIoctl(ctx, code, arg)}` };
    }
    return undefined;
  },
  exit: (ctx, code, arg) => `, ${readIoctl(ctx, code, arg)}`,
};
