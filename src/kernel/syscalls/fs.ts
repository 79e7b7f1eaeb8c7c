// File system syscalls: thin adapters from the guest's descriptors, pointers and flag bits to
// host syscalls (see host-abi.ts for how guest memory reaches the host and how faults stay
// faithful). Guest descriptor numbers are virtual: they name entries of the process's FdTable,
// each holding a host descriptor the kernel owns, always opened close-on-exec on the host so
// nothing leaks into host children; the guest's close-on-exec flag lives in the table.
//
// A call that would block (read from an empty pipe, F_SETLKW) blocks the whole host process:
// guests are single-threaded for now.
import { SignalFile } from '../files/signal-file.js';
import { MemFile } from '../files/mem-file.js';
import { readSignals } from './signalfd.js';
import { UserfaultFile, userfaultfdIoctl } from './userfaultfd.js';
import { waitsFor, POLLIN, POLLOUT } from './host-wait.js';
import { isFifo, mayWaitOnFifo, openFifo } from './fifo-open.js';
import { isProcRoot, listGuestEntries, listProcRoot, listsGuestEntries } from '../files/proc-listing.js';
import { readlinkSync } from 'node:fs';
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { FLOCK, STATX, TERMIOS, WINSIZE } from '../../abi/structs.js';
import { OpenFile } from '../files/open-file.js';
import { NsFile, nsIoctl, nsLinkText, openNsHost } from '../files/ns-file.js';
import { DESCRIPTION_COMMANDS, F_GETOWN, F_SETOWN, descriptionCommand } from './fcntl-owner.js';
import { sockIfIoctl } from './sock-ioctl.js';
import { interfaceIoctl } from '../../abi/interface-ioctls.js';
import { isRunningText } from '../files/running-text.js';
import { PROT_READ, PROT_WRITE } from '../memory/address-space.js';
import { byReplay, asInt, asLong, asUint, full, partial, type SyscallContext, type SyscallHandler, type SyscallTable } from './types.js';
import {
  AT_FDCWD, EBADF, EFAULT, EINVAL, EMFILE, FAULT_PTR, HOST_STRUCTS, IOV_MAX, O_CLOEXEC, O_CREAT, O_TMPFILE,
  DEV_FD_LINKS, closeHost, commitChunks, convertStruct, err, faultPtr, guestChunks, hostDirFd, hostFd, hostIovecs, hostPath,
  inPtr, iovecChunks, byteOut, raiseSigpipe, openFlagsToGuest, openFlagsToHost, outPtr, readGuestIovecs, sameLayout, scratch,
  scratchDataView, withScratch, withUmask, type Chunk, type OutBuffer,
} from './host-abi.js';

const O_PATH = 0o10000000;
const O_WRONLY = 1;
const O_TRUNC = 0o1000;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_REMOVEDIR = 0x200;
const AT_EMPTY_PATH = 0x1000;
const AT_EACCESS = 0x200;
const X_OK = 1;

const big = (n: number): bigint => BigInt(n);

/** Installs a new open file at the lowest free descriptor; EMFILE (and the host side closed) when full. */
export function installFile(ctx: SyscallContext, file: OpenFile, cloexec: boolean): bigint {
  const fd = ctx.proc.fds.install(file, cloexec);
  if (fd < 0) {
    file.release();
    return EMFILE;
  }
  return big(fd);
}

/** The host's struct for a guest output, finished after a successful call (converted if needed). */
function finishOut(out: OutBuffer, convert?: (hostBytes: Uint8Array) => Uint8Array): boolean {
  if (out.scratch === undefined || convert === undefined) return out.finish();
  return out.finish(convert(out.scratch));
}

// ---- open, close ------------------------------------------------------------------------

/** A path through a process's descriptor links: /proc/PID[/task/TID]/fd/N, /dev/fd/N, /dev/stdin... */
const FD_LINK_PATH = /^\/(?:proc\/[^/]+\/(?:task\/\d+\/)?fd\/|dev\/(?:fd\/|stdin$|stdout$|stderr$))/;

function openAt(ctx: SyscallContext, dirfd: number, pathAddr: bigint, flags: number, mode: bigint): bigint {
  const path = hostPath(ctx, pathAddr);
  // Linux reserves the descriptor before it looks the name up: a full table creates nothing.
  if (path.text !== undefined && ctx.proc.fds.lowestFree() < 0) return EMFILE;
  const hflags = big(openFlagsToHost(ctx.arch, flags) | O_CLOEXEC);
  // Writing to the executable of a running process: ETXTBSY, before anything is truncated.
  if ((flags & 3) !== 0 && path.text !== undefined) {
    // (A /proc path other than the guest's own exe link names host state: not looked at.)
    const target = path.exe ?? (path.text.startsWith('/proc/') ? undefined
      : path.text.startsWith('/') ? path.text : `/proc/self/fd/${hostDirFd(ctx, dirfd)}/${path.text}`);
    if (target !== undefined && isRunningText(ctx.kernel, target)) return -BigInt(E.ETXTBSY);
  }
  const call = (): bigint => hs(HOST.openat, big(hostDirFd(ctx, dirfd)), path.ptr, hflags, mode);
  const install = (fd: number): bigint => {
    const file = path.ns !== undefined ? new NsFile(fd, path.ns)
      : path.mem !== undefined ? new MemFile(fd, path.mem)
      : new OpenFile(fd, path.text ?? '');
    if (path.list !== undefined) listsGuestEntries(file, path.list);
    return installFile(ctx, file, (flags & O_CLOEXEC) !== 0);
  };
  // A FIFO opened for one direction waits for the other end, in the guest only (fifo-open.ts).
  // (Not a pipe opened again through /proc/PID/fd or /dev/fd: its writer is there already, as
  // in bash's process substitution, and it would wait for data instead.)
  if (path.text !== undefined && mayWaitOnFifo(Number(hflags)) && !FD_LINK_PATH.test(path.text) && isFifo(hostDirFd(ctx, dirfd), path.ptr)) {
    // A retry comes in a later run of the kernel, whose calls reuse the scratch memory that
    // may hold the host path: it is made again.
    return openFifo(ctx, Number(hflags), (h) => hs(HOST.openat, big(hostDirFd(ctx, dirfd)), hostPath(ctx, pathAddr).ptr, big(h), mode), install);
  }
  const creates = (flags & O_CREAT) !== 0 || (flags & O_TMPFILE) !== 0;
  const r = creates ? withUmask(ctx.proc.umask, call) : call();
  if (r < 0n) return r;
  return install(Number(r));
}

const openat: SyscallHandler = (ctx) => {
  const [dirfd, path, flags, mode] = ctx.args;
  return openAt(ctx, asInt(dirfd!), path!, asInt(flags!), mode!);
};

const open: SyscallHandler = (ctx) => {
  const [path, flags, mode] = ctx.args;
  return openAt(ctx, AT_FDCWD, path!, asInt(flags!), mode!);
};

const creat: SyscallHandler = (ctx) => {
  const [path, mode] = ctx.args;
  return openAt(ctx, AT_FDCWD, path!, O_CREAT | O_WRONLY | O_TRUNC, mode!);
};

const close: SyscallHandler = (ctx) => (ctx.proc.fds.close(asInt(ctx.args[0]!)) ? 0n : EBADF);

const CLOSE_RANGE_UNSHARE = 2;
const CLOSE_RANGE_CLOEXEC = 4;

const closeRange: SyscallHandler = (ctx) => {
  const first = asUint(ctx.args[0]!);
  const last = asUint(ctx.args[1]!);
  const flags = asUint(ctx.args[2]!);
  if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) !== 0 || first > last) return EINVAL;
  const fds = ctx.proc.fds;
  for (const fd of fds.descriptors()) {
    if (fd < first || fd > last) continue;
    if ((flags & CLOSE_RANGE_CLOEXEC) !== 0) fds.get(fd)!.cloexec = true;
    else fds.close(fd);
  }
  return 0n;
};

