// Blocking I/O on host descriptors without blocking the host: a call on a pipe, FIFO, socket
// or terminal that would wait (and whose description is not O_NONBLOCK) parks its task on the
// descriptor's readiness, and the scheduler runs the other tasks; the kernel polls the host
// only when no task can run. Regular files never wait: they are read and written directly.
import * as fs from 'node:fs';
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';
import { HostMemory } from '../../../packages/unicorn-engine-ts/src/index.js';
import { hostReady } from '../scheduler.js';
import { E } from '../../abi/errno.js';
import type { OpenFile } from '../files/open-file.js';
import type { SyscallContext, SyscallHandler } from './types.js';
import { asInt } from './types.js';

export const POLLIN = 1;
export const POLLOUT = 4;
const O_NONBLOCK = 0o4000;
const MSG_DONTWAIT = 0x40;
const F_GETFL = 3;
const S_IFMT = 0o170000;
const S_IFIFO = 0o010000;
const S_IFCHR = 0o020000;
const S_IFSOCK = 0o140000;
/** Anonymous-inode descriptors whose reads wait (an epoll descriptor's read is EINVAL). */
const WAITING_ANON = /^anon_inode:(\[(eventfd|timerfd|signalfd)\]|inotify)$/;

type Kind = 'socket' | 'stream' | 'never';
const EAGAIN = BigInt(E.EAGAIN);
const EOPNOTSUPP = BigInt(E.EOPNOTSUPP);
/** Descriptions on which the host refused RWF_NOWAIT (terminals): they take the poll path. */
const noNowait = new WeakSet<OpenFile>();
/** How each description can make a call wait (worked out once per description). */
const kinds = new WeakMap<OpenFile, Kind>();
let statMemory: HostMemory | undefined;

function kindOf(file: OpenFile): Kind {
  let kind = kinds.get(file);
  if (kind === undefined) {
    kind = hostKind(file.hostFd);
    kinds.set(file, kind);
  }
  return kind;
}

function hostKind(hostFd: number): Kind {
  const mem = (statMemory ??= HostMemory.reserve(4096));
  if (hostSyscall(HOST.fstat, BigInt(hostFd), mem.ptr) !== 0n) return 'never';
  const stat = mem.view(0n, 144);
  const type = new DataView(stat.buffer, stat.byteOffset).getUint32(24, true) & S_IFMT;
  if (type === S_IFSOCK) return 'socket';
  if (type === S_IFIFO || type === S_IFCHR) return 'stream';
  if (type !== 0) return 'never';
  try {
    return WAITING_ANON.test(fs.readlinkSync(`/proc/self/fd/${hostFd}`)) ? 'stream' : 'never';
  } catch {
    return 'never';
  }
}

export interface WaitOptions {
  /** The argument holding send/recv flags (MSG_DONTWAIT asks one call not to wait). */
  readonly flagsArg?: number;
  /** The call is a socket call: on anything else it fails at once (ENOTSOCK). */
  readonly socketsOnly?: boolean;
  /**
   * The call made so that it never waits on the host: -EAGAIN when it would, -EOPNOTSUPP when
   * the host cannot do that for this descriptor, undefined when it cannot say. Tried before the
   * readiness poll on streams, it saves that poll, a host syscall, on every call that goes
   * through.
   */
  readonly nowait?: (ctx: SyscallContext, done: bigint) => bigint | undefined;
  /**
   * A write's length: with `nowait`, one that goes part of the way waits for room for the rest
   * (`done` bytes written so far), as Linux's blocking write goes on until it has written
   * everything; a signal then ends it with what it wrote. A host write of the whole buffer
   * would block tstrace itself once the pipe is full, with its reader a guest task.
   */
  readonly length?: (ctx: SyscallContext) => bigint;
}

/**
 * Wraps the handler of a call on the descriptor in argument `fdArg` that may wait for
 * `events`: when the descriptor is not ready and not non-blocking, the task parks until it is,
 * then the handler runs.
 */
export function waitsFor(fdArg: number, events: number, handler: SyscallHandler, options: WaitOptions = {}): SyscallHandler {
  const { flagsArg, socketsOnly = false, nowait, length } = options;
  const attempt = (ctx: SyscallContext, done = 0n): bigint => {
    // MSG_DONTWAIT asks for this one call not to wait.
    if (flagsArg !== undefined && (asInt(ctx.args[flagsArg]!) & MSG_DONTWAIT) !== 0) return handler(ctx);
    const fd = asInt(ctx.args[fdArg]!);
    const file = ctx.proc.fds.get(fd)?.file;
    if (file === undefined) return handler(ctx);
    const kind = kindOf(file);
    if (kind === 'never' || (socketsOnly && kind !== 'socket')) return handler(ctx);
    // A write that went through may have made a parked reader ready: let it run.
    const finish = (r: bigint): bigint => {
      if (events === POLLOUT && r > 0n) ctx.kernel.preemptForHost(ctx.task);
      return r;
    };
    let wouldWait = false;
    if (nowait !== undefined && kind === 'stream' && !noNowait.has(file)) {
      const r = nowait(ctx, done);
      if (r === -EOPNOTSUPP && done === 0n) noNowait.add(file);
      else if (r === -EAGAIN) wouldWait = true;
      else if (r !== undefined && (r < 0n || length === undefined)) return finish(done > 0n ? done : r);
      else if (r !== undefined) {
        done += r;
        if (done >= length!(ctx)) return finish(done);
        wouldWait = true;
      }
    }
    if (done === 0n && !wouldWait && hostReady(file.hostFd, events)) return finish(handler(ctx));
    const flags = hostSyscall(HOST.fcntl, BigInt(file.hostFd), BigInt(F_GETFL));
    if (flags < 0n || (Number(flags) & O_NONBLOCK) !== 0) return done > 0n ? finish(done) : handler(ctx);
    // What a part written so far lets its reader do, it does first.
    if (done > 0n) ctx.kernel.preemptForHost(ctx.task);
    const sofar = done;
    return ctx.block({
      what: `${events === POLLIN ? 'reading' : 'writing'} fd ${fd}`,
      hostFd: file.hostFd,
      events,
      retry: () => attempt(ctx, sofar),
      ...(sofar > 0n ? { onSignal: () => sofar } : {}),
    });
  };
  return attempt;
}
