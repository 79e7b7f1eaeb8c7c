// Plans the image of an ELF executable the way Linux's binfmt_elf lays it out: the PT_LOAD
// segments with their file bytes, and the initial stack (argv, envp, auxv, AT_RANDOM bytes, the
// platform and execfn strings). The plan is data; the kernel maps it into an address space.
import type { ElfImage } from './elf.js';
import { PT_LOAD, PT_PHDR, PT_GNU_STACK, LoaderError } from './elf.js';
import { PAGE, TASK_SIZE, loadBias } from './segments.js';

const PROT_READ = 1;
const PROT_WRITE = 2;
const PROT_EXEC = 4;
const alignDown = (v: bigint): bigint => v & ~(PAGE - 1n);
const alignUp = (v: bigint): bigint => (v + PAGE - 1n) & ~(PAGE - 1n);

const STACK_SIZE = 8n << 20n;

export const AT = {
  NULL: 0n, PHDR: 3n, PHENT: 4n, PHNUM: 5n, PAGESZ: 6n, BASE: 7n, FLAGS: 8n, ENTRY: 9n,
  UID: 11n, EUID: 12n, GID: 13n, EGID: 14n, PLATFORM: 15n, HWCAP: 16n, CLKTCK: 17n,
  SECURE: 23n, RANDOM: 25n, HWCAP2: 26n, EXECFN: 31n,
} as const;

export interface Credentials {
  readonly uid: number;
  readonly euid: number;
  readonly gid: number;
  readonly egid: number;
  /** Supplementary groups (getgroups). */
  readonly groups: readonly number[];
}

export interface LoadedProgram {
  readonly entry: bigint;
  readonly stackPointer: bigint;
  readonly brk: bigint;
  /** The auxiliary vector on the initial stack (/proc/PID/auxv), AT_NULL last. */
  readonly auxv: readonly (readonly [bigint, bigint])[];
}

/** One mapping of the image: page-aligned [start, end), anonymous, zero-filled before the writes. */
export interface PlannedMapping {
  readonly start: bigint;
  readonly end: bigint;
  readonly prot: number;
  /** What /proc/PID/maps shows for it ([stack]). */
  readonly label?: string;
}

/** Everything the kernel needs to build a process image: map, write, then start at entry. */
export interface ImagePlan extends LoadedProgram {
  /** In order: a later mapping replaces what an earlier one mapped there (MAP_FIXED). */
  readonly mappings: readonly PlannedMapping[];
  /** Bytes to put into the mappings, in order, regardless of their protection. */
  readonly writes: readonly { readonly addr: bigint; readonly bytes: Uint8Array }[];
  /** Where the top-down mmap allocator starts. */
  readonly mmapBase: bigint;
}

function protOf(flags: number): number {
  return ((flags & 4) !== 0 ? PROT_READ : 0) | ((flags & 2) !== 0 ? PROT_WRITE : 0) | ((flags & 1) !== 0 ? PROT_EXEC : 0);
}

/** Where an image's segments went: its load bias and the end of its highest segment. */
interface PlacedSegments {
  readonly bias: bigint;
  readonly end: bigint;
}

/**
 * Plans the PT_LOAD segments of `elf` moved by `bias`: anonymous mappings holding the file's
 * bytes, labelled `label` in /proc/PID/maps.
 */
