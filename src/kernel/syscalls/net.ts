// Socket syscalls, for AF_UNIX, AF_INET and AF_INET6 sockets (TCP, UDP, raw as the host allows
// them) and AF_NETLINK NETLINK_ROUTE ones (netlink.ts: their ports made the guest's pids):
// passed through to the host with descriptors translated,
// including the descriptors inside SCM_RIGHTS messages (guest → host when sending; a received
// host descriptor becomes a new guest descriptor, and the message is rewritten for the guest).
// struct sockaddr_un/in/in6, msghdr, cmsghdr and iovec are laid out the same on every 64-bit
// arch.
//
// Relative socket paths name files below the guest's working directory, which the host process
// does not share: the call that takes one runs with the host's working directory moved to the
// guest's for its duration (and back), so the socket keeps the exact name the guest gave.
//
// A call that would block (accept, recvmsg on an empty socket) blocks the whole host process:
// guests are single-threaded for now.
import { waitsFor, POLLIN, POLLOUT } from './host-wait.js';
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { MSGHDR, UCRED } from '../../abi/structs.js';
import { OpenFile } from '../files/open-file.js';
import { PROT_READ, PROT_WRITE } from '../memory/address-space.js';
import { byReplay, asInt, asUint, full, partial, type SyscallContext, type SyscallHandler, type SyscallTable } from './types.js';
import {
  AT_FDCWD, EBADF, EFAULT, EINVAL, EMFILE, FAULT_PTR, IOV_MAX, NO_FD, O_CLOEXEC, O_NONBLOCK, closeHost, commitChunks,
  err, faultPtr, guestChunks, hostFd, hostIovecs, inPtr, iovecChunks, raiseSigpipe, readGuestIovecs, scratch, scratchCopy,
  scratchDataView, withScratch, withUmask, type Chunk,
} from './host-abi.js';
import { installFile } from './fs.js';
import {
  AF_NETLINK, NetlinkSocket, checkNetlinkSocket, fixReceived, netlinkSocket, sendChunks, sockaddrToGuest, sockaddrToHost,
} from './netlink.js';

const big = (n: number): bigint => BigInt(n);

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
/** The families whose sockets are passed through to the host. */
const FAMILIES = new Set([AF_UNIX, AF_INET, AF_INET6, AF_NETLINK]);
const AF_MAX = 46;
const SOCK_TYPE_MASK = 0xf;
/** One past the highest socket type (SOCK_PACKET). */
const SOCK_MAX = 11;
const SOCK_CLOEXEC = O_CLOEXEC;
const SOCK_NONBLOCK = O_NONBLOCK;
const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const SCM_CREDENTIALS = 2;
const MSG_CTRUNC = 0x8;
const MSG_NOSIGNAL = 0x4000;
const MSG_CMSG_CLOEXEC = 0x40000000;
/** sizeof(struct sockaddr_storage). */
const SOCKADDR_MAX = 128;
const CMSG_HDR = 16;
const cmsgAlign = (n: number): number => (n + 7) & ~7;
/** The most control data a receive takes at once (SCM_MAX_FD descriptors need about 1 KiB). */
const CONTROL_MAX = 1 << 20;

// ---- helpers ----------------------------------------------------------------------------

/** Whether a sockaddr names an AF_UNIX path relative to the working directory. */
function relativeUnixPath(addr: Uint8Array | null): boolean {
  if (addr === null || addr.length <= 2) return false;
  const family = addr[0]! | (addr[1]! << 8);
  return family === AF_UNIX && addr[2] !== 0 && addr[2] !== 0x2f;
}

let hostCwdFd: bigint | undefined;

/** Runs fn with the host's working directory at the guest's when `needed` (relative socket paths). */
function inGuestCwd(ctx: SyscallContext, needed: boolean, fn: () => bigint): bigint {
  if (!needed) return fn();
  if (hostCwdFd === undefined) {
    const dot = scratchCopy(new Uint8Array([0x2e, 0]));
    const r = hs(HOST.openat, big(AT_FDCWD), dot, big(0o10000000 /* O_PATH */ | 0o200000 /* O_DIRECTORY */ | O_CLOEXEC), 0n);
    if (r < 0n) return r;
    hostCwdFd = r;
  }
  const moved = hs(HOST.fchdir, big(ctx.proc.cwd.hostFd));
  if (moved < 0n) return moved;
  try {
    return fn();
  } finally {
    hs(HOST.fchdir, hostCwdFd);
  }
}

/** A guest sockaddr the host reads (bind, connect, sendto): a scratch copy, or what the host rejects alike. */
function sockaddrIn(ctx: SyscallContext, addr: bigint, lenArg: bigint, fd: bigint): { ptr: bigint; len: bigint; bytes: Uint8Array | null } {
  const len = asInt(lenArg);
  if (addr === 0n || len <= 0 || len > SOCKADDR_MAX) return { ptr: addr === 0n ? 0n : FAULT_PTR, len: big(len), bytes: null };
  const bytes = ctx.mm.read(addr, len);
  if (bytes === null) return { ptr: faultPtr(addr, big(len)), len: big(len), bytes: null };
  const nl = netlinkSocket(ctx, asInt(fd));
  return { ptr: scratchCopy(nl === undefined ? bytes : sockaddrToHost(nl, bytes)), len: big(len), bytes };
}

/**
 * A guest (sockaddr *, socklen_t *) pair the host fills (accept, getsockname, recvfrom): host
 * scratch for both, copied back after success the way move_addr_to_user writes them.
 */
