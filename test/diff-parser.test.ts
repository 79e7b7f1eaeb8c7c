// The strace-format parser, line by line, on text as strace 6 prints it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { StraceEventSchema, type StraceEvent } from '../schemas/strace-event.js';
import { parseStraceText } from '../src/diff/api.js';

function only<K extends StraceEvent['kind']>(events: StraceEvent[], kind: K): Extract<StraceEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<StraceEvent, { kind: K }> => e.kind === kind);
}

test('every event matches the zod schema', () => {
  const events = parseStraceText([
    '100   execve("./t", ["./t"], 0x7ffd8429af68 /* 39 vars */) = 0',
    '100   --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---',
    '100   garbage here',
    '100   +++ exited with 0 +++',
  ].join('\n') + '\n');
  assert.equal(events.length, 4);
  for (const e of events) StraceEventSchema.parse(e);
});

test('-f -o prefixes, unfinished joined with resumed, exits', () => {
  const events = parseStraceText(`4649  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0xe01e650) = 4650
4650  set_robust_list(0xe01e660, 24 <unfinished ...>
4649  wait4(4650,  <unfinished ...>
4650  <... set_robust_list resumed>)    = 0
4650  exit_group(3)                     = ?
4650  +++ exited with 3 +++
4649  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 4650
`);
  const calls = only(events, 'syscall');
  assert.deepEqual(calls.map((c) => [c.pid, c.name, c.args, c.ret]), [
    [4649, 'clone', 'child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0xe01e650', '4650'],
    [4650, 'set_robust_list', '0xe01e660, 24', '0'],
    [4650, 'exit_group', '3', '?'],
    [4649, 'wait4', '4650, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL', '4650'],
  ]);
  assert.equal(calls[1]!.line, 2);
  assert.equal(calls[1]!.resumedLine, 4);
  const exits = only(events, 'exit');
  assert.deepEqual(exits.map((e) => [e.pid, e.how, e.code]), [[4650, 'exited', 3]]);
});

test('stderr: [pid N] prefixes, an unnamed first task, a notice spliced into a line', () => {
  const events = parseStraceText(`execve("./t", ["./t"], 0x7ffe189c60e8 /* 39 vars */) = 0
set_tid_address(0x11277650)             = 16718
clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x11277650) = 16719
wait4(16719, strace: Process 16719 attached
 <unfinished ...>
[pid 16719] write(1, "child\\n", 6)      = 6
[pid 16719] +++ exited with 3 +++
<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 16719
exit_group(0)                           = ?
+++ exited with 0 +++
`);
  const calls = only(events, 'syscall');
  assert.deepEqual(calls.map((c) => [c.pid, c.name]), [
    [16718, 'execve'], [16718, 'set_tid_address'], [16718, 'clone'], [16719, 'write'], [16718, 'wait4'], [16718, 'exit_group'],
  ]);
  assert.equal(calls[4]!.args, '16719, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL');
  const notices = only(events, 'notice');
  assert.deepEqual(notices.map((n) => [n.notice, n.pid]), [['attached', 16719]]);
  assert.equal(only(events, 'opaque').length, 0);
});

test('timestamps -t, -tt, -ttt, -r and -T durations', () => {
  const events = parseStraceText([
    '20:28:43 brk(NULL) = 0x1000',
    '20:26:46.372893 brk(NULL)         = 0x25e03000 <0.000053>',
    '1795379323.001691 brk(NULL)             = 0x3526b000',
    '     0.000773 brk(NULL)                 = 0xd2bd000',
    '4655  20:26:46.375001 openat(AT_FDCWD</tmp/dx>, "/etc/hostname", O_RDONLY) = 3</etc/hostname> <0.000053>',
  ].join('\n') + '\n');
  const calls = only(events, 'syscall');
  assert.deepEqual(calls.map((c) => [c.timeKind, c.time, c.duration]), [
    ['clock', '20:28:43', undefined],
    ['clock-us', '20:26:46.372893', 0.000053],
    ['epoch', '1795379323.001691', undefined],
    ['relative', '0.000773', undefined],
    ['clock-us', '20:26:46.375001', 0.000053],
  ]);
  assert.equal(calls[4]!.pid, 4655);
  assert.equal(calls[4]!.ret, '3</etc/hostname>');
});

test('signals, kills, core dumps, stops and execve supersession', () => {
  const events = parseStraceText(`6927  --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---
6927  +++ killed by SIGSEGV (core dumped) +++
6928  --- stopped by SIGSTOP ---
6929  +++ killed by SIGKILL +++
6930  +++ superseded by execve in pid 6931 +++
`);
  assert.deepEqual(only(events, 'signal').map((s) => [s.signal, s.info, s.stopped]), [
    ['SIGSEGV', 'si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL', undefined],
    ['SIGSTOP', '', true],
  ]);
  assert.deepEqual(only(events, 'exit').map((e) => [e.how, e.signal, e.coreDumped]), [
    ['killed', 'SIGSEGV', true], ['killed', 'SIGKILL', undefined], ['superseded', undefined, undefined],
  ]);
});

