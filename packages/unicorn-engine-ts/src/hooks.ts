// JavaScript hooks: one native trampoline per hook kind, registered once for the life of the
// process (registering inside a callback breaks koffi), and a table from hook id to function.
// Unicorn passes the hook's id back as user_data; the trampoline looks the hook up and calls it.
//
// A hook that throws must not be swallowed (koffi would return 0 to Unicorn and the guest would
// run on): the trampoline hands the exception to the hook's owner, which stops the engine and
// rethrows it from emuStart.
import { koffi } from './library.js';

/** The engine a hook belongs to, as the trampolines see it. */
export interface HookOwner {
  /** A hook threw: remember the exception and stop emulation. */
  hookFailed(error: unknown): void;
}

export type InterruptHook = (intno: number) => void;
export type SyscallHook = () => void;
export type MemInvalidHook = (type: number, address: bigint, size: number, value: bigint) => boolean;
export type CodeHook = (address: bigint, size: number) => void;
/** A guest load or store (type UC_MEM_READ/UC_MEM_WRITE), before it happens. */
export type MemAccessHook = (type: number, address: bigint, size: number, value: bigint) => void;

/** One of the hook types above; which one follows from the trampoline that calls it. */
export type HookFn = InterruptHook | SyscallHook | MemInvalidHook | CodeHook | MemAccessHook;

interface HookRecord {
  readonly owner: HookOwner;
  readonly fn: HookFn;
}

// Indexed by hook id (small, increasing, never reused): an array lookup on every hook call.
const table: (HookRecord | undefined)[] = [];
let lastId = 0;

/** A new hook id, unique in the process and never reused. */
export function newHookId(): number {
  return ++lastId;
}

/** Enters a JavaScript hook in the table the trampolines dispatch through. */
export function addHookRecord(id: number, owner: HookOwner, fn: HookFn): void {
  table[id] = { owner, fn };
}

export function removeHookRecord(id: number): void {
  table[id] = undefined;
}

// The native callbacks receive uc and user_data as integers (uintptr_t): uc is unused, user_data
// is the hook id. 64-bit values arrive as numbers when they fit, so BigInt() normalises them.

function onInterrupt(_uc: number, intno: number, id: number): void {
  const h = table[id];
  if (h === undefined) return;
  try {
    (h.fn as InterruptHook)(intno);
  } catch (e) {
    h.owner.hookFailed(e);
  }
}

function onSyscall(_uc: number, id: number): void {
  const h = table[id];
  if (h === undefined) return;
  try {
    (h.fn as SyscallHook)();
  } catch (e) {
    h.owner.hookFailed(e);
  }
}

function onMemInvalid(_uc: number, type: number, address: number | bigint, size: number, value: number | bigint, id: number): boolean {
  const h = table[id];
  if (h === undefined) return false;
  try {
    return (h.fn as MemInvalidHook)(type, BigInt(address), size, BigInt(value)) === true;
  } catch (e) {
    h.owner.hookFailed(e);
    return false;
  }
}

function onMemAccess(_uc: number, type: number, address: number | bigint, size: number, value: number | bigint, id: number): void {
  const h = table[id];
  if (h === undefined) return;
  try {
    (h.fn as MemAccessHook)(type, BigInt(address), size, BigInt(value));
  } catch (e) {
    h.owner.hookFailed(e);
  }
}

function onCode(_uc: number, address: number | bigint, size: number, id: number): void {
  const h = table[id];
  if (h === undefined) return;
  try {
    (h.fn as CodeHook)(BigInt(address), size);
  } catch (e) {
    h.owner.hookFailed(e);
  }
}

export interface Trampolines {
  /** uc_cb_hookintr_t */
  readonly interrupt: bigint;
  /** uc_cb_insn_syscall_t */
  readonly syscall: bigint;
  /** uc_cb_eventmem_t */
  readonly memInvalid: bigint;
  /** uc_cb_hookcode_t, for UC_HOOK_CODE and UC_HOOK_BLOCK alike */
  readonly code: bigint;
  /** uc_cb_hookmem_t */
  readonly memAccess: bigint;
}

let trampolineCache: Trampolines | undefined;

export function trampolines(): Trampolines {
  if (trampolineCache !== undefined) return trampolineCache;
  const k = koffi();
  const reg = (fn: (...args: never[]) => unknown, signature: string): bigint =>
    k.register(fn, k.pointer(k.proto(signature)));
  trampolineCache = {
    interrupt: reg(onInterrupt, 'void tstrace_uc_hook_intr(uintptr_t uc, uint32_t intno, uintptr_t user_data)'),
    syscall: reg(onSyscall, 'void tstrace_uc_hook_syscall(uintptr_t uc, uintptr_t user_data)'),
    memInvalid: reg(
      onMemInvalid,
      'bool tstrace_uc_hook_mem_invalid(uintptr_t uc, int type, uint64_t address, int size, int64_t value, uintptr_t user_data)',
    ),
    code: reg(onCode, 'void tstrace_uc_hook_code(uintptr_t uc, uint64_t address, uint32_t size, uintptr_t user_data)'),
    memAccess: reg(
      onMemAccess,
      'void tstrace_uc_hook_mem(uintptr_t uc, int type, uint64_t address, int size, int64_t value, uintptr_t user_data)',
    ),
  };
  return trampolineCache;
}
