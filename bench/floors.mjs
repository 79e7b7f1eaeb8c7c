#!/usr/bin/env node
// Floors: what the parts tstrace must be built from (Node.js and Unicorn 2.1.1) cost on their
// own, against the peers of the issue targets, measured in the same run. A target that one of
// these parts alone already exceeds cannot be met on them, whatever tstrace does:
//   1. Node's start-up with koffi and libunicorn loaded, plus the guest's time inside Unicorn,
//      vs the whole dynamic hello under qemu-aarch64 -L.
//   2. One Unicorn engine opened and made ready (bench/engine-open.c, in C), against what one
//      fork+exec may cost for the 100 fork+exec target (0.5 x native strace -f, less Node's
//      start-up); each fork+exec opens at least one engine (the exec'd image's); and the time
//      inside Unicorn of those 100 under tstrace.
//   3. The time spent inside Unicorn (native code under uc_emu_start, tstrace's JavaScript
//      excluded: the self time of Engine.emuStart in a V8 CPU profile) for python3 -c pass and
//      the bash loop of 100 /bin/true, plus loading Node, koffi and libunicorn, against 1.5x and
//      2x the whole qemu-aarch64 -L run.
// Wall-clock, best of --runs (default 5). Not a test: timings are never asserted. Needs
// scripts/setup.sh and scripts/fetch-rootfs.sh aarch64 (the bookworm arm64 root). Usage:
//   node bench/floors.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(root, 'vendor/rootfs/aarch64');
const tstrace = resolve(root, 'dist/tstrace.js');
const hello = resolve(root, 'build/fixtures/aarch64/hello_dyn');
const forkexec = resolve(root, 'build/fixtures/aarch64/bench_threads');
const forkexecX86 = resolve(root, 'build/fixtures/x86_64/bench_threads');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const env = { PATH: '/usr/bin:/bin', HOME: '/nonexistent' };
for (const f of [tstrace, hello, forkexec, forkexecX86, resolve(ROOT, 'bin/bash')]) {
  if (!existsSync(f)) throw new Error(`${f} missing: run scripts/setup.sh and scripts/fetch-rootfs.sh aarch64`);
}

/** The exit status a run must end with (the dynamic hello exits 3). */
const statusOf = (args) => (args.includes(hello) ? 3 : 0);