// ---- read and write ---------------------------------------------------------------------

/** At most UIO_MAXIOV host iovecs (a guest iovec can become several): the rest is a short transfer. */
function capIovecs(chunks: Chunk[]): Chunk[] {
  return chunks.length > IOV_MAX ? chunks.slice(0, IOV_MAX) : chunks;
}

/** read/pread64 (into the guest) and write/pwrite64 (from it) on one guest buffer. */
function transfer(ctx: SyscallContext, toGuest: boolean, fd: number, addr: bigint, len: bigint, pos?: bigint, rwf?: bigint): bigint {
  const file = ctx.proc.fds.get(fd)?.file;
  if (file instanceof MemFile) return memTransfer(ctx, file, toGuest, addr, len, pos);
  const h = big(hostFd(ctx, fd));
  const chunks = capIovecs(guestChunks(ctx.mm, addr, len, toGuest ? PROT_WRITE : PROT_READ));
  let r: bigint;
  if (rwf !== undefined) {
    // Per-call flags (RWF_*) exist only on the vectored calls; -1 is the file's own position.
    r = hs(toGuest ? HOST.preadv2 : HOST.pwritev2, h, hostIovecs(chunks), big(chunks.length), pos ?? -1n, 0n, rwf);
  } else if (chunks.length <= 1) {
    const ptr = chunks[0]?.host ?? FAULT_PTR;
    const n = chunks[0]?.len ?? 0n;
    if (pos === undefined) r = hs(toGuest ? HOST.read : HOST.write, h, ptr, n);
    else r = hs(toGuest ? HOST.pread64 : HOST.pwrite64, h, ptr, n, pos);
  } else {
    // The buffer spans host reservations or ends in a fault: the vectored call does the same.
    const iov = hostIovecs(chunks);
    const cnt = big(chunks.length);
    if (pos === undefined) r = hs(toGuest ? HOST.readv : HOST.writev, h, iov, cnt);
    else r = hs(toGuest ? HOST.preadv : HOST.pwritev, h, iov, cnt, pos, 0n);
  }
  if (toGuest && r > 0n) commitChunks(ctx.mm, chunks, r);
  return toGuest ? r : raiseSigpipe(ctx, r);
}

/** readv/writev/preadv/pwritev/preadv2/pwritev2 with a guest iovec array. */
function vectored(ctx: SyscallContext, toGuest: boolean, fd: number, iovAddr: bigint, vlen: bigint, pos?: bigint, flags?: bigint): bigint {
  const h = big(hostFd(ctx, fd));
  const call = (iov: bigint, cnt: bigint): bigint => {
    if (pos === undefined) return hs(toGuest ? HOST.readv : HOST.writev, h, iov, cnt);
    if (flags === undefined) return hs(toGuest ? HOST.preadv : HOST.pwritev, h, iov, cnt, pos, 0n);
    return hs(toGuest ? HOST.preadv2 : HOST.pwritev2, h, iov, cnt, pos, 0n, flags);
  };
  // Too many, or an unreadable array: the host reports it, after its own EBADF checks.
  if (vlen > BigInt(IOV_MAX)) return call(FAULT_PTR, vlen);
  const iovs = readGuestIovecs(ctx.mm, iovAddr, Number(vlen));
  if (iovs === null) return call(faultPtr(iovAddr, vlen * 16n), vlen);
  const file = ctx.proc.fds.get(fd)?.file;
  if (file instanceof MemFile) return memVectored(ctx, file, toGuest, iovs, pos);
  const chunks = capIovecs(iovecChunks(ctx.mm, iovs, toGuest ? PROT_WRITE : PROT_READ));
  const r = call(hostIovecs(chunks), big(chunks.length));
  if (toGuest && r > 0n) commitChunks(ctx.mm, chunks, r);
  return toGuest ? r : raiseSigpipe(ctx, r);
}

/** The most one read or write of /proc/PID/mem moves (Linux moves all; a short count is allowed). */
const MEM_TRANSFER_MAX = 16n << 20n;

/** read/write/pread64/pwrite64 of /proc/PID/mem: another process's memory (files/mem-file.ts). */
function memTransfer(ctx: SyscallContext, file: MemFile, toGuest: boolean, addr: bigint, lenArg: bigint, pos?: bigint): bigint {
  const len = Number(lenArg > MEM_TRANSFER_MAX ? MEM_TRANSFER_MAX : lenArg);
  const at = pos === undefined ? file.position : BigInt.asUintN(64, pos);
  let r: bigint;
  if (toGuest) {
    const bytes = file.read(at, len);
    if (typeof bytes === 'bigint') return bytes;
    if (!ctx.mm.write(addr, bytes)) return EFAULT;
    r = BigInt(bytes.length);
  } else {
    const bytes = ctx.mm.read(addr, len);
    if (bytes === null) return EFAULT;
    r = file.write(at, bytes.slice());
    if (r < 0n) return r;
  }
  if (pos === undefined) file.position = BigInt.asUintN(64, at + r);
  return r;
}

/** The vectored calls on /proc/PID/mem: one transfer per iovec, until one comes up short. */
function memVectored(ctx: SyscallContext, file: MemFile, toGuest: boolean, iovs: readonly { base: bigint; len: bigint }[], pos?: bigint): bigint {
  let done = 0n;
  for (const { base, len } of iovs) {
    if (len === 0n) continue;
    const r = memTransfer(ctx, file, toGuest, base, len, pos === undefined ? undefined : pos + done);
    if (r < 0n) return done > 0n ? done : r;
    done += r;
    if (r < len) break;
  }
  return done;
}

const RWF_NOWAIT = 8n;

/**
 * read/write of a pipe, FIFO or device without waiting, in one host call where a readiness poll
 * and the call were two: -EAGAIN when it would wait, -EOPNOTSUPP when the host cannot do this
 * for the descriptor (a terminal), undefined when the call needs the ordinary path (a signalfd,
 * an empty buffer, or a write that could end short).
 */
function transferNowait(ctx: SyscallContext, toGuest: boolean, done: bigint): bigint | undefined {
  const fd = asInt(ctx.args[0]!);
  const len = ctx.args[2]!;
  // An empty buffer waits for nothing; a signalfd's reads are the kernel's own (readSignals).
  if (len === 0n || ctx.proc.fds.get(fd)?.file instanceof SignalFile) return undefined;
  // (A pipe write of at most PIPE_BUF bytes is all or nothing: the host's EAGAIN. A longer one
  // may go part of the way; waitsFor writes the rest as room comes.)
  return transfer(ctx, toGuest, fd, ctx.args[1]! + done, len - done, undefined, RWF_NOWAIT);
}

/** writev's iovecs (null: too many, or unreadable: the call itself then says why). */
function writevIovecs(ctx: SyscallContext): { base: bigint; len: bigint }[] | null {
  const vlen = ctx.args[2]!;
  return vlen > BigInt(IOV_MAX) ? null : readGuestIovecs(ctx.mm, ctx.args[1]!, Number(vlen));
}

/** writev's counterpart of transferNowait: the iovecs from byte `done` on, never waiting. */
function writevNowait(ctx: SyscallContext, done: bigint): bigint | undefined {
  const fd = asInt(ctx.args[0]!);
  const iovs = writevIovecs(ctx);
  if (iovs === null || iovs.some((v) => BigInt.asIntN(64, v.len) < 0n) || ctx.proc.fds.get(fd)?.file instanceof MemFile) return undefined;
  // The bytes written already are left out.
  const rest: { base: bigint; len: bigint }[] = [];
  let skip = done;
  for (const v of iovs) {
    if (skip >= v.len) {
      skip -= v.len;
      continue;
    }
    rest.push({ base: v.base + skip, len: v.len - skip });
    skip = 0n;
  }
  if (rest.length === 0) return undefined;
  const chunks = capIovecs(iovecChunks(ctx.mm, rest, PROT_READ));
  const r = hs(HOST.pwritev2, big(hostFd(ctx, fd)), hostIovecs(chunks), big(chunks.length), -1n, 0n, RWF_NOWAIT);
  return raiseSigpipe(ctx, r);
}

