// Layouts of the structs that are the same on every 64-bit Linux architecture tstrace runs
// (x86_64, aarch64, riscv64: LP64, little-endian, natural alignment). The kernel writes results
// into guest memory with these and the tracer decodes them with the same tables.
// Sources: the kernel's include/uapi headers (linux/time_types.h, linux/stat.h, linux/utsname.h,
// linux/uio.h, linux/socket.h, linux/poll.h, linux/resource.h, linux/sysinfo.h,
// asm-generic/siginfo.h, asm-generic/termbits.h, linux/sched.h), offsets checked with offsetof.
import type { FieldLayout, StructLayout } from '../arch/types.js';

const u8 = (offset: number): FieldLayout => ({ offset, size: 1 });
const u16 = (offset: number): FieldLayout => ({ offset, size: 2 });
const s16 = (offset: number): FieldLayout => ({ offset, size: 2, signed: true });
const u32 = (offset: number): FieldLayout => ({ offset, size: 4 });
const s32 = (offset: number): FieldLayout => ({ offset, size: 4, signed: true });
const u64 = (offset: number): FieldLayout => ({ offset, size: 8 });
const s64 = (offset: number): FieldLayout => ({ offset, size: 8, signed: true });
const bytes = (offset: number, size: number): FieldLayout => ({ offset, size });

/**
 * struct __kernel_timespec. The fractions of the time structs (and rusage's counters) are read
 * unsigned, as strace prints them: a tv_nsec of -1 shows as 18446744073709551615.
 */
export const TIMESPEC: StructLayout<'tv_sec' | 'tv_nsec'> = {
  size: 16,
  fields: { tv_sec: s64(0), tv_nsec: u64(8) },
};

/** struct __kernel_old_timeval (gettimeofday, rusage, select). */
export const TIMEVAL: StructLayout<'tv_sec' | 'tv_usec'> = {
  size: 16,
  fields: { tv_sec: s64(0), tv_usec: u64(8) },
};

/** struct timezone. */
export const TIMEZONE: StructLayout<'tz_minuteswest' | 'tz_dsttime'> = {
  size: 8,
  fields: { tz_minuteswest: s32(0), tz_dsttime: s32(4) },
};

/** struct __kernel_itimerspec. */
export const ITIMERSPEC: StructLayout<'it_interval_sec' | 'it_interval_nsec' | 'it_value_sec' | 'it_value_nsec'> = {
  size: 32,
  fields: { it_interval_sec: s64(0), it_interval_nsec: u64(8), it_value_sec: s64(16), it_value_nsec: u64(24) },
};

/** struct itimerval (setitimer/getitimer). */
export const ITIMERVAL: StructLayout<'it_interval_sec' | 'it_interval_usec' | 'it_value_sec' | 'it_value_usec'> = {
  size: 32,
  fields: { it_interval_sec: s64(0), it_interval_usec: u64(8), it_value_sec: s64(16), it_value_usec: u64(24) },
};

/** struct statx (256 bytes; timestamps are struct statx_timestamp {s64 sec; u32 nsec; s32 pad}). */
export const STATX: StructLayout<
  | 'stx_mask' | 'stx_blksize' | 'stx_attributes' | 'stx_nlink' | 'stx_uid' | 'stx_gid' | 'stx_mode'
  | 'stx_ino' | 'stx_size' | 'stx_blocks' | 'stx_attributes_mask'
  | 'stx_atime_sec' | 'stx_atime_nsec' | 'stx_btime_sec' | 'stx_btime_nsec'
  | 'stx_ctime_sec' | 'stx_ctime_nsec' | 'stx_mtime_sec' | 'stx_mtime_nsec'
  | 'stx_rdev_major' | 'stx_rdev_minor' | 'stx_dev_major' | 'stx_dev_minor' | 'stx_mnt_id'
  | 'stx_dio_mem_align' | 'stx_dio_offset_align'> = {
  size: 256,
  fields: {
    stx_mask: u32(0), stx_blksize: u32(4), stx_attributes: u64(8), stx_nlink: u32(16), stx_uid: u32(20),
    stx_gid: u32(24), stx_mode: u16(28), stx_ino: u64(32), stx_size: u64(40), stx_blocks: u64(48),
    stx_attributes_mask: u64(56),
    stx_atime_sec: s64(64), stx_atime_nsec: u32(72), stx_btime_sec: s64(80), stx_btime_nsec: u32(88),
    stx_ctime_sec: s64(96), stx_ctime_nsec: u32(104), stx_mtime_sec: s64(112), stx_mtime_nsec: u32(120),
    stx_rdev_major: u32(128), stx_rdev_minor: u32(132), stx_dev_major: u32(136), stx_dev_minor: u32(140),
    stx_mnt_id: u64(144), stx_dio_mem_align: u32(152), stx_dio_offset_align: u32(156),
  },
};

