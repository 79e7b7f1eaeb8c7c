// Time-reading instructions (native/time-reads.c): C hooks that catch the guest's reads of a
// cycle or time counter (x86 rdtsc and rdtscp, arm64 `mrs` of CNTVCT_EL0), put the value the
// emulator would give here, call a JavaScript function that may replace it, and give the
// guest the result instead of running the instruction.
import { koffi } from './library.js';

// struct tsu_time_reads in native/time-reads.c (checked there with _Static_assert).
const TRAMPOLINE = 0;
const USER_DATA = 1;
const KIND32 = 4;
const VALUE = 3;
const AUX = 4;
const COUNT = 5;
const RESTART_PC = 6;
const RESTART_END = 7;
const ERR32 = 16;
const SIZE = 4192;

/** The instruction a time read came from. */
export type TimeReadKind = 'rdtsc' | 'rdtscp' | 'cntvct';
const KINDS: readonly (TimeReadKind | undefined)[] = [undefined, 'rdtsc', 'rdtscp', 'cntvct'];

/** One read: the emulator's value (and rdtscp's TSC_AUX); the callback may change both. */
export interface TimeRead {
  readonly kind: TimeReadKind;
  value: bigint;
  aux: bigint;
}

/** Called for each time read; what it leaves in `read` is what the guest gets. */
export type TimeReadHook = (read: TimeRead) => void;

export class TimeReads {
  /** The native block (struct tsu_time_reads): the hook's user_data. Never freed (an engine's hooks may run until it closes). */
  readonly ptr: bigint;
  private readonly u64: BigUint64Array;
  private readonly u32: Uint32Array;

  /** @internal Engine.hookTimeReads makes these. */
  constructor(trampoline: bigint, hookId: number) {
    const k = koffi();
    this.ptr = k.alloc('uint8_t', SIZE) as bigint;
    const buffer = k.view(this.ptr, SIZE);
    this.u64 = new BigUint64Array(buffer);
    this.u32 = new Uint32Array(buffer);
    new Uint8Array(buffer).fill(0);
    this.u64[TRAMPOLINE] = trampoline;
    this.u64[USER_DATA] = BigInt(hookId);
  }

  /** The JavaScript side of one call from the C hook: `fn` sees the read and may change it. */
  dispatch(fn: TimeReadHook): void {
    const kind = KINDS[this.u32[KIND32]!];
    if (kind === undefined) return;
    const read: TimeRead = { kind, value: this.u64[VALUE]!, aux: this.u64[AUX]! };
    fn(read);
    this.u64[VALUE] = BigInt.asUintN(64, read.value);
    this.u64[AUX] = BigInt.asUintN(64, read.aux);
  }

  /**
   * x86: a block the hook stopped before, because it holds rdtsc or rdtscp bytes: its
   * translation is to be dropped and the run started again at `begin` (once; cleared here).
   */
  takeRestart(): { begin: bigint; end: bigint } | undefined {
    const begin = this.u64[RESTART_PC]!;
    if (begin === 0n) return undefined;
    this.u64[RESTART_PC] = 0n;
    return { begin, end: this.u64[RESTART_END]! };
  }

  /** The uc_err of a code hook the block hook could not add (0: none). */
  get error(): number {
    return new Int32Array(this.u32.buffer)[ERR32]!;
  }

  /** Time-reading instructions taken so far. */
  get count(): number {
    return Number(this.u64[COUNT]);
  }
}
