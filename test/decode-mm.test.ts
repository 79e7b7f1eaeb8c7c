// Memory syscalls and the -X styles that change them. Expected lines from strace 6.1 (x86_64)
// on the calls of t1.c and t8.c in the decoder scratch programs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, line, aarch64, riscv64, EBADF, EINVAL } from './decode-harness.js';

test('mmap flags: type first, unknown bits, huge page size', () => {
  // mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
  assert.equal(line('mmap', { args: [0, 8192, 3, 0x22, -1, 0], ret: 0x7f8dcebcd000n }),
    'mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f8dcebcd000');
  assert.equal(line('mmap', { args: [0, 8192, 3, 0x22, -1, 0], ret: 0x7f8dcebcd000n, options: { xlat: 'verbose' } }),
    'mmap(NULL, 8192, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0) = 0x7f8dcebcd000');
  assert.equal(line('mmap', { args: [0, 8192, 3, 0x22, -1, 0], ret: 0x7f8dcebcd000n, options: { xlat: 'raw' } }),
    'mmap(NULL, 8192, 0x3, 0x22, -1, 0) = 0x7f8dcebcd000');
  // mmap((void*)0x10000, 4096, PROT_READ|PROT_EXEC, MAP_SHARED|MAP_FIXED, fd, 4096)
  assert.equal(line('mmap', { args: [0x10000, 4096, 5, 0x11, 3, 4096], ret: 0x10000 }),
    'mmap(0x10000, 4096, PROT_READ|PROT_EXEC, MAP_SHARED|MAP_FIXED, 3, 0x1000) = 0x10000');
  assert.equal(line('mmap', { args: [0x10000, 4096, 5, 0x11, 3, 4096], ret: 0x10000, options: { decodeFds: true }, fds: { 3: '/etc/passwd' } }),
    'mmap(0x10000, 4096, PROT_READ|PROT_EXEC, MAP_SHARED|MAP_FIXED, 3</etc/passwd>, 0x1000) = 0x10000');
  // mmap(NULL, 4096, 0x80, 0x400000, 99, 0)
  assert.equal(line('mmap', { args: [0, 4096, 0x80, 0x400000, 99, 0], ret: EBADF }),
    'mmap(NULL, 4096, 0x80 /* PROT_??? */, MAP_FILE|0x400000, 99, 0) = -1 EBADF (Bad file descriptor)');
  assert.equal(line('mmap', { args: [0, 4096, 0x80, 0x400000, 99, 0], ret: EBADF, options: { xlat: 'verbose' } }),
    'mmap(NULL, 4096, 0x80 /* PROT_??? */, 0x400000 /* MAP_FILE|0x400000 */, 99, 0) = -1 EBADF (Bad file descriptor)');
  // mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|(21<<26), -1, 0)
  assert.equal(line('mmap', { args: [0, 4096, 1, 0x54040022, -1, 0], ret: -12 }),
    'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = -1 ENOMEM (Cannot allocate memory)');
  // mmap(NULL, 4096, PROT_READ, 0x5|MAP_STACK|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_GROWSDOWN, -1, 0)
  assert.equal(line('mmap', { args: [0, 4096, 1, 0x2c145, -1, 0], ret: EBADF }),
    'mmap(NULL, 4096, PROT_READ, 0x5 /* MAP_??? */|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_GROWSDOWN|MAP_STACK, -1, 0) = -1 EBADF (Bad file descriptor)');
  assert.equal(line('mmap', { args: [0, 4096, 1, 0x2c145, -1, 0], ret: EBADF, options: { xlat: 'verbose' } }),
    'mmap(NULL, 4096, 0x1 /* PROT_READ */, 0x2c145 /* 0x5 /* MAP_??? */|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_GROWSDOWN|MAP_STACK */, -1, 0) = -1 EBADF (Bad file descriptor)');
  // MAP_32BIT is x86-only: the same bit has no name on aarch64
  assert.equal(line('mmap', { args: [0, 4096, 1, 0x62, -1, 0], ret: EINVAL, arch: aarch64 }),
    'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|0x40, -1, 0) = -1 EINVAL (Invalid argument)');
});

test('brk, munmap, mprotect, mremap, madvise, msync', () => {
  assert.equal(line('brk', { args: [0], ret: 0x55fad8676000n }), 'brk(NULL) = 0x55fad8676000');
  assert.equal(line('brk', { args: [0x4aed00], ret: 0x4aed00 }), 'brk(0x4aed00) = 0x4aed00');
  assert.equal(line('mprotect', { args: [0x7f8dcebcb000n, 4096, 0], ret: 0 }), 'mprotect(0x7f8dcebcb000, 4096, PROT_NONE) = 0');
  assert.equal(line('mprotect', { args: [0x7f8dcebcb000n, 4096, 0], ret: 0, options: { xlat: 'verbose' } }), 'mprotect(0x7f8dcebcb000, 4096, 0 /* PROT_NONE */) = 0');
  assert.equal(line('munmap', { args: [-1, 16384], ret: EINVAL }), 'munmap(0xffffffffffffffff, 16384) = -1 EINVAL (Invalid argument)');
  // mremap(p, 8192, 16384, MREMAP_MAYMOVE) and with MREMAP_FIXED's new address
  assert.equal(line('mremap', { args: [0x7f8dcebcb000n, 8192, 16384, 1, 0x1234], ret: -14 }),
    'mremap(0x7f8dcebcb000, 8192, 16384, MREMAP_MAYMOVE) = -1 EFAULT (Bad address)');
  assert.equal(line('mremap', { args: [0x7ffff7ff4000n, 4096, 8192, 3, 0x7ffff8004000n], ret: 0x7ffff8004000n }),
    'mremap(0x7ffff7ff4000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7ffff8004000) = 0x7ffff8004000');
  assert.equal(line('madvise', { args: [-1, 4096, 4], ret: EINVAL }), 'madvise(0xffffffffffffffff, 4096, MADV_DONTNEED) = -1 EINVAL (Invalid argument)');
  assert.equal(line('madvise', { args: [0x7ffff7ff4000n, 4096, 999], ret: EINVAL }), 'madvise(0x7ffff7ff4000, 4096, 0x3e7 /* MADV_??? */) = -1 EINVAL (Invalid argument)');
  assert.equal(line('msync', { args: [0x7ffff7ff4000n, 4096, 4], ret: -12 }), 'msync(0x7ffff7ff4000, 4096, MS_SYNC) = -1 ENOMEM (Cannot allocate memory)');
});

