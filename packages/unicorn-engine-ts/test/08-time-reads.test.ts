// Time reads (native/time-reads.c): the guest's reads of a time counter reach the hook with
// the emulator's value, and the guest gets what the hook leaves; other instructions, and the
// same bytes inside another instruction, are left alone.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine,
  UC_ARCH_ARM64,
  UC_ARCH_X86,
  UC_ARM64_REG_TPIDR_EL0,
  UC_ARM64_REG_X0,
  UC_ARM64_REG_X1,
  UC_ARM64_REG_X2,
  UC_MODE_64,
  UC_MODE_ARM,
  UC_PROT_ALL,
  UC_X86_REG_RAX,
  UC_X86_REG_RBX,
  UC_X86_REG_RCX,
  UC_X86_REG_RDX,
  type TimeRead,
} from '../src/index.js';
import { a64 } from './helpers.js';

const CODE = 0x10000n;

test('arm64: mrs CNTVCT_EL0 gets the hook\'s value; mrs TPIDR_EL0 is not taken', (t) => {
  const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
  t.after(() => e.close());
  // mrs x0, cntvct_el0; mrs x1, tpidr_el0; mrs x2, cntvct_el0
  const code = a64(0xd53be040, 0xd53bd041, 0xd53be042);
  e.memMap(CODE, 0x1000, UC_PROT_ALL);
  e.memWrite(CODE, code);
  e.regWrite(UC_ARM64_REG_TPIDR_EL0, 0x1234n);
  const seen: TimeRead[] = [];
  e.hookTimeReads('arm64', (read) => {
    seen.push({ ...read });
    read.value = 1000n + BigInt(seen.length);
  });
  e.emuStart(CODE, CODE + BigInt(code.length));
  assert.deepEqual(seen.map((r) => r.kind), ['cntvct', 'cntvct']);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 1001n);
  assert.equal(e.regRead(UC_ARM64_REG_X1), 0x1234n);
  assert.equal(e.regRead(UC_ARM64_REG_X2), 1002n);
});

test('x86: rdtsc gets the hook\'s value in EDX:EAX; 0f 31 inside an immediate is not taken', (t) => {
  const e = Engine.open(UC_ARCH_X86, UC_MODE_64);
  t.after(() => e.close());
  const code = new Uint8Array([
    0x0f, 0x31, // rdtsc
    0x48, 0x89, 0xc3, // mov rbx, rax
    0xb9, 0x0f, 0x31, 0x00, 0x00, // mov ecx, 0x310f
    0x0f, 0x31, // rdtsc
  ]);
  e.memMap(CODE, 0x1000, UC_PROT_ALL);
  e.memWrite(CODE, code);
  const seen: TimeRead[] = [];
  const reads = e.hookTimeReads('x86', (read) => {
    seen.push({ ...read });
    read.value = seen.length === 1 ? 0x1122334455667788n : 0x99aabbccddeeff00n;
  });
  // As a caller must: a run that stopped before a block with rdtsc bytes starts it again.
  let pc = CODE;
  let restarts = 0;
  for (;;) {
    e.emuStart(pc, CODE + BigInt(code.length));
    const again = reads.takeRestart();
    if (again === undefined) break;
    restarts++;
    e.removeCache(again.begin, again.end);
    pc = again.begin;
  }
  assert.equal(restarts, 1, 'one block, looked at once');
  assert.deepEqual(seen.map((r) => r.kind), ['rdtsc', 'rdtsc']);
  assert.equal(reads.count, 2);
  assert.equal(e.regRead(UC_X86_REG_RBX), 0x55667788n, 'EAX of the first, zero-extended');
  assert.equal(e.regRead(UC_X86_REG_RCX), 0x310fn);
  assert.equal(e.regRead(UC_X86_REG_RAX), 0xddeeff00n);
  assert.equal(e.regRead(UC_X86_REG_RDX), 0x99aabbccn);
});
