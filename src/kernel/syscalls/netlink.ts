// AF_NETLINK sockets: passed through to the host like the inet sockets (any protocol the host
// offers), with the port ids that are process ids made the guest's. The host kernel binds a netlink socket
// (bind with nl_pid 0, or the first send) to the port of the host process's pid; Linux would
// have shown the guest process's pid there. So the host pid is the guest pid (of the process
// that created the socket) wherever a port appears: sockaddr_nl's nl_pid (bind, connect,
// getsockname, getpeername, sendto/sendmsg names, recvfrom/recvmsg names) and nlmsghdr's
// nlmsg_pid (every message sent and received, and the request an NLMSG_ERROR quotes).
//
// Only the ports are translated: what sock_diag, audit, uevents or generic netlink replies carry
// (inode numbers, pids of other processes, descriptors) is the host's, as are the sockets the
// guest has (their inodes are the host's too). Ports of other host processes (in multicast notifications) are passed as they
// are. A second netlink socket (or one of another guest process) gets a port the host picks
// (a negative number, as Linux's autobind gives when the pid is taken).
import { E } from '../../abi/errno.js';
import { OpenFile } from '../files/open-file.js';
import type { AddressSpace } from '../memory/address-space.js';
import { err, scratch, type Chunk } from './host-abi.js';
import type { SyscallContext } from './types.js';

export const AF_NETLINK = 16;
/** MAX_LINKS: protocols are 0..31. */
const NETLINK_PROTOCOLS = 32;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2;
const NLMSG_PID_OFFSET = 12;
/** sockaddr_nl: family (2), pad (2), nl_pid (4), nl_groups (4). */
const NL_PID_OFFSET = 4;
const SOCKADDR_NL_SIZE = 12;

/** A netlink socket: a host socket whose host port (the host pid) reads as `guestPid`. */
export class NetlinkSocket extends OpenFile {
  constructor(hostFd: number, readonly guestPid: number, readonly hostPid: number, readonly protocol: number) {
    super(hostFd, 'socket:netlink');
  }

  toGuest(port: number): number {
    return port === this.hostPid ? this.guestPid : port;
  }

  toHost(port: number): number {
    return port === this.guestPid ? this.hostPid : port;
  }
}

/** The netlink socket behind guest descriptor fd, if it is one. */
export function netlinkSocket(ctx: SyscallContext, fd: number): NetlinkSocket | undefined {
  const f = ctx.proc.fds.get(fd)?.file;
  return f instanceof NetlinkSocket ? f : undefined;
}

/**
 * socket(AF_NETLINK, type, protocol)'s checks in Linux's order (netlink_create): a type other
 * than SOCK_RAW/SOCK_DGRAM, then a protocol out of range. 0: go ahead (the host refuses a
 * protocol it does not offer with EPROTONOSUPPORT, as Linux does).
 */
export function checkNetlinkSocket(type: number, protocol: number): bigint {
  const t = type & 0xf;
  if (t !== SOCK_RAW && t !== SOCK_DGRAM) return err(E.ESOCKTNOSUPPORT);
  if (protocol < 0 || protocol >= NETLINK_PROTOCOLS) return err(E.EPROTONOSUPPORT);
  return 0n;
}

/** A sockaddr the guest gave, made the host's (a copy; the same array when nothing changes). */
export function sockaddrToHost(sock: NetlinkSocket, bytes: Uint8Array): Uint8Array {
  if (bytes.length < NL_PID_OFFSET + 4 || (bytes[0]! | (bytes[1]! << 8)) !== AF_NETLINK) return bytes;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pid = dv.getUint32(NL_PID_OFFSET, true);
  const host = sock.toHost(pid) >>> 0;
  if (host === pid) return bytes;
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(NL_PID_OFFSET, host, true);
  return copy;
}

