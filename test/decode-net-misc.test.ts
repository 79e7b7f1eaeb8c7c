// Sockets, ioctl and eventfd. Expected lines from strace 6.1 (x86_64) on the calls of t2.c and
// t4.c in the decoder scratch programs; addresses replaced by the test memory's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, line, EFAULT, EINVAL, ENOTTY } from './decode-harness.js';

const BUF = 0x7ffc0000n;

test('socketpair and shutdown', () => {
  const mem = new ByteMemory();
  // socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, sv)
  assert.equal(line('socketpair', { args: [1, 0x80001, 0, BUF], ret: 0, mem, kernel: (m) => m.putInts(BUF, 4, [3, 4]) }),
    'socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, [3, 4]) = 0');
  // socketpair(AF_INET, SOCK_STREAM, 0, NULL)
  assert.equal(line('socketpair', { args: [2, 1, 0, 0], ret: EFAULT }), 'socketpair(AF_INET, SOCK_STREAM, 0, NULL) = -1 EFAULT (Bad address)');
  assert.equal(line('shutdown', { args: [7, 1], ret: 0 }), 'shutdown(7, SHUT_WR) = 0');
  assert.equal(line('shutdown', { args: [7, 7], ret: EINVAL }), 'shutdown(7, 0x7 /* SHUT_??? */) = -1 EINVAL (Invalid argument)');
});

test('sendmsg and recvmsg with iovecs and SCM_RIGHTS', () => {
  const mem = new ByteMemory();
  const MSG = BUF, IOV = BUF + 0x100n, CTL = BUF + 0x200n;
  mem.put(0x9000n, 'hello');
  mem.put(0x9010n, 'world');
  mem.putInts(IOV, 8, [0x9000n, 5, 0x9010n, 5]);
  // cmsg {len=24, SOL_SOCKET, SCM_RIGHTS, fds 0 and 12}
  mem.putStruct(CTL, 24, [[0, 8, 24], [8, 4, 1], [12, 4, 1], [16, 4, 0], [20, 4, 12]]);
  mem.putStruct(MSG, 56, [[16, 8, IOV], [24, 8, 2], [32, 8, CTL], [40, 8, 24]]);
  // sendmsg(s[0], &mh, MSG_NOSIGNAL)
  assert.equal(line('sendmsg', { args: [7, MSG, 0x4000], ret: 10, mem }),
    'sendmsg(7, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=5}, {iov_base="world", iov_len=5}], msg_iovlen=2, ' +
    'msg_control=[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0, 12]}], msg_controllen=24, msg_flags=0}, MSG_NOSIGNAL) = 10');
  // sendmsg without control data
  mem.putStruct(MSG + 0x40n, 56, [[16, 8, IOV], [24, 8, 1]]);
  assert.equal(line('sendmsg', { args: [7, MSG + 0x40n, 0], ret: 5, mem }),
    'sendmsg(7, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 5');
  // recvmsg(s[1], &rm, MSG_CMSG_CLOEXEC) into 3+20 bytes with room for control data
  const RM = BUF + 0x400n, RIOV = BUF + 0x500n, RCTL = BUF + 0x600n;
  mem.putInts(RIOV, 8, [0xa000n, 3, 0xa010n, 20]);
  mem.putStruct(RM, 56, [[16, 8, RIOV], [24, 8, 2], [32, 8, RCTL], [40, 8, 64]]);
  assert.equal(line('recvmsg', {
    args: [8, RM, 0x40000000], ret: 10, mem,
    kernel: (m) => {
      m.put(0xa000n, 'hel'); m.put(0xa010n, 'loworld');
      m.putStruct(RCTL, 24, [[0, 8, 24], [8, 4, 1], [12, 4, 1], [16, 4, 15], [20, 4, 16]]);
      m.putStruct(RM, 56, [[16, 8, RIOV], [24, 8, 2], [32, 8, RCTL], [40, 8, 24], [48, 4, 0x40000000]]);
    },
  }), 'recvmsg(8, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hel", iov_len=3}, {iov_base="loworld", iov_len=20}], msg_iovlen=2, ' +
    'msg_control=[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[15, 16]}], msg_controllen=24, msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 10');
  // a failed recvmsg shows only msg_namelen
  assert.equal(line('recvmsg', { args: [8, RM, 0x40], ret: -11, mem }), 'recvmsg(8, {msg_namelen=0}, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)');
});

