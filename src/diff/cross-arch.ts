// `--cross-arch`: calls that differ only by architecture, folded into one form.
//
// A program built for x86_64 calls open, stat, pipe, poll, dup2, fork…; built for aarch64 or
// riscv64 (which have only the newer calls) the same source calls openat, newfstatat, pipe2,
// ppoll, dup3, clone. Folding both spellings into one lets a native x86_64 log and an emulated
// aarch64 run compare line by line. Each row rewrites the name and arguments of one call into
// the canonical (generic-ABI) form, dropping arguments that only one spelling has (poll's
// millisecond timeout vs ppoll's timespec); calls that exist on one architecture only and have
// no counterpart (arch_prctl) are dropped.

export interface FoldedCall {
  readonly name: string;
  readonly args: readonly string[];
  /** A rewritten return text, when the spellings print it differently. */
  readonly ret?: string;
}

type Fold = (args: readonly string[], ret: string) => FoldedCall | null;

const AT = 'AT_FDCWD';

function withDefaults(args: readonly string[], count: number, fill: string): string[] {
  const out = args.slice(0, count);
  while (out.length < count) out.push(fill);
  return out;
}

/** `clone(child_stack=…, flags=X, …)` / `clone3({flags=X, …, exit_signal=S, …}, 88)` → X|S. */
function cloneFlags(args: readonly string[]): string {
  const text = args.join(', ');
  const flags = /\bflags=([A-Z0-9_|x]+)/.exec(text)?.[1] ?? '0';
  const sig = /\bexit_signal=([A-Z0-9_]+)/.exec(text)?.[1];
  const parts = flags === '0' ? [] : flags.split('|');
  if (sig !== undefined && sig !== '0' && !parts.includes(sig)) parts.push(sig);
  return parts.length === 0 ? '0' : parts.join('|');
}

const cloneLike = (flags: string): FoldedCall => ({ name: 'clone', args: [`flags=${flags}`] });

/** Drops select's/pselect6's remaining-time report from the return text. */
function dropLeft(ret: string): string {
  return ret.replace(/,? left \{[^}]*\}/, '').replace(/ \(\)$/, '');
}

const drop: Fold = () => null;

