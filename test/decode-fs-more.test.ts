// More file syscalls. Expected lines from strace 6.1 on the x86_64 C calls named in comments
// (t2.c in the decoder scratch programs; addresses replaced by the test memory's).
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, line, EBADF, EFAULT, EINVAL, ENOENT } from './decode-harness.js';

const AT_FDCWD = -100;
const BUF = 0x7ffc0000n;
const P = 0x5000n;

test('fcntl commands, flag returns and locks', () => {
  // fcntl(fd, F_GETFL) on a directory opened O_RDONLY|O_DIRECTORY
  assert.equal(line('fcntl', { args: [3, 3], ret: 0x18000 }), 'fcntl(3, F_GETFL) = 0x18000 (flags O_RDONLY|O_LARGEFILE|O_DIRECTORY)');
  // fcntl(fd, F_GETFL) on a file opened O_RDWR
  assert.equal(line('fcntl', { args: [5, 3], ret: 0x8002 }), 'fcntl(5, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)');
  // fcntl(fd, F_GETFD) before and after FD_CLOEXEC
  assert.equal(line('fcntl', { args: [3, 1], ret: 0 }), 'fcntl(3, F_GETFD) = 0');
  assert.equal(line('fcntl', { args: [3, 1], ret: 1 }), 'fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)');
  assert.equal(line('fcntl', { args: [3, 1], ret: 1, options: { xlat: 'verbose' } }), 'fcntl(3, 0x1 /* F_GETFD */) = 0x1 (flags 0x1 /* FD_CLOEXEC */)');
  // fcntl(fd, F_SETFD, FD_CLOEXEC); fcntl(fd, F_SETFL, O_NONBLOCK)
  assert.equal(line('fcntl', { args: [3, 2, 1], ret: 0 }), 'fcntl(3, F_SETFD, FD_CLOEXEC) = 0');
  assert.equal(line('fcntl', { args: [3, 4, 0o4000], ret: 0 }), 'fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK) = 0');
  assert.equal(line('fcntl', { args: [3, 4, 0o4000], ret: 0, options: { xlat: 'verbose' } }), 'fcntl(3, 0x4 /* F_SETFL */, 0x800 /* O_RDONLY|O_NONBLOCK */) = 0');
  // fcntl(fd, F_DUPFD, 10); fcntl(fd, F_DUPFD_CLOEXEC, 0)
  assert.equal(line('fcntl', { args: [3, 0, 10], ret: 11 }), 'fcntl(3, F_DUPFD, 10) = 11');
  assert.equal(line('fcntl', { args: [3, 1030, 0], ret: 4 }), 'fcntl(3, F_DUPFD_CLOEXEC, 0) = 4');
  assert.equal(line('fcntl', { args: [3, 0, 10], ret: 11, options: { xlat: 'verbose' } }), 'fcntl(3, 0 /* F_DUPFD */, 10) = 11');
  // fcntl(wfd, 1234, 5); fcntl(wfd, F_GETPIPE_SZ) on a regular file
  assert.equal(line('fcntl', { args: [5, 1234, 5], ret: EINVAL }), 'fcntl(5, 0x4d2 /* F_??? */, 0x5) = -1 EINVAL (Invalid argument)');
  assert.equal(line('fcntl', { args: [5, 1032], ret: EBADF }), 'fcntl(5, F_GETPIPE_SZ) = -1 EBADF (Bad file descriptor)');
  // struct flock fl = {F_WRLCK, SEEK_SET, 0, 10, 0}; fcntl(wfd, F_SETLK, &fl); fcntl(wfd, F_GETLK, &fl)
  const mem = new ByteMemory();
  mem.putStruct(BUF, 32, [[0, 2, 1], [2, 2, 0], [8, 8, 0], [16, 8, 10], [24, 4, 0]]);
  assert.equal(line('fcntl', { args: [5, 6, BUF], ret: 0, mem }), 'fcntl(5, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0');
  assert.equal(line('fcntl', { args: [5, 5, BUF], ret: 0, mem, kernel: (m) => m.putInts(BUF, 2, [2]) }),
    'fcntl(5, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=10, l_pid=0}) = 0');
  // fcntl(wfd, F_SETLKW, NULL)
  assert.equal(line('fcntl', { args: [5, 7, 0], ret: EFAULT }), 'fcntl(5, F_SETLKW, NULL) = -1 EFAULT (Bad address)');
});

