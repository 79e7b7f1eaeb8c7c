// Threads and processes under `tstrace -f`, against oracles nobody here wrote:
//  - the native run of the x86_64 build: the same stdout and exit status, on both guest
//    architectures (qemu-user cannot run a foreign exec'd child without binfmt_misc, and its
//    vfork is a fork, so for `procs` the native run is the reference; for `threads` qemu too);
//  - the real `strace -f` of the x86_64 build: every task makes the same calls, compared with
//    the project's diff engine (tasks paired by their place in the process tree, addresses,
//    pids and times masked);
//  - determinism: the same program traced twice gives the same trace.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffStraceTexts } from '../src/diff/api.js';
import { fixtureExists, fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir, run, runQemu, runStrace, runTstrace, tail, type Arch } from './helpers/run.js';

const ARCHES: readonly Arch[] = ['aarch64', 'x86_64', 'riscv64'];
const TIMEOUT_MS = 120_000;

interface Case {
  readonly name: string;
  /** Calls whose count or arguments depend on host timing natively (left out of the comparison). */
  readonly ignore: readonly string[];
  /** Native-only lines of a race the program cannot close (each with why). */
  readonly nativeRaces?: readonly RegExp[];
  readonly qemu: boolean;
}

const CASES: readonly Case[] = [
  // futex calls depend on which thread wins a lock natively; munmap trims a 64 MiB-aligned arena
  // whose cut depends on where mmap put it.
  { name: 'threads', ignore: ['futex', 'munmap', 'clock_gettime'], qemu: true },
  // A thread parked in epoll_wait while another writes the pipe it waits for.
  { name: 'epoll_threads', ignore: ['futex', 'munmap', 'clock_gettime'], qemu: true },
  // Threads parked in poll, select and ppoll; timed waits; a timer's signal ending poll and select.
  { name: 'poll_threads', ignore: ['futex', 'munmap', 'clock_gettime'], qemu: true },
  // Stop and continue: group-stops, WUNTRACED/WCONTINUED/WSTOPPED, CLD_STOPPED/CLD_CONTINUED.
  { name: 'job_control', ignore: ['clock_gettime'], qemu: true },
  // Calls a SIGSTOP interrupts go on as restart_syscall after SIGCONT (nanosleep, poll). Not
  // against qemu-user: the host kernel restarts qemu's own nanosleep under the stop, so qemu
  // never sees the interruption and leaves the guest's rem unwritten, where Linux writes it.
  { name: 'sleep_restart', ignore: ['clock_gettime'], qemu: false },
  // A grandchild orphaned: reparented to a child subreaper, its parent-death signal. (qemu-user
  // 7.2 refuses PR_SET_CHILD_SUBREAPER with EINVAL.)
  { name: 'orphans', ignore: ['clock_gettime'], qemu: false },
  // Orphaned process groups: their SIGTSTP/SIGTTIN/SIGTTOU are discarded (SIGSTOP still stops),
  // and a group an exit orphans while a member is stopped gets SIGHUP then SIGCONT. (qemu-user
  // 7.2 refuses PR_SET_CHILD_SUBREAPER with EINVAL.)
  { name: 'orphan_pgrp', ignore: ['clock_gettime'], qemu: false },
  // Three threads taking turns, each with its own FP rounding mode and exception flags (which
  // Unicorn's context switch drops on riscv64 unless the kernel keeps them).
  { name: 'fp_threads', ignore: ['futex', 'munmap', 'clock_gettime'], qemu: true },
  // A thread that is not the leader execs: the other threads end, it takes over the leader's
  // pid (`+++ superseded by execve in pid N +++`, `<... execve resumed>` under the leader's id).
  // qemu-user cannot re-exec a foreign program without binfmt_misc (ENOEXEC).
  { name: 'exec_thread', ignore: ['futex', 'munmap', 'clock_gettime'], qemu: false },
  {
    name: 'procs',
    ignore: ['clock_gettime'],
    // Natively, whether a SIGCHLD or SIGTERM finds its task blocked (the call then ends with
    // ERESTARTSYS and runs again) depends on host timing: the parent kills its child right after
    // the child wrote "ready", and the child may or may not be in its next read yet. So the
    // interrupted halves are left out, and SIGCHLD's place (checked on tstrace's own trace).
    nativeRaces: [/= \? ERESTARTSYS /],
    qemu: false,
  },
];

/** Drops each race line, and the `<unfinished ...>` entry half the same task printed before it. */
function dropRaces(lines: string[], races: readonly RegExp[]): string[] {
  const out = [...lines];
  for (let i = out.length - 1; i >= 0; i--) {
    if (!races.some((re) => re.test(out[i]!))) continue;
    const pid = out[i]!.split(/\s+/)[0];
    out.splice(i, 1);
    for (let j = i - 1; j >= 0; j--) {
      if (out[j]!.startsWith(`${pid} `) && out[j]!.endsWith('<unfinished ...>')) {
        out.splice(j, 1);
        i--;
        break;
      }
    }
  }
  return out;
}

const tmp = makeTempDir('tstrace-follow-');
test.after(() => removeTempDir(tmp));

