// Process, resource and thread constants (clone, wait4, prlimit, prctl, arch_prctl, futex).
import { xlat } from './xlat.js';

export const CLONE_FLAGS = xlat([
  ['CLONE_VM', 0x100], ['CLONE_FS', 0x200], ['CLONE_FILES', 0x400], ['CLONE_SIGHAND', 0x800],
  ['CLONE_PIDFD', 0x1000], ['CLONE_PTRACE', 0x2000], ['CLONE_VFORK', 0x4000], ['CLONE_PARENT', 0x8000],
  ['CLONE_THREAD', 0x10000], ['CLONE_NEWNS', 0x20000], ['CLONE_SYSVSEM', 0x40000], ['CLONE_SETTLS', 0x80000],
  ['CLONE_PARENT_SETTID', 0x100000], ['CLONE_CHILD_CLEARTID', 0x200000], ['CLONE_UNTRACED', 0x800000],
  ['CLONE_CHILD_SETTID', 0x1000000], ['CLONE_NEWCGROUP', 0x2000000], ['CLONE_NEWUTS', 0x4000000],
  ['CLONE_NEWIPC', 0x8000000], ['CLONE_NEWUSER', 0x10000000], ['CLONE_NEWPID', 0x20000000],
  ['CLONE_NEWNET', 0x40000000], ['CLONE_IO', 0x80000000],
]);

/** unshare's flags, in strace's order (xlat/unshare_flags.in). */
export const UNSHARE_FLAGS = xlat([
  ['CLONE_NEWTIME', 0x80], ['CLONE_VM', 0x100], ['CLONE_FS', 0x200], ['CLONE_FILES', 0x400], ['CLONE_SIGHAND', 0x800],
  ['CLONE_THREAD', 0x10000], ['CLONE_NEWNS', 0x20000], ['CLONE_SYSVSEM', 0x40000], ['CLONE_NEWCGROUP', 0x2000000],
  ['CLONE_NEWUTS', 0x4000000], ['CLONE_NEWIPC', 0x8000000], ['CLONE_NEWUSER', 0x10000000], ['CLONE_NEWPID', 0x20000000],
  ['CLONE_NEWNET', 0x40000000],
]);

/** clone3-only flags (64-bit). */
export const CLONE3_FLAGS = xlat([
  ['CLONE_NEWTIME', 0x80], ['CLONE_CLEAR_SIGHAND', 0x100000000n], ['CLONE_INTO_CGROUP', 0x200000000n],
]);

export const CLONE = {
  PIDFD: 0x1000n, SETTLS: 0x80000n, PARENT_SETTID: 0x100000n, CHILD_CLEARTID: 0x200000n,
  CHILD_SETTID: 0x1000000n, INTO_CGROUP: 0x200000000n, CSIGNAL: 0xffn,
} as const;

/** wait4/waitid options (WUNTRACED is WSTOPPED, which strace names). */
/** waitid's idtype. */
export const P_TYPES = xlat([['P_ALL', 0], ['P_PID', 1], ['P_PGID', 2], ['P_PIDFD', 3]]);

export const WAIT_OPTIONS = xlat([
  ['WNOHANG', 1], ['WEXITED', 4], ['WSTOPPED', 2], ['WCONTINUED', 8], ['WNOWAIT', 0x01000000],
  ['__WCLONE', 0x80000000], ['__WALL', 0x40000000], ['__WNOTHREAD', 0x20000000],
]);

export const RLIMIT_RESOURCES = xlat([
  ['RLIMIT_CPU', 0], ['RLIMIT_FSIZE', 1], ['RLIMIT_DATA', 2], ['RLIMIT_STACK', 3], ['RLIMIT_CORE', 4],
  ['RLIMIT_RSS', 5], ['RLIMIT_NPROC', 6], ['RLIMIT_NOFILE', 7], ['RLIMIT_MEMLOCK', 8], ['RLIMIT_AS', 9],
  ['RLIMIT_LOCKS', 10], ['RLIMIT_SIGPENDING', 11], ['RLIMIT_MSGQUEUE', 12], ['RLIMIT_NICE', 13],
  ['RLIMIT_RTPRIO', 14], ['RLIMIT_RTTIME', 15],
]);

