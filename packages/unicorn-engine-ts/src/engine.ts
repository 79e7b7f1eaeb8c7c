// A Unicorn engine with a typed surface: memory, registers, hooks, execution, contexts, uc_ctl.
import { koffi, unicorn, type UnicornFunctions } from './library.js';
import * as c from './consts.js';
import { HostMemory } from './host-memory.js';

const ERR_NAMES = new Map<number, string>(
  Object.entries(c).filter(([k, v]) => k.startsWith('UC_ERR_') && typeof v === 'number').map(([k, v]) => [v as number, k]),
);

/** A failed Unicorn call: `codeName` is the UC_ERR_* name, `op` the function. */
export class UnicornError extends Error {
  readonly codeName: string;
  constructor(readonly code: number, readonly op: string) {
    const name = ERR_NAMES.get(code) ?? `UC_ERR_${code}`;
    super(`${op}: ${String(unicorn().uc_strerror(code))} (${name})`);
    this.name = 'UnicornError';
    this.codeName = name;
  }
}

function check(code: number, op: string): void {
  if (code !== 0) throw new UnicornError(code, op);
}

export interface MemRegion {
  begin: bigint;
  end: bigint;
  perms: number;
}

export interface HookHandle {
  readonly id: number;
}

type AnyHook = (...args: never[]) => unknown;

interface HookRecord {
  readonly engine: Engine;
  readonly fn: AnyHook;
  readonly native: bigint | number;
}

/** Every live hook by id; the native callbacks pass the id as user_data. */
const hooks = new Map<number, HookRecord>();
let nextHookId = 1;

interface Callbacks {
  intr: unknown;
  syscall: unknown;
  memInvalid: unknown;
  code: unknown;
}
let callbacks: Callbacks | undefined;

/** Runs a hook's function; an exception stops the engine and is rethrown by emuStart. */
function dispatch<T>(id: number, fallback: T, call: (fn: AnyHook) => T): T {
  const rec = hooks.get(id);
  if (rec === undefined) return fallback;
  try {
    return call(rec.fn);
  } catch (e) {
    rec.engine.hookError ??= e;
    rec.engine.emuStop();
    return fallback;
  }
}

/** The native callback types, registered once for the life of the process. */
function nativeCallbacks(): Callbacks {
  if (callbacks !== undefined) return callbacks;
  const intrProto = koffi.proto('void tstrace_hook_intr(void *uc, uint32_t intno, intptr_t user_data)');
  const syscallProto = koffi.proto('void tstrace_hook_syscall(void *uc, intptr_t user_data)');
  const memProto = koffi.proto('bool tstrace_hook_mem(void *uc, int type, uint64_t address, int size, int64_t value, intptr_t user_data)');
  const codeProto = koffi.proto('void tstrace_hook_code(void *uc, uint64_t address, uint32_t size, intptr_t user_data)');
  callbacks = {
    intr: koffi.register((_uc: unknown, intno: number, id: number) => dispatch(id, undefined, (fn) => (fn as (n: number) => void)(intno)), koffi.pointer(intrProto)),
    syscall: koffi.register((_uc: unknown, id: number) => dispatch(id, undefined, (fn) => (fn as () => void)()), koffi.pointer(syscallProto)),
    memInvalid: koffi.register(
      (_uc: unknown, type: number, address: bigint | number, size: number, value: bigint | number, id: number) =>
        dispatch(id, false, (fn) => (fn as (t: number, a: bigint, s: number, v: bigint) => boolean)(type, BigInt(address), size, BigInt(value))),
      koffi.pointer(memProto),
    ),
    code: koffi.register(
      (_uc: unknown, address: bigint | number, size: number, id: number) =>
        dispatch(id, undefined, (fn) => (fn as (a: bigint, s: number) => void)(BigInt(address), size)),
      koffi.pointer(codeProto),
    ),
  };
  return callbacks;
}

/** A saved CPU state (uc_context). */
export class Context {
  constructor(readonly handle: unknown, private readonly fns: UnicornFunctions) {}
  private freed = false;
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.fns.uc_context_free(this.handle);
  }
}

const BATCH_MAX = 12;

const SLOT_WORDS = 8;

interface BatchArea {
  readonly mem: HostMemory;
  readonly ids: Int32Array;
  /** Register i's value is slots[i * SLOT_WORDS] (64-byte slots fit any register). */
  readonly slots: BigUint64Array;
}

/** Host memory for batched register reads: the pointer array uc_reg_read_batch wants, then the slots. */
function makeBatchArea(): BatchArea {
  const mem = HostMemory.reserve(4096);
  const view = mem.view(0, 4096);
  const pointers = new BigUint64Array(view.buffer, view.byteOffset, BATCH_MAX);
  for (let i = 0; i < BATCH_MAX; i++) pointers[i] = mem.ptr + 1024n + BigInt(i * SLOT_WORDS * 8);
  return { mem, ids: new Int32Array(BATCH_MAX), slots: new BigUint64Array(view.buffer, view.byteOffset + 1024, BATCH_MAX * SLOT_WORDS) };
}

