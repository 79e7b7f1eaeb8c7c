import type { SyscallTable } from './args.js';

export const TIME_SYSCALLS: SyscallTable = {};
