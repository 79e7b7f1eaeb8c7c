// -r and -t stamp a syscall line at the call's entry, as strace does: after a 200 ms sleep the
// delay shows on the next call's line, not on the sleep's own. The real strace on the x86_64
// build is the oracle: the line with the largest -r delta is the same call in both traces.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir, runStrace, runTstrace } from './helpers/run.js';

const skip = hostArch() !== 'x86_64' || !hasCommand('strace') ? 'needs an x86_64 host with strace' : false;

/** The syscall whose -r line carries the largest delta. */
function slowestLine(trace: string): string {
  let best = { delta: -1, name: '' };
  for (const line of trace.split('\n')) {
    const m = /^\s*(\d+\.\d+) ([a-z_0-9]+)\(/.exec(line);
    if (m !== null && Number(m[1]) > best.delta) best = { delta: Number(m[1]), name: m[2]! };
  }
  return best.name;
}

test('-r: the time a call takes shows on the next line, as with the real strace', { skip }, (t) => {
  const dir = makeTempDir();
  t.after(() => removeTempDir(dir));
  const prog = fixturePath('x86_64', 'nap');
  const a = path.join(dir, 'strace.txt');
  const b = path.join(dir, 'tstrace.txt');
  assert.equal(runStrace(['-r', '-o', a], prog, ['200'], { cwd: dir }).status, 0);
  assert.equal(runTstrace(['-r', '-o', b, prog, '200'], { cwd: dir }).status, 0);
  const theirs = slowestLine(fs.readFileSync(a, 'latin1'));
  assert.equal(theirs, 'getppid', 'the oracle itself');
  assert.equal(slowestLine(fs.readFileSync(b, 'latin1')), theirs);
});

/** A line's time prefix and -T suffix with every digit as 9: `99:99:99.999 (+     9.999999) … <9.999>`. */
function stampShape(trace: string): string {
  const line = trace.split('\n').find((l) => /getppid\(/.test(l)) ?? '';
  const prefix = line.slice(0, line.indexOf('getppid('));
  const suffix = / <[\d.]+>$/.exec(line)?.[0] ?? '';
  return (prefix + '…' + suffix).replace(/\d/g, '9');
}

test('timestamp precisions and -t with -r: the same prefixes and suffixes as the real strace', { skip }, (t) => {
  const dir = makeTempDir();
  t.after(() => removeTempDir(dir));
  const prog = fixturePath('x86_64', 'nap');
  const cases: readonly (readonly string[])[] = [
    ['-t', '-r'],
    ['-ttt', '--relative-timestamps=ns'],
    ['--absolute-timestamps=unix,ms'],
    ['--absolute-timestamps=format:time,precision:ns'],
    ['--timestamps=unix,s'],
    ['--absolute-timestamps=precision:ms'],
    ['--relative-timestamps=s', '-T'],
    ['--syscall-times=ms'],
    ['--syscall-times=ns', '-r'],
  ];
  for (const flags of cases) {
    const a = path.join(dir, 'strace.txt');
    const b = path.join(dir, 'tstrace.txt');
    assert.equal(runStrace([...flags, '-o', a], prog, ['1'], { cwd: dir }).status, 0);
    assert.equal(runTstrace([...flags, '-o', b, prog, '1'], { cwd: dir }).status, 0);
    const theirs = stampShape(fs.readFileSync(a, 'latin1'));
    assert.notEqual(theirs, '…', `the oracle printed a getppid line for ${flags.join(' ')}`);
    assert.equal(stampShape(fs.readFileSync(b, 'latin1')), theirs, flags.join(' '));
  }
});

test('-t with --absolute-timestamps is refused, as the real strace refuses it', { skip }, () => {
  const prog = fixturePath('x86_64', 'nap');
  const theirs = runStrace(['-tt', '--absolute-timestamps=precision:ms', '-o', '/dev/null'], prog, ['1'], { cwd: '/tmp' });
  const ours = runTstrace(['-tt', '--absolute-timestamps=precision:ms', '-o', '/dev/null', prog, '1'], { cwd: '/tmp' });
  assert.notEqual(theirs.status, 0);
  assert.equal(ours.status, 64, 'a usage error (README: exit codes)');
  assert.match(theirs.stderr, /-t and --absolute-timestamps cannot be provided simultaneously/);
  assert.match(ours.stderr, /^tstrace: -t and --absolute-timestamps cannot be provided simultaneously/);
});
