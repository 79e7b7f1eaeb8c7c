// -c and -C: strace's summary table, compared with the real strace's on the same x86_64 binary:
// the same header and rules, the same syscalls with the same call and error counts (times and
// so the row order differ between any two runs), and a total line that adds up.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturePath, freshDir, hasCommand, hostArch, makeTempDir, removeTempDir, runStrace, runTstrace } from './helpers/run.js';

const CLOCK_CALLS = new Set(['clock_gettime', 'clock_getres', 'gettimeofday', 'time']);
const skip = hostArch() !== 'x86_64' || !hasCommand('strace') ? 'needs an x86_64 host with strace' : false;

interface Table {
  header: string[];
  rows: Map<string, { calls: number; errors: number }>;
  total: { calls: number; errors: number };
}

function parseTable(text: string): Table {
  const lines = text.trimEnd().split('\n');
  const start = lines.findIndex((l) => l.startsWith('% time'));
  assert.ok(start >= 0, `no summary header in:\n${text}`);
  const header = lines.slice(start, start + 2);
  const rows = new Map<string, { calls: number; errors: number }>();
  let total = { calls: -1, errors: -1 };
  for (const l of lines.slice(start + 2)) {
    if (l.startsWith('------')) continue;
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d*)\s+(\S+)$/.exec(l);
    assert.ok(m, `summary row: ${JSON.stringify(l)}`);
    const row = { calls: Number(m[1]), errors: m[2] === '' ? 0 : Number(m[2]) };
    if (m[3] === 'total') total = row;
    else rows.set(m[3]!, row);
  }
  return { header, rows, total };
}

function withoutClocks(t: Table): Map<string, { calls: number; errors: number }> {
  return new Map([...t.rows].filter(([name]) => !CLOCK_CALLS.has(name)));
}

for (const [fixture, flag] of [['files', '-c'], ['memory', '-c'], ['files', '-C']] as const) {
  test(`${flag} on ${fixture}: tstrace's summary table matches strace's`, { skip }, () => {
    const base = makeTempDir('tstrace-summary-');
    try {
      const cwd = path.join(base, 'cwd');
      const a = path.join(base, 'a.txt');
      const b = path.join(base, 'b.txt');
      freshDir(cwd);
      runStrace([flag, '-o', a], fixturePath('x86_64', fixture), [], { cwd });
      freshDir(cwd);
      const r = runTstrace([flag, '-o', b, fixturePath('x86_64', fixture)], { cwd });
      assert.equal(r.status, 0, r.stderr);
      const ours = parseTable(fs.readFileSync(b, 'utf8'));
      const theirs = parseTable(fs.readFileSync(a, 'utf8'));
      assert.deepEqual(ours.header, theirs.header);
      assert.deepEqual(withoutClocks(ours), withoutClocks(theirs));
      const sum = [...ours.rows.values()].reduce((s, r2) => ({ calls: s.calls + r2.calls, errors: s.errors + r2.errors }), { calls: 0, errors: 0 });
      assert.deepEqual(ours.total, sum, 'the total line adds up the rows');
      if (flag === '-C') assert.match(fs.readFileSync(b, 'utf8'), /^write\(1, /m, '-C prints the trace too');
      else assert.doesNotMatch(fs.readFileSync(b, 'utf8'), /^write\(1, /m, '-c prints only the table');
    } finally {
      removeTempDir(base);
    }
  });
}
