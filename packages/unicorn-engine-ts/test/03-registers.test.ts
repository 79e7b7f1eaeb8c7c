// Registers: one at a time, in batches, and as bytes for the wide ones.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine,
  UC_ARCH_ARM64,
  UC_ARCH_RISCV,
  UC_ARCH_X86,
  UC_ARM64_REG_FPCR,
  UC_ARM64_REG_NZCV,
  UC_ARM64_REG_PC,
  UC_ARM64_REG_Q0,
  UC_ARM64_REG_Q1,
  UC_ARM64_REG_SP,
  UC_ARM64_REG_TPIDR_EL0,
  UC_ARM64_REG_X0,
  UC_ARM64_REG_X30,
  UC_MODE_64,
  UC_MODE_ARM,
  UC_MODE_RISCV64,
  UC_RISCV_REG_A0,
  UC_RISCV_REG_PC,
  UC_X86_REG_EAX,
  UC_X86_REG_FS_BASE,
  UC_X86_REG_RAX,
  UC_X86_REG_RIP,
  UC_X86_REG_XMM0,
} from '../src/index.js';

function open(t: { after(fn: () => void): void }, arch: number, mode: number): Engine {
  const e = Engine.open(arch, mode);
  t.after(() => e.close());
  return e;
}

test('regWrite/regRead round-trip 64-bit values; negative values wrap modulo 2^64', (t) => {
  const e = open(t, UC_ARCH_ARM64, UC_MODE_ARM);
  e.regWrite(UC_ARM64_REG_X0, 0x1234_5678_9abc_def0n);
  e.regWrite(UC_ARM64_REG_SP, 0x7fff_fff0n);
  e.regWrite(UC_ARM64_REG_TPIDR_EL0, -2n);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 0x1234_5678_9abc_def0n);
  assert.equal(e.regRead(UC_ARM64_REG_SP), 0x7fff_fff0n);
  assert.equal(e.regRead(UC_ARM64_REG_TPIDR_EL0), 0xffff_ffff_ffff_fffen);
});

test('a 32-bit register reads back without stale upper bytes', (t) => {
  const e = open(t, UC_ARCH_ARM64, UC_MODE_ARM);
  e.regWrite(UC_ARM64_REG_X0, 0xffff_ffff_ffff_ffffn); // leaves the scratch slot full of ones
  assert.equal(e.regRead(UC_ARM64_REG_X0), 0xffff_ffff_ffff_ffffn);
  e.regWrite(UC_ARM64_REG_NZCV, 0x6000_0000n);
  assert.equal(e.regRead(UC_ARM64_REG_NZCV), 0x6000_0000n);
});

test('regReadU32 gives a register\'s low 32 bits as a number', (t) => {
  const e = open(t, UC_ARCH_ARM64, UC_MODE_ARM);
  e.regWrite(UC_ARM64_REG_X0 + 8, 0xdead_beef_0000_00ddn);
  assert.equal(e.regReadU32(UC_ARM64_REG_X0 + 8), 0xdd);
  e.regWrite(UC_ARM64_REG_X0 + 8, 0xffff_ffffn);
  assert.equal(e.regReadU32(UC_ARM64_REG_X0 + 8), 0xffff_ffff);
  assert.equal(e.regReadU32(UC_ARM64_REG_X0 + 8) | 0, -1, 'as a signed int: the kernel\'s syscall number');
});

test('regReadBatch and regWriteBatch move several registers in one call', (t) => {
  const e = open(t, UC_ARCH_ARM64, UC_MODE_ARM);
  const ids = [UC_ARM64_REG_X0, UC_ARM64_REG_X0 + 1, UC_ARM64_REG_X0 + 7, UC_ARM64_REG_X30, UC_ARM64_REG_PC];
  const values = [1n, 0xffff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0x4242n, 0x10000n];
  e.regWriteBatch(ids, values);
  assert.deepEqual(e.regReadBatch(ids), values);
  assert.equal(e.regRead(UC_ARM64_REG_X0 + 7), 0x8000_0000_0000_0000n);
  assert.deepEqual(e.regReadBatch([]), []);
  assert.throws(() => e.regWriteBatch([UC_ARM64_REG_X0], []), { name: 'UnicornError', codeName: 'UC_ERR_ARG' });
});

