// File-system constants (open, *at, access, lseek, fcntl, rename, statx, modes).
import type { ArchDescriptor } from '../../arch/types.js';
import { xlat, type Xlat } from './xlat.js';

/** O_RDONLY/O_WRONLY/O_RDWR: the low two bits of open's flags. */
export const OPEN_ACCESS_MODES = xlat([['O_RDONLY', 0], ['O_WRONLY', 1], ['O_RDWR', 2], ['O_ACCMODE', 3]]);

const openModeFlagsCache = new WeakMap<ArchDescriptor['openFlags'], Xlat>();

/**
 * open(2) flags other than the access mode, in strace's print order. O_DIRECTORY, O_NOFOLLOW,
 * O_DIRECT and O_LARGEFILE differ per architecture and come from the arch descriptor.
 */
export function openModeFlags(arch: ArchDescriptor): Xlat {
  const f = arch.openFlags;
  let table = openModeFlagsCache.get(f);
  if (table === undefined) {
    table = xlat([
      ['O_CREAT', 0o100],
      ['O_EXCL', 0o200],
      ['O_NOCTTY', 0o400],
      ['O_TRUNC', 0o1000],
      ['O_APPEND', 0o2000],
      ['O_NONBLOCK', 0o4000],
      ['O_SYNC', 0o4010000],
      ['__O_SYNC', 0o4000000],
      ['O_DSYNC', 0o10000],
      ['O_DIRECT', f.O_DIRECT],
      ['O_LARGEFILE', f.O_LARGEFILE],
      ['O_NOFOLLOW', f.O_NOFOLLOW],
      ['O_NOATIME', 0o1000000],
      ['O_CLOEXEC', 0o2000000],
      ['O_PATH', 0o10000000],
      ['O_TMPFILE', 0o20000000 | f.O_DIRECTORY],
      ['__O_TMPFILE', 0o20000000],
      ['O_DIRECTORY', f.O_DIRECTORY],
      ['FASYNC', 0o20000],
    ]);
    openModeFlagsCache.set(f, table);
  }
  return table;
}

export const O_CREAT = 0o100;
export const O_TMPFILE_BIT = 0o20000000;
export const O_CLOEXEC = 0o2000000;
export const O_NONBLOCK = 0o4000;

export const AT_FDCWD = -100;

export const AT_FLAGS = xlat([
  ['AT_SYMLINK_NOFOLLOW', 0x100],
  ['AT_REMOVEDIR', 0x200],
  ['AT_SYMLINK_FOLLOW', 0x400],
  ['AT_NO_AUTOMOUNT', 0x800],
  ['AT_EMPTY_PATH', 0x1000],
  ['AT_RECURSIVE', 0x8000],
]);

/** faccessat2's flags: AT_EACCESS shares its value with AT_REMOVEDIR. */
export const FACCESSAT_FLAGS = xlat([
  ['AT_SYMLINK_NOFOLLOW', 0x100],
  ['AT_EACCESS', 0x200],
  ['AT_EMPTY_PATH', 0x1000],
]);

/** statx's flags: the AT_* bits plus the sync type (a two-bit field). */
export const STATX_SYNC_TYPES = xlat([
  ['AT_STATX_SYNC_AS_STAT', 0x0000],
  ['AT_STATX_FORCE_SYNC', 0x2000],
  ['AT_STATX_DONT_SYNC', 0x4000],
]);
export const AT_STATX_SYNC_TYPE = 0x6000;

export const ACCESS_MODES = xlat([['F_OK', 0], ['R_OK', 4], ['W_OK', 2], ['X_OK', 1]]);

export const SEEK_WHENCE = xlat([
  ['SEEK_SET', 0], ['SEEK_CUR', 1], ['SEEK_END', 2], ['SEEK_DATA', 3], ['SEEK_HOLE', 4],
]);

export const FCNTL_CMDS = xlat([
  ['F_DUPFD', 0], ['F_GETFD', 1], ['F_SETFD', 2], ['F_GETFL', 3], ['F_SETFL', 4],
  ['F_GETLK', 5], ['F_SETLK', 6], ['F_SETLKW', 7], ['F_SETOWN', 8], ['F_GETOWN', 9],
  ['F_SETSIG', 10], ['F_GETSIG', 11], ['F_SETOWN_EX', 15], ['F_GETOWN_EX', 16],
  ['F_GETOWNER_UIDS', 17], ['F_OFD_GETLK', 36], ['F_OFD_SETLK', 37], ['F_OFD_SETLKW', 38],
  ['F_SETLEASE', 1024], ['F_GETLEASE', 1025], ['F_NOTIFY', 1026], ['F_CANCELLK', 1029],
  ['F_DUPFD_CLOEXEC', 1030], ['F_SETPIPE_SZ', 1031], ['F_GETPIPE_SZ', 1032],
  ['F_ADD_SEALS', 1033], ['F_GET_SEALS', 1034],
]);

