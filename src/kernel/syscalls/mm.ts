// Memory-management syscalls: brk, mmap, munmap, mprotect, mremap, madvise.
import { fstatSync, openSync, closeSync } from 'node:fs';
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';

/** Whether a host descriptor was opened for writing (O_WRONLY or O_RDWR). */
function canWrite(hostFd: number): boolean {
  const fl = hostSyscall(HOST.fcntl, BigInt(hostFd), 3n /* F_GETFL */);
  return fl >= 0n && (fl & 3n) !== 0n;
}
import { E } from '../../abi/errno.js';
import { MappedFile, PAGE_SIZE, USER_TOP, alignUp, type Backing } from '../memory/address-space.js';
import { byReplay, full, partial, asInt, type SyscallContext, type SyscallTable } from './types.js';
import { scratchCopy, withScratch } from './host-abi.js';

const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_SHARED_VALIDATE = 0x03;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x100000;
const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const MADV_DONTNEED = 4;
const PROT_MASK = 7;

const err = (e: number): bigint => -BigInt(e);
const pageAligned = (v: bigint): boolean => (v & (PAGE_SIZE - 1n)) === 0n;

function brk({ mm, args }: SyscallContext): bigint {
  const want = args[0]!;
  if (want < mm.brkStart) return mm.brkEnd;
  const oldTop = alignUp(mm.brkEnd);
  const newTop = alignUp(want);
  if (newTop > oldTop) {
    if (!mm.isFree(oldTop, newTop)) return mm.brkEnd;
    if (!mm.map(oldTop, newTop - oldTop, 3, false, { kind: 'anon' }, '[heap]')) return mm.brkEnd;
  } else if (newTop < oldTop) {
    mm.unmap(newTop, oldTop);
  }
  mm.brkEnd = want;
  return want;
}

/**
 * Shared anonymous memory is a host memfd mapped shared, as a file would be: a fork maps the
 * same pages into the child, so parent and child see each other's writes (and a futex in it is
 * keyed by the memfd, shared too). /proc/PID/maps names it `/dev/zero (deleted)`, as Linux does.
 */
function sharedAnonymous(len: bigint): Backing | bigint {
  const name = new Uint8Array([...Buffer.from('tstrace-shared'), 0]);
  const fd = hostSyscall(HOST.memfd_create, scratchCopy(name), 1n /* MFD_CLOEXEC */);
  if (fd < 0n) return -BigInt(E.ENOMEM);
  const r = hostSyscall(HOST.ftruncate, fd, len);
  if (r < 0n) {
    hostSyscall(HOST.close, fd);
    return -BigInt(E.ENOMEM);
  }
  const st = fstatSync(Number(fd), { bigint: true });
  return { kind: 'file', file: new MappedFile(Number(fd), '/dev/zero (deleted)', st.dev, st.ino, true, len), offset: 0n };
}

