// One Unicorn engine per address space, and the translation of what stops it (a syscall
// instruction, a memory fault, an undefined instruction) into kernel terms.
import { BUDGET_NEVER, Engine, UnicornError, type BlockBudget, type Context, type RegisterSnapshot, type TimeRead, type TimeReads } from '../../packages/unicorn-engine-ts/src/index.js';
import type { Task } from './task.js';
import * as uc from '../../packages/unicorn-engine-ts/src/consts.js';
import type { ArchDescriptor, HwPoint, RegisterFile } from '../arch/types.js';
import { SIG } from '../abi/signals.js';

/**
 * The translation buffer an engine gets for a program whose executable segments (its own and its
 * dynamic loader's) add up to `codeBytes`: 8 MB for most, up to 32 MB for large programs.
 * Unicorn 2.1.1 zeroes the whole buffer when the engine starts and at each flush, so a larger one
 * costs every fork and exec; one too small for a program's working set is flushed over and over
 * (Python's start-up translates ~30 MB of host code: with 8 MB it ran 2.8x slower). Unicorn's
 * own default is a 1 GB reservation.
 */
export function translationBufferBytes(codeBytes: number): number {
  if (codeBytes < 2 << 20) return 8 << 20;
  if (codeBytes < 4 << 20) return 16 << 20;
  return 32 << 20;
}

/** A synchronous CPU fault, as the signal it becomes. */
export interface CpuFault {
  readonly signal: number;
  readonly code: number;
  readonly addr: bigint;
}

/** A hardware breakpoint or watchpoint of the running task hit (src/kernel/hwdebug.ts). */
export interface HwHit {
  readonly point: HwPoint;
  /** The PC (a breakpoint) or the address accessed (a watchpoint). */
  readonly addr: bigint;
  /** A store's overwritten bytes, to undo it. */
  readonly old?: Uint8Array;
}

export type CpuExit =
  /** A syscall instruction that the kernel chose to finish outside the hook. */
  | { readonly kind: 'syscall' }
  | { readonly kind: 'fault'; readonly fault: CpuFault }
  | { readonly kind: 'debug'; readonly hit: HwHit }
  /** Stopped on the kernel's request (the running task changed state). */
  | { readonly kind: 'stopped' };

/** The `until` address of every run: the last byte of the 64-bit space, never a guest PC. */
const NEVER_PC = (1n << 64n) - 1n;
/** Times a CPU takes its budget hook out before keeping it for good (Cpu.disarmBudget). */
const MAX_BUDGET_DETACHES = 8;

const SEGV_MAPERR = 1;
const SEGV_ACCERR = 2;
const BUS_ADRERR = 2;

/**
 * The kernel's side of a syscall trap: returns true when the syscall was completed inside the
 * hook and the guest may run on, false to stop the engine and finish it outside.
 */
export type SyscallTrapHandler = () => boolean;

/** Classifies a faulting address: mapped (protection) or not (SEGV_ACCERR / SEGV_MAPERR). */
export type FaultClassifier = (addr: bigint) => 'mapped' | 'unmapped' | 'past-eof';

