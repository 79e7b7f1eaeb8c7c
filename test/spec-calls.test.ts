// Calls decoded as strace 6.1 decodes them, checked against the real strace running the x86_64
// build natively (the lines below are what strace printed; each must be in both traces), and
// the aarch64 and riscv64 builds' traces against the x86_64 one (--cross-arch, all run from the
// same path so their execve and /proc/self/exe lines agree):
//  - spec_calls: epoll_pwait2, rseq, mknodat, preadv2/pwritev2, fadvise64, capability prctls,
//    capget/capset;
//  - sigkill_self: kill/tgkill/tkill of itself with SIGKILL ends inside the call (`= ?`), and a
//    SIGKILL from a second thread ends both threads inside their calls;
//  - -T gives execve its <time> too; -X raw and -X verbose apply to `--- SIG... {...} ---`.
// fchmodat2, which strace 6.1 does not know (it prints syscall_0x1c4), is checked against
// strace 6.5's format with the decoder harness.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffStraceTexts } from '../src/diff/api.js';
import {
  fixtureExists, fixturePath, freshDir, hasCommand, hostArch, makeTempDir, removeTempDir, runStrace, runTstrace,
  type Arch, type RunResult,
} from './helpers/run.js';
import { ByteMemory, line } from './decode-harness.js';

const TIMEOUT_MS = 120_000;
const work = makeTempDir('tstrace-spec-calls-');
test.after(() => removeTempDir(work));

const noStrace = hostArch() !== 'x86_64' ? 'needs an x86_64 host' : !hasCommand('strace') ? 'no strace' : false;

interface Traced {
  run: RunResult;
  trace: string;
  /** The trace's lines without strace's padding before ` = `. */
  lines: string[];
}

/** Runs `who` on the fixture copied to <work>/<arch-neutral name>, in a fresh cwd. */
function trace(who: 'strace' | 'tstrace', arch: Arch, name: string, args: readonly string[], flags: readonly string[] = []): Traced {
  assert.ok(fixtureExists(arch, name), `missing ${fixturePath(arch, name)}: run scripts/build-fixtures.sh`);
  const dir = path.join(work, `${who}-${arch}-${name}-${args.join('-')}${flags.join('')}`);
  freshDir(dir);
  const bin = path.join(work, 'bin', name);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  fs.copyFileSync(fixturePath(arch, name), bin);
  fs.chmodSync(bin, 0o755);
  const cwd = path.join(work, 'cwd');
  freshDir(cwd);
  const out = path.join(dir, 'trace.txt');
  const run = who === 'strace'
    ? runStrace(['-o', out, ...flags], bin, args, { cwd, timeoutMs: TIMEOUT_MS })
    : runTstrace(['-o', out, ...flags, bin, ...args], { cwd, timeoutMs: TIMEOUT_MS });
  const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  return { run, trace: text, lines: text.split('\n').map((l) => l.replace(/\) +(= )/, ') $1')) };
}

/**
 * The trace without glibc's start-up rseq registration (rseq(&area, 0x20, 0, RSEQ_SIG) = 0),
 * to compare with a riscv64 build: its glibc (2.36) registers no rseq area on riscv, natively
 * and under qemu-riscv64 alike.
 */
function withoutGlibcRseq(arch: Arch, text: string): string {
  return arch === 'riscv64' ? text.replace(/^rseq\(0x[0-9a-f]+, 0x20, 0, 0x[0-9a-f]+\) += 0\n/m, '') : text;
}

function hasLine(t: Traced, expected: string | RegExp, who: string): void {
  const ok = t.lines.some((l) => (typeof expected === 'string' ? l === expected : expected.test(l)));
  assert.ok(ok, `${who} has no line ${String(expected)}:\n${t.trace}`);
}

