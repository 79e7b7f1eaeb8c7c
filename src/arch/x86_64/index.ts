// x86_64 Linux user ABI as the emulated kernel and the tracer see it.
import * as uc from '../../../packages/unicorn-engine-ts/src/consts.js';
import type { ArchDescriptor, PtraceRegister } from '../types.js';
import { SYSCALL_NAMES } from './syscall-numbers.js';
import { STRUCTS, RT_SIGFRAME_SIGMASK_FROM_SP } from './structs.js';
import { invertNames } from '../invert.js';
import { X86_64_SIGNAL_FRAME, restoreFxstate, saveFxstate } from './signal-frame.js';
import { X86_64_HW_DEBUG } from './hwdebug.js';
import { VSYSCALL_PAGE } from './vsyscall.js';

const R = (reg: number): PtraceRegister => ({ reg });
/** struct user_regs_struct, in order. */
const PTRACE_REGS: readonly PtraceRegister[] = [
  R(uc.UC_X86_REG_R15), R(uc.UC_X86_REG_R14), R(uc.UC_X86_REG_R13), R(uc.UC_X86_REG_R12), R(uc.UC_X86_REG_RBP),
  R(uc.UC_X86_REG_RBX), R(uc.UC_X86_REG_R11), R(uc.UC_X86_REG_R10), R(uc.UC_X86_REG_R9), R(uc.UC_X86_REG_R8),
  R(uc.UC_X86_REG_RAX), R(uc.UC_X86_REG_RCX), R(uc.UC_X86_REG_RDX), R(uc.UC_X86_REG_RSI), R(uc.UC_X86_REG_RDI),
  { origNr: true }, R(uc.UC_X86_REG_RIP), { value: 0x33n } /* cs */, R(uc.UC_X86_REG_EFLAGS), R(uc.UC_X86_REG_RSP),
  { value: 0x2bn } /* ss */, R(uc.UC_X86_REG_FS_BASE), R(uc.UC_X86_REG_GS_BASE),
  { value: 0n }, { value: 0n }, { value: 0n }, { value: 0n } /* ds es fs gs */,
];

