// Constants of the smaller families: eventfd, terminals (the kernel's struct termios), ioctl directions.
import { xlat } from './xlat.js';

export const EVENTFD_FLAGS = xlat([['EFD_SEMAPHORE', 1], ['EFD_CLOEXEC', 0o2000000], ['EFD_NONBLOCK', 0o4000]]);

/** userfaultfd's flags (strace's uffd_flags): its own bit, then the open flags it takes. */
export const UFFD_FLAGS = xlat([['UFFD_USER_MODE_ONLY', 1], ['O_NONBLOCK', 0o4000], ['O_CLOEXEC', 0o2000000]]);

export const IOC_DIRS = xlat([['_IOC_NONE', 0], ['_IOC_READ', 2], ['_IOC_WRITE', 1]]);

export const TERM_IFLAGS = xlat([
  ['IGNBRK', 0x1], ['BRKINT', 0x2], ['IGNPAR', 0x4], ['PARMRK', 0x8], ['INPCK', 0x10], ['ISTRIP', 0x20],
  ['INLCR', 0x40], ['IGNCR', 0x80], ['ICRNL', 0x100], ['IUCLC', 0x200], ['IXON', 0x400], ['IXANY', 0x800],
  ['IXOFF', 0x1000], ['IMAXBEL', 0x2000], ['IUTF8', 0x4000],
]);

export const TERM_OFLAGS = xlat([
  ['XTABS', 0x1800], ['OPOST', 0x1], ['OLCUC', 0x2], ['ONLCR', 0x4], ['OCRNL', 0x8], ['ONOCR', 0x10],
  ['ONLRET', 0x20], ['OFILL', 0x40], ['OFDEL', 0x80],
]);

/** The delay fields of c_oflag: [mask, values, default comment]. */
export const TERM_ODELAYS: readonly (readonly [number, ReturnType<typeof xlat>, string])[] = [
  [0x100, xlat([['NL0', 0], ['NL1', 0x100]]), 'NL?'],
  [0x600, xlat([['CR0', 0], ['CR1', 0x200], ['CR2', 0x400], ['CR3', 0x600]]), 'CR?'],
  [0x1800, xlat([['XTABS', 0x1800], ['TAB0', 0], ['TAB1', 0x800], ['TAB2', 0x1000], ['TAB3', 0x1800]]), 'TAB?'],
  [0x2000, xlat([['BS1', 0x2000], ['BS0', 0]]), 'BS?'],
  [0x4000, xlat([['VT0', 0], ['VT1', 0x4000]]), 'VT?'],
  [0x8000, xlat([['FF0', 0], ['FF1', 0x8000]]), 'FF?'],
];

export const TERM_CBAUD = 0x100f;
export const TERM_CIBAUD = 0x100f0000;
export const TERM_CSIZE = 0x30;

export const BAUD_RATES = xlat([
  ['B0', 0], ['B50', 1], ['B75', 2], ['B110', 3], ['B134', 4], ['B150', 5], ['B200', 6], ['B300', 7],
  ['B600', 8], ['B1200', 9], ['B1800', 10], ['B2400', 11], ['B4800', 12], ['B9600', 13], ['B19200', 14],
  ['B38400', 15], ['B57600', 0x1001], ['B115200', 0x1002], ['B230400', 0x1003], ['B460800', 0x1004],
  ['B500000', 0x1005], ['B576000', 0x1006], ['B921600', 0x1007], ['B1000000', 0x1008], ['B1152000', 0x1009],
  ['B1500000', 0x100a], ['B2000000', 0x100b], ['B2500000', 0x100c], ['B3000000', 0x100d],
  ['B3500000', 0x100e], ['B4000000', 0x100f], ['BOTHER', 0x1000],
]);

export const TERM_CSIZES = xlat([['CS5', 0], ['CS6', 0x10], ['CS7', 0x20], ['CS8', 0x30]]);

export const TERM_CFLAGS = xlat([
  ['CSTOPB', 0x40], ['CREAD', 0x80], ['PARENB', 0x100], ['PARODD', 0x200], ['HUPCL', 0x400],
  ['CLOCAL', 0x800], ['CMSPAR', 0x40000000], ['CRTSCTS', 0x80000000],
]);