const FOLDS: Readonly<Record<string, Fold>> = {
  open: (a) => ({ name: 'openat', args: [AT, ...a] }),
  creat: (a) => ({ name: 'openat', args: [AT, a[0] ?? '', 'O_WRONLY|O_CREAT|O_TRUNC', ...a.slice(1)] }),
  stat: (a) => ({ name: 'newfstatat', args: [AT, a[0] ?? '', a[1] ?? '', '0'] }),
  stat64: (a) => ({ name: 'newfstatat', args: [AT, a[0] ?? '', a[1] ?? '', '0'] }),
  lstat: (a) => ({ name: 'newfstatat', args: [AT, a[0] ?? '', a[1] ?? '', 'AT_SYMLINK_NOFOLLOW'] }),
  lstat64: (a) => ({ name: 'newfstatat', args: [AT, a[0] ?? '', a[1] ?? '', 'AT_SYMLINK_NOFOLLOW'] }),
  fstat: (a) => ({ name: 'newfstatat', args: [a[0] ?? '', '""', a[1] ?? '', 'AT_EMPTY_PATH'] }),
  fstat64: (a) => ({ name: 'newfstatat', args: [a[0] ?? '', '""', a[1] ?? '', 'AT_EMPTY_PATH'] }),
  fstatat64: (a) => ({ name: 'newfstatat', args: a }),
  access: (a) => ({ name: 'faccessat', args: [AT, ...a] }),
  faccessat2: (a) => ({ name: 'faccessat', args: a[3] === '0' ? a.slice(0, 3) : a }),
  mkdir: (a) => ({ name: 'mkdirat', args: [AT, ...a] }),
  mknod: (a) => ({ name: 'mknodat', args: [AT, ...a] }),
  unlink: (a) => ({ name: 'unlinkat', args: [AT, a[0] ?? '', '0'] }),
  rmdir: (a) => ({ name: 'unlinkat', args: [AT, a[0] ?? '', 'AT_REMOVEDIR'] }),
  rename: (a) => ({ name: 'renameat2', args: [AT, a[0] ?? '', AT, a[1] ?? '', '0'] }),
  renameat: (a) => ({ name: 'renameat2', args: [...a, '0'] }),
  link: (a) => ({ name: 'linkat', args: [AT, a[0] ?? '', AT, a[1] ?? '', '0'] }),
  symlink: (a) => ({ name: 'symlinkat', args: [a[0] ?? '', AT, a[1] ?? ''] }),
  readlink: (a) => ({ name: 'readlinkat', args: [AT, ...a] }),
  chmod: (a) => ({ name: 'fchmodat', args: [AT, ...a] }),
  chown: (a) => ({ name: 'fchownat', args: [AT, ...a, '0'] }),
  lchown: (a) => ({ name: 'fchownat', args: [AT, ...a, 'AT_SYMLINK_NOFOLLOW'] }),
  getdents: (a) => ({ name: 'getdents64', args: a }),
  umount: (a) => ({ name: 'umount2', args: [a[0] ?? '', '0'] }),
  dup2: (a) => ({ name: 'dup3', args: [a[0] ?? '', a[1] ?? '', '0'] }),
  pipe: (a) => ({ name: 'pipe2', args: [a[0] ?? '', '0'] }),
  poll: (a) => ({ name: 'ppoll', args: a.slice(0, 2) }),
  ppoll: (a) => ({ name: 'ppoll', args: a.slice(0, 2) }),
  select: (a, r) => ({ name: 'pselect6', args: a.slice(0, 4), ret: dropLeft(r) }),
  _newselect: (a, r) => ({ name: 'pselect6', args: a.slice(0, 4), ret: dropLeft(r) }),
  pselect6: (a, r) => ({ name: 'pselect6', args: a.slice(0, 4), ret: dropLeft(r) }),
  epoll_wait: (a) => ({ name: 'epoll_pwait', args: a.slice(0, 3) }),
  epoll_pwait: (a) => ({ name: 'epoll_pwait', args: a.slice(0, 3) }),
  epoll_pwait2: (a) => ({ name: 'epoll_pwait', args: a.slice(0, 3) }),
  epoll_create: () => ({ name: 'epoll_create1', args: ['0'] }),
  inotify_init: () => ({ name: 'inotify_init1', args: ['0'] }),
  eventfd: (a) => ({ name: 'eventfd2', args: [a[0] ?? '', '0'] }),
  signalfd: (a) => ({ name: 'signalfd4', args: [...withDefaults(a, 3, ''), '0'] }),
  getpgrp: () => ({ name: 'getpgid', args: ['0'] }),
  getrlimit: (a) => ({ name: 'prlimit64', args: ['0', a[0] ?? '', 'NULL', a[1] ?? ''] }),
  ugetrlimit: (a) => ({ name: 'prlimit64', args: ['0', a[0] ?? '', 'NULL', a[1] ?? ''] }),
  setrlimit: (a) => ({ name: 'prlimit64', args: ['0', a[0] ?? '', a[1] ?? '', 'NULL'] }),
  waitpid: (a) => ({ name: 'wait4', args: [...withDefaults(a, 3, '0'), 'NULL'] }),
  sendfile64: (a) => ({ name: 'sendfile', args: a }),
  mmap2: (a) => ({ name: 'mmap', args: a }),
  fork: () => cloneLike('SIGCHLD'),
  vfork: () => cloneLike('CLONE_VM|CLONE_VFORK|SIGCHLD'),
  clone: (a) => cloneLike(cloneFlags(a)),
  clone3: (a) => cloneLike(cloneFlags(a)),
  // x86 keeps its signal trampoline in sa_restorer; the generic ABI has none.
  rt_sigaction: (a) => ({
    name: 'rt_sigaction',
    args: a.map((x) => x.replace(/\|SA_RESTORER\b|\bSA_RESTORER\|/g, '').replace(/, sa_restorer=[^,}]*/, '')),
  }),
  arch_prctl: drop,
  set_tls: drop,
  cacheflush: drop,
  breakpoint: drop,
  riscv_flush_icache: drop,
  riscv_hwprobe: drop,
};

/** The folded form of a call, the call itself when no rule applies, or null to drop it. */
export function foldCrossArch(name: string, args: readonly string[], ret: string): FoldedCall | null {
  const fold = FOLDS[name];
  if (fold === undefined) return { name, args };
  return fold(args, ret);
}

/** Whether --cross-arch rewrites (or drops) this call at all. */
export function isFoldedName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FOLDS, name);
}