export class Cpu {
  readonly engine: Engine;
  private pendingExit: CpuExit | undefined;
  /**
   * While the syscall hook runs: the registers a syscall uses, read by the native hook before it
   * called us (number, arguments, return), so they cost no FFI call. A return value set here is
   * written back when the hook returns. Any other register access first flushes what was set,
   * and a direct write ends the snapshot's use (its values may be stale after it).
   */
  private snapshot: RegisterSnapshot | undefined;
  private readonly nrSlot: number;
  private readonly argSlots: readonly number[];
  private readonly retSlot: number;
  onSyscall: SyscallTrapHandler = () => false;
  /** The task whose registers are on this CPU now (the others' are saved in their contexts). */
  owner: Task | undefined;
  /** Thread groups using this CPU and its address space (a vfork child shares its parent's). */
  users = 1;
  /** Preemption: stops a run after a budget of guest code (installed on first use). */
  private budget: BlockBudget | undefined;
  /** Whether the current slice runs with a budget. */
  budgeted = false;
  /** How often the budget's hook was taken out (disarmBudget). */
  private budgetDetaches = 0;
  /**
   * The budget's hook stays in and counts all guest code, budgeted or not (recording and
   * replay: Task.executed is where an outside signal came).
   */
  private counting = false;
  /** The budget's limit for the slice (NEVER between budgeted slices); a run may stop sooner. */
  private sliceLimit = BUDGET_NEVER;
  /** The budget's stops before the current run (counting). */
  private stopsBefore = 0;
  /** Inside `run` (a hook's syscall or stop happens while guest code is under way). */
  running = false;
  classify: FaultClassifier = () => 'unmapped';
  /** While a watched instruction is run again: hardware breakpoints and watchpoints are off. */
  debugQuiet = false;
  /** An execute breakpoint the next instruction passes once (x86's EFLAGS.RF). */
  debugPassAt: bigint | undefined;

  /** @param translationBytes the engine's translation buffer (translationBufferBytes). */
  constructor(readonly arch: ArchDescriptor, readonly translationBytes: number = translationBufferBytes(0)) {
    const e = Engine.open(arch.unicorn.arch, arch.unicorn.mode);
    this.engine = e;
    e.setTcgBufferSize(translationBytes);
    if (arch.unicorn.cpuModel !== undefined) e.setCpuModel(arch.unicorn.cpuModel);
    this.returnClobbersFirstArg = arch.regs.ret === arch.regs.args[0];
    // The snapshot's slots: each syscall register once (x86's rax is number and return).
    const ids: number[] = [];
    const slot = (id: number): number => {
      const i = ids.indexOf(id);
      return i >= 0 ? i : ids.push(id) - 1;
    };
    this.nrSlot = slot(arch.regs.nr);
    this.argSlots = arch.regs.args.map(slot);
    this.retSlot = slot(arch.regs.ret);
    const trap = arch.trap;
    if (trap.kind === 'x86-syscall') {
      const hook = e.hookX86SyscallWithRegisters(ids, () => this.trapSyscall(hook.regs));
    }
    const onInterrupt = (intno: number): void => {
      if (trap.kind === 'interrupt' && intno === trap.intno) {
        this.trapSyscall(interrupts!.regs);
        return;
      }
      // The faulting instruction's address: where the PC goes back to (a handler that returns
      // runs it again, as on Linux).
      const advance = arch.interruptPcAdvance ?? 0;
      const pc = this.pc - BigInt(advance);
      if (advance !== 0) this.pc = pc;
      const f = arch.interruptFaults.get(intno);
      if (f === undefined) this.stopWith({ signal: SIG.SIGILL, code: arch.illegalInstructionCode, addr: pc });
      else this.stopWith({ signal: f.signal, code: f.code, addr: f.addrIsPc ? pc : 0n });
    };
    // Where the syscall is an interrupt (svc, ecall), every interrupt comes with the snapshot.
    const interrupts = trap.kind === 'interrupt' ? e.hookInterruptWithRegisters(ids, onInterrupt) : undefined;
    if (interrupts === undefined) e.hookInterrupt(onInterrupt);
    e.hookMemInvalid((type, address) => {
      const unmapped = type === uc.UC_MEM_READ_UNMAPPED || type === uc.UC_MEM_WRITE_UNMAPPED || type === uc.UC_MEM_FETCH_UNMAPPED;
      const where = this.classify(address);
      const fault: CpuFault = where === 'past-eof'
        ? { signal: SIG.SIGBUS, code: BUS_ADRERR, addr: address }
        : { signal: SIG.SIGSEGV, code: !unmapped || where === 'mapped' ? SEGV_ACCERR : SEGV_MAPERR, addr: address };
      this.pendingExit = { kind: 'fault', fault };
      return false;
    });
    for (const [reg, value] of arch.initialRegisters) e.regWrite(reg, value);
    e.watchTranslationBuffer();
  }

