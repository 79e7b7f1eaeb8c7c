// File syscalls: each expected line was printed by strace 6.1 for the x86_64 C call named in
// the comment (addresses and descriptors replaced by the ones placed in the test memory).
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, line, aarch64, EBADF, EFAULT, ENOENT } from './decode-harness.js';

const AT_FDCWD = -100;
const BUF = 0x7ffc0000n;
const PATH = 0x5000n;

test('openat with flags and without mode', () => {
  // openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC)
  const mem = new ByteMemory();
  mem.putCString(PATH, '/etc/passwd');
  assert.equal(line('openat', { args: [AT_FDCWD, PATH, 0o2000000], ret: 3, mem }),
    'openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3');
  // -X verbose / -X raw / -y of the same call
  assert.equal(line('openat', { args: [AT_FDCWD, PATH, 0o2000000], ret: 3, mem, options: { xlat: 'verbose' } }),
    'openat(-100 /* AT_FDCWD */, "/etc/passwd", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 3');
  assert.equal(line('openat', { args: [AT_FDCWD, PATH, 0o2000000], ret: 3, mem, options: { xlat: 'raw' } }),
    'openat(-100, "/etc/passwd", 0x80000) = 3');
  assert.equal(line('openat', {
    args: [AT_FDCWD, PATH, 0o2000000], ret: 3, mem, options: { decodeFds: true },
    fds: { [AT_FDCWD]: '/root/dscratch', 3: '/etc/passwd' },
  }), 'openat(AT_FDCWD</root/dscratch>, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>');
});

test('open flags in strace order, O_CREAT and O_TMPFILE add the mode', () => {
  const mem = new ByteMemory();
  mem.putCString(PATH, '/tmp');
  // open("/tmp", O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_DIRECT|O_LARGEFILE|O_PATH|O_SYNC|O_DSYNC|O_NOATIME|O_NOCTTY|O_EXCL)
  assert.equal(line('openat', { args: [AT_FDCWD, PATH, 0x375180], ret: 5, mem }),
    'openat(AT_FDCWD, "/tmp", O_RDONLY|O_EXCL|O_NOCTTY|O_SYNC|O_DIRECT|O_NOFOLLOW|O_NOATIME|O_PATH|O_DIRECTORY) = 5');
  // open("/tmp", O_RDWR|O_TMPFILE, 0600)
  assert.equal(line('openat', { args: [AT_FDCWD, PATH, 0x410002, 0o600], ret: 6, mem }),
    'openat(AT_FDCWD, "/tmp", O_RDWR|O_TMPFILE, 0600) = 6');
  // open("/tmp", 0x40000000|O_RDWR)
  assert.equal(line('openat', { args: [AT_FDCWD, PATH, 0x40000002], ret: -21, mem }),
    'openat(AT_FDCWD, "/tmp", O_RDWR|0x40000000) = -1 EISDIR (Is a directory)');
  // open("/tmp", O_RDONLY|0100000|O_DSYNC|FASYNC)
  assert.equal(line('openat', { args: [AT_FDCWD, PATH, 0xb000], ret: 7, mem }),
    'openat(AT_FDCWD, "/tmp", O_RDONLY|O_DSYNC|O_LARGEFILE|FASYNC) = 7');
  // open("newfile", O_WRONLY|O_CREAT|O_TRUNC|O_APPEND|O_NONBLOCK, 0644)
  mem.putCString(PATH + 0x100n, '/root/dscratch/newfile');
  assert.equal(line('openat', { args: [AT_FDCWD, PATH + 0x100n, 0xe41, 0o644], ret: 4, mem }),
    'openat(AT_FDCWD, "/root/dscratch/newfile", O_WRONLY|O_CREAT|O_TRUNC|O_APPEND|O_NONBLOCK, 0644) = 4');
  assert.equal(line('openat', { args: [AT_FDCWD, PATH + 0x100n, 0xe41, 0o644], ret: 4, mem, options: { xlat: 'verbose' } }),
    'openat(-100 /* AT_FDCWD */, "/root/dscratch/newfile", 0xe41 /* O_WRONLY|O_CREAT|O_TRUNC|O_APPEND|O_NONBLOCK */, 0644) = 4');
  // the same bits mean other flags on aarch64: 0o40000 is O_DIRECTORY there
  assert.equal(line('openat', { args: [AT_FDCWD, PATH, 0o40000], ret: 3, mem, arch: aarch64 }),
    'openat(AT_FDCWD, "/tmp", O_RDONLY|O_DIRECTORY) = 3');
});

