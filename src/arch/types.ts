// What differs per CPU, as data. The kernel, loader and tracer read an ArchDescriptor and never
// branch on the architecture's name.

/** A field of a C struct as the guest ABI lays it out. */
export interface FieldLayout {
  readonly offset: number;
  /** Size in bytes: 1, 2, 4 or 8 (integers), or the byte length of an array/opaque field. */
  readonly size: number;
  readonly signed?: boolean;
}

/** A C struct's layout: its total size and its named fields. */
export interface StructLayout<F extends string = string> {
  readonly size: number;
  readonly fields: Readonly<Record<F, FieldLayout>>;
}

/** Struct layouts that differ between architectures (the ones identical everywhere live in src/abi). */
export interface ArchStructs {
  /** struct stat as returned by fstat/newfstatat. */
  readonly stat: StructLayout<
    | 'st_dev' | 'st_ino' | 'st_mode' | 'st_nlink' | 'st_uid' | 'st_gid' | 'st_rdev' | 'st_size'
    | 'st_blksize' | 'st_blocks' | 'st_atime' | 'st_atime_nsec' | 'st_mtime' | 'st_mtime_nsec'
    | 'st_ctime' | 'st_ctime_nsec'>;
  /** struct epoll_event (packed to 12 bytes on x86_64, 16 elsewhere). */
  readonly epollEvent: StructLayout<'events' | 'data'>;
  /**
   * The kernel's struct sigaction (rt_sigaction's argument). sa_restorer exists only where the
   * arch defines SA_RESTORER (not on riscv64, whose handlers always return through the kernel's
   * sigreturn trampoline).
   */
  readonly sigaction: StructLayout<'sa_handler' | 'sa_flags' | 'sa_mask'> & {
    readonly fields: { readonly sa_restorer?: FieldLayout };
  };
}

/** Unicorn register ids of the registers the kernel needs by role. */
export interface SyscallRegisters {
  readonly pc: number;
  readonly sp: number;
  /** Holds the syscall number at entry. */
  readonly nr: number;
  /** The six argument registers, in order. */
  readonly args: readonly [number, number, number, number, number, number];
  /** Holds the return value at exit (may be args[0]'s register). */
  readonly ret: number;
}

/** How a syscall instruction reaches the kernel through Unicorn's hooks. */
export type SyscallTrap =
  /** UC_HOOK_INTR with this intno; PC is already past the instruction. */
  | { readonly kind: 'interrupt'; readonly intno: number }
  /** UC_HOOK_INSN for x86's `syscall`; PC is at the instruction, Unicorn adds `length` after the hook. */
  | { readonly kind: 'x86-syscall'; readonly length: number };

/** Register access a signal-frame builder needs (Unicorn register ids of this arch). */
export interface RegisterFile {
  read(id: number): bigint;
  write(id: number, value: bigint): void;
  readBytes(id: number, size: number): Uint8Array;
  writeBytes(id: number, data: Uint8Array): void;
}

/** Guest memory as the kernel sees it: validated against the guest's mappings. */
export interface GuestMemory {
  /** null when not readable by the guest. */
  read(addr: bigint, length: number): Uint8Array | null;
  /** false when not writable by the guest. */
  write(addr: bigint, data: Uint8Array): boolean;
}

/** What the kernel hands a frame builder when it delivers a signal to a handler. */
export interface SignalDelivery {
  readonly signo: number;
  /** The 128-byte siginfo_t, already laid out. */
  readonly siginfo: Uint8Array;
  readonly handler: bigint;
  readonly flags: bigint;
  readonly restorer: bigint;
  /** The mask to save in the frame (restored by rt_sigreturn). */
  readonly savedMask: bigint;
  /** The alternate stack, when SA_ONSTACK applies and one is set (else undefined). */
  readonly altStack: { readonly sp: bigint; readonly size: bigint } | undefined;
  /** uc_stack to record in the frame (sigaltstack state at delivery). */
  readonly stackInfo: { readonly sp: bigint; readonly flags: number; readonly size: bigint };
  /** Address of an executable sigreturn trampoline the kernel mapped, for arches without a restorer. */
  readonly trampoline?: bigint;
}

