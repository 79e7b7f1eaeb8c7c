// Trusted Execution Environment ioctls (0xa4: TEE_IOC_VERSION, TEE_IOC_OPEN_SESSION,
// TEE_IOC_INVOKE, TEE_IOC_SHM_*, ...), printed as strace's tee.c prints them. The requests
// that pass a tee_ioctl_buf_data show the argument struct it points to and its params.
import type { DecodeContext, ExitContext } from '../types.js';
import * as X from '../../xlat/ioctl-tee.js';
import { hex, isError, printEnum, printFd, printFlags } from '../printers.js';
import type { IoctlEntry, IoctlFamily } from './family.js';
import { fetchArg, sField, uField } from './table.js';
import { ioc } from './umove.js';

const T = 0xa4;
const VERSION = ioc(2, T, 0, 12), SHM_ALLOC = ioc(3, T, 1, 16), OPEN_SESSION = ioc(2, T, 2, 16), INVOKE = ioc(2, T, 3, 16);
const CANCEL = ioc(2, T, 4, 8), CLOSE_SESSION = ioc(2, T, 5, 4), SUPPL_RECV = ioc(2, T, 6, 16), SUPPL_SEND = ioc(2, T, 7, 16);
/** Not in the kernel's UAPI: registering a dma-buf fd. */
const SHM_REGISTER_FD = ioc(3, T, 8, 32);
const SHM_REGISTER = ioc(3, T, 9, 24);
const MAX_ARG_SIZE = 1024n;
const PARAM_SIZE = 32;
const ATTR_META = 0x100n;

const u = (b: Uint8Array, off: number, size = 4): bigint => uField(b, off, size);
const addr64 = (v: bigint): string => (v === 0n ? 'NULL' : hex(v));
const shmFlags = (ctx: DecodeContext, v: bigint): string => printFlags(ctx.options.xlat, X.TEE_IOCTL_SHM_FLAGS, v, 'TEE_IOCTL_SHM_???');
const origin = (ctx: DecodeContext, v: bigint): string => printEnum(ctx.options.xlat, X.TEE_IOCTL_ORIGINS, v, 'TEEC_ORIGIN_???');

/** The argument struct each buffer-passing request points to: its size and where num_params is. */
const BUF_ARGS = new Map<number, { size: number; numParams: number }>([
  [OPEN_SESSION, { size: 56, numParams: 52 }], [INVOKE, { size: 24, numParams: 20 }],
  [SUPPL_RECV, { size: 8, numParams: 4 }], [SUPPL_SEND, { size: 8, numParams: 4 }],
]);

function printBuf(b: Uint8Array): string {
  return `{buf_len=${u(b, 8, 8)}, buf_ptr=${addr64(u(b, 0, 8))}}`;
}

/**
 * strace's tee_fetch_buf_data: the argument struct behind the buf_data and the address of its
 * params, or the text printed instead (the address, or the buf_data itself).
 */
function fetchBufData(ctx: DecodeContext, code: number, arg: bigint, exit?: ExitContext): { buf: Uint8Array; a: Uint8Array; params: bigint } | string {
  const spec = BUF_ARGS.get(code)!;
  const buf = fetchArg(ctx, arg, 16, exit);
  if (typeof buf === 'string') return buf;
  const len = u(buf, 8, 8), ptr = u(buf, 0, 8);
  if (len > MAX_ARG_SIZE || len < BigInt(spec.size)) return printBuf(buf);
  const a = ctx.mem.read(ptr, spec.size);
  if (a === null) return printBuf(buf);
  const n = u(a, spec.numParams);
  if (exit === undefined && BigInt(spec.size) + BigInt(PARAM_SIZE) * n !== len) return printBuf(buf);
  return { buf, a, params: n !== 0n ? ptr + BigInt(spec.size) : 0n };
}

