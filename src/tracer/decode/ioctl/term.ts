// The terminal's ioctls ('T': TCGETS, TIOCGWINSZ, FIONREAD, ...), as strace's term.c prints them.
import type { DecodeContext, XlatStyle } from '../types.js';
import { WINSIZE } from '../../../abi/structs.js';
import {
  BAUD_RATES, TCFLSH_OPTIONS, TCXONC_OPTIONS, TERM_CBAUD, TERM_CFLAGS, TERM_CIBAUD,
  TERM_CSIZE, TERM_CSIZES, TERM_IFLAGS, TERM_LFLAGS, TERM_LINE_DISCS, TERM_ODELAYS, TERM_OFLAGS, TERMIOS_CC,
} from '../../xlat/misc.js';
import { MODEM_FLAGS } from '../../xlat/ioctl-term.js';
import { hex, int, isError, printEnum, printFlags, printPtr, readInt, readStruct, struct, u64, type StructView } from '../printers.js';
import type { IoctlFamily } from './family.js';

// ---- structs ---------------------------------------------------------------------------

/** The four flag words of struct termios, termios2 and termio (strace's decode_flags). */
interface TermFlagWords { readonly iflag: number; readonly oflag: number; readonly cflag: number; readonly lflag: number }

function termFlags(style: XlatStyle, w: TermFlagWords): string[] {
  const oflag = w.oflag;
  let o = '';
  let rest = BigInt(oflag);
  for (const [mask, table, dflt] of TERM_ODELAYS) {
    o += `${printEnum(style, table, BigInt(oflag & mask), dflt)}|`;
    rest &= ~BigInt(mask);
  }
  o += printFlags(style, TERM_OFLAGS, rest);
  const cflag = w.cflag >>> 0;
  let c = `${printEnum(style, BAUD_RATES, BigInt(cflag & TERM_CBAUD), 'B???')}|`;
  if (cflag & TERM_CIBAUD) {
    c += `${printEnum(style, BAUD_RATES, BigInt((cflag & TERM_CIBAUD) >>> 16), 'B???')}<<${style === 'abbrev' ? 'IBSHIFT' : style === 'raw' ? '16' : '16 /* IBSHIFT */'}|`;
  }
  c += `${printEnum(style, TERM_CSIZES, BigInt(cflag & TERM_CSIZE), 'CS?')}|`;
  c += printFlags(style, TERM_CFLAGS, BigInt((cflag & ~(TERM_CBAUD | TERM_CIBAUD | TERM_CSIZE)) >>> 0));
  return [
    `c_iflag=${printFlags(style, TERM_IFLAGS, w.iflag >>> 0)}`,
    `c_oflag=${o}`,
    `c_cflag=${c}`,
    `c_lflag=${printFlags(style, TERM_LFLAGS, w.lflag >>> 0)}`,
  ];
}

/**
 * struct termios (36 bytes), termios2 (the same and the two speeds, 44) or the old termio (16-bit
 * flag words, c_line and 8 control characters, 18), as strace's decode_termios* print them.
 */
type TermiosKind = 'termios' | 'termios2' | 'termio';
const TERMIOS_SIZES: Readonly<Record<TermiosKind, number>> = { termios: 36, termios2: 44, termio: 18 };

function printTermios(ctx: DecodeContext, addr: bigint, kind: TermiosKind = 'termios'): string {
  if (u64(addr) === 0n) return 'NULL';
  const b = ctx.options.structs === false ? null : ctx.mem.read(addr, TERMIOS_SIZES[kind]);
  if (b === null) return hex(addr);
  const w = kind === 'termio' ? 2 : 4;
  const word = (i: number): number => Number(readInt(b, i * w, w, false));
  const style = ctx.options.xlat;
  const f = termFlags(style, { iflag: word(0), oflag: word(1), cflag: word(2), lflag: word(3) });
  if (!ctx.options.verbose) return struct([...f, '...']);
  const line = 4 * w;
  f.push(`c_line=${printEnum(style, TERM_LINE_DISCS, b[line]!, 'N_???')}`);
  const cc = b.subarray(line + 1, line + 1 + (kind === 'termio' ? 8 : 19));
  const items: string[] = [];
  for (let i = 0; i < cc.length; i++) {
    const name = TERMIOS_CC.byValue.get(BigInt(i));
    items.push(`[${name ?? i}]=${hex(cc[i]!)}`);
  }
  f.push(`c_cc=[${items.join(', ')}]`);
  if (kind === 'termios2') f.push(`c_ispeed=${readInt(b, 36, 4, false)}`, `c_ospeed=${readInt(b, 40, 4, false)}`);
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

function printModemFlags(ctx: DecodeContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const b = ctx.options.structs === false ? null : ctx.mem.read(addr, 4);
  return b === null ? hex(addr) : `[${printFlags(ctx.options.xlat, MODEM_FLAGS, readInt(b, 0, 4, false), 'TIOCM_???')}]`;
}

// ---- requests -------------------------------------------------------------------------------

const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;
const TCGETA = 0x5405, TCSETA = 0x5406, TCSETAW = 0x5407, TCSETAF = 0x5408;
const TCGETS2 = 0x802c542a, TCSETS2 = 0x402c542b, TCSETSW2 = 0x402c542c, TCSETSF2 = 0x402c542d;
const TIOCGLCKTRMIOS = 0x5456, TIOCSLCKTRMIOS = 0x5457;
const TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
const TIOCMGET = 0x5415, TIOCMBIS = 0x5416, TIOCMBIC = 0x5417, TIOCMSET = 0x5418;
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
    case TCGETS: case TIOCGLCKTRMIOS: case TIOCGWINSZ: case TIOCMGET: case TCGETA: case TCGETS2: return 'out';
    case TCSETA: case TCSETAW: case TCSETAF: case TCSETS2: case TCSETSW2: case TCSETSF2: return 'in';
    case TIOCMBIS: case TIOCMBIC: case TIOCMSET: return 'in';
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
    case TCGETA: case TCSETA: case TCSETAW: case TCSETAF: return printTermios(ctx, arg, 'termio');
    case TCGETS2: case TCSETS2: case TCSETSW2: case TCSETSF2: return printTermios(ctx, arg, 'termios2');
    case TIOCGWINSZ: case TIOCSWINSZ: return printWinsize(ctx, arg);
    case TCXONC: return printEnum(ctx.options.xlat, TCXONC_OPTIONS, u64(arg), 'TC???');
    case TCFLSH: return printEnum(ctx.options.xlat, TCFLSH_OPTIONS, u64(arg), 'TC???');
    case TCSBRK: case TCSBRKP: case TIOCSCTTY: return String(int(arg));
    case TIOCMGET: case TIOCMBIS: case TIOCMBIC: case TIOCMSET: return printModemFlags(ctx, arg);
  }
  return printIntAt(ctx, arg);
}

export const TERMINAL_IOCTLS: IoctlFamily = {
  types: [0x54],
  enter(ctx, code, arg) {
    switch (ioctlKind(code)) {
      case 'out': return { text: ', ', more: true };
      case 'in': return { text: `, ${ioctlArg(ctx, code, arg)}` };
      case 'none': return { text: '' };
      case 'raw': return undefined;
    }
  },
  exit(ctx, code, arg) {
    return isError(ctx.ret) && u64(arg) !== 0n ? hex(arg) : ioctlArg(ctx, code, arg);
  },
};
