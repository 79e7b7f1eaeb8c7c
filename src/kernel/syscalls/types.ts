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

/**
 * How `tstrace replay` gives a call its effect, without touching the host:
 * - apply: the recorded result and the bytes the call wrote into guest memory are put in place
 *   (files, sockets, clocks, identities: everything the host answered);
 * - execute: run again on the emulator's own state (memory map, signals, tasks, futexes) and
 *   the result checked against the recording;
 * - restoreWrites: executed, then the bytes it wrote at record time are put back, because some
 *   of them came from the host (the CPU times in wait4's and waitid's struct rusage);
 * - mmap: a file mapping becomes a private one at the recorded address holding the recorded
 *   bytes (an anonymous one is executed);
 * - exec: the binary stored in the recording is executed again.
 */
export type ReplayPolicy = 'apply' | 'execute' | 'restoreWrites' | 'mmap' | 'exec';

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
  readonly replay: ReplayPolicy;
}

/** A call's implementation before its family table says how it replays (byReplay). */
export type SyscallImpl = Omit<SyscallEntry, 'replay'>;

export type SyscallTable = Readonly<Record<string, SyscallEntry>>;

export const full = (handler: SyscallHandler, extra: Partial<SyscallImpl> = {}): SyscallImpl => ({ handler, support: 'full', ...extra });
export const partial = (handler: SyscallHandler, note: string, extra: Partial<SyscallImpl> = {}): SyscallImpl => ({ handler, support: 'partial', note, ...extra });

/**
 * A family's table, its calls grouped by how they replay: a call cannot be added to the kernel
 * without being put in one group. A name in two groups throws at load.
 */
export function byReplay(groups: Readonly<Partial<Record<ReplayPolicy, Readonly<Record<string, SyscallImpl>>>>>): SyscallTable {
  const table: Record<string, SyscallEntry> = {};
  for (const [replay, impls] of Object.entries(groups) as [ReplayPolicy, Readonly<Record<string, SyscallImpl>>][]) {
    for (const [name, impl] of Object.entries(impls)) {
      if (table[name] !== undefined) throw new Error(`${name} is in two replay groups (${table[name].replay}, ${replay})`);
      table[name] = { ...impl, replay };
    }
  }
  return table;
}

/** Arguments as the C types see them. */
export const asInt = (v: bigint): number => Number(BigInt.asIntN(32, v));
export const asUint = (v: bigint): number => Number(BigInt.asUintN(32, v));
export const asLong = (v: bigint): bigint => BigInt.asIntN(64, v);
