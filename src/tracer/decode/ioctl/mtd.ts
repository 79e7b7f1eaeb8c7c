// Memory technology devices ('M'), as strace's mtd.c prints them.
import { hex, isError, printEnum, printFlags, printPtr, readInt, u64 } from '../printers.js';
import { MTD_FILE_MODES, MTD_FLAGS, MTD_MODES, MTD_NANDECC, MTD_OTP, MTD_TYPES } from '../../xlat/ioctl-mtd.js';
import type { DecodeContext, ExitContext } from '../types.js';
import { iocDir, iocNr, type IoctlEntry, type IoctlFamily } from './family.js';
import { localArray, printIntD, printIntU, printNum, umove } from './umove.js';

const ERASE = new Set([0x40084d02 /* MEMERASE */, 0x40084d05 /* MEMLOCK */, 0x40084d06 /* MEMUNLOCK */, 0x80084d17 /* MEMISLOCKED */]);
const ERASE64 = 0x40104d14, WRITE = 0xc0304d18, OTPGETREGIONINFO = 0x400c4d0f, OTPLOCK = 0x800c4d10, OTPSELECT = 0x80044d0d;
const OOB = new Set([0xc0104d03 /* MEMWRITEOOB */, 0xc0104d04 /* MEMREADOOB */]);
const OOB64 = new Set([0xc0184d15 /* MEMWRITEOOB64 */, 0xc0184d16 /* MEMREADOOB64 */]);
const FILEMODE = 0x4d13, GETINFO = 0x80204d01, GETOOBSEL = 0x80c84d0a, ECCGETLAYOUT = 0x81484d11, ECCGETSTATS = 0x80104d12;
const BADBLOCK = new Set([0x40084d0b /* MEMGETBADBLOCK */, 0x40084d0c /* MEMSETBADBLOCK */]);
const OTPGETREGIONCOUNT = 0x40044d0e, MEMGETREGIONCOUNT = 0x80044d07, MEMGETREGIONINFO = 0xc0104d08;
/** Requests decoded at exit only. */
const AT_EXIT_ONLY = new Set([OTPGETREGIONINFO, GETINFO, GETOOBSEL, ECCGETLAYOUT, ECCGETSTATS, OTPGETREGIONCOUNT, MEMGETREGIONCOUNT]);

const x32 = (b: Uint8Array, off: number): string => hex(readInt(b, off, 4, false));
const x64 = (b: Uint8Array, off: number): string => hex(readInt(b, off, 8, false));
const ptr = (b: Uint8Array, off: number): string => printPtr(readInt(b, off, 8, false));

