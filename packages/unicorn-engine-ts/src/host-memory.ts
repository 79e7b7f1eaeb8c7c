// Host memory the kernel owns: one mmap reservation that guest memory is mapped onto
// (Engine.memMapPtr), read and written zero-copy through typed-array views, and reshaped with
// madvise/mmap MAP_FIXED (zeroing, file mappings). Offsets and lengths given to discard,
// mapFile, resetAnonymous, residentPages and msync must be multiples of the host page size.
import { constants as osConstants } from 'node:os';
import { HostMemoryError } from './errors.js';
import { koffi, libc, type LibcApi } from './library.js';

// Linux x86_64 values.
const PROT_READ = 0x1;
const PROT_WRITE = 0x2;
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_NORESERVE = 0x4000;
const MADV_DONTNEED = 4;
const MS_ASYNC = 1;
const MS_SYNC = 4;

const GIB = 2 ** 30;
/** A view may span at most this much. */
const MAX_VIEW = GIB;
/**
 * Views are cut from cached ArrayBuffers over 2 MiB chunks of the reservation. V8 counts an
 * ArrayBuffer's whole length as external memory and collects garbage (full collections
 * included) each time that grows by tens of MB: chunk views keep the count near what the
 * guest actually touches, where gigabyte views set off several collections at every start.
 */
const CHUNK = 2 ** 21;

const errnoNames = new Map<number, string>(Object.entries(osConstants.errno).map(([name, value]) => [value, name]));

function hostError(c: LibcApi, op: string): HostMemoryError {
  const errno = koffi().errno();
  return new HostMemoryError(op, errno, errnoNames.get(errno) ?? '', c.strerror(errno));
}

export class HostMemory {
  /** The reservation's host address. */
  readonly ptr: bigint;
  readonly size: bigint;
  private readonly base: number;
  private readonly length: number;
  private released = false;
  /** Chunk k views [k CHUNK, (k + 1) CHUNK), made when first needed. */
  private readonly chunks: ArrayBuffer[] = [];

  private constructor(base: number, length: number) {
    this.base = base;
    this.length = length;
    this.ptr = BigInt(base);
    this.size = BigInt(length);
  }

  /** mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE): zero pages, committed when touched. */
  static reserve(size: bigint | number): HostMemory {
    const c = libc();
    const length = Number(size);
    if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`HostMemory.reserve: bad size ${size}`);
    const p = c.mmap(0, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p === -1) throw hostError(c, 'mmap');
    return new HostMemory(p, length);
  }

  /** The host page size (mapFile, discard, … work on whole pages). */
  static get pageSize(): number {
    return libc().pageSize;
  }

  /** Checks [offset, offset+length) lies inside the reservation; returns the host address and length. */
  private range(op: string, offset: bigint | number, length: bigint | number): [number, number] {
    if (this.released) throw new Error(`HostMemory.${op}: the reservation was released`);
    const off = Number(offset);
    const len = Number(length);
    if (!(off >= 0 && len >= 0 && Number.isSafeInteger(off) && Number.isSafeInteger(len) && off + len <= this.length)) {
      throw new RangeError(`HostMemory.${op}: [${off}, ${off + len}) is outside the reservation of ${this.length} bytes`);
    }
    return [this.base + off, len];
  }

  /**
   * A zero-copy Uint8Array over [offset, offset+length), length ≤ 1 GiB. It stays valid while the
   * reservation lives (also across mapFile/resetAnonymous/discard, which keep the addresses);
   * touching it after release() crashes the process.
   */
  view(offset: bigint | number, length: number): Uint8Array {
    const off = Number(offset);
    if (this.released) throw new Error('HostMemory.view: the reservation was released');
    if (!(off >= 0 && length >= 0 && length <= MAX_VIEW && off + length <= this.length)) {
      throw new RangeError(`HostMemory.view: [${off}, ${off + length}) is outside the reservation of ${this.length} bytes or longer than 1 GiB`);
    }
    if (length === 0) return new Uint8Array(0);
    const k = Math.floor(off / CHUNK);
    if (off + length > (k + 1) * CHUNK) {
      // Across chunks: a view of its own, not kept.
      return new Uint8Array(koffi().view(BigInt(this.base + off), length));
    }
    let chunk = this.chunks[k];
    if (chunk === undefined) {
      chunk = koffi().view(BigInt(this.base + k * CHUNK), Math.min(CHUNK, this.length - k * CHUNK));
      this.chunks[k] = chunk;
    }
    return new Uint8Array(chunk, off - k * CHUNK, length);
  }

  /** madvise(MADV_DONTNEED): private anonymous pages read as zero again and give their memory back. */
  discard(offset: bigint | number, length: bigint | number): void {
    const [addr, len] = this.range('discard', offset, length);
    const c = libc();
    if (c.madvise(addr, len, MADV_DONTNEED) !== 0) throw hostError(c, 'madvise');
  }

  /**
   * Maps a host file over part of the reservation (mmap MAP_FIXED, PROT_READ|PROT_WRITE unless
   * readOnly). shared: MAP_SHARED (writes reach the file; needs fd open for writing unless
   * readOnly), else MAP_PRIVATE (copy on write). A readOnly mapping must never be written, not
   * even by the guest through Unicorn: that would be a host SIGSEGV.
   */
  mapFile(offset: bigint | number, length: bigint | number, fd: number, fileOffset: bigint | number, shared: boolean, readOnly = false): void {
    const [addr, len] = this.range('mapFile', offset, length);
    const c = libc();
    const prot = readOnly ? PROT_READ : PROT_READ | PROT_WRITE;
    const p = c.mmap(addr, len, prot, MAP_FIXED | (shared ? MAP_SHARED : MAP_PRIVATE), fd, Number(fileOffset));
    if (p === -1) throw hostError(c, 'mmap');
  }

  /** Replaces part of the reservation with fresh zero pages (mmap MAP_FIXED anonymous), dropping a file mapping. */
  resetAnonymous(offset: bigint | number, length: bigint | number): void {
    const [addr, len] = this.range('resetAnonymous', offset, length);
    const c = libc();
    const p = c.mmap(addr, len, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p === -1) throw hostError(c, 'mmap');
  }

  /** mincore: one byte per page of the range, bit 0 set where the page is resident. */
  residentPages(offset: bigint | number, length: bigint | number): Uint8Array {
    const [addr, len] = this.range('residentPages', offset, length);
    const c = libc();
    const vec = new Uint8Array(Math.ceil(len / c.pageSize));
    if (len > 0 && c.mincore(addr, len, vec) !== 0) throw hostError(c, 'mincore');
    return vec;
  }

  /** msync a shared file mapping (MS_SYNC; MS_ASYNC when async). */
  msync(offset: bigint | number, length: bigint | number, async = false): void {
    const [addr, len] = this.range('msync', offset, length);
    const c = libc();
    if (c.msync(addr, len, async ? MS_ASYNC : MS_SYNC) !== 0) throw hostError(c, 'msync');
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** munmap the whole reservation. Idempotent. Views made earlier must not be touched afterwards. */
  release(): void {
    if (this.released) return;
    const c = libc();
    if (c.munmap(this.base, this.length) !== 0) throw hostError(c, 'munmap');
    this.released = true;
    this.chunks.length = 0;
  }
}
