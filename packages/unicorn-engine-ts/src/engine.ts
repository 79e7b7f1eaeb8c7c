// A Unicorn engine with a typed surface: memory, registers, hooks, execution, contexts, uc_ctl.
import { engineClosing, engineOpened, engineStopsThrough } from './host-signals.js';
import {
  UC_CTL_CPU_MODEL,
  UC_CTL_IO_WRITE,
  UC_CTL_TB_FLUSH,
  UC_CTL_TB_REMOVE_CACHE,
  UC_CTL_TCG_BUFFER_SIZE,
  UC_CTL_TLB_FLUSH,
  UC_ERR_ARG,
  UC_ERR_HANDLE,
  UC_HOOK_BLOCK,
  UC_HOOK_CODE,
  UC_HOOK_INSN,
  UC_HOOK_INTR,
  UC_HOOK_MEM_INVALID,
  UC_HOOK_MEM_READ,
  UC_HOOK_MEM_READ_AFTER,
  UC_HOOK_MEM_WRITE,
  UC_HOOK_MEM_VALID,
  UC_X86_INS_SYSCALL,
  UC_ARM64_INS_MRS,
  UC_ARCH_ARM64,
  UC_ARCH_RISCV,
  UC_ARCH_X86,
  UC_ARM64_REG_PC,
  UC_RISCV_REG_PC,
  UC_X86_REG_RIP,
} from './consts.js';
import { UnicornError } from './errors.js';
import {
  addHookRecord,
  newHookId,
  removeHookRecord,
  trampolines,
  type CodeHook,
  type HookFn,
  type HookOwner,
  type InterruptHook,
  type MemAccessHook,
  type MemInvalidHook,
  type SyscallHook,
} from './hooks.js';
import { koffi, snapshotLibrary, unicorn, type UnicornApi } from './library.js';
import { RegisterSnapshot } from './register-snapshot.js';
import { BlockBudget } from './block-budget.js';
import { TranslationBuffer } from './translation-buffer.js';
import { TimeReads, type TimeReadHook } from './time-reads.js';

/** A mapped range as uc_mem_regions reports it; `end` is inclusive. */
export interface MemRegion {
  begin: bigint;
  end: bigint;
  perms: number;
}

/** A hook installed on an engine; pass it to Engine.hookDel. */
export type HookHandle = { readonly id: number };

/** A register-snapshot hook: its handle (for hookDel) and the registers its callback sees. */
export interface RegisterHook {
  readonly handle: HookHandle;
  readonly regs: RegisterSnapshot;
}

/** The Unicorn library's version (loads the library on first call). */
export function unicornVersion(): { major: number; minor: number; patch: number; text: string } {
  return { ...unicorn().version };
}

// ---- scratch memory ------------------------------------------------------------------------
// Native memory the binding reuses for every out-parameter and register value, so that a
// register read is one FFI call with integer arguments and one typed-array load. JavaScript
// runs one call at a time, so one area serves all engines.

/** Register ids per uc_reg_*_batch call; longer lists take several calls. */
const BATCH_MAX = 64;
/** Bytes per batch value slot: wide enough for any register (x86 ZMM is 64 bytes). */
const SLOT = 64;

const OUT0 = 0; // 8 bytes: uc_engine*, uc_hook, uc_context*, uc_mem_region*
const OUT1 = 8; // 8 bytes: uc_mem_regions' count, uc_reg_*2's size
const REG = 16; // one register value (up to SLOT bytes are written by wide registers)
const IDS = REG + SLOT; // int32 register ids
const PTRS = IDS + 4 * BATCH_MAX; // void* per id, pointing into VALS
const VALS = PTRS + 8 * BATCH_MAX; // SLOT bytes per id
const SCRATCH_SIZE = VALS + SLOT * BATCH_MAX;

interface Scratch {
  readonly base: number;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly u64: BigUint64Array;
}

let scratchCache: Scratch | undefined;

function scratch(): Scratch {
  if (scratchCache !== undefined) return scratchCache;
  const k = koffi();
  const ptr = k.alloc('uint8_t', SCRATCH_SIZE) as bigint;
  const buffer = k.view(ptr, SCRATCH_SIZE);
  const s: Scratch = {
    base: Number(ptr),
    i32: new Int32Array(buffer),
    u32: new Uint32Array(buffer),
    u64: new BigUint64Array(buffer),
  };
  for (let i = 0; i < BATCH_MAX; i++) s.u64[PTRS / 8 + i] = ptr + BigInt(VALS + i * SLOT);
  return (scratchCache = s);
}

// Unicorn's API and the scratch area, set once the first engine is open (every method that
// uses them runs on an engine or context, so they are set by then).
let U: UnicornApi;
let S: Scratch;

const errorTexts = new Map<number, string>();

function fail(code: number, op: string): UnicornError {
  let text = errorTexts.get(code);
  if (text === undefined) {
    text = U.uc_strerror(code);
    errorTexts.set(code, text);
  }
  return new UnicornError(code, op, text);
}