export const TERM_LFLAGS = xlat([
  ['ISIG', 0x1], ['ICANON', 0x2], ['XCASE', 0x4], ['ECHO', 0x8], ['ECHOE', 0x10], ['ECHOK', 0x20],
  ['ECHONL', 0x40], ['NOFLSH', 0x80], ['IEXTEN', 0x8000], ['ECHOCTL', 0x200], ['ECHOPRT', 0x400],
  ['ECHOKE', 0x800], ['FLUSHO', 0x1000], ['PENDIN', 0x4000], ['TOSTOP', 0x100], ['EXTPROC', 0x10000],
]);

/** c_cc indices with names (17 and 18 have none). */
export const TERMIOS_CC = xlat([
  ['VINTR', 0], ['VQUIT', 1], ['VERASE', 2], ['VKILL', 3], ['VEOL2', 16], ['VSWTC', 7], ['VSTART', 8],
  ['VSTOP', 9], ['VSUSP', 10], ['VREPRINT', 12], ['VDISCARD', 13], ['VWERASE', 14], ['VLNEXT', 15],
  ['VMIN', 6], ['VTIME', 5], ['VEOF', 4], ['VEOL', 11],
]);

export const TERM_LINE_DISCS = xlat([
  ['N_TTY', 0], ['N_SLIP', 1], ['N_MOUSE', 2], ['N_PPP', 3], ['N_STRIP', 4], ['N_AX25', 5], ['N_X25', 6],
  ['N_6PACK', 7], ['N_MASC', 8], ['N_R3964', 9], ['N_PROFIBUS_FDL', 10], ['N_IRDA', 11], ['N_SMSBLOCK', 12],
  ['N_HDLC', 13], ['N_SYNC_PPP', 14], ['N_HCI', 15], ['N_GIGASET_M101', 16], ['N_SLCAN', 17], ['N_PPS', 18],
  ['N_V253', 19], ['N_CAIF', 20], ['N_GSM0710', 21], ['N_TI_WL', 22], ['N_TRACESINK', 23],
  ['N_TRACEROUTER', 24], ['N_NCI', 25], ['N_SPEAKUP', 26], ['N_NULL', 27],
]);

export const TCFLSH_OPTIONS = xlat([['TCIFLUSH', 0], ['TCOFLUSH', 1], ['TCIOFLUSH', 2]]);
export const TCXONC_OPTIONS = xlat([['TCOOFF', 0], ['TCOON', 1], ['TCIOFF', 2], ['TCION', 3]]);

// strace 6.1 names only these three (MFD_NOEXEC_SEAL and MFD_EXEC came in Linux 6.3): the rest prints as hex.
export const MEMFD_FLAGS = xlat([['MFD_CLOEXEC', 1], ['MFD_ALLOW_SEALING', 2], ['MFD_HUGETLB', 4]]);

export const INOTIFY_INIT_FLAGS = xlat([['IN_NONBLOCK', 0o4000], ['IN_CLOEXEC', 0o2000000]]);

export const INOTIFY_MASK = xlat([
  ['IN_ACCESS', 0x1], ['IN_MODIFY', 0x2], ['IN_ATTRIB', 0x4], ['IN_CLOSE_WRITE', 0x8], ['IN_CLOSE_NOWRITE', 0x10],
  ['IN_OPEN', 0x20], ['IN_MOVED_FROM', 0x40], ['IN_MOVED_TO', 0x80], ['IN_CREATE', 0x100], ['IN_DELETE', 0x200],
  ['IN_DELETE_SELF', 0x400], ['IN_MOVE_SELF', 0x800], ['IN_UNMOUNT', 0x2000], ['IN_Q_OVERFLOW', 0x4000],
  ['IN_IGNORED', 0x8000], ['IN_ONLYDIR', 0x01000000], ['IN_DONT_FOLLOW', 0x02000000], ['IN_EXCL_UNLINK', 0x04000000],
  ['IN_MASK_CREATE', 0x10000000], ['IN_MASK_ADD', 0x20000000], ['IN_ISDIR', 0x40000000], ['IN_ONESHOT', 0x80000000],
]);

export const FADVISE_ADVICE = xlat([
  ['POSIX_FADV_NORMAL', 0], ['POSIX_FADV_RANDOM', 1], ['POSIX_FADV_SEQUENTIAL', 2], ['POSIX_FADV_WILLNEED', 3],
  ['POSIX_FADV_DONTNEED', 4], ['POSIX_FADV_NOREUSE', 5],
]);

export const PRIORITY_WHICH = xlat([['PRIO_PROCESS', 0], ['PRIO_PGRP', 1], ['PRIO_USER', 2]]);
