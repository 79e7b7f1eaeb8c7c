// Video4Linux2 ioctls ('V': VIDIOC_QUERYCAP, VIDIOC_[GS]_FMT, VIDIOC_*BUF, VIDIOC_*CTRL*, ...),
// printed as strace's v4l2.c prints them; layouts are those of the 64-bit ABI.
import type { DecodeContext, ExitContext, XlatStyle } from '../types.js';
import * as X from '../../xlat/ioctl-v4l2.js';
import { formatReturn, hex, isError, printEnum, printFlags, printNamed, printPtr, u64 } from '../printers.js';
import type { Xlat } from '../../xlat/xlat.js';
import type { IoctlEntry, IoctlFamily } from './family.js';
import { fetchArg, fixedCString, sField, uField } from './table.js';
import { localArray, printIntU, printNum, printStr } from './umove.js';

const V = 0x56;
const iowr = (nr: number, size: number): number => ((3 << 30) | (size << 16) | (V << 8) | nr) >>> 0;
const ior = (nr: number, size: number): number => ((2 << 30) | (size << 16) | (V << 8) | nr) >>> 0;
const iow = (nr: number, size: number): number => ((1 << 30) | (size << 16) | (V << 8) | nr) >>> 0;

const QUERYCAP = ior(0, 104), ENUM_FMT = iowr(2, 64), G_FMT = iowr(4, 208), S_FMT = iowr(5, 208), TRY_FMT = iowr(64, 208);
const REQBUFS = iowr(8, 20), QUERYBUF = iowr(9, 88), QBUF = iowr(15, 88), DQBUF = iowr(17, 88);
const G_FBUF = ior(10, 48), S_FBUF = iow(11, 48), STREAMON = iow(18, 4), STREAMOFF = iow(19, 4);
const G_PARM = iowr(21, 204), S_PARM = iowr(22, 204), G_STD = ior(23, 8), S_STD = iow(24, 8);
const ENUMSTD = iowr(25, 72), ENUMINPUT = iowr(26, 80), G_CTRL = iowr(27, 8), S_CTRL = iowr(28, 8);
const G_TUNER = iowr(29, 84), S_TUNER = iow(30, 84), QUERYCTRL = iowr(36, 68), G_INPUT = ior(38, 4), S_INPUT = iowr(39, 4);
const CROPCAP = iowr(58, 44), G_CROP = iowr(59, 20), S_CROP = iow(60, 20);
const G_EXT_CTRLS = iowr(71, 32), S_EXT_CTRLS = iowr(72, 32), TRY_EXT_CTRLS = iowr(73, 32);
const ENUM_FRAMESIZES = iowr(74, 44), ENUM_FRAMEINTERVALS = iowr(75, 52), CREATE_BUFS = iowr(92, 256), QUERY_EXT_CTRL = iowr(103, 232);

const u = (b: Uint8Array, off: number, size = 4): bigint => uField(b, off, size);
const s = (b: Uint8Array, off: number, size = 4): bigint => sField(b, off, size);
const join = (parts: readonly (string | undefined)[]): string => parts.filter((p): p is string => p !== undefined).join(', ');

/** printxval / printflags in the -X style of the call. */
const xval = (st: XlatStyle, t: Xlat, v: bigint, dflt: string): string => printEnum(st, t, v, dflt);
const flags = (st: XlatStyle, t: Xlat, v: bigint, dflt: string): string => printFlags(st, t, v, dflt);

const rect = (b: Uint8Array, off: number): string =>
  `{left=${s(b, off)}, top=${s(b, off + 4)}, width=${u(b, off + 8)}, height=${u(b, off + 12)}}`;
const fract = (b: Uint8Array, off: number): string => `${u(b, off)}/${u(b, off + 4)}`;

function quoteChar(c: number): string {
  let t: string;
  if (c >= 0x20 && c < 0x7f) t = c === 0x27 || c === 0x5c ? `\\${String.fromCharCode(c)}` : String.fromCharCode(c);
  else t = `\\x${c.toString(16).padStart(2, '0')}`;
  return `'${t}'`;
}

/** A fourcc: v4l2_fourcc('Y', 'U', 'Y', 'V') with its name in a comment; hex under -X raw. */
function pixfmt(st: XlatStyle, v: bigint, t: Xlat | undefined): string {
  if (st === 'raw') return hex(v);
  const n = Number(v);
  const text = `v4l2_fourcc(${[0, 8, 16, 24].map((sh) => quoteChar((n >>> sh) & 0xff)).join(', ')})`;
  const name = t?.byValue.get(v);
  return name === undefined ? text : `${text} /* ${name} */`;
}

