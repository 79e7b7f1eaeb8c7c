// unicorn-engine-ts: a typed binding to Unicorn 2.1.1 over koffi. Nothing above this package
// calls koffi.
export { Engine, Context, UnicornError, unicornVersion, type MemRegion, type HookHandle } from './engine.js';
export { HostMemory } from './host-memory.js';
export { UnicornLoadError, libraryPath } from './library.js';
export * from './consts.js';
