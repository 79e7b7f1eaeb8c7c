// Normalization (each switch on its own), --cross-arch folding, and the exported API.
import test from 'node:test';
import assert from 'node:assert/strict';
import { diffStraceTexts, normalizeEvents, parseStraceText } from '../src/diff/api.js';
import { alignLogs } from '../src/diff/align.js';
import { Interner, loadEvents } from '../src/diff/load.js';
import { Normalizer } from '../src/diff/normalize.js';

const norm = (text: string, options?: Parameters<typeof normalizeEvents>[1]): string[] =>
  normalizeEvents(parseStraceText(text), options);

const FORK_LOG = `500   clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f12345650) = 501
501   getpid() = 501
501   exit_group(0) = ?
501   +++ exited with 0 +++
500   wait4(501, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 501
500   --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=501, si_uid=0, si_status=0, si_utime=3, si_stime=1} ---
500   kill(77, SIGTERM) = 0
500   +++ exited with 0 +++
`;

test('pids become task paths; tasks in order of appearance', () => {
  assert.deepEqual(norm(FORK_LOG), [
    'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x…) = <task 1.1>',
    'wait4(<task 1.1>, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = <task 1.1>',
    '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=<task 1.1>, si_uid=0, si_status=0, si_utime=<time>, si_stime=<time>} ---',
    'kill(<pid>, SIGTERM) = 0',
    '+++ exited with 0 +++',
    'getpid() = <task 1.1>',
    'exit_group(0) = ?',
    '+++ exited with 0 +++',
  ]);
  const kept = norm(FORK_LOG, { pids: false, times: false, addresses: false });
  assert.equal(kept[0], 'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f12345650) = 501');
  assert.match(kept[2]!, /si_pid=501, .*si_utime=3, si_stime=1/);
});

test('a child whose lines come before the fork returns still pairs by position', () => {
  const early = `700   clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>
701   getppid() = 700
700   <... clone resumed>) = 701
`;
  assert.deepEqual(norm(early), ['clone(child_stack=NULL, flags=SIGCHLD) = <task 1.1>', 'getppid() = <task 1>']);
});

test('threads: the tid clone3 reports and a futex word holding a tid name the task', () => {
  const log = `800   clone3({flags=CLONE_VM|CLONE_THREAD|CLONE_PARENT_SETTID, child_tid=0x7f6f2d3ff910, parent_tid=0x7f6f2d3ff910, exit_signal=0, stack=0x7f6f2cbff000, stack_size=0x7fff00, tls=0x7f6f2d3ff640} => {parent_tid=[801]}, 88) = 801
801   write(1, "t\\n", 2) = 2
800   futex(0x7f6f2d3ff910, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 801, NULL, FUTEX_BITSET_MATCH_ANY) = 0
800   futex(0x7f6f2d3ff910, FUTEX_WAKE_PRIVATE, 1) = 0
`;
  const lines = norm(log + '800   rt_sigreturn({mask=[]}) = 801\n800   rt_sigreturn({mask=[]}) = 4096\n');
  assert.deepEqual(lines.slice(3, 5), ['rt_sigreturn({mask=[]}) = <restored>', 'rt_sigreturn({mask=[]}) = <restored>']);
  const kept = norm(log + '800   rt_sigreturn({mask=[]}) = 801\n800   rt_sigreturn({mask=[]}) = 4096\n', { addresses: false });
  assert.deepEqual(kept.slice(3, 5), ['rt_sigreturn({mask=[]}) = <task 1.1>', 'rt_sigreturn({mask=[]}) = 4096']);
  assert.match(lines[0]!, /=> \{parent_tid=\[<task 1\.1>\]\}, 88\) = <task 1\.1>$/);
  assert.equal(lines[1], 'futex(0x…, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, <task 1.1>, NULL, FUTEX_BITSET_MATCH_ANY) = 0');
  assert.equal(lines[2], 'futex(0x…, FUTEX_WAKE_PRIVATE, 1) = 0');
});

