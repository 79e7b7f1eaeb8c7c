// ioctl (strace's ioctl.c and term.c), eventfd and getrandom.
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import type { XlatStyle } from './types.js';
import { TERMIOS, WINSIZE } from '../../abi/structs.js';
import { ioctlNames } from '../xlat/ioctls.js';
import { sockIoctlEnter, sockIoctlExit } from './sock-ioctl.js';
import { interfaceIoctl } from '../../abi/interface-ioctls.js';
import {
  BAUD_RATES, EVENTFD_FLAGS, FADVISE_ADVICE, INOTIFY_INIT_FLAGS, INOTIFY_MASK, IOC_DIRS, MEMFD_FLAGS, PRIORITY_WHICH, TCFLSH_OPTIONS, TCXONC_OPTIONS, TERM_CBAUD, TERM_CFLAGS, TERM_CIBAUD,
  TERM_CSIZE, TERM_CSIZES, TERM_IFLAGS, TERM_LFLAGS, TERM_LINE_DISCS, TERM_ODELAYS, TERM_OFLAGS, TERMIOS_CC,
} from '../xlat/misc.js';
import { GETRANDOM_FLAGS } from '../xlat/process.js';
import { customOut, entryOnly, fd, flags, i32, long, path, u32, ulong, xval, type SyscallTable } from './args.js';
import { TMS } from '../../abi/structs.js';
import {
  formatReturn, hex, int, isError, printBuffer, printClockT, printCString, printOutInt, printOutStruct, printEnum, printFd, printFlags, printPtr, readInt, readStruct,
  struct, u64, uint, type StructView,
} from './printers.js';

// ---- ioctl request names ------------------------------------------------------------------------

/** `_IOC(_IOC_READ, 0x78, 0x3, 0x4)` for a request strace has no name for. */
function iocText(code: number, style: XlatStyle): string {
  const dir = code >>> 30;
  const dirs = style === 'verbose' ? printFlags('abbrev', IOC_DIRS, dir, '') : printFlags('abbrev', IOC_DIRS, dir, '_IOC_???');
  return `_IOC(${dirs}, ${hex((code >>> 8) & 0xff)}, ${hex(code & 0xff)}, ${hex((code >>> 16) & 0x3fff)})`;
}

/** An ioctl request: `TCGETS`, `SNDCTL_TMR_START or TCSETS`, `_IOC(...)`, with -X its number. */
export function printIoctlRequest(code: number, style: XlatStyle): string {
  const names = ioctlNames(code);
  const sym = names.length > 0 ? names.join(' or ') : iocText(code, style);
  switch (style) {
    case 'abbrev': return sym;
    case 'raw': return hex(code >>> 0);
    case 'verbose': return `${hex(code >>> 0)} /* ${sym} */`;
  }
}

// ---- terminal structs ---------------------------------------------------------------------------

function termFlags(style: XlatStyle, v: StructView<keyof typeof TERMIOS.fields>): string[] {
  const oflag = v.num('c_oflag');
  let o = '';
  let rest = BigInt(oflag);
  for (const [mask, table, dflt] of TERM_ODELAYS) {
    o += `${printEnum(style, table, BigInt(oflag & mask), dflt)}|`;
    rest &= ~BigInt(mask);
  }
  o += printFlags(style, TERM_OFLAGS, rest);
  const cflag = v.num('c_cflag') >>> 0;
  let c = `${printEnum(style, BAUD_RATES, BigInt(cflag & TERM_CBAUD), 'B???')}|`;
  if (cflag & TERM_CIBAUD) {
    c += `${printEnum(style, BAUD_RATES, BigInt((cflag & TERM_CIBAUD) >>> 16), 'B???')}<<${style === 'abbrev' ? 'IBSHIFT' : style === 'raw' ? '16' : '16 /* IBSHIFT */'}|`;
  }
  c += `${printEnum(style, TERM_CSIZES, BigInt(cflag & TERM_CSIZE), 'CS?')}|`;
  c += printFlags(style, TERM_CFLAGS, BigInt((cflag & ~(TERM_CBAUD | TERM_CIBAUD | TERM_CSIZE)) >>> 0));
  return [
    `c_iflag=${printFlags(style, TERM_IFLAGS, v.get('c_iflag'))}`,
    `c_oflag=${o}`,
    `c_cflag=${c}`,
    `c_lflag=${printFlags(style, TERM_LFLAGS, v.get('c_lflag'))}`,
  ];
}

