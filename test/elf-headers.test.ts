// Program headers checked as Linux's binfmt_elf checks them, one case per check, on the hello
// fixture of each architecture with one field changed: each refusal is one stderr line naming
// the field, with exit 77 (bad program headers) or 78 (the image does not fit). A file Linux
// runs and that then faults (entry point 0) ends as under strace: the SIGSEGV line, "killed by
// SIGSEGV", and tstrace dies of SIGSEGV; for x86_64 the host's own run must die the same way.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  fixtureExists, fixturePath, hostArch, javascriptErrorLines, makeTempDir, removeTempDir, repoRoot, run, runTstrace,
  ORACLE_ARCHES,
  type Arch,
} from './helpers/run.js';

interface Edit {
  readonly what: string;
  /** Changes the copy; `ph(i)` is the offset of program header i, `load(n)` of the n-th PT_LOAD. */
  readonly apply: (b: Buffer, ph: (i: number) => number, load: (n: number) => number) => void;
  readonly code: number;
  readonly message: RegExp;
}

const EDITS: readonly Edit[] = [
  { what: 'e_phentsize 32', apply: (b) => b.writeUInt16LE(32, 54), code: 77, message: /e_phentsize 32/ },
  { what: 'e_phnum 100 (more than a page of headers)', apply: (b) => b.writeUInt16LE(100, 56), code: 77, message: /e_phnum 100/ },
  { what: 'p_filesz > p_memsz', apply: (b, _ph, load) => b.writeBigUInt64LE(b.readBigUInt64LE(load(1) + 40) + 0x10n, load(1) + 32), code: 77, message: /p_filesz .* > p_memsz/ },
  { what: 'p_offset not congruent with p_vaddr', apply: (b, _ph, load) => b.writeBigUInt64LE(b.readBigUInt64LE(load(1) + 8) + 8n, load(1) + 8), code: 77, message: /not congruent modulo the page size/ },
  { what: 'p_memsz of 1 TiB', apply: (b, _ph, load) => b.writeBigUInt64LE(1n << 40n, load(1) + 40), code: 78, message: /image does not fit/ },
  { what: 'p_memsz beyond the user address space', apply: (b, _ph, load) => b.writeBigUInt64LE(1n << 47n, load(1) + 40), code: 78, message: /beyond the user address space/ },
  { what: 'p_vaddr in page zero', apply: (b, _ph, load) => { b.writeBigUInt64LE(0x10n, load(0) + 16); b.writeBigUInt64LE(0x10n, load(0) + 8); }, code: 78, message: /page zero/ },
  { what: 'entry point beyond user space', apply: (b) => b.writeBigUInt64LE(1n << 60n, 24), code: 77, message: /entry point 0x1000000000000000/ },
];

function edited(arch: Arch, dir: string, name: string, edit: (b: Buffer, ph: (i: number) => number, load: (n: number) => number) => void): string {
  const b = fs.readFileSync(fixturePath(arch, 'hello'));
  const phoff = Number(b.readBigUInt64LE(32));
  const phnum = b.readUInt16LE(56);
  const ph = (i: number): number => phoff + i * 56;
  const loads = Array.from({ length: phnum }, (_, i) => i).filter((i) => b.readUInt32LE(ph(i)) === 1);
  edit(b, ph, (n) => ph(loads[n]!));
  const out = path.join(dir, name);
  fs.writeFileSync(out, b, { mode: 0o755 });
  return out;
}

for (const arch of ORACLE_ARCHES) {
  for (const e of EDITS) {
    test(`elf headers ${arch}: ${e.what}: exit ${e.code}, one line`, { skip: !fixtureExists(arch, 'hello') }, () => {
      const dir = makeTempDir('tstrace-elf-');
      try {
        const prog = edited(arch, dir, 'prog', e.apply);
        const r = runTstrace(['-o', '/dev/null', prog], { cwd: dir });
        const lines = r.stderr.split('\n').filter((l) => l !== '');
        assert.deepEqual(javascriptErrorLines(r.stderr), []);
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0]!, /^tstrace: .*prog: /);
        assert.match(lines[0]!, e.message);
        assert.equal(r.status, e.code, r.stderr);
      } finally {
        removeTempDir(dir);
      }
    });
  }

  test(`elf headers ${arch}: entry point 0 runs and dies of SIGSEGV as under strace`, { skip: !fixtureExists(arch, 'hello') }, () => {
    const dir = makeTempDir('tstrace-elf-');
    try {
      const prog = edited(arch, dir, 'prog', (b) => b.writeBigUInt64LE(0n, 24));
      const r = runTstrace([prog], { cwd: dir });
      assert.equal(r.signal, 'SIGSEGV', r.stderr);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.at(-2), '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---');
      assert.equal(lines.at(-1), '+++ killed by SIGSEGV +++');
      if (arch === 'x86_64' && hostArch() === 'x86_64') {
        const native = run(prog, [], { cwd: dir });
        assert.equal(native.signal, 'SIGSEGV');
      }
    } finally {
      removeTempDir(dir);
    }
  });
}

// A guest's execve of a file Linux refuses after the point of no return: execve fails, then the
// caller dies of SIGSEGV (SI_KERNEL), exactly as the real strace shows it natively.
const busybox = path.join(repoRoot, 'vendor', 'busybox', 'x86_64', 'bin', 'busybox');
test('elf headers x86_64: execve of a 1 TiB segment from a guest: -1 ENOMEM, then killed by SIGSEGV, as under the real strace', {
  skip: hostArch() !== 'x86_64' || !fs.existsSync(busybox) || !fixtureExists('x86_64', 'hello'),
}, () => {
  const dir = makeTempDir('tstrace-elf-');
  try {
    edited('x86_64', dir, 'bad', (b, _ph, load) => b.writeBigUInt64LE(1n << 40n, load(1) + 40));
    const args = ['sh', '-c', 'exec ./bad'];
    const mine = runTstrace(['-f', busybox, ...args], { cwd: dir });
    const real = run('strace', ['-f', busybox, ...args], { cwd: dir });
    const last3 = (s: string): string[] => s.trimEnd().split('\n').slice(-3).map((l) => l.replace(/0x[0-9a-f]+ \/\*/, 'ADDR /*').replace(/^\[pid +\d+\] /, ''));
    assert.equal(mine.signal, 'SIGSEGV', mine.stderr);
    assert.deepEqual(last3(mine.stderr), last3(real.stderr));
    assert.match(last3(mine.stderr)[0]!, /^execve\("\.\/bad", \["\.\/bad"\], ADDR \/\* \d+ vars \*\/\) = -1 ENOMEM/);
  } finally {
    removeTempDir(dir);
  }
});
