// Register-snapshot hooks (native/register-snapshot.c): the C hook reads the listed registers
// into shared memory, calls the JavaScript callback, and writes back the slots it set.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Engine,
  libraryPath,
  snapshotLibraryPath,
  UC_ARCH_ARM64,
  UC_ARCH_X86,
  UC_ARM64_REG_PC,
  UC_ARM64_REG_Q0,
  UC_ARM64_REG_W2,
  UC_ARM64_REG_X0,
  UC_ARM64_REG_X1,
  UC_ARM64_REG_X2,
  UC_ARM64_REG_X3,
  UC_ARM64_REG_X4,
  UC_ARM64_REG_X5,
  UC_ARM64_REG_X8,
  UC_ARM64_REG_X9,
  UC_ARM64_REG_X10,
  UC_ARM64_REG_X11,
  UC_MODE_64,
  UC_MODE_ARM,
  UC_PROT_ALL,
  UC_X86_REG_FS,
  UC_X86_REG_R8,
  UC_X86_REG_R9,
  UC_X86_REG_R10,
  UC_X86_REG_RAX,
  UC_X86_REG_RBX,
  UC_X86_REG_RDI,
  UC_X86_REG_RDX,
  UC_X86_REG_RIP,
  UC_X86_REG_RSI,
} from '../src/index.js';
import { a64 } from './helpers.js';

const CODE = 0x10000n;
const DATA = 0x20000n;
const SVC_0 = 0xd4000001; // svc #0
const ADD_X0_1 = 0x91000400; // add x0, x0, #1
const STR_X0_X9 = 0xf9000120; // str x0, [x9]
const STR_X1_X9_8 = 0xf9000521; // str x1, [x9, #8]
const MOV_X0_X10 = 0xaa0a03e0; // mov x0, x10
const ADD_X11_X11_X0 = 0x8b00016b; // add x11, x11, x0
const SUBS_X10_1 = 0xf100054a; // subs x10, x10, #1
const BNE_BACK_16 = 0x54ffff81; // b.ne .-16

/** The syscall registers of aarch64 Linux, as a tracer would list them: number, then x0..x5. */
const A64_IDS = [UC_ARM64_REG_X8, UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2, UC_ARM64_REG_X3, UC_ARM64_REG_X4, UC_ARM64_REG_X5];

/** An aarch64 engine with `code` at CODE and a data page at DATA (x9 points to it). */
function arm64(t: { after(fn: () => void): void }, code: Uint8Array): Engine {
  const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
  t.after(() => e.close());
  e.memMap(CODE, 0x1000, UC_PROT_ALL);
  e.memWrite(CODE, code);
  e.memMap(DATA, 0x1000, UC_PROT_ALL);
  e.regWrite(UC_ARM64_REG_X9, DATA);
  return e;
}

function u64At(e: Engine, addr: bigint): bigint {
  return new DataView(e.memRead(addr, 8).buffer).getBigUint64(0, true);
}

/** Distinct values for x8 and x0..x5, some with the top bit set. */
function seedA64(e: Engine): bigint[] {
  const values = [93n, 0xfedcba9876543210n, 0x1111n, 0x2222222222n, 0x8000000000000003n, 4n, 0xffffffffffffffffn];
  A64_IDS.forEach((id, i) => e.regWrite(id, values[i]!));
  return values;
}

