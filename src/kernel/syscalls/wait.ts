// wait4 and waitid: a parent collects its children's ends. A call with nothing to collect yet
// parks until a child changes state (Kernel.childChanged wakes it) and then looks again.
import { childReaped, reapedUsage, rusageBytes } from '../cpu-time.js';
import { E } from '../../abi/errno.js';
import { SIG } from '../../abi/signals.js';
import type { Task, ThreadGroup } from '../task.js';
import { WIFEXITED, WEXITSTATUS, WTERMSIG, WCOREDUMP } from '../ptrace.js';
import { byReplay, asInt, partial, type SyscallContext, type SyscallTable } from './types.js';

const err = (e: number): bigint => -BigInt(e);

const WNOHANG = 1;
const WUNTRACED = 2;
const WSTOPPED = 2;
const WEXITED = 4;
const WCONTINUED = 8;
const WNOWAIT = 0x01000000;
const __WNOTHREAD = 0x20000000;
const __WALL = 0x40000000;
const __WCLONE = 0x80000000 | 0;

const P_ALL = 0;
const P_PID = 1;
const P_PGID = 2;

/** Which children a wait is for: a pid, a process group, or any. */
type Selector = { readonly kind: 'any' } | { readonly kind: 'pid'; readonly pid: number } | { readonly kind: 'pgid'; readonly pgid: number };

/** The children a wait may collect, by selector and by clone-ness (__WALL, __WCLONE). */
function candidates(proc: ThreadGroup, sel: Selector, options: number): ThreadGroup[] {
  return proc.children.filter((c) => {
    if (sel.kind === 'pid' && c.pid !== sel.pid) return false;
    if (sel.kind === 'pgid' && c.pgid !== sel.pgid) return false;
    if ((options & __WALL) !== 0) return true;
    // A "clone" child is one whose end is not signalled with SIGCHLD.
    const isClone = c.exitSignal !== SIG.SIGCHLD;
    return ((options & __WCLONE) !== 0) === isClone;
  });
}

/** Looks for a collectable child; the pid and status, 'none' (no such child at all) or 'later'. */
function findZombie(proc: ThreadGroup, sel: Selector, options: number): ThreadGroup | 'none' | 'later' {
  const cs = candidates(proc, sel, options);
  if (cs.length === 0) return proc.tracees.size > 0 && tracees(proc, sel).length > 0 ? 'later' : 'none';
  return cs.find((c) => c.zombieStatus !== undefined) ?? 'later';
}

/** A child whose stop (`stopped`) or continue (`continued`) a wait with these options collects. */
function findChange(proc: ThreadGroup, sel: Selector, options: number, stopped: boolean, continued: boolean): ThreadGroup | undefined {
  return candidates(proc, sel, options).find((c) => {
    const kind = c.pendingChange?.kind;
    // A child this process traces reports its stop as a ptrace-stop only (Linux: the tracer
    // that is the real parent sees the one exit_code).
    if (kind === 'stopped' && c.tasks.some((t) => proc.tracees.has(t))) return false;
    return (kind === 'stopped' && stopped) || (kind === 'continued' && continued);
  });
}

/**
 * The tasks this process traces with ptrace(2) that a wait with this selector may report: a
 * tracee is its tracer's to wait for whether or not it is a clone (no __WALL needed, as in
 * Linux's eligible_child).
 */
function tracees(proc: ThreadGroup, sel: Selector): Task[] {
  return [...proc.tracees].filter((t) => {
    if (sel.kind === 'pid' && t.tid !== sel.pid) return false;
    if (sel.kind === 'pgid' && t.group.pgid !== sel.pgid) return false;
    return true;
  });
}

/**
 * A tracee's stop or end its tracer has not collected. The end of a traced child process is
 * collected as the child's (findZombie), not here.
 */
function findTraceeReport(proc: ThreadGroup, sel: Selector, options: number): Task | undefined {
  if (proc.tracees.size === 0) return undefined;
  return tracees(proc, sel).find((t) => {
    const report = t.guestTrace?.report;
    if (report === undefined) return false;
    const ended = (report & 0xff) !== 0x7f;
    return !(ended && t === t.group.leader && t.group.parent === proc);
  });
}

