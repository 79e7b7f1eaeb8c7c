// Timers that signal the process: alarm, setitimer/getitimer (ITIMER_REAL counts down in host
// time and sends SIGALRM; ITIMER_VIRTUAL counts the process's user time and sends SIGVTALRM,
// ITIMER_PROF its user and system time and sends SIGPROF), and POSIX timers (timer_create with
// SIGEV_SIGNAL/SIGEV_THREAD, SIGEV_THREAD_ID or SIGEV_NONE on the wall, monotonic and CPU-time
// clocks). The kernel's TimerQueue fires them.
import { E } from '../../abi/errno.js';
import { SIG, isValidSignal } from '../../abi/signals.js';
import { GuestTimer, SI_TIMER, hostClock } from '../timers.js';
import { cpuClockReader, processCpuClock } from '../cpu-time.js';
import type { ThreadGroup } from '../task.js';
import { SI_KERNEL, type Siginfo } from '../ptrace.js';
import type { Kernel } from '../kernel.js';
import { byReplay, asInt, full, type SyscallContext, type SyscallTable } from './types.js';

const err = (e: number): bigint => -BigInt(e);
const NSEC = 1_000_000_000n;
const bit = (signo: number): bigint => 1n << BigInt(signo - 1);

const ITIMER_REAL = 0;
const ITIMER_VIRTUAL = 1;
const ITIMER_PROF = 2;

// ---- time values ------------------------------------------------------------------------

/** A pair of timevals (itimerval) or timespecs (itimerspec): interval first, then value. */
interface TimerSpec {
  readonly interval: bigint;
  readonly value: bigint;
}

/** Reads an itimerval (`micro`) or itimerspec: ns, or -errno (EFAULT, EINVAL out of range). */
function readSpec(ctx: SyscallContext, addr: bigint, micro: boolean): TimerSpec | bigint {
  const b = ctx.mm.read(addr, 32);
  if (b === null) return err(E.EFAULT);
  const dv = new DataView(b.buffer, b.byteOffset, 32);
  const unit = micro ? 1000n : 1n;
  const limit = micro ? 1_000_000n : NSEC;
  const ns = (off: number): bigint | undefined => {
    const sec = dv.getBigInt64(off, true);
    const frac = dv.getBigInt64(off + 8, true);
    if (sec < 0n || frac < 0n || frac >= limit) return undefined;
    return sec * NSEC + frac * unit;
  };
  const interval = ns(0);
  const value = ns(16);
  if (interval === undefined || value === undefined) return err(E.EINVAL);
  return { interval, value };
}

/** Writes an itimerval (`micro`: microseconds, truncated as Linux truncates) or itimerspec. */
function writeSpec(ctx: SyscallContext, addr: bigint, spec: TimerSpec, micro: boolean): boolean {
  const out = new Uint8Array(32);
  const dv = new DataView(out.buffer);
  const put = (off: number, ns: bigint): void => {
    dv.setBigInt64(off, ns / NSEC, true);
    dv.setBigInt64(off + 8, micro ? (ns % NSEC) / 1000n : ns % NSEC, true);
  };
  put(0, spec.interval);
  put(16, spec.value);
  return ctx.mm.write(addr, out);
}

// ---- interval timers --------------------------------------------------------------------

/** Each interval timer's signal and clock (none: host time). */
const ITIMERS: Record<number, { readonly signo: number; readonly userOnly?: boolean }> = {
  [ITIMER_REAL]: { signo: SIG.SIGALRM },
  [ITIMER_VIRTUAL]: { signo: SIG.SIGVTALRM, userOnly: true },
  [ITIMER_PROF]: { signo: SIG.SIGPROF, userOnly: false },
};

/** The process's interval timer `which`, made on first use: it sends its signal from the kernel. */
function intervalTimer(kernel: Kernel, group: ThreadGroup, which: number): GuestTimer {
  let t = group.itimers.get(which);
  if (t === undefined) {
    const { signo, userOnly } = ITIMERS[which]!;
    const fire = (timer: GuestTimer): boolean => {
      kernel.sendProcessSignal(timer.group, { signo, code: SI_KERNEL });
      return true;
    };
    t = new GuestTimer(group, fire, userOnly === undefined ? hostClock : processCpuClock(group, userOnly));
    group.itimers.set(which, t);
    kernel.timers.add(t);
  }
  return t;
}

function currentItimer(ctx: SyscallContext, which: number): TimerSpec {
  const t = ctx.proc.itimers.get(which);
  return { interval: t?.interval ?? 0n, value: t?.left() ?? 0n };
}