function mmap(ctx: SyscallContext): bigint {
  const { mm, args, proc } = ctx;
  const [addr, length, protArg, flagsArg, fdArg, offset] = args as [bigint, bigint, bigint, bigint, bigint, bigint];
  const prot = Number(protArg);
  const flags = Number(flagsArg & 0xffffffffn);
  const type = flags & 0xf;
  if (length === 0n || (prot & ~PROT_MASK & ~0x01000000 & ~0x02000000) !== 0) return err(E.EINVAL);
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return err(E.EINVAL);
  if (!pageAligned(offset)) return err(E.EINVAL);
  const len = alignUp(length);
  if (len === 0n || len > USER_TOP) return err(E.ENOMEM);
  const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
  if (fixed && !pageAligned(addr)) return err(E.EINVAL);
  let backing: Backing = { kind: 'anon' };
  const shared = type !== MAP_PRIVATE;
  if ((flags & MAP_ANONYMOUS) !== 0 && shared) {
    const b = sharedAnonymous(len);
    if (typeof b === 'bigint') return b;
    backing = b;
  } else if ((flags & MAP_ANONYMOUS) === 0) {
    const entry = proc.fds.get(asInt(fdArg));
    if (entry === undefined) return err(E.EBADF);
    let hostFd: number;
    let writable = false;
    let st;
    try {
      st = fstatSync(entry.file.hostFd, { bigint: true });
      if (!st.isFile()) return err(E.ENODEV);
      // A private descriptor for the mapping: it outlives the guest's close().
      // Opened read-write when the description allows it, so mprotect can add PROT_WRITE later.
      writable = canWrite(entry.file.hostFd);
      hostFd = openSync(`/proc/self/fd/${entry.file.hostFd}`, writable ? 'r+' : 'r');
      if (shared && (prot & 2) !== 0 && !writable) {
        closeSync(hostFd);
        return err(E.EACCES);
      }
    } catch (e) {
      return err((e as NodeJS.ErrnoException).code === 'EACCES' ? E.EACCES : E.EBADF);
    }
    backing = { kind: 'file', file: new MappedFile(hostFd, entry.file.hostPath(), st.dev, st.ino, writable, st.size), offset };
  }
  let start: bigint | undefined;
  if (fixed) {
    if (addr + len > USER_TOP) return err(E.ENOMEM);
    if ((flags & MAP_FIXED_NOREPLACE) !== 0 && !mm.isFree(addr, addr + len)) {
      if (backing.kind === 'file') backing.file.release();
      return err(E.EEXIST);
    }
    start = addr;
  } else {
    start = mm.findFree(len, addr);
  }
  if (start === undefined || !mm.map(start, len, prot, shared, backing)) {
    if (backing.kind === 'file') backing.file.release();
    return err(E.ENOMEM);
  }
  return start;
}

function munmap({ mm, args }: SyscallContext): bigint {
  const [addr, length] = args as [bigint, bigint];
  if (!pageAligned(addr) || length === 0n) return err(E.EINVAL);
  const end = addr + alignUp(length);
  if (end > USER_TOP) return err(E.EINVAL);
  mm.unmap(addr, end);
  return 0n;
}

function mprotect({ mm, args }: SyscallContext): bigint {
  const [addr, length, protArg] = args as [bigint, bigint, bigint];
  const prot = Number(protArg & 0xffffffffn);
  if (!pageAligned(addr) || (prot & ~PROT_MASK & ~0x01000000 & ~0x02000000) !== 0) return err(E.EINVAL);
  const len = alignUp(length);
  if (len === 0n) return 0n;
  const r = mm.protect(addr, addr + len, prot & PROT_MASK);
  return r === 'ok' ? 0n : err(r === 'denied' ? E.EACCES : E.ENOMEM);
}

function mremap({ mm, args }: SyscallContext): bigint {
  const [oldAddr, oldLenArg, newLenArg, flagsArg, newAddrArg] = args as [bigint, bigint, bigint, bigint, bigint];
  const flags = Number(flagsArg);
  if (!pageAligned(oldAddr) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | 4)) !== 0) return err(E.EINVAL);
  if ((flags & MREMAP_FIXED) !== 0 && (flags & MREMAP_MAYMOVE) === 0) return err(E.EINVAL);
  const oldLen = alignUp(oldLenArg);
  const newLen = alignUp(newLenArg);
  if (newLen === 0n) return err(E.EINVAL);
  const vma = mm.find(oldAddr);
  if (vma === undefined || (oldLen !== 0n && oldAddr + oldLen > vma.end)) return err(E.EFAULT);
  const oldEnd = oldAddr + (oldLen === 0n ? newLen : oldLen);
  if ((flags & MREMAP_FIXED) !== 0) {
    if (!pageAligned(newAddrArg)) return err(E.EINVAL);
    mm.unmap(newAddrArg, newAddrArg + newLen);
    return mm.resize(oldAddr, oldEnd, newAddrArg, newLen) ? newAddrArg : err(E.ENOMEM);
  }
  if (newLen <= oldEnd - oldAddr || mm.isFree(oldEnd, oldAddr + newLen)) {
    return mm.resize(oldAddr, oldEnd, oldAddr, newLen) ? oldAddr : err(E.ENOMEM);
  }
  if ((flags & MREMAP_MAYMOVE) === 0) return err(E.ENOMEM);
  const dest = mm.findFree(newLen);
  if (dest === undefined) return err(E.ENOMEM);
  return mm.resize(oldAddr, oldEnd, dest, newLen) ? dest : err(E.ENOMEM);
}

