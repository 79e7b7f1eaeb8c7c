// Execution control (count, timeout, until), translation caches, contexts, uc_ctl settings, close.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine,
  HostMemory,
  UC_ARCH_ARM64,
  UC_ARCH_X86,
  UC_ARM64_REG_PC,
  UC_ARM64_REG_Q0,
  UC_ARM64_REG_TPIDR_EL0,
  UC_ARM64_REG_X0,
  UC_ARM64_REG_X1,
  UC_CPU_ARM64_A72,
  UC_CPU_ARM64_MAX,
  UC_MODE_64,
  UC_MODE_ARM,
  UC_PROT_ALL,
  UC_X86_REG_RAX,
} from '../src/index.js';
import { a64 } from './helpers.js';

const CODE = 0x10000n;
const ADD_X0_1 = 0x91000400; // add x0, x0, #1
const B_BACK_16 = 0x17fffffc; // b .-16
const MOVZ_X0_1 = 0xd2800020; // movz x0, #1
const MOVZ_X0_2 = 0xd2800040; // movz x0, #2
const ADD_X1_1 = 0x91000421; // add x1, x1, #1
const B_BACK_4 = 0x17ffffff; // b .-4
const MRS_X1_TPIDR = 0xd53bd041; // mrs x1, tpidr_el0

function arm64(t: { after(fn: () => void): void }, code?: Uint8Array): Engine {
  const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
  t.after(() => e.close());
  if (code !== undefined) {
    e.memMap(CODE, 0x1000, UC_PROT_ALL);
    e.memWrite(CODE, code);
  }
  return e;
}

// Four adds and a branch back to the first: an endless loop counting in x0.
const LOOP = a64(ADD_X0_1, ADD_X0_1, ADD_X0_1, ADD_X0_1, B_BACK_16);

test('emuStart with a count stops after exactly that many instructions', (t) => {
  const e = arm64(t, LOOP);
  e.emuStart(CODE, 0n, 0, 3);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 3n);
  assert.equal(e.regRead(UC_ARM64_REG_PC), CODE + 12n);
  e.emuStart(e.regRead(UC_ARM64_REG_PC), 0n, 0, 6); // add, b, then 4 adds
  assert.equal(e.regRead(UC_ARM64_REG_X0), 8n);
  assert.equal(e.regRead(UC_ARM64_REG_PC), CODE + 16n);
});

test('a count is exact also after uncounted runs translated the code', (t) => {
  const e = arm64(t, LOOP);
  e.emuStart(CODE, 0n, 2000); // 2 ms of the loop, uncounted
  e.regWrite(UC_ARM64_REG_X0, 0n);
  e.emuStart(CODE, 0n, 1_000_000, 6); // the timeout only guards against an endless run
  assert.equal(e.regRead(UC_ARM64_REG_X0), 5n);
  assert.equal(e.regRead(UC_ARM64_REG_PC), CODE + 4n);
  e.emuStart(CODE, CODE + 8n); // back to uncounted: runs to `until`
  assert.equal(e.regRead(UC_ARM64_REG_X0), 7n);
});

test('a timeout ends an endless loop', (t) => {
  const e = arm64(t, LOOP);
  // Unicorn's timer can lose its stop if it fires before the CPU loop has started (a host
  // descheduled for the whole timeout, as on a loaded machine): 200 ms leaves no such window
  // in practice. That it ends at all, having looped, is the assertion; no timing is.
  e.emuStart(CODE, 0n, 200_000);
  assert.ok(e.regRead(UC_ARM64_REG_X0) > 1000n);
});

/**
 * Runs the spin loop at CODE (movz x0, #N; add x1, x1, #1; b .-4) until its timeout, again if
 * the timer fired before any instruction ran (a loaded host): x1, counted by the loop, moved.
 */
function spin(e: Engine): void {
  const before = e.regRead(UC_ARM64_REG_X1);
  do e.emuStart(CODE, 0n, 1000);
  while (e.regRead(UC_ARM64_REG_X1) === before);
}

test('after the host overwrites code, removeCache makes the new code run', (t) => {
  const e = arm64(t);
  const host = HostMemory.reserve(0x10000);
  t.after(() => host.release());
  e.memMapPtr(CODE, 0x1000, UC_PROT_ALL, host.ptr);
  const code = host.view(0, 12);
  // movz x0, #1; add x1, x1, #1; b .-4 (spins on the add: each run ends by its timeout)
  code.set(a64(MOVZ_X0_1, ADD_X1_1, B_BACK_4));
  spin(e);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 1n);

  code.set(a64(MOVZ_X0_2)); // the host writes behind Unicorn's back
  spin(e);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 1n, 'Unicorn still runs its old translation');

  e.removeCache(CODE, CODE + 12n);
  spin(e);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 2n);
});

test('memWrite into code does not drop translations either; removeCache does', (t) => {
  const e = arm64(t, a64(MOVZ_X0_1, ADD_X1_1, B_BACK_4));
  spin(e);
  e.memWrite(CODE, a64(MOVZ_X0_2));
  spin(e);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 1n);
  e.removeCache(CODE, CODE + 4n);
  spin(e);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 2n);
});

