// Process syscalls. Expected lines from strace 6.1 (x86_64) on the C calls named in comments
// (t1.c/t3.c of the decoder scratch programs; addresses replaced by the test memory's).
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, line, entryText, aarch64, EFAULT, EINVAL } from './decode-harness.js';
import { formatExecveLine, formatWaitStatus } from '../src/tracer/decode/process.js';
import { DEFAULTS } from './decode-harness.js';

const BUF = 0x7ffc0000n;

function putArgv(mem: ByteMemory, at: bigint, strings: readonly string[]): bigint {
  let p = at + 0x1000n;
  const ptrs: bigint[] = [];
  for (const s of strings) { ptrs.push(mem.putCString(p, s)); p += BigInt(s.length + 1); }
  mem.putInts(at, 8, [...ptrs, 0n]);
  return at;
}

test('execve: argv, envp as a count, -v, -s', () => {
  const mem = new ByteMemory();
  mem.putCString(0x4000n, './t1');
  const argv = putArgv(mem, 0x10000n, ['./t1', 'a', 'b']);
  const envp = putArgv(mem, 0x20000n, Array.from({ length: 39 }, (_, i) => `V${i}=x`));
  // execve("./t1", ["./t1", "a", "b"], environ) with 39 variables
  assert.equal(line('execve', { args: [0x4000n, argv, envp], ret: 0, mem }), 'execve("./t1", ["./t1", "a", "b"], 0x20000 /* 39 vars */) = 0');
  const one = putArgv(mem, 0x30000n, ['TERM=xterm']);
  assert.equal(line('execve', { args: [0x4000n, argv, one], ret: 0, mem }), 'execve("./t1", ["./t1", "a", "b"], 0x30000 /* 1 var */) = 0');
  assert.equal(line('execve', { args: [0x4000n, argv, one], ret: 0, mem, options: { verbose: true } }), 'execve("./t1", ["./t1", "a", "b"], ["TERM=xterm"]) = 0');
  // strace -s 2 ./t1 a b: argv is cut after two elements, each string after two bytes
  assert.equal(line('execve', { args: [0x4000n, argv, one], ret: 0, mem, options: { stringLimit: 2 } }),
    'execve("./t1", ["./"..., "a", ...], 0x30000 /* 1 var */) = 0');
  // the tracer's own first line matches the decoder
  assert.equal(formatExecveLine('./t1', ['./t1', 'a', 'b'], 39, DEFAULTS, { envp: 0x20000n }),
    'execve("./t1", ["./t1", "a", "b"], 0x20000 /* 39 vars */)');
  assert.equal(formatExecveLine('./t1', ['./t1', 'a', 'b'], 1, { ...DEFAULTS, stringLimit: 2 }, { envp: 0x30000n }),
    'execve("./t1", ["./"..., "a", ...], 0x30000 /* 1 var */)');
  assert.equal(formatExecveLine('./t1', ['./t1'], 1, { ...DEFAULTS, verbose: true }, { env: ['TERM=xterm'] }),
    'execve("./t1", ["./t1"], ["TERM=xterm"])');
  assert.equal(line('execve', { args: [0x4000n, argv, envp], ret: -2, mem }),
    'execve("./t1", ["./t1", "a", "b"], 0x20000 /* 39 vars */) = -1 ENOENT (No such file or directory)');
});

test('identity and simple process calls', () => {
  assert.equal(line('getpid', { args: [], ret: 21394 }), 'getpid() = 21394');
  assert.equal(line('gettid', { args: [], ret: 21394 }), 'gettid() = 21394');
  assert.equal(line('getuid', { args: [], ret: 0 }), 'getuid() = 0');
  // set_tid_address(&x); set_robust_list(&x, 24) as glibc's start-up does
  assert.equal(line('set_tid_address', { args: [0x7f8dce9dfa10n], ret: 6109 }), 'set_tid_address(0x7f8dce9dfa10) = 6109');
  assert.equal(line('set_robust_list', { args: [0x7f8dce9dfa20n, 24], ret: 0 }), 'set_robust_list(0x7f8dce9dfa20, 24) = 0');
  // rseq has no decoder in strace 6.1: printargs
  assert.equal(line('rseq', { args: [0x7f8dce9e0060n, 0x20, 0, 0x53053053], ret: 0 }), 'rseq(0x7f8dce9e0060, 0x20, 0, 0x53053053) = 0');
  assert.equal(line('exit_group', { args: [0], ret: 0 }), 'exit_group(0) = ?');
  assert.equal(entryText('exit_group', { args: [3] }), '3');
});

