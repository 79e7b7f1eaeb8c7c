// Oracle: qemu-user. For every fixture and its arguments, on aarch64 and x86_64, the guest's
// stdout and the way it ends (exit status, or the killing signal) under
//   node dist/tstrace.js -o /dev/null build/fixtures/<arch>/<name> args…
// equal those under
//   qemu-<arch> build/fixtures/<arch>/<name> args…
// each run in its own fresh temporary cwd. Where qemu-user 7.2 is known not to be Linux, its
// output is corrected first (test/helpers/fixtures.ts names each case and why).
//
// Also here, runnable before tstrace exists:
//  - the oracle's self-check: on an x86_64 host, the native run of each x86_64 fixture equals
//    the (corrected) qemu-x86_64 run and ends as the table says;
//  - strace's exit convention for a tracee killed by a signal (strace kills itself with the
//    same signal, so its parent sees that signal: a shell reports 128+signo), and tstrace's
//    end equal to the real strace's on the x86_64 build.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { casesFor, correctQemuRun, expectedEnd } from './helpers/fixtures.js';
import {
  describeEnd,
  fixtureExists,
  fixturePath,
  freshDir,
  hasCommand,
  hostArch,
  makeTempDir,
  ORACLE_ARCHES,
  removeTempDir,
  run,
  runQemu,
  runStrace,
  runTstrace,
  tail,
  tstraceMain,
  type Arch,
  type RunResult,
} from './helpers/run.js';

const TIMEOUT_MS = 120_000;

function needFixture(arch: Arch, name: string): string {
  const bin = fixturePath(arch, name);
  assert.ok(fixtureExists(arch, name), `missing ${bin}: run scripts/build-fixtures.sh`);
  return bin;
}

function needTstrace(): void {
  assert.ok(fs.existsSync(tstraceMain), `missing ${tstraceMain}: run npx tsc -p tsconfig.json`);
}

function context(r: RunResult): string {
  return `${r.command}\n--- ${describeEnd(r)}; stderr (tail):\n${tail(r.stderr)}`;
}

/** Runs `fn` with its cwd a fresh, empty directory under a new temporary directory. */
function inFreshDir<T>(fn: (cwd: string) => T): T {
  const base = makeTempDir('tstrace-oracle-');
  try {
    return fn(freshDir(path.join(base, 'cwd')));
  } finally {
    removeTempDir(base);
  }
}

const haveQemu = (arch: Arch): boolean => hasCommand(`qemu-${arch}`);

for (const arch of ORACLE_ARCHES) {
  for (const fx of casesFor(arch)) {
    const title = `qemu oracle ${arch}: ${fx.id}`;
    if (fx.noQemuOracle) {
      test(title, { skip: fx.noQemuOracle }, () => {});
      continue;
    }
    test(title, { skip: haveQemu(arch) ? false : `no qemu-${arch}`, timeout: 3 * TIMEOUT_MS + 10_000 }, () => {
      const bin = needFixture(arch, fx.name);
      needTstrace();
      // qemu-user can lose a signal that comes just before it blocks in pause() or
      // sigsuspend() (seen once in CI on a loaded machine: timer_waits hung for good under
      // qemu-riscv64): a run of the oracle that hangs is made again, once.
      let q = inFreshDir((cwd) => runQemu(arch, bin, fx.args, { cwd, timeoutMs: TIMEOUT_MS }));
      if (q.timedOut) q = inFreshDir((cwd) => runQemu(arch, bin, fx.args, { cwd, timeoutMs: TIMEOUT_MS }));
      const want = correctQemuRun(fx, q);
      const wantEnd = describeEnd({ ...q, status: want.status });
      const t = inFreshDir((cwd) => runTstrace(['-o', '/dev/null', bin, ...fx.args], { cwd, timeoutMs: TIMEOUT_MS }));
      assert.equal(describeEnd(t), wantEnd, `how the run ended\n${context(t)}`);
      assert.equal(t.stdout, want.stdout, `guest stdout\n${context(t)}`);
    });
  }
}

