// What -k needs of an executable or shared library: its PT_LOAD segments (to turn an address
// into a file offset, as strace prints it), its function symbols (.symtab, else .dynsym) and
// its .eh_frame section.
// ELF64 little-endian only (what tstrace runs).
import { readFileSync } from 'node:fs';

export interface Segment {
  readonly vaddr: bigint;
  readonly memsz: bigint;
  readonly offset: bigint;
}

export interface FunctionSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: bigint;
}

export interface EhFrame {
  readonly bytes: Uint8Array;
  /** The section's address in the image (before any load bias). */
  readonly addr: bigint;
}

export interface ElfImageInfo {
  /** ET_EXEC (2) or ET_DYN (3, static-pie: loaded at a bias). */
  readonly type: number;
  readonly segments: readonly Segment[];
  /** Sorted by address. */
  readonly functions: readonly FunctionSymbol[];
  readonly ehFrame: EhFrame | undefined;
  /** The functions are .dynsym's (a stripped library): an address past every one's end is named after the nearest below it, as libdw does. */
  readonly exportedOnly?: boolean;
}

const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;

export function readElfImageInfo(path: string): ElfImageInfo | undefined {
  let b: Buffer;
  try {
    b = readFileSync(path);
  } catch {
    return undefined;
  }
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) return undefined;
  const u64 = (o: number): bigint => b.readBigUInt64LE(o);
  const phoff = Number(u64(0x20));
  const shoff = Number(u64(0x28));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const shstrndx = b.readUInt16LE(0x3e);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (b.readUInt32LE(o) === PT_LOAD) segments.push({ offset: u64(o + 8), vaddr: u64(o + 16), memsz: u64(o + 40) });
  }
  interface Section { name: number; type: number; addr: bigint; offset: number; size: number; link: number }
  const sections: Section[] = [];
  for (let i = 0; i < shnum && shoff > 0; i++) {
    const o = shoff + i * shentsize;
    if (o + 64 > b.length) break;
    sections.push({ name: b.readUInt32LE(o), type: b.readUInt32LE(o + 4), addr: u64(o + 16), offset: Number(u64(o + 24)), size: Number(u64(o + 32)), link: b.readUInt32LE(o + 40) });
  }
  const cstr = (off: number): string => {
    const end = b.indexOf(0, off);
    return b.toString('latin1', off, end < 0 ? b.length : end);
  };
  const names = sections[shstrndx];
  const nameOf = (s: Section): string => (names === undefined ? '' : cstr(names.offset + s.name));
  const functions: FunctionSymbol[] = [];
  // A shared library is usually stripped of .symtab: its exported functions (.dynsym) name it.
  const symtabType = sections.some((s) => s.type === SHT_SYMTAB) ? SHT_SYMTAB : SHT_DYNSYM;
  for (const s of sections) {
    if (s.type !== symtabType) continue;
    const strtab = sections[s.link];
    if (strtab === undefined) continue;
    for (let o = s.offset; o + 24 <= s.offset + s.size; o += 24) {
      const type = b[o + 4]! & 0xf;
      const value = u64(o + 8);
      if ((type !== STT_FUNC && type !== STT_GNU_IFUNC) || value === 0n) continue;
      functions.push({ name: cstr(strtab.offset + b.readUInt32LE(o)), value, size: u64(o + 16) });
    }
  }
  functions.sort((x, y) => (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
  const eh = sections.find((s) => nameOf(s) === '.eh_frame');
  const ehFrame = eh === undefined ? undefined : { bytes: b.subarray(eh.offset, eh.offset + eh.size), addr: eh.addr };
  return { type: b.readUInt16LE(0x10), segments, functions, ehFrame, exportedOnly: symtabType === SHT_DYNSYM };
}

/** The function containing `addr` (image addresses), and the offset into it. */
export function symbolize(info: ElfImageInfo, addr: bigint, caller = false): { name: string; offset: bigint } | undefined {
  // A caller's pc is a return address, which may lie just past a noreturn function's end: its
  // call instruction (addr - 1) names the function, the offset stays addr's.
  const named = symbolizeAt(info, caller ? addr - 1n : addr);
  return named === undefined ? undefined : { name: named.name, offset: named.offset + (caller ? 1n : 0n) };
}

function symbolizeAt(info: ElfImageInfo, addr: bigint): { name: string; offset: bigint } | undefined {
  const fns = info.functions;
  let lo = 0;
  let hi = fns.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fns[mid]!.value <= addr) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best < 0) return undefined;
  // Aliases share an address: the first in the symbol table that covers addr (as libdw picks).
  let first = best;
  while (first > 0 && fns[first - 1]!.value === fns[best]!.value) first--;
  for (let i = first; i <= best; i++) {
    const f = fns[i]!;
    if (addr < f.value + (f.size === 0n ? 1n : f.size)) return { name: f.name, offset: addr - f.value };
  }
  if (info.exportedOnly === true) return { name: fns[first]!.name, offset: addr - fns[first]!.value };
  return undefined;
}

/** strace's offset for an address: where it lies in the file (address - segment start + file offset). */
export function fileOffset(info: ElfImageInfo, addr: bigint): bigint {
  for (const s of info.segments) if (addr >= s.vaddr && addr < s.vaddr + s.memsz) return addr - s.vaddr + s.offset;
  return addr;
}
