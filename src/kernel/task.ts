// Kernel objects for execution: a thread group (what userspace calls a process) and its tasks
// (threads). They are separate from day one so threads and fork are additions.
import { noUsage, type CpuUsage } from './cpu-time.js';
import type { GuestTimer } from './timers.js';
import type { ProcessIds } from './process-ids.js';
import { initialCapabilities, type CapabilitySets } from './capability-sets.js';
import type { ArchDescriptor } from '../arch/types.js';
import type { AddressSpace } from './memory/address-space.js';
import type { Cpu, CpuContext } from './cpu.js';
import type { FdTable } from './files/fd-table.js';
import type { GuestTraceLink, PtraceLink } from './ptrace.js';
import type { HwDebugState } from './hwdebug.js';
import type { SyscallCall } from './syscall-call.js';
import type { SyscallContext } from './syscalls/types.js';
import type { PidNamespace } from './pid-namespace.js';
import type { SeccompFilter, SeccompMode } from './seccomp.js';

/** A signal's disposition, as the guest's struct sigaction gave it (raw values). */
export interface SignalAction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}

export const SIG_DFL = 0n;
export const SIG_IGN = 1n;

/** How a thread group ended, in wait-status terms. */
export type Termination =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'killed'; readonly signal: number; readonly coreDumped: boolean };

export class ThreadGroup {
  /** Its threads, the leader first; a thread leaves the list when it is reaped or auto-reaped. */
  readonly tasks: Task[] = [];
  readonly children: ThreadGroup[] = [];
  /** Tasks its threads trace with ptrace(2) (their stops and ends are its to wait for). */
  readonly tracees = new Set<Task>();
  /** Threads not yet exited (the leader counts while it runs, not as a zombie). */
  live = 0;
  /** The signal the parent gets when this process ends (SIGCHLD, or clone's exit signal). */
  exitSignal = 17;
  /** The wait status a parent can collect, once the whole group has ended. */
  zombieStatus: number | undefined;
  /** PR_SET_CHILD_SUBREAPER: orphaned descendants become its children. */
  childSubreaper = false;
  /** PR_SET_PDEATHSIG: the signal it gets when its parent ends (0: none); a fork clears it. */
  deathSignal = 0;
  /** How it ends, while its guest-traced threads report PTRACE_EVENT_EXIT first. */
  dying: Termination | undefined;
  /** Threads stopped in their exit event until their guest tracer resumes them. */
  readonly exitReporters = new Set<Task>();
  /** The thread whose execve waits while the process's other threads report their exit. */
  execer: Task | undefined;
  /** The signal that stopped the process (job control), until a SIGCONT or SIGKILL. */
  stopSignal: number | undefined;
  /** Continued by a SIGCONT; the parent is told when one of its threads next runs. */
  continueNotice = false;
  /** A state change (stop or continue) a waiting parent has not yet collected. */
  pendingChange: { readonly status: number; readonly kind: 'stopped' | 'continued' } | undefined;
  /** A vfork child shares this parent's memory until it execs or exits; the parent waits. */
  vforkParent: Task | undefined;
  /** Process group and session (global ids: the root pid namespace's). */
  pgid: number;
  sid: number;
  readonly actions: SignalAction[] = Array.from({ length: 65 }, () => ({ handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n }));
  /** Signals pending for the whole group (kill), one bit per signal (bit n-1 = signal n). */
  sharedPending = 0n;
  termination: Termination | undefined;
  umask = 0o022;
  /** personality(2)'s persona and flags: inherited by fork, kept by execve. */
  personality = 0;
  /** Resource limits the guest set (16-byte struct rlimit64), by resource number. */
  readonly rlimits = new Map<number, Uint8Array>();
  /** The executable's absolute host path (/proc/self/exe). */
  exe = '';
  /** The path the executable was started by, as given to execve (AT_EXECFN). */
  execPath = '';
  /** A dynamic program's loader (PT_INTERP) as the last execve read it: host file, guest path. */
  interpreter: { readonly hostPath: string; readonly guestPath: string } | undefined;
  /** The `#!` scripts its last exec followed to its binary (each under the name it was run by). */
  scripts: readonly { readonly name: string; readonly hostPath: string }[] = [];
  /** The auxiliary vector of the last execve, for /proc/PID/auxv. */
  auxv: readonly (readonly [bigint, bigint])[] = [];
  /** argv of the last execve, for /proc/PID/cmdline. */
  argv: readonly string[] = [];
  /** The environment of the last execve, for /proc/PID/environ. */
  envp: readonly string[] = [];
  /** The executable's name, prctl(PR_SET_NAME) and /proc/PID/comm. */
  comm: string;
  /**
   * setitimer's interval timers by `which` (made on first use): ITIMER_REAL (also alarm's) on
   * host time, ITIMER_VIRTUAL and ITIMER_PROF on its CPU time. A fork starts without, an exec
   * keeps them.
   */
  readonly itimers = new Map<number, GuestTimer>();
  /** timer_create's timers by id; an exec deletes them. */
  readonly posixTimers = new Map<number, GuestTimer>();
  /** The id the next timer_create tries first. */
  nextTimerId = 0;
  /** Capability sets (capget/capset, PR_CAPBSET_*, PR_CAP_AMBIENT); a fork copies them. */
  caps: CapabilitySets = initialCapabilities();
  /** User and group ids (process-ids.ts), set where the process is made; a fork copies them. */
  ids!: ProcessIds;
  /** The nice value (getpriority/setpriority), -20..19; a fork copies it. */
  nice = 0;
  /** The pid namespace its children are created in: its own, until unshare(CLONE_NEWPID). */
  childPidns: PidNamespace;
  /** CPU time of its threads that ended (cpu-time.ts). */
  readonly endedThreadsUsage: CpuUsage = noUsage();
  /** CPU time of the children it reaped, theirs included (times' cutime and cstime). */
  readonly childrenUsage: CpuUsage = noUsage();

