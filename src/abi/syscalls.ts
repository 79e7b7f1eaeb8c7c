// One description per syscall name: how many arguments strace prints for it, and the trace
// classes (-e trace=%file ...) it belongs to. Every other per-syscall table extends this one
// through extendSpec: the arch number tables map numbers to these names, the kernel adds a
// handler, the tracer a decoder, and the README's support table is generated from the result.
//
// The rows carry the nargs column and the class flags of strace's syscallent tables
// (linux/x86_64, linux/64 and linux/generic), written with strace's flag abbreviations so a row
// can be checked against strace's line by eye. A name in no class has ''. The same name has the
// same row on every architecture. Names newer than strace 6.1 carry the kernel's argument count.
//
// Flags that are not selectable classes (NF never fails, SI memory mapping change, TSD seccomp
// default, CC comm change, MA max args) are left out.

export type TraceClass =
  | 'file' | 'desc' | 'process' | 'network' | 'signal' | 'ipc' | 'memory'
  | 'stat' | 'lstat' | 'fstat' | 'stat_like'
  | 'statfs' | 'fstatfs' | 'statfs_like'
  | 'pure' | 'creds' | 'clock';

export interface SyscallSpec {
  readonly name: string;
  /** strace's argument count: what a raw (undecoded) line prints and what the tracer reads. */
  readonly nargs: number;
  /** Trace classes in CLASS_ORDER. */
  readonly classes: readonly TraceClass[];
}

/** strace's flag abbreviation -> the class it selects (sysent_shorthand_defs.h). */
const FLAG_CLASS = {
  TD: 'desc',         // uses a file descriptor
  TF: 'file',         // takes a file name
  TI: 'ipc',          // SysV IPC
  TN: 'network',      // sockets
  TP: 'process',      // process lifecycle: creation, exec, exit, wait, kill
  TS: 'signal',       // signal related
  TM: 'memory',       // memory mapping
  TST: 'stat',        // stat variants taking a name
  TLST: 'lstat',      // lstat variants
  TFST: 'fstat',      // stat variants taking a descriptor (incl. *at and statx)
  TSTA: 'stat_like',  // %%stat: any stat variant
  TSF: 'statfs',      // statfs variants taking a name
  TFSF: 'fstatfs',    // statfs variants taking a descriptor
  TSFA: 'statfs_like', // %%statfs: any statfs variant (incl. ustat)
  PU: 'pure',         // no arguments, always succeeds
  TC: 'creds',        // user and group identities, capabilities
  TCL: 'clock',       // reads or sets a clock
} as const satisfies Record<string, TraceClass>;

type Flag = keyof typeof FLAG_CLASS;

/** The order classes are reported in: the order of strace's class table (basic_filters.c). */
export const CLASS_ORDER: readonly TraceClass[] = [
  'desc', 'file', 'memory', 'process', 'creds', 'signal', 'ipc', 'network',
  'stat', 'lstat', 'fstat', 'stat_like', 'statfs', 'fstatfs', 'statfs_like', 'pure', 'clock',
];

