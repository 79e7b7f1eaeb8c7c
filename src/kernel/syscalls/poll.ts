// Readiness syscalls: poll/ppoll, select/pselect6, epoll, eventfd, passed through to the host
// with guest descriptor numbers translated both ways (pollfd arrays, fd_sets) and struct
// epoll_event re-laid out where the guest's differs from the host's packed x86_64 one.
//
// A call that would wait parks its task (the scheduler polls the host for it only when no
// task can run), so the other tasks run meanwhile. The signal masks of ppoll, pselect6 and
// epoll_pwait are in effect during the wait, as Linux's set_user_sigmask puts them.
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { SIG } from '../../abi/signals.js';
import { POLLFD, TIMESPEC, TIMEVAL } from '../../abi/structs.js';
import { OpenFile } from '../files/open-file.js';
import type { AddressSpace } from '../memory/address-space.js';
import { byReplay, asInt, asUint, full, partial, type SyscallContext, type SyscallHandler, type SyscallTable } from './types.js';
import {
  EFAULT, EINVAL, HOST_STRUCTS, NO_FD, O_CLOEXEC, O_NONBLOCK, SIGSET_SIZE, convertStruct,
  err, faultPtr, hostFd, hostWrote, sameLayout, scratch, scratchCopy, scratchDataView, withScratch,
} from './host-abi.js';
import { installFile } from './fs.js';
import { type HostInterest, type Wait } from '../scheduler.js';
import { POLLIN, POLLOUT } from './host-wait.js';

const big = (n: number): bigint => BigInt(n);
const POLLNVAL = 0x20;
const POLLPRI = 2;
const NSEC_PER_SEC = 1_000_000_000n;
const USEC_PER_SEC = 1_000_000n;

// ---- timeouts and signal masks ----------------------------------------------------------

interface Timeout {
  /** The guest's struct, as read (timespec or timeval). */
  readonly bytes: Uint8Array;
  /** Its length in nanoseconds. */
  readonly ns: bigint;
}

/** Reads a guest timespec (ppoll, pselect6, epoll_pwait2): EFAULT/EINVAL as Linux gives them. */
function readTimespec(mm: AddressSpace, addr: bigint): Timeout | bigint {
  const b = mm.read(addr, TIMESPEC.size);
  if (b === null) return EFAULT;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const sec = dv.getBigInt64(0, true);
  const nsec = dv.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= NSEC_PER_SEC) return EINVAL;
  return { bytes: b.slice(), ns: sec * NSEC_PER_SEC + nsec };
}

/** Reads a guest timeval (select): usec beyond a second carries into seconds, as Linux does. */
function readTimeval(mm: AddressSpace, addr: bigint): Timeout | bigint {
  const b = mm.read(addr, TIMEVAL.size);
  if (b === null) return EFAULT;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const usec = dv.getBigInt64(8, true);
  const sec = dv.getBigInt64(0, true) + usec / USEC_PER_SEC;
  const nsec = (usec % USEC_PER_SEC) * 1000n;
  if (sec < 0n || nsec < 0n) return EINVAL;
  return { bytes: b.slice(), ns: sec * NSEC_PER_SEC + nsec };
}

/** A call's signal mask argument, with set_user_sigmask's checks: NULL (none), or 8 readable bytes. */
type MaskArg = { readonly mask: bigint | undefined } | bigint;

function readSigmaskArg(mm: AddressSpace, addr: bigint, size: bigint): MaskArg {
  if (addr === 0n) return { mask: undefined };
  if (size !== SIGSET_SIZE) return EINVAL;
  const b = mm.read(addr, 8);
  return b === null ? EFAULT : { mask: new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) & ~UNBLOCKABLE };
}

/**
 * The signal mask that ppoll, pselect6, epoll_pwait or epoll_pwait2 waits with, read from its
 * arguments (undefined: another call, or none given). Replay, which does not run these calls,
 * puts it in place when the recording says a signal interrupted one.
 */
export function waitSigmask(name: string, mm: AddressSpace, args: readonly bigint[]): bigint | undefined {
  let addr: bigint;
  let size: bigint;
  if (name === 'ppoll') [addr, size] = [args[3]!, args[4]!];
  else if (name === 'epoll_pwait' || name === 'epoll_pwait2') [addr, size] = [args[4]!, args[5]!];
  else if (name === 'pselect6') {
    if (args[5]! === 0n) return undefined;
    const b = mm.read(args[5]!, 16);
    if (b === null) return undefined;
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    [addr, size] = [dv.getBigUint64(0, true), dv.getBigUint64(8, true)];
  } else return undefined;
  const m = readSigmaskArg(mm, addr, size);
  return typeof m === 'bigint' ? undefined : m.mask;
}