  constructor(
    readonly pid: number,
    public parent: ThreadGroup | undefined,
    /** The CPU its image is for: an execve of another architecture's program replaces it. */
    public arch: ArchDescriptor,
    public mm: AddressSpace,
    public cpu: Cpu,
    public fds: FdTable,
    /** The working directory: a host path and an O_PATH host descriptor for *at calls. */
    public cwd: { path: string; hostFd: number },
    comm: string,
    /** The pid namespace its pid lives in (and its threads' tids). */
    readonly pidns: PidNamespace,
  ) {
    this.comm = comm.slice(0, 15);
    this.childPidns = pidns;
    this.pgid = parent?.pgid ?? pid;
    this.sid = parent?.sid ?? pid;
  }

  get leader(): Task {
    return this.tasks[0]!;
  }
}

export type TaskState =
  /** Runs, or would run when scheduled. */
  | 'running'
  /** In a syscall that waits (futex, wait4, a pipe read…): the scheduler runs others. */
  | 'blocked'
  /** Stopped for its tracer (ptrace-stop) or by a stop signal. */
  | 'stopped'
  /** Exited; not yet reaped by its parent or tracer. */
  | 'zombie'
  /** Gone. */
  | 'dead';

export class Task {
  state: TaskState = 'running';
  /** Blocked signals (bit n-1 = signal n). */
  sigmask = 0n;
  /**
   * The mask to restore after a call that waits with another one (rt_sigsuspend, ppoll,
   * pselect6, epoll_pwait): a handler's frame saves it, else it is restored after delivery.
   */
  savedSigmask: bigint | undefined;
  /**
   * Job control: 'pending' while its process is stopped but it has not stopped yet (it was
   * parked in a call), 'stopped' once it has; undefined when its process is not stopped.
   */
  jobStop: 'pending' | 'stopped' | undefined;
  /** rt_sigtimedwait's set while it waits: those signals are unblocked, but taken, not delivered. */
  sigwaitSet: bigint | undefined;
  /** Its PTRACE_EVENT_EXIT was reported to its guest tracer (at most one per thread). */
  exitEventDone = false;
  /** A SIGKILL woke it from a ptrace stop: it dies when it next runs. */
  killWoken = false;
  pending = 0n;
  clearChildTid = 0n;
  robustList = 0n;
  /** Its machine-check kill policy (PR_MCE_KILL): undefined for the system default. */
  mceKill: 'early' | 'late' | undefined;
  /** The registered struct rseq, if any. */
  rseq: bigint | undefined;
  /** seccomp: 0 off, 1 strict, 2 filters (newest last; a new filter makes a new array). */
  seccompMode: SeccompMode = 0;
  seccompFilters: readonly SeccompFilter[] = [];
  /** PR_SET_NO_NEW_PRIVS: set once, kept across clone and execve. */
  noNewPrivs = false;
  /** sigaltstack: where, how big, and the flags the guest set (SS_DISABLE until one is set). */
  altStack = { sp: 0n, size: 0n, flags: 2 };

