#!/usr/bin/env node
// Issue 13's recording benchmarks, measured in one run on bench_getppid (N getppid() calls):
//   a. `tstrace record -o run.db -- B 1000000` vs `tstrace -o /dev/null B 1000000` (target ≤ 1.3)
//   b. bytes of file per recorded syscall (file size / calls; target ≤ 48)
//   c. replay vs recording (target: replay ≥ 2x faster)
//   d. a query by syscall name over 1,000,000 stops (target < 0.3 s)
//   e. `tstrace show` of 1,000,000 stops (target ≤ 1.5 s)
//   f. CPU-bound (bench_primes, few calls): record and replay vs the trace, which shows the
//      cost of counting the guest code each task runs while recording (no target)
// Wall-clock seconds, best of --runs (default 3), with the CPU seconds (user + system, all
// threads) of that run beside them. Not a test: timings are never asserted. Usage:
//   node bench/record-bench.mjs [--runs N] [--keep DIR]
// Needs `bash scripts/setup.sh` (or tsc + scripts/bundle.sh and the fixtures) first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bench = resolve(root, 'build/fixtures/aarch64/bench_getppid');
const primes = resolve(root, 'build/fixtures/aarch64/bench_primes');
const tstrace = resolve(root, 'dist/tstrace.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg('--runs', '3'));
const keep = arg('--keep', undefined);
const dir = keep ?? mkdtempSync(join(tmpdir(), 'tstrace-record-bench-'));
for (const f of [bench, primes, tstrace]) if (!existsSync(f)) throw new Error(`${f} missing: run bash scripts/setup.sh`);
if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time missing (Debian package time)');

/** Best wall time of `runs` runs, and that run's CPU seconds; `before` runs ahead of each (not timed). */
function time(args, { before, stdout = 'ignore' } = {}) {
  let best = { wall: Infinity, cpu: 0 };
  const out = join(dir, 'time.txt');
  for (let i = 0; i < runs; i++) {
    before?.();
    const r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%e %U %S', 'node', tstrace, ...args], { stdio: ['ignore', stdout, 'pipe'], cwd: dir });
    if (r.status !== 0) throw new Error(`tstrace ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
    const [wall, user, sys] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    if (wall < best.wall) best = { wall, cpu: user + sys };
  }
  return best;
}

const fmt = (t) => `${t.wall.toFixed(2)} s (CPU ${t.cpu.toFixed(2)} s)`;
const rm = (db) => () => {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
};

console.log(`best of ${runs} runs each; ${cpus().length} CPUs, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const calls = 1_000_000;
const db = join(dir, 'run.db');
const trace = time(['-o', '/dev/null', bench, String(calls)]);
const record = time(['record', '-o', db, '--', bench, String(calls)], { before: rm(db) });
const size = statSync(db).size;
const replay = time(['replay', '-o', '/dev/null', db]);
const stopsOf = (file) => Number(spawnSync('node', [tstrace, 'query', file, '--sql', 'SELECT count(*) FROM stops'], { encoding: 'utf8' }).stdout.split('\n')[1]);
const stops = stopsOf(db);

// d and e on a recording of 1,000,000 stops (half as many calls), as the issue counts them.
const half = join(dir, 'half.db');
rm(half)();
spawnSync('node', [tstrace, 'record', '-o', half, '--', bench, String(calls / 2)], { stdio: 'ignore' });
const halfStops = stopsOf(half);
const query = time(['query', half, '--syscall', 'exit_group']);
const queryAll = time(['query', db, '--syscall', 'exit_group']);
const show = time(['show', half]);
const showAll = time(['show', db]);

const cpuDb = join(dir, 'primes.db');
const cpuTrace = time(['-o', '/dev/null', primes, '4000000']);
const cpuRecord = time(['record', '-o', cpuDb, '--', primes, '4000000'], { before: rm(cpuDb) });
const cpuReplay = time(['replay', '-o', '/dev/null', cpuDb]);

const ratio = (a, b) => (a.wall / b.wall).toFixed(2);
console.log(`a. record ${calls} calls vs trace to /dev/null: ${fmt(record)} vs ${fmt(trace)}: ratio ${ratio(record, trace)} (CPU ${(record.cpu / trace.cpu).toFixed(2)}); target ≤ 1.3`);
console.log(`b. file size per recorded syscall: ${size} bytes / ${calls} calls = ${(size / calls).toFixed(1)} bytes (${stops} stops); target ≤ 48`);
console.log(`c. replay -o /dev/null vs record: ${fmt(replay)} vs ${fmt(record)}: replay ${(record.wall / replay.wall).toFixed(2)}x as fast; target ≥ 2`);
console.log(`d. query --syscall exit_group over ${halfStops} stops: ${fmt(query)}; target < 0.3 s (over ${stops} stops: ${fmt(queryAll)})`);
console.log(`e. show of ${halfStops} stops: ${fmt(show)}; target ≤ 1.5 s (of ${stops} stops: ${fmt(showAll)})`);
console.log(`f. CPU-bound (bench_primes 4000000): record ${fmt(cpuRecord)}, replay ${fmt(cpuReplay)}, trace ${fmt(cpuTrace)}: record/trace ${ratio(cpuRecord, cpuTrace)}, replay/trace ${ratio(cpuReplay, cpuTrace)}`);
if (keep === undefined) rmSync(dir, { recursive: true, force: true });
