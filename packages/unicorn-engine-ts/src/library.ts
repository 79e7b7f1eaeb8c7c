// Loading koffi, libunicorn 2.1.x and libc, lazily and once, and declaring their functions.
//
// libunicorn is loaded by absolute path, never by bare name: the machine may have Debian
// bookworm's 2.0.1, whose slow guest stores make it unfit (see the design notes). Nothing is
// loaded when this module is imported; the first Engine, HostMemory or unicornVersion() does it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type koffiModule from 'koffi';
import { UnicornLoadError } from './errors.js';

export type Koffi = typeof koffiModule;

let koffiModuleCache: Koffi | undefined;

/** koffi itself, required on first use (importing it costs ~11 ms). */
export function koffi(): Koffi {
  return (koffiModuleCache ??= createRequire(import.meta.url)('koffi') as Koffi);
}

/**
 * The repository this module runs from: the nearest folder above it that holds the binding's
 * native sources (dist/ has a compiled packages/unicorn-engine-ts, without them). The compiled module sits four levels below the root
 * (dist/packages/unicorn-engine-ts/src/library.js), the bundled CLI one (dist/tstrace.js).
 */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'packages', 'unicorn-engine-ts', 'native'))) return dir;
    const up = dirname(dir);
    if (up === dir) return fileURLToPath(new URL('../../../../', import.meta.url));
    dir = up;
  }
}

const ROOT = repositoryRoot();
const DEFAULT_LIBRARY = join(ROOT, 'vendor/unicorn/usr/lib/x86_64-linux-gnu/libunicorn.so.2');

/** The libunicorn this process uses: $TSTRACE_UNICORN_LIB, else the one set-up unpacked into vendor/. */
export function libraryPath(): string {
  const fromEnv = process.env['TSTRACE_UNICORN_LIB'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_LIBRARY;
}

export interface UnicornVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly text: string;
}

// Pointers the binding owns (uc_engine*, uc_context*, its scratch memory) travel as numbers
// (`uintptr_t`): user-space addresses are below 2^47, and numbers are koffi's cheapest argument.
// Guest addresses are `uint64_t` BigInts. Registered callbacks are BigInt function pointers.
type Ptr = number;

/** The libunicorn functions the binding calls, with the argument types it passes. */
export interface UnicornApi {
  readonly path: string;
  readonly version: UnicornVersion;
  uc_open(arch: number, mode: number, ucOut: Ptr): number;
  uc_close(uc: Ptr): number;
  uc_strerror(code: number): string;
  uc_mem_map(uc: Ptr, address: bigint, size: bigint, perms: number): number;
  uc_mem_map_ptr(uc: Ptr, address: bigint, size: bigint, perms: number, hostPtr: bigint): number;
  uc_mem_unmap(uc: Ptr, address: bigint, size: bigint): number;
  uc_mem_protect(uc: Ptr, address: bigint, size: bigint, perms: number): number;
  uc_mem_read(uc: Ptr, address: bigint, bytes: Uint8Array, size: number): number;
  uc_mem_write(uc: Ptr, address: bigint, bytes: Uint8Array, size: number): number;
  uc_mem_regions(uc: Ptr, regionsOut: Ptr, countOut: Ptr): number;
  uc_free(mem: bigint): number;
  uc_reg_read(uc: Ptr, regid: number, value: Ptr): number;
  uc_reg_write(uc: Ptr, regid: number, value: Ptr): number;
  uc_reg_read2(uc: Ptr, regid: number, value: Uint8Array, sizeInOut: Ptr): number;
  uc_reg_write2(uc: Ptr, regid: number, value: Uint8Array, sizeInOut: Ptr): number;
  uc_reg_read_batch(uc: Ptr, regs: Ptr, vals: Ptr, count: number): number;
  uc_reg_write_batch(uc: Ptr, regs: Ptr, vals: Ptr, count: number): number;
  uc_context_reg_read(ctx: Ptr, regid: number, value: Ptr): number;
  uc_context_reg_write(ctx: Ptr, regid: number, value: Ptr): number;
  uc_context_reg_read2(ctx: Ptr, regid: number, value: Uint8Array, sizeInOut: Ptr): number;
  uc_context_reg_write2(ctx: Ptr, regid: number, value: Uint8Array, sizeInOut: Ptr): number;
  uc_context_reg_read_batch(ctx: Ptr, regs: Ptr, vals: Ptr, count: number): number;
  uc_context_reg_write_batch(ctx: Ptr, regs: Ptr, vals: Ptr, count: number): number;
  /** Variadic: UC_HOOK_INSN takes the instruction id as ('int', id). */
  uc_hook_add(uc: Ptr, hhOut: Ptr, type: number, callback: bigint, userData: number | bigint, begin: bigint, end: bigint, ...extra: unknown[]): number;
  uc_hook_del(uc: Ptr, hh: bigint): number;
  uc_emu_start(uc: Ptr, begin: bigint, until: bigint, timeoutUs: number, count: number): number;
  uc_emu_stop(uc: Ptr): number;
  uc_context_alloc(uc: Ptr, ctxOut: Ptr): number;
  uc_context_save(uc: Ptr, ctx: Ptr): number;
  uc_context_restore(uc: Ptr, ctx: Ptr): number;
  uc_context_free(ctx: Ptr): number;
  /** Variadic: the arguments follow as (type, value) pairs. */
  uc_ctl(uc: Ptr, control: number, ...args: unknown[]): number;
}

