// Host memory that backs guest memory: one anonymous reservation, zero-copy views of it,
// and the few libc calls that reshape it (madvise, mmap MAP_FIXED, mincore, msync).
import { koffi } from './library.js';

type Fn = (...args: never[]) => unknown;
interface Libc {
  mmap: Fn; munmap: Fn; madvise: Fn; mincore: Fn; msync: Fn;
}
let libc: Libc | undefined;
function c(): Libc {
  if (libc !== undefined) return libc;
  const lib = koffi.load('libc.so.6');
  libc = {
    mmap: lib.func('uint64_t mmap(uint64_t addr, size_t len, int prot, int flags, int fd, int64_t off)') as Fn,
    munmap: lib.func('int munmap(uint64_t addr, size_t len)') as Fn,
    madvise: lib.func('int madvise(uint64_t addr, size_t len, int advice)') as Fn,
    mincore: lib.func('int mincore(uint64_t addr, size_t len, _Out_ uint8_t *vec)') as Fn,
    msync: lib.func('int msync(uint64_t addr, size_t len, int flags)') as Fn,
  };
  return libc;
}

const PROT_RW = 3;
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_NORESERVE = 0x4000;
const MADV_DONTNEED = 4;
const MAP_FAILED = 0xffff_ffff_ffff_ffffn;
const VIEW_CHUNK = 1n << 30n;

function call(fn: Fn, ...args: unknown[]): bigint {
  return BigInt((fn as (...a: unknown[]) => number | bigint)(...args));
}

export class HostMemory {
  private readonly views = new Map<bigint, Uint8Array>();
  private released = false;

  private constructor(readonly ptr: bigint, readonly size: bigint) {}

  /** Reserves `size` bytes of zeroed, lazily committed host memory. */
  static reserve(size: bigint | number): HostMemory {
    const len = BigInt(size);
    const p = call(c().mmap, 0n, len, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0n);
    if (BigInt.asUintN(64, p) === MAP_FAILED) throw new Error(`mmap of ${len} bytes of host memory failed (errno ${koffi.errno()})`);
    return new HostMemory(BigInt.asUintN(64, p), len);
  }

  /** A zero-copy view of [offset, offset+length); a view never crosses a 1 GiB chunk of the reservation. */
  view(offset: bigint | number, length: number): Uint8Array {
    const off = BigInt(offset);
    const chunk = off / VIEW_CHUNK;
    let v = this.views.get(chunk);
    if (v === undefined) {
      const base = chunk * VIEW_CHUNK;
      const len = this.size - base < VIEW_CHUNK ? this.size - base : VIEW_CHUNK;
      v = new Uint8Array(koffi.view(this.ptr + base, Number(len)));
      this.views.set(chunk, v);
    }
    const start = Number(off - chunk * VIEW_CHUNK);
    if (start + length > v.length) throw new RangeError('HostMemory.view crosses a 1 GiB chunk');
    return v.subarray(start, start + length);
  }

  /** Drops the pages of a range: they read back as zeros. */
  discard(offset: bigint | number, length: bigint | number): void {
    call(c().madvise, this.ptr + BigInt(offset), BigInt(length), MADV_DONTNEED);
  }

  /** Maps a host file over part of the reservation, shared or private, read-write. */
  mapFile(offset: bigint | number, length: bigint | number, fd: number, fileOffset: bigint | number, shared: boolean): void {
    const p = call(c().mmap, this.ptr + BigInt(offset), BigInt(length), PROT_RW, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, fd, BigInt(fileOffset));
    if (BigInt.asUintN(64, p) === MAP_FAILED) throw new Error(`mmap of a host file failed (errno ${koffi.errno()})`);
  }

  /** Puts fresh anonymous memory back over part of the reservation (after a file mapping). */
  resetAnonymous(offset: bigint | number, length: bigint | number): void {
    const p = call(c().mmap, this.ptr + BigInt(offset), BigInt(length), PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0n);
    if (BigInt.asUintN(64, p) === MAP_FAILED) throw new Error(`mmap over host memory failed (errno ${koffi.errno()})`);
  }

  /** One byte per page: bit 0 set when the page is resident. */
  residentPages(offset: bigint | number, length: bigint | number): Uint8Array {
    const pages = Number((BigInt(length) + 4095n) / 4096n);
    const vec = new Uint8Array(pages);
    call(c().mincore, this.ptr + BigInt(offset), BigInt(length), vec);
    return vec;
  }

  msync(offset: bigint | number, length: bigint | number): void {
    call(c().msync, this.ptr + BigInt(offset), BigInt(length), 4 /* MS_SYNC */);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.views.clear();
    call(c().munmap, this.ptr, this.size);
  }
}