test('uname, sysinfo, prlimit64, sched_getaffinity, getrandom', () => {
  const mem = new ByteMemory();
  const uts = (m: ByteMemory): void => {
    const b = new Uint8Array(390);
    const put = (off: number, s: string): void => { b.set(new TextEncoder().encode(s), off); };
    put(0, 'Linux'); put(65, 'vm'); put(130, '6.1.0'); put(195, '#1 SMP'); put(260, 'x86_64'); put(325, '(none)');
    m.put(BUF, b);
  };
  // uname(&u)
  assert.equal(line('uname', { args: [BUF], ret: 0, mem, kernel: uts }), 'uname({sysname="Linux", nodename="vm", ...}) = 0');
  assert.equal(line('uname', { args: [BUF], ret: 0, mem, options: { verbose: true } }),
    'uname({sysname="Linux", nodename="vm", release="6.1.0", version="#1 SMP", machine="x86_64", domainname="(none)"}) = 0');
  // sysinfo(&si)
  mem.putStruct(BUF, 112, [[0, 8, 483], [8, 8, 15296], [16, 8, 10688], [24, 8, 5984], [32, 8, 25276502016n], [40, 8, 24707960832n],
    [48, 8, 9084928], [56, 8, 4071424], [80, 2, 127], [104, 4, 1]]);
  assert.equal(line('sysinfo', { args: [BUF], ret: 0, mem }),
    'sysinfo({uptime=483, loads=[15296, 10688, 5984], totalram=25276502016, freeram=24707960832, sharedram=9084928, bufferram=4071424, totalswap=0, freeswap=0, procs=127, totalhigh=0, freehigh=0, mem_unit=1}) = 0');
  // prlimit(0, RLIMIT_NOFILE, NULL, &rl)
  mem.putInts(BUF, 8, [20000, 20000]);
  assert.equal(line('prlimit64', { args: [0, 7, 0, BUF], ret: 0, mem }), 'prlimit64(0, RLIMIT_NOFILE, NULL, {rlim_cur=20000, rlim_max=20000}) = 0');
  // prlimit(0, RLIMIT_STACK, {8192*1024, RLIM_INFINITY}, NULL)
  mem.putInts(BUF + 0x100n, 8, [8192 * 1024, -1n]);
  assert.equal(line('prlimit64', { args: [0, 3, BUF + 0x100n, 0], ret: 0, mem }),
    'prlimit64(0, RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}, NULL) = 0');
  assert.equal(line('prlimit64', { args: [0, 3, BUF + 0x100n, 0], ret: 0, mem, options: { xlat: 'verbose' } }),
    'prlimit64(0, 0x3 /* RLIMIT_STACK */, {rlim_cur=8388608 /* 8192*1024 */, rlim_max=18446744073709551615 /* RLIM64_INFINITY */}, NULL) = 0');
  mem.putInts(BUF + 0x200n, 8, [1000, 1025]);
  assert.equal(line('prlimit64', { args: [0, 3, BUF + 0x200n, 0], ret: 0, mem }), 'prlimit64(0, RLIMIT_STACK, {rlim_cur=1000, rlim_max=1025}, NULL) = 0');
  // prlimit(0, 99, NULL, &rl)
  assert.equal(line('prlimit64', { args: [0, 99, 0, BUF], ret: EINVAL, mem }), 'prlimit64(0, 0x63 /* RLIMIT_??? */, NULL, 0x7ffc0000) = -1 EINVAL (Invalid argument)');
  // sched_getaffinity(0, sizeof(cpu_set_t), &cs) on a 2-CPU machine
  mem.put(BUF + 0x300n, [3, ...new Array<number>(31).fill(0)]);
  assert.equal(line('sched_getaffinity', { args: [0, 128, BUF + 0x300n], ret: 32, mem }), 'sched_getaffinity(0, 128, [0 1]) = 32');
  // getrandom(buf, 8, GRND_NONBLOCK|GRND_RANDOM)
  mem.put(BUF + 0x400n, [0x6a, 0xda, 0xee, 0x13, 0xd3, 0xd6, 0x81, 0x08]);
  assert.equal(line('getrandom', { args: [BUF + 0x400n, 8, 3], ret: 8, mem }), 'getrandom("\\x6a\\xda\\xee\\x13\\xd3\\xd6\\x81\\x08", 8, GRND_NONBLOCK|GRND_RANDOM) = 8');
  assert.equal(line('getrandom', { args: [BUF + 0x400n, 4, 0x10], ret: EINVAL, mem }), 'getrandom(0x7ffc0400, 4, 0x10 /* GRND_??? */) = -1 EINVAL (Invalid argument)');
});