function closed(op: string): UnicornError {
  return new UnicornError(UC_ERR_HANDLE, op, 'the engine or context is closed');
}

// Register access, shared by engines (uc_reg_*) and contexts (uc_context_reg_*).
type RegFn = (handle: number, regid: number, value: number) => number;
type RegBytesFn = (handle: number, regid: number, value: Uint8Array, size: number) => number;
type RegBatchFn = (handle: number, regs: number, vals: number, count: number) => number;

function regRead(fn: RegFn, handle: number, id: number, op: string): bigint {
  S.u64[REG / 8] = 0n; // registers narrower than 8 bytes write only their own bytes
  const err = fn(handle, id, S.base + REG);
  if (err !== 0) throw fail(err, op);
  return S.u64[REG / 8]!;
}

/** The low 32 bits of a register as a number: no BigInt on hot paths that need only that. */
function regReadLow32(fn: RegFn, handle: number, id: number, op: string): number {
  S.u32[REG / 4] = 0;
  const err = fn(handle, id, S.base + REG);
  if (err !== 0) throw fail(err, op);
  return S.u32[REG / 4]!;
}

function regWrite(fn: RegFn, handle: number, id: number, value: bigint, op: string): void {
  S.u64[REG / 8] = value; // BigUint64Array stores value mod 2^64: negative values wrap
  S.u64[REG / 8 + 1] = 0n; // a 128-bit register gets its upper half cleared
  const err = fn(handle, id, S.base + REG);
  if (err !== 0) throw fail(err, op);
}

function regReadBatch(fn: RegBatchFn, handle: number, ids: readonly number[], op: string): bigint[] {
  const n = ids.length;
  const out = new Array<bigint>(n);
  for (let start = 0; start < n; start += BATCH_MAX) {
    const m = Math.min(BATCH_MAX, n - start);
    for (let i = 0; i < m; i++) {
      S.i32[IDS / 4 + i] = ids[start + i]!;
      S.u64[VALS / 8 + (i * SLOT) / 8] = 0n;
    }
    const err = fn(handle, S.base + IDS, S.base + PTRS, m);
    if (err !== 0) throw fail(err, op);
    for (let i = 0; i < m; i++) out[start + i] = S.u64[VALS / 8 + (i * SLOT) / 8]!;
  }
  return out;
}

function regWriteBatch(fn: RegBatchFn, handle: number, ids: readonly number[], values: readonly bigint[], op: string): void {
  const n = ids.length;
  if (values.length !== n) throw new UnicornError(UC_ERR_ARG, op, `${n} register ids but ${values.length} values`);
  for (let start = 0; start < n; start += BATCH_MAX) {
    const m = Math.min(BATCH_MAX, n - start);
    for (let i = 0; i < m; i++) {
      S.i32[IDS / 4 + i] = ids[start + i]!;
      S.u64[VALS / 8 + (i * SLOT) / 8] = values[start + i]!;
      S.u64[VALS / 8 + (i * SLOT) / 8 + 1] = 0n;
    }
    const err = fn(handle, S.base + IDS, S.base + PTRS, m);
    if (err !== 0) throw fail(err, op);
  }
}

function regReadBytes(fn: RegBytesFn, handle: number, id: number, size: number, op: string): Uint8Array {
  const buf = new Uint8Array(size);
  S.u64[OUT1 / 8] = BigInt(size); // in: the buffer's size (Unicorn refuses smaller); out: the register's
  const err = fn(handle, id, buf, S.base + OUT1);
  if (err !== 0) throw fail(err, op);
  const written = Number(S.u64[OUT1 / 8]);
  return written < size ? buf.slice(0, written) : buf;
}

function regWriteBytes(fn: RegBytesFn, handle: number, id: number, data: Uint8Array, op: string): void {
  S.u64[OUT1 / 8] = BigInt(data.length);
  const err = fn(handle, id, data, S.base + OUT1);
  if (err !== 0) throw fail(err, op);
}

// ---- contexts ------------------------------------------------------------------------------

/**
 * A saved CPU state (uc_context): registers, including SIMD/FP state and TLS registers.
 * Made by Engine.contextSave; belongs to that engine (never restore it into another).
 * Its registers can be read and changed while it is not loaded, for example for a stopped thread.
 */
export class Context {
  /** uc_context*, 0 once freed. */
  private ptr: number;
  /** The engine that made it. */
  readonly engine: Engine;
  private readonly onFree: (ctx: Context) => void;

  /** @internal Use Engine.contextSave. */
  constructor(engine: Engine, ptr: number, onFree: (ctx: Context) => void) {
    this.engine = engine;
    this.ptr = ptr;
    this.onFree = onFree;
  }

  /** @internal */
  handle(op: string): number {
    if (this.ptr === 0) throw closed(op);
    return this.ptr;
  }

  get freed(): boolean {
    return this.ptr === 0;
  }