interface SockaddrOut {
  readonly addrPtr: bigint;
  readonly lenPtr: bigint;
  /** The room the guest gave (its *addrlen before the call). */
  readonly ulen: number;
  /** Sets the length the host reported, when it came back elsewhere (recvmsg's msghdr). */
  setLen(klen: number): void;
  finish(): boolean;
}

function sockaddrOut(ctx: SyscallContext, addr: bigint, lenAddr: bigint, nl?: NetlinkSocket): SockaddrOut {
  const mm = ctx.mm;
  const none = (lenPtr: bigint, ok: boolean): SockaddrOut => ({ addrPtr: addr === 0n ? 0n : FAULT_PTR, lenPtr, ulen: 0, setLen: () => {}, finish: () => ok });
  if (addr === 0n) return none(0n, true);
  const lenBytes = mm.read(lenAddr, 4);
  if (lenBytes === null) return none(faultPtr(lenAddr, 4n), false);
  const ulen = new DataView(lenBytes.buffer, lenBytes.byteOffset, 4).getInt32(0, true);
  const room = Math.max(0, Math.min(ulen, SOCKADDR_MAX));
  const len = scratch.alloc(4);
  const buf = scratch.alloc(room);
  if (len === null || buf === null) return none(FAULT_PTR, false);
  const lenView = scratchDataView(len.view);
  lenView.setInt32(0, ulen, true);
  const writable = mm.accessible(addr, big(room), PROT_WRITE);
  return {
    addrPtr: writable ? buf.ptr : faultPtr(addr, big(room)),
    lenPtr: len.ptr,
    ulen,
    setLen: (klen) => lenView.setInt32(0, klen, true),
    finish: () => {
      const klen = lenView.getInt32(0, true);
      const n = Math.min(room, klen);
      if (nl !== undefined) sockaddrToGuest(nl, buf.view, n);
      if (n > 0 && !mm.write(addr, buf.view.subarray(0, n))) return false;
      return mm.write(lenAddr, len.view);
    },
  };
}

/** Guest-fd-free check: Linux reserves the new descriptor before it waits or creates anything. */
const tableFull = (ctx: SyscallContext): boolean => ctx.proc.fds.lowestFree() < 0;

// ---- socket, socketpair -----------------------------------------------------------------

function checkType(type: number): bigint {
  return ((type & ~SOCK_TYPE_MASK) & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) !== 0 ? EINVAL : 0n;
}

const socket: SyscallHandler = (ctx) => {
  const [domain, typeArg, protocol] = ctx.args;
  const type = asInt(typeArg!);
  const t = checkType(type);
  if (t < 0n) return t;
  // Linux's order: an unknown family, then an unknown type, then a family without sockets here.
  const family = asInt(domain!);
  if (family < 0 || family >= AF_MAX) return err(E.EAFNOSUPPORT);
  if ((type & SOCK_TYPE_MASK) >= SOCK_MAX) return EINVAL;
  if (!FAMILIES.has(family)) return err(E.EAFNOSUPPORT);
  if (family === AF_NETLINK) {
    const c = checkNetlinkSocket(type, asInt(protocol!));
    if (c < 0n) return c;
  }
  const r = hs(HOST.socket, big(family), big((type | SOCK_CLOEXEC) >>> 0), big(asInt(protocol!)));
  if (r < 0n) return r;
  const file = family === AF_NETLINK ? new NetlinkSocket(Number(r), ctx.proc.pid, ctx.kernel.hostPid, asInt(protocol!)) : new OpenFile(Number(r), 'socket');
  return installFile(ctx, file, (type & SOCK_CLOEXEC) !== 0);
};

const socketpair: SyscallHandler = (ctx) => {
  const [domain, typeArg, protocol, sv] = ctx.args;
  const type = asInt(typeArg!);
  const t = checkType(type);
  if (t < 0n) return t;
  // As Linux: reserve both descriptors and store their numbers before creating the sockets.
  const fds = ctx.proc.fds;
  const g0 = fds.lowestFree();
  const g1 = g0 < 0 ? -1 : fds.lowestFree(g0 + 1);
  if (g1 < 0) return EMFILE;
  const nums = new Uint8Array(8);
  const dv = new DataView(nums.buffer);
  dv.setInt32(0, g0, true);
  dv.setInt32(4, g1, true);
  if (!ctx.mm.write(sv!, nums)) return EFAULT;
  const s = scratch.alloc(8);
  if (s === null) return err(E.ENOMEM);
  const r = hs(HOST.socketpair, big(asInt(domain!)), big((type | SOCK_CLOEXEC) >>> 0), big(asInt(protocol!)), s.ptr);
  if (r < 0n) return r;
  const h0 = scratchDataView(s.view).getInt32(0, true);
  const h1 = scratchDataView(s.view).getInt32(4, true);
  if (asInt(domain!) !== AF_UNIX) {
    closeHost(h0);
    closeHost(h1);
    return err(E.EAFNOSUPPORT);
  }
  const cloexec = (type & SOCK_CLOEXEC) !== 0;
  fds.install(new OpenFile(h0, 'socket'), cloexec);
  fds.install(new OpenFile(h1, 'socket'), cloexec);
  return 0n;
};

// ---- bind, connect, listen, accept, names -----------------------------------------------

const bind: SyscallHandler = (ctx) => {
  const [fd, addr, len] = ctx.args;
  const a = sockaddrIn(ctx, addr!, len!, fd!);
  // Binding a path creates the socket file: the guest's umask applies.
  return inGuestCwd(ctx, relativeUnixPath(a.bytes), () =>
    withUmask(ctx.proc.umask, () => hs(HOST.bind, big(hostFd(ctx, asInt(fd!))), a.ptr, a.len)));
};

