// -P PATH: only calls that touch PATH are shown: a path argument equal to PATH (or to its
// resolved form), or a descriptor argument whose file is PATH. Which arguments are paths or
// descriptors comes from the table below; other calls of the %file class have their path
// first, of the %desc class their descriptor first (as strace assumes); the rest never match.
import { realpathSync } from 'node:fs';
import { traceClassesOf } from './trace-classes.js';
import type { TraceeMemory } from './decode/types.js';

type ArgKind = 'path' | 'fd';
/** Per syscall: the kind of each argument that can refer to a file (undefined: neither). */
const SHAPES: Readonly<Record<string, readonly (ArgKind | undefined)[]>> = {
  openat: ['fd', 'path'], openat2: ['fd', 'path'], faccessat: ['fd', 'path'], faccessat2: ['fd', 'path'],
  newfstatat: ['fd', 'path'], fstatat64: ['fd', 'path'], statx: ['fd', 'path'], readlinkat: ['fd', 'path'],
  unlinkat: ['fd', 'path'], mkdirat: ['fd', 'path'], mknodat: ['fd', 'path'], fchmodat: ['fd', 'path'], fchmodat2: ['fd', 'path'],
  fchownat: ['fd', 'path'], utimensat: ['fd', 'path'], futimesat: ['fd', 'path'], execveat: ['fd', 'path'],
  name_to_handle_at: ['fd', 'path'], open_tree: ['fd', 'path'], inotify_add_watch: ['fd', 'path'],
  renameat: ['fd', 'path', 'fd', 'path'], renameat2: ['fd', 'path', 'fd', 'path'], linkat: ['fd', 'path', 'fd', 'path'],
  rename: ['path', 'path'], link: ['path', 'path'], // A symlink's target is not a file the call touches, only the new link is.
  symlink: [undefined, 'path'], symlinkat: [undefined, 'fd', 'path'],
  mount: ['path', 'path'], pivot_root: ['path', 'path'],
  dup2: ['fd', 'fd'], dup3: ['fd', 'fd'], sendfile: ['fd', 'fd'], splice: ['fd', undefined, 'fd'], tee: ['fd', 'fd'],
  copy_file_range: ['fd', undefined, 'fd'], mmap: [undefined, undefined, undefined, undefined, 'fd'],
  fanotify_mark: ['fd', undefined, undefined, 'fd', 'path'], move_mount: ['fd', 'path', 'fd', 'path'],
  // select, pselect6, poll and ppoll have their descriptors in arrays (see matches).
  select: [], pselect6: [], poll: [], ppoll: [],
};

export interface PathTraceHost {
  readonly mem: TraceeMemory;
  fdPath(fd: number): string | undefined;
}

export class PathTracer {
  private readonly paths = new Set<string>();
  /** strace's "Requested path ... resolved into ..." lines, for stderr. */
  readonly notes: string[] = [];

  constructor(requested: readonly string[]) {
    for (const p of requested) {
      this.paths.add(p);
      let resolved: string | undefined;
      try {
        resolved = realpathSync(p);
      } catch {
        resolved = undefined;
      }
      if (resolved !== undefined && resolved !== p) {
        this.paths.add(resolved);
        this.notes.push(`Requested path "${p}" resolved into "${resolved}"`);
      }
    }
  }

  /** Whether the call touches one of the paths. */
  matches(name: string, args: readonly bigint[], host: PathTraceHost): boolean {
    if (name === 'select' || name === 'pselect6') return this.fdSetsMatch(args, host);
    if (name === 'poll' || name === 'ppoll') return this.pollFdsMatch(args, host);
    let shape = SHAPES[name];
    if (shape === undefined) {
      const classes = traceClassesOf(name);
      shape = classes.includes('file') ? ['path'] : classes.includes('desc') ? ['fd'] : [];
    }
    for (let i = 0; i < shape.length; i++) {
      const kind = shape[i];
      const v = args[i];
      if (kind === undefined || v === undefined) continue;
      if (kind === 'fd' ? this.fdMatches(v, host) : this.pathMatches(v, host.mem)) return true;
    }
    return false;
  }

  private fdMatches(v: bigint, host: PathTraceHost): boolean {
    const fd = Number(BigInt.asIntN(32, v));
    if (fd < 0) return false;
    const p = host.fdPath(fd);
    return p !== undefined && this.paths.has(p);
  }

  /** select's three fd_sets (of nfds bits, at most 2^20; an unreadable one is skipped): whether one holds a traced descriptor. */
  private fdSetsMatch(args: readonly bigint[], host: PathTraceHost): boolean {
    let nfds = Number(BigInt.asIntN(32, args[0] ?? 0n));
    if (nfds <= 0) return false;
    if (nfds > 1 << 20) nfds = 1 << 20;
    const size = ((nfds + 7) >> 3) + 7 & ~7;
    for (let i = 1; i <= 3; i++) {
      const addr = args[i] ?? 0n;
      if (addr === 0n) continue;
      const bits = host.mem.read(addr, size);
      if (bits === null) continue;
      for (let fd = 0; fd < nfds; fd++) {
        if ((bits[fd >> 3]! & (1 << (fd & 7))) !== 0 && this.fdMatches(BigInt(fd), host)) return true;
      }
    }
    return false;
  }

  /** poll's struct pollfd array (at most 2^20 entries, up to an unreadable one): whether it names a traced descriptor. */
  private pollFdsMatch(args: readonly bigint[], host: PathTraceHost): boolean {
    const start = BigInt.asUintN(64, args[0] ?? 0n);
    let nfds = Number(BigInt.asUintN(32, args[1] ?? 0n));
    if (nfds > 1 << 20) nfds = 1 << 20;
    if (nfds === 0 || start + BigInt(8 * nfds) > 0xffffffffffffffffn) return false;
    for (let i = 0; i < nfds; i++) {
      const entry = host.mem.read(start + BigInt(8 * i), 8);
      if (entry === null) break;
      const fd = entry[0]! | (entry[1]! << 8) | (entry[2]! << 16) | (entry[3]! << 24);
      if (this.fdMatches(BigInt(fd), host)) return true;
    }
    return false;
  }

  /** Whether a path, as a string the program used, is one of the traced paths. */
  matchesPath(path: string): boolean {
    return this.paths.has(path);
  }

  private pathMatches(addr: bigint, mem: TraceeMemory): boolean {
    if (addr === 0n) return false;
    const s = mem.readCString(addr, 4096);
    if (s === null || !s.terminated) return false;
    return this.paths.has(Buffer.from(s.bytes).toString('latin1'));
  }
}