/** struct new_utsname: six NUL-padded 65-byte strings. */
export const UTSNAME: StructLayout<'sysname' | 'nodename' | 'release' | 'version' | 'machine' | 'domainname'> = {
  size: 390,
  fields: {
    sysname: bytes(0, 65), nodename: bytes(65, 65), release: bytes(130, 65),
    version: bytes(195, 65), machine: bytes(260, 65), domainname: bytes(325, 65),
  },
};

/** struct iovec. */
export const IOVEC: StructLayout<'iov_base' | 'iov_len'> = {
  size: 16,
  fields: { iov_base: u64(0), iov_len: u64(8) },
};

/** struct user_msghdr. */
export const MSGHDR: StructLayout<'msg_name' | 'msg_namelen' | 'msg_iov' | 'msg_iovlen' | 'msg_control' | 'msg_controllen' | 'msg_flags'> = {
  size: 56,
  fields: {
    msg_name: u64(0), msg_namelen: u32(8), msg_iov: u64(16), msg_iovlen: u64(24),
    msg_control: u64(32), msg_controllen: u64(40), msg_flags: u32(48),
  },
};

/** struct mmsghdr (sendmmsg/recvmmsg): a msghdr and the byte count. */
export const MMSGHDR: StructLayout<'msg_hdr' | 'msg_len'> = {
  size: 64,
  fields: { msg_hdr: bytes(0, 56), msg_len: u32(56) },
};

/** struct cmsghdr (the header; data follows at CMSG_ALIGN(16)). */
export const CMSGHDR: StructLayout<'cmsg_len' | 'cmsg_level' | 'cmsg_type'> = {
  size: 16,
  fields: { cmsg_len: u64(0), cmsg_level: s32(8), cmsg_type: s32(12) },
};

/** struct ucred (SCM_CREDENTIALS, SO_PEERCRED). */
export const UCRED: StructLayout<'pid' | 'uid' | 'gid'> = {
  size: 12,
  fields: { pid: s32(0), uid: u32(4), gid: u32(8) },
};

/** struct pollfd. */
export const POLLFD: StructLayout<'fd' | 'events' | 'revents'> = {
  size: 8,
  fields: { fd: s32(0), events: s16(4), revents: s16(6) },
};

/** struct rlimit64. */
export const RLIMIT: StructLayout<'rlim_cur' | 'rlim_max'> = {
  size: 16,
  fields: { rlim_cur: u64(0), rlim_max: u64(8) },
};

/** struct rusage (two timevals then fourteen longs). */
export const RUSAGE: StructLayout<
  | 'ru_utime_sec' | 'ru_utime_usec' | 'ru_stime_sec' | 'ru_stime_usec' | 'ru_maxrss' | 'ru_ixrss'
  | 'ru_idrss' | 'ru_isrss' | 'ru_minflt' | 'ru_majflt' | 'ru_nswap' | 'ru_inblock' | 'ru_oublock'
  | 'ru_msgsnd' | 'ru_msgrcv' | 'ru_nsignals' | 'ru_nvcsw' | 'ru_nivcsw'> = {
  size: 144,
  fields: {
    ru_utime_sec: s64(0), ru_utime_usec: u64(8), ru_stime_sec: s64(16), ru_stime_usec: u64(24),
    ru_maxrss: u64(32), ru_ixrss: u64(40), ru_idrss: u64(48), ru_isrss: u64(56), ru_minflt: u64(64),
    ru_majflt: u64(72), ru_nswap: u64(80), ru_inblock: u64(88), ru_oublock: u64(96), ru_msgsnd: u64(104),
    ru_msgrcv: u64(112), ru_nsignals: u64(120), ru_nvcsw: u64(128), ru_nivcsw: u64(136),
  },
};