const F_GETFL = 3n;
const F_SETFL = 4n;
const SO_ERROR = 4;
const EINPROGRESS = -BigInt(E.EINPROGRESS);

/**
 * connect: an AF_UNIX one at once; a blocking AF_INET/AF_INET6 one is started non-blocking on
 * the host and the task parks until the socket is writable, then takes its outcome (SO_ERROR),
 * so the other tasks run while a remote handshake takes its time.
 */
const connect: SyscallHandler = (ctx) => {
  const [fd, addr, len] = ctx.args;
  const a = sockaddrIn(ctx, addr!, len!, fd!);
  const h = big(hostFd(ctx, asInt(fd!)));
  const family = a.bytes !== null && a.bytes.length >= 2 ? a.bytes[0]! | (a.bytes[1]! << 8) : -1;
  const flags = family === AF_INET || family === AF_INET6 ? hs(HOST.fcntl, h, F_GETFL) : -1n;
  if (flags < 0n || (Number(flags) & O_NONBLOCK) !== 0) {
    return inGuestCwd(ctx, relativeUnixPath(a.bytes), () => hs(HOST.connect, h, a.ptr, a.len));
  }
  hs(HOST.fcntl, h, F_SETFL, flags | big(O_NONBLOCK));
  const r = hs(HOST.connect, h, a.ptr, a.len);
  hs(HOST.fcntl, h, F_SETFL, flags);
  if (r !== EINPROGRESS) return r;
  return ctx.block({ what: `connect fd ${asInt(fd!)}`, hostFd: Number(h), events: POLLOUT, retry: () => connectOutcome(h) });
};

/** A started connect's outcome: 0, or the error the host kept for the socket. */
function connectOutcome(h: bigint): bigint {
  const s = scratch.alloc(8);
  if (s === null) return err(E.ENOMEM);
  const dv = scratchDataView(s.view);
  dv.setInt32(0, 0, true);
  dv.setInt32(4, 4, true);
  const r = hs(HOST.getsockopt, h, big(SOL_SOCKET), big(SO_ERROR), s.ptr, s.ptr + 4n);
  if (r < 0n) return r;
  const e = dv.getInt32(0, true);
  return e === 0 ? 0n : -big(e);
}

const listen: SyscallHandler = (ctx) => hs(HOST.listen, big(hostFd(ctx, asInt(ctx.args[0]!))), big(asInt(ctx.args[1]!)));

function acceptWith(ctx: SyscallContext, flags: number): bigint {
  const [fd, addr, lenAddr] = ctx.args;
  if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) !== 0) return EINVAL;
  const h = hostFd(ctx, asInt(fd!));
  if (h === NO_FD) return EBADF;
  if (tableFull(ctx)) return EMFILE;
  const out = sockaddrOut(ctx, addr!, lenAddr!);
  const r = hs(HOST.accept4, big(h), out.addrPtr, out.lenPtr, big((flags | SOCK_CLOEXEC) >>> 0));
  if (r < 0n) return r;
  if (!out.finish()) {
    closeHost(r);
    return EFAULT;
  }
  return installFile(ctx, new OpenFile(Number(r), 'socket'), (flags & SOCK_CLOEXEC) !== 0);
}

const accept: SyscallHandler = (ctx) => acceptWith(ctx, 0);
const accept4: SyscallHandler = (ctx) => acceptWith(ctx, asInt(ctx.args[3]!));

function nameCall(nr: number): SyscallHandler {
  return (ctx) => {
    const [fd, addr, lenAddr] = ctx.args;
    const out = sockaddrOut(ctx, addr!, lenAddr!, netlinkSocket(ctx, asInt(fd!)));
    // A NULL address is the host's EFAULT to give (after its EBADF/ENOTSOCK).
    const r = hs(nr, big(hostFd(ctx, asInt(fd!))), addr! === 0n ? 0n : out.addrPtr, addr! === 0n ? 0n : out.lenPtr);
    if (r < 0n) return r;
    return out.finish() ? r : EFAULT;
  };
}

const shutdown: SyscallHandler = (ctx) => hs(HOST.shutdown, big(hostFd(ctx, asInt(ctx.args[0]!))), big(asInt(ctx.args[1]!)));

// ---- messages ---------------------------------------------------------------------------

const F = MSGHDR.fields;

interface GuestMsghdr {
  name: bigint;
  namelen: number;
  iov: bigint;
  iovlen: bigint;
  control: bigint;
  controllen: bigint;
  flags: number;
}

function parseMsghdr(bytes: Uint8Array): GuestMsghdr {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    name: dv.getBigUint64(F.msg_name.offset, true),
    namelen: dv.getInt32(F.msg_namelen.offset, true),
    iov: dv.getBigUint64(F.msg_iov.offset, true),
    iovlen: dv.getBigUint64(F.msg_iovlen.offset, true),
    control: dv.getBigUint64(F.msg_control.offset, true),
    controllen: dv.getBigUint64(F.msg_controllen.offset, true),
    flags: dv.getInt32(F.msg_flags.offset, true),
  };
}

