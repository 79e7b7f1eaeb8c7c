// Virtual consoles ('K'), as strace's kd_ioctl.c and kd_mpers_ioctl.c print them.
import {
  errnoOf, hex, isError, printArray, printEnum, printFlags, printNamed, printPtr, quoteBytes, readInt, u64,
} from '../printers.js';
import { printSignalName } from '../signal.js';
import type { Xlat } from '../../xlat/xlat.js';
import { xlookup } from '../../xlat/xlat.js';
import {
  KD_DEFAULT_LED_FLAGS, KD_FONT_FLAGS, KD_FONT_OPS, KD_KBD_MODES, KD_KBD_TYPES, KD_KEY_ASCII_KEYS, KD_KEY_BRL_KEYS,
  KD_KEY_CUR_KEYS, KD_KEY_DEAD_KEYS, KD_KEY_FN_KEY_VALS, KD_KEY_FN_KEYS, KD_KEY_LOCK_KEYS, KD_KEY_PAD_KEYS,
  KD_KEY_SHIFT_KEYS, KD_KEY_SLOCK_KEYS, KD_KEY_SPEC_KEYS, KD_KEY_TABLES, KD_KEY_TYPES, KD_KEYMAP_FLAGS, KD_LED_FLAGS,
  KD_META_VALS, KD_MODES,
} from '../../xlat/ioctl-kd.js';
import type { DecodeContext, ExitContext, XlatStyle } from '../types.js';
import type { IoctlEntry, IoctlFamily } from './family.js';
import { AT_EXIT, NO_ARG, printStr, umove } from './umove.js';

const KIOCSOUND = 0x4b2f, KDMKTONE = 0x4b30, KDGETLED = 0x4b31, KDSETLED = 0x4b32, KDGKBTYPE = 0x4b33, KDADDIO = 0x4b34;
const KDDELIO = 0x4b35, KDSETMODE = 0x4b3a, KDGETMODE = 0x4b3b, GIO_SCRNMAP = 0x4b40, PIO_SCRNMAP = 0x4b41;
const KDGKBMODE = 0x4b44, KDSKBMODE = 0x4b45, KDGKBENT = 0x4b46, KDSKBENT = 0x4b47, KDGKBSENT = 0x4b48, KDSKBSENT = 0x4b49;
const KDGKBDIACR = 0x4b4a, KDSKBDIACR = 0x4b4b, KDGETKEYCODE = 0x4b4c, KDSETKEYCODE = 0x4b4d, KDSIGACCEPT = 0x4b4e;
const KDKBDREP = 0x4b52, GIO_FONT = 0x4b60, PIO_FONT = 0x4b61, KDGKBMETA = 0x4b62, KDSKBMETA = 0x4b63, KDGKBLED = 0x4b64;
const KDSKBLED = 0x4b65, GIO_UNIMAP = 0x4b66, PIO_UNIMAP = 0x4b67, PIO_UNIMAPCLR = 0x4b68, GIO_UNISCRNMAP = 0x4b69;
const PIO_UNISCRNMAP = 0x4b6a, GIO_FONTX = 0x4b6b, PIO_FONTX = 0x4b6c, GIO_CMAP = 0x4b70, PIO_CMAP = 0x4b71;
const KDFONTOP = 0x4b72, KDGKBDIACRUC = 0x4bfa, KDSKBDIACRUC = 0x4bfb;
const NO_ARGS = new Set([0x4b36 /* KDENABIO */, 0x4b37 /* KDDISABIO */, 0x4b3c /* KDMAPDISP */, 0x4b3d /* KDUNMAPDISP */,
  0x4b6d /* PIO_FONTRESET */]);
/** Requests whose argument is read at exit only. */
const GETS = new Set([KDGETLED, KDGKBLED, KDGKBTYPE, KDGETMODE, GIO_SCRNMAP, GIO_UNISCRNMAP, KDGKBMODE, KDGKBDIACR,
  KDGKBDIACRUC, GIO_FONT, KDGKBMETA, GIO_CMAP]);
const PIT_TICK_RATE = 1193182, E_TABSZ = 256, MAX_DIACR = 256, ENOMEM = 12;
const FONT_OP_SET = 0, FONT_OP_GET = 1, FONT_OP_SET_DEFAULT = 2, FONT_OP_COPY = 3;

const u16 = (b: Uint8Array, off: number): bigint => readInt(b, off, 2, false);
const u32 = (b: Uint8Array, off: number): bigint => readInt(b, off, 4, false);
const comment = (style: XlatStyle, text: string): string => (style === 'raw' ? '' : ` /* ${text} */`);

