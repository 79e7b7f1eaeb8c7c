// Opening a FIFO for reading alone or writing alone waits, on Linux, until the other end is
// open too (fifo_open). Passed to the host as it is, that open would block tstrace itself, and
// with it the guest task that was to open the other end (`mkfifo f; echo hi > f & cat f` hung).
// So the host open never waits (O_NONBLOCK), and the guest's call parks instead:
// - for reading, the host open succeeds at once; the call waits until the FIFO polls readable
//   (a writer wrote) or hung up (a writer came and went). A writer that opens and has not yet
//   written is not seen: the reader's open returns with its first bytes instead.
// - for writing, the host open fails (ENXIO) while no reader has it open; the call tries again
//   every few milliseconds until one has.
// Either way the descriptor then gets the flags the guest asked for (no O_NONBLOCK).
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { HostMemory } from '../../../packages/unicorn-engine-ts/src/index.js';
import { E } from '../../abi/errno.js';
import { POLLIN } from './host-wait.js';
import type { SyscallContext } from './types.js';

const O_ACCMODE = 3;
const O_RDWR = 2;
const O_WRONLY = 1;
const O_NONBLOCK = 0o4000;
const O_PATH = 0o10000000;
const F_GETFL = 3;
const F_SETFL = 4;
const S_IFMT = 0o170000;
const S_IFIFO = 0o010000;
/** How often a writer's open looks again for a reader. */
const WRITER_RETRY_NS = 5_000_000n;

let statMemory: HostMemory | undefined;

/** Whether host open flags `hflags` can wait on a FIFO: reading or writing alone, without O_NONBLOCK. */
export function mayWaitOnFifo(hflags: number): boolean {
  return (hflags & (O_NONBLOCK | O_PATH)) === 0 && (hflags & O_ACCMODE) !== O_RDWR;
}

/** Whether the path (host directory descriptor and path pointer) names a FIFO, links followed. */
export function isFifo(dirFd: number, pathPtr: bigint): boolean {
  const mem = (statMemory ??= HostMemory.reserve(4096));
  if (hs(HOST.newfstatat, BigInt(dirFd), pathPtr, mem.ptr, 0n) !== 0n) return false;
  const v = mem.view(0n, 144);
  return (new DataView(v.buffer, v.byteOffset).getUint32(24, true) & S_IFMT) === S_IFIFO;
}

/** Takes O_NONBLOCK off a host descriptor opened with it for the wait. */
function blocking(fd: bigint): void {
  const fl = hs(HOST.fcntl, fd, BigInt(F_GETFL));
  if (fl >= 0n) hs(HOST.fcntl, fd, BigInt(F_SETFL), fl & ~BigInt(O_NONBLOCK));
}

/**
 * Opens a FIFO as Linux's blocking open does, without blocking the host: `open` makes the host
 * call with the flags it is given; `install` turns the host descriptor into the guest's.
 */
export function openFifo(ctx: SyscallContext, hflags: number, open: (hflags: number) => bigint, install: (hostFd: number) => bigint): bigint {
  const flags = hflags | O_NONBLOCK;
  if ((hflags & O_ACCMODE) === O_WRONLY) {
    const attempt = (): bigint => {
      const r = open(flags);
      if (r === -BigInt(E.ENXIO)) return ctx.block({ what: 'opening a FIFO for writing', retry: attempt }, WRITER_RETRY_NS);
      if (r < 0n) return r;
      blocking(r);
      return install(Number(r));
    };
    return attempt();
  }
  const r = open(flags);
  if (r < 0n) return r;
  const fd = Number(r);
  // (A fresh read end polls hung up only once a writer has come and gone: fs/pipe.c's w_counter.)
  const attempt = (): bigint => {
    if (readyNow(fd)) {
      blocking(r);
      return install(fd);
    }
    return ctx.block({ what: 'opening a FIFO for reading', hostFd: fd, events: POLLIN, retry: attempt, cancel: () => void hs(HOST.close, r) });
  };
  return attempt();
}

let pollMemory: HostMemory | undefined;

/** Whether the FIFO polls readable or hung up now (a writer wrote, or came and went). */
function readyNow(fd: number): boolean {
  const mem = (pollMemory ??= HostMemory.reserve(4096));
  const v = mem.view(0n, 8);
  const dv = new DataView(v.buffer, v.byteOffset, 8);
  dv.setInt32(0, fd, true);
  dv.setInt16(4, POLLIN, true);
  dv.setInt16(6, 0, true);
  return hs(HOST.poll, mem.ptr, 1n, 0n) > 0n && dv.getInt16(6, true) !== 0;
}
