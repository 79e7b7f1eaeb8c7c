// The legacy vsyscall page of x86_64 Linux: three fixed entry points that old static programs
// (dietlibc's, for one) call like functions. Linux maps the page execute-only and emulates a
// call to an entry (emulate_vsyscall): the syscall runs, its result goes to rax, and the
// return address is popped off the stack. A ptrace tracer sees no syscall stop for it.
import type { LegacyCallPage } from '../types.js';

export const VSYSCALL_PAGE: LegacyCallPage = {
  base: 0xffff_ffff_ff60_0000n,
  size: 0x1000n,
  entries: new Map([
    [0x000n, { syscall: 'gettimeofday', args: 2 }],
    [0x400n, { syscall: 'time', args: 1 }],
    [0x800n, { syscall: 'getcpu', args: 3 }],
  ]),
  // Unicorn reports a fetch fault there with the address cut to its 52 physical bits.
  faultAddressBits: 52,
};