test('errors, truncated strings, vars, -X verbose, interrupted calls', () => {
  const events = parseStraceText(`openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)
read(3, "0123456789012345678901234567890123"..., 4096) = 4096
execve("/bin/true", ["/bin/true"], 0x7ffd /* 39 vars */) = 0
mprotect(0x4a2000, 16384, 0x1 /* PROT_READ */) = 0
read(0, 0x7ffc, 10)                     = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
write(1, "f() = 3", 7) = 7
`);
  const calls = only(events, 'syscall');
  assert.equal(calls.length, 6);
  assert.equal(calls[0]!.errno, 'ENOENT');
  assert.equal(calls[0]!.ret, '-1 ENOENT (No such file or directory)');
  assert.equal(calls[1]!.args, '3, "0123456789012345678901234567890123"..., 4096');
  assert.equal(calls[2]!.args, '"/bin/true", ["/bin/true"], 0x7ffd /* 39 vars */');
  assert.equal(calls[3]!.args, '0x4a2000, 16384, 0x1 /* PROT_READ */');
  assert.equal(calls[4]!.errno, 'ERESTARTSYS');
  assert.equal(calls[5]!.args, '1, "f() = 3", 7');
});

test('a -c summary table is skipped as one notice; what follows is parsed', () => {
  const events = parseStraceText(`100   write(1, "x", 1) = 1
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
  0.00    0.000000           0         1           read
  0.00    0.000000           0         1         1 ioctl
------ ----------- ----------- --------- --------- ----------------
100.00    0.000000           0        24         1 total
100   +++ exited with 0 +++
`);
  assert.deepEqual(events.map((e) => e.kind), ['syscall', 'notice', 'exit']);
  const n = only(events, 'notice')[0]!;
  assert.equal(n.notice, 'summary');
});

test('unparseable lines become opaque events with their line number', () => {
  const events = parseStraceText('100   write(1, "x", 1) = 1\nsomething the program printed\n100   what(\n\u00ff\u00fe\n');
  const opaque = only(events, 'opaque');
  assert.deepEqual(opaque.map((o) => o.line), [2, 3, 4]);
});

test('a last line cut short is an unfinished call; unfinished calls never resumed are kept', () => {
  const events = parseStraceText('100   read(3, <unfinished ...>\n100   +++ killed by SIGKILL +++\n101   clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=10, tv_nsec=0}, ');
  const calls = only(events, 'syscall');
  assert.deepEqual(calls.map((c) => [c.pid, c.name, c.unfinished, c.ret]), [
    [100, 'read', true, null],
    [101, 'clock_nanosleep', true, null],
  ]);
});

test('no input makes it throw: every cut and corruption of a real-looking log parses', async () => {
  const { diffStraceTexts, normalizeEvents } = await import('../src/diff/api.js');
  const log = `4649  execve("./t", ["./t"], 0x7ffd8429af68 /* 39 vars */) = 0 <0.000266>
4649  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD, child_tidptr=0xe01e650) = 4650
4650  set_robust_list(0xe01e660, 24 <unfinished ...>
4649  wait4(4650,  <unfinished ...>
4650  <... set_robust_list resumed>)    = 0
4650  read(3</etc/x>, "a\\"b\\\\c\\x00"..., 64) = 3
[pid 4650] +++ killed by SIGSEGV (core dumped) +++
4649  <... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], 0, NULL) = 4650
4649  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_DUMPED, si_pid=4650, si_uid=0, si_status=SIGSEGV, si_utime=0, si_stime=0} ---
% time     seconds  usecs/call     calls    errors syscall
100.00    0.000000           0        24         1 total
4649  +++ exited with 0 +++
`;
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const variants: string[] = [];
  for (let cut = 0; cut <= log.length; cut += 3) variants.push(log.slice(0, cut));
  for (let i = 0; i < 300; i++) {
    const chars = [...log];
    for (let k = 0; k < 5; k++) chars[rand(chars.length)] = '<>()"\\[]{}=, \n0x9a-'[rand(19)]!;
    variants.push(chars.join(''));
  }
  for (const v of variants) {
    const events = parseStraceText(v);
    normalizeEvents(events);
    normalizeEvents(events, { crossArch: true, keepFds: true, stringLimit: 3 });
    diffStraceTexts(log, v);
  }
});
