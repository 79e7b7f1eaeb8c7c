// Hooks: interrupts (aarch64 svc), x86_64 syscall, invalid memory, blocks and instructions,
// removal, exceptions thrown by hooks, and several engines at once.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine,
  NativeLibrary,
  libraryPath,
  UC_ARCH_ARM64,
  UC_ARCH_X86,
  UC_ARM64_REG_PC,
  UC_ARM64_REG_X0,
  UC_ARM64_REG_X1,
  UC_ARM64_REG_X8,
  UC_HOOK_INTR,
  UC_HOOK_MEM_READ,
  UC_HOOK_MEM_WRITE,
  UC_MEM_READ_UNMAPPED,
  UC_MEM_WRITE,
  UC_MEM_WRITE_PROT,
  UC_MODE_64,
  UC_MODE_ARM,
  UC_PROT_ALL,
  UC_PROT_READ,
  UC_X86_REG_RAX,
  UC_X86_REG_RBX,
  UC_X86_REG_RIP,
} from '../src/index.js';
import { a64 } from './helpers.js';

const CODE = 0x10000n;
const MOVZ_X8_93 = 0xd2800ba8; // movz x8, #93
const SVC_0 = 0xd4000001; // svc #0
const ADD_X0_1 = 0x91000400; // add x0, x0, #1
const LDR_X0_X1 = 0xf9400020; // ldr x0, [x1]
const STR_X0_X1_8 = 0xf9000420; // str x0, [x1, #8]

/** An aarch64 engine with `code` at CODE. */
function arm64(t: { after(fn: () => void): void }, code: Uint8Array): Engine {
  const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
  t.after(() => e.close());
  e.memMap(CODE, 0x1000, UC_PROT_ALL);
  e.memWrite(CODE, code);
  return e;
}

test('aarch64 svc #0 fires hookInterrupt with intno 2 and PC already past the svc', (t) => {
  // movz x8, #93; svc #0; add x0, x0, #1
  const e = arm64(t, a64(MOVZ_X8_93, SVC_0, ADD_X0_1));
  const seen: Array<{ intno: number; pc: bigint; nr: bigint }> = [];
  e.hookInterrupt((intno) => {
    seen.push({ intno, pc: e.regRead(UC_ARM64_REG_PC), nr: e.regRead(UC_ARM64_REG_X8) });
  });
  e.emuStart(CODE, CODE + 12n);
  assert.deepEqual(seen, [{ intno: 2, pc: CODE + 8n, nr: 93n }]);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 1n, 'execution went on after the hook');
});

test('emuStop in the interrupt hook ends emuStart there', (t) => {
  const e = arm64(t, a64(MOVZ_X8_93, SVC_0, ADD_X0_1));
  e.hookInterrupt(() => e.emuStop());
  e.emuStart(CODE, CODE + 12n);
  assert.equal(e.regRead(UC_ARM64_REG_PC), CODE + 8n);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 0n, 'the add after the svc did not run');
});

test('x86_64 syscall fires hookX86Syscall with RIP at the instruction; Unicorn moves past it afterwards', (t) => {
  const e = Engine.open(UC_ARCH_X86, UC_MODE_64);
  t.after(() => e.close());
  e.memMap(0x401000n, 0x1000, UC_PROT_ALL);
  // mov $60, %eax; syscall; nop; inc %rbx
  e.memWrite(0x401000n, new Uint8Array([0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x90, 0x48, 0xff, 0xc3]));
  const seen: Array<{ rip: bigint; rax: bigint }> = [];
  e.hookX86Syscall(() => {
    seen.push({ rip: e.regRead(UC_X86_REG_RIP), rax: e.regRead(UC_X86_REG_RAX) });
    e.regWrite(UC_X86_REG_RAX, 7n); // the syscall's result
  });
  e.emuStart(0x401000n, 0x40100bn);
  assert.deepEqual(seen, [{ rip: 0x401005n, rax: 60n }]);
  assert.equal(e.regRead(UC_X86_REG_RAX), 7n);
  assert.equal(e.regRead(UC_X86_REG_RBX), 1n, 'execution went on past the syscall');
});

test('hookMemInvalid reports the address and kind of a bad load; returning false faults', (t) => {
  const e = arm64(t, a64(LDR_X0_X1));
  const seen: Array<[number, bigint, number]> = [];
  e.hookMemInvalid((type, address, size) => {
    seen.push([type, address, size]);
    return false;
  });
  e.regWrite(UC_ARM64_REG_X1, 0xdead0008n);
  assert.throws(() => e.emuStart(CODE, CODE + 4n), { name: 'UnicornError', codeName: 'UC_ERR_READ_UNMAPPED' });
  assert.deepEqual(seen, [[UC_MEM_READ_UNMAPPED, 0xdead0008n, 8]]);
});

