// The table of guest fixtures (test/fixtures/*.c, built by scripts/build-fixtures.sh into
// build/fixtures/<arch>/<name>) and how each is run, shared by the oracle tests.
import type { Arch, RunResult } from './run.js';

/** A line qemu-user prints wrongly, and what Linux (and so tstrace) prints instead. */
export interface QemuBug {
  /** Matches the whole line as qemu's run prints it. */
  qemuLine: RegExp;
  /** The line on Linux; `$1`… refer to qemu's groups. */
  linuxLine: string;
  why: string;
}

export interface FixtureCase {
  /** Test name: the binary name and its arguments. */
  id: string;
  /** Binary in build/fixtures/<arch>/. */
  name: string;
  args: string[];
  /** How the run ends, natively and under any correct emulator. */
  end: { exit: number } | { signal: NodeJS.Signals };
  /** Architectures this case does not exist for (the binary is not built there). */
  notOn?: Arch[];
  /** Places where qemu-user 7.2 is not Linux; applied to qemu's stdout before comparing. */
  qemuBugs?: QemuBug[];
  /** Reason this case is not compared against qemu-user. */
  noQemuOracle?: string;
  /** Reason this case is not compared against the real strace. */
  noStraceOracle?: string;
}

const TERMIOS2_WHY = 'qemu-user 7.2 does not translate the termios2 requests (TCGETS2, TCSETS2...): ENOSYS';
const TERM_IOCTLS_QEMU_BUGS: QemuBug[] = [
  { qemuLine: /^(TCGETS2|TCSETS2|TCSETSW2|TCSETSF2|TCGETS2 again): -1 Function not implemented$/, linuxLine: '$1: ok', why: TERMIOS2_WHY },
  { qemuLine: /^TCGETS2 bad pointer: -1 Function not implemented$/, linuxLine: 'TCGETS2 bad pointer: -1 Bad address', why: TERMIOS2_WHY },
  { qemuLine: /^TCGETS2 pipe: -1 Function not implemented$/, linuxLine: 'TCGETS2 pipe: -1 Inappropriate ioctl for device', why: TERMIOS2_WHY },
];

const SIGNAL_WAITS_QEMU_BUGS: QemuBug[] = [
  {
    qemuLine: /^FAIL (epoll_pwait2: the same|epoll_pwait2 with nothing ready times out \(0\))$/,
    linuxLine: 'ok   $1',
    why: 'qemu-user 7.2 does not implement epoll_pwait2 (ENOSYS)',
  },
];

const EFAULT_QEMU_BUGS: QemuBug[] = [
  {
    qemuLine: /^FAIL sysinfo NULL = 0, expected EFAULT$/,
    linuxLine: 'ok   sysinfo NULL: EFAULT',
    why: 'qemu-user 7.2 skips copying sysinfo out to a NULL pointer and returns 0',
  },
  {
    qemuLine: /^FAIL nanosleep req (\S+): EINVAL, expected EFAULT$/,
    linuxLine: 'ok   nanosleep req $1: EFAULT',
    why: 'qemu-user 7.2 turns an unreadable nanosleep request into EINVAL',
  },
];

const MORE_CALLS_QEMU_BUGS: QemuBug[] = [
  {
    qemuLine: /^FAIL pwritev2 RWF_DSYNC$/,
    linuxLine: 'ok   pwritev2 RWF_DSYNC',
    why: 'qemu-user 7.2 refuses pwritev2 with any flag (EOPNOTSUPP)',
  },
  {
    qemuLine: /^FAIL getsockname on a bad fd: EBADF$/,
    linuxLine: 'ok   getsockname on a bad fd: EBADF',
    why: 'qemu-user 7.2 checks the NULL address pointer before the descriptor (EFAULT)',
  },
];

