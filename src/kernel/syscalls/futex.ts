// futex: wait queues per word (src/kernel/futexes.ts); a waiting task parks and the scheduler
// runs the others. Priority-inheritance locks are not implemented (ENOSYS): static glibc uses
// them only for PTHREAD_PRIO_INHERIT mutexes.
import { E } from '../../abi/errno.js';
import { byReplay, asUint, partial, type SyscallContext, type SyscallTable } from './types.js';
import { err } from './host-abi.js';
import { BLOCKED } from '../scheduler.js';

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128;
const FUTEX_CLOCK_REALTIME = 256;
const FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

const TIMESPEC_BYTES = 16;

/** The 32-bit word at `addr`: null when unreadable, 'unaligned' when not 4-byte aligned. */
function readWord(ctx: SyscallContext, addr: bigint): number | null | 'unaligned' {
  if ((addr & 3n) !== 0n) return 'unaligned';
  const b = ctx.mm.read(addr, 4);
  return b === null ? null : new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
}

/**
 * The relative timeout of a wait in nanoseconds (undefined: none; -errno: a bad timespec):
 * FUTEX_WAIT's is relative, FUTEX_WAIT_BITSET's absolute on CLOCK_MONOTONIC or, with
 * FUTEX_CLOCK_REALTIME, CLOCK_REALTIME.
 */
function timeoutOf(ctx: SyscallContext, cmd: number, op: number, addr: bigint): bigint | undefined {
  if (addr === 0n) return undefined;
  const b = ctx.mm.read(addr, TIMESPEC_BYTES);
  if (b === null) return err(E.EFAULT);
  const dv = new DataView(b.buffer, b.byteOffset, TIMESPEC_BYTES);
  const sec = dv.getBigInt64(0, true);
  const nsec = dv.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return err(E.EINVAL);
  const ns = sec * 1_000_000_000n + nsec;
  if (cmd !== FUTEX_WAIT_BITSET) return ns;
  // In replay the clocks the guest read are the recording's: how long is left is not the host's
  // business, the recording ends the wait (Kernel.recordedTimeouts).
  if (ctx.kernel.recordedTimeouts) return 1n;
  const now = (op & FUTEX_CLOCK_REALTIME) !== 0 ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
  return ns - now;
}

/** FUTEX_WAIT(_BITSET) on a word that holds the expected value: the task queues and parks. */
function wait(ctx: SyscallContext, uaddr: bigint, bitset: number, timeout: bigint | undefined): bigint {
  if (timeout !== undefined && timeout <= 0n) return err(E.ETIMEDOUT);
  const futexes = ctx.kernel.futexes;
  const waiter = futexes.enqueue(ctx.task, ctx.mm, uaddr, bitset);
  return ctx.block({
    what: `futex 0x${uaddr.toString(16)}`,
    retry: (why) => {
      if (waiter.woken) return 0n;
      if (why === 'timeout') {
        futexes.dequeue(waiter);
        return err(E.ETIMEDOUT);
      }
      return BLOCKED;
    },
    cancel: () => futexes.dequeue(waiter),
  }, timeout);
}

/**
 * FUTEX_WAKE_OP: operates on *uaddr2, wakes up to val waiters on uaddr, and up to val2 on
 * uaddr2 if the old value of *uaddr2 passed the comparison.
 */