test('aarch64 svc: the snapshot holds x8 and x0..x5 as regRead gives them; a set x0 reaches the guest', (t) => {
  // svc #0; str x0, [x9]; str x1, [x9, #8]
  const e = arm64(t, a64(SVC_0, STR_X0_X9, STR_X1_X9_8));
  const seeded = seedA64(e);
  const seen: Array<{ intno: number; snap: bigint[]; direct: bigint[]; nr: number }> = [];
  const { regs } = e.hookInterruptWithRegisters(A64_IDS, (intno) => {
    seen.push({
      intno,
      snap: A64_IDS.map((_, i) => regs.value(i)),
      direct: A64_IDS.map((id) => e.regRead(id)),
      nr: regs.low32(0),
    });
    assert.equal(regs.dirty, false, 'nothing is dirty when the callback starts');
    regs.set(1, -38n); // x0: -ENOSYS, stored mod 2^64
    assert.equal(regs.dirty, true);
    assert.equal(regs.value(1), 0xffffffffffffffdan, 'the slot reads back what was set');
  });
  assert.deepEqual(regs.ids, A64_IDS);
  e.emuStart(CODE, CODE + 12n);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.intno, 2);
  assert.deepEqual(seen[0]!.snap, seeded);
  assert.deepEqual(seen[0]!.direct, seeded);
  assert.equal(seen[0]!.nr, 93);
  assert.equal(u64At(e, DATA), 0xffffffffffffffdan, 'the guest stored the x0 the callback set');
  assert.equal(u64At(e, DATA + 8n), 0x1111n, 'x1 was not set and kept its value');
  assert.equal(e.regRead(UC_ARM64_REG_X0), 0xffffffffffffffdan);
  assert.equal(regs.dirty, false, 'the C hook cleared the dirty bits after writing back');
});

test('low32 gives the low 32 bits of a slot as a number', (t) => {
  const e = arm64(t, a64(SVC_0));
  e.regWrite(UC_ARM64_REG_X8, 0xabcdef0012345678n);
  let low = -1;
  const { regs } = e.hookInterruptWithRegisters([UC_ARM64_REG_X8], () => {
    low = regs.low32(0);
  });
  e.emuStart(CODE, CODE + 4n);
  assert.equal(low, 0x12345678);
});

test('a callback that sets nothing leaves every register as it was, also ones it wrote directly', (t) => {
  const e = arm64(t, a64(SVC_0, STR_X0_X9, STR_X1_X9_8));
  const seeded = seedA64(e);
  let dirty = true;
  const { regs } = e.hookInterruptWithRegisters(A64_IDS, () => {
    dirty = regs.dirty;
    // A direct write to a listed register: the C hook must not overwrite it with the stale snapshot.
    e.regWrite(UC_ARM64_REG_X1, 0x7777n);
  });
  regs.set(1, 0x5555n); // outside the callback: meaningless, dropped when the C hook reads
  e.emuStart(CODE, CODE + 12n);
  assert.equal(dirty, false);
  assert.equal(u64At(e, DATA), seeded[1], 'x0 untouched');
  assert.equal(u64At(e, DATA + 8n), 0x7777n, 'the direct write to x1 stands');
  const expected = [...seeded];
  expected[2] = 0x7777n;
  assert.deepEqual(e.regReadBatch(A64_IDS), expected);
});

test('flush() inside the callback writes the dirty slots at once and clears them', (t) => {
  const e = arm64(t, a64(SVC_0, STR_X0_X9, STR_X1_X9_8));
  seedA64(e);
  const log: Array<[string, bigint | boolean]> = [];
  const { regs } = e.hookInterruptWithRegisters(A64_IDS, () => {
    regs.set(1, 5n); // x0
    regs.set(2, 6n); // x1
    log.push(['before flush', e.regRead(UC_ARM64_REG_X0)]);
    regs.flush();
    log.push(['dirty', regs.dirty]);
    log.push(['x0 after flush', e.regRead(UC_ARM64_REG_X0)]);
    log.push(['x1 after flush', e.regRead(UC_ARM64_REG_X1)]);
    // Flushed slots are clean: this direct write is not overwritten by a late write-back of 5.
    e.regWrite(UC_ARM64_REG_X0, 9n);
  });
  e.emuStart(CODE, CODE + 12n);
  assert.deepEqual(log, [
    ['before flush', 0xfedcba9876543210n],
    ['dirty', false],
    ['x0 after flush', 5n],
    ['x1 after flush', 6n],
  ]);
  assert.equal(u64At(e, DATA), 9n);
  assert.equal(u64At(e, DATA + 8n), 6n);
});

