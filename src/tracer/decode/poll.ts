import type { SyscallTable } from './args.js';

export const POLL_SYSCALLS: SyscallTable = {};
