import type { SyscallTable } from './args.js';

export const MISC_SYSCALLS: SyscallTable = {};