/** Takes a tracee's report (unless WNOWAIT); an ended tracee is no longer traced. */
function takeReport(proc: ThreadGroup, t: Task, keep: boolean): number {
  const link = t.guestTrace!;
  const status = link.report!;
  if (keep) return status;
  link.report = undefined;
  if ((status & 0xff) !== 0x7f) {
    t.guestTrace = undefined;
    proc.tracees.delete(t);
  }
  return status;
}

/** A reaped child was perhaps traced too: its report is the one just collected. */
function forgetTracee(proc: ThreadGroup, child: ThreadGroup): void {
  for (const t of child.tasks) {
    if (proc.tracees.delete(t) && t.guestTrace !== undefined) t.guestTrace = undefined;
  }
}

/** A pid or process group the caller named (its pid namespace's), as a global id (-1: none such). */
const named = (ctx: SyscallContext, id: number): number => ctx.proc.pidns.globalOf(id) ?? -1;
/** A global id as the caller's pid namespace names it. */
const seen = (ctx: SyscallContext, id: number): number => ctx.proc.pidns.idOf(id);

function writeStatus(ctx: SyscallContext, addr: bigint, status: number): boolean {
  if (addr === 0n) return true;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, status, true);
  return ctx.mm.write(addr, b);
}

function wait4(ctx: SyscallContext): bigint {
  const [pidArg, statusAddr, optArg, rusageAddr] = ctx.args as [bigint, bigint, bigint, bigint];
  const pid = asInt(pidArg);
  const options = asInt(optArg);
  if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE)) !== 0) return err(E.EINVAL);
  const sel: Selector = pid === -1 ? { kind: 'any' } : pid > 0 ? { kind: 'pid', pid: named(ctx, pid) } : { kind: 'pgid', pgid: pid === 0 ? ctx.proc.pgid : named(ctx, -pid) };
  const look = (): bigint => {
    const tracee = findTraceeReport(ctx.proc, sel, options);
    if (tracee !== undefined) {
      if (!writeStatus(ctx, statusAddr, tracee.guestTrace!.report!)) return err(E.EFAULT);
      if (rusageAddr !== 0n && !ctx.mm.write(rusageAddr, new Uint8Array(144))) return err(E.EFAULT);
      takeReport(ctx.proc, tracee, false);
      return BigInt(seen(ctx, tracee.tid));
    }
    const found = findZombie(ctx.proc, sel, options);
    if (found === 'none') return err(E.ECHILD);
    if (found === 'later') {
      const changed = findChange(ctx.proc, sel, options, (options & WUNTRACED) !== 0, (options & WCONTINUED) !== 0);
      if (changed !== undefined) {
        if (!writeStatus(ctx, statusAddr, changed.pendingChange!.status)) return err(E.EFAULT);
        if (rusageAddr !== 0n && !ctx.mm.write(rusageAddr, new Uint8Array(144))) return err(E.EFAULT);
        changed.pendingChange = undefined;
        return BigInt(seen(ctx, changed.pid));
      }
      if ((options & WNOHANG) !== 0) return 0n;
      return ctx.block({ what: 'wait4', retry: look });
    }
    if (!writeStatus(ctx, statusAddr, found.zombieStatus!)) return err(E.EFAULT);
    if (rusageAddr !== 0n && !ctx.mm.write(rusageAddr, rusageBytes(reapedUsage(found)))) return err(E.EFAULT);
    forgetTracee(ctx.proc, found);
    childReaped(ctx.proc, found);
    ctx.kernel.reap(found);
    return BigInt(seen(ctx, found.pid));
  };
  return look();
}

const CLD_EXITED = 1;
const CLD_KILLED = 2;
const CLD_DUMPED = 3;
const CLD_TRAPPED = 4;
const CLD_STOPPED = 5;
const CLD_CONTINUED = 6;

