// Signal syscalls and the siginfo of delivery lines. Expected lines from strace 6.1 (x86_64) on
// the calls of t3.c in the decoder scratch programs; addresses replaced by the test memory's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, line, entryText, aarch64, riscv64, EINVAL } from './decode-harness.js';
import { formatSiginfo, formatSigmask } from '../src/tracer/decode/signal.js';

const BUF = 0x7ffc0000n;
const bit = (...sigs: number[]): bigint => sigs.reduce((m, s) => m | (1n << BigInt(s - 1)), 0n);

function putSigaction(mem: ByteMemory, at: bigint, handler: bigint, flags: bigint, restorer: bigint, mask: bigint): bigint {
  return mem.putStruct(at, 32, [[0, 8, handler], [8, 8, flags], [16, 8, restorer], [24, 8, mask]]);
}

test('rt_sigaction', () => {
  const mem = new ByteMemory();
  // sigaction(SIGUSR2, {h, SA_RESTART, [USR1]}, NULL) (glibc adds SA_RESTORER)
  putSigaction(mem, BUF, 0x55a6bef152e9n, 0x14000000n, 0x7ff13c0a7050n, bit(10));
  assert.equal(line('rt_sigaction', { args: [12, BUF, 0, 8], ret: 0, mem }),
    'rt_sigaction(SIGUSR2, {sa_handler=0x55a6bef152e9, sa_mask=[USR1], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7ff13c0a7050}, NULL, 8) = 0');
  // sigaction(SIGUSR2, NULL, &old)
  assert.equal(line('rt_sigaction', { args: [12, 0, BUF, 8], ret: 0, mem }),
    'rt_sigaction(SIGUSR2, NULL, {sa_handler=0x55a6bef152e9, sa_mask=[USR1], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7ff13c0a7050}, 8) = 0');
  // sigaction(SIGPIPE, {SIG_IGN}, &old) where the old one was SIG_DFL
  putSigaction(mem, BUF + 0x100n, 1n, 0x04000000n, 0x7ff13c0a7050n, 0n);
  putSigaction(mem, BUF + 0x200n, 0n, 0n, 0n, 0n);
  assert.equal(line('rt_sigaction', { args: [13, BUF + 0x100n, BUF + 0x200n, 8], ret: 0, mem }),
    'rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7ff13c0a7050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0');
  // sa_flags = SA_RESTART|SA_SIGINFO|SA_ONSTACK|SA_NODEFER|SA_RESETHAND: glibc sign-extends the int
  putSigaction(mem, BUF + 0x300n, 0x55cefd573309n, 0xffffffffdc000004n, 0x7f7e875f8050n, bit(10));
  assert.equal(line('rt_sigaction', { args: [12, BUF + 0x300n, 0, 8], ret: 0, mem }),
    'rt_sigaction(SIGUSR2, {sa_handler=0x55cefd573309, sa_mask=[USR1], sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_NODEFER|SA_RESETHAND|SA_SIGINFO|0xffffffff00000000, sa_restorer=0x7f7e875f8050}, NULL, 8) = 0');
  // system(): rt_sigaction(SIGINT, {SIG_IGN}, …) with -X verbose from t2.c
  assert.equal(line('rt_sigaction', { args: [13, BUF + 0x100n, 0, 8], ret: 0, mem, options: { xlat: 'raw' } }),
    'rt_sigaction(13, {sa_handler=0x1, sa_mask=[], sa_flags=0x4000000, sa_restorer=0x7ff13c0a7050}, NULL, 8) = 0');
});

test('rt_sigaction on riscv64: struct sigaction has no sa_restorer (the mask follows the flags)', () => {
  const mem = new ByteMemory();
  // glibc's sigaction(SIGUSR1, {h, SA_SIGINFO, [QUIT]}) on riscv64: 24 bytes, no SA_RESTORER.
  mem.putStruct(BUF, 24, [[0, 8, 0x107a4n], [8, 8, 4n], [16, 8, bit(3)]]);
  assert.equal(line('rt_sigaction', { args: [10, BUF, 0, 8], ret: 0, mem, arch: riscv64 }),
    'rt_sigaction(SIGUSR1, {sa_handler=0x107a4, sa_mask=[QUIT], sa_flags=SA_SIGINFO}, NULL, 8) = 0');
  // A raw SA_RESTORER bit is named, but there is no sa_restorer field to print.
  mem.putStruct(BUF + 0x100n, 24, [[0, 8, 1n], [8, 8, 0x04000000n], [16, 8, 0n]]);
  assert.equal(line('rt_sigaction', { args: [13, BUF + 0x100n, 0, 8], ret: 0, mem, arch: riscv64 }),
    'rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER}, NULL, 8) = 0');
});