/** fcntl command numbers the decoders branch on. */
export const F = {
  DUPFD: 0, GETFD: 1, SETFD: 2, GETFL: 3, SETFL: 4, GETLK: 5, SETLK: 6, SETLKW: 7,
  SETOWN: 8, GETOWN: 9, SETSIG: 10, GETSIG: 11, SETOWN_EX: 15, GETOWN_EX: 16,
  OFD_GETLK: 36, OFD_SETLK: 37, OFD_SETLKW: 38, SETLEASE: 1024, GETLEASE: 1025,
  NOTIFY: 1026, DUPFD_CLOEXEC: 1030, SETPIPE_SZ: 1031, GETPIPE_SZ: 1032,
  ADD_SEALS: 1033, GET_SEALS: 1034,
} as const;

export const FD_FLAGS = xlat([['FD_CLOEXEC', 1]]);

export const LOCK_TYPES = xlat([['F_RDLCK', 0], ['F_WRLCK', 1], ['F_UNLCK', 2], ['F_EXLCK', 4], ['F_SHLCK', 8]]);

export const F_SEALS = xlat([
  ['F_SEAL_SEAL', 1], ['F_SEAL_SHRINK', 2], ['F_SEAL_GROW', 4], ['F_SEAL_WRITE', 8], ['F_SEAL_FUTURE_WRITE', 0x10],
]);

export const DNOTIFY_FLAGS = xlat([
  ['DN_ACCESS', 1], ['DN_MODIFY', 2], ['DN_CREATE', 4], ['DN_DELETE', 8], ['DN_RENAME', 0x10],
  ['DN_ATTRIB', 0x20], ['DN_MULTISHOT', 0x80000000],
]);

export const F_OWNER_TYPES = xlat([['F_OWNER_TID', 0], ['F_OWNER_PID', 1], ['F_OWNER_PGRP', 2]]);

export const RENAME_FLAGS = xlat([['RENAME_NOREPLACE', 1], ['RENAME_EXCHANGE', 2], ['RENAME_WHITEOUT', 4]]);

export const CLOSE_RANGE_FLAGS = xlat([['CLOSE_RANGE_UNSHARE', 2], ['CLOSE_RANGE_CLOEXEC', 4]]);

/** The file type bits of a mode (S_IFMT), in strace's lookup order. */
export const S_IFMT = 0o170000;
export const FILE_TYPES = xlat([
  ['S_IFREG', 0o100000], ['S_IFSOCK', 0o140000], ['S_IFIFO', 0o10000], ['S_IFLNK', 0o120000],
  ['S_IFDIR', 0o40000], ['S_IFBLK', 0o60000], ['S_IFCHR', 0o20000],
]);

export const STATX_MASK = xlat([
  ['STATX_ALL', 0xfff], ['STATX_BASIC_STATS', 0x7ff], ['STATX_TYPE', 0x1], ['STATX_MODE', 0x2],
  ['STATX_NLINK', 0x4], ['STATX_UID', 0x8], ['STATX_GID', 0x10], ['STATX_ATIME', 0x20],
  ['STATX_MTIME', 0x40], ['STATX_CTIME', 0x80], ['STATX_INO', 0x100], ['STATX_SIZE', 0x200],
  ['STATX_BLOCKS', 0x400], ['STATX_BTIME', 0x800], ['STATX_MNT_ID', 0x1000], ['STATX_DIOALIGN', 0x2000],
]);

export const STATX_ATTRS = xlat([
  ['STATX_ATTR_COMPRESSED', 0x4], ['STATX_ATTR_IMMUTABLE', 0x10], ['STATX_ATTR_APPEND', 0x20],
  ['STATX_ATTR_NODUMP', 0x40], ['STATX_ATTR_ENCRYPTED', 0x800], ['STATX_ATTR_AUTOMOUNT', 0x1000],
  ['STATX_ATTR_MOUNT_ROOT', 0x2000], ['STATX_ATTR_VERITY', 0x100000], ['STATX_ATTR_DAX', 0x200000],
]);

