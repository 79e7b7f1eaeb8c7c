// The recorder writes real SQLite rows for a real emulated run, fed by the kernel's two
// observation points (syscall exit, kernel writes into guest memory).
import test from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Kernel } from '../src/kernel/kernel.js';
import { Recorder } from '../src/recorder/recorder.js';
import { SyscallRowSchema, MemoryWriteRowSchema } from '../schemas/recording.js';
import { unicornVersion } from '../packages/unicorn-engine-ts/src/index.js';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;

test('a recorded aarch64 run holds its syscalls and the bytes the kernel wrote', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tstrace-rec-'));
  const db = join(dir, 'run.db');
  const kernel = new Kernel();
  const prog = join(root, 'build/fixtures/aarch64/identity');
  // The guest's stdout goes to /dev/null: this process's stdout carries the test runner's TAP.
  const devnull = openSync('/dev/null', 'w');
  const group = kernel.spawn({ path: prog, argv: [prog], envp: [], stdio: [devnull, devnull, devnull] });
  closeSync(devnull);
  const rec = new Recorder(db, { format: 1, arch: 'aarch64', program: prog, unicorn: unicornVersion().text });
  kernel.onSyscallExit = (task, nr, ret) => {
    const call = task.syscall!;
    rec.syscall(task.tid, nr, group.arch.syscallNames.get(nr) ?? `syscall_${nr}`, call.args, ret);
  };
  group.mm.writeObserver = (addr, data) => rec.memoryWrite(addr, data);
  const end = kernel.run(group);
  rec.close();
  kernel.release(group);
  assert.deepEqual(end, { kind: 'exited', code: 0 });

  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const read = new Database(db, { readonly: true });
  const calls = read.prepare('SELECT * FROM syscalls ORDER BY seq').all().map((r) => SyscallRowSchema.parse(r));
  const names = calls.map((c) => c.name);
  assert.ok(names.includes('uname') && names.includes('getrandom') && names.includes('write'), names.join(' '));
  // exit_group never returns, so it is not a completed row.
  assert.ok(!names.includes('exit_group'));
  const uname = calls.find((c) => c.name === 'uname')!;
  const writes = read.prepare('SELECT * FROM memory_writes WHERE seq = ?').all(uname.seq).map((r) => MemoryWriteRowSchema.parse(r));
  assert.equal(writes.length, 1);
  assert.equal(writes[0]!.data.length, 390);
  assert.equal(Buffer.from(writes[0]!.data.subarray(0, 5)).toString(), 'Linux');
  assert.equal(Buffer.from(writes[0]!.data.subarray(260, 267)).toString(), 'aarch64');
  read.close();
});