/** SIGKILL and SIGSTOP: never blocked. */
const UNBLOCKABLE = (1n << BigInt(SIG.SIGKILL - 1)) | (1n << BigInt(SIG.SIGSTOP - 1));

/** Nanoseconds as a timespec, or as a timeval (microseconds rounded up, as Linux rounds). */
function encodeTime(ns: bigint, asTimeval: boolean): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  dv.setBigInt64(0, ns / NSEC_PER_SEC, true);
  const frac = ns % NSEC_PER_SEC;
  dv.setBigInt64(8, asTimeval ? (frac + 999n) / 1000n : frac, true);
  if (asTimeval && dv.getBigInt64(8, true) === USEC_PER_SEC) {
    dv.setBigInt64(0, ns / NSEC_PER_SEC + 1n, true);
    dv.setBigInt64(8, 0n, true);
  }
  return out;
}

// ---- waiting for readiness without blocking the other tasks -----------------------------

/** What one look at the descriptors found: the call's result, and what to wait on if 0. */
interface Readiness {
  readonly result: bigint;
  readonly interests: readonly HostInterest[];
}

/**
 * poll and select as Linux runs them, without blocking the other guest tasks: `look` asks the
 * host what is ready now (`last`: the final look, whose empty answer is the result); when
 * nothing is and the timeout (ns, undefined: none) is not 0, the task parks on every host
 * descriptor named and on the deadline, and looks again when woken. A signal ends the call
 * with `interrupted` (a restart code). `done` sees how much of the timeout was left, and
 * whether a signal ended the wait.
 */
function waitReady(
  ctx: SyscallContext,
  what: string,
  timeoutNs: bigint | undefined,
  look: (last: boolean) => Readiness | bigint,
  interrupted: number,
  done: (leftNs: bigint, bySignal: boolean) => void = () => {},
  mask?: bigint,
): bigint {
  // The call's mask holds for the wait. A signal that ends it runs its handler with that mask
  // still in effect (the frame restores the old one); otherwise the old mask returns at once.
  const task = ctx.task;
  if (mask !== undefined) {
    task.savedSigmask = task.sigmask;
    task.sigmask = mask;
  }
  const restoreMask = (): void => {
    if (mask === undefined || task.savedSigmask === undefined) return;
    task.sigmask = task.savedSigmask;
    task.savedSigmask = undefined;
  };
  const deadline = timeoutNs === undefined ? undefined : process.hrtime.bigint() + timeoutNs;
  const left = (): bigint => {
    if (deadline === undefined) return 0n;
    const l = deadline - process.hrtime.bigint();
    return l < 0n ? 0n : l;
  };
  const finish = (r: bigint, bySignal = false): bigint => {
    done(left(), bySignal);
    if (!bySignal) restoreMask();
    return r;
  };
  const first = look(timeoutNs === 0n);
  if (typeof first === 'bigint') return finish(first);
  if (first.result !== 0n || timeoutNs === 0n) return finish(first.result);
  const interests = [...first.interests];
  const wait: Wait = {
    what,
    hostFds: interests,
    retry: (why) => {
      const timedOut = why === 'timeout' || (deadline !== undefined && left() === 0n);
      const r = look(timedOut);
      if (typeof r === 'bigint') return finish(r);
      if (r.result !== 0n || timedOut) return finish(r.result);
      interests.splice(0, interests.length, ...r.interests);
      return ctx.block(wait, deadline === undefined ? undefined : left());
    },
    onSignal: () => finish(-BigInt(interrupted), true),
  };
  return ctx.block(wait, timeoutNs);
}

// ---- poll -------------------------------------------------------------------------------

/**
 * One look for poll: translates the guest's pollfd array, asks the host with no timeout, and
 * writes the revents back (POLLNVAL for a descriptor that is not open).
 */
