// The 0x94 ioctls: the generic FICLONE, FICLONERANGE, FIDEDUPERANGE, FS_IOC_[GS]ETFSLABEL and
// btrfs's own (BTRFS_IOC_*), printed as strace's fs_0x94_ioctl.c and btrfs.c print them; layouts
// are those of the 64-bit ABI.
import type { DecodeContext, ExitContext, XlatStyle } from '../types.js';
import * as X from '../../xlat/ioctl-btrfs.js';
import type { Xlat } from '../../xlat/xlat.js';
import { formatTimeComment, printDev } from '../fs.js';
import { errnoOf, hex, isError, printPath, printEnum, printFd, printFlags, printNamed, printPtr, u64 } from '../printers.js';
import type { IoctlEntry, IoctlFamily } from './family.js';
import { fetchArg, fixedCString, sField, uField } from './table.js';

const SNAP_CREATE = 0x50009401, DEFRAG = 0x50009402, RESIZE = 0x50009403, SCAN_DEV = 0x50009404, FORGET_DEV = 0x50009405;
const TRANS_START = 0x9406, TRANS_END = 0x9407, SYNC = 0x9408, FICLONE = 0x40049409, ADD_DEV = 0x5000940a, RM_DEV = 0x5000940b;
const BALANCE = 0x5000940c, FICLONERANGE = 0x4020940d, SUBVOL_CREATE = 0x5000940e, SNAP_DESTROY = 0x5000940f;
const DEFRAG_RANGE = 0x40309410, TREE_SEARCH = 0xd0009411, TREE_SEARCH_V2 = 0xc0709411, INO_LOOKUP = 0xd0009412;
const DEFAULT_SUBVOL = 0x40089413, SPACE_INFO = 0xc0109414, START_SYNC = 0x80089418, WAIT_SYNC = 0x40089416;
const SNAP_CREATE_V2 = 0x50009417, SUBVOL_CREATE_V2 = 0x50009418, SUBVOL_GETFLAGS = 0x80089419, SUBVOL_SETFLAGS = 0x4008941a;
const SCRUB = 0xc400941b, SCRUB_CANCEL = 0x941c, SCRUB_PROGRESS = 0xc400941d, DEV_INFO = 0xd000941e, FS_INFO = 0x8400941f;
const BALANCE_V2 = 0xc4009420, BALANCE_CTL = 0x40049421, BALANCE_PROGRESS = 0x84009422, INO_PATHS = 0xc0389423;
const LOGICAL_INO = 0xc0389424, SET_RECEIVED_SUBVOL = 0xc0c89425, SEND = 0x40489426, DEVICES_READY = 0x90009427;
const QUOTA_CTL = 0xc0109428, QGROUP_ASSIGN = 0x40189429, QGROUP_CREATE = 0x4010942a, QGROUP_LIMIT = 0x8030942b;
const QUOTA_RESCAN = 0x4040942c, QUOTA_RESCAN_STATUS = 0x8040942d, QUOTA_RESCAN_WAIT = 0x942e, GETFSLABEL = 0x81009431;
const SETFSLABEL = 0x41009432, GET_DEV_STATS = 0xc4089434, DEV_REPLACE = 0xca289435, FIDEDUPERANGE = 0xc0189436;
const GET_FEATURES = 0x80189439, SET_FEATURES = 0x40309439, GET_SUPPORTED_FEATURES = 0x80489439;

const NO_ARG_REQUESTS = new Set([TRANS_START, TRANS_END, SYNC, SCRUB_CANCEL, QUOTA_RESCAN_WAIT, DEFRAG, BALANCE]);
const VOL_ARGS_REQUESTS = new Set([SNAP_CREATE, RESIZE, SCAN_DEV, FORGET_DEV, ADD_DEV, RM_DEV, SUBVOL_CREATE, SNAP_DESTROY, DEVICES_READY]);
const FIRST_FREE_OBJECTID = 256n, LAST_FREE_OBJECTID = 0xffffffffffffff00n, UINT64_MAX = 0xffffffffffffffffn;
const BALANCE_DATA = 1n, BALANCE_SYSTEM = 2n, BALANCE_METADATA = 4n, SUBVOL_QGROUP_INHERIT = 4n;
const FS_INFO_FLAG_CSUM_INFO = 1n, FS_INFO_FLAG_GENERATION = 2n, FS_INFO_FLAG_METADATA_UUID = 4n;
const DEV_REPLACE_CMD_START = 0n, DEV_REPLACE_CMD_STATUS = 1n;
const EOVERFLOW = 75;

