// getsockopt and setsockopt (strace's net.c print_getsockopt / print_setsockopt): the option's
// name from its level's table, its value by what the option holds (an int, struct linger, struct
// ucred, a multicast request, ...), else an int when it is 4 bytes long or the bytes.
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import {
  GET_SOL_SOCKET_OPTIONS, ICMP_TYPES, IP_OPTIONS, IPV6_OPTIONS, PACKET_MREQ_TYPES, PACKET_OPTIONS, RAW_OPTIONS,
  SET_IPV6_OPTIONS, SET_SOL_SOCKET_OPTIONS, SOCKET_LEVELS, SOL_SOCKET_OPTIONS, TCP_OPTIONS, TXREHASH_VALUES,
} from '../xlat/net.js';
import { SOL_NETLINK_OPTIONS } from '../xlat/netlink.js';
import { xlat, type Xlat } from '../xlat/xlat.js';
import { errnoName } from '../../abi/errno.js';
import { formatIpv6, printSockaddr } from './net.js';
import { printHwaddr, printIfindex } from './nlattr.js';
import { printSockFilterArray, printSockFprog } from './bpf-filter.js';
import {
  formatReturn, hex, int, isError, printBuffer, printEnum, printFd, printNamed, printPid, printPtr, quoteBytes, readInt, struct, u64, uint,
} from './printers.js';

const SOL_IP = 0;
const SOL_SOCKET = 1;
const SOL_IPV6 = 41;
const SOL_RAW = 255;
const SOL_PACKET = 263;
const SOL_NETLINK = 270;

/** Prints an option's value: `len` is the length the caller passed (set) or the kernel returned (get). */
type ValuePrinter = (ctx: DecodeContext, addr: bigint, len: number) => string;

interface Level {
  readonly get: Xlat;
  readonly set: Xlat;
  readonly unknown: string;
  readonly getValues?: ReadonlyMap<number, ValuePrinter>;
  readonly setValues?: ReadonlyMap<number, ValuePrinter>;
}

const both = (a: Xlat, b: Xlat): Xlat => xlat([...a.rows, ...b.rows].map(([v, n]) => [n, v] as const));

// ---- value printers ---------------------------------------------------------------------------

/** `len` bytes in hex (print_quoted_string with QUOTE_FORCE_HEX). */
const hexBytes = (b: Uint8Array): string => quoteBytes(b, b.length, { forceHex: true }).text;

/** printnum_int: `[42]`, the address when it cannot be read. */
function intAt(ctx: DecodeContext, addr: bigint, show: (v: number) => string = String): string {
  const b = ctx.mem.read(addr, 4);
  return b === null ? hex(addr) : `[${show(Number(readInt(b, 0, 4, true)))}]`;
}

/** An int option read back: `[1]`, or fewer bytes than an int in hex. */
const getInt: ValuePrinter = (ctx, addr, len) => {
  if (len >= 4) return intAt(ctx, addr);
  const b = ctx.mem.read(addr, len);
  return b === null ? hex(addr) : hexBytes(b);
};
/** An int option set: `[1]`, the address when shorter than an int. */
const setInt: ValuePrinter = (ctx, addr, len) => (len < 4 ? hex(addr) : intAt(ctx, addr));

/**
 * A structure read back of which the kernel returned `len` bytes (MAYBE_PRINT_FIELD_LEN): the
 * fields that fit whole, a field cut short as its bytes in hex, nothing past `len`.
 */
function partialStruct(ctx: DecodeContext, addr: bigint, len: number, fields: readonly [string, (v: number) => string][]): string {
  const n = Math.min(len, fields.length * 4);
  const b = ctx.mem.read(addr, n);
  if (b === null) return hex(addr);
  const parts: string[] = [];
  fields.forEach(([name, show], i) => {
    const start = i * 4;
    if (n <= start) return;
    parts.push(`${name}=${n >= start + 4 ? show(Number(readInt(b, start, 4, true))) : hexBytes(b.subarray(start, n))}`);
  });
  return struct(parts);
}

/** A uid or gid (print_id: -1 stays -1). */
const id = (v: number): string => (v === -1 ? '-1' : String(v >>> 0));

const getLinger: ValuePrinter = (ctx, addr, len) => partialStruct(ctx, addr, len, [['l_onoff', String], ['l_linger', String]]);
const setLinger: ValuePrinter = (ctx, addr, len) => {
  if (len < 8) return hex(addr);
  const b = ctx.mem.read(addr, 8);
  return b === null ? hex(addr) : struct([`l_onoff=${readInt(b, 0, 4, true)}`, `l_linger=${readInt(b, 4, 4, true)}`]);
};

const getUcred: ValuePrinter = (ctx, addr, len) => partialStruct(ctx, addr, len, [['pid', (v) => printPid(ctx, v)], ['uid', id], ['gid', id]]);