/** A sockaddr_nl the host filled (in host scratch), made the guest's in place. */
export function sockaddrToGuest(sock: NetlinkSocket, view: Uint8Array, len: number): void {
  if (len < SOCKADDR_NL_SIZE || view.length < SOCKADDR_NL_SIZE || (view[0]! | (view[1]! << 8)) !== AF_NETLINK) return;
  const dv = new DataView(view.buffer, view.byteOffset, view.byteLength);
  dv.setUint32(NL_PID_OFFSET, sock.toGuest(dv.getUint32(NL_PID_OFFSET, true)) >>> 0, true);
}

/**
 * Rewrites each nlmsg_pid in messages[0, n) with `map` (and the header an NLMSG_ERROR quotes).
 * Returns whether anything changed. Headers cut by the end of the data are left alone.
 */
export function mapMessagePids(data: Uint8Array, n: number, map: (port: number) => number): boolean {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = Math.min(n, data.length);
  let changed = false;
  const fix = (at: number): void => {
    if (at + 4 > end) return;
    const pid = dv.getUint32(at, true);
    const to = map(pid | 0) >>> 0;
    if (to !== pid) {
      dv.setUint32(at, to, true);
      changed = true;
    }
  };
  let off = 0;
  while (off + NLMSG_HDRLEN <= end) {
    const len = dv.getUint32(off, true);
    if (len < NLMSG_HDRLEN) break;
    fix(off + NLMSG_PID_OFFSET);
    // struct nlmsgerr: int error, then the request's nlmsghdr.
    if (dv.getUint16(off + 4, true) === NLMSG_ERROR && len >= NLMSG_HDRLEN + 4 + NLMSG_HDRLEN) {
      fix(off + NLMSG_HDRLEN + 4 + NLMSG_PID_OFFSET);
    }
    off += (len + 3) & ~3;
  }
  return changed;
}

/**
 * The data of a netlink send, made the host's: the guest ranges' bytes with the guest pid as
 * the host's in each header, as one host chunk in scratch (netlink gathers the iovecs of a
 * message into one buffer anyway). The same chunks when no header names the guest pid or a
 * range faults (the host then fails as it would).
 */
export function sendChunks(mm: AddressSpace, sock: NetlinkSocket, chunks: Chunk[]): Chunk[] | null {
  if (chunks.some((c) => c.fault)) return chunks;
  let total = 0n;
  for (const c of chunks) total += c.len;
  if (total > BigInt(1 << 24)) return chunks;
  const bytes = new Uint8Array(Number(total));
  let at = 0;
  for (const c of chunks) {
    const b = mm.read(c.guest, Number(c.len));
    if (b === null) return chunks;
    bytes.set(b, at);
    at += b.length;
  }
  if (!mapMessagePids(bytes, bytes.length, (p) => sock.toHost(p))) return chunks;
  const s = scratch.alloc(bytes.length);
  if (s === null) return null;
  s.view.set(bytes);
  return [{ guest: chunks[0]!.guest, host: s.ptr, len: total, fault: false }];
}

/** After a receive of n bytes into guest ranges: each nlmsg_pid made the guest's, in guest memory. */
export function fixReceived(mm: AddressSpace, sock: NetlinkSocket, ranges: readonly { guest: bigint; len: bigint; fault?: boolean }[], n: bigint): void {
  const parts: { guest: bigint; len: number }[] = [];
  let left = n;
  for (const r of ranges) {
    if (left <= 0n || r.fault === true) break;
    const m = r.len < left ? r.len : left;
    parts.push({ guest: r.guest, len: Number(m) });
    left -= m;
  }
  const total = parts.reduce((a, p) => a + p.len, 0);
  if (total < NLMSG_HDRLEN) return;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    const b = mm.read(p.guest, p.len);
    if (b === null) return;
    bytes.set(b, at);
    at += p.len;
  }
  if (!mapMessagePids(bytes, total, (p) => sock.toGuest(p))) return;
  at = 0;
  for (const p of parts) {
    mm.write(p.guest, bytes.subarray(at, at + p.len));
    at += p.len;
  }
}
