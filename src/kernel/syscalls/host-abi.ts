// The glue between guest memory and the host's (x86_64) syscalls, shared by the pass-through
// handlers of fs.ts, poll.ts and net.ts: host-side layouts, flag translation, guest buffers as
// host pointers, a scratch arena for what must be built on the host side, descriptor lookup.
//
// Faults are the host's to report. A guest buffer the guest may not access is handed to the
// host as an address that faults there too (page 0, never mappable; or a kernel address when
// the guest range is beyond the user space, so that the host's access_ok fails as the guest's
// would). The host then returns EFAULT, or a short count, at exactly the point where Linux
// would have for the guest: after EBADF/EINVAL checks, after consuming nothing, and so on.
// Host memory behind guest pages the guest may not touch is never given to the host.
import type { ArchDescriptor, StructLayout } from '../../arch/types.js';
import { STRUCTS as X86_64_STRUCTS } from '../../arch/x86_64/structs.js';
import { HostMemory } from '../../../packages/unicorn-engine-ts/src/index.js';
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { PAGE_SIZE, PROT_EXEC, USER_TOP, type AddressSpace } from '../memory/address-space.js';
import { decodeStruct, encodeStruct } from './guest-memory.js';
import type { ThreadGroup } from '../task.js';
import type { SyscallContext, SyscallHandler } from './types.js';
import { GENERATED, HOST_ENTRIES, generate, generatedFilePath } from '../files/proc-files.js';
import type { GuestListing } from '../files/proc-listing.js';
import { NsFile, nsHostPath, type NsRef } from '../files/ns-file.js';
import { MemFile } from '../files/mem-file.js';
import { availableParallelism } from 'node:os';

// ---- errors and constants ---------------------------------------------------------------

export const err = (errno: number): bigint => -BigInt(errno);
export const EBADF = err(E.EBADF);
export const EFAULT = err(E.EFAULT);
export const EINVAL = err(E.EINVAL);
export const EMFILE = err(E.EMFILE);

/** A user address in the host's page 0: non-NULL, never mapped (vm.mmap_min_addr ≥ 4096). */
export const FAULT_PTR = 0x100n;
/** A host kernel address: fails access_ok, like a guest range past the user space. */
export const OUT_OF_RANGE_PTR = 0xffff_8000_0000_0000n;
/** A descriptor number no host descriptor has: the host answers EBADF for it. */
export const NO_FD = -1;

export const AT_FDCWD = -100;
export const O_CLOEXEC = 0o2000000;
export const O_NONBLOCK = 0o4000;
export const O_CREAT = 0o100;
export const O_TMPFILE = 0o20000000;

/** The host's (x86_64) open flag bits that other architectures place elsewhere. */
export const HOST_OPEN_FLAGS: ArchDescriptor['openFlags'] = {
  O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000, O_DIRECT: 0o40000, O_LARGEFILE: 0o100000,
};

/** Host struct layouts (the host is x86_64). */
export const HOST_STRUCTS = X86_64_STRUCTS;

/** The kernel's sigset size (rt_sig*, ppoll, pselect6, epoll_pwait check it). */
export const SIGSET_SIZE = 8n;

// ---- handlers ---------------------------------------------------------------------------

/** Wraps a handler so that the scratch arena is fresh for each call. */
export function withScratch(fn: SyscallHandler): SyscallHandler {
  return (ctx) => {
    scratch.reset();
    return fn(ctx);
  };
}

// ---- SIGPIPE ----------------------------------------------------------------------------

const SIGPIPE = 13;
const SI_USER = 0;
const EPIPE = -BigInt(E.EPIPE);

/**
 * A write that failed with EPIPE (a pipe without readers, a shut-down socket) raises SIGPIPE
 * in the writer, as Linux's send_sig does; the host's own SIGPIPE never reaches the guest.
 * Returns r.
 */
export function raiseSigpipe(ctx: SyscallContext, r: bigint, suppressed = false): bigint {
  if (r === EPIPE && !suppressed) {
    ctx.kernel.sendSignal(ctx.task, { signo: SIGPIPE, code: SI_USER, pid: ctx.proc.pid, uid: ctx.kernel.creds.uid });
  }
  return r;
}

