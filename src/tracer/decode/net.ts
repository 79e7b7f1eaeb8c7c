// Socket syscalls (strace's net.c, msghdr.c, sockaddr.c), for the calls a static program's libc
// and the test programs make: socketpair, sendmsg/recvmsg with iovecs and SCM_RIGHTS, shutdown.
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import { MSGHDR, TIMESPEC } from '../../abi/structs.js';
import { ADDRESS_FAMILIES, INET_PROTOCOLS, MSG_FLAGS, SHUTDOWN_HOW, SOCKET_TYPES, SOCKET_TYPE_FLAGS } from '../xlat/net.js';
import { getsockopt, setsockopt } from './sockopt.js';
import { printCmsgs } from './cmsg.js';
import { FAMILY_PRINTERS } from './sockaddr-families.js';
import { custom, entryOnly, fd, flags, i32, xval, type SyscallTable } from './args.js';
import { printFdPair, printIovec } from './fs.js';
import { printNetlinkBuffer, printSockaddrNl } from './netlink.js';
import { NETLINK_PROTOCOLS } from '../xlat/netlink.js';
import {
  formatReturn, hex, int, isError, printBuffer, printEnum, printFd, printFlags, printFlagsOrZero, printInStruct, printPtr, quoteBytes, readInt, readStruct, struct,
  u64, uint, type StructView,
} from './printers.js';

/** A socket type with its flags: `SOCK_STREAM|SOCK_CLOEXEC` (strace's tprint_sock_type). */
export function printSocketType(ctx: DecodeContext, v: bigint): string {
  const t = uint(v);
  const style = ctx.options.xlat;
  const base = printEnum(style, SOCKET_TYPES, t & 0xf, 'SOCK_???');
  const rest = t & ~0xf;
  if (rest === 0) return base;
  return `${base}|${printFlags(style, SOCKET_TYPE_FLAGS, rest)}`;
}

// ---- socket addresses -------------------------------------------------------------------------------

/** A struct sockaddr of `len` bytes: the families a static program meets, the rest as raw bytes. */
export function printSockaddr(ctx: DecodeContext, addr: bigint, len: number): string {
  // Shorter than a family: the address (decode_sockaddr).
  if (len < 2) return printPtr(addr);
  if (u64(addr) === 0n) return 'NULL';
  // -e verbose= without this call: the address only (umoven_or_printaddr).
  if (ctx.options.structs === false) return hex(addr);
  const b = ctx.mem.read(addr, Math.min(len, 128));
  if (b === null) return hex(addr);
  const family = Number(readInt(b, 0, 2, false));
  const fam = `sa_family=${printEnum(ctx.options.xlat, ADDRESS_FAMILIES, family, 'AF_???')}`;
  if (b.length === 2) return struct([fam]);
  switch (family) {
    case 1: { // AF_UNIX: sun_path is 108 bytes; a path up to its NUL, an abstract name whole
      const path = b.subarray(2, Math.min(b.length, 110));
      if (path[0] === 0) return struct([fam, `sun_path=@${quoteBytes(path.subarray(1), path.length - 1).text}`]);
      const nul = path.indexOf(0);
      return struct([fam, `sun_path=${quoteBytes(path, nul < 0 ? path.length : nul).text}`]);
    }
    case 16: { // AF_NETLINK
      const nl = printSockaddrNl(ctx, fam, b);
      if (nl !== undefined) return nl;
      break;
    }
    default: {
      const p = FAMILY_PRINTERS.get(family);
      if (p !== undefined && b.length >= p.minLen) return `{${fam}, ${p.print(ctx, b, b.length)}}`;
    }
  }
  return struct([fam, `sa_data=${quoteBytes(b.subarray(2), b.length - 2).text}`]);
}