function waitid(ctx: SyscallContext): bigint {
  const [idtypeArg, idArg, infop, optArg, rusageAddr] = ctx.args as [bigint, bigint, bigint, bigint, bigint];
  const idtype = asInt(idtypeArg);
  const id = asInt(idArg);
  const options = asInt(optArg);
  if ((options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WALL | __WCLONE)) !== 0) return err(E.EINVAL);
  if ((options & (WEXITED | WSTOPPED | WCONTINUED)) === 0) return err(E.EINVAL);
  let sel: Selector;
  if (idtype === P_ALL) sel = { kind: 'any' };
  else if (idtype === P_PID) sel = { kind: 'pid', pid: named(ctx, id) };
  else if (idtype === P_PGID) sel = { kind: 'pgid', pgid: id === 0 ? ctx.proc.pgid : named(ctx, id) };
  else return err(E.EINVAL);
  const look = (): bigint => {
    const tracee = findTraceeReport(ctx.proc, sel, options);
    if (tracee !== undefined) {
      const status = tracee.guestTrace!.report!;
      const stopped = (status & 0xff) === 0x7f;
      if (infop !== 0n) {
        const b = new Uint8Array(128);
        const dv = new DataView(b.buffer);
        dv.setInt32(0, SIG.SIGCHLD, true);
        dv.setInt32(8, stopped ? CLD_TRAPPED : WIFEXITED(status) ? CLD_EXITED : WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED, true);
        dv.setInt32(16, seen(ctx, tracee.tid), true);
        dv.setUint32(20, ctx.kernel.creds.uid, true);
        dv.setInt32(24, stopped ? (status >> 8) & 0xff : WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), true);
        if (!ctx.mm.write(infop, b)) return err(E.EFAULT);
      }
      takeReport(ctx.proc, tracee, (options & WNOWAIT) !== 0);
      return 0n;
    }
    const found = (options & WEXITED) !== 0 ? findZombie(ctx.proc, sel, options) : candidates(ctx.proc, sel, options).length === 0 ? 'none' : 'later';
    if (found === 'none') return err(E.ECHILD);
    if (found === 'later') {
      const changed = findChange(ctx.proc, sel, options, (options & WSTOPPED) !== 0, (options & WCONTINUED) !== 0);
      if (changed !== undefined) {
        const change = changed.pendingChange!;
        if (infop !== 0n) {
          const b = new Uint8Array(128);
          const dv = new DataView(b.buffer);
          dv.setInt32(0, SIG.SIGCHLD, true);
          dv.setInt32(8, change.kind === 'stopped' ? CLD_STOPPED : CLD_CONTINUED, true);
          dv.setInt32(16, seen(ctx, changed.pid), true);
          dv.setUint32(20, ctx.kernel.creds.uid, true);
          dv.setInt32(24, change.kind === 'stopped' ? (change.status >> 8) & 0xff : SIG.SIGCONT, true);
          if (!ctx.mm.write(infop, b)) return err(E.EFAULT);
        }
        if (rusageAddr !== 0n && !ctx.mm.write(rusageAddr, new Uint8Array(144))) return err(E.EFAULT);
        if ((options & WNOWAIT) === 0) changed.pendingChange = undefined;
        return 0n;
      }
      if ((options & WNOHANG) === 0) return ctx.block({ what: 'wait4', retry: look });
      // Nothing to report: Linux zeroes si_signo and si_pid.
      if (infop !== 0n && !ctx.mm.write(infop, new Uint8Array(128))) return err(E.EFAULT);
      return 0n;
    }
    const status = found.zombieStatus!;
    if (infop !== 0n) {
      const b = new Uint8Array(128);
      const dv = new DataView(b.buffer);
      dv.setInt32(0, SIG.SIGCHLD, true);
      dv.setInt32(8, WIFEXITED(status) ? CLD_EXITED : WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED, true);
      dv.setInt32(16, seen(ctx, found.pid), true);
      dv.setUint32(20, ctx.kernel.creds.uid, true);
      dv.setInt32(24, WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), true);
      if (!ctx.mm.write(infop, b)) return err(E.EFAULT);
    }
    if (rusageAddr !== 0n && !ctx.mm.write(rusageAddr, rusageBytes(reapedUsage(found)))) return err(E.EFAULT);
    if ((options & WNOWAIT) === 0) {
      forgetTracee(ctx.proc, found);
      childReaped(ctx.proc, found);
      ctx.kernel.reap(found);
    }
    return 0n;
  };
  return look();
}

export const WAIT_SYSCALLS: SyscallTable = byReplay({
  restoreWrites: {
    wait4: partial(wait4, "rusage holds only the reaped child's user and system time"),
    waitid: partial(waitid, "rusage holds only the reaped child's user and system time"),
  },
});