test('getdents64 counts entries unless -v', () => {
  const mem = new ByteMemory();
  // three entries ".", "..", "a" of 24 bytes each
  const ent = (ino: number, off: bigint, type: number, name: string): number[] => {
    const b = new Array<number>(24).fill(0);
    const put = (o: number, size: number, v: bigint): void => { for (let i = 0; i < size; i++) b[o + i] = Number((v >> BigInt(8 * i)) & 0xffn); };
    put(0, 8, BigInt(ino)); put(8, 8, off); put(16, 2, 24n); b[18] = type;
    [...name].forEach((c, i) => { b[19 + i] = c.charCodeAt(0); });
    return b;
  };
  const fill = (m: ByteMemory): void => {
    m.put(BUF, [...ent(16039959, 6357504699377170974n, 4, '.'), ...ent(16039941, 7709387121495409031n, 4, '..'),
      ...ent(16039960, 9223372036854775807n, 8, 'a')]);
  };
  // getdents64(fd, buf, 512) on a directory holding one file
  assert.equal(line('getdents64', { args: [3, BUF, 512], ret: 72, mem, kernel: fill }), 'getdents64(3, 0x7ffc0000 /* 3 entries */, 512) = 72');
  assert.equal(line('getdents64', { args: [3, BUF, 512], ret: 72, mem, options: { verbose: true } }),
    'getdents64(3, [{d_ino=16039959, d_off=6357504699377170974, d_reclen=24, d_type=DT_DIR, d_name="."}, ' +
    '{d_ino=16039941, d_off=7709387121495409031, d_reclen=24, d_type=DT_DIR, d_name=".."}, ' +
    '{d_ino=16039960, d_off=9223372036854775807, d_reclen=24, d_type=DT_REG, d_name="a"}], 512) = 72');
  assert.equal(line('getdents64', { args: [3, BUF, 512], ret: 0, mem }), 'getdents64(3, 0x7ffc0000 /* 0 entries */, 512) = 0');
  // getdents64(fd, b, 24) on "/": one entry fits, and strace still says "entries"
  assert.equal(line('getdents64', { args: [3, BUF, 24], ret: 24, mem }), 'getdents64(3, 0x7ffc0000 /* 1 entries */, 24) = 24');
  assert.equal(line('getdents64', { args: [3, BUF, 512], ret: 0, mem, options: { verbose: true } }), 'getdents64(3, [], 512) = 0');
  assert.equal(line('getdents64', { args: [999, BUF, 512], ret: EBADF, mem }), 'getdents64(999, 0x7ffc0000, 512) = -1 EBADF (Bad file descriptor)');
});

