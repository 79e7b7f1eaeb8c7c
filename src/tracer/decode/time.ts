// Clock and sleep syscalls (strace's time.c).
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import { ITIMERSPEC, ITIMERVAL, TIMESPEC, TIMEVAL, TIMEZONE } from '../../abi/structs.js';
import { printSignalName } from './signal.js';
import { CLOCK_IDS, ITIMER_WHICH, SIGEV_NOTIFY, TIMER_FLAGS } from '../xlat/time.js';
import { custom, customOut, flags, xval, type SyscallTable } from './args.js';
import { errnoOf, formatReturn, isError, printEnum, printInStruct, printOutStruct, printPtr, readInt, readStruct, u64, type StructView } from './printers.js';
import { calendarTime, timeComment } from './fs-metadata.js';
import { isRestartErrno } from '../../abi/errno.js';

/** `{tv_sec=1, tv_nsec=2}` from a struct in memory (input argument). */
export function printTimespec(ctx: DecodeContext, addr: bigint): string {
  return printInStruct(ctx, addr, TIMESPEC, (v) => `{tv_sec=${v.get('tv_sec')}, tv_nsec=${v.get('tv_nsec')}}`);
}

/** The same for an output argument: the address when the call failed. */
export function printTimespecOut(ctx: ExitContext, addr: bigint): string {
  return printOutStruct(ctx, addr, TIMESPEC, (v) => `{tv_sec=${v.get('tv_sec')}, tv_nsec=${v.get('tv_nsec')}}`);
}

export function printTimeval(ctx: DecodeContext, addr: bigint): string {
  return printInStruct(ctx, addr, TIMEVAL, (v) => `{tv_sec=${v.get('tv_sec')}, tv_usec=${v.get('tv_usec')}}`);
}

export function printTimevalOut(ctx: ExitContext, addr: bigint): string {
  return printOutStruct(ctx, addr, TIMEVAL, (v) => `{tv_sec=${v.get('tv_sec')}, tv_usec=${v.get('tv_usec')}}`);
}

/** time: the value at the pointer with its date, and the date after the result (strace's RVAL_STR). */
const time: SyscallDecoder = {
  enter: () => ({ text: '' }),
  exit(ctx) {
    const at = ctx.args[0]!;
    const b = u64(at) === 0n ? null : ctx.mem.read(at, 8);
    const where = u64(at) === 0n ? 'NULL' : b === null ? printPtr(at) : `[${readInt(b, 0, 8, true)}${timeComment(readInt(b, 0, 8, true), 0n, 9)}]`;
    if (isError(ctx.ret)) return { text: where, ret: formatReturn(ctx, 'dec') };
    const date = calendarTime(BigInt.asIntN(64, ctx.ret));
    return { text: where, ret: `${formatReturn(ctx, 'dec')}${date === '' ? '' : ` (${date})`}` };
  },
};

/** A timespec the kernel wrote even though the call "failed" with a restart code (nanosleep's rem). */
function printRemaining(ctx: ExitContext, addr: bigint, significant: boolean): string {
  if (!significant || !isRestartErrno(errnoOf(ctx.ret))) return printPtr(addr);
  if (u64(addr) === 0n) return 'NULL';
  const v = readStruct(ctx, addr, TIMESPEC);
  return v === null ? printPtr(addr) : `{tv_sec=${v.get('tv_sec')}, tv_nsec=${v.get('tv_nsec')}}`;
}

const clockId = xval(CLOCK_IDS, 'CLOCK_???', 'x');
const timespecIn = custom(printTimespec);
const timespecOut = customOut(printTimespecOut);
const timevalOut = customOut(printTimevalOut);
const timezoneOut = customOut((ctx, v) =>
  printOutStruct(ctx, v, TIMEZONE, (t) => `{tz_minuteswest=${t.get('tz_minuteswest')}, tz_dsttime=${t.get('tz_dsttime')}}`));

function printItimerval(v: StructView<keyof typeof ITIMERVAL.fields>): string {
  return `{it_interval={tv_sec=${v.get('it_interval_sec')}, tv_usec=${v.get('it_interval_usec')}}, ` +
    `it_value={tv_sec=${v.get('it_value_sec')}, tv_usec=${v.get('it_value_usec')}}}`;
}

function printItimerspec(v: StructView<keyof typeof ITIMERSPEC.fields>): string {
  return `{it_interval={tv_sec=${v.get('it_interval_sec')}, tv_nsec=${v.get('it_interval_nsec')}}, ` +
    `it_value={tv_sec=${v.get('it_value_sec')}, tv_nsec=${v.get('it_value_nsec')}}}`;
}

