// Signal syscalls: rt_sigaction, rt_sigprocmask, kill/tgkill/tkill, rt_(tg)sigqueueinfo,
// sigaltstack, and the calls that wait for a signal (pause, rt_sigsuspend, rt_sigtimedwait).
// Delivery itself lives in the kernel.
import { E } from '../../abi/errno.js';
import { SIG, isValidSignal, defaultAction } from '../../abi/signals.js';
import { SIG_DFL, SIG_IGN } from '../task.js';
import { decodeStruct, encodeStruct } from './guest-memory.js';
import { byReplay, full, partial, asInt, NO_RETURN, type SyscallContext, type SyscallTable } from './types.js';
import { BLOCKED } from '../scheduler.js';
import { encodeSiginfo } from '../kernel.js';
import type { Siginfo } from '../ptrace.js';

const err = (e: number): bigint => -BigInt(e);
const SIGSET_SIZE = 8n;
const bit = (signo: number): bigint => 1n << BigInt(signo - 1);
const UNBLOCKABLE = bit(SIG.SIGKILL) | bit(SIG.SIGSTOP);
const SI_USER = 0;
/** SA_NOCLDSTOP|SA_NOCLDWAIT|SA_SIGINFO|SA_EXPOSE_TAGBITS|SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_NODEFER|SA_RESETHAND. */
const KNOWN_SA_FLAGS = 0xdc000807n;
const SA_RESTORER = 0x04000000n;
/** The fields of struct sigaction every arch has (sa_restorer is read from the layout when it has one). */
type SigactionField = 'sa_handler' | 'sa_flags' | 'sa_mask';
const SI_TKILL = -6;

function rtSigaction({ args, proc, mm, arch, kernel }: SyscallContext): bigint {
  const signo = asInt(args[0]!);
  const [, act, oact, size] = args as [bigint, bigint, bigint, bigint];
  if (size !== SIGSET_SIZE) return err(E.EINVAL);
  if (!isValidSignal(signo)) return err(E.EINVAL);
  if (act !== 0n && (signo === SIG.SIGKILL || signo === SIG.SIGSTOP)) return err(E.EINVAL);
  const layout = arch.structs.sigaction;
  const hasRestorer = layout.fields.sa_restorer !== undefined;
  let next;
  if (act !== 0n) {
    const b = mm.read(act, layout.size);
    if (b === null) return err(E.EFAULT);
    const v: Partial<Record<'sa_restorer', bigint>> & Record<'sa_handler' | 'sa_flags' | 'sa_mask', bigint> = decodeStruct<SigactionField>(layout, b);
    // Linux (5.11+) silently clears flag bits it does not know, e.g. glibc's sign extension, and
    // SA_RESTORER where the arch has none.
    const known = hasRestorer ? KNOWN_SA_FLAGS : KNOWN_SA_FLAGS & ~SA_RESTORER;
    next = { handler: v.sa_handler, flags: v.sa_flags & known, restorer: v.sa_restorer ?? 0n, mask: v.sa_mask & ~UNBLOCKABLE };
  }
  const current = proc.actions[signo]!;
  if (oact !== 0n) {
    const values = { sa_handler: current.handler, sa_flags: current.flags, sa_mask: current.mask };
    const out = encodeStruct<SigactionField>(layout, values);
    const restorer = layout.fields.sa_restorer;
    if (restorer !== undefined) new DataView(out.buffer).setBigUint64(restorer.offset, BigInt.asUintN(64, current.restorer), true);
    if (!mm.write(oact, out)) return err(E.EFAULT);
  }
  if (next !== undefined) {
    proc.actions[signo] = next;
    // POSIX: a pending signal whose action becomes "ignore" is discarded.
    if (next.handler === SIG_IGN || (next.handler === SIG_DFL && defaultAction(signo) === 'ignore')) kernel.discardPending(proc, signo);
  }
  return 0n;
}