  /** uc_context_free. Idempotent; Engine.close frees every context it made. */
  free(): void {
    if (this.ptr === 0) return;
    const ptr = this.ptr;
    this.ptr = 0;
    this.onFree(this);
    U.uc_context_free(ptr);
  }

  regRead(id: number): bigint {
    return regRead(U.uc_context_reg_read, this.handle('uc_context_reg_read'), id, 'uc_context_reg_read');
  }
  regWrite(id: number, value: bigint): void {
    regWrite(U.uc_context_reg_write, this.handle('uc_context_reg_write'), id, value, 'uc_context_reg_write');
  }
  regReadBatch(ids: readonly number[]): bigint[] {
    return regReadBatch(U.uc_context_reg_read_batch, this.handle('uc_context_reg_read_batch'), ids, 'uc_context_reg_read_batch');
  }
  regWriteBatch(ids: readonly number[], values: readonly bigint[]): void {
    regWriteBatch(U.uc_context_reg_write_batch, this.handle('uc_context_reg_write_batch'), ids, values, 'uc_context_reg_write_batch');
  }
  regReadBytes(id: number, size: number): Uint8Array {
    return regReadBytes(U.uc_context_reg_read2, this.handle('uc_context_reg_read2'), id, size, 'uc_context_reg_read2');
  }
  regWriteBytes(id: number, data: Uint8Array): void {
    regWriteBytes(U.uc_context_reg_write2, this.handle('uc_context_reg_write2'), id, data, 'uc_context_reg_write2');
  }
}

// ---- engine --------------------------------------------------------------------------------

const ctl = (type: number, nr: number, rw: number): number => type | (nr << 26) | (rw << 30);
const CTL_CPU_MODEL = ctl(UC_CTL_CPU_MODEL, 1, UC_CTL_IO_WRITE);
const CTL_TCG_BUFFER_SIZE = ctl(UC_CTL_TCG_BUFFER_SIZE, 1, UC_CTL_IO_WRITE);
const CTL_REMOVE_CACHE = ctl(UC_CTL_TB_REMOVE_CACHE, 2, UC_CTL_IO_WRITE);
const CTL_TB_FLUSH = ctl(UC_CTL_TB_FLUSH, 0, UC_CTL_IO_WRITE);
const CTL_TLB_FLUSH = ctl(UC_CTL_TLB_FLUSH, 0, UC_CTL_IO_WRITE);

/** Hook kinds that put every guest load and store on Unicorn's slow path (6–7x slower code). */
const FORBIDDEN_HOOKS = UC_HOOK_MEM_VALID | UC_HOOK_MEM_READ_AFTER;
/** Hook kinds compiled into translated code: adding one must drop existing translations. */
const TRANSLATED_HOOKS = UC_HOOK_CODE | UC_HOOK_BLOCK;

const ALL_BEGIN = 1n; // begin > end: the hook covers every address
const ALL_END = 0n;

/** A Unicorn engine: one guest address space and the CPU executing in it. */
export class Engine implements HookOwner {
  readonly arch: number;
  readonly mode: number;
  /** uc_engine*, 0 once closed. */
  private uc: number;
  /** This engine's hooks: id → uc_hook. */
  private readonly hooks = new Map<number, bigint>();
  private readonly contexts = new Set<Context>();
  private readonly forgetContext = (ctx: Context): void => void this.contexts.delete(ctx);
  /** Whether a hook threw during the current emuStart, and what. */
  private hookThrew = false;
  private hookError: unknown = undefined;
  /** Whether translations may exist that were made without the current hooks or count mode. */
  private translated = false;
  /** Whether the last emuStart ran with a count (Unicorn keeps its counting hook installed). */
  private counting = false;
  /** Register snapshots of this engine's snapshot hooks: hook id → snapshot. */
  private readonly snapshots = new Map<number, RegisterSnapshot>();
  /** x86 time-read hooks, whose native set of blocks is freed at close. */
  private readonly timeReads: TimeReads[] = [];
  /** Snapshots of hooks deleted while emuStart ran: freed once it returns (a C hook may be using one). */
  private retired: RegisterSnapshot[] = [];
  /** emuStart calls under way (a C hook can be running only then). */
  private running = 0;
  /** Block budgets whose hook is installed: a run one stops goes on at the block it names. */
  private readonly budgets = new Set<BlockBudget>();
  /** The size given to setTcgBufferSize (0: Unicorn's default). */
  private tcgBufferSize = 0;
  /** Where translations go, once watchTranslationBuffer found it. */
  private translationBuffer: TranslationBuffer | undefined;

  private constructor(uc: number, arch: number, mode: number) {
    this.uc = uc;
    this.arch = arch;
    this.mode = mode;
    this.pcRegister = arch === UC_ARCH_X86 ? UC_X86_REG_RIP : arch === UC_ARCH_ARM64 ? UC_ARM64_REG_PC : arch === UC_ARCH_RISCV ? UC_RISCV_REG_PC : -1;
  }