test('-X styles in poll results and futex wake ops', () => {
  const mem = new ByteMemory();
  const B = 0x7ffc0000n;
  mem.putStruct(B, 8, [[0, 4, 7], [4, 2, 5], [6, 2, 0]]);
  // poll(pf, 1, 0) returning POLLOUT, in each style
  const k = (m: ByteMemory): void => { m.putStruct(B, 8, [[0, 4, 7], [4, 2, 5], [6, 2, 4]]); };
  assert.equal(line('poll', { args: [B, 1, 0], ret: 1, mem, kernel: k, options: { xlat: 'verbose' } }),
    'poll([{fd=7, events=0x5 /* POLLIN|POLLOUT */}], 1, 0) = 1 ([{fd=7, revents=0x4 /* POLLOUT */}])');
  assert.equal(line('poll', { args: [B, 1, 0], ret: 1, mem, options: { xlat: 'raw' } }),
    'poll([{fd=7, events=0x5}], 1, 0) = 1 ([{fd=7, revents=0x4}])');
  // futex(&f, FUTEX_WAKE_OP_PRIVATE, 1, 1, &f, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 1)) under -X raw
  assert.equal(line('futex', { args: [B, 0x85, 1, 1, B, 0x04000001], ret: 0, options: { xlat: 'raw' } }),
    'futex(0x7ffc0000, 0x85, 1, 1, 0x7ffc0000, 0<<28 /* FUTEX_OP_??? */|0<<12|0x4<<24 /* FUTEX_OP_CMP_??? */|0x1) = 0');
});

test('string arguments: NULL, unreadable, empty, long paths', () => {
  const mem = new ByteMemory();
  // write(1, "", 0); write(1, NULL, 5); write(1, (void*)1, 5); read(0, NULL, 0)
  mem.put(0x9000n, '');
  assert.equal(line('write', { args: [1, 0x9000n, 0], ret: 0, mem }), 'write(1, "", 0) = 0');
  assert.equal(line('write', { args: [1, 0, 5], ret: 5 }), 'write(1, NULL, 5) = 5');
  assert.equal(line('write', { args: [1, 1, 5], ret: 5 }), 'write(1, 0x1, 5) = 5');
  assert.equal(line('read', { args: [0, 0, 0], ret: 0 }), 'read(0, NULL, 0) = 0');
  // open(path of 4999 'b's): strace prints 4095 characters and "..."
  mem.putCString(0xa000n, 'b'.repeat(4999));
  assert.equal(line('openat', { args: [-100, 0xa000n, 0], ret: -36, mem }),
    `openat(AT_FDCWD, "${'b'.repeat(4095)}"..., O_RDONLY) = -1 ENAMETOOLONG (File name too long)`);
  // paths are not cut at -s
  mem.putCString(0xc000n, 'a'.repeat(99));
  assert.equal(line('openat', { args: [-100, 0xc000n, 0], ret: -2, mem, options: { stringLimit: 4 } }),
    `openat(AT_FDCWD, "${'a'.repeat(99)}", O_RDONLY) = -1 ENOENT (No such file or directory)`);
});

test('riscv_flush_icache (riscv64): two addresses and SYS_RISCV_FLUSH_ICACHE_* flags, as strace 6.1 prints them', () => {
  assert.equal(line('riscv_flush_icache', { args: [0x10000, 0x10400, 0], ret: 0, arch: riscv64 }), 'riscv_flush_icache(0x10000, 0x10400, 0) = 0');
  assert.equal(line('riscv_flush_icache', { args: [0, 0, 1], ret: 0, arch: riscv64 }), 'riscv_flush_icache(NULL, NULL, SYS_RISCV_FLUSH_ICACHE_LOCAL) = 0');
  assert.equal(line('riscv_flush_icache', { args: [0x1000, 0x2000, 3], ret: EINVAL, arch: riscv64 }),
    'riscv_flush_icache(0x1000, 0x2000, SYS_RISCV_FLUSH_ICACHE_LOCAL|0x2) = -1 EINVAL (Invalid argument)');
  assert.equal(line('riscv_flush_icache', { args: [0x1000, 0x2000, 2], ret: EINVAL, arch: riscv64 }),
    'riscv_flush_icache(0x1000, 0x2000, 0x2 /* SYS_RISCV_FLUSH_ICACHE_??? */) = -1 EINVAL (Invalid argument)');
});
