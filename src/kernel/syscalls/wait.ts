// wait4 and waitid: a parent collects its children's ends. A call with nothing to collect yet
// parks until a child changes state (Kernel.childChanged wakes it) and then looks again.
import { E } from '../../abi/errno.js';
import { SIG } from '../../abi/signals.js';
import type { ThreadGroup } from '../task.js';
import { WIFEXITED, WEXITSTATUS, WTERMSIG, WCOREDUMP } from '../ptrace.js';
import { asInt, partial, type SyscallContext, type SyscallTable } from './types.js';

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
  if (cs.length === 0) return 'none';
  return cs.find((c) => c.zombieStatus !== undefined) ?? 'later';
}

function wait4(ctx: SyscallContext): bigint {
  const [pidArg, statusAddr, optArg, rusageAddr] = ctx.args as [bigint, bigint, bigint, bigint];
  const pid = asInt(pidArg);
  const options = asInt(optArg);
  if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE)) !== 0) return err(E.EINVAL);
  const sel: Selector = pid === -1 ? { kind: 'any' } : pid > 0 ? { kind: 'pid', pid } : { kind: 'pgid', pgid: pid === 0 ? ctx.proc.pgid : -pid };
  const look = (): bigint => {
    const found = findZombie(ctx.proc, sel, options);
    if (found === 'none') return err(E.ECHILD);
    if (found === 'later') {
      if ((options & WNOHANG) !== 0) return 0n;
      return ctx.block({ what: 'wait4', retry: look });
    }
    if (statusAddr !== 0n) {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, found.zombieStatus!, true);
      if (!ctx.mm.write(statusAddr, b)) return err(E.EFAULT);
    }
    if (rusageAddr !== 0n && !ctx.mm.write(rusageAddr, new Uint8Array(144))) return err(E.EFAULT);
    ctx.kernel.reap(found);
    return BigInt(found.pid);
  };
  return look();
}

const CLD_EXITED = 1;
const CLD_KILLED = 2;
const CLD_DUMPED = 3;

function waitid(ctx: SyscallContext): bigint {
  const [idtypeArg, idArg, infop, optArg, rusageAddr] = ctx.args as [bigint, bigint, bigint, bigint, bigint];
  const idtype = asInt(idtypeArg);
  const id = asInt(idArg);
  const options = asInt(optArg);
  if ((options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WALL | __WCLONE)) !== 0) return err(E.EINVAL);
  if ((options & (WEXITED | WSTOPPED | WCONTINUED)) === 0) return err(E.EINVAL);
  let sel: Selector;
  if (idtype === P_ALL) sel = { kind: 'any' };
  else if (idtype === P_PID) sel = { kind: 'pid', pid: id };
  else if (idtype === P_PGID) sel = { kind: 'pgid', pgid: id === 0 ? ctx.proc.pgid : id };
  else return err(E.EINVAL);
  const look = (): bigint => {
    const found = (options & WEXITED) !== 0 ? findZombie(ctx.proc, sel, options) : candidates(ctx.proc, sel, options).length === 0 ? 'none' : 'later';
    if (found === 'none') return err(E.ECHILD);
    if (found === 'later') {
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
      dv.setInt32(16, found.pid, true);
      dv.setUint32(20, ctx.kernel.creds.uid, true);
      dv.setInt32(24, WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), true);
      if (!ctx.mm.write(infop, b)) return err(E.EFAULT);
    }
    if (rusageAddr !== 0n && !ctx.mm.write(rusageAddr, new Uint8Array(144))) return err(E.EFAULT);
    if ((options & WNOWAIT) === 0) ctx.kernel.reap(found);
    return 0n;
  };
  return look();
}

export const WAIT_SYSCALLS: SyscallTable = {
  wait4: partial(wait4, 'exits only: stopped and continued children (WUNTRACED, WCONTINUED) are not reported yet; rusage is zero'),
  waitid: partial(waitid, 'exits only (WEXITED, WNOWAIT); stopped and continued children are not reported yet; rusage is zero'),
};