const u = (b: Uint8Array, off: number, size = 8): bigint => uField(b, off, size);
const fd = (ctx: DecodeContext, v: bigint): string => printFd(ctx, Number(BigInt.asIntN(32, v)));
const addr64 = (v: bigint): string => printPtr(v);
const join = (parts: readonly (string | undefined)[]): string => parts.filter((p): p is string => p !== undefined).join(', ');

/** PRINT_FIELD_U64: UINT64_MAX by name. */
const u64Val = (st: XlatStyle, v: bigint): string => (v === UINT64_MAX ? printNamed(st, v, 'UINT64_MAX', 'u') : v.toString());
/** An object id or key type (printxval64_u without a default): decimal, named if known. */
const named = (st: XlatStyle, t: Xlat, v: bigint): string => printEnum(st, t, v, undefined, 'u');
const objectid = (st: XlatStyle, v: bigint): string => named(st, X.BTRFS_TREE_OBJECTIDS, v);

function uuid(b: Uint8Array, off: number): string {
  const h = Array.from(b.subarray(off, off + 16), (x) => x.toString(16).padStart(2, '0'));
  return `${h.slice(0, 4).join('')}-${h.slice(4, 6).join('')}-${h.slice(6, 8).join('')}-${h.slice(8, 10).join('')}-${h.slice(10).join('')}`;
}
const allZero = (b: Uint8Array, from: number, to: number): boolean => b.subarray(from, to).every((x) => x === 0);

function balanceArgs(ctx: DecodeContext, b: Uint8Array, o: number): string {
  const st = ctx.options.xlat;
  return `{profiles=${printFlags(st, X.BTRFS_SPACE_INFO_FLAGS, u(b, o), 'BTRFS_BLOCK_GROUP_???')}, usage=${u64Val(st, u(b, o + 8))}, ` +
    `devid=${printDev(ctx, u(b, o + 16))}, pstart=${u64Val(st, u(b, o + 24))}, pend=${u64Val(st, u(b, o + 32))}, ` +
    `vstart=${u64Val(st, u(b, o + 40))}, vend=${u64Val(st, u(b, o + 48))}, target=${u64Val(st, u(b, o + 56))}, ` +
    `flags=${printFlags(st, X.BTRFS_BALANCE_ARGS, u(b, o + 64), 'BTRFS_BALANCE_ARGS_???')}}`;
}

function balance(ctx: DecodeContext, arg: bigint, out: boolean, exit?: ExitContext): string {
  const b = fetchArg(ctx, arg, 1024, exit);
  if (typeof b === 'string') return b;
  const st = ctx.options.xlat, flags = u(b, 0);
  return `{${join([
    `flags=${printFlags(st, X.BTRFS_BALANCE_FLAGS, flags, 'BTRFS_BALANCE_???')}`,
    out ? `state=${printFlags(st, X.BTRFS_BALANCE_STATE, u(b, 8), 'BTRFS_BALANCE_STATE_???')}` : undefined,
    (flags & BALANCE_DATA) !== 0n ? `data=${balanceArgs(ctx, b, 16)}` : undefined,
    (flags & BALANCE_METADATA) !== 0n ? `meta=${balanceArgs(ctx, b, 152)}` : undefined,
    (flags & BALANCE_SYSTEM) !== 0n ? `sys=${balanceArgs(ctx, b, 288)}` : undefined,
  ])}}`;
}

function features(st: XlatStyle, b: Uint8Array, o: number): string {
  return `{compat_flags=${printFlags(st, X.BTRFS_FEATURES_COMPAT, u(b, o), 'BTRFS_FEATURE_COMPAT_???')}, ` +
    `compat_ro_flags=${printFlags(st, X.BTRFS_FEATURES_COMPAT_RO, u(b, o + 8), 'BTRFS_FEATURE_COMPAT_RO_???')}, ` +
    `incompat_flags=${printFlags(st, X.BTRFS_FEATURES_INCOMPAT, u(b, o + 16), 'BTRFS_FEATURE_INCOMPAT_???')}}`;
}