/** sprint_char with SCF_QUOTES (and SCF_ESC_WS). */
function quoteChar(c: number, escWs = true): string {
  let s: string;
  if (c >= 0x20 && c < 0x7f) s = c === 0x27 || c === 0x5c ? `\\${String.fromCharCode(c)}` : String.fromCharCode(c);
  else if (escWs && c >= 9 && c <= 13) s = `\\${'tnvfr'[c - 9]!}`;
  else s = `\\x${c.toString(16).padStart(2, '0')}`;
  return `'${s}'`;
}

function mkTone(style: XlatStyle, arg: number): string {
  const ticks = arg >>> 16, count = arg & 0xffff;
  const freq = ticks !== 0 && count !== 0 ? Math.floor(PIT_TICK_RATE / count) : 0;
  return `${ticks !== 0 ? `${ticks}<<16|` : ''}${count}${comment(style, freq !== 0 ? `${freq} Hz, ${ticks} ms` : 'off')}`;
}

function kiocSound(style: XlatStyle, arg: bigint): string {
  const freq = arg !== 0n ? Number(BigInt(PIT_TICK_RATE) / arg) : 0;
  return `${arg}${comment(style, freq !== 0 ? `${freq} Hz` : 'off')}`;
}

/** The key table each key type's names come from (KT_LATIN, KT_CONS, KT_META, KT_LETTER, KT_DEAD2 have none). */
const KEY_TABLES: readonly (Xlat | undefined)[] = [undefined, KD_KEY_FN_KEYS, KD_KEY_SPEC_KEYS, KD_KEY_PAD_KEYS,
  KD_KEY_DEAD_KEYS, undefined, KD_KEY_CUR_KEYS, KD_KEY_SHIFT_KEYS, undefined, KD_KEY_ASCII_KEYS, KD_KEY_LOCK_KEYS,
  undefined, KD_KEY_SLOCK_KEYS, undefined, KD_KEY_BRL_KEYS];

function kbValue(style: XlatStyle, v: number): string {
  let s = `kb_value=${hex(v)}`;
  if (style === 'raw') return s;
  const ktyp = v >> 8, kval = v & 0xff;
  const name = KEY_TABLES[ktyp] !== undefined ? xlookup(KEY_TABLES[ktyp]!, v) : undefined;
  if (name !== undefined) return `${s} /* ${name} */`;
  const type = printEnum('abbrev', KD_KEY_TYPES, ktyp);
  const val = ktyp === 0 || ktyp === 8 || ktyp === 11 || ktyp === 13 ? quoteChar(kval) : hex(kval);
  s += ` /* K(${type}, ${val}) */`;
  return s;
}

/** struct kbentry's kb_table and kb_index (entry). */
function kbEntryHead(ctx: DecodeContext, arg: bigint): { text: string; ok: boolean } {
  const b = u64(arg) === 0n ? null : ctx.mem.read(u64(arg), 2);
  if (b === null) return { text: printPtr(arg), ok: false };
  const style = ctx.options.xlat;
  const name = xlookup(KD_KEY_TABLES, b[0]!);
  const table = name !== undefined ? printNamed(style, b[0]!, name) : printFlags(style, KD_KEYMAP_FLAGS, b[0]!, 'K_???');
  return { text: `{kb_table=${table}, kb_index=${b[1]!}`, ok: true };
}

function kbEntryTail(ctx: DecodeContext, arg: bigint): string {
  const b = ctx.mem.read(u64(arg + 2n), 2);
  return `, ${b === null ? 'kb_value=???' : kbValue(ctx.options.xlat, Number(u16(b, 0)))}}`;
}

/** struct kbsentry's kb_string: a C string of at most 512 bytes, cut at -s. */
function kbString(ctx: DecodeContext, arg: bigint): string {
  const r = ctx.mem.readCString(u64(arg + 1n), 512);
  if (r === null || (!r.terminated && r.bytes.length < 512)) return 'kb_string=???';
  const limit = ctx.options.stringLimit;
  const len = r.bytes.length;
  return `kb_string=${quoteBytes(r.bytes, Math.min(len, limit)).text}${len >= limit || !r.terminated ? '...' : ''}`;
}

