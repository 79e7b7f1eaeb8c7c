// CPU faults as the signals Linux sends, on the foreign architectures: the `--- SIG... ---` line
// of tstrace's trace names the si_code Linux uses, and its si_addr is the faulting instruction
// itself (checked by reading the instruction at that address in the ELF file). On x86_64 the
// same lines are compared with the real strace's (test/oracle-strace.test.ts); qemu-user checks
// only how the run ends (test/oracle-qemu.test.ts).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fixtureExists, fixturePath, makeTempDir, removeTempDir, runTstrace, tail, type Arch } from './helpers/run.js';

interface FaultCase {
  readonly arch: Arch;
  readonly name: string;
  readonly args: readonly string[];
  readonly signal: string;
  readonly code: string;
  /** Whether the bytes at si_addr are the instruction that must have faulted. */
  readonly isInsn: (bytes: Buffer) => boolean;
  readonly insn: string;
}

const u16 = (b: Buffer): number => b.readUInt16LE(0);
const u32 = (b: Buffer): number => b.readUInt32LE(0);

const CASES: readonly FaultCase[] = [
  { arch: 'aarch64', name: 'sigill', args: [], signal: 'SIGILL', code: 'ILL_ILLOPC', insn: 'the udf #0', isInsn: (b) => u32(b) === 0 },
  { arch: 'aarch64', name: 'cpu_traps', args: ['brk'], signal: 'SIGTRAP', code: 'TRAP_BRKPT', insn: 'the brk #0', isInsn: (b) => u32(b) === 0xd4200000 },
  // riscv64: Unicorn reports these with the PC 4 bytes on, whatever the length: unimp may be the
  // 2-byte c.unimp, which must not be mistaken for the instruction 2 bytes before it.
  { arch: 'riscv64', name: 'sigill', args: [], signal: 'SIGILL', code: 'ILL_ILLOPC', insn: 'the unimp or c.unimp', isInsn: (b) => u16(b) === 0 || u32(b) === 0xc0001073 },
  { arch: 'riscv64', name: 'cpu_traps', args: ['brk'], signal: 'SIGTRAP', code: 'TRAP_BRKPT', insn: 'the ebreak or c.ebreak', isInsn: (b) => u16(b) === 0x9002 || u32(b) === 0x00100073 },
  { arch: 'riscv64', name: 'cpu_traps', args: ['align'], signal: 'SIGBUS', code: 'BUS_ADRALN', insn: 'an AMO (amoadd.d)', isInsn: (b) => (u32(b) & 0x7f) === 0x2f && (u32(b) >>> 27) === 0 },
];

/** The bytes of the file that a PT_LOAD maps at `vaddr` (a static ET_EXEC). */
function bytesAt(file: Buffer, vaddr: bigint, length: number): Buffer | null {
  const phoff = Number(file.readBigUInt64LE(32));
  const phnum = file.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + 56 * i;
    if (file.readUInt32LE(ph) !== 1) continue;
    const offset = file.readBigUInt64LE(ph + 8);
    const start = file.readBigUInt64LE(ph + 16);
    const filesz = file.readBigUInt64LE(ph + 32);
    if (vaddr >= start && vaddr + BigInt(length) <= start + filesz) {
      const at = Number(offset + vaddr - start);
      return file.subarray(at, at + length);
    }
  }
  return null;
}

for (const c of CASES) {
  const id = [c.name, ...c.args].join(' ');
  test(`${c.arch} ${id}: --- ${c.signal} {si_code=${c.code}} --- with si_addr at ${c.insn}`, { skip: !fixtureExists(c.arch, c.name) && 'fixture not built' }, () => {
    const dir = makeTempDir('tstrace-cpu-faults-');
    try {
      const r = runTstrace([fixturePath(c.arch, c.name), ...c.args], { cwd: dir });
      assert.equal(r.signal, c.signal, tail(r.stderr));
      const lines = r.stderr.trimEnd().split('\n');
      const m = new RegExp(`^--- ${c.signal} \\{si_signo=${c.signal}, si_code=${c.code}, si_addr=(0x[0-9a-f]+)\\} ---$`).exec(lines.at(-2) ?? '');
      assert.ok(m !== null, tail(r.stderr));
      assert.equal(lines.at(-1), `+++ killed by ${c.signal} +++`);
      const insn = bytesAt(fs.readFileSync(fixturePath(c.arch, c.name)), BigInt(m[1]!), 4);
      assert.ok(insn !== null && c.isInsn(insn), `si_addr ${m[1]} holds ${insn?.toString('hex') ?? 'nothing'}, not ${c.insn}`);
    } finally {
      removeTempDir(dir);
    }
  });
}
