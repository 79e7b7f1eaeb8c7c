// aarch64's hardware breakpoint and watchpoint registers as ptrace(2) shows them
// (NT_ARM_HW_BREAK, NT_ARM_HW_WATCH: struct user_hwdebug_state). A control word is
// enable (bit 0), privilege (bits 1–2), type (bits 3–4: 0 execute, 1 load, 2 store, 3 both) and
// the byte-address-select mask (bits 5–12): contiguous bytes from the address
// (arch/arm64/kernel/hw_breakpoint.c, arch_bp_generic_fields).
import type { HwDebugArch, HwPoint } from '../types.js';

const EINVAL = 22;
const BREAKPOINTS = 6;
const WATCHPOINTS = 4;
const KINDS = [undefined, 'read', 'write', 'access'] as const;

/** The point a control word arms in `slot`, undefined when it is off, or EINVAL. */
function decode(slot: number, addr: bigint, ctrl: bigint, watch: boolean): HwPoint | undefined | number {
  if ((ctrl & 1n) === 0n) return undefined;
  const type = Number((ctrl >> 3n) & 3n);
  const bas = Number((ctrl >> 5n) & 0xffn);
  if (bas === 0) return EINVAL;
  const offset = 31 - Math.clz32(bas & -bas);
  const run = bas >> offset;
  // Only contiguous bytes: 1, 3, 7 … 0xff.
  if ((run & (run + 1)) !== 0) return EINVAL;
  const len = 32 - Math.clz32(run);
  if (!watch) return type === 0 && bas === 0xf && (addr & 3n) === 0n ? { slot, kind: 'exec', addr, len: 4 } : EINVAL;
  const kind = KINDS[type];
  return kind === undefined ? EINVAL : { slot, kind, addr: addr + BigInt(offset), len };
}

export const AARCH64_HW_DEBUG: HwDebugArch = {
  // Breakpoints then watchpoints, an address and a control word each.
  words: 2 * (BREAKPOINTS + WATCHPOINTS),
  points: (words) => {
    const out: HwPoint[] = [];
    for (let i = 0; i < BREAKPOINTS + WATCHPOINTS; i++) {
      const watch = i >= BREAKPOINTS;
      const p = decode(watch ? i - BREAKPOINTS : i, words[2 * i]!, words[2 * i + 1]!, watch);
      if (typeof p === 'number') return p;
      if (p !== undefined) out.push(p);
    }
    return out;
  },
  hit: () => {},
  watchStopsAfter: false,
  resumePassesBreakpoint: false,
  // ARMv8's debug architecture (ID_AA64DFR0_EL1.DebugVer 6) with a Cortex-A72's slot counts.
  regsets: { debugArch: 6, breakpoints: BREAKPOINTS, watchpoints: WATCHPOINTS },
};
