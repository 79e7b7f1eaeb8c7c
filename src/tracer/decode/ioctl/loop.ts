// Loop devices ('L'), as strace's loop.c prints them.
import { hex, int, printEnum, printFd, printFlags, quoteBytes, readInt, u64 } from '../printers.js';
import { printDev } from '../fs.js';
import { LOOP_CRYPT_TYPES, LOOP_FLAGS } from '../../xlat/ioctl-loop.js';
import type { DecodeContext, ExitContext } from '../types.js';
import type { IoctlFamily } from './family.js';
import { AT_EXIT, NO_ARG, allZero, cstringField, umove } from './umove.js';

const SET_FD = 0x4c00, SET_STATUS = 0x4c02, GET_STATUS = 0x4c03, SET_STATUS64 = 0x4c04, GET_STATUS64 = 0x4c05;
const CHANGE_FD = 0x4c06, CONFIGURE = 0x4c0a;
const NO_ARGS = new Set([0x4c01 /* CLR_FD */, 0x4c07 /* SET_CAPACITY */, 0x4c82 /* CTL_GET_FREE */]);
const UNSIGNED = new Set([0x4c08 /* SET_DIRECT_IO */, 0x4c09 /* SET_BLOCK_SIZE */]);
const SIGNED = new Set([0x4c80 /* CTL_ADD */, 0x4c81 /* CTL_REMOVE */]);
const KEY_SIZE = 32, NAME_SIZE = 64, INFO64_SIZE = 232, CONFIG_SIZE = 304;

const u32 = (b: Uint8Array, off: number): bigint => readInt(b, off, 4, false);
const u64At = (b: Uint8Array, off: number): bigint => readInt(b, off, 8, false);
const xArray = (b: Uint8Array, off: number, n: number, size: number): string =>
  `[${Array.from({ length: n }, (_, i) => hex(readInt(b, off + size * i, size, false))).join(', ')}]`;
const key = (b: Uint8Array, off: number, size: bigint): string => {
  const n = Math.min(Number(size), KEY_SIZE);
  return quoteBytes(b.subarray(off, off + n), n).text;
};

/**
 * struct loop_info's layout: its __kernel_old_dev_t fields are unsigned long on x86_64 and
 * unsigned int on the generic ABI (aarch64, riscv64), which moves every field after them.
 */
function loopInfoLayout(ctx: DecodeContext): { size: number; device: number; devSize: number; inode: number; rdevice: number; offset: number } {
  return ctx.arch.name === 'x86_64'
    ? { size: 168, device: 8, devSize: 8, inode: 16, rdevice: 24, offset: 32 }
    : { size: 160, device: 4, devSize: 4, inode: 8, rdevice: 16, offset: 20 };
}

function loopInfo(ctx: DecodeContext, arg: bigint, exit?: ExitContext): string {
  const l = loopInfoLayout(ctx);
  const b = umove(ctx, arg, l.size, exit);
  if (typeof b === 'string') return b;
  const style = ctx.options.xlat, verbose = ctx.options.verbose;
  const o = l.offset; // lo_offset; then encrypt type, key size, flags, name, key, init[2], reserved[4]
  const type = u32(b, o + 4), keySize = u32(b, o + 8);
  const init = Math.ceil((o + 16 + NAME_SIZE + KEY_SIZE) / 8) * 8;
  const f = [`lo_number=${readInt(b, 0, 4, true)}`];
  if (verbose) {
    f.push(`lo_device=${printDev(ctx, readInt(b, l.device, l.devSize, false))}`, `lo_inode=${u64At(b, l.inode)}`,
      `lo_rdevice=${printDev(ctx, readInt(b, l.rdevice, l.devSize, false))}`);
  }
  f.push(`lo_offset=${hex(u32(b, o))}`);
  if (verbose || type !== 0n) f.push(`lo_encrypt_type=${printEnum(style, LOOP_CRYPT_TYPES, type, 'LO_CRYPT_???')}`, `lo_encrypt_key_size=${keySize}`);
  f.push(`lo_flags=${printFlags(style, LOOP_FLAGS, u32(b, o + 12), 'LO_FLAGS_???')}`, `lo_name=${cstringField(b.subarray(o + 16, o + 16 + NAME_SIZE))}`);
  if (verbose || type !== 0n) f.push(`lo_encrypt_key=${key(b, o + 16 + NAME_SIZE, keySize)}`);
  if (verbose) f.push(`lo_init=${xArray(b, init, 2, 8)}`, `reserved=${xArray(b, init + 16, 4, 1)}`);
  else f.push('...');
  return `{${f.join(', ')}}`;
}

