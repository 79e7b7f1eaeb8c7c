// userfaultfd(2) and its UFFDIO_* ioctls, for anonymous memory in "missing" mode: the API
// handshake, registering and unregistering page-aligned ranges, and the atomic fills Linux offers
// a registered range (UFFDIO_COPY, UFFDIO_ZEROPAGE) and UFFDIO_WAKE. Faults are not reported:
// a guest touching a registered page it has not filled finds it as mapped memory, it does not
// block, and reads of the descriptor find no event (EAGAIN, or it waits forever). The descriptor
// is `anon_inode:[userfaultfd]`; behind it is a host eventfd that never turns readable.
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { OpenFile } from '../files/open-file.js';
import { PAGE_SIZE, USER_TOP } from '../memory/address-space.js';
import { installFile } from './fs.js';
import { EFAULT, EINVAL, O_CLOEXEC, O_NONBLOCK, err } from './host-abi.js';
import { byReplay, asInt, partial, type SyscallContext, type SyscallTable } from './types.js';

const UFFD_USER_MODE_ONLY = 1;
const UFFD_API = 0xaan;
const UFFDIO = 0xaa;
// The request numbers (_IOC_NR) and their ioctls bits.
const NR_REGISTER = 0x00, NR_UNREGISTER = 0x01, NR_WAKE = 0x02, NR_COPY = 0x03, NR_ZEROPAGE = 0x04, NR_API = 0x3f;
const bit = (nr: number): bigint => 1n << BigInt(nr);
/** The ioctls on the descriptor itself, and those on a range registered in "missing" mode. */
const API_IOCTLS = bit(NR_REGISTER) | bit(NR_UNREGISTER) | bit(NR_API);
const RANGE_IOCTLS = bit(NR_WAKE) | bit(NR_COPY) | bit(NR_ZEROPAGE);
const MODE_MISSING = 1n, MODE_WP = 2n, MODE_MINOR = 4n;
const COPY_MODE_DONTWAKE = 1n, COPY_MODE_WP = 2n, ZEROPAGE_MODE_DONTWAKE = 1n;
/** Linux's default vm.mmap_min_addr. */
const MMAP_MIN_ADDR = 0x10000n;

export class UserfaultFile extends OpenFile {
  /** Whether UFFDIO_API succeeded (every other request needs it). */
  initialized = false;
  /** The registered ranges, [start, end). */
  readonly ranges: { start: bigint; end: bigint }[] = [];

  constructor(hostFd: number) {
    super(hostFd, 'anon_inode:[userfaultfd]');
  }

  override hostPath(): string {
    return 'anon_inode:[userfaultfd]';
  }

  registered(start: bigint, end: bigint): boolean {
    let cursor = start;
    for (const r of [...this.ranges].sort((a, b) => (a.start < b.start ? -1 : 1))) {
      if (r.start <= cursor && r.end > cursor) cursor = r.end;
      if (cursor >= end) return true;
    }
    return false;
  }
}

function userfaultfd(ctx: SyscallContext): bigint {
  const flags = asInt(ctx.args[0]!);
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY)) !== 0) return EINVAL;
  const h = hs(HOST.eventfd2, 0n, BigInt((O_CLOEXEC | (flags & O_NONBLOCK)) >>> 0));
  if (h < 0n) return h;
  return installFile(ctx, new UserfaultFile(Number(h)), (flags & O_CLOEXEC) !== 0);
}

const u64At = (b: Uint8Array, off: number): bigint => new DataView(b.buffer, b.byteOffset + off, 8).getBigUint64(0, true);
function u64Bytes(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return b;
}

/** Linux's validate_range: page-aligned, non-empty, within the user address space. */
function validRange(start: bigint, len: bigint): boolean {
  if (start % PAGE_SIZE !== 0n || len % PAGE_SIZE !== 0n || len === 0n) return false;
  return start >= MMAP_MIN_ADDR && start < USER_TOP && len <= USER_TOP - start;
}

/** Whether anonymous mappings cover every page of [start, end). */
function anonymous(ctx: SyscallContext, start: bigint, end: bigint): boolean {
  if (!ctx.mm.covered(start, end)) return false;
  for (let a = start; a < end;) {
    const v = ctx.mm.find(a);
    if (v === undefined || v.backing.kind !== 'anon' || v.shared) return false;
    a = v.end;
  }
  return true;
}

