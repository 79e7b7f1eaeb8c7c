// A msghdr's control messages (strace's msghdr.c decode_msg_control): each cmsghdr with its
// level and type, and the data of the types strace decodes (descriptors, credentials, the
// socket timestamps, SOL_IP's packet info, TTL, TOS, options, extended errors, original
// destination) when the message is long enough for them.
import { readFileSync } from 'node:fs';
import type { DecodeContext } from './types.js';
import { IP_CMSG_TYPES, SCM_TYPES, SOCKET_LEVELS } from '../xlat/net.js';
import { printSockaddr } from './net.js';
import { printIfindex } from './nlattr.js';
import { hex, printEnum, printFd, printPid, printPtr, quoteBytes, readInt, struct, u64 } from './printers.js';

const CMSGHDR_SIZE = 16;
const SOL_SOCKET = 1;
const SOL_IP = 0;

let optmemMax: number | undefined;
/**
 * The most control data strace reads (net.core.optmem_max rounded up to 8, as it reads it from
 * the host's /proc; 8 * (2 * IOV_MAX + 512) without it).
 */
function controlLimit(): number {
  if (optmemMax === undefined) {
    let v = Number.NaN;
    try {
      v = Number.parseInt(readFileSync('/proc/sys/net/core/optmem_max', 'utf8'), 10);
    } catch {
      // no procfs: strace's default
    }
    optmemMax = Number.isInteger(v) && v > 0 ? (v + 7) & ~7 : 8 * (2 * 1024 + 512);
  }
  return optmemMax;
}

/** A local array of `size`-byte elements, at most -s of them unless -v (print_local_array_ex). */
function localArray(ctx: DecodeContext, data: Uint8Array, size: number, show: (b: Uint8Array) => string): string {
  const n = Math.floor(data.length / size);
  const limit = ctx.options.verbose ? n : Math.min(n, ctx.options.stringLimit);
  const parts: string[] = [];
  for (let i = 0; i < limit; i++) parts.push(show(data.subarray(i * size, (i + 1) * size)));
  if (limit < n) parts.push('...');
  return `[${parts.join(', ')}]`;
}

const uintOf = (b: Uint8Array): string => String(readInt(b, 0, 4, false));
const xint8Of = (b: Uint8Array): string => (b[0] === 0 ? '0' : hex(b[0]!));
/** A uid or gid (print_id: -1 stays -1). */
const idOf = (v: bigint): string => (v === 0xffffffffn ? '-1' : String(v));

function timeval(b: Uint8Array): string {
  return `{tv_sec=${readInt(b, 0, 8, true)}, tv_usec=${readInt(b, 8, 8, false)}}`;
}
function timespec(b: Uint8Array): string {
  return `{tv_sec=${readInt(b, 0, 8, true)}, tv_nsec=${readInt(b, 8, 8, false)}}`;
}
/** `n` timespecs, `???` when the data is shorter. */
function timespecs(b: Uint8Array, n: number): string {
  if (b.length < n * 16) return '???';
  return `[${Array.from({ length: n }, (_, i) => timespec(b.subarray(i * 16, i * 16 + 16))).join(', ')}]`;
}

function inetAddr(ctx: DecodeContext, name: string, b: Uint8Array): string {
  const sym = `inet_addr("${b[0]}.${b[1]}.${b[2]}.${b[3]}")`;
  const raw = quoteBytes(b, 4, { forceHex: true }).text;
  const style = ctx.options.xlat;
  return `${name}=${style === 'abbrev' ? sym : style === 'raw' ? raw : `${raw} /* ${sym} */`}`;
}

/** A printer of a control message's data and the least data it needs. */
interface CmsgData {
  readonly min: number;
  print(ctx: DecodeContext, data: Uint8Array, at: bigint): string;
}

const security: CmsgData = { min: 1, print: (_ctx, d) => quoteBytes(d, d.length).text };

const SOCKET_DATA: ReadonlyMap<number, CmsgData> = new Map<number, CmsgData>([
  [1, { min: 4, print: (ctx, d) => localArray(ctx, d, 4, (b) => printFd(ctx, Number(readInt(b, 0, 4, true)))) }],
  [2, {
    min: 12,
    print: (ctx, d) => struct([`pid=${printPid(ctx, Number(readInt(d, 0, 4, true)))}`, `uid=${idOf(readInt(d, 4, 4, false))}`, `gid=${idOf(readInt(d, 8, 4, false))}`]),
  }],
  [3, security],
  [29, { min: 1, print: (_ctx, d) => (d.length < 16 ? '???' : timeval(d)) }],
  [35, { min: 1, print: (_ctx, d) => (d.length < 16 ? '???' : timespec(d)) }],
  [37, { min: 1, print: (_ctx, d) => timespecs(d, 3) }],
  [63, { min: 1, print: (_ctx, d) => (d.length < 16 ? '???' : timeval(d)) }],
  [64, { min: 1, print: (_ctx, d) => (d.length < 16 ? '???' : timespec(d)) }],
  [65, { min: 1, print: (_ctx, d) => timespecs(d, 3) }],
]);

