// Clocks and sleeps, passed to the host but for the guest's own CPU time (a recording keeps
// their results for replay).
import { cpuClockReader, processUsage, rusageTimesBytes, tmsBytes } from '../cpu-time.js';
import { HOST, hostSyscall } from '../../../packages/host-syscall/src/index.js';
import { passToHost as pass } from './host-pass.js';
import { byReplay, full, asInt, type SyscallContext, type SyscallTable } from './types.js';
import { E } from '../../abi/errno.js';
import { BLOCKED } from '../scheduler.js';

const TIMESPEC = 16;
const TIMER_ABSTIME = 1;
const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_BOOTTIME = 7;
const CLOCK_TAI = 11;
const err = (e: number): bigint => -BigInt(e);

/** A timespec's nanoseconds, or -errno (EFAULT unreadable, EINVAL out of range). */
function readTimespec(ctx: SyscallContext, addr: bigint): bigint {
  const b = ctx.mm.read(addr, TIMESPEC);
  if (b === null) return err(E.EFAULT);
  const dv = new DataView(b.buffer, b.byteOffset, TIMESPEC);
  const sec = dv.getBigInt64(0, true);
  const nsec = dv.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return err(E.EINVAL);
  return sec * 1_000_000_000n + nsec;
}

/** A struct timespec holding `ns` nanoseconds. */
function timespecBytes(ns: bigint): Uint8Array {
  const out = new Uint8Array(TIMESPEC);
  const dv = new DataView(out.buffer);
  dv.setBigInt64(0, ns / 1_000_000_000n, true);
  dv.setBigInt64(8, ns % 1_000_000_000n, true);
  return out;
}

/**
 * A sleep parks its task until the deadline (other tasks run meanwhile). Interrupted by a
 * signal, a relative sleep writes the time left to `rem` and ends with ERESTART_RESTARTBLOCK,
 * an absolute one with ERESTARTNOHAND: the guest sees EINTR when a handler runs, else the
 * call goes on (the relative one through restart_syscall, until its first deadline).
 */
function sleep(ctx: SyscallContext, ns: bigint, rem: bigint, absolute = false): bigint {
  return sleepUntil(ctx, process.hrtime.bigint() + ns, rem, absolute);
}

function sleepUntil(ctx: SyscallContext, deadline: bigint, rem: bigint, absolute: boolean): bigint {
  const left = (): bigint => {
    const l = deadline - process.hrtime.bigint();
    return l < 0n ? 0n : l;
  };
  return ctx.block({
    what: 'sleeping',
    retry: (why) => (why === 'timeout' || left() === 0n ? 0n : BLOCKED),
    onSignal: () => {
      if (absolute) return err(E.ERESTARTNOHAND);
      if (rem !== 0n && !ctx.mm.write(rem, timespecBytes(left()))) return err(E.EFAULT);
      ctx.task.restartBlock = (resumed) => (left() === 0n ? 0n : sleepUntil(resumed, deadline, rem, false));
      return err(E.ERESTART_RESTARTBLOCK);
    },
  }, left());
}

function nanosleep(ctx: SyscallContext): bigint {
  const ns = readTimespec(ctx, ctx.args[0]!);
  return ns < 0n ? ns : sleep(ctx, ns, ctx.args[1]!);
}

function clockNanosleep(ctx: SyscallContext): bigint {
  const clock = asInt(ctx.args[0]!);
  const flags = asInt(ctx.args[1]!);
  if (clock !== CLOCK_REALTIME && clock !== CLOCK_MONOTONIC && clock !== CLOCK_BOOTTIME && clock !== CLOCK_TAI) {
    return err(E.EINVAL);
  }
  let ns = readTimespec(ctx, ctx.args[2]!);
  if (ns < 0n) return ns;
  if ((flags & TIMER_ABSTIME) !== 0) {
    const now = clock === CLOCK_REALTIME || clock === CLOCK_TAI ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
    ns -= now;
    if (ns <= 0n) return 0n;
    return sleep(ctx, ns, 0n, true);
  }
  return sleep(ctx, ns, ctx.args[3]!);
}

const RUSAGE_SELF = 0;
const RUSAGE_CHILDREN = -1;
const RUSAGE_THREAD = 1;
const hostGetrusage = pass(HOST.getrusage, [[1, 144, 'out']]);

/** The host's struct rusage (its counters), with the guest's own user and system times. */
function getrusage(ctx: SyscallContext): bigint {
  const r = hostGetrusage(ctx);
  if (r !== 0n) return r;
  const who = asInt(ctx.args[0]!);
  const usage = who === RUSAGE_SELF ? processUsage(ctx.proc)
    : who === RUSAGE_CHILDREN ? ctx.proc.childrenUsage
    : who === RUSAGE_THREAD ? ctx.task.usage
    : undefined;
  if (usage !== undefined && !ctx.mm.write(ctx.args[1]!, rusageTimesBytes(usage))) return err(E.EFAULT);
  return 0n;
}

/** times: the guest's own times in clock ticks; the return value, ticks since boot, the host's. */
function times(ctx: SyscallContext): bigint {
  const buf = ctx.args[0]!;
  if (buf !== 0n && !ctx.mm.write(buf, tmsBytes(ctx.proc))) return err(E.EFAULT);
  return hostSyscall(HOST.times, 0n);
}

const hostClockGettime = pass(HOST.clock_gettime, [[1, TIMESPEC, 'out']]);

/** The CPU-time clocks count the guest's own time (cpu-time.ts); the others are the host's. */
function clockGettime(ctx: SyscallContext): bigint {
  const reader = cpuClockReader(asInt(ctx.args[0]!), ctx.task, (tid) => ctx.kernel.taskSeenBy(ctx.proc, tid), false);
  if (reader === undefined) return hostClockGettime(ctx);
  if (typeof reader === 'number') return BigInt(reader);
  return ctx.mm.write(ctx.args[1]!, timespecBytes(reader())) ? 0n : err(E.EFAULT);
}

export const TIME_SYSCALLS: SyscallTable = byReplay({
  apply: {
    clock_gettime: full(clockGettime),
    clock_getres: full(pass(HOST.clock_getres, [[1, TIMESPEC, 'out']])),
    gettimeofday: full(pass(HOST.gettimeofday, [[0, 16, 'out'], [1, 8, 'out']])),
    time: full(pass(201, [[0, 8, 'out']])),
    nanosleep: full(nanosleep),
    clock_nanosleep: full(clockNanosleep),
    getrusage: full(getrusage),
    times: full(times),
  },
});