test('hookMemInvalid can map the page and return true: the load then completes', (t) => {
  const e = arm64(t, a64(LDR_X0_X1, ADD_X0_1));
  e.hookMemInvalid((_type, address) => {
    const page = address & ~0xfffn;
    e.memMap(page, 0x1000, UC_PROT_ALL);
    e.memWrite(address, new Uint8Array([41]));
    return true;
  });
  e.regWrite(UC_ARM64_REG_X1, 0x5550010n);
  e.emuStart(CODE, CODE + 8n);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 42n);
});

test('hookMemInvalid reports a store to a read-only page as UC_MEM_WRITE_PROT with the value', (t) => {
  // ldr x0, [x1]; add x0, x0, #1; str x0, [x1, #8]
  const e = arm64(t, a64(LDR_X0_X1, ADD_X0_1, STR_X0_X1_8));
  e.memMap(0x600000n, 0x1000, UC_PROT_READ);
  e.memWrite(0x600000n, new Uint8Array([9]));
  const seen: Array<[number, bigint, number, bigint]> = [];
  e.hookMemInvalid((type, address, size, value) => {
    seen.push([type, address, size, value]);
    return false;
  });
  e.regWrite(UC_ARM64_REG_X1, 0x600000n);
  assert.throws(() => e.emuStart(CODE, CODE + 12n), { codeName: 'UC_ERR_WRITE_PROT' });
  assert.deepEqual(seen, [[UC_MEM_WRITE_PROT, 0x600008n, 8, 10n]]);
});

// add x0, x0, #1; b +8; add x0, x0, #100; add x0, x0, #2 (blocks at +0 and +0xc)
const BRANCHY = a64(ADD_X0_1, 0x14000002, 0x91019000, 0x91000800);

test('hookBlock sees each translation block with its address and size', (t) => {
  const e = arm64(t, BRANCHY);
  const blocks: Array<[bigint, number]> = [];
  e.hookBlock((address, size) => void blocks.push([address, size]));
  e.emuStart(CODE, CODE + 16n);
  assert.deepEqual(blocks, [[CODE, 8], [CODE + 12n, 4]]);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 3n, 'the branch skipped the add #100');
});

test('hookCode sees each instruction; a range limits it; hookDel removes it', (t) => {
  const e = arm64(t, BRANCHY);
  const all: bigint[] = [];
  const ranged: bigint[] = [];
  const h = e.hookCode((address, size) => {
    assert.equal(size, 4);
    all.push(address);
  });
  e.hookCode((address) => void ranged.push(address), CODE + 4n, CODE + 12n);
  e.emuStart(CODE, CODE + 16n);
  assert.deepEqual(all, [CODE, CODE + 4n, CODE + 12n]);
  assert.deepEqual(ranged, [CODE + 4n, CODE + 12n]);

  e.hookDel(h);
  all.length = 0;
  e.emuStart(CODE, CODE + 16n);
  assert.deepEqual(all, []);
  assert.throws(() => e.hookDel(h), { name: 'UnicornError', codeName: 'UC_ERR_ARG' });
});

test('a block hook added after code ran still sees the blocks already translated', (t) => {
  // add x0, x0, #1; b .-4: one block, run again and again until the instruction count. (A count
  // always ends it: Unicorn's timeout alone can be lost when its timer fires before the run has
  // begun, which a loaded machine makes happen.)
  const spin = a64(ADD_X0_1, 0x17ffffff);
  for (const count of [1000, 50_000]) {
    const e = arm64(t, spin);
    e.emuStart(CODE, 0n, 1000, count);
    let blocks = 0;
    e.hookBlock(() => void blocks++);
    e.emuStart(CODE, 0n, 1000, count);
    assert.ok(blocks > 0, `count ${count}: the new hook was called`);
  }
});

test('a hook that throws stops emulation and emuStart rethrows that same error', (t) => {
  const e = arm64(t, a64(MOVZ_X8_93, SVC_0, ADD_X0_1, ADD_X0_1));
  const boom = new Error('boom from the hook');
  let calls = 0;
  e.hookInterrupt(() => {
    calls++;
    throw boom;
  });
  assert.throws(() => e.emuStart(CODE, CODE + 16n), (err: unknown) => err === boom);
  assert.equal(calls, 1);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 0n, 'no instruction after the svc ran');
  assert.equal(e.regRead(UC_ARM64_REG_PC), CODE + 8n);

  // The error was reported once: a run that does not reach the svc is clean.
  e.emuStart(CODE + 8n, CODE + 16n);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 2n);
});