function param(ctx: DecodeContext, p: Uint8Array): string {
  const attr = u(p, 0, 8);
  let text = `attr=${printEnum(ctx.options.xlat, X.TEE_IOCTL_PARAM_ATTR_TYPES, attr & ~ATTR_META, 'TEE_IOCTL_PARAM_ATTR_')}`;
  if ((attr & ATTR_META) !== 0n) text += '|TEE_IOCTL_PARAM_ATTR_META';
  const a = u(p, 8, 8), b = u(p, 16, 8), c = u(p, 24, 8);
  if (attr === 0n) return `{${text}}`;
  if (attr === 5n || attr === 6n || attr === 7n) return `{${text}, shm_offs=${hex(a)}, size=${hex(b)}, shm_id=${c}}`;
  return `{${text}, a=${hex(a)}, b=${hex(b)}, c=${hex(c)}}`;
}

/** strace's print_array of the params (tfetch_mem: nothing is read at the exit of a failed call). */
function params(ctx: DecodeContext, addr: bigint, count: number, exit?: ExitContext): string {
  if (addr === 0n) return ', params=NULL';
  if (count === 0) return ', params=[]';
  const limit = ctx.options.verbose ? Infinity : ctx.options.stringLimit;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = addr + BigInt(i * PARAM_SIZE);
    const p = exit !== undefined && isError(exit.ret) ? null : ctx.mem.read(at, PARAM_SIZE);
    if (p === null) {
      if (i === 0) return `, params=${hex(at)}`;
      parts.push(`... /* ${hex(at)} */`);
      break;
    }
    if (i >= limit) { parts.push('...'); break; }
    parts.push(param(ctx, p));
  }
  return `, params=[${parts.join(', ')}]`;
}

function uuid(b: Uint8Array): string {
  const h = Array.from(b.subarray(0, 16), (x) => x.toString(16).padStart(2, '0'));
  return `${h.slice(0, 4).join('')}-${h.slice(4, 6).join('')}-${h.slice(6, 8).join('')}-${h.slice(8, 10).join('')}-${h.slice(10).join('')}`;
}

function enterBufData(ctx: DecodeContext, code: number, arg: bigint): IoctlEntry {
  const r = fetchBufData(ctx, code, arg);
  if (typeof r === 'string') return { text: `, ${r}` };
  const { buf, a } = r;
  let inner: string;
  switch (code) {
    case OPEN_SESSION: {
      const login = u(a, 32);
      let clnt = '';
      if (login === 2n || login === 6n) {
        const gid = u(a, 16);
        clnt = `, clnt_uuid=${gid === 0xffffffffn ? '-1' : gid}`;
      } else if (!(login <= 1n || login === 4n || login === 5n)) {
        clnt = `, clnt_uuid=[${Array.from(a.subarray(16, 32), (x) => hex(x)).join(', ')}]`;
      }
      inner = `uuid=${uuid(a)}, clnt_login=${printEnum(ctx.options.xlat, X.TEE_IOCTL_LOGIN_TYPES, login, 'TEE_IOCTL_LOGIN_???')}${clnt}, ` +
        `cancel_id=${u(a, 36)}, num_params=${u(a, 52)}`;
      break;
    }
    case INVOKE: inner = `func=${u(a, 0)}, session=${hex(u(a, 4))}, cancel_id=${u(a, 8)}, num_params=${u(a, 20)}`; break;
    case SUPPL_RECV: inner = `func=${u(a, 0)}, num_params=${u(a, 4)}`; break;
    default: inner = `num_params=${u(a, 4)}`; break;
  }
  const n = Number(u(a, BUF_ARGS.get(code)!.numParams));
  return { text: `, {buf_len=${u(buf, 8, 8)}, buf_ptr={${inner}${params(ctx, r.params, n)}}`, more: true };
}

