// eventfd, getrandom, inotify, times and other small calls; ioctl's decoders are in ioctl/.
import type { SyscallDecoder } from './types.js';
import { ioctl } from './ioctl/index.js';
import { EVENTFD_FLAGS, FADVISE_ADVICE, INOTIFY_INIT_FLAGS, INOTIFY_MASK, MEMFD_FLAGS, PRIORITY_WHICH, UFFD_FLAGS } from '../xlat/misc.js';
import { GETRANDOM_FLAGS } from '../xlat/process.js';
import { custom, customOut, entryOnly, fd, flags, i32, long, path, u32, ulong, xval, type SyscallTable } from './args.js';
import { TMS } from '../../abi/structs.js';
import {
  formatReturn, hex, int, isError, printBuffer, printClockT, printCString, printOutInt, printOutStruct, printFd, printFlags, printPid, printPtr, readInt, struct, u64, uint,
} from './printers.js';

// ---- the table ----------------------------------------------------------------------------------

/** getrandom's buffer, always in hex (QUOTE_FORCE_HEX). */
const randomBuf = customOut((ctx, v) =>
  isError(ctx.ret) ? printPtr(v) : printBuffer(ctx, v, u64(ctx.ret), { forceHex: true }));

/** memfd_create's flags: the huge page size is a field, like mmap's (strace's memfd_create.c). */
const memfdCreate = entryOnly((ctx) => {
  const style = ctx.options.xlat;
  const f = uint(ctx.args[1]!);
  let flagsText: string;
  if (f === 0 || style === 'raw') flagsText = hex(f);
  else {
    const hugeMask = 0x3f << 26;
    const huge = (f & hugeMask) >>> 26;
    const rest = f & ~hugeMask;
    let sym = rest !== 0 || huge === 0 ? printFlags('abbrev', MEMFD_FLAGS, rest, 'MFD_???') : '';
    if (huge !== 0) sym += `${rest !== 0 ? '|' : ''}${huge}<<MFD_HUGE_SHIFT`;
    flagsText = style === 'abbrev' ? sym : `${hex(f)} /* ${sym} */`;
  }
  return `${printCString(ctx, ctx.args[0]!, 250)}, ${flagsText}`;
}, 'fd');

/** A uid/gid the kernel wrote: `[0]`, `[-1]` for the all-ones id. */
const idOut = customOut((ctx, v) => printOutInt(ctx, v, 4, (x) => (BigInt.asUintN(32, x) === 0xffffffffn ? '-1' : BigInt.asUintN(32, x).toString())));
const uintOut = customOut((ctx, v) => printOutInt(ctx, v, 4, (x) => BigInt.asUintN(32, x).toString()));

/** sendfile's offset: `[0]` at entry, `[0] => [100]` when the call moved it. */
const sendfile: SyscallDecoder = {
  enter(ctx) {
    const off = ctx.args[2]!;
    const head = `${printFd(ctx, int(ctx.args[0]!))}, ${printFd(ctx, int(ctx.args[1]!))}, `;
    const b = u64(off) === 0n ? null : ctx.mem.read(off, 8);
    if (b === null) return { text: `${head}${printPtr(off)}, ${u64(ctx.args[3]!)}`, state: false };
    return { text: `${head}[${readInt(b, 0, 8, false)}]`, state: true };
  },
  exit(ctx, entry) {
    if (entry.state !== true) return { text: '', ret: formatReturn(ctx, 'dec') };
    let text = '';
    if (!isError(ctx.ret) && u64(ctx.ret) !== 0n) {
      const b = ctx.mem.read(ctx.args[2]!, 8);
      text += ` => ${b === null ? hex(ctx.args[2]!) : `[${readInt(b, 0, 8, false)}]`}`;
    }
    return { text: `${text}, ${u64(ctx.args[3]!)}`, ret: formatReturn(ctx, 'dec') };
  },
};

/** get/setpriority's who: a process or a process group for PRIO_PROCESS and PRIO_PGRP (strace's priority_print_who). */
const priorityWho = custom((ctx, v) => {
  const which = int(ctx.args[0]!);
  return which === 0 || which === 1 ? printPid(ctx, int(v), which === 0) : String(int(v));
});

/** restart_syscall: which interrupted call it resumes, from the task's previous syscall. */
const restartSyscall = entryOnly((ctx) => `<... resuming interrupted ${ctx.previousSyscall ?? 'system call'} ...>`);

export const MISC_SYSCALLS: SyscallTable = {
  restart_syscall: { decoder: restartSyscall },
  memfd_create: { decoder: memfdCreate },
  times: {
    args: [customOut((ctx, v) => printOutStruct(ctx, v, TMS, (t) => struct(
      (['tms_utime', 'tms_stime', 'tms_cutime', 'tms_cstime'] as const).map((k) => `${k}=${printClockT(t.get(k), ctx.options.xlat)}`))))],
  },
  getresuid: { args: [idOut, idOut, idOut] },
  getresgid: { args: [idOut, idOut, idOut] },
  getpriority: { args: [xval(PRIORITY_WHICH, 'PRIO_???'), priorityWho] },
  setpriority: { args: [xval(PRIORITY_WHICH, 'PRIO_???'), priorityWho, i32] },
  getcpu: { args: [uintOut, uintOut, customOut((_ctx, v) => printPtr(v))] },
  sendfile: { decoder: sendfile },
  inotify_init1: { args: [flags(INOTIFY_INIT_FLAGS, 'IN_???')], ret: 'fd' },
  inotify_add_watch: { args: [fd, path, flags(INOTIFY_MASK, 'IN_???')] },
  inotify_rm_watch: { args: [fd, i32] },
  fadvise64: { args: [fd, long, ulong, xval(FADVISE_ADVICE, 'POSIX_FADV_???')] },
  ioctl: { decoder: ioctl },
  eventfd2: { args: [u32, flags(EVENTFD_FLAGS, 'EFD_???')], ret: 'fd' },
  eventfd: { args: [u32], ret: 'fd' },
  userfaultfd: { args: [flags(UFFD_FLAGS, 'UFFD_???')], ret: 'fd' },
  getrandom: { args: [randomBuf, customOut((_ctx, v) => u64(v).toString()), customOut((ctx, v) => flags(GETRANDOM_FLAGS, 'GRND_???').print(ctx, v))] },
};

