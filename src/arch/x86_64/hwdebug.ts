// x86_64's debug registers as ptrace(2) shows them in struct user's u_debugreg: DR0–DR3 hold
// addresses, DR7 enables them (L/G bits 2n, 2n+1) with a kind (RW bits 16+4n: 00 execute, 01
// write, 11 read/write) and a length (LEN bits 18+4n: 00 1, 01 2, 11 4, 10 8), DR6 says which
// slot hit. Linux keeps DR6 as "virtual_dr6" of positive polarity and flips it with
// DR6_RESERVED on the way in and out (arch/x86/kernel/ptrace.c).
import type { HwDebugArch, HwPoint } from '../types.js';

const EINVAL = 22;
const EIO = 5;
const DR6_RESERVED = 0xffff0ff0n;
/** The first address a user breakpoint may not watch (TASK_SIZE_MAX). */
const TASK_SIZE_MAX = 0x7ffffffff000n;
const LENGTHS = [1, 2, 8, 4];
const KINDS = ['exec', 'write', undefined, 'access'] as const;

function points(words: readonly bigint[]): readonly HwPoint[] | number {
  const dr7 = words[7]!;
  const out: HwPoint[] = [];
  for (let slot = 0; slot < 4; slot++) {
    if (((dr7 >> BigInt(2 * slot)) & 3n) === 0n) continue;
    const info = Number((dr7 >> BigInt(16 + 4 * slot)) & 0xfn);
    const kind = KINDS[info & 3];
    const lenBits = info >> 2;
    // An execute breakpoint has length 1; the I/O kind (10) is not for user space.
    if (kind === undefined || (kind === 'exec' && lenBits !== 0)) return EINVAL;
    const len = kind === 'exec' ? 1 : LENGTHS[lenBits]!;
    const addr = words[slot]!;
    if ((addr & BigInt(len - 1)) !== 0n || addr >= TASK_SIZE_MAX) return EINVAL;
    out.push({ slot, kind, addr, len });
  }
  return out;
}

export const X86_64_HW_DEBUG: HwDebugArch = {
  words: 8,
  points,
  // Each debug exception starts DR6 afresh (exc_debug_user clears virtual_dr6).
  hit: (words, point) => { words[6] = 1n << BigInt(point.slot); },
  watchStopsAfter: true,
  resumePassesBreakpoint: true,
  user: {
    peek: (words, n) => (n === 4 || n === 5 ? 0n : n === 6 ? words[6]! ^ DR6_RESERVED : words[n]!),
    poke: (words, n, value) => {
      if (n === 4 || n === 5) return EIO;
      if (n === 6) {
        words[6] = BigInt.asUintN(64, value) ^ DR6_RESERVED;
        return 0;
      }
      const next = [...words];
      next[n] = BigInt.asUintN(64, value);
      // An address is checked even while its slot is off (Linux registers a disabled breakpoint).
      if (n < 4 && next[n]! >= TASK_SIZE_MAX) return EINVAL;
      const p = points(next);
      if (typeof p === 'number') return p;
      words[n] = next[n]!;
      return 0;
    },
  },
};