/** struct sysinfo (64-bit: no _f padding). */
export const SYSINFO: StructLayout<
  | 'uptime' | 'loads0' | 'loads1' | 'loads2' | 'totalram' | 'freeram' | 'sharedram' | 'bufferram'
  | 'totalswap' | 'freeswap' | 'procs' | 'totalhigh' | 'freehigh' | 'mem_unit'> = {
  size: 112,
  fields: {
    uptime: s64(0), loads0: u64(8), loads1: u64(16), loads2: u64(24), totalram: u64(32), freeram: u64(40),
    sharedram: u64(48), bufferram: u64(56), totalswap: u64(64), freeswap: u64(72), procs: u16(80),
    totalhigh: u64(88), freehigh: u64(96), mem_unit: u32(104),
  },
};

/** The kernel's sigset_t as rt_sig* calls pass it (sigsetsize 8): bit N-1 is signal N. */
export const SIGSET: StructLayout<'bits'> = {
  size: 8,
  fields: { bits: u64(0) },
};

/**
 * siginfo_t (128 bytes). The union at 16 is read by si_code: kill/SI_USER/SI_TKILL use si_pid and
 * si_uid, SIGCHLD adds si_status/si_utime/si_stime, faults use si_addr, timers si_tid/si_overrun,
 * queued signals si_value (at 24), SIGSYS si_call_addr/si_syscall/si_arch.
 */
export const SIGINFO: StructLayout<
  | 'si_signo' | 'si_errno' | 'si_code' | 'si_pid' | 'si_uid' | 'si_status' | 'si_utime' | 'si_stime'
  | 'si_addr' | 'si_tid' | 'si_overrun' | 'si_value' | 'si_call_addr' | 'si_syscall' | 'si_arch'
  | 'si_band' | 'si_fd' | 'si_addr_lsb' | 'si_lower' | 'si_upper' | 'si_pkey'> = {
  size: 128,
  fields: {
    si_signo: s32(0), si_errno: s32(4), si_code: s32(8),
    si_pid: s32(16), si_uid: u32(20), si_status: s32(24), si_utime: s64(32), si_stime: s64(40),
    si_addr: u64(16), si_tid: s32(16), si_overrun: s32(20), si_value: u64(24),
    si_call_addr: u64(16), si_syscall: s32(24), si_arch: u32(28),
    si_band: s64(16), si_fd: s32(24),
    // _sigfault's extras after si_addr: the address LSB (BUS_MCEERR_*), the bounds (SEGV_BNDERR), the key (SEGV_PKUERR).
    si_addr_lsb: u16(24), si_lower: u64(32), si_upper: u64(40), si_pkey: u32(32),
  },
};

/** struct linux_dirent64's fixed header; d_name (NUL-terminated) starts at 19. */
export const LINUX_DIRENT64: StructLayout<'d_ino' | 'd_off' | 'd_reclen' | 'd_type'> = {
  size: 19,
  fields: { d_ino: u64(0), d_off: s64(8), d_reclen: u16(16), d_type: u8(18) },
};

/** struct winsize (TIOCGWINSZ). */
export const WINSIZE: StructLayout<'ws_row' | 'ws_col' | 'ws_xpixel' | 'ws_ypixel'> = {
  size: 8,
  fields: { ws_row: u16(0), ws_col: u16(2), ws_xpixel: u16(4), ws_ypixel: u16(6) },
};

/** The kernel's struct termios as TCGETS writes it (NCCS 19, no speed fields). */
export const TERMIOS: StructLayout<'c_iflag' | 'c_oflag' | 'c_cflag' | 'c_lflag' | 'c_line' | 'c_cc'> = {
  size: 36,
  fields: { c_iflag: u32(0), c_oflag: u32(4), c_cflag: u32(8), c_lflag: u32(12), c_line: u8(16), c_cc: bytes(17, 19) },
};