  /** The program counter's register id (-1 for an architecture the binding does not know it of). */
  private readonly pcRegister: number;

  /** uc_open. Loads libunicorn on first use (UnicornLoadError if it is missing or not 2.1.x). */
  static open(arch: number, mode: number): Engine {
    U = unicorn();
    S = scratch();
    S.u64[OUT0 / 8] = 0n;
    const err = U.uc_open(arch, mode, S.base + OUT0);
    if (err !== 0) throw fail(err, 'uc_open');
    const uc = Number(S.u64[OUT0 / 8]);
    engineOpened(uc);
    return new Engine(uc, arch, mode);
  }

  get closed(): boolean {
    return this.uc === 0;
  }

  private handle(op: string): number {
    if (this.uc === 0) throw closed(op);
    return this.uc;
  }

  /** uc_close, after freeing this engine's contexts and forgetting its hooks. Idempotent. */
  close(): void {
    if (this.uc === 0) return;
    for (const ctx of [...this.contexts]) ctx.free();
    for (const id of this.hooks.keys()) removeHookRecord(id);
    this.hooks.clear();
    const uc = this.uc;
    this.uc = 0;
    this.translationBuffer?.release();
    this.translationBuffer = undefined;
    engineClosing(uc);
    const err = U.uc_close(uc);
    for (const regs of this.snapshots.values()) this.retire(regs);
    this.snapshots.clear();
    for (const reads of this.timeReads) snapshotLibrary().timeFree(reads.ptr);
    this.timeReads.length = 0;
    if (err !== 0) throw fail(err, 'uc_close');
  }

  // ---- memory ------------------------------------------------------------------------------

  memMap(addr: bigint, size: bigint | number, perms: number): void {
    const err = U.uc_mem_map(this.handle('uc_mem_map'), addr, BigInt(size), perms);
    if (err !== 0) throw fail(err, 'uc_mem_map');
  }

  /** Maps guest [addr, addr+size) onto host memory at hostPtr (for example HostMemory.ptr + offset). */
  memMapPtr(addr: bigint, size: bigint | number, perms: number, hostPtr: bigint): void {
    const err = U.uc_mem_map_ptr(this.handle('uc_mem_map_ptr'), addr, BigInt(size), perms, hostPtr);
    if (err !== 0) throw fail(err, 'uc_mem_map_ptr');
  }

  memUnmap(addr: bigint, size: bigint | number): void {
    const err = U.uc_mem_unmap(this.handle('uc_mem_unmap'), addr, BigInt(size));
    if (err !== 0) throw fail(err, 'uc_mem_unmap');
  }

  memProtect(addr: bigint, size: bigint | number, perms: number): void {
    const err = U.uc_mem_protect(this.handle('uc_mem_protect'), addr, BigInt(size), perms);
    if (err !== 0) throw fail(err, 'uc_mem_protect');
  }

  /** A copy of guest memory (ignores guest permissions, as uc_mem_read does). */
  memRead(addr: bigint, size: number): Uint8Array {
    const out = new Uint8Array(size);
    const err = U.uc_mem_read(this.handle('uc_mem_read'), addr, out, size);
    if (err !== 0) throw fail(err, 'uc_mem_read');
    return out;
  }

  /** Writes guest memory (ignores guest permissions). Writing code needs removeCache afterwards. */
  memWrite(addr: bigint, data: Uint8Array): void {
    const err = U.uc_mem_write(this.handle('uc_mem_write'), addr, data, data.length);
    if (err !== 0) throw fail(err, 'uc_mem_write');
  }

  memRegions(): MemRegion[] {
    S.u64[OUT0 / 8] = 0n;
    S.u64[OUT1 / 8] = 0n;
    const err = U.uc_mem_regions(this.handle('uc_mem_regions'), S.base + OUT0, S.base + OUT1);
    if (err !== 0) throw fail(err, 'uc_mem_regions');
    const array = S.u64[OUT0 / 8]!;
    const count = S.u32[OUT1 / 4]!;
    const out: MemRegion[] = [];
    if (count > 0) {
      // struct uc_mem_region { uint64_t begin; uint64_t end; uint32_t perms; }: 24 bytes each.
      const buffer = koffi().view(array, count * 24);
      const u64 = new BigUint64Array(buffer);
      const u32 = new Uint32Array(buffer);
      for (let i = 0; i < count; i++) out.push({ begin: u64[i * 3]!, end: u64[i * 3 + 1]!, perms: u32[i * 6 + 4]! });
    }
    if (array !== 0n) U.uc_free(array);
    return out;
  }

  // ---- registers ---------------------------------------------------------------------------

  /** A register's value; registers wider than 64 bits give their low 64 bits (see regReadBytes). */
  regRead(id: number): bigint {
    return regRead(U.uc_reg_read, this.handle('uc_reg_read'), id, 'uc_reg_read');
  }

  /** A register's low 32 bits as an unsigned number (a syscall number, a flag word). */
  regReadU32(id: number): number {
    return regReadLow32(U.uc_reg_read, this.handle('uc_reg_read'), id, 'uc_reg_read');
  }

