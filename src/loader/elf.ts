// ELF64 executable parsing. The raw identification and header fields are checked first, so
// every malformed input gets a precise error; then the program headers are read as 64-bit
// words (BigInt: a mutated field may not fit a double) and checked as Linux checks them.
import { accessSync, constants as fsConstants, readFileSync, statSync } from 'node:fs';
import type { ArchDescriptor } from '../arch/types.js';
import { ARCHES, archForMachine } from '../arch/index.js';
import { checkLoadSegments, MAX_PHDR_BYTES } from './segments.js';

export type LoaderErrorKind =
  | 'not-found' | 'is-directory' | 'not-elf' | 'truncated' | 'wrong-class'
  | 'unsupported-machine' | 'unsupported-type' | 'permission'
  /** A program header Linux refuses (sizes, p_offset/p_vaddr congruence, the entry point). */
  | 'bad-program-headers'
  /** A segment beyond the user address space, or more memory than the emulator can map. */
  | 'too-large'
  /** The program's dynamic loader (PT_INTERP) is not in the root filesystem nor on the host. */
  | 'interpreter-missing'
  /** The dynamic loader is there but unusable: not an ELF, truncated, another architecture. */
  | 'bad-interpreter';

/** Why an executable cannot be run; the CLI turns the kind into an exit code. */
export class LoaderError extends Error {
  constructor(
    readonly kind: LoaderErrorKind,
    message: string,
    /**
     * Linux finds this only after execve's point of no return: the old image is gone, so the
     * process dies of SIGSEGV instead of execve failing.
     */
    readonly afterPointOfNoReturn = false,
  ) {
    super(message);
    this.name = 'LoaderError';
  }
}

export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_GNU_STACK = 0x6474e551;

export interface ProgramHeader {
  readonly type: number;
  readonly flags: number; // PF_X=1, PF_W=2, PF_R=4
  readonly offset: bigint;
  readonly vaddr: bigint;
  readonly filesz: bigint;
  readonly memsz: bigint;
  readonly align: bigint;
}

export interface ElfImage {
  readonly path: string;
  readonly bytes: Buffer;
  readonly arch: ArchDescriptor;
  /** ET_EXEC (2) or ET_DYN (3: static-pie). */
  readonly type: number;
  readonly entry: bigint;
  readonly phoff: bigint;
  readonly phentsize: number;
  readonly phnum: number;
  readonly programs: readonly ProgramHeader[];
  /** PT_INTERP's path when the program wants a dynamic loader. */
  readonly interpreter: string | undefined;
}

/** Bytes of the file in executable PT_LOAD segments: the code a run of the image can translate. */
export function executableBytes(elf: ElfImage): number {
  let n = 0;
  for (const p of elf.programs) if (p.type === PT_LOAD && (p.flags & 1) !== 0) n += Number(p.filesz);
  return n;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const EHDR64_SIZE = 64;
const PHDR64_SIZE = 56;
const MACHINE_NAMES: Record<number, string> = {
  3: 'i386', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 's390', 40: 'ARM', 43: 'SPARC V9',
  50: 'IA-64', 62: 'x86_64', 183: 'aarch64', 243: 'riscv64', 258: 'LoongArch',
};

/** One Elf64_Phdr at `base`: p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align. */
function readProgramHeader(bytes: Buffer, base: number): ProgramHeader {
  return {
    type: bytes.readUInt32LE(base),
    flags: bytes.readUInt32LE(base + 4) & 7,
    offset: bytes.readBigUInt64LE(base + 8),
    vaddr: bytes.readBigUInt64LE(base + 16),
    filesz: bytes.readBigUInt64LE(base + 32),
    memsz: bytes.readBigUInt64LE(base + 40),
    align: bytes.readBigUInt64LE(base + 48),
  };
}

/** ELF files read lately, by identity (device, inode, size, times), least recently used first. */
const parsed = new Map<string, ElfImage>();
let parsedBytes = 0;
const PARSED_MAX_BYTES = 64 << 20;

/** Reads and validates an executable; throws LoaderError with a one-line reason. */
export function readElf(path: string): ElfImage {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw new LoaderError('permission', `${path}: permission denied`);
    throw new LoaderError('not-found', `${path}: no such file or directory`);
  }
  if (st.isDirectory()) throw new LoaderError('is-directory', `${path}: is a directory, not an executable`);
  if (!st.isFile()) throw new LoaderError('not-elf', `${path}: not a regular file`);
  // execve(2) wants execute permission, as the real strace finds out when it runs the program.
  try {
    accessSync(path, fsConstants.X_OK);
  } catch {
    throw new LoaderError('permission', `${path}: permission denied (not executable)`);
  }
  // A shell loop execs the same few programs again and again: an unchanged file is read once.
  const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  const known = parsed.get(key);
  if (known !== undefined) {
    parsed.delete(key);
    parsed.set(key, known);
    return known.path === path ? known : { ...known, path };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new LoaderError('permission', `${path}: cannot read the file (permission denied)`);
  }
  const elf = parseElf(path, bytes);
  parsed.set(key, elf);
  parsedBytes += bytes.length;
  for (const [k, old] of parsed) {
    if (parsedBytes <= PARSED_MAX_BYTES || parsed.size <= 1) break;
    parsed.delete(k);
    parsedBytes -= old.bytes.length;
  }
  return elf;
}

