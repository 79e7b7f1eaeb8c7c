// A block budget (native/block-budget.c): a C UC_HOOK_BLOCK that stops the engine once the
// guest code executed since the last `arm` adds up to a limit, counted in bytes of the blocks
// run (the block at which it stops is not counted). Deterministic (the same blocks in every
// run) and ~1.3x, where Unicorn's count mode is 2-6x and a JavaScript block hook ~18x.
import { koffi } from './library.js';
import type { HookHandle } from './engine.js';

// struct tsu_budget in native/block-budget.c.
const USED = 0;
const LIMIT = 1;
const STOPS = 2;
const STOP_PC = 3;
const SIZE = 32;
/** The limit that is never reached (`disarm`'s). */
export const BUDGET_NEVER = 0xffff_ffff_ffff_ffffn;

export class BlockBudget {
  /** The native block (struct tsu_budget): the hook's user_data. */
  readonly ptr: bigint;
  private readonly words: BigUint64Array;
  /** @internal The engine's hook while installed (Engine.attachBlockBudget/detachBlockBudget). */
  hook: HookHandle | undefined;

  /** @internal Engine.addBlockBudget makes these. */
  constructor() {
    const k = koffi();
    this.ptr = k.alloc('uint8_t', SIZE) as bigint;
    this.words = new BigUint64Array(k.view(this.ptr, SIZE));
    this.words[USED] = 0n;
    this.words[LIMIT] = BUDGET_NEVER;
    this.words[STOPS] = 0n;
    this.words[STOP_PC] = 0n;
  }

  /** Stops the engine once `bytes` more bytes of guest code have run (counted from zero). */
  arm(bytes: bigint): void {
    this.words[USED] = 0n;
    this.words[LIMIT] = bytes;
  }

  /** No stop: the hook only counts. */
  disarm(): void {
    this.words[LIMIT] = BUDGET_NEVER;
  }

  /** Bytes of guest code entered since the last `arm` (the scheduler's unit of run time). */
  get used(): bigint {
    return this.words[USED]!;
  }

  /** How many times the budget has stopped the engine (a run that ended with it going up ran out). */
  get stops(): number {
    return Number(this.words[STOPS]);
  }

  /**
   * The block the last stop came before (its first instruction): where the run goes on. 0 when
   * the budget has not stopped the engine since the run began (a block at 0 is never entered).
   */
  get stopAddress(): bigint {
    return this.words[STOP_PC]!;
  }

  /** @internal Before a run (Engine.emuStart): no stop yet. */
  forgetStop(): void {
    this.words[STOP_PC] = 0n;
  }

  /** @internal The address of the limit word (the host-signal handler sets it to 0). */
  get limitAddress(): bigint {
    return this.ptr + BigInt(LIMIT * 8);
  }

  /** Where `used` stops the engine (2^64-1: never). Set directly, `used` is not reset. */
  get limit(): bigint {
    return this.words[LIMIT]!;
  }

  set limit(bytes: bigint) {
    this.words[LIMIT] = bytes;
  }

  /** Takes the last stop back out of `stops` (a stop its owner made for its own reason). */
  uncountStop(): void {
    if (this.words[STOPS]! > 0n) this.words[STOPS] = this.words[STOPS]! - 1n;
  }
}