let unicornCache: UnicornApi | undefined;

/** libunicorn, loaded on first call; throws UnicornLoadError if it is missing or not 2.1.x. */
export function unicorn(): UnicornApi {
  return (unicornCache ??= loadUnicorn());
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}

/**
 * Asks Linux for no transparent huge pages in this process (PR_SET_THP_DISABLE). Unicorn marks
 * each engine's translation buffer MADV_HUGEPAGE, so that the first code it translates makes the
 * kernel zero a whole 2 MiB page, and the buffer's other huge pages as they are reached: opening
 * an engine while others live (a fork, an exec) cost 5-6 ms, almost all of it in the kernel's
 * clear_page, against about 1 ms with 4 KiB pages. TSTRACE_THP=on leaves them on.
 */
function noHugePages(): void {
  if (process.env['TSTRACE_THP'] === 'on') return;
  const PR_SET_THP_DISABLE = 41;
  const prctl = koffi().load('libc.so.6').func('int prctl(int option, unsigned long a, unsigned long b, unsigned long c, unsigned long d)') as (...a: number[]) => number;
  prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
}

function loadUnicorn(): UnicornApi {
  const path = libraryPath();
  if (!existsSync(path)) {
    throw new UnicornLoadError(`libunicorn 2.1.x not found at ${path}: run \`bash scripts/setup.sh\` (or set TSTRACE_UNICORN_LIB)`);
  }
  const k = koffi();
  let lib: ReturnType<Koffi['load']>;
  try {
    lib = k.load(path);
  } catch (e) {
    throw new UnicornLoadError(`cannot load libunicorn at ${path}: ${firstLine(e)}`);
  }
  // The version first: a library of another version may lack the other symbols.
  let packed: number;
  try {
    packed = lib.func('uint32_t uc_version(void *major, void *minor)')(null, null) as number;
  } catch (e) {
    throw new UnicornLoadError(`${path} is not a usable libunicorn: ${firstLine(e)}`);
  }
  const major = (packed >>> 24) & 0xff;
  const minor = (packed >>> 16) & 0xff;
  const patch = (packed >>> 8) & 0xff;
  const version = { major, minor, patch, text: `${major}.${minor}.${patch}` };
  if (major !== 2 || minor !== 1) {
    throw new UnicornLoadError(
      `${path} is Unicorn ${version.text}; tstrace needs 2.1.x: run \`bash scripts/setup.sh\` (or set TSTRACE_UNICORN_LIB)`,
    );
  }
  noHugePages();
  const f = lib.func.bind(lib) as (definition: string) => never;
  return {
    path,
    version,
    uc_open: f('int uc_open(int arch, int mode, uintptr_t uc_out)'),
    uc_close: f('int uc_close(uintptr_t uc)'),
    uc_strerror: f('const char *uc_strerror(int code)'),
    uc_mem_map: f('int uc_mem_map(uintptr_t uc, uint64_t address, size_t size, uint32_t perms)'),
    uc_mem_map_ptr: f('int uc_mem_map_ptr(uintptr_t uc, uint64_t address, size_t size, uint32_t perms, uintptr_t ptr)'),
    uc_mem_unmap: f('int uc_mem_unmap(uintptr_t uc, uint64_t address, size_t size)'),
    uc_mem_protect: f('int uc_mem_protect(uintptr_t uc, uint64_t address, size_t size, uint32_t perms)'),
    uc_mem_read: f('int uc_mem_read(uintptr_t uc, uint64_t address, void *bytes, size_t size)'),
    uc_mem_write: f('int uc_mem_write(uintptr_t uc, uint64_t address, const void *bytes, size_t size)'),
    uc_mem_regions: f('int uc_mem_regions(uintptr_t uc, uintptr_t regions_out, uintptr_t count_out)'),
    uc_free: f('int uc_free(void *mem)'),
    uc_reg_read: f('int uc_reg_read(uintptr_t uc, int regid, uintptr_t value)'),
    uc_reg_write: f('int uc_reg_write(uintptr_t uc, int regid, uintptr_t value)'),
    uc_reg_read2: f('int uc_reg_read2(uintptr_t uc, int regid, void *value, uintptr_t size)'),
    uc_reg_write2: f('int uc_reg_write2(uintptr_t uc, int regid, const void *value, uintptr_t size)'),
    uc_reg_read_batch: f('int uc_reg_read_batch(uintptr_t uc, uintptr_t regs, uintptr_t vals, int count)'),
    uc_reg_write_batch: f('int uc_reg_write_batch(uintptr_t uc, uintptr_t regs, uintptr_t vals, int count)'),
    uc_context_reg_read: f('int uc_context_reg_read(uintptr_t ctx, int regid, uintptr_t value)'),
    uc_context_reg_write: f('int uc_context_reg_write(uintptr_t ctx, int regid, uintptr_t value)'),
    uc_context_reg_read2: f('int uc_context_reg_read2(uintptr_t ctx, int regid, void *value, uintptr_t size)'),
    uc_context_reg_write2: f('int uc_context_reg_write2(uintptr_t ctx, int regid, const void *value, uintptr_t size)'),
    uc_context_reg_read_batch: f('int uc_context_reg_read_batch(uintptr_t ctx, uintptr_t regs, uintptr_t vals, int count)'),
    uc_context_reg_write_batch: f('int uc_context_reg_write_batch(uintptr_t ctx, uintptr_t regs, uintptr_t vals, int count)'),
    uc_hook_add: f('int uc_hook_add(uintptr_t uc, uintptr_t hh_out, int type, void *callback, uintptr_t user_data, uint64_t begin, uint64_t end, ...)'),
    uc_hook_del: f('int uc_hook_del(uintptr_t uc, size_t hh)'),
    uc_emu_start: f('int uc_emu_start(uintptr_t uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count)'),
    uc_emu_stop: f('int uc_emu_stop(uintptr_t uc)'),
    uc_context_alloc: f('int uc_context_alloc(uintptr_t uc, uintptr_t ctx_out)'),
    uc_context_save: f('int uc_context_save(uintptr_t uc, uintptr_t ctx)'),
    uc_context_restore: f('int uc_context_restore(uintptr_t uc, uintptr_t ctx)'),
    uc_context_free: f('int uc_context_free(uintptr_t ctx)'),
    uc_ctl: f('int uc_ctl(uintptr_t uc, int control, ...)'),
  };
}