/** Builds and unwinds rt signal frames the way Linux does for this arch. */
export interface SignalFrameAbi {
  /**
   * Pushes the frame, points the registers at the handler (args: signo, &siginfo, &ucontext;
   * return address: the restorer or the arch's sigreturn trampoline). false: the frame could
   * not be written (the kernel then forces SIGSEGV).
   */
  setup(regs: RegisterFile, mem: GuestMemory, delivery: SignalDelivery): boolean;
  /** rt_sigreturn: restores the registers from the frame at the stack pointer; returns the saved mask, or null for a bad frame. */
  restore(regs: RegisterFile, mem: GuestMemory): bigint | null;
}

/** One 8-byte word of the ptrace register set (NT_PRSTATUS; x86_64's user_regs_struct). */
export type PtraceRegister =
  /** A CPU register. */
  | { readonly reg: number }
  /** A word the kernel fixes (x86_64's segment selectors). */
  | { readonly value: bigint }
  /** The syscall number at a syscall stop, else -1 (x86_64's orig_rax). */
  | { readonly origNr: true };

/** A hardware breakpoint or watchpoint a debugger armed: `len` bytes at `addr`. */
export interface HwPoint {
  /** Its slot (x86_64's DR0–DR3; aarch64's breakpoint or watchpoint register number). */
  readonly slot: number;
  readonly kind: 'exec' | 'write' | 'read' | 'access';
  readonly addr: bigint;
  readonly len: number;
}

/** The debug registers ptrace(2) offers (x86_64's u_debugreg, aarch64's NT_ARM_HW_BREAK/WATCH). */
export interface HwDebugArch {
  /** Words of a task's debug state, all 0 at first (x86_64: DR0–DR7; aarch64: addr, ctrl per slot). */
  readonly words: number;
  /** The points the state arms, or the errno Linux refuses such a state with. */
  points(words: readonly bigint[]): readonly HwPoint[] | number;
  /** Records a hit of `point` in the state (x86_64's DR6). */
  hit(words: bigint[], point: HwPoint): void;
  /**
   * x86_64: a watchpoint stops the task after the instruction that made the access, and si_addr
   * is the PC; aarch64: before it (the access undone, the PC at it), si_addr the address accessed.
   */
  readonly watchStopsAfter: boolean;
  /** x86_64 (EFLAGS.RF): resuming at the execute breakpoint that stopped it runs that instruction. */
  readonly resumePassesBreakpoint: boolean;
  /** PEEKUSER/POKEUSER of word `n` of u_debugreg (x86_64). poke returns 0 or an errno. */
  readonly user?: {
    peek(words: readonly bigint[], n: number): bigint;
    poke(words: bigint[], n: number, value: bigint): number;
  };
  /** NT_ARM_HW_BREAK/NT_ARM_HW_WATCH (aarch64): dbg_info's debug architecture and slot counts. */
  readonly regsets?: { readonly debugArch: number; readonly breakpoints: number; readonly watchpoints: number };
}

