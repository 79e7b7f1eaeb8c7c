// clone, clone3, fork and vfork: new threads (sharing the address space and CPU, with their
// own registers) and new processes (a new engine holding a copy of the parent's memory).
import { E } from '../../abi/errno.js';
import { SIG } from '../../abi/signals.js';
import { Cpu } from '../cpu.js';
import { Task, ThreadGroup } from '../task.js';
import { PtraceLink, PTRACE_O, PTRACE_EVENT } from '../ptrace.js';
import { inheritGuestTrace } from './ptrace.js';
import { BLOCKED } from '../scheduler.js';
import { PidNamespace } from '../pid-namespace.js';
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';
import { byReplay, full, type SyscallContext, type SyscallTable } from './types.js';
import { copyIds } from '../process-ids.js';

const err = (e: number): bigint => -BigInt(e);

export const CLONE = {
  VM: 0x100, FS: 0x200, FILES: 0x400, SIGHAND: 0x800, PIDFD: 0x1000, PTRACE: 0x2000, VFORK: 0x4000,
  PARENT: 0x8000, THREAD: 0x10000, NEWNS: 0x20000, SYSVSEM: 0x40000, SETTLS: 0x80000,
  PARENT_SETTID: 0x100000, CHILD_CLEARTID: 0x200000, DETACHED: 0x400000, UNTRACED: 0x800000,
  CHILD_SETTID: 0x1000000, NEWCGROUP: 0x2000000, NEWUTS: 0x4000000, NEWIPC: 0x8000000,
  NEWUSER: 0x10000000, NEWPID: 0x20000000, NEWNET: 0x40000000, IO: 0x80000000,
} as const;

/**
 * Namespaces and other requests the emulation cannot give: refused rather than ignored. A new
 * pid namespace is made; a new user namespace is accepted and changes nothing (the guest keeps
 * its ids: tstrace's user).
 */
const UNSUPPORTED = CLONE.NEWNS | CLONE.NEWCGROUP | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWNET | CLONE.PIDFD;

/** Threads and processes a guest may have at once (RLIMIT_NPROC-like): past it, EAGAIN. */
const MAX_TASKS = 4096;

export interface CloneRequest {
  readonly flags: number;
  readonly exitSignal: number;
  readonly stack: bigint;
  readonly parentTid: bigint;
  readonly childTid: bigint;
  readonly tls: bigint;
}

/**
 * Creates the task clone describes; returns its global tid (the root pid namespace's) or
 * -errno. The parent reports any ptrace event.
 */
