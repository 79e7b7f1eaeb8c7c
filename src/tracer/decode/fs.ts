// File and descriptor syscalls (strace's open.c, io.c, stat.c, statx.c, fcntl.c, dirent.c, …).
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import type { ArchStructs } from '../../arch/types.js';
import { xlat } from '../xlat/xlat.js';
import { FLOCK, F_OWNER_EX, IOVEC, LINUX_DIRENT64, STATX } from '../../abi/structs.js';
import {
  ACCESS_MODES, AT_FLAGS, FALLOC_FLAGS, FLOCK_OPS, AT_STATX_SYNC_TYPE, CLOSE_RANGE_FLAGS, DIRENT_TYPES, DNOTIFY_FLAGS, F,
  FACCESSAT_FLAGS, FCNTL_CMDS, FD_FLAGS, FILE_TYPES, F_OWNER_TYPES, F_SEALS, LOCK_TYPES,
  O_CREAT, O_TMPFILE_BIT, OPEN_ACCESS_MODES, RENAME_FLAGS, SEEK_WHENCE, STATX_ATTRS, STATX_MASK,
  STATX_SYNC_TYPES, openModeFlags,
} from '../xlat/fs.js';
import {
  atExit, bufIn, bufOut, custom, customOut, dirfd, fd, flags, i32, long, mode, path, u32, ulong, xval,
  type InArg, type SyscallTable,
} from './args.js';
import {
  dec, formatReturn, hex, int, isError, octal, printArray, printBuffer, printCString, printDirFd, printEnum, printFd,
  printFlags, printFlagsOrZero, printNamed, printOutStruct, printPath, printPathN, printPid, printPidOrGroup, printPtr, printSymbolicMode, quoteBytes,
  readInt, readStruct, struct, u64, uint, type StructView,
} from './printers.js';
import { printSignalName } from './signal.js';

// ---- open flags ---------------------------------------------------------------------------------

/** The text of an open flags value in abbrev form: `O_RDWR|O_CREAT` (strace's sprint_open_modes). */
export function openModesText(ctx: DecodeContext, value: bigint): string {
  let f = u64(value) & 0xffffffffn;
  const names: string[] = [];
  const acc = OPEN_ACCESS_MODES.byValue.get(f & 3n);
  if (acc !== undefined) {
    names.push(acc);
    f &= ~3n;
    if (f === 0n) return acc;
  }
  const rest = printFlags('abbrev', openModeFlags(ctx.arch), f);
  if (rest !== '') names.push(rest);
  return names.join('|');
}

/** open(2) flags in the -X style: `O_RDONLY|O_CLOEXEC`, raw `0x80000`, verbose `0x80000 /* O_RDONLY|O_CLOEXEC *\/`. */
export function printOpenFlags(ctx: DecodeContext, value: bigint): string {
  const v = u64(value) & 0xffffffffn;
  return printNamed(ctx.options.xlat, v, openModesText(ctx, v));
}

/** Flags that are a subset of open's (dup3, pipe2, eventfd2…): `0` when empty. */
export function printOFlags(ctx: DecodeContext, value: bigint, dflt = 'O_???'): string {
  return printFlags(ctx.options.xlat, openModeFlags(ctx.arch), BigInt(uint(value)), dflt);
}

function decodeOpen(pathIndex: number): SyscallDecoder {
  return {
    enter(ctx) {
      const parts: string[] = [];
      if (pathIndex === 1) parts.push(printDirFd(ctx, ctx.args[0]!));
      parts.push(printPath(ctx, ctx.args[pathIndex]!));
      const f = ctx.args[pathIndex + 1]!;
      parts.push(printOpenFlags(ctx, f));
      if ((u64(f) & BigInt(O_CREAT | O_TMPFILE_BIT)) !== 0n) parts.push(octal(ctx.args[pathIndex + 2]! & 0xffffn));
      return { text: parts.join(', ') };
    },
    exit: (ctx) => ({ text: '', ret: formatReturn(ctx, 'fd') }),
  };
}

// ---- stat ---------------------------------------------------------------------------------------