test('discard() drops a pending set', (t) => {
  const e = arm64(t, a64(SVC_0, STR_X0_X9, STR_X1_X9_8));
  const seeded = seedA64(e);
  let dirtyAfter = true;
  const { regs } = e.hookInterruptWithRegisters(A64_IDS, () => {
    regs.set(1, 99n);
    regs.set(2, 98n);
    regs.discard();
    dirtyAfter = regs.dirty;
    regs.set(2, 97n); // a set after discard still counts
  });
  e.emuStart(CODE, CODE + 12n);
  assert.equal(dirtyAfter, false);
  assert.equal(u64At(e, DATA), seeded[1], 'x0 kept its value');
  assert.equal(u64At(e, DATA + 8n), 97n);
});

test('a register wider than 64 bits gives its low half without spilling into the next slot; a set zeroes the upper half', (t) => {
  const e = arm64(t, a64(SVC_0));
  e.regWriteBytes(UC_ARM64_REG_Q0, Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i));
  e.regWrite(UC_ARM64_REG_X2, 0xaaaaaaaa00000007n); // W2 is 7: a 4-byte register after a 16-byte one
  const seen: bigint[] = [];
  const { regs } = e.hookInterruptWithRegisters([UC_ARM64_REG_Q0, UC_ARM64_REG_W2], () => {
    seen.push(regs.value(0), regs.value(1));
    regs.set(0, 0x0102030405060708n);
  });
  e.emuStart(CODE, CODE + 4n);
  assert.deepEqual(seen, [0xf7f6f5f4f3f2f1f0n, 7n]);
  assert.deepEqual([...e.regReadBytes(UC_ARM64_REG_Q0, 16)], [8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('x86_64 syscall instruction: RAX, RDI, RSI, RDX, R10, R8, R9 and RIP in the snapshot; a set RAX reaches the guest', (t) => {
  const e = Engine.open(UC_ARCH_X86, UC_MODE_64);
  t.after(() => e.close());
  e.memMap(0x401000n, 0x1000, UC_PROT_ALL);
  e.memMap(0x600000n, 0x1000, UC_PROT_ALL);
  // syscall; mov %rax, (%rbx); mov %rdi, 8(%rbx)
  e.memWrite(0x401000n, new Uint8Array([0x0f, 0x05, 0x48, 0x89, 0x03, 0x48, 0x89, 0x7b, 0x08]));
  const ids = [UC_X86_REG_RAX, UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX, UC_X86_REG_R10, UC_X86_REG_R8, UC_X86_REG_R9, UC_X86_REG_RIP];
  const seeded = [39n, 0xffffffffffffff9cn, 0x1234n, 0x5678n, 0x8000000000000000n, 8n, 9n];
  ids.slice(0, 7).forEach((id, i) => e.regWrite(id, seeded[i]!));
  e.regWrite(UC_X86_REG_RBX, 0x600000n);
  const seen: Array<{ snap: bigint[]; direct: bigint[] }> = [];
  const { regs } = e.hookX86SyscallWithRegisters(ids, () => {
    seen.push({ snap: ids.map((_, i) => regs.value(i)), direct: e.regReadBatch(ids) });
    regs.set(0, 0x4242n);
  });
  e.emuStart(0x401000n, 0x401009n);
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0]!.snap, [...seeded, 0x401000n], 'RIP is at the syscall');
  assert.deepEqual(seen[0]!.direct, seen[0]!.snap);
  assert.equal(u64At(e, 0x600000n), 0x4242n, 'the guest stored the RAX the callback set');
  assert.equal(u64At(e, 0x600008n), seeded[1], 'RDI untouched');
  assert.equal(e.regRead(UC_X86_REG_RIP), 0x401009n, 'execution went on past the syscall');
});

test('a write-back Unicorn refuses stops the run and surfaces from emuStart as a UnicornError', (t) => {
  const e = Engine.open(UC_ARCH_X86, UC_MODE_64);
  t.after(() => e.close());
  e.memMap(0x401000n, 0x1000, UC_PROT_ALL);
  e.memMap(0x600000n, 0x1000, UC_PROT_ALL);
  // syscall; mov %rax, (%rbx)
  e.memWrite(0x401000n, new Uint8Array([0x0f, 0x05, 0x48, 0x89, 0x03]));
  e.regWrite(UC_X86_REG_RBX, 0x600000n);
  e.regWrite(UC_X86_REG_RAX, 5n);
  let calls = 0;
  const { regs } = e.hookX86SyscallWithRegisters([UC_X86_REG_RAX, UC_X86_REG_FS], () => {
    calls++;
    regs.set(1, 0x1237n); // no such descriptor: uc_reg_write gives UC_ERR_EXCEPTION
  });
  assert.throws(() => e.emuStart(0x401000n, 0x401005n), {
    name: 'UnicornError',
    op: 'uc_reg_write',
    codeName: 'UC_ERR_EXCEPTION',
    message: new RegExp(`register ${UC_X86_REG_FS}\\b`),
  });
  assert.equal(calls, 1);
  assert.equal(u64At(e, 0x600000n), 0n, 'the store after the syscall did not run');
  // The error was reported once: a later run that does not reach the syscall is clean.
  e.emuStart(0x401002n, 0x401005n);
  assert.equal(u64At(e, 0x600000n), 5n);
});

test('a callback that throws stops the engine and emuStart rethrows it; slots set before the throw are written back', (t) => {
  // svc #0; add x0, x0, #1; add x0, x0, #1
  const e = arm64(t, a64(SVC_0, ADD_X0_1, ADD_X0_1));
  const boom = new Error('boom from the snapshot hook');
  let calls = 0;
  const { regs } = e.hookInterruptWithRegisters([UC_ARM64_REG_X0], () => {
    calls++;
    regs.set(0, 40n);
    throw boom;
  });
  assert.throws(() => e.emuStart(CODE, CODE + 12n), (err: unknown) => err === boom);
  assert.equal(calls, 1);
  assert.equal(e.regRead(UC_ARM64_REG_PC), CODE + 4n);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 40n, 'no add ran after the svc; the set was written back');
  e.emuStart(CODE + 4n, CODE + 12n);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 42n, 'the error was reported once');
});