function exitBufData(ctx: ExitContext, code: number, arg: bigint): string {
  if (isError(ctx.ret)) return '}';
  const r = fetchBufData(ctx, code, arg, ctx);
  if (typeof r === 'string') return ` => ${r}`;
  const a = r.a;
  const n = Number(u(a, BUF_ARGS.get(code)!.numParams));
  let inner: string;
  switch (code) {
    case OPEN_SESSION: inner = `session=${hex(u(a, 40))}, ret=${u(a, 44)}, ret_origin=${origin(ctx, u(a, 48))}`; break;
    case INVOKE: inner = `ret=${u(a, 12)}, ret_origin=${origin(ctx, u(a, 16))}`; break;
    case SUPPL_RECV: inner = `num_params=${u(a, 4)}`; break;
    default: inner = `ret=${u(a, 0)}`; break;
  }
  return ` => {${inner}${params(ctx, r.params, n, ctx)}}}`;
}

function enter(ctx: DecodeContext, code: number, arg: bigint): IoctlEntry | undefined {
  if (BUF_ARGS.has(code)) return enterBufData(ctx, code, arg);
  const show = (size: number, f: (b: Uint8Array) => string, more = false): IoctlEntry => {
    const b = fetchArg(ctx, arg, size);
    return typeof b === 'string' ? { text: `, ${b}` } : { text: `, ${f(b)}`, more };
  };
  switch (code) {
    case VERSION: return { text: ', ', more: true };
    case CANCEL: return show(8, (b) => `{cancel_id=${u(b, 0)}, session=${hex(u(b, 4))}}`);
    case CLOSE_SESSION: return show(4, (b) => `{session=${hex(u(b, 0))}}`);
    case SHM_ALLOC: return show(16, (b) => `{size=${hex(u(b, 0, 8))}, flags=${shmFlags(ctx, u(b, 8))}}`, true);
    case SHM_REGISTER_FD:
      return show(32, (b) => `{fd=${printFd(ctx, Number(sField(b, 0, 8)))}, flags=${shmFlags(ctx, u(b, 16))}}`, true);
    case SHM_REGISTER:
      return show(24, (b) => `{addr=${addr64(u(b, 0, 8))}, length=${hex(u(b, 8, 8))}, flags=${shmFlags(ctx, u(b, 16))}}`, true);
  }
  return undefined;
}

function exit(ctx: ExitContext, code: number, arg: bigint): string {
  if (BUF_ARGS.has(code)) return exitBufData(ctx, code, arg);
  if (code === VERSION) {
    const b = fetchArg(ctx, arg, 12, ctx);
    if (typeof b === 'string') return b;
    const st = ctx.options.xlat, id = u(b, 0), caps = u(b, 4);
    return `{impl_id=${printEnum(st, X.TEE_IOCTL_IMPL_IDS, id, 'TEE_IMPL_ID_???')}, gen_caps=${printFlags(st, X.TEE_IOCTL_GEN_CAPS, u(b, 8), 'TEE_GEN_CAP_???')}, ` +
      `impl_caps=${id === 1n ? printFlags(st, X.TEE_IOCTL_OPTEE_CAPS, caps, 'TEE_OPTEE_CAP_???') : hex(caps)}}`;
  }
  if (isError(ctx.ret)) return '';
  const b = fetchArg(ctx, arg, code === SHM_ALLOC ? 16 : code === SHM_REGISTER ? 24 : 32, ctx);
  if (typeof b === 'string') return ` => ${b}`;
  switch (code) {
    case SHM_ALLOC: return ` => {size=${hex(u(b, 0, 8))}, flags=${shmFlags(ctx, u(b, 8))}, id=${sField(b, 12, 4)}}`;
    case SHM_REGISTER_FD: return ` => {size=${hex(u(b, 8, 8))}, id=${sField(b, 24, 4)}}`;
    default: return ` => {length=${hex(u(b, 8, 8))}, flags=${shmFlags(ctx, u(b, 16))}, id=${sField(b, 20, 4)}}`;
  }
}

export const TEE_IOCTLS: IoctlFamily = { types: [T], enter, exit };