function printTermios(ctx: DecodeContext, addr: bigint): string {
  const v = readStruct(ctx, addr, TERMIOS);
  if (v === null) return printPtr(addr);
  const style = ctx.options.xlat;
  const f = termFlags(style, v);
  if (!ctx.options.verbose) return struct([...f, '...']);
  f.push(`c_line=${printEnum(style, TERM_LINE_DISCS, v.get('c_line'), 'N_???')}`);
  const cc = v.raw('c_cc');
  const items: string[] = [];
  for (let i = 0; i < cc.length; i++) {
    const name = TERMIOS_CC.byValue.get(BigInt(i));
    items.push(`[${name ?? i}]=${hex(cc[i]!)}`);
  }
  f.push(`c_cc=[${items.join(', ')}]`);
  return struct(f);
}

function printWinsize(ctx: DecodeContext, addr: bigint): string {
  const v = readStruct(ctx, addr, WINSIZE);
  if (v === null) return printPtr(addr);
  return struct([`ws_row=${v.get('ws_row')}`, `ws_col=${v.get('ws_col')}`, `ws_xpixel=${v.get('ws_xpixel')}`, `ws_ypixel=${v.get('ws_ypixel')}`]);
}

function printIntAt(ctx: DecodeContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const b = ctx.mem.read(addr, 4);
  return b === null ? hex(addr) : `[${readInt(b, 0, 4, true)}]`;
}

// ---- ioctl decoding -------------------------------------------------------------------------------

const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;
const TIOCGLCKTRMIOS = 0x5456, TIOCSLCKTRMIOS = 0x5457;
const TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
const TCXONC = 0x540a, TCFLSH = 0x540b, TCSBRK = 0x5409, TCSBRKP = 0x5425, TIOCSCTTY = 0x540e;
/** Requests whose argument points to an int the kernel writes. */
const INT_OUT = new Set([0x540f /* TIOCGPGRP */, 0x5429 /* TIOCGSID */, 0x5424 /* TIOCGETD */,
  0x5419 /* TIOCGSOFTCAR */, 0x80045430 /* TIOCGPTN */, 0x541b /* FIONREAD */, 0x5411 /* TIOCOUTQ */,
  0x80045440 /* TIOCGEXCL */, 0x80045432 /* TIOCGDEV */]);
/** Requests whose argument points to an int the caller wrote. */
const INT_IN = new Set([0x5410 /* TIOCSPGRP */, 0x5423 /* TIOCSETD */, 0x5421 /* FIONBIO */, 0x5452 /* FIOASYNC */,
  0x5420 /* TIOCPKT */, 0x541a /* TIOCSSOFTCAR */, 0x40045431 /* TIOCSPTLCK */]);
/** Requests without an argument. */
const NO_ARG = new Set([0x5427 /* TIOCSBRK */, 0x5428 /* TIOCCBRK */, 0x541d /* TIOCCONS */, 0x5422 /* TIOCNOTTY */,
  0x540c /* TIOCEXCL */, 0x540d /* TIOCNXCL */, 0x5451 /* FIOCLEX */, 0x5450 /* FIONCLEX */, 0x5437 /* TIOCVHANGUP */,
  0x541f /* TIOCSSERIAL */]);

type IoctlKind = 'out' | 'in' | 'none' | 'raw';

function ioctlKind(code: number): IoctlKind {
  switch (code) {
    case TCGETS: case TIOCGLCKTRMIOS: case TIOCGWINSZ: return 'out';
    case TCSETS: case TCSETSW: case TCSETSF: case TIOCSLCKTRMIOS: case TIOCSWINSZ:
    case TCXONC: case TCFLSH: case TCSBRK: case TCSBRKP: case TIOCSCTTY: return 'in';
  }
  if (INT_OUT.has(code)) return 'out';
  if (INT_IN.has(code)) return 'in';
  if (NO_ARG.has(code)) return 'none';
  return 'raw';
}