/** The bytes a writev moves: its iovecs' lengths (0 when they cannot be read: the call says why). */
function writevLength(ctx: SyscallContext): bigint {
  return writevIovecs(ctx)?.reduce((n, v) => n + v.len, 0n) ?? 0n;
}

const read: SyscallHandler = (ctx) => {
  const fd = asInt(ctx.args[0]!);
  const file = ctx.proc.fds.get(fd)?.file;
  if (file instanceof SignalFile) return readSignals(ctx, file, ctx.args[1]!, ctx.args[2]!);
  return transfer(ctx, true, fd, ctx.args[1]!, ctx.args[2]!);
};
const write: SyscallHandler = (ctx) => transfer(ctx, false, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!);
const pread64: SyscallHandler = (ctx) => transfer(ctx, true, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!, asLong(ctx.args[3]!));
const pwrite64: SyscallHandler = (ctx) => transfer(ctx, false, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!, asLong(ctx.args[3]!));
const readv: SyscallHandler = (ctx) => vectored(ctx, true, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!);
const writev: SyscallHandler = (ctx) => vectored(ctx, false, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!);
// preadv(fd, iov, vlen, pos_l, pos_h): on 64-bit the offset is pos_l alone.
const preadv: SyscallHandler = (ctx) => vectored(ctx, true, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!, ctx.args[3]!);
const pwritev: SyscallHandler = (ctx) => vectored(ctx, false, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!, ctx.args[3]!);
const preadv2: SyscallHandler = (ctx) => vectored(ctx, true, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!, ctx.args[3]!, ctx.args[5]!);
const pwritev2: SyscallHandler = (ctx) => vectored(ctx, false, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!, ctx.args[3]!, ctx.args[5]!);

const lseek: SyscallHandler = (ctx) => {
  const [fd, off, whence] = ctx.args;
  const file = ctx.proc.fds.get(asInt(fd!))?.file;
  if (file instanceof MemFile) return file.seek(BigInt.asIntN(64, off!), asUint(whence!));
  return hs(HOST.lseek, big(hostFd(ctx, asInt(fd!))), off!, big(asUint(whence!)));
};

// ---- stat family ------------------------------------------------------------------------

/** A guest struct stat buffer for the host's (x86_64) struct stat, converted back if they differ. */
function statCall(ctx: SyscallContext, addr: bigint, call: (ptr: bigint) => bigint): bigint {
  const guest = ctx.arch.structs.stat;
  const host = HOST_STRUCTS.stat;
  const same = sameLayout(guest, host);
  const out = outPtr(ctx.mm, addr, guest.size, host.size, same);
  const r = call(out.ptr);
  if (r < 0n) return r;
  return finishOut(out, same ? undefined : (b) => convertStruct(host, guest, b)) ? r : EFAULT;
}

const fstat: SyscallHandler = (ctx) => {
  const h = big(hostFd(ctx, asInt(ctx.args[0]!)));
  return statCall(ctx, ctx.args[1]!, (ptr) => hs(HOST.fstat, h, ptr));
};

function fstatAt(ctx: SyscallContext, dirfd: number, pathAddr: bigint, buf: bigint, flags: bigint): bigint {
  const path = hostPath(ctx, pathAddr);
  const d = big(hostDirFd(ctx, dirfd));
  return statCall(ctx, buf, (ptr) => hs(HOST.newfstatat, d, path.ptr, ptr, flags));
}

const newfstatat: SyscallHandler = (ctx) => {
  const [dirfd, path, buf, flags] = ctx.args;
  return fstatAt(ctx, asInt(dirfd!), path!, buf!, big(asUint(flags!)));
};
const stat: SyscallHandler = (ctx) => fstatAt(ctx, AT_FDCWD, ctx.args[0]!, ctx.args[1]!, 0n);
const lstat: SyscallHandler = (ctx) => fstatAt(ctx, AT_FDCWD, ctx.args[0]!, ctx.args[1]!, big(AT_SYMLINK_NOFOLLOW));

const statx: SyscallHandler = (ctx) => {
  const [dirfd, pathAddr, flags, mask, buf] = ctx.args;
  const path = hostPath(ctx, pathAddr!);
  const out = outPtr(ctx.mm, buf!, STATX.size);
  const r = hs(HOST.statx, big(hostDirFd(ctx, asInt(dirfd!))), path.ptr, big(asUint(flags!)), big(asUint(mask!)), out.ptr);
  if (r < 0n) return r;
  return out.finish() ? r : EFAULT;
};

// ---- directories and links --------------------------------------------------------------

/** getdents64 (struct linux_dirent64 is the same everywhere) and x86_64's getdents (its host is x86_64). */
function getdentsWith(nr: number): SyscallHandler {
  return (ctx) => {
    const [fd, dirp, count] = ctx.args;
    const file = ctx.proc.fds.get(asInt(fd!))?.file;
    const guest = file === undefined || nr !== HOST.getdents64 ? undefined : listGuestEntries(file, asUint(count!));
    if (guest !== undefined) {
      if (typeof guest === 'bigint') return guest;
      return ctx.mm.write(dirp!, guest) ? big(guest.length) : EFAULT;
    }
    if (nr === HOST.getdents64 && file !== undefined && isProcRoot(file)) {
      // /proc lists the guest's processes, not the host's (proc-listing.ts).
      const ns = ctx.proc.pidns;
      const pids = (): number[] => [...ctx.kernel.processes()].map((g) => ns.idOf(g.pid)).filter((id) => id > 0).sort((a, b) => a - b);
      const r = listProcRoot(file, asUint(count!), pids);
      if (typeof r === 'bigint') return r;
      return ctx.mm.write(dirp!, r) ? big(r.length) : EFAULT;
    }
    const out = byteOut(ctx.mm, dirp!, big(asUint(count!)));
    const r = hs(nr, big(hostFd(ctx, asInt(fd!))), out.ptr, out.len);
    if (r > 0n) out.finish(r);
    return r;
  };
}

function readlinkAt(ctx: SyscallContext, dirfd: number, pathAddr: bigint, buf: bigint, size: bigint): bigint {
  const path = hostPath(ctx, pathAddr);
  const bufsiz = asInt(size);
  // bufsiz <= 0 is the host's EINVAL to give.
  // /proc/self/exe: the link's target is the guest's executable, not the host process's;
  // /proc/self and /proc/thread-self name the guest's pid and tid, not tstrace's.
  // In a root filesystem (--sysroot) the /proc links name the guest's paths, not the host's.
  const own = (path.exe !== undefined ? ctx.kernel.guestPath(path.exe) : undefined)
    ?? (path.ns !== undefined ? nsLinkText(path.ns) : undefined)
    ?? path.link
    ?? (path.text !== undefined ? DEV_FD_LINKS.get(path.text) : undefined)
    ?? (path.text === '/proc/self' ? String(ctx.proc.pid)
      : path.text === '/proc/thread-self' ? `${ctx.proc.pid}/task/${ctx.task.tid}` : undefined)
    ?? (ctx.kernel.sysroot !== undefined && path.text?.startsWith('/proc/') === true ? procLinkTarget(ctx, path.ptr) : undefined);
  if (own !== undefined && bufsiz > 0) {
    const target = Buffer.from(own, 'utf8').subarray(0, bufsiz);
    return ctx.mm.write(buf, target) ? big(target.length) : EFAULT;
  }
  const out = bufsiz > 0 ? byteOut(ctx.mm, buf, big(bufsiz)) : { ptr: buf === 0n ? 0n : FAULT_PTR, len: big(bufsiz), finish: () => {} };
  const r = hs(HOST.readlinkat, big(hostDirFd(ctx, dirfd)), path.ptr, out.ptr, out.len);
  if (r > 0n) out.finish(r);
  return r;
}