/** What strace 6.1 printed for spec_calls' calls (fds: 3 the epoll, 4 /proc/self/exe, 5 a pipe). */
const SPEC_CALLS_LINES: readonly (string | RegExp)[] = [
  'epoll_pwait2(3, [], 2, {tv_sec=0, tv_nsec=1000}, NULL, 8) = 0',
  'epoll_pwait2(3, [], 2, {tv_sec=0, tv_nsec=1000}, [USR1], 8) = 0',
  /^epoll_pwait2\(3, 0x[0-9a-f]+, 0, 0x[0-9a-f]+, NULL, 8\) = -1 EINVAL \(Invalid argument\)$/,
  'rseq(0, 0, 0, 0) = -1 EINVAL (Invalid argument)',
  'rseq(0, 0x7, 0x1, 0x53053053) = -1 EINVAL (Invalid argument)',
  'mknodat(AT_FDCWD, "missing.d/null", S_IFCHR|0600, makedev(0x1, 0x3)) = -1 ENOENT (No such file or directory)',
  'mknodat(AT_FDCWD, "missing.d/f", S_IFREG|0600) = -1 ENOENT (No such file or directory)',
  'preadv2(4, [{iov_base="\\177ELF", iov_len=4}], 1, -1, 0) = 4',
  'pwritev2(4, [{iov_base="\\177ELF", iov_len=4}], 1, 5, RWF_HIPRI|RWF_DSYNC) = -1 EBADF (Bad file descriptor)',
  'fadvise64(4, 0, 0, POSIX_FADV_SEQUENTIAL) = 0',
  'fadvise64(4, 0, 100, 0x63 /* POSIX_FADV_??? */) = -1 EINVAL (Invalid argument)',
  'fadvise64(99, 0, 0, POSIX_FADV_NORMAL) = -1 EBADF (Bad file descriptor)',
  'fadvise64(5, 0, 0, POSIX_FADV_DONTNEED) = -1 ESPIPE (Illegal seek)',
  /^prctl\(PR_CAPBSET_READ, CAP_MAC_OVERRIDE\) = [01]$/,
  'prctl(PR_CAPBSET_READ, 0x63 /* CAP_??? */) = -1 EINVAL (Invalid argument)',
  /^prctl\(PR_CAPBSET_DROP, CAP_SYS_ADMIN\) = (0|-1 EPERM \(Operation not permitted\))$/,
  'prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN) = 0',
  'prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0) = 0',
  /^prctl\(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0\) = /,
  'prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_NET_RAW, 0, 0) = 0',
  'prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) = 0',
  'prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0x1, 0, 0) = -1 EINVAL (Invalid argument)',
  'prctl(PR_CAP_AMBIENT, 0x63 /* PR_CAP_AMBIENT_??? */, 0xd, 0, 0) = -1 EINVAL (Invalid argument)',
  /^capget\(\{version=_LINUX_CAPABILITY_VERSION_3, pid=0\}, \{effective=[^,]*, permitted=[^,]*, inheritable=0\}\) = 0$/,
  /^capset\(\{version=_LINUX_CAPABILITY_VERSION_3, pid=0\}, \{effective=[^,]*, permitted=[^,]*, inheritable=0\}\) = 0$/,
  /^capget\(\{version=0x12345 \/\* _LINUX_CAPABILITY_VERSION_\?\?\? \*\/, pid=0\}, 0x[0-9a-f]+\) = -1 EINVAL \(Invalid argument\)$/,
  'capget({version=0x12345 /* _LINUX_CAPABILITY_VERSION_??? */, pid=0}, NULL) = 0',
  /^capget\(\{version=_LINUX_CAPABILITY_VERSION_1, pid=0\}, \{effective=[^,]*, permitted=[^,]*, inheritable=0\}\) = 0$/,
  /^capget\(\{version=_LINUX_CAPABILITY_VERSION_1, pid=-1\}, 0x[0-9a-f]+\) = -1 EINVAL \(Invalid argument\)$/,
  /^capset\(\{version=_LINUX_CAPABILITY_VERSION_3, pid=0\}, \{effective=[^,]*, permitted=[^,]*, inheritable=1<<CAP_SYS_ADMIN\}\) = -1 EPERM \(Operation not permitted\)$/,
];

