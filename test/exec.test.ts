// execve inside the guest. The program's behaviour does not depend on the CPU, so the aarch64
// and riscv64 builds under tstrace must print exactly what the x86_64 build prints running natively (qemu-user
// cannot be the oracle: it cannot execve a foreign binary without binfmt_misc). The x86_64 build
// is covered by the qemu and strace oracles (test/helpers/fixtures.ts).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describeEnd, fixturePath, freshDir, hostArch, makeTempDir, removeTempDir, run, runTstrace } from './helpers/run.js';

for (const arch of ['aarch64', 'riscv64'] as const) test(`${arch} execve under tstrace behaves as the native x86_64 program`, { skip: hostArch() === 'x86_64' ? false : 'needs an x86_64 host' }, () => {
  const base = makeTempDir('tstrace-exec-');
  try {
    const cwd = path.join(base, 'cwd');
    freshDir(cwd);
    const native = run(fixturePath('x86_64', 'exec_self'), [], { cwd });
    freshDir(cwd);
    const ours = runTstrace(['-o', path.join(base, 'trace.txt'), fixturePath(arch, 'exec_self')], { cwd });
    assert.equal(describeEnd(native), 'exit 7', native.stdout);
    assert.equal(describeEnd(ours), describeEnd(native), ours.stderr);
    assert.equal(ours.stdout, native.stdout);
    assert.match(ours.stdout, /^child: argc=3 argv\[2\]=second env=TSTRACE_EXEC=1$/m);
  } finally {
    removeTempDir(base);
  }
});
