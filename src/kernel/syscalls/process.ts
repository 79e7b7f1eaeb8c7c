// Process lifetime, identity and system information: exit, getpid…, uname, prlimit64, prctl,
// arch_prctl, set_tid_address, set_robust_list, rseq, getrandom, sysinfo, sched_getaffinity.
import { maySetGroups, setFs, setOne, setRe, setRes } from '../process-ids.js';
import { parentPid } from '../files/proc-files.js';
import { E } from '../../abi/errno.js';
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';
import { PROT_WRITE } from '../memory/address-space.js';
import { byReplay, full, partial, asInt, NO_RETURN, type SyscallContext, type SyscallTable } from './types.js';
import { callHost, passToHost } from './host-pass.js';
import { capabilityPrctl } from './capability.js';
import { seccompPrctl } from './seccomp.js';

const err = (e: number): bigint => -BigInt(e);

function exitGroup({ kernel, proc, args }: SyscallContext): bigint {
  kernel.terminate(proc, { kind: 'exited', code: asInt(args[0]!) & 0xff });
  return NO_RETURN;
}

function exitThread({ kernel, task, args }: SyscallContext): bigint {
  kernel.exitThread(task, asInt(args[0]!) & 0xff);
  return NO_RETURN;
}

/** setpgid: a process may move itself or a child into a group of its session. */
function setpgid({ kernel, proc, args }: SyscallContext): bigint {
  const pid = asInt(args[0]!);
  const pgid = asInt(args[1]!);
  if (pgid < 0) return err(E.EINVAL);
  const target = pid === 0 ? proc : kernel.processSeenBy(proc, pid);
  if (target === undefined || (target !== proc && target.parent !== proc)) return err(E.ESRCH);
  if (target.sid !== proc.sid) return err(E.EPERM);
  if (target.pid === target.sid) return err(E.EPERM); // a session leader stays where it is
  // The group is named in the caller's pid namespace (Linux's find_vpid).
  const group = pgid === 0 ? target.pid : proc.pidns.globalOf(pgid);
  if (group === undefined) return err(E.EPERM);
  if (group !== target.pid && ![...kernel.processes()].some((g) => g.pgid === group && g.sid === proc.sid)) return err(E.EPERM);
  target.pgid = group;
  return 0n;
}

function setsid({ proc, kernel }: SyscallContext): bigint {
  if ([...kernel.processes()].some((g) => g.pgid === proc.pid)) return err(E.EPERM);
  proc.sid = proc.pid;
  proc.pgid = proc.pid;
  return BigInt(proc.pidns.idOf(proc.pid));
}

/**
 * getpgid/getsid: a process's group or session as the caller's pid namespace names it (0 when
 * its leader is outside); the first process's are tstrace's (the host's).
 */
function idOf(field: 'pgid' | 'sid') {
  return ({ kernel, proc, args }: SyscallContext): bigint => {
    const pid = asInt(args[0]!);
    const target = pid === 0 ? proc : kernel.processSeenBy(proc, pid);
    if (target === undefined) return err(E.ESRCH);
    return BigInt(proc.pidns.idOf(target[field]));
  };
}

/** getppid: the parent as the caller's namespace sees it; 0 for a namespace's init or a parent outside. */
function getppid({ kernel, proc }: SyscallContext): bigint {
  if (proc.pidns.init === proc && !proc.pidns.isRoot) return 0n;
  return BigInt(proc.pidns.idOf(parentPid(kernel, proc)));
}

/** Whether `pid` (as the caller names it: 0 is itself) is the caller's own process. */
const isSelf = ({ proc }: SyscallContext, pid: number): boolean => pid === 0 || proc.pidns.globalOf(pid) === proc.pid;

const UTSNAME_LEN = 65;

function uname({ mm, args, arch }: SyscallContext): bigint {
  const addr = args[0]!;
  const view = mm.writableView(addr, UTSNAME_LEN * 6);
  if (view === null) return err(E.EFAULT);
  const p = mm.hostPointer(addr, UTSNAME_LEN * 6, PROT_WRITE);
  if (p === null || p === 'split') return err(E.EFAULT);
  const r = hostSyscall(HOST.uname, p);
  if (r < 0n) return r;
  // The guest's machine, not the host's.
  const machine = view.subarray(UTSNAME_LEN * 4, UTSNAME_LEN * 5);
  machine.fill(0);
  machine.set(new TextEncoder().encode(arch.name));
  mm.committed(addr, UTSNAME_LEN * 6);
  return 0n;
}