/** Linux's jiffy at HZ=250 (Debian's kernels), which it adds to a CPU-time itimer's first expiry. */
const TICK_NS = 4_000_000n;

function setItimer(ctx: SyscallContext, which: number, spec: TimerSpec): void {
  const late = which !== ITIMER_REAL && spec.value !== 0n ? TICK_NS : 0n;
  intervalTimer(ctx.kernel, ctx.proc, which).arm(spec.value + late, spec.interval);
}

const validWhich = (which: number): boolean => which === ITIMER_REAL || which === ITIMER_VIRTUAL || which === ITIMER_PROF;

function getitimer(ctx: SyscallContext): bigint {
  const which = asInt(ctx.args[0]!);
  if (!validWhich(which)) return err(E.EINVAL);
  return writeSpec(ctx, ctx.args[1]!, currentItimer(ctx, which), true) ? 0n : err(E.EFAULT);
}

function setitimer(ctx: SyscallContext): bigint {
  const [whichArg, newAddr, oldAddr] = ctx.args as [bigint, bigint, bigint];
  const which = asInt(whichArg);
  if (!validWhich(which)) return err(E.EINVAL);
  // A NULL new value disarms (Linux accepts it, with a warning in its log).
  let spec: TimerSpec = { interval: 0n, value: 0n };
  if (newAddr !== 0n) {
    const r = readSpec(ctx, newAddr, true);
    if (typeof r === 'bigint') return r;
    spec = r;
  }
  if (oldAddr !== 0n && !writeSpec(ctx, oldAddr, currentItimer(ctx, which), true)) return err(E.EFAULT);
  setItimer(ctx, which, spec);
  return 0n;
}

/** alarm: ITIMER_REAL in whole seconds; returns the seconds left of the previous one, rounded. */
function alarm(ctx: SyscallContext): bigint {
  const seconds = BigInt.asUintN(32, ctx.args[0]!);
  const old = currentItimer(ctx, ITIMER_REAL).value;
  setItimer(ctx, ITIMER_REAL, { interval: 0n, value: seconds * NSEC });
  let sec = old / NSEC;
  const usec = (old % NSEC) / 1000n;
  if ((sec === 0n && usec !== 0n) || usec >= 500_000n) sec++;
  return sec;
}

// ---- POSIX timers -----------------------------------------------------------------------

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_BOOTTIME = 7;
const CLOCK_REALTIME_ALARM = 8;
const CLOCK_BOOTTIME_ALARM = 9;
const CLOCK_TAI = 11;
const SIGEV_SIGNAL = 0;
const SIGEV_NONE = 1;
const SIGEV_THREAD = 2;
const SIGEV_THREAD_ID = 4;
const TIMER_ABSTIME = 1;
/** The clock each POSIX timer counts on, for TIMER_ABSTIME. */
const timerClocks = new WeakMap<GuestTimer, number>();

