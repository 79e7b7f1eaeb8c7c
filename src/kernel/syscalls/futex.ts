// futex for processes of one thread (threads, and with them wait queues, come with their own
// issue). Nothing can be waiting on a word, so a wake wakes nobody; a wait whose word no longer
// holds the expected value fails with EAGAIN as Linux's does; a wait that would sleep sleeps
// out its timeout (ETIMEDOUT), or for ever when it has none, as a lone thread would on Linux.
// FUTEX_WAKE_OP still does its operation on the second word. Priority-inheritance locks are
// not implemented (ENOSYS): static glibc uses them only for PTHREAD_PRIO_INHERIT mutexes.
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { asUint, partial, type SyscallContext, type SyscallTable } from './types.js';
import { err, inPtr, withScratch } from './host-abi.js';

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

const CLOCK_REALTIME = 0n;
const CLOCK_MONOTONIC = 1n;
const TIMER_ABSTIME = 1n;
const TIMESPEC_BYTES = 16;

/** The 32-bit word at `addr`: null when unreadable, 'unaligned' when not 4-byte aligned. */
function readWord(ctx: SyscallContext, addr: bigint): number | null | 'unaligned' {
  if ((addr & 3n) !== 0n) return 'unaligned';
  const b = ctx.mm.read(addr, 4);
  return b === null ? null : new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
}

/** The wait's sleep: out its timeout (relative for FUTEX_WAIT, absolute for the bitset form), or for ever. */
function sleep(ctx: SyscallContext, cmd: number, op: number, timeout: bigint): bigint {
  if (timeout === 0n) {
    // No waker can exist: the lone thread sleeps until something from outside ends the process.
    for (;;) hs(HOST.pause);
  }
  const ts = inPtr(ctx.mm, timeout, TIMESPEC_BYTES);
  const clock = (op & FUTEX_CLOCK_REALTIME) !== 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  const r = cmd === FUTEX_WAIT_BITSET
    ? hs(HOST.clock_nanosleep, clock, TIMER_ABSTIME, ts, 0n)
    : hs(HOST.clock_nanosleep, CLOCK_MONOTONIC, 0n, ts, 0n);
  return r === 0n ? err(E.ETIMEDOUT) : r;
}

/** FUTEX_WAKE_OP's operation on *uaddr2 (the wake half has nobody to wake). */
function wakeOp(ctx: SyscallContext, uaddr2: bigint, encoded: number): bigint {
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
  return ctx.mm.write(uaddr2, b) ? 0n : err(E.EFAULT);
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
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
      return word !== asUint(valArg!) ? err(E.EAGAIN) : sleep(ctx, cmd, op, timeout!);
    case FUTEX_CMP_REQUEUE:
      return word === asUint(val3!) ? 0n : err(E.EAGAIN);
    case FUTEX_WAKE_OP:
      return wakeOp(ctx, uaddr2!, asUint(val3!));
    default: // WAKE, WAKE_BITSET, REQUEUE: nobody to wake or move
      return 0n;
  }
}

export const FUTEX_SYSCALLS: SyscallTable = {
  futex: partial(withScratch(futex), 'one thread per process: wakes find nobody, waits fail (EAGAIN) or sleep out their timeout; no PI locks'),
};
