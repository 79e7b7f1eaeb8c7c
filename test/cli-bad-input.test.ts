// Bad input to the CLI: each case gives exactly one line on stderr, starting with "tstrace: ",
// no JavaScript stack trace, nothing on stdout, and its own exit code (the project's choice,
// sysexits-flavoured):
//   64 unknown flag (the line starts as strace's: "tstrace: unrecognized option '--bogus'"; a
//      hint may follow on the same line, or on a second line as strace's "Try 'tstrace -h' for
//      more information.")
//   66 the program does not exist
//   67 the program is a directory
//   68 not an ELF file (a text file)
//   69 an empty or truncated ELF (0 bytes; cut inside the ELF header; the first 100 bytes of a
//      real ELF; cut inside its last program header)
//   70 an ELF that is 32-bit or big-endian (EI_CLASS / EI_DATA flipped in a copy)
//   71 an ELF for an unsupported machine (e_machine patched to 8, MIPS)
// The crafted files are patched copies of the x86_64 and aarch64 hello fixtures.
import test from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  fixtureExists,
  fixturePath,
  javascriptErrorLines,
  makeTempDir,
  removeTempDir,
  runTstrace,
  tstraceMain,
  type Arch,
  type RunResult,
} from './helpers/run.js';

let work = '';
test.before(() => {
  work = makeTempDir('tstrace-bad-input-');
});
test.after(() => {
  if (work) removeTempDir(work);
});

function tstrace(args: string[]): RunResult {
  assert.ok(fs.existsSync(tstraceMain), `missing ${tstraceMain}: run npx tsc -p tsconfig.json`);
  return runTstrace(args, { cwd: work, timeoutMs: 30_000 });
}

function stderrLines(r: RunResult): string[] {
  return r.stderr.split('\n').filter((l) => l.length > 0);
}

/** One "tstrace: " line, no stack, nothing on stdout, the given exit code. */
function assertOneLineError(r: RunResult, code: number): void {
  const lines = stderrLines(r);
  const ctx = `${r.command}\nexit ${r.status} signal ${r.signal}\nstderr:\n${r.stderr}`;
  assert.deepEqual(javascriptErrorLines(r.stderr), [], `JavaScript error output\n${ctx}`);
  assert.doesNotMatch(r.stderr, /^ {4}at /m, `stack trace\n${ctx}`);
  assert.equal(lines.length, 1, `exactly one stderr line\n${ctx}`);
  assert.match(lines[0]!, /^tstrace: \S/, `starts with "tstrace: "\n${ctx}`);
  assert.equal(r.stdout, '', `nothing on stdout\n${ctx}`);
  assert.equal(r.signal, null, `killed by a signal\n${ctx}`);
  assert.equal(r.status, code, `exit code\n${ctx}`);
}

function hello(arch: Arch): Buffer {
  assert.ok(fixtureExists(arch, 'hello'), `missing ${fixturePath(arch, 'hello')}: run scripts/build-fixtures.sh`);
  return fs.readFileSync(fixturePath(arch, 'hello'));
}

/** Writes a (possibly patched) copy, executable, and returns its path. */
function craft(name: string, bytes: Buffer, patch?: (b: Buffer) => void): string {
  const copy = Buffer.from(bytes);
  patch?.(copy);
  const p = path.join(work, name);
  fs.writeFileSync(p, copy, { mode: 0o755 });
  return p;
}

test('unknown flag --bogus: exit 64, strace-like message', () => {
  const r = tstrace(['--bogus', fixturePath('x86_64', 'hello')]);
  const lines = stderrLines(r);
  const ctx = `${r.command}\nexit ${r.status}\nstderr:\n${r.stderr}`;
  assert.deepEqual(javascriptErrorLines(r.stderr), [], `JavaScript error output\n${ctx}`);
  assert.doesNotMatch(r.stderr, /^ {4}at /m, `stack trace\n${ctx}`);
  // strace's words, "strace: unrecognized option '--bogus'", then a hint line "Try 'strace -h'
  // for more information.": the same line (a hint may follow on it), or strace's two lines.
  assert.ok(lines[0]?.startsWith("tstrace: unrecognized option '--bogus'"), ctx);
  assert.ok(lines.length === 1 || (lines.length === 2 && lines[1] === "Try 'tstrace -h' for more information."), ctx);
  assert.equal(lines.filter((l) => l.startsWith('tstrace: ')).length, 1, ctx);
  assert.equal(r.stdout, '', ctx);
  assert.equal(r.status, 64, ctx);
});

test('missing program: exit 66', () => {
  const missing = path.join(work, 'no-such-program');
  assertOneLineError(tstrace(['-o', '/dev/null', missing]), 66);
});

test('program is a directory: exit 67', () => {
  const dir = path.join(work, 'a-directory');
  fs.mkdirSync(dir, { recursive: true });
  assertOneLineError(tstrace(['-o', '/dev/null', dir]), 67);
});