// ---- descriptors ------------------------------------------------------------------------

/** The host descriptor behind guest descriptor fd, or NO_FD (the host then says EBADF). */
export function hostFd(ctx: SyscallContext, fd: number): number {
  return ctx.proc.fds.get(fd)?.file.hostFd ?? NO_FD;
}

/** As hostFd, with AT_FDCWD meaning the process's working directory. */
export function hostDirFd(ctx: SyscallContext, fd: number): number {
  return fd === AT_FDCWD ? ctx.proc.cwd.hostFd : hostFd(ctx, fd);
}

/** Closes a host descriptor the kernel does not keep. */
export function closeHost(fd: number | bigint): void {
  hostSyscall(HOST.close, BigInt(fd));
}

// ---- open flags -------------------------------------------------------------------------

function permuteFlags(flags: number, from: ArchDescriptor['openFlags'], to: ArchDescriptor['openFlags']): number {
  if (from === to) return flags >>> 0;
  const moved = from.O_DIRECTORY | from.O_NOFOLLOW | from.O_DIRECT | from.O_LARGEFILE;
  let out = flags & ~moved;
  if ((flags & from.O_DIRECTORY) !== 0) out |= to.O_DIRECTORY;
  if ((flags & from.O_NOFOLLOW) !== 0) out |= to.O_NOFOLLOW;
  if ((flags & from.O_DIRECT) !== 0) out |= to.O_DIRECT;
  if ((flags & from.O_LARGEFILE) !== 0) out |= to.O_LARGEFILE;
  return out >>> 0;
}

const sameOpenFlags = new WeakMap<ArchDescriptor['openFlags'], boolean>();

function hostFlagsOf(arch: ArchDescriptor): ArchDescriptor['openFlags'] {
  let same = sameOpenFlags.get(arch.openFlags);
  if (same === undefined) {
    const g = arch.openFlags;
    const h = HOST_OPEN_FLAGS;
    same = g.O_DIRECTORY === h.O_DIRECTORY && g.O_NOFOLLOW === h.O_NOFOLLOW && g.O_DIRECT === h.O_DIRECT && g.O_LARGEFILE === h.O_LARGEFILE;
    sameOpenFlags.set(arch.openFlags, same);
  }
  return same ? arch.openFlags : HOST_OPEN_FLAGS;
}

/** Guest open/pipe2/F_SETFL flags → the host's bits. */
export function openFlagsToHost(arch: ArchDescriptor, flags: number): number {
  return permuteFlags(flags, arch.openFlags, hostFlagsOf(arch));
}

/** Host F_GETFL flags → the guest's bits. */
export function openFlagsToGuest(arch: ArchDescriptor, flags: number): number {
  return permuteFlags(flags, hostFlagsOf(arch), arch.openFlags);
}

// ---- struct conversion ------------------------------------------------------------------

const layoutCache = new WeakMap<StructLayout, WeakMap<StructLayout, boolean>>();

/** Whether two layouts are byte-for-byte the same (then a guest struct can go to the host as is). */
export function sameLayout(a: StructLayout, b: StructLayout): boolean {
  if (a === b) return true;
  let inner = layoutCache.get(a);
  if (inner === undefined) layoutCache.set(a, (inner = new WeakMap()));
  let same = inner.get(b);
  if (same === undefined) {
    const fa = Object.entries(a.fields);
    same = a.size === b.size && fa.length === Object.keys(b.fields).length &&
      fa.every(([name, f]) => {
        const g = (b.fields as Record<string, { offset: number; size: number } | undefined>)[name];
        return g !== undefined && g.offset === f.offset && g.size === f.size;
      });
    inner.set(b, same);
  }
  return same;
}

/** Re-encodes a struct from one layout into another with the same field names. */
export function convertStruct<F extends string>(from: StructLayout<F>, to: StructLayout<F>, bytes: Uint8Array): Uint8Array {
  return encodeStruct(to, decodeStruct(from, bytes));
}

