// How each syscall replays: its one answer, next to no other. 'execute': the call only changes
// the emulator's state (memory map, signals, tasks, futexes), so replay runs it again and
// checks its result against the recording; 'apply': its recorded result and the bytes it wrote
// into guest memory are put in place and the host is not touched; 'mmap': a file-backed
// mapping becomes an anonymous one at the recorded address holding the recorded bytes (an
// anonymous one is executed); 'exec': execve runs again on the binary stored in the recording.
// test/record-policy.test.ts fails for a syscall of the kernel's table that is in no list here.
export type ReplayPolicy = 'execute' | 'apply' | 'mmap' | 'exec';

const EXECUTE = [
  'arch_prctl', 'brk', 'clone', 'clone3', 'exit', 'exit_group', 'fork', 'vfork', 'futex', 'getpid', 'gettid', 'kill',
  'tgkill', 'tkill', 'madvise', 'mincore', 'mprotect', 'mremap', 'munmap', 'rseq', 'rt_sigaction', 'rt_sigpending',
  'rt_sigprocmask', 'rt_sigreturn', 'sched_yield', 'set_robust_list', 'set_tid_address', 'sigaltstack', 'wait4',
  'waitid', 'umask', 'personality', 'capget', 'capset', 'ptrace', 'process_vm_readv', 'process_vm_writev', 'riscv_flush_icache',
  'pause', 'rt_sigsuspend', 'rt_sigtimedwait', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'signalfd', 'signalfd4',
  // prctl only reads and sets the process's state in the kernel (its name, PR_SET_PDEATHSIG,
  // the child subreaper flag, capabilities): replay must set it too.
  'prctl', 'unshare',
  // Process groups and sessions are the kernel's: job control (orphaned groups) depends on them.
  'setpgid', 'setsid',
  // seccomp filters are the kernel's: replay installs them too.
  'seccomp',
] as const;

const APPLY = [
  'accept', 'accept4', 'access', 'bind', 'chdir', 'chmod', 'chown', 'clock_getres', 'clock_gettime',
  'clock_nanosleep', 'close', 'close_range', 'connect', 'creat', 'dup', 'dup2', 'dup3', 'epoll_create',
  'epoll_create1', 'epoll_ctl', 'epoll_pwait', 'epoll_pwait2', 'epoll_wait', 'eventfd', 'eventfd2', 'userfaultfd',
  'faccessat', 'faccessat2', 'fadvise64', 'fallocate', 'fchdir', 'fchmod', 'fchmodat', 'fchmodat2', 'fchown', 'fchownat',
  'fcntl', 'fdatasync', 'fstat', 'fstatfs', 'fsync', 'ftruncate', 'futimesat', 'getcpu', 'getcwd',
  'getdents', 'getdents64', 'getegid', 'geteuid', 'getgid', 'getgroups', 'getpeername', 'getpgid', 'getpgrp',
  'getppid', 'getrandom', 'getresgid', 'getresuid', 'getrusage', 'getsid', 'getsockname', 'getsockopt',
  'gettimeofday', 'getuid', 'ioctl', 'ioprio_get', 'ioprio_set', 'lchown', 'link', 'linkat', 'listen',
  'lseek', 'lstat', 'memfd_create', 'mkdir', 'mkdirat', 'mknod', 'mknodat', 'msync', 'nanosleep', 'newfstatat', 'open',
  'openat', 'pipe', 'pipe2', 'poll', 'ppoll', 'pread64', 'preadv', 'preadv2', 'prlimit64',
  'pselect6', 'pwrite64', 'pwritev', 'pwritev2', 'read', 'readlink', 'readlinkat', 'readv', 'recvfrom',
  'recvmsg', 'rename', 'renameat', 'renameat2', 'rmdir', 'sched_getaffinity', 'select', 'sendfile',
  'sendmsg', 'sendto', 'setsockopt', 'shutdown', 'socket', 'socketpair', 'stat',
  'statfs', 'statx', 'symlink', 'symlinkat', 'sync', 'syncfs', 'sysinfo', 'time', 'times', 'truncate',
  'uname', 'unlink', 'unlinkat', 'utime', 'utimensat', 'utimes', 'write', 'writev',
  // Timers: their results are applied; the signals they send come from host time, as outside
  // signals do (the recording places them: raised, timer_signals). restart_syscall resumes a
  // sleep or poll: applied as they are.
  'alarm', 'getitimer', 'setitimer', 'restart_syscall', 'timer_create', 'timer_settime', 'timer_gettime', 'timer_getoverrun',
  'timer_delete',
  'getxattr', 'lgetxattr', 'fgetxattr', 'listxattr', 'llistxattr', 'flistxattr', 'setxattr', 'lsetxattr',
  'fsetxattr', 'removexattr', 'lremovexattr', 'fremovexattr', 'sendmmsg', 'recvmmsg',
] as const;

const POLICY = new Map<string, ReplayPolicy>([
  ...EXECUTE.map((n) => [n, 'execute'] as const),
  ...APPLY.map((n) => [n, 'apply'] as const),
  ['mmap', 'mmap'],
  ['execve', 'exec'],
  ['execveat', 'exec'],
]);

/**
 * Executed calls that also write host time into guest memory: wait4's and waitid's struct
 * rusage holds the reaped child's CPU times, which replay does not reproduce. What the call
 * wrote at record time is put back at its exit stop, before the tracer or the guest reads it.
 */
const WRITES_RESTORED = new Set<string>(['wait4', 'waitid']);

/** Whether replay puts a call's recorded memory writes back over what executing it wrote. */
export function writesRestored(name: string): boolean {
  return WRITES_RESTORED.has(name);
}

/** The policy of a syscall the kernel implements, or undefined. */
export function declaredPolicy(name: string): ReplayPolicy | undefined {
  return POLICY.get(name);
}

/** How a call replays: numbers the kernel has no handler for (ENOSYS) have their result applied. */
export function replayPolicy(name: string): ReplayPolicy {
  return POLICY.get(name) ?? 'apply';
}
