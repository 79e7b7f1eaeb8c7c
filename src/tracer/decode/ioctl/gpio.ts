// The GPIO character device (0xb4), v1 and v2 interfaces, as strace's gpio_ioctl.c prints them.
import { hex, isError, printFd, printFlags, readInt } from '../printers.js';
import { GPIO_EVENT_FLAGS, GPIO_HANDLE_FLAGS, GPIO_LINE_FLAGS, GPIO_V2_LINE_FLAGS } from '../../xlat/ioctl-gpio.js';
import type { DecodeContext, ExitContext } from '../types.js';
import type { IoctlEntry, IoctlFamily } from './family.js';
import { AT_EXIT, IOR, IOWR, allZero, cstringField, localArray, umove } from './umove.js';

const T = 0xb4;
const CHIPINFO = IOR(T, 0x01, 68), LINEINFO = IOWR(T, 0x02, 72), LINEHANDLE = IOWR(T, 0x03, 364);
const LINEEVENT = IOWR(T, 0x04, 48), V2_LINEINFO = IOWR(T, 0x05, 256), V2_LINEINFO_WATCH = IOWR(T, 0x06, 256);
const V2_LINE = IOWR(T, 0x07, 592), HANDLE_GET_VALUES = IOWR(T, 0x08, 64), HANDLE_SET_VALUES = IOWR(T, 0x09, 64);
const HANDLE_SET_CONFIG = IOWR(T, 0x0a, 84), LINEINFO_WATCH = IOWR(T, 0x0b, 72), LINEINFO_UNWATCH = IOWR(T, 0x0c, 4);
const V2_SET_CONFIG = IOWR(T, 0x0d, 272), V2_GET_VALUES = IOWR(T, 0x0e, 16), V2_SET_VALUES = IOWR(T, 0x0f, 16);

const u32 = (b: Uint8Array, off: number): bigint => readInt(b, off, 4, false);
const u64 = (b: Uint8Array, off: number): bigint => readInt(b, off, 8, false);
const cstr = (b: Uint8Array, off: number): string => cstringField(b.subarray(off, off + 32));
const xArray = (b: Uint8Array, off: number, n: number): string => `[${Array.from({ length: n }, (_, i) => hex(u32(b, off + 4 * i))).join(', ')}]`;

/** struct gpio_v2_line_attribute at off: one field by its id, or all of it raw. */
function lineAttr(ctx: DecodeContext, b: Uint8Array, off: number, asField: boolean): string {
  const id = Number(u32(b, off)), padding = u32(b, off + 4), value = u64(b, off + 8);
  if (padding === 0n) {
    switch (id) {
      case 1: return `flags=${printFlags(ctx.options.xlat, GPIO_V2_LINE_FLAGS, value, 'GPIO_V2_LINE_FLAG_???')}`;
      case 2: return `values=${hex(value)}`;
      case 3: return `debounce_period_us=${u32(b, off + 8)}`;
    }
  }
  const raw = `id=${id}${padding !== 0n ? `, padding=${hex(padding)}` : ''}, data=${hex(value)}`;
  return asField ? `attr={${raw}}` : raw;
}

/** struct gpio_v2_line_config at off. */
function lineConfig(ctx: DecodeContext, b: Uint8Array, off: number): string {
  const n = Number(u32(b, off + 8));
  const f = [`flags=${printFlags(ctx.options.xlat, GPIO_V2_LINE_FLAGS, u64(b, off), 'GPIO_V2_LINE_FLAG_???')}`, `num_attrs=${n}`];
  if (!allZero(b, off + 12, off + 32)) f.push(`padding=${xArray(b, off + 12, 5)}`);
  if (n !== 0) {
    f.push(`attrs=${localArray(ctx, Math.min(n, 10), (i) => {
      const at = off + 32 + 24 * i;
      return `{${lineAttr(ctx, b, at, true)}, mask=${hex(u64(b, at + 16))}}`;
    })}`);
  }
  return `{${f.join(', ')}}`;
}

/** The part of an in/out argument printed at entry. */
function enterText(ctx: DecodeContext, code: number, b: Uint8Array): string {
  const style = ctx.options.xlat;
  switch (code) {
    case LINEINFO: case LINEINFO_WATCH: return `{line_offset=${u32(b, 0)}}`;
    case V2_LINEINFO: case V2_LINEINFO_WATCH: return `{offset=${u32(b, 64)}}`;
    case V2_GET_VALUES: return `{mask=${hex(u64(b, 8))}}`;
    case LINEHANDLE: {
      const n = Number(u32(b, 356)), shown = Math.min(n, 64);
      return `{lines=${n}, lineoffsets=${localArray(ctx, shown, (i) => String(u32(b, 4 * i)))}, ` +
        `flags=${printFlags(style, GPIO_HANDLE_FLAGS, u32(b, 256), 'GPIOHANDLE_REQUEST_???')}, ` +
        `default_values=${localArray(ctx, shown, (i) => String(b[260 + i]!))}, consumer_label=${cstr(b, 324)}}`;
    }
    case LINEEVENT:
      return `{lineoffset=${u32(b, 0)}, handleflags=${printFlags(style, GPIO_HANDLE_FLAGS, u32(b, 4), 'GPIOHANDLE_REQUEST_???')}, ` +
        `eventflags=${printFlags(style, GPIO_EVENT_FLAGS, u32(b, 8), 'GPIOEVENT_REQUEST_???')}, consumer_label=${cstr(b, 12)}}`;
    case V2_LINE: {
      const n = Number(u32(b, 560));
      const f = [`num_lines=${n}`, `offsets=${localArray(ctx, Math.min(n, 64), (i) => String(u32(b, 4 * i)))}`,
        `consumer=${cstr(b, 256)}`, `config=${lineConfig(ctx, b, 288)}`];
      const ebs = u32(b, 564);
      if (ebs !== 0n) f.push(`event_buffer_size=${ebs}`);
      if (!allZero(b, 568, 588)) f.push(`padding=${xArray(b, 568, 5)}`);
      return `{${f.join(', ')}}`;
    }
  }
  return '';
}