  /** Sets a register; value is taken modulo 2^64 (a 128-bit register gets a zero upper half). */
  regWrite(id: number, value: bigint): void {
    regWrite(U.uc_reg_write, this.handle('uc_reg_write'), id, value, 'uc_reg_write');
  }

  /** Several registers in one uc_reg_read_batch call (64 ids per call), as 64-bit values. */
  regReadBatch(ids: readonly number[]): bigint[] {
    return regReadBatch(U.uc_reg_read_batch, this.handle('uc_reg_read_batch'), ids, 'uc_reg_read_batch');
  }

  regWriteBatch(ids: readonly number[], values: readonly bigint[]): void {
    regWriteBatch(U.uc_reg_write_batch, this.handle('uc_reg_write_batch'), ids, values, 'uc_reg_write_batch');
  }

  /**
   * A register's bytes (uc_reg_read2), little-endian: for wide registers (arm64 Q0–Q31 and x86
   * XMM are 16 bytes). `size` is the buffer offered; UC_ERR_OVERFLOW if the register is larger.
   * The result is as long as the register (at most `size`).
   */
  regReadBytes(id: number, size: number): Uint8Array {
    return regReadBytes(U.uc_reg_read2, this.handle('uc_reg_read2'), id, size, 'uc_reg_read2');
  }

  /** Sets a register from its bytes (uc_reg_write2); UC_ERR_OVERFLOW if data is shorter than it. */
  regWriteBytes(id: number, data: Uint8Array): void {
    regWriteBytes(U.uc_reg_write2, this.handle('uc_reg_write2'), id, data, 'uc_reg_write2');
  }

  // ---- hooks -------------------------------------------------------------------------------

  /** @internal Called by the trampolines when one of this engine's hooks throws. */
  hookFailed(error: unknown): void {
    if (!this.hookThrew) {
      this.hookThrew = true;
      this.hookError = error;
    }
    if (this.uc !== 0) U.uc_emu_stop(this.uc);
  }

  private install(type: number, callback: bigint, userData: number | bigint, begin: bigint, end: bigint, extra: unknown[], slowMemory = false): bigint {
    const uc = this.handle('uc_hook_add');
    if ((type & FORBIDDEN_HOOKS) !== 0 && !slowMemory) {
      throw new UnicornError(UC_ERR_ARG, 'uc_hook_add', 'memory read/write hooks turn off Unicorn 2.1\'s fast memory path (6-7x slower guest code); use hookMemInvalid');
    }
    // Unicorn compiles code and block hooks into the translations it makes; translations made
    // before the hook existed would run without it.
    if ((type & TRANSLATED_HOOKS) !== 0) this.flushTranslations();
    S.u64[OUT0 / 8] = 0n;
    const err = U.uc_hook_add(uc, S.base + OUT0, type, callback, userData, begin, end, ...extra);
    if (err !== 0) throw fail(err, 'uc_hook_add');
    return S.u64[OUT0 / 8]!;
  }

  private addJsHook(type: number, callback: bigint, fn: HookFn, begin: bigint, end: bigint, extra: unknown[] = [], slowMemory = false): HookHandle {
    const id = newHookId();
    addHookRecord(id, this, fn);
    try {
      this.hooks.set(id, this.install(type, callback, id, begin, end, extra, slowMemory));
    } catch (e) {
      removeHookRecord(id);
      throw e;
    }
    return { id };
  }

  /** UC_HOOK_INTR: aarch64 `svc` is intno 2 (PC already past it), riscv64 `ecall` intno 8. */
  hookInterrupt(cb: InterruptHook): HookHandle {
    return this.addJsHook(UC_HOOK_INTR, trampolines().interrupt, cb, ALL_BEGIN, ALL_END);
  }

  /** UC_HOOK_INSN for x86 `syscall`: RIP is at the instruction; Unicorn adds 2 after the hook. */
  hookX86Syscall(cb: SyscallHook): HookHandle {
    return this.addJsHook(UC_HOOK_INSN, trampolines().syscall, cb, ALL_BEGIN, ALL_END, ['int', UC_X86_INS_SYSCALL]);
  }

  /**
   * UC_HOOK_MEM_INVALID: every unmapped or protection fault (type is a UC_MEM_* value). Return
   * true only after making the access possible; false stops emulation with the fault's error.
   */
  hookMemInvalid(cb: MemInvalidHook): HookHandle {
    return this.addJsHook(UC_HOOK_MEM_INVALID, trampolines().memInvalid, cb, ALL_BEGIN, ALL_END);
  }

