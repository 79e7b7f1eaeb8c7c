// The PTP hardware clock ioctls ('=': PTP_CLOCK_GETCAPS, PTP_SYS_OFFSET*, PTP_PIN_*FUNC, ...),
// in both numberings (the second set, ...2, checks its reserved fields), as strace's ptp.c prints them.
import type { DecodeContext, ExitContext } from '../types.js';
import { PTP_EXTTS_FLAGS, PTP_PEROUT_FLAGS, PTP_PIN_FUNCS } from '../../xlat/ioctl-ptp.js';
import { formatTimeComment } from '../fs.js';
import { hex, isError, printEnum, printFlags, struct } from '../printers.js';
import type { IoctlEntry, IoctlFamily } from './family.js';
import { fetchArg, fixedCString, sField, uField } from './table.js';

const GETCAPS = [0x80503d01, 0x80503d0a], EXTTS = [0x40103d02, 0x40103d0b], PEROUT = [0x40383d03, 0x40383d0c];
const ENABLE_PPS = [0x40043d04, 0x40043d0d], SYS_OFFSET = [0x43403d05, 0x43403d0e];
const PIN_GETFUNC = [0xc0603d06, 0xc0603d0f], PIN_SETFUNC = [0x40603d07, 0x40603d10];
const SYS_OFFSET_PRECISE = [0xc0403d08, 0xc0403d11], SYS_OFFSET_EXTENDED = [0xc4c03d09, 0xc4c03d12];
const PTP_PEROUT_DUTY_CYCLE = 0x2n, PTP_PEROUT_PHASE = 0x4n;
const PTP_MAX_SAMPLES = 25;
const CLOCK_TIME_SIZE = 16;

/** Whether code is the second (…2) number of a request. */
const second = (pair: readonly number[], code: number): boolean => pair[1] === code;
const isOne = (pair: readonly number[], code: number): boolean => pair[0] === code || pair[1] === code;

/** struct ptp_clock_time; `rtc`: a wall-clock time, with its date in a comment. */
function clockTime(ctx: DecodeContext, b: Uint8Array, off: number, rtc: boolean): string {
  const sec = sField(b, off, 8), nsec = uField(b, off + 8, 4), reserved = uField(b, off + 12, 4);
  const s = struct([`sec=${sec}`, `nsec=${nsec}`, reserved !== 0n ? `reserved=${hex(reserved)}` : undefined]);
  const when = rtc && ctx.options.xlat !== 'raw' ? formatTimeComment(sec, nsec, 9) ?? farTimeComment(sec, nsec) : undefined;
  return when === undefined ? s : `${s} /* ${when} */`;
}

const div = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/**
 * strace's sprinttime_nsec comment for the times JavaScript's Date cannot hold (glibc's
 * localtime takes any year that fits an int), in UTC: a limit, strace uses the local zone.
 */
function farTimeComment(sec: bigint, nsec: bigint): string | undefined {
  if (nsec > 999999999n || (sec === 0n && nsec === 0n)) return undefined;
  const days = div(sec, 86400n), rest = sec - days * 86400n;
  // Howard Hinnant's civil_from_days.
  const z = days + 719468n, era = div(z, 146097n), doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n), mp = (5n * doy + 2n) / 153n;
  const day = doy - (153n * mp + 2n) / 5n + 1n, month = mp < 10n ? mp + 3n : mp - 9n;
  const year = yoe + era * 400n + (month <= 2n ? 1n : 0n);
  if (year - 1900n > 2147483647n || year - 1900n < -2147483648n) return undefined;
  const p = (v: bigint, w = 2): string => v.toString().padStart(w, '0');
  const hms = `${p(rest / 3600n)}:${p((rest / 60n) % 60n)}:${p(rest % 60n)}`;
  return `${p(year, 4)}-${p(month)}-${p(day)}T${hms}${nsec > 0n ? `.${p(nsec, 9)}` : ''}+0000`;
}

/** `, rsv=[...]` when a reserved array is not all zero (strace's PRINT_RSV). */
function rsv(b: Uint8Array, off: number, count: number): string | undefined {
  const words = Array.from({ length: count }, (_, i) => uField(b, off + 4 * i, 4));
  return words.every((w) => w === 0n) ? undefined : `rsv=[${words.map(hex).join(', ')}]`;
}

/** An array inside the struct, at most -s elements unless -v (print_local_array_upto). */
function localArray(ctx: DecodeContext, count: number, show: (i: number) => string): string {
  const limit = ctx.options.verbose ? Infinity : ctx.options.stringLimit;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i >= limit) { parts.push('...'); break; }
    parts.push(show(i));
  }
  return `[${parts.join(', ')}]`;
}

function fields(list: readonly (string | undefined)[]): string {
  return list.filter((f): f is string => f !== undefined).join(', ');
}

function printCaps(b: Uint8Array): string {
  const names = ['max_adj', 'n_alarm', 'n_ext_ts', 'n_per_out', 'pps', 'n_pins', 'cross_timestamping', 'adjust_phase'];
  return struct([...names.map((n, i) => `${n}=${sField(b, 4 * i, 4)}`), rsv(b, 32, 12)]);
}

function printExtts(ctx: DecodeContext, code: number, b: Uint8Array): string {
  return struct([`index=${uField(b, 0, 4)}`, `flags=${printFlags(ctx.options.xlat, PTP_EXTTS_FLAGS, uField(b, 4, 4), 'PTP_???')}`,
    second(EXTTS, code) ? rsv(b, 8, 2) : undefined]);
}

