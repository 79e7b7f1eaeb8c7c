// strace's trace classes (-e trace=%file, %desc, ...): which names each class selects, derived
// from the syscall spec (src/abi/syscalls.ts), and the spellings -e trace= accepts.
import { CLASS_ORDER, SYSCALL_SPECS, syscallSpec, type TraceClass } from '../abi/syscalls.js';

export type { TraceClass };

const namesByClass = new Map<TraceClass, string[]>(CLASS_ORDER.map((c) => [c, []]));
for (const spec of SYSCALL_SPECS.values()) for (const c of spec.classes) namesByClass.get(c)!.push(spec.name);
for (const names of namesByClass.values()) Object.freeze(names.sort());

const NONE: readonly TraceClass[] = Object.freeze([]);

/** The classes a syscall belongs to, in CLASS_ORDER; empty for a syscall in no class or unknown. */
export function traceClassesOf(name: string): readonly TraceClass[] {
  return syscallSpec(name)?.classes ?? NONE;
}

/** Every known syscall name in a class, sorted. */
export function syscallsInClass(cls: TraceClass): readonly string[] {
  return namesByClass.get(cls) ?? [];
}

/** Whether strace knows this syscall name at all (on any of the three architectures). */
export function isKnownSyscallName(name: string): boolean {
  return SYSCALL_SPECS.has(name);
}

/**
 * strace's spellings of a class in -e trace=: `%name` for every class, `%%stat` and
 * `%%statfs` for the *_like ones, `%net` as well as `%network`, and the legacy bare
 * names of the seven original classes. Case-sensitive, as strace's lookup
 * (find_xlat_val_case) is: `%FILE` is not a class.
 */
const CLASS_TOKENS: ReadonlyMap<string, TraceClass> = new Map<string, TraceClass>([
  ['%desc', 'desc'],
  ['%file', 'file'],
  ['%memory', 'memory'],
  ['%process', 'process'],
  ['%creds', 'creds'],
  ['%signal', 'signal'],
  ['%ipc', 'ipc'],
  ['%net', 'network'],
  ['%network', 'network'],
  ['%stat', 'stat'],
  ['%lstat', 'lstat'],
  ['%fstat', 'fstat'],
  ['%%stat', 'stat_like'],
  ['%statfs', 'statfs'],
  ['%fstatfs', 'fstatfs'],
  ['%%statfs', 'statfs_like'],
  ['%pure', 'pure'],
  ['%clock', 'clock'],
  // legacy class names
  ['desc', 'desc'],
  ['file', 'file'],
  ['memory', 'memory'],
  ['process', 'process'],
  ['signal', 'signal'],
  ['ipc', 'ipc'],
  ['network', 'network'],
]);

/** Parses a class token of -e trace=; undefined if it is not a class (e.g. a syscall name). */
export function parseTraceClass(token: string): TraceClass | undefined {
  return CLASS_TOKENS.get(token);
}