test('-y/-yy annotations: dropped, or kept with --keep-fds (inodes masked)', () => {
  const log = '1  read(3</etc/hostname>, "vm\\n", 64) = 3\n1  openat(AT_FDCWD</tmp>, "x", O_RDONLY) = 4<pipe:[12345]>\n';
  assert.deepEqual(norm(log), ['read(3, "vm\\n", 64) = 3', 'openat(AT_FDCWD, "x", O_RDONLY) = 4']);
  assert.deepEqual(norm(log, { keepFds: true }), ['read(3</etc/hostname>, "vm\\n", 64) = 3', 'openat(AT_FDCWD</tmp>, "x", O_RDONLY) = 4<pipe:[…]>']);
});

test('strings are compared up to the limit, escapes counting as one byte', () => {
  const long = `1  write(1, "${'a'.repeat(40)}", 40) = 40\n1  write(1, "\\x00\\x01\\n${'b'.repeat(30)}"..., 100) = 100\n`;
  assert.deepEqual(norm(long), [`write(1, "${'a'.repeat(32)}"..., 40) = 40`, `write(1, "\\x00\\x01\\n${'b'.repeat(29)}"..., 100) = 100`]);
  assert.deepEqual(norm(long, { stringLimit: 0 })[0], `write(1, "${'a'.repeat(40)}", 40) = 40`);
  // -s 32 and -s 64 logs of the same call agree.
  const s32 = `1  read(3, "${'c'.repeat(32)}"..., 100) = 100\n`;
  const s64 = `1  read(3, "${'c'.repeat(64)}"..., 100) = 100\n`;
  assert.deepEqual(norm(s32), norm(s64));
});

test('getrandom bytes, -X verbose names, times in results', () => {
  assert.deepEqual(norm('1  getrandom("\\xac\\x52", 2, GRND_NONBLOCK) = 2\n'), ['getrandom("…", 2, GRND_NONBLOCK) = 2']);
  assert.deepEqual(norm('1  mprotect(0x4a2000, 16384, 0x1 /* PROT_READ */) = 0\n'), norm('1  mprotect(0x4a2000, 16384, PROT_READ) = 0\n'));
  assert.deepEqual(norm('1  clock_gettime(CLOCK_MONOTONIC, {tv_sec=1234, tv_nsec=5678}) = 0\n'), ['clock_gettime(CLOCK_MONOTONIC, {tv_sec=<time>, tv_nsec=<time>}) = 0']);
  assert.deepEqual(norm('1  sysinfo({uptime=2042, loads=[588320, 427680, 266272], totalram=25276502016, freeram=22322847744, procs=138, mem_unit=1}) = 0\n'),
    ['sysinfo({uptime=<now>, loads=<now>, totalram=25276502016, freeram=<now>, procs=<now>, mem_unit=1}) = 0']);
  assert.deepEqual(norm('1  clock_gettime(CLOCK_MONOTONIC, {tv_sec=1234, tv_nsec=5678}) = 0\n', { times: false }), ['clock_gettime(CLOCK_MONOTONIC, {tv_sec=1234, tv_nsec=5678}) = 0']);
});

test('--ignore, --only and --ignore-signal filter events', () => {
  const log = `1  openat(AT_FDCWD, "/x", O_RDONLY) = 3
1  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000
1  getpid() = 1
1  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---
1  +++ exited with 0 +++
`;
  assert.deepEqual(norm(log, { ignore: ['mmap', 'getpid'], ignoreSignals: ['SIGCHLD'] }), ['openat(AT_FDCWD, "/x", O_RDONLY) = 3', '+++ exited with 0 +++']);
  assert.deepEqual(norm(log, { ignore: ['%memory'] }).length, 4);
  const onlyFile = norm(log, { only: ['file'] });
  assert.deepEqual(onlyFile.slice(0, 1), ['openat(AT_FDCWD, "/x", O_RDONLY) = 3']);
  assert.equal(onlyFile.length, 3, 'signals and exits stay, as with strace -e trace=');
});