const RLIM_NLIMITS = 16;
const RLIMIT_NOFILE = 7;

function prlimit64(ctx: SyscallContext): bigint {
  const { args, proc, mm } = ctx;
  const pid = asInt(args[0]!);
  const resource = asInt(args[1]!);
  if (!isSelf(ctx, pid)) return err(E.ESRCH);
  if (resource < 0 || resource >= RLIM_NLIMITS) return err(E.EINVAL);
  const newAddr = args[2]!;
  const oldAddr = args[3]!;
  let wanted: Uint8Array | undefined;
  if (newAddr !== 0n) {
    const b = mm.read(newAddr, 16);
    if (b === null) return err(E.EFAULT);
    wanted = b.slice();
    const dv = new DataView(wanted.buffer);
    if (dv.getBigUint64(0, true) > dv.getBigUint64(8, true)) return err(E.EINVAL);
  }
  if (oldAddr !== 0n) {
    const current = proc.rlimits.get(resource);
    if (current !== undefined) {
      if (!mm.write(oldAddr, current)) return err(E.EFAULT);
    } else {
      const r = callHost(mm, HOST.prlimit64, [0n, BigInt(resource), 0n, oldAddr, 0n, 0n], [[3, 16, 'out']]);
      if (r < 0n) return r;
    }
  }
  if (wanted !== undefined) {
    proc.rlimits.set(resource, wanted);
    if (resource === RLIMIT_NOFILE) {
      const soft = new DataView(wanted.buffer).getBigUint64(0, true);
      proc.fds.limit = Number(soft > 65536n ? 65536n : soft);
    }
  }
  return 0n;
}

const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;
const PR_SET_NAME = 15;
const PR_GET_NAME = 16;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_GET_NO_NEW_PRIVS = 39;

const PR_MCE_KILL = 33;
const PR_MCE_KILL_GET = 34;
const PR_MCE_KILL_CLEAR = 0n;
const PR_MCE_KILL_SET = 1n;
/** PR_MCE_KILL's policies: PR_MCE_KILL_LATE, _EARLY, _DEFAULT. */
const MCE_LATE = 0n;
const MCE_EARLY = 1n;
const MCE_DEFAULT = 2n;
const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;

/** Writes a C int for a PR_GET_* option: 0, or EFAULT. */
function writeInt(mm: SyscallContext['mm'], addr: bigint, value: number): bigint {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, value, true);
  return mm.write(addr, b) ? 0n : err(E.EFAULT);
}

function prctl(ctx: SyscallContext): bigint {
  const { args, proc, mm } = ctx;
  const option = asInt(args[0]!);
  switch (option) {
    case PR_SET_NAME: {
      const s = mm.readCString(args[1]!, 16);
      if (s === null) return err(E.EFAULT);
      const bytes = s === 'too-long' ? mm.read(args[1]!, 15) ?? new Uint8Array() : s;
      proc.comm = Buffer.from(bytes.subarray(0, 15)).toString('latin1');
      return 0n;
    }
    case PR_GET_NAME: {
      const out = new Uint8Array(16);
      out.set(Buffer.from(proc.comm, 'latin1').subarray(0, 15));
      return mm.write(args[1]!, out) ? 0n : err(E.EFAULT);
    }
    case PR_GET_DUMPABLE: return 1n;
    case PR_SET_DUMPABLE: return args[1]! <= 1n ? 0n : err(E.EINVAL);
    case PR_SET_PDEATHSIG:
      if (args[1]! > 64n) return err(E.EINVAL);
      proc.deathSignal = Number(args[1]!);
      return 0n;
    case PR_GET_PDEATHSIG: return writeInt(mm, args[1]!, proc.deathSignal);
    case PR_SET_CHILD_SUBREAPER:
      proc.childSubreaper = args[1]! !== 0n;
      return 0n;
    case PR_GET_CHILD_SUBREAPER: return writeInt(mm, args[1]!, proc.childSubreaper ? 1 : 0);
    case PR_SET_NO_NEW_PRIVS:
      if (args[1]! !== 1n || (args[2]! | args[3]! | args[4]!) !== 0n) return err(E.EINVAL);
      ctx.task.noNewPrivs = true;
      return 0n;
    case PR_GET_NO_NEW_PRIVS: return (args[1]! | args[2]! | args[3]! | args[4]!) !== 0n ? err(E.EINVAL) : ctx.task.noNewPrivs ? 1n : 0n;
    case PR_MCE_KILL: return mceKill(ctx);
    case PR_MCE_KILL_GET: {
      // Linux's kernel/sys.c: no arguments; the thread's policy, or PR_MCE_KILL_DEFAULT.
      if ((args[1]! | args[2]! | args[3]! | args[4]!) !== 0n) return err(E.EINVAL);
      const p = ctx.task.mceKill;
      return p === undefined ? MCE_DEFAULT : p === 'early' ? MCE_EARLY : MCE_LATE;
    }
    default: return seccompPrctl(ctx) ?? capabilityPrctl(ctx) ?? err(E.EINVAL);
  }
}