/** The host iovec array for a guest msghdr's iovecs (or what makes the host fail alike). */
function msgIovecs(ctx: SyscallContext, m: GuestMsghdr, prot: number, sending?: NetlinkSocket): { ptr: bigint; len: bigint; chunks: Chunk[] } {
  // More than UIO_MAXIOV: the host's EMSGSIZE.
  if (m.iovlen > BigInt(IOV_MAX)) return { ptr: FAULT_PTR, len: m.iovlen, chunks: [] };
  const iovs = readGuestIovecs(ctx.mm, m.iov, Number(m.iovlen));
  if (iovs === null) return { ptr: faultPtr(m.iov, m.iovlen * 16n), len: m.iovlen, chunks: [] };
  let chunks = iovecChunks(ctx.mm, iovs, prot);
  if (chunks.length > IOV_MAX) chunks = chunks.slice(0, IOV_MAX);
  if (sending !== undefined) chunks = sendChunks(ctx.mm, sending, chunks) ?? [{ guest: m.iov, host: FAULT_PTR, len: 1n, fault: true }];
  return { ptr: hostIovecs(chunks), len: big(chunks.length), chunks };
}

/** A host struct msghdr in scratch. */
function hostMsghdr(v: { name: bigint; namelen: number; iov: bigint; iovlen: bigint; control: bigint; controllen: bigint; flags: number }): { ptr: bigint; view: DataView } | null {
  const s = scratch.alloc(MSGHDR.size);
  if (s === null) return null;
  const dv = scratchDataView(s.view);
  dv.setBigUint64(F.msg_name.offset, v.name, true);
  dv.setInt32(F.msg_namelen.offset, v.namelen, true);
  dv.setBigUint64(F.msg_iov.offset, v.iov, true);
  dv.setBigUint64(F.msg_iovlen.offset, BigInt.asUintN(64, v.iovlen), true);
  dv.setBigUint64(F.msg_control.offset, v.control, true);
  dv.setBigUint64(F.msg_controllen.offset, BigInt.asUintN(64, v.controllen), true);
  dv.setInt32(F.msg_flags.offset, v.flags, true);
  return { ptr: s.ptr, view: dv };
}

/** Visits each complete cmsghdr in control[0, len) as Linux's for_each_cmsghdr does. */
function forEachCmsg(dv: DataView, len: number, fn: (off: number, cmsgLen: number, level: number, type: number) => boolean | void): void {
  let off = 0;
  while (off + CMSG_HDR <= len) {
    const cl = Number(BigInt.asUintN(53, dv.getBigUint64(off, true)));
    if (cl < CMSG_HDR || cl > len - off) return;
    if (fn(off, cl, dv.getInt32(off + 8, true), dv.getInt32(off + 12, true)) === false) return;
    off += cmsgAlign(cl);
  }
}

const sendmsg: SyscallHandler = (ctx) => {
  const [fd, msg, flags] = ctx.args;
  const h = big(hostFd(ctx, asInt(fd!)));
  const raw = ctx.mm.read(msg!, MSGHDR.size);
  if (raw === null) return hs(HOST.sendmsg, h, faultPtr(msg!, big(MSGHDR.size)), flags!);
  const m = parseMsghdr(raw);
  const nl = netlinkSocket(ctx, asInt(fd!));
  // The name (clamped to sockaddr_storage as Linux clamps it).
  let name = 0n;
  let nameBytes: Uint8Array | null = null;
  let namelen = m.namelen;
  if (m.name !== 0n && namelen > 0) {
    namelen = Math.min(namelen, SOCKADDR_MAX);
    nameBytes = ctx.mm.read(m.name, namelen);
    name = nameBytes === null ? faultPtr(m.name, big(namelen)) : scratchCopy(nl === undefined ? nameBytes : sockaddrToHost(nl, nameBytes));
  } else if (m.name !== 0n) {
    name = FAULT_PTR; // namelen 0 (ignored) or negative (the host's EINVAL)
  }
  const iov = msgIovecs(ctx, m, PROT_READ, nl);
  // Control data, with SCM_RIGHTS descriptors and SCM_CREDENTIALS pids made the host's.
  let control = m.control;
  if (m.controllen > 0n && m.controllen <= 0x7fffffffn) {
    const len = Number(m.controllen);
    const bytes = len <= CONTROL_MAX ? ctx.mm.read(m.control, len) : null;
    if (bytes === null) {
      control = faultPtr(m.control, m.controllen);
    } else {
      const s = scratch.alloc(len);
      if (s === null) return err(E.ENOBUFS);
      s.view.set(bytes);
      const dv = scratchDataView(s.view);
      forEachCmsg(dv, len, (off, cl, level, type) => {
        if (level !== SOL_SOCKET) return;
        if (type === SCM_RIGHTS) {
          for (let p = off + CMSG_HDR; p + 4 <= off + cl; p += 4) dv.setInt32(p, hostFd(ctx, dv.getInt32(p, true)), true);
        } else if (type === SCM_CREDENTIALS && cl >= CMSG_HDR + UCRED.size) {
          if (dv.getInt32(off + CMSG_HDR, true) === ctx.proc.pid) dv.setInt32(off + CMSG_HDR, ctx.kernel.hostPid, true);
        }
      });
      control = s.ptr;
    }
  } else if (m.controllen > 0n) {
    control = FAULT_PTR; // > INT_MAX: the host's ENOBUFS
  }
  const hm = hostMsghdr({ name, namelen, iov: iov.ptr, iovlen: iov.len, control, controllen: m.controllen, flags: m.flags });
  if (hm === null) return err(E.ENOBUFS);
  const r = inGuestCwd(ctx, relativeUnixPath(nameBytes), () => hs(HOST.sendmsg, h, hm.ptr, flags!));
  return raiseSigpipe(ctx, r, (asUint(flags!) & MSG_NOSIGNAL) !== 0);
};