for (const c of CASES) {
  const native = fixturePath('x86_64', c.name);
  const canNative = hostArch() === 'x86_64' && fixtureExists('x86_64', c.name);

  for (const arch of ARCHES) {
    test(`${c.name} (${arch}) under tstrace -f: same stdout and exit status as the native run`, { timeout: TIMEOUT_MS, skip: !canNative || !fixtureExists(arch, c.name) ? 'needs the x86_64 host and fixtures' : false }, () => {
      const want = run(native, [], { cwd: tmp });
      const got = runTstrace(['-f', '-o', path.join(tmp, `${c.name}-${arch}.trace`), fixturePath(arch, c.name)], { cwd: tmp, timeoutMs: TIMEOUT_MS });
      assert.equal(got.timedOut, false, 'tstrace hung');
      assert.equal(got.stdout, want.stdout, tail(got.stderr));
      assert.equal(got.status, want.status);
      if (c.qemu && hasCommand(`qemu-${arch}`)) {
        const q = runQemu(arch, fixturePath(arch, c.name), [], { cwd: tmp });
        assert.equal(got.stdout, q.stdout);
        assert.equal(got.status, q.status);
      }
    });
  }

  test(`${c.name} (x86_64): every task's calls match the real strace -f`, { timeout: TIMEOUT_MS, skip: !canNative || !hasCommand('strace') ? 'needs strace and the x86_64 host' : false }, () => {
    const a = path.join(tmp, `${c.name}.strace`);
    const b = path.join(tmp, `${c.name}.tstrace`);
    const s = runStrace(['-f', '-o', a], native, [], { cwd: tmp });
    assert.equal(s.status, 0, s.stderr);
    const r = runTstrace(['-f', '-o', b, native], { cwd: tmp, timeoutMs: TIMEOUT_MS });
    assert.equal(r.status, 0, tail(r.stderr));
    const races = c.nativeRaces ?? [];
    const nativeText = dropRaces(fs.readFileSync(a, 'latin1').split('\n'), races).join('\n');
    const ours = fs.readFileSync(b, 'latin1');
    const d = diffStraceTexts(nativeText, ours, { ignore: [...c.ignore], ignoreSignals: races.length > 0 ? ['SIGCHLD'] : [] });
    assert.ok(d.equal, d.text);
    if (c.name === 'procs') {
      for (const what of ['CLD_EXITED, si_pid=1001, si_uid=\\d+, si_status=3', 'CLD_KILLED, si_pid=1004, si_uid=\\d+, si_status=SIGTERM']) {
        assert.match(ours, new RegExp(`^1000 +--- SIGCHLD \\{si_signo=SIGCHLD, si_code=${what},`, 'm'));
      }
    }
  });

  for (const arch of ARCHES) {
    test(`${c.name} (${arch}): two runs give the same trace`, { timeout: TIMEOUT_MS, skip: !fixtureExists(arch, c.name) ? 'fixture not built' : false }, () => {
      const traces = [1, 2].map((i) => {
        const out = path.join(tmp, `${c.name}-${arch}-${i}.det`);
        const r = runTstrace(['-f', '-o', out, fixturePath(arch, c.name)], { cwd: tmp, timeoutMs: TIMEOUT_MS });
        assert.equal(r.status, 0, tail(r.stderr));
        // getrandom's bytes come from the host; the stdout file's size grows between the runs;
        // the time an interrupted sleep had left is measured on the host's clock.
        return fs.readFileSync(out, 'latin1').replace(/getrandom\("[^"]*"/g, 'getrandom(…').replace(/st_size=\d+/g, 'st_size=…')
          .replace(/\{tv_sec=\d+, tv_nsec=\d+\}\) = \? ERESTART_RESTARTBLOCK/g, '{…}) = ? ERESTART_RESTARTBLOCK');
      });
      assert.equal(traces[0], traces[1]);
    });
  }
}

test('threads: -f on stderr prefixes lines with [pid N] once a second task exists, and shows unfinished/resumed halves', { timeout: TIMEOUT_MS, skip: !fixtureExists('aarch64', 'threads') }, () => {
  const r = runTstrace(['-f', fixturePath('aarch64', 'threads')], { cwd: tmp, timeoutMs: TIMEOUT_MS });
  assert.equal(r.status, 0, tail(r.stderr));
  const lines = r.stderr.split('\n');
  assert.match(lines[0]!, /^execve\(/, 'the first line has no prefix: one task');
  assert.ok(lines.some((l) => /^\[pid  1001\] /.test(l)), 'a second task prints with [pid N]');
  assert.ok(lines.some((l) => / <unfinished \.\.\.>$/.test(l)), 'interleaved calls are cut');
  assert.ok(lines.some((l) => /^\[pid\s+\d+\] <\.\.\. futex resumed>/.test(l)), 'and resumed');
  assert.equal(lines.filter((l) => /\+\+\+ exited with 0 \+\+\+$/.test(l)).length, 6, 'every task reports its exit');
});

test('without -f, new threads are not traced (no TRACECLONE): only the first task prints', { timeout: TIMEOUT_MS, skip: !fixtureExists('x86_64', 'threads') }, () => {
  const r = runTstrace([fixturePath('x86_64', 'threads')], { cwd: tmp, timeoutMs: TIMEOUT_MS });
  assert.equal(r.status, 0, tail(r.stderr));
  assert.ok(!r.stderr.includes('[pid '), tail(r.stderr));
  assert.match(r.stderr, /clone3\(.*= 1001/);
});