test('readlink, access, dup, pipe, umask, getcwd, close_range', () => {
  const mem = new ByteMemory();
  mem.putCString(P, '/root/dscratch/lnk');
  // readlink("/root/dscratch/lnk", buf, sizeof buf); readlink(..., buf, 4)
  assert.equal(line('readlink', { args: [P, BUF, 512], ret: 11, mem, kernel: (m) => m.put(BUF, '/etc/passwd') }),
    'readlink("/root/dscratch/lnk", "/etc/passwd", 512) = 11');
  assert.equal(line('readlink', { args: [P, BUF, 4], ret: 4, mem }), 'readlink("/root/dscratch/lnk", "/etc", 4) = 4');
  assert.equal(line('readlinkat', { args: [AT_FDCWD, P, BUF, 512], ret: 11, mem }), 'readlinkat(AT_FDCWD, "/root/dscratch/lnk", "/etc/passwd", 512) = 11');
  mem.putCString(P + 0x100n, '/etc');
  // faccessat(AT_FDCWD, "/etc", R_OK|W_OK|X_OK, AT_EACCESS) (glibc uses faccessat2)
  assert.equal(line('faccessat2', { args: [AT_FDCWD, P + 0x100n, 7, 0x200], ret: 0, mem }), 'faccessat2(AT_FDCWD, "/etc", R_OK|W_OK|X_OK, AT_EACCESS) = 0');
  assert.equal(line('faccessat', { args: [AT_FDCWD, P + 0x100n, 0], ret: 0, mem }), 'faccessat(AT_FDCWD, "/etc", F_OK) = 0');
  assert.equal(line('access', { args: [P + 0x100n, 0x10], ret: EINVAL, mem }), 'access("/etc", 0x10 /* ?_OK */) = -1 EINVAL (Invalid argument)');
  assert.equal(line('access', { args: [P + 0x100n, 4], ret: ENOENT, mem, options: { xlat: 'verbose' } }), 'access("/etc", 0x4 /* R_OK */) = -1 ENOENT (No such file or directory)');
  // dup(fd); dup2(fd, 20); dup3(fd, 21, O_CLOEXEC)
  assert.equal(line('dup', { args: [3], ret: 8 }), 'dup(3) = 8');
  assert.equal(line('dup2', { args: [3, 20], ret: 20 }), 'dup2(3, 20) = 20');
  assert.equal(line('dup3', { args: [3, 21, 0o2000000], ret: 21 }), 'dup3(3, 21, O_CLOEXEC) = 21');
  assert.equal(line('dup3', { args: [3, 21, 0o2000000], ret: 21, options: { xlat: 'verbose' } }), 'dup3(3, 21, 0x80000 /* O_CLOEXEC */) = 21');
  assert.equal(line('dup', { args: [3], ret: 8, options: { decodeFds: true }, fds: { 3: '/root/dscratch/dd', 8: '/root/dscratch/dd' } }),
    'dup(3</root/dscratch/dd>) = 8</root/dscratch/dd>');
  // syscall(SYS_pipe, p); pipe2(p, O_CLOEXEC|O_NONBLOCK); pipe2((int*)8, 0)
  assert.equal(line('pipe', { args: [BUF], ret: 0, mem, kernel: (m) => m.putInts(BUF, 4, [9, 12]) }), 'pipe([9, 12]) = 0');
  assert.equal(line('pipe2', { args: [BUF, 0o2004000], ret: 0, mem, kernel: (m) => m.putInts(BUF, 4, [13, 14]) }), 'pipe2([13, 14], O_NONBLOCK|O_CLOEXEC) = 0');
  assert.equal(line('pipe2', { args: [8, 0], ret: EFAULT, mem }), 'pipe2(0x8, 0) = -1 EFAULT (Bad address)');
  // umask(022); umask(0777); umask(0)
  assert.equal(line('umask', { args: [0o22], ret: 0o22 }), 'umask(022) = 022');
  assert.equal(line('umask', { args: [0], ret: 0o777 }), 'umask(000) = 0777');
  // getcwd(buf, 512); getcwd(buf, 2)
  assert.equal(line('getcwd', { args: [BUF, 512], ret: 15, mem, kernel: (m) => m.putCString(BUF, '/root/dscratch') }), 'getcwd("/root/dscratch", 512) = 15');
  assert.equal(line('getcwd', { args: [BUF, 2], ret: -34, mem }), 'getcwd(0x7ffc0000, 2) = -1 ERANGE (Numerical result out of range)');
  // close_range(30, 40, CLOSE_RANGE_CLOEXEC); close_range(50, ~0U, 0); close_range(50, 60, 8)
  assert.equal(line('close_range', { args: [30, 40, 4], ret: 0 }), 'close_range(30, 40, CLOSE_RANGE_CLOEXEC) = 0');
  assert.equal(line('close_range', { args: [50, 0xffffffff, 0], ret: 0 }), 'close_range(50, 4294967295, 0) = 0');
  assert.equal(line('close_range', { args: [50, 60, 8], ret: EINVAL }), 'close_range(50, 60, 0x8 /* CLOSE_RANGE_??? */) = -1 EINVAL (Invalid argument)');
});

