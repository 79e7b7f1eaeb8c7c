// x86_64 Linux user ABI as the emulated kernel and the tracer see it.
import * as uc from '../../../packages/unicorn-engine-ts/src/consts.js';
import type { ArchDescriptor } from '../types.js';
import { SYSCALL_NAMES } from './syscall-numbers.js';
import { STRUCTS, RT_SIGFRAME_SIGMASK_FROM_SP } from './structs.js';
import { invertNames } from '../invert.js';
import { X86_64_SIGNAL_FRAME } from './signal-frame.js';

export const x86_64: ArchDescriptor = {
  name: 'x86_64',
  elfMachine: 62,
  unicorn: { arch: uc.UC_ARCH_X86, mode: uc.UC_MODE_64, cpuModel: uc.UC_CPU_X86_QEMU64 },
  regs: {
    pc: uc.UC_X86_REG_RIP,
    sp: uc.UC_X86_REG_RSP,
    nr: uc.UC_X86_REG_RAX,
    args: [uc.UC_X86_REG_RDI, uc.UC_X86_REG_RSI, uc.UC_X86_REG_RDX, uc.UC_X86_REG_R10, uc.UC_X86_REG_R8, uc.UC_X86_REG_R9],
    ret: uc.UC_X86_REG_RAX,
  },
  tls: uc.UC_X86_REG_FS_BASE,
  trap: { kind: 'x86-syscall', length: 2 },
  // x86 exception vectors as Linux's traps.c turns them into signals.
  interruptFaults: new Map([
    [0, { signal: 8 /* SIGFPE */, code: 1 /* FPE_INTDIV */, addrIsPc: true }],
    [3, { signal: 5 /* SIGTRAP */, code: 0x80 /* SI_KERNEL */, addrIsPc: false }],
    [4, { signal: 11 /* SIGSEGV */, code: 0x80 /* SI_KERNEL */, addrIsPc: false }],
    [6, { signal: 4 /* SIGILL */, code: 2 /* ILL_ILLOPN */, addrIsPc: true }],
    [13, { signal: 11 /* SIGSEGV */, code: 0x80 /* SI_KERNEL */, addrIsPc: false }],
  ]),
  illegalInstructionCode: 2, // ILL_ILLOPN
  initialRegisters: [],
  syscallNames: SYSCALL_NAMES,
  syscallNumbers: invertNames(SYSCALL_NAMES),
  // glibc on x86_64 reads CPUID itself; AT_HWCAP carries CPUID.1:EDX of the qemu64 model.
  hwcap: 0x078bfbffn,
  hwcap2: 0n,
  platform: 'x86_64',
  openFlags: { O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000, O_DIRECT: 0o40000, O_LARGEFILE: 0o100000 },
  structs: STRUCTS,
  cloneArgs: { ctid: 3, tls: 4 },
  sigframeMaskOffset: RT_SIGFRAME_SIGMASK_FROM_SP,
  hasMap32Bit: true,
  signalFrame: X86_64_SIGNAL_FRAME,
};
