// PROG without a slash is looked up in PATH, as strace (execvp) does; the execve line shows the
// file found and argv[0] as typed. Compared with the real strace on the x86_64 build.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir, runStrace, runTstrace } from './helpers/run.js';

const skip = hostArch() !== 'x86_64' || !hasCommand('strace') ? 'needs an x86_64 host with strace' : false;

test('a bare PROG is found in PATH, and the execve line names it as strace does', { skip }, () => {
  const cwd = makeTempDir('tstrace-path-');
  try {
    const dir = path.dirname(fixturePath('x86_64', 'hello'));
    const env = cleanEnv({ PATH: `${dir}:${process.env['PATH'] ?? '/usr/bin:/bin'}` });
    const theirs = runStrace([], 'hello', [], { cwd, env });
    const ours = runTstrace(['hello'], { cwd, env });
    assert.equal(ours.status, 0, ours.stderr);
    assert.equal(ours.stdout, 'hello, world\n');
    const execve = (stderr: string): string => (stderr.split('\n')[0] ?? '').replace(/0x[0-9a-f]+ \/\*/, '0x… /*');
    assert.equal(execve(ours.stderr), execve(theirs.stderr));
    assert.match(execve(ours.stderr), new RegExp(`^execve\\("${dir}/hello", \\["hello"\\]`));
  } finally {
    removeTempDir(cwd);
  }
});

test('a bare PROG that is nowhere in PATH: one line, exit 66', () => {
  const cwd = makeTempDir('tstrace-path-');
  try {
    const r = runTstrace(['tstrace-no-such-program'], { cwd });
    assert.equal(r.status, 66);
    assert.deepEqual(r.stderr.trim().split('\n'), ['tstrace: tstrace-no-such-program: no such file or directory']);
  } finally {
    removeTempDir(cwd);
  }
});

test('a #! script as PROG runs its interpreter: the same trace as the real strace, line for line', { skip }, () => {
  const cwd = makeTempDir('tstrace-script-');
  try {
    // The interpreter gets [interpreter, script, args...] (binfmt_script); hello ignores them.
    fs.writeFileSync(path.join(cwd, 'run.sh'), `#!${fixturePath('x86_64', 'hello')}\n`, { mode: 0o755 });
    const theirs = runStrace([], './run.sh', ['a'], { cwd });
    const ours = runTstrace(['./run.sh', 'a'], { cwd });
    assert.equal(ours.status, 0, ours.stderr);
    assert.equal(ours.stdout, 'hello, world\n');
    // Addresses, the pid and getrandom's bytes differ between any two runs.
    const lines = (stderr: string): string[] => stderr.split('\n').map((l) => l.replace(/0x[0-9a-f]+/g, 'ADDR').replace(/ +=/, ' =')
      .replace(/^(set_tid_address\(ADDR\) =) \d+$/, '$1 PID').replace(/^getrandom\("[^"]*"/, 'getrandom("RANDOM"'));
    assert.match(ours.stderr.split('\n')[0]!, /^execve\("\.\/run\.sh", \["\.\/run\.sh", "a"\], 0x[0-9a-f]+ \/\* \d+ vars \*\/\) = 0$/);
    assert.deepEqual(lines(ours.stderr), lines(theirs.stderr));
  } finally {
    removeTempDir(cwd);
  }
});

test('a #! script whose interpreter is of another architecture runs it; a bad #! line is one line, exit 68', () => {
  const cwd = makeTempDir('tstrace-script-');
  try {
    fs.writeFileSync(path.join(cwd, 'run.sh'), `#!${fixturePath('aarch64', 'hello')} -x\n`, { mode: 0o755 });
    const r = runTstrace(['-o', '/dev/null', './run.sh'], { cwd });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello, world\n');
    fs.writeFileSync(path.join(cwd, 'bad.sh'), '#!\n', { mode: 0o755 });
    const b = runTstrace(['./bad.sh'], { cwd });
    assert.equal(b.status, 68);
    assert.deepEqual(b.stderr.trim().split('\n'), ['tstrace: ./bad.sh: bad #! line (no interpreter named, or its path cut at 256 bytes)']);
  } finally {
    removeTempDir(cwd);
  }
});