  /**
   * UC_HOOK_MEM_READ and/or UC_HOOK_MEM_WRITE (`type`) over [begin, end]: called before each
   * load or store there. While such a hook exists, every guest load and store takes Unicorn's
   * slow path (6-7x slower code): install one only for as long as it is needed (a debugger's
   * watchpoint), then hookDel it.
   */
  hookMemAccess(type: number, cb: MemAccessHook, begin: bigint, end: bigint): HookHandle {
    if ((type & ~(UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE)) !== 0 || type === 0) {
      throw new UnicornError(UC_ERR_ARG, 'uc_hook_add', 'hookMemAccess takes UC_HOOK_MEM_READ and/or UC_HOOK_MEM_WRITE');
    }
    return this.addJsHook(type, trampolines().memAccess, cb, begin, end, [], true);
  }

  /** UC_HOOK_BLOCK over [begin, end] (every address by default). Drops existing translations. */
  hookBlock(cb: CodeHook, begin: bigint = ALL_BEGIN, end: bigint = ALL_END): HookHandle {
    return this.addJsHook(UC_HOOK_BLOCK, trampolines().code, cb, begin, end);
  }

  /**
   * A block budget (native/block-budget.c) over every address: a C UC_HOOK_BLOCK that stops the
   * run once `arm`ed bytes of guest code have executed. Drops existing translations. The budget
   * lives as long as the engine (its memory is never freed while a hook may run).
   */
  addBlockBudget(): BlockBudget {
    const budget = new BlockBudget();
    this.attachBlockBudget(budget);
    return budget;
  }

  /**
   * Takes the budget's hook out of the engine and drops the translations that call it: guest
   * code then runs without the per-block call (Unicorn compiles a block hook into every
   * translation, where it costs even while the budget is disarmed). The budget keeps its
   * counts; attachBlockBudget puts it back.
   */
  detachBlockBudget(budget: BlockBudget): void {
    if (budget.hook === undefined) return;
    this.hookDel(budget.hook);
    budget.hook = undefined;
    this.budgets.delete(budget);
    this.flushTranslations();
  }

  /**
   * A host signal (watchHostSignals) stops this engine through `budget` (its limit set to 0,
   * the stop at the next block, which is not counted) instead of uc_emu_stop: the budget's
   * count then names the place exactly. The budget's hook must stay installed.
   */
  stopSignalsThrough(budget: BlockBudget): void {
    engineStopsThrough(this.handle('stopSignalsThrough'), budget.limitAddress);
  }

  /** Installs a budget's hook (again); drops existing translations. */
  attachBlockBudget(budget: BlockBudget): void {
    if (budget.hook !== undefined) return;
    const id = newHookId();
    this.hooks.set(id, this.install(UC_HOOK_BLOCK, snapshotLibrary().budgetBlock, budget.ptr, ALL_BEGIN, ALL_END, []));
    budget.hook = { id };
    this.budgets.add(budget);
  }

  /**
   * The guest's reads of a cycle or time counter (native/time-reads.c): `fn` sees the value
   * the emulator would give and may replace it; the guest gets what `fn` leaves. `isa` says
   * which hook: 'x86' (rdtsc, rdtscp: a C block hook that adds code hooks over the blocks
   * holding them; after a run stopped for it, TimeReads.takeRestart says which translation to
   * drop and where to start again) or 'arm64' (mrs CNTVCT_EL0: UC_HOOK_INSN + MRS, compiled
   * into each mrs only). Drops existing translations.
   */
  hookTimeReads(isa: 'x86' | 'arm64', fn: TimeReadHook): TimeReads {
    const lib = snapshotLibrary();
    const id = newHookId();
    const reads = new TimeReads(trampolines().syscall, id);
    addHookRecord(id, this, () => reads.dispatch(fn));
    try {
      if (isa === 'x86') {
        this.hooks.set(id, this.install(UC_HOOK_BLOCK, lib.timeX86Block, reads.ptr, ALL_BEGIN, ALL_END, []));
        this.timeReads.push(reads);
      } else {
        // The mrs hook is compiled into translations as well.
        this.flushTranslations();
        this.hooks.set(id, this.install(UC_HOOK_INSN, lib.timeArm64Mrs, reads.ptr, ALL_BEGIN, ALL_END, ['int', UC_ARM64_INS_MRS]));
      }
    } catch (e) {
      removeHookRecord(id);
      throw e;
    }
    return reads;
  }

  /** UC_HOOK_CODE over [begin, end] (every address by default). Drops existing translations. */
  hookCode(cb: CodeHook, begin: bigint = ALL_BEGIN, end: bigint = ALL_END): HookHandle {
    return this.addJsHook(UC_HOOK_CODE, trampolines().code, cb, begin, end);
  }

  /**
   * A native hook: `callback` is a C function of the type Unicorn expects for `type` (for
   * example from NativeLibrary.symbol), `userData` its last argument. For UC_HOOK_INSN pass the
   * instruction id as `insn`.
   */
  hookNative(type: number, callback: bigint, userData: bigint | number = 0, begin: bigint = ALL_BEGIN, end: bigint = ALL_END, insn?: number): HookHandle {
    const hh = this.install(type, callback, userData, begin, end, insn === undefined ? [] : ['int', insn]);
    const id = newHookId();
    this.hooks.set(id, hh);
    return { id };
  }