export const RUSAGE_WHO = xlat([['RUSAGE_SELF', 0], ['RUSAGE_CHILDREN', -1], ['RUSAGE_THREAD', 1]]);

export const PRCTL_OPTIONS = xlat([
  ['PR_SET_PDEATHSIG', 1], ['PR_GET_PDEATHSIG', 2], ['PR_GET_DUMPABLE', 3], ['PR_SET_DUMPABLE', 4],
  ['PR_GET_UNALIGN', 5], ['PR_SET_UNALIGN', 6], ['PR_GET_KEEPCAPS', 7], ['PR_SET_KEEPCAPS', 8],
  ['PR_GET_FPEMU', 9], ['PR_SET_FPEMU', 10], ['PR_GET_FPEXC', 11], ['PR_SET_FPEXC', 12],
  ['PR_GET_TIMING', 13], ['PR_SET_TIMING', 14], ['PR_SET_NAME', 15], ['PR_GET_NAME', 16],
  ['PR_GET_ENDIAN', 19], ['PR_SET_ENDIAN', 20], ['PR_GET_SECCOMP', 21], ['PR_SET_SECCOMP', 22],
  ['PR_CAPBSET_READ', 23], ['PR_CAPBSET_DROP', 24], ['PR_GET_TSC', 25], ['PR_SET_TSC', 26],
  ['PR_GET_SECUREBITS', 27], ['PR_SET_SECUREBITS', 28], ['PR_SET_TIMERSLACK', 29], ['PR_GET_TIMERSLACK', 30],
  ['PR_TASK_PERF_EVENTS_DISABLE', 31], ['PR_TASK_PERF_EVENTS_ENABLE', 32], ['PR_MCE_KILL', 33],
  ['PR_MCE_KILL_GET', 34], ['PR_SET_MM', 35], ['PR_SET_CHILD_SUBREAPER', 36], ['PR_GET_CHILD_SUBREAPER', 37],
  ['PR_SET_NO_NEW_PRIVS', 38], ['PR_GET_NO_NEW_PRIVS', 39], ['PR_GET_TID_ADDRESS', 40],
  ['PR_SET_THP_DISABLE', 41], ['PR_GET_THP_DISABLE', 42], ['PR_MPX_ENABLE_MANAGEMENT', 43],
  ['PR_MPX_DISABLE_MANAGEMENT', 44], ['PR_SET_FP_MODE', 45], ['PR_GET_FP_MODE', 46], ['PR_CAP_AMBIENT', 47],
  ['PR_SVE_SET_VL', 50], ['PR_SVE_GET_VL', 51], ['PR_GET_SPECULATION_CTRL', 52], ['PR_SET_SPECULATION_CTRL', 53],
  ['PR_PAC_RESET_KEYS', 54], ['PR_SET_TAGGED_ADDR_CTRL', 55], ['PR_GET_TAGGED_ADDR_CTRL', 56],
  ['PR_SET_IO_FLUSHER', 57], ['PR_GET_IO_FLUSHER', 58], ['PR_SET_SYSCALL_USER_DISPATCH', 59],
  ['PR_PAC_SET_ENABLED_KEYS', 60], ['PR_PAC_GET_ENABLED_KEYS', 61], ['PR_SCHED_CORE', 62],
  ['PR_SME_SET_VL', 63], ['PR_SME_GET_VL', 64], ['PR_SET_VMA', 0x53564d41], ['PR_SET_PTRACER', 0x59616d61],
]);

