// Loading libunicorn 2.1.x by absolute path and declaring its functions for koffi, once.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;
export interface KoffiLike {
  load(path: string): { func(sig: string): Fn };
  proto(sig: string): unknown;
  pointer(t: unknown): unknown;
  register(fn: Fn, t: unknown): unknown;
  decode(p: unknown, t: string, len?: number): unknown;
  view(p: unknown, len: number): ArrayBuffer;
  errno(): number;
}
export const koffi = require('koffi') as KoffiLike;

export class UnicornLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnicornLoadError';
  }
}

/** The project root: the compiled module lives in dist/packages/unicorn-engine-ts/src/. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'packages'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function libraryPath(): string {
  return process.env['TSTRACE_UNICORN_LIB'] ?? resolve(repoRoot(), 'vendor/unicorn/usr/lib/x86_64-linux-gnu/libunicorn.so.2');
}

export interface UnicornFunctions {
  uc_version: Fn; uc_open: Fn; uc_close: Fn; uc_strerror: Fn;
  uc_mem_map: Fn; uc_mem_map_ptr: Fn; uc_mem_unmap: Fn; uc_mem_protect: Fn;
  uc_mem_read: Fn; uc_mem_write: Fn; uc_mem_regions: Fn; uc_free: Fn;
  uc_reg_read: Fn; uc_reg_write: Fn; uc_reg_read_batch: Fn;
  uc_hook_add: Fn; uc_hook_del: Fn; uc_emu_start: Fn; uc_emu_stop: Fn;
  uc_context_alloc: Fn; uc_context_save: Fn; uc_context_restore: Fn; uc_context_free: Fn;
  uc_ctl: Fn;
}

let fns: UnicornFunctions | undefined;

export function unicorn(): UnicornFunctions {
  if (fns !== undefined) return fns;
  const path = libraryPath();
  if (!existsSync(path)) throw new UnicornLoadError(`Unicorn 2.1.1 not found at ${path}; run 'bash scripts/setup.sh'`);
  let lib;
  try {
    lib = koffi.load(path);
  } catch (e) {
    throw new UnicornLoadError(`cannot load ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  const f = (sig: string): Fn => lib.func(sig);
  const loaded: UnicornFunctions = {
    uc_version: f('uint32_t uc_version(_Out_ uint32_t *major, _Out_ uint32_t *minor)'),
    uc_open: f('int uc_open(int arch, int mode, _Out_ void **uc)'),
    uc_close: f('int uc_close(void *uc)'),
    uc_strerror: f('const char *uc_strerror(int code)'),
    uc_mem_map: f('int uc_mem_map(void *uc, uint64_t address, size_t size, uint32_t perms)'),
    uc_mem_map_ptr: f('int uc_mem_map_ptr(void *uc, uint64_t address, size_t size, uint32_t perms, uint64_t ptr)'),
    uc_mem_unmap: f('int uc_mem_unmap(void *uc, uint64_t address, size_t size)'),
    uc_mem_protect: f('int uc_mem_protect(void *uc, uint64_t address, size_t size, uint32_t perms)'),
    uc_mem_read: f('int uc_mem_read(void *uc, uint64_t address, _Out_ uint8_t *bytes, size_t size)'),
    uc_mem_write: f('int uc_mem_write(void *uc, uint64_t address, const uint8_t *bytes, size_t size)'),
    uc_mem_regions: f('int uc_mem_regions(void *uc, _Out_ void **regions, _Out_ uint32_t *count)'),
    uc_free: f('int uc_free(void *mem)'),
    uc_reg_read: f('int uc_reg_read(void *uc, int regid, _Out_ uint8_t *value)'),
    uc_reg_write: f('int uc_reg_write(void *uc, int regid, const uint8_t *value)'),
    // vals is passed as the address of a pointer array the engine keeps in host memory.
    uc_reg_read_batch: f('int uc_reg_read_batch(void *uc, int32_t *regs, uint64_t vals, int count)'),
    uc_hook_add: f('int uc_hook_add(void *uc, _Out_ size_t *hh, int type, void *callback, intptr_t user_data, uint64_t begin, uint64_t end, ...)'),
    uc_hook_del: f('int uc_hook_del(void *uc, size_t hh)'),
    uc_emu_start: f('int uc_emu_start(void *uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count)'),
    uc_emu_stop: f('int uc_emu_stop(void *uc)'),
    uc_context_alloc: f('int uc_context_alloc(void *uc, _Out_ void **context)'),
    uc_context_save: f('int uc_context_save(void *uc, void *context)'),
    uc_context_restore: f('int uc_context_restore(void *uc, void *context)'),
    uc_context_free: f('int uc_context_free(void *context)'),
    uc_ctl: f('int uc_ctl(void *uc, int control, ...)'),
  };
  const major = [0];
  const minor = [0];
  loaded.uc_version(major, minor);
  if (major[0] !== 2 || minor[0] !== 1) {
    throw new UnicornLoadError(`${path} is Unicorn ${major[0]}.${minor[0]}; tstrace needs 2.1.x (run 'bash scripts/setup.sh')`);
  }
  fns = loaded;
  return loaded;
}