function diacrs(ctx: DecodeContext, arg: bigint, uc: boolean, exit?: ExitContext): string {
  const b = umove(ctx, arg, 4, exit);
  if (typeof b === 'string') return b;
  const cnt = Number(u32(b, 0));
  const size = uc ? 12 : 3;
  let arr = printArray(ctx, arg + 4n, Math.min(cnt, MAX_DIACR), size, (e) => (uc
    ? `{diacr=${hex(u32(e, 0))}, base=${hex(u32(e, 4))}, result=${hex(u32(e, 8))}}`
    : `{diacr=${quoteChar(e[0]!)}, base=${quoteChar(e[1]!)}, result=${quoteChar(e[2]!)}}`));
  if (cnt > MAX_DIACR && !arr.endsWith('...]')) arr = `${arr.slice(0, -1)}, ...]`;
  return `{kb_cnt=${cnt}, ${uc ? 'kbdiacruc' : 'kbdiacr'}=${arr}}`;
}

function uniScreenMap(ctx: DecodeContext, arg: bigint): string {
  const style = ctx.options.xlat;
  return printArray(ctx, arg, E_TABSZ, 2, (e) => {
    const v = Number(u16(e, 0));
    const direct = (v & ~0x1ff) === 0xf000;
    const tag = `UNI_DIRECT_BASE+${hex(v & 0x1ff)}`;
    if (style === 'raw' || !direct) return hex(v);
    return style === 'verbose' ? `${hex(v)} /* ${tag} */` : tag;
  });
}

function fontDesc(ctx: DecodeContext, b: Uint8Array, dataAsPtr: boolean): string {
  const count = Number(u16(b, 0)), ptr = readInt(b, 8, 8, false);
  const data = dataAsPtr ? printPtr(ptr) : printStr(ctx, ptr, BigInt(Math.min(count, 512) * 32), { forceHex: true });
  return `{charcount=${count}, charheight=${u16(b, 2)}, chardata=${data}}`;
}

function fontOp(ctx: DecodeContext, b: Uint8Array, entering: boolean): string {
  const style = ctx.options.xlat;
  const op = Number(u32(b, 0)), width = Number(u32(b, 8)), count = Number(u32(b, 16)), data = readInt(b, 24, 8, false);
  const f: string[] = [];
  if (entering) {
    f.push(`op=${printEnum(style, KD_FONT_OPS, op, 'KD_FONT_OP_???')}`);
    if (op !== FONT_OP_SET_DEFAULT && op !== FONT_OP_COPY) f.push(`flags=${printFlags(style, KD_FONT_FLAGS, u32(b, 4), 'KD_FONT_FLAG_???')}`);
  }
  if (op !== FONT_OP_COPY) f.push(`width=${width}`);
  f.push(`height=${u32(b, 12)}`);
  if (op !== FONT_OP_SET_DEFAULT && op !== FONT_OP_COPY) f.push(`charcount=${count}`);
  if ((op === FONT_OP_GET && !entering) || op === FONT_OP_SET) {
    f.push(`data=${printStr(ctx, data, BigInt(Math.ceil(Math.min(width, 32) / 8) * 32 * Math.min(count, 512)), { forceHex: true })}`);
  } else if (op === FONT_OP_GET) {
    f.push(`data=${printPtr(data)}`);
  } else if (op === FONT_OP_SET_DEFAULT) {
    if (entering) f.push(`data=${fontName(ctx, data)}`);
  } else if (op !== FONT_OP_COPY) {
    f.push(`data=${printPtr(data)}`);
  }
  return `{${f.join(', ')}}`;
}

/** printstr_ex(data, 32, QUOTE_0_TERMINATED | QUOTE_EXPECT_TRAILING_0): a font name. */
function fontName(ctx: DecodeContext, addr: bigint): string {
  const LEN = 32;
  if (u64(addr) === 0n) return 'NULL';
  const limit = ctx.options.stringLimit;
  let size = Math.min(limit + 1, LEN);
  const r = ctx.mem.readCString(u64(addr), size);
  if (r === null || (!r.terminated && r.bytes.length < size)) return hex(addr);
  if (size > limit) size = limit;
  else if (size === LEN) size--;
  if (r.terminated && r.bytes.length <= size) return quoteBytes(r.bytes, r.bytes.length).text;
  return `${quoteBytes(r.bytes, Math.min(size, r.bytes.length)).text}...`;
}

function unimapEntries(ctx: DecodeContext, b: Uint8Array, cnt: number, failed = false): string {
  const entries = readInt(b, 8, 8, false);
  if (failed && cnt > 0) return `entries=${printPtr(entries)}`;
  return `entries=${printArray(ctx, entries, cnt, 4, (e) => `{unicode=${hex(u16(e, 0))}, fontpos=${hex(u16(e, 2))}}`)}`;
}

