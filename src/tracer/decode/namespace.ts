// Namespace calls (strace's clone.c SYS_FUNC(unshare)): unshare's flags.
import { UNSHARE_FLAGS } from '../xlat/process.js';
import { flags, type SyscallTable } from './args.js';

export const NAMESPACE_SYSCALLS: SyscallTable = {
  unshare: { args: [flags(UNSHARE_FLAGS, 'CLONE_???', 64)] },
};