/** SO_ERROR: the pending error's name, `[ECONNREFUSED]`. */
const getError: ValuePrinter = (ctx, addr, len) => {
  if (len < 4) {
    const b = ctx.mem.read(addr, len);
    return b === null ? hex(addr) : hexBytes(b);
  }
  return intAt(ctx, addr, (v) => {
    const name = errnoName(v >>> 0);
    return name === undefined ? String(v >>> 0) : printNamed(ctx.options.xlat, v >>> 0, name, 'u');
  });
};

/** SO_TXREHASH: a SOCK_TXREHASH_* value; shorter than an int: the address at entry, the bytes read back. */
function txrehash(get: boolean): ValuePrinter {
  return (ctx, addr, len) => {
    if (len < 4) {
      if (!get) return hex(addr);
      const b = ctx.mem.read(addr, len);
      return b === null ? hex(addr) : hexBytes(b);
    }
    return intAt(ctx, addr, (v) => printEnum(ctx.options.xlat, TXREHASH_VALUES, BigInt(v), 'SOCK_TXREHASH_???', 'd'));
  };
}

/** An IPv4 address field (print_inet_addr): `inet_addr("224.0.0.3")`, -X raw its bytes, -X verbose both. */
function inetAddr(ctx: DecodeContext, name: string, b: Uint8Array): string {
  const sym = `inet_addr("${b[0]}.${b[1]}.${b[2]}.${b[3]}")`;
  const raw = hexBytes(b);
  switch (ctx.options.xlat) {
    case 'abbrev': return `${name}=${sym}`;
    case 'raw': return `${name}=${raw}`;
    case 'verbose': return `${name}=${raw} /* ${sym} */`;
  }
}

/** An IPv6 address field: `inet_pton(AF_INET6, "ff01::c", &name)`, -X raw its bytes, -X verbose both. */
function inet6Addr(ctx: DecodeContext, name: string, b: Uint8Array): string {
  const text = `"${formatIpv6(b)}"`;
  const raw = hexBytes(b);
  switch (ctx.options.xlat) {
    case 'abbrev': return `inet_pton(AF_INET6, ${text}, &${name})`;
    case 'raw': return `${name}=${raw}`;
    case 'verbose': return `${name}=${raw} /* inet_pton(AF_INET6, ${text}) */`;
  }
}

/** A struct of exactly `size` bytes, or the address when the length is short or it cannot be read. */
function fixedStruct(size: number, show: (ctx: DecodeContext, b: Uint8Array) => string, exact = false): ValuePrinter {
  return (ctx, addr, len) => {
    if (exact ? len !== size : len < size) return hex(addr);
    const b = ctx.mem.read(addr, size);
    return b === null ? hex(addr) : show(ctx, b);
  };
}

const ipMreq = fixedStruct(8, (ctx, b) => struct([inetAddr(ctx, 'imr_multiaddr', b.subarray(0, 4)), inetAddr(ctx, 'imr_interface', b.subarray(4, 8))]));
const ipv6Mreq = fixedStruct(20, (ctx, b) => struct([
  inet6Addr(ctx, 'ipv6mr_multiaddr', b.subarray(0, 16)),
  `ipv6mr_interface=${printIfindex(ctx, Number(readInt(b, 16, 4, false)))}`,
]));

/** struct group_req: an interface index, then a struct sockaddr_storage at offset 8. */
const GROUP_REQ_SIZE = 136;
const groupReq: ValuePrinter = (ctx, addr, len) => {
  if (len < GROUP_REQ_SIZE) return hex(addr);
  const b = ctx.mem.read(addr, GROUP_REQ_SIZE);
  if (b === null) return hex(addr);
  return struct([`gr_interface=${printIfindex(ctx, Number(readInt(b, 0, 4, false)))}`, `gr_group=${printSockaddr(ctx, addr + 8n, 128)}`]);
};

const tpacketReq = fixedStruct(16, (_ctx, b) => struct(['tp_block_size', 'tp_block_nr', 'tp_frame_size', 'tp_frame_nr']
  .map((name, i) => `${name}=${readInt(b, i * 4, 4, false)}`)), true);

const packetMreq = fixedStruct(16, (ctx, b) => {
  const alen = Number(readInt(b, 6, 2, false));
  const mac = b.subarray(8, 8 + Math.min(alen, 8));
  return struct([
    `mr_ifindex=${printIfindex(ctx, Number(readInt(b, 0, 4, true)))}`,
    `mr_type=${printEnum(ctx.options.xlat, PACKET_MREQ_TYPES, readInt(b, 4, 2, false), 'PACKET_MR_???')}`,
    `mr_alen=${alen}`,
    `mr_address=${printHwaddr(ctx.options.xlat, mac, -1)}`,
  ]);
}, true);