// ---- the scratch arena ------------------------------------------------------------------

/** Host memory the kernel builds host-side arguments in; reset before each syscall. */
class ScratchArena {
  static readonly SIZE = 64 << 20;
  private mem: HostMemory | undefined;
  private top = 0;
  private used = 0;

  reset(): void {
    // Give large bounce buffers back to the host; small ones stay resident.
    if (this.used > 1 << 20 && this.mem !== undefined) this.mem.discard(0n, BigInt(this.used));
    if (this.used > 1 << 20) this.used = 0;
    this.top = 0;
  }

  /** len bytes (16-byte aligned), zero-filled; null when the arena cannot hold them. */
  alloc(len: number): { ptr: bigint; view: Uint8Array } | null {
    if (len < 0 || this.top + len > ScratchArena.SIZE) return null;
    if (this.mem === undefined) this.mem = HostMemory.reserve(BigInt(ScratchArena.SIZE));
    const off = this.top;
    this.top = (off + len + 15) & ~15;
    if (this.top > this.used) this.used = this.top;
    const view = this.mem.view(BigInt(off), len);
    view.fill(0);
    return { ptr: this.mem.ptr + BigInt(off), view };
  }

  /** What is left. */
  get available(): number {
    return ScratchArena.SIZE - this.top;
  }
}

export const scratch = new ScratchArena();

/** Scratch bytes holding a copy of data; its host address (FAULT_PTR if the arena is full). */
export function scratchCopy(data: Uint8Array): bigint {
  const s = scratch.alloc(data.length);
  if (s === null) return FAULT_PTR;
  s.view.set(data);
  return s.ptr;
}

/** Little-endian integers in scratch memory. */
export function scratchDataView(view: Uint8Array): DataView {
  return new DataView(view.buffer, view.byteOffset, view.byteLength);
}

// ---- guest buffers as host pointers -----------------------------------------------------

/** A piece of a guest buffer: host memory the host may use, or a part that faults. */
export interface Chunk {
  readonly guest: bigint;
  readonly host: bigint;
  readonly len: bigint;
  readonly fault: boolean;
}

/**
 * Guest [addr, addr+len) as host ranges the guest may access with `prot`, in order; an
 * inaccessible tail becomes one faulting chunk (the host stops there, as Linux would).
 */
export function guestChunks(mm: AddressSpace, addr: bigint, len: bigint, prot: number): Chunk[] {
  if (len === 0n) return [];
  const end = addr + len;
  if (addr >= USER_TOP || end > USER_TOP) return [{ guest: addr, host: OUT_OF_RANGE_PTR, len, fault: true }];
  const out: Chunk[] = [];
  let cursor = addr;
  while (cursor < end) {
    const v = mm.find(cursor);
    if (v === undefined || (v.prot & prot) !== prot) {
      out.push({ guest: cursor, host: FAULT_PTR, len: end - cursor, fault: true });
      break;
    }
    let e = v.end < end ? v.end : end;
    let host = mm.hostPointer(cursor, Number(e - cursor), prot);
    if (host === 'split') {
      // Crosses host reservations: take it page by page (a page never straddles one).
      e = (cursor & ~(PAGE_SIZE - 1n)) + PAGE_SIZE;
      if (e > end) e = end;
      host = mm.hostPointer(cursor, Number(e - cursor), prot);
    }
    if (typeof host !== 'bigint') {
      out.push({ guest: cursor, host: FAULT_PTR, len: end - cursor, fault: true });
      break;
    }
    const prev = out[out.length - 1];
    if (prev !== undefined && !prev.fault && prev.host + prev.len === host) {
      out[out.length - 1] = { guest: prev.guest, host: prev.host, len: prev.len + (e - cursor), fault: false };
    } else {
      out.push({ guest: cursor, host, len: e - cursor, fault: false });
    }
    cursor = e;
  }
  return out;
}