/** PR_MCE_KILL as Linux's kernel/sys.c has it: the calling thread's policy is set or cleared. */
function mceKill({ args, task }: SyscallContext): bigint {
  if ((args[3]! | args[4]!) !== 0n) return err(E.EINVAL);
  if (args[1]! === PR_MCE_KILL_CLEAR) {
    if (args[2]! !== 0n) return err(E.EINVAL);
    task.mceKill = undefined;
    return 0n;
  }
  if (args[1]! !== PR_MCE_KILL_SET) return err(E.EINVAL);
  if (args[2]! === MCE_EARLY) task.mceKill = 'early';
  else if (args[2]! === MCE_LATE) task.mceKill = 'late';
  else if (args[2]! === MCE_DEFAULT) task.mceKill = undefined;
  else return err(E.EINVAL);
  return 0n;
}

const ARCH_SET_GS = 0x1001;
const ARCH_SET_FS = 0x1002;
const ARCH_GET_FS = 0x1003;
const ARCH_GET_GS = 0x1004;

function archPrctl({ args, proc, mm }: SyscallContext): bigint {
  const code = asInt(args[0]!);
  switch (code) {
    case ARCH_SET_FS:
      proc.cpu.setTls(args[1]!);
      return 0n;
    case ARCH_GET_FS: {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, proc.cpu.getTls(), true);
      return mm.write(args[1]!, b) ? 0n : err(E.EFAULT);
    }
    case ARCH_SET_GS:
    case ARCH_GET_GS:
      return err(E.EINVAL);
    default:
      return err(E.EINVAL);
  }
}

function setTidAddress({ task, proc, args }: SyscallContext): bigint {
  task.clearChildTid = args[0]!;
  return BigInt(proc.pidns.idOf(task.tid));
}

function setRobustList({ task, args }: SyscallContext): bigint {
  if (args[1]! !== 24n) return err(E.EINVAL);
  task.robustList = args[0]!;
  return 0n;
}

const RSEQ_SIZE = 32;

function rseq({ task, args, mm }: SyscallContext): bigint {
  const [addr, len, flags] = args as [bigint, bigint, bigint];
  if (flags === 1n) {
    // Unregister.
    if (task.rseq === undefined || task.rseq !== addr) return err(E.EINVAL);
    task.rseq = undefined;
    return 0n;
  }
  if (flags !== 0n) return err(E.EINVAL);
  if (task.rseq !== undefined) return task.rseq === addr ? err(E.EBUSY) : err(E.EINVAL);
  if (len < BigInt(RSEQ_SIZE) || (addr & 31n) !== 0n) return err(E.EINVAL);
  // cpu_id_start = cpu_id = 0: one emulated CPU, and threads never migrate.
  const zero = new Uint8Array(8);
  if (!mm.write(addr, zero)) return err(E.EFAULT);
  task.rseq = addr;
  return 0n;
}

/** getresuid/getresgid: three 32-bit ids, each written where the guest asked. */
function getres(ids: (ctx: SyscallContext) => readonly number[]) {
  return (ctx: SyscallContext): bigint => {
    const values = ids(ctx);
    for (let i = 0; i < 3; i++) {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, values[i]!, true);
      if (!ctx.mm.write(ctx.args[i]!, b)) return err(E.EFAULT);
    }
    return 0n;
  };
}