/** A time as strace's -v comment shows it: `2026-11-22T20:21:59.432182068+0000` (local time). */
export function formatTimeComment(sec: bigint, frac: bigint, width: 6 | 9): string | undefined {
  const max = width === 9 ? 999999999n : 999999n;
  if ((sec === 0n && frac === 0n) || frac > max || frac < 0n) return undefined;
  const d = new Date(Number(sec) * 1000);
  if (Number.isNaN(d.getTime())) return undefined;
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  let s = `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  if (frac > 0n) s += `.${frac.toString().padStart(width, '0')}`;
  return `${s}${sign}${p(Math.floor(abs / 60))}${p(abs % 60)}`;
}

function timeField(name: string, sec: bigint, frac: bigint, width: 6 | 9): string {
  const c = formatTimeComment(sec, frac, width);
  return c === undefined ? `${name}=${sec}` : `${name}=${sec} /* ${c} */`;
}

/** A dev_t: `makedev(0xfe, 0x1)` (strace's print_dev_t). */
export function printDev(ctx: DecodeContext, dev: bigint): string {
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn & 0xffffffffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn & 0xffffffffn));
  const sym = `makedev(${hex(major)}, ${hex(minor)})`;
  switch (ctx.options.xlat) {
    case 'abbrev': return sym;
    case 'raw': return hex(dev);
    case 'verbose': return `${hex(dev)} /* ${sym} */`;
  }
}

/** struct stat: `{st_mode=S_IFREG|0644, st_size=1221, ...}`, the whole struct with -v. */
export function printStat(ctx: DecodeContext, st: StructView<keyof ArchStructs['stat']['fields']>): string {
  const style = ctx.options.xlat;
  const m = st.num('st_mode');
  const fields: string[] = [];
  const modeText = `st_mode=${printSymbolicMode(style, m, FILE_TYPES)}`;
  if (ctx.options.verbose) {
    fields.push(`st_dev=${printDev(ctx, st.get('st_dev'))}`, `st_ino=${u64(st.get('st_ino'))}`, modeText,
      `st_nlink=${st.get('st_nlink')}`, `st_uid=${st.get('st_uid')}`, `st_gid=${st.get('st_gid')}`,
      `st_blksize=${st.get('st_blksize')}`, `st_blocks=${st.get('st_blocks')}`);
  } else {
    fields.push(modeText);
  }
  const type = m & 0o170000;
  if (type === 0o20000 || type === 0o60000) fields.push(`st_rdev=${printDev(ctx, st.get('st_rdev'))}`);
  else fields.push(`st_size=${st.get('st_size')}`);
  if (ctx.options.verbose) {
    for (const t of ['atime', 'mtime', 'ctime'] as const) {
      const sec = st.get(`st_${t}`);
      const nsec = st.get(`st_${t}_nsec`);
      fields.push(timeField(`st_${t}`, sec, nsec, 9), `st_${t}_nsec=${nsec}`);
    }
  } else {
    fields.push('...');
  }
  return struct(fields);
}

const statOut = customOut((ctx, v) => printOutStruct(ctx, v, ctx.arch.structs.stat, (st) => printStat(ctx, st)));

function printStatxTime(sec: bigint, nsec: bigint): string {
  const c = formatTimeComment(sec, nsec, 9);
  return `{tv_sec=${sec}, tv_nsec=${nsec}}${c === undefined ? '' : ` /* ${c} */`}`;
}

function printStatx(ctx: ExitContext, v: StructView<keyof typeof STATX.fields>): string {
  const style = ctx.options.xlat;
  const mask = v.num('stx_mask');
  const verbose = ctx.options.verbose;
  const out: string[] = [`stx_mask=${printFlags(style, STATX_MASK, mask, 'STATX_???')}`];
  if (verbose) out.push(`stx_blksize=${v.get('stx_blksize')}`);
  out.push(`stx_attributes=${printFlags(style, STATX_ATTRS, v.get('stx_attributes'), 'STATX_ATTR_???')}`);
  if (verbose) {
    if (mask & 0x4) out.push(`stx_nlink=${v.get('stx_nlink')}`);
    if (mask & 0x8) out.push(`stx_uid=${v.get('stx_uid')}`);
    if (mask & 0x10) out.push(`stx_gid=${v.get('stx_gid')}`);
  }
  if (mask & 0x3) out.push(`stx_mode=${printSymbolicMode(style, v.num('stx_mode'), FILE_TYPES)}`);
  if (verbose && mask & 0x100) out.push(`stx_ino=${v.get('stx_ino')}`);
  if (mask & 0x200) out.push(`stx_size=${v.get('stx_size')}`);
  if (verbose) {
    if (mask & 0x400) out.push(`stx_blocks=${v.get('stx_blocks')}`);
    out.push(`stx_attributes_mask=${printFlags(style, STATX_ATTRS, v.get('stx_attributes_mask'), 'STATX_ATTR_???')}`);
    if (mask & 0x20) out.push(`stx_atime=${printStatxTime(v.get('stx_atime_sec'), v.get('stx_atime_nsec'))}`);
    if (mask & 0x800) out.push(`stx_btime=${printStatxTime(v.get('stx_btime_sec'), v.get('stx_btime_nsec'))}`);
    if (mask & 0x80) out.push(`stx_ctime=${printStatxTime(v.get('stx_ctime_sec'), v.get('stx_ctime_nsec'))}`);
    if (mask & 0x40) out.push(`stx_mtime=${printStatxTime(v.get('stx_mtime_sec'), v.get('stx_mtime_nsec'))}`);
    out.push(`stx_rdev_major=${v.get('stx_rdev_major')}`, `stx_rdev_minor=${v.get('stx_rdev_minor')}`,
      `stx_dev_major=${v.get('stx_dev_major')}`, `stx_dev_minor=${v.get('stx_dev_minor')}`);
    if (mask & 0x1000) out.push(`stx_mnt_id=${hex(v.get('stx_mnt_id'))}`);
    if (mask & 0x2000) out.push(`stx_dio_mem_align=${v.get('stx_dio_mem_align')}`, `stx_dio_offset_align=${v.get('stx_dio_offset_align')}`);
  } else {
    out.push('...');
  }
  return struct(out);
}

const statxFlags = custom((ctx, v) => {
  const f = uint(v);
  const style = ctx.options.xlat;
  let s = printFlags(style, STATX_SYNC_TYPES, f & AT_STATX_SYNC_TYPE);
  const rest = (f & ~AT_STATX_SYNC_TYPE) >>> 0;
  // strace joins the two parts with '|' even when -X raw printed the zero sync type as nothing.
  if (rest !== 0) s += `|${printFlags(style, AT_FLAGS, rest)}`;
  return s;
});

// ---- getdents64 ---------------------------------------------------------------------------------

function printDirents(ctx: ExitContext, addr: bigint): string {
  if (isError(ctx.ret)) return printPtr(addr);
  const n = Number(u64(ctx.ret));
  const buf = n === 0 ? new Uint8Array(0) : ctx.mem.read(addr, n);
  if (buf === null) return hex(addr);
  if (!ctx.options.verbose) {
    let count = 0;
    for (let off = 0; off + LINUX_DIRENT64.size <= n;) {
      const reclen = Number(readInt(buf, off + 16, 2, false));
      if (reclen === 0) break;
      count++;
      off += reclen;
    }
    return `${hex(addr)} /* ${count} entries */`; // "1 entries" too, as strace prints it
  }
  const parts: string[] = [];
  for (let off = 0; off < n;) {
    if (off + LINUX_DIRENT64.size > n) break;
    const reclen = Number(readInt(buf, off + 16, 2, false));
    const type = buf[off + 18]!;
    const nameBytes = buf.subarray(off + 19, off + Math.max(reclen, 19));
    const nul = nameBytes.indexOf(0);
    const name = quoteBytes(nameBytes, nul < 0 ? nameBytes.length : nul).text;
    parts.push(struct([
      `d_ino=${readInt(buf, off, 8, false)}`, `d_off=${readInt(buf, off + 8, 8, true)}`, `d_reclen=${reclen}`,
      `d_type=${printEnum(ctx.options.xlat, DIRENT_TYPES, type, 'DT_???')}`, `d_name=${name}`,
    ]));
    if (reclen === 0) break;
    off += reclen;
  }
  return `[${parts.join(', ')}]`;
}

/**
 * The old getdents' struct linux_dirent (strace's dirent.c): d_ino, d_off and d_reclen (18
 * bytes on 64-bit), then d_name, its NUL, and d_type in the record's last byte. -v lists the
 * records (d_name before d_type); otherwise the address and the count of records.
 */
function printOldDirents(ctx: ExitContext, addr: bigint): string {
  const header = 18;
  const count = uint(ctx.args[2]!);
  if (isError(ctx.ret) || u64(ctx.ret) > BigInt(count)) return printPtr(addr);
  let len = Number(u64(ctx.ret));
  const verbose = ctx.options.verbose;
  let out = verbose ? '' : printPtr(addr);
  let n = 0;
  for (;;) {
    if (len < header) {
      if (verbose) {
        if (len === 0) { out += '['; n++; } else out += printBuffer(ctx, addr, BigInt(len), { forceHex: true });
      }
      break;
    }
    const head = ctx.mem.read(addr, header);
    if (head === null) {
      if (verbose) out += n > 0 ? `... /* ${hex(addr)} */` : hex(addr);
      break;
    }
    if (verbose && n === 0) out += '[';
    n++;
    let reclen = Number(readInt(head, 16, 2, false));
    const fields = [`d_ino=${readInt(head, 0, 8, false)}`, `d_off=${readInt(head, 8, 8, false)}`, `d_reclen=${reclen}`];
    let next = 0;
    if (reclen > len) {
      fields[2] += ` /* ${reclen - len} bytes overflow */`;
      reclen = len;
      len = 0;
    } else if (reclen < header) {
      fields[2] += ` /* ${header - reclen} bytes underflow */`;
      reclen = header;
      len -= header;
    } else {
      len -= reclen;
      if (len > 0) next = reclen;
    }
    if (verbose) {
      let failed = false;
      const tail = reclen - header;
      if (tail > 0) {
        let nameLen = tail - 1;
        if (nameLen > 0) {
          if (nameLen > 256) nameLen = 256;
          const name = printPathN(ctx, addr + BigInt(header), nameLen - 1);
          if (name.startsWith('0x')) failed = true;
          fields.push(`d_name=${name}`);
        }
        const t = ctx.mem.read(addr + BigInt(header + tail - 1), 1);
        if (t === null) failed = true;
        fields.push(`d_type=${t === null ? hex(addr + BigInt(header + tail - 1)) : printEnum(ctx.options.xlat, DIRENT_TYPES, t[0]!, 'DT_???')}`);
      }
      out += struct(fields);
      if (next > 0) {
        out += ', ';
        if (failed) { out += '...'; break; }
      }
    }
    if (next === 0) break;
    addr += BigInt(next);
  }
  if (verbose) return n > 0 ? `${out}]` : out;
  return `${out} /* ${n}${len > 0 ? '+' : ''} entries */`;
}

// ---- iovecs -------------------------------------------------------------------------------------

/**
 * An iovec array (strace's tprint_iov_upto): each iov_base as a string of at most `dataSize`
 * bytes in total (-1: unlimited), or as an address when `addressesOnly`.
 */
export function printIovec(
  ctx: DecodeContext, addr: bigint, count: bigint, dataSize: bigint, addressesOnly: boolean,
  data: (base: bigint, len: bigint) => string = (base, len) => printBuffer(ctx, base, len),
): string {
  let remaining = dataSize;
  // an array whose byte size or end wraps around the address space is shown by its address
  const bytes = u64(count) * BigInt(IOVEC.size);
  if (u64(addr) !== 0n && u64(count) !== 0n && ctx.options.structs !== false && (bytes >= 1n << 64n || u64(addr) + bytes >= 1n << 64n)) return printPtr(addr);
  const n = u64(count) > 0x7fffffffn ? 0x7fffffff : Number(u64(count));
  return printArray(ctx, addr, n, IOVEC.size, (b) => {
    const base = readInt(b, 0, 8, false);
    const ilen = readInt(b, 8, 8, false);
    let len = ilen;
    if (remaining >= 0n) {
      if (len > remaining) len = remaining;
      remaining -= len;
    }
    const shown = addressesOnly ? printPtr(base) : data(base, len);
    return `{iov_base=${shown}, iov_len=${ilen}}`;
  });
}

const iovIn = custom((ctx, v) => printIovec(ctx, v, ctx.args[2]!, -1n, false));
const iovOut = customOut((ctx, v) =>
  isError(ctx.ret) ? printIovec(ctx, v, ctx.args[2]!, -1n, true) : printIovec(ctx, v, ctx.args[2]!, u64(ctx.ret), false));

// ---- fcntl --------------------------------------------------------------------------------------

function printFlock(ctx: DecodeContext, addr: bigint, getlk: boolean): string {
  const v = readStruct(ctx, addr, FLOCK);
  if (v === null) return printPtr(addr);
  const style = ctx.options.xlat;
  return struct([
    `l_type=${printEnum(style, LOCK_TYPES, v.get('l_type'), 'F_???')}`,
    `l_whence=${printEnum(style, SEEK_WHENCE, v.get('l_whence'), 'SEEK_???')}`,
    `l_start=${v.get('l_start')}`, `l_len=${v.get('l_len')}`,
    getlk ? `l_pid=${v.get('l_pid')}` : undefined,
  ]);
}

function printOwnerEx(ctx: DecodeContext, addr: bigint): string {
  const v = readStruct(ctx, addr, F_OWNER_EX);
  if (v === null) return printPtr(addr);
  const type = v.num('type');
  // F_OWNER_TID, F_OWNER_PID, F_OWNER_PGRP name an id strace can translate; other types do not.
  const pid = v.num('pid');
  return struct([`type=${printEnum(ctx.options.xlat, F_OWNER_TYPES, v.get('type'), 'F_OWNER_???')}`, `pid=${type >= 0 && type <= 2 ? printPid(ctx, pid, type !== 2) : pid}`]);
}

const fcntlDecoder: SyscallDecoder = {
  enter(ctx) {
    const cmd = uint(ctx.args[1]!);
    const head = `${printFd(ctx, int(ctx.args[0]!))}, ${printEnum(ctx.options.xlat, FCNTL_CMDS, cmd, 'F_???')}`;
    const a = ctx.args[2]!;
    const style = ctx.options.xlat;
    switch (cmd) {
      case F.SETFD: return { text: `${head}, ${printFlags(style, FD_FLAGS, BigInt(uint(a)), 'FD_???')}` };
      case F.SETOWN: return { text: `${head}, ${printPidOrGroup(ctx, int(a))}` };
      case F.SETPIPE_SZ: case F.DUPFD: case F.DUPFD_CLOEXEC:
        return { text: `${head}, ${int(a)}` };
      case F.SETFL: return { text: `${head}, ${printOpenFlags(ctx, a)}` };
      case F.SETLK: case F.SETLKW: case F.OFD_SETLK: case F.OFD_SETLKW:
        return { text: `${head}, ${printFlock(ctx, a, false)}` };
      case F.SETOWN_EX: return { text: `${head}, ${printOwnerEx(ctx, a)}` };
      case F.NOTIFY: return { text: `${head}, ${printFlags(style, DNOTIFY_FLAGS, u64(a), 'DN_???')}` };
      case F.SETLEASE: return { text: `${head}, ${printEnum(style, LOCK_TYPES, u64(a), 'F_???')}` };
      case F.ADD_SEALS: return { text: `${head}, ${printFlags(style, F_SEALS, u64(a), 'F_SEAL_???')}` };
      case F.SETSIG: return { text: `${head}, ${printSignalName(style, int(a))}` };
      case F.GETOWN: case F.GETPIPE_SZ: case F.GETFD: case F.GETFL: case F.GETLEASE: case F.GET_SEALS: case F.GETSIG:
        return { text: head };
      case F.GETLK: case F.OFD_GETLK: case F.GETOWN_EX:
        return { text: `${head}, ` };
      default: return { text: `${head}, ${hex(a)}` };
    }
  },
  exit(ctx) {
    const cmd = uint(ctx.args[1]!);
    const a = ctx.args[2]!;
    const failed = isError(ctx.ret);
    const r = u64(ctx.ret);
    switch (cmd) {
      case F.GETLK: case F.OFD_GETLK:
        return { text: failed ? printPtr(a) : printFlock(ctx, a, true), ret: formatReturn(ctx, 'dec') };
      case F.GETOWN_EX:
        return { text: failed ? printPtr(a) : printOwnerEx(ctx, a), ret: formatReturn(ctx, 'dec') };
      case F.DUPFD: case F.DUPFD_CLOEXEC:
        return { text: '', ret: formatReturn(ctx, 'fd') };
      case F.GETOWN:
        // A process's id (a group's comes negated, and is not translated).
        return { text: '', ret: formatReturn(ctx, int(ctx.ret) > 0 ? 'pid' : 'dec') };
      case F.GETFD:
        if (failed || r === 0n) break;
        return { text: '', ret: `${hex(r)} (flags ${printFlags(ctx.options.xlat, FD_FLAGS, r)})` };
      case F.GETFL:
        if (failed) break;
        return { text: '', ret: `${hex(r)} (flags ${openModesText(ctx, r)})` };
      case F.GETLEASE: {
        if (failed) break;
        const name = LOCK_TYPES.byValue.get(r);
        return { text: '', ret: name === undefined ? hex(r) : `${hex(r)} (${name})` };
      }
      case F.GET_SEALS:
        if (failed || r === 0n) break;
        return { text: '', ret: `${hex(r)} (seals ${printFlags(ctx.options.xlat, F_SEALS, r)})` };
      case F.GETSIG:
        if (failed || r === 0n) break;
        return { text: '', ret: `${r} (${printSignalName('abbrev', Number(r))})` };
    }
    return { text: '', ret: formatReturn(ctx, 'dec') };
  },
};

// ---- pipe ---------------------------------------------------------------------------------------

/** An int[2] of descriptors the kernel filled (pipe, pipe2, socketpair). */
export function printFdPair(ctx: ExitContext, addr: bigint): string {
  if (isError(ctx.ret)) return printPtr(addr);
  const b = ctx.mem.read(addr, 8);
  if (b === null) return printPtr(addr);
  return `[${printFd(ctx, Number(readInt(b, 0, 4, true)))}, ${printFd(ctx, Number(readInt(b, 4, 4, true)))}]`;
}

const fdPairOut = customOut((ctx, v) => printFdPair(ctx, v));

// ---- the table ----------------------------------------------------------------------------------

const atFlags = flags(AT_FLAGS, 'AT_???');
const oFlags = custom((ctx, v) => printOFlags(ctx, v));
const whence = xval(SEEK_WHENCE, 'SEEK_???');
const accessMode = flags(ACCESS_MODES, '?_OK');
const statxMask = flags(STATX_MASK, 'STATX_???');
const dirents = customOut((ctx, v) => printDirents(ctx, v));
/** readlink's buffer: the returned bytes, cut at -s (no NUL is written). */
const linkBuf = customOut((ctx, v) => (isError(ctx.ret) ? printPtr(v) : printBuffer(ctx, v, u64(ctx.ret))));
const cwdBuf = customOut((ctx, v) => (isError(ctx.ret) ? printPtr(v) : printPathN(ctx, v, Math.max(Number(u64(ctx.ret)) - 1, 0))));
const statxBuf = customOut((ctx, v) => printOutStruct(ctx, v, STATX, (st) => printStatx(ctx, st)));
const uintArg = custom((_ctx, v) => String(uint(v)));

// ---- extended attributes (strace's xattr.c) ----
const XATTR_FLAGS = xlat([['XATTR_CREATE', 0x1], ['XATTR_REPLACE', 0x2]]);
const XATTR_SIZE_MAX = 65536n;
/** An attribute value of `size` bytes (QUOTE_OMIT_TRAILING_0: a final NUL is not shown). */
function printXattrValue(ctx: DecodeContext, addr: bigint, size: bigint): string {
  if (u64(size) > XATTR_SIZE_MAX) return printPtr(addr);
  let n = u64(size);
  if (u64(addr) !== 0n && n > 0n && n <= BigInt(ctx.options.stringLimit)) {
    const last = ctx.mem.read(addr + n - 1n, 1);
    if (last !== null && last[0] === 0) n -= 1n;
  }
  return printBuffer(ctx, addr, n);
}
const xattrName = custom((ctx, v) => printCString(ctx, v));
const xattrValueIn = custom((ctx, v) => printXattrValue(ctx, v, ctx.args[3]!));
const xattrValueOut = customOut((ctx, v) => (isError(ctx.ret) ? printPtr(v) : printXattrValue(ctx, v, ctx.ret)));
// The list's size argument is ctx.args[2] for listxattr/llistxattr/flistxattr alike.
const xattrList = customOut((ctx, v) => (isError(ctx.ret) || u64(ctx.args[2]!) === 0n ? printPtr(v) : printBuffer(ctx, v, u64(ctx.ret))));
const xattrFlags = flags(XATTR_FLAGS, 'XATTR_???');

/** preadv2/pwritev2's RWF_* flags. */
const RWF_FLAGS = xlat([['RWF_HIPRI', 0x1], ['RWF_DSYNC', 0x2], ['RWF_SYNC', 0x4], ['RWF_NOWAIT', 0x8], ['RWF_APPEND', 0x10]]);
// The raw calls pass the offset as two halves (pos_l, pos_h): the flags are the sixth argument.
const rwfFlags = custom((ctx) => printFlagsOrZero(ctx.options.xlat, RWF_FLAGS, u64(ctx.args[5]!)));

/**
 * mknod's and mknodat's mode with its file type, then the device (argument `devIndex`) only for
 * character and block devices: strace prints no device argument for other file types.
 */
const mknodTail = (devIndex: number): InArg => custom((ctx, mode) => {
  // The mode is an unsigned short and the device an unsigned int in strace's decoder.
  const m = uint(mode) & 0xffff;
  let text = printSymbolicMode(ctx.options.xlat, m, FILE_TYPES);
  const type = m & 0o170000;
  if (type === 0o020000 || type === 0o060000) text += `, ${printDev(ctx, ctx.args[devIndex]! & 0xffffffffn)}`;
  return text;
});

/** A uid/gid argument: unsigned 32-bit, the all-ones id as `-1` (strace's printuid). */
const uid = custom((_ctx, v) => (uint(v) === 0xffffffff ? '-1' : String(uint(v))));

export const FS_SYSCALLS: SyscallTable = {
  preadv: { args: [fd, iovOut, atExit(ulong), atExit(long)] },
  pwritev: { args: [fd, iovIn, ulong, long] },
  preadv2: { args: [fd, iovOut, atExit(ulong), atExit(long), atExit(rwfFlags)] },
  pwritev2: { args: [fd, iovIn, ulong, long, rwfFlags] },
  getdents: { args: [fd, customOut(printOldDirents), atExit(u32)] },
  mknodat: { args: [dirfd, path, mknodTail(3)] },
  read: { args: [fd, bufOut, atExit(ulong)] },
  write: { args: [fd, bufIn(2), ulong] },
  pread64: { args: [fd, bufOut, atExit(ulong), atExit(long)] },
  pwrite64: { args: [fd, bufIn(2), ulong, long] },
  readv: { args: [fd, iovOut, atExit(ulong)] },
  writev: { args: [fd, iovIn, ulong] },
  lseek: { args: [fd, long, whence] },
  open: { decoder: decodeOpen(0) },
  openat: { decoder: decodeOpen(1) },
  creat: { args: [path, mode], ret: 'fd' },
  close: { args: [fd] },
  close_range: { args: [uintArg, uintArg, flags(CLOSE_RANGE_FLAGS, 'CLOSE_RANGE_???')] },
  fstat: { args: [fd, statOut] },
  stat: { args: [path, statOut] },
  lstat: { args: [path, statOut] },
  newfstatat: { args: [dirfd, path, statOut, atExit(atFlags)] },
  statx: { args: [dirfd, path, statxFlags, statxMask, statxBuf] },
  getdents64: { args: [fd, dirents, atExit(u32)] },
  readlink: { args: [path, linkBuf, atExit(ulong)] },
  readlinkat: { args: [dirfd, path, linkBuf, atExit(ulong)] },
  access: { args: [path, accessMode] },
  faccessat: { args: [dirfd, path, accessMode] },
  faccessat2: { args: [dirfd, path, accessMode, flags(FACCESSAT_FLAGS, 'AT_???')] },
  fcntl: { decoder: fcntlDecoder },
  dup: { args: [fd], ret: 'fd' },
  dup2: { args: [fd, fd], ret: 'fd' },
  dup3: { args: [fd, fd, oFlags], ret: 'fd' },
  pipe: { args: [fdPairOut] },
  pipe2: { args: [fdPairOut, atExit(oFlags)] },
  unlink: { args: [path] },
  unlinkat: { args: [dirfd, path, atFlags] },
  rmdir: { args: [path] },
  mkdir: { args: [path, mode] },
  mkdirat: { args: [dirfd, path, mode] },
  mknod: { args: [path, mknodTail(2)] },
  rename: { args: [path, path] },
  renameat: { args: [dirfd, path, dirfd, path] },
  renameat2: { args: [dirfd, path, dirfd, path, flags(RENAME_FLAGS, 'RENAME_???')] },
  symlink: { args: [path, path] },
  symlinkat: { args: [path, dirfd, path] },
  link: { args: [path, path] },
  linkat: { args: [dirfd, path, dirfd, path, atFlags] },
  chmod: { args: [path, mode] },
  fchmod: { args: [fd, mode] },
  fchmodat: { args: [dirfd, path, mode] },
  // strace 6.1 has no name for 452 (it prints syscall_0x1c4 and six hex words); this is how
  // strace 6.5 and later print it.
  fchmodat2: { args: [dirfd, path, mode, atFlags] },
  chown: { args: [path, uid, uid] },
  fchown: { args: [fd, uid, uid] },
  lchown: { args: [path, uid, uid] },
  fchownat: { args: [dirfd, path, uid, uid, atFlags] },
  truncate: { args: [path, long] },
  getxattr: { args: [path, xattrName, xattrValueOut, atExit(ulong)] },
  lgetxattr: { args: [path, xattrName, xattrValueOut, atExit(ulong)] },
  fgetxattr: { args: [fd, xattrName, xattrValueOut, atExit(ulong)] },
  listxattr: { args: [path, xattrList, atExit(ulong)] },
  llistxattr: { args: [path, xattrList, atExit(ulong)] },
  flistxattr: { args: [fd, xattrList, atExit(ulong)] },
  setxattr: { args: [path, xattrName, xattrValueIn, ulong, xattrFlags] },
  lsetxattr: { args: [path, xattrName, xattrValueIn, ulong, xattrFlags] },
  fsetxattr: { args: [fd, xattrName, xattrValueIn, ulong, xattrFlags] },
  removexattr: { args: [path, xattrName] },
  lremovexattr: { args: [path, xattrName] },
  fremovexattr: { args: [fd, xattrName] },
  ftruncate: { args: [fd, long] },
  fallocate: { args: [fd, flags(FALLOC_FLAGS, 'FALLOC_FL_???'), long, long] },
  getcwd: { args: [cwdBuf, atExit(ulong)] },
  chdir: { args: [path] },
  fchdir: { args: [fd] },
  chroot: { args: [path] },
  umask: { args: [mode], ret: 'oct' },
  fsync: { args: [fd] },
  fdatasync: { args: [fd] },
  sync: { args: [] },
  syncfs: { args: [fd] },
  flock: { args: [fd, flags(FLOCK_OPS, 'LOCK_???')] },
};