/** name: [nargs, flags]. */
const ROWS: { readonly [name: string]: readonly [number, string] } = {
  _sysctl: [1, ''],
  accept: [3, 'TN'],
  accept4: [4, 'TN'],
  access: [2, 'TF'],
  acct: [1, 'TF'],
  add_key: [5, ''],
  adjtimex: [1, 'TCL'],
  afs_syscall: [5, ''],
  alarm: [1, ''],
  arch_prctl: [2, ''],
  bind: [3, 'TN'],
  bpf: [3, 'TD'],
  brk: [1, 'TM'],
  cachestat: [4, 'TD'],
  capget: [2, 'TC'],
  capset: [2, 'TC'],
  chdir: [1, 'TF'],
  chmod: [2, 'TF'],
  chown: [3, 'TF'],
  chroot: [1, 'TF'],
  clock_adjtime: [2, 'TCL'],
  clock_getres: [2, 'TCL'],
  clock_gettime: [2, 'TCL'],
  clock_nanosleep: [4, ''],
  clock_settime: [2, 'TCL'],
  clone: [5, 'TP'],
  clone3: [2, 'TP'],
  close: [1, 'TD'],
  close_range: [3, ''],
  connect: [3, 'TN'],
  copy_file_range: [6, 'TD'],
  creat: [2, 'TD|TF'],
  create_module: [2, ''],
  delete_module: [2, ''],
  dup: [1, 'TD'],
  dup2: [2, 'TD'],
  dup3: [3, 'TD'],
  epoll_create: [1, 'TD'],
  epoll_create1: [1, 'TD'],
  epoll_ctl: [4, 'TD'],
  epoll_ctl_old: [4, ''],
  epoll_pwait: [6, 'TD'],
  epoll_pwait2: [6, 'TD'],
  epoll_wait: [4, 'TD'],
  epoll_wait_old: [4, ''],
  eventfd: [1, 'TD'],
  eventfd2: [2, 'TD'],
  execve: [3, 'TF|TP'],
  execveat: [5, 'TD|TF|TP'],
  exit: [1, 'TP'],
  exit_group: [1, 'TP'],
  faccessat: [3, 'TD|TF'],
  faccessat2: [4, 'TD|TF'],
  fadvise64: [4, 'TD'],
  fallocate: [4, 'TD'],
  fanotify_init: [2, 'TD'],
  fanotify_mark: [5, 'TD|TF'],
  fchdir: [1, 'TD'],
  fchmod: [2, 'TD'],
  fchmodat: [3, 'TD|TF'],
  fchmodat2: [4, 'TD|TF'],
  fchown: [3, 'TD'],
  fchownat: [5, 'TD|TF'],
  fcntl: [3, 'TD'],
  fdatasync: [1, 'TD'],
  fgetxattr: [4, 'TD'],
  file_getattr: [5, 'TD|TF'],
  file_setattr: [5, 'TD|TF'],
  finit_module: [3, 'TD'],
  flistxattr: [3, 'TD'],
  flock: [2, 'TD'],
  fork: [0, 'TP'],
  fremovexattr: [2, 'TD'],
  fsconfig: [5, 'TD|TF'],
  fsetxattr: [5, 'TD'],
  fsmount: [3, 'TD'],
  fsopen: [2, 'TD'],
  fspick: [3, 'TD|TF'],
  fstat: [2, 'TD|TFST|TSTA'],
  fstatfs: [2, 'TD|TFSF|TSFA'],
  fsync: [1, 'TD'],
  ftruncate: [2, 'TD'],
  futex: [6, ''],
  futex_requeue: [4, ''],
  futex_wait: [6, ''],
  futex_waitv: [5, ''],
  futex_wake: [4, ''],
  futimesat: [3, 'TD|TF'],
  get_kernel_syms: [1, ''],
  get_mempolicy: [5, 'TM'],
  get_robust_list: [3, ''],
  get_thread_area: [1, ''],
  getcpu: [3, ''],
  getcwd: [2, 'TF'],
  getdents: [3, 'TD'],
  getdents64: [3, 'TD'],
  getegid: [0, 'PU|TC'],
  geteuid: [0, 'PU|TC'],
  getgid: [0, 'PU|TC'],
  getgroups: [2, 'TC'],
  getitimer: [2, ''],
  getpeername: [3, 'TN'],
  getpgid: [1, ''],
  getpgrp: [0, 'PU'],
  getpid: [0, 'PU'],
  getpmsg: [5, 'TN'],
  getppid: [0, 'PU'],
  getpriority: [2, ''],
  getrandom: [3, ''],
  getresgid: [3, 'TC'],
  getresuid: [3, 'TC'],
  getrlimit: [2, ''],
  getrusage: [2, ''],
  getsid: [1, ''],
  getsockname: [3, 'TN'],
  getsockopt: [5, 'TN'],
  gettid: [0, 'PU'],
  gettimeofday: [2, 'TCL'],
  getuid: [0, 'PU|TC'],
  getxattr: [4, 'TF'],
  getxattrat: [6, 'TD|TF'],
  init_module: [3, ''],
  inotify_add_watch: [3, 'TD|TF'],
  inotify_init: [0, 'TD'],
  inotify_init1: [1, 'TD'],
  inotify_rm_watch: [2, 'TD'],
  io_cancel: [3, ''],
  io_destroy: [1, 'TM'],
  io_getevents: [5, ''],
  io_pgetevents: [6, ''],
  io_setup: [2, 'TM'],
  io_submit: [3, ''],
  io_uring_enter: [6, 'TD|TS'],
  io_uring_register: [4, 'TD|TM'],
  io_uring_setup: [2, 'TD'],
  ioctl: [3, 'TD'],
  ioperm: [3, ''],
  iopl: [1, ''],
  ioprio_get: [2, ''],
  ioprio_set: [3, ''],
  kcmp: [5, ''],
  kexec_file_load: [5, 'TD'],
  kexec_load: [4, ''],
  keyctl: [5, ''],
  kill: [2, 'TP|TS'],
  landlock_add_rule: [4, 'TD'],
  landlock_create_ruleset: [3, 'TD'],
  landlock_restrict_self: [2, 'TD'],
  lchown: [3, 'TF'],
  lgetxattr: [4, 'TF'],
  link: [2, 'TF'],
  linkat: [5, 'TD|TF'],
  listen: [2, 'TN'],
  listmount: [4, ''],
  listns: [4, ''],
  listxattr: [3, 'TF'],
  listxattrat: [5, 'TD|TF'],
  llistxattr: [3, 'TF'],
  lookup_dcookie: [3, ''],
  lremovexattr: [2, 'TF'],
  lseek: [3, 'TD'],
  lsetxattr: [5, 'TF'],
  lsm_get_self_attr: [4, ''],
  lsm_list_modules: [3, ''],
  lsm_set_self_attr: [4, ''],
  lstat: [2, 'TF|TLST|TSTA'],
  madvise: [3, 'TM'],
  map_shadow_stack: [3, 'TM'],
  mbind: [6, 'TM'],
  membarrier: [3, ''],
  memfd_create: [2, 'TD'],
  memfd_secret: [1, 'TD'],
  migrate_pages: [4, 'TM'],
  mincore: [3, 'TM'],
  mkdir: [2, 'TF'],
  mkdirat: [3, 'TD|TF'],
  mknod: [3, 'TF'],
  mknodat: [4, 'TD|TF'],
  mlock: [2, 'TM'],
  mlock2: [3, 'TM'],
  mlockall: [1, 'TM'],
  mmap: [6, 'TD|TM'],
  modify_ldt: [3, ''],
  mount: [5, 'TF'],
  mount_setattr: [5, 'TD|TF'],
  move_mount: [5, 'TD|TF'],
  move_pages: [6, 'TM'],
  mprotect: [3, 'TM'],
  mq_getsetattr: [3, 'TD'],
  mq_notify: [2, 'TD'],
  mq_open: [4, 'TD'],
  mq_timedreceive: [5, 'TD'],
  mq_timedsend: [5, 'TD'],
  mq_unlink: [1, ''],
  mremap: [5, 'TM'],
  mseal: [3, 'TM'],
  msgctl: [3, 'TI'],
  msgget: [2, 'TI'],
  msgrcv: [5, 'TI'],
  msgsnd: [4, 'TI'],
  msync: [3, 'TM'],
  munlock: [2, 'TM'],
  munlockall: [0, 'TM'],
  munmap: [2, 'TM'],
  name_to_handle_at: [5, 'TD|TF'],
  nanosleep: [2, ''],
  newfstatat: [4, 'TD|TF|TFST|TSTA'],
  nfsservctl: [3, ''],
  open: [3, 'TD|TF'],
  open_by_handle_at: [3, 'TD'],
  open_tree: [3, 'TD|TF'],
  open_tree_attr: [5, 'TD|TF'],
  openat: [4, 'TD|TF'],
  openat2: [4, 'TD|TF'],
  pause: [0, 'TS'],
  perf_event_open: [5, 'TD'],
  personality: [1, ''],
  pidfd_getfd: [3, 'TD'],
  pidfd_open: [2, 'TD'],
  pidfd_send_signal: [4, 'TD|TP|TS'],
  pipe: [1, 'TD'],
  pipe2: [2, 'TD'],
  pivot_root: [2, 'TF'],
  pkey_alloc: [2, ''],
  pkey_free: [1, ''],
  pkey_mprotect: [4, 'TM'],
  poll: [3, 'TD'],
  ppoll: [5, 'TD'],
  prctl: [5, 'TC'],
  pread64: [4, 'TD'],
  preadv: [4, 'TD'],
  preadv2: [6, 'TD'],
  prlimit64: [4, ''],
  process_madvise: [5, 'TD'],
  process_mrelease: [2, 'TD'],
  process_vm_readv: [6, ''],
  process_vm_writev: [6, ''],
  pselect6: [6, 'TD'],
  ptrace: [4, ''],
  putpmsg: [5, 'TN'],
  pwrite64: [4, 'TD'],
  pwritev: [4, 'TD'],
  pwritev2: [6, 'TD'],
  query_module: [5, ''],
  quotactl: [4, 'TF'],
  quotactl_fd: [4, 'TD'],
  read: [3, 'TD'],
  readahead: [3, 'TD'],
  readlink: [3, 'TF'],
  readlinkat: [4, 'TD|TF'],
  readv: [3, 'TD'],
  reboot: [4, ''],
  recvfrom: [6, 'TN'],
  recvmmsg: [5, 'TN'],
  recvmsg: [3, 'TN'],
  remap_file_pages: [5, 'TM'],
  removexattr: [2, 'TF'],
  removexattrat: [4, 'TD|TF'],
  rename: [2, 'TF'],
  renameat: [4, 'TD|TF'],
  renameat2: [5, 'TD|TF'],
  request_key: [4, ''],
  restart_syscall: [0, ''],
  riscv_flush_icache: [3, 'TM'],
  riscv_hwprobe: [5, ''],
  rmdir: [1, 'TF'],
  rseq: [4, ''],
  rt_sigaction: [4, 'TS'],
  rt_sigpending: [2, 'TS'],
  rt_sigprocmask: [4, 'TS'],
  rt_sigqueueinfo: [3, 'TP|TS'],
  rt_sigreturn: [0, 'TS'],
  rt_sigsuspend: [2, 'TS'],
  rt_sigtimedwait: [4, 'TS'],
  rt_tgsigqueueinfo: [4, 'TP|TS'],
  sched_get_priority_max: [1, ''],
  sched_get_priority_min: [1, ''],
  sched_getaffinity: [3, ''],
  sched_getattr: [4, ''],
  sched_getparam: [2, ''],
  sched_getscheduler: [1, ''],
  sched_rr_get_interval: [2, ''],
  sched_setaffinity: [3, ''],
  sched_setattr: [3, ''],
  sched_setparam: [2, ''],
  sched_setscheduler: [3, ''],
  sched_yield: [0, ''],
  seccomp: [3, ''],
  security: [3, ''],
  select: [5, 'TD'],
  semctl: [4, 'TI'],
  semget: [3, 'TI'],
  semop: [3, 'TI'],
  semtimedop: [4, 'TI'],
  sendfile: [4, 'TD|TN'],
  sendmmsg: [4, 'TN'],
  sendmsg: [3, 'TN'],
  sendto: [6, 'TN'],
  set_mempolicy: [3, 'TM'],
  set_mempolicy_home_node: [4, 'TM'],
  set_robust_list: [2, ''],
  set_thread_area: [1, ''],
  set_tid_address: [1, ''],
  setdomainname: [2, ''],
  setfsgid: [1, 'TC'],
  setfsuid: [1, 'TC'],
  setgid: [1, 'TC'],
  setgroups: [2, 'TC'],
  sethostname: [2, ''],
  setitimer: [3, ''],
  setns: [2, 'TD'],
  setpgid: [2, ''],
  setpriority: [3, ''],
  setregid: [2, 'TC'],
  setresgid: [3, 'TC'],
  setresuid: [3, 'TC'],
  setreuid: [2, 'TC'],
  setrlimit: [2, ''],
  setsid: [0, ''],
  setsockopt: [5, 'TN'],
  settimeofday: [2, 'TCL'],
  setuid: [1, 'TC'],
  setxattr: [5, 'TF'],
  setxattrat: [6, 'TD|TF'],
  shmat: [3, 'TI|TM'],
  shmctl: [3, 'TI'],
  shmdt: [1, 'TI|TM'],
  shmget: [3, 'TI'],
  shutdown: [2, 'TN'],
  sigaltstack: [2, 'TS'],
  signalfd: [3, 'TD|TS'],
  signalfd4: [4, 'TD|TS'],
  socket: [3, 'TN'],
  socketpair: [4, 'TN'],
  splice: [6, 'TD'],
  stat: [2, 'TF|TST|TSTA'],
  statfs: [2, 'TF|TSF|TSFA'],
  statmount: [4, ''],
  statx: [5, 'TD|TF|TFST|TSTA'],
  swapoff: [1, 'TF'],
  swapon: [2, 'TF'],
  symlink: [2, 'TF'],
  symlinkat: [3, 'TD|TF'],
  sync: [0, ''],
  sync_file_range: [4, 'TD'],
  syncfs: [1, 'TD'],
  sysfs: [3, ''],
  sysinfo: [1, ''],
  syslog: [3, ''],
  tee: [4, 'TD'],
  tgkill: [3, 'TP|TS'],
  time: [1, 'TCL'],
  timer_create: [3, ''],
  timer_delete: [1, ''],
  timer_getoverrun: [1, ''],
  timer_gettime: [2, ''],
  timer_settime: [4, ''],
  timerfd_create: [2, 'TD'],
  timerfd_gettime: [2, 'TD'],
  timerfd_settime: [4, 'TD'],
  times: [1, ''],
  tkill: [2, 'TP|TS'],
  truncate: [2, 'TF'],
  tuxcall: [3, ''],
  umask: [1, ''],
  umount2: [2, 'TF'],
  uname: [1, ''],
  unlink: [1, 'TF'],
  unlinkat: [3, 'TD|TF'],
  unshare: [1, ''],
  uretprobe: [0, ''],
  uselib: [1, 'TF'],
  userfaultfd: [1, 'TD'],
  ustat: [2, 'TSFA'],
  utime: [2, 'TF'],
  utimensat: [4, 'TD|TF'],
  utimes: [2, 'TF'],
  vfork: [0, 'TP'],
  vhangup: [0, ''],
  vmsplice: [4, 'TD'],
  vserver: [5, ''],
  wait4: [4, 'TP'],
  waitid: [5, 'TP'],
  write: [3, 'TD'],
  writev: [3, 'TD'],
};