function timerCreate(ctx: SyscallContext): bigint {
  const [clockArg, sevp, idAddr] = ctx.args as [bigint, bigint, bigint];
  const clock = asInt(clockArg);
  if (clock === CLOCK_REALTIME_ALARM || clock === CLOCK_BOOTTIME_ALARM) return err(E.EPERM); // needs CAP_WAKE_ALARM
  const cpuClock = cpuClockReader(clock, ctx.task, (tid) => ctx.kernel.taskSeenBy(ctx.proc, tid), true);
  if (typeof cpuClock === 'number') return BigInt(cpuClock);
  if (cpuClock === undefined && clock !== CLOCK_REALTIME && clock !== CLOCK_MONOTONIC && clock !== CLOCK_BOOTTIME && clock !== CLOCK_TAI) return err(E.EINVAL);
  const group = ctx.proc;
  // Ids are handed out in sequence per process, as Linux does (a deleted id is not reused at once).
  let id = group.nextTimerId;
  while (group.posixTimers.has(id)) id = (id + 1) & 0x7fffffff;
  group.nextTimerId = (id + 1) & 0x7fffffff;
  let notify = SIGEV_SIGNAL;
  let signo: number = SIG.SIGALRM;
  let value = BigInt(id);
  let tid = 0;
  if (sevp !== 0n) {
    const b = ctx.mm.read(sevp, 64);
    if (b === null) return err(E.EFAULT);
    const dv = new DataView(b.buffer, b.byteOffset, 64);
    value = dv.getBigUint64(0, true);
    signo = dv.getInt32(8, true);
    notify = dv.getInt32(12, true);
    tid = dv.getInt32(16, true);
    // SIGEV_THREAD is libc's business: to the kernel it is a signal to the process
    if (notify === SIGEV_THREAD) notify = SIGEV_SIGNAL;
    if (notify !== SIGEV_SIGNAL && notify !== SIGEV_NONE && notify !== SIGEV_THREAD_ID) return err(E.EINVAL);
    if (notify !== SIGEV_NONE && !isValidSignal(signo)) return err(E.EINVAL);
    if (notify === SIGEV_THREAD_ID) {
      // The thread is named in the caller's pid namespace; the timer keeps its global id.
      const target = ctx.kernel.taskSeenBy(group, tid);
      if (target === undefined || target.group !== group) return err(E.EINVAL);
      tid = target.tid;
    }
  }
  const kernel = ctx.kernel;
  const fire = (t: GuestTimer): boolean => {
    if (notify === SIGEV_NONE) return true;
    const info: Siginfo = { signo, code: SI_TIMER, timerid: id, overrun: t.overrun, value };
    const target = notify === SIGEV_THREAD_ID ? kernel.task(tid) : undefined;
    const pendingAlready = (target ?? group.tasks.find((x) => x.state !== 'zombie' && x.state !== 'dead'))?.pending ?? 0n;
    if ((pendingAlready & bit(signo)) !== 0n) return false;
    if (target !== undefined) kernel.sendSignal(target, info);
    else kernel.sendProcessSignal(group, info);
    return true;
  };
  const timer = new GuestTimer(group, fire, cpuClock ?? hostClock);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, id, true);
  if (!ctx.mm.write(idAddr, out)) return err(E.EFAULT);
  timerClocks.set(timer, clock);
  group.posixTimers.set(id, timer);
  kernel.timers.add(timer);
  return 0n;
}

const posixTimer = (ctx: SyscallContext): GuestTimer | undefined => ctx.proc.posixTimers.get(asInt(ctx.args[0]!));

const timerSpecOf = (t: GuestTimer): TimerSpec => ({ interval: t.interval, value: t.left() });

function timerSettime(ctx: SyscallContext): bigint {
  const [, flagsArg, newAddr, oldAddr] = ctx.args as [bigint, bigint, bigint, bigint];
  const t = posixTimer(ctx);
  if (t === undefined) return err(E.EINVAL);
  const spec = readSpec(ctx, newAddr, false);
  if (typeof spec === 'bigint') return spec;
  if (oldAddr !== 0n && !writeSpec(ctx, oldAddr, timerSpecOf(t), false)) return err(E.EFAULT);
  const now = t.clock();
  let value = spec.value;
  if ((asInt(flagsArg) & TIMER_ABSTIME) !== 0 && value !== 0n) {
    const clock = timerClocks.get(t);
    const clockNow = clock === CLOCK_REALTIME || clock === CLOCK_TAI ? BigInt(Date.now()) * 1_000_000n : now;
    value -= clockNow;
    if (value <= 0n) value = 1n; // already past: expires at once
  }
  t.arm(value, spec.interval, now);
  return 0n;
}

function timerGettime(ctx: SyscallContext): bigint {
  const t = posixTimer(ctx);
  if (t === undefined) return err(E.EINVAL);
  return writeSpec(ctx, ctx.args[1]!, timerSpecOf(t), false) ? 0n : err(E.EFAULT);
}

function timerGetoverrun(ctx: SyscallContext): bigint {
  const t = posixTimer(ctx);
  return t === undefined ? err(E.EINVAL) : BigInt(t.overrun);
}

function timerDelete(ctx: SyscallContext): bigint {
  const t = posixTimer(ctx);
  if (t === undefined) return err(E.EINVAL);
  ctx.kernel.timers.remove(t);
  ctx.proc.posixTimers.delete(asInt(ctx.args[0]!));
  return 0n;
}

export const TIMER_SYSCALLS: SyscallTable = byReplay({
  // Applied: the signals timers send come from host time, as outside signals do, and the
  // recording places them (a call's raised signals, timer_signals).
  apply: {
    alarm: full(alarm),
    getitimer: full(getitimer),
    setitimer: full(setitimer),
    timer_create: full(timerCreate),
    timer_settime: full(timerSettime),
    timer_gettime: full(timerGettime),
    timer_getoverrun: full(timerGetoverrun),
    timer_delete: full(timerDelete),
  },
});