function best(cmd, args) {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: 'ignore', env });
    if (r.status !== statusOf(args)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
    b = Math.min(b, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return b;
}

/** Seconds of self time of Engine.emuStart (native code under uc_emu_start) in one profiled run. */
function unicornSeconds(args) {
  const dir = mkdtempSync(join(tmpdir(), 'tstrace-floors-'));
  try {
    const r = spawnSync('node', ['--cpu-prof', '--cpu-prof-dir', dir, tstrace, ...args], { stdio: 'ignore', env });
    if (r.status !== statusOf(args)) throw new Error(`tstrace ${args.join(' ')} exited ${r.status ?? r.signal}`);
    let us = 0;
    for (const f of readdirSync(dir)) {
      const p = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      const ids = new Set(p.nodes.filter((n) => n.callFrame.functionName === 'emuStart').map((n) => n.id));
      p.samples.forEach((id, i) => { if (ids.has(id)) us += p.timeDeltas[i] ?? 0; });
    }
    return us / 1e6;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (label, value, note) => console.log(`${label.padEnd(72)} ${value}${note === undefined ? '' : `  ${note}`}`);
console.log(`best of ${runs} runs each; machine: ${process.arch}, node ${process.version}`);

// 1. Node's start-up, with koffi and libunicorn loaded, and the guest's time inside Unicorn,
// against the dynamic hello under qemu.
const node0 = best('node', ['-e', '0']);
const libunicorn = resolve(root, 'vendor/unicorn/usr/lib/x86_64-linux-gnu/libunicorn.so.2');
const loaded = best('node', ['-e', `require(${JSON.stringify(resolve(root, 'node_modules/koffi'))}).load(${JSON.stringify(libunicorn)})`]);
const qemuHello = best('qemu-aarch64', ['-L', ROOT, hello]);
const helloUnicorn = unicornSeconds(['-o', '/dev/null', '--sysroot', ROOT, hello]);
line('node -e 0 (Node.js start-up)', `${node0.toFixed(3)} s`);
line('node loading koffi and libunicorn, nothing else', `${loaded.toFixed(3)} s`);
line('dynamic hello under qemu-aarch64 -L', `${qemuHello.toFixed(3)} s`);
line('  its time inside Unicorn under tstrace', `${helloUnicorn.toFixed(3)} s`);
const helloFloor = (loaded + helloUnicorn) / qemuHello;
line('  Node, koffi, libunicorn and Unicorn\'s time / qemu (target: <= 2.0)', helloFloor.toFixed(2), helloFloor > 2 ? 'over the target before any of tstrace\'s own work' : '');

// 2. One engine, against the fork+exec target.
const bin = resolve(root, 'build/bench/engine-open');
mkdirSync(dirname(bin), { recursive: true });
const lib = resolve(root, 'vendor/unicorn/usr/lib/x86_64-linux-gnu');
const cc = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', bin, resolve(root, 'bench/engine-open.c'),
  '-I', resolve(root, 'vendor/unicorn/usr/include'), '-L', lib, '-l:libunicorn.so.2', `-Wl,-rpath,${lib}`], { stdio: 'inherit' });
if (cc.status !== 0) throw new Error('cannot build bench/engine-open.c');
const open = spawnSync(bin, ['100'], { encoding: 'utf8' }).stdout.trim();
for (const l of open.split('\n')) line(`engine-open: ${l.split(':')[0]}`, l.split(': ')[1]);
const engineMs = Number(/huge pages off \(tstrace\): ([\d.]+) ms/.exec(open)?.[1]);
const native = best('strace', ['-f', '-o', '/dev/null', forkexecX86, 'forkexec', '100']);
const budgetMs = ((0.5 * native - node0) / 100) * 1000;
line('100 fork+exec under native strace -f (x86_64)', `${native.toFixed(3)} s`);
line('  per fork+exec allowed by the target (0.5 x that, less Node start-up)', `${budgetMs.toFixed(3)} ms`, budgetMs < engineMs ? `below one engine (${engineMs} ms)` : '');
const feUnicorn = unicornSeconds(['-f', '-o', '/dev/null', forkexec, 'forkexec', '100']);
const feFloor = (loaded + feUnicorn + (100 * engineMs) / 1000) / native;
line('  time inside Unicorn for the 100 under tstrace (aarch64)', `${feUnicorn.toFixed(3)} s`);
line('  koffi and libunicorn loaded, Unicorn\'s time and 100 engines / native strace (target: <= 0.5)', feFloor.toFixed(2), feFloor > 0.5 ? 'over the target before any of tstrace\'s own work' : '');

// 3. Time inside Unicorn against the python3 and bash targets.
const py = ['-o', '/dev/null', '--sysroot', ROOT, resolve(ROOT, 'usr/bin/python3'), '-c', 'pass'];
const pyQemu = best('qemu-aarch64', ['-L', ROOT, resolve(ROOT, 'usr/bin/python3'), '-c', 'pass']);
const pyUnicorn = unicornSeconds(py);
line('python3 -c pass under qemu-aarch64 -L', `${pyQemu.toFixed(3)} s`);
line('  time inside Unicorn under tstrace', `${pyUnicorn.toFixed(3)} s`);
const pyFloor = (loaded + pyUnicorn) / pyQemu;
line('  Node, koffi, libunicorn and Unicorn\'s time / qemu (target: <= 1.5)', pyFloor.toFixed(2), pyFloor > 1.5 ? 'over the target before any of tstrace\'s own work' : '');
const loop = 'for i in $(seq 100); do /bin/true; done';
const bashQemu = best('qemu-aarch64', ['-L', ROOT, resolve(ROOT, 'bin/bash'), '-c', loop]);
const bashUnicorn = unicornSeconds(['-f', '-o', '/dev/null', '--sysroot', ROOT, '/bin/bash', '-c', loop]);
line("bash -c '100 x /bin/true' under qemu-aarch64 -L", `${bashQemu.toFixed(3)} s`);
line('  time inside Unicorn under tstrace', `${bashUnicorn.toFixed(3)} s`);
const bashFloor = (loaded + bashUnicorn) / bashQemu;
line('  Node, koffi, libunicorn and Unicorn\'s time / qemu (target: <= 2.0)', bashFloor.toFixed(2), bashFloor > 2 ? 'over the target before any of tstrace\'s own work' : '');
