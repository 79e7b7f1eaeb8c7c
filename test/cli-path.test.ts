// PROG without a slash is looked up in PATH, as strace (execvp) does; the execve line shows the
// file found and argv[0] as typed. Compared with the real strace on the x86_64 build.
import test from 'node:test';
import assert from 'node:assert/strict';
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