/** A host struct iovec array for chunks, in scratch; its address. */
export function hostIovecs(chunks: readonly Chunk[]): bigint {
  const s = scratch.alloc(chunks.length * 16);
  if (s === null) return FAULT_PTR;
  const dv = scratchDataView(s.view);
  chunks.forEach((c, i) => {
    dv.setBigUint64(i * 16, c.host, true);
    dv.setBigUint64(i * 16 + 8, BigInt.asUintN(64, c.len), true);
  });
  return s.ptr;
}

/** Tells the recorder (and Unicorn's code cache) about n bytes the host wrote through chunks. */
export function commitChunks(mm: AddressSpace, chunks: readonly Chunk[], n: bigint): void {
  let left = n;
  for (const c of chunks) {
    if (left <= 0n || c.fault) break;
    const m = c.len < left ? c.len : left;
    hostWrote(mm, c.guest, m);
    left -= m;
  }
}

/** After the host wrote guest [addr, addr+len) through a host pointer. */
export function hostWrote(mm: AddressSpace, addr: bigint, len: bigint): void {
  if (len <= 0n) return;
  mm.committed(addr, Number(len));
  // Unicorn does not see host writes: drop translations of code that may have changed.
  for (let a = addr; a < addr + len;) {
    const v = mm.find(a);
    if (v === undefined) break;
    if ((v.prot & PROT_EXEC) !== 0) {
      mm.engine.removeCache(addr, addr + len);
      break;
    }
    a = v.end;
  }
}

/** The fault address the host should get for a guest range the guest may not access. */
export function faultPtr(addr: bigint, len: bigint): bigint {
  return addr >= USER_TOP || addr + len > USER_TOP ? OUT_OF_RANGE_PTR : FAULT_PTR;
}

/**
 * A fixed-size guest input (a struct the host reads): the guest's own memory when possible,
 * else a scratch copy; a faulting address when the guest may not read it. NULL stays NULL.
 */
export function inPtr(mm: AddressSpace, addr: bigint, len: number): bigint {
  if (addr === 0n) return 0n;
  const p = mm.hostPointer(addr, len, 1);
  if (typeof p === 'bigint') return p;
  if (p === null) return faultPtr(addr, BigInt(len));
  const bytes = mm.read(addr, len);
  return bytes === null ? FAULT_PTR : scratchCopy(bytes);
}

/**
 * A fixed-size guest output (a struct the host writes). `ptr` goes to the host; after a
 * successful call, `finish()` makes the bytes the guest's (copying from scratch when the
 * guest range could not be used directly) and returns false if that failed (EFAULT).
 */
export interface OutBuffer {
  readonly ptr: bigint;
  /** The host's bytes when they went to scratch (to convert or inspect before finish). */
  readonly scratch: Uint8Array | undefined;
  finish(bytes?: Uint8Array): boolean;
}

export function outPtr(mm: AddressSpace, addr: bigint, len: number, hostLen = len, direct = true): OutBuffer {
  if (addr === 0n) return { ptr: 0n, scratch: undefined, finish: () => true };
  if (!mm.accessible(addr, BigInt(len), 2)) {
    return { ptr: faultPtr(addr, BigInt(len)), scratch: undefined, finish: () => false };
  }
  const p = direct && hostLen === len ? mm.hostPointer(addr, len, 2) : 'split';
  if (typeof p === 'bigint') {
    return { ptr: p, scratch: undefined, finish: () => { hostWrote(mm, addr, BigInt(len)); return true; } };
  }
  const s = scratch.alloc(hostLen);
  if (s === null) return { ptr: FAULT_PTR, scratch: undefined, finish: () => false };
  return { ptr: s.ptr, scratch: s.view, finish: (bytes?: Uint8Array) => mm.write(addr, (bytes ?? s.view).subarray(0, len)) };
}

/**
 * A variable-length guest output read by the host as one buffer (getdents64, readlink):
 * its accessible prefix, as the guest's own memory or bounced through scratch.
 */
export interface ByteOut {
  readonly ptr: bigint;
  readonly len: bigint;
  /** After the host wrote n bytes. */
  finish(n: bigint): void;
}

