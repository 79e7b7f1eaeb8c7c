// Results tstrace's kernel gives as Linux does (the kernel_answers fixture: getsockopt copying out
// only an option's bytes, PR_MCE_KILL/PR_MCE_KILL_GET, clone3's checks of struct clone_args,
// recvmmsg's timeout checked before the descriptor and the time left written back, a classic
// socket filter attached and read back),
// checked against the real strace running the x86_64 build natively: the program's own checks
// (its stdout) and the traced lines must be the same, and the aarch64 and riscv64 builds must
// give the same answers under tstrace.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffStraceTexts } from '../src/diff/api.js';
import {
  fixtureExists, fixturePath, freshDir, hasCommand, hostArch, makeTempDir, removeTempDir, runStrace, runTstrace,
  type Arch, type RunResult,
} from './helpers/run.js';

const TIMEOUT_MS = 120_000;
const work = makeTempDir('tstrace-kernel-answers-');
test.after(() => removeTempDir(work));

const noStrace = hostArch() !== 'x86_64' ? 'needs an x86_64 host' : !hasCommand('strace') ? 'no strace' : false;

/** Runs `who` on the fixture copied to one path for every run, in a fresh cwd. */
function trace(who: 'strace' | 'tstrace', arch: Arch): { run: RunResult; trace: string } {
  const name = 'kernel_answers';
  assert.ok(fixtureExists(arch, name), `missing ${fixturePath(arch, name)}: run scripts/build-fixtures.sh`);
  const bin = path.join(work, 'bin', name);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  fs.copyFileSync(fixturePath(arch, name), bin);
  fs.chmodSync(bin, 0o755);
  const cwd = path.join(work, 'cwd');
  freshDir(cwd);
  const out = path.join(work, `${who}-${arch}.txt`);
  const run = who === 'strace'
    ? runStrace(['-o', out, '-e', 'trace=getsockopt,setsockopt,prctl,clone3'], bin, [], { cwd, timeoutMs: TIMEOUT_MS })
    : runTstrace(['-o', out, '-e', 'trace=getsockopt,setsockopt,prctl,clone3', bin], { cwd, timeoutMs: TIMEOUT_MS });
  return { run, trace: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '' };
}

/** Lines strace 6.1 printed natively (pids and addresses as patterns). */
const LINES: readonly RegExp[] = [
  /^getsockopt\(3, SOL_SOCKET, SO_TYPE, \[1\], \[5 => 4\]\) = 0$/m,
  /^getsockopt\(3, SOL_SOCKET, SO_PEERCRED, \{pid=\d+, uid=\d+, gid=\d+\}, \[13 => 12\]\) = 0$/m,
  /^getsockopt\(3, SOL_SOCKET, SO_PEERCRED, 0x[0-9a-f]+, \[12\]\) = -1 EFAULT \(Bad address\)$/m,
  /^prctl\(PR_MCE_KILL_GET, 0, 0, 0, 0\) += 2 \(PR_MCE_KILL_DEFAULT\)$/m,
  /^prctl\(PR_MCE_KILL_GET, 0, 0, 0, 0\) += 1 \(PR_MCE_KILL_EARLY\)$/m,
  /^prctl\(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0x1, 0, 0\) = -1 EINVAL \(Invalid argument\)$/m,
  /^clone3\(\{flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0, cgroup=18072662651680067053\}, 88\) = \d+$/m,
  /^clone3\(\{flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0, \/\* bytes 88\.\.95 \*\/ "(\\xde){8}"\}, 96\) = -1 E2BIG \(Argument list too long\)$/m,
  /^clone3\(\{flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0, \?\?\?\}, 104\) = -1 E2BIG \(Argument list too long\)$/m,
  /^clone3\(\{flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0, \?\?\?\}, 104\) = -1 EFAULT \(Bad address\)$/m,
  /^getsockopt\(\d+, SOL_SOCKET, SO_GET_FILTER, NULL, \[4096 => 0\]\) = 0$/m,
  /^setsockopt\(\d+, SOL_SOCKET, SO_ATTACH_FILTER, 0x[0-9a-f]+, 12\) = -1 EINVAL \(Invalid argument\)$/m,
  /^setsockopt\(\d+, SOL_SOCKET, SO_ATTACH_FILTER, \{len=2, filter=0x[0-9a-f]+\}, 16\) = 0$/m,
  /^getsockopt\(\d+, SOL_SOCKET, SO_GET_FILTER, 0x[0-9a-f]+, \[3 => 2\]\) = 0$/m,
  /^clone3\(\{flags=0x11 \/\* CLONE_\?\?\? \*\/, exit_signal=0, stack=NULL, stack_size=0\}, 88\) = -1 EINVAL \(Invalid argument\)$/m,
];

test('kernel_answers: tstrace gives the x86_64 build the results Linux gives, and strace\'s lines', { skip: noStrace, timeout: 3 * TIMEOUT_MS }, () => {
  const s = trace('strace', 'x86_64');
  const t = trace('tstrace', 'x86_64');
  assert.equal(s.run.status, 0, s.run.stdout);
  assert.equal(t.run.status, 0, t.run.stdout);
  assert.equal(t.run.stdout, s.run.stdout);
  for (const l of LINES) {
    assert.match(s.trace, l, 'strace');
    assert.match(t.trace, l, 'tstrace');
  }
  const d = diffStraceTexts(s.trace, t.trace);
  assert.ok(d.equal, d.text);
});

for (const arch of ['aarch64', 'riscv64'] as const) {
  test(`kernel_answers: the ${arch} build gets the same answers under tstrace`, { timeout: 3 * TIMEOUT_MS }, () => {
    const x = trace('tstrace', 'x86_64');
    const a = trace('tstrace', arch);
    assert.equal(a.run.status, 0, a.run.stdout);
    assert.equal(a.run.stdout, x.run.stdout);
    for (const l of LINES) assert.match(a.trace, l, `tstrace ${arch}`);
  });
}