/** The guest's view of a /proc link's target (fd/N, cwd), or undefined to let the host answer. */
function procLinkTarget(ctx: SyscallContext, hostPathPtr: bigint): string | undefined {
  const s = scratch.alloc(4096);
  if (s === null) return undefined;
  const r = hs(HOST.readlinkat, big(AT_FDCWD), hostPathPtr, s.ptr, 4096n);
  if (r <= 0n) return undefined;
  const target = Buffer.from(s.view.subarray(0, Number(r))).toString('utf8');
  const guest = ctx.kernel.guestPath(target);
  return guest === target ? undefined : guest;
}

const readlinkat: SyscallHandler = (ctx) => {
  const [dirfd, path, buf, size] = ctx.args;
  return readlinkAt(ctx, asInt(dirfd!), path!, buf!, size!);
};
const readlink: SyscallHandler = (ctx) => readlinkAt(ctx, AT_FDCWD, ctx.args[0]!, ctx.args[1]!, ctx.args[2]!);

/** A host *at call with one guest path: (host dirfd, host path, ...rest). */
function pathCall(ctx: SyscallContext, nr: number, dirfd: number, pathAddr: bigint, rest: bigint[], creates = false): bigint {
  const path = hostPath(ctx, pathAddr);
  const call = (): bigint => hs(nr, big(hostDirFd(ctx, dirfd)), path.ptr, ...rest);
  return creates ? withUmask(ctx.proc.umask, call) : call();
}

/** A host call with two guest paths, each relative to its own directory. */
function twoPathCall(ctx: SyscallContext, nr: number, dfd1: number, p1: bigint, dfd2: number, p2: bigint, rest: bigint[]): bigint {
  const a = hostPath(ctx, p1);
  const b = hostPath(ctx, p2);
  return hs(nr, big(hostDirFd(ctx, dfd1)), a.ptr, big(hostDirFd(ctx, dfd2)), b.ptr, ...rest);
}

const a = (ctx: SyscallContext, i: number): bigint => ctx.args[i]!;
const fdAt = (ctx: SyscallContext, i: number): number => asInt(ctx.args[i]!);
const u32 = (ctx: SyscallContext, i: number): bigint => big(asUint(ctx.args[i]!));

const faccessat: SyscallHandler = (ctx) => pathCall(ctx, HOST.faccessat, fdAt(ctx, 0), a(ctx, 1), [u32(ctx, 2)]);
const faccessat2: SyscallHandler = (ctx) => pathCall(ctx, HOST.faccessat2, fdAt(ctx, 0), a(ctx, 1), [u32(ctx, 2), u32(ctx, 3)]);
const access: SyscallHandler = (ctx) => pathCall(ctx, HOST.faccessat, AT_FDCWD, a(ctx, 0), [u32(ctx, 1)]);

const unlinkat: SyscallHandler = (ctx) => pathCall(ctx, HOST.unlinkat, fdAt(ctx, 0), a(ctx, 1), [u32(ctx, 2)]);
const unlink: SyscallHandler = (ctx) => pathCall(ctx, HOST.unlinkat, AT_FDCWD, a(ctx, 0), [0n]);
const rmdir: SyscallHandler = (ctx) => pathCall(ctx, HOST.unlinkat, AT_FDCWD, a(ctx, 0), [big(AT_REMOVEDIR)]);

const mkdirat: SyscallHandler = (ctx) => pathCall(ctx, HOST.mkdirat, fdAt(ctx, 0), a(ctx, 1), [u32(ctx, 2)], true);
const mkdir: SyscallHandler = (ctx) => pathCall(ctx, HOST.mkdirat, AT_FDCWD, a(ctx, 0), [u32(ctx, 1)], true);
const mknodat: SyscallHandler = (ctx) => pathCall(ctx, HOST.mknodat, fdAt(ctx, 0), a(ctx, 1), [u32(ctx, 2), u32(ctx, 3)], true);
const mknod: SyscallHandler = (ctx) => pathCall(ctx, HOST.mknodat, AT_FDCWD, a(ctx, 0), [u32(ctx, 1), u32(ctx, 2)], true);

const renameat2: SyscallHandler = (ctx) => twoPathCall(ctx, HOST.renameat2, fdAt(ctx, 0), a(ctx, 1), fdAt(ctx, 2), a(ctx, 3), [u32(ctx, 4)]);
const renameat: SyscallHandler = (ctx) => twoPathCall(ctx, HOST.renameat2, fdAt(ctx, 0), a(ctx, 1), fdAt(ctx, 2), a(ctx, 3), [0n]);
const rename: SyscallHandler = (ctx) => twoPathCall(ctx, HOST.renameat2, AT_FDCWD, a(ctx, 0), AT_FDCWD, a(ctx, 1), [0n]);

const linkat: SyscallHandler = (ctx) => twoPathCall(ctx, HOST.linkat, fdAt(ctx, 0), a(ctx, 1), fdAt(ctx, 2), a(ctx, 3), [u32(ctx, 4)]);
const link: SyscallHandler = (ctx) => twoPathCall(ctx, HOST.linkat, AT_FDCWD, a(ctx, 0), AT_FDCWD, a(ctx, 1), [0n]);

function symlinkAt(ctx: SyscallContext, target: bigint, dirfd: number, linkpath: bigint): bigint {
  // The target is stored as it is: never rewritten like a /proc path the kernel looks up.
  const t = hostPath(ctx, target, false);
  const l = hostPath(ctx, linkpath);
  return hs(HOST.symlinkat, t.ptr, big(hostDirFd(ctx, dirfd)), l.ptr);
}
const symlinkat: SyscallHandler = (ctx) => symlinkAt(ctx, a(ctx, 0), fdAt(ctx, 1), a(ctx, 2));
const symlink: SyscallHandler = (ctx) => symlinkAt(ctx, a(ctx, 0), AT_FDCWD, a(ctx, 1));

const fchmodat: SyscallHandler = (ctx) => pathCall(ctx, HOST.fchmodat, fdAt(ctx, 0), a(ctx, 1), [u32(ctx, 2)]);
const fchmodat2: SyscallHandler = (ctx) => pathCall(ctx, HOST.fchmodat2, fdAt(ctx, 0), a(ctx, 1), [u32(ctx, 2), u32(ctx, 3)]);
const chmod: SyscallHandler = (ctx) => pathCall(ctx, HOST.fchmodat, AT_FDCWD, a(ctx, 0), [u32(ctx, 1)]);
const fchmod: SyscallHandler = (ctx) => hs(HOST.fchmod, big(hostFd(ctx, fdAt(ctx, 0))), u32(ctx, 1));

const fchown: SyscallHandler = (ctx) => hs(HOST.fchown, big(hostFd(ctx, fdAt(ctx, 0))), u32(ctx, 1), u32(ctx, 2));
const fchownat: SyscallHandler = (ctx) => pathCall(ctx, HOST.fchownat, fdAt(ctx, 0), a(ctx, 1), [u32(ctx, 2), u32(ctx, 3), u32(ctx, 4)]);
const chown: SyscallHandler = (ctx) => pathCall(ctx, HOST.fchownat, AT_FDCWD, a(ctx, 0), [u32(ctx, 1), u32(ctx, 2), 0n]);
const lchown: SyscallHandler = (ctx) => pathCall(ctx, HOST.fchownat, AT_FDCWD, a(ctx, 0), [u32(ctx, 1), u32(ctx, 2), big(AT_SYMLINK_NOFOLLOW)]);