test('read and write buffers: escaping, -s truncation and errors', () => {
  const mem = new ByteMemory();
  // read(fd, buf, 10) on /etc/passwd
  assert.equal(line('read', { args: [3, BUF, 10], ret: 10, mem, kernel: (m) => m.put(BUF, 'root:x:0:0') }),
    'read(3, "root:x:0:0", 10) = 10');
  // the same with -s 8
  assert.equal(line('read', { args: [3, BUF, 10], ret: 10, mem, options: { stringLimit: 8 } }),
    'read(3, "root:x:0"..., 10) = 10');
  // write(1, "hello\n\t\0011\x7f\xff\"\\", 14)
  mem.put(BUF, [...new TextEncoder().encode('hello\n\t\x011'), 0x7f, 0xff, 0x22, 0x5c, 0]);
  assert.equal(line('write', { args: [1, BUF, 14], ret: 14, mem }), 'write(1, "hello\\n\\t\\0011\\177\\377\\"\\\\\\0", 14) = 14');
  // with -s 8 the look-ahead for three octal digits stops at the limit
  assert.equal(line('write', { args: [1, BUF, 14], ret: 14, mem, options: { stringLimit: 8 } }), 'write(1, "hello\\n\\t\\1"..., 14) = 14');
  // write(1, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", 52)
  mem.put(BUF, 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz');
  assert.equal(line('write', { args: [1, BUF, 52], ret: 52, mem }), 'write(1, "abcdefghijklmnopqrstuvwxyzabcdef"..., 52) = 52');
  // write(1, "a\0001b\0c", 6)
  mem.put(BUF, [0x61, 0, 0x31, 0x62, 0, 0x63]);
  assert.equal(line('write', { args: [1, BUF, 6], ret: 6, mem }), 'write(1, "a\\0001b\\0c", 6) = 6');
  // write(1, bytes 0..39, 40)
  mem.put(BUF, Array.from({ length: 40 }, (_, i) => i));
  assert.equal(line('write', { args: [1, BUF, 40], ret: 40, mem }),
    'write(1, "\\0\\1\\2\\3\\4\\5\\6\\7\\10\\t\\n\\v\\f\\r\\16\\17\\20\\21\\22\\23\\24\\25\\26\\27\\30\\31\\32\\33\\34\\35\\36\\37"..., 40) = 40');
  // write(1, "\r\v\f\a\b\e", 6)
  mem.put(BUF, [13, 11, 12, 7, 8, 27]);
  assert.equal(line('write', { args: [1, BUF, 6], ret: 6, mem }), 'write(1, "\\r\\v\\f\\7\\10\\33", 6) = 6');
  // -y on stdout redirected to /dev/null
  assert.equal(line('write', { args: [1, BUF, 6], ret: 6, mem, options: { decodeFds: true }, fds: { 1: '/dev/null' } }),
    'write(1</dev/null>, "\\r\\v\\f\\7\\10\\33", 6) = 6');
  // pread64(fd, buf, 5, 3)
  assert.equal(line('pread64', { args: [3, BUF, 5, 3], ret: 5, mem, kernel: (m) => m.put(BUF, 't:x:0') }),
    'pread64(3, "t:x:0", 5, 3) = 5');
  // read(999, buf, 16) on a closed descriptor prints the address
  assert.equal(line('read', { args: [999, BUF, 16], ret: EBADF, mem }),
    'read(999, 0x7ffc0000, 16) = -1 EBADF (Bad file descriptor)');
});

test('readv and writev', () => {
  const mem = new ByteMemory();
  const IOV = 0x6000n;
  mem.putInts(IOV, 8, [0x7000n, 2, 0x7010n, 3]);
  mem.put(0x7000n, 'ab');
  mem.put(0x7010n, 'cde');
  // writev(1, {{"ab",2},{"cde",3}}, 2)
  assert.equal(line('writev', { args: [1, IOV, 2], ret: 5, mem }),
    'writev(1, [{iov_base="ab", iov_len=2}, {iov_base="cde", iov_len=3}], 2) = 5');
  // readv(fd, iov, 2) reading "root:"
  assert.equal(line('readv', { args: [3, IOV, 2], ret: 5, mem, kernel: (m) => { m.put(0x7000n, 'ro'); m.put(0x7010n, 'ot:'); } }),
    'readv(3, [{iov_base="ro", iov_len=2}, {iov_base="ot:", iov_len=3}], 2) = 5');
  // readv into read-only memory: EFAULT, the iov_base addresses only
  assert.equal(line('readv', { args: [3, IOV, 2], ret: EFAULT, mem }),
    'readv(3, [{iov_base=0x7000, iov_len=2}, {iov_base=0x7010, iov_len=3}], 2) = -1 EFAULT (Bad address)');
  // a short readv only shows the bytes read
  assert.equal(line('readv', { args: [3, IOV, 2], ret: 3, mem }),
    'readv(3, [{iov_base="ro", iov_len=2}, {iov_base="o", iov_len=3}], 2) = 3');
});

test('lseek, close, and an unknown syscall number', () => {
  assert.equal(line('lseek', { args: [3, -3, 1], ret: 1218 }), 'lseek(3, -3, SEEK_CUR) = 1218');
  assert.equal(line('lseek', { args: [3, 0, 2], ret: 1221, options: { xlat: 'verbose' } }), 'lseek(3, 0, 0x2 /* SEEK_END */) = 1221');
  assert.equal(line('close', { args: [3], ret: EBADF }), 'close(3) = -1 EBADF (Bad file descriptor)');
  // syscall(1000, 1, 2, 3, 4, 5, 6)
  assert.equal(line('syscall_0x3e8', { args: [1, 2, 3, 4, 5, 6], ret: -38 }),
    'syscall_0x3e8(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)');
});

/** An x86_64 struct stat for /etc/passwd as the real fstat returned it. */
function putStat(mem: ByteMemory, addr: bigint, mode: number, size: number): void {
  mem.putStruct(addr, 144, [
    [0, 8, 0xfe00], [8, 8, 739], [16, 8, 1], [24, 4, mode], [28, 4, 0], [32, 4, 0], [48, 8, size],
    [56, 8, 4096], [64, 8, 8], [72, 8, 1795378861], [80, 8, 16179373], [88, 8, 1779294449], [96, 8, 0],
    [104, 8, 1779294449], [112, 8, 0],
  ]);
}

test('stat family: abbreviated, -v, and a failed call', () => {
  process.env.TZ = 'UTC';
  const mem = new ByteMemory();
  mem.putCString(PATH, '');
  // fstat(fd) → newfstatat(3, "", …, AT_EMPTY_PATH)
  assert.equal(line('newfstatat', { args: [3, PATH, BUF, 0x1000], ret: 0, mem, kernel: (m) => putStat(m, BUF, 0o100644, 1221) }),
    'newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=1221, ...}, AT_EMPTY_PATH) = 0');
  assert.equal(line('newfstatat', { args: [3, PATH, BUF, 0x1000], ret: 0, mem, options: { verbose: true } }),
    'newfstatat(3, "", {st_dev=makedev(0xfe, 0), st_ino=739, st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, ' +
    'st_blksize=4096, st_blocks=8, st_size=1221, st_atime=1795378861 /* 2026-11-22T20:21:01.016179373+0000 */, ' +
    'st_atime_nsec=16179373, st_mtime=1779294449 /* 2026-05-20T16:27:29+0000 */, st_mtime_nsec=0, ' +
    'st_ctime=1779294449 /* 2026-05-20T16:27:29+0000 */, st_ctime_nsec=0}, AT_EMPTY_PATH) = 0');
  assert.equal(line('newfstatat', { args: [3, PATH, BUF, 0x1000], ret: 0, mem, options: { xlat: 'verbose' } }),
    'newfstatat(3, "", {st_mode=0100644 /* S_IFREG|0644 */, st_size=1221, ...}, 0x1000 /* AT_EMPTY_PATH */) = 0');
  assert.equal(line('newfstatat', { args: [3, PATH, BUF, 0x1000], ret: 0, mem, options: { xlat: 'raw' } }),
    'newfstatat(3, "", {st_mode=0100644, st_size=1221, ...}, 0x1000) = 0');
  // lstat("/nonexist", &st)
  mem.putCString(PATH + 0x40n, '/nonexist');
  assert.equal(line('newfstatat', { args: [AT_FDCWD, PATH + 0x40n, BUF, 0x100], ret: ENOENT, mem }),
    'newfstatat(AT_FDCWD, "/nonexist", 0x7ffc0000, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)');
  // stat("/etc", &st) as newfstatat(AT_FDCWD, "/etc", &st, 0)
  mem.putCString(PATH + 0x80n, '/etc');
  assert.equal(line('newfstatat', { args: [AT_FDCWD, PATH + 0x80n, BUF, 0], ret: 0, mem, kernel: (m) => putStat(m, BUF, 0o40755, 4096) }),
    'newfstatat(AT_FDCWD, "/etc", {st_mode=S_IFDIR|0755, st_size=4096, ...}, 0) = 0');
});

test('statx', () => {
  const mem = new ByteMemory();
  mem.putCString(PATH, '/etc/passwd');
  const fill = (m: ByteMemory, mask: number): void => {
    m.putStruct(BUF, 256, [[0, 4, mask], [4, 4, 4096], [28, 2, 0o100644], [40, 8, 1221]]);
  };
  // statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT, STATX_ALL, &sx)
  assert.equal(line('statx', { args: [AT_FDCWD, PATH, 0, 0xfff, BUF], ret: 0, mem, kernel: (m) => fill(m, 0x1fff) }),
    'statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1221, ...}) = 0');
  // statx(AT_FDCWD, "/etc/passwd", AT_SYMLINK_NOFOLLOW|AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &sx)
  assert.equal(line('statx', { args: [AT_FDCWD, PATH, 0x4100, 0x7ff, BUF], ret: 0, mem, kernel: (m) => fill(m, 0x17ff) }),
    'statx(AT_FDCWD, "/etc/passwd", AT_STATX_DONT_SYNC|AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1221, ...}) = 0');
  assert.equal(line('statx', { args: [AT_FDCWD, PATH, 0x4100, 0x7ff, BUF], ret: 0, mem, options: { xlat: 'verbose' } }),
    'statx(-100 /* AT_FDCWD */, "/etc/passwd", 0x4000 /* AT_STATX_DONT_SYNC */|0x100 /* AT_SYMLINK_NOFOLLOW */, 0x7ff /* STATX_BASIC_STATS */, {stx_mask=0x17ff /* STATX_BASIC_STATS|STATX_MNT_ID */, stx_attributes=0, stx_mode=0100644 /* S_IFREG|0644 */, stx_size=1221, ...}) = 0');
  // strace -X raw prints nothing at all for flags 0
  assert.equal(line('statx', { args: [AT_FDCWD, PATH, 0, 0xfff, BUF], ret: 0, mem, options: { xlat: 'raw' } }),
    'statx(-100, "/etc/passwd", , 0xfff, {stx_mask=0x17ff, stx_attributes=0, stx_mode=0100644, stx_size=1221, ...}) = 0');
});

test('aarch64 reads its own struct stat layout', () => {
  // the fstat of /etc/passwd above, laid out as asm-generic/stat.h (mode at 16, size at 48, blksize an int)
  const mem = new ByteMemory();
  mem.putCString(PATH, '');
  mem.putStruct(BUF, 128, [[0, 8, 0xfe00], [8, 8, 739], [16, 4, 0o100644], [20, 4, 1], [48, 8, 1221], [56, 4, 4096], [64, 8, 8]]);
  assert.equal(line('newfstatat', { args: [3, PATH, BUF, 0x1000], ret: 0, mem, arch: aarch64 }),
    'newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=1221, ...}, AT_EMPTY_PATH) = 0');
  assert.equal(line('fstat', { args: [3, BUF], ret: 0, mem, arch: aarch64, options: { verbose: true } }),
    'fstat(3, {st_dev=makedev(0xfe, 0), st_ino=739, st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, ' +
    'st_blocks=8, st_size=1221, st_atime=0, st_atime_nsec=0, st_mtime=0, st_mtime_nsec=0, st_ctime=0, st_ctime_nsec=0}) = 0');
});