export const PR = {
  SET_PDEATHSIG: 1, GET_PDEATHSIG: 2, GET_DUMPABLE: 3, SET_DUMPABLE: 4, GET_KEEPCAPS: 7, SET_KEEPCAPS: 8,
  GET_FPEMU: 9, SET_FPEMU: 10, GET_FPEXC: 11, SET_FPEXC: 12, GET_TIMING: 13, SET_TIMING: 14,
  SET_NAME: 15, GET_NAME: 16, GET_ENDIAN: 19, SET_ENDIAN: 20, GET_SECCOMP: 21, GET_TIMERSLACK: 30,
  TASK_PERF_EVENTS_DISABLE: 31, TASK_PERF_EVENTS_ENABLE: 32, SET_CHILD_SUBREAPER: 36,
  GET_CHILD_SUBREAPER: 37, SET_NO_NEW_PRIVS: 38, GET_NO_NEW_PRIVS: 39, GET_TID_ADDRESS: 40,
  SET_THP_DISABLE: 41, GET_THP_DISABLE: 42, SET_IO_FLUSHER: 57, SET_PTRACER: 0x59616d61,
  SVE_SET_VL: 50, SVE_GET_VL: 51, SME_SET_VL: 63, SME_GET_VL: 64,
} as const;

/** The flag bits of an SVE or SME vector length (PR_SVE_SET_VL's argument, PR_SVE_GET_VL's result). */
export const PR_SVE_VL_FLAGS = xlat([['PR_SVE_SET_VL_ONEXEC', 1 << 18], ['PR_SVE_VL_INHERIT', 1 << 17]]);
export const PR_SME_VL_FLAGS = xlat([['PR_SME_SET_VL_ONEXEC', 1 << 18], ['PR_SME_VL_INHERIT', 1 << 17]]);
/** The length bits of a vector length word (PR_SVE_VL_LEN_MASK, PR_SME_VL_LEN_MASK). */
export const PR_VL_LEN_MASK = 0xffffn;

export const PR_DUMPABLE = xlat([['SUID_DUMP_DISABLE', 0], ['SUID_DUMP_USER', 1], ['SUID_DUMP_ROOT', 2]]);

/** arch_prctl codes (x86_64 only). */
export const ARCH_PRCTL_CODES = xlat([
  ['ARCH_SET_GS', 0x1001], ['ARCH_SET_FS', 0x1002], ['ARCH_GET_FS', 0x1003], ['ARCH_GET_GS', 0x1004],
  ['ARCH_GET_CPUID', 0x1011], ['ARCH_SET_CPUID', 0x1012], ['ARCH_GET_XCOMP_SUPP', 0x1021],
  ['ARCH_GET_XCOMP_PERM', 0x1022], ['ARCH_REQ_XCOMP_PERM', 0x1023], ['ARCH_GET_XCOMP_GUEST_PERM', 0x1024],
  ['ARCH_REQ_XCOMP_GUEST_PERM', 0x1025], ['ARCH_MAP_VDSO_X32', 0x2001], ['ARCH_MAP_VDSO_32', 0x2002],
  ['ARCH_MAP_VDSO_64', 0x2003],
]);

/** futex operations, including the private and realtime-clock combinations strace names. */
export const FUTEX_OPS = (() => {
  const base: [string, number][] = [
    ['FUTEX_WAIT', 0], ['FUTEX_WAKE', 1], ['FUTEX_FD', 2], ['FUTEX_REQUEUE', 3], ['FUTEX_CMP_REQUEUE', 4],
    ['FUTEX_WAKE_OP', 5], ['FUTEX_LOCK_PI', 6], ['FUTEX_UNLOCK_PI', 7], ['FUTEX_TRYLOCK_PI', 8],
    ['FUTEX_WAIT_BITSET', 9], ['FUTEX_WAKE_BITSET', 10], ['FUTEX_WAIT_REQUEUE_PI', 11],
    ['FUTEX_CMP_REQUEUE_PI', 12], ['FUTEX_LOCK_PI2', 13],
  ];
  const PRIVATE = 128;
  const REALTIME = 256;
  const rows: [string, number][] = [...base];
  for (const [n, v] of base) rows.push([n === 'FUTEX_FD' ? 'FUTEX_FD|FUTEX_PRIVATE_FLAG' : `${n}_PRIVATE`, v | PRIVATE]);
  for (const n of ['FUTEX_WAIT', 'FUTEX_WAIT_BITSET', 'FUTEX_WAIT_REQUEUE_PI']) {
    const v = base.find(([b]) => b === n)![1];
    rows.push([`${n}|FUTEX_CLOCK_REALTIME`, v | REALTIME], [`${n}_PRIVATE|FUTEX_CLOCK_REALTIME`, v | PRIVATE | REALTIME]);
  }
  return xlat(rows);
})();