// ---- sendfile -----------------------------------------------------------------------------

/**
 * sendfile: the offset, when the guest gives one, is read from it and written back with where
 * the host left it (only on success, as Linux does).
 */
const sendfile: SyscallHandler = (ctx) => {
  const [outFd, inFd, offAddr, count] = ctx.args;
  let offset: { ptr: bigint; view: Uint8Array } | null = null;
  if (offAddr !== 0n) {
    const current = ctx.mm.read(offAddr!, 8);
    if (current === null || !ctx.mm.accessible(offAddr!, 8n, PROT_WRITE)) return EFAULT;
    offset = scratch.alloc(8);
    if (offset === null) return EFAULT;
    offset.view.set(current);
  }
  const r = hs(HOST.sendfile, big(hostFd(ctx, asInt(outFd!))), big(hostFd(ctx, asInt(inFd!))), offset?.ptr ?? 0n, count!);
  if (r >= 0n && offset !== null && !ctx.mm.write(offAddr!, offset.view.slice())) return EFAULT;
  return raiseSigpipe(ctx, r);
};

const fallocate: SyscallHandler = (ctx) =>
  afterResize(ctx, hs(HOST.fallocate, big(hostFd(ctx, fdAt(ctx, 0))), u32(ctx, 1), a(ctx, 2), a(ctx, 3)));

// ---- file times ---------------------------------------------------------------------------
// The time structs (two timespecs, two timevals, a utimbuf) have the same layout on every
// 64-bit architecture, so they reach the host as they are. A NULL path makes utimensat act on
// the descriptor itself (futimens).

const UTIMENS_BYTES = 32;
const TIMEVAL_PAIR_BYTES = 32;
const UTIMBUF_BYTES = 16;

const utimensat: SyscallHandler = (ctx) => {
  const [dirfd, pathAddr, times, flags] = ctx.args;
  const path = hostPath(ctx, pathAddr!);
  return hs(HOST.utimensat, big(hostDirFd(ctx, asInt(dirfd!))), path.ptr, inPtr(ctx.mm, times!, UTIMENS_BYTES), big(asUint(flags!)));
};
const futimesat: SyscallHandler = (ctx) => {
  const [dirfd, pathAddr, times] = ctx.args;
  return pathCall(ctx, HOST.futimesat, asInt(dirfd!), pathAddr!, [inPtr(ctx.mm, times!, TIMEVAL_PAIR_BYTES)]);
};
const utimes: SyscallHandler = (ctx) => hs(HOST.utimes, hostPath(ctx, a(ctx, 0)).ptr, inPtr(ctx.mm, a(ctx, 1), TIMEVAL_PAIR_BYTES));
const utime: SyscallHandler = (ctx) => hs(HOST.utime, hostPath(ctx, a(ctx, 0)).ptr, inPtr(ctx.mm, a(ctx, 1), UTIMBUF_BYTES));

// ---- file system statistics -----------------------------------------------------------------

/** struct statfs: the same 120 bytes on x86_64 and the generic 64-bit layout (aarch64, riscv64). */
const STATFS_BYTES = 120;

function statfsInto(ctx: SyscallContext, buf: bigint, call: (ptr: bigint) => bigint): bigint {
  const out = outPtr(ctx.mm, buf, STATFS_BYTES);
  const r = call(out.ptr);
  if (r < 0n) return r;
  return out.finish() ? r : EFAULT;
}

const PROC_SUPER_MAGIC = 0x9fa0n;
const inProc = (guestPath: string | undefined): boolean => guestPath === '/proc' || guestPath?.startsWith('/proc/') === true;

/** A file of the guest's /proc (generated or passed through) is on a proc filesystem. */
function procType(ctx: SyscallContext, r: bigint, buf: bigint, guestPath: string | undefined): bigint {
  if (r !== 0n || !inProc(guestPath)) return r;
  const t = new Uint8Array(8);
  new DataView(t.buffer).setBigUint64(0, PROC_SUPER_MAGIC, true);
  return ctx.mm.write(buf, t) ? r : EFAULT;
}

const statfs: SyscallHandler = (ctx) => {
  const path = hostPath(ctx, a(ctx, 0));
  const r = statfsInto(ctx, a(ctx, 1), (ptr) => hs(HOST.statfs, path.ptr, ptr));
  return procType(ctx, r, a(ctx, 1), path.text);
};
const fstatfs: SyscallHandler = (ctx) => {
  const h = big(hostFd(ctx, fdAt(ctx, 0)));
  const r = statfsInto(ctx, a(ctx, 1), (ptr) => hs(HOST.fstatfs, h, ptr));
  return procType(ctx, r, a(ctx, 1), ctx.proc.fds.get(fdAt(ctx, 0))?.file.label);
};

/** After a file shrank or grew, mappings of it re-learn where its end is (SIGBUS past it). */
function afterResize(ctx: SyscallContext, r: bigint): bigint {
  if (r === 0n) ctx.mm.refreshFileSizes();
  return r;
}

const ftruncate: SyscallHandler = (ctx) => afterResize(ctx, hs(HOST.ftruncate, big(hostFd(ctx, fdAt(ctx, 0))), a(ctx, 1)));
const truncate: SyscallHandler = (ctx) => {
  const path = hostPath(ctx, a(ctx, 0));
  return afterResize(ctx, hs(HOST.truncate, path.ptr, a(ctx, 1)));
};
/** posix_fadvise's advice, checked by the host: EBADF, ESPIPE for a pipe, EINVAL for bad advice. */
const fadvise64: SyscallHandler = (ctx) => hs(HOST.fadvise64, big(hostFd(ctx, fdAt(ctx, 0))), a(ctx, 1), a(ctx, 2), big(asInt(ctx.args[3]!)));
/** A host call whose one argument is the descriptor (fsync, fdatasync, syncfs). */
const onFd = (nr: number): SyscallHandler => (ctx) => hs(nr, big(hostFd(ctx, fdAt(ctx, 0))));
const fsync = onFd(HOST.fsync);
const fdatasync = onFd(HOST.fdatasync);
const syncfs = onFd(HOST.syncfs);
const sync: SyscallHandler = () => {
  hs(HOST.sync);
  return 0n;
};

// ---- fcntl ------------------------------------------------------------------------------

const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_GETLK = 5;
const F_SETLK = 6;
const F_SETLKW = 7;
const F_OFD_GETLK = 36;
const F_OFD_SETLK = 37;
const F_OFD_SETLKW = 38;
const F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031;
const F_GETPIPE_SZ = 1032;
const F_ADD_SEALS = 1033;
const F_GET_SEALS = 1034;
const FD_CLOEXEC = 1;

/** dup's core: a second descriptor ≥ min for the same open file description. */
function dupFrom(ctx: SyscallContext, fd: number, min: number, cloexec: boolean): bigint {
  const e = ctx.proc.fds.get(fd);
  if (e === undefined) return EBADF;
  const n = ctx.proc.fds.install(e.file, cloexec, min);
  if (n < 0) return EMFILE;
  e.file.retain();
  return big(n);
}

