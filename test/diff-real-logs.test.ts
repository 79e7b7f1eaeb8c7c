// `tstrace diff` on logs written by the real strace (6.x) tracing the x86_64 fixture diff_prog
// in its variants: what must compare equal, and what must differ and how.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiffRecordSchema } from '../schemas/diff-output.js';
import { fixture, runDiff, straceStderr, straceTo, tempDir } from './diff-support.test.js';

const dir = tempDir();
const prog = fixture('diff_prog', dir);
const log = (name: string): string => join(dir, name);

const base1 = straceTo(log('base1.log'), ['-f'], prog);
const base2 = straceTo(log('base2.log'), ['-f'], prog);

function hunks(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('@@ '));
}

test('two runs of one program are equal (exit 0)', () => {
  const r = runDiff([base1, base2]);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /^equal: 2 tasks, \d+ events compared\n$/);
});

test('a changed argument is one hunk with one changed call (exit 1)', () => {
  const changed = straceTo(log('changed.log'), ['-f'], prog, 'changed');
  const r = runDiff(['--color=never', base1, changed]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.equal(hunks(r.stdout).length, 1, r.stdout);
  assert.ok(r.stdout.includes('\n-write(3, "hello, world\\n", 13) = 13\n'), r.stdout);
  assert.ok(r.stdout.includes('\n+write(3, "hello, world!\\n", 14) = 14\n'), r.stdout);
  assert.match(r.stdout, /task 1 \(pid \d+ ↔ \d+\): 0 added, 0 removed, 1 changed/);
  assert.match(r.stdout, /different: 1 of 2 tasks differ; 0 added, 0 removed, 1 changed\n$/);
});

test('one syscall removed shows as one removed line', () => {
  const removed = straceTo(log('removed.log'), ['-f'], prog, 'removed');
  const r = runDiff([base1, removed]);
  assert.equal(r.status, 1);
  assert.equal(hunks(r.stdout).length, 1);
  const minus = r.stdout.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
  assert.deepEqual(minus, ['-getppid() = <pid>']);
  assert.ok(!r.stdout.split('\n').some((l) => l.startsWith('+') && !l.startsWith('+++ ')));
});

test('an extra child process is a task only in the second log', () => {
  const extra = straceTo(log('extra.log'), ['-f'], prog, 'extra-child');
  const r = runDiff(['--json', base1, extra]);
  assert.equal(r.status, 1);
  const records = r.stdout.trim().split('\n').map((l) => DiffRecordSchema.parse(JSON.parse(l)));
  const tasks = records.filter((x) => x.type === 'task');
  assert.deepEqual(tasks.map((t) => [t.task, t.status]), [['1', 'different'], ['1.1', 'equal'], ['1.2', 'only-b']]);
  const onlyB = tasks.find((t) => t.task === '1.2')!;
  assert.equal(onlyB.pidA, null);
  assert.ok(onlyB.pidB !== null && onlyB.pidB > 0);
  const summary = records.at(-1)!;
  assert.equal(summary.type, 'summary');
  if (summary.type === 'summary') {
    assert.equal(summary.equal, false);
    assert.equal(summary.tasksOnlyB, 1);
  }
});

test('a -ff set (named by its prefix) equals a -f log of the same program', () => {
  const prefix = log('split');
  straceTo(prefix, ['-ff'], prog);
  const files = readdirSync(dir).filter((n) => n.startsWith('split.'));
  assert.equal(files.length, 2, 'one file per process');
  const r = runDiff([base1, prefix]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('timestamps and durations are read and not compared (-tt, -ttt -T, -r, -t)', () => {
  for (const [name, flags] of [['tt', ['-f', '-tt']], ['tttT', ['-f', '-ttt', '-T']], ['r', ['-f', '-r']], ['t', ['-f', '-t']]] as const) {
    const timed = straceTo(log(`timed-${name}.log`), flags, prog);
    const r = runDiff([base1, timed]);
    assert.equal(r.status, 0, `${name}: ${r.stdout}${r.stderr}`);
  }
});

test('a log captured from stderr ([pid N] prefixes, notices) equals a -f -o log', () => {
  const captured = straceStderr(log('stderr.log'), ['-f'], prog);
  assert.match(readFileSync(captured, 'utf8'), /\[pid +\d+\] /);
  const r = runDiff([base1, captured]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('-y/-yy annotations are dropped by default and compared with --keep-fds', () => {
  const yy = straceTo(log('yy.log'), ['-f', '-yy'], prog);
  assert.equal(runDiff([base1, yy]).status, 0);
  const yy2 = straceTo(log('yy2.log'), ['-f', '-yy'], prog);
  assert.equal(runDiff(['--keep-fds', yy, yy2]).status, 0);
  assert.equal(runDiff(['--keep-fds', base1, yy]).status, 1);
});

test('-X verbose prints constants as numbers with their names: compared by name', () => {
  const verbose = straceTo(log('xverbose.log'), ['-f', '-X', 'verbose'], prog);
  assert.match(readFileSync(verbose, 'utf8'), /0x1 \/\* [A-Z_]+ \*\//);
  const r = runDiff([base1, verbose]);
  assert.equal(r.status, 0, r.stdout);
});

test('a -C summary table is skipped (said once); a -c log alone is not a trace', () => {
  const withTable = straceTo(log('C.log'), ['-f', '-C'], prog);
  const r = runDiff([base1, withTable]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /^tstrace diff: warning: .*C\.log: skipped a -c summary table\n$/);
  const onlyTable = straceTo(log('c.log'), ['-f', '-c'], prog);
  const r2 = runDiff([base1, onlyTable]);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /no syscall lines in it \(only a -c summary table/);
});

test('--stat counts per syscall', () => {
  const changed = log('changed.log');
  const r = runDiff(['--stat', base1, changed]);
  assert.equal(r.status, 1);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^syscall\s+added\s+removed\s+changed$/);
  assert.match(r.stdout, /\nwrite\s+0\s+0\s+1\n/);
  assert.match(r.stdout, /\ntotal\s+0\s+0\s+1\n/);
});

test('a killed run (last line cut after the call\'s name) is accepted with one warning', () => {
  const text = readFileSync(base1, 'utf8');
  const lines = text.split('\n');
  // Keep up to the child's write, cut inside its arguments, no newline at the end.
  const at = lines.findIndex((l) => l.includes('write(1, "child'));
  const cut = log('killed.log');
  writeFileSync(cut, lines.slice(0, at).join('\n') + '\n' + lines[at]!.slice(0, lines[at]!.indexOf('"child') + 3));
  const r = runDiff([base1, cut]);
  assert.equal(r.status, 1);
  const warnings = r.stderr.trim().split('\n');
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0]!, /^tstrace diff: warning: .*killed\.log:\d+: last line is cut short/);
});

test('bad input: one clear line on stderr and exit 2', () => {
  const empty = log('empty.log');
  writeFileSync(empty, '');
  const binary = log('binary.log');
  writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 10, 0]));
  const truncated = log('truncated.log');
  const text = readFileSync(base1, 'utf8');
  writeFileSync(truncated, text.slice(0, text.indexOf('\n', 200) + 4));
  const sqlite = log('run.db');
  writeFileSync(sqlite, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(100)]));
  const notALog = log('text.txt');
  writeFileSync(notALog, 'hello\nworld\n');
  const cases: Array<[string, string[], RegExp]> = [
    ['missing', [base1, log('missing.log')], /missing\.log: no such file/],
    ['empty', [empty, base1], /empty\.log: empty log/],
    ['binary', [base1, binary], /binary\.log: binary data/],
    ['truncated mid-line', [base1, truncated], /truncated\.log:\d+: truncated mid-line/],
    ['a directory', [dir, base1], /is a directory/],
    ['not a strace log', [notALog, base1], /not a strace log/],
    ['a file that is SQLite but not a recording', [base1, sqlite], /run\.db: not a recording/],
    ['one log only', [base1], /expected two logs/],
    ['unknown option', ['--frobnicate', base1, base2], /unknown option --frobnicate/],
    ['unknown class', ['--only', '%nosuch', base1, base2], /unknown trace class/],
  ];
  for (const [what, args, message] of cases) {
    const r = runDiff(args);
    assert.equal(r.status, 2, `${what}: status ${r.status} ${r.stdout} ${r.stderr}`);
    assert.equal(r.stdout, '', what);
    const lines = r.stderr.split('\n').filter((l) => l.length > 0);
    assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
    assert.match(lines[0]!, /^tstrace diff: /, what);
    assert.match(lines[0]!, message, what);
  }
});

test('--help prints the usage and exits 0', () => {
  const r = runDiff(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage: tstrace diff \[OPTIONS\] A B/);
});

test('colour: on with --color=always, never with NO_COLOR or a pipe', () => {
  const changed = log('changed.log');
  assert.ok(runDiff(['--color=always', base1, changed]).stdout.includes('\u001b['));
  assert.ok(!runDiff([base1, changed]).stdout.includes('\u001b['));
  assert.ok(!runDiff([base1, changed], { NO_COLOR: '1' }).stdout.includes('\u001b['));
});