const SPEC_CALLS_QEMU_BUGS: QemuBug[] = [
  {
    qemuLine: /^FAIL (epoll_pwait2 (?:no mask|SIGUSR1 masked)): -1 ENOSYS$/,
    linuxLine: 'ok   $1 = 0',
    why: 'qemu-user 7.2 has no epoll_pwait2 (ENOSYS)',
  },
  {
    qemuLine: /^FAIL (epoll_pwait2 bad maxevents|rseq with no area|rseq with a bad length): ENOSYS, expected EINVAL$/,
    linuxLine: 'ok   $1: EINVAL',
    why: 'qemu-user 7.2 has no epoll_pwait2 and refuses rseq (ENOSYS)',
  },
  {
    qemuLine: /^FAIL pwritev2 on a read-only fd: EOPNOTSUPP, expected EBADF$/,
    linuxLine: 'ok   pwritev2 on a read-only fd: EBADF',
    why: 'qemu-user 7.2 refuses pwritev2 with any flag (EOPNOTSUPP)',
  },
];

const PROC_SELF_QEMU_BUGS: QemuBug[] = [
  {
    qemuLine: /^FAIL \/proc\/self\/stat state R and ppid$/,
    linuxLine: 'ok   /proc/self/stat state R and ppid',
    why: 'qemu-user 7.2 generates /proc/self/stat with 0 for the state and most other fields',
  },
  {
    qemuLine: /^FAIL \/proc\/self\/comm is the name$/,
    linuxLine: 'ok   /proc/self/comm is the name',
    why: 'qemu-user 7.2 passes /proc/self/comm through: the name is qemu\'s own',
  },
  {
    qemuLine: /^FAIL \/proc\/PID\/exe is argv\[0\]$/,
    linuxLine: 'ok   /proc/PID/exe is argv[0]',
    why: 'qemu-user 7.2 translates /proc/self/exe but not /proc/<its pid>/exe, which is qemu itself',
  },
];

const RISCV_CALLS_QEMU_BUGS: QemuBug[] = [
  {
    qemuLine: /^FAIL riscv_flush_icache with an unknown flag = 0, expected EINVAL$/,
    linuxLine: 'ok   riscv_flush_icache with an unknown flag: EINVAL',
    why: 'qemu-user 7.2 accepts any riscv_flush_icache flags; Linux refuses bits other than SYS_RISCV_FLUSH_ICACHE_LOCAL',
  },
];

const c = (
  name: string,
  args: string[],
  end: FixtureCase['end'],
  more: Partial<Omit<FixtureCase, 'id' | 'name' | 'args' | 'end'>> = {},
): FixtureCase => ({ id: [name, ...args].join(' '), name, args, end, ...more });

