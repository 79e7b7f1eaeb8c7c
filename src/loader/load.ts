// Maps an ELF image into a fresh address space and builds the initial stack the way Linux's
// binfmt_elf does: argv, envp, auxv, AT_RANDOM bytes, the platform and execfn strings.
import type { ElfImage } from './elf.js';
import { PT_LOAD, PT_PHDR, PT_GNU_STACK, LoaderError } from './elf.js';
import { AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, USER_TOP, alignDown, alignUp } from '../kernel/memory/address-space.js';

/** Where a static-pie (ET_DYN) image goes: Linux's ELF_ET_DYN_BASE on x86_64. */
/** Where a static-pie program is loaded (its load bias). */
export const PIE_BASE = 0x5555_5555_4000n;
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
}

function protOf(flags: number): number {
  return ((flags & 4) !== 0 ? PROT_READ : 0) | ((flags & 2) !== 0 ? PROT_WRITE : 0) | ((flags & 1) !== 0 ? PROT_EXEC : 0);
}

/**
 * Loads `elf` into `mm` and builds the initial stack. `execfn` is the path as the guest named
 * it (AT_EXECFN); `random` supplies the 16 AT_RANDOM bytes (recorded for replay).
 */
export function loadProgram(
  mm: AddressSpace, elf: ElfImage, execfn: string, argv: readonly string[], envp: readonly string[],
  creds: Credentials, random: Uint8Array,
): LoadedProgram {
  if (elf.interpreter !== undefined) {
    throw new LoaderError('unsupported-type', `${elf.path}: dynamically linked (interpreter ${elf.interpreter}); only static executables are supported so far`);
  }
  const bias = elf.type === 3 ? PIE_BASE : 0n;
  const loads = elf.programs.filter((p) => p.type === PT_LOAD);
  let brk = 0n;
  for (const p of loads) {
    const start = alignDown(p.vaddr + bias);
    const end = alignUp(p.vaddr + bias + p.memsz);
    if (end > USER_TOP || start < PAGE_SIZE) throw new LoaderError('unsupported-type', `${elf.path}: segment at 0x${start.toString(16)} is outside user space`);
    if (!mm.map(start, end - start, protOf(p.flags), false, { kind: 'anon' })) {
      throw new LoaderError('unsupported-type', `${elf.path}: too many segments`);
    }
    if (end > brk) brk = end;
  }
  for (const p of loads) {
    if (p.filesz > 0n) mm.hostWrite(p.vaddr + bias, elf.bytes.subarray(Number(p.offset), Number(p.offset + p.filesz)));
  }
  mm.brkStart = brk;
  mm.brkEnd = brk;

  const phdrProg = elf.programs.find((p) => p.type === PT_PHDR);
  let phdr = phdrProg !== undefined ? phdrProg.vaddr + bias : 0n;
  if (phdrProg === undefined) {
    const holder = loads.find((p) => p.offset <= elf.phoff && elf.phoff < p.offset + p.filesz);
    if (holder !== undefined) phdr = holder.vaddr + bias + (elf.phoff - holder.offset);
  }

  const stackFlags = elf.programs.find((p) => p.type === PT_GNU_STACK)?.flags ?? 6;
  const stackProt = PROT_READ | PROT_WRITE | ((stackFlags & 1) !== 0 ? PROT_EXEC : 0);
  const stackTop = USER_TOP;
  mm.map(stackTop - STACK_SIZE, STACK_SIZE, stackProt, false, { kind: 'anon' }, '[stack]');
  mm.mmapBase = alignDown(stackTop - STACK_SIZE - (1n << 30n));

  // Strings at the top of the stack, then the pointer vectors below them.
  const enc = new TextEncoder();
  let cursor = stackTop - 8n;
  const putBytes = (bytes: Uint8Array): bigint => {
    cursor -= BigInt(bytes.length);
    mm.hostWrite(cursor, bytes);
    return cursor;
  };
  const putString = (s: string): bigint => putBytes(cstr(enc, s));
  const execfnAddr = putString(execfn);
  const envAddrs = envp.map(putString);
  const argAddrs = argv.map(putString);
  cursor &= ~15n;
  const platformAddr = putString(elf.arch.platform);
  cursor &= ~15n;
  const randomAddr = putBytes(random.subarray(0, 16));

  const auxv: [bigint, bigint][] = [
    [AT.HWCAP, elf.arch.hwcap],
    [AT.PAGESZ, PAGE_SIZE],
    [AT.CLKTCK, 100n],
    [AT.PHDR, phdr],
    [AT.PHENT, BigInt(elf.phentsize)],
    [AT.PHNUM, BigInt(elf.phnum)],
    [AT.BASE, 0n],
    [AT.FLAGS, 0n],
    [AT.ENTRY, elf.entry + bias],
    [AT.UID, BigInt(creds.uid)],
    [AT.EUID, BigInt(creds.euid)],
    [AT.GID, BigInt(creds.gid)],
    [AT.EGID, BigInt(creds.egid)],
    [AT.SECURE, 0n],
    [AT.RANDOM, randomAddr],
    [AT.HWCAP2, elf.arch.hwcap2],
    [AT.EXECFN, execfnAddr],
    [AT.PLATFORM, platformAddr],
    [AT.NULL, 0n],
  ];
  const words: bigint[] = [BigInt(argv.length), ...argAddrs, 0n, ...envAddrs, 0n];
  for (const [k, v] of auxv) words.push(k, v);
  cursor -= BigInt(words.length * 8);
  cursor &= ~15n;
  const block = new Uint8Array(words.length * 8);
  const dv = new DataView(block.buffer);
  words.forEach((w, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, w), true));
  mm.hostWrite(cursor, block);
  return { entry: elf.entry + bias, stackPointer: cursor, brk };
}

function cstr(enc: TextEncoder, s: string): Uint8Array {
  const b = enc.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}