const SIGEV_SIGNAL = 0;
const SIGEV_THREAD = 2;
const SIGEV_THREAD_ID = 4;

/** A struct sigevent (timer_create), as strace's print_sigevent shows it. */
function printSigevent(ctx: DecodeContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const b = ctx.mem.read(u64(addr), 64);
  if (b === null) return printPtr(addr);
  const dv = new DataView(b.buffer, b.byteOffset, 64);
  const value = dv.getBigUint64(0, true);
  const signo = dv.getInt32(8, true);
  const notify = dv.getInt32(12, true);
  // the value only when its pointer is set; the signal by name when one is sent
  const f = value === 0n ? [] : [`sigev_value={sival_int=${Number(BigInt.asIntN(32, value))}, sival_ptr=${printPtr(value)}}`];
  const signalled = notify === SIGEV_SIGNAL || notify === SIGEV_THREAD || notify === SIGEV_THREAD_ID;
  f.push(`sigev_signo=${signalled ? printSignalName(ctx.options.xlat, signo) : String(signo >>> 0)}`);
  f.push(`sigev_notify=${printEnum(ctx.options.xlat, SIGEV_NOTIFY, BigInt(notify), 'SIGEV_???')}`);
  if (notify === SIGEV_THREAD_ID) f.push(`sigev_notify_thread_id=${dv.getInt32(16, true)}`);
  else if (notify === SIGEV_THREAD) {
    f.push(`sigev_notify_function=${printPtr(dv.getBigUint64(16, true))}`, `sigev_notify_attributes=${printPtr(dv.getBigUint64(24, true))}`);
  }
  return `{${f.join(', ')}}`;
}

const itimerspecIn = custom((ctx, v) => printInStruct(ctx, v, ITIMERSPEC, (s) => printItimerspec(s)));
const itimerspecOut = customOut((ctx, v) => printOutStruct(ctx, v, ITIMERSPEC, (s) => printItimerspec(s)));
/** timer_create's id out: `[0]`. */
const timerIdOut = customOut((ctx, v) => {
  if (u64(v) === 0n) return 'NULL';
  if (isError(ctx.ret)) return printPtr(v);
  const b = ctx.mem.read(u64(v), 4);
  return b === null ? printPtr(v) : `[${new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true)}]`;
});
const timerId = custom((_ctx, v) => String(Number(BigInt.asIntN(32, v))));

export const TIME_SYSCALLS: SyscallTable = {
  timer_create: { args: [clockId, custom(printSigevent), timerIdOut] },
  timer_settime: { args: [timerId, flags(TIMER_FLAGS), itimerspecIn, itimerspecOut] },
  timer_gettime: { args: [timerId, itimerspecOut] },
  timer_getoverrun: { args: [timerId] },
  timer_delete: { args: [timerId] },
  clock_gettime: { args: [clockId, timespecOut] },
  clock_getres: { args: [clockId, timespecOut] },
  clock_settime: { args: [clockId, timespecIn] },
  gettimeofday: { args: [timevalOut, timezoneOut] },
  settimeofday: { args: [custom(printTimeval), custom((ctx, v) => printInStruct(ctx, v, TIMEZONE, (t) => `{tz_minuteswest=${t.get('tz_minuteswest')}, tz_dsttime=${t.get('tz_dsttime')}}`))] },
  nanosleep: { args: [timespecIn, customOut((ctx, v) => printRemaining(ctx, v, true))] },
  clock_nanosleep: {
    args: [clockId, flags(TIMER_FLAGS, 'TIMER_???'), timespecIn, customOut((ctx, v) => printRemaining(ctx, v, u64(ctx.args[1]!) === 0n))],
  },
  time: { decoder: time },
  getitimer: { args: [xval(ITIMER_WHICH, 'ITIMER_???'), customOut((ctx, v) => printOutStruct(ctx, v, ITIMERVAL, (s) => printItimerval(s)))] },
  setitimer: {
    args: [xval(ITIMER_WHICH, 'ITIMER_???'), custom((ctx, v) => printInStruct(ctx, v, ITIMERVAL, (s) => printItimerval(s))),
      customOut((ctx, v) => printOutStruct(ctx, v, ITIMERVAL, (s) => printItimerval(s)))],
  },
  alarm: { args: [custom((_ctx, v) => String(BigInt.asUintN(32, v)))] },
};