function qgroupLimit(st: XlatStyle, b: Uint8Array, o: number): string {
  return `{flags=${printFlags(st, X.BTRFS_QGROUP_LIMIT_FLAGS, u(b, o), 'BTRFS_QGROUP_LIMIT_???')}, max_rfer=${u(b, o + 8)}, ` +
    `max_excl=${u(b, o + 16)}, rsv_rfer=${u(b, o + 24)}, rsv_excl=${u(b, o + 32)}}`;
}

/** strace's print_array over tracee memory (tfetch_mem); `exit` for the exit of the call. */
function array(ctx: DecodeContext, addr: bigint, count: bigint, size: number, show: (b: Uint8Array, at: bigint) => string,
  exit?: ExitContext, stopAfter?: bigint): { text: string; ok: boolean } {
  if (u64(addr) === 0n) return { text: 'NULL', ok: false };
  if (count === 0n) return { text: '[]', ok: false };
  if (u64(addr) + count * BigInt(size) > UINT64_MAX) return { text: hex(addr), ok: false };
  const limit = ctx.options.verbose ? Infinity : ctx.options.stringLimit;
  const canFetch = ctx.options.structs !== false && (exit === undefined || !isError(exit.ret));
  const parts: string[] = [];
  for (let i = 0n; i < count; i++) {
    const at = u64(addr) + i * BigInt(size);
    const b = canFetch ? ctx.mem.read(at, size) : null;
    if (b === null) {
      if (i === 0n) return { text: hex(at), ok: false };
      parts.push(`... /* ${hex(at)} */`);
      return { text: `[${parts.join(', ')}]`, ok: false };
    }
    if (i >= limit || i === stopAfter) { parts.push('...'); return { text: `[${parts.join(', ')}]`, ok: true }; }
    parts.push(show(b, at));
  }
  return { text: `[${parts.join(', ')}]`, ok: true };
}

function qgroupInherit(ctx: DecodeContext, addr: bigint): string {
  const b = fetchArg(ctx, addr, 72);
  if (typeof b === 'string') return b;
  const st = ctx.options.xlat;
  const head = `{flags=${printFlags(st, X.BTRFS_QGROUP_INHERIT_FLAGS, u(b, 0), 'BTRFS_QGROUP_INHERIT_???')}, num_qgroups=${u(b, 8)}, ` +
    `num_ref_copies=${u(b, 16)}, num_excl_copies=${u(b, 24)}, lim=${qgroupLimit(st, b, 32)}`;
  if (!ctx.options.verbose) return `${head}, ...}`;
  return `${head}, qgroups=${array(ctx, addr + 72n, u(b, 8), 8, (r) => `${u(r, 0)}`).text}}`;
}

function searchKey(ctx: DecodeContext, b: Uint8Array, entering: boolean): string {
  if (!entering) return `{nr_items=${u(b, 64, 4)}}`;
  const st = ctx.options.xlat, full = ctx.options.verbose;
  const minObj = u(b, 8), maxObj = u(b, 16);
  return `{${join([
    `tree_id=${objectid(st, u(b, 0))}`,
    minObj !== FIRST_FREE_OBJECTID || full ? `min_objectid=${objectid(st, minObj)}` : undefined,
    maxObj !== LAST_FREE_OBJECTID || full ? `max_objectid=${objectid(st, maxObj)}` : undefined,
    `min_offset=${u64Val(st, u(b, 24))}`, `max_offset=${u64Val(st, u(b, 32))}`,
    `min_transid=${u64Val(st, u(b, 40))}`, `max_transid=${u64Val(st, u(b, 48))}`,
    `min_type=${named(st, X.BTRFS_KEY_TYPES, u(b, 56, 4))}`, `max_type=${named(st, X.BTRFS_KEY_TYPES, u(b, 60, 4))}`,
    `nr_items=${u(b, 64, 4)}`,
  ])}}`;
}