/** What ptrace(2) sees of this architecture. */
export interface PtraceArch {
  /** NT_PRSTATUS, word by word (GETREGSET; x86_64's GETREGS and the start of its user area). */
  readonly regs: readonly PtraceRegister[];
  /** PTRACE_GETREGS/SETREGS and PEEKUSER/POKEUSER exist (x86_64): aarch64 has only the regsets. */
  readonly userArea: boolean;
  /** x86_64's u_debugreg in struct user: its offset (PEEKUSER/POKEUSER reach DR0–DR7 there). */
  readonly debugRegOffset?: number;
  /**
   * PTRACE_SINGLESTEP exists (x86_64's trap flag, aarch64's MDSCR_EL1.SS). riscv64 has no
   * hardware single-step: Linux refuses the request (EIO), and debuggers step in software, with
   * breakpoints at the next instructions.
   */
  readonly singleStep: boolean;
  /** The software breakpoint leaves the PC after it (x86_64's int3) rather than at it (aarch64's brk). */
  readonly breakpointPcAfter: boolean;
  /**
   * NT_FPREGSET: its size and where each register sits in it (aarch64's user_fpsimd_state,
   * riscv64's __riscv_d_ext_state); bytes not covered read as 0. Absent: not offered.
   */
  readonly fpRegs?: ({
    readonly size: number;
    readonly fields: readonly { readonly reg: number; readonly offset: number; readonly bytes: number }[];
  } | {
    /** A set that is not a plain copy of registers (x86_64's fxsave image: its abridged tag word). */
    readonly size: number;
    read(regs: RegisterFile): Uint8Array;
    /** Loads a whole set; false when Linux refuses it (EINVAL: reserved MXCSR bits). */
    write(regs: RegisterFile, image: Uint8Array): boolean;
  }) & {
    /**
     * The set's slot size (Linux's regset->size): GETREGSET/SETREGSET refuse an iov_len that is
     * not a multiple of it (EINVAL). riscv64's gdb finds the FP register width this way, asking
     * for 33 four-byte slots first.
     */
    readonly unit: number;
  };
  /** Hardware breakpoints and watchpoints. Absent: none. */
  readonly hwDebug?: HwDebugArch;
  /** NT_ARM_TLS: the thread pointer as a register set of its own. */
  readonly tlsRegset: boolean;
  /** AUDIT_ARCH_* (PTRACE_GET_SYSCALL_INFO's arch). */
  readonly auditArch: number;
  /** At a syscall-entry stop the return register reads -ENOSYS (x86_64's rax), not the call's value. */
  readonly entryReturnIsEnosys: boolean;
  /**
   * How a tracer changes the call at a syscall-entry or seccomp stop (-1: skips it, and the
   * return register is its result): 'orig-nr' writes x86_64's orig_rax word of the register
   * set; 'system-call-regset' aarch64's NT_ARM_SYSTEM_CALL set (its x8 is read only once);
   * 'nr-register' riscv64's number register (a7), which Linux reads again after the stop.
   */
  readonly syscallChange: 'orig-nr' | 'system-call-regset' | 'nr-register';
  /** Requests of this architecture only, as strace names them (x86_64's PTRACE_GETREGS…). */
  readonly requests?: readonly (readonly [string, number])[];
  /** NT_PRSTATUS's words as strace names them (`regs[0]`… gather into one array field). */
  readonly prstatusNames?: readonly string[];
  /**
   * NT_FPREGSET's fields as strace prints them (x86_64's user_fpregs_struct), in order: a scalar
   * of `bytes`, or an array of `count` u32. Absent: strace prints the set's address.
   */
  readonly fpregsetFields?: readonly { readonly name: string; readonly offset: number; readonly bytes: number; readonly count?: number }[];
}

/**
 * A page of fixed entry points the kernel emulates (x86_64's vsyscall page): a jump to an entry
 * runs that syscall and returns to the caller's return address on the stack.
 */
export interface LegacyCallPage {
  readonly base: bigint;
  readonly size: bigint;
  /** Offset in the page → the syscall run there and how many argument registers it reads. */
  readonly entries: ReadonlyMap<bigint, { readonly syscall: string; readonly args: number }>;
  /** How many low bits of a fetch fault's address the emulator reports. */
  readonly faultAddressBits: number;
}