export function cloneTask(ctx: SyscallContext, req: CloneRequest): bigint {
  const { kernel, task: parent, proc } = ctx;
  const f = req.flags;
  if ((f & UNSUPPORTED) !== 0) return err(E.EINVAL);
  if ((f & CLONE.THREAD) !== 0 && (f & CLONE.SIGHAND) === 0) return err(E.EINVAL);
  if ((f & CLONE.SIGHAND) !== 0 && (f & CLONE.VM) === 0) return err(E.EINVAL);
  // Linux's copy_process: a new namespace is for a new process, and a process whose children
  // go into another pid namespace (after unshare) cannot make threads.
  if ((f & (CLONE.NEWUSER | CLONE.NEWPID)) !== 0 && (f & (CLONE.THREAD | CLONE.PARENT)) !== 0) return err(E.EINVAL);
  if ((f & CLONE.THREAD) !== 0 && proc.childPidns !== proc.pidns) return err(E.EINVAL);
  if (kernel.scheduler.size >= MAX_TASKS) return err(E.EAGAIN);
  const pidns = (f & CLONE.THREAD) !== 0 ? proc.pidns : (f & CLONE.NEWPID) !== 0 ? new PidNamespace(proc.childPidns) : proc.childPidns;
  if (pidns.dead) return err(E.ENOMEM);
  const tid = kernel.allocateTid();
  pidns.enter(tid);
  const regs = proc.cpu.registers;
  const arch = proc.arch;

  let child: Task;
  if ((f & CLONE.THREAD) !== 0) {
    child = new Task(tid, proc);
  } else {
    const parentGroup = (f & CLONE.PARENT) !== 0 ? proc.parent : proc;
    let cpu: Cpu;
    let mm = proc.mm;
    if ((f & CLONE.VM) !== 0) {
      cpu = proc.cpu;
      cpu.users++;
    } else {
      // Until it execs, the child runs the parent's code: a buffer of the same size.
      cpu = new Cpu(arch, proc.cpu.translationBytes);
      mm = proc.mm.fork(cpu.engine);
      // Engines never exchange contexts: the child's CPU gets the parent's registers one by one.
      for (const { id, bytes } of arch.userRegisters) cpu.registers.writeBytes(id, regs.readBytes(id, bytes));
      kernel.bindCpu(cpu);
    }
    const fds = (f & CLONE.FILES) !== 0 ? proc.fds : proc.fds.clone();
    const cwdFd = hostSyscall(HOST.fcntl, BigInt(proc.cwd.hostFd), 1030n /* F_DUPFD_CLOEXEC */, 3n);
    const cwd = { path: proc.cwd.path, hostFd: Number(cwdFd) };
    const group = new ThreadGroup(tid, parentGroup, arch, mm, cpu, fds, cwd, proc.comm, pidns);
    if (!pidns.isRoot) pidns.init ??= group;
    group.exitSignal = req.exitSignal;
    group.umask = proc.umask;
    group.personality = proc.personality;
    group.caps = { ...proc.caps };
    group.ids = copyIds(proc.ids);
    group.nice = proc.nice;
    group.exe = proc.exe;
    group.execPath = proc.execPath;
    group.interpreter = proc.interpreter;
    group.argv = proc.argv;
    group.auxv = proc.auxv;
    for (const [r, v] of proc.rlimits) group.rlimits.set(r, v);
    group.actions.splice(0, group.actions.length, ...proc.actions.map((a) => ({ ...a })));
    parentGroup?.children.push(group);
    if ((f & CLONE.VFORK) !== 0) group.vforkParent = parent;
    child = new Task(tid, group);
    if (cpu !== proc.cpu) cpu.owner = child;
  }
  child.sigmask = parent.sigmask;
  child.seccompMode = parent.seccompMode;
  child.seccompFilters = parent.seccompFilters;
  child.noNewPrivs = parent.noNewPrivs;
  if ((f & CLONE.VM) === 0 || (f & CLONE.VFORK) !== 0) child.altStack = { ...parent.altStack };
  if ((f & CLONE.CHILD_CLEARTID) !== 0) child.clearChildTid = req.childTid;

  // The child's registers: the parent's at the call, returning 0, on its own stack and TLS.
  const childCpu = child.group.cpu;
  const shared = childCpu === proc.cpu;
  if (shared) parent.context = childCpu.saveContext(parent.context);
  const r = childCpu.registers;
  r.write(arch.regs.ret, 0n);
  if (req.stack !== 0n) r.write(arch.regs.sp, req.stack);
  if ((f & CLONE.SETTLS) !== 0) r.write(arch.tls, req.tls);
  if (shared) {
    child.context = childCpu.saveContext();
    childCpu.restoreContext(parent.context!);
  }

  // Each side is told the id the child has in its own pid namespace.
  const tidBytes = (id: number): Uint8Array => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, id, true);
    return b;
  };
  if ((f & CLONE.PARENT_SETTID) !== 0) proc.mm.write(req.parentTid, tidBytes(proc.pidns.idOf(tid)));
  if ((f & CLONE.CHILD_SETTID) !== 0) child.group.mm.write(req.childTid, tidBytes(pidns.idOf(tid)));

  // A tracer that asked to follow this kind of child traces it from its first instruction,
  // where it stops with SIGSTOP.
  const event = (f & CLONE.VFORK) !== 0 ? PTRACE_EVENT.VFORK : req.exitSignal !== SIG.SIGCHLD || (f & CLONE.THREAD) !== 0 ? PTRACE_EVENT.CLONE : PTRACE_EVENT.FORK;
  const option = event === PTRACE_EVENT.VFORK ? PTRACE_O.TRACEVFORK : event === PTRACE_EVENT.CLONE ? PTRACE_O.TRACECLONE : PTRACE_O.TRACEFORK;
  const link = parent.ptrace;
  if (link !== undefined && (link.has(option) || (f & CLONE.PTRACE) !== 0)) {
    child.ptrace = new PtraceLink(link.tracer);
    child.ptrace.options = link.options;
    child.ptrace.resumeMode = link.resumeMode;
    child.pending |= 1n << BigInt(SIG.SIGSTOP - 1);
    child.siginfo.set(SIG.SIGSTOP, { signo: SIG.SIGSTOP, code: 0, pid: 0, uid: 0 });
  }
  const guest = parent.guestTrace;
  if (guest !== undefined && guest.has(option)) inheritGuestTrace(guest, child);
  if (child.ptrace !== undefined || child.guestTrace !== undefined) ctx.reportEvent(event, BigInt(tid));
  kernel.adopt(child);
  return BigInt(tid);
}

/** The child's id as its parent sees it (clone's return value), or the error. */
function seenByParent(ctx: SyscallContext, r: bigint): bigint {
  return r > 0n ? BigInt(ctx.proc.pidns.idOf(Number(r))) : r;
}

/** The vfork parent waits here until its child (global id) has exec'd or exited. */
function vforkWait(ctx: SyscallContext, child: bigint): bigint {
  const group = ctx.kernel.process(Number(child));
  const seen = seenByParent(ctx, child);
  if (group === undefined || group.vforkParent !== ctx.task) return seen;
  return ctx.block({
    what: `vfork child ${child}`,
    retry: () => (group.vforkParent === ctx.task ? BLOCKED : seen),
    interruptible: false,
  });
}