/** The search results after a successful TREE_SEARCH(_V2): their headers, or `...` without -v. */
function searchBuf(ctx: ExitContext, addr: bigint, size: bigint, items: bigint): string {
  if (!ctx.options.verbose) return ', ...';
  const st = ctx.options.xlat;
  const parts: string[] = [];
  let off = 0n;
  for (let i = 0n; i < items; i++) {
    const at = addr + off;
    if (at > UINT64_MAX || off + 32n > size || i > BigInt(ctx.options.stringLimit)) { parts.push('...'); break; }
    const h = ctx.mem.read(at, 32);
    if (h === null) { parts.push(`... /* ${hex(at)} */`); break; }
    parts.push(`{transid=${u(h, 0)}, objectid=${objectid(st, u(h, 8))}, offset=${u(h, 16)}, type=${named(st, X.BTRFS_KEY_TYPES, u(h, 24, 4))}, len=${u(h, 28, 4)}}`);
    off += 32n + u(h, 28, 4);
  }
  return `, buf=[${parts.join(', ')}]`;
}

function timespec(st: XlatStyle, b: Uint8Array, o: number): string {
  const sec = u(b, o), nsec = u(b, o + 8, 4);
  const c = st === 'raw' ? undefined : formatTimeComment(sec, nsec, 9);
  return `{sec=${sec}, nsec=${nsec}}${c !== undefined ? ` /* ${c} */` : ''}`;
}

function dataContainer(ctx: ExitContext, addr: bigint, val: (b: Uint8Array) => string): string {
  const b = fetchArg(ctx, addr, 16, ctx);
  if (typeof b === 'string') return b;
  const head = `{bytes_left=${u(b, 0, 4)}, bytes_missing=${u(b, 4, 4)}, elem_cnt=${u(b, 8, 4)}, elem_missed=${u(b, 12, 4)}`;
  return `${head}, ${ctx.options.verbose ? `val=${val(b)}` : '...'}}`;
}

const at = (text: string, more = false): IoctlEntry => ({ text: `, ${text}`, more });

