// riscv64's decoding against the other builds of the same program: a fixture whose calls do not
// depend on the CPU, traced by tstrace from the same path for each architecture, gives the same
// trace on riscv64 as on x86_64 (whose traces test/oracle-strace.test.ts compares with the real
// strace), once the diff engine folds the x86_64 spellings (--cross-arch); where the program
// itself makes x86_64-only calls, the riscv64 trace is compared with aarch64's, its asm-generic
// twin. glibc's start-up rseq registration is left out of the x86_64 and aarch64 traces: the
// riscv64 glibc (2.36) makes none.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffStraceTexts } from '../src/diff/api.js';
import { fixtureExists, fixturePath, freshDir, makeTempDir, removeTempDir, runTstrace, type Arch } from './helpers/run.js';

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The build riscv64's trace must equal. */
  readonly against: Arch;
}

const CASES: readonly Case[] = [
  { name: 'signals', args: [], against: 'x86_64' },
  { name: 'bad_pointers', args: [], against: 'x86_64' },
  { name: 'abort', args: [], against: 'x86_64' },
  { name: 'segv_null', args: [], against: 'x86_64' },
  { name: 'segv_ro', args: [], against: 'x86_64' },
  { name: 'kill_self', args: [], against: 'x86_64' },
  { name: 'sigbus', args: ['shared'], against: 'x86_64' },
  { name: 'sigbus', args: ['truncate'], against: 'x86_64' },
  // (spec_calls: test/spec-calls.test.ts.) The programs' paths differ on x86_64 here: getdents
  // and futimesat exist only there, and its glibc refuses mremap's unknown flag without a call.
  { name: 'memory', args: [], against: 'aarch64' },
  { name: 'more_calls', args: [], against: 'aarch64' },
];

const work = makeTempDir('tstrace-cross-arch-');
test.after(() => removeTempDir(work));

/** tstrace's trace of the build for `arch`, run as <work>/bin/<name> in a fresh <work>/cwd. */
function traceOf(arch: Arch, c: Case): string {
  const bin = path.join(work, 'bin', c.name);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  fs.copyFileSync(fixturePath(arch, c.name), bin);
  fs.chmodSync(bin, 0o755);
  const cwd = freshDir(path.join(work, 'cwd'));
  const out = path.join(work, `${arch}.trace`);
  runTstrace(['-o', out, bin, ...c.args], { cwd });
  const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  return arch === 'riscv64' ? text : text.replace(/^rseq\(0x[0-9a-f]+, 0x20, 0, 0x[0-9a-f]+\) += 0\n/m, '');
}

for (const c of CASES) {
  const id = [c.name, ...c.args].join(' ');
  const skip = !fixtureExists('riscv64', c.name) || !fixtureExists(c.against, c.name) ? 'fixtures not built' : false;
  test(`${id}: the riscv64 trace is the ${c.against} one${c.against === 'x86_64' ? ' modulo the architecture' : ''}`, { skip, timeout: 120_000 }, () => {
    const theirs = traceOf(c.against, c);
    const ours = traceOf('riscv64', c);
    assert.match(ours, /^execve\(/, 'riscv64 trace written');
    const d = diffStraceTexts(theirs, ours, { crossArch: c.against === 'x86_64' });
    assert.ok(d.equal, d.text);
  });
}
