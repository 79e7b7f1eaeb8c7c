// What a write to a file does to the guest's shared mappings of it. A MAP_SHARED mapping of a
// host file is the host's page cache: a write(2) into the file shows in the mapping at once,
// with no write of the kernel into guest memory to record. Replay maps the recorded bytes
// privately and applies the write's result without touching any file, so the recorder keeps
// a copy of each shared file mapping and, after a call that may have changed a file, records
// the pages that differ from it as the call's memory writes.
import { accessEnd, PAGE_SIZE, type AddressSpace } from '../kernel/memory/address-space.js';

/** Calls that may change a file's bytes (a shared mapping of it then shows the change). */
export const FILE_CHANGING = new Set([
  'write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'sendfile', 'copy_file_range', 'splice', 'fallocate',
]);

const PAGE = Number(PAGE_SIZE);

export class SharedMappingCopies {
  /** Per address space, the bytes of each shared file mapping by its start, as last recorded. */
  private readonly copies = new WeakMap<AddressSpace, Map<bigint, Uint8Array>>();

  /**
   * Reports the pages of `mm`'s shared file mappings that changed since the last look (a
   * mapping first seen here only has its copy taken).
   */
  changes(mm: AddressSpace, report: (addr: bigint, data: Uint8Array) => void): void {
    const copies = this.copies.get(mm);
    if (copies !== undefined) this.compare(mm, copies, report);
  }

  /** Takes the copy of a shared file mapping just made (its bytes are the mmap's recorded image). */
  mapped(mm: AddressSpace): void {
    let copies = this.copies.get(mm);
    if (copies === undefined) this.copies.set(mm, (copies = new Map()));
    this.compare(mm, copies, () => {});
  }

  private compare(mm: AddressSpace, copies: Map<bigint, Uint8Array>, report: (addr: bigint, data: Uint8Array) => void): void {
    const seen = new Set<bigint>();
    for (const v of mm.regions) {
      if (!v.shared || v.backing.kind !== 'file') continue;
      const end = accessEnd(v);
      if (end <= v.start) continue;
      const now = mm.peek(v.start, Number(end - v.start));
      if (now === null) continue;
      seen.add(v.start);
      const before = copies.get(v.start);
      copies.set(v.start, now);
      if (before === undefined) continue;
      for (let off = 0; off < now.length; off += PAGE) {
        const page = now.subarray(off, off + PAGE);
        if (off + page.length <= before.length && Buffer.compare(page, before.subarray(off, off + page.length)) === 0) continue;
        report(v.start + BigInt(off), page);
      }
    }
    for (const start of copies.keys()) if (!seen.has(start)) copies.delete(start);
  }
}
