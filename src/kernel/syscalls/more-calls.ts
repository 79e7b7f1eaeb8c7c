// Calls that everyday programs make and that were ENOSYS (found tracing real programs):
// - flock (util-linux flock, package managers): passed to the host on the host descriptor.
//   A lock that must wait is taken without waiting (LOCK_NB) and the guest's call parks,
//   trying again every few milliseconds: the host call would stop every guest task.
// - getpriority/setpriority (nice, renice, make -l): each process's nice value, kept here.
// - mlock, munlock, mlockall, munlockall, mlock2 (gpg, ssh-agent): accepted, nothing pinned.
// - inotify_init, inotify_init1, inotify_add_watch, inotify_rm_watch (tail -f, file
//   watchers): a host inotify descriptor, watching host paths (the guest's, under a sysroot).
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { OpenFile } from '../files/open-file.js';
import { err, hostFd, hostPath, withScratch } from './host-abi.js';
import { installFile } from './fs.js';
import { asInt, byReplay, full, partial, type SyscallContext, type SyscallHandler, type SyscallTable } from './types.js';
import type { ThreadGroup } from '../task.js';

const big = (n: number): bigint => BigInt(n);

// ---- flock ----------------------------------------------------------------------------------

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
/** How often a lock that must wait is tried again. */
const LOCK_RETRY_NS = 5_000_000n;

const flock: SyscallHandler = (ctx) => {
  const fd = hostFd(ctx, asInt(ctx.args[0]!));
  const op = asInt(ctx.args[1]!);
  const kind = op & ~LOCK_NB;
  if (kind !== LOCK_SH && kind !== LOCK_EX && kind !== LOCK_UN) return hs(HOST.flock, big(fd), big(op));
  if ((op & LOCK_NB) !== 0 || kind === LOCK_UN) return hs(HOST.flock, big(fd), big(op));
  const attempt = (): bigint => {
    const r = hs(HOST.flock, big(hostFd(ctx, asInt(ctx.args[0]!))), big(op | LOCK_NB));
    return r === -BigInt(E.EWOULDBLOCK) ? ctx.block({ what: `flock fd ${asInt(ctx.args[0]!)}`, retry: attempt }, LOCK_RETRY_NS) : r;
  };
  return attempt();
};

// ---- getpriority, setpriority ------------------------------------------------------------------

const PRIO_PROCESS = 0;
const PRIO_PGRP = 1;
const PRIO_USER = 2;
const CAP_SYS_NICE = 23n;

/** The processes `which` and `who` name (who 0: the caller's own process, group or user). */
function targets(ctx: SyscallContext, which: number, who: number): ThreadGroup[] | bigint {
  const { proc, kernel } = ctx;
  const all = [...kernel.processes()];
  switch (which) {
    case PRIO_PROCESS: {
      if (who === 0) return [proc];
      const pid = proc.pidns.globalOf(who);
      // A thread id names its process here (the nice value is the process's).
      const t = pid === undefined ? undefined : kernel.task(pid);
      return t === undefined ? err(E.ESRCH) : [t.group];
    }
    case PRIO_PGRP: {
      const pgid = who === 0 ? proc.pgid : proc.pidns.globalOf(who);
      const found = all.filter((g) => g.pgid === pgid);
      return found.length === 0 ? err(E.ESRCH) : found;
    }
    case PRIO_USER: {
      const uid = who === 0 ? proc.ids.uid : who;
      const found = all.filter((g) => g.ids.uid === uid);
      return found.length === 0 ? err(E.ESRCH) : found;
    }
    default:
      return err(E.EINVAL);
  }
}

/** getpriority: 20 - nice of the highest-priority process named (the raw call's 1..40). */
const getpriority: SyscallHandler = (ctx) => {
  const found = targets(ctx, asInt(ctx.args[0]!), asInt(ctx.args[1]!));
  if (typeof found === 'bigint') return found;
  return big(20 - Math.min(...found.map((g) => g.nice)));
};