function enter(ctx: DecodeContext, code: number, arg: bigint): IoctlEntry | undefined {
  const st = ctx.options.xlat;
  const fetch = (size: number): Uint8Array | string => fetchArg(ctx, arg, size);
  const struct = (size: number, show: (b: Uint8Array) => string, more = false): IoctlEntry => {
    const b = fetch(size);
    return typeof b === 'string' ? at(b) : at(show(b), more);
  };
  if (NO_ARG_REQUESTS.has(code)) return { text: '' };
  if (VOL_ARGS_REQUESTS.has(code)) return struct(4096, (b) => `{fd=${fd(ctx, u(b, 0))}, name=${fixedCString(b.subarray(8, 4096))}}`);
  switch (code) {
    case FICLONE: return at(`${BigInt.asIntN(32, arg)}`);
    case FICLONERANGE:
      return struct(32, (b) => `{src_fd=${fd(ctx, u(b, 0))}, src_offset=${u(b, 8)}, src_length=${u(b, 16)}, dest_offset=${u(b, 24)}}`);
    case FIDEDUPERANGE: {
      const b = fetch(24);
      if (typeof b === 'string') return at(b);
      const info = dedupeInfo(ctx, arg, b);
      return at(`{src_offset=${u(b, 0)}, src_length=${u(b, 8)}, dest_count=${u(b, 16, 2)}, info=${info.text}}`, info.ok);
    }
    case GETFSLABEL: case START_SYNC: case SUBVOL_GETFLAGS: case BALANCE_PROGRESS: case GET_FEATURES: case GET_SUPPORTED_FEATURES:
    case FS_INFO: case QGROUP_LIMIT: case QUOTA_RESCAN_STATUS:
      return { text: '', more: true };
    case SETFSLABEL: return struct(256, (b) => fixedLabel(b));
    case BALANCE_CTL: return at(printEnum(st, X.BTRFS_BALANCE_CTL_CMDS, BigInt.asUintN(32, arg), 'BTRFS_BALANCE_CTL_???'));
    case DEFAULT_SUBVOL: case WAIT_SYNC: return struct(8, (b) => `[${u(b, 0)}]`);
    case SUBVOL_SETFLAGS: return struct(8, (b) => printFlags(st, X.BTRFS_SNAP_FLAGS_V2, u(b, 0), 'BTRFS_SUBVOL_???'));
    case BALANCE_V2: return at(balance(ctx, arg, false), true);
    case DEFRAG_RANGE:
      return struct(48, (b) => `{start=${u(b, 0)}, len=${u64Val(st, u(b, 8))}, flags=${printFlags(st, X.BTRFS_DEFRAG_FLAGS, u(b, 16), 'BTRFS_DEFRAG_RANGE_???')}, ` +
        `extent_thresh=${u(b, 24, 4)}, compress_type=${printEnum(st, X.BTRFS_COMPRESS_TYPES, u(b, 28, 4), 'BTRFS_COMPRESS_???')}}`);
    case DEV_INFO:
      return struct(4096, (b) => `{devid=${printDev(ctx, u(b, 0))}${allZero(b, 8, 24) ? '' : `, uuid=${uuid(b, 8)}`}}`, true);
    case DEV_REPLACE:
      return struct(2600, (b) => {
        const cmd = u(b, 0);
        const start = cmd === DEV_REPLACE_CMD_START
          ? `, start={srcdevid=${printDev(ctx, u(b, 16))}, cont_reading_from_srcdev_mode=${printEnum(st, X.BTRFS_CONT_READING_FROM_SRCDEV_MODE, u(b, 24), 'BTRFS_IOCTL_DEV_REPLACE_CONT_READING_FROM_SRCDEV_MODE_???')}, ` +
            `srcdev_name=${fixedCString(b.subarray(32, 1057))}, tgtdev_name=${fixedCString(b.subarray(1057, 2082))}}` : '';
        return `{cmd=${printEnum(st, X.BTRFS_DEV_REPLACE_CMDS, cmd, 'BTRFS_IOCTL_DEV_REPLACE_CMD_???')}${start}}`;
      }, true);
    case SET_FEATURES: return struct(48, (b) => `[${features(st, b, 0)}, ${features(st, b, 24)}]`);
    case GET_DEV_STATS:
      return struct(1032, (b) => `{devid=${printDev(ctx, u(b, 0))}, nr_items=${u(b, 8)}, flags=${printFlags(st, X.BTRFS_DEV_STATS_FLAGS, u(b, 16), 'BTRFS_DEV_STATS_???')}}`, true);
    case INO_LOOKUP:
      return { ...struct(4096, (b) => `{treeid=${objectid(st, u(b, 0))}, objectid=${objectid(st, u(b, 8))}}`, true), state: peekTreeId(ctx, arg) };
    case INO_PATHS: return struct(56, (b) => `{inum=${u(b, 0)}, size=${u(b, 8)}, fspath=${addr64(u(b, 48))}}`, true);
    case LOGICAL_INO:
      return struct(56, (b) => `{${join([`logical=${u(b, 0)}`, `size=${u(b, 8)}`,
        allZero(b, 16, 40) ? undefined : `reserved=[${[0, 1, 2].map((i) => hex(u(b, 16 + 8 * i))).join(', ')}]`,
        `flags=${printFlags(st, X.BTRFS_LOGICAL_INO_ARGS_FLAGS, u(b, 40), 'BTRFS_LOGICAL_INO_ARGS_???')}`, `inodes=${addr64(u(b, 48))}`])}}`, true);
    case QGROUP_ASSIGN: return struct(24, (b) => `{assign=${u(b, 0)}, src=${u(b, 8)}, dst=${u(b, 16)}}`);
    case QGROUP_CREATE: return struct(16, (b) => `{create=${u(b, 0)}, qgroupid=${u(b, 8)}}`);
    case QUOTA_CTL: return struct(16, (b) => `{cmd=${printEnum(st, X.BTRFS_QGROUP_CTL_CMDS, u(b, 0), 'BTRFS_QUOTA_CTL_???')}}`);
    case QUOTA_RESCAN: return struct(64, (b) => `{flags=${u(b, 0)}}`);
    case SET_RECEIVED_SUBVOL:
      return struct(200, (b) => `{uuid=${uuid(b, 0)}, stransid=${u(b, 16)}, stime=${timespec(st, b, 32)}, flags=${u(b, 64)}}`, true);
    case SCRUB: case SCRUB_PROGRESS:
      return struct(1024, (b) => `{${join([`devid=${printDev(ctx, u(b, 0))}`,
        ...(code === SCRUB ? [`start=${u(b, 8)}`, `end=${u64Val(st, u(b, 16))}`, `flags=${printFlags(st, X.BTRFS_SCRUB_FLAGS, u(b, 24), 'BTRFS_SCRUB_???')}`] : [])])}}`, true);
    case TREE_SEARCH: return struct(104, (b) => `{key=${searchKey(ctx, b, true)}}`, true);
    case TREE_SEARCH_V2: return struct(112, (b) => `{key=${searchKey(ctx, b, true)}, buf_size=${u(b, 104)}}`, true);
    case SEND:
      return struct(72, (b) => {
        const count = u(b, 8);
        const sources = ctx.options.verbose
          ? array(ctx, u(b, 16), count, 8, (r) => objectid(st, u(r, 0))).text : printPtr(u(b, 16));
        return `{send_fd=${fd(ctx, sField(b, 0, 8))}, clone_sources_count=${count}, clone_sources=${sources}, ` +
          `parent_root=${objectid(st, u(b, 24))}, flags=${printFlags(st, X.BTRFS_SEND_FLAGS, u(b, 32), 'BTRFS_SEND_FLAGS_???')}}`;
      });
    case SPACE_INFO: return struct(16, (b) => `{space_slots=${u(b, 0)}}`, true);
    case SNAP_CREATE_V2: case SUBVOL_CREATE_V2:
      return struct(4096, (b) => {
        const flags = u(b, 16);
        const inherit = (flags & SUBVOL_QGROUP_INHERIT) !== 0n ? `, size=${u(b, 24)}, qgroup_inherit=${qgroupInherit(ctx, u(b, 32))}` : '';
        return `{fd=${fd(ctx, u(b, 0))}, flags=${printFlags(st, X.BTRFS_SNAP_FLAGS_V2, flags, 'BTRFS_SUBVOL_???')}${inherit}, name=${fixedCString(b.subarray(56, 4096))}}`;
      }, true);
  }
  return undefined;
}