// The oracle itself: the fixtures are deterministic, qemu agrees with Linux (after the listed
// corrections), and the table's expected ends are right. Native runs need an x86_64 host.
const native: Arch | null = hostArch();
for (const fx of casesFor('x86_64')) {
  const title = `oracle self-check x86_64: native == qemu-x86_64: ${fx.id}`;
  const skip =
    native !== 'x86_64' ? 'not an x86_64 host' : !haveQemu('x86_64') ? 'no qemu-x86_64' : fx.noQemuOracle ? fx.noQemuOracle : false;
  test(title, { skip, timeout: 2 * TIMEOUT_MS + 10_000 }, () => {
    const bin = needFixture('x86_64', fx.name);
    const n = inFreshDir((cwd) => run(bin, fx.args, { cwd, timeoutMs: TIMEOUT_MS }));
    assert.equal(describeEnd(n), expectedEnd(fx), `native run\n${context(n)}`);
    const q = inFreshDir((cwd) => runQemu('x86_64', bin, fx.args, { cwd, timeoutMs: TIMEOUT_MS }));
    const want = correctQemuRun(fx, q);
    assert.equal(describeEnd({ ...q, status: want.status }), expectedEnd(fx), `qemu run\n${context(q)}`);
    assert.equal(want.stdout, n.stdout, 'native and (corrected) qemu stdout');
    if (fx.end && 'exit' in fx.end && fx.end.exit === 0 && /^(ok|FAIL) /m.test(n.stdout)) {
      assert.doesNotMatch(n.stdout, /^FAIL /m, 'a check failed natively');
    }
  });
}

// Each fixture under qemu for every oracle architecture: ends as the table says once corrected.
// Catches a fixture that only works on x86_64.
for (const arch of ORACLE_ARCHES) {
  for (const fx of casesFor(arch)) {
    if (fx.noQemuOracle) continue;
    test(`oracle self-check ${arch}: qemu-${arch} ends as expected: ${fx.id}`, {
      skip: haveQemu(arch) ? false : `no qemu-${arch}`,
      timeout: TIMEOUT_MS + 10_000,
    }, () => {
      const bin = needFixture(arch, fx.name);
      const q = inFreshDir((cwd) => runQemu(arch, bin, fx.args, { cwd, timeoutMs: TIMEOUT_MS }));
      const want = correctQemuRun(fx, q);
      assert.equal(describeEnd({ ...q, status: want.status }), expectedEnd(fx), context(q));
      assert.doesNotMatch(want.stdout, /^FAIL /m, `a check failed under qemu-${arch}\n${want.stdout}`);
    });
  }
}

// strace's convention for a tracee killed by a signal, and tstrace following it.
const killed = casesFor('x86_64').filter((f) => 'signal' in f.end);
for (const fx of killed) {
  const signal = 'signal' in fx.end ? fx.end.signal : null;
  test(`exit convention: real strace when the tracee is killed by ${signal}: ${fx.id}`, {
    skip: native !== 'x86_64' ? 'not an x86_64 host' : !hasCommand('strace') ? 'no strace' : false,
  }, () => {
    const bin = needFixture('x86_64', fx.name);
    const s = inFreshDir((cwd) => runStrace(['-o', '/dev/null'], bin, fx.args, { cwd, timeoutMs: TIMEOUT_MS }));
    // strace re-raises the tracee's signal on itself (core dumps off): its parent sees the
    // same signal, i.e. a shell's $? is 128 + signo (134 for SIGABRT, 139 for SIGSEGV).
    assert.equal(describeEnd(s), `killed by ${signal}`, context(s));
  });
  test(`exit convention: tstrace ends like the real strace (x86_64): ${fx.id}`, {
    skip: native !== 'x86_64' ? 'not an x86_64 host' : !hasCommand('strace') ? 'no strace' : false,
    timeout: 2 * TIMEOUT_MS + 10_000,
  }, () => {
    const bin = needFixture('x86_64', fx.name);
    needTstrace();
    const s = inFreshDir((cwd) => runStrace(['-o', '/dev/null'], bin, fx.args, { cwd, timeoutMs: TIMEOUT_MS }));
    const t = inFreshDir((cwd) => runTstrace(['-o', '/dev/null', bin, ...fx.args], { cwd, timeoutMs: TIMEOUT_MS }));
    assert.equal(describeEnd(t), describeEnd(s), `tstrace vs strace\n${context(t)}`);
    assert.equal(t.stdout, s.stdout, 'guest stdout passes through');
  });
}