function rtSigprocmask({ args, task, mm }: SyscallContext): bigint {
  const how = asInt(args[0]!);
  const [, set, oset, size] = args as [bigint, bigint, bigint, bigint];
  if (size !== SIGSET_SIZE) return err(E.EINVAL);
  let change: bigint | undefined;
  if (set !== 0n) {
    const b = mm.read(set, 8);
    if (b === null) return err(E.EFAULT);
    change = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
    if (how < 0 || how > 2) return err(E.EINVAL);
  }
  if (oset !== 0n) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, task.sigmask, true);
    if (!mm.write(oset, out)) return err(E.EFAULT);
  }
  if (change !== undefined) {
    if (how === 0) task.sigmask |= change;
    else if (how === 1) task.sigmask &= ~change;
    else task.sigmask = change;
    task.sigmask &= ~UNBLOCKABLE;
  }
  return 0n;
}

/** kill: a process (pid > 0), a process group (0: the caller's, < -1), or every process (-1). */
function kill({ args, proc, kernel }: SyscallContext): bigint {
  const pid = asInt(args[0]!);
  const signo = asInt(args[1]!);
  if (signo !== 0 && !isValidSignal(signo)) return err(E.EINVAL);
  // Ids are the caller's pid namespace's; -1 is every process it can see but itself and its init.
  const ns = proc.pidns;
  const named = pid > 0 || pid < -1 ? ns.globalOf(Math.abs(pid)) : undefined;
  const targets = [...kernel.processes()].filter((g) => {
    if (g.termination !== undefined) return false;
    if (pid > 0) return g.pid === named;
    if (pid === 0) return g.pgid === proc.pgid;
    if (pid === -1) return g !== proc && g !== ns.init && ns.contains(g.pidns);
    return g.pgid === named;
  });
  if (targets.length === 0) return err(E.ESRCH);
  if (signo !== 0) for (const g of targets) kernel.sendProcessSignal(g, { signo, code: SI_USER, pid: proc.pid, uid: kernel.creds.uid });
  return 0n;
}

function tgkill({ args, proc, task, kernel }: SyscallContext): bigint {
  const tgid = asInt(args[0]!);
  const tid = asInt(args[1]!);
  const signo = asInt(args[2]!);
  if (tgid <= 0 || tid <= 0 || (signo !== 0 && !isValidSignal(signo))) return err(E.EINVAL);
  const target = kernel.taskSeenBy(proc, tid);
  if (target === undefined || target.group.pid !== proc.pidns.globalOf(tgid) || target.state === 'zombie') return err(E.ESRCH);
  if (signo !== 0) kernel.sendSignal(target, { signo, code: SI_TKILL, pid: proc.pid, uid: kernel.creds.uid });
  return 0n;
}

function tkill({ args, proc, kernel }: SyscallContext): bigint {
  const tid = asInt(args[0]!);
  const signo = asInt(args[1]!);
  if (tid <= 0 || (signo !== 0 && !isValidSignal(signo))) return err(E.EINVAL);
  const target = kernel.taskSeenBy(proc, tid);
  if (target === undefined || target.state === 'zombie') return err(E.ESRCH);
  if (signo !== 0) kernel.sendSignal(target, { signo, code: SI_TKILL, pid: proc.pid, uid: kernel.creds.uid });
  return 0n;
}

const SS_ONSTACK = 1;
const SS_DISABLE = 2;
const SS_AUTODISARM = 1 << 31;
const MINSIGSTKSZ = 2048n;

function sigaltstack({ args, task, mm, proc }: SyscallContext): bigint {
  const [ss, oss] = args as [bigint, bigint];
  const onStack = task.onAltStack(proc.cpu.sp);
  let next: typeof task.altStack | undefined;
  if (ss !== 0n) {
    const b = mm.read(ss, 24);
    if (b === null) return err(E.EFAULT);
    const dv = new DataView(b.buffer, b.byteOffset, 24);
    const flags = dv.getInt32(8, true);
    const mode = flags & ~SS_AUTODISARM;
    if (mode !== 0 && mode !== SS_DISABLE && mode !== SS_ONSTACK) return err(E.EINVAL);
    // Changing the stack while running on it is refused.
    if (onStack) return err(E.EPERM);
    if (mode === SS_DISABLE) next = { sp: 0n, size: 0n, flags: SS_DISABLE };
    else {
      const size = dv.getBigUint64(16, true);
      if (size < MINSIGSTKSZ) return err(E.ENOMEM);
      next = { sp: dv.getBigUint64(0, true), size, flags: flags & SS_AUTODISARM };
    }
  }
  if (oss !== 0n) {
    const out = new Uint8Array(24);
    const dv = new DataView(out.buffer);
    dv.setBigUint64(0, task.altStack.sp, true);
    dv.setInt32(8, onStack ? SS_ONSTACK : task.altStack.flags, true);
    dv.setBigUint64(16, task.altStack.size, true);
    if (!mm.write(oss, out)) return err(E.EFAULT);
  }
  if (next !== undefined) task.altStack = next;
  return 0n;
}