test('rt_sigprocmask and signal sets', () => {
  const mem = new ByteMemory();
  // sigprocmask(SIG_BLOCK, {INT, TERM}, NULL)
  mem.putInts(BUF, 8, [bit(2, 15)]);
  assert.equal(line('rt_sigprocmask', { args: [0, BUF, 0, 8], ret: 0, mem }), 'rt_sigprocmask(SIG_BLOCK, [INT TERM], NULL, 8) = 0');
  // sigprocmask(SIG_SETMASK, NULL, &ss)
  assert.equal(line('rt_sigprocmask', { args: [2, 0, BUF, 8], ret: 0, mem }), 'rt_sigprocmask(SIG_SETMASK, NULL, [INT TERM], 8) = 0');
  // sigfillset as glibc passes it (without its two internal RT signals)
  mem.putInts(BUF + 0x10n, 8, [~bit(32, 33) & 0xffffffffffffffffn]);
  assert.equal(line('rt_sigprocmask', { args: [2, BUF + 0x10n, 0, 8], ret: 0, mem }), 'rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], NULL, 8) = 0');
  mem.putInts(BUF + 0x20n, 8, [~bit(9, 17, 19, 32, 33) & 0xffffffffffffffffn]);
  assert.equal(line('rt_sigprocmask', { args: [1, BUF + 0x20n, 0, 8], ret: 0, mem }), 'rt_sigprocmask(SIG_UNBLOCK, ~[KILL CHLD STOP RTMIN RT_1], NULL, 8) = 0');
  // sigaddset(&ss, 40); sigaddset(&ss, SIGRTMIN) (glibc's SIGRTMIN is 34)
  mem.putInts(BUF + 0x30n, 8, [bit(34, 40)]);
  assert.equal(line('rt_sigprocmask', { args: [0, BUF + 0x30n, 0, 8], ret: 0, mem }), 'rt_sigprocmask(SIG_BLOCK, [RT_2 RT_8], NULL, 8) = 0');
  // rt_sigprocmask(5, &empty, NULL, 8); rt_sigprocmask(SIG_BLOCK, &ss, NULL, 4)
  mem.putInts(BUF + 0x40n, 8, [0]);
  assert.equal(line('rt_sigprocmask', { args: [5, BUF + 0x40n, 0, 8], ret: EINVAL, mem }), 'rt_sigprocmask(0x5 /* SIG_??? */, [], NULL, 8) = -1 EINVAL (Invalid argument)');
  assert.equal(line('rt_sigprocmask', { args: [0, BUF + 0x40n, 0, 4], ret: EINVAL, mem }), 'rt_sigprocmask(SIG_BLOCK, 0x7ffc0040, NULL, 4) = -1 EINVAL (Invalid argument)');
  // system(): rt_sigprocmask(SIG_BLOCK, ~[], [CHLD], 8)
  mem.putInts(BUF + 0x50n, 8, [0xffffffffffffffffn]);
  mem.putInts(BUF + 0x60n, 8, [bit(17)]);
  assert.equal(line('rt_sigprocmask', { args: [0, BUF + 0x50n, BUF + 0x60n, 8], ret: 0, mem }), 'rt_sigprocmask(SIG_BLOCK, ~[], [CHLD], 8) = 0');
  assert.equal(formatSigmask('raw', bit(2, 15)), '[2 15]');
  assert.equal(formatSigmask('verbose', bit(2, 15)), '[2 /* INT */ 15 /* TERM */]');
});

