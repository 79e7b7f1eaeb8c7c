// ATA disks' HDIO ioctls (type 0x03), as strace's hdio.c and its generated gen_hdio.c print them.
import { errnoOf, hex, isError, printArray, printEnum, printFlags, readInt, u64 } from '../printers.js';
import { ATA_CMDS, HDIO_BUSSTATES, IDE_NICE } from '../../xlat/ioctl-hdio.js';
import type { DecodeContext, ExitContext } from '../types.js';
import type { IoctlFamily } from './family.js';
import { AT_EXIT, printNum, printStr, umove } from './umove.js';

const GETGEO = 0x301, DRIVE_CMD = 0x31f, GET_NICE = 0x30c, GET_BUSSTATE = 0x31a, SET_NICE = 0x329, SET_BUSSTATE = 0x32d;
/** Requests whose argument points to an unsigned long the kernel writes. */
const GET_ULONG = new Set([0x302, 0x304, 0x308, 0x309, 0x30a, 0x30b, 0x30e, 0x30f, 0x310]);
/** Requests taking an unsigned long by value. */
const SET_ULONG = new Set([0x321, 0x322, 0x323, 0x324, 0x325, 0x326, 0x327, 0x32a, 0x32b, 0x32c, 0x32f]);
/** HDIO_GET_IDENTITY and HDIO_OBSOLETE_IDENTITY: the identity block's length. */
const IDENTITY: ReadonlyMap<number, number> = new Map([[0x30d, 512], [0x307, 142]]);
/** HDIO_DRIVE_RESET and HDIO_SCAN_HWIF: three ints in. */
const THREE_INTS = new Set([0x31c, 0x328]);
const SECTOR_SIZE = 512;
const EIO = 5;

function printGeometry(ctx: ExitContext, arg: bigint): string {
  // struct hd_geometry: u8 heads, u8 sectors, u16 cylinders, unsigned long start.
  const b = umove(ctx, arg, 16, ctx);
  if (typeof b === 'string') return b;
  return `{heads=${b[0]!}, sectors=${b[1]!}, cylinders=${readInt(b, 2, 2, false)}, start=${readInt(b, 8, 8, false)}}`;
}

function enterDriveCmd(ctx: DecodeContext, arg: bigint): { text: string; more: boolean } {
  // struct hd_drive_cmd_hdr: command, sector_number, feature, sector_count (u8 each).
  const b = umove(ctx, arg, 4);
  if (typeof b === 'string') return { text: `, ${b}`, more: false };
  const cmd = printEnum(ctx.options.xlat, ATA_CMDS, b[0]!, 'ATA_CMD_???');
  return { text: `, {command=${cmd}, sector_number=${b[1]!}, feature=${b[2]!}, sector_count=${b[3]!}}`, more: true };
}

function exitDriveCmd(ctx: ExitContext, arg: bigint): string {
  if (isError(ctx.ret) && errnoOf(ctx.ret) !== EIO) return '';
  const b = ctx.mem.read(u64(arg), 4);
  if (b === null) return '';
  const buf = b[3]! !== 0 ? `, buf=${printStr(ctx, arg + 4n, BigInt(b[3]! * SECTOR_SIZE), { forceHex: true })}` : '';
  return ` => {status=${hex(b[0]!)}, error=${b[1]!}, nsector=${b[2]!}${buf}}`;
}

export const HDIO_IOCTLS: IoctlFamily = {
  types: [0x03],
  enter(ctx, code, arg) {
    const style = ctx.options.xlat;
    if (code === GETGEO || code === GET_NICE || code === GET_BUSSTATE || GET_ULONG.has(code) || IDENTITY.has(code)) return AT_EXIT;
    if (code === DRIVE_CMD) return enterDriveCmd(ctx, arg);
    if (SET_ULONG.has(code)) return { text: `, ${u64(arg)}` };
    if (code === SET_NICE) return { text: `, ${printFlags(style, IDE_NICE, u64(arg), 'IDE_NICE_???')}` };
    if (code === SET_BUSSTATE) return { text: `, ${printEnum(style, HDIO_BUSSTATES, u64(arg), 'BUSSTATE_???')}` };
    if (THREE_INTS.has(code)) return { text: `, ${printArray(ctx, arg, 3, 4, (b) => hex(readInt(b, 0, 4, false)))}` };
    return undefined;
  },
  exit(ctx, code, arg) {
    const style = ctx.options.xlat;
    if (code === DRIVE_CMD) return exitDriveCmd(ctx, arg);
    if (code === GETGEO) return `, ${printGeometry(ctx, arg)}`;
    const len = IDENTITY.get(code);
    if (len !== undefined) return `, ${isError(ctx.ret) ? (u64(arg) === 0n ? 'NULL' : hex(arg)) : printStr(ctx, arg, BigInt(len))}`;
    if (code === GET_NICE) return `, ${printNum(ctx, arg, 8, (v) => printFlags(style, IDE_NICE, v, 'IDE_NICE_???'), ctx)}`;
    if (code === GET_BUSSTATE) return `, ${printNum(ctx, arg, 8, (v) => printEnum(style, HDIO_BUSSTATES, v, 'BUSSTATE_???'), ctx)}`;
    return `, ${printNum(ctx, arg, 8, (v) => v.toString(), ctx)}`;
  },
};
