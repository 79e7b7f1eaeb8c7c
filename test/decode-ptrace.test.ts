// ptrace(2) decoding. Expected lines from strace 6.1 (x86_64) tracing a small tracer natively:
// the request, then only the arguments it uses; peeked words, event messages and register sets
// at the exit. Addresses are the test memory's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, line, aarch64 } from './decode-harness.js';

const BUF = 0x7ffc0000n;
const ESRCH = -3;
const EPERM = -1;

test('requests that take no address or data', () => {
  assert.equal(line('ptrace', { args: [0, 0, 0, 0], ret: EPERM }), 'ptrace(PTRACE_TRACEME) = -1 EPERM (Operation not permitted)');
  assert.equal(line('ptrace', { args: [16, 4242, 0, 0], ret: EPERM }), 'ptrace(PTRACE_ATTACH, 4242) = -1 EPERM (Operation not permitted)');
  assert.equal(line('ptrace', { args: [8, 4242, 0, 0], ret: 0 }), 'ptrace(PTRACE_KILL, 4242) = 0');
});

test('resuming requests carry a signal; options are flags', () => {
  assert.equal(line('ptrace', { args: [7, 4242, 0, 0], ret: ESRCH }), 'ptrace(PTRACE_CONT, 4242, NULL, 0) = -1 ESRCH (No such process)');
  assert.equal(line('ptrace', { args: [24, 4242, 0, 19], ret: 0 }), 'ptrace(PTRACE_SYSCALL, 4242, NULL, SIGSTOP) = 0');
  assert.equal(line('ptrace', { args: [0x4200, 4242, 0, 1], ret: ESRCH }),
    'ptrace(PTRACE_SETOPTIONS, 4242, NULL, PTRACE_O_TRACESYSGOOD) = -1 ESRCH (No such process)');
  assert.equal(line('ptrace', { args: [0x4200, 4242, 0, 0x48], ret: 0 }), 'ptrace(PTRACE_SETOPTIONS, 4242, NULL, PTRACE_O_TRACECLONE|PTRACE_O_TRACEEXIT) = 0');
  assert.equal(line('ptrace', { args: [0x4299, 4242, 0, 0], ret: -5 }), 'ptrace(0x4299 /* PTRACE_??? */, 4242, NULL, NULL) = -1 EIO (Input/output error)');
});

test('peek, poke and the event message', () => {
  const mem = new ByteMemory();
  assert.equal(line('ptrace', { args: [2, 4242, 0x4be0f8, BUF], ret: 0, mem, kernel: (m) => m.putInts(BUF, 8, [0x457]) }),
    'ptrace(PTRACE_PEEKDATA, 4242, 0x4be0f8, [0x457]) = 0');
  assert.equal(line('ptrace', { args: [2, 4242, 0x4be0f8, BUF], ret: ESRCH, mem }), 'ptrace(PTRACE_PEEKDATA, 4242, 0x4be0f8, 0x7ffc0000) = -1 ESRCH (No such process)');
  assert.equal(line('ptrace', { args: [5, 4242, 0x4be0f8, 0x8ae], ret: ESRCH }), 'ptrace(PTRACE_POKEDATA, 4242, 0x4be0f8, 0x8ae) = -1 ESRCH (No such process)');
  assert.equal(line('ptrace', { args: [0x4201, 4242, 0, BUF], ret: 0, mem, kernel: (m) => m.putInts(BUF, 8, [4243]) }),
    'ptrace(PTRACE_GETEVENTMSG, 4242, NULL, [4243]) = 0');
});