test('kill, tgkill, sigaltstack, rt_sigreturn', () => {
  assert.equal(line('kill', { args: [7214, 12], ret: 0 }), 'kill(7214, SIGUSR2) = 0');
  assert.equal(line('kill', { args: [7214, 0], ret: 0 }), 'kill(7214, 0) = 0');
  assert.equal(line('kill', { args: [-1, 77], ret: EINVAL }), 'kill(-1, 77) = -1 EINVAL (Invalid argument)');
  assert.equal(line('tgkill', { args: [7214, 7214, 12], ret: 0 }), 'tgkill(7214, 7214, SIGUSR2) = 0');
  assert.equal(line('tkill', { args: [7214, 12], ret: 0 }), 'tkill(7214, SIGUSR2) = 0');
  const mem = new ByteMemory();
  // sigaltstack(&{sp, 0, 65536}, &old) where old was disabled
  mem.putStruct(BUF, 24, [[0, 8, 0x55b5abf502a0n], [8, 4, 0], [16, 8, 65536]]);
  mem.putStruct(BUF + 0x100n, 24, [[0, 8, 0], [8, 4, 2], [16, 8, 0]]);
  assert.equal(line('sigaltstack', { args: [BUF, BUF + 0x100n], ret: 0, mem }),
    'sigaltstack({ss_sp=0x55b5abf502a0, ss_flags=0, ss_size=65536}, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0');
  // rt_sigreturn after the SIGUSR2 handler of kill(getpid(), SIGUSR2) returned: the restored
  // mask sits at uc.uc_sigmask, 296 bytes above the stack pointer on x86_64, 168 on aarch64
  const SP = 0x7ffd0000n;
  mem.putInts(SP + 296n, 8, [0]);
  assert.equal(line('rt_sigreturn', { args: [], ret: 0, mem, extra: { stackPointer: SP } }), 'rt_sigreturn({mask=[]}) = 0');
  mem.putInts(SP + 168n, 8, [bit(2, 15)]);
  assert.equal(line('rt_sigreturn', { args: [], ret: 0, mem, arch: aarch64, extra: { stackPointer: SP } }), 'rt_sigreturn({mask=[INT TERM]}) = 0');
  // riscv64's rt_sigframe puts it where aarch64's does: siginfo, then uc_sigmask at 40 in the ucontext.
  assert.equal(line('rt_sigreturn', { args: [], ret: 0, mem, arch: riscv64, extra: { stackPointer: SP } }), 'rt_sigreturn({mask=[INT TERM]}) = 0');
  // without the stack pointer nothing can be read
  assert.equal(entryText('rt_sigreturn', { args: [] }), '');
});

test('siginfo of signal-delivery lines', () => {
  assert.equal(formatSiginfo({ signo: 12, code: 0, pid: 7214, uid: 0 }), '{si_signo=SIGUSR2, si_code=SI_USER, si_pid=7214, si_uid=0}');
  assert.equal(formatSiginfo({ signo: 12, code: -6, pid: 7214, uid: 0 }), '{si_signo=SIGUSR2, si_code=SI_TKILL, si_pid=7214, si_uid=0}');
  assert.equal(formatSiginfo({ signo: 17, code: 1, pid: 21542, uid: 0, status: 3, utime: 0n, stime: 0n }),
    '{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=21542, si_uid=0, si_status=3, si_utime=0, si_stime=0}');
  assert.equal(formatSiginfo({ signo: 17, code: 2, pid: 21543, uid: 0, status: 9, utime: 0n, stime: 0n }),
    '{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=21543, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}');
  assert.equal(formatSiginfo({ signo: 17, code: 3, pid: 29343, uid: 0, status: 11, utime: 0n, stime: 0n }),
    '{si_signo=SIGCHLD, si_code=CLD_DUMPED, si_pid=29343, si_uid=0, si_status=SIGSEGV, si_utime=0, si_stime=0}');
  assert.equal(formatSiginfo({ signo: 11, code: 1, addr: 0n }), '{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}');
  assert.equal(formatSiginfo({ signo: 11, code: 2, addr: 0x401000n }), '{si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x401000}');
  // ualarm() firing: a kernel-sent signal carries no sender
  assert.equal(formatSiginfo({ signo: 14, code: 0x80 }), '{si_signo=SIGALRM, si_code=SI_KERNEL}');
  assert.equal(formatSiginfo({ signo: 6, code: -6, pid: 5, uid: 0 }), '{si_signo=SIGABRT, si_code=SI_TKILL, si_pid=5, si_uid=0}');
  assert.equal(formatSiginfo({ signo: 17, code: 1, pid: 1, uid: 0, status: 0, utime: 5n, stime: 123n }),
    '{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1, si_uid=0, si_status=0, si_utime=5 /* 0.05 s */, si_stime=123 /* 1.23 s */}');
});