const getTpacketStats: ValuePrinter = (ctx, addr, len) => partialStruct(ctx, addr, len,
  [['tp_packets', (v) => String(v >>> 0)], ['tp_drops', (v) => String(v >>> 0)], ['tp_freeze_q_cnt', (v) => String(v >>> 0)]]);

/** ICMP_FILTER: the set bits as ICMP types, `~[...]` for the clear ones when most are set. */
const icmpFilter: ValuePrinter = (ctx, addr, len) => {
  if (len <= 0) return printPtr(addr);
  const n = Math.min(len, 4);
  const b = ctx.mem.read(addr, n);
  if (b === null) return hex(addr);
  let data = 0xffffffff;
  for (let i = 0; i < n; i++) data = (data & ~(0xff << (i * 8))) | (b[i]! << (i * 8));
  data >>>= 0;
  let bits = 0;
  for (let i = 0; i < 32; i++) if ((data >>> i) & 1) bits++;
  let prefix = '';
  if (bits > 16) {
    data = ~data >>> 0;
    prefix = '~';
  }
  const names: string[] = [];
  for (let i = 0; i < 32; i++) if ((data >>> i) & 1) names.push(printEnum(ctx.options.xlat, ICMP_TYPES, BigInt(i), 'ICMP_???'));
  return `${prefix}[${names.join(' ')}]`;
};

/** NETLINK_LIST_MEMBERSHIPS: the groups as an array of u32. */
function netlinkMemberships(ulen: number): ValuePrinter {
  return (ctx, addr, len) => {
    const count = Math.floor(Math.min(ulen, len) / 4);
    const b = count === 0 ? new Uint8Array(0) : ctx.mem.read(addr, count * 4);
    if (b === null) return hex(addr);
    const items: string[] = [];
    for (let i = 0; i < count; i++) items.push(String(readInt(b, i * 4, 4, false)));
    return `[${items.join(', ')}]`;
  };
}

// ---- levels -----------------------------------------------------------------------------------

/** The SOL_SOCKET options strace prints as an int. */
const SOL_SOCKET_INTS = [
  1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35, 36, 37, 40, 41, 42, 43, 44, 45, 46,
  49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75,
];
const SO_LINGER = 13;
const SO_PEERCRED = 17;
const SO_ATTACH_FILTER = 26;
const SO_ATTACH_REUSEPORT_CBPF = 51;
const SOCK_FPROG_SIZE = 16;

/** SO_ATTACH_FILTER / SO_ATTACH_REUSEPORT_CBPF: a struct sock_fprog when the length is one. */
const setFilter: ValuePrinter = (ctx, addr, len) => (len === SOCK_FPROG_SIZE ? printSockFprog(ctx, addr) : hex(addr));
/** SO_GET_FILTER: the kernel's length counts instructions (an unsigned short). */
const getFilter: ValuePrinter = (ctx, addr, len) => (len <= 0xffff ? printSockFilterArray(ctx, addr, len) : hex(addr));
const SO_ERROR = 4;
const SO_TXREHASH = 74;

const LEVELS: ReadonlyMap<number, Level> = new Map<number, Level>([
  [SOL_SOCKET, {
    get: both(SOL_SOCKET_OPTIONS, GET_SOL_SOCKET_OPTIONS),
    set: both(SOL_SOCKET_OPTIONS, SET_SOL_SOCKET_OPTIONS),
    unknown: 'SO_???',
    getValues: new Map<number, ValuePrinter>([
      ...SOL_SOCKET_INTS.map((n) => [n, getInt] as const),
      [SO_LINGER, getLinger], [SO_PEERCRED, getUcred], [SO_ERROR, getError], [SO_TXREHASH, txrehash(true)], [SO_ATTACH_FILTER, getFilter],
    ]),
    setValues: new Map<number, ValuePrinter>([
      ...SOL_SOCKET_INTS.map((n) => [n, setInt] as const),
      [SO_LINGER, setLinger], [SO_TXREHASH, txrehash(false)], [SO_ATTACH_FILTER, setFilter], [SO_ATTACH_REUSEPORT_CBPF, setFilter],
    ]),
  }],
  [SOL_IP, {
    get: IP_OPTIONS, set: IP_OPTIONS, unknown: 'IP_???',
    setValues: new Map([[35, ipMreq], [36, ipMreq], [42, groupReq], [45, groupReq]]),
  }],
  [SOL_IPV6, {
    get: IPV6_OPTIONS, set: both(IPV6_OPTIONS, SET_IPV6_OPTIONS), unknown: 'IPV6_???',
    setValues: new Map([[20, ipv6Mreq], [21, ipv6Mreq], [27, ipv6Mreq], [28, ipv6Mreq], [42, groupReq], [45, groupReq]]),
  }],
  [6, { get: TCP_OPTIONS, set: TCP_OPTIONS, unknown: 'TCP_???' }],
  [SOL_PACKET, {
    get: PACKET_OPTIONS, set: PACKET_OPTIONS, unknown: 'PACKET_???',
    getValues: new Map([[6, getTpacketStats]]),
    setValues: new Map([[5, tpacketReq], [13, tpacketReq], [1, packetMreq], [2, packetMreq]]),
  }],
  [SOL_RAW, {
    get: RAW_OPTIONS, set: RAW_OPTIONS, unknown: 'RAW_???',
    getValues: new Map([[1, icmpFilter]]), setValues: new Map([[1, icmpFilter]]),
  }],
  [SOL_NETLINK, { get: SOL_NETLINK_OPTIONS, set: SOL_NETLINK_OPTIONS, unknown: 'NETLINK_???' }],
]);

