// Host signals while guest code runs (native/host-signals.c). Node runs a JavaScript signal
// handler only between event-loop turns, never inside a synchronous emuStart or host call, so
// a program that loops forever would keep Ctrl-C from its host. watchHostSignals installs a C
// handler that notes the signal and stops every open engine; the caller looks at `pending`
// between runs (a read of shared memory, no FFI call).
import { koffi, snapshotLibrary } from './library.js';

interface Native {
  watch(signals: Int32Array, count: number): number;
  pending(): bigint;
  addEngine(uc: number): number;
  removeEngine(uc: number): void;
  stopThrough(uc: number, limit: bigint): void;
}

let native: Native | undefined;
/**
 * Every open engine (uc_engine addresses), registered with the handler once it is installed,
 * with the address of its counting budget's limit word (0n: stopped with uc_emu_stop).
 */
const open = new Map<number, bigint>();

export class HostSignalWatch {
  private readonly word: Int32Array;

  /** @internal watchHostSignals makes it. */
  constructor(address: bigint) {
    this.word = new Int32Array(koffi().view(address, 4));
  }

  /** Whether a watched signal arrived that `take` has not taken yet. */
  get waiting(): boolean {
    return this.word[0] !== 0;
  }

  /** The last watched signal that arrived since the previous call (0: none), cleared. */
  take(): number {
    const sig = this.word[0]!;
    if (sig !== 0) this.word[0] = 0;
    return sig;
  }
}

/**
 * Catches `signals` (e.g. SIGINT, SIGTERM, SIGHUP) from now on, instead of their default
 * action: each stops every open engine and interrupts a waiting host call (EINTR).
 */
export function watchHostSignals(signals: readonly number[]): HostSignalWatch {
  const n = (native ??= load());
  if (n.watch(Int32Array.from(signals), signals.length) !== 0) throw new Error('sigaction failed for a watched signal');
  for (const [uc, limit] of open) {
    n.addEngine(uc);
    if (limit !== 0n) n.stopThrough(uc, limit);
  }
  return new HostSignalWatch(n.pending());
}

/** @internal Engine.open and close keep the handler's table of engines to stop. */
export function engineOpened(uc: number): void {
  open.set(uc, 0n);
  native?.addEngine(uc);
}

/**
 * @internal The handler stops `uc` by setting its budget's limit word (at `limit`) to 0, not
 * with uc_emu_stop (Engine.stopSignalsThrough).
 */
export function engineStopsThrough(uc: number, limit: bigint): void {
  open.set(uc, limit);
  native?.stopThrough(uc, limit);
}

/** @internal */
export function engineClosing(uc: number): void {
  open.delete(uc);
  native?.removeEngine(uc);
}

function load(): Native {
  const lib = snapshotLibrary().library;
  return {
    watch: lib.func('int tsu_signals_watch(const int32_t *signals, int32_t count)') as Native['watch'],
    pending: (() => BigInt(lib.func('uintptr_t tsu_signals_pending(void)')() as number | bigint)) as Native['pending'],
    addEngine: lib.func('int tsu_signals_add_engine(uintptr_t uc)') as Native['addEngine'],
    removeEngine: lib.func('void tsu_signals_remove_engine(uintptr_t uc)') as Native['removeEngine'],
    stopThrough: lib.func('void tsu_signals_stop_through(uintptr_t uc, uintptr_t limit)') as Native['stopThrough'],
  };
}
