// A process's address space: the authoritative VMA table, the host memory behind it, and the
// Unicorn mappings derived from it.
//
// Guest memory is backed by host memory the kernel owns. The guest's 47-bit space is cut into
// 1 GiB granules; a granule is backed, on first use, by its own 1 GiB host reservation
// (MAP_NORESERVE, so untouched pages cost nothing), and guest address A lives at host offset
// A mod 1 GiB of its granule. That gives the kernel zero-copy views of guest memory and lets
// adjacent VMAs of equal protection become one Unicorn mapping (Unicorn aborts the process at
// its 1,024th region on aarch64, and each map costs time linear in the region count).
//
// Unicorn's own permission checks apply to guest instructions only; every kernel access
// is validated here against the VMA table (EFAULT rules), never against Unicorn.
import type { Engine, HostMemory as HostMemoryT } from '../../../packages/unicorn-engine-ts/src/index.js';
import { HostMemory } from '../../../packages/unicorn-engine-ts/src/index.js';

export const PAGE_SIZE = 4096n;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

const GRANULE_SHIFT = 30n;
const GRANULE = 1n << GRANULE_SHIFT;
/** Highest guest address + 1 (the 47-bit user space of x86_64, used on every arch). */
export const USER_TOP = 0x7fff_ffff_f000n;
/** Unicorn regions we allow before answering ENOMEM (Unicorn aborts at 1,024 on aarch64). */
const MAX_UNICORN_REGIONS = 900;
/** Linux's default vm.max_map_count. */
const MAX_VMAS = 65530;

export type Backing =
  | { readonly kind: 'anon' }
  /** A host file mapped at `offset`; `file` is shared by the pieces of a split mapping. */
  | { readonly kind: 'file'; readonly file: MappedFile; readonly offset: bigint };

/** A host file held open while any mapping of it exists. */
export class MappedFile {
  private refs = 1;
  constructor(
    readonly fd: number,
    readonly path: string,
    readonly dev: bigint,
    readonly ino: bigint,
    readonly writable: boolean,
    /** The file's size as last seen: pages wholly past it raise SIGBUS, as on Linux. */
    public size: bigint,
  ) {}
  retain(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs === 0) closeQuietly(this.fd);
  }
}

export interface Vma {
  start: bigint;
  end: bigint;
  prot: number;
  shared: boolean;
  backing: Backing;
  /** What /proc/PID/maps shows for anonymous ranges: [heap], [stack]. */
  label?: string;
}

interface UnicornRegion {
  start: bigint;
  end: bigint;
  prot: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Where a VMA's accessible part ends: its end, or for a file mapping the first page wholly past
 * the file's end (touching that raises SIGBUS on Linux; a host mapping there would raise it in
 * tstrace itself, so those pages are never mapped and never touched by the kernel).
 */
export function accessEnd(v: Vma): bigint {
  if (v.backing.kind !== 'file') return v.end;
  const inFile = v.backing.file.size - v.backing.offset;
  const eof = v.start + (inFile <= 0n ? 0n : alignUp(inFile));
  return eof < v.end ? eof : v.end;
}

export const alignDown = (v: bigint): bigint => v & ~(PAGE_SIZE - 1n);
export const alignUp = (v: bigint): bigint => (v + PAGE_SIZE - 1n) & ~(PAGE_SIZE - 1n);

/** Observes every byte the kernel writes into guest memory (the recorder's hook). */
export type MemoryWriteObserver = (addr: bigint, data: Uint8Array) => void;

export class AddressSpace {
  private readonly vmas: Vma[] = [];
  private readonly ucRegions: UnicornRegion[] = [];
  private readonly granules = new Map<bigint, HostMemoryT>();
  /** Lowest address the top-down mmap allocator hands out below. */
  mmapBase = 0x7fff_f7ff_f000n;
  brkStart = 0n;
  brkEnd = 0n;
  writeObserver: MemoryWriteObserver | undefined;

