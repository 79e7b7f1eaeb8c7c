// Linux errno values shared by x86_64, aarch64 and riscv64 (all use asm-generic/errno.h),
// with the text strace prints after the name: `= -1 ENOENT (No such file or directory)`.
//
// 1..133: names from the kernel's asm-generic/errno-base.h and errno.h, messages from
// glibc's strerror (strace prints strerror()). 41 and 58 have no name on these
// architectures (strace prints `(errno 41)`).
// 512..530: kernel-internal codes a tracer can observe at syscall exit. Four of them
// are printed by strace with its own text (syscall.c, print_erestart) and a `?` return
// value; the rest get glibc's "Unknown error N".

const ERRNO_ROWS = [
  ['EPERM',                 1,   'Operation not permitted'],
  ['ENOENT',                2,   'No such file or directory'],
  ['ESRCH',                 3,   'No such process'],
  ['EINTR',                 4,   'Interrupted system call'],
  ['EIO',                   5,   'Input/output error'],
  ['ENXIO',                 6,   'No such device or address'],
  ['E2BIG',                 7,   'Argument list too long'],
  ['ENOEXEC',               8,   'Exec format error'],
  ['EBADF',                 9,   'Bad file descriptor'],
  ['ECHILD',                10,  'No child processes'],
  ['EAGAIN',                11,  'Resource temporarily unavailable'],
  ['ENOMEM',                12,  'Cannot allocate memory'],
  ['EACCES',                13,  'Permission denied'],
  ['EFAULT',                14,  'Bad address'],
  ['ENOTBLK',               15,  'Block device required'],
  ['EBUSY',                 16,  'Device or resource busy'],
  ['EEXIST',                17,  'File exists'],
  ['EXDEV',                 18,  'Invalid cross-device link'],
  ['ENODEV',                19,  'No such device'],
  ['ENOTDIR',               20,  'Not a directory'],
  ['EISDIR',                21,  'Is a directory'],
  ['EINVAL',                22,  'Invalid argument'],
  ['ENFILE',                23,  'Too many open files in system'],
  ['EMFILE',                24,  'Too many open files'],
  ['ENOTTY',                25,  'Inappropriate ioctl for device'],
  ['ETXTBSY',               26,  'Text file busy'],
  ['EFBIG',                 27,  'File too large'],
  ['ENOSPC',                28,  'No space left on device'],
  ['ESPIPE',                29,  'Illegal seek'],
  ['EROFS',                 30,  'Read-only file system'],
  ['EMLINK',                31,  'Too many links'],
  ['EPIPE',                 32,  'Broken pipe'],
  ['EDOM',                  33,  'Numerical argument out of domain'],
  ['ERANGE',                34,  'Numerical result out of range'],
  ['EDEADLK',               35,  'Resource deadlock avoided'],
  ['ENAMETOOLONG',          36,  'File name too long'],
  ['ENOLCK',                37,  'No locks available'],
  ['ENOSYS',                38,  'Function not implemented'],
  ['ENOTEMPTY',             39,  'Directory not empty'],
  ['ELOOP',                 40,  'Too many levels of symbolic links'],
  ['ENOMSG',                42,  'No message of desired type'],
  ['EIDRM',                 43,  'Identifier removed'],
  ['ECHRNG',                44,  'Channel number out of range'],
  ['EL2NSYNC',              45,  'Level 2 not synchronized'],
  ['EL3HLT',                46,  'Level 3 halted'],
  ['EL3RST',                47,  'Level 3 reset'],
  ['ELNRNG',                48,  'Link number out of range'],
  ['EUNATCH',               49,  'Protocol driver not attached'],
  ['ENOCSI',                50,  'No CSI structure available'],
  ['EL2HLT',                51,  'Level 2 halted'],
  ['EBADE',                 52,  'Invalid exchange'],
  ['EBADR',                 53,  'Invalid request descriptor'],
  ['EXFULL',                54,  'Exchange full'],
  ['ENOANO',                55,  'No anode'],
  ['EBADRQC',               56,  'Invalid request code'],
  ['EBADSLT',               57,  'Invalid slot'],
  ['EBFONT',                59,  'Bad font file format'],
  ['ENOSTR',                60,  'Device not a stream'],
  ['ENODATA',               61,  'No data available'],
  ['ETIME',                 62,  'Timer expired'],
  ['ENOSR',                 63,  'Out of streams resources'],
  ['ENONET',                64,  'Machine is not on the network'],
  ['ENOPKG',                65,  'Package not installed'],
  ['EREMOTE',               66,  'Object is remote'],
  ['ENOLINK',               67,  'Link has been severed'],
  ['EADV',                  68,  'Advertise error'],
  ['ESRMNT',                69,  'Srmount error'],
  ['ECOMM',                 70,  'Communication error on send'],
  ['EPROTO',                71,  'Protocol error'],
  ['EMULTIHOP',             72,  'Multihop attempted'],
  ['EDOTDOT',               73,  'RFS specific error'],
  ['EBADMSG',               74,  'Bad message'],
  ['EOVERFLOW',             75,  'Value too large for defined data type'],
  ['ENOTUNIQ',              76,  'Name not unique on network'],
  ['EBADFD',                77,  'File descriptor in bad state'],
  ['EREMCHG',               78,  'Remote address changed'],
  ['ELIBACC',               79,  'Can not access a needed shared library'],
  ['ELIBBAD',               80,  'Accessing a corrupted shared library'],
  ['ELIBSCN',               81,  '.lib section in a.out corrupted'],
  ['ELIBMAX',               82,  'Attempting to link in too many shared libraries'],
  ['ELIBEXEC',              83,  'Cannot exec a shared library directly'],
  ['EILSEQ',                84,  'Invalid or incomplete multibyte or wide character'],
  ['ERESTART',              85,  'Interrupted system call should be restarted'],
  ['ESTRPIPE',              86,  'Streams pipe error'],
  ['EUSERS',                87,  'Too many users'],
  ['ENOTSOCK',              88,  'Socket operation on non-socket'],
  ['EDESTADDRREQ',          89,  'Destination address required'],
  ['EMSGSIZE',              90,  'Message too long'],
  ['EPROTOTYPE',            91,  'Protocol wrong type for socket'],
  ['ENOPROTOOPT',           92,  'Protocol not available'],
  ['EPROTONOSUPPORT',       93,  'Protocol not supported'],
  ['ESOCKTNOSUPPORT',       94,  'Socket type not supported'],
  ['EOPNOTSUPP',            95,  'Operation not supported'],
  ['EPFNOSUPPORT',          96,  'Protocol family not supported'],
  ['EAFNOSUPPORT',          97,  'Address family not supported by protocol'],
  ['EADDRINUSE',            98,  'Address already in use'],
  ['EADDRNOTAVAIL',         99,  'Cannot assign requested address'],
  ['ENETDOWN',              100, 'Network is down'],
  ['ENETUNREACH',           101, 'Network is unreachable'],
  ['ENETRESET',             102, 'Network dropped connection on reset'],
  ['ECONNABORTED',          103, 'Software caused connection abort'],
  ['ECONNRESET',            104, 'Connection reset by peer'],
  ['ENOBUFS',               105, 'No buffer space available'],
  ['EISCONN',               106, 'Transport endpoint is already connected'],
  ['ENOTCONN',              107, 'Transport endpoint is not connected'],
  ['ESHUTDOWN',             108, 'Cannot send after transport endpoint shutdown'],
  ['ETOOMANYREFS',          109, 'Too many references: cannot splice'],
  ['ETIMEDOUT',             110, 'Connection timed out'],
  ['ECONNREFUSED',          111, 'Connection refused'],
  ['EHOSTDOWN',             112, 'Host is down'],
  ['EHOSTUNREACH',          113, 'No route to host'],
  ['EALREADY',              114, 'Operation already in progress'],
  ['EINPROGRESS',           115, 'Operation now in progress'],
  ['ESTALE',                116, 'Stale file handle'],
  ['EUCLEAN',               117, 'Structure needs cleaning'],
  ['ENOTNAM',               118, 'Not a XENIX named type file'],
  ['ENAVAIL',               119, 'No XENIX semaphores available'],
  ['EISNAM',                120, 'Is a named type file'],
  ['EREMOTEIO',             121, 'Remote I/O error'],
  ['EDQUOT',                122, 'Disk quota exceeded'],
  ['ENOMEDIUM',             123, 'No medium found'],
  ['EMEDIUMTYPE',           124, 'Wrong medium type'],
  ['ECANCELED',             125, 'Operation canceled'],
  ['ENOKEY',                126, 'Required key not available'],
  ['EKEYEXPIRED',           127, 'Key has expired'],
  ['EKEYREVOKED',           128, 'Key has been revoked'],
  ['EKEYREJECTED',          129, 'Key was rejected by service'],
  ['EOWNERDEAD',            130, 'Owner died'],
  ['ENOTRECOVERABLE',       131, 'State not recoverable'],
  ['ERFKILL',               132, 'Operation not possible due to RF-kill'],
  ['EHWPOISON',             133, 'Memory page has hardware error'],
  // kernel-internal (include/linux/errno.h), never returned to user space
  ['ERESTARTSYS',           512, 'To be restarted if SA_RESTART is set'],
  ['ERESTARTNOINTR',        513, 'To be restarted'],
  ['ERESTARTNOHAND',        514, 'To be restarted if no handler'],
  ['ENOIOCTLCMD',           515, 'Unknown error 515'],
  ['ERESTART_RESTARTBLOCK', 516, 'Interrupted by signal'],
  ['EPROBE_DEFER',          517, 'Unknown error 517'],
  ['EOPENSTALE',            518, 'Unknown error 518'],
  ['ENOPARAM',              519, 'Unknown error 519'],
  ['EBADHANDLE',            521, 'Unknown error 521'],
  ['ENOTSYNC',              522, 'Unknown error 522'],
  ['EBADCOOKIE',            523, 'Unknown error 523'],
  ['ENOTSUPP',              524, 'Unknown error 524'],
  ['ETOOSMALL',             525, 'Unknown error 525'],
  ['ESERVERFAULT',          526, 'Unknown error 526'],
  ['EBADTYPE',              527, 'Unknown error 527'],
  ['EJUKEBOX',              528, 'Unknown error 528'],
  ['EIOCBQUEUED',           529, 'Unknown error 529'],
  ['ERECALLCONFLICT',       530, 'Unknown error 530'],
] as const;