export const x86_64: ArchDescriptor = {
  // struct user: the registers first, u_debugreg at 848.
  ptrace: {
    regs: PTRACE_REGS, userArea: true, debugRegOffset: 848, singleStep: true, breakpointPcAfter: true, tlsRegset: false, auditArch: 0xc000003e, entryReturnIsEnosys: true, syscallChange: 'orig-nr',
    // struct user_fpregs_struct: the fxsave image (GETFPREGS, NT_PRFPREG), in 8-byte slots.
    fpRegs: {
      size: 512,
      unit: 8,
      read: (regs) => {
        const out = new Uint8Array(512);
        saveFxstate(regs, new DataView(out.buffer), 0);
        return out;
      },
      write: (regs, image) => restoreFxstate(regs, image),
    },
    hwDebug: X86_64_HW_DEBUG,
    requests: [
      ['PTRACE_GETREGS', 12], ['PTRACE_SETREGS', 13], ['PTRACE_GETFPREGS', 14], ['PTRACE_SETFPREGS', 15],
      ['PTRACE_GETFPXREGS', 18], ['PTRACE_SETFPXREGS', 19], ['PTRACE_OLDSETOPTIONS', 21], ['PTRACE_GET_THREAD_AREA', 25],
      ['PTRACE_SET_THREAD_AREA', 26], ['PTRACE_ARCH_PRCTL', 30], ['PTRACE_SYSEMU', 31], ['PTRACE_SYSEMU_SINGLESTEP', 32],
      ['PTRACE_SINGLEBLOCK', 33],
    ],
    // struct user_regs_struct, in order.
    prstatusNames: ['r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi',
      'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs'],
    // struct user_fpregs_struct (the fxsave image), 512 bytes.
    fpregsetFields: [
      { name: 'cwd', offset: 0, bytes: 2 }, { name: 'swd', offset: 2, bytes: 2 }, { name: 'ftw', offset: 4, bytes: 2 },
      { name: 'fop', offset: 6, bytes: 2 }, { name: 'rip', offset: 8, bytes: 8 }, { name: 'rdp', offset: 16, bytes: 8 },
      { name: 'mxcsr', offset: 24, bytes: 4 }, { name: 'mxcr_mask', offset: 28, bytes: 4 },
      { name: 'st_space', offset: 32, bytes: 4, count: 32 }, { name: 'xmm_space', offset: 160, bytes: 4, count: 64 },
      { name: 'padding', offset: 416, bytes: 4, count: 24 },
    ],
  },
  name: 'x86_64',
  elfMachine: 62,
  unicorn: { arch: uc.UC_ARCH_X86, mode: uc.UC_MODE_64, cpuModel: uc.UC_CPU_X86_QEMU64 },
  // rdtsc and rdtscp. rdrand and rdseed need nothing: the qemu64 model advertises neither
  // (CPUID.1:ECX bit 30, CPUID.7:EBX bit 18 clear), so glibc does not use them and Unicorn
  // decodes them as undefined (SIGILL), as a CPU without them does (test/record-insn.test.ts).
  timeReads: 'x86',
  regs: {
    pc: uc.UC_X86_REG_RIP,
    sp: uc.UC_X86_REG_RSP,
    nr: uc.UC_X86_REG_RAX,
    args: [uc.UC_X86_REG_RDI, uc.UC_X86_REG_RSI, uc.UC_X86_REG_RDX, uc.UC_X86_REG_R10, uc.UC_X86_REG_R8, uc.UC_X86_REG_R9],
    ret: uc.UC_X86_REG_RAX,
  },
  tls: uc.UC_X86_REG_FS_BASE,
  // The psABI's DWARF numbering: rax rdx rcx rbx rsi rdi rbp rsp r8-r15, then the return address (rip).
  dwarf: {
    registers: [uc.UC_X86_REG_RAX, uc.UC_X86_REG_RDX, uc.UC_X86_REG_RCX, uc.UC_X86_REG_RBX, uc.UC_X86_REG_RSI, uc.UC_X86_REG_RDI,
      uc.UC_X86_REG_RBP, uc.UC_X86_REG_RSP, ...Array.from({ length: 8 }, (_, n) => uc.UC_X86_REG_R8 + n), uc.UC_X86_REG_RIP],
    sp: 7,
    returnAddress: 16,
  },
  userRegisters: [
    ...[uc.UC_X86_REG_RAX, uc.UC_X86_REG_RBX, uc.UC_X86_REG_RCX, uc.UC_X86_REG_RDX, uc.UC_X86_REG_RSI, uc.UC_X86_REG_RDI,
      uc.UC_X86_REG_RBP, uc.UC_X86_REG_RSP, uc.UC_X86_REG_R8, uc.UC_X86_REG_R9, uc.UC_X86_REG_R10, uc.UC_X86_REG_R11,
      uc.UC_X86_REG_R12, uc.UC_X86_REG_R13, uc.UC_X86_REG_R14, uc.UC_X86_REG_R15, uc.UC_X86_REG_RIP, uc.UC_X86_REG_EFLAGS,
      uc.UC_X86_REG_FS_BASE, uc.UC_X86_REG_GS_BASE, uc.UC_X86_REG_FPCW, uc.UC_X86_REG_FPSW, uc.UC_X86_REG_FPTAG,
      uc.UC_X86_REG_MXCSR].map((id) => ({ id, bytes: 8 })),
    ...Array.from({ length: 8 }, (_, n) => ({ id: uc.UC_X86_REG_ST0 + n, bytes: 10 })),
    ...Array.from({ length: 16 }, (_, n) => ({ id: uc.UC_X86_REG_XMM0 + n, bytes: 16 })),
  ],
  syscallInstructionBytes: 2,
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
  // CR4.OSFXSR | CR4.OSXMMEXCPT, as Linux sets them: without OSFXSR, fxsave/fxrstor skip the
  // XMM registers, and ld.so's lazy-binding trampoline (_dl_runtime_resolve_fxsave) then
  // loses a call's floating-point arguments.
  initialRegisters: [[uc.UC_X86_REG_CR4, 0x600n]],
  syscallNames: SYSCALL_NAMES,
  syscallNumbers: invertNames(SYSCALL_NAMES),
  // glibc on x86_64 reads CPUID itself; AT_HWCAP carries CPUID.1:EDX of the qemu64 model.
  hwcap: 0x078bfbffn,
  hwcap2: 0n,
  platform: 'x86_64',
  // DEFAULT_MAP_WINDOW / 3 * 2.
  elfEtDynBase: (0x7fff_ffff_f000n / 3n) * 2n,
  gnuTriple: 'x86_64-linux-gnu',
  // What Linux shows for Unicorn's qemu64 CPU model (the features of AT_HWCAP and CPUID).
  cpuinfo: (cpus) => Array.from({ length: cpus }, (_, i) => [
    `processor\t: ${i}`,
    'vendor_id\t: AuthenticAMD',
    'cpu family\t: 15',
    'model\t\t: 107',
    'model name\t: QEMU Virtual CPU version 2.5+',
    'stepping\t: 1',
    'cpu MHz\t\t: 1000.000',
    'cache size\t: 512 KB',
    `physical id\t: 0`,
    `siblings\t: ${cpus}`,
    `core id\t\t: ${i}`,
    `cpu cores\t: ${cpus}`,
    'fpu\t\t: yes',
    'fpu_exception\t: yes',
    'cpuid level\t: 13',
    'wp\t\t: yes',
    'flags\t\t: fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 syscall nx lm nopl cpuid pni cx16 x2apic popcnt hypervisor lahf_lm',
    'bogomips\t: 2000.00',
    'clflush size\t: 64',
    'cache_alignment\t: 64',
    'address sizes\t: 40 bits physical, 48 bits virtual',
    'power management:',
    '', ''].join('\n')).join(''),
  openFlags: { O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000, O_DIRECT: 0o40000, O_LARGEFILE: 0o100000 },
  structs: STRUCTS,
  cloneArgs: { ctid: 3, tls: 4 },
  sigframeMaskOffset: RT_SIGFRAME_SIGMASK_FROM_SP,
  hasMap32Bit: true,
  signalFrame: X86_64_SIGNAL_FRAME,
  legacyCallPage: VSYSCALL_PAGE,
};
