// The root filesystem's gdb (Debian bookworm arm64, scripts/fetch-rootfs.sh) with hardware
// breakpoints and watchpoints inside tstrace: `hbreak` arms NT_ARM_HW_BREAK, `watch -l` on a
// stack slot NT_ARM_HW_WATCH, and gdb reports both hits. Skips itself without the root.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, describeEnd, makeTempDir, removeTempDir, repoRoot, runTstrace, tail, type RunResult } from './helpers/run.js';

const ROOT = path.join(repoRoot, 'vendor', 'rootfs', 'aarch64');
const TARGET = path.join(repoRoot, 'build', 'fixtures', 'aarch64', 'gdb_target');
const TIMEOUT_MS = 240_000;
// gdb starts the program through $SHELL: the root's bash.
const ENV = cleanEnv({ PATH: '/usr/bin:/bin', HOME: '/nonexistent', SHELL: '/bin/bash' });
const skip = !fs.existsSync(path.join(ROOT, 'usr', 'bin', 'gdb')) ? `no gdb in ${ROOT}: run scripts/fetch-rootfs.sh`
  : !fs.existsSync(TARGET) ? `no ${TARGET}: run scripts/build-fixtures.sh` : false;

function context(r: RunResult): string {
  return `${r.command}\n--- ${describeEnd(r)}; stdout (tail):\n${tail(r.stdout)}\n--- stderr (tail):\n${tail(r.stderr)}`;
}

test('rootfs aarch64: the root\'s gdb stops at a hardware breakpoint and a hardware watchpoint inside tstrace', { skip, timeout: TIMEOUT_MS + 10_000 }, () => {
  const gdbArgs = ['-nx', '-batch', '-ex', 'break main', '-ex', 'run', '-ex', 'hbreak add', '-ex', 'continue', '-ex', 'delete',
    '-ex', 'watch -l *(int *)($sp - 16)', '-ex', 'continue', '-ex', 'delete', '-ex', 'continue', TARGET];
  const dir = makeTempDir('tstrace-rootfs-gdb-hw-');
  try {
    const t = runTstrace(['-o', '/dev/null', '--sysroot', ROOT, '/usr/bin/gdb', ...gdbArgs], { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
    assert.equal(describeEnd(t), 'exit 0', context(t));
    assert.match(t.stdout, /^Hardware assisted breakpoint 2 at 0x[0-9a-f]+: file test\/fixtures\/gdb_target\.c, line \d+\.$/m, context(t));
    assert.match(t.stdout, /^Breakpoint 2, add \(/m, context(t));
    assert.match(t.stdout, /^Hardware watchpoint 3: -location \*\(int \*\)\(\$sp - 16\)$/m, context(t));
    assert.match(t.stdout, /^Old value = -?\d+\nNew value = -?\d+$/m, context(t));
    assert.match(t.stdout, /exited normally/, context(t));
  } finally {
    removeTempDir(dir);
  }
});
