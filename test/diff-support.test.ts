// Shared by the diff-*.test.ts files: the fixture program, real strace runs, and running
// `tstrace diff` as a child process. (Named *.test.ts to stay among the diff tests' files; its
// own test checks that the set-up it offers works.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tstrace-diff-'));
}

/** The x86_64 build of a fixture: from the set-up's build/, or compiled here on demand. */
export function fixture(name: string, dir: string): string {
  const built = join(ROOT, 'build/fixtures/x86_64', name);
  if (existsSync(built)) return built;
  const out = join(dir, name);
  if (!existsSync(out)) {
    const r = spawnSync('gcc', ['-static', '-O1', '-o', out, join(ROOT, 'test/fixtures', `${name}.c`)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gcc ${name}: ${r.stderr}`);
  }
  return out;
}

/** The same environment for every run, so the execve line's "/* N vars *\/" matches. */
function env(variant: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', DIFF_VARIANT: variant };
}

/** Runs the program under the real strace with these flags; returns the -o target. */
export function straceTo(out: string, flags: readonly string[], program: string, variant = 'base'): string {
  const r = spawnSync('strace', [...flags, '-o', out, program], { env: env(variant), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.error !== undefined) throw r.error;
  return out;
}

/** Runs the program under strace with its log going to stderr, captured into `out`. */
export function straceStderr(out: string, flags: readonly string[], program: string, variant = 'base'): string {
  const r = spawnSync('strace', [...flags, program], { env: env(variant), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.error !== undefined) throw r.error;
  writeFileSync(out, r.stderr);
  return out;
}

export interface DiffRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `tstrace diff ARGS` in a child process, through runDiffCommand. */
export function runDiff(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): DiffRun {
  const cli = join(ROOT, 'dist/src/diff/cli.js');
  const code = `import { runDiffCommand } from ${JSON.stringify(cli)}; process.exitCode = await runDiffCommand(process.argv.slice(1));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, '--', ...args], {
    encoding: 'utf8', env: { ...process.env, ...extraEnv }, maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('support: the fixture builds and strace traces it', () => {
  const dir = tempDir();
  const log = straceTo(join(dir, 'x.log'), ['-f'], fixture('diff_prog', dir));
  assert.ok(existsSync(log));
});