type ErrnoRow = (typeof ERRNO_ROWS)[number];

/** Names the kernel headers give as aliases of another errno; strace prints the canonical one. */
const ALIASES = {
  EWOULDBLOCK: 11, // EAGAIN
  EDEADLOCK: 35, // EDEADLK
} as const;

/**
 * Named errno constants: `E.ENOENT === 2`. Includes the kernel-internal codes and the
 * EWOULDBLOCK/EDEADLOCK aliases.
 */
export const E: { readonly [R in ErrnoRow as R[0]]: R[1] } & typeof ALIASES = Object.freeze({
  ...Object.fromEntries(ERRNO_ROWS.map(([name, value]) => [name, value])),
  ...ALIASES,
}) as { readonly [R in ErrnoRow as R[0]]: R[1] } & typeof ALIASES;

/** errno -> canonical name and the message strace prints after it. */
export const ERRNO: ReadonlyMap<number, { readonly name: string; readonly message: string }> = new Map(
  ERRNO_ROWS.map(([name, value, message]) => [value, Object.freeze({ name, message })]),
);

const BY_NAME: ReadonlyMap<string, number> = new Map<string, number>([
  ...ERRNO_ROWS.map(([name, value]): [string, number] => [name, value]),
  ...Object.entries(ALIASES),
]);

