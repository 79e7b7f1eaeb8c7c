// ptrace as kernel state: who traces a task, with which options, why it is stopped, and the
// wait statuses a tracer sees. The host-side strace and a guest's own ptrace() share it.
import type { Task } from './task.js';
import type { Cpu } from './cpu.js';
import type { SyscallCall } from './syscall-call.js';
import type { SyscallEntry } from './syscalls/types.js';

export const PTRACE_O = {
  TRACESYSGOOD: 0x1, TRACEFORK: 0x2, TRACEVFORK: 0x4, TRACECLONE: 0x8, TRACEEXEC: 0x10,
  TRACEVFORKDONE: 0x20, TRACEEXIT: 0x40, TRACESECCOMP: 0x80, EXITKILL: 0x100000,
} as const;

export const PTRACE_EVENT = { FORK: 1, VFORK: 2, CLONE: 3, EXEC: 4, VFORK_DONE: 5, EXIT: 6, SECCOMP: 7, STOP: 128 } as const;

/** Someone who traces tasks: told of every stop and exit of its tracees (what wait reports). */
export interface Tracer {
  /** `status` is a wait(2) status word: stopped (…<<8 | 0x7f), exited (code<<8) or killed (sig). */
  notify(tracee: Task, status: number): void;
  /** A leader ended before its process, whose end reports it later (PTRACE_EVENT_EXIT's moment). */
  leaderEnded?(tracee: Task): void;
}

export type StopKind = 'syscall-enter' | 'syscall-exit' | 'signal-delivery' | 'event' | 'exec' | 'group-stop';

/** How a resumed tracee goes on: until the next syscall stop, or only signal/event stops. */
export type ResumeMode = 'cont' | 'syscall';

/** A queued signal's siginfo, by field (the kernel fills what the signal's kind has). */
export interface Siginfo {
  readonly signo: number;
  readonly code: number;
  readonly errno?: number;
  readonly pid?: number;
  readonly uid?: number;
  readonly addr?: bigint;
  readonly status?: number;
  readonly utime?: bigint;
  readonly stime?: bigint;
  readonly band?: bigint;
  readonly fd?: number;
  /** si_int/si_ptr of a queued signal (sigqueue, timers). */
  readonly value?: bigint;
  readonly timerid?: number;
  readonly overrun?: number;
  readonly callAddr?: bigint;
  readonly syscall?: number;
  readonly arch?: number;
  /** The guest's own 128 bytes (rt_sigqueueinfo), delivered as given but for si_signo. */
  readonly raw?: Uint8Array;
  /** A signal from outside tstrace (OutsideSignal): its ordinal in the run, 1, 2…; not in the guest's siginfo. */
  readonly outside?: number;
}

export class PtraceLink {
  options = 0;
  resumeMode: ResumeMode = 'cont';
  stopKind: StopKind | undefined;
  /** The signal of a signal-delivery-stop (siginfo for PTRACE_GETSIGINFO). */
  siginfo: Siginfo | undefined;
  /** The signal the tracer passed on resume: delivered instead of the one that stopped. */
  resumeSignal = 0;
  eventMessage = 0n;

  constructor(readonly tracer: Tracer) {}

  has(option: number): boolean {
    return (this.options & option) !== 0;
  }
}

export const waitStatus = {
  stopped: (sig: number, event = 0): number => (((event << 8) | sig) << 8) | 0x7f,
  exited: (code: number): number => (code & 0xff) << 8,
  killed: (sig: number, core: boolean): number => sig | (core ? 0x80 : 0),
};

export const WIFEXITED = (s: number): boolean => (s & 0x7f) === 0;
export const WEXITSTATUS = (s: number): number => (s >> 8) & 0xff;
export const WIFSIGNALED = (s: number): boolean => (s & 0x7f) !== 0 && (s & 0x7f) !== 0x7f;
export const WTERMSIG = (s: number): number => s & 0x7f;
export const WCOREDUMP = (s: number): boolean => (s & 0x80) !== 0;
export const WIFSTOPPED = (s: number): boolean => (s & 0xff) === 0x7f;
export const WSTOPSIG = (s: number): number => (s >> 8) & 0xff;

/** The option that asks for each PTRACE_EVENT_* stop. */
export const EVENT_OPTION: Readonly<Record<number, number>> = {
  [PTRACE_EVENT.FORK]: PTRACE_O.TRACEFORK,
  [PTRACE_EVENT.VFORK]: PTRACE_O.TRACEVFORK,
  [PTRACE_EVENT.CLONE]: PTRACE_O.TRACECLONE,
  [PTRACE_EVENT.EXEC]: PTRACE_O.TRACEEXEC,
  [PTRACE_EVENT.VFORK_DONE]: PTRACE_O.TRACEVFORKDONE,
  [PTRACE_EVENT.EXIT]: PTRACE_O.TRACEEXIT,
};

/**
 * A guest program's ptrace of a task: the tracer is a guest thread, which collects stops with
 * wait4/waitid. tstrace's own strace is a separate link (Task.ptrace) that the guest never
 * sees, so a traced guest can trace.
 */
export class GuestTraceLink extends PtraceLink {
  /** A stop or exit its tracer has not collected yet (a wait status). */
  report: number | undefined;
  /** The wait status of the latest stop, collected or not. */
  lastStop: number | undefined;
  /** The stop a new or attached tracee makes before it runs on (SIGSTOP, or PTRACE_EVENT_STOP when seized). */
  startStop: number | undefined;
  /** Attached with PTRACE_SEIZE (no SIGSTOP; PTRACE_INTERRUPT and LISTEN allowed). */
  seized = false;
  /** PTRACE_SINGLESTEP: run one instruction, then stop with SIGTRAP. */
  singleStep = false;
  /** PTRACE_INTERRUPT asked for a stop. */
  interrupt = false;
  /**
   * PTRACE_LISTEN from a group-stop: the tracee stays stopped but is out of ptrace-stop (its
   * tracer's requests are ESRCH) until the group-stop ends or an INTERRUPT re-traps it.
   */
  listening = false;
  /** A signal-delivery-stop's signal, kept while the task waits for its tracer to resume it. */
  delivering: Siginfo | undefined;

  constructor(
    /** The thread that attached: only it may make requests. */
    readonly tracerTask: Task,
    tracer: Tracer,
  ) {
    super(tracer);
  }
}

/** si_code of a signal the kernel itself sends (a tracer's signal at a syscall stop). */
export const SI_KERNEL = 0x80;

/** The entry-stop half of tampering: the call becomes syscall `nr` (-1: skipped, no handler runs). */
export function retargetCall(call: SyscallCall, nr: number, entry: SyscallEntry | undefined): void {
  call.nr = nr;
  call.entry = entry;
}

/** The exit-stop half: the call's result, and the return register, become `value`. */
export function overrideResult(call: SyscallCall, cpu: Cpu, value: bigint): void {
  call.result = value;
  cpu.setReturn(value);
}
