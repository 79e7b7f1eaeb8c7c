// Loading libunicorn: the version check and the errors for a missing or wrong library.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { libraryPath, unicornVersion } from '../src/index.js';

const INDEX = fileURLToPath(new URL('../src/index.js', import.meta.url));

/** Runs a child node that opens an engine with TSTRACE_UNICORN_LIB=lib; returns its report. */
function openWith(lib: string): { name: string; message: string } {
  const script = `
    const m = await import(${JSON.stringify(INDEX)});
    try { m.Engine.open(m.UC_ARCH_ARM64, m.UC_MODE_ARM); console.log(JSON.stringify({ name: 'none', message: '' })); }
    catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message, isLoadError: e instanceof m.UnicornLoadError })); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TSTRACE_UNICORN_LIB: lib },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { name: string; message: string; isLoadError: boolean };
  assert.equal(out.isLoadError, true, `expected a UnicornLoadError, got ${out.name}: ${out.message}`);
  return out;
}

test('the library is Unicorn 2.1.x, loaded from vendor/ by absolute path', () => {
  const v = unicornVersion();
  assert.equal(v.major, 2);
  assert.equal(v.minor, 1);
  assert.equal(v.text, `2.1.${v.patch}`);
  if (process.env['TSTRACE_UNICORN_LIB'] === undefined) {
    assert.match(libraryPath(), /^\/.*\/vendor\/unicorn\/usr\/lib\/x86_64-linux-gnu\/libunicorn\.so\.2$/);
  }
});

test('a missing library is a UnicornLoadError naming the path and the set-up script', () => {
  const err = openWith('/nonexistent/libunicorn.so.2');
  assert.match(err.message, /\/nonexistent\/libunicorn\.so\.2/);
  assert.match(err.message, /bash scripts\/setup\.sh/);
  assert.doesNotMatch(err.message, /\n/);
});

test('a library that is not 2.1.x is refused with a one-line UnicornLoadError', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'uc-fake-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A stand-in for bookworm's libunicorn 2.0.1: uc_version reports 0x020001ff.
  writeFileSync(join(dir, 'fake.c'), 'unsigned int uc_version(unsigned int *a, unsigned int *b) { if (a) *a = 2; if (b) *b = 0; return 0x020001ffu; }\n');
  try {
    execFileSync('gcc', ['-shared', '-fPIC', '-o', join(dir, 'libunicorn.so.2'), join(dir, 'fake.c')], { stdio: 'pipe' });
  } catch {
    t.skip('gcc is not available to build a fake library');
    return;
  }
  const err = openWith(join(dir, 'libunicorn.so.2'));
  assert.match(err.message, /Unicorn 2\.0\.1; tstrace needs 2\.1\.x/);
  assert.doesNotMatch(err.message, /\n/);
});

test('a file that is not a library is a UnicornLoadError', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'uc-bad-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'libunicorn.so.2'), 'not an ELF file\n');
  const err = openWith(join(dir, 'libunicorn.so.2'));
  assert.match(err.message, /cannot load libunicorn at .*libunicorn\.so\.2/);
  assert.doesNotMatch(err.message, /\n/);
});