test('spec_calls: strace and tstrace print the same lines for the x86_64 build', { skip: noStrace, timeout: 3 * TIMEOUT_MS }, () => {
  const s = trace('strace', 'x86_64', 'spec_calls', []);
  const t = trace('tstrace', 'x86_64', 'spec_calls', []);
  assert.equal(s.run.status, 0, s.run.stdout);
  assert.equal(t.run.status, 0, t.run.stdout);
  assert.equal(t.run.stdout, s.run.stdout);
  for (const l of SPEC_CALLS_LINES) {
    hasLine(s, l, 'strace');
    hasLine(t, l, 'tstrace');
  }
  const d = diffStraceTexts(s.trace, t.trace);
  assert.ok(d.equal, d.text);
  for (const flags of [['-X', 'raw'], ['-X', 'verbose']]) {
    const dx = diffStraceTexts(trace('strace', 'x86_64', 'spec_calls', [], flags).trace, trace('tstrace', 'x86_64', 'spec_calls', [], flags).trace);
    assert.ok(dx.equal, `${flags.join(' ')}\n${dx.text}`);
  }
});

for (const arch of ['aarch64', 'riscv64'] as const) {
  test(`spec_calls: the ${arch} trace is the x86_64 one modulo the architecture`, { timeout: 3 * TIMEOUT_MS }, () => {
    const x = trace('tstrace', 'x86_64', 'spec_calls', []);
    const a = trace('tstrace', arch, 'spec_calls', []);
    assert.equal(a.run.status, 0, a.run.stdout);
    assert.equal(a.run.stdout, x.run.stdout);
    for (const l of SPEC_CALLS_LINES) hasLine(a, l, `tstrace ${arch}`);
    const d = diffStraceTexts(withoutGlibcRseq(arch, x.trace), a.trace, { crossArch: true });
    assert.ok(d.equal, d.text);
  });
}

for (const how of ['kill', 'tgkill', 'tkill']) {
  test(`sigkill_self ${how}: the call never returns (= ?), then killed by SIGKILL`, { timeout: 3 * TIMEOUT_MS }, () => {
    const runs: [string, Traced][] = [
      ['tstrace x86_64', trace('tstrace', 'x86_64', 'sigkill_self', [how])],
      ['tstrace aarch64', trace('tstrace', 'aarch64', 'sigkill_self', [how])],
      ['tstrace riscv64', trace('tstrace', 'riscv64', 'sigkill_self', [how])],
    ];
    if (!noStrace) runs.push(['strace', trace('strace', 'x86_64', 'sigkill_self', [how])]);
    for (const [who, t] of runs) {
      assert.equal(t.run.signal, 'SIGKILL', `${who}: ${t.run.stderr}`);
      const tail = t.trace.trimEnd().split('\n').slice(-2).map((l) => l.replace(/\) +(= )/, ') $1'));
      assert.match(tail[0]!, new RegExp(`^${how}\\(\\d+(, \\d+)?, SIGKILL\\) = \\?$`), `${who}:\n${t.trace}`);
      assert.equal(tail[1], '+++ killed by SIGKILL +++', who);
    }
    if (!noStrace) {
      const d = diffStraceTexts(runs[3]![1].trace, runs[0]![1].trace);
      assert.ok(d.equal, d.text);
    }
    for (const [who, t] of runs.slice(1, 3)) {
      const d = diffStraceTexts(withoutGlibcRseq(who === 'tstrace riscv64' ? 'riscv64' : 'aarch64', runs[0]![1].trace), t.trace, { crossArch: true });
      assert.ok(d.equal, `${who}\n${d.text}`);
    }
  });
}