/** An IPv6 address as inet_ntop writes it: the longest run of two or more zero groups as `::`. */
export function formatIpv6(a: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (a[i * 2]! << 8) | a[i * 2 + 1]!);
  // An IPv4-mapped address keeps its dotted tail (::ffff:1.2.3.4), and so does an IPv4-compatible
  // one, six zero groups then anything but zero (glibc's inet_ntop: ::1:2 is written ::0.1.0.2).
  const dotted = `${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${dotted}`;
  if (groups.slice(0, 6).every((g) => g === 0) && groups[6] !== 0) return `::${dotted}`;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexOf = (g: number[]): string => g.map((x) => x.toString(16)).join(':');
  if (best < 0) return hexOf(groups);
  return `${hexOf(groups.slice(0, best))}::${hexOf(groups.slice(best + bestLen))}`;
}

/** How a buffer of the call's socket (its first argument) prints: netlink messages, or a string. */
function dataPrinter(ctx: DecodeContext): (base: bigint, len: bigint) => string {
  // strace decodes a netlink socket's buffers only for calls -e verbose= covers (decode_sockbuf).
  const protocol = ctx.options.structs === false ? undefined : ctx.netlinkProtocol?.(int(ctx.args[0]!));
  return (base, len) => (protocol !== undefined ? printNetlinkBuffer(ctx, protocol, base, Number(u64(len))) : printBuffer(ctx, base, len));
}

// ---- msghdr -------------------------------------------------------------------------------------

function printMsghdr(ctx: DecodeContext, v: StructView<keyof typeof MSGHDR.fields>, dataSize: bigint, userNamelen?: number): string {
  const namelen = Number(BigInt.asIntN(32, v.get('msg_namelen')));
  const shownLen = userNamelen !== undefined && namelen > userNamelen ? userNamelen : namelen;
  const f = [`msg_name=${printSockaddr(ctx, v.get('msg_name'), shownLen)}`];
  f.push(`msg_namelen=${userNamelen !== undefined && userNamelen !== namelen ? `${userNamelen} => ` : ''}${namelen}`);
  f.push(`msg_iov=${printIovec(ctx, v.get('msg_iov'), v.get('msg_iovlen'), dataSize, false, dataPrinter(ctx))}`);
  f.push(`msg_iovlen=${v.get('msg_iovlen')}`);
  const clen = v.get('msg_controllen');
  if (clen !== 0n) f.push(`msg_control=${printCmsgs(ctx, v.get('msg_control'), clen)}`);
  f.push(`msg_controllen=${clen}`);
  f.push(`msg_flags=${printFlags(ctx.options.xlat, MSG_FLAGS, v.get('msg_flags'), 'MSG_???')}`);
  return struct(f);
}

const msgFlags = flags(MSG_FLAGS, 'MSG_???');
/** A sockaddr argument whose length is the next argument (bind, connect). */
const sockaddrIn = custom((ctx, v) => printSockaddr(ctx, v, int(ctx.args[2]!)));

const sendmsg: SyscallDecoder = {
  enter(ctx) {
    const v = readStruct(ctx, ctx.args[1]!, MSGHDR);
    const msg = v === null ? printPtr(ctx.args[1]!) : printMsghdr(ctx, v, -1n);
    return { text: `${printFd(ctx, int(ctx.args[0]!))}, ${msg}, ${msgFlags.print(ctx, ctx.args[2]!)}` };
  },
  exit: (ctx) => ({ text: '', ret: formatReturn(ctx, 'dec') }),
};

const recvmsg: SyscallDecoder = {
  enter(ctx) {
    const v = readStruct(ctx, ctx.args[1]!, MSGHDR);
    const head = `${printFd(ctx, int(ctx.args[0]!))}, `;
    if (v === null) return { text: `${head}${printPtr(ctx.args[1]!)}, `, state: undefined };
    return { text: head, state: Number(BigInt.asIntN(32, v.get('msg_namelen'))) };
  },
  exit(ctx: ExitContext, entry) {
    const namelen = entry.state as number | undefined;
    let msg = '';
    if (namelen !== undefined) {
      if (isError(ctx.ret)) msg = `{msg_namelen=${namelen}}`;
      else {
        const v = readStruct(ctx, ctx.args[1]!, MSGHDR);
        msg = v === null ? printPtr(ctx.args[1]!) : printMsghdr(ctx, v, u64(ctx.ret), namelen);
      }
      msg += ', ';
    }
    return { text: `${msg}${msgFlags.print(ctx, ctx.args[2]!)}`, ret: formatReturn(ctx, 'dec') };
  },
};