function planSegments(elf: ElfImage, bias: bigint, mappings: PlannedMapping[], writes: { addr: bigint; bytes: Uint8Array }[], label?: string): PlacedSegments {
  const loads = elf.programs.filter((p) => p.type === PT_LOAD);
  let top = 0n;
  // The segments' ranges were checked (checkLoadSegments): each lies inside user space.
  for (const p of loads) {
    const start = alignDown(p.vaddr + bias);
    const end = alignUp(p.vaddr + bias + p.memsz);
    if (end > start) mappings.push({ start, end, prot: protOf(p.flags), ...(label !== undefined ? { label } : {}) });
    if (end > top) top = end;
  }
  // As elf_map(): whole pages of the file, from the page holding p_vaddr to the page holding
  // its last file byte, so the bytes around the segment in those pages are visible too. Then,
  // for a segment with a bss (p_memsz > p_filesz), padzero(): the rest of the last file page
  // is zeroed up to the page's end (not only to p_memsz: ld.so's early allocator hands out that
  // remainder as zeroed memory), which Linux does only when the page is writable (its
  // clear_user() on a read-only page fails, and is ignored).
  for (const p of loads) {
    const inPage = p.vaddr & (PAGE - 1n);
    const size = alignUp(p.filesz + inPage);
    if (size === 0n) continue;
    const from = p.offset - inPage;
    const fileEnd = BigInt(elf.bytes.length);
    const to = from + size < fileEnd ? from + size : fileEnd;
    const addr = alignDown(p.vaddr + bias);
    if (to > from) writes.push({ addr, bytes: elf.bytes.subarray(Number(from), Number(to)) });
    const bssStart = p.vaddr + bias + p.filesz;
    const tailEnd = alignUp(bssStart);
    if ((p.flags & 2) !== 0 && p.memsz > p.filesz && tailEnd > bssStart) writes.push({ addr: bssStart, bytes: new Uint8Array(Number(tailEnd - bssStart)) });
  }
  return { bias, end: top };
}

/** The dynamic loader of a program: its image and the path the guest knows it by. */
export interface PlannedInterpreter {
  readonly elf: ElfImage;
  /** The loader's path as the guest sees it, links resolved (what /proc/PID/maps names). */
  readonly guestPath: string;
  /** The program's absolute path as the guest knows it (what /proc/PID/maps names). */
  readonly programPath: string;
}

/**
 * The image of `elf`: its segments and its initial stack. `execfn` is the path as the guest named
 * it (AT_EXECFN); `random` supplies the 16 AT_RANDOM bytes (recorded for replay). A dynamic
 * program comes with its loader, `interp` (read by readInterpreter), mapped as binfmt_elf maps
 * it: the program at ELF_ET_DYN_BASE when it is position independent, the loader where the
 * first top-down mmap would go (below mmapBase), and the loader's entry point as the first
 * instruction; AT_BASE tells the loader where it is, AT_PHDR/AT_PHNUM/AT_ENTRY where the
 * program is. No vDSO is mapped (no AT_SYSINFO_EHDR): the C library then makes real syscalls.
 */