function wakeOp(ctx: SyscallContext, uaddr: bigint, val: number, uaddr2: bigint, val2: number, encoded: number): bigint {
  const old = readWord(ctx, uaddr2);
  if (old === 'unaligned') return err(E.EINVAL);
  if (old === null) return err(E.EFAULT);
  const opKind = (encoded >>> 28) & 7;
  const shift = (encoded >>> 28) & 8;
  let arg = (encoded << 8) >> 20; // 12-bit signed operand
  if (shift !== 0) arg = arg < 0 || arg > 31 ? 0 : 1 << arg;
  let value: number;
  switch (opKind) {
    case 0: value = arg; break; // SET
    case 1: value = old + arg; break; // ADD
    case 2: value = old | arg; break; // OR
    case 3: value = old & ~arg; break; // ANDN
    case 4: value = old ^ arg; break; // XOR
    default: return err(E.ENOSYS);
  }
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value >>> 0, true);
  if (!ctx.mm.write(uaddr2, b)) return err(E.EFAULT);
  const cmpArg = encoded & 0xfff;
  let pass: boolean;
  switch ((encoded >>> 24) & 15) {
    case 0: pass = old === cmpArg; break; // EQ
    case 1: pass = old !== cmpArg; break; // NE
    case 2: pass = (old | 0) < cmpArg; break; // LT
    case 3: pass = (old | 0) <= cmpArg; break; // LE
    case 4: pass = (old | 0) > cmpArg; break; // GT
    case 5: pass = (old | 0) >= cmpArg; break; // GE
    default: return err(E.ENOSYS);
  }
  const futexes = ctx.kernel.futexes;
  let n = futexes.wake(ctx.mm, uaddr, val, 0xffffffff);
  if (pass) n += futexes.wake(ctx.mm, uaddr2, val2, 0xffffffff);
  return BigInt(n);
}

const KNOWN_CMDS = new Set([FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET]);

function futex(ctx: SyscallContext): bigint {
  const [uaddr, opArg, valArg, timeout, uaddr2, val3] = ctx.args;
  const op = asUint(opArg!);
  const cmd = op & FUTEX_CMD_MASK;
  if (!KNOWN_CMDS.has(cmd)) return err(E.ENOSYS);
  if ((op & FUTEX_CLOCK_REALTIME) !== 0 && cmd !== FUTEX_WAIT && cmd !== FUTEX_WAIT_BITSET) return err(E.ENOSYS);
  if ((cmd === FUTEX_WAIT_BITSET || cmd === FUTEX_WAKE_BITSET) && asUint(val3!) === 0) return err(E.EINVAL);
  // Every operation looks at the first word: aligned and mapped, as Linux's futex key needs.
  const word = readWord(ctx, uaddr!);
  if (word === 'unaligned') return err(E.EINVAL);
  if (word === null) return err(E.EFAULT);
  const val = asUint(valArg!);
  const futexes = ctx.kernel.futexes;
  // For the requeue and wake-op commands the timeout argument is a count (val2).
  const val2 = Number(BigInt.asUintN(32, timeout!));
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      const t = timeoutOf(ctx, cmd, op, timeout!);
      if (t !== undefined && t < 0n && cmd === FUTEX_WAIT) return t;
      if (word !== val) return err(E.EAGAIN);
      return wait(ctx, uaddr!, cmd === FUTEX_WAIT ? 0xffffffff : asUint(val3!), t);
    }
    case FUTEX_WAKE:
      return BigInt(futexes.wake(ctx.mm, uaddr!, val, 0xffffffff));
    case FUTEX_WAKE_BITSET:
      return BigInt(futexes.wake(ctx.mm, uaddr!, val, asUint(val3!)));
    case FUTEX_CMP_REQUEUE:
      if (word !== asUint(val3!)) return err(E.EAGAIN);
      return BigInt(futexes.requeue(ctx.mm, uaddr!, uaddr2!, val, val2));
    case FUTEX_REQUEUE:
      return BigInt(futexes.requeue(ctx.mm, uaddr!, uaddr2!, val, val2));
    default: // FUTEX_WAKE_OP
      return wakeOp(ctx, uaddr!, val, uaddr2!, val2, asUint(val3!));
  }
}

export const FUTEX_SYSCALLS: SyscallTable = byReplay({
  execute: {
    futex: partial(futex, 'WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP and the bitset forms, private or in shared file mappings; no PI locks (ENOSYS)'),
  },
});