function rtSigreturn({ kernel, task }: SyscallContext): bigint {
  kernel.sigreturn(task);
  return NO_RETURN;
}

function rtSigpending({ args, task, mm }: SyscallContext): bigint {
  // Linux copies only the first sigsetsize bytes (a smaller size is allowed, a larger one is not)
  if (args[1]! > SIGSET_SIZE) return err(E.EINVAL);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, task.pending & task.sigmask, true);
  return mm.write(args[0]!, out.subarray(0, Number(args[1]!))) ? 0n : err(E.EFAULT);
}

// ---- waiting for signals ----------------------------------------------------------------

/** Reads a sigset_t argument (size must be 8): the set, or -errno. */
function readSigset(mm: SyscallContext['mm'], addr: bigint, size: bigint): bigint | { set: bigint } {
  if (size !== SIGSET_SIZE) return err(E.EINVAL);
  const b = mm.read(addr, 8);
  if (b === null) return err(E.EFAULT);
  return { set: new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) };
}

/** pause: waits for a signal that runs a handler or ends the process. */
function pause(ctx: SyscallContext): bigint {
  return ctx.block({ what: 'pause', retry: () => BLOCKED, onSignal: () => err(E.ERESTARTNOHAND) });
}

/**
 * rt_sigsuspend: waits with the given mask; the handler that ends the wait runs with it, and
 * its frame restores the mask of before (Task.savedSigmask).
 */
function rtSigsuspend(ctx: SyscallContext): bigint {
  const r = readSigset(ctx.mm, ctx.args[0]!, ctx.args[1]!);
  if (typeof r === 'bigint') return r;
  const task = ctx.task;
  task.savedSigmask = task.sigmask;
  task.sigmask = r.set & ~UNBLOCKABLE;
  return ctx.block({ what: 'rt_sigsuspend', retry: () => BLOCKED, onSignal: () => err(E.ERESTARTNOHAND) });
}

/** The lowest pending signal of `set`, taken off the task's queue with its siginfo. */
function takeSignal(task: SyscallContext['task'], set: bigint): Siginfo | undefined {
  const ready = task.pending & set;
  if (ready === 0n) return undefined;
  let signo = 1;
  while ((ready & bit(signo)) === 0n) signo++;
  task.pending &= ~bit(signo);
  const info = task.siginfo.get(signo) ?? { signo, code: SI_USER };
  task.siginfo.delete(signo);
  return info;
}

/**
 * rt_sigtimedwait: takes a pending signal of the set (its siginfo written out), else waits for
 * one until the timeout (EAGAIN); another signal's handler ends the wait with EINTR.
 */
function rtSigtimedwait(ctx: SyscallContext): bigint {
  const [setAddr, infoAddr, tsAddr, size] = ctx.args as [bigint, bigint, bigint, bigint];
  const r = readSigset(ctx.mm, setAddr, size);
  if (typeof r === 'bigint') return r;
  const set = r.set & ~UNBLOCKABLE;
  let timeoutNs: bigint | undefined;
  if (tsAddr !== 0n) {
    const b = ctx.mm.read(tsAddr, 16);
    if (b === null) return err(E.EFAULT);
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    const sec = dv.getBigInt64(0, true);
    const nsec = dv.getBigInt64(8, true);
    if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return err(E.EINVAL);
    timeoutNs = sec * 1_000_000_000n + nsec;
  }
  const task = ctx.task;
  const take = (): bigint | undefined => {
    const info = takeSignal(task, set);
    if (info === undefined) return undefined;
    if (infoAddr !== 0n && !ctx.mm.write(infoAddr, encodeSiginfo(info))) return err(E.EFAULT);
    return BigInt(info.signo);
  };
  const now = take();
  if (now !== undefined) return now;
  if (timeoutNs === 0n) return err(E.EAGAIN);
  task.sigwaitSet = set;
  const end = (v: bigint): bigint => {
    task.sigwaitSet = undefined;
    return v;
  };
  return ctx.block({
    what: 'rt_sigtimedwait',
    retry: (why) => (why === 'timeout' ? end(err(E.EAGAIN)) : BLOCKED),
    onSignal: () => end(take() ?? err(E.EINTR)),
  }, timeoutNs);
}