export function byteOut(mm: AddressSpace, addr: bigint, len: bigint): ByteOut {
  const chunks = guestChunks(mm, addr, len, 2);
  const first = chunks[0];
  if (first === undefined) return { ptr: FAULT_PTR, len: 0n, finish: () => {} };
  if (first.fault || chunks.length === 1 || chunks[1]!.fault) {
    return { ptr: first.host, len: first.len, finish: (n) => { if (!first.fault) hostWrote(mm, addr, n); } };
  }
  // Accessible but spanning host reservations: bounce.
  let total = 0n;
  for (const c of chunks) if (!c.fault) total += c.len;
  const size = total < BigInt(scratch.available) ? Number(total) : scratch.available;
  const s = scratch.alloc(size);
  if (s === null) return { ptr: FAULT_PTR, len: 0n, finish: () => {} };
  return { ptr: s.ptr, len: BigInt(size), finish: (n) => { if (n > 0n) mm.write(addr, s.view.subarray(0, Number(n))); } };
}

// ---- paths ------------------------------------------------------------------------------

/** PATH_MAX, including the NUL. */
const PATH_MAX = 4096;

/** A guest path for the host: a NUL-terminated scratch copy, or what makes the host fail the same way. */
export interface HostPath {
  readonly ptr: bigint;
  /** The path as the guest gave it (latin1), when it was valid. */
  readonly text: string | undefined;
  /** Set when the path names the process's own executable link (/proc/self/exe). */
  readonly exe?: string;
  /** Set when the path names a namespace of a guest process (/proc/PID/ns/pid, ns/user). */
  readonly ns?: NsRef;
  /** Set when the path names a guest process's memory (/proc/PID/mem). */
  readonly mem?: ThreadGroup;
  /** Set when the path is a /proc/PID/fd/N link whose target the guest names otherwise than the host. */
  readonly link?: string;
  /** Set when the path is a /proc/PID directory whose entries are the guest's (fd, fdinfo, task). */
  readonly list?: GuestListing;
}

/**
 * A guest path as the host must see it. Paths are the host's (no separate root yet), except
 * the /proc entries that name the calling process: its descriptors and working directory are
 * the kernel's, not the host process's (see procPath).
 */
export function hostPath(ctx: SyscallContext, addr: bigint, translateProc = true): HostPath {
  const mm = ctx.mm;
  if (addr === 0n) return { ptr: 0n, text: undefined };
  const r = mm.readCString(addr, PATH_MAX - 1);
  if (r === null) return { ptr: faultPtr(addr, 1n), text: undefined };
  if (r === 'too-long') {
    // PATH_MAX bytes without a NUL: the host says ENAMETOOLONG.
    const s = scratch.alloc(PATH_MAX + 16);
    if (s === null) return { ptr: FAULT_PTR, text: undefined };
    s.view.fill(0x61, 0, PATH_MAX + 16);
    return { ptr: s.ptr, text: undefined };
  }
  const text = Buffer.from(r.buffer, r.byteOffset, r.length).toString('latin1');
  // /dev/fd/N and /dev/stdin are links into /proc/self/fd, which the host would take for tstrace's.
  const procText = translateProc && text.startsWith('/dev/') ? DEV_FD_LINKS.get(text) ?? devFdPath(text) ?? text : text;
  const proc = translateProc && procText.startsWith('/proc/') ? procPath(ctx, procText) : undefined;
  // The executable's path is a host string (UTF-8); the rest keeps the guest's bytes. An
  // absolute path is looked up in the guest's root filesystem first (a symlink's target, not
  // translated here, is resolved by the host when it is followed, as under qemu -L).
  const rooted = proc === undefined && translateProc ? ctx.kernel.sysroot?.hostBytes(r) : undefined;
  const bytes = proc === undefined ? rooted ?? r : Buffer.from(proc.path, proc.exe === true ? 'utf8' : 'latin1');
  const s = scratch.alloc(bytes.length + 1);
  if (s === null) return { ptr: FAULT_PTR, text: undefined };
  s.view.set(bytes);
  if (proc?.ns !== undefined) return { ptr: s.ptr, text, ns: proc.ns };
  if (proc?.mem !== undefined) return { ptr: s.ptr, text, mem: proc.mem };
  if (proc?.link !== undefined) return { ptr: s.ptr, text, link: proc.link };
  if (proc?.list !== undefined) return { ptr: s.ptr, text, list: proc.list };
  return proc?.exe === true ? { ptr: s.ptr, text, exe: proc.path } : { ptr: s.ptr, text };
}