/** `fd, level, optname, ` as strace prints a socket option call's head. */
function sockoptHead(ctx: DecodeContext, get: boolean): string {
  const a = ctx.args;
  const style = ctx.options.xlat;
  const level = LEVELS.get(uint(a[1]!));
  const name = level === undefined ? String(uint(a[2]!)) : printEnum(style, get ? level.get : level.set, uint(a[2]!), level.unknown);
  return `${printFd(ctx, int(a[0]!))}, ${printEnum(style, SOCKET_LEVELS, uint(a[1]!), 'SOL_??')}, ${name}, `;
}

/** Neither of the level's own printers: an int when 4 bytes long, else the bytes (the address without -e verbose). */
function defaultValue(ctx: DecodeContext, addr: bigint, len: number): string {
  if (ctx.options.structs === false) return printPtr(addr);
  if (len === 4) return intAt(ctx, addr);
  return printBuffer(ctx, addr, BigInt(len));
}

function printGetValue(ctx: DecodeContext, addr: bigint, ulen: number, rlen: number): string {
  if (ulen <= 0 || rlen <= 0) return printPtr(addr);
  const levelNo = uint(ctx.args[1]!);
  const name = uint(ctx.args[2]!);
  if (u64(addr) !== 0n && ctx.options.structs !== false) {
    if (levelNo === SOL_NETLINK) return name === 9 ? netlinkMemberships(ulen)(ctx, addr, rlen) : intAt(ctx, addr);
    const printer = LEVELS.get(levelNo)?.getValues?.get(name);
    if (printer !== undefined) return printer(ctx, addr, rlen);
  }
  return defaultValue(ctx, addr, rlen);
}

function printSetValue(ctx: DecodeContext, addr: bigint, len: number): string {
  const levelNo = uint(ctx.args[1]!);
  if (u64(addr) !== 0n && ctx.options.structs !== false) {
    if (levelNo === SOL_NETLINK) return len < 4 ? hex(addr) : intAt(ctx, addr);
    const printer = LEVELS.get(levelNo)?.setValues?.get(uint(ctx.args[2]!));
    if (printer !== undefined) return printer(ctx, addr, len);
  }
  return defaultValue(ctx, addr, len);
}

export const setsockopt: SyscallDecoder = {
  enter: (ctx) => ({ text: `${sockoptHead(ctx, false)}${printSetValue(ctx, ctx.args[3]!, int(ctx.args[4]!))}, ${int(ctx.args[4]!)}` }),
  exit: (ctx) => ({ text: '', ret: formatReturn(ctx, 'dec') }),
};

/** getsockopt: the length the caller offered is read at entry; without it both pointers print at entry. */
export const getsockopt: SyscallDecoder = {
  enter(ctx) {
    const a = ctx.args;
    const head = sockoptHead(ctx, true);
    const lenBytes = ctx.options.structs === false || u64(a[4]!) === 0n ? null : ctx.mem.read(a[4]!, 4);
    if (lenBytes === null) return { text: `${head}${printPtr(a[3]!)}, ${printPtr(a[4]!)}`, state: undefined };
    return { text: head, state: Number(readInt(lenBytes, 0, 4, true)) };
  },
  exit(ctx: ExitContext, entry) {
    const a = ctx.args;
    const ulen = entry.state as number | undefined;
    if (ulen === undefined) return { text: '', ret: formatReturn(ctx, 'dec') };
    const after = isError(ctx.ret) ? null : ctx.mem.read(a[4]!, 4);
    if (after === null) return { text: `${printPtr(a[3]!)}, [${ulen}]`, ret: formatReturn(ctx, 'dec') };
    const rlen = Number(readInt(after, 0, 4, true));
    const lens = `[${ulen !== rlen ? `${ulen} => ` : ''}${rlen}]`;
    return { text: `${printGetValue(ctx, a[3]!, ulen, rlen)}, ${lens}`, ret: formatReturn(ctx, 'dec') };
  },
};
