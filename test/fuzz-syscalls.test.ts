// Robustness: build/fixtures/<arch>/fuzz_syscalls makes 100000 syscalls with numbers and
// arguments from a fixed-seed PRNG (garbage pointers, lengths, flags; see
// test/fixtures/fuzz_syscalls.c for its deny-list and safety rules) and checks every result is
// ≥ 0 or a plain errno. Under tstrace, for aarch64 and x86_64, with the whole trace formatted
// (-o /dev/null) and once with nothing traced (-e trace=none), it must:
//   - exit 0, its summary line saying 0 implausible results;
//   - leave nothing on stderr that looks like a JavaScript error (a decoder or handler that
//     threw on garbage), and with -e trace=none nothing on stderr but the exit line.
// The program's sequence of calls depends on the seed only, so on an x86_64 host the native
// run's summary line (calls and skipped counts) must equal tstrace's for the x86_64 build.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import {
  describeEnd,
  fixtureExists,
  fixturePath,
  hostArch,
  javascriptErrorLines,
  makeTempDir,
  ORACLE_ARCHES,
  removeTempDir,
  run,
  runTstrace,
  tail,
  tstraceMain,
  type Arch,
  type RunResult,
} from './helpers/run.js';

const CALLS = 100_000;
const TIMEOUT_MS = 120_000;
const SUMMARY = /^fuzz_syscalls: seed (\d+): (\d+) calls, (\d+) skipped, (\d+) implausible$/m;

function inTempDir(fn: (cwd: string) => RunResult): RunResult {
  const dir = makeTempDir('tstrace-fuzz-');
  try {
    return fn(dir);
  } finally {
    removeTempDir(dir);
  }
}

function bin(arch: Arch): string {
  assert.ok(fixtureExists(arch, 'fuzz_syscalls'), `missing ${fixturePath(arch, 'fuzz_syscalls')}: run scripts/build-fixtures.sh`);
  return fixturePath(arch, 'fuzz_syscalls');
}

function summaryOf(r: RunResult): string {
  const m = SUMMARY.exec(r.stdout);
  assert.ok(m, `no summary line in stdout:\n${tail(r.stdout)}\n--- stderr:\n${tail(r.stderr)}`);
  return m[0];
}

function checkRun(r: RunResult, seed: number): string {
  const ctx = `${r.command}\n--- ${describeEnd(r)}; stdout:\n${tail(r.stdout)}\n--- stderr (tail):\n${tail(r.stderr)}`;
  assert.deepEqual(javascriptErrorLines(r.stderr), [], `JavaScript errors on stderr\n${ctx}`);
  assert.equal(describeEnd(r), 'exit 0', ctx);
  const line = summaryOf(r);
  const m = SUMMARY.exec(line)!;
  assert.equal(Number(m[1]), seed, ctx);
  assert.equal(Number(m[2]), CALLS, ctx);
  assert.equal(Number(m[4]), 0, `implausible results\n${ctx}`);
  return line;
}

const SEEDS: Readonly<Record<string, readonly [number, number]>> = { aarch64: [1, 2], x86_64: [1, 2] };

for (const arch of ORACLE_ARCHES) {
  const [seedTraced, seedQuiet] = SEEDS[arch] ?? [1, 2];

  test(`fuzz ${arch}: ${CALLS} garbage syscalls traced to /dev/null (seed ${seedTraced})`, { timeout: TIMEOUT_MS + 30_000 }, () => {
    assert.ok(fs.existsSync(tstraceMain), `missing ${tstraceMain}: run npx tsc -p tsconfig.json`);
    const r = inTempDir((cwd) =>
      runTstrace(['-o', '/dev/null', bin(arch), String(CALLS), String(seedTraced)], { cwd, timeoutMs: TIMEOUT_MS }),
    );
    const line = checkRun(r, seedTraced);
    if (arch === 'x86_64' && hostArch() === 'x86_64') {
      const n = inTempDir((cwd) => run(bin(arch), [String(CALLS), String(seedTraced)], { cwd, timeoutMs: TIMEOUT_MS }));
      assert.equal(line, checkRun(n, seedTraced), 'native and tstrace summary lines');
    }
  });

  test(`fuzz ${arch}: ${CALLS} garbage syscalls, -e trace=none (seed ${seedQuiet})`, { timeout: TIMEOUT_MS + 30_000 }, () => {
    assert.ok(fs.existsSync(tstraceMain), `missing ${tstraceMain}: run npx tsc -p tsconfig.json`);
    const r = inTempDir((cwd) =>
      runTstrace(['-e', 'trace=none', bin(arch), String(CALLS), String(seedQuiet)], { cwd, timeoutMs: TIMEOUT_MS }),
    );
    checkRun(r, seedQuiet);
    // strace -e trace=none still reports how the tracee ended and, as the real strace does,
    // every call to a number it has no name for (`syscall_0x1a5(...)`), and nothing else.
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines[lines.length - 1], '+++ exited with 0 +++', `stderr with -e trace=none:\n${tail(r.stderr)}`);
    const other = lines.slice(0, -1).filter((l) => !/^syscall_0x[0-9a-f]+\(.*\) += -1 ENOSYS \(Function not implemented\)$/.test(l));
    assert.deepEqual(other, [], `stderr with -e trace=none:\n${tail(r.stderr)}`);
    if (arch === 'x86_64' && hostArch() === 'x86_64') {
      // The real strace, on the native run of the same seed, names the same unknown calls.
      const n = inTempDir((cwd) => run('strace', ['-e', 'trace=none', bin(arch), String(CALLS), String(seedQuiet)], { cwd, timeoutMs: TIMEOUT_MS }));
      // strace 6.1 predates the syscalls numbered 451 and up, so it shows them as unknown where
      // tstrace's newer tables name them; compare the numbers both know about.
      const STRACE_61_LAST = 450;
      const names = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('syscall_0x'))
        .map((l) => l.slice(0, l.indexOf('(')))
        .filter((n) => Number.parseInt(n.slice('syscall_0x'.length), 16) <= STRACE_61_LAST);
      assert.deepEqual(names(r.stderr), names(n.stderr), 'unknown syscalls shown under -e trace=none, tstrace vs strace');
    }
  });
}

test('fuzz native x86_64: the program itself finds Linux plausible (seeds 1-3)', {
  skip: hostArch() === 'x86_64' ? false : 'not an x86_64 host',
  timeout: 3 * TIMEOUT_MS,
}, () => {
  for (const seed of [1, 2, 3]) {
    const r = inTempDir((cwd) => run(bin('x86_64'), [String(CALLS), String(seed)], { cwd, timeoutMs: TIMEOUT_MS }));
    checkRun(r, seed);
    assert.equal(r.stderr, '', 'fuzz_syscalls writes nothing to its stderr (fds 0-2 are files in its cwd)');
  }
});
