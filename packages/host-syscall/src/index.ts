// The host's raw syscall(2), for the emulated kernel's pass-through of file, pipe, socket and
// readiness calls. Guest memory is host memory, so validated guest pointers go straight in.
// Numbers here are the *host's* (x86_64) syscall numbers, never a guest's.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type RawSyscall = (nr: number, a: bigint, b: bigint, c: bigint, d: bigint, e: bigint, f: bigint) => number | bigint;

interface Koffi {
  load(name: string): { func(signature: string): (...args: never[]) => unknown };
  errno(): number;
}

let raw: RawSyscall | undefined;
let koffi: Koffi | undefined;

function bind(): RawSyscall {
  koffi = require('koffi') as Koffi;
  // glibc's syscall() is an assembly stub that only moves registers, so declaring it with
  // fixed arguments is safe on x86_64 and avoids koffi's slower variadic path.
  raw = koffi.load('libc.so.6').func('int64 syscall(int64, int64, int64, int64, int64, int64, int64)') as RawSyscall;
  return raw;
}

/** Calls host syscall `nr`; returns the result, or -errno on failure (the kernel's convention). */
export function hostSyscall(nr: number, a = 0n, b = 0n, c = 0n, d = 0n, e = 0n, f = 0n): bigint {
  const fn = raw ?? bind();
  const r = BigInt(fn(nr, a, b, c, d, e, f));
  if (r === -1n) return -BigInt(koffi!.errno());
  return r;
}

/** Host x86_64 syscall numbers the kernel passes through. */
export const HOST = {
  read: 0, write: 1, close: 3, fstat: 5, poll: 7, lseek: 8, ioctl: 16, pread64: 17, pwrite64: 18,
  readv: 19, writev: 20, pipe: 22, select: 23, dup: 32, dup2: 33, sendmsg: 46, recvmsg: 47,
  shutdown: 48, socketpair: 53, fcntl: 72, ftruncate: 77, getdents64: 217, fchdir: 81,
  epoll_ctl: 233, openat: 257, mkdirat: 258, newfstatat: 262, unlinkat: 263, renameat2: 316,
  linkat: 265, symlinkat: 266, readlinkat: 267, fchmodat: 268, faccessat: 269, pselect6: 270,
  ppoll: 271, epoll_pwait: 281, eventfd2: 290, epoll_create1: 291, dup3: 292, pipe2: 293,
  statx: 332, close_range: 436, faccessat2: 439, getrandom: 318, sched_getaffinity: 204,
  sysinfo: 99, prlimit64: 302, memfd_create: 319, clock_gettime: 228, clock_getres: 229, gettimeofday: 96,
  nanosleep: 35, clock_nanosleep: 230, chdir: 80, getcwd: 79, umask: 95, uname: 63,
  preadv: 295, pwritev: 296, preadv2: 327, pwritev2: 328, mknodat: 259, truncate: 76, fsync: 74,
  fdatasync: 75, sync: 162, fchmod: 91, fchown: 93, fchownat: 260, fchmodat2: 452, getdents: 78,
  socket: 41, connect: 42, accept: 43, sendto: 44, recvfrom: 45, bind: 49, listen: 50,
  getsockname: 51, getpeername: 52, setsockopt: 54, getsockopt: 55, accept4: 288,
  epoll_create: 213, epoll_wait: 232, epoll_pwait2: 441, eventfd: 284,
  times: 100, getrusage: 98, sendfile: 40, fallocate: 285, fadvise64: 221, syncfs: 306, pause: 34, ioprio_get: 252, ioprio_set: 251, utimensat: 280, futimesat: 261, utimes: 235, utime: 132, statfs: 137, fstatfs: 138,
  setxattr: 188, lsetxattr: 189, fsetxattr: 190, getxattr: 191, lgetxattr: 192, fgetxattr: 193,
  flock: 73, inotify_init1: 294, inotify_add_watch: 254, inotify_rm_watch: 255,
  listxattr: 194, llistxattr: 195, flistxattr: 196, removexattr: 197, lremovexattr: 198, fremovexattr: 199,
} as const;

/**
 * Ends this process by signal `sig` with the default action, as strace does when its tracee
 * was killed: core dumps off, the handler reset to SIG_DFL, then raise(). Returns only if the
 * signal did not end the process.
 */
export function dieBySignal(sig: number): void {
  if (raw === undefined) bind();
  const libc = koffi!.load('libc.so.6');
  const signal = libc.func('void *signal(int sig, void *handler)') as (s: number, h: null) => unknown;
  const setrlimit = libc.func('int setrlimit(int resource, const uint64_t *limit)') as (r: number, l: BigUint64Array) => number;
  const raise = libc.func('int raise(int sig)') as (s: number) => number;
  setrlimit(4 /* RLIMIT_CORE */, new BigUint64Array([0n, 0n]));
  signal(sig, null);
  raise(sig);
}