/** INO_LOOKUP with treeid 0 asks for the containing root, which the exit then shows. */
function peekTreeId(ctx: DecodeContext, arg: bigint): boolean {
  const b = fetchArg(ctx, arg, 8);
  return typeof b !== 'string' && u(b, 0) === 0n;
}

function fixedLabel(b: Uint8Array): string {
  return fixedCString(b);
}

function dedupeInfo(ctx: DecodeContext, arg: bigint, b: Uint8Array, exit?: ExitContext): { text: string; ok: boolean } {
  const count = u(b, 16, 2);
  // Without -v at most two of more than two elements are shown.
  const stopAfter = !ctx.options.verbose && count > 2n ? 2n : undefined;
  return array(ctx, arg + 24n, count, 32, (e) => (exit === undefined
    ? `{dest_fd=${fd(ctx, sField(e, 0, 8))}, dest_offset=${u(e, 8)}}`
    : `{bytes_deduped=${u(e, 16)}, status=${sField(e, 24, 4)}}`), exit, stopAfter);
}

function exit(ctx: ExitContext, code: number, arg: bigint, state: unknown): string {
  const st = ctx.options.xlat;
  const failed = isError(ctx.ret);
  const out = (size: number, show: (b: Uint8Array) => string): string => {
    const b = fetchArg(ctx, arg, size, ctx);
    return typeof b === 'string' ? `, ${b}` : `, ${show(b)}`;
  };
  /** The `=> {...}` of a read-write request, nothing after a failure. */
  const changed = (size: number, show: (b: Uint8Array) => string): string => {
    if (failed) return '';
    const b = fetchArg(ctx, arg, size, ctx);
    return typeof b === 'string' ? ` => ${b}` : ` => ${show(b)}`;
  };
  switch (code) {
    case GETFSLABEL: return out(256, fixedLabel);
    case START_SYNC: return out(8, (b) => `[${u(b, 0)}]`);
    case SUBVOL_GETFLAGS: return out(8, (b) => printFlags(st, X.BTRFS_SNAP_FLAGS_V2, u(b, 0), 'BTRFS_SUBVOL_???'));
    case BALANCE_PROGRESS: return `, ${balance(ctx, arg, true, ctx)}`;
    case BALANCE_V2: return failed ? '' : ` => ${balance(ctx, arg, true, ctx)}`;
    case GET_FEATURES: return out(24, (b) => features(st, b, 0));
    case GET_SUPPORTED_FEATURES:
      return out(72, (b) => `[${features(st, b, 0)} /* supported */, ${features(st, b, 24)} /* safe to set */, ${features(st, b, 48)} /* safe to clear */]`);
    case FS_INFO:
      return out(1024, (b) => {
        const flags = u(b, 48);
        return `{${join([`max_id=${u(b, 0)}`, `num_devices=${u(b, 8)}`, `fsid=${uuid(b, 16)}`, `nodesize=${u(b, 32, 4)}`,
          `sectorsize=${u(b, 36, 4)}`, `clone_alignment=${u(b, 40, 4)}`,
          ...((flags & FS_INFO_FLAG_CSUM_INFO) !== 0n ? [`csum_type=${printEnum(st, X.BTRFS_CSUM_TYPES, u(b, 44, 2), 'BTRFS_CSUM_TYPE_???')}`, `csum_size=${u(b, 46, 2)}`] : []),
          `flags=${printFlags(st, X.BTRFS_FS_INFO_FLAGS, flags, 'BTRFS_FS_INFO_FLAG_???')}`,
          (flags & FS_INFO_FLAG_GENERATION) !== 0n ? `generation=${u(b, 56)}` : undefined,
          (flags & FS_INFO_FLAG_METADATA_UUID) !== 0n ? `metadata_uuid=${uuid(b, 64)}` : undefined])}}`;
      });
    case QGROUP_LIMIT: return out(48, (b) => `{qgroupid=${u(b, 0)}, lim=${qgroupLimit(st, b, 8)}}`);
    case QUOTA_RESCAN_STATUS: return out(64, (b) => `{flags=${u(b, 0)}, progress=${objectid(st, u(b, 8))}}`);
    case FIDEDUPERANGE: {
      if (failed) return '';
      const b = fetchArg(ctx, arg, 24, ctx);
      if (typeof b === 'string') return ` => ${b}`;
      return ` => {info=${dedupeInfo(ctx, arg, b, ctx).text}}`;
    }
    case DEV_INFO:
      return changed(4096, (b) => `{${join([allZero(b, 8, 24) ? undefined : `uuid=${uuid(b, 8)}`, `bytes_used=${u(b, 24)}`,
        `total_bytes=${u(b, 32)}`, `path=${fixedCString(b.subarray(3072, 4096))}`])}}`);
    case DEV_REPLACE:
      return changed(2600, (b) => {
        const status = u(b, 0) === DEV_REPLACE_CMD_STATUS ? `, status=${replaceStatus(st, b, 16)}` : '';
        return `{result=${printEnum(st, X.BTRFS_DEV_REPLACE_RESULTS, u(b, 8), 'BTRFS_IOCTL_DEV_REPLACE_RESULT_???')}${status}}`;
      });
    case GET_DEV_STATS:
      return changed(1032, (b) => {
        const n = u(b, 8), vals: string[] = [];
        for (let i = 0n; i < n; i++) {
          if (i >= 5n) { vals.push('...'); break; }
          vals.push(`[${named(st, X.BTRFS_DEV_STATS_VALUES, i)}] = ${u(b, 24 + 8 * Number(i))}`);
        }
        return `{nr_items=${n}, flags=${printFlags(st, X.BTRFS_DEV_STATS_FLAGS, u(b, 16), 'BTRFS_DEV_STATS_???')}, [${vals.join(', ')}]}`;
      });
    case INO_LOOKUP:
      return changed(4096, (b) => `{${state === true ? `treeid=${objectid(st, u(b, 0))}, ` : ''}name=${fixedCString(b.subarray(16, 4096))}}`);
    case INO_PATHS:
      return changed(56, (b) => {
        const base = u(b, 48);
        return `{fspath=${dataContainer(ctx, base, (c) => array(ctx, base + 16n, u(c, 8, 4), 8,
          (o) => printPath(ctx, base + 16n + u(o, 0)), ctx).text)}}`;
      });
    case LOGICAL_INO:
      return changed(56, (b) => {
        const base = u(b, 48);
        return `{inodes=${dataContainer(ctx, base, (c) => array(ctx, base + 16n, u(c, 8, 4) / 3n, 24,
          (r) => `{inum=${u(r, 0)}, offset=${u(r, 8)}, root=${u(r, 16)}}`, ctx).text)}}`;
      });
    case SET_RECEIVED_SUBVOL: return changed(200, (b) => `{rtransid=${u(b, 24)}, rtime=${timespec(st, b, 48)}}`);
    case SCRUB: case SCRUB_PROGRESS:
      return changed(1024, (b) => {
        const names = ['data_extents_scrubbed', 'tree_extents_scrubbed', 'data_bytes_scrubbed', 'tree_bytes_scrubbed', 'read_errors',
          'csum_errors', 'verify_errors', 'no_csum', 'csum_discards', 'super_errors', 'malloc_errors', 'uncorrectable_errors',
          'corrected_errors', 'last_physical', 'unverified_errors'];
        return `{progress={${names.map((n, i) => `${n}=${u(b, 32 + 8 * i)}`).join(', ')}}}`;
      });
    case TREE_SEARCH:
      return changed(104, (b) => `{key=${searchKey(ctx, b, false)}${searchBuf(ctx, arg + 104n, 4096n - 104n, u(b, 64, 4))}}`);
    case TREE_SEARCH_V2: {
      if (failed) {
        if (errnoOf(ctx.ret) !== EOVERFLOW) return '';
        const b = ctx.options.structs === false ? null : ctx.mem.read(arg, 112);
        return ` => ${b === null ? hex(arg) : `{buf_size=${u(b, 104)}}`}`;
      }
      return changed(112, (b) => `{key=${searchKey(ctx, b, false)}, buf_size=${u(b, 104)}${searchBuf(ctx, arg + 112n, u(b, 104), u(b, 64, 4))}}`);
    }
    case SPACE_INFO:
      return changed(16, (b) => {
        const total = u(b, 8);
        if (u(b, 0) === 0n && total !== 0n) return `{total_spaces=${total}}`;
        if (!ctx.options.verbose) return `{total_spaces=${total}, ...}`;
        const spaces = array(ctx, arg + 16n, total, 24, (s) =>
          `{flags=${printFlags(st, X.BTRFS_SPACE_INFO_FLAGS, u(s, 0), 'BTRFS_SPACE_INFO_???')}, total_bytes=${u(s, 8)}, used_bytes=${u(s, 16)}}`, ctx);
        return `{total_spaces=${total}, spaces=${spaces.text}}`;
      });
    case SNAP_CREATE_V2: case SUBVOL_CREATE_V2: return changed(4096, (b) => `{transid=${u(b, 8)}}`);
  }
  return '';
}

function replaceStatus(st: XlatStyle, b: Uint8Array, o: number): string {
  const progress = u(b, o + 8);
  const when = (v: bigint): string => {
    const c = st === 'raw' ? undefined : formatTimeComment(v, 0n, 6);
    return c === undefined ? `${v}` : `${v} /* ${c} */`;
  };
  return `{replace_state=${printEnum(st, X.BTRFS_DEV_REPLACE_STATE, u(b, o), 'BTRFS_IOCTL_DEV_REPLACE_STATE_???')}, ` +
    `progress_1000=${progress}${progress <= 1000n ? ` /* ${progress / 10n}.${progress % 10n}% */` : ''}, ` +
    `time_started=${when(u(b, o + 16))}, time_stopped=${when(u(b, o + 24))}, num_write_errors=${u(b, o + 32)}, ` +
    `num_uncorrectable_read_errors=${u(b, o + 40)}}`;
}

export const BTRFS_IOCTLS: IoctlFamily = { types: [0x94], enter, exit };