function buildSpecs(): ReadonlyMap<string, SyscallSpec> {
  const m = new Map<string, SyscallSpec>();
  for (const [name, [nargs, flagText]] of Object.entries(ROWS)) {
    const set = new Set<TraceClass>();
    for (const flag of flagText.split('|')) {
      if (flag === '') continue;
      const cls = FLAG_CLASS[flag as Flag];
      if (cls === undefined) throw new Error(`syscall spec: unknown flag ${flag} on ${name}`);
      set.add(cls);
    }
    const classes = Object.freeze(CLASS_ORDER.filter((c) => set.has(c)));
    m.set(name, Object.freeze({ name, nargs, classes }));
  }
  return m;
}

/** Every syscall name any supported architecture has, with its description. */
export const SYSCALL_SPECS: ReadonlyMap<string, SyscallSpec> = buildSpecs();

/** The description of a syscall name, or undefined for a name no architecture has. */
export function syscallSpec(name: string): SyscallSpec | undefined {
  return SYSCALL_SPECS.get(name);
}

/**
 * Joins per-family tables that add something to the spec (a handler, a decoder) into one map
 * by name. Throws when a name is in two families or has no spec row: a table that extends the
 * spec can neither shadow an entry nor invent a syscall.
 */
export function extendSpec<T>(
  what: string,
  families: Readonly<Record<string, Readonly<Record<string, T>>>>,
): ReadonlyMap<string, T> {
  const out = new Map<string, T>();
  const from = new Map<string, string>();
  for (const [family, table] of Object.entries(families)) {
    for (const [name, entry] of Object.entries(table)) {
      const first = from.get(name);
      if (first !== undefined) throw new Error(`${what}: ${name} is registered by both ${first} and ${family}`);
      if (!SYSCALL_SPECS.has(name)) throw new Error(`${what}: ${name} (in ${family}) has no row in src/abi/syscalls.ts`);
      from.set(name, family);
      out.set(name, entry);
    }
  }
  return out;
}