test('path syscalls', () => {
  const mem = new ByteMemory();
  const a = mem.putCString(P, '/root/dscratch/g');
  const b = mem.putCString(P + 0x100n, 'f');
  const c = mem.putCString(P + 0x200n, '/root/dscratch/i');
  // renameat2(fd, "f", AT_FDCWD, "/root/dscratch/g", RENAME_NOREPLACE|RENAME_WHITEOUT|8)
  assert.equal(line('renameat2', { args: [3, b, AT_FDCWD, a, 13], ret: EINVAL, mem }),
    'renameat2(3, "f", AT_FDCWD, "/root/dscratch/g", RENAME_NOREPLACE|RENAME_WHITEOUT|0x8) = -1 EINVAL (Invalid argument)');
  // linkat(AT_FDCWD, g, AT_FDCWD, i, AT_SYMLINK_FOLLOW)
  assert.equal(line('linkat', { args: [AT_FDCWD, a, AT_FDCWD, c, 0x400], ret: ENOENT, mem }),
    'linkat(AT_FDCWD, "/root/dscratch/g", AT_FDCWD, "/root/dscratch/i", AT_SYMLINK_FOLLOW) = -1 ENOENT (No such file or directory)');
  // fchmodat(AT_FDCWD, g, 04755, 0) (glibc drops the flags argument)
  assert.equal(line('fchmodat', { args: [AT_FDCWD, a, 0o4755], ret: ENOENT, mem }), 'fchmodat(AT_FDCWD, "/root/dscratch/g", 04755) = -1 ENOENT (No such file or directory)');
  // unlinkat(AT_FDCWD, "/root/dscratch/nod", AT_REMOVEDIR); mkdirat(fd, "d2", 0700)
  assert.equal(line('unlinkat', { args: [AT_FDCWD, a, 0x200], ret: ENOENT, mem }), 'unlinkat(AT_FDCWD, "/root/dscratch/g", AT_REMOVEDIR) = -1 ENOENT (No such file or directory)');
  assert.equal(line('unlinkat', { args: [AT_FDCWD, a, 0], ret: 0, mem }), 'unlinkat(AT_FDCWD, "/root/dscratch/g", 0) = 0');
  assert.equal(line('mkdirat', { args: [3, b, 0o700], ret: 0, mem }), 'mkdirat(3, "f", 0700) = 0');
  assert.equal(line('symlinkat', { args: [c, 3, b], ret: 0, mem }), 'symlinkat("/root/dscratch/i", 3, "f") = 0');
  assert.equal(line('ftruncate', { args: [5, 100], ret: 0 }), 'ftruncate(5, 100) = 0');
  assert.equal(line('truncate', { args: [a, 0], ret: ENOENT, mem }), 'truncate("/root/dscratch/g", 0) = -1 ENOENT (No such file or directory)');
  assert.equal(line('fchmod', { args: [5, 0o600], ret: 0 }), 'fchmod(5, 0600) = 0');
  // a path that cannot be read prints as its address, NULL as NULL
  assert.equal(line('chdir', { args: [0xdead0000n], ret: EFAULT }), 'chdir(0xdead0000) = -1 EFAULT (Bad address)');
  assert.equal(line('chdir', { args: [0], ret: EFAULT }), 'chdir(NULL) = -1 EFAULT (Bad address)');
});