/** The ELF image in `bytes` (the file at `path`), validated as Linux's loader validates it. */
function parseElf(path: string, bytes: Buffer): ElfImage {
  if (bytes.length === 0) throw new LoaderError('truncated', `${path}: empty file, not an ELF executable`);
  const magicOk = ELF_MAGIC.every((b, i) => bytes[i] === b);
  if (!magicOk) {
    if (bytes.length < 4 && ELF_MAGIC.slice(0, bytes.length).every((b, i) => bytes[i] === b)) {
      throw new LoaderError('truncated', `${path}: truncated ELF file (${bytes.length} bytes)`);
    }
    throw new LoaderError('not-elf', `${path}: not an ELF executable (bad magic)`);
  }
  if (bytes.length < 16) throw new LoaderError('truncated', `${path}: truncated ELF file (${bytes.length} bytes)`);
  const cls = bytes[4];
  const data = bytes[5];
  if (cls !== 2) throw new LoaderError('wrong-class', `${path}: ${cls === 1 ? '32-bit' : 'unknown-class'} ELF; only ELF64 is supported`);
  if (data !== 1) throw new LoaderError('wrong-class', `${path}: ${data === 2 ? 'big-endian' : 'unknown byte order'} ELF; only little-endian is supported`);
  if (bytes.length < EHDR64_SIZE) throw new LoaderError('truncated', `${path}: truncated ELF header (${bytes.length} of ${EHDR64_SIZE} bytes)`);
  const type = bytes.readUInt16LE(16);
  const machine = bytes.readUInt16LE(18);
  const arch = archForMachine(machine);
  if (arch === undefined) {
    const name = MACHINE_NAMES[machine] ?? `machine ${machine}`;
    throw new LoaderError('unsupported-machine', `${path}: unsupported architecture ${name} (supported: ${ARCHES.map((a) => a.name).join(', ')})`);
  }
  if (type !== 2 && type !== 3) {
    const what = type === 1 ? 'a relocatable object' : type === 4 ? 'a core dump' : `ELF type ${type}`;
    throw new LoaderError('unsupported-type', `${path}: ${what}, not an executable`);
  }
  const entry = bytes.readBigUInt64LE(24);
  const phoff = bytes.readBigUInt64LE(32);
  const phentsize = bytes.readUInt16LE(54);
  const phnum = bytes.readUInt16LE(56);
  if (phnum === 0) throw new LoaderError('unsupported-type', `${path}: no program headers, nothing to load`);
  // load_elf_phdrs(): entries of exactly sizeof(Elf64_Phdr), at most one page of them.
  if (phentsize !== PHDR64_SIZE) throw new LoaderError('bad-program-headers', `${path}: bad program headers: e_phentsize ${phentsize}, not ${PHDR64_SIZE}`);
  if (phnum * phentsize > MAX_PHDR_BYTES) {
    throw new LoaderError('bad-program-headers', `${path}: bad program headers: e_phnum ${phnum} is more than fit in ${MAX_PHDR_BYTES} bytes`);
  }
  const phEnd = phoff + BigInt(phnum * phentsize);
  if (phEnd > BigInt(bytes.length)) {
    throw new LoaderError('truncated', `${path}: truncated ELF file: program headers end at byte ${phEnd}, file has ${bytes.length}`);
  }
  const programs: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) programs.push(readProgramHeader(bytes, Number(phoff) + i * phentsize));
  for (const p of programs) {
    if (p.type === PT_LOAD && p.offset + p.filesz > BigInt(bytes.length)) {
      throw new LoaderError('truncated', `${path}: truncated ELF file: a segment ends at byte ${p.offset + p.filesz}, file has ${bytes.length}`);
    }
  }
  if (!programs.some((p) => p.type === PT_LOAD)) throw new LoaderError('unsupported-type', `${path}: no loadable segment`);
  const interpProg = programs.find((p) => p.type === PT_INTERP);
  if (interpProg !== undefined) {
    // load_elf_binary(): a PT_INTERP of 2 to PATH_MAX bytes, inside the file, ending in a NUL.
    if (interpProg.filesz < 2n || interpProg.filesz > 4096n) {
      throw new LoaderError('bad-program-headers', `${path}: bad program headers: PT_INTERP of ${interpProg.filesz} bytes`);
    }
    if (interpProg.offset + interpProg.filesz > BigInt(bytes.length)) {
      throw new LoaderError('truncated', `${path}: truncated ELF file: PT_INTERP ends at byte ${interpProg.offset + interpProg.filesz}, file has ${bytes.length}`);
    }
    if (bytes[Number(interpProg.offset + interpProg.filesz) - 1] !== 0) {
      throw new LoaderError('bad-program-headers', `${path}: bad program headers: PT_INTERP's path does not end in a NUL byte`);
    }
  }
  checkLoadSegments(path, type, entry, programs, interpProg === undefined ? undefined : arch.elfEtDynBase);
  const interpreter = interpProg === undefined
    ? undefined
    : bytes.subarray(Number(interpProg.offset), Number(interpProg.offset + interpProg.filesz)).toString('latin1').replace(/\0.*$/s, '');
  return { path, bytes, arch, type, entry, phoff, phentsize, phnum, programs, interpreter };
}
