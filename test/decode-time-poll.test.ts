// Clocks, sleeps, poll/select and epoll. Expected lines from strace 6.1 (x86_64) on the calls of
// t3.c and t4.c in the decoder scratch programs; addresses replaced by the test memory's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ByteMemory, line, aarch64, EBADF, EINVAL } from './decode-harness.js';

const BUF = 0x7ffc0000n;
const ts = (m: ByteMemory, at: bigint, sec: number | bigint, nsec: number): bigint => m.putInts(at, 8, [sec, nsec]);

test('clock_gettime, clock_getres, gettimeofday', () => {
  const mem = new ByteMemory();
  // syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &ts)
  assert.equal(line('clock_gettime', { args: [7, BUF], ret: 0, mem, kernel: (m) => ts(m, BUF, 1159, 215220801) }),
    'clock_gettime(CLOCK_BOOTTIME, {tv_sec=1159, tv_nsec=215220801}) = 0');
  assert.equal(line('clock_gettime', { args: [7, BUF], ret: 0, mem, options: { xlat: 'verbose' } }),
    'clock_gettime(0x7 /* CLOCK_BOOTTIME */, {tv_sec=1159, tv_nsec=215220801}) = 0');
  // syscall(SYS_clock_gettime, 99, &ts)
  assert.equal(line('clock_gettime', { args: [99, BUF], ret: EINVAL, mem }), 'clock_gettime(0x63 /* CLOCK_??? */, 0x7ffc0000) = -1 EINVAL (Invalid argument)');
  assert.equal(line('clock_getres', { args: [1, BUF], ret: 0, mem, kernel: (m) => ts(m, BUF, 0, 1) }), 'clock_getres(CLOCK_MONOTONIC, {tv_sec=0, tv_nsec=1}) = 0');
  // syscall(SYS_gettimeofday, &tv, NULL)
  assert.equal(line('gettimeofday', { args: [BUF, 0], ret: 0, mem, kernel: (m) => m.putInts(BUF, 8, [1795379340, 871872]) }),
    'gettimeofday({tv_sec=1795379340, tv_usec=871872}, NULL) = 0');
});

test('nanosleep and clock_nanosleep', () => {
  const mem = new ByteMemory();
  ts(mem, BUF, 0, 1000);
  // syscall(SYS_nanosleep, &req, &rem) and with NULL
  assert.equal(line('nanosleep', { args: [BUF, BUF + 0x100n], ret: 0, mem }), 'nanosleep({tv_sec=0, tv_nsec=1000}, 0x7ffc0100) = 0');
  assert.equal(line('nanosleep', { args: [BUF, 0], ret: 0, mem }), 'nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0');
  // interrupted by a signal: the remaining time is shown
  assert.equal(line('nanosleep', { args: [BUF, BUF + 0x100n], ret: -516, mem, kernel: (m) => ts(m, BUF + 0x100n, 0, 500) }),
    'nanosleep({tv_sec=0, tv_nsec=1000}, {tv_sec=0, tv_nsec=500}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)');
  // clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem); with TIMER_ABSTIME and NULL
  assert.equal(line('clock_nanosleep', { args: [1, 0, BUF, BUF + 0x100n], ret: 0, mem }),
    'clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, 0x7ffc0100) = 0');
  ts(mem, BUF + 0x200n, 1159, 215594807);
  assert.equal(line('clock_nanosleep', { args: [1, 1, BUF + 0x200n, 0], ret: 0, mem }),
    'clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=1159, tv_nsec=215594807}, NULL) = 0');
});

test('poll and ppoll', () => {
  const mem = new ByteMemory();
  const fds = (m: ByteMemory, rev0: number, rev1: number): void => {
    m.putStruct(BUF, 24, [[0, 4, 7], [4, 2, 5], [6, 2, rev0], [8, 4, 8], [12, 2, 1], [14, 2, rev1], [16, 4, -1], [20, 2, 1]]);
  };
  fds(mem, 0, 0);
  // poll(pf, 3, 0) with the third fd -1
  assert.equal(line('poll', { args: [BUF, 3, 0], ret: 1, mem, kernel: (m) => fds(m, 4, 0) }),
    'poll([{fd=7, events=POLLIN|POLLOUT}, {fd=8, events=POLLIN}, {fd=-1}], 3, 0) = 1 ([{fd=7, revents=POLLOUT}])');
  // poll(NULL, 0, 1)
  assert.equal(line('poll', { args: [0, 0, 1], ret: 0 }), 'poll(NULL, 0, 1) = 0 (Timeout)');
  fds(mem, 0, 0);
  assert.equal(line('poll', { args: [BUF, 2, -1], ret: 1, mem, kernel: (m) => fds(m, 5, 0) }),
    'poll([{fd=7, events=POLLIN|POLLOUT}, {fd=8, events=POLLIN}], 2, -1) = 1 ([{fd=7, revents=POLLIN|POLLOUT}])');
  // ppoll(pf, 2, &{0, 1000}, &{USR1}) with the time used up
  ts(mem, BUF + 0x100n, 0, 1000);
  mem.putInts(BUF + 0x200n, 8, [1n << 9n]);
  assert.equal(line('ppoll', { args: [BUF, 2, BUF + 0x100n, BUF + 0x200n, 8], ret: 1, mem, kernel: (m) => ts(m, BUF + 0x100n, 0, 0) }),
    'ppoll([{fd=7, events=POLLIN|POLLOUT}, {fd=8, events=POLLIN}], 2, {tv_sec=0, tv_nsec=1000}, [USR1], 8) = 1 ([{fd=7, revents=POLLIN|POLLOUT}], left {tv_sec=0, tv_nsec=0})');
  assert.equal(line('ppoll', { args: [BUF, 1, 0, 0, 8], ret: 1, mem }),
    'ppoll([{fd=7, events=POLLIN|POLLOUT}], 1, NULL, NULL, 8) = 1 ([{fd=7, revents=POLLIN|POLLOUT}])');
});