/** The argument printed whole at entry (requests that give the kernel something). */
function enterArg(ctx: DecodeContext, code: number, arg: bigint): IoctlEntry | undefined {
  const style = ctx.options.xlat;
  const done = (text: string): IoctlEntry => ({ text: `, ${text}` });
  switch (code) {
    case KIOCSOUND: return done(kiocSound(style, u64(arg)));
    case KDMKTONE: return done(mkTone(style, Number(arg & 0xffffffffn)));
    case KDSETLED: return done(printFlags(style, KD_LED_FLAGS, Number(arg & 0xffn), 'LED_???'));
    case KDSKBLED: return done(printFlags(style, KD_DEFAULT_LED_FLAGS, Number(arg & 0xffn), 'LED_???'));
    case KDADDIO: case KDDELIO: {
      const a = u64(arg);
      return done(`${hex(a)}${a >= 0x3b4n && a <= 0x3dfn ? comment(style, `GPFIRST + ${a - 0x3b4n}`) : ''}`);
    }
    case KDSETMODE: return done(printEnum(style, KD_MODES, Number(arg & 0xffffffffn), 'KD_???'));
    case PIO_SCRNMAP: return done(printStr(ctx, arg, BigInt(E_TABSZ), { forceHex: true }));
    case PIO_UNISCRNMAP: return done(uniScreenMap(ctx, arg));
    case KDSKBMODE: return done(printEnum(style, KD_KBD_MODES, BigInt.asIntN(32, arg), 'K_???', 'd'));
    case KDSKBDIACR: return done(diacrs(ctx, arg, false));
    case KDSKBDIACRUC: return done(diacrs(ctx, arg, true));
    case KDSIGACCEPT: return done(u64(arg) < 0x7fffffffn ? printSignalName(style, Number(arg)) : u64(arg).toString());
    case PIO_FONT: return done(printStr(ctx, arg, 8192n, { forceHex: true }));
    case KDSKBMETA: return done(printEnum(style, KD_META_VALS, Number(arg & 0xffffffffn), 'K_???'));
    case PIO_CMAP: return done(printStr(ctx, arg, 48n, { forceHex: true }));
    case PIO_UNIMAPCLR: {
      const b = umove(ctx, arg, 6);
      return done(typeof b === 'string' ? b : `{advised_hashsize=${u16(b, 0)}, advised_hashstep=${u16(b, 2)}, advised_hashlevel=${u16(b, 4)}}`);
    }
    case KDGKBENT: case KDSKBENT: {
      const h = kbEntryHead(ctx, arg);
      if (!h.ok) return done(h.text);
      return code === KDGKBENT ? { text: `, ${h.text}`, more: true } : done(`${h.text}${kbEntryTail(ctx, arg)}`);
    }
    case KDGKBSENT: case KDSKBSENT: {
      const b = umove(ctx, arg, 1);
      if (typeof b === 'string') return done(b);
      const head = `{kb_func=${printEnum(style, KD_KEY_FN_KEY_VALS, b[0]!, 'KVAL(K_???)')}`;
      return code === KDGKBSENT ? { text: `, ${head}`, more: true } : done(`${head}, ${kbString(ctx, arg)}}`);
    }
    case KDGETKEYCODE: case KDSETKEYCODE: {
      const b = umove(ctx, arg, 8);
      if (typeof b === 'string') return done(b);
      const head = `{scancode=${hex(u32(b, 0))}, keycode=${hex(u32(b, 4))}`;
      return code === KDGETKEYCODE ? { text: `, ${head}`, more: true } : done(`${head}}`);
    }
    case KDKBDREP: {
      const b = umove(ctx, arg, 8);
      if (typeof b === 'string') return done(b);
      return { text: `, {delay=${readInt(b, 0, 4, true)}, period=${readInt(b, 4, 4, true)}}`, more: true };
    }
    case GIO_UNIMAP: case PIO_UNIMAP: {
      const b = umove(ctx, arg, 16);
      if (typeof b === 'string') return done(b);
      const cnt = Number(u16(b, 0));
      if (code === GIO_UNIMAP) return { text: `, {entry_ct=${cnt}`, more: true, state: cnt };
      return done(`{entry_ct=${cnt}, ${unimapEntries(ctx, b, cnt)}}`);
    }
    case GIO_FONTX: case PIO_FONTX: {
      const b = umove(ctx, arg, 16);
      if (typeof b === 'string') return done(b);
      return { text: `, ${fontDesc(ctx, b, code === GIO_FONTX)}`, more: code === GIO_FONTX };
    }
    case KDFONTOP: {
      const b = umove(ctx, arg, 32);
      if (typeof b === 'string') return done(b);
      const op = Number(u32(b, 0));
      return { text: `, ${fontOp(ctx, b, true)}`, more: op !== FONT_OP_SET && op !== FONT_OP_COPY };
    }
  }
  return undefined;
}

