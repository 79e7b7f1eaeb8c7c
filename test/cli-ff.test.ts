// -ff: one trace file per process, FILE.PID, with no pid prefix inside; compared with the real
// strace -ff on the same x86_64 binary.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffStraceTexts } from '../src/diff/api.js';
import { fixturePath, freshDir, hasCommand, hostArch, makeTempDir, removeTempDir, runStrace, runTstrace } from './helpers/run.js';

const skip = hostArch() !== 'x86_64' || !hasCommand('strace') ? 'needs an x86_64 host with strace' : false;

/** The FILE.PID files a -ff run wrote for prefix FILE. */
function perProcessFiles(dir: string, prefix: string): string[] {
  return fs.readdirSync(dir).filter((n) => new RegExp(`^${prefix}\\.\\d+$`).test(n)).map((n) => path.join(dir, n));
}

test('-ff -o FILE writes FILE.PID like strace, and its lines match strace\'s', { skip }, () => {
  const base = makeTempDir('tstrace-ff-');
  try {
    const cwd = path.join(base, 'cwd');
    freshDir(cwd);
    runStrace(['-ff', '-o', path.join(base, 'a')], fixturePath('x86_64', 'readiness'), [], { cwd });
    freshDir(cwd);
    const r = runTstrace(['-ff', '-o', path.join(base, 'b'), fixturePath('x86_64', 'readiness')], { cwd });
    assert.equal(r.status, 0, r.stderr);
    const a = perProcessFiles(base, 'a');
    const b = perProcessFiles(base, 'b');
    assert.equal(a.length, 1);
    assert.equal(b.length, 1, `tstrace wrote ${fs.readdirSync(base).join(', ')}`);
    assert.ok(!fs.existsSync(path.join(base, 'b')), 'no plain FILE besides FILE.PID');
    const ours = fs.readFileSync(b[0]!, 'utf8');
    assert.match(ours, /^execve\(/, 'no pid prefix inside a -ff file');
    const d = diffStraceTexts(fs.readFileSync(a[0]!, 'utf8'), ours, { ignore: ['clock_gettime', 'clock_getres', 'gettimeofday', 'time'] });
    assert.ok(d.equal, d.text);
  } finally {
    removeTempDir(base);
  }
});