test('select and pselect6', () => {
  const mem = new ByteMemory();
  const R = BUF, W = BUF + 0x10n, T = BUF + 0x20n, S = BUF + 0x40n;
  // select(9, {7,8}, {8}, NULL, &{0, 500}) as glibc's pselect6
  mem.putInts(R, 8, [(1 << 7) | (1 << 8)]);
  mem.putInts(W, 8, [1 << 8]);
  ts(mem, T, 0, 500000);
  assert.equal(line('pselect6', {
    args: [9, R, W, 0, T, 0], ret: 2, mem,
    kernel: (m) => { m.putInts(R, 8, [1 << 7]); ts(m, T, 0, 498317); },
  }), 'pselect6(9, [7 8], [8], NULL, {tv_sec=0, tv_nsec=500000}, NULL) = 2 (in [7], out [8], left {tv_sec=0, tv_nsec=498317})');
  mem.putInts(R, 8, [1 << 8]);
  ts(mem, T, 0, 100000);
  assert.equal(line('pselect6', { args: [9, R, 0, 0, T, 0], ret: 0, mem }), 'pselect6(9, [8], NULL, NULL, {tv_sec=0, tv_nsec=100000}, NULL) = 0 (Timeout)');
  // pselect(…, &ts, &{USR1}) passes {sigmask, sigsetsize}
  mem.putInts(R, 8, [1 << 7]);
  ts(mem, T, 0, 1000);
  mem.putInts(S + 0x20n, 8, [1n << 9n]);
  mem.putInts(S, 8, [S + 0x20n, 8]);
  assert.equal(line('pselect6', { args: [9, R, 0, 0, T, S], ret: 1, mem, kernel: (m) => ts(m, T, 0, 29) }),
    'pselect6(9, [7], NULL, NULL, {tv_sec=0, tv_nsec=1000}, {sigmask=[USR1], sigsetsize=8}) = 1 (in [7], left {tv_sec=0, tv_nsec=29})');
  mem.putInts(S, 8, [0, 8]);
  assert.equal(line('pselect6', { args: [9, R, 0, 0, 0, S], ret: 1, mem }),
    'pselect6(9, [7], NULL, NULL, NULL, {sigmask=NULL, sigsetsize=8}) = 1 (in [7])');
  // x86_64's select(2): a timeval
  mem.putInts(T, 8, [0, 500]);
  assert.equal(line('select', { args: [9, R, 0, 0, T], ret: 0, mem }), 'select(9, [7], NULL, NULL, {tv_sec=0, tv_usec=500}) = 0 (Timeout)');
});

test('epoll', () => {
  const mem = new ByteMemory();
  assert.equal(line('epoll_create1', { args: [0o2000000], ret: 9 }), 'epoll_create1(EPOLL_CLOEXEC) = 9');
  assert.equal(line('epoll_create', { args: [5], ret: 11 }), 'epoll_create(5) = 11');
  // x86_64's packed struct epoll_event {EPOLLIN|EPOLLET, .u64 = 0x1234}
  mem.putStruct(BUF, 12, [[0, 4, 0x80000001], [4, 8, 0x1234]]);
  assert.equal(line('epoll_ctl', { args: [9, 1, 7, BUF], ret: 0, mem }),
    'epoll_ctl(9, EPOLL_CTL_ADD, 7, {events=EPOLLIN|EPOLLET, data={u32=4660, u64=4660}}) = 0');
  // the same event on aarch64 has its data at offset 8
  mem.putStruct(BUF + 0x100n, 16, [[0, 4, 0x80000001], [8, 8, 0x1234]]);
  assert.equal(line('epoll_ctl', { args: [9, 1, 7, BUF + 0x100n], ret: 0, mem, arch: aarch64 }),
    'epoll_ctl(9, EPOLL_CTL_ADD, 7, {events=EPOLLIN|EPOLLET, data={u32=4660, u64=4660}}) = 0');
  assert.equal(line('epoll_ctl', { args: [9, 2, 8, 0], ret: 0 }), 'epoll_ctl(9, EPOLL_CTL_DEL, 8, NULL) = 0');
  mem.putStruct(BUF + 0x200n, 12, [[0, 4, 4], [4, 8, 8]]);
  assert.equal(line('epoll_ctl', { args: [9, 3, 99, BUF + 0x200n], ret: EBADF, mem }),
    'epoll_ctl(9, EPOLL_CTL_MOD, 99, {events=EPOLLOUT, data={u32=8, u64=8}}) = -1 EBADF (Bad file descriptor)');
  // epoll_wait(ep, evs, 4, 0) with one ready event, then none; epoll_pwait with a mask
  assert.equal(line('epoll_wait', { args: [9, BUF + 0x300n, 4, 0], ret: 1, mem, kernel: (m) => m.putStruct(BUF + 0x300n, 12, [[0, 4, 1], [4, 8, 0x1234]]) }),
    'epoll_wait(9, [{events=EPOLLIN, data={u32=4660, u64=4660}}], 4, 0) = 1');
  assert.equal(line('epoll_wait', { args: [9, BUF + 0x300n, 4, 0], ret: 0, mem }), 'epoll_wait(9, [], 4, 0) = 0');
  mem.putInts(BUF + 0x400n, 8, [1n << 9n]);
  assert.equal(line('epoll_pwait', { args: [9, BUF + 0x300n, 4, 10, BUF + 0x400n, 8], ret: 0, mem }), 'epoll_pwait(9, [], 4, 10, [USR1], 8) = 0');
});
