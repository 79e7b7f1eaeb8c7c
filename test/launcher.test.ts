// dist/tstrace.js (src/cli/launcher.ts) compiles the bundle with V8's code cache made by
// scripts/bundle.sh. The cache only saves time: a cache made for another bundle, or bytes that
// are no cache at all, must give the same run as none. Each case runs a copy of the launcher
// and the bundle in a directory under build/ (so the bundle finds node_modules and vendor/
// above it, as from dist/), with its own cache file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureExists, fixturePath, freshDir, removeTempDir, repoRoot, run, cleanEnv } from './helpers/run.js';

const dist = path.join(repoRoot, 'dist');
const hello = fixturePath('aarch64', 'hello');
const ready = fixtureExists('aarch64', 'hello') && fs.existsSync(path.join(dist, 'tstrace.cjs'));

/** The bundle's identity as the cache header holds it (launcher.ts): size and mtime, LE doubles. */
function header(bundle: string): Buffer {
  const st = fs.statSync(bundle);
  const b = Buffer.alloc(16);
  b.writeDoubleLE(st.size, 0);
  b.writeDoubleLE(st.mtimeMs, 8);
  return b;
}

test('launcher: the shipped cache is for the shipped bundle', { skip: !ready && 'dist or the aarch64 hello fixture missing' }, () => {
  const cache = fs.readFileSync(path.join(dist, 'tstrace.cjs.cache'));
  assert.ok(cache.length > 100_000, `cache of ${cache.length} bytes: bundle.sh's traced run did not fill it`);
  assert.deepEqual(cache.subarray(0, 16), header(path.join(dist, 'tstrace.cjs')));
});

test('launcher: a cache of another bundle, garbage, or none give the same run', { skip: !ready && 'dist or the aarch64 hello fixture missing' }, (t) => {
  const dir = freshDir(path.join(repoRoot, 'build', 'launcher-test', String(process.pid)));
  t.after(() => removeTempDir(path.dirname(dir)));
  const bundle = path.join(dir, 'tstrace.cjs');
  fs.copyFileSync(path.join(dist, 'tstrace.js'), path.join(dir, 'tstrace.js'));
  fs.copyFileSync(path.join(dist, 'tstrace.cjs'), bundle);
  const shipped = fs.readFileSync(path.join(dist, 'tstrace.cjs.cache'));
  const trace = (env: Record<string, string> = {}) =>
    run(process.execPath, [path.join(dir, 'tstrace.js'), '-e', 'trace=write,exit_group', hello], { cwd: dir, env: cleanEnv(env) });
  const want = 'write(1, "hello, world\\n", 13)          = 13\nexit_group(0)                           = ?\n+++ exited with 0 +++\n';
  const cases: [string, Buffer | null, Record<string, string>][] = [
    ['no cache file', null, {}],
    ['the shipped cache, stamped for this copy', Buffer.concat([header(bundle), shipped.subarray(16)]), {}],
    ['the shipped cache with the header of another bundle', shipped, {}],
    ['garbage stamped for this copy', Buffer.concat([header(bundle), Buffer.alloc(4096, 0x5a)]), {}],
    ['a header alone', header(bundle), {}],
    ['TSTRACE_CODE_CACHE=off beside a good cache', Buffer.concat([header(bundle), shipped.subarray(16)]), { TSTRACE_CODE_CACHE: 'off' }],
  ];
  for (const [what, cache, env] of cases) {
    const cacheFile = `${bundle}.cache`;
    fs.rmSync(cacheFile, { force: true });
    if (cache !== null) fs.writeFileSync(cacheFile, cache);
    const r = trace(env);
    assert.equal(r.status, 0, `${what}: ${r.stderr}`);
    assert.equal(r.stdout, 'hello, world\n', what);
    assert.equal(r.stderr, want, what);
  }
  // A run that writes the cache stamps it for the bundle beside it.
  fs.rmSync(`${bundle}.cache`, { force: true });
  assert.equal(trace({ TSTRACE_CODE_CACHE: 'write' }).status, 0);
  const made = fs.readFileSync(`${bundle}.cache`);
  assert.deepEqual(made.subarray(0, 16), header(bundle));
  assert.ok(made.length > 100_000);
});
