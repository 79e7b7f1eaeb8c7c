// How each syscall replays: the kernel's table says it, call by call (ReplayPolicy in
// src/kernel/syscalls/types.ts), each family's calls grouped by policy.
import { SYSCALL_HANDLERS } from '../kernel/syscalls/table.js';
import type { ReplayPolicy } from '../kernel/syscalls/types.js';

export type { ReplayPolicy };

/** How a call replays: a number the kernel has no handler for (ENOSYS) has its result applied. */
export function replayPolicy(name: string): ReplayPolicy {
  return SYSCALL_HANDLERS.get(name)?.replay ?? 'apply';
}