export const FUTEX_WAKE_OPS = xlat([
  ['FUTEX_OP_SET', 0], ['FUTEX_OP_ADD', 1], ['FUTEX_OP_OR', 2], ['FUTEX_OP_ANDN', 3], ['FUTEX_OP_XOR', 4],
]);
export const FUTEX_WAKE_CMPS = xlat([
  ['FUTEX_OP_CMP_EQ', 0], ['FUTEX_OP_CMP_NE', 1], ['FUTEX_OP_CMP_LT', 2], ['FUTEX_OP_CMP_LE', 3],
  ['FUTEX_OP_CMP_GT', 4], ['FUTEX_OP_CMP_GE', 5],
]);
export const FUTEX_BITSET = xlat([['FUTEX_BITSET_MATCH_ANY', 0xffffffff]]);

export const GETRANDOM_FLAGS = xlat([['GRND_NONBLOCK', 1], ['GRND_RANDOM', 2], ['GRND_INSECURE', 4]]);

export const SCHED_POLICIES = xlat([
  ['SCHED_OTHER', 0], ['SCHED_FIFO', 1], ['SCHED_RR', 2], ['SCHED_BATCH', 3], ['SCHED_ISO', 4],
  ['SCHED_IDLE', 5], ['SCHED_DEADLINE', 6],
]);

/** ptrace event numbers, as a wait status carries them in bits 16..23. */
export const PTRACE_EVENTS = xlat([
  ['PTRACE_EVENT_FORK', 1], ['PTRACE_EVENT_VFORK', 2], ['PTRACE_EVENT_CLONE', 3], ['PTRACE_EVENT_EXEC', 4],
  ['PTRACE_EVENT_VFORK_DONE', 5], ['PTRACE_EVENT_EXIT', 6], ['PTRACE_EVENT_SECCOMP', 7], ['PTRACE_EVENT_STOP', 128],
]);

/** ioprio_get/ioprio_set's `which`. */
export const IOPRIO_WHO = xlat([['IOPRIO_WHO_PROCESS', 1], ['IOPRIO_WHO_PGRP', 2], ['IOPRIO_WHO_USER', 3]]);

/** The class in an I/O priority's top bits. */
export const IOPRIO_CLASSES = xlat([['IOPRIO_CLASS_NONE', 0], ['IOPRIO_CLASS_RT', 1], ['IOPRIO_CLASS_BE', 2], ['IOPRIO_CLASS_IDLE', 3]]);

/** personality(2)'s persona (the low byte; strace's personality_types that fit in it). */
export const PERSONALITY_TYPES = xlat([
  ['PER_LINUX', 0], ['PER_BSD', 6], ['PER_LINUX32', 8], ['PER_RISCOS', 0xc], ['PER_OSF4', 0xf], ['PER_HPUX', 0x10],
]);
/** personality(2)'s flags above the persona byte. */
export const PERSONALITY_FLAGS = xlat([
  ['UNAME26', 0x20000], ['ADDR_NO_RANDOMIZE', 0x40000], ['FDPIC_FUNCPTRS', 0x80000], ['MMAP_PAGE_ZERO', 0x100000],
  ['ADDR_COMPAT_LAYOUT', 0x200000], ['READ_IMPLIES_EXEC', 0x400000], ['ADDR_LIMIT_32BIT', 0x800000],
  ['SHORT_INODE', 0x1000000], ['WHOLE_SECONDS', 0x2000000], ['STICKY_TIMEOUTS', 0x4000000], ['ADDR_LIMIT_3GB', 0x8000000],
]);

