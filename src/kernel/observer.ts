// The kernel's two narrow hooks for whoever watches or drives a run from outside (the
// recorder, replay): which task the scheduler runs, and who executes a syscall. Everything
// else they need comes through ptrace stops.
import type { Task } from './task.js';
import type { SyscallCall } from './syscall-call.js';

export interface KernelObserver {
  /** The scheduler is about to run `task` (called before every slice). */
  taskScheduled(task: Task): void;
}

/** Executes syscalls instead of their handlers (replay): `run` is the handler. */
export interface SyscallExecutor {
  execute(task: Task, call: SyscallCall, run: () => bigint): bigint;
}
