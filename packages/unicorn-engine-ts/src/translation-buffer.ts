// Where an engine writes its translated code, found so that the binding can tell when it is
// filling up. Unicorn 2.1.1 crashes the whole host process when its translation buffer fills
// during a run: after the flush it does then, it chains a jump from a translation block the
// flush has zeroed (SIGSEGV in tb_set_jmp_target; a C program on libunicorn alone shows it, and
// a large program such as Python's start-up or `ls -la` hits it with an 8 MB buffer). Flushing
// between runs, before the buffer is full, never takes that path.
//
// The buffer is an anonymous read-write-execute mapping of the size set with
// UC_CTL_TCG_BUFFER_SIZE (less a guard page), starting with the code prologue Unicorn writes
// when the engine is first used. Unicorn 2.1.1 zeroes the space for translations when it sets
// it up and again at each flush, and fills it from the start: a probe word that is no longer
// zero means the translations have reached it.
import { readFileSync } from 'node:fs';
import { koffi } from './library.js';

/** Buffers that belong to open engines (start addresses). */
const claimed = new Set<number>();
/** Bytes read at a probe: an all-zero stretch this long inside generated code does not happen. */
const PROBE_BYTES = 64;
/** How much smaller than the size asked for the mapping may be (guard pages). */
const SLACK = 1 << 16;

export class TranslationBuffer {
  /** Read as 32-bit words: a BigUint64Array would allocate a BigInt per word read. */
  private readonly probe: Uint32Array;

  private constructor(readonly start: number, readonly length: number, fraction: number) {
    const at = start + Math.floor((length * fraction) / 8) * 8;
    this.probe = new Uint32Array(koffi().view(BigInt(at), PROBE_BYTES));
  }

  /**
   * The buffer of an engine that has just been used for the first time, with `size` its
   * UC_CTL_TCG_BUFFER_SIZE; the probe sits at `fraction` of it. Undefined when no mapping, or
   * more than one, fits (then nothing can be probed).
   */
  static locate(size: number, fraction: number): TranslationBuffer | undefined {
    let maps: string;
    try {
      maps = readFileSync('/proc/self/maps', 'latin1');
    } catch {
      return undefined;
    }
    const found: Array<{ start: number; length: number }> = [];
    for (const line of maps.split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) rwxp 00000000 00:00 0\s*$/.exec(line);
      if (m === null) continue;
      const start = parseInt(m[1]!, 16);
      const length = parseInt(m[2]!, 16) - start;
      if (length > size || length < size - SLACK || claimed.has(start)) continue;
      // The prologue is there once the engine has been used.
      if (new BigUint64Array(koffi().view(BigInt(start), 8))[0] === 0n) continue;
      found.push({ start, length });
    }
    if (found.length !== 1) return undefined;
    claimed.add(found[0]!.start);
    return new TranslationBuffer(found[0]!.start, found[0]!.length, fraction);
  }

  /** Whether translations have reached the probe. */
  get reachedProbe(): boolean {
    const w = this.probe;
    for (let i = 0; i < w.length; i++) if (w[i] !== 0) return true;
    return false;
  }

  /** The engine is closing: its mapping goes away (and its address may be reused). */
  release(): void {
    claimed.delete(this.start);
  }
}