/** setpriority: nice clamped to -20..19; raising priority needs CAP_SYS_NICE (EACCES). */
const setpriority: SyscallHandler = (ctx) => {
  const found = targets(ctx, asInt(ctx.args[0]!), asInt(ctx.args[1]!));
  if (typeof found === 'bigint') return found;
  const nice = Math.max(-20, Math.min(19, asInt(ctx.args[2]!)));
  const privileged = (ctx.proc.caps.effective & (1n << CAP_SYS_NICE)) !== 0n;
  for (const g of found) if (nice < g.nice && !privileged) return err(E.EACCES);
  for (const g of found) g.nice = nice;
  return 0n;
};

// ---- mlock and friends ------------------------------------------------------------------------

const MCL_CURRENT = 1;
const MCL_FUTURE = 2;
const MCL_ONFAULT = 4;
const MLOCK_ONFAULT = 1;

/** A range to (un)lock: every page of it mapped, else ENOMEM. */
function mappedRange(ctx: SyscallContext, addr: bigint, len: bigint): bigint {
  if (len === 0n) return 0n;
  const page = 4096n;
  const start = addr & ~(page - 1n);
  const end = (addr + len + page - 1n) & ~(page - 1n);
  return ctx.mm.covered(start, end) ? 0n : err(E.ENOMEM);
}

const mlock: SyscallHandler = (ctx) => mappedRange(ctx, ctx.args[0]!, ctx.args[1]!);
const mlock2: SyscallHandler = (ctx) => ((asInt(ctx.args[2]!) & ~MLOCK_ONFAULT) !== 0 ? err(E.EINVAL) : mappedRange(ctx, ctx.args[0]!, ctx.args[1]!));
const mlockall: SyscallHandler = (ctx) => {
  const flags = asInt(ctx.args[0]!);
  if (flags === 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) !== 0 || flags === MCL_ONFAULT) return err(E.EINVAL);
  return 0n;
};

// ---- inotify ------------------------------------------------------------------------------------

const IN_NONBLOCK = 0o4000;
const IN_CLOEXEC = 0o2000000;

function inotifyWith(ctx: SyscallContext, flags: number): bigint {
  if ((flags & ~(IN_NONBLOCK | IN_CLOEXEC)) !== 0) return err(E.EINVAL);
  const r = hs(HOST.inotify_init1, big((flags | IN_CLOEXEC) >>> 0));
  if (r < 0n) return r;
  return installFile(ctx, new OpenFile(Number(r), 'anon_inode:inotify'), (flags & IN_CLOEXEC) !== 0);
}

const inotifyAddWatch: SyscallHandler = (ctx) => {
  const path = hostPath(ctx, ctx.args[1]!);
  return hs(HOST.inotify_add_watch, big(hostFd(ctx, asInt(ctx.args[0]!))), path.ptr, BigInt.asUintN(32, ctx.args[2]!));
};

const inotifyRmWatch: SyscallHandler = (ctx) => hs(HOST.inotify_rm_watch, big(hostFd(ctx, asInt(ctx.args[0]!))), big(asInt(ctx.args[1]!)));

const f = (h: SyscallHandler): ReturnType<typeof full> => full(withScratch(h));

export const MORE_SYSCALLS: SyscallTable = byReplay({
  apply: {
    flock: f(flock),
    inotify_init: f((ctx) => inotifyWith(ctx, 0)),
    inotify_init1: f((ctx) => inotifyWith(ctx, asInt(ctx.args[0]!))),
    inotify_add_watch: f(inotifyAddWatch),
    inotify_rm_watch: f(inotifyRmWatch),
    // Applied in replay: the first nice value is the host's, which may differ where it replays.
    getpriority: partial(getpriority, "a process's nice value is its own, kept by the kernel; the host process's stays as it is"),
    setpriority: partial(setpriority, "a process's nice value is its own, kept by the kernel; the host process's stays as it is"),
  },
  execute: {
    mlock: partial(mlock, 'accepted for mapped ranges (ENOMEM otherwise); nothing is pinned'),
    mlock2: partial(mlock2, 'accepted for mapped ranges (ENOMEM otherwise); nothing is pinned'),
    munlock: partial(mlock, 'accepted for mapped ranges (ENOMEM otherwise)'),
    mlockall: partial(mlockall, 'accepted; nothing is pinned'),
    munlockall: full(() => 0n),
  },
});