function kernelVersion(st: XlatStyle, v: bigint): string {
  const text = `KERNEL_VERSION(${v >> 16n}, ${(v >> 8n) & 0xffn}, ${v & 0xffn})`;
  if (st === 'abbrev') return text;
  if (st === 'raw') return hex(v);
  return `${hex(v)} /* ${text} */`;
}

const QUERY_FLAGS_MASK = X.V4L2_CONTROL_QUERY_FLAGS.rows.reduce((m, [v]) => m | v, 0n);

/** A control id: its name, CLASS+offset, or the V4L2_CTRL_FLAG_NEXT_* flags or'ed to it. */
function cid(st: XlatStyle, id: bigint, nextFlags: boolean): string {
  if (st === 'raw') return hex(id);
  let prefix = '';
  if (nextFlags) {
    const f = id & QUERY_FLAGS_MASK;
    if (f !== 0n) {
      prefix = `${flags(st, X.V4L2_CONTROL_QUERY_FLAGS, f, 'V4L2_CTRL_FLAG_NEXT_???')}|`;
      id &= ~f;
    }
  }
  const name = X.V4L2_CONTROL_IDS.byValue.get(id);
  if (name !== undefined) return prefix + printNamed(st, id, name);
  let cls: readonly [bigint, string] | undefined;
  for (const row of X.V4L2_CONTROL_CLASSES.rows) if (row[0] <= id && (cls === undefined || row[0] > cls[0])) cls = row;
  if (cls === undefined || id - cls[0] >= 0x10000n) return `${prefix}${hex(id)} /* V4L2_CID_??? */`;
  return prefix + printNamed(st, id, `${cls[1]}+${hex(id - cls[0])}`);
}

/** strace's print_array: the text and whether every element was fetched (or the rest abbreviated). */
function array(ctx: DecodeContext, addr: bigint, count: number, size: number, show: (b: Uint8Array) => string, exit?: ExitContext): { text: string; ok: boolean } {
  if (u64(addr) === 0n) return { text: 'NULL', ok: false };
  if (count === 0) return { text: '[]', ok: false };
  const total = BigInt(count) * BigInt(size);
  if (u64(addr) + total > 0xffffffffffffffffn) return { text: hex(addr), ok: false };
  const limit = ctx.options.verbose ? Infinity : ctx.options.stringLimit;
  const parts: string[] = [];
  const canFetch = ctx.options.structs !== false && (exit === undefined || !isError(exit.ret));
  for (let i = 0; i < count; i++) {
    const at = u64(addr) + BigInt(i * size);
    const b = canFetch ? ctx.mem.read(at, size) : null;
    if (b === null) {
      if (i === 0) return { text: hex(at), ok: false };
      parts.push(`... /* ${hex(at)} */`);
      return { text: `[${parts.join(', ')}]`, ok: false };
    }
    if (i >= limit) { parts.push('...'); return { text: `[${parts.join(', ')}]`, ok: true }; }
    parts.push(show(b));
  }
  return { text: `[${parts.join(', ')}]`, ok: true };
}

