// Clocks and sleeps, passed to the host (a recording keeps their results for replay).
import { HOST } from '../../../packages/host-syscall/src/index.js';
import { passToHost as pass } from './host-pass.js';
import { full, asInt, type SyscallContext, type SyscallTable } from './types.js';
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

/**
 * A sleep parks its task until the deadline (other tasks run meanwhile). Interrupted by a
 * signal it returns EINTR and, for a relative sleep, writes the time left to `rem`.
 */
function sleep(ctx: SyscallContext, ns: bigint, rem: bigint): bigint {
  const deadline = process.hrtime.bigint() + ns;
  return ctx.block({
    what: 'sleeping',
    retry: (why) => (why === 'timeout' || process.hrtime.bigint() >= deadline ? 0n : BLOCKED),
    onSignal: () => {
      if (rem !== 0n) {
        const left = deadline - process.hrtime.bigint();
        const l = left < 0n ? 0n : left;
        const out = new Uint8Array(TIMESPEC);
        const dv = new DataView(out.buffer);
        dv.setBigInt64(0, l / 1_000_000_000n, true);
        dv.setBigInt64(8, l % 1_000_000_000n, true);
        if (!ctx.mm.write(rem, out)) return err(E.EFAULT);
      }
      return err(E.EINTR);
    },
  }, ns);
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
    return sleep(ctx, ns, 0n);
  }
  return sleep(ctx, ns, ctx.args[3]!);
}

export const TIME_SYSCALLS: SyscallTable = {
  clock_gettime: full(pass(HOST.clock_gettime, [[1, TIMESPEC, 'out']])),
  clock_getres: full(pass(HOST.clock_getres, [[1, TIMESPEC, 'out']])),
  gettimeofday: full(pass(HOST.gettimeofday, [[0, 16, 'out'], [1, 8, 'out']])),
  time: full(pass(201, [[0, 8, 'out']])),
  nanosleep: full(nanosleep),
  clock_nanosleep: full(clockNanosleep),
  getrusage: full(pass(98, [[1, 144, 'out']])),
  times: full(pass(100, [[0, 32, 'out']])),
};