/**
 * Received control data made the guest's: each SCM_RIGHTS host descriptor becomes a new guest
 * descriptor (the ones that do not fit are closed and the message cut, with MSG_CTRUNC, as
 * scm_detach_fds does), SCM_CREDENTIALS naming this host process names the guest process.
 * Returns the new used length and flags.
 */
function adoptControl(ctx: SyscallContext, dv: DataView, used: number, msgFlags: number, cloexec: boolean): { used: number; flags: number } {
  let flags = msgFlags;
  let end = used;
  forEachCmsg(dv, used, (off, cl, level, type) => {
    if (level !== SOL_SOCKET) return;
    if (type === SCM_CREDENTIALS && cl >= CMSG_HDR + UCRED.size) {
      if (dv.getInt32(off + CMSG_HDR, true) === ctx.kernel.hostPid) dv.setInt32(off + CMSG_HDR, ctx.proc.pid, true);
      return;
    }
    if (type !== SCM_RIGHTS) return;
    const n = Math.floor((cl - CMSG_HDR) / 4);
    let installed = 0;
    for (let i = 0; i < n; i++) {
      const p = off + CMSG_HDR + 4 * i;
      const host = dv.getInt32(p, true);
      if (installed === i) {
        const file = new OpenFile(host, 'socket:scm_rights');
        const g = ctx.proc.fds.install(file, cloexec);
        if (g >= 0) {
          dv.setInt32(p, g, true);
          installed++;
          continue;
        }
        file.release();
        continue;
      }
      // The table filled up: the rest are closed, never seen by the guest.
      closeHost(host);
    }
    if (installed < n) {
      flags |= MSG_CTRUNC;
      if (installed === 0) {
        end = off;
      } else {
        dv.setBigUint64(off, BigInt(CMSG_HDR + 4 * installed), true);
        end = Math.min(used, off + cmsgAlign(CMSG_HDR + 4 * installed));
      }
      return false;
    }
  });
  return { used: end, flags };
}

const recvmsg: SyscallHandler = (ctx) => {
  const [fd, msg, flagsArg] = ctx.args;
  const mm = ctx.mm;
  const h = big(hostFd(ctx, asInt(fd!)));
  const flags = asUint(flagsArg!);
  const hostFlags = big((flags | MSG_CMSG_CLOEXEC) >>> 0);
  const raw = mm.read(msg!, MSGHDR.size);
  if (raw === null) return hs(HOST.recvmsg, h, faultPtr(msg!, big(MSGHDR.size)), hostFlags);
  const m = parseMsghdr(raw);
  // The name: host scratch of the room the guest gave (a negative length is the host's EINVAL).
  let name = 0n;
  let nameBuf: Uint8Array | undefined;
  const room = Math.max(0, Math.min(m.namelen, SOCKADDR_MAX));
  if (m.name !== 0n) {
    if (m.namelen < 0) name = FAULT_PTR;
    else if (!mm.accessible(m.name, big(room), PROT_WRITE)) name = faultPtr(m.name, big(room));
    else {
      const s = scratch.alloc(room);
      if (s === null) return err(E.ENOBUFS);
      name = s.ptr;
      nameBuf = s.view;
    }
  }
  const iov = msgIovecs(ctx, m, PROT_WRITE);
  let control = m.control;
  let controlBuf: Uint8Array | undefined;
  let controllen = m.controllen;
  if (m.control !== 0n && m.controllen > 0n) {
    controllen = m.controllen < BigInt(CONTROL_MAX) ? m.controllen : BigInt(CONTROL_MAX);
    if (!mm.accessible(m.control, controllen, PROT_WRITE)) control = faultPtr(m.control, controllen);
    else {
      const s = scratch.alloc(Number(controllen));
      if (s === null) return err(E.ENOBUFS);
      control = s.ptr;
      controlBuf = s.view;
    }
  }
  const hm = hostMsghdr({ name, namelen: m.namelen, iov: iov.ptr, iovlen: iov.len, control, controllen, flags: m.flags });
  if (hm === null) return err(E.ENOBUFS);
  const r = hs(HOST.recvmsg, h, hm.ptr, hostFlags);
  if (r < 0n) return r;
  commitChunks(mm, iov.chunks, r);
  const nl = netlinkSocket(ctx, asInt(fd!));
  if (nl !== undefined) fixReceived(mm, nl, iov.chunks, r);
  // What the host wrote back into its msghdr, made the guest's.
  // Linux seeds msg_flags with the caller's MSG_CMSG_CLOEXEC: report the guest's, not ours.
  let msgFlags = (hm.view.getInt32(F.msg_flags.offset, true) & ~MSG_CMSG_CLOEXEC) | (flags & MSG_CMSG_CLOEXEC);
  let used = Number(BigInt.asUintN(53, hm.view.getBigUint64(F.msg_controllen.offset, true)));
  let ok = true;
  if (controlBuf !== undefined) {
    used = Math.min(used, controlBuf.length);
    const adopted = adoptControl(ctx, scratchDataView(controlBuf), used, msgFlags, (flags & MSG_CMSG_CLOEXEC) !== 0);
    used = adopted.used;
    msgFlags = adopted.flags;
    if (used > 0) ok = mm.write(m.control, controlBuf.subarray(0, used)) && ok;
  }
  const fields = new Uint8Array(MSGHDR.size);
  const out = new DataView(fields.buffer);
  if (m.name !== 0n) {
    const klen = hm.view.getInt32(F.msg_namelen.offset, true);
    const n = Math.min(room, klen);
    if (nl !== undefined && nameBuf !== undefined) sockaddrToGuest(nl, nameBuf, n);
    if (nameBuf !== undefined && n > 0) ok = mm.write(m.name, nameBuf.subarray(0, n)) && ok;
    out.setInt32(0, klen, true);
    ok = mm.write(msg! + big(F.msg_namelen.offset), fields.subarray(0, 4)) && ok;
  }
  out.setBigUint64(8, BigInt(used), true);
  out.setInt32(16, msgFlags, true);
  ok = mm.write(msg! + big(F.msg_controllen.offset), fields.subarray(8, 16)) && ok;
  ok = mm.write(msg! + big(F.msg_flags.offset), fields.subarray(16, 20)) && ok;
  return ok ? r : EFAULT;
};