/** The argument of a request printed in one piece (at entry, or at exit for the AT_EXIT_ONLY ones). */
function decode(ctx: DecodeContext, code: number, arg: bigint, exit?: ExitContext): string | undefined {
  const style = ctx.options.xlat;
  const struct = (size: number, show: (b: Uint8Array) => string): string => {
    const b = umove(ctx, arg, size, exit);
    return typeof b === 'string' ? b : show(b);
  };
  if (ERASE.has(code)) return struct(8, (b) => `{start=${x32(b, 0)}, length=${x32(b, 4)}}`);
  if (OOB.has(code)) return struct(16, (b) => `{start=${x32(b, 0)}, length=${x32(b, 4)}, ptr=${ptr(b, 8)}}`);
  if (OOB64.has(code)) return struct(24, (b) => `{start=${x64(b, 0)}, length=${x32(b, 12)}, usr_ptr=${ptr(b, 16)}}`);
  if (BADBLOCK.has(code)) return printNum(ctx, arg, 8, (v) => v.toString());
  switch (code) {
    case ERASE64: return struct(16, (b) => `{start=${x64(b, 0)}, length=${x64(b, 8)}}`);
    case WRITE: return struct(48, (b) => `{start=${x64(b, 0)}, len=${x64(b, 8)}, ooblen=${x64(b, 16)}, usr_data=${ptr(b, 24)}, ` +
      `usr_oob=${ptr(b, 32)}, mode=${printEnum(style, MTD_MODES, b[40]!, 'MTD_OPS_???')}}`);
    case OTPGETREGIONINFO: case OTPLOCK: return struct(12, (b) => `{start=${x32(b, 0)}, length=${x32(b, 4)}, locked=${readInt(b, 8, 4, false)}}`);
    case OTPSELECT: return printNum(ctx, arg, 4, (v) => printEnum(style, MTD_OTP, v, 'MTD_OTP_???'));
    case FILEMODE: return printEnum(style, MTD_FILE_MODES, u64(arg), 'MTD_FILE_MODE_???');
    case GETINFO: return struct(32, (b) => `{type=${printEnum(style, MTD_TYPES, b[0]!, 'MTD_???')}, ` +
      `flags=${printFlags(style, MTD_FLAGS, readInt(b, 4, 4, false), 'MTD_???')}, size=${x32(b, 8)}, erasesize=${x32(b, 12)}, ` +
      `writesize=${x32(b, 16)}, oobsize=${x32(b, 20)}, padding=${x64(b, 24)}}`);
    case GETOOBSEL: return struct(200, (b) => `{useecc=${printEnum(style, MTD_NANDECC, readInt(b, 0, 4, false), 'MTD_NANDECC_???')}, ` +
      `eccbytes=${x32(b, 4)}, oobfree=${localArray(ctx, 8, (i) => localArray(ctx, 2, (j) => x32(b, 8 + 8 * i + 4 * j)))}, ` +
      `eccpos=${localArray(ctx, 32, (i) => x32(b, 72 + 4 * i))}}`);
    case ECCGETLAYOUT: return struct(328, (b) => `{eccbytes=${x32(b, 0)}, eccpos=${localArray(ctx, 64, (i) => x32(b, 4 + 4 * i))}, ` +
      `oobavail=${x32(b, 260)}, oobfree=${localArray(ctx, 8, (i) => `{offset=${x32(b, 264 + 8 * i)}, length=${x32(b, 268 + 8 * i)}}`)}}`);
    case ECCGETSTATS: return struct(16, (b) => `{corrected=${x32(b, 0)}, failed=${x32(b, 4)}, badblocks=${x32(b, 8)}, bbtblocks=${x32(b, 12)}}`);
    case OTPGETREGIONCOUNT: return printIntU(ctx, arg, exit);
    case MEMGETREGIONCOUNT: return printIntD(ctx, arg, exit);
  }
  return undefined;
}

export const MTD_IOCTLS: IoctlFamily = {
  types: [0x4d],
  // 'M' is also the sound mixer's type: strace names its read and write requests by number first.
  requestName(code) {
    const dir = iocDir(code);
    return dir === 1 ? `MIXER_WRITE(${iocNr(code)})` : dir === 2 ? `MIXER_READ(${iocNr(code)})` : undefined;
  },
  enter(ctx, code, arg): IoctlEntry | undefined {
    if (AT_EXIT_ONLY.has(code)) return { text: '', more: true };
    if (code === MEMGETREGIONINFO) {
      // struct region_info_user: offset, erasesize, numblocks, regionindex (u32 each).
      const b = umove(ctx, arg, 16);
      return typeof b === 'string' ? { text: `, ${b}` } : { text: `, {regionindex=${x32(b, 12)}`, more: true };
    }
    const text = decode(ctx, code, arg);
    return text === undefined ? undefined : { text: `, ${text}` };
  },
  exit(ctx, code, arg) {
    if (code === MEMGETREGIONINFO) {
      const b = isError(ctx.ret) ? null : ctx.mem.read(u64(arg), 16);
      return b === null ? '}' : `, offset=${x32(b, 0)}, erasesize=${x32(b, 4)}, numblocks=${x32(b, 8)}}`;
    }
    return `, ${decode(ctx, code, arg, ctx) ?? hex(arg)}`;
  },
};