test('prctl and arch_prctl', () => {
  const mem = new ByteMemory();
  mem.putCString(BUF, 'myname');
  // prctl(PR_SET_NAME, "myname"); prctl(PR_GET_NAME, nm)
  assert.equal(line('prctl', { args: [15, BUF], ret: 0, mem }), 'prctl(PR_SET_NAME, "myname") = 0');
  assert.equal(line('prctl', { args: [16, BUF], ret: 0, mem }), 'prctl(PR_GET_NAME, "myname") = 0');
  // prctl(PR_SET_DUMPABLE, 1); prctl(PR_GET_DUMPABLE)
  assert.equal(line('prctl', { args: [4, 1], ret: 0 }), 'prctl(PR_SET_DUMPABLE, SUID_DUMP_USER) = 0');
  assert.equal(line('prctl', { args: [3], ret: 1 }), 'prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)');
  // prctl(9999, 1, 2, 3, 4); prctl(PR_SET_PDEATHSIG, SIGTERM); prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
  assert.equal(line('prctl', { args: [9999, 1, 2, 3, 4], ret: EINVAL }), 'prctl(0x270f /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)');
  assert.equal(line('prctl', { args: [1, 15], ret: 0 }), 'prctl(PR_SET_PDEATHSIG, SIGTERM) = 0');
  assert.equal(line('prctl', { args: [38, 1, 0, 0, 0], ret: 0 }), 'prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0');
  // arch_prctl(ARCH_SET_FS, p); arch_prctl(ARCH_GET_FS, &fs); arch_prctl(0x1234, 5)
  assert.equal(line('arch_prctl', { args: [0x1002, 0x7f8dce9df740n], ret: 0 }), 'arch_prctl(ARCH_SET_FS, 0x7f8dce9df740) = 0');
  mem.putInts(BUF + 0x100n, 8, [0x7f7e875b9740n]);
  assert.equal(line('arch_prctl', { args: [0x1003, BUF + 0x100n], ret: 0, mem }), 'arch_prctl(ARCH_GET_FS, [0x7f7e875b9740]) = 0');
  assert.equal(line('arch_prctl', { args: [0x1234, 5], ret: EINVAL }), 'arch_prctl(0x1234 /* ARCH_??? */, 0x5) = -1 EINVAL (Invalid argument)');
});

test('clone and clone3', () => {
  // fork() in glibc: clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=…)
  const flags = 0x01200000 | 17;
  assert.equal(entryText('clone', { args: [flags, 0, 0, 0x7f22325e6a10n, 0] }),
    'child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD');
  assert.equal(line('clone', { args: [flags, 0, 0, 0x7f22325e6a10n, 0], ret: 21542 }),
    'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f22325e6a10) = 21542');
  // on aarch64 the child tid pointer is the fifth argument
  assert.equal(line('clone', { args: [flags, 0, 0, 0, 0x7f22325e6a10n], ret: 21542, arch: aarch64 }),
    'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f22325e6a10) = 21542');
  const mem = new ByteMemory();
  // posix_spawn: clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=…, stack_size=0x9000}, 88)
  mem.putStruct(BUF, 88, [[0, 8, 0x4100], [32, 8, 17], [40, 8, 0x7f1b88570000n], [48, 8, 0x9000]]);
  assert.equal(line('clone3', { args: [BUF, 88], ret: 18951, mem }),
    'clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7f1b88570000, stack_size=0x9000}, 88) = 18951');
  assert.equal(line('clone3', { args: [BUF, 88], ret: 18951, mem, options: { xlat: 'verbose' } }),
    'clone3({flags=0x4100 /* CLONE_VM|CLONE_VFORK */, exit_signal=17 /* SIGCHLD */, stack=0x7f1b88570000, stack_size=0x9000}, 88) = 18951');
  // clone3 with CLONE_PARENT_SETTID: the written tid shows after =>
  mem.putStruct(BUF + 0x100n, 88, [[0, 8, 0x100000], [24, 8, BUF + 0x200n], [32, 8, 17]]);
  assert.equal(entryText('clone3', { args: [BUF + 0x100n, 88], mem }),
    '{flags=CLONE_PARENT_SETTID, parent_tid=0x7ffc0200, exit_signal=SIGCHLD, stack=NULL, stack_size=0}');
  assert.equal(line('clone3', { args: [BUF + 0x100n, 88], ret: 21545, mem, kernel: (m) => m.putInts(BUF + 0x200n, 4, [21545]) }),
    'clone3({flags=CLONE_PARENT_SETTID, parent_tid=0x7ffc0200, exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {parent_tid=[21545]}, 88) = 21545');
});