const sendto: SyscallHandler = (ctx) => {
  const [fd, buf, len, flags, addr, addrlen] = ctx.args;
  const h = big(hostFd(ctx, asInt(fd!)));
  const a = sockaddrIn(ctx, addr!, addrlen!, fd!);
  const nl = netlinkSocket(ctx, asInt(fd!));
  let chunks = guestChunks(ctx.mm, buf!, len!, PROT_READ);
  if (nl !== undefined) {
    const sent = sendChunks(ctx.mm, nl, chunks);
    if (sent === null) return err(E.ENOBUFS);
    chunks = sent;
  }
  const r = inGuestCwd(ctx, relativeUnixPath(a.bytes), () => {
    if (chunks.length <= 1) {
      return hs(HOST.sendto, h, chunks[0]?.host ?? FAULT_PTR, chunks[0]?.len ?? 0n, flags!, a.ptr, a.len);
    }
    const hm = hostMsghdr({ name: a.ptr, namelen: Number(a.len), iov: hostIovecs(chunks), iovlen: big(chunks.length), control: 0n, controllen: 0n, flags: 0 });
    return hm === null ? err(E.ENOBUFS) : hs(HOST.sendmsg, h, hm.ptr, flags!);
  });
  return raiseSigpipe(ctx, r, (asUint(flags!) & MSG_NOSIGNAL) !== 0);
};

const recvfrom: SyscallHandler = (ctx) => {
  const [fd, buf, len, flags, addr, addrlen] = ctx.args;
  const h = big(hostFd(ctx, asInt(fd!)));
  const chunks = guestChunks(ctx.mm, buf!, len!, PROT_WRITE);
  const nl = netlinkSocket(ctx, asInt(fd!));
  const out = sockaddrOut(ctx, addr!, addrlen!, nl);
  let r: bigint;
  if (chunks.length <= 1) {
    r = hs(HOST.recvfrom, h, chunks[0]?.host ?? FAULT_PTR, chunks[0]?.len ?? 0n, flags!, out.addrPtr, out.lenPtr);
  } else {
    // Several host ranges: recvmsg with a name does what recvfrom does.
    const hm = hostMsghdr({ name: out.addrPtr, namelen: out.ulen, iov: hostIovecs(chunks), iovlen: big(chunks.length), control: 0n, controllen: 0n, flags: 0 });
    if (hm === null) return err(E.ENOBUFS);
    r = hs(HOST.recvmsg, h, hm.ptr, flags!);
    if (r >= 0n) out.setLen(hm.view.getInt32(F.msg_namelen.offset, true));
  }
  if (r < 0n) return r;
  commitChunks(ctx.mm, chunks, r);
  if (nl !== undefined) fixReceived(ctx.mm, nl, chunks, r);
  if (addr! !== 0n && !out.finish()) return EFAULT;
  return r;
};

// ---- socket options ---------------------------------------------------------------------

const SO_PEERCRED = 17;
/** SO_ATTACH_FILTER (setsockopt) is SO_GET_FILTER (getsockopt); SO_ATTACH_REUSEPORT_CBPF also takes a classic filter. */
const SO_ATTACH_FILTER = 26;
const SO_GET_FILTER = 26;
const SO_ATTACH_REUSEPORT_CBPF = 51;
/** Options whose argument holds a descriptor the host cannot take from the guest (or would make one). */
const REFUSED_OPTIONS: ReadonlySet<number> = new Set([
  50, // SO_ATTACH_BPF: a BPF program descriptor
  52, // SO_ATTACH_REUSEPORT_EBPF
  77, // SO_PEERPIDFD: would create a host descriptor
]);
const OPT_MAX = 1 << 16;
/** struct sock_fprog (len, then a pointer to struct sock_filter[len], 8 bytes each); BPF_MAXINSNS. */
const SOCK_FPROG_SIZE = 16;
const SOCK_FILTER_SIZE = 8;
const BPF_MAXINSNS = 4096;

/**
 * SO_ATTACH_FILTER / SO_ATTACH_REUSEPORT_CBPF: the guest's struct sock_fprog and its classic BPF
 * program are copied into host memory and given to the host socket (Linux's checks first:
 * EINVAL for another optlen, an empty or too long program or none; EFAULT for unreadable ones).
 */