/** An errno by name (`ENOENT`, also the aliases); undefined if unknown. */
export function errnoNumber(name: string): number | undefined {
  return BY_NAME.get(name);
}

/** An errno's canonical name; undefined if it has none. */
export function errnoName(errno: number): string | undefined {
  return ERRNO.get(errno)?.name;
}

/**
 * Codes strace's errno table (linux/generic/errnoent.h) does not name even though the
 * kernel does: strace prints them as unknown.
 */
const UNNAMED_BY_STRACE: ReadonlySet<number> = new Set([E.ENOPARAM]);

/**
 * What strace prints for a failed syscall after its return value:
 * `ENOENT (No such file or directory)`, `ERESTARTSYS (To be restarted if SA_RESTART is set)`,
 * and for an errno it cannot name `(errno 1234)` (syscall.c prints exactly that, parentheses
 * included, so `= -1 ${formatErrno(e)}` is strace's line either way).
 */
export function formatErrno(errno: number): string {
  const entry = ERRNO.get(errno);
  if (entry === undefined || UNNAMED_BY_STRACE.has(errno)) return `(errno ${errno})`;
  return `${entry.name} (${entry.message})`;
}

/**
 * Kernel-internal restart codes that strace shows with `?` as the return value
 * (`= ? ERESTARTSYS (...)`) rather than `-1`.
 */
export function isRestartErrno(errno: number): boolean {
  return errno === E.ERESTARTSYS || errno === E.ERESTARTNOINTR ||
    errno === E.ERESTARTNOHAND || errno === E.ERESTART_RESTARTBLOCK;
}
