// Every syscall's decoder, by name: the family tables merged, rows turned into decoders once.
// Names the tables do not know (including strace's `syscall_0x3e8` for unknown numbers) get
// strace's printargs: their arguments in hex.
import type { SyscallDecoder } from './types.js';
import { rawDecoder, rowDecoder, type SyscallEntry, type SyscallTable } from './args.js';
import { SYSCALL_ARG_COUNT } from './syscall-info.js';
import { FS_SYSCALLS } from './fs.js';
import { MM_SYSCALLS } from './mm.js';
import { PROCESS_SYSCALLS } from './process.js';
import { SIGNAL_SYSCALLS } from './signal.js';
import { TIME_SYSCALLS } from './time.js';
import { POLL_SYSCALLS } from './poll.js';
import { NET_SYSCALLS } from './net.js';
import { MISC_SYSCALLS } from './misc.js';
import { FS_METADATA_SYSCALLS } from './fs-metadata.js';

const FAMILIES: readonly SyscallTable[] = [
  FS_SYSCALLS, FS_METADATA_SYSCALLS, MM_SYSCALLS, PROCESS_SYSCALLS, SIGNAL_SYSCALLS, TIME_SYSCALLS, POLL_SYSCALLS, NET_SYSCALLS, MISC_SYSCALLS,
];

const ENTRIES: ReadonlyMap<string, SyscallEntry> = (() => {
  const m = new Map<string, SyscallEntry>();
  for (const table of FAMILIES) {
    for (const [name, entry] of Object.entries(table)) {
      if (m.has(name)) throw new Error(`syscall ${name} is decoded by two families`);
      m.set(name, entry);
    }
  }
  return m;
})();

const decoders = new Map<string, SyscallDecoder>();

/** strace's number of arguments for a syscall; 6 for names it does not know. */
export function argCount(name: string): number {
  const e = ENTRIES.get(name);
  if (e !== undefined) return 'decoder' in e ? e.nargs : e.args.length;
  return SYSCALL_ARG_COUNT.get(name) ?? 6;
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
