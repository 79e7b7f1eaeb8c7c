#!/usr/bin/env node
// Dynamic programs in the bookworm arm64 root (issue 14 item 5): tstrace against
// `qemu-aarch64 -L ROOT`, measured in the same run. Prints each ratio; not a test (timings are
// never asserted). Usage:
//   node bench/rootfs-bench.mjs [--runs N]
// Needs scripts/fetch-rootfs.sh, scripts/build-fixtures.sh and a compiled dist/ first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(root, 'vendor/rootfs/aarch64');
const tstrace = resolve(root, 'dist/tstrace.js');
const hello = resolve(root, 'build/fixtures/aarch64/hello_dyn');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const env = { PATH: '/usr/bin:/bin', HOME: '/nonexistent' };

for (const f of [tstrace, hello, resolve(ROOT, 'bin/bash')]) {
  if (!existsSync(f)) throw new Error(`${f} missing: run scripts/fetch-rootfs.sh, scripts/build-fixtures.sh and the build`);
}

/** Best wall time of `runs` runs; `expect` is the exit status the program must end with. */
function time(cmd, args, expect = 0) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], env });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== expect) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
    best = Math.min(best, dt);
  }
  return best;
}

function row(label, ours, theirs, target) {
  console.log(`${label.padEnd(66)} ${ours.toFixed(3)} s vs ${theirs.toFixed(3)} s  ratio ${(ours / theirs).toFixed(2)}  (target ≤ ${target})`);
}

console.log(`best of ${runs} runs each; machine: ${process.arch}, node ${process.version}`);

// hello_dyn exits 3 (its own choice): start-up of a dynamic program, loader and libc included.
row('dynamic hello: tstrace -o /dev/null --sysroot vs qemu-aarch64 -L',
  time('node', [tstrace, '-o', '/dev/null', '--sysroot', ROOT, hello], 3),
  time('qemu-aarch64', ['-L', ROOT, hello], 3), 2.0);

// Python's start-up: 30 MB of translated code, the largest start-up here.
row('python3 -c pass: tstrace -o /dev/null --sysroot vs qemu-aarch64 -L',
  time('node', [tstrace, '-o', '/dev/null', '--sysroot', ROOT, resolve(ROOT, 'usr/bin/python3'), '-c', 'pass']),
  time('qemu-aarch64', ['-L', ROOT, resolve(ROOT, 'usr/bin/python3'), '-c', 'pass']), 1.5);

// 100 fork+exec of the root's /bin/true by its bash. Under qemu the exec'd true is the host's
// (no binfmt_misc): qemu's side is cheaper than an emulated true would be.
const loop = 'for i in $(seq 100); do /bin/true; done';
row("bash -c '100 x /bin/true': tstrace -f -o /dev/null vs qemu-aarch64 -L",
  time('node', [tstrace, '-f', '-o', '/dev/null', '--sysroot', ROOT, '/bin/bash', '-c', loop]),
  time('qemu-aarch64', ['-L', ROOT, resolve(ROOT, 'bin/bash'), '-c', loop]), 2.0);