const uintArray: CmsgData = { min: 4, print: (ctx, d) => localArray(ctx, d, 4, uintOf) };
const byteArray: CmsgData = { min: 1, print: (ctx, d) => localArray(ctx, d, 1, xint8Of) };

const IP_DATA: ReadonlyMap<number, CmsgData> = new Map<number, CmsgData>([
  [8, { // IP_PKTINFO
    min: 12,
    print: (ctx, d) => struct([
      `ipi_ifindex=${printIfindex(ctx, Number(readInt(d, 0, 4, true)))}`,
      inetAddr(ctx, 'ipi_spec_dst', d.subarray(4, 8)), inetAddr(ctx, 'ipi_addr', d.subarray(8, 12)),
    ]),
  }],
  [2, uintArray], // IP_TTL
  [1, byteArray], // IP_TOS
  [6, byteArray], // IP_RECVOPTS
  [7, byteArray], // IP_RETOPTS
  [11, { // IP_RECVERR: struct sock_extended_err, then the offender's sockaddr_in
    min: 32,
    print: (ctx, d, at) => struct([
      `ee_errno=${readInt(d, 0, 4, false)}`, `ee_origin=${d[4]}`, `ee_type=${d[5]}`, `ee_code=${d[6]}`,
      `ee_info=${readInt(d, 8, 4, false)}`, `ee_data=${readInt(d, 12, 4, false)}`, `offender=${printSockaddr(ctx, at + 16n, 16)}`,
    ]),
  }],
  [20, { min: 16, print: (ctx, d, at) => printSockaddr(ctx, at, Math.min(d.length, 128)) }], // IP_ORIGDSTADDR
  [23, uintArray], // IP_CHECKSUM
  [3, security],
]);

/** The control data of a msghdr: `[{cmsg_len=…, cmsg_level=…, cmsg_type=…, cmsg_data=…}, …]`. */
export function printCmsgs(ctx: DecodeContext, addr: bigint, controllen: bigint): string {
  const limit = controlLimit();
  const controlLen = u64(controllen) > BigInt(limit) ? limit : Number(u64(controllen));
  const buf = controlLen < CMSGHDR_SIZE ? null : ctx.mem.read(addr, controlLen);
  if (buf === null) return printPtr(addr);
  const style = ctx.options.xlat;
  const parts: string[] = [];
  let off = 0;
  let left = controlLen;
  while (left >= CMSGHDR_SIZE) {
    const cmsgLen = readInt(buf, off, 8, false);
    const level = Number(readInt(buf, off + 8, 4, true));
    const type = Number(readInt(buf, off + 12, 4, true));
    const len = cmsgLen > BigInt(left) ? left : Number(cmsgLen);
    const dataLen = len > CMSGHDR_SIZE ? len - CMSGHDR_SIZE : 0;
    const data = buf.subarray(off + CMSGHDR_SIZE, off + CMSGHDR_SIZE + dataLen);
    const f = [`cmsg_len=${cmsgLen}`, `cmsg_level=${printEnum(style, SOCKET_LEVELS, BigInt(level >>> 0), 'SOL_???')}`];
    const table = level === SOL_SOCKET ? SOCKET_DATA : level === SOL_IP ? IP_DATA : undefined;
    if (table === undefined) f.push(`cmsg_type=${hex(type >>> 0)}`);
    else {
      const names = level === SOL_SOCKET ? SCM_TYPES : IP_CMSG_TYPES;
      f.push(`cmsg_type=${printEnum(style, names, BigInt(type >>> 0), level === SOL_SOCKET ? 'SCM_???' : 'IP_???')}`);
      const printer = table.get(type);
      if (printer !== undefined && dataLen >= printer.min) f.push(`cmsg_data=${printer.print(ctx, data, addr + BigInt(off + CMSGHDR_SIZE))}`);
    }
    parts.push(struct(f));
    if (len < CMSGHDR_SIZE) {
      left -= CMSGHDR_SIZE;
      break;
    }
    const step = BigInt.asUintN(64, (cmsgLen + 7n) & ~7n);
    if (step >= BigInt(left)) {
      left = 0;
      break;
    }
    off += Number(step);
    left -= Number(step);
  }
  if (left > 0) parts.push(`... /* ${hex(u64(addr + BigInt(controlLen - left)))} */`);
  else if (controlLen < u64(controllen)) parts.push('...');
  return `[${parts.join(', ')}]`;
}
