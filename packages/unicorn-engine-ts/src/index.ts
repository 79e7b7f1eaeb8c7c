// unicorn-engine-ts: a typed binding to Unicorn 2.1.1 over koffi. Nothing above this package
// calls koffi; it knows nothing of Linux.
export {
  Engine,
  Context,
  unicornVersion,
  type MemRegion,
  type HookHandle,
  type RegisterHook,
  type CodeHook,
  type InterruptHook,
  type MemAccessHook,
  type MemInvalidHook,
  type SyscallHook,
} from './engine.js';
export { HostMemory } from './host-memory.js';
export { BlockBudget, BUDGET_NEVER } from './block-budget.js';
export { TimeReads, type TimeRead, type TimeReadHook, type TimeReadKind } from './time-reads.js';
export { watchHostSignals, HostSignalWatch } from './host-signals.js';
export { RegisterSnapshot, SNAPSHOT_MAX_REGS } from './register-snapshot.js';
export { UnicornError, UnicornLoadError, HostMemoryError } from './errors.js';
export { NativeLibrary, libraryPath, snapshotLibraryPath, type UnicornVersion } from './library.js';
export * from './consts.js';
