// signalfd and signalfd4: a descriptor whose reads take pending signals of a mask, as
// struct signalfd_siginfo records (files/signal-file.ts keeps it pollable).
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { SIG } from '../../abi/signals.js';
import { SignalFile } from '../files/signal-file.js';
import type { Siginfo } from '../ptrace.js';
import type { Task } from '../task.js';
import { byReplay, asInt, full, type SyscallContext, type SyscallTable } from './types.js';
import { O_CLOEXEC, O_NONBLOCK, SIGSET_SIZE, err } from './host-abi.js';
import { installFile } from './fs.js';
import { POLLIN } from './host-wait.js';

const bit = (signo: number): bigint => 1n << BigInt(signo - 1);
const UNBLOCKABLE = bit(SIG.SIGKILL) | bit(SIG.SIGSTOP);
/** sizeof(struct signalfd_siginfo). */
const RECORD = 128;
const F_GETFL = 3n;

function readMask(ctx: SyscallContext, addr: bigint, size: bigint): bigint | { mask: bigint } {
  if (size !== SIGSET_SIZE) return err(E.EINVAL);
  const b = ctx.mm.read(addr, 8);
  if (b === null) return err(E.EFAULT);
  return { mask: new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) & ~UNBLOCKABLE };
}

function signalfdWith(ctx: SyscallContext, fd: number, maskAddr: bigint, size: bigint, flags: number): bigint {
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK)) !== 0) return err(E.EINVAL);
  const m = readMask(ctx, maskAddr, size);
  if (typeof m === 'bigint') return m;
  if (fd !== -1) {
    const file = ctx.proc.fds.get(fd)?.file;
    if (file === undefined) return err(E.EBADF);
    if (!(file instanceof SignalFile)) return err(E.EINVAL);
    file.mask = m.mask;
    file.setReady(pendingFor(ctx.task, m.mask));
    return BigInt(fd);
  }
  const kernel = ctx.kernel;
  const h = hs(HOST.eventfd2, 0n, BigInt((O_CLOEXEC | (flags & O_NONBLOCK)) >>> 0));
  if (h < 0n) return h;
  const file = new SignalFile(Number(h), m.mask, (f) => kernel.signalFiles.delete(f));
  kernel.signalFiles.add(file);
  file.setReady(pendingFor(ctx.task, m.mask));
  return installFile(ctx, file, (flags & O_CLOEXEC) !== 0);
}

/** Whether a signal of `mask` is pending for the task or another thread of its process. */
function pendingFor(task: Task, mask: bigint): boolean {
  return task.group.tasks.some((t) => (t.pending & mask) !== 0n);
}

/** Takes a pending signal of `mask`: the reader's own first, then its process's other threads'. */
function takePending(task: Task, mask: bigint): Siginfo | undefined {
  for (const t of [task, ...task.group.tasks.filter((x) => x !== task)]) {
    const ready = t.pending & mask;
    if (ready === 0n) continue;
    let signo = 1;
    while ((ready & bit(signo)) === 0n) signo++;
    t.pending &= ~bit(signo);
    const info = t.siginfo.get(signo) ?? { signo, code: 0 };
    t.siginfo.delete(signo);
    return info;
  }
  return undefined;
}

/** struct signalfd_siginfo of a signal. */
function record(info: Siginfo): Uint8Array {
  const b = new Uint8Array(RECORD);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, info.signo, true);
  dv.setInt32(4, info.errno ?? 0, true);
  dv.setInt32(8, info.code, true);
  dv.setUint32(12, (info.pid ?? 0) >>> 0, true);
  dv.setUint32(16, info.uid ?? 0, true);
  dv.setInt32(20, info.fd ?? 0, true);
  dv.setUint32(24, (info.timerid ?? 0) >>> 0, true);
  dv.setUint32(28, Number(info.band ?? 0n) >>> 0, true);
  dv.setUint32(32, (info.overrun ?? 0) >>> 0, true);
  dv.setInt32(40, info.status ?? 0, true);
  dv.setInt32(44, Number(BigInt.asIntN(32, info.value ?? 0n)), true);
  dv.setBigUint64(48, BigInt.asUintN(64, info.value ?? 0n), true);
  dv.setBigUint64(56, BigInt.asUintN(64, info.utime ?? 0n), true);
  dv.setBigUint64(64, BigInt.asUintN(64, info.stime ?? 0n), true);
  dv.setBigUint64(72, BigInt.asUintN(64, info.addr ?? 0n), true);
  return b;
}

/**
 * read(2) of a signalfd: as many pending signals of its mask as whole records fit (EINVAL
 * below one); none pending: EAGAIN when non-blocking, else the task parks until one is.
 */
export function readSignals(ctx: SyscallContext, file: SignalFile, addr: bigint, len: bigint): bigint {
  if (len < BigInt(RECORD)) return err(E.EINVAL);
  const max = Number(len / BigInt(RECORD));
  const out: Uint8Array[] = [];
  while (out.length < max) {
    const info = takePending(ctx.task, file.mask);
    if (info === undefined) break;
    out.push(record(info));
  }
  file.setReady(pendingFor(ctx.task, file.mask));
  if (out.length === 0) {
    const fl = hs(HOST.fcntl, BigInt(file.hostFd), F_GETFL);
    if (fl >= 0n && (Number(fl) & O_NONBLOCK) !== 0) return err(E.EAGAIN);
    return ctx.block({ what: 'signalfd read', hostFd: file.hostFd, events: POLLIN, retry: () => readSignals(ctx, file, addr, len) });
  }
  const bytes = new Uint8Array(out.length * RECORD);
  out.forEach((r, i) => bytes.set(r, i * RECORD));
  return ctx.mm.write(addr, bytes) ? BigInt(bytes.length) : err(E.EFAULT);
}

export const SIGNALFD_SYSCALLS: SyscallTable = byReplay({
  execute: {
    signalfd: full((ctx) => signalfdWith(ctx, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!, 0)),
    signalfd4: full((ctx) => signalfdWith(ctx, asInt(ctx.args[0]!), ctx.args[1]!, ctx.args[2]!, asInt(ctx.args[3]!))),
  },
});