  /**
   * UC_HOOK_INTR through a C hook that first reads the registers `ids` (one uc_reg_read_batch)
   * into `regs`, then calls `cb(intno)`, then writes back the slots `cb` set. Slot i is ids[i]
   * (at most 32). Needs the native library scripts/build-native.sh builds.
   */
  hookInterruptWithRegisters(ids: readonly number[], cb: InterruptHook): RegisterHook {
    return this.addSnapshotHook(UC_HOOK_INTR, snapshotLibrary().intr, trampolines().interrupt, ids, cb, []);
  }

  /** hookX86Syscall through the register-snapshot C hook (see hookInterruptWithRegisters). */
  hookX86SyscallWithRegisters(ids: readonly number[], cb: SyscallHook): RegisterHook {
    return this.addSnapshotHook(UC_HOOK_INSN, snapshotLibrary().insn, trampolines().syscall, ids, cb, ['int', UC_X86_INS_SYSCALL]);
  }

  private addSnapshotHook(type: number, cHook: bigint, trampoline: bigint, ids: readonly number[], fn: HookFn, extra: unknown[]): RegisterHook {
    this.handle('uc_hook_add');
    const id = newHookId();
    const regs = new RegisterSnapshot(ids, trampoline, id, (reg, value) => this.regWrite(reg, value));
    try {
      this.regReadBatch(ids); // UC_ERR_ARG now for an id this CPU does not have, not in the hook
      addHookRecord(id, this, fn);
      this.hooks.set(id, this.install(type, cHook, regs.ptr, ALL_BEGIN, ALL_END, extra));
    } catch (e) {
      removeHookRecord(id);
      regs.release();
      throw e;
    }
    this.snapshots.set(id, regs);
    return { handle: { id }, regs };
  }

  /** Frees a snapshot now, or once emuStart returns if a C hook may be using it. */
  private retire(regs: RegisterSnapshot): void {
    if (this.running > 0) this.retired.push(regs);
    else regs.release();
  }

  hookDel(h: HookHandle): void {
    const hh = this.hooks.get(h.id);
    if (hh === undefined) throw new UnicornError(UC_ERR_ARG, 'uc_hook_del', `hook ${h.id} is not installed on this engine`);
    const err = U.uc_hook_del(this.handle('uc_hook_del'), hh);
    if (err !== 0) throw fail(err, 'uc_hook_del');
    this.hooks.delete(h.id);
    removeHookRecord(h.id);
    const regs = this.snapshots.get(h.id);
    if (regs !== undefined) {
      this.snapshots.delete(h.id);
      this.retire(regs);
    }
  }

  // ---- execution ---------------------------------------------------------------------------

  /**
   * uc_emu_start. Runs until `until`, a stop (emuStop, a hook), `timeoutUs` microseconds
   * (0: none) or `count` instructions (0: no limit). If a hook threw, rethrows that exception;
   * otherwise a fault or other error is a UnicornError.
   */
  emuStart(begin: bigint, until: bigint, timeoutUs = 0, count = 0): void {
    const uc = this.handle('uc_emu_start');
    if (this.translationBuffer?.reachedProbe === true) this.flushTranslations();
    if (count > 0) {
      // Unicorn counts through a code hook it adds on the first counted run, but translations
      // made before that run have no call to it and would run uncounted: drop them.
      if (!this.counting) this.flushTranslations();
      this.counting = true;
    } else {
      this.counting = false; // Unicorn removes its counting hook and drops all translations itself
    }
    this.translated = true;
    this.hookThrew = false;
    this.hookError = undefined;
    let err: number;
    for (const b of this.budgets) b.forgetStop();
    this.running++;
    try {
      err = U.uc_emu_start(uc, begin, until, timeoutUs, count);
    } finally {
      this.running--;
    }
    // Unicorn 2.1.1 leaves the PC where the last block that stored it began when a stop comes
    // before a block while any UC_HOOK_CODE exists (native/block-budget.c): a budget's stop
    // names its block, and the run goes on there.
    if (err === 0 && this.pcRegister >= 0) {
      for (const b of this.budgets) if (b.stopAddress !== 0n) this.regWrite(this.pcRegister, b.stopAddress);
    }
    // A register-snapshot C hook that failed to read or write back a register stopped the run.
    let snapshotError: UnicornError | undefined;
    if (this.snapshots.size > 0 || this.retired.length > 0) snapshotError = this.endSnapshots();
    if (this.hookThrew) {
      const e = this.hookError;
      this.hookThrew = false;
      this.hookError = undefined;
      throw e;
    }
    if (snapshotError !== undefined) throw snapshotError;
    if (err !== 0) throw fail(err, 'uc_emu_start');
  }