/** struct mmsghdr: a msghdr, then msg_len (the whole padded to 64 bytes). */
const MMSGHDR_SIZE = 64n;
const MMSG_LEN = 56n;
/** IOV_MAX: the most entries strace looks at. */
const IOV_MAX = 1024;

interface MmsgvecOptions {
  /** How many entries (from the first) show their msg_len. */
  readonly msgLenCount: number;
  /** Each entry's data is shown up to its msg_len (received), else whole (sent). */
  readonly useMsgLen: boolean;
  /** The msg_namelen of each entry at entry to the call (recvmmsg), and so how many entries are shown. */
  readonly userNamelens?: readonly number[];
}

/**
 * An mmsghdr vector of `vlen` entries as strace's decode_mmsgvec prints it: at most -s entries
 * unless -v, `... /* addr *\/` at an unreadable one, the address when the first is.
 */
function printMmsgvec(ctx: DecodeContext, addr: bigint, vlen: number, o: MmsgvecOptions): string {
  if (u64(addr) === 0n) return 'NULL';
  if (vlen === 0) return '[]';
  const shown = o.userNamelens === undefined ? IOV_MAX : Math.min(IOV_MAX, o.userNamelens.length);
  const limit = ctx.options.verbose ? vlen : Math.min(vlen, ctx.options.stringLimit);
  const parts: string[] = [];
  for (let i = 0; i < vlen; i++) {
    const at = u64(addr + BigInt(i) * MMSGHDR_SIZE);
    const v = readStruct(ctx, at, MSGHDR);
    const lenBytes = v === null ? null : ctx.mem.read(at + MMSG_LEN, 4);
    if (v === null || lenBytes === null) {
      if (i === 0) return hex(addr);
      parts.push(`... /* ${hex(at)} */`);
      break;
    }
    if (i >= limit || i >= shown) {
      parts.push('...');
      break;
    }
    const len = readInt(lenBytes, 0, 4, false);
    const hdr = printMsghdr(ctx, v, o.useMsgLen ? len : -1n, o.userNamelens?.[i]);
    parts.push(i < o.msgLenCount ? `{msg_hdr=${hdr}, msg_len=${len}}` : `{msg_hdr=${hdr}}`);
  }
  return `[${parts.join(', ')}]`;
}

/** sendmmsg: the vector at exit, msg_len for the messages sent; without -e verbose only its address. */
const sendmmsg: SyscallDecoder = {
  enter(ctx) {
    const a = ctx.args;
    const head = `${printFd(ctx, int(a[0]!))}, `;
    if (ctx.options.structs === false) return { text: `${head}${printPtr(a[1]!)}, ${uint(a[2]!)}, ${msgFlags.print(ctx, a[3]!)}`, state: true };
    return { text: head };
  },
  exit(ctx, entry) {
    if (entry.state === true) return { text: '', ret: formatReturn(ctx, 'dec') };
    const a = ctx.args;
    const sent = isError(ctx.ret) ? 0 : Number(u64(ctx.ret));
    const vec = printMmsgvec(ctx, a[1]!, uint(a[2]!), { msgLenCount: sent, useMsgLen: false });
    return { text: `${vec}, ${uint(a[2]!)}, ${msgFlags.print(ctx, a[3]!)}`, ret: formatReturn(ctx, 'dec') };
  },
};