function lookPoll(ctx: SyscallContext, addr: bigint, nfdsArg: bigint): Readiness | bigint {
  const nfds = asUint(nfdsArg);
  if (nfds > ctx.proc.fds.limit) return EINVAL;
  const size = nfds * POLLFD.size;
  const guest = nfds === 0 ? new Uint8Array(0) : ctx.mm.read(addr, size);
  if (guest === null) return EFAULT;
  const copy = guest.slice();
  const gdv = new DataView(copy.buffer);
  scratch.reset();
  const host = scratch.alloc(Math.max(size, 8));
  if (host === null) return err(E.ENOMEM);
  const hdv = scratchDataView(host.view);
  const invalid: boolean[] = [];
  const interests: HostInterest[] = [];
  for (let i = 0; i < nfds; i++) {
    const fd = gdv.getInt32(i * 8, true);
    const entry = fd >= 0 ? ctx.proc.fds.get(fd) : undefined;
    const events = gdv.getUint16(i * 8 + 4, true);
    invalid.push(fd >= 0 && entry === undefined);
    hdv.setInt32(i * 8, entry?.file.hostFd ?? NO_FD, true);
    hdv.setInt16(i * 8 + 4, events, true);
    hdv.setInt16(i * 8 + 6, 0, true);
    if (entry !== undefined) interests.push({ fd: entry.file.hostFd, events });
  }
  const r = nfds === 0 ? 0n : hs(HOST.poll, host.ptr, big(nfds), 0n);
  if (r < 0n) return r;
  let count = 0;
  for (let i = 0; i < nfds; i++) {
    const revents = invalid[i] ? POLLNVAL : hdv.getInt16(i * 8 + 6, true);
    gdv.setInt16(i * 8 + 6, revents, true);
    if (revents !== 0) count++;
  }
  if (nfds > 0 && !ctx.mm.write(addr, copy)) return EFAULT;
  return { result: big(count), interests };
}

const poll: SyscallHandler = (ctx) => {
  const [fds, nfds, timeout] = ctx.args;
  const ms = asInt(timeout!);
  return pollUntil(ctx, fds!, nfds!, ms < 0 ? undefined : process.hrtime.bigint() + big(ms) * 1_000_000n);
};

/**
 * poll until a host deadline (undefined: none). Interrupted, it ends with ERESTART_RESTARTBLOCK:
 * restart_syscall polls again until the same deadline, as Linux's poll restart does.
 */
function pollUntil(ctx: SyscallContext, fds: bigint, nfds: bigint, deadline: bigint | undefined): bigint {
  const timeout = deadline === undefined ? undefined : deadline - process.hrtime.bigint();
  const done = (_left: bigint, bySignal: boolean): void => {
    if (bySignal) ctx.task.restartBlock = (resumed) => pollUntil(resumed, fds, nfds, deadline);
  };
  return waitReady(ctx, 'poll', timeout === undefined || timeout > 0n ? timeout : 0n, () => lookPoll(ctx, fds, nfds), E.ERESTART_RESTARTBLOCK, done);
}

const ppoll: SyscallHandler = (ctx) => {
  const [fds, nfds, tsp, sigmask, sigsetsize] = ctx.args;
  let t: Timeout | undefined;
  if (tsp! !== 0n) {
    const r = readTimespec(ctx.mm, tsp!);
    if (typeof r === 'bigint') return r;
    t = r;
  }
  const m = readSigmaskArg(ctx.mm, sigmask!, sigsetsize!);
  if (typeof m === 'bigint') return m;
  return waitReady(ctx, 'ppoll', t?.ns, () => lookPoll(ctx, fds!, nfds!), E.ERESTARTNOHAND, (left) => {
    // poll_select_finish: the time left is written back unless the timeout was zero.
    if (t !== undefined && t.ns !== 0n) ctx.mm.write(tsp!, encodeTime(left, false));
  }, m.mask);
};

// ---- select -----------------------------------------------------------------------------

/** NR_OPEN_DEFAULT: a descriptor table's smallest size. */
const FDTABLE_MIN = 64;

/**
 * The size of the process's descriptor table as Linux would have allocated it (select ignores
 * bits past it): 64 slots, then grown in powers of two of 128. Computed from the highest
 * descriptor open now (Linux never shrinks a table, so it can be larger there).
 */
function fdTableSize(ctx: SyscallContext): number {
  const fds = ctx.proc.fds.descriptors();
  const highest = fds.length === 0 ? 0 : fds[fds.length - 1]!;
  if (highest < FDTABLE_MIN) return FDTABLE_MIN;
  let pow = 1;
  while (pow < Math.floor((highest + 1) / 128) + 1) pow *= 2;
  return pow * 128;
}

const fdsBytes = (n: number): number => Math.ceil(n / 64) * 8;
/** What select's read, write and except sets wait for, as poll events. */
const SELECT_EVENTS = [POLLIN, POLLOUT, POLLPRI] as const;

