// The translation buffer filling up: Unicorn 2.1.1 crashes the host process when that happens
// during a run (translation-buffer.ts). Here 60,000 distinct blocks (~12 MB of host code) go
// through a 1 MB buffer: the interrupt hook stops the run once translationsNearlyFull, and the
// next emuStart flushes. A regression crashes this test file outright.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Engine, UC_ARCH_ARM64, UC_ARM64_REG_PC, UC_ARM64_REG_X0, UC_MODE_ARM, UC_PROT_ALL } from '../src/index.js';
import { a64 } from './helpers.js';

const ADD_X0_1 = 0x91000400; // add x0, x0, #1
const B_NEXT = 0x14000001; // b .+4
const SVC_0 = 0xd4000001; // svc #0
const CODE = 0x100000n;
const BLOCKS = 60_000;

test('a 1 MB translation buffer is found and flushed between runs, never filled during one', (t) => {
  const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
  t.after(() => e.close());
  e.setTcgBufferSize(1 << 20);
  e.regRead(UC_ARM64_REG_X0); // the engine's first use sets up the buffer
  assert.equal(e.watchTranslationBuffer(), true, 'the buffer is found in /proc/self/maps');
  assert.equal(e.translationsNearlyFull, false);

  // Every 100th block ends in svc, where the hook looks at the buffer.
  const code = new Uint8Array(BLOCKS * 8);
  for (let i = 0; i < BLOCKS; i++) code.set(a64(ADD_X0_1, i % 100 === 99 ? SVC_0 : B_NEXT), i * 8);
  const size = (code.length + 0xfff) & ~0xfff;
  e.memMap(CODE, size, UC_PROT_ALL);
  e.memWrite(CODE, code);
  const end = CODE + BigInt(code.length);
  let stops = 0;
  e.hookInterrupt(() => {
    if (e.translationsNearlyFull) {
      stops++;
      e.emuStop();
    }
  });
  let pc = CODE;
  for (;;) {
    e.emuStart(pc, end);
    pc = e.regRead(UC_ARM64_REG_PC);
    if (pc === end) break;
  }
  assert.equal(e.regRead(UC_ARM64_REG_X0), BigInt(BLOCKS), 'every block ran once');
  assert.ok(stops >= 5, `the buffer filled half-way ${stops} times`);
  assert.equal(e.translationsNearlyFull, false, 'and the last flush emptied it');
});

test('an engine without a translation buffer size is not watched', (t) => {
  const e = Engine.open(UC_ARCH_ARM64, UC_MODE_ARM);
  t.after(() => e.close());
  e.regRead(UC_ARM64_REG_X0);
  assert.equal(e.watchTranslationBuffer(), false);
  assert.equal(e.translationsNearlyFull, false);
});