/** The fmt union of struct v4l2_format (the type at `off`, the union 8 bytes on), after `prefix`; undefined for an unknown type. */
function formatFmt(ctx: DecodeContext, b: Uint8Array, off: number, prefix: string, exit?: ExitContext): { text: string; ok: boolean } | undefined {
  const st = ctx.options.xlat;
  const type = Number(u(b, off)), f = off + 8;
  switch (type) {
    case 1: case 2: // VIDEO_CAPTURE, VIDEO_OUTPUT
      return { ok: true, text: `${prefix}fmt.pix={width=${u(b, f)}, height=${u(b, f + 4)}, pixelformat=${pixfmt(st, u(b, f + 8), X.V4L2_PIX_FMTS)}, ` +
        `field=${xval(st, X.V4L2_FIELDS, u(b, f + 12), 'V4L2_FIELD_???')}, bytesperline=${u(b, f + 16)}, sizeimage=${u(b, f + 20)}, ` +
        `colorspace=${xval(st, X.V4L2_COLORSPACES, u(b, f + 24), 'V4L2_COLORSPACE_???')}}` };
    case 9: case 10: { // VIDEO_CAPTURE_MPLANE, VIDEO_OUTPUT_MPLANE
      const n = b[f + 180]!;
      const planes = localArray(ctx, Math.min(n, 8), (i) => `{sizeimage=${u(b, f + 20 + 20 * i)}, bytesperline=${u(b, f + 24 + 20 * i)}}`);
      return { ok: true, text: `${prefix}fmt.pix_mp={width=${u(b, f)}, height=${u(b, f + 4)}, pixelformat=${pixfmt(st, u(b, f + 8), X.V4L2_PIX_FMTS)}, ` +
        `field=${xval(st, X.V4L2_FIELDS, u(b, f + 12), 'V4L2_FIELD_???')}, colorspace=${xval(st, X.V4L2_COLORSPACES, u(b, f + 16), 'V4L2_COLORSPACE_???')}, ` +
        `plane_fmt=${planes}, num_planes=${n}}` };
    }
    case 8: case 3: { // VIDEO_OUTPUT_OVERLAY, VIDEO_OVERLAY
      const clips = array(ctx, u(b, f + 24, 8), Number(u(b, f + 32)), 24, (c) => `{c=${rect(c, 0)}}`, exit);
      const alpha = b[f + 48]!;
      return { ok: clips.ok, text: `${prefix}fmt.win={w=${rect(b, f)}, field=${xval(st, X.V4L2_FIELDS, u(b, f + 16), 'V4L2_FIELD_???')}, ` +
        `chromakey=${hex(u(b, f + 20))}, clips=${clips.text}, clipcount=${u(b, f + 32)}, bitmap=${printPtr(u(b, f + 40, 8))}` +
        `${alpha !== 0 ? `, global_alpha=${hex(alpha)}` : ''}}` };
    }
    case 4: case 5: // VBI_CAPTURE, VBI_OUTPUT
      return { ok: true, text: `${prefix}fmt.vbi={sampling_rate=${u(b, f)}, offset=${u(b, f + 4)}, samples_per_line=${u(b, f + 8)}, ` +
        `sample_format=${pixfmt(st, u(b, f + 12), X.V4L2_PIX_FMTS)}, start=[${s(b, f + 16)}, ${s(b, f + 20)}], count=[${u(b, f + 24)}, ${u(b, f + 28)}], ` +
        `flags=${flags(st, X.V4L2_VBI_FLAGS, u(b, f + 32), 'V4L2_VBI_???')}}` };
    case 6: case 7: { // SLICED_VBI_CAPTURE, SLICED_VBI_OUTPUT
      const rows = [0, 1].map((i) => `[${Array.from({ length: 24 }, (_, j) => hex(u(b, f + 2 + 2 * (24 * i + j), 2))).join(', ')}]`);
      return { ok: true, text: `${prefix}fmt.sliced={service_set=${flags(st, X.V4L2_SLICED_FLAGS, u(b, f, 2), 'V4L2_SLICED_???')}, ` +
        `service_lines=[${rows.join(', ')}], io_size=${u(b, f + 100)}}` };
    }
    case 12: case 11: { // SDR_OUTPUT, SDR_CAPTURE
      const size = u(b, f + 4);
      return { ok: true, text: `${prefix}fmt.sdr={pixelformat=${pixfmt(st, u(b, f), X.V4L2_SDR_FMTS)}${size !== 0n ? `, buffersize=${size}` : ''}}` };
    }
    case 14: case 13: // META_OUTPUT, META_CAPTURE
      return { ok: true, text: `${prefix}fmt.meta={dataformat=${pixfmt(st, u(b, f), X.V4L2_META_FMTS)}, buffersize=${u(b, f + 4)}}` };
    default:
      return undefined;
  }
}

function bufFlags(st: XlatStyle, v: bigint): string {
  if (st === 'raw') return hex(v);
  const tsType = v & 0xe000n, tsSrc = v & 0x70000n, rest = v & ~tsType & ~tsSrc;
  const head = rest !== 0n ? `${flags(st, X.V4L2_BUF_FLAGS, rest, 'V4L2_BUF_FLAG_???')}|` : '';
  return `${head}${xval(st, X.V4L2_BUF_FLAGS_TS_TYPE, tsType, 'V4L2_BUF_FLAG_TIMESTAMP_???')}|${xval(st, X.V4L2_BUF_FLAGS_TS_SRC, tsSrc, 'V4L2_BUF_FLAG_TSTAMP_SRC_???')}`;
}