function attachClassicFilter(ctx: SyscallContext, h: number, name: number, optval: bigint, optlen: number): bigint {
  if (optlen !== SOCK_FPROG_SIZE) return err(E.EINVAL);
  const raw = ctx.mm.read(optval, SOCK_FPROG_SIZE);
  if (raw === null) return EFAULT;
  const dv = new DataView(raw.buffer, raw.byteOffset, SOCK_FPROG_SIZE);
  const len = dv.getUint16(0, true);
  const filter = dv.getBigUint64(8, true);
  if (len === 0 || len > BPF_MAXINSNS || filter === 0n) return err(E.EINVAL);
  const insns = ctx.mm.read(filter, len * SOCK_FILTER_SIZE);
  if (insns === null) return EFAULT;
  const progS = scratch.alloc(SOCK_FPROG_SIZE);
  const insnS = scratchCopy(insns);
  if (progS === null) return err(E.ENOMEM);
  const pv = scratchDataView(progS.view);
  pv.setUint16(0, len, true);
  pv.setBigUint64(8, insnS, true);
  return hs(HOST.setsockopt, big(h), big(SOL_SOCKET), big(name), progS.ptr, big(SOCK_FPROG_SIZE));
}

const getsockopt: SyscallHandler = (ctx) => {
  const [fd, levelArg, nameArg, optval, optlen] = ctx.args;
  const level = asInt(levelArg!);
  const name = asInt(nameArg!);
  const h = hostFd(ctx, asInt(fd!));
  if (h === NO_FD) return EBADF;
  if (level === SOL_SOCKET && REFUSED_OPTIONS.has(name)) return err(E.ENOPROTOOPT);
  const mm = ctx.mm;
  const lenBytes = mm.read(optlen!, 4);
  if (lenBytes === null) return hs(HOST.getsockopt, big(h), big(level), big(name), FAULT_PTR, faultPtr(optlen!, 4n));
  const ulen = new DataView(lenBytes.buffer, lenBytes.byteOffset, 4).getInt32(0, true);
  // SO_GET_FILTER counts its length in filter blocks, not bytes.
  const unit = level === SOL_SOCKET && name === SO_GET_FILTER ? SOCK_FILTER_SIZE : 1;
  const room = Math.max(0, Math.min(ulen, Math.floor(OPT_MAX / unit))) * unit;
  const lenS = scratch.alloc(4);
  const valS = scratch.alloc(room);
  if (lenS === null || valS === null) return err(E.ENOMEM);
  scratchDataView(lenS.view).setInt32(0, ulen, true);
  // The host fills its own buffer; the guest's gets only the bytes the option has (Linux copies
  // min(optlen, the option's size) out: an int option asked with optlen 5 at the end of a page is
  // no EFAULT, and optlen comes back as 4).
  const r = hs(HOST.getsockopt, big(h), big(level), big(name), optval! === 0n ? 0n : valS.ptr, lenS.ptr);
  if (r < 0n) return r;
  const klen = scratchDataView(lenS.view).getInt32(0, true);
  const n = Math.max(0, Math.min(room, klen * unit));
  if (level === SOL_SOCKET && name === SO_PEERCRED && n >= 4) {
    const dv = scratchDataView(valS.view);
    if (dv.getInt32(0, true) === ctx.kernel.hostPid) dv.setInt32(0, ctx.proc.pidns.idOf(ctx.proc.pid), true);
  }
  if (n > 0 && optval! !== 0n && !mm.write(optval!, valS.view.subarray(0, n))) return EFAULT;
  return mm.write(optlen!, lenS.view) ? r : EFAULT;
};

const setsockopt: SyscallHandler = (ctx) => {
  const [fd, levelArg, nameArg, optval, optlenArg] = ctx.args;
  const level = asInt(levelArg!);
  const name = asInt(nameArg!);
  const h = hostFd(ctx, asInt(fd!));
  if (h === NO_FD) return EBADF;
  if (level === SOL_SOCKET && REFUSED_OPTIONS.has(name)) return err(E.ENOPROTOOPT);
  const optlen = asInt(optlenArg!);
  if (level === SOL_SOCKET && (name === SO_ATTACH_FILTER || name === SO_ATTACH_REUSEPORT_CBPF)) return attachClassicFilter(ctx, h, name, optval!, optlen);
  const ptr = optlen > 0 && optlen <= OPT_MAX ? inPtr(ctx.mm, optval!, optlen) : optval! === 0n ? 0n : FAULT_PTR;
  return hs(HOST.setsockopt, big(h), big(level), big(name), ptr, big(optlen));
};

// ---- sendmmsg, recvmmsg ------------------------------------------------------------------

/** struct mmsghdr: a msghdr, then the byte count the kernel writes back (padded to 64). */
const MMSGHDR_SIZE = 64;
const MMSG_LEN_OFFSET = 56;
const UIO_MAXIOV = 1024;
const MSG_DONTWAIT = 0x40;
const MSG_WAITFORONE = 0x10000;

/** The same context with other arguments (one message of a vector). */
function withArgs(ctx: SyscallContext, args: readonly bigint[]): SyscallContext {
  return Object.create(ctx, { args: { value: args } }) as SyscallContext;
}

/**
 * sendmmsg/recvmmsg: one sendmsg/recvmsg per vector entry, each count written to its msg_len;
 * the messages done are returned, or the first one's error. Only the first may wait (the
 * caller's waitsFor); the next ones do not (as with MSG_WAITFORONE for recvmmsg).
 */
function eachMessage(one: SyscallHandler, flagsFor: (ctx: SyscallContext, i: number) => bigint): SyscallHandler {
  return (ctx) => {
    const [fd, vec, vlenArg] = ctx.args;
    const vlen = Math.min(asUint(vlenArg!), UIO_MAXIOV);
    let done = 0;
    for (let i = 0; i < vlen; i++) {
      const entry = vec! + big(i * MMSGHDR_SIZE);
      const r = one(withArgs(ctx, [fd!, entry, flagsFor(ctx, i)]));
      if (r < 0n) {
        if (done === 0) return r;
        break;
      }
      const len = new Uint8Array(4);
      new DataView(len.buffer).setUint32(0, Number(r), true);
      if (!ctx.mm.write(entry + big(MMSG_LEN_OFFSET), len)) return done === 0 ? EFAULT : big(done);
      done++;
    }
    return big(done);
  };
}

