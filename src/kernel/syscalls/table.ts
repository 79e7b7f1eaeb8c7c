// Every syscall the kernel implements, by name; a number the guest's arch table maps to a
// name missing here returns ENOSYS. The README's support table is generated from this.
import type { SyscallTable } from './types.js';
import { FS_SYSCALLS } from './fs.js';
import { POLL_SYSCALLS } from './poll.js';
import { NET_SYSCALLS } from './net.js';
import { MM_SYSCALLS } from './mm.js';
import { PROCESS_SYSCALLS } from './process.js';
import { SIGNAL_SYSCALLS } from './signal.js';
import { TIME_SYSCALLS } from './time.js';
import { EXEC_SYSCALLS } from './exec.js';
import { FUTEX_SYSCALLS } from './futex.js';
import { CLONE_SYSCALLS } from './clone.js';
import { WAIT_SYSCALLS } from './wait.js';
import { PTRACE_SYSCALLS } from './ptrace.js';

export const SYSCALL_TABLE: SyscallTable = {
  ...FS_SYSCALLS,
  ...POLL_SYSCALLS,
  ...NET_SYSCALLS,
  ...MM_SYSCALLS,
  ...PROCESS_SYSCALLS,
  ...SIGNAL_SYSCALLS,
  ...TIME_SYSCALLS,
  ...EXEC_SYSCALLS,
  ...FUTEX_SYSCALLS,
  ...CLONE_SYSCALLS,
  ...WAIT_SYSCALLS,
  ...PTRACE_SYSCALLS,
};