function tuner(st: XlatStyle, b: Uint8Array): string {
  return join([`name=${fixedCString(b.subarray(4, 36))}`, `type=${xval(st, X.V4L2_TUNER_TYPES, u(b, 36), 'V4L2_TUNER_???')}`,
    `capability=${flags(st, X.V4L2_TUNER_CAPABILITIES, u(b, 40), 'V4L2_TUNER_CAP_???')}`, `rangelow=${u(b, 44)}`, `rangehigh=${u(b, 48)}`,
    `rxsubchans=${flags(st, X.V4L2_TUNER_RXSUBCHANSES, u(b, 52), 'V4L2_TUNER_SUB_???')}`,
    `audmode=${xval(st, X.V4L2_TUNER_AUDMODES, u(b, 56), 'V4L2_TUNER_MODE_???')}`, `signal=${s(b, 60)}`, `afc=${s(b, 64)}`]);
}

function streamParm(st: XlatStyle, b: Uint8Array): string {
  const capture = u(b, 0) === 1n, p = 4;
  return `parm.${capture ? 'capture' : 'output'}={capability=${flags(st, X.V4L2_STREAMING_CAPABILITIES, u(b, p), 'V4L2_CAP_???')}, ` +
    `${capture ? 'capturemode' : 'outputmode'}=${flags(st, X.V4L2_CAPTURE_MODES, u(b, p + 4), 'V4L2_MODE_???')}, timeperframe=${fract(b, p + 8)}, ` +
    `extendedmode=${hex(u(b, p + 16))}, ${capture ? 'readbuffers' : 'writebuffers'}=${u(b, p + 20)}}`;
}

function extControl(ctx: DecodeContext, c: Uint8Array): string {
  const st = ctx.options.xlat, size = u(c, 4);
  const tail = size > 0n ? `string=${printStr(ctx, u(c, 12, 8), size)}` : `value=${s(c, 12)}, value64=${s(c, 12, 8)}`;
  return `{id=${xval(st, X.V4L2_CONTROL_IDS, u(c, 0), 'V4L2_CID_???')}, size=${size}, ${tail}}`;
}

const xintArray = (ctx: DecodeContext, b: Uint8Array, off: number, n: number): string => localArray(ctx, n, (i) => hex(u(b, off + 4 * i)));
const allZero = (b: Uint8Array, from: number, to: number): boolean => b.subarray(from, to).every((x) => x === 0);

/** What the exit half needs to know. */
interface State { readonly kind: 'get' | 'set'; readonly id?: bigint }
const GET: State = { kind: 'get' }, SET: State = { kind: 'set' };
const more = (text: string, state: State = GET): IoctlEntry => ({ text: `, ${text}`, more: true, state });
const done = (text: string): IoctlEntry => ({ text: `, ${text}` });

const SIZES = new Map<number, number>([
  [ENUM_FMT, 64], [G_FMT, 208], [S_FMT, 208], [TRY_FMT, 208], [REQBUFS, 20], [QUERYBUF, 88], [QBUF, 88], [DQBUF, 88],
  [G_PARM, 204], [S_PARM, 204], [ENUMSTD, 72], [ENUMINPUT, 80], [G_CTRL, 8], [S_CTRL, 8], [G_TUNER, 84], [S_TUNER, 84],
  [QUERYCTRL, 68], [QUERY_EXT_CTRL, 232], [CROPCAP, 44], [G_CROP, 20], [S_CROP, 20], [G_EXT_CTRLS, 32], [S_EXT_CTRLS, 32],
  [TRY_EXT_CTRLS, 32], [ENUM_FRAMESIZES, 44], [ENUM_FRAMEINTERVALS, 52], [CREATE_BUFS, 256],
]);