export const FIXTURES: readonly FixtureCase[] = [
  c('hello', [], { exit: 0 }),
  c('hello-static-pie', [], { exit: 0 }, { notOn: ['riscv64'] }),
  c('exit_status', ['0'], { exit: 0 }),
  c('exit_status', ['42'], { exit: 42 }),
  c('exit_status', ['255'], { exit: 255 }),
  c('exit_status', ['300'], { exit: 44 }),
  c('files', [], { exit: 0 }),
  c('memory', [], { exit: 0 }),
  c('shared_memory', [], { exit: 0 }, {
    noStraceOracle: 'it forks and waits: natively each SIGCHLD lands before or after its wait4 as the host schedules the child, so two real strace runs differ (the qemu oracle checks every result)',
  }),
  c('readiness', [], { exit: 0 }),
  c('ids', [], { exit: 0 }),
  c('more_calls', [], { exit: 0 }),
  c('pty', [], { exit: 0 }, {
    noStraceOracle: 'a child makes its own session: natively its lines and its parent\'s wait4 interleave as the host schedules them (the qemu oracle checks every result)',
  }),
  c('more_calls', ['wait'], { exit: 0 }, {
    noStraceOracle: 'a child waits for its parent\'s lock: natively the two processes\' lines interleave as the host schedules them (the qemu oracle checks every result)',
  }),
  c('fifo_open', [], { exit: 0 }, {
    noStraceOracle: 'a child opens the other end after a sleep: natively the lines of parent and child interleave as the host schedules them (the qemu oracle checks every result)',
  }),
  c('big_writes', [], { exit: 0 }, {
    noStraceOracle: 'a reader in another process: how many reads it takes depends on how the host schedules the writer (the qemu oracle checks the byte counts and sums)',
  }),
  c('cpu_time', [], { exit: 0 }, {
    noStraceOracle: 'it spins reading the CPU-time clock: how many clock_gettime calls that takes differs from run to run',
  }),
  c('cpu_timers', [], { exit: 0 }, {
    noStraceOracle: 'it spins until CPU-time timers fire: where each signal lands differs from run to run',
  }),
  c('proc_mem', [], { exit: 0 }),
  c('timer_waits', [], { exit: 0 }),
  c('identity', [], { exit: 0 }),
  c('xattrs', [], { exit: 0 }),
  c('more_calls', [], { exit: 0 }, { qemuBugs: MORE_CALLS_QEMU_BUGS }),
  c('auxv', [], { exit: 0 }),
  c('clocks', [], { exit: 0 }),
  c('signals', [], { exit: 0 }),
  c('signal_waits', [], { exit: 0 }, { qemuBugs: SIGNAL_WAITS_QEMU_BUGS }),
  c('net_inet', [], { exit: 0 }),
  c('net_netlink', [], { exit: 0 }, {
    qemuBugs: [
      {
        qemuLine: /^FAIL socket\(AF_NETLINK, NETLINK_SOCK_DIAG\): EPROTONOSUPPORT$/,
        linuxLine: [
          'ok   socket(AF_NETLINK, NETLINK_SOCK_DIAG): created',
          'ok   sock_diag socket bound',
          'ok   sock_diag request sent',
          'ok   sock_diag dump answered up to NLMSG_DONE',
        ].join('\n'),
        why: 'qemu-user 7.2 offers only the netlink protocols it translates (NETLINK_ROUTE and a few more), not NETLINK_SOCK_DIAG: EPROTONOSUPPORT',
      },
    ],
    noStraceOracle: "the kernel's replies hold interface traffic counters, port ids and glibc's clock-based sequence numbers, which differ between runs: test/decode-netlink.test.ts compares its netlink lines with those masked",
  }),
  c('netlink_attrs', [], { exit: 0 }),
  c('netlink_attrs', ['edges'], { exit: 0 }, {
    noStraceOracle: 'strace warns "umoven: short read" on its stderr for each piece it cannot read: test/decode-netlink.test.ts compares the trace alone',
  }),
  c('net_ifreq', [], { exit: 0 }),
  c('sock_owner', [], { exit: 0 }),
  c('term_ioctls', [], { exit: 0 }, { qemuBugs: TERM_IOCTLS_QEMU_BUGS }),
  c('unknown_syscall', [], { exit: 0 }),
  c('bad_pointers', [], { exit: 0 }, { qemuBugs: EFAULT_QEMU_BUGS }),
  c('abort', [], { signal: 'SIGABRT' }),
  c('segv_null', [], { signal: 'SIGSEGV' }),
  c('vsyscall', [], { exit: 0 }),
  c('proc_self', ['arg'], { exit: 0 }, {
    qemuBugs: PROC_SELF_QEMU_BUGS,
    noStraceOracle: 'tstrace generates /proc/PID/status, stat and maps with fewer fields than Linux, so the read counts differ',
  }),
  c('vsyscall', ['efault'], { signal: 'SIGSEGV' }, { notOn: ['aarch64', 'riscv64'] }),
  c('segv_ro', [], { signal: 'SIGSEGV' }),
  c('sigill', [], { signal: 'SIGILL' }),
  c('kill_self', [], { signal: 'SIGTERM' }),
  c('sigkill_self', ['kill'], { signal: 'SIGKILL' }),
  c('sigkill_self', ['tgkill'], { signal: 'SIGKILL' }),
  c('sigkill_self', ['tkill'], { signal: 'SIGKILL' }),
  c('sigkill_self', ['thread'], { signal: 'SIGKILL' }, {
    noStraceOracle: 'natively the first thread is wherever it happens to be (clone3, rt_sigprocmask, the join) ' +
      'when the second thread kills the process; test/spec-calls.test.ts checks each thread\'s end with -f',
  }),
  c('spec_calls', [], { exit: 0 }, { qemuBugs: SPEC_CALLS_QEMU_BUGS }),
  c('exec_self', [], { exit: 7 }, { notOn: ['aarch64', 'riscv64'] }),
  c('exec_self', [], { exit: 7 }, {
    notOn: ['x86_64'],
    noQemuOracle: 'qemu-user cannot execve a foreign binary without binfmt_misc (ENOEXEC); test/exec.test.ts compares with the native x86_64 run instead',
  }),
  c('cpu_traps', ['div0'], { signal: 'SIGFPE' }, { notOn: ['aarch64', 'riscv64'] }),
  c('cpu_traps', ['div0'], { exit: 0 }, { notOn: ['x86_64'] }),
  c('cpu_traps', ['brk'], { signal: 'SIGTRAP' }),
  c('cpu_traps', ['align'], { signal: 'SIGBUS' }, { notOn: ['x86_64', 'aarch64'] }),
  c('riscv_calls', [], { exit: 0 }, { notOn: ['x86_64', 'aarch64'], qemuBugs: RISCV_CALLS_QEMU_BUGS }),
  c('sigbus', ['shared'], { signal: 'SIGBUS' }),
  c('sigbus', ['private'], { signal: 'SIGBUS' }),
  c('sigbus', ['truncate'], { signal: 'SIGBUS' }),
  c('many_regions', ['3000'], { exit: 0 }, {
    noQemuOracle: 'Linux maps all 3000 pages; tstrace refuses past its emulator region budget with ENOMEM (test/kernel-limits.test.ts)',
    noStraceOracle: 'Linux maps all 3000 pages; tstrace refuses past its emulator region budget with ENOMEM (test/kernel-limits.test.ts)',
  }),
  c('fuzz_syscalls', ['3000', '7'], { exit: 0 }, {
    noQemuOracle:
      'qemu-user 7.2 itself crashes or spins on garbage arguments (it alloca()s guest lengths in ' +
      'write, connect, sendto, sched_getaffinity…, and loops fd by fd in close_range); ' +
      'test/fuzz-syscalls.test.ts checks this program under tstrace on its own',
    noStraceOracle:
      'its garbage calls return host state that changes from run to run (times, sysinfo, ' +
      'getrandom, fds of other runs), so two traces cannot be equal line for line',
  }),
];