function clone(ctx: SyscallContext): bigint {
  const a = ctx.args;
  const flags = Number(BigInt.asUintN(32, a[0]!));
  const { ctid, tls } = ctx.arch.cloneArgs;
  const r = cloneTask(ctx, {
    flags: flags & ~0xff, exitSignal: flags & 0xff, stack: a[1]!, parentTid: a[2]!, childTid: a[ctid]!, tls: a[tls]!,
  });
  return r > 0n && (flags & CLONE.VFORK) !== 0 ? vforkWait(ctx, r) : seenByParent(ctx, r);
}

/** struct clone_args as this kernel knows it (CLONE_ARGS_SIZE_VER2): up to cgroup. */
const CLONE_ARGS_SIZE = 88;
const CLONE_ARGS_SIZE_VER0 = 64;
const CLONE_CLEAR_SIGHAND = 0x100000000n;
const CLONE_INTO_CGROUP = 0x200000000n;
const CSIGNAL = 0xffn;
const PAGE_SIZE = 4096n;

/**
 * clone3, with Linux's checks of struct clone_args (kernel/fork.c copy_clone_args_from_user and
 * clone3_args_valid): a struct larger than this kernel's must be zero past it (E2BIG), set_tid
 * is refused (EINVAL: no PID namespaces to choose a pid in), and CLONE_INTO_CGROUP fails with
 * EBADF (no cgroup hierarchy to name); a cgroup without that flag is ignored, as Linux does.
 */
function clone3(ctx: SyscallContext): bigint {
  const [addr, size] = ctx.args as [bigint, bigint];
  if (size > PAGE_SIZE) return err(E.E2BIG);
  if (size < BigInt(CLONE_ARGS_SIZE_VER0)) return err(E.EINVAL);
  const b = ctx.mm.read(addr, Math.min(Number(size), CLONE_ARGS_SIZE));
  if (b === null) return err(E.EFAULT);
  // The tail is checked word by word, as check_zeroed_user does: a non-zero word before an
  // unreadable one is E2BIG, not EFAULT.
  for (let off = BigInt(CLONE_ARGS_SIZE); off < size; off += 8n) {
    const word = ctx.mm.read(addr + off, Number(size - off < 8n ? size - off : 8n));
    if (word === null) return err(E.EFAULT);
    if (word.some((x) => x !== 0)) return err(E.E2BIG);
  }
  const known = new Uint8Array(CLONE_ARGS_SIZE);
  known.set(b);
  const dv = new DataView(known.buffer);
  const u = (i: number): bigint => dv.getBigUint64(8 * i, true);
  const flags = u(0);
  const exitSignal = u(4);
  const stack = u(5);
  const stackSize = u(6);
  const setTid = u(8);
  const setTidSize = u(9);
  const cgroup = u(10);
  if (setTidSize > 32n || (setTid === 0n) !== (setTidSize === 0n)) return err(E.EINVAL);
  if ((exitSignal & ~CSIGNAL) !== 0n || exitSignal > 64n) return err(E.EINVAL);
  if ((flags & CLONE_INTO_CGROUP) !== 0n && (cgroup > 0x7fffffffn || size < BigInt(CLONE_ARGS_SIZE))) return err(E.EINVAL);
  if ((flags & ~(0xffffffffn | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) !== 0n) return err(E.EINVAL);
  // CSIGNAL's bits (but CLONE_NEWTIME) and CLONE_DETACHED are not flags to clone3.
  if ((flags & (BigInt(CLONE.DETACHED) | 0x7fn)) !== 0n) return err(E.EINVAL);
  if ((flags & BigInt(CLONE.THREAD | CLONE.PARENT)) !== 0n && exitSignal !== 0n) return err(E.EINVAL);
  if ((stack === 0n) !== (stackSize === 0n)) return err(E.EINVAL);
  if (setTid !== 0n) return err(E.EINVAL);
  if ((flags & CLONE_INTO_CGROUP) !== 0n) return err(E.EBADF);
  if ((flags & CLONE_CLEAR_SIGHAND) !== 0n) return err(E.EINVAL);
  const r = cloneTask(ctx, {
    flags: Number(flags), exitSignal: Number(exitSignal), stack: stack === 0n ? 0n : stack + stackSize,
    parentTid: u(3), childTid: u(2), tls: u(7),
  });
  return r > 0n && (Number(flags) & CLONE.VFORK) !== 0 ? vforkWait(ctx, r) : seenByParent(ctx, r);
}

const fork = (ctx: SyscallContext): bigint => seenByParent(ctx, cloneTask(ctx, { flags: 0, exitSignal: SIG.SIGCHLD, stack: 0n, parentTid: 0n, childTid: 0n, tls: 0n }));

function vfork(ctx: SyscallContext): bigint {
  const r = cloneTask(ctx, { flags: CLONE.VM | CLONE.VFORK, exitSignal: SIG.SIGCHLD, stack: 0n, parentTid: 0n, childTid: 0n, tls: 0n });
  return r > 0n ? vforkWait(ctx, r) : r;
}

export const CLONE_SYSCALLS: SyscallTable = byReplay({
  execute: {
    clone: full(clone, { outsideHook: true }),
    clone3: full(clone3, { outsideHook: true }),
    fork: full(fork, { outsideHook: true }),
    vfork: full(vfork, { outsideHook: true }),
  },
});