test('a throwing memory hook wins over the fault it was reporting', (t) => {
  const e = arm64(t, a64(LDR_X0_X1));
  e.hookMemInvalid(() => {
    throw new RangeError('kernel bug');
  });
  e.regWrite(UC_ARM64_REG_X1, 0xdead0000n);
  assert.throws(() => e.emuStart(CODE, CODE + 4n), { name: 'RangeError', message: 'kernel bug' });
});

test('two engines: each hook is called for its own engine only', (t) => {
  const code = a64(MOVZ_X8_93, SVC_0, ADD_X0_1);
  const a = arm64(t, code);
  const b = arm64(t, code);
  const calls: string[] = [];
  a.hookInterrupt(() => {
    calls.push(`a:${a.regRead(UC_ARM64_REG_X0)}`);
  });
  b.hookInterrupt(() => {
    calls.push(`b:${b.regRead(UC_ARM64_REG_X0)}`);
  });
  a.regWrite(UC_ARM64_REG_X0, 10n);
  b.regWrite(UC_ARM64_REG_X0, 20n);
  a.emuStart(CODE, CODE + 12n);
  assert.deepEqual(calls, ['a:10']);
  b.emuStart(CODE, CODE + 12n);
  b.emuStart(CODE, CODE + 12n);
  assert.deepEqual(calls, ['a:10', 'b:20', 'b:21']);

  // An error in b's hook is b's: a runs on unaffected.
  b.hookInterrupt(() => {
    throw new Error('b failed');
  });
  assert.throws(() => b.emuStart(CODE, CODE + 12n), { message: 'b failed' });
  a.emuStart(CODE, CODE + 12n);
  assert.equal(a.regRead(UC_ARM64_REG_X0), 12n);
});

test('hookNative installs a C function: uc_emu_stop itself as an interrupt hook', (t) => {
  const e = arm64(t, a64(MOVZ_X8_93, SVC_0, ADD_X0_1));
  const lib = NativeLibrary.open(libraryPath());
  // uc_err uc_emu_stop(uc_engine *uc) called as uc_cb_hookintr_t(uc, intno, user_data): stops at the svc.
  const h = e.hookNative(UC_HOOK_INTR, lib.symbol('uc_emu_stop'));
  e.emuStart(CODE, CODE + 12n);
  assert.equal(e.regRead(UC_ARM64_REG_PC), CODE + 8n);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 0n);
  e.hookDel(h);
  // Without an interrupt hook the svc is an exception Unicorn does not handle.
  assert.throws(() => e.emuStart(CODE, CODE + 12n), { name: 'UnicornError', codeName: 'UC_ERR_EXCEPTION' });
  assert.throws(() => lib.symbol('no_such_symbol_here'), /no symbol no_such_symbol_here/);
});

test('hookMemAccess: a store over the range, before it lands; emuStop there leaves the PC at it with the store done', (t) => {
  // str x0, [x1, #8]; add x0, x0, #1
  const e = arm64(t, a64(STR_X0_X1_8, ADD_X0_1));
  e.memMap(0x20000n, 0x1000, UC_PROT_ALL);
  e.regWrite(UC_ARM64_REG_X0, 5n);
  e.regWrite(UC_ARM64_REG_X1, 0x20000n);
  const seen: Array<{ address: bigint; size: number; before: number }> = [];
  const h = e.hookMemAccess(UC_HOOK_MEM_WRITE, (type, address, size) => {
    assert.equal(type, UC_MEM_WRITE);
    seen.push({ address, size, before: e.memRead(address, 1)[0]! });
    e.emuStop();
  }, 0x20008n, 0x2000fn);
  e.emuStart(CODE, CODE + 8n);
  assert.deepEqual(seen, [{ address: 0x20008n, size: 8, before: 0 }]);
  assert.equal(e.regRead(UC_ARM64_REG_PC), CODE);
  assert.equal(e.memRead(0x20008n, 1)[0], 5);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 5n, 'the next instruction did not run');
  e.hookDel(h);
  e.emuStart(CODE, CODE + 8n);
  assert.equal(seen.length, 1, 'removed');
  assert.equal(e.regRead(UC_ARM64_REG_X0), 6n);
  assert.throws(() => e.hookMemAccess(UC_HOOK_INTR, () => {}, 0n, 1n), { name: 'UnicornError', codeName: 'UC_ERR_ARG' });
});

