// The kernel's two narrow hooks for whoever watches or drives a run from outside (the
// recorder, replay): which task the scheduler runs, and who executes a syscall. Everything
// else they need comes through ptrace stops.
import type { Task } from './task.js';
import type { SyscallCall } from './syscall-call.js';
import type { TimeRead } from '../../packages/unicorn-engine-ts/src/index.js';
import type { Siginfo } from './ptrace.js';

export interface KernelObserver {
  /** The scheduler is about to run `task` (called before every slice). */
  taskScheduled(task: Task): void;
  /** A signal from outside is about to be sent to the guest: the `ordinal`-th of the run. */
  outsideSignal?(signal: OutsideSignal, ordinal: number): void;
  /**
   * A timer's signal went to `target` while it was not in a call, when the slice of `place`
   * (which ran guest code) ended; a call in flight would carry it in the recording's `raised`.
   */
  timerSignal?(target: Task, info: Siginfo, place: Task): void;
}

/**
 * A signal sent to tstrace itself that it passes on to the program (SIGINT, SIGTERM, SIGHUP), or
 * the SIGKILL of every process that a second such signal sends (Kernel.hostSignal).
 */
export interface OutsideSignal {
  readonly signo: number;
  /** The process it is sent to (its pid), or 0: every process. */
  readonly pid: number;
  /** si_pid and si_uid (tstrace's own pid and user, as the recording saw them). */
  readonly senderPid: number;
  readonly senderUid: number;
  /**
   * The task that was running guest code when it came, and how much guest code that task had
   * run then (Task.executed): the place replay sends it again. Undefined: every task waited in
   * a call (the call it interrupted holds it, in the recording's `raised`).
   */
  readonly running?: { readonly tid: number; readonly executed: bigint } | undefined;
}

/**
 * Sees each time-reading instruction a task runs (rdtsc, rdtscp, mrs CNTVCT_EL0) with the
 * value the emulator gives, and may change it (the recorder stores it, replay gives back the
 * recorded one).
 */
export type TimeReadObserver = (task: Task, read: TimeRead) => void;

/** Executes syscalls instead of their handlers (replay): `run` is the handler. */
export interface SyscallExecutor {
  execute(task: Task, call: SyscallCall, run: () => bigint): bigint;
}