function enter(ctx: DecodeContext, code: number, arg: bigint): IoctlEntry | undefined {
  if (ctx.options.structs === false) return undefined;
  const st = ctx.options.xlat;
  switch (code) {
    case QUERYCAP: case G_FBUF: return { text: '', more: true, state: GET };
    case S_FBUF: {
      const b = fetchArg(ctx, arg, 48);
      return done(typeof b === 'string' ? b : `{capability=${hex(u(b, 0))}, flags=${hex(u(b, 4))}, base=${printPtr(u(b, 8, 8))}}`);
    }
    case STREAMON: case STREAMOFF: {
      const b = fetchArg(ctx, arg, 4);
      return done(typeof b === 'string' ? b : `[${xval(st, X.V4L2_BUF_TYPES, u(b, 0), 'V4L2_BUF_TYPE_???')}]`);
    }
    case G_STD: case G_INPUT: return { text: '', more: true, state: GET };
    case S_STD: return done(printNum(ctx, arg, 8, (v) => hex(v)));
    case S_INPUT: return done(printIntU(ctx, arg));
  }
  const size = SIZES.get(code);
  if (size === undefined) return undefined;
  const b = fetchArg(ctx, arg, size);
  if (typeof b === 'string') return done(b);
  const type = `type=${xval(st, X.V4L2_BUF_TYPES, u(b, 0), 'V4L2_BUF_TYPE_???')}`;
  switch (code) {
    case ENUM_FMT: return more(`{index=${u(b, 0)}, type=${xval(st, X.V4L2_BUF_TYPES, u(b, 4), 'V4L2_BUF_TYPE_???')}`);
    case G_FMT: return more(`{${type}`);
    case S_FMT: case TRY_FMT: {
      const f = formatFmt(ctx, b, 0, ', ');
      if (f === undefined || !f.ok) return done(`{${type}${f?.text ?? ''}}`);
      return more(`{${type}${f.text}`, SET);
    }
    case REQBUFS:
      return more(`{type=${xval(st, X.V4L2_BUF_TYPES, u(b, 4), 'V4L2_BUF_TYPE_???')}, memory=${xval(st, X.V4L2_MEMORIES, u(b, 8), 'V4L2_MEMORY_???')}, count=${u(b, 0)}`);
    case QUERYBUF: case QBUF: case DQBUF: {
      const t = `type=${xval(st, X.V4L2_BUF_TYPES, u(b, 4), 'V4L2_BUF_TYPE_???')}`;
      return more(`{${t}${code !== DQBUF ? `, index=${u(b, 0)}` : ''}`);
    }
    case G_PARM: case S_PARM: {
      const t = u(b, 0);
      if (t !== 1n && t !== 2n) return done(`{${type}}`);
      if (code === G_PARM) return more(`{${type}`);
      return more(`{${type}, ${streamParm(st, b)}`, SET);
    }
    case ENUMSTD: case ENUMINPUT: return more(`{index=${u(b, 0)}`);
    case G_CTRL: return more(`{id=${cid(st, u(b, 0), false)}`);
    case S_CTRL: return more(`{id=${cid(st, u(b, 0), false)}, value=${s(b, 4)}`, SET);
    case G_TUNER: return more(`{index=${u(b, 0)}`);
    case S_TUNER: return more(`{index=${u(b, 0)}, ${tuner(st, b)}`, SET);
    case QUERYCTRL: case QUERY_EXT_CTRL: return more(`{id=${cid(st, u(b, 0), true)}`, { kind: 'get', id: u(b, 0) });
    case CROPCAP: case G_CROP: return more(`{${type}`);
    case S_CROP: return done(`{${type}, c=${rect(b, 4)}}`);
    case G_EXT_CTRLS: case S_EXT_CTRLS: case TRY_EXT_CTRLS: {
      const count = Number(u(b, 4));
      const head = `{ctrl_class=${xval(st, X.V4L2_CONTROL_CLASSES, u(b, 0), 'V4L2_CTRL_CLASS_???')}, count=${count}`;
      if (count === 0) return done(`${head}}`);
      if (code === G_EXT_CTRLS) return more(head);
      const a = array(ctx, u(b, 24, 8), count, 20, (c) => extControl(ctx, c));
      if (!a.ok) return done(`${head}, controls=${a.text}}`);
      return more(`${head}, controls=${a.text}`, SET);
    }
    case ENUM_FRAMESIZES: return more(`{index=${u(b, 0)}, pixel_format=${pixfmt(st, u(b, 4), X.V4L2_PIX_FMTS)}`);
    case ENUM_FRAMEINTERVALS:
      return more(`{index=${u(b, 0)}, pixel_format=${pixfmt(st, u(b, 4), X.V4L2_PIX_FMTS)}, width=${u(b, 8)}, height=${u(b, 12)}`);
    case CREATE_BUFS: {
      const f = formatFmt(ctx, b, 16, ', ');
      return more(`{count=${u(b, 4)}, memory=${xval(st, X.V4L2_MEMORIES, u(b, 8), 'V4L2_MEMORY_???')}, ` +
        `format={type=${xval(st, X.V4L2_BUF_TYPES, u(b, 16), 'V4L2_BUF_TYPE_???')}${f?.text ?? ''}}}`);
    }
  }
  return undefined;
}

