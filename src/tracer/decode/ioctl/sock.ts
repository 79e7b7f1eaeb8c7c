// The socket interface ioctls as strace 6.1's sock.c prints them: struct ifreq per request,
// struct ifconf for SIOCGIFCONF.
import type { DecodeContext, ExitContext } from '../types.js';
import type { IoctlFamily } from './family.js';
import { fixedCString, printIndirect, printPointed, requestTable, sField, type IoctlRequest } from './table.js';
import { printSockaddr } from '../net.js';
import { printHwaddr, printIfindex } from '../nlattr.js';
import { ARPHRD_TYPES, IFF_FLAGS } from '../../xlat/netlink.js';
import { IFCONF_SIZE, IFREQ_SIZE, SIOCGIFNAME, interfaceIoctl } from '../../../abi/interface-ioctls.js';
import { hex, isError, printArray, printCString, printEnum, printFlags, printPtr, quoteFixedCString, readInt, struct, u64 } from '../printers.js';

const i32At = (b: Uint8Array, off: number): string => readInt(b, off, 4, true).toString();

/** print_ifreq: the union member of request code (the ifreq at addr, read as b). */
function ifreqField(ctx: DecodeContext, code: number, addr: bigint, b: Uint8Array): string {
  const style = ctx.options.xlat;
  const sa = (name: string): string => `${name}=${printSockaddr(ctx, u64(addr + 16n), 16)}`;
  switch (code) {
    case 0x8915: case 0x8916: return sa('ifr_addr');
    case 0x8917: case 0x8918: return sa('ifr_dstaddr');
    case 0x8919: case 0x891a: return sa('ifr_broadaddr');
    case 0x891b: case 0x891c: return sa('ifr_netmask');
    case 0x8931: case 0x8932: case 0x8927: case 0x8924: case 0x8937: {
      const type = Number(readInt(b, 16, 2, false));
      return `ifr_hwaddr=${struct([`sa_family=${printEnum(style, ARPHRD_TYPES, type, 'ARPHRD_???')}`, `sa_data=${printHwaddr(style, b.subarray(18, 32), type)}`])}`;
    }
    case 0x8913: case 0x8914: return `ifr_flags=${printFlags(style, IFF_FLAGS, readInt(b, 16, 2, false), 'IFF_???')}`;
    case 0x8933: return `ifr_ifindex=${i32At(b, 16)}`;
    case 0x891d: case 0x891e: return `ifr_metric=${i32At(b, 16)}`;
    case 0x8921: case 0x8922: return `ifr_mtu=${i32At(b, 16)}`;
    case 0x8929: case 0x8930: return `ifr_slave=${fixedCString(b.subarray(16, 32))}`;
    case 0x8923: return `ifr_newname=${fixedCString(b.subarray(16, 32))}`;
    case SIOCGIFNAME: return `ifr_name=${quoteFixedCString(b.subarray(0, 16))}`;
    case 0x8942: case 0x8943: return `ifr_qlen=${i32At(b, 16)}`;
    case 0x8970: case 0x8971: {
      const x = (off: number, size: number): string => hex(readInt(b, off, size, false));
      return `ifr_map=${struct([`mem_start=${x(16, 8)}`, `mem_end=${x(24, 8)}`, `base_addr=${x(32, 2)}`, `irq=${x(34, 1)}`,
        `dma=${x(35, 1)}`, `port=${x(36, 1)}`])}`;
    }
  }
  return '';
}

interface IfconfState { readonly len: number; readonly buf: bigint }

function ifcLen(len: number): string {
  const n = Math.floor((len >>> 0) / IFREQ_SIZE);
  return len > 0 && n * IFREQ_SIZE === len ? `${len} /* ${n} * sizeof(struct ifreq) */` : String(len);
}

function readIfconf(ctx: DecodeContext, addr: bigint): IfconfState | null {
  const b = ctx.mem.read(addr, IFCONF_SIZE);
  if (b === null) return null;
  return { len: Number(readInt(b, 0, 4, true)), buf: u64(readInt(b, 8, 8, false)) };
}

/** The ioctl's argument at entry: the text after the request, and state for the exit. */
function sockIoctlEnter(ctx: DecodeContext, code: number, arg: bigint): { text: string; state: unknown } {
  const kind = interfaceIoctl(code);
  if (kind === 'ifconf') {
    const ifc = readIfconf(ctx, arg);
    if (ifc === null) return { text: `, ${printPtr(arg)}`, state: null };
    return { text: `, {ifc_len=${ifc.buf !== 0n ? ifcLen(ifc.len) : ''}`, state: ifc };
  }
  const b = ctx.mem.read(arg, IFREQ_SIZE);
  if (b === null) return { text: `, ${printPtr(arg)}`, state: null };
  if (kind === 'change') {
    return { text: `, {ifr_name=${fixedCString(b.subarray(0, 16))}, ${ifreqField(ctx, code, arg, b)}}`, state: null };
  }
  const first = code === SIOCGIFNAME ? `ifr_ifindex=${i32At(b, 16)}` : `ifr_name=${fixedCString(b.subarray(0, 16))}`;
  return { text: `, {${first}`, state: true };
}