function exitArg(ctx: ExitContext, code: number, arg: bigint, state: unknown): string {
  const style = ctx.options.xlat;
  const failed = isError(ctx.ret);
  const num = (size: number, show: (v: bigint) => string): string => {
    const b = umove(ctx, arg, size, ctx);
    return typeof b === 'string' ? b : `[${show(readInt(b, 0, size, false))}]`;
  };
  switch (code) {
    case KDGETLED: return `, ${num(1, (v) => printFlags(style, KD_LED_FLAGS, v, 'LED_???'))}`;
    case KDGKBLED: return `, ${num(1, (v) => printFlags(style, KD_DEFAULT_LED_FLAGS, v, 'LED_???'))}`;
    case KDGKBTYPE: return `, ${num(1, (v) => printEnum(style, KD_KBD_TYPES, v, 'KB_???'))}`;
    case KDGETMODE: return `, ${num(4, (v) => printEnum(style, KD_MODES, v, 'KD_???'))}`;
    case KDGKBMODE: return `, ${num(4, (v) => printEnum(style, KD_KBD_MODES, BigInt.asIntN(32, v), 'K_???', 'd'))}`;
    case KDGKBMETA: return `, ${num(4, (v) => printEnum(style, KD_META_VALS, v, 'K_???'))}`;
    case GIO_SCRNMAP: return `, ${failed ? printPtr(arg) : printStr(ctx, arg, BigInt(E_TABSZ), { forceHex: true })}`;
    case GIO_FONT: return `, ${failed ? printPtr(arg) : printStr(ctx, arg, 8192n, { forceHex: true })}`;
    case GIO_CMAP: return `, ${failed ? printPtr(arg) : printStr(ctx, arg, 48n, { forceHex: true })}`;
    case GIO_UNISCRNMAP: return `, ${failed ? printPtr(arg) : uniScreenMap(ctx, arg)}`;
    case KDGKBDIACR: return `, ${diacrs(ctx, arg, false, ctx)}`;
    case KDGKBDIACRUC: return `, ${diacrs(ctx, arg, true, ctx)}`;
    case KDGKBENT: return failed ? '}' : kbEntryTail(ctx, arg);
    case KDGKBSENT: return failed ? '}' : `, ${kbString(ctx, arg)}}`;
    case KDGETKEYCODE: {
      const b = failed ? null : ctx.mem.read(u64(arg + 4n), 4);
      return b === null ? '}' : ` => ${hex(u32(b, 0))}}`;
    }
    case KDKBDREP: {
      const b = failed ? null : ctx.mem.read(u64(arg), 8);
      return b === null ? '' : ` => {delay=${readInt(b, 0, 4, true)}, period=${readInt(b, 4, 4, true)}}`;
    }
    case GIO_UNIMAP: {
      const b = ctx.mem.read(u64(arg), 16);
      if (b === null) return '}';
      const head = ` => ${u16(b, 0)}`;
      if (failed && errnoOf(ctx.ret) !== ENOMEM) return `${head}, entries=${printPtr(readInt(b, 8, 8, false))}}`;
      return `${head}, ${unimapEntries(ctx, b, state as number, failed)}}`;
    }
    case GIO_FONTX: {
      const b = failed ? null : ctx.mem.read(u64(arg), 16);
      return b === null ? '' : ` => ${fontDesc(ctx, b, false)}`;
    }
    case KDFONTOP: {
      const b = failed ? null : ctx.mem.read(u64(arg), 32);
      return b === null ? '' : ` => ${fontOp(ctx, b, false)}`;
    }
  }
  return '';
}

export const KD_IOCTLS: IoctlFamily = {
  types: [0x4b],
  enter(ctx, code, arg) {
    if (NO_ARGS.has(code)) return NO_ARG;
    if (GETS.has(code)) return AT_EXIT;
    return enterArg(ctx, code, u64(arg));
  },
  exit: (ctx, code, arg, state) => exitArg(ctx, code, u64(arg), state),
};