/** getgroups: the supplementary groups as 32-bit gids; size 0 asks only how many there are. */
function getgroups({ args, mm, proc }: SyscallContext): bigint {
  const groups = proc.ids.groups;
  const size = asInt(args[0]!);
  if (size < 0) return err(E.EINVAL);
  if (size === 0) return BigInt(groups.length);
  if (size < groups.length) return err(E.EINVAL);
  const bytes = new Uint8Array(4 * groups.length);
  const view = new DataView(bytes.buffer);
  groups.forEach((g, i) => view.setUint32(4 * i, g, true));
  return mm.write(args[1]!, bytes) ? BigInt(groups.length) : err(E.EFAULT);
}

/** A uid_t or gid_t argument: the register's low 32 bits. */
function id32(v: bigint): number {
  return Number(BigInt.asUintN(32, v));
}

/** Linux's NGROUPS_MAX. */
const NGROUPS_MAX = 65536;

/** setgroups: the supplementary groups, with CAP_SETGID only. */
function setgroups({ args, mm, proc }: SyscallContext): bigint {
  const size = asInt(args[0]!);
  if (size < 0 || size > NGROUPS_MAX) return err(E.EINVAL);
  if (!maySetGroups(proc.caps)) return err(E.EPERM);
  const bytes = size === 0 ? new Uint8Array(0) : mm.read(args[1]!, 4 * size);
  if (bytes === null) return err(E.EFAULT);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  proc.ids.groups = Array.from({ length: size }, (_, i) => view.getUint32(4 * i, true));
  return 0n;
}

const IOPRIO_WHO_PROCESS = 1;

/**
 * ioprio_get/ioprio_set of this process (tstrace's own I/O priority is the process's); other
 * processes and groups are not the emulation's to see: ESRCH.
 */
function ioprio(nr: number) {
  return (ctx: SyscallContext): bigint => {
    const { args } = ctx;
    const which = asInt(args[0]!);
    const who = asInt(args[1]!);
    if (which !== IOPRIO_WHO_PROCESS) return which >= 1 && which <= 3 ? err(E.ESRCH) : err(E.EINVAL);
    if (!isSelf(ctx, who)) return err(E.ESRCH);
    return nr === HOST.ioprio_set ? hostSyscall(nr, BigInt(which), 0n, args[2]!) : hostSyscall(nr, BigInt(which), 0n);
  };
}

function getcpu({ args, mm }: SyscallContext): bigint {
  // One emulated CPU, one NUMA node.
  for (const addr of [args[0]!, args[1]!]) {
    if (addr !== 0n && !mm.write(addr, new Uint8Array(4))) return err(E.EFAULT);
  }
  return 0n;
}

/**
 * personality(2): 0xffffffff asks without changing; anything else is set and the old value
 * returned, as Linux does since exec domains went away (4.1): any persona and any flags are
 * stored and reported back (strace's personality test sets PER_BSD and the unknown 0x1f), and
 * none of them changes how the program runs here (ADDR_NO_RANDOMIZE, which gdb sets, is always
 * in effect: there is no address space randomization).
 */
function personality({ proc, args }: SyscallContext): bigint {
  const requested = Number(BigInt.asUintN(32, args[0]!));
  const old = proc.personality;
  if (requested === 0xffffffff) return BigInt(old);
  proc.personality = requested;
  return BigInt(old);
}

