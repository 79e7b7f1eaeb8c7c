// Limits of the emulator that Linux does not have, answered the way Linux answers running out:
// an error to the guest, never a crash of tstrace.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ORACLE_ARCHES, describeEnd, fixturePath, javascriptErrorLines, makeTempDir, removeTempDir, runTstrace, tail } from './helpers/run.js';

for (const arch of ORACLE_ARCHES) {
  test(`${arch}: past the emulator's region budget, mmap says ENOMEM and the program goes on`, () => {
    const cwd = makeTempDir('tstrace-regions-');
    try {
      const r = runTstrace(['-o', '/dev/null', fixturePath(arch, 'many_regions'), '3000'], { cwd, timeoutMs: 120_000 });
      const ctx = `${describeEnd(r)}\n${tail(r.stdout)}\n${tail(r.stderr)}`;
      assert.deepEqual(javascriptErrorLines(r.stderr), [], ctx);
      assert.equal(describeEnd(r), 'exit 0', ctx);
      const m = /^mapped (\d+) of 3000; first error (\S+)$/m.exec(r.stdout);
      assert.ok(m, ctx);
      // Unicorn aborts the whole process at its 1,024th region on aarch64: the budget sits below.
      assert.equal(m[2], 'ENOMEM', ctx);
      const mapped = Number(m[1]);
      assert.ok(mapped > 500 && mapped < 1024, `mapped ${mapped}`);
      assert.match(r.stdout, /^ok {3}every mapped page holds what was written$/m);
    } finally {
      removeTempDir(cwd);
    }
  });
}