test('contextSave/contextRestore bring back registers, including TPIDR_EL0 and Q0', (t) => {
  const e = arm64(t, a64(MRS_X1_TPIDR));
  e.regWriteBatch([UC_ARM64_REG_X0, UC_ARM64_REG_TPIDR_EL0], [111n, 0x7000n]);
  e.regWriteBytes(UC_ARM64_REG_Q0, new Uint8Array(16).fill(0x5a));
  const ctx = e.contextSave();
  e.regWriteBatch([UC_ARM64_REG_X0, UC_ARM64_REG_TPIDR_EL0], [222n, 0x9000n]);
  e.regWriteBytes(UC_ARM64_REG_Q0, new Uint8Array(16));

  e.contextRestore(ctx);
  assert.deepEqual(e.regReadBatch([UC_ARM64_REG_X0, UC_ARM64_REG_TPIDR_EL0]), [111n, 0x7000n]);
  assert.deepEqual([...e.regReadBytes(UC_ARM64_REG_Q0, 16)], new Array(16).fill(0x5a));
  e.emuStart(CODE, CODE + 4n);
  assert.equal(e.regRead(UC_ARM64_REG_X1), 0x7000n, 'the guest sees the restored TPIDR_EL0');
});

test('contextSave into an existing context reuses it; contexts switch two threads', (t) => {
  const e = arm64(t, a64(ADD_X0_1));
  e.regWrite(UC_ARM64_REG_X0, 100n);
  const a = e.contextSave();
  e.regWrite(UC_ARM64_REG_X0, 200n);
  const b = e.contextSave();

  e.contextRestore(a);
  e.emuStart(CODE, CODE + 4n);
  assert.equal(e.contextSave(a), a);
  e.contextRestore(b);
  e.emuStart(CODE, CODE + 4n);
  e.contextSave(b);

  assert.equal(a.regRead(UC_ARM64_REG_X0), 101n);
  assert.equal(b.regRead(UC_ARM64_REG_X0), 201n);
});

test('a context can be read and changed while not loaded', (t) => {
  const e = arm64(t);
  e.regWrite(UC_ARM64_REG_X0, 1n);
  const ctx = e.contextSave();
  ctx.regWriteBatch([UC_ARM64_REG_X0, UC_ARM64_REG_X1], [5n, 6n]);
  ctx.regWriteBytes(UC_ARM64_REG_Q0, new Uint8Array(16).fill(7));
  assert.deepEqual(ctx.regReadBatch([UC_ARM64_REG_X0, UC_ARM64_REG_X1]), [5n, 6n]);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 1n, 'the engine is unchanged until the restore');
  e.contextRestore(ctx);
  assert.deepEqual(e.regReadBatch([UC_ARM64_REG_X0, UC_ARM64_REG_X1]), [5n, 6n]);
  assert.deepEqual([...e.regReadBytes(UC_ARM64_REG_Q0, 16)], new Array(16).fill(7));
});

test('a context is refused by another engine, and unusable once freed', (t) => {
  const e = arm64(t);
  const other = arm64(t);
  const ctx = e.contextSave();
  assert.throws(() => other.contextRestore(ctx), { name: 'UnicornError', codeName: 'UC_ERR_ARG' });
  assert.throws(() => other.contextSave(ctx), { name: 'UnicornError', codeName: 'UC_ERR_ARG' });
  ctx.free();
  ctx.free();
  assert.equal(ctx.freed, true);
  assert.throws(() => e.contextRestore(ctx), { name: 'UnicornError', codeName: 'UC_ERR_HANDLE' });
});

test('close is idempotent, frees the contexts it made, and makes later calls fail cleanly', () => {
  const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
  const ctx = e.contextSave();
  e.hookInterrupt(() => undefined);
  e.close();
  e.close();
  assert.equal(e.closed, true);
  assert.equal(ctx.freed, true);
  assert.throws(() => e.regRead(UC_ARM64_REG_X0), { name: 'UnicornError', codeName: 'UC_ERR_HANDLE', op: 'uc_reg_read' });
  assert.throws(() => e.memMap(0n, 0x1000, UC_PROT_ALL), { name: 'UnicornError', codeName: 'UC_ERR_HANDLE' });
});

test('setCpuModel and setTcgBufferSize apply before first use and are refused after it', (t) => {
  const e = arm64(t);
  e.setTcgBufferSize(8 << 20);
  e.setCpuModel(UC_CPU_ARM64_MAX);
  e.memMap(CODE, 0x1000, UC_PROT_ALL);
  e.memWrite(CODE, a64(ADD_X0_1));
  e.emuStart(CODE, CODE + 4n);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 1n);
  assert.throws(() => e.setCpuModel(UC_CPU_ARM64_A72), { name: 'UnicornError', codeName: 'UC_ERR_ARG', op: 'uc_ctl(UC_CTL_CPU_MODEL)' });
});

test('flushTlb and flushTranslations leave a working engine', (t) => {
  const e = Engine.open(UC_ARCH_X86, UC_MODE_64);
  t.after(() => e.close());
  e.memMap(0x1000n, 0x1000, UC_PROT_ALL);
  e.memWrite(0x1000n, new Uint8Array([0x48, 0xff, 0xc0])); // inc %rax
  e.emuStart(0x1000n, 0x1003n);
  e.flushTlb();
  e.flushTranslations();
  e.emuStart(0x1000n, 0x1003n);
  assert.equal(e.regRead(UC_X86_REG_RAX), 2n);
});