/** The rest of the argument at exit (nothing when the entry printed it all). */
function sockIoctlExit(ctx: ExitContext, code: number, arg: bigint, state: unknown): string {
  if (state === null || state === undefined) return '';
  if (state === true) {
    const b = isError(ctx.ret) ? null : ctx.mem.read(arg, IFREQ_SIZE);
    return b === null ? '}' : `, ${ifreqField(ctx, code, arg, b)}}`;
  }
  const entry = state as IfconfState;
  const ifc = readIfconf(ctx, arg);
  if (ifc === null) return `${entry.buf === 0n ? ifcLen(entry.len) : ''}, ifc_buf=${printPtr(entry.buf)}}`;
  let text = '';
  const changed = entry.len !== ifc.len;
  if (entry.buf !== 0n && changed) text += ' => ';
  if (entry.buf === 0n || changed) text += ifcLen(ifc.len);
  if (entry.buf === 0n || isError(ctx.ret)) {
    text += `, ifc_buf=${printPtr(entry.buf)}`;
    if (entry.buf !== ifc.buf) text += ` => ${printPtr(ifc.buf)}`;
  } else {
    const count = Math.floor((ifc.len >>> 0) / IFREQ_SIZE);
    text += `, ifc_buf=${printArray(ctx, ifc.buf, count, IFREQ_SIZE, (b, i) =>
      struct([`ifr_name=${quoteFixedCString(b.subarray(0, 16))}`, `ifr_addr=${printSockaddr(ctx, u64(ifc.buf + BigInt(i * IFREQ_SIZE) + 16n), 16)}`]))}`;
  }
  return `${text}}`;
}

/** printnum_int (at exit: the address alone when the call failed). */
const printInt = (ctx: DecodeContext, arg: bigint, exit?: ExitContext): string =>
  printIndirect(ctx, arg, 4, (b) => sField(b, 0, 4).toString(), exit);

/** A bridge name (printstr_ex of at most IFNAMSIZ bytes): the address when it runs into unreadable memory. */
function printBridgeName(ctx: DecodeContext, arg: bigint): string {
  const r = u64(arg) === 0n ? null : ctx.mem.readCString(arg, IFREQ_NAME_SIZE);
  if (r !== null && !r.terminated && r.bytes.length < IFREQ_NAME_SIZE) return hex(arg);
  return printCString(ctx, arg, IFREQ_NAME_SIZE);
}

/** The requests whose argument is an address strace does not follow. */
const ADDRESS_ONLY = [0x8980, 0x890b, 0x8995, 0x8990, 0x8994, 0x8991, 0x8992, 0x8993, 0x8953, 0x8981, 0x890c, 0x8936,
  0x8960, 0x8946, 0x8954, 0x89b1, 0x8940, 0x8938, 0x891f, 0x8935, 0x8982, 0x8947, 0x8948, 0x8961, 0x894c, 0x8906,
  0x80108906, 0x8907, 0x80108907, 0x890d, 0x8955, 0x89b0, 0x8941, 0x8911, 0x8920, 0x8934, 0x8983, 0x8949, 0x8962, 0x894a];

/** The socket requests other than the interface ones: owners, marks, bridges, and addresses. */
const OTHER_REQUESTS = requestTable([0x89], new Map<number, IoctlRequest>([
  [0x8901 /* FIOSETOWN */, { dir: 'in', print: printInt }],
  [0x8902 /* SIOCSPGRP */, { dir: 'in', print: printInt }],
  [0x8926 /* SIOCSIFENCAP */, { dir: 'in', print: printInt }],
  [0x8903 /* FIOGETOWN */, { dir: 'out', print: printInt }],
  [0x8904 /* SIOCGPGRP */, { dir: 'out', print: printInt }],
  [0x8905 /* SIOCATMARK */, { dir: 'out', print: printInt }],
  [0x8925 /* SIOCGIFENCAP */, { dir: 'out', print: printInt }],
  [0x894b /* SIOCOUTQNSD */, { dir: 'out', print: printInt }],
  [0x89a0 /* SIOCBRADDBR */, { dir: 'in', print: printBridgeName }],
  [0x89a1 /* SIOCBRDELBR */, { dir: 'in', print: printBridgeName }],
  [0x89a2 /* SIOCBRADDIF */, { dir: 'in', print: printBridgeIf }],
  [0x89a3 /* SIOCBRDELIF */, { dir: 'in', print: printBridgeIf }],
  ...ADDRESS_ONLY.map((code) => [code, { dir: 'value', print: (_ctx: DecodeContext, arg: bigint) => printPtr(arg) }] as const),
]));

const IFREQ_NAME_SIZE = 16;

function printBridgeIf(ctx: DecodeContext, arg: bigint): string {
  return printPointed(ctx, arg, IFREQ_SIZE, (b) => struct([`ifr_ifindex=${printIfindex(ctx, Number(sField(b, 16, 4)))}`]));
}

/** The socket layer's requests (type 0x89). */
export const SOCKET_IOCTLS: IoctlFamily = {
  types: [0x89],
  enter(ctx, code, arg) {
    if (interfaceIoctl(code) === undefined) {
      const r = OTHER_REQUESTS.enter(ctx, code, arg);
      return r === undefined ? undefined : { ...r, state: r.more === true ? 'other' : undefined };
    }
    const r = sockIoctlEnter(ctx, code, arg);
    return { text: r.text, state: r.state, more: true };
  },
  exit: (ctx, code, arg, state) =>
    state === 'other' ? OTHER_REQUESTS.exit?.(ctx, code, arg, undefined) ?? '' : sockIoctlExit(ctx, code, arg, state),
};
