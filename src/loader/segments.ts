// The checks Linux's binfmt_elf applies to an executable's PT_LOAD program headers before (or,
// for most of them, just after) the point of no return of execve, and where the image goes.
// Each failed check is one LoaderError naming the header and the field at fault.
//
// What Linux does not check, tstrace does not either: p_align (used only to place an ET_DYN
// with an interpreter; a value that is not a power of two is ignored), the order of ET_EXEC
// segments, and overlaps (a later segment is mapped over an earlier one, as MAP_FIXED does).
import { LoaderError, PT_LOAD, type ProgramHeader } from './elf.js';

export const PAGE = 4096n;
/** tstrace's user address space ends here on every architecture (x86_64's TASK_SIZE). */
export const TASK_SIZE = 0x7fff_ffff_f000n;
/** The lowest address a segment may occupy: Linux refuses to map page zero (vm.mmap_min_addr). */
export const LOWEST_MAPPABLE = PAGE;
/** Where a static-pie (ET_DYN) image's first segment goes: Linux's ELF_ET_DYN_BASE on x86_64. */
export const PIE_BASE = 0x5555_5555_4000n;
/** Linux reads at most one page of program headers (ELF_MIN_ALIGN in load_elf_phdrs). */
export const MAX_PHDR_BYTES = 4096;

const U64 = (1n << 64n) - 1n;
const wrap = (v: bigint): bigint => v & U64;
const pageStart = (v: bigint): bigint => v & ~(PAGE - 1n);
const pageOffset = (v: bigint): bigint => v & (PAGE - 1n);
const hex = (v: bigint): string => `0x${v.toString(16)}`;

/**
 * maximum_alignment(): the largest p_align of the PT_LOAD segments that is a power of two,
 * and at least a page.
 */
export function maximumAlignment(loads: readonly ProgramHeader[]): bigint {
  let alignment = 0n;
  for (const p of loads) {
    if (p.align !== 0n && (p.align & (p.align - 1n)) === 0n && p.align > alignment) alignment = p.align;
  }
  return alignment < PAGE ? PAGE : alignment;
}

/**
 * The amount added to every p_vaddr: 0 for ET_EXEC. For an ET_DYN with an interpreter (a
 * dynamic PIE), Linux's rule: `dynBase` (the arch's ELF_ET_DYN_BASE) aligned down to the
 * segments' largest alignment, less the first segment's p_vaddr, page aligned. For a static-pie
 * (no interpreter) what moves the first PT_LOAD's page to PIE_BASE (Linux lets mmap choose;
 * tstrace picks one fixed place).
 */
export function loadBias(type: number, loads: readonly ProgramHeader[], dynBase?: bigint): bigint {
  if (type !== 3 || loads.length === 0) return 0n;
  if (dynBase !== undefined) return wrap(pageStart(wrap((dynBase & ~(maximumAlignment(loads) - 1n)) - loads[0]!.vaddr)));
  return wrap(PIE_BASE - pageStart(loads[0]!.vaddr));
}

/** Throws LoaderError ('bad-program-headers' or 'too-large') for segments Linux would not map. */
export function checkLoadSegments(path: string, type: number, entry: bigint, programs: readonly ProgramHeader[], dynBase?: bigint): void {
  const loads = programs.filter((p) => p.type === PT_LOAD);
  const bias = loadBias(type, loads, dynBase);
  const bad = (msg: string): LoaderError => new LoaderError('bad-program-headers', `${path}: bad program headers: ${msg}`, true);
  const tooLarge = (msg: string): LoaderError => new LoaderError('too-large', `${path}: image does not fit: ${msg}`, true);
  if (type === 3 && loads.length > 0) {
    // total_mapping_size(): from the first segment's page to the end of the last one.
    const last = loads[loads.length - 1]!;
    const span = wrap(last.vaddr + last.memsz - pageStart(loads[0]!.vaddr));
    if (span === 0n) throw bad('the PT_LOAD segments span no memory (out of order?)');
    if (span > TASK_SIZE - wrap(bias + pageStart(loads[0]!.vaddr))) throw tooLarge(`the PT_LOAD segments span ${hex(span)} bytes (out of order, or larger than the user address space)`);
  }
  programs.forEach((p, i) => {
    if (p.type !== PT_LOAD) return;
    const name = `PT_LOAD (program header ${i})`;
    if (p.filesz > p.memsz) throw bad(`${name} has p_filesz ${hex(p.filesz)} > p_memsz ${hex(p.memsz)}`);
    // elf_map() mmaps the file from p_offset - (p_vaddr mod page): that must be a page boundary.
    const mapsFile = p.filesz + pageOffset(p.vaddr) !== 0n;
    if (mapsFile && (pageOffset(p.offset) !== pageOffset(p.vaddr) || p.offset < pageOffset(p.vaddr))) {
      throw bad(`${name} has p_offset ${hex(p.offset)} and p_vaddr ${hex(p.vaddr)} not congruent modulo the page size`);
    }
    const start = wrap(p.vaddr + bias);
    if (start >= TASK_SIZE || p.memsz > TASK_SIZE || TASK_SIZE - p.memsz < start) {
      throw tooLarge(`${name} at ${hex(start)} with p_memsz ${hex(p.memsz)} ends beyond the user address space (${hex(TASK_SIZE)})`);
    }
    if (pageStart(start) < LOWEST_MAPPABLE) throw tooLarge(`${name} at ${hex(start)} lies in page zero, which cannot be mapped`);
  });
  const at = wrap(entry + bias);
  if (at >= TASK_SIZE) throw bad(`entry point ${hex(at)} is outside the user address space`);
}