const ctl = (type: number, nr: number, rw: number): number => (type | (nr << 26) | (rw << 30)) | 0;

export class Engine {
  private handle: unknown;
  private readonly fns: UnicornFunctions;
  private readonly myHooks = new Set<number>();
  private readonly contexts = new Set<Context>();
  private readonly regBuf = new Uint8Array(64);
  private readonly regView = new DataView(this.regBuf.buffer);
  private batch: BatchArea | undefined;
  /** The first exception a hook threw during the current emuStart. */
  hookError: unknown;

  private constructor(handle: unknown, fns: UnicornFunctions) {
    this.handle = handle;
    this.fns = fns;
  }

  static open(arch: number, mode: number): Engine {
    const fns = unicorn();
    const out: unknown[] = [null];
    check(fns.uc_open(arch, mode, out), 'uc_open');
    return new Engine(out[0], fns);
  }

  close(): void {
    if (this.handle === null) return;
    this.batch?.mem.release();
    for (const id of this.myHooks) hooks.delete(id);
    this.myHooks.clear();
    for (const ctx of this.contexts) ctx.free();
    this.contexts.clear();
    this.fns.uc_close(this.handle);
    this.handle = null;
  }

  // ---- memory ---------------------------------------------------------------------------
  memMap(addr: bigint, size: bigint | number, perms: number): void {
    check(this.fns.uc_mem_map(this.handle, addr, BigInt(size), perms), 'uc_mem_map');
  }
  memMapPtr(addr: bigint, size: bigint | number, perms: number, hostPtr: bigint): void {
    check(this.fns.uc_mem_map_ptr(this.handle, addr, BigInt(size), perms, hostPtr), 'uc_mem_map_ptr');
  }
  memUnmap(addr: bigint, size: bigint | number): void {
    check(this.fns.uc_mem_unmap(this.handle, addr, BigInt(size)), 'uc_mem_unmap');
  }
  memProtect(addr: bigint, size: bigint | number, perms: number): void {
    check(this.fns.uc_mem_protect(this.handle, addr, BigInt(size), perms), 'uc_mem_protect');
  }
  memRead(addr: bigint, size: number): Uint8Array {
    const out = new Uint8Array(size);
    check(this.fns.uc_mem_read(this.handle, addr, out, size), 'uc_mem_read');
    return out;
  }
  memWrite(addr: bigint, data: Uint8Array): void {
    check(this.fns.uc_mem_write(this.handle, addr, data, data.length), 'uc_mem_write');
  }
  memRegions(): MemRegion[] {
    const ptr: unknown[] = [null];
    const count = [0];
    check(this.fns.uc_mem_regions(this.handle, ptr, count), 'uc_mem_regions');
    const n = count[0]!;
    if (n === 0) return [];
    // struct uc_mem_region { uint64_t begin; uint64_t end; uint32_t perms; } (24 bytes)
    const bytes = new Uint8Array(koffi.view(ptr[0], n * 24)).slice();
    this.fns.uc_free(ptr[0]);
    const dv = new DataView(bytes.buffer);
    const out: MemRegion[] = [];
    for (let i = 0; i < n; i++) out.push({ begin: dv.getBigUint64(i * 24, true), end: dv.getBigUint64(i * 24 + 8, true), perms: dv.getUint32(i * 24 + 16, true) });
    return out;
  }

  // ---- registers ------------------------------------------------------------------------
  regRead(id: number): bigint {
    check(this.fns.uc_reg_read(this.handle, id, this.regBuf), 'uc_reg_read');
    return this.regView.getBigUint64(0, true);
  }
  regWrite(id: number, value: bigint): void {
    this.regView.setBigUint64(0, BigInt.asUintN(64, value), true);
    check(this.fns.uc_reg_write(this.handle, id, this.regBuf), 'uc_reg_write');
  }
  /** Reads several 64-bit registers in one FFI call (uc_reg_read_batch). */
  regReadBatch(ids: readonly number[]): bigint[] {
    const n = ids.length;
    if (n > BATCH_MAX) return ids.map((id) => this.regRead(id));
    const b = this.batch ?? (this.batch = makeBatchArea());
    for (let i = 0; i < n; i++) b.ids[i] = ids[i]!;
    check(this.fns.uc_reg_read_batch(this.handle, b.ids, b.mem.ptr, n), 'uc_reg_read_batch');
    const out = new Array<bigint>(n);
    for (let i = 0; i < n; i++) out[i] = b.slots[i * SLOT_WORDS]!;
    return out;
  }

  regWriteBatch(ids: readonly number[], values: readonly bigint[]): void {
    ids.forEach((id, i) => this.regWrite(id, values[i]!));
  }
  regReadBytes(id: number, size: number): Uint8Array {
    const buf = new Uint8Array(Math.max(size, 64));
    check(this.fns.uc_reg_read(this.handle, id, buf), 'uc_reg_read');
    return buf.slice(0, size);
  }
  regWriteBytes(id: number, data: Uint8Array): void {
    const buf = new Uint8Array(Math.max(data.length, 64));
    buf.set(data);
    check(this.fns.uc_reg_write(this.handle, id, buf), 'uc_reg_write');
  }