  private trapSyscall(regs: RegisterSnapshot): void {
    this.snapshot = regs;
    this.inSyscallHook = true;
    let done: boolean;
    try {
      done = this.onSyscall();
    } finally {
      this.snapshot = undefined;
      this.inSyscallHook = false;
    }
    if (!done) {
      this.pendingExit ??= { kind: 'syscall' };
      this.engine.emuStop();
    } else if (this.engine.translationsNearlyFull) {
      // The next run starts with an empty translation buffer (Engine.emuStart).
      this.requestStop();
    }
  }

  private stopWith(fault: CpuFault): void {
    this.pendingExit = { kind: 'fault', fault };
    this.engine.emuStop();
  }

  /** A hardware breakpoint or watchpoint hit (from inside its hook). */
  debugStop(hit: HwHit): void {
    this.pendingExit = { kind: 'debug', hit };
    this.engine.emuStop();
  }

  /** Asks the engine to stop at the next opportunity (from inside a hook). */
  requestStop(): void {
    this.pendingExit ??= { kind: 'stopped' };
    this.engine.emuStop();
  }

  /** Runs the current register state until something needs the kernel (or `count` instructions ran). */
  run(count = 0): CpuExit {
    this.pendingExit = undefined;
    this.running = true;
    try {
      // Unicorn stops, without running anything, when the PC reaches `until`: that must be an
      // address no guest jumps to (0 is where a call through a NULL pointer or a zero entry
      // point goes, and must fault).
      for (;;) {
        const pc = this.pc;
        this.engine.emuStart(pc, pc === NEVER_PC ? NEVER_PC - 1n : NEVER_PC, 0, count);
        // x86 time reads: the run stopped before a block that holds rdtsc or rdtscp, to
        // translate it again with the hook that catches them.
        const restart = this.timeReads?.takeRestart();
        if (restart === undefined) break;
        this.engine.removeCache(restart.begin, restart.end);
        this.pc = restart.begin;
        if (this.pendingExit !== undefined) break;
      }
      const failed = this.timeReads?.error ?? 0;
      if (failed !== 0) throw new Error(`cannot hook time-reading instructions: uc_err ${failed}`);
    } catch (err) {
      if (!(err instanceof UnicornError)) throw err;
      const pending = this.pendingExit as CpuExit | undefined;
      if (pending?.kind === 'fault') return pending;
      if (err.codeName === 'UC_ERR_INSN_INVALID' && this.arch.invalidInstructionFault !== undefined) {
        const { signal, code } = this.arch.invalidInstructionFault;
        return { kind: 'fault', fault: { signal, code, addr: this.pc } };
      }
      if (err.codeName === 'UC_ERR_INSN_INVALID' || err.codeName === 'UC_ERR_EXCEPTION') {
        return { kind: 'fault', fault: { signal: SIG.SIGILL, code: this.arch.illegalInstructionCode, addr: this.pc } };
      }
      throw err;
    } finally {
      this.running = false;
    }
    return this.pendingExit ?? { kind: 'stopped' };
  }

  /**
   * Hands every time-reading instruction the guest runs (rdtsc, rdtscp, mrs CNTVCT_EL0) to
   * `fn`, which may change the value the guest gets. Installed only when asked (recording,
   * replay): on x86 it costs a hook call per block entered (~1.3x on a CPU-bound loop). Once
   * per CPU.
   */
  watchTimeReads(fn: (read: TimeRead) => void): void {
    const isa = this.arch.timeReads;
    if (isa === undefined || this.timeReads !== undefined) return;
    this.timeReads = this.engine.hookTimeReads(isa, fn);
  }

  private timeReads: TimeReads | undefined;