export interface ArchDescriptor {
  readonly ptrace: PtraceArch;
  /** Our name for it, also what `uname -m` reports to the guest. */
  readonly name: 'aarch64' | 'x86_64' | 'riscv64';
  /** ELF e_machine. */
  readonly elfMachine: number;
  /** Unicorn UC_ARCH_* / UC_MODE_* / UC_CPU_* values. */
  readonly unicorn: { readonly arch: number; readonly mode: number; readonly cpuModel?: number };
  /**
   * The instructions that read a cycle or time counter, as the binding's hook for them
   * (Engine.hookTimeReads): 'x86' rdtsc/rdtscp, 'arm64' mrs CNTVCT_EL0. Undefined: none that
   * Unicorn lets us catch (riscv64: Unicorn 2.1.1 has no hook on CSR reads).
   */
  readonly timeReads?: 'x86' | 'arm64';
  readonly regs: SyscallRegisters;
  /** The thread pointer register (TPIDR_EL0, FS_BASE, tp). */
  readonly tls: number;
  /**
   * For unwinding with .eh_frame (-k): Unicorn ids of the registers by DWARF number, the DWARF
   * number of the stack pointer and the return-address column.
   */
  readonly dwarf?: { readonly registers: readonly number[]; readonly sp: number; readonly returnAddress: number };
  readonly trap: SyscallTrap;
  /** Bytes of the syscall instruction (a restarted call re-executes it: PC goes back this far). */
  readonly syscallInstructionBytes: number;
  /**
   * CPU exceptions Unicorn reports as interrupts (other than the syscall trap), as the signal
   * Linux sends for each: number → signal, si_code, and whether si_addr is the faulting PC
   * (else 0). An interrupt not listed is an illegal instruction.
   */
  readonly interruptFaults: ReadonlyMap<number, { readonly signal: number; readonly code: number; readonly addrIsPc: boolean }>;
  /**
   * How far past the faulting instruction the PC is when Unicorn reports a CPU exception as an
   * interrupt (riscv64: 4, whatever the instruction's length); the kernel moves it back, as the
   * signal frame and a handler's return want the faulting instruction. 0 when absent.
   */
  readonly interruptPcAdvance?: number;
  /** SIGILL's si_code for an undefined instruction (ILL_ILLOPC on arm64, ILL_ILLOPN for x86's #UD). */
  readonly illegalInstructionCode: number;
  /**
   * The signal for an instruction Unicorn stops on with UC_ERR_INSN_INVALID (PC at it). Absent:
   * SIGILL with illegalInstructionCode. riscv64's Unicorn ends this way on `ebreak`.
   */
  readonly invalidInstructionFault?: { readonly signal: number; readonly code: number };
  /**
   * Every register a user program's state lives in, with its size in bytes: what fork copies
   * from the parent's CPU to the child's (engines never exchange contexts).
   */
  readonly userRegisters: readonly { readonly id: number; readonly bytes: number }[];
  /**
   * Registers Unicorn's context save drops (riscv64's fflags, within FCSR): the kernel saves and
   * restores them by hand when it switches threads on a CPU.
   */
  readonly contextLostRegisters?: readonly number[];
  /** Registers to set on a fresh thread (e.g. enabling FP/SIMD). */
  readonly initialRegisters: readonly (readonly [number, bigint])[];
  /** Syscall number → name, as strace names it. */
  readonly syscallNames: ReadonlyMap<number, string>;
  /** name → number (the inverse of syscallNames). */
  readonly syscallNumbers: ReadonlyMap<string, number>;
  /**
   * AT_HWCAP / AT_HWCAP2 safe for the emulated CPU model; AT_PLATFORM string. Linux leaves an
   * entry out where the arch defines none (riscv64: no ELF_HWCAP2, no ELF_PLATFORM).
   */
  readonly hwcap: bigint;
  readonly hwcap2?: bigint;
  readonly platform?: string;
  /**
   * Where Linux puts a dynamic PIE (ET_DYN with PT_INTERP) before its alignment and
   * p_vaddr are applied: ELF_ET_DYN_BASE, for tstrace's 47-bit user address space.
   */
  readonly elfEtDynBase: bigint;
  /** The GNU triple of Debian's cross sysroot, /usr/<triple> (the default --sysroot). */
  readonly gnuTriple: string;
  /** /proc/cpuinfo as a Linux of this arch shows it for `cpus` CPUs of the emulated model. */
  cpuinfo(cpus: number): string;
  /** open(2) flag bits that differ per arch (O_DIRECTORY, O_NOFOLLOW, O_DIRECT, O_LARGEFILE). */
  readonly openFlags: { readonly O_DIRECTORY: number; readonly O_NOFOLLOW: number; readonly O_DIRECT: number; readonly O_LARGEFILE: number };
  readonly structs: ArchStructs;
  /** Where clone(2) takes the child-tid pointer and the TLS value (x86_64 swaps them). */
  readonly cloneArgs: { readonly ctid: number; readonly tls: number };
  /** rt_sigreturn: offset of the saved signal mask from the stack pointer at the syscall. */
  readonly sigframeMaskOffset: number;
  /** Whether mmap has MAP_32BIT (x86_64 only). */
  readonly hasMap32Bit: boolean;
  /** Signal frames for guest handlers (absent: caught signals are fatal). */
  readonly signalFrame?: SignalFrameAbi;
  /** Code that calls rt_sigreturn, mapped by the kernel for handlers without SA_RESTORER (Linux's vDSO sigtramp). */
  readonly sigreturnTrampoline?: Uint8Array;
  /** The vsyscall page, where the arch has one. */
  readonly legacyCallPage?: LegacyCallPage;
}
