// Every syscall's decoder, by name: the family tables extend the syscall spec (a name decoded
// twice, or not in the spec, throws at load), rows turned into decoders once. Names without a
// decoder (including strace's `syscall_0x3e8` for unknown numbers) get strace's printargs:
// their arguments in hex, as many as the spec says.
import type { SyscallDecoder } from './types.js';
import { rawDecoder, rowDecoder, type SyscallEntry, type SyscallTable } from './args.js';
import { extendSpec, syscallSpec } from '../../abi/syscalls.js';
import { FS_SYSCALLS } from './fs.js';
import { MM_SYSCALLS } from './mm.js';
import { PROCESS_SYSCALLS } from './process.js';
import { SIGNAL_SYSCALLS } from './signal.js';
import { TIME_SYSCALLS } from './time.js';
import { POLL_SYSCALLS } from './poll.js';
import { NET_SYSCALLS } from './net.js';
import { MISC_SYSCALLS } from './misc.js';
import { NAMESPACE_SYSCALLS } from './namespace.js';
import { FS_METADATA_SYSCALLS } from './fs-metadata.js';
import { CAPABILITY_SYSCALLS } from './capability.js';
import { PTRACE_SYSCALLS } from './ptrace.js';
import { PRCTL_SYSCALLS } from './prctl.js';
import { SECCOMP_SYSCALLS } from './seccomp.js';

const ENTRIES: ReadonlyMap<string, SyscallEntry> = extendSpec<SyscallEntry>('tracer decoders', {
  fs: FS_SYSCALLS,
  'fs-metadata': FS_METADATA_SYSCALLS,
  mm: MM_SYSCALLS,
  process: PROCESS_SYSCALLS,
  prctl: PRCTL_SYSCALLS,
  seccomp: SECCOMP_SYSCALLS,
  signal: SIGNAL_SYSCALLS,
  time: TIME_SYSCALLS,
  poll: POLL_SYSCALLS,
  net: NET_SYSCALLS,
  misc: MISC_SYSCALLS,
  namespace: NAMESPACE_SYSCALLS,
  capability: CAPABILITY_SYSCALLS,
  ptrace: PTRACE_SYSCALLS,
});

const decoders = new Map<string, SyscallDecoder>();

/** strace's number of arguments for a syscall (the spec's); 6 for names it does not know. */
export function argCount(name: string): number {
  return syscallSpec(name)?.nargs ?? 6;
}

/** The decoder for a syscall name as strace prints it. */
export function decoderFor(name: string): SyscallDecoder {
  let d = decoders.get(name);
  if (d === undefined) {
    const e = ENTRIES.get(name);
    if (e === undefined) d = rawDecoder(argCount(name));
    else d = 'decoder' in e ? e.decoder : rowDecoder(e);
    decoders.set(name, d);
  }
  return d;
}

/** Whether a syscall has a decoder of its own (not the hex fallback). */
export function isDecoded(name: string): boolean {
  return ENTRIES.has(name);
}

/** Every syscall name with a decoder (for the README's support table). */
export function decodedSyscalls(): readonly string[] {
  return [...ENTRIES.keys()].sort();
}
