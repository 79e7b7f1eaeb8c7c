// What -n and -i put before a syscall, signal or exit line: `[  64] ` (the syscall number in
// the guest architecture's numbering, at least four wide) and `[0000000000401234] ` (the
// program counter, 16 hex digits; `[????????????????]` where there is none, as at an exit).

/** No pc known (exit lines). */
export const NO_PC = -1n;

export function syscallLead(nr: number | undefined, pc: bigint | undefined): string {
  let s = '';
  if (nr !== undefined) s += `[${String(nr).padStart(4)}] `;
  if (pc !== undefined) s += pc === NO_PC ? '[????????????????] ' : `[${BigInt.asUintN(64, pc).toString(16).padStart(16, '0')}] `;
  return s;
}