  /** After a run: the first error a snapshot hook recorded (all are cleared); frees retired snapshots. */
  private endSnapshots(): UnicornError | undefined {
    let first: UnicornError | undefined;
    for (const regs of this.snapshots.values()) {
      const e = regs.takeError();
      first ??= e;
    }
    if (this.running === 0 && this.retired.length > 0) {
      for (const regs of this.retired) {
        const e = regs.takeError();
        first ??= e;
        regs.release();
      }
      this.retired = [];
    }
    return first;
  }

  /** uc_emu_stop: from a hook, ends the current emuStart once the hook returns. */
  emuStop(): void {
    const err = U.uc_emu_stop(this.handle('uc_emu_stop'));
    if (err !== 0) throw fail(err, 'uc_emu_stop');
  }

  // ---- contexts ----------------------------------------------------------------------------

  /** uc_context_save into `into` (one of this engine's contexts) or a new context. */
  contextSave(into?: Context): Context {
    const uc = this.handle('uc_context_save');
    let ctx = into;
    if (ctx === undefined) {
      S.u64[OUT0 / 8] = 0n;
      const err = U.uc_context_alloc(uc, S.base + OUT0);
      if (err !== 0) throw fail(err, 'uc_context_alloc');
      ctx = new Context(this, Number(S.u64[OUT0 / 8]), this.forgetContext);
      this.contexts.add(ctx);
    } else if (ctx.engine !== this) {
      throw new UnicornError(UC_ERR_ARG, 'uc_context_save', 'the context belongs to another engine');
    }
    const err = U.uc_context_save(uc, ctx.handle('uc_context_save'));
    if (err !== 0) throw fail(err, 'uc_context_save');
    return ctx;
  }

  contextRestore(ctx: Context): void {
    const uc = this.handle('uc_context_restore');
    if (ctx.engine !== this) throw new UnicornError(UC_ERR_ARG, 'uc_context_restore', 'the context belongs to another engine');
    const err = U.uc_context_restore(uc, ctx.handle('uc_context_restore'));
    if (err !== 0) throw fail(err, 'uc_context_restore');
  }

  // ---- uc_ctl ------------------------------------------------------------------------------

  /** UC_CTL_CPU_MODEL (a UC_CPU_* value); only before the engine's first use. */
  setCpuModel(model: number): void {
    const err = U.uc_ctl(this.handle('uc_ctl'), CTL_CPU_MODEL, 'int', model);
    if (err !== 0) throw fail(err, 'uc_ctl(UC_CTL_CPU_MODEL)');
  }

  /** UC_CTL_TCG_BUFFER_SIZE: the translation buffer's size; only before the engine's first use. */
  setTcgBufferSize(bytes: number): void {
    const err = U.uc_ctl(this.handle('uc_ctl'), CTL_TCG_BUFFER_SIZE, 'uint32_t', bytes);
    if (err !== 0) throw fail(err, 'uc_ctl(UC_CTL_TCG_BUFFER_SIZE)');
    this.tcgBufferSize = bytes;
  }

  /**
   * After setTcgBufferSize and the engine's first use (a register or memory call): finds the
   * translation buffer, so that emuStart drops every translation before a run once they fill
   * half of it, and hooks can see translationsNearlyFull and stop the run. Unicorn 2.1.1
   * crashes the host process when the buffer fills during a run (translation-buffer.ts).
   * False when it cannot be found (then nothing guards against that).
   */
  watchTranslationBuffer(): boolean {
    this.handle('watchTranslationBuffer');
    if (this.tcgBufferSize === 0) return false;
    this.translationBuffer ??= TranslationBuffer.locate(this.tcgBufferSize, 0.5);
    return this.translationBuffer !== undefined;
  }

  /** Translations fill half the watched buffer: a hook should stop the run, the next flushes. */
  get translationsNearlyFull(): boolean {
    return this.translationBuffer?.reachedProbe === true;
  }

  /** UC_CTL_TB_REMOVE_CACHE: drops translations of guest code in [begin, end) after the host changed it. */
  removeCache(begin: bigint, end: bigint): void {
    const err = U.uc_ctl(this.handle('uc_ctl'), CTL_REMOVE_CACHE, 'uint64_t', begin, 'uint64_t', end);
    if (err !== 0) throw fail(err, 'uc_ctl(UC_CTL_TB_REMOVE_CACHE)');
  }

  /** UC_CTL_TB_FLUSH: drops every translation. */
  flushTranslations(): void {
    if (!this.translated) return;
    const err = U.uc_ctl(this.handle('uc_ctl'), CTL_TB_FLUSH);
    if (err !== 0) throw fail(err, 'uc_ctl(UC_CTL_TB_FLUSH)');
    this.translated = false;
  }

  /** UC_CTL_TLB_FLUSH. */
  flushTlb(): void {
    const err = U.uc_ctl(this.handle('uc_ctl'), CTL_TLB_FLUSH);
    if (err !== 0) throw fail(err, 'uc_ctl(UC_CTL_TLB_FLUSH)');
  }
}

export type { CodeHook, InterruptHook, MemAccessHook, MemInvalidHook, SyscallHook };
