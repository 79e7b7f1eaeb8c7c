// The README's syscall support table is generated from the kernel's registry; this fails when
// a syscall was added or changed without regenerating it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { withTable, supportTable } from '../src/docs/support-table.js';
import { SYSCALL_TABLE } from '../src/kernel/syscalls/table.js';

const readmeUrl = new URL('../../README.md', import.meta.url);

test('README support table matches the kernel registry', () => {
  const readme = readFileSync(readmeUrl, 'utf8');
  assert.equal(readme, withTable(readme), 'run: node dist/src/docs/support-table.js --write');
});

test('every implemented syscall has a row, and rows name only implemented syscalls', () => {
  const rows = supportTable().split('\n').slice(2).filter((l) => l.startsWith('| ')).map((l) => l.split('|')[1]!.trim());
  assert.deepEqual(rows, Object.keys(SYSCALL_TABLE).sort());
  assert.ok(rows.includes('openat') && rows.includes('mmap') && rows.includes('rt_sigaction'));
});
