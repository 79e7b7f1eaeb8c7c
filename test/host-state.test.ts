// Host state as Linux shows it (build/fixtures/<arch>/host_state): a program cannot open its
// own running executable for writing (ETXTBSY, by /proc/self/exe and by argv[0]; the file
// stays intact), and it inherits the descriptors beyond 0-2 that tstrace was started with
// (here 7, a regular file, and 9, /dev/null), as strace and qemu-user pass them. tstrace's
// stdout, for both builds, must equal the native run's of the x86_64 build, started the same
// way. (qemu-user is no oracle here: it lets the program truncate its own running binary.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, fixtureExists, fixturePath, hostArch, makeTempDir, removeTempDir, tstraceMain, type Arch } from './helpers/run.js';

/** Runs cmd with fd 7 = a file holding "seven", fd 9 = /dev/null; nothing else above 2. */
function runWithFds(dir: string, cmd: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const file = path.join(dir, 'seven.txt');
  fs.writeFileSync(file, 'seven\n');
  const f7 = fs.openSync(file, 'r');
  const f9 = fs.openSync('/dev/null', 'r');
  try {
    const stdio = ['ignore', 'pipe', 'pipe', 'ignore', 'ignore', 'ignore', 'ignore', f7, 'ignore', f9] as const;
    const r = spawnSync(cmd, args, { cwd: dir, env: cleanEnv(), stdio: [...stdio], encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  } finally {
    fs.closeSync(f7);
    fs.closeSync(f9);
  }
}


for (const arch of ['x86_64', 'aarch64', 'riscv64'] as Arch[]) {
  const prog = fixturePath(arch, 'host_state');
  const native = fixturePath('x86_64', 'host_state');
  const runnable = hostArch() === 'x86_64' && fixtureExists(arch, 'host_state') && fixtureExists('x86_64', 'host_state');
  test(`host_state (${arch}): ETXTBSY on its own executable, descriptors 7 and 9 inherited, as natively`, { skip: !runnable }, () => {
    const dir = makeTempDir('tstrace-host-state-');
    try {
      const size = fs.statSync(prog).size;
      const want = runWithFds(dir, native, ['7', '9']);
      const got = runWithFds(dir, process.execPath, [tstraceMain, '-o', path.join(dir, 'trace.txt'), prog, '7', '9']);
      assert.equal(want.status, 0, `oracle: ${want.stdout}${want.stderr}`);
      assert.equal(got.stdout, want.stdout, got.stderr);
      assert.equal(got.status, 0);
      assert.match(got.stdout, /^ok   open argv\[0\] O_WRONLY\|O_TRUNC: ETXTBSY$/m);
      assert.match(got.stdout, /^ok   fd 7 reads 6 bytes: seven$/m);
      assert.equal(fs.statSync(prog).size, size, 'the binary is intact');
      const trace = fs.readFileSync(path.join(dir, 'trace.txt'), 'utf8');
      assert.match(trace, /openat\(AT_FDCWD, "\/proc\/self\/exe", O_WRONLY\) = -1 ETXTBSY \(Text file busy\)/);
      assert.match(trace, /fstat\(7, \{st_mode=S_IFREG\|0644, st_size=6, \.\.\.\}\) = 0|newfstatat\(7, "", \{st_mode=S_IFREG/);
    } finally {
      removeTempDir(dir);
    }
  });
}