test('wait4 statuses and rusage', () => {
  const mem = new ByteMemory();
  // wait4(c, &st, 0, NULL) after _exit(3)
  assert.equal(line('wait4', { args: [21542, BUF, 0, 0], ret: 21542, mem, kernel: (m) => m.putInts(BUF, 4, [3 << 8]) }),
    'wait4(21542, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 21542');
  // wait4(-1, &st, WNOHANG|__WALL, NULL) with no children
  assert.equal(line('wait4', { args: [-1, BUF, 0x40000001, 0], ret: -10, mem }),
    'wait4(-1, 0x7ffc0000, WNOHANG|__WALL, NULL) = -1 ECHILD (No child processes)');
  // wait4(c, &st, 0, &ru) after kill(c, SIGKILL)
  mem.putStruct(BUF + 0x100n, 144, [[0, 8, 0], [8, 8, 96], [16, 8, 0], [24, 8, 0]]);
  assert.equal(line('wait4', { args: [21543, BUF, 0, BUF + 0x100n], ret: 21543, mem, kernel: (m) => m.putInts(BUF, 4, [9]) }),
    'wait4(21543, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, {ru_utime={tv_sec=0, tv_usec=96}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 21543');
  // wait4(c, &st, WUNTRACED, NULL) on a child that stopped itself
  assert.equal(line('wait4', { args: [21544, BUF, 2, 0], ret: 21544, mem, kernel: (m) => m.putInts(BUF, 4, [(19 << 8) | 0x7f]) }),
    'wait4(21544, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, NULL) = 21544');
  assert.equal(formatWaitStatus(0xffff), '[{WIFCONTINUED(s)}]');
  assert.equal(formatWaitStatus(0x8b), '[{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}]');
  // a ptrace event stop: SIGTRAP | PTRACE_EVENT_CLONE<<16
  assert.equal(formatWaitStatus((3 << 16) | (5 << 8) | 0x7f), '[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|PTRACE_EVENT_CLONE<<16]');
  // getrusage(RUSAGE_SELF, &ru)
  mem.putStruct(BUF + 0x100n, 144, [[24, 8, 1747]]);
  assert.equal(line('getrusage', { args: [0, BUF + 0x100n], ret: 0, mem }),
    'getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=1747}, ...}) = 0');
});

test('futex', () => {
  const mem = new ByteMemory();
  const F = 0x7fffd1b7ff78n;
  mem.putInts(BUF, 8, [0, 1000]);
  // the futex calls of t3.c
  assert.equal(line('futex', { args: [F, 0x81, 1], ret: 0 }), 'futex(0x7fffd1b7ff78, FUTEX_WAKE_PRIVATE, 1) = 0');
  assert.equal(line('futex', { args: [F, 0x80, 1, 0], ret: -11 }), 'futex(0x7fffd1b7ff78, FUTEX_WAIT_PRIVATE, 1, NULL) = -1 EAGAIN (Resource temporarily unavailable)');
  assert.equal(line('futex', { args: [F, 0, 0, BUF], ret: -110, mem }), 'futex(0x7fffd1b7ff78, FUTEX_WAIT, 0, {tv_sec=0, tv_nsec=1000}) = -1 ETIMEDOUT (Connection timed out)');
  assert.equal(line('futex', { args: [F, 0x109, 0, BUF, 0, 0xffffffff], ret: -110, mem }),
    'futex(0x7fffd1b7ff78, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000}, FUTEX_BITSET_MATCH_ANY) = -1 ETIMEDOUT (Connection timed out)');
  assert.equal(line('futex', { args: [F, 0x85, 1, 1, F, 0x04000001], ret: 0 }),
    'futex(0x7fffd1b7ff78, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x7fffd1b7ff78, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 0');
  assert.equal(line('futex', { args: [F, 0x84, 1, 2, F, 0], ret: 0 }), 'futex(0x7fffd1b7ff78, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, 0x7fffd1b7ff78, 0) = 0');
  assert.equal(line('futex', { args: [F, 0x7f, 1, 0, 0, 0], ret: -38 }), 'futex(0x7fffd1b7ff78, 0x7f /* FUTEX_??? */, 1, NULL, NULL, 0) = -1 ENOSYS (Function not implemented)');
  void EFAULT;
});