const fcntl: SyscallHandler = (ctx) => {
  const fd = fdAt(ctx, 0);
  const cmd = asInt(a(ctx, 1));
  const arg = a(ctx, 2);
  const e = ctx.proc.fds.get(fd);
  if (e === undefined) return EBADF;
  const h = big(e.file.hostFd);
  if (DESCRIPTION_COMMANDS.has(cmd)) return descriptionCommand(ctx, e.file, cmd, arg);
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      const from = asUint(arg);
      if (from >= ctx.proc.fds.limit) return EINVAL;
      return dupFrom(ctx, fd, from, cmd === F_DUPFD_CLOEXEC);
    }
    case F_GETFD:
      return e.cloexec ? big(FD_CLOEXEC) : 0n;
    case F_SETFD:
      e.cloexec = (asUint(arg) & FD_CLOEXEC) !== 0;
      return 0n;
    case F_GETFL: {
      const r = hs(HOST.fcntl, h, big(F_GETFL));
      return r < 0n ? r : big(openFlagsToGuest(ctx.arch, Number(r)));
    }
    case F_SETFL:
      return hs(HOST.fcntl, h, big(F_SETFL), big(openFlagsToHost(ctx.arch, asUint(arg))));
    case F_GETLK:
    case F_OFD_GETLK: {
      // struct flock is the same on every 64-bit arch; the host reads it and writes the answer.
      const out = inOutPtr(ctx, arg, FLOCK.size);
      const r = hs(HOST.fcntl, h, big(cmd), out.ptr);
      if (r < 0n) return r;
      return out.finish() ? r : EFAULT;
    }
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
      // F_SETLKW blocks the whole host process while it waits.
      return hs(HOST.fcntl, h, big(cmd), inPtr(ctx.mm, arg, FLOCK.size));
    case F_SETPIPE_SZ:
    case F_ADD_SEALS:
      return hs(HOST.fcntl, h, big(cmd), big(asUint(arg)));
    case F_GETPIPE_SZ:
    case F_GET_SEALS:
      return hs(HOST.fcntl, h, big(cmd));
    default:
      return EINVAL;
  }
};

/** A struct the host reads and then overwrites (F_GETLK): direct, or bounced through scratch. */
function inOutPtr(ctx: SyscallContext, addr: bigint, len: number): OutBuffer {
  const mm = ctx.mm;
  const bytes = mm.read(addr, len);
  if (bytes === null || !mm.accessible(addr, big(len), PROT_WRITE)) {
    return { ptr: faultPtr(addr, big(len)), scratch: undefined, finish: () => false };
  }
  const out = outPtr(mm, addr, len);
  if (out.scratch !== undefined) out.scratch.set(bytes);
  return out;
}

// ---- ioctl ------------------------------------------------------------------------------

const TCGETS = 0x5401;
const TCSETS = 0x5402;
const TCSETSW = 0x5403;
const TCSETSF = 0x5404;
const TCGETA = 0x5405;
const TCSETA = 0x5406;
const TCSETAW = 0x5407;
const TCSETAF = 0x5408;
const TCGETS2 = 0x802c542a;
const TCSETS2 = 0x402c542b;
const TCSETSW2 = 0x402c542c;
const TCSETSF2 = 0x402c542d;
const TIOCGLCKTRMIOS = 0x5456;
const TIOCSLCKTRMIOS = 0x5457;
/** struct termio (TCGETA...) and struct termios2 (TCGETS2...): the same on every arch tstrace runs. */
const TERMIO_SIZE = 18;
const TERMIOS2_SIZE = 44;
const TIOCGWINSZ = 0x5413;
const TIOCSWINSZ = 0x5414;
const FIONREAD = 0x541b;
const FIONBIO = 0x5421;
const FIONCLEX = 0x5450;
const FIOCLEX = 0x5451;
// Pseudo-terminals (posix_openpt, grantpt, unlockpt, ptsname; script, expect, tmux).
const TIOCGPTN = 0x80045430;
const TIOCSPTLCK = 0x40045431;
const TIOCGPTLCK = 0x80045439;
const TIOCGPTPEER = 0x5441;
const TIOCSCTTY = 0x540e;
const TIOCNOTTY = 0x5422;
const FIOSETOWN = 0x8901;
const SIOCSPGRP = 0x8902;
const FIOGETOWN = 0x8903;
const SIOCGPGRP = 0x8904;
const SIOCATMARK = 0x8905;

/**
 * The socket layer's owner requests (sock_ioctl): Linux's f_setown and f_getown, which are
 * fcntl's F_SETOWN and F_GETOWN on the same open file description.
 */
function sockOwnerIoctl(ctx: SyscallContext, file: OpenFile, cmd: number, arg: bigint): bigint {
  if (cmd === FIOSETOWN || cmd === SIOCSPGRP) {
    const b = ctx.mm.read(arg, 4);
    if (b === null) return EFAULT;
    return descriptionCommand(ctx, file, F_SETOWN, BigInt(new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true)));
  }
  const owner = descriptionCommand(ctx, file, F_GETOWN, 0n);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, Number(BigInt.asIntN(32, owner)), true);
  return ctx.mm.write(arg, out) ? 0n : EFAULT;
}

const ioctl: SyscallHandler = (ctx) => {
  const e = ctx.proc.fds.get(fdAt(ctx, 0));
  if (e === undefined) return EBADF;
  const cmd = asUint(a(ctx, 1));
  const arg = a(ctx, 2);
  const h = big(e.file.hostFd);
  if (e.file instanceof NsFile) return namespaceIoctl(ctx, e.file, cmd, arg);
  if (e.file instanceof UserfaultFile) return userfaultfdIoctl(ctx, e.file, cmd, arg);
  // Output: the host fills a struct that is the same on every arch.
  const get = (size: number): bigint => {
    const out = outPtr(ctx.mm, arg, size);
    const r = hs(HOST.ioctl, h, big(cmd), out.ptr);
    if (r < 0n) return r;
    return out.finish() ? r : EFAULT;
  };
  switch (cmd) {
    case TCGETS: case TIOCGLCKTRMIOS: return get(TERMIOS.size);
    case TCGETS2: return get(TERMIOS2_SIZE);
    case TCGETA: return get(TERMIO_SIZE);
    case TCSETS2: case TCSETSW2: case TCSETSF2:
      return hs(HOST.ioctl, h, big(cmd), inPtr(ctx.mm, arg, TERMIOS2_SIZE));
    case TCSETA: case TCSETAW: case TCSETAF:
      return hs(HOST.ioctl, h, big(cmd), inPtr(ctx.mm, arg, TERMIO_SIZE));
    case TIOCGWINSZ: return get(WINSIZE.size);
    case FIONREAD: case TIOCGPTN: case TIOCGPTLCK: return get(4);
    case TIOCSPTLCK: return hs(HOST.ioctl, h, big(cmd), inPtr(ctx.mm, arg, 4));
    case TIOCGPTPEER: {
      // The other end of a pseudo-terminal master, opened with the guest's flags.
      const flags = asInt(arg);
      const r = hs(HOST.ioctl, h, big(cmd), big(openFlagsToHost(ctx.arch, flags) | O_CLOEXEC));
      return r < 0n ? r : installFile(ctx, new OpenFile(Number(r), 'pts'), (flags & O_CLOEXEC) !== 0);
    }
    // Controlling terminals are the guest's sessions' affair: the host process keeps its own.
    case TIOCSCTTY: return e.file.hostPath().startsWith('/dev/pts/') || e.file.hostPath() === '/dev/ptmx'
      ? (ctx.proc.sid === ctx.proc.pid ? 0n : err(E.EPERM)) : err(E.ENOTTY);
    case TIOCNOTTY: return e.file.hostPath().startsWith('/dev/') ? 0n : err(E.ENOTTY);
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
    case TIOCSLCKTRMIOS:
      return hs(HOST.ioctl, h, big(cmd), inPtr(ctx.mm, arg, TERMIOS.size));
    case TIOCSWINSZ: return hs(HOST.ioctl, h, big(cmd), inPtr(ctx.mm, arg, WINSIZE.size));
    case FIONBIO: return hs(HOST.ioctl, h, big(cmd), inPtr(ctx.mm, arg, 4));
    case FIOCLEX:
      e.cloexec = true;
      return 0n;
    case FIONCLEX:
      e.cloexec = false;
      return 0n;
    case FIOSETOWN: case SIOCSPGRP: case FIOGETOWN: case SIOCGPGRP:
      return e.file.hostPath().startsWith('socket:') ? sockOwnerIoctl(ctx, e.file, cmd, arg) : err(E.ENOTTY);
    case SIOCATMARK:
      return e.file.hostPath().startsWith('socket:') ? get(4) : err(E.ENOTTY);
    default:
      if (interfaceIoctl(cmd) !== undefined && e.file.hostPath().startsWith('socket:')) return sockIfIoctl(ctx, e.file.hostFd, cmd, arg);
      // Never hand the host a request we do not know the argument of.
      return err(E.ENOTTY);
  }
};

