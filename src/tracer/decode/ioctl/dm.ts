// The device mapper ioctls (0xfd: DM_*), as strace's dm.c prints them: struct dm_ioctl's header
// as an array's first element, then the payload its request carries (with -v).
import type { DecodeContext, ExitContext } from '../types.js';
import { DM_FLAGS } from '../../xlat/ioctl-dm.js';
import { printDev } from '../fs.js';
import { hex, isError, printCString, printFlags, struct } from '../printers.js';
import type { IoctlFamily } from './family.js';
import { fixedCString, uField } from './table.js';

const DM_VERSION = 0xc138fd00, DM_REMOVE_ALL = 0xc138fd01, DM_LIST_DEVICES = 0xc138fd02, DM_DEV_CREATE = 0xc138fd03;
const DM_DEV_REMOVE = 0xc138fd04, DM_DEV_RENAME = 0xc138fd05, DM_DEV_SUSPEND = 0xc138fd06, DM_DEV_STATUS = 0xc138fd07;
const DM_DEV_WAIT = 0xc138fd08, DM_TABLE_LOAD = 0xc138fd09, DM_TABLE_CLEAR = 0xc138fd0a, DM_TABLE_DEPS = 0xc138fd0b;
const DM_TABLE_STATUS = 0xc138fd0c, DM_LIST_VERSIONS = 0xc138fd0d, DM_TARGET_MSG = 0xc138fd0e;
const DM_DEV_SET_GEOMETRY = 0xc138fd0f, DM_DEV_ARM_POLL = 0xc138fd10;
const KNOWN = new Set([DM_VERSION, DM_REMOVE_ALL, DM_LIST_DEVICES, DM_DEV_CREATE, DM_DEV_REMOVE, DM_DEV_RENAME, DM_DEV_SUSPEND,
  DM_DEV_STATUS, DM_DEV_WAIT, DM_TABLE_LOAD, DM_TABLE_CLEAR, DM_TABLE_DEPS, DM_TABLE_STATUS, DM_LIST_VERSIONS, DM_TARGET_MSG,
  DM_DEV_SET_GEOMETRY, DM_DEV_ARM_POLL]);
/** The requests without data_start (dm_ioctl_has_params). */
const NO_PARAMS = new Set([DM_VERSION, DM_REMOVE_ALL, DM_DEV_CREATE, DM_DEV_REMOVE, DM_DEV_SUSPEND, DM_DEV_STATUS, DM_TABLE_CLEAR,
  DM_DEV_ARM_POLL]);
/** The requests whose exit shows target_count, open_count and event_nr after a success. */
const STATUS_AT_EXIT = new Set([DM_DEV_CREATE, DM_DEV_RENAME, DM_DEV_SUSPEND, DM_DEV_STATUS, DM_DEV_WAIT, DM_TABLE_LOAD,
  DM_TABLE_CLEAR, DM_TABLE_DEPS, DM_TABLE_STATUS, DM_TARGET_MSG]);
const HEADER_SIZE = 305; // offsetof(struct dm_ioctl, data)
const DM_VERSION_MAJOR = 4n, DM_SUSPEND_FLAG = 0x2n, DM_DATA_OUT_FLAG = 0x10000n;
const TARGET_SPEC_SIZE = 40, TARGET_MSG_HEAD = 8;

/** struct dm_ioctl's fields: version[3], data_size, data_start, target_count, open_count, flags, event_nr, dev, name, uuid. */
const field = {
  dataSize: (b: Uint8Array) => uField(b, 12, 4), dataStart: (b: Uint8Array) => uField(b, 16, 4),
  targetCount: (b: Uint8Array) => uField(b, 20, 4), flags: (b: Uint8Array) => uField(b, 28, 4),
};

/** The header; false when strace stops there (another ABI version, data_size too small). */
function header(ctx: DecodeContext, code: number, b: Uint8Array, exit: ExitContext | undefined): { text: string; ok: boolean } {
  const f: string[] = [`version=[${[0, 1, 2].map((i) => uField(b, 4 * i, 4)).join(', ')}]`];
  if (uField(b, 0, 4) !== DM_VERSION_MAJOR) return { text: `{${f[0]} /* unsupported device mapper ABI version */}`, ok: false };
  f.push(`data_size=${field.dataSize(b)}`);
  if (field.dataSize(b) < BigInt(HEADER_SIZE)) return { text: `{${f.join(', ')} /* data_size too small */}`, ok: false };
  if (!NO_PARAMS.has(code)) f.push(`data_start=${field.dataStart(b)}`);
  if (code !== DM_REMOVE_ALL && code !== DM_LIST_DEVICES && code !== DM_LIST_VERSIONS) {
    const dev = uField(b, 40, 8);
    if (dev !== 0n) f.push(`dev=${printDev(ctx, dev)}`);
    if (b[48] !== 0) f.push(`name=${fixedCString(b.subarray(48, 176))}`);
    if (b[176] !== 0) f.push(`uuid=${fixedCString(b.subarray(176, 305))}`);
  }
  if (exit === undefined) {
    if (code === DM_TABLE_LOAD) f.push(`target_count=${field.targetCount(b)}`);
    else if ((code === DM_DEV_SUSPEND && (field.flags(b) & DM_SUSPEND_FLAG) === 0n) || code === DM_DEV_RENAME
      || code === DM_DEV_REMOVE || code === DM_DEV_WAIT) f.push(`event_nr=${uField(b, 32, 4)}`);
  } else if (!isError(exit.ret) && STATUS_AT_EXIT.has(code)) {
    f.push(`target_count=${field.targetCount(b)}`, `open_count=${uField(b, 24, 4)}`, `event_nr=${uField(b, 32, 4)}`);
  }
  f.push(`flags=${printFlags(ctx.options.xlat, DM_FLAGS, field.flags(b), 'DM_???')}`);
  return { text: struct(f), ok: true };
}