  constructor(readonly engine: Engine) {}

  // ---- queries --------------------------------------------------------------------------

  get regions(): readonly Readonly<Vma>[] {
    return this.vmas;
  }

  /** The VMA containing addr, if any. */
  find(addr: bigint): Vma | undefined {
    const i = this.indexAtOrAfter(addr);
    const v = this.vmas[i];
    return v !== undefined && v.start <= addr ? v : undefined;
  }

  /** Index of the first VMA whose end is above addr. */
  private indexAtOrAfter(addr: bigint): number {
    let lo = 0;
    let hi = this.vmas.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.vmas[mid]!.end <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when every byte of [addr, addr+len) lies in VMAs granting `prot`. */
  accessible(addr: bigint, len: bigint, prot: number): boolean {
    if (len === 0n) return true;
    if (addr < 0n || addr + len > USER_TOP) return false;
    let i = this.indexAtOrAfter(addr);
    let cursor = addr;
    const end = addr + len;
    while (cursor < end) {
      const v = this.vmas[i++];
      if (v === undefined || v.start > cursor || (v.prot & prot) !== prot) return false;
      const limit = accessEnd(v);
      if (limit < v.end && end > limit) return false;
      cursor = v.end;
    }
    return true;
  }

  /** True when VMAs cover every page of [start, end), whatever their protection or file size. */
  covered(start: bigint, end: bigint): boolean {
    if (start < 0n || end > USER_TOP) return false;
    let i = this.indexAtOrAfter(start);
    let cursor = start;
    while (cursor < end) {
      const v = this.vmas[i++];
      if (v === undefined || v.start > cursor) return false;
      cursor = v.end;
    }
    return true;
  }

  /**
   * Re-reads the size of every mapped file (after the guest truncated one) and remaps what
   * changed, so no page past a file's end stays mapped on the host.
   */
  refreshFileSizes(): void {
    for (const v of this.vmas) {
      if (v.backing.kind !== 'file') continue;
      const size = fstatSync(v.backing.file.fd, { bigint: true }).size;
      if (size === v.backing.file.size) continue;
      const before = accessEnd(v);
      v.backing.file.size = size;
      const after = accessEnd(v);
      if (after > before) this.fillFromFile(before, after, { ...v.backing, offset: v.backing.offset + (before - v.start) }, v.shared);
      this.syncUnicorn(v.start, v.end);
    }
  }

  /** Whether addr lies in a file mapping's pages past the file's end (SIGBUS). */
  pastEndOfFile(addr: bigint): boolean {
    const v = this.find(addr);
    return v !== undefined && addr >= accessEnd(v);
  }

  /** Whether [start, end) overlaps no VMA. */
  isFree(start: bigint, end: bigint): boolean {
    if (start < PAGE_SIZE * 16n || end > USER_TOP) return false;
    const v = this.vmas[this.indexAtOrAfter(start)];
    return v === undefined || v.start >= end;
  }

  /** A free range of `len` bytes, top-down below mmapBase (or at `hint` when it is free). */
  findFree(len: bigint, hint = 0n): bigint | undefined {
    if (hint !== 0n) {
      const h = alignDown(hint);
      if (this.isFree(h, h + len)) return h;
    }
    let top = this.mmapBase;
    for (let i = this.indexAtOrAfter(top) - 1; ; i--) {
      const v = this.vmas[i];
      const floor = v === undefined ? PAGE_SIZE * 16n : v.end;
      if (top - floor >= len && top - len >= floor) return top - len;
      if (v === undefined) return undefined;
      if (v.start < top) top = v.start;
    }
  }

  // ---- guest memory access (validated) --------------------------------------------------

  /** Bytes at [addr, addr+len) if readable by the guest, else null (EFAULT). Zero-copy within a granule. */
  read(addr: bigint, len: number): Uint8Array | null {
    if (len === 0) return EMPTY;
    if (!this.accessible(addr, BigInt(len), PROT_READ)) return null;
    return this.hostSlice(addr, len);
  }

  /** Writes data at addr if the guest may write there; false means EFAULT. */
  write(addr: bigint, data: Uint8Array): boolean {
    if (data.length === 0) return true;
    if (!this.accessible(addr, BigInt(data.length), PROT_WRITE)) return false;
    this.hostWrite(addr, data);
    this.writeObserver?.(addr, data);
    return true;
  }

  /** A tracer's read (ptrace's FOLL_FORCE): mapped bytes whatever their protection; null if unmapped. */
  peek(addr: bigint, len: number): Uint8Array | null {
    if (!this.accessible(addr, BigInt(len), 0)) return null;
    return this.hostSlice(addr, len).slice();
  }

  /** A tracer's write (POKETEXT): into any mapped page, code included (its translations are dropped). */
  poke(addr: bigint, data: Uint8Array): boolean {
    if (!this.accessible(addr, BigInt(data.length), 0)) return false;
    this.hostWrite(addr, data);
    this.writeObserver?.(addr, data);
    return true;
  }

  /**
   * The host address of guest [addr, addr+len) for passing to a host syscall, after checking
   * the guest may access it with `prot`. null: EFAULT. 'split': valid but spans two host
   * reservations (use a bounce buffer).
   */
  hostPointer(addr: bigint, len: number, prot: number): bigint | null | 'split' {
    if (!this.accessible(addr, BigInt(len), prot)) return null;
    // An empty range touches nothing: never reserve a granule for it.
    if (len === 0) return this.granules.get(addr >> GRANULE_SHIFT)?.ptr ?? 0n;
    if (!this.sameGranule(addr, len)) return 'split';
    return this.granule(addr).ptr + (addr & (GRANULE - 1n));
  }

  /** A writable zero-copy view for the kernel to fill, or null (EFAULT). Call `committed` after filling. */
  writableView(addr: bigint, len: number): Uint8Array | null {
    if (len === 0) return EMPTY;
    if (!this.accessible(addr, BigInt(len), PROT_WRITE)) return null;
    if (!this.sameGranule(addr, len)) return null;
    return this.granuleView(addr, len);
  }

  /** Reports a completed fill of a writableView to the write observer. */
  committed(addr: bigint, len: number): void {
    if (this.writeObserver !== undefined) this.writeObserver(addr, this.hostSlice(addr, len).slice());
  }

  /** A NUL-terminated string of at most `max` bytes (without the NUL), or null on EFAULT / too long. */
  readCString(addr: bigint, max: number): Uint8Array | null | 'too-long' {
    let cursor = addr;
    const parts: Uint8Array[] = [];
    let total = 0;
    // Up to and including byte `max`: a NUL there still ends a string of `max` bytes.
    while (total <= max) {
      const v = this.find(cursor);
      if (v === undefined || (v.prot & PROT_READ) === 0) return null;
      const pageEnd = alignDown(cursor) + PAGE_SIZE;
      const chunkLen = Number(pageEnd - cursor);
      const chunk = this.hostSlice(cursor, chunkLen);
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        total += nul;
        return total > max ? 'too-long' : concat(parts, total);
      }
      parts.push(chunk);
      total += chunkLen;
      cursor = pageEnd;
    }
    return 'too-long';
  }

