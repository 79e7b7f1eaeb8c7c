#!/usr/bin/env node
// Benchmarks of threads and processes (test/fixtures/bench_threads.c) against qemu-user and the
// native strace, each pair measured in the same run. Prints each ratio; not a test (timings are
// never asserted). Usage: node bench/threads-bench.mjs [--runs N]
// Needs `bash scripts/setup.sh` first (fixtures in build/fixtures, dist/ compiled).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fx = (arch) => resolve(root, 'build/fixtures', arch, 'bench_threads');
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
  console.log(`${label.padEnd(66)} ${ours.toFixed(3)} s vs ${theirs.toFixed(3)} s  ratio ${(ours / theirs).toFixed(2)}  ${target}`);
}

for (const arch of ['aarch64', 'x86_64']) if (!existsSync(fx(arch))) throw new Error(`${fx(arch)} missing: run bash scripts/setup.sh`);
console.log(`best of ${runs} runs each; machine: ${process.arch}, node ${process.version}`);

const a64 = fx('aarch64');
const pipeArgs = ['pipe', '32', '2000'];
row('32 threads x 2000 writes to one pipe: tstrace -f -o /dev/null vs qemu-aarch64',
  time('node', [tstrace, '-f', '-o', '/dev/null', a64, ...pipeArgs]), time('qemu-aarch64', [a64, ...pipeArgs]), '(target ≤ 2.0)');

// 200M rounds per thread: long enough (~1.3 s under qemu) that Node's start-up does not decide the ratio.
const cpuArgs = ['cpu', '4', '200000000'];
const cpuOurs = time('node', [tstrace, '-f', '-o', '/dev/null', a64, ...cpuArgs]);
row('CPU-bound, 4 threads: tstrace -f vs qemu-aarch64 pinned to one core', cpuOurs, time('taskset', ['-c', '0', 'qemu-aarch64', a64, ...cpuArgs]), '(target ≤ 1.4)');
row('CPU-bound, 4 threads: tstrace -f vs qemu-aarch64 unpinned', cpuOurs, time('qemu-aarch64', [a64, ...cpuArgs]), '(reference)');

const forkArgs = ['forkexec', '100'];
const forkOurs = time('node', [tstrace, '-f', '-o', '/dev/null', a64, ...forkArgs]);
row('100 fork+exec: tstrace -f (aarch64) vs native strace -f (x86_64)', forkOurs, time('strace', ['-f', '-o', '/dev/null', fx('x86_64'), ...forkArgs]), '(target ≤ 0.5)');
const untraced = time('node', [tstrace, '-e', 'trace=none', a64, ...forkArgs]);
console.log(`${'fork+exec per second untraced (tstrace -e trace=none, aarch64)'.padEnd(66)} ${(100 / untraced).toFixed(0)} /s`);

/**
 * Resident memory of `cmd` once it prints its first line (the fixture's `hold` mode: every
 * child forked and alive), read from /proc/PID/status; then a line on its stdin ends it.
 */
function residentWhenReady(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    let kib;
    child.stdout.on('data', (d) => {
      out += d;
      if (kib === undefined && out.includes('\n')) {
        const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'latin1'));
        kib = m === null ? NaN : Number(m[1]);
        child.stdin.end('go\n');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && kib !== undefined ? resolve(kib) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}
const heldKib = await residentWhenReady('node', [tstrace, '-f', '-o', '/dev/null', a64, 'hold', '100']);
console.log(`${'resident memory with 100 live forked children (tstrace -f, aarch64)'.padEnd(66)} ${(heldKib / 1024).toFixed(0)} MB  (target ≤ 2048 MB)`);