export const PROCESS_SYSCALLS: SyscallTable = byReplay({
  apply: {
    getresuid: full(getres(({ proc: { ids } }) => [ids.uid, ids.euid, ids.suid])),
    getresgid: full(getres(({ proc: { ids } }) => [ids.gid, ids.egid, ids.sgid])),
    getcpu: full(getcpu),
    getgroups: full(getgroups),
    ioprio_get: full(ioprio(HOST.ioprio_get)),
    ioprio_set: full(ioprio(HOST.ioprio_set)),
    // The first process's parent is tstrace; an orphan's is init.
    getppid: full(getppid),
    getuid: full(({ proc }) => BigInt(proc.ids.uid)),
    geteuid: full(({ proc }) => BigInt(proc.ids.euid)),
    getgid: full(({ proc }) => BigInt(proc.ids.gid)),
    getegid: full(({ proc }) => BigInt(proc.ids.egid)),
    getpgid: full(idOf('pgid')),
    getpgrp: full(({ proc }) => BigInt(proc.pidns.idOf(proc.pgid))),
    getsid: full(idOf('sid')),
    uname: full(uname),
    prlimit64: partial(prlimit64, 'limits set by the guest are remembered and reported back, and RLIMIT_NOFILE bounds descriptors; others are not enforced'),
    getrandom: full(passToHost(HOST.getrandom, (a) => [[0, Number(a[1]! > 1n << 25n ? 1n << 25n : a[1]!), 'out']])),
    sysinfo: full(passToHost(HOST.sysinfo, [[0, 112, 'out']])),
    sched_getaffinity: partial((ctx) => {
      const pid = asInt(ctx.args[0]!);
      const global = ctx.proc.pidns.globalOf(pid);
      if (pid !== 0 && global !== ctx.proc.pid && global !== ctx.task.tid) return err(E.ESRCH);
      const n = Number(ctx.args[1]! > 1024n ? 1024n : ctx.args[1]!);
      return callHost(ctx.mm, HOST.sched_getaffinity, [0n, BigInt(n), ctx.args[2]!, 0n, 0n, 0n], [[2, n, 'out']]);
    }, 'reports the host process affinity'),
  },
  execute: {
    exit: full(exitThread, { outsideHook: true }),
    // Process groups and sessions are the kernel's: job control (orphaned groups) depends on them.
    setpgid: full(setpgid),
    setsid: full(setsid),
    exit_group: full(exitGroup, { outsideHook: true }),
    getpid: full(({ proc }) => BigInt(proc.pidns.idOf(proc.pid))),
    gettid: full(({ proc, task }) => BigInt(proc.pidns.idOf(task.tid))),
    personality: partial(personality, 'any persona and flags are stored and reported; none changes how the program runs (ADDR_NO_RANDOMIZE is always in effect)'),
    // prctl reads and sets the process's own state in the kernel (its name, the parent-death
    // signal, the child subreaper flag, capabilities): replay sets it too.
    prctl: partial(prctl, 'PR_SET_NAME/PR_GET_NAME, dumpable, pdeathsig (sent when the parent process ends), child subreaper, no_new_privs, PR_CAPBSET_READ/DROP, PR_CAP_AMBIENT, PR_MCE_KILL/PR_MCE_KILL_GET (per thread); other options EINVAL'),
    arch_prctl: partial(archPrctl, 'ARCH_SET_FS/ARCH_GET_FS; others EINVAL'),
    set_tid_address: full(setTidAddress),
    set_robust_list: full(setRobustList),
    rseq: partial(rseq, 'registration only: one CPU, no preemption, so no abort ever fires'),
    sched_yield: full(() => 0n),
    // The process's ids as the guest sees them (process-ids.ts): host files are still opened
    // with tstrace's own.
    setuid: full(({ proc, args }) => (setOne('uid', proc.ids, proc.caps, id32(args[0]!)) ? 0n : err(E.EPERM))),
    setgid: full(({ proc, args }) => (setOne('gid', proc.ids, proc.caps, id32(args[0]!)) ? 0n : err(E.EPERM))),
    setreuid: full(({ proc, args }) => (setRe('uid', proc.ids, proc.caps, id32(args[0]!), id32(args[1]!)) ? 0n : err(E.EPERM))),
    setregid: full(({ proc, args }) => (setRe('gid', proc.ids, proc.caps, id32(args[0]!), id32(args[1]!)) ? 0n : err(E.EPERM))),
    setresuid: full(({ proc, args }) => (setRes('uid', proc.ids, proc.caps, [id32(args[0]!), id32(args[1]!), id32(args[2]!)]) ? 0n : err(E.EPERM))),
    setresgid: full(({ proc, args }) => (setRes('gid', proc.ids, proc.caps, [id32(args[0]!), id32(args[1]!), id32(args[2]!)]) ? 0n : err(E.EPERM))),
    setfsuid: full(({ proc, args }) => BigInt(setFs('uid', proc.ids, proc.caps, id32(args[0]!)))),
    setfsgid: full(({ proc, args }) => BigInt(setFs('gid', proc.ids, proc.caps, id32(args[0]!)))),
    setgroups: full(setgroups),
  },
});