/**
 * One look for select: reads the guest's fd_sets (n bits), checks every named descriptor is
 * open (EBADF), asks the host with no timeout through translated fd_sets, and writes the
 * result sets back when something is ready or this is the last look (an empty wait leaves the
 * guest's sets as they are, to be read again).
 */
function lookSelect(ctx: SyscallContext, nArg: bigint, setAddrs: readonly bigint[], last: boolean): Readiness | bigint {
  let n = asInt(nArg);
  if (n < 0) return EINVAL;
  const max = fdTableSize(ctx);
  if (n > max) n = max;
  const size = fdsBytes(n);
  const guestSets: (Uint8Array | undefined)[] = [];
  for (const addr of setAddrs) {
    if (addr === 0n) {
      guestSets.push(undefined);
      continue;
    }
    const b = size === 0 ? new Uint8Array(0) : ctx.mm.read(addr, size);
    if (b === null) return EFAULT;
    guestSets.push(b.slice());
  }
  const isSet = (set: Uint8Array | undefined, fd: number): boolean => set !== undefined && (set[fd >> 3]! & (1 << (fd & 7))) !== 0;
  // Guest descriptors named in any set, with their host descriptors.
  const named: { fd: number; host: number }[] = [];
  const interests: HostInterest[] = [];
  let hostMax = -1;
  for (let fd = 0; fd < n; fd++) {
    let events = 0;
    guestSets.forEach((s, k) => {
      if (isSet(s, fd)) events |= SELECT_EVENTS[k]!;
    });
    if (events === 0) continue;
    const e = ctx.proc.fds.get(fd);
    if (e === undefined) return err(E.EBADF);
    named.push({ fd, host: e.file.hostFd });
    interests.push({ fd: e.file.hostFd, events });
    if (e.file.hostFd > hostMax) hostMax = e.file.hostFd;
  }
  scratch.reset();
  const hn = hostMax + 1;
  const hsize = fdsBytes(hn);
  const hostSets: (Uint8Array | undefined)[] = [];
  const hostPtrs: bigint[] = [];
  for (const g of guestSets) {
    if (g === undefined) {
      hostSets.push(undefined);
      hostPtrs.push(0n);
      continue;
    }
    const s = scratch.alloc(Math.max(hsize, 8));
    if (s === null) return err(E.ENOMEM);
    s.view.fill(0);
    for (const { fd, host } of named) if (isSet(g, fd)) s.view[host >> 3]! |= 1 << (host & 7);
    hostSets.push(s.view);
    hostPtrs.push(s.ptr);
  }
  const zero = scratch.alloc(TIMEVAL.size);
  if (zero === null) return err(E.ENOMEM);
  zero.view.fill(0);
  const r = hs(HOST.select, big(hn), hostPtrs[0]!, hostPtrs[1]!, hostPtrs[2]!, zero.ptr);
  if (r < 0n) return r;
  let count = 0;
  const outs: Uint8Array[] = [];
  for (let k = 0; k < guestSets.length; k++) {
    const g = guestSets[k];
    const h = hostSets[k];
    const out = new Uint8Array(size);
    outs.push(out);
    if (g === undefined || h === undefined) continue;
    for (const { fd, host } of named) {
      if (isSet(g, fd) && isSet(h, host)) {
        out[fd >> 3]! |= 1 << (fd & 7);
        count++;
      }
    }
  }
  if (count > 0 || last) {
    for (let k = 0; k < guestSets.length; k++) {
      if (guestSets[k] !== undefined && size > 0 && !ctx.mm.write(setAddrs[k]!, outs[k]!)) return EFAULT;
    }
  }
  return { result: big(count), interests };
}

const select: SyscallHandler = (ctx) => {
  const [n, inp, outp, exp, tvp] = ctx.args;
  let t: Timeout | undefined;
  if (tvp! !== 0n) {
    const r = readTimeval(ctx.mm, tvp!);
    if (typeof r === 'bigint') return r;
    t = r;
  }
  return waitReady(ctx, 'select', t?.ns, (last) => lookSelect(ctx, n!, [inp!, outp!, exp!], last), E.ERESTARTNOHAND, (left) => {
    if (t !== undefined && t.ns !== 0n) ctx.mm.write(tvp!, encodeTime(left, true));
  });
};