export function planImage(
  elf: ElfImage, execfn: string, argv: readonly string[], envp: readonly string[],
  creds: Credentials, random: Uint8Array, interp?: PlannedInterpreter,
): ImagePlan {
  if (elf.interpreter !== undefined && interp === undefined) {
    throw new LoaderError('unsupported-type', `${elf.path}: dynamically linked (interpreter ${elf.interpreter}), but its loader was not read`);
  }
  const loads = elf.programs.filter((p) => p.type === PT_LOAD);
  const mappings: PlannedMapping[] = [];
  const writes: { addr: bigint; bytes: Uint8Array }[] = [];
  const bias = loadBias(elf.type, loads, interp === undefined ? undefined : elf.arch.elfEtDynBase);
  const brk = planSegments(elf, bias, mappings, writes, interp?.programPath).end;
  const phdrProg = elf.programs.find((p) => p.type === PT_PHDR);
  let phdr = phdrProg !== undefined ? phdrProg.vaddr + bias : 0n;
  if (phdrProg === undefined) {
    const holder = loads.find((p) => p.offset <= elf.phoff && elf.phoff < p.offset + p.filesz);
    if (holder !== undefined) phdr = holder.vaddr + bias + (elf.phoff - holder.offset);
  }
  phdr = BigInt.asUintN(64, phdr);

  const stackFlags = elf.programs.find((p) => p.type === PT_GNU_STACK)?.flags ?? 6;
  const stackProt = PROT_READ | PROT_WRITE | ((stackFlags & 1) !== 0 ? PROT_EXEC : 0);
  const stackTop = TASK_SIZE;
  mappings.push({ start: stackTop - STACK_SIZE, end: stackTop, prot: stackProt, label: '[stack]' });
  let mmapBase = alignDown(stackTop - STACK_SIZE - (1n << 30n));
  let interpBase = 0n;
  let entry = BigInt.asUintN(64, elf.entry + bias);
  if (interp !== undefined) {
    // load_elf_interp(): an ET_DYN loader goes where mmap puts its whole span, top-down from
    // mmap_base; the allocator then continues below it.
    const iloads = interp.elf.programs.filter((p) => p.type === PT_LOAD);
    const first = alignDown(iloads[0]!.vaddr);
    let ibias = 0n;
    if (interp.elf.type === 3) {
      const span = alignUp(iloads.reduce((m, p) => (p.vaddr + p.memsz > m ? p.vaddr + p.memsz : m), 0n)) - first;
      ibias = BigInt.asUintN(64, mmapBase - span - first);
    }
    const placed = planSegments(interp.elf, ibias, mappings, writes, interp.guestPath);
    interpBase = placed.bias;
    if (interp.elf.type === 3) mmapBase = alignDown(placed.bias + first);
    entry = BigInt.asUintN(64, interp.elf.entry + placed.bias);
  }

  // Strings at the top of the stack, then the pointer vectors below them.
  const enc = new TextEncoder();
  let cursor = stackTop - 8n;
  const putBytes = (bytes: Uint8Array): bigint => {
    cursor -= BigInt(bytes.length);
    writes.push({ addr: cursor, bytes });
    return cursor;
  };
  const putString = (s: string): bigint => putBytes(cstr(enc, s));
  const execfnAddr = putString(execfn);
  const envAddrs = envp.map(putString);
  const argAddrs = argv.map(putString);
  cursor &= ~15n;
  const platform = elf.arch.platform;
  const platformAddr = platform !== undefined ? putString(platform) : undefined;
  cursor &= ~15n;
  const randomAddr = putBytes(random.slice(0, 16));
  const programEntry = BigInt.asUintN(64, elf.entry + bias);

  const auxv: [bigint, bigint][] = [
    [AT.HWCAP, elf.arch.hwcap],
    [AT.PAGESZ, PAGE],
    [AT.CLKTCK, 100n],
    [AT.PHDR, phdr],
    [AT.PHENT, BigInt(elf.phentsize)],
    [AT.PHNUM, BigInt(elf.phnum)],
    [AT.BASE, interpBase],
    [AT.FLAGS, 0n],
    [AT.ENTRY, programEntry],
    [AT.UID, BigInt(creds.uid)],
    [AT.EUID, BigInt(creds.euid)],
    [AT.GID, BigInt(creds.gid)],
    [AT.EGID, BigInt(creds.egid)],
    [AT.SECURE, 0n],
    [AT.RANDOM, randomAddr],
    ...(elf.arch.hwcap2 !== undefined ? [[AT.HWCAP2, elf.arch.hwcap2] as [bigint, bigint]] : []),
    [AT.EXECFN, execfnAddr],
    ...(platformAddr !== undefined ? [[AT.PLATFORM, platformAddr] as [bigint, bigint]] : []),
    [AT.NULL, 0n],
  ];
  const words: bigint[] = [BigInt(argv.length), ...argAddrs, 0n, ...envAddrs, 0n];
  for (const [k, v] of auxv) words.push(k, v);
  cursor -= BigInt(words.length * 8);
  cursor &= ~15n;
  const block = new Uint8Array(words.length * 8);
  const dv = new DataView(block.buffer);
  words.forEach((w, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, w), true));
  writes.push({ addr: cursor, bytes: block });
  return { mappings, writes, mmapBase, entry, stackPointer: cursor, brk, auxv };
}

function cstr(enc: TextEncoder, s: string): Uint8Array {
  const b = enc.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}
