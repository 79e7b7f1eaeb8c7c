// aarch64 (arm64) Linux user ABI as the emulated kernel and the tracer see it.
import * as uc from '../../../packages/unicorn-engine-ts/src/consts.js';
import type { ArchDescriptor, PtraceRegister } from '../types.js';
import { SYSCALL_NAMES } from './syscall-numbers.js';
import { STRUCTS, RT_SIGFRAME_SIGMASK_FROM_SP } from './structs.js';
import { invertNames } from '../invert.js';
import { AARCH64_SIGNAL_FRAME, AARCH64_SIGRETURN_TRAMPOLINE } from './signal-frame.js';
import { AARCH64_HW_DEBUG } from './hwdebug.js';

const X = (n: number): number => uc.UC_ARM64_REG_X0 + n;

// Advertise only what the emulated Cortex-A72 model executes: FP | ASIMD | CPUID.
// Never ATOMICS (LSE) or SVE: glibc would pick code paths the model faults on.
const HWCAP_FP = 1n << 0n;
const HWCAP_ASIMD = 1n << 1n;
const HWCAP_CPUID = 1n << 11n;

/** x0-x30, sp, pc, flags, the thread pointer, FP control/status and the 32 SIMD registers. */
const USER_REGISTERS = [
  ...Array.from({ length: 29 }, (_, n) => ({ id: X(n), bytes: 8 })),
  ...[uc.UC_ARM64_REG_X29, uc.UC_ARM64_REG_X30, uc.UC_ARM64_REG_SP, uc.UC_ARM64_REG_PC, uc.UC_ARM64_REG_NZCV,
    uc.UC_ARM64_REG_TPIDR_EL0, uc.UC_ARM64_REG_FPCR, uc.UC_ARM64_REG_FPSR].map((id) => ({ id, bytes: 8 })),
  ...Array.from({ length: 32 }, (_, n) => ({ id: uc.UC_ARM64_REG_Q0 + n, bytes: 16 })),
];

/** struct user_pt_regs: x0–x30, sp, pc, pstate (NZCV holds its flag bits). */
const PTRACE_REGS: readonly PtraceRegister[] = [
  ...Array.from({ length: 29 }, (_, n) => ({ reg: X(n) })),
  { reg: uc.UC_ARM64_REG_X29 }, { reg: uc.UC_ARM64_REG_X30 }, { reg: uc.UC_ARM64_REG_SP }, { reg: uc.UC_ARM64_REG_PC },
  { reg: uc.UC_ARM64_REG_NZCV },
];

/** struct user_fpsimd_state: vregs[32] (16 bytes each), fpsr, fpcr, 8 reserved bytes; 4-byte slots. */
const FP_REGS = {
  size: 528,
  unit: 4,
  fields: [
    ...Array.from({ length: 32 }, (_, n) => ({ reg: uc.UC_ARM64_REG_Q0 + n, offset: 16 * n, bytes: 16 })),
    { reg: uc.UC_ARM64_REG_FPSR, offset: 512, bytes: 4 },
    { reg: uc.UC_ARM64_REG_FPCR, offset: 516, bytes: 4 },
  ],
};

export const aarch64: ArchDescriptor = {
  ptrace: { regs: PTRACE_REGS, userArea: false, singleStep: true, breakpointPcAfter: false, tlsRegset: true, auditArch: 0xc00000b7,
    hwDebug: AARCH64_HW_DEBUG,
    fpRegs: FP_REGS, entryReturnIsEnosys: false, syscallChange: 'system-call-regset',
    requests: [['PTRACE_PEEKMTETAGS', 33], ['PTRACE_POKEMTETAGS', 34]],
    // struct user_pt_regs: regs[31], sp, pc, pstate.
    prstatusNames: [...Array.from({ length: 31 }, (_, n) => `regs[${n}]`), 'sp', 'pc', 'pstate'] },
  name: 'aarch64',
  elfMachine: 183,
  unicorn: { arch: uc.UC_ARCH_ARM64, mode: uc.UC_MODE_ARM, cpuModel: uc.UC_CPU_ARM64_A72 },
  // mrs CNTVCT_EL0. RNDR needs nothing: the Cortex-A72 has no FEAT_RNG (ID_AA64ISAR0_EL1.RNDR
  // is 0), so reading it is undefined (SIGILL) as on that CPU.
  timeReads: 'arm64',
  regs: {
    pc: uc.UC_ARM64_REG_PC,
    sp: uc.UC_ARM64_REG_SP,
    nr: X(8),
    args: [X(0), X(1), X(2), X(3), X(4), X(5)],
    ret: X(0),
  },
  tls: uc.UC_ARM64_REG_TPIDR_EL0,
  // AAPCS64's DWARF numbering: x0-x30 are 0-30 (x30 the link register, the return address), sp is 31.
  dwarf: {
    registers: [...Array.from({ length: 29 }, (_, n) => X(n)), uc.UC_ARM64_REG_X29, uc.UC_ARM64_REG_X30, uc.UC_ARM64_REG_SP],
    sp: 31,
    returnAddress: 30,
  },
  syscallInstructionBytes: 4,
  trap: { kind: 'interrupt', intno: 2 },
  // Unicorn's EXCP_UDEF (1) and EXCP_BKPT (7).
  interruptFaults: new Map([
    [1, { signal: 4 /* SIGILL */, code: 1 /* ILL_ILLOPC */, addrIsPc: true }],
    [7, { signal: 5 /* SIGTRAP */, code: 1 /* TRAP_BRKPT */, addrIsPc: true }],
  ]),
  // Enable FP/SIMD at EL0 (CPACR_EL1.FPEN = 0b11), or the first FP instruction traps.
  illegalInstructionCode: 1, // ILL_ILLOPC
  userRegisters: USER_REGISTERS,
  initialRegisters: [[uc.UC_ARM64_REG_CPACR_EL1, 3n << 20n]],
  syscallNames: SYSCALL_NAMES,
  syscallNumbers: invertNames(SYSCALL_NAMES),
  hwcap: HWCAP_FP | HWCAP_ASIMD | HWCAP_CPUID,
  hwcap2: 0n,
  platform: 'aarch64',
  // arm64's 2 * DEFAULT_MAP_WINDOW_64 / 3, for a 47-bit window (Linux's is 48 bits).
  elfEtDynBase: (2n * (1n << 47n)) / 3n,
  gnuTriple: 'aarch64-linux-gnu',
  cpuinfo: (cpus) => Array.from({ length: cpus }, (_, i) => [
    `processor\t: ${i}`,
    'BogoMIPS\t: 100.00',
    // The features AT_HWCAP advertises; the Cortex-A72 model's identification registers.
    'Features\t: fp asimd cpuid',
    'CPU implementer\t: 0x41',
    'CPU architecture: 8',
    'CPU variant\t: 0x0',
    'CPU part\t: 0xd08',
    'CPU revision\t: 3',
    '', ''].join('\n')).join(''),
  openFlags: { O_DIRECTORY: 0o40000, O_NOFOLLOW: 0o100000, O_DIRECT: 0o200000, O_LARGEFILE: 0o400000 },
  structs: STRUCTS,
  cloneArgs: { ctid: 4, tls: 3 },
  sigframeMaskOffset: RT_SIGFRAME_SIGMASK_FROM_SP,
  hasMap32Bit: false,
  signalFrame: AARCH64_SIGNAL_FRAME,
  sigreturnTrampoline: AARCH64_SIGRETURN_TRAMPOLINE,
};