test('hookDel stops the calls, also from inside the callback; deleting twice is UC_ERR_ARG', (t) => {
  // mov x0, x10; svc #0; add x11, x11, x0; subs x10, x10, #1; b.ne .-16
  const e = arm64(t, a64(MOV_X0_X10, SVC_0, ADD_X11_X11_X0, SUBS_X10_1, BNE_BACK_16));
  let calls = 0;
  const h = e.hookInterruptWithRegisters([UC_ARM64_REG_X0], () => {
    calls++;
    h.regs.set(0, 1000n);
    e.hookDel(h.handle); // the C hook still writes back after this returns
  });
  e.regWrite(UC_ARM64_REG_X10, 3n);
  // The second svc has no hook: Unicorn reports an unhandled exception.
  assert.throws(() => e.emuStart(CODE, CODE + 20n), { name: 'UnicornError', codeName: 'UC_ERR_EXCEPTION' });
  assert.equal(calls, 1);
  assert.equal(e.regRead(UC_ARM64_REG_X11), 1000n, 'the write-back of the deleting call happened');
  assert.throws(() => e.hookDel(h.handle), { name: 'UnicornError', codeName: 'UC_ERR_ARG' });

  // Deleted from outside: a new hook takes over, the old one is not called.
  let newCalls = 0;
  const h2 = e.hookInterruptWithRegisters([UC_ARM64_REG_X0], () => void newCalls++);
  e.regWrite(UC_ARM64_REG_X10, 2n);
  e.emuStart(CODE, CODE + 20n);
  assert.equal(newCalls, 2);
  e.hookDel(h2.handle);
  assert.throws(() => e.emuStart(CODE, CODE + 20n), { codeName: 'UC_ERR_EXCEPTION' });
  assert.equal(newCalls, 2);
  assert.equal(calls, 1);
});