// ---- queued signals with data -----------------------------------------------------------

const SI_QUEUE = -1;

/** Reads the siginfo a sender supplies; Linux refuses kernel codes (and SI_TKILL) from another process. */
function readSenderInfo(ctx: SyscallContext, addr: bigint, signo: number, toSelf: boolean): Siginfo | bigint {
  const b = ctx.mm.read(addr, 128);
  if (b === null) return err(E.EFAULT);
  const raw = b.slice();
  const dv = new DataView(raw.buffer);
  const code = dv.getInt32(8, true);
  if ((code >= 0 || code === SI_TKILL) && !toSelf) return err(E.EPERM);
  return {
    signo, code, raw,
    pid: dv.getInt32(16, true), uid: dv.getUint32(20, true), value: dv.getBigUint64(24, true),
  };
}

/** rt_sigqueueinfo: a signal with the sender's siginfo (sigqueue's SI_QUEUE and its value) to a process. */
function rtSigqueueinfo(ctx: SyscallContext): bigint {
  const pid = asInt(ctx.args[0]!);
  const signo = asInt(ctx.args[1]!);
  if (signo !== 0 && !isValidSignal(signo)) return err(E.EINVAL);
  const found = ctx.kernel.processSeenBy(ctx.proc, pid);
  const target = found?.termination === undefined ? found : undefined;
  if (target === undefined) return err(E.ESRCH);
  const info = readSenderInfo(ctx, ctx.args[2]!, signo, target === ctx.proc);
  if (typeof info === 'bigint') return info;
  if (signo !== 0) ctx.kernel.sendProcessSignal(target, info);
  return 0n;
}

/** rt_tgsigqueueinfo: the same, to one thread. */
function rtTgsigqueueinfo(ctx: SyscallContext): bigint {
  const tgid = asInt(ctx.args[0]!);
  const tid = asInt(ctx.args[1]!);
  const signo = asInt(ctx.args[2]!);
  if (tgid <= 0 || tid <= 0 || (signo !== 0 && !isValidSignal(signo))) return err(E.EINVAL);
  const target = ctx.kernel.taskSeenBy(ctx.proc, tid);
  if (target === undefined || target.group.pid !== ctx.proc.pidns.globalOf(tgid) || target.state === 'zombie') return err(E.ESRCH);
  const info = readSenderInfo(ctx, ctx.args[3]!, signo, target.group === ctx.proc);
  if (typeof info === 'bigint') return info;
  if (signo !== 0) ctx.kernel.sendSignal(target, info);
  return 0n;
}

/**
 * restart_syscall: the kernel points a task here after a call that ended with
 * ERESTART_RESTARTBLOCK ran no handler; it goes on with that call (Task.restartBlock). Called
 * with nothing to resume, it fails with EINTR, as Linux's do_no_restart_syscall.
 */
function restartSyscall(ctx: SyscallContext): bigint {
  const resume = ctx.task.restartBlock;
  ctx.task.restartBlock = undefined;
  return resume === undefined ? err(E.EINTR) : resume(ctx);
}

export const SIGNAL_SYSCALLS: SyscallTable = byReplay({
  apply: {
    // It resumes a sleep or a poll, whose recorded end is applied as theirs is.
    restart_syscall: full(restartSyscall),
  },
  execute: {
    pause: full(pause),
    rt_sigsuspend: full(rtSigsuspend),
    rt_sigtimedwait: full(rtSigtimedwait),
    rt_sigqueueinfo: full(rtSigqueueinfo),
    rt_tgsigqueueinfo: full(rtTgsigqueueinfo),
    rt_sigreturn: full(rtSigreturn, { outsideHook: true }),
    rt_sigpending: full(rtSigpending),
    rt_sigaction: full(rtSigaction),
    rt_sigprocmask: full(rtSigprocmask),
    kill: full(kill),
    tgkill: full(tgkill),
    tkill: full(tkill),
    sigaltstack: full(sigaltstack),
  },
});