/** linux_dirent64's d_type. */
export const DIRENT_TYPES = xlat([
  ['DT_UNKNOWN', 0], ['DT_FIFO', 1], ['DT_CHR', 2], ['DT_DIR', 4], ['DT_BLK', 6], ['DT_REG', 8],
  ['DT_LNK', 10], ['DT_SOCK', 12], ['DT_WHT', 14],
]);

/** statfs f_type: file system magic numbers (linux/magic.h), the common ones. */
export const FS_MAGIC = xlat([
  ['ADFS_SUPER_MAGIC', 0xadf5], ['AUTOFS_SUPER_MAGIC', 0x0187], ['BPF_FS_MAGIC', 0xcafe4a11],
  ['BTRFS_SUPER_MAGIC', 0x9123683e], ['CGROUP_SUPER_MAGIC', 0x27e0eb], ['CGROUP2_SUPER_MAGIC', 0x63677270],
  ['CONFIGFS_MAGIC', 0x62656570], ['DEBUGFS_MAGIC', 0x64626720], ['DEVPTS_SUPER_MAGIC', 0x1cd1],
  ['ECRYPTFS_SUPER_MAGIC', 0xf15f], ['EFIVARFS_MAGIC', 0xde5e81e4], ['EXT2_SUPER_MAGIC', 0xef53],
  ['F2FS_SUPER_MAGIC', 0xf2f52010], ['FUSE_SUPER_MAGIC', 0x65735546], ['HUGETLBFS_MAGIC', 0x958458f6],
  ['ISOFS_SUPER_MAGIC', 0x9660], ['MQUEUE_MAGIC', 0x19800202], ['MSDOS_SUPER_MAGIC', 0x4d44],
  ['NFS_SUPER_MAGIC', 0x6969], ['NSFS_MAGIC', 0x6e736673], ['OVERLAYFS_SUPER_MAGIC', 0x794c7630],
  ['PIPEFS_MAGIC', 0x50495045], ['PROC_SUPER_MAGIC', 0x9fa0], ['RAMFS_MAGIC', 0x858458f6],
  ['SECURITYFS_MAGIC', 0x73636673], ['SELINUX_MAGIC', 0xf97cff8c], ['SMB2_SUPER_MAGIC', 0xfe534d42],
  ['SOCKFS_MAGIC', 0x534f434b], ['SQUASHFS_MAGIC', 0x73717368], ['SYSFS_MAGIC', 0x62656572],
  ['TMPFS_MAGIC', 0x01021994], ['TRACEFS_MAGIC', 0x74726163], ['V9FS_MAGIC', 0x01021997],
  ['XFS_SUPER_MAGIC', 0x58465342], ['ZFS_SUPER_MAGIC', 0x2fc12fc1],
]);

/** statfs f_flags (ST_* of statvfs, as the kernel reports them), in strace's order: ST_VALID first. */
export const STATFS_FLAGS = xlat([
  ['ST_VALID', 0x20], ['ST_RDONLY', 0x1], ['ST_NOSUID', 0x2], ['ST_NODEV', 0x4], ['ST_NOEXEC', 0x8],
  ['ST_SYNCHRONOUS', 0x10], ['ST_MANDLOCK', 0x40], ['ST_WRITE', 0x80], ['ST_APPEND', 0x100],
  ['ST_IMMUTABLE', 0x200], ['ST_NOATIME', 0x400], ['ST_NODIRATIME', 0x800], ['ST_RELATIME', 0x1000],
  ['ST_NOSYMFOLLOW', 0x2000],
]);

/** fallocate's mode. */
/** flock's operation (strace's flockcmds; LOCK_MAND and its kin are long gone from Linux). */
export const FLOCK_OPS = xlat([
  ['LOCK_SH', 1], ['LOCK_EX', 2], ['LOCK_NB', 4], ['LOCK_UN', 8], ['LOCK_MAND', 32], ['LOCK_READ', 64], ['LOCK_WRITE', 128],
]);

export const FALLOC_FLAGS = xlat([
  ['FALLOC_FL_KEEP_SIZE', 0x01], ['FALLOC_FL_PUNCH_HOLE', 0x02], ['FALLOC_FL_NO_HIDE_STALE', 0x04],
  ['FALLOC_FL_COLLAPSE_RANGE', 0x08], ['FALLOC_FL_ZERO_RANGE', 0x10], ['FALLOC_FL_INSERT_RANGE', 0x20],
  ['FALLOC_FL_UNSHARE_RANGE', 0x40],
]);