const sendmmsg = eachMessage(sendmsg, (ctx, i) => big((asInt(ctx.args[3]!) | (i > 0 ? MSG_DONTWAIT : 0)) >>> 0));
const recvmmsgEach = eachMessage(recvmsg, (ctx, i) => big(((asInt(ctx.args[3]!) & ~MSG_WAITFORONE) | (i > 0 ? MSG_DONTWAIT : 0)) >>> 0));

/** When each recvmmsg call with a timeout began, and the timeout (ns), kept across its waits. */
const recvmmsgDeadlines = new WeakMap<SyscallContext, { start: bigint; ns: bigint }>();

/**
 * recvmmsg's timeout as Linux's __sys_recvmmsg has it: read (EFAULT) and checked (EINVAL) before
 * anything else, even a bad descriptor; once messages came, the time left is written back. As in
 * Linux, the timeout does not end the wait for the first message.
 */
function recvmmsgTimeout(wait: SyscallHandler): SyscallHandler {
  return (ctx) => {
    const tsAddr = ctx.args[4]!;
    if (tsAddr === 0n) return wait(ctx);
    const b = ctx.mm.read(tsAddr, 16);
    if (b === null) return EFAULT;
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    const sec = dv.getBigInt64(0, true);
    const nsec = dv.getBigInt64(8, true);
    if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return err(E.EINVAL);
    recvmmsgDeadlines.set(ctx, { start: process.hrtime.bigint(), ns: sec * 1_000_000_000n + nsec });
    return wait(ctx);
  };
}

const recvmmsg: SyscallHandler = (ctx) => {
  const r = recvmmsgEach(ctx);
  const d = recvmmsgDeadlines.get(ctx);
  if (r <= 0n || d === undefined) return r;
  let left = d.ns - (process.hrtime.bigint() - d.start);
  if (left < 0n) left = 0n;
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  dv.setBigInt64(0, left / 1_000_000_000n, true);
  dv.setBigInt64(8, left % 1_000_000_000n, true);
  return ctx.mm.write(ctx.args[4]!, out) ? r : EFAULT;
};

// ---- the table --------------------------------------------------------------------------

const f = (h: SyscallHandler): ReturnType<typeof full> => full(withScratch(h));
const p = (h: SyscallHandler, note: string): ReturnType<typeof partial> => partial(withScratch(h), note);

const CONNECT_NOTE = 'AF_UNIX, AF_INET, AF_INET6 (a blocking AF_INET/AF_INET6 connect parks its task until the handshake ends)';

const SOCKET = { socketsOnly: true } as const;

export const NET_SYSCALLS: SyscallTable = byReplay({
  apply: {
    socket: p(socket, 'AF_UNIX, AF_INET, AF_INET6, AF_NETLINK (NETLINK_ROUTE only, its ports made guest pids); other netlink protocols EPROTONOSUPPORT, other families (AF_PACKET…) EAFNOSUPPORT'),
    socketpair: p(socketpair, 'AF_UNIX only; a family the host could pair is refused with EAFNOSUPPORT'),
    bind: f(bind),
    connect: p(connect, CONNECT_NOTE),
    listen: f(listen),
    accept: f(waitsFor(0, POLLIN, accept, SOCKET)),
    accept4: f(waitsFor(0, POLLIN, accept4, SOCKET)),
    getsockname: f(nameCall(HOST.getsockname)),
    getpeername: f(nameCall(HOST.getpeername)),
    shutdown: f(shutdown),
    sendmsg: p(waitsFor(0, POLLOUT, sendmsg, { flagsArg: 2, socketsOnly: true }), 'SCM_RIGHTS and SCM_CREDENTIALS translated; other control messages passed as they are'),
    recvmsg: p(waitsFor(0, POLLIN, recvmsg, { flagsArg: 2, socketsOnly: true }), 'SCM_RIGHTS and SCM_CREDENTIALS translated; control data beyond 1 MiB is cut (MSG_CTRUNC)'),
    sendmmsg: p(waitsFor(0, POLLOUT, sendmmsg, { flagsArg: 3, socketsOnly: true }), 'one sendmsg per message; only the first waits'),
    recvmmsg: p(recvmmsgTimeout(waitsFor(0, POLLIN, recvmmsg, { flagsArg: 3, socketsOnly: true })), 'one recvmsg per message; only the first waits (as MSG_WAITFORONE); the timeout is checked and the time left written back, as Linux does, but it ends no wait'),
    sendto: f(waitsFor(0, POLLOUT, sendto, { flagsArg: 3, socketsOnly: true })),
    recvfrom: f(waitsFor(0, POLLIN, recvfrom, { flagsArg: 3, socketsOnly: true })),
    getsockopt: p(getsockopt, 'SO_PEERPIDFD and eBPF options refused (ENOPROTOOPT); SO_PEERCRED pid translated; SO_GET_FILTER copies the classic filter out'),
    setsockopt: p(setsockopt, 'eBPF options refused (ENOPROTOOPT); SO_ATTACH_FILTER/SO_ATTACH_REUSEPORT_CBPF copy the classic filter to the host socket'),
  },
});