// ---- prctl's argument tables (strace 6.1's pr_*.in) ----------------------------------------------

export const PR_TSC = xlat([['PR_TSC_ENABLE', 1], ['PR_TSC_SIGSEGV', 2]]);
export const PR_UNALIGN_FLAGS = xlat([['PR_UNALIGN_NOPRINT', 1], ['PR_UNALIGN_SIGBUS', 2]]);
export const PR_MCE_KILL_OPS = xlat([['PR_MCE_KILL_CLEAR', 0], ['PR_MCE_KILL_SET', 1]]);
export const PR_MCE_KILL_POLICIES = xlat([['PR_MCE_KILL_LATE', 0], ['PR_MCE_KILL_EARLY', 1], ['PR_MCE_KILL_DEFAULT', 2]]);
export const SECUREBITS = xlat([
  ['SECBIT_NOROOT', 1 << 0], ['SECBIT_NOROOT_LOCKED', 1 << 1], ['SECBIT_NO_SETUID_FIXUP', 1 << 2],
  ['SECBIT_NO_SETUID_FIXUP_LOCKED', 1 << 3], ['SECBIT_KEEP_CAPS', 1 << 4], ['SECBIT_KEEP_CAPS_LOCKED', 1 << 5],
  ['SECBIT_NO_CAP_AMBIENT_RAISE', 1 << 6], ['SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED', 1 << 7],
]);
/** The address keys (PR_PAC_SET_ENABLED_KEYS), then the generic key PR_PAC_RESET_KEYS also takes. */
export const PR_PAC_ENABLED_KEYS = xlat([['PR_PAC_APIAKEY', 1], ['PR_PAC_APIBKEY', 2], ['PR_PAC_APDAKEY', 4], ['PR_PAC_APDBKEY', 8]]);
export const PR_PAC_ALL_KEYS = xlat([...PR_PAC_ENABLED_KEYS.rows.map(([v, n]) => [n, v] as const), ['PR_PAC_APGAKEY', 16]]);
export const PR_SCHED_CORE_CMDS = xlat([
  ['PR_SCHED_CORE_GET', 0], ['PR_SCHED_CORE_CREATE', 1], ['PR_SCHED_CORE_SHARE_TO', 2], ['PR_SCHED_CORE_SHARE_FROM', 3],
]);
export const PIDTYPES = xlat([['PIDTYPE_PID', 0], ['PIDTYPE_TGID', 1], ['PIDTYPE_PGID', 2], ['PIDTYPE_SID', 3]]);
export const PR_SET_VMA_OPS = xlat([['PR_SET_VMA_ANON_NAME', 0]]);
export const PR_SYS_DISPATCH = xlat([['PR_SYS_DISPATCH_OFF', 0], ['PR_SYS_DISPATCH_ON', 1]]);
export const PR_TAGGED_ADDR_ENABLE = xlat([['!PR_TAGGED_ADDR_ENABLE', 0], ['PR_TAGGED_ADDR_ENABLE', 1]]);
export const PR_MTE_TCF = xlat([['PR_MTE_TCF_NONE', 0], ['PR_MTE_TCF_SYNC', 2], ['PR_MTE_TCF_ASYNC', 4], ['PR_MTE_TCF_MASK', 6]]);
export const PR_FP_MODES = xlat([['PR_FP_MODE_FR', 1], ['PR_FP_MODE_FRE', 2]]);
export const PR_SPEC_CMDS = xlat([['PR_SPEC_STORE_BYPASS', 0], ['PR_SPEC_INDIRECT_BRANCH', 1], ['PR_SPEC_L1D_FLUSH', 2]]);
export const PR_SPEC_GET_FLAGS = xlat([
  ['PR_SPEC_NOT_AFFECTED', 0], ['PR_SPEC_PRCTL', 1], ['PR_SPEC_ENABLE', 2], ['PR_SPEC_DISABLE', 4],
  ['PR_SPEC_FORCE_DISABLE', 8], ['PR_SPEC_DISABLE_NOEXEC', 16],
]);
export const PR_SPEC_SET_FLAGS = xlat([['PR_SPEC_ENABLE', 2], ['PR_SPEC_DISABLE', 4], ['PR_SPEC_FORCE_DISABLE', 8], ['PR_SPEC_DISABLE_NOEXEC', 16]]);
export const PR_SET_MM_OPS = xlat([
  ['PR_SET_MM_START_CODE', 1], ['PR_SET_MM_END_CODE', 2], ['PR_SET_MM_START_DATA', 3], ['PR_SET_MM_END_DATA', 4],
  ['PR_SET_MM_START_STACK', 5], ['PR_SET_MM_START_BRK', 6], ['PR_SET_MM_BRK', 7], ['PR_SET_MM_ARG_START', 8],
  ['PR_SET_MM_ARG_END', 9], ['PR_SET_MM_ENV_START', 10], ['PR_SET_MM_ENV_END', 11], ['PR_SET_MM_AUXV', 12],
  ['PR_SET_MM_EXE_FILE', 13], ['PR_SET_MM_MAP', 14], ['PR_SET_MM_MAP_SIZE', 15],
]);
export const SECCOMP_MODES = xlat([['SECCOMP_MODE_DISABLED', 0], ['SECCOMP_MODE_STRICT', 1], ['SECCOMP_MODE_FILTER', 2]]);

