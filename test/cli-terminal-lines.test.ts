// Without -o the trace shares a stream with the program, and strace writes each line in two
// halves: `name(args` at syscall entry, the rest at exit. What the program prints meanwhile
// lands inside the line. The real strace on the x86_64 build is the oracle: both outputs, with
// stdout and stderr merged into one pipe, must show the same lines around the program's output.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fixturePath, hasCommand, hostArch, tstraceMain } from './helpers/run.js';

const skip = hostArch() !== 'x86_64' || !hasCommand('strace') ? 'needs an x86_64 host with strace' : false;

/** `cmd 2>&1`: the trace and the program's output in the order they were written. */
function merged(cmd: readonly string[], flags: readonly string[] = []): string {
  const quoted = [...cmd, ...flags].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('sh', ['-c', `${quoted} 2>&1`], { encoding: 'latin1', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
  assert.equal(r.status, 0, r.stdout);
  return r.stdout;
}

/** The lines from the write that prints `text` to the end: where interleaving shows. */
function around(output: string, text: string): string[] {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => l.includes(text));
  assert.ok(at >= 0, `no ${JSON.stringify(text)} in:\n${output}`);
  return lines.slice(at, at + 4);
}

test('without -o, a write by the program lands inside its trace line, as with the real strace', { skip }, () => {
  const prog = fixturePath('x86_64', 'hello');
  const theirs = around(merged(['strace', prog]), 'hello, world');
  const ours = around(merged(['node', tstraceMain, prog]), 'hello, world');
  assert.equal(theirs[0], 'write(1, "hello, world\\n", 13hello, world', 'the oracle itself');
  assert.deepEqual(ours, theirs);
});

test('with -e status= the whole line waits for the result, as with the real strace', { skip }, () => {
  const prog = fixturePath('x86_64', 'hello');
  const filtered = merged(['node', tstraceMain, '-e', 'status=successful', prog]);
  assert.match(filtered, /^hello, world\nwrite\(1, "hello, world\\n", 13\) += 13$/m);
  const theirs = merged(['strace', '-e', 'status=successful', prog]);
  assert.match(theirs, /^hello, world\nwrite\(1, "hello, world\\n", 13\) += 13$/m);
});
