// The shape of a syscall handler and its table entry.
import type { ArchDescriptor } from '../../arch/types.js';
import type { AddressSpace } from '../memory/address-space.js';
import type { Task, ThreadGroup } from '../task.js';
import type { Kernel } from '../kernel.js';
import type { Wait } from '../scheduler.js';

export interface SyscallContext {
  readonly kernel: Kernel;
  readonly task: Task;
  readonly proc: ThreadGroup;
  readonly mm: AddressSpace;
  readonly arch: ArchDescriptor;
  /** The six argument registers as unsigned 64-bit values. */
  readonly args: readonly bigint[];
  /**
   * Parks the call: the task waits for `wait` while others run. The handler returns what this
   * returns (BLOCKED); `wait.retry` later gives the result. `timeoutNs` (relative, host
   * monotonic time) wakes it with reason 'timeout'.
   */
  block(wait: Wait, timeoutNs?: bigint): bigint;
  /** Reports a PTRACE_EVENT_* stop after the call ran (before its exit stop). */
  reportEvent(event: number, message: bigint): void;
}

/** Returned by a handler that set no return value: the task exited, exec'd or sigreturn'ed. */
export const NO_RETURN = -(1n << 62n);

/** Returns the result, or -errno. */
export type SyscallHandler = (ctx: SyscallContext) => bigint;

export type SupportLevel = 'full' | 'partial';

export interface SyscallEntry {
  readonly handler: SyscallHandler;
  readonly support: SupportLevel;
  /** What a partial implementation leaves out (README's support table). */
  readonly note?: string;
  /**
   * Changes mappings or control flow (mmap, execve, exit, sigreturn…): run after the engine
   * has stopped, never inside Unicorn's hook.
   */
  readonly outsideHook?: boolean;
}

export type SyscallTable = Readonly<Record<string, SyscallEntry>>;

export const full = (handler: SyscallHandler, extra: Partial<SyscallEntry> = {}): SyscallEntry => ({ handler, support: 'full', ...extra });
export const partial = (handler: SyscallHandler, note: string, extra: Partial<SyscallEntry> = {}): SyscallEntry => ({ handler, support: 'partial', note, ...extra });

/** Arguments as the C types see them. */
export const asInt = (v: bigint): number => Number(BigInt.asIntN(32, v));
export const asUint = (v: bigint): number => Number(BigInt.asUintN(32, v));
export const asLong = (v: bigint): bigint => BigInt.asIntN(64, v);