test('eventfd2', () => {
  assert.equal(line('eventfd2', { args: [3, 0o2004000], ret: 12 }), 'eventfd2(3, EFD_CLOEXEC|EFD_NONBLOCK) = 12');
  assert.equal(line('eventfd2', { args: [0, 1], ret: 13 }), 'eventfd2(0, EFD_SEMAPHORE) = 13');
  assert.equal(line('eventfd2', { args: [0, 0], ret: 14 }), 'eventfd2(0, 0) = 14');
});

/** The kernel's struct termios of a fresh pty. */
function putTermios(mem: ByteMemory, at: bigint): void {
  const cc = [0x3, 0x1c, 0x7f, 0x15, 0x4, 0, 0x1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16, 0, 0, 0];
  mem.putStruct(at, 36, [[0, 4, 0x500], [4, 4, 0x5], [8, 4, 0xbf], [12, 4, 0x8a3b], [16, 1, 0],
    ...cc.map((v, i): [number, number, number] => [17 + i, 1, v])]);
}

test('ioctl: terminal requests, named and unnamed requests', () => {
  const mem = new ByteMemory();
  // ioctl(slave, TCGETS, &t) on a pty
  assert.equal(line('ioctl', { args: [7, 0x5401, BUF], ret: 0, mem, kernel: (m) => putTermios(m, BUF) }),
    'ioctl(7, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0');
  assert.equal(line('ioctl', { args: [7, 0x5401, BUF], ret: 0, mem, options: { verbose: true } }),
    'ioctl(7, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ' +
    'c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, [VTIME]=0, [VMIN]=0x1, [VSWTC]=0, [VSTART]=0x11, ' +
    '[VSTOP]=0x13, [VSUSP]=0x1a, [VEOL]=0, [VREPRINT]=0x12, [VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, [18]=0]}) = 0');
  assert.equal(line('ioctl', { args: [7, 0x5401, BUF], ret: 0, mem, options: { xlat: 'verbose' } }),
    'ioctl(7, 0x5401 /* TCGETS */, {c_iflag=0x500 /* ICRNL|IXON */, c_oflag=0 /* NL0 */|0 /* CR0 */|0 /* TAB0 */|0 /* BS0 */|0 /* VT0 */|0 /* FF0 */|0x5 /* OPOST|ONLCR */, ' +
    'c_cflag=0xf /* B38400 */|0x30 /* CS8 */|0x80 /* CREAD */, c_lflag=0x8a3b /* ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE */, ...}) = 0');
  // ioctl(slave, TCSETS, &t): strace knows two names for 0x5402
  assert.equal(line('ioctl', { args: [7, 0x5402, BUF], ret: 0, mem }),
    'ioctl(7, SNDCTL_TMR_START or TCSETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0');
  // a zeroed termios, as a failed TCGETS leaves it, printed by TCSETSW
  mem.put(BUF + 0x100n, new Array<number>(36).fill(0));
  assert.equal(line('ioctl', { args: [0, 0x5403, BUF + 0x100n], ret: ENOTTY, mem }),
    'ioctl(0, SNDCTL_TMR_STOP or TCSETSW, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B0|CS5|, c_lflag=, ...}) = -1 ENOTTY (Inappropriate ioctl for device)');
  // ioctl(file, TCGETS, &t)
  assert.equal(line('ioctl', { args: [5, 0x5401, BUF], ret: ENOTTY, mem }), 'ioctl(5, TCGETS, 0x7ffc0000) = -1 ENOTTY (Inappropriate ioctl for device)');
  // TIOCSWINSZ / TIOCGWINSZ {24, 80, 0, 0}
  mem.putInts(BUF + 0x200n, 2, [24, 80, 0, 0]);
  assert.equal(line('ioctl', { args: [7, 0x5414, BUF + 0x200n], ret: 0, mem }), 'ioctl(7, TIOCSWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0');
  assert.equal(line('ioctl', { args: [7, 0x5413, BUF + 0x200n], ret: 0, mem }), 'ioctl(7, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0');
  assert.equal(line('ioctl', { args: [5, 0x5413, BUF + 0x200n], ret: ENOTTY, mem }), 'ioctl(5, TIOCGWINSZ, 0x7ffc0200) = -1 ENOTTY (Inappropriate ioctl for device)');
  // FIONREAD, FIONBIO, FIOCLEX, TCFLSH, TIOCGPTN, TIOCGPTPEER
  mem.putInts(BUF + 0x300n, 4, [0]);
  assert.equal(line('ioctl', { args: [5, 0x541b, BUF + 0x300n], ret: 0, mem }), 'ioctl(5, FIONREAD, [0]) = 0');
  mem.putInts(BUF + 0x310n, 4, [1]);
  assert.equal(line('ioctl', { args: [5, 0x5421, BUF + 0x310n], ret: 0, mem }), 'ioctl(5, FIONBIO, [1]) = 0');
  assert.equal(line('ioctl', { args: [5, 0x5451], ret: 0 }), 'ioctl(5, FIOCLEX) = 0');
  assert.equal(line('ioctl', { args: [5, 0x5451], ret: 0, options: { xlat: 'verbose' } }), 'ioctl(5, 0x5451 /* FIOCLEX */) = 0');
  assert.equal(line('ioctl', { args: [7, 0x540b, 0], ret: 0 }), 'ioctl(7, TCFLSH, TCIFLUSH) = 0');
  assert.equal(line('ioctl', { args: [6, 0x80045430, BUF + 0x300n], ret: 0, mem }), 'ioctl(6, TIOCGPTN, [0]) = 0');
  assert.equal(line('ioctl', { args: [6, 0x80045430, BUF + 0x300n], ret: 0, mem, options: { xlat: 'verbose' } }), 'ioctl(6, 0x80045430 /* TIOCGPTN */, [0]) = 0');
  assert.equal(line('ioctl', { args: [6, 0x5441, 0x102], ret: 7 }), 'ioctl(6, TIOCGPTPEER, 0x102) = 7');
  // TIOCGPGRP on a tty we do not control
  assert.equal(line('ioctl', { args: [7, 0x540f, BUF + 0x300n], ret: ENOTTY, mem }), 'ioctl(7, TIOCGPGRP, 0x7ffc0300) = -1 ENOTTY (Inappropriate ioctl for device)');
  // unknown requests: ioctl(wfd, 0x12345678, 0x1000); _IOR('x', 3, int); _IOWR(0xfe, 0x80, char[300])
  assert.equal(line('ioctl', { args: [5, 0x12345678, 0x1000], ret: ENOTTY }), 'ioctl(5, _IOC(_IOC_NONE, 0x56, 0x78, 0x1234), 0x1000) = -1 ENOTTY (Inappropriate ioctl for device)');
  assert.equal(line('ioctl', { args: [5, 0x80047803, BUF], ret: ENOTTY }), 'ioctl(5, _IOC(_IOC_READ, 0x78, 0x3, 0x4), 0x7ffc0000) = -1 ENOTTY (Inappropriate ioctl for device)');
  assert.equal(line('ioctl', { args: [5, 0xc12cfe80, BUF], ret: ENOTTY }), 'ioctl(5, _IOC(_IOC_READ|_IOC_WRITE, 0xfe, 0x80, 0x12c), 0x7ffc0000) = -1 ENOTTY (Inappropriate ioctl for device)');
  assert.equal(line('ioctl', { args: [5, 0xc12cfe80, BUF], ret: ENOTTY, options: { xlat: 'verbose' } }),
    'ioctl(5, 0xc12cfe80 /* _IOC(_IOC_READ|_IOC_WRITE, 0xfe, 0x80, 0x12c) */, 0x7ffc0000) = -1 ENOTTY (Inappropriate ioctl for device)');
});