function madvise({ mm, args }: SyscallContext): bigint {
  const [addr, length, advice] = args as [bigint, bigint, bigint];
  if (!pageAligned(addr)) return err(E.EINVAL);
  const len = alignUp(length);
  if (len === 0n) return 0n;
  if (Number(advice) === MADV_DONTNEED) return mm.discardPages(addr, addr + len) ? 0n : err(E.ENOMEM);
  // Other advice only tunes paging; Linux checks the range is mapped.
  return mm.accessible(addr, len, 0) ? 0n : err(E.ENOMEM);
}

const MS_ASYNC = 1;
const MS_INVALIDATE = 2;
const MS_SYNC = 4;

function msync({ mm, args }: SyscallContext): bigint {
  const [addr, length, flagsArg] = args as [bigint, bigint, bigint];
  const flags = Number(flagsArg);
  if (!pageAligned(addr) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) !== 0) return err(E.EINVAL);
  if ((flags & MS_ASYNC) !== 0 && (flags & MS_SYNC) !== 0) return err(E.EINVAL);
  const len = alignUp(length);
  if (!mm.accessible(addr, len, 0)) return err(E.ENOMEM);
  mm.sync(addr, addr + len);
  return 0n;
}

function mincore({ mm, args }: SyscallContext): bigint {
  const [addr, length, vec] = args as [bigint, bigint, bigint];
  if (!pageAligned(addr)) return err(E.EINVAL);
  const len = alignUp(length);
  if (!mm.accessible(addr, len, 0)) return err(E.ENOMEM);
  // Every mapped page counts as resident: guest memory is host memory the kernel owns.
  const pages = Number(len / PAGE_SIZE);
  return mm.write(vec, new Uint8Array(pages).fill(1)) ? 0n : err(E.EFAULT);
}

const outside = { outsideHook: true } as const;

/** SYS_RISCV_FLUSH_ICACHE_LOCAL, the only flag (SYS_RISCV_FLUSH_ICACHE_ALL). */
const RISCV_FLUSH_ICACHE_ALL = 1n;

/**
 * riscv_flush_icache (riscv64's fence.i for user space): Linux checks the flags and ignores the
 * range. Here the emulator's translations of the range are dropped, so code the guest wrote
 * there is translated afresh.
 */
function riscvFlushIcache({ mm, args }: SyscallContext): bigint {
  const [start, end, flags] = args as [bigint, bigint, bigint];
  if ((flags & ~RISCV_FLUSH_ICACHE_ALL) !== 0n) return err(E.EINVAL);
  if (start < end && end <= USER_TOP) mm.engine.removeCache(start, end);
  return 0n;
}

export const MM_SYSCALLS: SyscallTable = byReplay({
  apply: {
    msync: full(msync),
  },
  execute: {
    brk: full(brk, outside),
    munmap: full(munmap, outside),
    mprotect: partial(mprotect, 'PROT_GROWSDOWN/PROT_GROWSUP are ignored', outside),
    mremap: full(mremap, outside),
    mincore: partial(mincore, 'every mapped page is reported resident'),
    madvise: partial(madvise, 'only MADV_DONTNEED changes memory; other advice is checked and ignored', outside),
    riscv_flush_icache: full(riscvFlushIcache),
  },
  mmap: {
    mmap: partial(withScratch(mmap), 'MAP_SHARED of host files shares with the host (anonymous MAP_SHARED is a host memfd, shared across fork); MAP_GROWSDOWN, MAP_HUGETLB and MAP_POPULATE are accepted and ignored', outside),
  },
});