const pselect6: SyscallHandler = (ctx) => {
  const [n, inp, outp, exp, tsp, sig] = ctx.args;
  // The sixth argument points at { const sigset_t *ss; size_t ss_len; }.
  let ss = 0n;
  let ssLen = 0n;
  if (sig! !== 0n) {
    const b = ctx.mm.read(sig!, 16);
    if (b === null) return EFAULT;
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    ss = dv.getBigUint64(0, true);
    ssLen = dv.getBigUint64(8, true);
  }
  let t: Timeout | undefined;
  if (tsp! !== 0n) {
    const r = readTimespec(ctx.mm, tsp!);
    if (typeof r === 'bigint') return r;
    t = r;
  }
  const m = readSigmaskArg(ctx.mm, ss, ssLen);
  if (typeof m === 'bigint') return m;
  return waitReady(ctx, 'pselect6', t?.ns, (last) => lookSelect(ctx, n!, [inp!, outp!, exp!], last), E.ERESTARTNOHAND, (left) => {
    if (t !== undefined && t.ns !== 0n) ctx.mm.write(tsp!, encodeTime(left, false));
  }, m.mask);
};

// ---- epoll ------------------------------------------------------------------------------

const EPOLL_CTL_DEL = 2;

const epollCreate: SyscallHandler = (ctx) => {
  if (asInt(ctx.args[0]!) <= 0) return EINVAL;
  const r = hs(HOST.epoll_create1, big(O_CLOEXEC));
  if (r < 0n) return r;
  return installFile(ctx, new OpenFile(Number(r), 'anon_inode:[eventpoll]'), false);
};

const epollCreate1: SyscallHandler = (ctx) => {
  const flags = asInt(ctx.args[0]!);
  if ((flags & ~O_CLOEXEC) !== 0) return EINVAL;
  const r = hs(HOST.epoll_create1, big(O_CLOEXEC));
  if (r < 0n) return r;
  return installFile(ctx, new OpenFile(Number(r), 'anon_inode:[eventpoll]'), (flags & O_CLOEXEC) !== 0);
};

const epollCtl: SyscallHandler = (ctx) => {
  const [epfd, op, fd, event] = ctx.args;
  const guest = ctx.arch.structs.epollEvent;
  const host = HOST_STRUCTS.epollEvent;
  let ptr = 0n;
  if (asInt(op!) !== EPOLL_CTL_DEL) {
    // Linux copies the event before it looks at the descriptors: EFAULT comes first.
    const b = ctx.mm.read(event!, guest.size);
    ptr = b === null ? faultPtr(event!, big(guest.size)) : scratchCopy(convertStruct(guest, host, b));
  }
  return hs(HOST.epoll_ctl, big(hostFd(ctx, asInt(epfd!))), big(asInt(op!)), big(hostFd(ctx, asInt(fd!))), ptr);
};

/** epoll_wait's core: the host fills host-layout events, converted into the guest's buffer. */
function doEpollWait(ctx: SyscallContext, epfd: number, addr: bigint, maxeventsArg: bigint, wait: (h: bigint, events: bigint, max: bigint) => bigint): bigint {
  const guest = ctx.arch.structs.epollEvent;
  const host = HOST_STRUCTS.epollEvent;
  let max = asInt(maxeventsArg);
  if (max <= 0 || max > Math.floor(0x7fffffff / guest.size)) return EINVAL;
  const glen = big(max * guest.size);
  const h = big(hostFd(ctx, epfd));
  const mm = ctx.mm;
  if (!mm.accessible(addr, glen, 2)) return wait(h, faultPtr(addr, glen), big(max));
  if (sameLayout(guest, host)) {
    const p = mm.hostPointer(addr, max * guest.size, 2);
    if (typeof p === 'bigint') {
      const r = wait(h, p, big(max));
      if (r > 0n) hostWrote(mm, addr, r * big(guest.size));
      return r;
    }
  }
  // Bounce (and re-lay out). A huge maxevents is cut to what scratch holds: fewer events per call.
  max = Math.min(max, Math.floor(scratch.available / host.size));
  const s = scratch.alloc(max * host.size);
  if (s === null || max === 0) return err(E.ENOMEM);
  const r = wait(h, s.ptr, big(max));
  if (r <= 0n) return r;
  const n = Number(r);
  const out = new Uint8Array(n * guest.size);
  for (let i = 0; i < n; i++) {
    out.set(convertStruct(host, guest, s.view.subarray(i * host.size, (i + 1) * host.size)), i * guest.size);
  }
  return mm.write(addr, out) ? r : EFAULT;
}

