// The file-system ioctls: 'f' (FS_IOC_FIEMAP, FS_IOC_[GS]ETFLAGS) and 'X' (FITRIM, FIFREEZE,
// FITHAW, FS_IOC_FS[GS]ETXATTR), as strace's fs_f_ioctl.c and fs_x_ioctl.c print them.
import type { DecodeContext, ExitContext } from '../types.js';
import { FIEMAP_EXTENT_FLAGS, FIEMAP_FLAGS, FS_IOC_FLAGS, FS_XFLAGS } from '../../xlat/ioctl-fs.js';
import { hex, printArray, printFlags, struct } from '../printers.js';
import { printIndirect, printPointed, requestTable, uField, type IoctlRequest } from './table.js';

const FIEMAP_SIZE = 32, FIEMAP_EXTENT_SIZE = 56, FSTRIM_RANGE_SIZE = 24, FSXATTR_SIZE = 28;

function printExtent(ctx: DecodeContext, b: Uint8Array): string {
  return struct([`fe_logical=${uField(b, 0, 8)}`, `fe_physical=${uField(b, 8, 8)}`, `fe_length=${uField(b, 16, 8)}`,
    `fe_flags=${printFlags(ctx.options.xlat, FIEMAP_EXTENT_FLAGS, uField(b, 40, 4), 'FIEMAP_EXTENT_???')}`]);
}

/** struct fiemap: the request at entry; at exit the flags, the count and (with -v) the extents. */
function printFiemap(ctx: DecodeContext, arg: bigint, exit?: ExitContext): string {
  return printPointed(ctx, arg, FIEMAP_SIZE, (b) => {
    const flags = `fm_flags=${printFlags(ctx.options.xlat, FIEMAP_FLAGS, uField(b, 16, 4), 'FIEMAP_FLAG_???')}`;
    if (exit === undefined) {
      return struct([`fm_start=${uField(b, 0, 8)}`, `fm_length=${uField(b, 8, 8)}`, flags, `fm_extent_count=${uField(b, 24, 4)}`]);
    }
    const mapped = uField(b, 20, 4);
    const extents = ctx.options.verbose
      ? `fm_extents=${printArray(ctx, arg + BigInt(FIEMAP_SIZE), Number(mapped), FIEMAP_EXTENT_SIZE, (e) => printExtent(ctx, e))}`
      : '...';
    return struct([flags, `fm_mapped_extents=${mapped}`, extents]);
  });
}

function printFsIocFlags(ctx: DecodeContext, arg: bigint, exit?: ExitContext): string {
  return printIndirect(ctx, arg, 4, (b) => printFlags(ctx.options.xlat, FS_IOC_FLAGS, uField(b, 0, 4), 'FS_???_FL'), exit);
}

function printFstrimRange(ctx: DecodeContext, arg: bigint): string {
  return printPointed(ctx, arg, FSTRIM_RANGE_SIZE, (b) =>
    struct([`start=${hex(uField(b, 0, 8))}`, `len=${uField(b, 8, 8)}`, `minlen=${uField(b, 16, 8)}`]));
}

function printFsxattr(ctx: DecodeContext, arg: bigint, exit?: ExitContext): string {
  return printPointed(ctx, arg, FSXATTR_SIZE, (b) => struct([
    `fsx_xflags=${printFlags(ctx.options.xlat, FS_XFLAGS, uField(b, 0, 4), 'FS_XFLAG_???')}`,
    `fsx_extsize=${uField(b, 4, 4)}`,
    exit !== undefined ? `fsx_nextents=${uField(b, 8, 4)}` : undefined,
    `fsx_projid=${hex(uField(b, 12, 4))}`,
    `fsx_cowextsize=${uField(b, 16, 4)}`,
  ]), exit);
}

const FS_F_REQUESTS = new Map<number, IoctlRequest>([
  [0xc020660b /* FS_IOC_FIEMAP */, { dir: 'inout', print: printFiemap }],
  [0x80086601 /* FS_IOC_GETFLAGS */, { dir: 'out', print: printFsIocFlags }],
  [0x80046601 /* FS_IOC32_GETFLAGS */, { dir: 'out', print: printFsIocFlags }],
  [0x40086602 /* FS_IOC_SETFLAGS */, { dir: 'in', print: printFsIocFlags }],
  [0x40046602 /* FS_IOC32_SETFLAGS */, { dir: 'in', print: printFsIocFlags }],
]);

const FS_X_REQUESTS = new Map<number, IoctlRequest>([
  [0xc0185879 /* FITRIM */, { dir: 'in', print: printFstrimRange }],
  [0x801c581f /* FS_IOC_FSGETXATTR */, { dir: 'out', print: printFsxattr }],
  [0x401c5820 /* FS_IOC_FSSETXATTR */, { dir: 'in', print: printFsxattr }],
  [0xc0045877 /* FIFREEZE */, { dir: 'none' }],
  [0xc0045878 /* FITHAW */, { dir: 'none' }],
]);

export const FS_F_IOCTLS = requestTable([0x66], FS_F_REQUESTS);
export const FS_X_IOCTLS = requestTable([0x58], FS_X_REQUESTS);
