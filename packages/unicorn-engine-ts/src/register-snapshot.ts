// Register snapshots: the native memory a C hook (native/register-snapshot.c) fills with the
// listed registers before it calls a JavaScript hook, and writes back from afterwards. Reads
// and writes here are plain typed-array accesses, no FFI call.
import { UnicornError } from './errors.js';
import { UC_ERR_ARG } from './consts.js';
import { koffi } from './library.js';

/** Registers per snapshot (the dirty mask is 32 bits). */
export const SNAPSHOT_MAX_REGS = 32;

// struct tsu_snapshot in native/register-snapshot.c (checked there with _Static_assert).
const SNAP_TRAMPOLINE = 0; // void (*)(void): the JS trampoline
const SNAP_USER_DATA = 8; // uint64_t: the hook id, the trampoline's user_data
const SNAP_COUNT = 16; // uint32_t
const SNAP_DIRTY = 20; // uint32_t bit mask
const SNAP_ERR = 24; // int32_t uc_err of a failed read or write-back
const SNAP_ERR_REG = 28; // int32_t register id (-1: the batch read)
const SNAP_ERR_OP = 32; // uint32_t 1: uc_reg_read_batch, 2: uc_reg_write
const SNAP_IDS = 40; // int ids[32]
const SNAP_VALUES = 168; // uint64_t values[32]
const SNAP_SIZE = 424;

const DIRTY = SNAP_DIRTY / 4;
const VALUES64 = SNAP_VALUES / 8;
const VALUES32 = SNAP_VALUES / 4;

/**
 * The registers a snapshot hook (Engine.hookInterruptWithRegisters,
 * Engine.hookX86SyscallWithRegisters) reads before each call of its callback. Slot i is the
 * i-th id given when the hook was installed. Values are meaningful only while that callback
 * runs; `set` marks a slot dirty and the C hook writes it back after the callback returns.
 */
export class RegisterSnapshot {
  /** The register ids, by slot. */
  readonly ids: readonly number[];
  readonly count: number;
  /** The native block (struct tsu_snapshot), 0n once released. */
  private ptrValue: bigint;
  private u32: Uint32Array;
  private i32: Int32Array;
  private u64: BigUint64Array;
  private readonly write: (id: number, value: bigint) => void;

  /** @internal Engine makes these. `write` is the engine's uc_reg_write (for flush). */
  constructor(ids: readonly number[], trampoline: bigint, hookId: number, write: (id: number, value: bigint) => void) {
    if (ids.length > SNAPSHOT_MAX_REGS) {
      throw new UnicornError(UC_ERR_ARG, 'uc_hook_add', `${ids.length} registers; a register snapshot holds at most ${SNAPSHOT_MAX_REGS}`);
    }
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw new UnicornError(UC_ERR_ARG, 'uc_hook_add', `bad register id ${id}`);
    }
    this.ids = Object.freeze([...ids]);
    this.count = ids.length;
    this.write = write;
    const k = koffi();
    this.ptrValue = k.alloc('uint8_t', SNAP_SIZE) as bigint;
    const buffer = k.view(this.ptrValue, SNAP_SIZE);
    this.u32 = new Uint32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.u64 = new BigUint64Array(buffer);
    this.u64.fill(0n);
    this.u64[SNAP_TRAMPOLINE / 8] = trampoline;
    this.u64[SNAP_USER_DATA / 8] = BigInt(hookId);
    this.u32[SNAP_COUNT / 4] = this.count;
    for (let i = 0; i < this.count; i++) this.i32[SNAP_IDS / 4 + i] = ids[i]!;
  }

  /** @internal The struct's address: the C hook's user_data. */
  get ptr(): bigint {
    return this.ptrValue;
  }

  private check(slot: number): void {
    if (!(slot >>> 0 === slot && slot < this.count)) throw new RangeError(`register snapshot: no slot ${slot} (it has ${this.count})`);
  }

  /** The register in `slot`, unsigned (a register wider than 64 bits: its low 64 bits). */
  value(slot: number): bigint {
    this.check(slot);
    return this.u64[VALUES64 + slot]!;
  }

  /** Its low 32 bits as a number, no BigInt (a syscall number on a hot path). */
  low32(slot: number): number {
    this.check(slot);
    return this.u32[VALUES32 + 2 * slot]!;
  }

  /** Sets the slot to v mod 2^64 and marks it dirty: written back when the callback returns. */
  set(slot: number, v: bigint): void {
    this.check(slot);
    this.u64[VALUES64 + slot] = v; // BigUint64Array stores v mod 2^64
    this.u32[DIRTY] = (this.u32[DIRTY]! | (1 << slot)) >>> 0;
  }

  /** Whether some slot was set and not yet written back or discarded. */
  get dirty(): boolean {
    return this.u32[DIRTY] !== 0;
  }

  /**
   * Writes the dirty slots now (uc_reg_write each) and clears them: before the callback reads or
   * writes those registers directly (regRead, contextSave, …).
   */
  flush(): void {
    let mask = this.u32[DIRTY]!;
    while (mask !== 0) {
      const slot = 31 - Math.clz32(mask);
      this.write(this.ids[slot]!, this.u64[VALUES64 + slot]!);
      mask &= ~(1 << slot);
      this.u32[DIRTY] = mask >>> 0;
    }
  }

  /** Drops every pending set: nothing is written back. */
  discard(): void {
    this.u32[DIRTY] = 0;
  }

  /** @internal A failure the C hook recorded (it stopped emulation then), cleared by this call. */
  takeError(): UnicornError | undefined {
    const code = this.i32[SNAP_ERR / 4]!;
    if (code === 0) return undefined;
    const reg = this.i32[SNAP_ERR_REG / 4]!;
    const op = this.u32[SNAP_ERR_OP / 4] === 1 ? 'uc_reg_read_batch' : 'uc_reg_write';
    this.i32[SNAP_ERR / 4] = 0;
    const what = op === 'uc_reg_write' ? `writing back register ${reg}` : `reading registers ${this.ids.join(', ')}`;
    return new UnicornError(code, op, `register snapshot hook failed ${what}`);
  }

  /**
   * @internal Frees the native block. Later accesses see a detached, zeroed stand-in (never
   * freed memory). Idempotent. Only when no C hook can be running with it.
   */
  release(): void {
    if (this.ptrValue === 0n) return;
    const ptr = this.ptrValue;
    this.ptrValue = 0n;
    const buffer = new ArrayBuffer(SNAP_SIZE);
    this.u32 = new Uint32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.u64 = new BigUint64Array(buffer);
    koffi().free(ptr);
  }
}
