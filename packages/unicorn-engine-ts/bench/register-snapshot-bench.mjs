#!/usr/bin/env node
// Micro-benchmark: 1M aarch64 `svc` in a guest loop, each handled by a JavaScript hook that
// reads the syscall number (x8) and writes a result (x0), optionally also reading x0..x5:
//   plain     hookInterrupt + regReadU32 / regRead (one koffi call each) + regWrite
//   snapshot  hookInterruptWithRegisters: the C hook reads them in one uc_reg_read_batch and
//             writes back the set x0 after the callback
// Prints ns per syscall, best of 3 runs; not a test (timings are never asserted). Usage:
//   node packages/unicorn-engine-ts/bench/register-snapshot-bench.mjs [--iterations N] [--runs N]
// Needs `bash scripts/setup.sh` first (dist/ compiled, the native library built).
import * as uc from '../../../dist/packages/unicorn-engine-ts/src/index.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('--iterations', 1_000_000);
const RUNS = arg('--runs', 3);
const CODE = 0x10000n;
// mov x0, x10; svc #0; subs x10, x10, #1; b.ne .-12
const WORDS = [0xaa0a03e0, 0xd4000001, 0xf100054a, 0x54ffffa1];
const { UC_ARM64_REG_X0: X0, UC_ARM64_REG_X1: X1, UC_ARM64_REG_X2: X2, UC_ARM64_REG_X3: X3,
  UC_ARM64_REG_X4: X4, UC_ARM64_REG_X5: X5, UC_ARM64_REG_X8: X8, UC_ARM64_REG_X10: X10 } = uc;

function engine() {
  const e = uc.Engine.open(uc.UC_ARCH_ARM64, uc.UC_MODE_ARM);
  e.setTcgBufferSize(8 << 20);
  e.memMap(CODE, 0x1000, uc.UC_PROT_ALL);
  const code = new Uint8Array(WORDS.length * 4);
  WORDS.forEach((w, i) => new DataView(code.buffer).setUint32(i * 4, w, true));
  e.memWrite(CODE, code);
  e.regWrite(X8, 172n);
  return e;
}

/** Best ns per svc over RUNS runs; `install` adds the hook and returns a checksum getter. */
function measure(install) {
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const e = engine();
    const sum = install(e);
    e.regWrite(X10, BigInt(N));
    const t0 = process.hrtime.bigint();
    e.emuStart(CODE, CODE + 16n);
    const ns = Number(process.hrtime.bigint() - t0) / N;
    if (sum() !== 172 * N) throw new Error(`wrong checksum ${sum()}`);
    e.close();
    best = Math.min(best, ns);
  }
  return best;
}

const plain = (args) => (e) => {
  let s = 0;
  e.hookInterrupt(() => {
    s += e.regReadU32(X8);
    if (args) for (const id of [X0, X1, X2, X3, X4, X5]) e.regRead(id);
    e.regWrite(X0, 0n);
  });
  return () => s;
};
// Slot 0 is x8, slot 1 x0 (set as the result); with args also x1..x5.
const snapshot = (args) => (e) => {
  let s = 0;
  const { regs } = e.hookInterruptWithRegisters(args ? [X8, X0, X1, X2, X3, X4, X5] : [X8, X0], () => {
    s += regs.low32(0);
    if (args) for (let i = 1; i < 7; i++) regs.value(i);
    regs.set(1, 0n);
  });
  return () => s;
};

measure(plain(false)); // warm-up: JIT, library loading
measure(snapshot(false));
console.log(`${N} svc, best of ${RUNS} runs; node ${process.version}`);
const rows = [
  ['plain: regReadU32(x8) + regWrite(x0)', measure(plain(false))],
  ['snapshot [x8, x0]: low32 + set', measure(snapshot(false))],
  ['plain: regReadU32(x8) + 6 regRead(x0..x5) + regWrite(x0)', measure(plain(true))],
  ['snapshot [x8, x0..x5]: low32 + 6 value + set', measure(snapshot(true))],
];
for (const [label, ns] of rows) console.log(`${label.padEnd(60)} ${ns.toFixed(0).padStart(5)} ns/svc`);