test('register sets: NT_PRSTATUS decoded by the architecture\'s names', () => {
  const mem = new ByteMemory();
  mem.putInts(BUF, 8, [BUF + 0x100n, 216]);
  // a failed call still shows its iovec, the registers as their address (strace's tests/ptrace.c)
  assert.equal(line('ptrace', { args: [0x4204, 4242, 1, BUF], ret: ESRCH, mem }),
    'ptrace(PTRACE_GETREGSET, 4242, NT_PRSTATUS, {iov_base=0x7ffc0100, iov_len=216}) = -1 ESRCH (No such process)');
  const regs = Array.from({ length: 27 }, (_, i) => BigInt(i));
  mem.putInts(BUF + 0x100n, 8, regs);
  assert.equal(line('ptrace', { args: [0x4204, 4242, 1, BUF], ret: 0, mem }),
    'ptrace(PTRACE_GETREGSET, 4242, NT_PRSTATUS, {iov_base={r15=0, r14=0x1, r13=0x2, r12=0x3, rbp=0x4, rbx=0x5, r11=0x6, r10=0x7, ' +
    'r9=0x8, r8=0x9, rax=0xa, rcx=0xb, rdx=0xc, rsi=0xd, rdi=0xe, orig_rax=0xf, rip=0x10, cs=0x11, eflags=0x12, rsp=0x13, ss=0x14, ' +
    'fs_base=0x15, gs_base=0x16, ds=0x17, es=0x18, fs=0x19, gs=0x1a}, iov_len=216}) = 0');
  // aarch64's user_pt_regs: regs=[…], sp, pc, pstate
  mem.putInts(BUF, 8, [BUF + 0x100n, 272]);
  mem.putInts(BUF + 0x100n, 8, Array.from({ length: 34 }, (_, i) => BigInt(i)));
  const a = line('ptrace', { args: [0x4204, 4242, 1, BUF], ret: 0, mem, arch: aarch64 });
  assert.match(a, /^ptrace\(PTRACE_GETREGSET, 4242, NT_PRSTATUS, \{iov_base=\{regs=\[0, 0x1, 0x2, .*, 0x1e\], sp=0x1f, pc=0x20, pstate=0x21\}, iov_len=272\}\) = 0$/);
  // a shorter set: the fields it reaches (x86_64's user_fpregs_struct); not whole words: the base as an address
  mem.putInts(BUF, 8, [BUF + 0x100n, 8]);
  assert.equal(line('ptrace', { args: [0x4205, 4242, 2, BUF], ret: 0, mem }),
    'ptrace(PTRACE_SETREGSET, 4242, NT_FPREGSET, {iov_base={cwd=0, swd=0, ftw=0, fop=0}, iov_len=8}) = 0');
  mem.putInts(BUF, 8, [BUF + 0x100n, 12]);
  assert.equal(line('ptrace', { args: [0x4205, 4242, 1, BUF], ret: 0, mem }), 'ptrace(PTRACE_SETREGSET, 4242, NT_PRSTATUS, {iov_base=0x7ffc0100, iov_len=12}) = 0');
});

test('PEEKUSER/POKEUSER of x86_64\'s debug registers name their offset in struct user', () => {
  const mem = new ByteMemory();
  assert.equal(line('ptrace', { args: [6, 4242, 848, 0x4018f7], ret: ESRCH }),
    'ptrace(PTRACE_POKEUSER, 4242, offsetof(struct user, u_debugreg), 0x4018f7) = -1 ESRCH (No such process)');
  assert.equal(line('ptrace', { args: [6, 4242, 848 + 56, 0], ret: ESRCH }),
    'ptrace(PTRACE_POKEUSER, 4242, offsetof(struct user, u_debugreg)+56, NULL) = -1 ESRCH (No such process)');
  assert.equal(line('ptrace', { args: [3, 4242, 848 + 48, BUF], ret: ESRCH, mem }),
    'ptrace(PTRACE_PEEKUSER, 4242, offsetof(struct user, u_debugreg)+48, 0x7ffc0000) = -1 ESRCH (No such process)');
  assert.equal(line('ptrace', { args: [3, 4242, 848 + 48, BUF], ret: 0, mem, kernel: (m) => m.putInts(BUF, 8, [0xffff0ff1n]) }),
    'ptrace(PTRACE_PEEKUSER, 4242, offsetof(struct user, u_debugreg)+48, [0xffff0ff1]) = 0');
});

test('PTRACE_GET_SYSCALL_INFO: the entry\'s number and arguments, the exit\'s value', () => {
  const mem = new ByteMemory();
  const head = (op: number): void => {
    mem.putInts(BUF, 4, [op, 0xc000003e]);
    mem.putInts(BUF + 8n, 8, [0x4428d9, 0x7ffc7037c848n]);
  };
  head(1);
  mem.putInts(BUF + 24n, 8, [110, 0x13, 0, 0x40b2c7, 0xffffffff, 0x4c5e80, 0x1]);
  assert.equal(line('ptrace', { args: [0x420e, 21867, 88, BUF], ret: 80, mem }),
    'ptrace(PTRACE_GET_SYSCALL_INFO, 21867, 88, {op=PTRACE_SYSCALL_INFO_ENTRY, arch=AUDIT_ARCH_X86_64, instruction_pointer=0x4428d9, ' +
    'stack_pointer=0x7ffc7037c848, entry={nr=__NR_getppid, args=[0x13, 0, 0x40b2c7, 0xffffffff, 0x4c5e80, 0x1]}}) = 80');
  head(2);
  mem.putInts(BUF + 24n, 8, [21866, 0]);
  assert.equal(line('ptrace', { args: [0x420e, 21867, 88, BUF], ret: 33, mem }),
    'ptrace(PTRACE_GET_SYSCALL_INFO, 21867, 88, {op=PTRACE_SYSCALL_INFO_EXIT, arch=AUDIT_ARCH_X86_64, instruction_pointer=0x4428d9, ' +
    'stack_pointer=0x7ffc7037c848, exit={rval=21866, is_error=0}}) = 33');
});