/** A C string within the data area, from off to data_size (printstr_ex: an empty area is ""). */
const dataString = (ctx: DecodeContext, arg: bigint, off: bigint, size: bigint): string =>
  size === off ? '""' : printCString(ctx, arg + off, Number(size - off));

function targetSpecs(ctx: DecodeContext, arg: bigint, b: Uint8Array): string {
  const count = field.targetCount(b);
  if (!ctx.options.verbose) return count !== 0n ? ', ...' : '';
  const size = field.dataSize(b);
  let text = '';
  let offset = field.dataStart(b);
  let offsetEnd = 0n;
  for (let i = 0n; i < count; i++) {
    text += ', ';
    if (i !== 0n && offset <= offsetEnd) return `${text}??? /* misplaced struct dm_target_spec */`;
    offsetEnd = (offset + BigInt(TARGET_SPEC_SIZE)) & 0xffffffffn;
    if (offsetEnd <= offset || offsetEnd > size) return `${text}??? /* misplaced struct dm_target_spec */`;
    if (i >= BigInt(ctx.options.stringLimit)) return `${text}...`;
    const s = ctx.mem.read(arg + offset, TARGET_SPEC_SIZE);
    if (s === null) return `${text}${hex(arg + offset)}`;
    text += struct([`sector_start=${uField(s, 0, 8)}`, `length=${uField(s, 8, 8)}`, `target_type=${fixedCString(s.subarray(24, 40))}`,
      `string=${dataString(ctx, arg, offsetEnd, size)}`]);
    offset = (offset + uField(s, 20, 4)) & 0xffffffffn;
  }
  return text;
}

function targetMsg(ctx: DecodeContext, arg: bigint, b: Uint8Array): string {
  const size = field.dataSize(b), start = field.dataStart(b);
  if (start === size) return '';
  if (!ctx.options.verbose) return ', ...';
  const end = (start + BigInt(TARGET_MSG_HEAD)) & 0xffffffffn;
  if (!(end > start && end <= size)) return ', ??? /* misplaced struct dm_target_msg */';
  const s = ctx.mem.read(arg + start, TARGET_MSG_HEAD);
  if (s === null) return `, ${hex(arg + start)}`;
  return `, ${struct([`sector=${uField(s, 0, 8)}`, `message=${dataString(ctx, arg, end, size)}`])}`;
}

function dataStringPayload(ctx: DecodeContext, arg: bigint, b: Uint8Array): string {
  if (!ctx.options.verbose) return ', ...';
  const start = field.dataStart(b), size = field.dataSize(b);
  if (start > size) return ', ??? /* misplaced string */';
  return `, ${struct([`string=${dataString(ctx, arg, start, size)}`])}`;
}

function entryPayload(ctx: DecodeContext, code: number, arg: bigint, b: Uint8Array): string {
  switch (code) {
    case DM_TABLE_LOAD: return targetSpecs(ctx, arg, b);
    case DM_TARGET_MSG: return targetMsg(ctx, arg, b);
    case DM_DEV_RENAME: case DM_DEV_SET_GEOMETRY: return dataStringPayload(ctx, arg, b);
  }
  return '';
}

/** The payloads the kernel writes, shown after a success: only abbreviated here (a limit). */
function exitPayload(ctx: ExitContext, code: number, b: Uint8Array): string {
  if (isError(ctx.ret)) return '';
  switch (code) {
    case DM_DEV_WAIT: case DM_TABLE_STATUS: return field.targetCount(b) !== 0n ? ', ...' : '';
    case DM_TABLE_DEPS: return field.dataStart(b) === field.dataSize(b) ? '' : ', ...';
    case DM_LIST_DEVICES: case DM_LIST_VERSIONS: return ', ...';
    case DM_TARGET_MSG: return (field.flags(b) & DM_DATA_OUT_FLAG) !== 0n ? ', ...' : '';
  }
  return '';
}

/** The header as read: too short or unreadable, strace leaves the request to the hex default. */
function readHeader(ctx: DecodeContext, arg: bigint): Uint8Array | null {
  const b = ctx.mem.read(arg, HEADER_SIZE);
  return b === null || field.dataSize(b) < 12n ? null : b;
}

export const DM_IOCTLS: IoctlFamily = {
  types: [0xfd],
  enter(ctx, code, arg) {
    if (!KNOWN.has(code)) return undefined;
    const b = readHeader(ctx, arg);
    if (b === null) return undefined;
    const h = header(ctx, code, b, undefined);
    return { text: `, [${h.text}${h.ok ? entryPayload(ctx, code, arg, b) : ''}]`, more: true, state: b };
  },
  exit(ctx, code, arg, state) {
    const entry = state as Uint8Array;
    const b = readHeader(ctx, arg);
    if (b === null) return '';
    const changed = [0, 4, 8, 12, 16, 28].some((off) => uField(b, off, 4) !== uField(entry, off, 4));
    if (isError(ctx.ret) && !changed) return '';
    const h = header(ctx, code, b, ctx);
    return ` => [${h.text}${h.ok ? exitPayload(ctx, code, b) : ''}]`;
  },
};
