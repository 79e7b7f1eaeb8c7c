// Host signals while guest code runs: a watched signal stops a spinning engine and is noted in
// `pending`; an engine stopped through its counting budget stops at a block boundary with the
// count naming exactly the code that ran. The signal comes from another process (kill(1)), at a
// moment the test does not choose, as Ctrl-C does.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Engine, UC_ARCH_ARM64, UC_ARM64_REG_PC, UC_ARM64_REG_X0, UC_MODE_ARM, UC_PROT_ALL, watchHostSignals } from '../src/index.js';
import { a64 } from './helpers.js';

const CODE = 0x10000n;
const ADD_X0_1 = 0x91000400; // add x0, x0, #1
const B_BACK = 0x17ffffff; // b .-4: with the add, a loop of one 8-byte block
const SIGUSR2 = 12;

const watch = watchHostSignals([SIGUSR2]);

/** Spins `e` from CODE until a SIGUSR2 sent by another process after `ms` stops it. */
function spinUntilSignal(e: Engine, ms: number): void {
  const killer = spawn('sh', ['-c', `sleep ${ms / 1000}; kill -USR2 ${process.pid}`], { stdio: 'ignore' });
  try {
    e.regWrite(UC_ARM64_REG_X0, 0n);
    e.emuStart(CODE, CODE + 0x1000n);
  } finally {
    killer.unref();
  }
}

function loopEngine(t: { after(fn: () => void): void }): Engine {
  const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
  t.after(() => e.close());
  e.memMap(CODE, 0x1000, UC_PROT_ALL);
  e.memWrite(CODE, a64(ADD_X0_1, B_BACK));
  return e;
}

test('a watched signal stops a spinning engine and is noted once', (t) => {
  const e = loopEngine(t);
  spinUntilSignal(e, 300);
  assert.ok(e.regRead(UC_ARM64_REG_X0) > 0n, 'it ran');
  assert.equal(watch.waiting, true);
  assert.equal(watch.take(), SIGUSR2);
  assert.equal(watch.waiting, false);
  assert.equal(watch.take(), 0);
});

test('stopped through its counting budget, the engine stops at a block boundary that the count names exactly', (t) => {
  for (let round = 0; round < 5; round++) {
    const e = loopEngine(t);
    const budget = e.addBlockBudget();
    budget.disarm();
    e.stopSignalsThrough(budget);
    spinUntilSignal(e, 100 + 37 * round);
    assert.equal(watch.take(), SIGUSR2);
    const spins = e.regRead(UC_ARM64_REG_X0);
    assert.ok(spins > 0n);
    // Each iteration is one 8-byte block: the count is exactly the blocks that ran, and the
    // run stopped at a block's first instruction.
    assert.equal(budget.used, 8n * spins, `round ${round}: ${budget.used} bytes counted for ${spins} blocks`);
    assert.equal(e.regRead(UC_ARM64_REG_PC), CODE);
    assert.equal(budget.stops, 1, 'the budget made the stop');
    assert.equal(budget.limit, (1n << 64n) - 1n, 'and took its limit back');
  }
});