function exit(ctx: ExitContext, code: number, arg: bigint, state: unknown): string {
  const st = ctx.options.xlat;
  const set = (state as State | undefined)?.kind === 'set';
  const failed = isError(ctx.ret);
  switch (code) {
    case QUERYCAP: {
      const b = fetchArg(ctx, arg, 104, ctx);
      if (typeof b === 'string') return `, ${b}`;
      const dev = u(b, 88);
      return `, {driver=${fixedCString(b.subarray(0, 16))}, card=${fixedCString(b.subarray(16, 48))}, bus_info=${fixedCString(b.subarray(48, 80))}, ` +
        `version=${kernelVersion(st, u(b, 80))}, capabilities=${flags(st, X.V4L2_DEVICE_CAPABILITIES_FLAGS, u(b, 84), 'V4L2_CAP_???')}` +
        `${dev !== 0n ? `, device_caps=${flags(st, X.V4L2_DEVICE_CAPABILITIES_FLAGS, dev, 'V4L2_CAP_???')}` : ''}}`;
    }
    case G_FBUF: {
      const b = fetchArg(ctx, arg, 48, ctx);
      return `, ${typeof b === 'string' ? b : `{capability=${hex(u(b, 0))}, flags=${hex(u(b, 4))}, base=${printPtr(u(b, 8, 8))}}`}`;
    }
    case G_STD: return `, ${printNum(ctx, arg, 8, (v) => hex(v), ctx)}`;
    case G_INPUT: return `, ${printIntU(ctx, arg, ctx)}`;
    case CREATE_BUFS: return '';
  }
  const size = SIZES.get(code)!;
  // strace's umove: the struct, unless the call failed (most requests) or it cannot be read.
  const b = ctx.mem.read(arg, size);
  const ok = !failed && b !== null;
  switch (code) {
    case ENUM_FMT:
      if (!ok) return '}';
      return `, flags=${flags(st, X.V4L2_FORMAT_DESCRIPTION_FLAGS, u(b, 8), 'V4L2_FMT_FLAG_???')}, description=${fixedCString(b.subarray(12, 44))}, ` +
        `pixelformat=${pixfmt(st, u(b, 44), X.V4L2_PIX_FMTS)}}`;
    case G_FMT: case S_FMT: case TRY_FMT:
      if (!ok) return '}';
      return `${formatFmt(ctx, b, 0, set ? '} => {' : ', ', ctx)?.text ?? ''}}`;
    case REQBUFS: return ok ? ` => ${u(b, 0)}}` : '}';
    case QUERYBUF: case QBUF: case DQBUF: {
      if (!ok) return '}';
      const memory = u(b, 60);
      return (code === DQBUF ? `, index=${u(b, 0)}` : '') + `, memory=${xval(st, X.V4L2_MEMORIES, memory, 'V4L2_MEMORY_???')}` +
        (memory === 1n ? `, m.offset=${hex(u(b, 64))}` : memory === 2n ? `, m.userptr=${printPtr(u(b, 64, 8))}` : '') +
        `, length=${u(b, 72)}, bytesused=${u(b, 8)}, flags=${bufFlags(st, u(b, 12))}` +
        (code === DQBUF ? `, timestamp={tv_sec=${s(b, 24, 8)}, tv_usec=${u(b, 32, 8)}}` : '') + ', ...}';
    }
    case G_PARM: case S_PARM:
      if (!ok) return '}';
      return `${set ? '} => {' : ', '}${streamParm(st, b)}}`;
    case ENUMSTD:
      if (!ok) return '}';
      return `, name=${fixedCString(b.subarray(16, 40))}, frameperiod=${fract(b, 40)}, framelines=${u(b, 48)}}`;
    case ENUMINPUT:
      if (!ok) return '}';
      return `, name=${fixedCString(b.subarray(4, 36))}, type=${xval(st, X.V4L2_INPUT_TYPES, u(b, 36), 'V4L2_INPUT_TYPE_???')}}`;
    case G_CTRL: case S_CTRL:
      if (!ok) return '}';
      return set ? ` => ${s(b, 4)}}` : `, value=${s(b, 4)}}`;
    case G_TUNER: case S_TUNER:
      if (!ok) return '}';
      return `${set ? '} => {' : ', '}${tuner(st, b)}}`;
    case QUERYCTRL: case QUERY_EXT_CTRL: {
      if (!ok) return '}';
      const ext = code === QUERY_EXT_CTRL;
      const id = u(b, 0);
      let text = id !== (state as State).id ? ` => ${cid(st, id, false)}` : '';
      text += `, type=${xval(st, X.V4L2_CONTROL_TYPES, u(b, 4), 'V4L2_CTRL_TYPE_???')}, name=${fixedCString(b.subarray(8, 40))}`;
      if (!ctx.options.verbose) return `${text}, ...}`;
      if (!ext) {
        text += `, minimum=${s(b, 40)}, maximum=${s(b, 44)}, step=${s(b, 48)}, default_value=${s(b, 52)}, ` +
          `flags=${flags(st, X.V4L2_CONTROL_FLAGS, u(b, 56), 'V4L2_CTRL_FLAG_???')}`;
        if (!allZero(b, 60, 68)) text += `, reserved=${xintArray(ctx, b, 60, 2)}`;
        return `${text}}`;
      }
      const dims = Math.min(Number(u(b, 84)), 4);
      text += `, minimum=${s(b, 40, 8)}, maximum=${s(b, 48, 8)}, step=${u(b, 56, 8)}, default_value=${s(b, 64, 8)}, ` +
        `flags=${flags(st, X.V4L2_CONTROL_FLAGS, u(b, 72), 'V4L2_CTRL_FLAG_???')}, elem_size=${u(b, 76)}, elems=${u(b, 80)}, ` +
        `nr_of_dims=${u(b, 84)}, dims=${localArray(ctx, dims, (i) => `${u(b, 88 + 4 * i)}`)}`;
      if (!allZero(b, 104, 232)) text += `, reserved=${xintArray(ctx, b, 104, 32)}`;
      return `${text}}`;
    }
    case CROPCAP:
      if (!ok) return '}';
      return `, bounds=${rect(b, 4)}, defrect=${rect(b, 20)}, pixelaspect=${fract(b, 36)}}`;
    case G_CROP:
      if (!ok) return '}';
      return `, c=${rect(b, 4)}}`;
    case G_EXT_CTRLS: case S_EXT_CTRLS: case TRY_EXT_CTRLS: {
      if (b === null) return '}';
      const a = array(ctx, u(b, 24, 8), Number(u(b, 4)), 20, (c) => extControl(ctx, c));
      return `${set ? '} => {' : ', '}controls=${a.text}${failed ? `, error_idx=${u(b, 8)}` : ''}}`;
    }
    case ENUM_FRAMESIZES: {
      if (!ok) return '}';
      const type = u(b, 8);
      const body = type === 1n ? `, discrete={width=${u(b, 12)}, height=${u(b, 16)}}`
        : type === 3n ? `, stepwise={min_width=${u(b, 12)}, max_width=${u(b, 16)}, step_width=${u(b, 20)}, min_height=${u(b, 24)}, max_height=${u(b, 28)}, step_height=${u(b, 32)}}` : '';
      return `, type=${xval(st, X.V4L2_FRAMESIZE_TYPES, type, 'V4L2_FRMSIZE_TYPE_???')}${body}}`;
    }
    case ENUM_FRAMEINTERVALS: {
      if (!ok) return '}';
      const type = u(b, 16);
      const body = type === 1n ? `, discrete=${fract(b, 20)}`
        : type === 2n || type === 3n ? `, stepwise={min=${fract(b, 20)}, max=${fract(b, 28)}, step=${fract(b, 36)}}` : '';
      return `, type=${xval(st, X.V4L2_FRAMEINTERVAL_TYPES, type, 'V4L2_FRMIVAL_TYPE_???')}${body}}`;
    }
  }
  return '';
}

export const V4L2_IOCTLS: IoctlFamily = {
  types: [V],
  enter,
  exit,
  ret(ctx, code) {
    if (code !== CREATE_BUFS || ctx.options.structs === false) return undefined;
    const base = formatReturn(ctx, 'dec');
    if (isError(ctx.ret)) return base;
    const b = ctx.mem.read(ctx.args[2]!, 256);
    return b === null ? base : `${base} ({index=${u(b, 0)}, count=${u(b, 4)}})`;
  },
};