/** struct loop_info64 at off of b. */
function loopInfo64(ctx: DecodeContext, b: Uint8Array, off: number): string {
  const style = ctx.options.xlat, verbose = ctx.options.verbose;
  const type = u32(b, off + 44), keySize = u32(b, off + 48);
  const f = verbose
    ? [`lo_device=${printDev(ctx, u64At(b, off))}`, `lo_inode=${u64At(b, off + 8)}`, `lo_rdevice=${printDev(ctx, u64At(b, off + 16))}`,
      `lo_offset=${hex(u64At(b, off + 24))}`, `lo_sizelimit=${u64At(b, off + 32)}`, `lo_number=${u32(b, off + 40)}`]
    : [`lo_offset=${hex(u64At(b, off + 24))}`, `lo_number=${u32(b, off + 40)}`];
  if (verbose || type !== 0n) f.push(`lo_encrypt_type=${printEnum(style, LOOP_CRYPT_TYPES, type, 'LO_CRYPT_???')}`, `lo_encrypt_key_size=${keySize}`);
  f.push(`lo_flags=${printFlags(style, LOOP_FLAGS, u32(b, off + 52), 'LO_FLAGS_???')}`,
    `lo_file_name=${cstringField(b.subarray(off + 56, off + 120))}`);
  if (verbose || type !== 0n) {
    f.push(`lo_crypt_name=${cstringField(b.subarray(off + 120, off + 184))}`, `lo_encrypt_key=${key(b, off + 184, keySize)}`);
  }
  f.push(verbose ? `lo_init=${xArray(b, off + 216, 2, 8)}` : '...');
  return `{${f.join(', ')}}`;
}

function loopConfig(ctx: DecodeContext, arg: bigint): string {
  const b = umove(ctx, arg, CONFIG_SIZE);
  if (typeof b === 'string') return b;
  const f = [`fd=${printFd(ctx, Number(readInt(b, 0, 4, true)))}`, `block_size=${u32(b, 4)}`, `info=${loopInfo64(ctx, b, 8)}`];
  if (!allZero(b, 240, 304)) f.push(`__reserved=${xArray(b, 240, 8, 8)}`);
  return `{${f.join(', ')}}`;
}

export const LOOP_IOCTLS: IoctlFamily = {
  types: [0x4c],
  enter(ctx, code, arg) {
    if (NO_ARGS.has(code)) return NO_ARG;
    if (UNSIGNED.has(code)) return { text: `, ${u64(arg)}` };
    if (SIGNED.has(code)) return { text: `, ${int(arg)}` };
    switch (code) {
      case SET_FD: case CHANGE_FD: return { text: `, ${printFd(ctx, int(arg))}` };
      case GET_STATUS: case GET_STATUS64: return AT_EXIT;
      case SET_STATUS: return { text: `, ${loopInfo(ctx, arg)}` };
      case SET_STATUS64: {
        const b = umove(ctx, arg, INFO64_SIZE);
        return { text: `, ${typeof b === 'string' ? b : loopInfo64(ctx, b, 0)}` };
      }
      case CONFIGURE: return { text: `, ${loopConfig(ctx, arg)}` };
    }
    return undefined;
  },
  exit(ctx, code, arg) {
    if (code === GET_STATUS) return `, ${loopInfo(ctx, arg, ctx)}`;
    const b = umove(ctx, arg, INFO64_SIZE, ctx);
    return `, ${typeof b === 'string' ? b : loopInfo64(ctx, b, 0)}`;
  },
};
