// Which argument of a syscall names a path (the first such), for the recording's `paths`
// table and `tstrace query --path`. Facts from the syscalls' prototypes.
export const PATH_ARGUMENT: ReadonlyMap<string, number> = new Map(Object.entries({
  open: 0, openat: 1, openat2: 1, creat: 0, stat: 0, lstat: 0, newfstatat: 1, statx: 1,
  access: 0, faccessat: 1, faccessat2: 1, execve: 0, execveat: 1, unlink: 0, unlinkat: 1,
  mkdir: 0, mkdirat: 1, rmdir: 0, rename: 0, renameat: 1, renameat2: 1, readlink: 0,
  readlinkat: 1, chdir: 0, chmod: 0, fchmodat: 1, chown: 0, lchown: 0, fchownat: 1,
  truncate: 0, symlink: 1, symlinkat: 2, link: 0, linkat: 1, utimensat: 1, utimes: 0,
  futimesat: 1, statfs: 0, mknod: 0, mknodat: 1, chroot: 0, getxattr: 0, setxattr: 0,
  listxattr: 0, removexattr: 0, lgetxattr: 0, lsetxattr: 0, inotify_add_watch: 1,
}));
