// Kernel objects for execution: a thread group (what userspace calls a process) and its tasks
// (threads). They are separate from day one so threads and fork are additions.
import type { ArchDescriptor } from '../arch/types.js';
import type { AddressSpace } from './memory/address-space.js';
import type { Cpu } from './cpu.js';
import type { FdTable } from './files/fd-table.js';
import type { PtraceLink } from './ptrace.js';
import type { SyscallCall } from './syscall-call.js';

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
  readonly tasks: Task[] = [];
  readonly children: ThreadGroup[] = [];
  readonly actions: SignalAction[] = Array.from({ length: 65 }, () => ({ handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n }));
  /** Signals pending for the whole group (kill), one bit per signal (bit n-1 = signal n). */
  sharedPending = 0n;
  termination: Termination | undefined;
  umask = 0o022;
  /** Resource limits the guest set (16-byte struct rlimit64), by resource number. */
  readonly rlimits = new Map<number, Uint8Array>();
  /** The executable's absolute host path (/proc/self/exe). */
  exe = '';
  /** The path the executable was started by, as given to execve (AT_EXECFN). */
  execPath = '';
  /** The executable's name, prctl(PR_SET_NAME) and /proc/PID/comm. */
  comm: string;

  constructor(
    readonly pid: number,
    readonly parent: ThreadGroup | undefined,
    readonly arch: ArchDescriptor,
    public mm: AddressSpace,
    public cpu: Cpu,
    public fds: FdTable,
    /** The working directory: a host path and an O_PATH host descriptor for *at calls. */
    public cwd: { path: string; hostFd: number },
    comm: string,
  ) {
    this.comm = comm.slice(0, 15);
  }

  get leader(): Task {
    return this.tasks[0]!;
  }
}

export type TaskState =
  /** Runs, or would run when scheduled. */
  | 'running'
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
  pending = 0n;
  clearChildTid = 0n;
  robustList = 0n;
  /** The registered struct rseq, if any. */
  rseq: bigint | undefined;
  /** sigaltstack: where, how big, and the flags the guest set (SS_DISABLE until one is set). */
  altStack = { sp: 0n, size: 0n, flags: 2 };

  /** Whether `sp` lies on the alternate signal stack (sigaltstack's SS_ONSTACK). */
  onAltStack(sp: bigint): boolean {
    return this.altStack.size !== 0n && sp > this.altStack.sp && sp <= this.altStack.sp + this.altStack.size;
  }
  /** Set while the task is traced. */
  ptrace: PtraceLink | undefined;
  /** The syscall in flight: number, arguments, and its phase, for ptrace's syscall info. */
  syscall: SyscallCall | undefined;
  /** The object every call of this task is made in (see SyscallCall.begin). */
  callRecord: SyscallCall | undefined;

  constructor(
    readonly tid: number,
    readonly group: ThreadGroup,
  ) {}
}