/** The nsfs requests on a namespace descriptor (files/ns-file.ts); others ENOTTY. */
function namespaceIoctl(ctx: SyscallContext, file: NsFile, cmd: number, arg: bigint): bigint {
  const r = nsIoctl(file, cmd, ctx.proc.pidns);
  if (r === undefined) return err(E.ENOTTY);
  if ('ret' in r) return r.ret;
  if ('uid' in r) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, r.uid, true);
    return ctx.mm.write(arg, b) ? 0n : EFAULT;
  }
  return installFile(ctx, new NsFile(openNsHost(r.open), r.open), true);
}

// ---- dup, pipe --------------------------------------------------------------------------

const dup: SyscallHandler = (ctx) => dupFrom(ctx, fdAt(ctx, 0), 0, false);

function dupTo(ctx: SyscallContext, oldfd: number, newfdArg: bigint, cloexec: boolean): bigint {
  const fds = ctx.proc.fds;
  const newfd = asUint(newfdArg);
  if (newfd >= fds.limit) return EBADF;
  const e = fds.get(oldfd);
  if (e === undefined) return EBADF;
  e.file.retain();
  fds.installAt(newfd, e.file, cloexec);
  return big(newfd);
}

const dup2: SyscallHandler = (ctx) => {
  const oldfd = fdAt(ctx, 0);
  if (asUint(a(ctx, 1)) === oldfd >>> 0) return ctx.proc.fds.get(oldfd) === undefined ? EBADF : big(oldfd);
  return dupTo(ctx, oldfd, a(ctx, 1), false);
};

const dup3: SyscallHandler = (ctx) => {
  const oldfd = fdAt(ctx, 0);
  const flags = asUint(a(ctx, 2));
  if ((flags & ~O_CLOEXEC) !== 0) return EINVAL;
  if (asUint(a(ctx, 1)) === oldfd >>> 0) return EINVAL;
  return dupTo(ctx, oldfd, a(ctx, 1), (flags & O_CLOEXEC) !== 0);
};

/** Installs a pair of new host descriptors and writes the guest's numbers to guest int[2]. */
export function installPair(ctx: SyscallContext, h0: number, h1: number, label: string, cloexec: boolean, addr: bigint): bigint {
  const f0 = new OpenFile(h0, label);
  const f1 = new OpenFile(h1, label);
  const fds = ctx.proc.fds;
  const g0 = fds.install(f0, cloexec);
  const g1 = g0 < 0 ? -1 : fds.install(f1, cloexec);
  if (g1 < 0) {
    if (g0 >= 0) fds.close(g0);
    else f0.release();
    f1.release();
    return EMFILE;
  }
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, g0, true);
  dv.setInt32(4, g1, true);
  if (!ctx.mm.write(addr, out)) {
    fds.close(g0);
    fds.close(g1);
    return EFAULT;
  }
  return 0n;
}

function pipeWith(ctx: SyscallContext, addr: bigint, flags: number): bigint {
  const s = scratch.alloc(8);
  if (s === null) return EFAULT;
  const r = hs(HOST.pipe2, s.ptr, big(openFlagsToHost(ctx.arch, flags) | O_CLOEXEC));
  if (r < 0n) return r;
  const dv = scratchDataView(s.view);
  return installPair(ctx, dv.getInt32(0, true), dv.getInt32(4, true), 'pipe', (flags & O_CLOEXEC) !== 0, addr);
}

const pipe: SyscallHandler = (ctx) => pipeWith(ctx, a(ctx, 0), 0);
const pipe2: SyscallHandler = (ctx) => pipeWith(ctx, a(ctx, 0), asInt(a(ctx, 1)));

// ---- working directory, umask -----------------------------------------------------------