  /** Writes regardless of guest protection (loader, ptrace POKE); drops translated code there. */
  hostWrite(addr: bigint, data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      const a = addr + BigInt(off);
      const n = Math.min(data.length - off, Number(GRANULE - (a & (GRANULE - 1n))));
      this.granuleView(a, n).set(data.subarray(off, off + n));
      off += n;
    }
    const v = this.find(addr);
    if (v !== undefined && (v.prot & PROT_EXEC) !== 0) {
      this.engine.removeCache(addr, addr + BigInt(data.length));
    }
  }

  private sameGranule(addr: bigint, len: number): boolean {
    return addr >> GRANULE_SHIFT === (addr + BigInt(len === 0 ? 0 : len - 1)) >> GRANULE_SHIFT;
  }

  private hostSlice(addr: bigint, len: number): Uint8Array {
    if (this.sameGranule(addr, len)) return this.granuleView(addr, len);
    const out = new Uint8Array(len);
    let off = 0;
    while (off < len) {
      const a = addr + BigInt(off);
      const n = Math.min(len - off, Number(GRANULE - (a & (GRANULE - 1n))));
      out.set(this.granuleView(a, n), off);
      off += n;
    }
    return out;
  }

  private granule(addr: bigint): HostMemoryT {
    const idx = addr >> GRANULE_SHIFT;
    let g = this.granules.get(idx);
    if (g === undefined) {
      g = HostMemory.reserve(GRANULE);
      this.granules.set(idx, g);
    }
    return g;
  }

  private granuleView(addr: bigint, len: number): Uint8Array {
    return this.granule(addr).view(addr & (GRANULE - 1n), len);
  }

  // ---- mapping changes -----------------------------------------------------------------

  /**
   * Maps [start, start+len) (page aligned) with the given protection, replacing whatever was
   * there. Returns false (ENOMEM) when Unicorn's region budget or the VMA cap would be exceeded.
   */
  map(start: bigint, len: bigint, prot: number, shared: boolean, backing: Backing, label?: string): boolean {
    const end = start + len;
    if (this.vmas.length + 2 > MAX_VMAS || !this.fitsUnicorn(start, end, prot)) return false;
    if (!shared && (prot & PROT_WRITE) !== 0 && len > commitLimit()) return false;
    this.removeRange(start, end);
    const vma: Vma = { start, end, prot, shared, backing, ...(label !== undefined ? { label } : {}) };
    this.vmas.splice(this.indexAtOrAfter(start), 0, vma);
    if (backing.kind === 'file') this.fillFromFile(start, end, backing, shared);
    this.syncUnicorn(start, end);
    return true;
  }

  /** Removes the mappings in [start, end); the range need not be mapped. */
  unmap(start: bigint, end: bigint): void {
    this.removeRange(start, end);
    this.syncUnicorn(start, end);
  }

  /**
   * Changes protection of [start, end): 'unmapped' (ENOMEM) when part of it is not mapped,
   * 'denied' (EACCES) when it would make a shared mapping of a read-only file writable.
   */
  protect(start: bigint, end: bigint, prot: number): 'ok' | 'unmapped' | 'denied' {
    // Pages of a file mapping past the file's end are mapped (touching them is SIGBUS): the
    // dynamic loader mprotects such tails of a library's reservation.
    if (!this.covered(start, end)) return 'unmapped';
    if (!this.fitsUnicorn(start, end, prot)) return 'unmapped';
    if ((prot & PROT_WRITE) !== 0 && end - start > commitLimit()) return 'unmapped';
    if ((prot & PROT_WRITE) !== 0) {
      for (let i = this.indexAtOrAfter(start); i < this.vmas.length && this.vmas[i]!.start < end; i++) {
        const v = this.vmas[i]!;
        if (v.shared && v.backing.kind === 'file' && !v.backing.file.writable) return 'denied';
      }
    }
    this.splitAt(start);
    this.splitAt(end);
    for (let i = this.indexAtOrAfter(start); i < this.vmas.length && this.vmas[i]!.start < end; i++) {
      this.vmas[i]!.prot = prot;
    }
    this.syncUnicorn(start, end);
    return 'ok';
  }

  /** msync: writes shared file pages in [start, end) back to their files. */
  sync(start: bigint, end: bigint): void {
    for (let i = this.indexAtOrAfter(start); i < this.vmas.length && this.vmas[i]!.start < end; i++) {
      const v = this.vmas[i]!;
      if (!v.shared || v.backing.kind !== 'file') continue;
      const s = v.start > start ? v.start : start;
      const e = v.end < end ? v.end : end;
      this.forEachGranulePart(s, e, (g, off, len) => g.msync(off, len));
    }
  }

  /** MADV_DONTNEED: private anonymous pages read back as zeros, private file pages as the file. */
  discardPages(start: bigint, end: bigint): boolean {
    if (!this.accessible(start, end - start, 0)) return false;
    for (let i = this.indexAtOrAfter(start); i < this.vmas.length && this.vmas[i]!.start < end; i++) {
      const v = this.vmas[i]!;
      if (v.shared) continue;
      const s = v.start > start ? v.start : start;
      const e = v.end < end ? v.end : end;
      this.discardHost(s, e);
      if (v.backing.kind === 'file') this.fillFromFile(s, e, { ...v.backing, offset: v.backing.offset + (s - v.start) }, false);
    }
    this.engine.removeCache(start, end);
    return true;
  }

  /**
   * Moves or grows a mapping (mremap). The caller has checked that [oldStart, oldEnd) is one
   * VMA and, for a grow in place, that the space after it is free.
   */
  resize(oldStart: bigint, oldEnd: bigint, newStart: bigint, newLen: bigint): boolean {
    const v = this.find(oldStart);
    if (v === undefined) return false;
    const oldLen = oldEnd - oldStart;
    const keep = oldLen < newLen ? oldLen : newLen;
    const backing: Backing = v.backing.kind === 'file'
      ? { ...v.backing, offset: v.backing.offset + (oldStart - v.start) }
      : v.backing;
    if (newStart === oldStart) {
      if (newLen < oldLen) {
        this.unmap(oldStart + newLen, oldEnd);
        return true;
      }
      if (this.vmas.length + 2 > MAX_VMAS || !this.fitsUnicorn(oldStart, oldStart + newLen, v.prot)) return false;
      if (!v.shared && (v.prot & PROT_WRITE) !== 0 && newLen > commitLimit()) return false;
      this.splitAt(oldStart);
      this.splitAt(oldEnd);
      const grown = this.find(oldStart)!;
      grown.end = oldStart + newLen;
      if (backing.kind === 'file') {
        this.fillFromFile(oldEnd, grown.end, { ...backing, offset: backing.offset + oldLen }, v.shared);
      }
      this.syncUnicorn(oldStart, grown.end);
      return true;
    }
    const data = this.hostSlice(oldStart, Number(keep)).slice();
    const { prot, shared, label } = v;
    if (!this.map(newStart, newLen, prot, shared, { kind: 'anon' }, label)) return false;
    const moved = this.find(newStart)!;
    if (backing.kind === 'file') {
      moved.backing = { kind: 'file', file: backing.file.retain(), offset: backing.offset };
      if (shared) this.fillFromFile(newStart, newStart + newLen, backing, true);
    }
    if (!(backing.kind === 'file' && shared)) {
      this.hostWrite(newStart, data);
      if (backing.kind === 'file' && newLen > oldLen) {
        this.fillFromFile(newStart + oldLen, newStart + newLen, { ...backing, offset: backing.offset + oldLen }, false);
      }
    }
    this.unmap(oldStart, oldEnd);
    return true;
  }

  /**
   * fork: a copy of this address space on `engine` (a fresh engine of the same CPU). Private
   * pages are copied, only those resident in the host backing (an untouched page reads zeros on
   * both sides anyway); shared file mappings map the same file again, so both processes see
   * one copy (anonymous shared memory is a host memfd, so it is one of these).
   */
  fork(engine: Engine): AddressSpace {
    const child = new AddressSpace(engine);
    child.mmapBase = this.mmapBase;
    child.brkStart = this.brkStart;
    child.brkEnd = this.brkEnd;
    const page = Number(PAGE_SIZE);
    for (const v of this.vmas) {
      const backing: Backing = v.backing.kind === 'file' ? { ...v.backing, file: v.backing.file.retain() } : v.backing;
      child.vmas.push({ ...v, backing });
      if (v.backing.kind === 'file' && v.shared) {
        child.fillFromFile(v.start, v.end, v.backing, true);
        continue;
      }
      // Page runs resident in the parent's backing, copied run by run.
      for (let a = v.start, end = accessEnd(v); a < end; ) {
        const gEnd = (a | (GRANULE - 1n)) + 1n;
        const e = end < gEnd ? end : gEnd;
        const g = this.granule(a);
        const off = a & (GRANULE - 1n);
        const resident = g.residentPages(off, e - a);
        for (let i = 0; i < resident.length; ) {
          if ((resident[i]! & 1) === 0) { i++; continue; }
          let j = i + 1;
          while (j < resident.length && (resident[j]! & 1) !== 0) j++;
          const n = (j - i) * page;
          child.granuleView(a + BigInt(i * page), n).set(g.view(off + BigInt(i * page), n));
          i = j;
        }
        a = e;
      }
    }
    child.syncUnicorn(0n, USER_TOP);
    return child;
  }

  /** Releases every host resource; the engine is the caller's. */
  release(): void {
    for (const v of this.vmas) if (v.backing.kind === 'file') v.backing.file.release();
    for (const g of this.granules.values()) g.release();
    this.granules.clear();
    this.vmas.length = 0;
  }

  // ---- internals -----------------------------------------------------------------------

  /**
   * Whether making [start, end) accessible with `prot` stays within Unicorn's region budget:
   * each granule the range touches may become one more region (a run is split at granules).
   */
  private fitsUnicorn(start: bigint, end: bigint, prot: number): boolean {
    const granules = prot === 0 || end <= start ? 0n : ((end - 1n) >> GRANULE_SHIFT) - (start >> GRANULE_SHIFT) + 1n;
    return BigInt(this.ucRegions.length) + 2n + granules <= BigInt(MAX_UNICORN_REGIONS);
  }

  /** Splits the VMA containing addr so that a VMA boundary falls at addr. */
  private splitAt(addr: bigint): void {
    const i = this.indexAtOrAfter(addr);
    const v = this.vmas[i];
    if (v === undefined || v.start >= addr) return;
    const tail: Vma = { ...v, start: addr };
    if (v.backing.kind === 'file') {
      tail.backing = { kind: 'file', file: v.backing.file.retain(), offset: v.backing.offset + (addr - v.start) };
    }
    v.end = addr;
    this.vmas.splice(i + 1, 0, tail);
  }

  /** Drops VMAs in [start, end) and returns their host memory to zero-filled anonymous pages. */
  private removeRange(start: bigint, end: bigint): void {
    this.splitAt(start);
    this.splitAt(end);
    const i = this.indexAtOrAfter(start);
    let j = i;
    while (j < this.vmas.length && this.vmas[j]!.start < end) {
      const v = this.vmas[j]!;
      if (v.backing.kind === 'file') {
        if (v.shared) this.forEachGranulePart(v.start, v.end, (g, off, len) => { g.msync(off, len); g.resetAnonymous(off, len); });
        v.backing.file.release();
      }
      this.discardHost(v.start, v.end);
      j++;
    }
    this.vmas.splice(i, j - i);
  }

  private discardHost(start: bigint, end: bigint): void {
    this.forEachGranulePart(start, end, (g, off, len) => g.discard(off, len));
  }

  private forEachGranulePart(start: bigint, end: bigint, fn: (g: HostMemoryT, offset: bigint, len: bigint) => void): void {
    let a = start;
    while (a < end) {
      const gEnd = (a | (GRANULE - 1n)) + 1n;
      const e = end < gEnd ? end : gEnd;
      fn(this.granule(a), a & (GRANULE - 1n), e - a);
      a = e;
    }
  }

  private fillFromFile(start: bigint, fullEnd: bigint, backing: Extract<Backing, { kind: 'file' }>, shared: boolean): void {
    let fileOffset = backing.offset;
    const inFile = backing.file.size - backing.offset;
    const eof = start + (inFile <= 0n ? 0n : alignUp(inFile));
    const end = eof < fullEnd ? eof : fullEnd;
    if (end <= start) return;
    if (shared) {
      this.forEachGranulePart(start, end, (g, off, len) => {
        g.mapFile(off, len, backing.file.fd, fileOffset, true, !backing.file.writable);
        fileOffset += len;
      });
      return;
    }
    this.forEachGranulePart(start, end, (g, off, len) => {
      const view = g.view(off, Number(len));
      readFileInto(backing.file.fd, view, fileOffset);
      fileOffset += len;
    });
  }

  /**
   * Makes Unicorn's mappings match the VMA table around [start, end): unmaps the Unicorn regions
   * that touch it and maps maximal runs of equal protection (split at granules) in their place.
   */
  private syncUnicorn(start: bigint, end: bigint): void {
    let lo = start;
    let hi = end;
    const keep: UnicornRegion[] = [];
    const drop: UnicornRegion[] = [];
    for (const r of this.ucRegions) {
      if (r.end >= start && r.start <= end) {
        drop.push(r);
        if (r.start < lo) lo = r.start;
        if (r.end > hi) hi = r.end;
      } else keep.push(r);
    }
    // Extend to the VMA runs of equal protection that continue past the edges.
    const desired: UnicornRegion[] = [];
    for (let i = this.indexAtOrAfter(lo); i < this.vmas.length && this.vmas[i]!.start < hi; i++) {
      const v = this.vmas[i]!;
      if (v.prot === 0) continue;
      const s = v.start < lo ? lo : v.start;
      const limit = accessEnd(v);
      const e = limit > hi ? hi : limit;
      if (e <= s) continue;
      const last = desired[desired.length - 1];
      if (last !== undefined && last.end === s && last.prot === v.prot && (s & (GRANULE - 1n)) !== 0n) last.end = e;
      else desired.push({ start: s, end: e, prot: v.prot });
    }
    // Split runs at granule boundaries: each Unicorn mapping is backed by one host reservation.
    const pieces: UnicornRegion[] = [];
    for (const r of desired) {
      let a = r.start;
      while (a < r.end) {
        const gEnd = (a | (GRANULE - 1n)) + 1n;
        const e = r.end < gEnd ? r.end : gEnd;
        pieces.push({ start: a, end: e, prot: r.prot });
        a = e;
      }
    }
    for (const r of drop) this.engine.memUnmap(r.start, r.end - r.start);
    for (const p of pieces) {
      const g = this.granule(p.start);
      this.engine.memMapPtr(p.start, p.end - p.start, p.prot, g.ptr + (p.start & (GRANULE - 1n)));
    }
    this.ucRegions.length = 0;
    this.ucRegions.push(...keep, ...pieces);
    this.ucRegions.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    this.engine.removeCache(lo, hi);
  }
}

let hostCommitLimit: bigint | undefined;

/**
 * The largest private writable mapping Linux's default overcommit heuristic grants at once
 * (vm.overcommit_memory 0: no more than RAM + swap): a larger brk, mmap or segment is ENOMEM.
 */
export function commitLimit(): bigint {
  if (hostCommitLimit === undefined) {
    let swap = 0n;
    try {
      const m = /^SwapTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'latin1'));
      if (m !== null) swap = BigInt(m[1]!) * 1024n;
    } catch {
      /* no /proc: RAM only */
    }
    hostCommitLimit = BigInt(totalmem()) + swap;
  }
  return hostCommitLimit;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

import { readSync, closeSync, fstatSync, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

function readFileInto(fd: number, view: Uint8Array, offset: bigint): void {
  let done = 0;
  while (done < view.length) {
    const n = readSync(fd, view, done, view.length - done, Number(offset) + done);
    if (n <= 0) break;
    done += n;
  }
  // Past the end of the file a private mapping reads zeros.
  if (done < view.length) view.fill(0, done);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
}