test('100,000 svc in a guest loop: every call sees the loop counter and the guest sums the results', (t) => {
  // mov x0, x10; svc #0; add x11, x11, x0; subs x10, x10, #1; b.ne .-16
  const e = arm64(t, a64(MOV_X0_X10, SVC_0, ADD_X11_X11_X0, SUBS_X10_1, BNE_BACK_16));
  const N = 100_000;
  let expect = N;
  let wrong = 0;
  const { regs } = e.hookInterruptWithRegisters([UC_ARM64_REG_X8, UC_ARM64_REG_X0], () => {
    if (regs.low32(1) !== expect) wrong++;
    expect--;
    regs.set(1, regs.value(1) * 2n);
  });
  e.regWrite(UC_ARM64_REG_X10, BigInt(N));
  e.emuStart(CODE, CODE + 20n);
  assert.equal(wrong, 0);
  assert.equal(expect, 0, 'one call per svc');
  assert.equal(e.regRead(UC_ARM64_REG_X11), BigInt(N) * BigInt(N + 1), 'sum of 2k for k = 1..N');
});

test('two engines: each snapshot hook sees and writes its own engine', (t) => {
  const code = a64(SVC_0, STR_X0_X9);
  const a = arm64(t, code);
  const b = arm64(t, code);
  a.regWrite(UC_ARM64_REG_X0, 10n);
  b.regWrite(UC_ARM64_REG_X0, 20n);
  const seen: string[] = [];
  const ha = a.hookInterruptWithRegisters([UC_ARM64_REG_X0], () => {
    seen.push(`a:${ha.regs.value(0)}`);
    ha.regs.set(0, 11n);
  });
  const hb = b.hookInterruptWithRegisters([UC_ARM64_REG_X0], () => {
    seen.push(`b:${hb.regs.value(0)}`);
    hb.regs.set(0, 21n);
  });
  b.emuStart(CODE, CODE + 8n);
  a.emuStart(CODE, CODE + 8n);
  assert.deepEqual(seen, ['b:20', 'a:10']);
  assert.equal(u64At(a, DATA), 11n);
  assert.equal(u64At(b, DATA), 21n);
});

test('closing an engine with snapshot hooks installed frees them; a new engine hooks again', (t) => {
  for (let round = 0; round < 3; round++) {
    const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
    e.memMap(CODE, 0x1000, UC_PROT_ALL);
    e.memWrite(CODE, a64(SVC_0));
    let x0 = -1n;
    const { regs } = e.hookInterruptWithRegisters([UC_ARM64_REG_X0], () => {
      x0 = regs.value(0);
    });
    e.hookInterruptWithRegisters([UC_ARM64_REG_X1], () => {}); // a second one, never deleted
    e.regWrite(UC_ARM64_REG_X0, BigInt(round));
    e.emuStart(CODE, CODE + 4n);
    assert.equal(x0, BigInt(round));
    e.close();
    e.close();
    assert.throws(() => e.hookInterruptWithRegisters([UC_ARM64_REG_X0], () => {}), { codeName: 'UC_ERR_HANDLE' });
  }
  t.diagnostic('no crash after three open/hook/close rounds');
});