test('batches longer than one call (64 ids) keep their order', (t) => {
  const e = open(t, UC_ARCH_ARM64, UC_MODE_ARM);
  const ids = Array.from({ length: 29 }, (_, i) => UC_ARM64_REG_X0 + i); // x0..x28
  const values = ids.map((_, i) => BigInt(i) * 0x0101_0101_0101n);
  e.regWriteBatch(ids, values);
  const many = [...ids, ...ids, ...ids]; // 87 ids: two FFI calls
  assert.deepEqual(e.regReadBatch(many), [...values, ...values, ...values]);
});

test('regReadBytes/regWriteBytes: arm64 Q registers are 16 bytes, FPCR 4', (t) => {
  const e = open(t, UC_ARCH_ARM64, UC_MODE_ARM);
  const q = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
  e.regWriteBytes(UC_ARM64_REG_Q1, q);
  assert.deepEqual(e.regReadBytes(UC_ARM64_REG_Q1, 16), q);
  assert.deepEqual(e.regReadBytes(UC_ARM64_REG_Q1, 64), q, 'the result is as long as the register');
  assert.equal(e.regRead(UC_ARM64_REG_Q1), 0xa7a6_a5a4_a3a2_a1a0n, 'regRead gives the low 64 bits');
  assert.deepEqual([...e.regReadBytes(UC_ARM64_REG_Q0, 16)], new Array(16).fill(0));
  assert.throws(() => e.regReadBytes(UC_ARM64_REG_Q1, 8), { name: 'UnicornError', codeName: 'UC_ERR_OVERFLOW' });
  assert.throws(() => e.regWriteBytes(UC_ARM64_REG_Q1, new Uint8Array(8)), { name: 'UnicornError', codeName: 'UC_ERR_OVERFLOW' });

  e.regWriteBytes(UC_ARM64_REG_FPCR, new Uint8Array([0, 0, 0xc0, 0x03])); // RMode=3, FZ, DN
  assert.deepEqual([...e.regReadBytes(UC_ARM64_REG_FPCR, 8)], [0, 0, 0xc0, 0x03]);
});

test('regWrite of a 64-bit value into a Q register clears its upper half', (t) => {
  const e = open(t, UC_ARCH_ARM64, UC_MODE_ARM);
  e.regWriteBytes(UC_ARM64_REG_Q0, new Uint8Array(16).fill(0xff));
  e.regWrite(UC_ARM64_REG_Q0, 5n);
  assert.deepEqual([...e.regReadBytes(UC_ARM64_REG_Q0, 16)], [5, ...new Array(15).fill(0)]);
});

test('x86_64: RAX/EAX, RIP, FS_BASE and XMM0 bytes', (t) => {
  const e = open(t, UC_ARCH_X86, UC_MODE_64);
  e.regWrite(UC_X86_REG_RAX, 0x1111_2222_3333_4444n);
  assert.equal(e.regRead(UC_X86_REG_EAX), 0x3333_4444n);
  e.regWriteBatch([UC_X86_REG_RIP, UC_X86_REG_FS_BASE], [0x401000n, 0x7f00_0000_1000n]);
  assert.deepEqual(e.regReadBatch([UC_X86_REG_RIP, UC_X86_REG_FS_BASE, UC_X86_REG_RAX]), [0x401000n, 0x7f00_0000_1000n, 0x1111_2222_3333_4444n]);
  const xmm = Uint8Array.from({ length: 16 }, (_, i) => i * 3);
  e.regWriteBytes(UC_X86_REG_XMM0, xmm);
  assert.deepEqual(e.regReadBytes(UC_X86_REG_XMM0, 16), xmm);
});

test('riscv64: A0 and PC', (t) => {
  const e = open(t, UC_ARCH_RISCV, UC_MODE_RISCV64);
  e.regWriteBatch([UC_RISCV_REG_A0, UC_RISCV_REG_PC], [0xdead_beefn, 0x10000n]);
  assert.deepEqual(e.regReadBatch([UC_RISCV_REG_PC, UC_RISCV_REG_A0]), [0x10000n, 0xdead_beefn]);
});

test('an unknown register id is a UnicornError from uc_reg_read', (t) => {
  const e = open(t, UC_ARCH_ARM64, UC_MODE_ARM);
  assert.throws(() => e.regRead(100000), { name: 'UnicornError', op: 'uc_reg_read' });
});