  /** Starts a budgeted slice: the next runs stop once `bytes` of guest code have executed. */
  armBudget(bytes: bigint): void {
    if (this.budget === undefined) this.budget = this.engine.addBlockBudget();
    else this.engine.attachBlockBudget(this.budget);
    this.budget.arm(bytes);
    this.sliceLimit = bytes;
    this.budgeted = true;
  }

  /**
   * Runs without preemption from here on. The budget's hook is taken out of the engine too (a
   * disarmed hook still costs a call per block, ~15% on a tight loop), at the price of
   * translating the code again; a program that keeps going back and forth between one and
   * several runnable threads keeps the hook after MAX_BUDGET_DETACHES times.
   */
  disarmBudget(): void {
    const budget = this.budget;
    this.budgeted = false;
    this.sliceLimit = BUDGET_NEVER;
    if (budget === undefined) return;
    budget.disarm();
    if (this.budgetDetaches < MAX_BUDGET_DETACHES && !this.counting) {
      this.budgetDetaches++;
      this.engine.detachBlockBudget(budget);
    }
  }

  /**
   * From now on the budget's hook counts every block, also between budgeted slices, so that
   * `budgetUsed` always moves with the guest code run (~15% on a tight loop).
   */
  countAll(): void {
    if (this.counting) return;
    this.counting = true;
    if (this.budget === undefined) this.budget = this.engine.addBlockBudget();
    else this.engine.attachBlockBudget(this.budget);
    if (!this.budgeted) this.budget.disarm();
    // A host signal then stops a run where the count says (not a block already counted).
    this.engine.stopSignalsThrough(this.budget);
  }

  /**
   * Before a run, counting (countAll): `bytes`, when given, is where it must stop at the
   * latest (the next block once that much more guest code has run), unless the slice ends first.
   * Returns the count so far.
   */
  beforeCountedRun(bytes: bigint | undefined): bigint {
    const b = this.budget!;
    if (bytes !== undefined && b.used + bytes < this.sliceLimit) b.limit = b.used + bytes;
    this.stopsBefore = b.stops;
    return b.used;
  }

  /**
   * During a counted run (from a hook): it must stop once `bytes` more guest code has run, if
   * that comes before the slice's end and any nearer stop already set.
   */
  limitRun(bytes: bigint): void {
    const b = this.budget!;
    const at = b.used + bytes;
    if (at < this.sliceLimit && at < b.limit) b.limit = at;
  }

  /**
   * After a counted run: a stop that was not the slice's (a run's own limit, a host signal's)
   * leaves the slice's budget as it was. Returns the count.
   */
  afterCountedRun(): bigint {
    const b = this.budget!;
    if (b.used < this.sliceLimit) {
      if (b.stops !== this.stopsBefore) b.uncountStop();
      b.limit = this.sliceLimit;
    }
    return b.used;
  }

  /** How often the budget has stopped the engine (a run after which this grew ran out of it). */
  get budgetStops(): number {
    return this.budget?.stops ?? 0;
  }

  /** Guest code executed in the current slice (bytes of translation blocks). */
  get budgetUsed(): bigint {
    return this.budget?.used ?? 0n;
  }

  /** Before a direct register read inside the hook: what the snapshot holds must be written first. */
  private beforeDirectRead(): void {
    if (this.snapshot?.dirty === true) this.snapshot.flush();
  }

  /** Before a direct register write inside the hook: the snapshot is flushed and no longer used. */
  private beforeDirectWrite(): void {
    if (this.snapshot === undefined) return;
    this.snapshot.flush();
    this.snapshot = undefined;
  }

  get pc(): bigint {
    this.beforeDirectRead();
    return this.engine.regRead(this.arch.regs.pc);
  }

  /** While a syscall is being handled inside the engine's hook. */
  private inSyscallHook = false;

  /**
   * The pc as Linux reports it during a syscall (regs->ip / pc): past the syscall instruction.
   * Inside x86's syscall hook Unicorn has not yet moved past it.
   */
  get syscallPc(): bigint {
    const pc = this.pc;
    const trap = this.arch.trap;
    return this.inSyscallHook && trap.kind === 'x86-syscall' ? pc + BigInt(trap.length) : pc;
  }