const PROC_SELF = /^\/proc\/(?:self|thread-self|(\d+))(?:\/task\/(\d+))?(\/.*)?$/;

/** The links Linux's /dev holds into /proc/self/fd (their targets, as readlink gives them). */
export const DEV_FD_LINKS: ReadonlyMap<string, string> = new Map([
  ['/dev/fd', '/proc/self/fd'], ['/dev/stdin', '/proc/self/fd/0'], ['/dev/stdout', '/proc/self/fd/1'], ['/dev/stderr', '/proc/self/fd/2'],
]);

/** /dev/fd/N[/...] as /proc/self/fd/N[/...]. */
function devFdPath(text: string): string | undefined {
  return text.startsWith('/dev/fd/') ? `/proc/self/fd/${text.slice('/dev/fd/'.length)}` : undefined;
}

/** The executable's host path (empty until the kernel has set it). */
export function exePath(ctx: SyscallContext): string | undefined {
  return ctx.proc.exe === '' ? undefined : ctx.proc.exe;
}

/**
 * /proc/self, /proc/thread-self and /proc/PID[/task/TID] in the guest's pid space, as the host
 * must see them: PID and TID name guest processes and threads only (any other number does not
 * exist); fd/N and fdinfo/N name the host descriptor behind that process's descriptor N, cwd
 * its working directory, exe its executable; status, stat, comm, cmdline, environ, auxv and
 * maps are generated from the kernel's state; a few others are tstrace's own (HOST_ENTRIES:
 * mounts, limits...), and the rest, which would show or change the host process, do not exist.
 */
function procPath(ctx: SyscallContext, text: string): { path: string; exe?: boolean; ns?: NsRef; mem?: ThreadGroup; link?: string; list?: GuestListing } | undefined {
  if (text === '/proc/cpuinfo') return { path: generatedFilePath(ctx.arch.cpuinfo(availableParallelism())) };
  const m = PROC_SELF.exec(text);
  if (m === null) return undefined;
  const [, pid, tid, restOrUndefined] = m;
  const rest = restOrUndefined ?? '';
  // /proc/self itself stays the link it is (readlink answers with the guest's pid).
  if (pid === undefined && rest === '') return { path: text };
  const group = pid === undefined ? ctx.proc : ctx.kernel.process(Number(pid));
  if (group === undefined || group.termination !== undefined && rest !== '') return { path: NO_SUCH_ENTRY };
  const threadSelf = text.startsWith('/proc/thread-self');
  const task = threadSelf ? ctx.task : tid !== undefined ? group.tasks.find((t) => t.tid === Number(tid)) : group.leader;
  if (task === undefined) return { path: NO_SUCH_ENTRY };
  const fd = /^\/(fd|fdinfo)\/(\d+)(\/.*)?$/.exec(rest);
  if (fd !== null) {
    const entry = group.fds.get(Number(fd[2]));
    // A namespace descriptor names (and reopens) the guest's namespace, not tstrace's.
    if (entry?.file instanceof NsFile && fd[1] === 'fd' && fd[3] === undefined) return { path: nsHostPath(entry.file.ref), ns: entry.file.ref };
    const host = `/proc/self/${fd[1]}/${entry === undefined ? '-1' : entry.file.hostFd}${fd[3] ?? ''}`;
    // /proc/PID/mem is an empty host file underneath: the link names the guest's file.
    if (entry?.file instanceof MemFile && fd[1] === 'fd' && fd[3] === undefined) return { path: host, link: entry.file.label };
    return { path: host };
  }
  // The directories of descriptors and threads list the guest's (proc-listing.ts).
  if (rest === '/fd' || rest === '/fdinfo' || rest === '/fd/' || rest === '/fdinfo/') {
    const fds = group.fds;
    return { path: `/proc/${process.pid}${rest}`, list: { type: rest.startsWith('/fd/') || rest === '/fd' ? 'link' : 'file', names: () => fds.descriptors().map(String) } };
  }
  if (rest === '/task' || rest === '/task/') {
    const ns = ctx.proc.pidns;
    return { path: `/proc/${process.pid}${rest}`, list: { type: 'dir', names: () => group.tasks.map((t) => ns.idOf(t.tid)).filter((id) => id > 0).map(String) } };
  }
  if (rest === '/cwd' || rest.startsWith('/cwd/')) return { path: `/proc/self/fd/${group.cwd.hostFd}${rest.slice(4)}` };
  if (rest === '/exe') return group.exe === '' ? undefined : { path: group.exe, exe: true };
  // Its namespaces: the guest's pid namespaces, the one user namespace (files/ns-file.ts).
  const ns = /^\/ns\/(pid|pid_for_children|user)$/.exec(rest)?.[1];
  if (ns !== undefined) {
    // A namespace made by unshare has no entry until its init exists.
    if (ns === 'pid_for_children' && group.childPidns !== group.pidns && group.childPidns.init === undefined) return { path: NO_SUCH_ENTRY };
    const ref: NsRef = ns === 'user' ? { kind: 'user' } : { kind: 'pid', pidns: ns === 'pid' ? group.pidns : group.childPidns };
    return { path: nsHostPath(ref), ns: ref };
  }
  // The process's memory: an empty host file the kernel reads and writes through (files/mem-file.ts).
  if (rest === '/mem') return { path: generatedFilePath('', 0o600), mem: group };
  const name = rest.slice(1);
  if (GENERATED.has(name)) return { path: generatedFilePath(generate(ctx.kernel, task, name)) };
  if (rest !== '' && !HOST_ENTRIES.has(name.split('/')[0]!)) return { path: NO_SUCH_ENTRY };
  return { path: `/proc/${process.pid}${rest}` };
}