/** stack_t (sigaltstack). */
export const STACK_T: StructLayout<'ss_sp' | 'ss_flags' | 'ss_size'> = {
  size: 24,
  fields: { ss_sp: u64(0), ss_flags: s32(8), ss_size: u64(16) },
};

/** struct robust_list_head (set_robust_list's len is its size, 24). */
export const ROBUST_LIST_HEAD: StructLayout<'list_next' | 'futex_offset' | 'list_op_pending'> = {
  size: 24,
  fields: { list_next: u64(0), futex_offset: s64(8), list_op_pending: u64(16) },
};

/** struct rseq: only its size matters to the tracer (glibc registers 0x20 bytes). */
export const RSEQ: StructLayout<'cpu_id_start' | 'cpu_id' | 'rseq_cs' | 'flags'> = {
  size: 32,
  fields: { cpu_id_start: u32(0), cpu_id: u32(4), rseq_cs: u64(8), flags: u32(16) },
};

/** One word of a CPU affinity mask (sched_getaffinity writes whole unsigned longs). */
export const CPU_MASK_WORD: StructLayout<'bits'> = {
  size: 8,
  fields: { bits: u64(0) },
};

/** struct flock (64-bit off_t everywhere here, so also flock64). */
export const FLOCK: StructLayout<'l_type' | 'l_whence' | 'l_start' | 'l_len' | 'l_pid'> = {
  size: 32,
  fields: { l_type: s16(0), l_whence: s16(2), l_start: s64(8), l_len: s64(16), l_pid: s32(24) },
};

/** struct clone_args (clone3, CLONE_ARGS_SIZE_VER2). */
export const CLONE_ARGS: StructLayout<
  | 'flags' | 'pidfd' | 'child_tid' | 'parent_tid' | 'exit_signal' | 'stack' | 'stack_size' | 'tls'
  | 'set_tid' | 'set_tid_size' | 'cgroup'> = {
  size: 88,
  fields: {
    flags: u64(0), pidfd: u64(8), child_tid: u64(16), parent_tid: u64(24), exit_signal: u64(32),
    stack: u64(40), stack_size: u64(48), tls: u64(56), set_tid: u64(64), set_tid_size: u64(72), cgroup: u64(80),
  },
};

/** struct sockaddr's family field (the rest depends on it). */
export const SOCKADDR: StructLayout<'sa_family'> = {
  size: 2,
  fields: { sa_family: u16(0) },
};

/** struct f_owner_ex (F_GETOWN_EX / F_SETOWN_EX). */
export const F_OWNER_EX: StructLayout<'type' | 'pid'> = {
  size: 8,
  fields: { type: s32(0), pid: s32(4) },
};

/** struct tms (times). */
export const TMS: StructLayout<'tms_utime' | 'tms_stime' | 'tms_cutime' | 'tms_cstime'> = {
  size: 32,
  fields: { tms_utime: s64(0), tms_stime: s64(8), tms_cutime: s64(16), tms_cstime: s64(24) },
};

/** struct statfs (asm-generic/statfs.h with 64-bit words; x86_64's is the same). */
export const STATFS: StructLayout<
  | 'f_type' | 'f_bsize' | 'f_blocks' | 'f_bfree' | 'f_bavail' | 'f_files' | 'f_ffree' | 'f_fsid0' | 'f_fsid1'
  | 'f_namelen' | 'f_frsize' | 'f_flags'> = {
  size: 120,
  fields: {
    f_type: s64(0), f_bsize: s64(8), f_blocks: u64(16), f_bfree: u64(24), f_bavail: u64(32), f_files: u64(40),
    f_ffree: u64(48), f_fsid0: s32(56), f_fsid1: s32(60), f_namelen: s64(64), f_frsize: s64(72), f_flags: s64(80),
  },
};

/** struct utimbuf (utime): two time_t. */
export const UTIMBUF: StructLayout<'actime' | 'modtime'> = {
  size: 16,
  fields: { actime: s64(0), modtime: s64(8) },
};
