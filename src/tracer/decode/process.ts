import type { SyscallTable } from './args.js';

export const PROCESS_SYSCALLS: SyscallTable = {};
