// The contract between the tracer's stop loop and the per-syscall decoders.
import type { ArchDescriptor } from '../../arch/types.js';

/** Reads the tracee's memory (through ptrace, never the CPU binding). null: the range is not readable (EFAULT). */
export interface TraceeMemory {
  read(addr: bigint, length: number): Uint8Array | null;
  /**
   * Reads a NUL-terminated string of at most `max` bytes. `terminated` is false when no NUL
   * came within `max` bytes; null when the first byte is unreadable.
   */
  readCString(addr: bigint, max: number): { bytes: Uint8Array; terminated: boolean } | null;
}

/** How constants are shown: strace's -X. */
export type XlatStyle = 'abbrev' | 'raw' | 'verbose';

export interface DecodeOptions {
  /** -s: the longest string printed before `...`. */
  readonly stringLimit: number;
  /** -v: print whole structures and arrays (argv, envp, stat fields). */
  readonly verbose: boolean;
  readonly xlat: XlatStyle;
  /** -y: fd paths, e.g. 3</etc/passwd>. */
  readonly decodeFds: boolean;
  /** -e verbose=: false when this call's structures are printed as addresses only. */
  readonly structs?: boolean;
  /** -Y: a process's command name after its pid, `1234<prog>`. */
  readonly pidComm?: boolean;
  /** --decode-pids=pidns: a pid the tracee's namespace names otherwise is followed by strace's id. */
  readonly pidNs?: boolean;
  /** -yy / --decode-fds=: the details after a descriptor beyond its path (socket, dev). */
  readonly fdDetails?: ReadonlySet<string>;
}

export interface DecodeContext {
  readonly arch: ArchDescriptor;
  readonly mem: TraceeMemory;
  readonly options: DecodeOptions;
  /** The six raw argument registers at syscall entry. */
  readonly args: readonly bigint[];
  /** -y: the path behind a descriptor of the tracee, if known (AT_FDCWD: the working directory). */
  fdPath(fd: number): string | undefined;
  /** Whether descriptor fd's file was unlinked (fdPath then ends in " (deleted)"); absent: trust the suffix. */
  fdDeleted?(fd: number): boolean;
  /** The protocol of descriptor fd of the tracee if it is a netlink socket (its buffers decode as netlink messages). */
  netlinkProtocol?(fd: number): number | undefined;
  /** -Y: the command name of the process (or thread) `pid`, if there is one. */
  commOf?(pid: number): string | undefined;
  /** The id (strace's, the root pid namespace's) of what the tracee calls `pid`; 0: none such. */
  stracePid?(pid: number): number;
  /** The task's previous syscall, by name (restart_syscall names the call it resumes). */
  readonly previousSyscall?: string;
  /** The stack pointer at syscall entry (read on demand; rt_sigreturn finds its frame there). */
  readonly stackPointer?: bigint;
}

export interface ExitContext extends DecodeContext {
  /** The raw return register at syscall exit (a negative errno is an error). */
  readonly ret: bigint;
}

/**
 * What a decoder printed at syscall entry. `text` holds the arguments known at entry (the whole
 * list for most calls, or a prefix ending in ", " when later arguments are outputs); `state`
 * carries whatever the exit half needs that memory may no longer hold.
 */
export interface EntryText {
  readonly text: string;
  readonly state?: unknown;
}

export interface ExitText {
  /** Appended to the entry text, before the closing parenthesis. */
  readonly text: string;
  /** Everything after "= ": "3", "-1 ENOENT (No such file or directory)", "0x7f00 (flags ...)". */
  readonly ret: string;
}

export interface SyscallDecoder {
  enter(ctx: DecodeContext): EntryText;
  exit(ctx: ExitContext, entry: EntryText): ExitText;
  /** Whether arguments are left for the exit (a call that never returns then ends ` <unfinished ...>) = ?`). */
  readonly exitPrints?: boolean;
}