test('sigkill_self thread: with -f, the killing thread and the joining one both end inside their calls', { timeout: 3 * TIMEOUT_MS }, () => {
  const runs: [string, Traced][] = [
    ['tstrace x86_64', trace('tstrace', 'x86_64', 'sigkill_self', ['thread'], ['-f'])],
    ['tstrace aarch64', trace('tstrace', 'aarch64', 'sigkill_self', ['thread'], ['-f'])],
    ['tstrace riscv64', trace('tstrace', 'riscv64', 'sigkill_self', ['thread'], ['-f'])],
  ];
  if (!noStrace) runs.push(['strace', trace('strace', 'x86_64', 'sigkill_self', ['thread'], ['-f'])]);
  for (const [who, t] of runs) {
    assert.equal(t.run.signal, 'SIGKILL', `${who}: ${t.run.stderr}`);
    assert.doesNotMatch(t.run.stdout, /still alive/, who);
    // Each thread's last call ends with `= ?`: kill in the second thread, and in the first one
    // whatever call it was in (under tstrace's deterministic scheduler, pthread_join's futex).
    const byTask = new Map<string, string[]>();
    for (const l of t.lines) {
      const m = /^(\d+) +(.*)$/.exec(l);
      if (m === null || m[2]!.startsWith('+++') || m[2]!.startsWith('---')) continue;
      byTask.set(m[1]!, [...(byTask.get(m[1]!) ?? []), m[2]!]);
    }
    assert.equal(byTask.size, 2, `${who}:\n${t.trace}`);
    const lasts = [...byTask.values()].map((ls) => ls.at(-1)!);
    assert.ok(lasts.some((l) => /^(kill\(\d+, SIGKILL|<\.\.\. kill resumed>)\) = \?$/.test(l)), `${who}: ${lasts.join(' / ')}`);
    for (const l of lasts) assert.match(l, / = \?$/, who);
    if (who.startsWith('tstrace')) assert.ok(lasts.some((l) => l.startsWith('<... futex resumed>')), `${who}: ${lasts.join(' / ')}`);
    assert.match(t.trace.trimEnd().split('\n').at(-1) ?? '', /^\d+ +\+\+\+ killed by SIGKILL \+\+\+$/, who);
  }
  // (No line-by-line comparison: thread stacks are mapped with per-architecture sizes, and
  // natively the first thread's last call is a race.)
});

test('-T: every finished call has its <time>, execve too', { timeout: 2 * TIMEOUT_MS }, () => {
  const runs: [string, Traced][] = [['tstrace', trace('tstrace', 'x86_64', 'hello', [], ['-T'])]];
  if (!noStrace) runs.push(['strace', trace('strace', 'x86_64', 'hello', [], ['-T'])]);
  for (const [who, t] of runs) {
    const calls = t.lines.filter((l) => / = (-?\d+|0x[0-9a-f]+)( |$)/.test(l));
    assert.ok(calls[0]?.startsWith('execve('), `${who}: ${t.trace}`);
    for (const l of calls) assert.match(l, / <\d+\.\d{6}>$/, `${who}: ${l}`);
  }
});

test('-X raw and -X verbose apply to signal lines as strace does', { timeout: 4 * TIMEOUT_MS }, () => {
  const expected: Record<string, readonly string[]> = {
    raw: [
      '--- SIGUSR1 {si_signo=10, si_code=0, si_pid=N, si_uid=0} ---',
      '--- SIGUSR1 {si_signo=10, si_code=0xfffffffa, si_pid=N, si_uid=0} ---',
    ],
    verbose: [
      '--- SIGUSR1 {si_signo=10 /* SIGUSR1 */, si_code=0 /* SI_USER */, si_pid=N, si_uid=0} ---',
      '--- SIGUSR1 {si_signo=10 /* SIGUSR1 */, si_code=0xfffffffa /* SI_TKILL */, si_pid=N, si_uid=0} ---',
    ],
  };
  for (const style of ['raw', 'verbose']) {
    const signalLines = (t: Traced): string[] =>
      t.lines.filter((l) => l.startsWith('--- ')).map((l) => l.replace(/si_pid=\d+/, 'si_pid=N'));
    const t = signalLines(trace('tstrace', 'x86_64', 'signals', [], ['-X', style]));
    for (const l of expected[style]!) assert.ok(t.includes(l), `tstrace -X ${style}: no ${l} in\n${t.join('\n')}`);
    if (!noStrace) assert.deepEqual(t, signalLines(trace('strace', 'x86_64', 'signals', [], ['-X', style])));
  }
});

test('fchmodat2 prints as strace 6.5 and later print it', () => {
  const mem = new ByteMemory();
  mem.putCString(0x1000n, '/tmp');
  const call = (flags: number): string =>
    line('fchmodat2', { args: [-100, 0x1000, 0o755, flags], ret: 0, mem });
  assert.equal(call(0), 'fchmodat2(AT_FDCWD, "/tmp", 0755, 0) = 0');
  assert.equal(call(0x100), 'fchmodat2(AT_FDCWD, "/tmp", 0755, AT_SYMLINK_NOFOLLOW) = 0');
});
