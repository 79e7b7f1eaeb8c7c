// The socket interface ioctls as strace 6.1's sock.c prints them: struct ifreq per request,
// struct ifconf for SIOCGIFCONF.
import type { DecodeContext, ExitContext } from '../types.js';
import type { IoctlFamily } from './family.js';
import { printSockaddr } from '../net.js';
import { printHwaddr } from '../nlattr.js';
import { ARPHRD_TYPES, IFF_FLAGS } from '../../xlat/netlink.js';
import { IFCONF_SIZE, IFREQ_SIZE, SIOCGIFNAME, interfaceIoctl } from '../../../abi/interface-ioctls.js';
import { hex, isError, printArray, printEnum, printFlags, printPtr, quoteFixedCString, readInt, struct, u64 } from '../printers.js';

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
    case 0x8929: case 0x8930: return `ifr_slave=${quoteFixedCString(b.subarray(16, 32))}`;
    case 0x8923: return `ifr_newname=${quoteFixedCString(b.subarray(16, 32))}`;
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
    return { text: `, {ifr_name=${quoteFixedCString(b.subarray(0, 16))}, ${ifreqField(ctx, code, arg, b)}}`, state: null };
  }
  const first = code === SIOCGIFNAME ? `ifr_ifindex=${i32At(b, 16)}` : `ifr_name=${quoteFixedCString(b.subarray(0, 16))}`;
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

/** The socket layer's interface requests (type 0x89). */
export const SOCKET_IOCTLS: IoctlFamily = {
  types: [0x89],
  enter(ctx, code, arg) {
    if (interfaceIoctl(code) === undefined) return undefined;
    const r = sockIoctlEnter(ctx, code, arg);
    return { text: r.text, state: r.state, more: true };
  },
  exit: (ctx, code, arg, state) => sockIoctlExit(ctx, code, arg, state),
};