/**
 * epoll_wait with a timeout, without blocking the other guest tasks: the epoll descriptor
 * itself polls readable while an event is pending, so the task parks on it. A signal ends the
 * call with EINTR, as on Linux (never restarted).
 */
function epollWaiting(ctx: SyscallContext, epfd: number, events: bigint, maxevents: bigint, timeoutNs: bigint | undefined, mask?: bigint): bigint {
  const look = (): Readiness | bigint => {
    scratch.reset();
    const r = doEpollWait(ctx, epfd, events, maxevents, (h, ev, max) => hs(HOST.epoll_pwait, h, ev, max, 0n, 0n, SIGSET_SIZE));
    const file = ctx.proc.fds.get(epfd)?.file;
    if (r < 0n || file === undefined) return r;
    return { result: r, interests: [{ fd: file.hostFd, events: POLLIN }] };
  };
  return waitReady(ctx, `epoll_wait fd ${epfd}`, timeoutNs, look, E.EINTR, undefined, mask);
}

const epollWait: SyscallHandler = (ctx) => {
  const [epfd, events, maxevents, timeout] = ctx.args;
  return epollWaiting(ctx, asInt(epfd!), events!, maxevents!, msToNs(asInt(timeout!)));
};

const epollPwait: SyscallHandler = (ctx) => {
  const [epfd, events, maxevents, timeout, sigmask, sigsetsize] = ctx.args;
  const m = readSigmaskArg(ctx.mm, sigmask!, sigsetsize!);
  if (typeof m === 'bigint') return m;
  return epollWaiting(ctx, asInt(epfd!), events!, maxevents!, msToNs(asInt(timeout!)), m.mask);
};

const epollPwait2: SyscallHandler = (ctx) => {
  const [epfd, events, maxevents, tsp, sigmask, sigsetsize] = ctx.args;
  let t: Timeout | undefined;
  if (tsp! !== 0n) {
    const r = readTimespec(ctx.mm, tsp!);
    if (typeof r === 'bigint') return r;
    t = r;
  }
  const m = readSigmaskArg(ctx.mm, sigmask!, sigsetsize!);
  if (typeof m === 'bigint') return m;
  return epollWaiting(ctx, asInt(epfd!), events!, maxevents!, t?.ns, m.mask);
};

/** epoll_wait's timeout in ms (negative: none) in ns. */
function msToNs(ms: number): bigint | undefined {
  return ms < 0 ? undefined : big(ms) * 1_000_000n;
}

// ---- eventfd ----------------------------------------------------------------------------

const EFD_SEMAPHORE = 1;

function eventfdWith(ctx: SyscallContext, count: bigint, flags: number): bigint {
  if ((flags & ~(EFD_SEMAPHORE | O_CLOEXEC | O_NONBLOCK)) !== 0) return EINVAL;
  const r = hs(HOST.eventfd2, big(asUint(count)), big((flags | O_CLOEXEC) >>> 0));
  if (r < 0n) return r;
  return installFile(ctx, new OpenFile(Number(r), 'anon_inode:[eventfd]'), (flags & O_CLOEXEC) !== 0);
}

const eventfd: SyscallHandler = (ctx) => eventfdWith(ctx, ctx.args[0]!, 0);
const eventfd2: SyscallHandler = (ctx) => eventfdWith(ctx, ctx.args[0]!, asInt(ctx.args[1]!));

// ---- the table --------------------------------------------------------------------------

const f = (h: SyscallHandler): ReturnType<typeof full> => full(withScratch(h));
const p = (h: SyscallHandler, note: string): ReturnType<typeof partial> => partial(withScratch(h), note);

const EPOLL_NOTE = 'one registration per open file description: two dup()ed descriptors of one file cannot both be added (EEXIST)';

export const POLL_SYSCALLS: SyscallTable = byReplay({
  apply: {
    poll: f(poll),
    ppoll: f(ppoll),
    select: p(select, 'descriptors past the size the process\'s table has now are ignored, as Linux ignores those past its allocated table'),
    pselect6: f(pselect6),
    epoll_create: f(epollCreate),
    epoll_create1: f(epollCreate1),
    epoll_ctl: p(epollCtl, EPOLL_NOTE),
    epoll_wait: f(epollWait),
    epoll_pwait: f(epollPwait),
    epoll_pwait2: f(epollPwait2),
    eventfd: f(eventfd),
    eventfd2: f(eventfd2),
  },
});