test('--cross-arch folds x86_64 spellings into the generic ones', () => {
  const x86 = `10  open("/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
10  fstat(3, {st_mode=S_IFREG|0644, st_size=1234, ...}) = 0
10  stat("/tmp", {st_mode=S_IFDIR|01777, st_size=4096, ...}) = 0
10  arch_prctl(ARCH_SET_FS, 0x4c8380) = 0
10  dup2(3, 1) = 1
10  pipe([4, 5]) = 0
10  poll([{fd=4, events=POLLIN}], 1, 1000) = 1 ([{fd=4, revents=POLLIN}])
10  vfork() = 11
10  rt_sigaction(SIGINT, {sa_handler=0x401000, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x402000}, NULL, 8) = 0
10  epoll_wait(6, [], 8, 0) = 0
10  access("/x", R_OK) = 0
`;
  const a64 = `20  openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
20  newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=1234, ...}, AT_EMPTY_PATH) = 0
20  newfstatat(AT_FDCWD, "/tmp", {st_mode=S_IFDIR|01777, st_size=4096, ...}, 0) = 0
20  dup3(3, 1, 0) = 1
20  pipe2([4, 5], 0) = 0
20  ppoll([{fd=4, events=POLLIN}], 1, {tv_sec=1, tv_nsec=0}, NULL, 8) = 1 ([{fd=4, revents=POLLIN}])
20  clone(child_stack=0x7ff0, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 21
20  rt_sigaction(SIGINT, {sa_handler=0x401000, sa_mask=[], sa_flags=SA_RESTART}, NULL, 8) = 0
20  epoll_pwait(6, [], 8, 0, NULL, 8) = 0
20  faccessat(AT_FDCWD, "/x", R_OK) = 0
`;
  assert.notDeepEqual(norm(x86), norm(a64));
  assert.deepEqual(norm(x86, { crossArch: true }), norm(a64, { crossArch: true }));
  assert.equal(diffStraceTexts(x86, a64, { crossArch: true }).equal, true);
});

test('diffStraceTexts: equal, and a rendered hunk when not', () => {
  const a = '1  openat(AT_FDCWD, "/x", O_RDONLY) = 3\n1  read(3, "abc", 10) = 3\n1  close(3) = 0\n';
  const b = '9  openat(AT_FDCWD, "/x", O_RDONLY) = 3\n9  read(3, "abd", 10) = 3\n9  close(3) = 0\n';
  assert.deepEqual(diffStraceTexts(a, a), { equal: true, text: 'equal: 1 task, 3 events compared\n' });
  const d = diffStraceTexts(a, b, { context: 1 });
  assert.equal(d.equal, false);
  assert.equal(d.text, [
    '--- a',
    '+++ b',
    'task 1 (pid 1 ↔ 9): 0 added, 0 removed, 1 changed',
    '@@ -1,3 +1,3 @@ a:1 b:1',
    ' openat(AT_FDCWD, "/x", O_RDONLY) = 3',
    '-read(3, "abc", 10) = 3',
    '+read(3, "abd", 10) = 3',
    ' close(3) = 0',
    'different: 1 of 1 task differ; 0 added, 0 removed, 1 changed',
    '',
  ].join('\n'));
});

test('context merges nearby changes into one hunk and splits distant ones', () => {
  const mk = (changeAt: readonly number[]): string =>
    Array.from({ length: 30 }, (_, i) => `1  write(1, "${changeAt.includes(i) ? 'X' : 'line'}", ${i}) = 4`).join('\n') + '\n';
  const base = mk([]);
  const near = diffStraceTexts(base, mk([5, 9]), { context: 3 }).text;
  assert.equal(near.split('\n').filter((l) => l.startsWith('@@')).length, 1);
  const far = diffStraceTexts(base, mk([5, 20]), { context: 3 }).text;
  assert.equal(far.split('\n').filter((l) => l.startsWith('@@')).length, 2);
  const none = diffStraceTexts(base, mk([5]), { context: 0 }).text;
  assert.ok(none.includes('@@ -6,1 +6,1 @@'), none);
});

test('events from another source (a recording) join through loadEvents', async () => {
  const normalizer = new Normalizer();
  const interner = new Interner();
  async function* fromElsewhere(): AsyncGenerator<ReturnType<typeof parseStraceText>[number]> {
    yield* parseStraceText(FORK_LOG.replaceAll('500', '600').replaceAll('501', '601'));
  }
  const a = await loadEvents({ label: 'a', kind: 'events', files: [] }, parseStraceText(FORK_LOG), normalizer, interner);
  const b = await loadEvents({ label: 'b', kind: 'events', files: [] }, fromElsewhere(), normalizer, interner);
  const tasks = alignLogs(a, b, interner.strings);
  assert.deepEqual(tasks.map((t) => [t.path, t.status, t.a?.pid, t.b?.pid]), [['1', 'equal', 500, 600], ['1.1', 'equal', 501, 601]]);
});