/** x86 XSAVE feature numbers (ARCH_REQ_XCOMP_PERM's argument). */
export const X86_XFEATURE_BITS = xlat([
  ['XFEATURE_FP', 0], ['XFEATURE_SSE', 1], ['XFEATURE_YMM', 2], ['XFEATURE_BNDREGS', 3], ['XFEATURE_BNDCSR', 4],
  ['XFEATURE_OPMASK', 5], ['XFEATURE_ZMM_Hi256', 6], ['XFEATURE_Hi16_ZMM', 7], ['XFEATURE_PT_UNIMPLEMENTED_SO_FAR', 8],
  ['XFEATURE_PKRU', 9], ['XFEATURE_PASID', 10], ['XFEATURE_LBR', 15], ['XFEATURE_XTILE_CFG', 17], ['XFEATURE_XTILE_DATA', 18],
]);
/** x86 XSAVE feature masks, the combined ones first (ARCH_GET_XCOMP_*'s value). */
export const X86_XFEATURES = xlat([
  ['XFEATURE_MASK_FPSSE', 0x3], ['XFEATURE_MASK_FP', 0x1], ['XFEATURE_MASK_SSE', 0x2], ['XFEATURE_MASK_YMM', 0x4],
  ['XFEATURE_MASK_BNDREGS', 0x8], ['XFEATURE_MASK_BNDCSR', 0x10], ['XFEATURE_MASK_AVX512', 0xe0],
  ['XFEATURE_MASK_OPMASK', 0x20], ['XFEATURE_MASK_ZMM_Hi256', 0x40], ['XFEATURE_MASK_Hi16_ZMM', 0x80],
  ['XFEATURE_MASK_PT', 0x100], ['XFEATURE_MASK_PKRU', 0x200], ['XFEATURE_MASK_PASID', 0x400], ['XFEATURE_MASK_LBR', 0x8000],
  ['XFEATURE_MASK_XTILE', 0x60000], ['XFEATURE_MASK_XTILE_CFG', 0x20000], ['XFEATURE_MASK_XTILE_DATA', 0x40000],
]);