/** A struct timespec at `addr` as strace's sprint_timespec64 shows it. */
function timespecText(ctx: DecodeContext, addr: bigint): string {
  return printInStruct(ctx, addr, TIMESPEC, (v) => `{tv_sec=${v.get('tv_sec')}, tv_nsec=${u64(v.get('tv_nsec'))}}`);
}

interface RecvmmsgEntry {
  readonly timeout: string;
  readonly namelens: readonly number[];
}

/**
 * recvmmsg: the messages received at exit (their names up to the length offered, their data up
 * to msg_len), the timeout as it was at entry, and the time left after it (`= 1 (left {…})`),
 * `(Timeout)` when none came.
 */
const recvmmsg: SyscallDecoder = {
  enter(ctx) {
    const a = ctx.args;
    const head = `${printFd(ctx, int(a[0]!))}, `;
    if (ctx.options.structs === false) {
      return { text: `${head}${printPtr(a[1]!)}, ${uint(a[2]!)}, ${msgFlags.print(ctx, a[3]!)}, ${timespecText(ctx, a[4]!)}` };
    }
    const namelens: number[] = [];
    const vlen = Math.min(uint(a[2]!), IOV_MAX);
    for (let i = 0; i < vlen; i++) {
      const v = readStruct(ctx, u64(a[1]! + BigInt(i) * MMSGHDR_SIZE), MSGHDR);
      if (v === null) break;
      namelens.push(Number(BigInt.asIntN(32, v.get('msg_namelen'))));
    }
    const state: RecvmmsgEntry = { timeout: timespecText(ctx, a[4]!), namelens };
    return { text: head, state };
  },
  exit(ctx, entry) {
    const a = ctx.args;
    const e = entry.state as RecvmmsgEntry | undefined;
    let text = '';
    if (e !== undefined) {
      const got = isError(ctx.ret) ? 0 : Number(u64(ctx.ret));
      const vec = isError(ctx.ret) ? printPtr(a[1]!) : printMmsgvec(ctx, a[1]!, got, { msgLenCount: got, useMsgLen: true, userNamelens: e.namelens });
      text = `${vec}, ${uint(a[2]!)}, ${msgFlags.print(ctx, a[3]!)}, ${e.timeout}`;
    }
    let ret = formatReturn(ctx, 'dec');
    if (!isError(ctx.ret)) {
      if (ctx.ret === 0n) ret = '0 (Timeout)';
      else if (e !== undefined && u64(a[4]!) !== 0n) ret = `${ret} (left ${timespecText(ctx, a[4]!)})`;
    }
    return { text, ret };
  },
};

const sendto = entryOnly((ctx) => {
  const a = ctx.args;
  return `${printFd(ctx, int(a[0]!))}, ${dataPrinter(ctx)(a[1]!, a[2]!)}, ${u64(a[2]!)}, ${msgFlags.print(ctx, a[3]!)}, ` +
    `${printSockaddr(ctx, a[4]!, int(a[5]!))}, ${int(a[5]!)}`;
});

/** A socklen_t pointer: its value, or undefined when there is none to read. */
function readSocklen(ctx: DecodeContext, addr: bigint): number | undefined {
  if (u64(addr) === 0n) return undefined;
  const b = ctx.mem.read(addr, 4);
  return b === null ? undefined : Number(readInt(b, 0, 4, true));
}

/**
 * A socket address the kernel filled and its socklen_t (`before` as read at entry):
 * `{sa_family=AF_UNIX, ...}, [110 => 2]`, `NULL, NULL`, or on failure the address and `[110]`.
 */
function printAddressOut(ctx: ExitContext, addr: bigint, lenAddr: bigint, before: number | undefined): string {
  const after = u64(addr) === 0n ? undefined : readSocklen(ctx, lenAddr);
  if (after === undefined || before === undefined) return `${printPtr(addr)}, ${printPtr(lenAddr)}`;
  if (isError(ctx.ret)) return `${printPtr(addr)}, [${before}]`;
  return `${printSockaddr(ctx, addr, Math.min(before, after))}, [${before !== after ? `${before} => ` : ''}${after}]`;
}