// The register-snapshot hooks (native/register-snapshot.c), built by scripts/build-native.sh.
const DEFAULT_SNAPSHOT_LIBRARY = join(ROOT, 'packages/unicorn-engine-ts/native/build/libtsu-snapshot.so');

/** The register-snapshot library: $TSTRACE_SNAPSHOT_LIB, else the one scripts/build-native.sh builds. */
export function snapshotLibraryPath(): string {
  const fromEnv = process.env['TSTRACE_SNAPSHOT_LIB'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_SNAPSHOT_LIBRARY;
}

/** The C hooks of the register-snapshot library, as function addresses for uc_hook_add. */
export interface SnapshotApi {
  readonly path: string;
  /** void tsu_snapshot_intr(uc_engine *uc, uint32_t intno, void *user): UC_HOOK_INTR. */
  readonly intr: bigint;
  /** void tsu_snapshot_insn(uc_engine *uc, void *user): UC_HOOK_INSN + UC_X86_INS_SYSCALL. */
  readonly insn: bigint;
  /** void tsu_budget_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user): UC_HOOK_BLOCK (native/block-budget.c). */
  readonly budgetBlock: bigint;
  /** native/time-reads.c: tsu_time_x86_block (UC_HOOK_BLOCK), tsu_time_arm64_mrs (UC_HOOK_INSN + MRS). */
  readonly timeX86Block: bigint;
  readonly timeArm64Mrs: bigint;
  /** void tsu_time_free(struct tsu_time_reads *): frees the x86 block hook's set of blocks. */
  readonly timeFree: (reads: bigint) => void;
  /**
   * Held for the life of the process: koffi unloads a library whose handle is garbage-collected,
   * and Unicorn would then call hooks that are no longer mapped.
   */
  readonly library: NativeLibrary;
}

let snapshotCache: SnapshotApi | undefined;

/**
 * The register-snapshot library, loaded on first call, after libunicorn: it names
 * libunicorn.so.2 without a path, and the dynamic linker matches that soname to the copy
 * already loaded. Throws UnicornLoadError if it is missing or cannot be loaded.
 */
export function snapshotLibrary(): SnapshotApi {
  return (snapshotCache ??= loadSnapshotLibrary());
}

function loadSnapshotLibrary(): SnapshotApi {
  unicorn();
  const path = snapshotLibraryPath();
  if (!existsSync(path)) {
    throw new UnicornLoadError(`register-snapshot library not found at ${path}: run \`bash scripts/setup.sh\` (or set TSTRACE_SNAPSHOT_LIB)`);
  }
  try {
    const lib = NativeLibrary.open(path);
    return { path, intr: lib.symbol('tsu_snapshot_intr'), insn: lib.symbol('tsu_snapshot_insn'), budgetBlock: lib.symbol('tsu_budget_block'),
      timeX86Block: lib.symbol('tsu_time_x86_block'), timeArm64Mrs: lib.symbol('tsu_time_arm64_mrs'),
      timeFree: lib.func('void tsu_time_free(uintptr_t reads)') as (reads: bigint) => void, library: lib };
  } catch (e) {
    // NativeLibrary's messages name the path already.
    throw new UnicornLoadError(`register-snapshot library unusable: ${firstLine(e)}; run \`bash scripts/setup.sh\``);
  }
}

/** The libc functions behind HostMemory. */
export interface LibcApi {
  readonly pageSize: number;
  /** The mapped address, or -1 (MAP_FAILED). */
  mmap(addr: number, length: number, prot: number, flags: number, fd: number, offset: number): number;
  munmap(addr: number, length: number): number;
  madvise(addr: number, length: number, advice: number): number;
  mincore(addr: number, length: number, vec: Uint8Array): number;
  msync(addr: number, length: number, flags: number): number;
  strerror(errnum: number): string;
}

let libcCache: LibcApi | undefined;

export function libc(): LibcApi {
  return (libcCache ??= loadLibc());
}

function loadLibc(): LibcApi {
  const lib = koffi().load('libc.so.6');
  const f = lib.func.bind(lib) as (definition: string) => never;
  const sysconf = lib.func('long sysconf(int name)');
  const _SC_PAGESIZE = 30;
  return {
    pageSize: Number(sysconf(_SC_PAGESIZE)),
    // A signed integer result, so that MAP_FAILED is -1 rather than null or a BigInt.
    mmap: f('intptr_t mmap(uintptr_t addr, size_t length, int prot, int flags, int fd, int64_t offset)'),
    munmap: f('int munmap(uintptr_t addr, size_t length)'),
    madvise: f('int madvise(uintptr_t addr, size_t length, int advice)'),
    mincore: f('int mincore(uintptr_t addr, size_t length, void *vec)'),
    msync: f('int msync(uintptr_t addr, size_t length, int flags)'),
    strerror: f('const char *strerror(int errnum)'),
  };
}

/** A shared library of native helpers (for example the scheduler's C block hook), by absolute path. */
export class NativeLibrary {
  private lib: ReturnType<Koffi['load']> | undefined;
  readonly path: string;

  private constructor(path: string, lib: ReturnType<Koffi['load']>) {
    this.path = path;
    this.lib = lib;
  }

  static open(path: string): NativeLibrary {
    try {
      return new NativeLibrary(path, koffi().load(path));
    } catch (e) {
      throw new Error(`cannot load native library ${path}: ${firstLine(e)}`);
    }
  }

  /** The address of an exported symbol, for Engine.hookNative (callbacks) or as user data. */
  symbol(name: string): bigint {
    if (this.lib === undefined) throw new Error(`${this.path} is closed`);
    let address: unknown;
    try {
      address = this.lib.symbol(name);
    } catch (e) {
      throw new Error(`${this.path} has no symbol ${name}: ${firstLine(e)}`);
    }
    if (typeof address !== 'bigint' || address === 0n) throw new Error(`${this.path} has no symbol ${name}`);
    return address;
  }

  /** A function of the library, callable from JavaScript (a koffi prototype string). */
  func(prototype: string): (...args: unknown[]) => unknown {
    if (this.lib === undefined) throw new Error(`${this.path} is closed`);
    return this.lib.func(prototype) as (...args: unknown[]) => unknown;
  }

  /** Unloads it; hooks still installed that point into it would crash the process. */
  close(): void {
    this.lib?.unload();
    this.lib = undefined;
  }
}
