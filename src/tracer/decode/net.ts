import type { SyscallTable } from './args.js';

export const NET_SYSCALLS: SyscallTable = {};
