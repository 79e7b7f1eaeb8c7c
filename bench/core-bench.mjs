#!/usr/bin/env node
// Benchmarks of the core against qemu-user and native strace, measured in the same run.
// Prints each ratio; not a test (timings are never asserted). Usage:
//   node bench/core-bench.mjs [--runs N]
// Needs `bash scripts/setup.sh` first (fixtures in build/fixtures, dist/ compiled).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fx = (arch, name) => resolve(root, 'build/fixtures', arch, name);
const tstrace = resolve(root, 'dist/tstrace.js');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

function time(cmd, args) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
    best = Math.min(best, dt);
  }
  return best;
}

function row(label, ours, theirs, target) {
  const ratio = ours / theirs;
  const goal = typeof target === 'number' ? `(target ≤ ${target})` : target;
  console.log(`${label.padEnd(58)} ${ours.toFixed(3)} s vs ${theirs.toFixed(3)} s  ratio ${ratio.toFixed(2)}  ${goal}`);
}

for (const f of [fx('aarch64', 'bench_sort'), fx('aarch64', 'bench_primes'), fx('aarch64', 'bench_getppid'), fx('x86_64', 'bench_getppid'), fx('aarch64', 'hello')]) {
  if (!existsSync(f)) throw new Error(`${f} missing: run bash scripts/setup.sh`);
}
console.log(`best of ${runs} runs each; machine: ${process.arch}, node ${process.version}`);

// The engine's floor: bench/engine-floor.c runs the same programs on libunicorn with a C
// syscall hook and nothing else, so the rows below can say what is Unicorn's and what is ours.
const floorBin = resolve(root, 'build/bench/engine-floor');
const unicornLib = resolve(root, 'vendor/unicorn/usr/lib/x86_64-linux-gnu');
const cc = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', floorBin, resolve(root, 'bench/engine-floor.c'),
  '-I', resolve(root, 'vendor/unicorn/usr/include'), '-L', unicornLib, '-l:libunicorn.so.2', `-Wl,-rpath,${unicornLib}`],
  { stdio: 'inherit' });
if (cc.status !== 0) throw new Error('cannot build bench/engine-floor.c');

/** A CPU-bound program: tstrace vs qemu, and the bare engine vs qemu, in the same run. */
function cpuBound(label, name, arg) {
  const prog = fx('aarch64', name);
  const ours = time('node', [tstrace, '-o', '/dev/null', prog, arg]);
  const qemu = time('qemu-aarch64', [prog, arg]);
  row(`CPU-bound ${label}: tstrace -o /dev/null vs qemu-aarch64`, ours, qemu, 1.15);
  row(`CPU-bound ${label}: engine alone (C, no kernel) vs qemu-aarch64`, time(floorBin, [prog, arg]), qemu, '(reference)');
}

// Each a few seconds under qemu, so start-up (≈0.1 s of node and module loading) weighs little
// and the ratio is the emulated CPU's. The sort is array-bound (guest loads and stores); the
// primes are register-bound (trial division, almost no memory traffic).
cpuBound('sort', 'bench_sort', '40');
cpuBound('primes', 'bench_primes', '8000000');

const sysOurs = time('node', [tstrace, '-o', '/dev/null', fx('aarch64', 'bench_getppid'), '1000000']);
const sysQemu = time('qemu-aarch64', ['-strace', '-D', '/dev/null', fx('aarch64', 'bench_getppid'), '1000000']);
row('1M getppid: tstrace -o /dev/null vs qemu-aarch64 -strace', sysOurs, sysQemu, 0.5);
const sysFloor = time(floorBin, [fx('aarch64', 'bench_getppid'), '1000000']);
console.log(`${'1M getppid: engine alone (C hook, nothing traced)'.padEnd(58)} ${sysFloor.toFixed(3)} s  (reference)`);
const sysNative = time('strace', ['-f', '-o', '/dev/null', fx('x86_64', 'bench_getppid'), '1000000']);
row('1M getppid: tstrace (aarch64) vs native strace -f (x86_64)', sysOurs, sysNative, 0.15);

// Start-up: node's own start, tstrace up to the first syscall (-e trace=none still stops there),
// and the whole static hello.
const nodeAlone = time('node', ['-e', '']);
const hello = time('node', [tstrace, '-o', '/dev/null', fx('aarch64', 'hello')]);
console.log(`${'start-up: whole static hello under tstrace'.padEnd(58)} ${(hello * 1000).toFixed(0)} ms (node -e '' alone: ${(nodeAlone * 1000).toFixed(0)} ms; target ≤ 150 ms)`);