  /** Whether `sp` lies on the alternate signal stack (sigaltstack's SS_ONSTACK). */
  onAltStack(sp: bigint): boolean {
    return this.altStack.size !== 0n && sp > this.altStack.sp && sp <= this.altStack.sp + this.altStack.size;
  }
  /** Set while tstrace's own strace traces the task (the guest never sees this link). */
  ptrace: PtraceLink | undefined;
  /** Set while a guest thread traces the task with ptrace(2). */
  guestTrace: GuestTraceLink | undefined;
  /** Hardware breakpoints and watchpoints its guest debugger set (src/kernel/hwdebug.ts). */
  hwDebug: HwDebugState | undefined;
  /** The syscall in flight: number, arguments, and its phase, for ptrace's syscall info. */
  syscall: SyscallCall | undefined;
  /** The object every call of this task is made in (see SyscallCall.begin). */
  callRecord: SyscallCall | undefined;
  /** Its registers while another task of the same address space is on the CPU. */
  context: CpuContext | undefined;
  /** Why a blocked task was made runnable: its wait's event came, its deadline passed, a signal. */
  wake: 'event' | 'timeout' | 'signal' | 'host' | undefined;
  /** When blocked with a deadline: the host monotonic time (ns) at which it times out. */
  deadline: bigint | undefined;
  /** Its next run starts a new slice (a fresh budget). */
  sliceStart = true;
  /**
   * Bytes of guest code it has run (the blocks entered), counted only when the kernel counts
   * execution (recording, replay): a place in its run that the same inputs reach again.
   */
  executed = 0n;
  /**
   * A call a signal interrupted, with the code it ended with: restarted after delivery when no
   * handler runs; a handler makes it fail with EINTR, unless the code is ERESTARTSYS and the
   * handler has SA_RESTART.
   */
  restart: { readonly nr: number; readonly arg0: bigint; readonly code: number } | undefined;
  /**
   * What restart_syscall resumes: set by a call that ends with ERESTART_RESTARTBLOCK (a relative
   * sleep, poll), it goes on with the time that is left; undefined: restart_syscall fails EINTR.
   */
  restartBlock: ((ctx: SyscallContext) => bigint) | undefined;
  /** Its exit status in wait format, once it exited. */
  exitStatus = 0;
  /** Host time it spent running guest code (user) and in its calls' handlers (system). */
  usage: CpuUsage = noUsage();
  /** Siginfo of its pending signals, by number. */
  readonly siginfo = new Map<number, import('./ptrace.js').Siginfo>();

  constructor(
    /** Changes once: a thread that is not the leader takes over the leader's id when it execs. */
    public tid: number,
    readonly group: ThreadGroup,
  ) {}
}
