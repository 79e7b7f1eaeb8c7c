// The kernel's two narrow hooks for whoever watches or drives a run from outside (the
// recorder, replay): which task the scheduler runs, and who executes a syscall. Everything
// else they need comes through ptrace stops.
import type { Task } from './task.js';
import type { SyscallCall } from './syscall-call.js';
import type { TimeRead } from '../../packages/unicorn-engine-ts/src/index.js';

export interface KernelObserver {
  /** The scheduler is about to run `task` (called before every slice). */
  taskScheduled(task: Task): void;
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
