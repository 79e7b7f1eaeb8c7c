// tstrace's own process as Linux sees it while it runs guests. Unicorn marks each engine's
// translation buffer MADV_HUGEPAGE; tstrace opens one engine per guest address space and asks
// for no transparent huge pages (PR_SET_THP_DISABLE, packages/unicorn-engine-ts/src/library.ts),
// which /proc/PID/status shows as `THP_enabled: 0`. TSTRACE_THP=on leaves them as they were.
// The guest (bench_threads hold 8) forks 8 children that stay alive until a line on stdin.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cleanEnv, fixtureExists, fixturePath, tstraceMain } from './helpers/run.js';

const ready = fixtureExists('aarch64', 'bench_threads');

/** The `THP_enabled` line of tstrace's /proc/PID/status once its guest's children live. */
function thpWhileRunning(env: Record<string, string>): Promise<{ thp: string; stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tstraceMain, '-f', '-o', '/dev/null', fixturePath('aarch64', 'bench_threads'), 'hold', '8'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: cleanEnv(env),
    });
    let out = '';
    let thp: string | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (thp === undefined && out.includes('\n')) {
        thp = /^THP_enabled:\s*(\d+)$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'latin1'))?.[1] ?? 'missing';
        child.stdin.end('go\n');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ thp: thp ?? 'never ready', stdout: out, code });
    });
  });
}

test('host process: no transparent huge pages while guests run; TSTRACE_THP=on keeps them', { skip: !ready && 'bench_threads fixture missing' }, async () => {
  const off = await thpWhileRunning({});
  assert.equal(off.code, 0);
  assert.equal(off.stdout, '8 children live\n');
  assert.equal(off.thp, '0');
  const on = await thpWhileRunning({ TSTRACE_THP: 'on' });
  assert.equal(on.code, 0);
  // The machine's setting: 1 unless the host itself disabled THP for this process tree.
  assert.equal(on.thp, /^THP_enabled:\s*(\d+)$/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1]);
});