test('socket, bind and AF_INET addresses in each -X style', () => {
  const mem = new ByteMemory();
  // socket(AF_UNIX, SOCK_DGRAM, 0); socket(AF_INET, SOCK_DGRAM, 0)
  assert.equal(line('socket', { args: [1, 2, 0], ret: 7 }), 'socket(AF_UNIX, SOCK_DGRAM, 0) = 7');
  assert.equal(line('socket', { args: [2, 2, 0], ret: 8 }), 'socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 8');
  assert.equal(line('socket', { args: [2, 2, 0], ret: 8, options: { xlat: 'raw' } }), 'socket(0x2, 0x2, 0) = 8');
  // bind(us, {AF_UNIX, "/tmp/oracle-sock"}, sizeof(struct sockaddr_un))
  const sun = new Uint8Array(110);
  sun[0] = 1;
  sun.set(new TextEncoder().encode('/tmp/oracle-sock'), 2);
  mem.put(BUF, sun);
  assert.equal(line('bind', { args: [7, BUF, 110], ret: 0, mem }), 'bind(7, {sa_family=AF_UNIX, sun_path="/tmp/oracle-sock"}, 110) = 0');
  assert.equal(line('bind', { args: [7, BUF, 110], ret: 0, mem, options: { xlat: 'raw' } }), 'bind(7, {sa_family=0x1, sun_path="/tmp/oracle-sock"}, 110) = 0');
  // sendmsg to {AF_INET, htons(9), 127.0.0.1} with MSG_DONTWAIT
  const MSG = BUF + 0x100n, SIN = BUF + 0x200n, IOV = BUF + 0x300n;
  mem.put(SIN, [2, 0, 0, 9, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  mem.put(0x9000n, 'ping');
  mem.putInts(IOV, 8, [0x9000n, 4]);
  mem.putStruct(MSG, 56, [[0, 8, SIN], [8, 4, 16], [16, 8, IOV], [24, 8, 1]]);
  const tail = 'msg_namelen=16, msg_iov=[{iov_base="ping", iov_len=4}], msg_iovlen=1, msg_controllen=0, msg_flags=0}';
  assert.equal(line('sendmsg', { args: [8, MSG, 0x40], ret: 4, mem }),
    `sendmsg(8, {msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, ${tail}, MSG_DONTWAIT) = 4`);
  assert.equal(line('sendmsg', { args: [8, MSG, 0x40], ret: 4, mem, options: { xlat: 'verbose' } }),
    'sendmsg(8, {msg_name={sa_family=0x2 /* AF_INET */, sin_port="\\x00\\x09" /* htons(9) */, sin_addr="\\x7f\\x00\\x00\\x01" /* inet_addr("127.0.0.1") */}, ' +
    `${tail}, 0x40 /* MSG_DONTWAIT */) = 4`);
  assert.equal(line('sendmsg', { args: [8, MSG, 0x40], ret: 4, mem, options: { xlat: 'raw' } }),
    `sendmsg(8, {msg_name={sa_family=0x2, sin_port="\\x00\\x09", sin_addr="\\x7f\\x00\\x00\\x01"}, ${tail}, 0x40) = 4`);
});

test('sendto, recvfrom, memfd_create, inotify, sendfile, ids', () => {
  const mem = new ByteMemory();
  mem.put(0x9000n, 'pong!');
  // sendto(sv[0], "ping", 4, 0, NULL, 0) and the datagram's recvfrom(sv[1], b, 16, 0, NULL, NULL)
  mem.put(0x9100n, 'ping');
  assert.equal(line('sendto', { args: [3, 0x9100n, 4, 0, 0, 0], ret: 4, mem }), 'sendto(3, "ping", 4, 0, NULL, 0) = 4');
  assert.equal(line('recvfrom', { args: [4, BUF, 16, 0, 0, 0], ret: 4, mem, kernel: (m) => m.put(BUF, 'ping') }),
    'recvfrom(4, "ping", 16, 0, NULL, NULL) = 4');
  // recvfrom(sv[1], b, 2, MSG_TRUNC, &from, &fl) of "pong!" from an unbound socket: the kernel
  // writes back an address length of 0, so the address prints as a pointer
  const FROM = BUF + 0x100n, FL = BUF + 0x200n;
  mem.putInts(FL, 4, [110]);
  assert.equal(line('recvfrom', {
    args: [4, BUF, 2, 0x20, FROM, FL], ret: 5, mem,
    kernel: (m) => { m.put(BUF, 'po'); m.putInts(FL, 4, [0]); },
  }), 'recvfrom(4, "po", 2, MSG_TRUNC, 0x7ffc0100, [110 => 0]) = 5');
  // recvfrom(sv[1], b, 16, MSG_DONTWAIT, &from, &fl) on the now empty socket
  assert.equal(line('recvfrom', { args: [4, BUF, 16, 0x40, FROM, FL], ret: -11, mem }),
    'recvfrom(4, 0x7ffc0000, 16, MSG_DONTWAIT, 0x7ffc0100, [0]) = -1 EAGAIN (Resource temporarily unavailable)');
  // a sender bound to "/tmp/s" (t12.c): the address is decoded with the shorter of the two lengths
  const sun = [1, 0, ...new TextEncoder().encode('/tmp/s'), 0];
  mem.putInts(FL, 4, [110]);
  assert.equal(line('recvfrom', {
    args: [4, BUF, 2, 0, FROM, FL], ret: 2, mem,
    kernel: (m) => { m.put(FROM, sun); m.putInts(FL, 4, [sun.length]); },
  }), 'recvfrom(4, "po", 2, 0, {sa_family=AF_UNIX, sun_path="/tmp/s"}, [110 => 9]) = 2');
  // memfd_create("mytest", MFD_CLOEXEC|MFD_ALLOW_SEALING); ("x", 0); ("h", MFD_HUGETLB|21<<26)
  mem.putCString(0xa000n, 'mytest');
  assert.equal(line('memfd_create', { args: [0xa000n, 3], ret: 5, mem }), 'memfd_create("mytest", MFD_CLOEXEC|MFD_ALLOW_SEALING) = 5');
  assert.equal(line('memfd_create', { args: [0xa000n, 0], ret: 6, mem }), 'memfd_create("mytest", 0) = 6');
  assert.equal(line('memfd_create', { args: [0xa000n, 0x54000004], ret: -22, mem }),
    'memfd_create("mytest", MFD_HUGETLB|21<<MFD_HUGE_SHIFT) = -1 EINVAL (Invalid argument)');
  assert.equal(line('memfd_create', { args: [0xa000n, 3], ret: 5, mem, options: { xlat: 'verbose' } }),
    'memfd_create("mytest", 0x3 /* MFD_CLOEXEC|MFD_ALLOW_SEALING */) = 5');
  // inotify_init1(IN_NONBLOCK|IN_CLOEXEC); inotify_add_watch(in, "/tmp", IN_CREATE|IN_DELETE|IN_ONLYDIR)
  assert.equal(line('inotify_init1', { args: [0o2004000], ret: 8 }), 'inotify_init1(IN_NONBLOCK|IN_CLOEXEC) = 8');
  mem.putCString(0xb000n, '/tmp');
  assert.equal(line('inotify_add_watch', { args: [8, 0xb000n, 0x01000300], ret: 1, mem }), 'inotify_add_watch(8, "/tmp", IN_CREATE|IN_DELETE|IN_ONLYDIR) = 1');
  // off_t off = 0; sendfile(dn, fd, &off, 100); sendfile(dn, fd, NULL, 10)
  mem.putInts(0xc000n, 8, [0]);
  assert.equal(line('sendfile', { args: [12, 11, 0xc000n, 100], ret: 100, mem, kernel: (m) => m.putInts(0xc000n, 8, [100]) }),
    'sendfile(12, 11, [0] => [100], 100) = 100');
  assert.equal(line('sendfile', { args: [12, 11, 0, 10], ret: 10 }), 'sendfile(12, 11, NULL, 10) = 10');
  // getresuid(&r, &e, &s) as root; posix_fadvise(fd, 0, 100, POSIX_FADV_SEQUENTIAL)
  mem.putInts(0xd000n, 4, [0, 0, 0]);
  assert.equal(line('getresuid', { args: [0xd000n, 0xd004n, 0xd008n], ret: 0, mem }), 'getresuid([0], [0], [0]) = 0');
  assert.equal(line('fadvise64', { args: [11, 0, 100, 2], ret: 0 }), 'fadvise64(11, 0, 100, POSIX_FADV_SEQUENTIAL) = 0');
  assert.equal(line('fadvise64', { args: [11, 0, 100, 2], ret: 0, options: { xlat: 'verbose' } }), 'fadvise64(11, 0, 100, 0x2 /* POSIX_FADV_SEQUENTIAL */) = 0');
  assert.equal(line('listen', { args: [5, 5], ret: 0 }), 'listen(5, 5) = 0');
  assert.equal(line('getpriority', { args: [0, 0], ret: 20 }), 'getpriority(PRIO_PROCESS, 0) = 20');
});