function printPerout(ctx: DecodeContext, code: number, b: Uint8Array): string {
  const flags = uField(b, 36, 4);
  return struct([
    (flags & PTP_PEROUT_PHASE) !== 0n ? `phase=${clockTime(ctx, b, 0, false)}` : `start=${clockTime(ctx, b, 0, true)}`,
    `period=${clockTime(ctx, b, 16, false)}`,
    `index=${uField(b, 32, 4)}`,
    `flags=${printFlags(ctx.options.xlat, PTP_PEROUT_FLAGS, flags, 'PTP_PEROUT_???')}`,
    (flags & PTP_PEROUT_DUTY_CYCLE) !== 0n ? `on=${clockTime(ctx, b, 40, false)}` : second(PEROUT, code) ? rsv(b, 40, 4) : undefined,
  ]);
}

function printPinFunc(ctx: DecodeContext, b: Uint8Array): string {
  return `func=${printEnum(ctx.options.xlat, PTP_PIN_FUNCS, uField(b, 68, 4), 'PTP_PF_???')}, chan=${uField(b, 72, 4)}`;
}

/** The exit half of the requests that opened a struct at entry (`{n_samples=3` or `{index=1`). */
function exitOpen(ctx: ExitContext, code: number, arg: bigint): string {
  if (isError(ctx.ret)) return '}';
  if (isOne(PIN_GETFUNC, code)) {
    const b = ctx.mem.read(arg, 96);
    if (b === null) return ', ???}';
    return `, name=${fixedCString(b.subarray(0, 64))}, ${printPinFunc(ctx, b)}}`;
  }
  const extended = isOne(SYS_OFFSET_EXTENDED, code);
  const b = ctx.mem.read(arg, extended ? 1216 : 832);
  if (b === null) return ', ???}';
  const n = Math.min(Number(uField(b, 0, 4)), PTP_MAX_SAMPLES);
  const ts = extended
    ? localArray(ctx, n, (i) => `[${[0, 1, 2].map((j) => clockTime(ctx, b, 16 + 48 * i + CLOCK_TIME_SIZE * j, true)).join(', ')}]`)
    : localArray(ctx, 2 * n + 1, (i) => clockTime(ctx, b, 16 + CLOCK_TIME_SIZE * i, true));
  return `, ts=${ts}}`;
}

type Phase = 'open' | 'out';

function enter(ctx: DecodeContext, code: number, arg: bigint): IoctlEntry | undefined {
  // Without -e verbose for this call strace leaves every request to the hex default.
  if (ctx.options.structs === false) return undefined;
  const fetch = (size: number): Uint8Array | string => fetchArg(ctx, arg, size);
  const done = (text: string): IoctlEntry => ({ text: `, ${text}` });
  if (isOne(GETCAPS, code) || isOne(SYS_OFFSET_PRECISE, code)) return { text: ', ', more: true, state: 'out' satisfies Phase };
  if (isOne(ENABLE_PPS, code)) return done(hex(arg));
  if (isOne(EXTTS, code)) {
    const b = fetch(16);
    return done(typeof b === 'string' ? b : printExtts(ctx, code, b));
  }
  if (isOne(PEROUT, code)) {
    const b = fetch(56);
    return done(typeof b === 'string' ? b : printPerout(ctx, code, b));
  }
  if (isOne(PIN_SETFUNC, code)) {
    const b = fetch(96);
    if (typeof b === 'string') return done(b);
    return done(struct([`index=${uField(b, 64, 4)}`, printPinFunc(ctx, b), second(PIN_SETFUNC, code) ? rsv(b, 76, 5) : undefined]));
  }
  if (isOne(PIN_GETFUNC, code)) {
    const b = fetch(96);
    if (typeof b === 'string') return done(b);
    const head = fields([`index=${uField(b, 64, 4)}`, second(PIN_GETFUNC, code) ? rsv(b, 76, 5) : undefined]);
    return { text: `, {${head}`, more: true, state: 'open' satisfies Phase };
  }
  if (isOne(SYS_OFFSET, code) || isOne(SYS_OFFSET_EXTENDED, code)) {
    const b = fetch(isOne(SYS_OFFSET, code) ? 832 : 1216);
    if (typeof b === 'string') return done(b);
    return { text: `, {${fields([`n_samples=${uField(b, 0, 4)}`, rsv(b, 4, 3)])}`, more: true, state: 'open' satisfies Phase };
  }
  return undefined;
}

export const PTP_IOCTLS: IoctlFamily = {
  types: [0x3d],
  enter,
  exit(ctx, code, arg, state) {
    if (state === 'open') return exitOpen(ctx, code, arg);
    if (isOne(GETCAPS, code)) {
      const b = fetchArg(ctx, arg, 80, ctx);
      return typeof b === 'string' ? b : printCaps(b);
    }
    const b = fetchArg(ctx, arg, 64, ctx);
    if (typeof b === 'string') return b;
    return struct([`device=${clockTime(ctx, b, 0, true)}`, `sys_realtime=${clockTime(ctx, b, 16, true)}`,
      `sys_monoraw=${clockTime(ctx, b, 32, false)}`, rsv(b, 48, 4)]);
  },
};