test('not an ELF (a text file, not a #! script): exit 68', () => {
  const p = craft('text-file', Buffer.from('echo this is not an ELF file\n'));
  assertOneLineError(tstrace(['-o', '/dev/null', p]), 68);
});

test('not an ELF (random bytes that start with E): exit 68', () => {
  const p = craft('not-elf', Buffer.from('ELF?\x7fELF\x02\x01\x01 but not at offset 0, padded out to more than sixty-four bytes........'));
  assertOneLineError(tstrace(['-o', '/dev/null', p]), 68);
});

test('empty file: exit 69', () => {
  const p = craft('empty', Buffer.alloc(0));
  assertOneLineError(tstrace(['-o', '/dev/null', p]), 69);
});

for (const arch of ['x86_64', 'aarch64', 'riscv64'] as const) {
  test(`truncated ELF (${arch}): cut inside the ELF header: exit 69`, () => {
    const p = craft(`cut-header-${arch}`, hello(arch).subarray(0, 40));
    assertOneLineError(tstrace(['-o', '/dev/null', p]), 69);
  });

  test(`truncated ELF (${arch}): first 100 bytes: exit 69`, () => {
    const p = craft(`first-100-${arch}`, hello(arch).subarray(0, 100));
    assertOneLineError(tstrace(['-o', '/dev/null', p]), 69);
  });

  test(`truncated ELF (${arch}): cut inside its last program header: exit 69`, () => {
    const full = hello(arch);
    const phoff = Number(full.readBigUInt64LE(32));
    const phentsize = full.readUInt16LE(54);
    const phnum = full.readUInt16LE(56);
    assert.ok(phnum > 1 && phentsize === 56, 'a sane ELF64 to cut');
    const end = phoff + phentsize * phnum - 10;
    const p = craft(`cut-phdrs-${arch}`, full.subarray(0, end));
    assertOneLineError(tstrace(['-o', '/dev/null', p]), 69);
  });

  test(`32-bit ELF (${arch}, EI_CLASS = ELFCLASS32): exit 70`, () => {
    const p = craft(`elf32-${arch}`, hello(arch), (b) => {
      b[4] = 1;
    });
    assertOneLineError(tstrace(['-o', '/dev/null', p]), 70);
  });

  test(`big-endian ELF (${arch}, EI_DATA = ELFDATA2MSB): exit 70`, () => {
    const p = craft(`elf-be-${arch}`, hello(arch), (b) => {
      b[5] = 2;
    });
    assertOneLineError(tstrace(['-o', '/dev/null', p]), 70);
  });

  test(`unsupported machine (${arch} copy, e_machine = 8 MIPS): exit 71`, () => {
    const p = craft(`mips-${arch}`, hello(arch), (b) => {
      b.writeUInt16LE(8, 18);
    });
    assertOneLineError(tstrace(['-o', '/dev/null', p]), 71);
  });
}

test('a program without execute permission: exit 73', () => {
  const p = craft('no-exec', hello('aarch64'));
  fs.chmodSync(p, 0o644);
  assertOneLineError(tstrace(['-o', '/dev/null', p]), 73);
});

test('an -o file that cannot be created: exit 76', () => {
  assertOneLineError(tstrace(['-o', path.join(work, 'no-such-dir', 'trace.txt'), fixturePath('aarch64', 'hello')]), 76);
});

test('a dynamically linked program runs (its loader from the host); a missing loader: exit 79, naming it', () => {
  const src = path.join(work, 'dyn.c');
  fs.writeFileSync(src, 'int main(void) { return 0; }\n');
  const out = path.join(work, 'dyn');
  const cc = spawnSync('gcc', ['-o', out, src]);
  assert.equal(cc.status, 0, String(cc.stderr));
  const ok = tstrace(['-o', '/dev/null', out]);
  assert.equal(ok.status, 0, ok.stderr);
  const bytes = fs.readFileSync(out);
  const interp = Buffer.from('/lib64/ld-linux-x86-64.so.2\0');
  const at = bytes.indexOf(interp);
  assert.ok(at > 0, 'PT_INTERP string');
  Buffer.from('/lib64/ld-tstrace-missing.s').copy(bytes, at);
  fs.writeFileSync(out, bytes, { mode: 0o755 });
  const r = tstrace(['-o', '/dev/null', out]);
  assertOneLineError(r, 79);
  assert.match(r.stderr, /dynamic loader \/lib64\/ld-tstrace-missing\.s not found/);
});

test('the crafted inputs are what they claim (sanity of this test file)', () => {
  const x = hello('x86_64');
  assert.deepEqual([...x.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], 'ELF magic');
  assert.equal(x[4], 2, 'ELFCLASS64');
  assert.equal(x[5], 1, 'ELFDATA2LSB');
  assert.equal(x.readUInt16LE(18), 62);
  assert.equal(hello('aarch64').readUInt16LE(18), 183, 'EM_AARCH64');
});
