// riscv64 (RV64GC, lp64d) Linux user ABI as the emulated kernel and the tracer see it.
import * as uc from '../../../packages/unicorn-engine-ts/src/consts.js';
import type { ArchDescriptor, PtraceRegister } from '../types.js';
import { SYSCALL_NAMES } from './syscall-numbers.js';
import { STRUCTS, RT_SIGFRAME_SIGMASK_FROM_SP } from './structs.js';
import { invertNames } from '../invert.js';
import { RISCV64_SIGNAL_FRAME, RISCV64_SIGRETURN_TRAMPOLINE } from './signal-frame.js';

/** Unicorn's id of xN (x0, the zero register, is id UC_RISCV_REG_X0). */
const X = (n: number): number => uc.UC_RISCV_REG_X0 + n;
const F = (n: number): number => uc.UC_RISCV_REG_F0 + n;

/**
 * AT_HWCAP as Linux computes it for riscv: one bit per single-letter ISA extension ('a' is bit
 * 0). RV64GC = IMAFD + C, what Unicorn's default CPU implements (its misa).
 */
const isa = (letters: string): bigint => [...letters].reduce((v, c) => v | (1n << BigInt(c.charCodeAt(0) - 97)), 0n);

/** mstatus.FS = Dirty: the FPU is on, or the first FP instruction is an illegal instruction. */
const MSTATUS_FS = 0x6000n;

/** struct user_regs_struct: pc, then x1..x31 (ra, sp, gp, tp, t0-t2, s0-s1, a0-a7, s2-s11, t3-t6). */
const PTRACE_REGS: readonly PtraceRegister[] = [
  { reg: uc.UC_RISCV_REG_PC },
  ...Array.from({ length: 31 }, (_, n) => ({ reg: X(n + 1) })),
];

/** struct __riscv_d_ext_state: f[32] (8 bytes each), fcsr (4), padding to 264; 8-byte slots (elf_fpreg_t). */
const FP_REGS = {
  size: 264,
  unit: 8,
  fields: [
    ...Array.from({ length: 32 }, (_, n) => ({ reg: F(n), offset: 8 * n, bytes: 8 })),
    { reg: uc.UC_RISCV_REG_FCSR, offset: 256, bytes: 4 },
  ],
};

// Faults Linux's riscv traps.c turns into signals, by the exception cause Unicorn reports as
// the interrupt number. Every one has si_addr = the faulting instruction (regs->epc), even a
// misaligned atomic access's SIGBUS.
const SIGILL = 4, SIGBUS = 7;
const ILL_ILLOPC = 1, BUS_ADRALN = 1;

export const riscv64: ArchDescriptor = {
  ptrace: {
    regs: PTRACE_REGS, userArea: false, singleStep: false, breakpointPcAfter: false, tlsRegset: false,
    auditArch: 0xc00000f3, // AUDIT_ARCH_RISCV64: EM_RISCV | 64-bit | little-endian
    fpRegs: FP_REGS, entryReturnIsEnosys: false, syscallChange: 'nr-register',
    // struct user_regs_struct: pc, then x1..x31 by their ABI names.
    prstatusNames: ['pc', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
      's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'],
  },
  // Two thirds of the sv39 user range, as Linux places a dynamic PIE (dynamic riscv64 programs
  // are not run yet).
  elfEtDynBase: (2n * (1n << 38n)) / 3n,
  gnuTriple: 'riscv64-linux-gnu',
  cpuinfo: (cpus) => Array.from({ length: cpus }, (_, i) => [
    `processor\t: ${i}`,
    `hart\t\t: ${i}`,
    'isa\t\t: rv64imafdc',
    'mmu\t\t: sv39',
    '',
  ].join('\n')).join('\n') + '\n',
  name: 'riscv64',
  elfMachine: 243,
  unicorn: { arch: uc.UC_ARCH_RISCV, mode: uc.UC_MODE_RISCV64 },
  regs: {
    pc: uc.UC_RISCV_REG_PC,
    sp: uc.UC_RISCV_REG_SP,
    nr: uc.UC_RISCV_REG_A7,
    args: [uc.UC_RISCV_REG_A0, uc.UC_RISCV_REG_A1, uc.UC_RISCV_REG_A2, uc.UC_RISCV_REG_A3, uc.UC_RISCV_REG_A4, uc.UC_RISCV_REG_A5],
    ret: uc.UC_RISCV_REG_A0,
  },
  tls: uc.UC_RISCV_REG_TP,
  // The psABI's DWARF numbering: x0-x31 are 0-31 (x2 the stack pointer); the return address
  // column is ra (x1).
  dwarf: {
    registers: Array.from({ length: 32 }, (_, n) => X(n)),
    sp: 2,
    returnAddress: 1,
  },
  syscallInstructionBytes: 4,
  // ecall from U-mode: cause 8, the PC already past it.
  trap: { kind: 'interrupt', intno: 8 },
  // Illegal instruction (cause 2), misaligned atomic load/store (4, 6; plain loads and stores
  // may be misaligned). Unicorn reports them with the PC 4 bytes past the instruction.
  interruptFaults: new Map([
    [2, { signal: SIGILL, code: ILL_ILLOPC, addrIsPc: true }],
    [4, { signal: SIGBUS, code: BUS_ADRALN, addrIsPc: true }],
    [6, { signal: SIGBUS, code: BUS_ADRALN, addrIsPc: true }],
  ]),
  interruptPcAdvance: 4,
  illegalInstructionCode: ILL_ILLOPC,
  // Unicorn stops on ebreak (c.ebreak too) with UC_ERR_INSN_INVALID, the PC at it: Linux sends
  // SIGTRAP TRAP_BRKPT there.
  invalidInstructionFault: { signal: 5 /* SIGTRAP */, code: 1 /* TRAP_BRKPT */ },
  userRegisters: [
    ...Array.from({ length: 31 }, (_, n) => ({ id: X(n + 1), bytes: 8 })),
    { id: uc.UC_RISCV_REG_PC, bytes: 8 },
    ...Array.from({ length: 32 }, (_, n) => ({ id: F(n), bytes: 8 })),
    { id: uc.UC_RISCV_REG_FCSR, bytes: 8 },
  ],
  // Unicorn's context save keeps frm but drops fflags (the accrued exception flags).
  contextLostRegisters: [uc.UC_RISCV_REG_FCSR],
  initialRegisters: [[uc.UC_RISCV_REG_MSTATUS, MSTATUS_FS]],
  syscallNames: SYSCALL_NAMES,
  syscallNumbers: invertNames(SYSCALL_NAMES),
  hwcap: isa('imafdc'),
  // Linux defines neither ELF_HWCAP2 nor ELF_PLATFORM for riscv: no AT_HWCAP2, no AT_PLATFORM.
  // The generic open flags (asm-generic/fcntl.h), as on x86_64.
  openFlags: { O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000, O_DIRECT: 0o40000, O_LARGEFILE: 0o100000 },
  structs: STRUCTS,
  // riscv selects CLONE_BACKWARDS: clone(flags, stack, parent_tid, tls, child_tid).
  cloneArgs: { ctid: 4, tls: 3 },
  sigframeMaskOffset: RT_SIGFRAME_SIGMASK_FROM_SP,
  hasMap32Bit: false,
  signalFrame: RISCV64_SIGNAL_FRAME,
  sigreturnTrampoline: RISCV64_SIGRETURN_TRAMPOLINE,
};