/** The UFFDIO_* requests on a userfaultfd (`cmd` any request the guest made on it). */
export function userfaultfdIoctl(ctx: SyscallContext, file: UserfaultFile, cmd: number, arg: bigint): bigint {
  if ((cmd >>> 8 & 0xff) !== UFFDIO) return err(E.ENOTTY);
  const nr = cmd & 0xff;
  if (nr !== NR_API && !file.initialized) return EINVAL;
  const size = (cmd >>> 16) & 0x3fff;
  switch (nr) {
    case NR_API: {
      if (size !== 24) return err(E.ENOTTY);
      if (file.initialized) return EINVAL;
      const b = ctx.mm.read(arg, 16);
      if (b === null) return EFAULT;
      const out = new Uint8Array(24);
      // No optional feature is supported: asking for one fails, as an unknown one does on Linux.
      if (u64At(b, 0) !== UFFD_API || u64At(b, 8) !== 0n) return ctx.mm.write(arg, out) ? EINVAL : EFAULT;
      out.set(u64Bytes(UFFD_API), 0);
      out.set(u64Bytes(API_IOCTLS), 16);
      if (!ctx.mm.write(arg, out)) return EFAULT;
      file.initialized = true;
      return 0n;
    }
    case NR_REGISTER: {
      if (size !== 32) return err(E.ENOTTY);
      const b = ctx.mm.read(arg, 24);
      if (b === null) return EFAULT;
      const start = u64At(b, 0), len = u64At(b, 8), mode = u64At(b, 16);
      if (mode === 0n || (mode & ~(MODE_MISSING | MODE_WP | MODE_MINOR)) !== 0n) return EINVAL;
      if ((mode & (MODE_WP | MODE_MINOR)) !== 0n) return EINVAL;
      if (!validRange(start, len)) return EINVAL;
      if (!anonymous(ctx, start, start + len)) return EINVAL;
      if (!ctx.mm.write(arg + 24n, u64Bytes(RANGE_IOCTLS))) return EFAULT;
      file.ranges.push({ start, end: start + len });
      return 0n;
    }
    case NR_UNREGISTER: case NR_WAKE: {
      if (size !== 16) return err(E.ENOTTY);
      const b = ctx.mm.read(arg, 16);
      if (b === null) return EFAULT;
      const start = u64At(b, 0), len = u64At(b, 8);
      if (!validRange(start, len)) return EINVAL;
      if (nr === NR_WAKE) return 0n;
      if (!ctx.mm.covered(start, start + len)) return EINVAL;
      const end = start + len;
      const kept = file.ranges.flatMap((r) => [
        ...(r.start < start ? [{ start: r.start, end: r.end < start ? r.end : start }] : []),
        ...(r.end > end ? [{ start: r.start > end ? r.start : end, end: r.end }] : []),
      ]);
      file.ranges.splice(0, file.ranges.length, ...kept);
      return 0n;
    }
    case NR_COPY: case NR_ZEROPAGE: {
      const copy = nr === NR_COPY;
      if (size !== (copy ? 40 : 32)) return err(E.ENOTTY);
      const b = ctx.mm.read(arg, copy ? 32 : 24);
      if (b === null) return EFAULT;
      const dst = u64At(b, 0);
      const src = copy ? u64At(b, 8) : 0n;
      const len = copy ? u64At(b, 16) : u64At(b, 8);
      const mode = copy ? u64At(b, 24) : u64At(b, 16);
      if (!validRange(dst, len)) return EINVAL;
      if (copy && (src + len <= src || (mode & ~(COPY_MODE_DONTWAKE | COPY_MODE_WP)) !== 0n)) return EINVAL;
      if (!copy && (mode & ~ZEROPAGE_MODE_DONTWAKE) !== 0n) return EINVAL;
      if (!file.registered(dst, dst + len)) return err(E.ENOENT);
      const data = copy ? ctx.mm.read(src, Number(len)) : new Uint8Array(Number(len));
      if (data === null) return EFAULT;
      if (!ctx.mm.write(dst, data.slice())) return err(E.ENOENT);
      return ctx.mm.write(arg + (copy ? 32n : 24n), u64Bytes(len)) ? 0n : EFAULT;
    }
  }
  return EINVAL;
}

export const USERFAULTFD_SYSCALLS: SyscallTable = byReplay({
  apply: {
    userfaultfd: partial(userfaultfd, 'anonymous memory in missing mode: UFFDIO_API (no optional features), UFFDIO_REGISTER/UNREGISTER, UFFDIO_COPY, UFFDIO_ZEROPAGE, UFFDIO_WAKE; faults are not reported (the guest never blocks on a registered page)'),
  },
});
