// File times and file system statistics (strace's utimes.c, statfs.c, and uid.c's getgroups).
import type { DecodeContext, ExitContext, XlatStyle } from './types.js';
import { STATFS, TIMESPEC, TIMEVAL, UTIMBUF } from '../../abi/structs.js';
import { AT_FLAGS, FS_MAGIC, STATFS_FLAGS } from '../xlat/fs.js';
import { custom, customOut, dirfd, fd, flags, i32, path, type SyscallTable } from './args.js';
import { hex, isError, printArray, printEnum, printFlagsOrZero, printPtr, readInt, readStruct, u64, type StructView } from './printers.js';
import type { StructLayout } from '../../arch/types.js';

const UTIME_NOW = (1n << 30n) - 1n;
const UTIME_OMIT = (1n << 30n) - 2n;

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * strace's comment after a time: `/* 2020-01-01T00:00:00.000000005+0000 *\/` in local time,
 * the fraction only when non-zero (9 digits for nanoseconds, 6 for microseconds). Nothing for a
 * time the calendar cannot show.
 */
export function timeComment(sec: bigint, frac: bigint, digits: 6 | 9): string {
  const date = calendarTime(sec, frac, digits);
  return date === '' ? '' : ` /* ${date} */`;
}

/** The date itself (strace's sprinttime): `2020-01-01T00:00:00+0000`; '' for none, and for the epoch itself. */
export function calendarTime(sec: bigint, frac = 0n, digits: 6 | 9 = 9): string {
  if ((sec === 0n && frac === 0n) || sec < -8_640_000_000_000n || sec > 8_640_000_000_000n) return '';
  const d = new Date(Number(sec) * 1000);
  if (Number.isNaN(d.getTime())) return '';
  const offset = -d.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  const fraction = frac !== 0n && frac >= 0n ? `.${frac.toString().padStart(digits, '0')}` : '';
  return `${date}${fraction}${zone}`;
}

/**
 * One timespec of utimensat: UTIME_NOW / UTIME_OMIT by name (-X raw: the struct, -X verbose:
 * the struct and the name), else the time and its date.
 */
function utimeSpec(style: XlatStyle, sec: bigint, nsec: bigint): string {
  const special = nsec === UTIME_NOW ? 'UTIME_NOW' : nsec === UTIME_OMIT ? 'UTIME_OMIT' : undefined;
  if (special !== undefined) {
    const raw = `{tv_sec=${sec}, tv_nsec=${nsec}}`;
    return style === 'abbrev' ? special : style === 'raw' ? raw : `${raw} /* ${special} */`;
  }
  return `{tv_sec=${sec}, tv_nsec=${nsec}}${nsec >= 0n && nsec < 1_000_000_000n ? timeComment(sec, nsec, 9) : ''}`;
}

/** Two structs of 16 bytes (atime, mtime): NULL, the address when unreadable, else `[a, m]`. */
function printTimePair<F extends string>(ctx: DecodeContext, addr: bigint, layout: StructLayout<F>, show: (v: StructView<F>) => string): string {
  if (u64(addr) === 0n) return 'NULL';
  const a = readStruct(ctx, addr, layout);
  const m = readStruct(ctx, addr + 16n, layout);
  return a === null || m === null ? hex(addr) : `[${show(a)}, ${show(m)}]`;
}

/** utimensat's times. */
function printUtimens(ctx: DecodeContext, addr: bigint): string {
  return printTimePair(ctx, addr, TIMESPEC, (v) => utimeSpec(ctx.options.xlat, v.get('tv_sec'), v.get('tv_nsec')));
}

/** utimes/futimesat's two timevals. */
function printTimevalPair(ctx: DecodeContext, addr: bigint): string {
  return printTimePair(ctx, addr, TIMEVAL, (v) => {
    const sec = v.get('tv_sec');
    const usec = v.get('tv_usec');
    return `{tv_sec=${sec}, tv_usec=${usec}}${usec >= 0n && usec < 1_000_000n ? timeComment(sec, usec, 6) : ''}`;
  });
}

/** utime's struct utimbuf. */
function printUtimbuf(ctx: DecodeContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const v = readStruct(ctx, addr, UTIMBUF);
  if (v === null) return hex(addr);
  const at = v.get('actime');
  const mt = v.get('modtime');
  return `{actime=${at}${timeComment(at, 0n, 6)}, modtime=${mt}${timeComment(mt, 0n, 6)}}`;
}

/** statfs/fstatfs's struct statfs, at exit. */
function printStatfs(ctx: ExitContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  if (isError(ctx.ret)) return hex(addr);
  const v = readStruct(ctx, addr, STATFS);
  if (v === null) return hex(addr);
  const style = ctx.options.xlat;
  const fsid = (f: 'f_fsid0' | 'f_fsid1'): string => hex(BigInt.asUintN(32, v.get(f)));
  return `{f_type=${printEnum(style, FS_MAGIC, BigInt.asUintN(64, v.get('f_type')))}, f_bsize=${v.get('f_bsize')}, ` +
    `f_blocks=${v.get('f_blocks')}, f_bfree=${v.get('f_bfree')}, f_bavail=${v.get('f_bavail')}, ` +
    `f_files=${v.get('f_files')}, f_ffree=${v.get('f_ffree')}, f_fsid={val=[${fsid('f_fsid0')}, ${fsid('f_fsid1')}]}, ` +
    `f_namelen=${v.get('f_namelen')}, f_frsize=${v.get('f_frsize')}, ` +
    `f_flags=${printFlagsOrZero(style, STATFS_FLAGS, BigInt.asUintN(64, v.get('f_flags')))}}`;
}

/**
 * getgroups' list: as many gids as the call returned (`[]` for none); the address when it failed
 * or returned more than NGROUPS_MAX (65536).
 */
function printGroups(ctx: ExitContext, addr: bigint): string {
  if (isError(ctx.ret) || u64(ctx.ret) > 65536n) return printPtr(addr);
  return printArray(ctx, addr, Number(ctx.ret), 4, (b) => {
    const g = readInt(b, 0, 4, false);
    return g === 0xffffffffn ? '-1' : g.toString();
  });
}

const atFlags = flags(AT_FLAGS, 'AT_???');

export const FS_METADATA_SYSCALLS: SyscallTable = {
  utimensat: { args: [dirfd, path, custom(printUtimens), atFlags] },
  futimesat: { args: [dirfd, path, custom(printTimevalPair)] },
  utimes: { args: [path, custom(printTimevalPair)] },
  utime: { args: [path, custom(printUtimbuf)] },
  statfs: { args: [path, customOut(printStatfs)] },
  fstatfs: { args: [fd, customOut(printStatfs)] },
  getgroups: { args: [i32, customOut(printGroups)] },
};