  // ---- hooks ----------------------------------------------------------------------------
  private addHook(type: number, native: unknown, fn: AnyHook, begin: bigint, end: bigint, extra?: number): HookHandle {
    const id = nextHookId++;
    const out = [0];
    const code = extra === undefined
      ? this.fns.uc_hook_add(this.handle, out, type, native, id, begin, end)
      : this.fns.uc_hook_add(this.handle, out, type, native, id, begin, end, 'int', extra);
    check(code, 'uc_hook_add');
    hooks.set(id, { engine: this, fn, native: out[0]! });
    this.myHooks.add(id);
    return { id };
  }
  hookInterrupt(cb: (intno: number) => void): HookHandle {
    return this.addHook(c.UC_HOOK_INTR, nativeCallbacks().intr, cb, 1n, 0n);
  }
  hookX86Syscall(cb: () => void): HookHandle {
    return this.addHook(c.UC_HOOK_INSN, nativeCallbacks().syscall, cb, 1n, 0n, c.UC_X86_INS_SYSCALL);
  }
  hookMemInvalid(cb: (type: number, address: bigint, size: number, value: bigint) => boolean): HookHandle {
    return this.addHook(c.UC_HOOK_MEM_INVALID, nativeCallbacks().memInvalid, cb, 1n, 0n);
  }
  hookBlock(cb: (address: bigint, size: number) => void, begin = 1n, end = 0n): HookHandle {
    return this.addHook(c.UC_HOOK_BLOCK, nativeCallbacks().code, cb, begin, end);
  }
  hookCode(cb: (address: bigint, size: number) => void, begin = 1n, end = 0n): HookHandle {
    return this.addHook(c.UC_HOOK_CODE, nativeCallbacks().code, cb, begin, end);
  }
  hookDel(h: HookHandle): void {
    const rec = hooks.get(h.id);
    if (rec === undefined) return;
    check(this.fns.uc_hook_del(this.handle, rec.native), 'uc_hook_del');
    hooks.delete(h.id);
    this.myHooks.delete(h.id);
  }

  // ---- execution ------------------------------------------------------------------------
  emuStart(begin: bigint, until: bigint, timeoutUs = 0, count = 0): void {
    this.hookError = undefined;
    const code = this.fns.uc_emu_start(this.handle, begin, until, BigInt(timeoutUs), count);
    if (this.hookError !== undefined) {
      const e = this.hookError;
      this.hookError = undefined;
      throw e;
    }
    check(code, 'uc_emu_start');
  }
  emuStop(): void {
    check(this.fns.uc_emu_stop(this.handle), 'uc_emu_stop');
  }

  // ---- contexts -------------------------------------------------------------------------
  contextSave(into?: Context): Context {
    let ctx = into;
    if (ctx === undefined) {
      const out: unknown[] = [null];
      check(this.fns.uc_context_alloc(this.handle, out), 'uc_context_alloc');
      ctx = new Context(out[0], this.fns);
      this.contexts.add(ctx);
    }
    check(this.fns.uc_context_save(this.handle, ctx.handle), 'uc_context_save');
    return ctx;
  }
  contextRestore(ctx: Context): void {
    check(this.fns.uc_context_restore(this.handle, ctx.handle), 'uc_context_restore');
  }

  // ---- uc_ctl ---------------------------------------------------------------------------
  setCpuModel(model: number): void {
    check(this.fns.uc_ctl(this.handle, ctl(c.UC_CTL_CPU_MODEL, 1, c.UC_CTL_IO_WRITE), 'int', model), 'uc_ctl(CPU_MODEL)');
  }
  setTcgBufferSize(bytes: number): void {
    check(this.fns.uc_ctl(this.handle, ctl(c.UC_CTL_TCG_BUFFER_SIZE, 1, c.UC_CTL_IO_WRITE), 'uint32_t', bytes), 'uc_ctl(TCG_BUFFER_SIZE)');
  }
  removeCache(begin: bigint, end: bigint): void {
    check(this.fns.uc_ctl(this.handle, ctl(c.UC_CTL_TB_REMOVE_CACHE, 2, c.UC_CTL_IO_WRITE), 'uint64_t', begin, 'uint64_t', end), 'uc_ctl(TB_REMOVE_CACHE)');
  }
  flushTlb(): void {
    check(this.fns.uc_ctl(this.handle, ctl(c.UC_CTL_TLB_FLUSH, 0, c.UC_CTL_IO_WRITE)), 'uc_ctl(TLB_FLUSH)');
  }
}

export function unicornVersion(): { major: number; minor: number; patch: number; text: string } {
  const major = [0];
  const minor = [0];
  const packed = unicorn().uc_version(major, minor) as number;
  const patch = (packed >> 8) & 0xff;
  return { major: major[0]!, minor: minor[0]!, patch, text: `${major[0]}.${minor[0]}.${patch}` };
}
