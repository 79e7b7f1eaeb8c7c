// UBI volumes ('O') and the UBI control device ('o'), as strace's ubi.c prints them.
import { dec, hex, isError, printEnum, printFlags, readInt } from '../printers.js';
import { UBI_DATA_TYPES, UBI_VOLUME_FLAGS, UBI_VOLUME_PROPS, UBI_VOLUME_TYPES } from '../../xlat/ioctl-ubi.js';
import type { DecodeContext } from '../types.js';
import type { IoctlEntry, IoctlFamily } from './family.js';
import { NO_ARG, cstringField, localArray, printIntD, printNum, umove } from './umove.js';

const MKVOL = 0x40986f00, RSVOL = 0x400c6f02, RNVOL = 0x51106f03, ATT = 0x40186f40;
const VOLUP = 0x40084f00, EBCH = 0x40044f02, EBMAP = 0x40084f03, SETVOLPROP = 0x40104f06;
/** UBI_IOCDET, IOCRMVOL, IOCRPEB, IOCSPEB, IOCEBER, IOCEBUNMAP, IOCEBISMAP: an int in. */
const INTS = new Set([0x40046f41, 0x40046f01, 0x40046f04, 0x40046f05, 0x40044f01, 0x40044f04, 0x80044f05]);
const NO_ARGS = new Set([0x40804f07 /* UBI_IOCVOLCRBLK */, 0x4f08 /* UBI_IOCVOLRMBLK */]);
const NAME_MAX = 127;

const s32 = (b: Uint8Array, off: number): bigint => readInt(b, off, 4, true);
/** PRINT_FIELD_CSTRING_SZ(name, 1 + CLAMP(name_len, 0, 127)). */
const name = (b: Uint8Array, off: number, len: bigint): string =>
  cstringField(b.subarray(off, off + 1 + Math.min(Math.max(Number(len), 0), NAME_MAX)));

function decode(ctx: DecodeContext, code: number, arg: bigint): IoctlEntry | undefined {
  const style = ctx.options.xlat;
  const struct = (size: number, show: (b: Uint8Array) => string, more = false): IoctlEntry => {
    const b = umove(ctx, arg, size);
    return typeof b === 'string' ? { text: `, ${b}` } : { text: `, ${show(b)}`, more };
  };
  switch (code) {
    case MKVOL: return struct(152, (b) => {
      const len = readInt(b, 18, 2, true);
      return `{vol_id=${s32(b, 0)}, alignment=${s32(b, 4)}, bytes=${readInt(b, 8, 8, true)}, ` +
        `vol_type=${printEnum(style, UBI_VOLUME_TYPES, b[16]!, 'UBI_???_VOLUME')}, ` +
        `flags=${printFlags(style, UBI_VOLUME_FLAGS, b[17]!, 'UBI_VOL_???')}, name_len=${len}, name=${name(b, 24, len)}}`;
    }, true);
    case ATT: return struct(24, (b) => `{ubi_num=${s32(b, 0)}, mtd_num=${s32(b, 4)}, vid_hdr_offset=${s32(b, 8)}, ` +
      `max_beb_per1024=${readInt(b, 12, 2, true)}}`, true);
    case RSVOL: return struct(12, // packed
      (b) => `{bytes=${readInt(b, 0, 8, true)}, vol_id=${s32(b, 8)}}`);
    case RNVOL: return struct(4368, (b) => {
      const count = Number(s32(b, 0));
      const ents = localArray(ctx, Math.min(Math.max(count, 0), 32), (i) => {
        const off = 16 + 136 * i, len = readInt(b, off + 4, 2, true);
        return `{vol_id=${s32(b, off)}, name_len=${len}, name=${name(b, off + 8, len)}}`;
      });
      return `{count=${count}, ents=${ents}}`;
    });
    case EBCH: return struct(12, (b) => `{lnum=${s32(b, 0)}, bytes=${s32(b, 4)}, dtype=${printEnum(style, UBI_DATA_TYPES, b[8]!, 'UBI_???')}}`);
    case EBMAP: return struct(8, (b) => `{lnum=${s32(b, 0)}, dtype=${printEnum(style, UBI_DATA_TYPES, b[4]!, 'UBI_???')}}`);
    case SETVOLPROP: return struct(16, (b) =>
      `{property=${printEnum(style, UBI_VOLUME_PROPS, b[0]!, 'UBI_VOL_PROP_???')}, value=${hex(readInt(b, 8, 8, false))}}`);
    case VOLUP: return { text: `, ${printNum(ctx, arg, 8, (v) => dec(BigInt.asIntN(64, v)))}` };
  }
  if (INTS.has(code)) return { text: `, ${printIntD(ctx, arg)}` };
  if (NO_ARGS.has(code)) return NO_ARG;
  return undefined;
}

export const UBI_IOCTLS: IoctlFamily = {
  types: [0x4f, 0x6f],
  enter: (ctx, code, arg) => decode(ctx, code, arg),
  // UBI_IOCMKVOL and UBI_IOCATT: the volume or device number the kernel wrote back.
  exit: (ctx, _code, arg) => (isError(ctx.ret) ? '' : ` => ${printIntD(ctx, arg, ctx)}`),
};