/** A /proc path that never exists on the host (pid 0): ENOENT for a pid the guest does not have. */
const NO_SUCH_ENTRY = '/proc/0/tstrace-no-such-process';

// ---- umask ------------------------------------------------------------------------------

/**
 * Runs a host call that creates a file system object with the guest process's umask as the
 * host's, so that mode bits come out as Linux makes them (default ACLs included) and the
 * host process's own umask never leaks in.
 */
export function withUmask<T>(umask: number, fn: () => T): T {
  const old = hostSyscall(HOST.umask, BigInt(umask & 0o777));
  try {
    return fn();
  } finally {
    hostSyscall(HOST.umask, old);
  }
}

// ---- small guest reads ------------------------------------------------------------------

/** Reads an array of little-endian u64 pairs (iovecs) from the guest; null on EFAULT. */
export function readGuestIovecs(mm: AddressSpace, addr: bigint, count: number): { base: bigint; len: bigint }[] | null {
  if (count === 0) return [];
  const bytes = mm.read(addr, count * 16);
  if (bytes === null) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { base: bigint; len: bigint }[] = [];
  for (let i = 0; i < count; i++) out.push({ base: dv.getBigUint64(i * 16, true), len: dv.getBigUint64(i * 16 + 8, true) });
  return out;
}

/**
 * A guest iovec array as host chunks (one guest iovec may become several host ones). A
 * negative length stays as it is, for the host to reject with EINVAL.
 */
export function iovecChunks(mm: AddressSpace, iovs: readonly { base: bigint; len: bigint }[], prot: number): Chunk[] {
  const out: Chunk[] = [];
  for (const v of iovs) {
    if (BigInt.asIntN(64, v.len) < 0n) {
      out.push({ guest: v.base, host: FAULT_PTR, len: v.len, fault: true });
      continue;
    }
    out.push(...guestChunks(mm, v.base, v.len, prot));
  }
  return out;
}

/** UIO_MAXIOV. */
export const IOV_MAX = 1024;

export { PAGE_SIZE };