export function casesFor(arch: Arch): FixtureCase[] {
  return FIXTURES.filter((f) => !(f.notOn ?? []).includes(arch));
}

/**
 * qemu's stdout made into what Linux prints: known-bug lines replaced; when that leaves no
 * failed check, the fixture's summary and exit status become those of a passing run.
 */
export function correctQemuRun(fx: FixtureCase, r: RunResult): { stdout: string; status: number | null } {
  if (!fx.qemuBugs || fx.qemuBugs.length === 0) return { stdout: r.stdout, status: r.status };
  let fixed = 0;
  const lines = r.stdout.split('\n').map((line) => {
    for (const bug of fx.qemuBugs ?? []) {
      if (bug.qemuLine.test(line)) {
        fixed++;
        return line.replace(bug.qemuLine, bug.linuxLine);
      }
    }
    return line;
  });
  let status = r.status;
  if (fixed > 0 && !lines.some((l) => l.startsWith('FAIL '))) {
    const i = lines.lastIndexOf('SOME CHECKS FAILED');
    if (i >= 0) lines[i] = 'all checks passed';
    if (status === 1) status = 0;
  }
  return { stdout: lines.join('\n'), status };
}

/** The end a case expects, in describeEnd()'s words. */
export function expectedEnd(fx: FixtureCase): string {
  return 'exit' in fx.end ? `exit ${fx.end.exit}` : `killed by ${fx.end.signal}`;
}