/** The path the host gives a directory descriptor (symlinks resolved, as getcwd shows it). */
function livePath(hostDirFd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${hostDirFd}`);
  } catch {
    return undefined;
  }
}

/** Makes host O_PATH descriptor r the working directory, if the guest may search it. */
function enterDirectory(ctx: SyscallContext, r: bigint, fallbackPath: string): bigint {
  const empty = scratch.alloc(1);
  const acc = empty === null ? EFAULT : hs(HOST.faccessat2, r, empty.ptr, big(X_OK), big(AT_EMPTY_PATH | AT_EACCESS));
  if (acc < 0n) {
    closeHost(r);
    return acc;
  }
  const old = ctx.proc.cwd;
  ctx.proc.cwd = { path: livePath(Number(r)) ?? fallbackPath, hostFd: Number(r) };
  closeHost(old.hostFd);
  return 0n;
}

const O_DIRECTORY_HOST = 0o200000;

const chdir: SyscallHandler = (ctx) => {
  const path = hostPath(ctx, a(ctx, 0));
  const r = hs(HOST.openat, big(ctx.proc.cwd.hostFd), path.ptr, big(O_PATH | O_DIRECTORY_HOST | O_CLOEXEC), 0n);
  if (r < 0n) return r;
  return enterDirectory(ctx, r, ctx.kernel.resolvePath(ctx.proc, path.text ?? '.'));
};

const fchdir: SyscallHandler = (ctx) => {
  const e = ctx.proc.fds.get(fdAt(ctx, 0));
  if (e === undefined) return EBADF;
  const dot = scratch.alloc(2);
  if (dot === null) return EFAULT;
  dot.view[0] = 0x2e;
  // Opening "." below it checks that it is a directory (ENOTDIR) and searchable (EACCES).
  const r = hs(HOST.openat, big(e.file.hostFd), dot.ptr, big(O_PATH | O_DIRECTORY_HOST | O_CLOEXEC), 0n);
  if (r < 0n) return r;
  return enterDirectory(ctx, r, e.file.label);
};

const getcwd: SyscallHandler = (ctx) => {
  const [buf, size] = ctx.args;
  // A removed working directory has no name: Linux answers ENOENT.
  const st = scratch.alloc(HOST_STRUCTS.stat.size);
  if (st !== null && hs(HOST.fstat, big(ctx.proc.cwd.hostFd), st.ptr) >= 0n) {
    const nlink = scratchDataView(st.view).getBigUint64(HOST_STRUCTS.stat.fields.st_nlink.offset, true);
    if (nlink === 0n) return err(E.ENOENT);
  }
  const bytes = Buffer.from(`${ctx.kernel.guestPath(ctx.proc.cwd.path)}\0`, 'utf8');
  if (size! < big(bytes.length)) return err(E.ERANGE);
  if (!ctx.mm.write(buf!, bytes)) return EFAULT;
  return big(bytes.length);
};

const umask: SyscallHandler = (ctx) => {
  const old = ctx.proc.umask;
  ctx.proc.umask = asUint(a(ctx, 0)) & 0o777;
  return big(old);
};

// ---- the table --------------------------------------------------------------------------

// ---- extended attributes ----------------------------------------------------------------
// Passed to the host on the file the guest names (through the root filesystem like any path);
// the attribute's name is a plain string, never a path.

/** XATTR_SIZE_MAX: a value or list buffer beyond it is clamped by Linux too. */
const XATTR_SIZE_MAX = 65536n;

/** The host's path or descriptor argument of an xattr call: `path` (0), or the descriptor. */
function xattrTarget(ctx: SyscallContext, byFd: boolean): bigint {
  return byFd ? big(hostFd(ctx, fdAt(ctx, 0))) : hostPath(ctx, a(ctx, 0)).ptr;
}

/** An output buffer of up to `size` bytes at `addr` (NULL stays NULL: the size query). */
function xattrOut(ctx: SyscallContext, addr: bigint, size: bigint): { ptr: bigint; len: bigint; finish: (n: bigint) => void } {
  if (addr === 0n || size === 0n) return { ptr: addr, len: size, finish: () => {} };
  const n = size > XATTR_SIZE_MAX ? XATTR_SIZE_MAX : size;
  const out = byteOut(ctx.mm, addr, n);
  return { ptr: out.ptr, len: out.len === n ? size : out.len, finish: (r) => { out.finish(r); } };
}

function getxattrWith(nr: number, byFd: boolean): SyscallHandler {
  return (ctx) => {
    const target = xattrTarget(ctx, byFd);
    const name = hostPath(ctx, a(ctx, 1), false).ptr;
    const out = xattrOut(ctx, a(ctx, 2), a(ctx, 3));
    const r = hs(nr, target, name, out.ptr, out.len);
    if (r > 0n) out.finish(r);
    return r;
  };
}

function listxattrWith(nr: number, byFd: boolean): SyscallHandler {
  return (ctx) => {
    const target = xattrTarget(ctx, byFd);
    const out = xattrOut(ctx, a(ctx, 1), a(ctx, 2));
    const r = hs(nr, target, out.ptr, out.len);
    if (r > 0n) out.finish(r);
    return r;
  };
}

function setxattrWith(nr: number, byFd: boolean): SyscallHandler {
  return (ctx) => {
    const target = xattrTarget(ctx, byFd);
    const name = hostPath(ctx, a(ctx, 1), false).ptr;
    const size = a(ctx, 3);
    const value = size > XATTR_SIZE_MAX ? a(ctx, 2) : inPtr(ctx.mm, a(ctx, 2), Number(size));
    return hs(nr, target, name, value, size, a(ctx, 4));
  };
}

function removexattrWith(nr: number, byFd: boolean): SyscallHandler {
  return (ctx) => hs(nr, xattrTarget(ctx, byFd), hostPath(ctx, a(ctx, 1), false).ptr);
}

const f = (h: SyscallHandler): ReturnType<typeof full> => full(withScratch(h));
const p = (h: SyscallHandler, note: string): ReturnType<typeof partial> => partial(withScratch(h), note);

export const FS_SYSCALLS: SyscallTable = byReplay({
  apply: {
    openat: f(openat),
    open: f(open),
    creat: f(creat),
    close: f(close),
    close_range: p(closeRange, 'CLOSE_RANGE_UNSHARE is accepted and ignored (descriptor tables are never shared)'),
    read: f(waitsFor(0, POLLIN, read, { nowait: (ctx) => transferNowait(ctx, true, 0n) })),
    write: f(waitsFor(0, POLLOUT, write, { nowait: (ctx, done) => transferNowait(ctx, false, done), length: (ctx) => ctx.args[2]! })),
    readv: f(waitsFor(0, POLLIN, readv)),
    writev: f(waitsFor(0, POLLOUT, writev, { nowait: writevNowait, length: writevLength })),
    pread64: f(pread64),
    pwrite64: f(pwrite64),
    preadv: f(preadv),
    pwritev: f(pwritev),
    preadv2: f(preadv2),
    pwritev2: f(pwritev2),
    lseek: f(lseek),
    fstat: f(fstat),
    stat: f(stat),
    lstat: f(lstat),
    newfstatat: f(newfstatat),
    statx: f(statx),
    getdents64: f(getdentsWith(HOST.getdents64)),
    getdents: f(getdentsWith(HOST.getdents)),
    readlinkat: f(readlinkat),
    readlink: f(readlink),
    faccessat: f(faccessat),
    faccessat2: f(faccessat2),
    access: f(access),
    fcntl: p(fcntl, 'F_DUPFD(_CLOEXEC), F_GETFD/F_SETFD, F_GETFL/F_SETFL, record locks (F_GETLK/F_SETLK/F_SETLKW and the OFD ones), pipe size and seals; the owner (F_SETOWN/F_GETOWN and the _EX ones), F_SETSIG/F_GETSIG, leases and F_NOTIFY are kept but deliver nothing (no SIGIO, lease breaks or notifications); other commands EINVAL'),
    ioctl: p(ioctl, 'TCGETS, TCSETS/TCSETSW/TCSETSF, TCGETS2/TCSETS2/TCSETSW2/TCSETSF2, TCGETA/TCSETA/TCSETAW/TCSETAF, TIOCGLCKTRMIOS/TIOCSLCKTRMIOS, TIOCGWINSZ/TIOCSWINSZ, FIONREAD, FIONBIO, FIOCLEX/FIONCLEX, the pseudo-terminal requests (TIOCGPTN, TIOCSPTLCK/TIOCGPTLCK, TIOCGPTPEER; TIOCSCTTY and TIOCNOTTY change nothing on the host), the SIOCGIF* queries on a socket (passed to the host; SIOCSIF* EPERM), a socket\'s FIOSETOWN/SIOCSPGRP/FIOGETOWN/SIOCGPGRP (the owner kept as fcntl\'s F_SETOWN keeps it, no SIGIO sent) and SIOCATMARK; any other request ENOTTY'),
    dup: f(dup),
    dup2: f(dup2),
    dup3: f(dup3),
    pipe: f(pipe),
    pipe2: f(pipe2),
    unlinkat: f(unlinkat),
    unlink: f(unlink),
    rmdir: f(rmdir),
    mkdirat: f(mkdirat),
    mkdir: f(mkdir),
    mknodat: f(mknodat),
    mknod: f(mknod),
    renameat: f(renameat),
    renameat2: f(renameat2),
    rename: f(rename),
    symlinkat: f(symlinkat),
    symlink: f(symlink),
    linkat: f(linkat),
    link: f(link),
    fchmodat: f(fchmodat),
    fchmodat2: f(fchmodat2),
    chmod: f(chmod),
    fchmod: f(fchmod),
    fchown: f(fchown),
    fchownat: f(fchownat),
    chown: f(chown),
    lchown: f(lchown),
    ftruncate: f(ftruncate),
    truncate: f(truncate),
    getxattr: f(getxattrWith(HOST.getxattr, false)),
    lgetxattr: f(getxattrWith(HOST.lgetxattr, false)),
    fgetxattr: f(getxattrWith(HOST.fgetxattr, true)),
    listxattr: f(listxattrWith(HOST.listxattr, false)),
    llistxattr: f(listxattrWith(HOST.llistxattr, false)),
    flistxattr: f(listxattrWith(HOST.flistxattr, true)),
    setxattr: f(setxattrWith(HOST.setxattr, false)),
    lsetxattr: f(setxattrWith(HOST.lsetxattr, false)),
    fsetxattr: f(setxattrWith(HOST.fsetxattr, true)),
    removexattr: f(removexattrWith(HOST.removexattr, false)),
    lremovexattr: f(removexattrWith(HOST.lremovexattr, false)),
    fremovexattr: f(removexattrWith(HOST.fremovexattr, true)),
    sendfile: f(sendfile),
    fallocate: f(fallocate),
    fadvise64: f(fadvise64),
    utimensat: f(utimensat),
    futimesat: f(futimesat),
    utimes: f(utimes),
    utime: f(utime),
    statfs: f(statfs),
    fstatfs: f(fstatfs),
    fsync: f(fsync),
    fdatasync: f(fdatasync),
    syncfs: f(syncfs),
    sync: f(sync),
    getcwd: f(getcwd),
    chdir: f(chdir),
    fchdir: f(fchdir),
  },
  execute: {
    umask: f(umask),
  },
});