const recvfrom: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printFd(ctx, int(ctx.args[0]!))}, `, state: readSocklen(ctx, ctx.args[5]!) }),
  exit(ctx, entry) {
    const a = ctx.args;
    const failed = isError(ctx.ret);
    const n = failed ? 0n : (u64(ctx.ret) < u64(a[2]!) ? u64(ctx.ret) : u64(a[2]!));
    let text = `${failed ? printPtr(a[1]!) : dataPrinter(ctx)(a[1]!, n)}, ${u64(a[2]!)}, ${msgFlags.print(ctx, a[3]!)}, `;
    text += printAddressOut(ctx, a[4]!, a[5]!, entry.state as number | undefined);
    return { text, ret: formatReturn(ctx, 'dec') };
  },
};

const socketpairOut: SyscallDecoder = {
  enter: (ctx) => ({
    text: `${printEnum(ctx.options.xlat, ADDRESS_FAMILIES, uint(ctx.args[0]!), 'AF_???')}, ${printSocketType(ctx, ctx.args[1]!)}, ${uint(ctx.args[2]!)}, `,
  }),
  exit: (ctx) => ({ text: printFdPair(ctx, ctx.args[3]!), ret: formatReturn(ctx, 'dec') }),
};

/**
 * accept, getsockname, getpeername: a socket address the kernel fills and its length, printed
 * `[110 => 2]` when the length changed; NULL pointers as NULL.
 */
function addressOut(ret: 'fd' | 'dec', extra?: (ctx: DecodeContext) => string): SyscallDecoder {
  return {
    enter: (ctx) => ({ text: `${printFd(ctx, int(ctx.args[0]!))}, `, state: readSocklen(ctx, ctx.args[2]!) }),
    exit(ctx, entry) {
      let text = printAddressOut(ctx, ctx.args[1]!, ctx.args[2]!, entry.state as number | undefined);
      if (extra !== undefined) text += `, ${extra(ctx)}`;
      return { text, ret: formatReturn(ctx, ret) };
    },
  };
}

const accept4Flags = (ctx: DecodeContext): string => printFlagsOrZero(ctx.options.xlat, SOCKET_TYPE_FLAGS, u64(ctx.args[3]!));

export const NET_SYSCALLS: SyscallTable = {
  accept: { decoder: addressOut('fd') },
  accept4: { decoder: addressOut('fd', accept4Flags) },
  getsockname: { decoder: addressOut('dec') },
  setsockopt: { decoder: setsockopt },
  getsockopt: { decoder: getsockopt },
  getpeername: { decoder: addressOut('dec') },
  socketpair: { decoder: socketpairOut },
  socket: {
    args: [xval(ADDRESS_FAMILIES, 'AF_???'), custom(printSocketType), custom((ctx, v) => {
      const family = uint(ctx.args[0]!);
      if (family === 16) return printEnum(ctx.options.xlat, NETLINK_PROTOCOLS, u64(v), 'NETLINK_???');
      return family === 2 || family === 10 ? printEnum(ctx.options.xlat, INET_PROTOCOLS, u64(v), 'IPPROTO_???') : String(uint(v));
    })],
    ret: 'fd',
  },
  bind: { args: [fd, sockaddrIn, i32] },
  listen: { args: [fd, i32] },
  sendto: { decoder: sendto },
  recvfrom: { decoder: recvfrom },
  connect: { args: [fd, sockaddrIn, i32] },
  sendmsg: { decoder: sendmsg },
  recvmsg: { decoder: recvmsg },
  sendmmsg: { decoder: sendmmsg },
  recvmmsg: { decoder: recvmmsg },
  shutdown: { args: [fd, xval(SHUTDOWN_HOW, 'SHUT_???')] },
};