  set pc(v: bigint) {
    this.beforeDirectWrite();
    this.engine.regWrite(this.arch.regs.pc, v);
  }

  get sp(): bigint {
    this.beforeDirectRead();
    return this.engine.regRead(this.arch.regs.sp);
  }

  set sp(v: bigint) {
    this.beforeDirectWrite();
    this.engine.regWrite(this.arch.regs.sp, v);
  }

  /** The syscall number register. */
  readSyscallNumber(): number {
    const snap = this.snapshot;
    if (snap !== undefined) return snap.low32(this.nrSlot) | 0;
    return this.engine.regReadU32(this.arch.regs.nr) | 0;
  }

  /** The six argument registers (from the snapshot inside the hook, else one batched read). */
  readArgs(): bigint[] {
    const snap = this.snapshot;
    if (snap !== undefined) return this.argSlots.map((slot) => snap.value(slot));
    return this.engine.regReadBatch(this.arch.regs.args);
  }

  readFirstArg(): bigint {
    const snap = this.snapshot;
    if (snap !== undefined) return snap.value(this.argSlots[0]!);
    return this.engine.regRead(this.arch.regs.args[0]);
  }

  /** Whether the return register is also the first argument's (arm64 x0, riscv a0). */
  readonly returnClobbersFirstArg: boolean;

  /** The return register as it is (after a call that set all registers itself). */
  readReturn(): bigint {
    const snap = this.snapshot;
    if (snap !== undefined) return snap.value(this.retSlot);
    return this.engine.regRead(this.arch.regs.ret);
  }

  setReturn(value: bigint): void {
    const snap = this.snapshot;
    if (snap !== undefined) snap.set(this.retSlot, BigInt.asUintN(64, value));
    else this.engine.regWrite(this.arch.regs.ret, BigInt.asUintN(64, value));
  }

  setTls(value: bigint): void {
    this.beforeDirectWrite();
    this.engine.regWrite(this.arch.tls, value);
  }

  getTls(): bigint {
    this.beforeDirectRead();
    return this.engine.regRead(this.arch.tls);
  }

  /** Register access for arch code (signal frames) that must not see the engine itself. */
  readonly registers: RegisterFile = {
    read: (id) => {
      this.beforeDirectRead();
      return this.engine.regRead(id);
    },
    write: (id, v) => {
      this.beforeDirectWrite();
      this.engine.regWrite(id, v);
    },
    readBytes: (id, size) => {
      this.beforeDirectRead();
      return this.engine.regReadBytes(id, size);
    },
    writeBytes: (id, data) => {
      this.beforeDirectWrite();
      this.engine.regWriteBytes(id, data);
    },
  };

  /**
   * The registers of the task on this CPU, to put back later with restoreContext (reusing
   * `into`'s storage when given): Unicorn's context plus the registers it drops.
   */
  saveContext(into?: CpuContext): CpuContext {
    const context = this.engine.contextSave(into?.context);
    const saved = into ?? new CpuContext(context);
    const lost = this.arch.contextLostRegisters ?? [];
    lost.forEach((id, i) => (saved.lost[i] = this.engine.regRead(id)));
    return saved;
  }

  restoreContext(saved: CpuContext): void {
    this.engine.contextRestore(saved.context);
    const lost = this.arch.contextLostRegisters ?? [];
    lost.forEach((id, i) => this.engine.regWrite(id, saved.lost[i]!));
  }

  close(): void {
    this.engine.close();
  }
}

/** A task's registers while another task runs on its CPU. */
export class CpuContext {
  /** The values of the arch's contextLostRegisters, in order. */
  readonly lost: bigint[] = [];

  constructor(readonly context: Context) {}

  free(): void {
    this.context.free();
  }
}
