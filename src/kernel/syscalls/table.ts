// Every syscall the kernel implements, by name: the family tables extend the syscall spec
// (src/abi/syscalls.ts; a name registered twice or not in the spec throws at load). A number
// the guest's arch table maps to a name missing here returns ENOSYS. The README's support
// table is generated from this.
import { extendSpec } from '../../abi/syscalls.js';
import type { SyscallEntry, SyscallTable } from './types.js';
import { FS_SYSCALLS } from './fs.js';
import { POLL_SYSCALLS } from './poll.js';
import { NET_SYSCALLS } from './net.js';
import { MM_SYSCALLS } from './mm.js';
import { PROCESS_SYSCALLS } from './process.js';
import { SIGNAL_SYSCALLS } from './signal.js';
import { TIME_SYSCALLS } from './time.js';
import { TIMER_SYSCALLS } from './timers.js';
import { SIGNALFD_SYSCALLS } from './signalfd.js';
import { EXEC_SYSCALLS } from './exec.js';
import { FUTEX_SYSCALLS } from './futex.js';
import { CLONE_SYSCALLS } from './clone.js';
import { WAIT_SYSCALLS } from './wait.js';
import { CAPABILITY_SYSCALLS } from './capability.js';
import { PTRACE_SYSCALLS } from './ptrace.js';
import { MEMFD_SYSCALLS } from './memfd.js';
import { SECCOMP_SYSCALLS } from './seccomp.js';
import { NAMESPACE_SYSCALLS } from './namespace.js';
import { USERFAULTFD_SYSCALLS } from './userfaultfd.js';
import { MORE_SYSCALLS } from './more-calls.js';

/** Handlers by name. */
export const SYSCALL_HANDLERS: ReadonlyMap<string, SyscallEntry> = extendSpec<SyscallEntry>('kernel handlers', {
  fs: FS_SYSCALLS,
  poll: POLL_SYSCALLS,
  net: NET_SYSCALLS,
  mm: MM_SYSCALLS,
  process: PROCESS_SYSCALLS,
  signal: SIGNAL_SYSCALLS,
  time: TIME_SYSCALLS,
  timers: TIMER_SYSCALLS,
  signalfd: SIGNALFD_SYSCALLS,
  exec: EXEC_SYSCALLS,
  futex: FUTEX_SYSCALLS,
  clone: CLONE_SYSCALLS,
  wait: WAIT_SYSCALLS,
  capability: CAPABILITY_SYSCALLS,
  ptrace: PTRACE_SYSCALLS,
  memfd: MEMFD_SYSCALLS,
  seccomp: SECCOMP_SYSCALLS,
  namespace: NAMESPACE_SYSCALLS,
  userfaultfd: USERFAULTFD_SYSCALLS,
  more: MORE_SYSCALLS,
});

/** The same as a record (what the kernel's number-indexed table is built from). */
export const SYSCALL_TABLE: SyscallTable = Object.freeze(Object.fromEntries(SYSCALL_HANDLERS));