/** The part of an in/out argument printed at exit, after " => ". */
function exitText(ctx: ExitContext, code: number, b: Uint8Array): string {
  switch (code) {
    case LINEINFO: case LINEINFO_WATCH:
      return `{flags=${printFlags(ctx.options.xlat, GPIO_LINE_FLAGS, u32(b, 4), 'GPIOLINE_FLAG_???')}, name=${cstr(b, 8)}, consumer=${cstr(b, 40)}}`;
    case V2_LINEINFO: case V2_LINEINFO_WATCH: {
      const n = Number(u32(b, 68));
      const f = [`name=${cstr(b, 0)}`, `consumer=${cstr(b, 32)}`,
        `flags=${printFlags(ctx.options.xlat, GPIO_V2_LINE_FLAGS, u64(b, 72), 'GPIO_V2_LINE_FLAG_???')}`, `num_attrs=${n}`];
      if (n !== 0) f.push(`attrs=${localArray(ctx, Math.min(n, 10), (i) => `{${lineAttr(ctx, b, 80 + 16 * i, false)}}`)}`);
      if (!allZero(b, 240, 256)) f.push(`padding=${xArray(b, 240, 4)}`);
      return `{${f.join(', ')}}`;
    }
    case V2_GET_VALUES: return `{bits=${hex(u64(b, 0))}}`;
    case LINEHANDLE: return `{fd=${printFd(ctx, Number(readInt(b, 360, 4, true)))}}`;
    case LINEEVENT: return `{fd=${printFd(ctx, Number(readInt(b, 44, 4, true)))}}`;
    case V2_LINE: return `{fd=${printFd(ctx, Number(readInt(b, 588, 4, true)))}}`;
  }
  return '';
}

const IN_OUT = new Set([LINEINFO, LINEINFO_WATCH, V2_LINEINFO, V2_LINEINFO_WATCH, V2_GET_VALUES, LINEHANDLE, LINEEVENT, V2_LINE]);
const values = (ctx: DecodeContext, b: Uint8Array): string => `{values=${localArray(ctx, 64, (i) => String(b[i]!))}}`;

/** Requests printed whole at entry. */
function enterIn(ctx: DecodeContext, code: number, arg: bigint): string | undefined {
  const style = ctx.options.xlat;
  const size = (code >>> 16) & 0x3fff;
  const read = (): Uint8Array | string => umove(ctx, arg, size);
  switch (code) {
    case LINEINFO_UNWATCH: { const b = read(); return typeof b === 'string' ? b : `{offset=${u32(b, 0)}}`; }
    case HANDLE_SET_VALUES: { const b = read(); return typeof b === 'string' ? b : values(ctx, b); }
    case HANDLE_SET_CONFIG: {
      const b = read();
      return typeof b === 'string' ? b : `{flags=${printFlags(style, GPIO_HANDLE_FLAGS, u32(b, 0), 'GPIOHANDLE_REQUEST_???')}, ` +
        `default_values=${localArray(ctx, 64, (i) => String(b[4 + i]!))}}`;
    }
    case V2_SET_VALUES: { const b = read(); return typeof b === 'string' ? b : `{bits=${hex(u64(b, 0))}, mask=${hex(u64(b, 8))}}`; }
    case V2_SET_CONFIG: { const b = read(); return typeof b === 'string' ? b : lineConfig(ctx, b, 0); }
  }
  return undefined;
}

export const GPIO_IOCTLS: IoctlFamily = {
  types: [T],
  enter(ctx, code, arg): IoctlEntry | undefined {
    if (code === CHIPINFO || code === HANDLE_GET_VALUES) return AT_EXIT;
    if (IN_OUT.has(code)) {
      const b = umove(ctx, arg, (code >>> 16) & 0x3fff);
      if (typeof b === 'string') return { text: `, ${b}` };
      return { text: `, ${enterText(ctx, code, b)}`, more: true };
    }
    const text = enterIn(ctx, code, arg);
    return text === undefined ? undefined : { text: `, ${text}` };
  },
  exit(ctx, code, arg) {
    const size = (code >>> 16) & 0x3fff;
    if (code === CHIPINFO || code === HANDLE_GET_VALUES) {
      const b = umove(ctx, arg, size, ctx);
      if (typeof b === 'string') return `, ${b}`;
      return code === CHIPINFO ? `, {name=${cstr(b, 0)}, label=${cstr(b, 32)}, lines=${u32(b, 64)}}` : `, ${values(ctx, b)}`;
    }
    if (isError(ctx.ret)) return '';
    const b = umove(ctx, arg, size, ctx);
    return ` => ${typeof b === 'string' ? b : exitText(ctx, code, b)}`;
  },
};