function ioctlArg(ctx: DecodeContext, code: number, arg: bigint): string {
  switch (code) {
    case TCGETS: case TIOCGLCKTRMIOS: case TCSETS: case TCSETSW: case TCSETSF: case TIOCSLCKTRMIOS:
      return printTermios(ctx, arg);
    case TIOCGWINSZ: case TIOCSWINSZ: return printWinsize(ctx, arg);
    case TCXONC: return printEnum(ctx.options.xlat, TCXONC_OPTIONS, u64(arg), 'TC???');
    case TCFLSH: return printEnum(ctx.options.xlat, TCFLSH_OPTIONS, u64(arg), 'TC???');
    case TCSBRK: case TCSBRKP: case TIOCSCTTY: return String(int(arg));
  }
  return printIntAt(ctx, arg);
}

const ioctl: SyscallDecoder = {
  enter(ctx) {
    const code = uint(ctx.args[1]!);
    const head = `${printFd(ctx, int(ctx.args[0]!))}, ${printIoctlRequest(code, ctx.options.xlat)}`;
    if (interfaceIoctl(code) !== undefined) {
      const r = sockIoctlEnter(ctx, code, ctx.args[2]!);
      return { text: `${head}${r.text}`, state: r.state };
    }
    switch (ioctlKind(code)) {
      case 'out': return { text: `${head}, ` };
      case 'in': return { text: `${head}, ${ioctlArg(ctx, code, ctx.args[2]!)}` };
      case 'none': return { text: head };
      case 'raw': return { text: `${head}, ${hex(ctx.args[2]!)}` };
    }
  },
  exit(ctx: ExitContext, entry) {
    const code = uint(ctx.args[1]!);
    if (interfaceIoctl(code) !== undefined) return { text: sockIoctlExit(ctx, code, ctx.args[2]!, entry.state), ret: formatReturn(ctx, 'dec') };
    if (ioctlKind(code) !== 'out') return { text: '', ret: formatReturn(ctx, 'dec') };
    const arg = ctx.args[2]!;
    const text = isError(ctx.ret) && u64(arg) !== 0n ? hex(arg) : ioctlArg(ctx, code, arg);
    return { text, ret: formatReturn(ctx, 'dec') };
  },
};

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

export const MISC_SYSCALLS: SyscallTable = {
  memfd_create: { decoder: memfdCreate },
  times: {
    args: [customOut((ctx, v) => printOutStruct(ctx, v, TMS, (t) => struct(
      (['tms_utime', 'tms_stime', 'tms_cutime', 'tms_cstime'] as const).map((k) => `${k}=${printClockT(t.get(k), ctx.options.xlat)}`))))],
  },
  getresuid: { args: [idOut, idOut, idOut] },
  getresgid: { args: [idOut, idOut, idOut] },
  getpriority: { args: [xval(PRIORITY_WHICH, 'PRIO_???'), i32] },
  setpriority: { args: [xval(PRIORITY_WHICH, 'PRIO_???'), i32, i32] },
  getcpu: { args: [uintOut, uintOut, customOut((_ctx, v) => printPtr(v))] },
  sendfile: { decoder: sendfile },
  inotify_init1: { args: [flags(INOTIFY_INIT_FLAGS, 'IN_???')], ret: 'fd' },
  inotify_add_watch: { args: [fd, path, flags(INOTIFY_MASK, 'IN_???')] },
  inotify_rm_watch: { args: [fd, i32] },
  fadvise64: { args: [fd, long, ulong, xval(FADVISE_ADVICE, 'POSIX_FADV_???')] },
  ioctl: { decoder: ioctl },
  eventfd2: { args: [u32, flags(EVENTFD_FLAGS, 'EFD_???')], ret: 'fd' },
  eventfd: { args: [u32], ret: 'fd' },
  getrandom: { args: [randomBuf, customOut((_ctx, v) => u64(v).toString()), customOut((ctx, v) => flags(GETRANDOM_FLAGS, 'GRND_???').print(ctx, v))] },
};

