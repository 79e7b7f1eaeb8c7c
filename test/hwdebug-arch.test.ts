// The debug registers' meaning per architecture (src/arch/*/hwdebug.ts), as Linux decodes them:
// x86_64's DR7 (arch/x86/kernel/ptrace.c, hw_breakpoint.c), aarch64's control words
// (arch/arm64/kernel/hw_breakpoint.c, ptrace.c). The end-to-end behaviour is in guest-ptrace.test.ts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { X86_64_HW_DEBUG } from '../src/arch/x86_64/hwdebug.js';
import { AARCH64_HW_DEBUG } from '../src/arch/aarch64/hwdebug.js';

const EINVAL = 22;
const EIO = 5;

test('x86_64: DR7 arms execute and data slots; invalid kinds, lengths and alignments are EINVAL', () => {
  const words = new Array<bigint>(8).fill(0n);
  words[0] = 0x401000n;
  words[1] = 0x4c6000n;
  // slot 0 execute; slot 1 write, 8 bytes
  words[7] = 1n | (1n << 2n) | (1n << 20n) | (2n << 22n);
  assert.deepEqual(X86_64_HW_DEBUG.points(words), [
    { slot: 0, kind: 'exec', addr: 0x401000n, len: 1 },
    { slot: 1, kind: 'write', addr: 0x4c6000n, len: 8 },
  ]);
  assert.equal(X86_64_HW_DEBUG.points([...words.slice(0, 7), 1n | (1n << 18n)]), EINVAL, 'an execute breakpoint of length 2');
  assert.equal(X86_64_HW_DEBUG.points([...words.slice(0, 7), 1n | (2n << 16n)]), EINVAL, 'the I/O kind');
  const unaligned = [...words];
  unaligned[1] = 0x4c6004n;
  assert.equal(X86_64_HW_DEBUG.points(unaligned), EINVAL, 'an 8-byte watchpoint at an address not 8-aligned');
});

test('x86_64: u_debugreg words through PEEKUSER/POKEUSER (DR6 flipped with DR6_RESERVED, DR4/DR5 EIO)', () => {
  const user = X86_64_HW_DEBUG.user!;
  const words = new Array<bigint>(8).fill(0n);
  assert.equal(user.peek(words, 6), 0xffff0ff0n, 'no hit yet');
  assert.equal(user.poke(words, 0, 0x401000n), 0);
  assert.equal(user.poke(words, 7, 1n), 0);
  X86_64_HW_DEBUG.hit(words, { slot: 0, kind: 'exec', addr: 0x401000n, len: 1 });
  assert.equal(user.peek(words, 6), 0xffff0ff1n);
  assert.equal(user.poke(words, 4, 0n), EIO);
  assert.equal(user.poke(words, 7, 1n | (1n << 18n)), EINVAL);
  assert.equal(user.peek(words, 7), 1n, 'a refused DR7 leaves the old one');
  assert.equal(user.poke(words, 1, 0x7ffffffff000n), EINVAL, 'a kernel address');
});

test('aarch64: control words (enable, EL0, type, byte-address select)', () => {
  const words = new Array<bigint>(AARCH64_HW_DEBUG.words).fill(0n);
  const bp = 1n | (2n << 1n) | (0xfn << 5n);
  words[0] = 0x400100n;
  words[1] = bp;
  // watchpoint 1 (words 12 + 2): store, bytes 4–7 of the doubleword
  words[14] = 0x4c6000n;
  words[15] = 1n | (2n << 1n) | (2n << 3n) | (0xf0n << 5n);
  assert.deepEqual(AARCH64_HW_DEBUG.points(words), [
    { slot: 0, kind: 'exec', addr: 0x400100n, len: 4 },
    { slot: 1, kind: 'write', addr: 0x4c6004n, len: 4 },
  ]);
  const bad = [...words];
  bad[15] = 1n | (2n << 3n) | (0x5n << 5n);
  assert.equal(AARCH64_HW_DEBUG.points(bad), EINVAL, 'bytes that are not contiguous');
  bad[15] = 1n | (0xffn << 5n);
  assert.equal(AARCH64_HW_DEBUG.points(bad), EINVAL, 'a watchpoint of the execute type');
  assert.deepEqual(AARCH64_HW_DEBUG.regsets, { debugArch: 6, breakpoints: 6, watchpoints: 4 });
});