test('bad register lists and slots are refused', (t) => {
  const e = arm64(t, a64(SVC_0));
  assert.throws(() => e.hookInterruptWithRegisters(new Array<number>(33).fill(UC_ARM64_REG_X0), () => {}), {
    name: 'UnicornError',
    codeName: 'UC_ERR_ARG',
    message: /at most 32/,
  });
  assert.throws(() => e.hookInterruptWithRegisters([UC_ARM64_REG_X0, 99999], () => {}), { name: 'UnicornError', codeName: 'UC_ERR_ARG' });
  assert.throws(() => e.hookInterruptWithRegisters([1.5], () => {}), { codeName: 'UC_ERR_ARG' });
  // Nothing was installed by the refused calls: the svc is unhandled.
  assert.throws(() => e.emuStart(CODE, CODE + 4n), { codeName: 'UC_ERR_EXCEPTION' });

  const { regs } = e.hookInterruptWithRegisters(new Array<number>(32).fill(UC_ARM64_REG_X0), () => {
    regs.set(31, 3n); // slot 31: the top bit of the dirty mask
  });
  assert.equal(regs.count, 32);
  for (const bad of [-1, 32, 0.5, NaN]) {
    assert.throws(() => regs.value(bad), RangeError, `value(${bad})`);
    assert.throws(() => regs.low32(bad), RangeError, `low32(${bad})`);
    assert.throws(() => regs.set(bad, 0n), RangeError, `set(${bad})`);
  }
  e.emuStart(CODE, CODE + 4n);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 3n, 'slot 31 was written back');
});

test('the snapshot library shares the libunicorn already loaded (soname match, no rpath)', (t) => {
  const e = arm64(t, a64(SVC_0));
  e.hookInterruptWithRegisters([UC_ARM64_REG_X0], () => {});
  const maps = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .map((line) => line.split(/\s+/).slice(5).join(' '))
    .filter((path) => path !== '');
  const unicorns = new Set(maps.filter((path) => /libunicorn/.test(path)));
  assert.deepEqual([...unicorns], [libraryPath()]);
  assert.ok(maps.includes(snapshotLibraryPath()), `${snapshotLibraryPath()} is mapped`);
  if (process.env['TSTRACE_SNAPSHOT_LIB'] === undefined) {
    assert.match(snapshotLibraryPath(), /^\/.*\/packages\/unicorn-engine-ts\/native\/build\/libtsu-snapshot\.so$/);
  }
});

test('a missing snapshot library is a one-line UnicornLoadError naming the path and the set-up script', () => {
  const index = fileURLToPath(new URL('../src/index.js', import.meta.url));
  const script = `
    const m = await import(${JSON.stringify(index)});
    const e = m.Engine.open(m.UC_ARCH_ARM64, m.UC_MODE_ARM);
    try { e.hookInterruptWithRegisters([m.UC_ARM64_REG_X0], () => {}); console.log(JSON.stringify({ name: 'none' })); }
    catch (err) { console.log(JSON.stringify({ name: err.name, message: err.message, isLoadError: err instanceof m.UnicornLoadError })); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TSTRACE_SNAPSHOT_LIB: '/nonexistent/libtsu-snapshot.so' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { name: string; message: string; isLoadError: boolean };
  assert.equal(out.isLoadError, true, `${out.name}: ${out.message}`);
  assert.match(out.message, /\/nonexistent\/libtsu-snapshot\.so/);
  assert.match(out.message, /bash scripts\/setup\.sh/);
  assert.doesNotMatch(out.message, /\n/);
});

test('the snapshot library stays loaded after garbage collection (a hook never points into unmapped code)', () => {
  // koffi unloads a library whose handle is collected; the C hook's address must outlive that.
  const index = fileURLToPath(new URL('../src/index.js', import.meta.url));
  const script = `
    const m = await import(${JSON.stringify(index)});
    const e = m.Engine.open(m.UC_ARCH_ARM64, m.UC_MODE_ARM);
    e.memMap(0x10000n, 0x1000, m.UC_PROT_ALL);
    e.memWrite(0x10000n, new Uint8Array([0x01, 0x00, 0x00, 0xd4, 0x01, 0x00, 0x00, 0xd4])); // svc #0; svc #0
    let calls = 0;
    const h = e.hookInterruptWithRegisters([m.UC_ARM64_REG_X8], () => { calls++; });
    for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
    e.emuStart(0x10000n, 0x10008n);
    console.log(calls);`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, null, `the child died by ${r.signal}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2');
});