test('memory read/write hooks are refused (they slow all guest code 6-7x)', (t) => {
  const e = arm64(t, a64(ADD_X0_1));
  assert.throws(() => e.hookNative(UC_HOOK_MEM_READ, 0x1234n), { name: 'UnicornError', codeName: 'UC_ERR_ARG' });
  assert.throws(() => e.hookNative(UC_HOOK_MEM_WRITE, 0x1234n), { name: 'UnicornError', codeName: 'UC_ERR_ARG' });
});

test('a block budget stops the run at a block boundary; detached it neither stops nor counts, attached again it does', (t) => {
  const B_NEXT = 0x14000001; // b .+4: each `add; b` pair is one translation block of 8 bytes
  const words: number[] = [];
  for (let i = 0; i < 16; i++) words.push(ADD_X0_1, B_NEXT);
  const e = arm64(t, a64(...words));
  const end = CODE + BigInt(words.length * 4);
  const runFromStart = (): bigint => {
    e.regWrite(UC_ARM64_REG_X0, 0n);
    e.emuStart(CODE, end);
    return e.regRead(UC_ARM64_REG_X0);
  };
  const budget = e.addBlockBudget();
  budget.arm(24n);
  // Three blocks bring the count to 24: the run stops at the fourth's entry, before its body,
  // which is not counted (the count is exactly the code that ran).
  assert.equal(runFromStart(), 3n, 'stopped at the entry of the block after the 24 bytes');
  assert.equal(budget.used, 24n);
  assert.equal(budget.stops, 1);

  e.detachBlockBudget(budget);
  budget.arm(24n);
  assert.equal(runFromStart(), 16n, 'no stop without the hook');
  assert.equal(budget.used, 0n, 'and nothing counted');
  assert.equal(budget.stops, 1);

  e.attachBlockBudget(budget);
  budget.arm(40n);
  assert.equal(runFromStart(), 5n, 'the hook is back in freshly translated code');
  assert.equal(budget.stops, 2);

  // A limit set directly (not reset: a run may stop sooner than its slice) counts on from `used`.
  budget.limit = budget.used + 16n;
  e.emuStart(e.regRead(UC_ARM64_REG_PC), end);
  assert.equal(e.regRead(UC_ARM64_REG_X0), 7n, 'two more blocks ran');
  assert.equal(budget.used, 56n);
  assert.equal(budget.stops, 3);
  budget.uncountStop();
  assert.equal(budget.stops, 2, 'a stop its owner made for itself is taken back');
});

test('a budget stop leaves the PC at the block it stopped, also when a code hook exists elsewhere (x86_64, chained blocks)', (t) => {
  // 16 blocks of `inc rax; jmp .+2` (5 bytes each): direct jumps, so Unicorn chains them and a
  // chained block never stores RIP. Unicorn 2.1.1 puts the PC back at a block it stopped before
  // only while no UC_HOOK_CODE exists: one on an address never run keeps RIP where the last
  // unchained block began, and the run would go on from there with RAX already counted: the
  // engine puts it at the block the budget names.
  const block = [0x48, 0xff, 0xc0, 0xeb, 0x00];
  const code = new Uint8Array(block.length * 16).map((_, i) => block[i % block.length]!);
  const e = Engine.open(UC_ARCH_X86, UC_MODE_64);
  t.after(() => e.close());
  e.memMap(CODE, 0x1000, UC_PROT_ALL);
  e.memWrite(CODE, code);
  const end = CODE + BigInt(code.length);
  e.hookCode(() => {}, end + 0x100n, end + 0x100n);
  const budget = e.addBlockBudget();
  // Two runs: the first translates the blocks, the second runs them chained.
  for (const _ of [1, 2]) {
    e.regWrite(UC_X86_REG_RAX, 0n);
    budget.arm(40n);
    e.emuStart(CODE, end);
    const blocksRun = e.regRead(UC_X86_REG_RAX);
    assert.equal(blocksRun, 8n, 'eight blocks of 5 bytes ran');
    assert.equal(budget.stopAddress, CODE + 40n, 'the budget names the block it stopped at');
    assert.equal(e.regRead(UC_X86_REG_RIP), CODE + 40n, 'the PC is there');
  }
  e.emuStart(e.regRead(UC_X86_REG_RIP), end);
  assert.equal(e.regRead(UC_X86_REG_RAX), 16n, 'going on from the PC runs the other eight once each');
});
