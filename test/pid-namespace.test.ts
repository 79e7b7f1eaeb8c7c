// PID namespaces (the pid_ns fixture: unshare(CLONE_NEWUSER | CLONE_NEWPID), the init as pid 1
// with getppid 0, orphans reparented to it, signals across the namespace's edge, its end), against
// the native x86_64 run, directly and under `unshare -Urpf` (as strace's pidns tests run a second
// time), on every guest architecture; and tstrace's --decode-pids=pidns lines against the real
// strace's for the same program (pids of strace's namespace masked by their order of appearance).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureExists, fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir, run, runStrace, runTstrace, tail, tstraceMain, type Arch } from './helpers/run.js';

const ARCHES: readonly Arch[] = ['x86_64', 'aarch64', 'riscv64'];
const TIMEOUT_MS = 120_000;
const tmp = makeTempDir('tstrace-pidns-');
test.after(() => removeTempDir(tmp));

const native = fixturePath('x86_64', 'pid_ns');
const canNative = hostArch() === 'x86_64' && fixtureExists('x86_64', 'pid_ns');
/** Whether this host lets an unprivileged process make user and pid namespaces. */
const canUnshare = canNative && hasCommand('unshare') && run('unshare', ['-Urpf', 'true'], { cwd: tmp }).status === 0;
const skip = !canUnshare ? 'needs the x86_64 host, its fixtures and `unshare -Urpf`' : false;

for (const arch of ARCHES) {
  test(`pid_ns (${arch}) under tstrace -f: the native run's stdout and exit status`, { timeout: TIMEOUT_MS, skip: skip || (!fixtureExists(arch, 'pid_ns') ? 'fixture not built' : false) }, () => {
    const want = run(native, [], { cwd: tmp });
    assert.equal(want.status, 0, want.stdout);
    const got = runTstrace(['-f', '-o', path.join(tmp, `pid_ns-${arch}.trace`), fixturePath(arch, 'pid_ns')], { cwd: tmp, timeoutMs: TIMEOUT_MS });
    assert.equal(got.timedOut, false, 'tstrace hung');
    assert.equal(got.stdout, want.stdout, tail(got.stderr));
    assert.equal(got.status, want.status);
  });
}

test('pid_ns (x86_64) with tstrace itself in a new host pid namespace (unshare -Urpf): the same as natively there', { timeout: TIMEOUT_MS, skip }, () => {
  const want = run('unshare', ['-Urpf', native], { cwd: tmp });
  assert.equal(want.status, 0, want.stdout);
  const got = run('unshare', ['-Urpf', process.execPath, tstraceMain, '-f', '-o', path.join(tmp, 'pid_ns-unshared.trace'), native], { cwd: tmp, timeoutMs: TIMEOUT_MS });
  assert.equal(got.stdout, want.stdout, tail(got.stderr));
  assert.equal(got.status, 0);
});

/**
 * A trace's lines with strace's-namespace pids replaced by their rank (P0 the lowest: pids are
 * handed out in increasing order, natively and by tstrace): the leading tid, `/* N in strace's
 * PID NS *\/` and the pids `outsidePids` matches. Ids inside the namespace (1, 2, 3, 4) stay.
 */
function maskStracePids(text: string, outsidePids: RegExp): string[] {
  const lines = text.split('\n').filter((l) => l !== '');
  const seen = new Set<number>();
  for (const l of lines) {
    seen.add(Number(/^(\d+)/.exec(l)?.[1] ?? 0));
    for (const m of l.matchAll(/\/\* (\d+) in strace's PID NS \*\//g)) seen.add(Number(m[1]));
    for (const m of l.matchAll(outsidePids)) seen.add(Number(m[2]));
  }
  const rank = new Map([...seen].sort((x, y) => x - y).map((pid, i) => [String(pid), `P${i}`]));
  const name = (pid: string): string => rank.get(String(Number(pid)))!;
  return lines.map((l) => l
    .replace(/^(\d+) +/, (_m, pid: string) => `${name(pid)} `)
    .replace(/\/\* (\d+) in strace's PID NS \*\//g, (_m, pid: string) => `/* ${name(pid)} in strace's PID NS */`)
    .replace(outsidePids, (_m, pre: string, pid: string) => `${pre}${name(pid)}`)
    .replace(/ +=/g, ' ='));
}

test('pid_ns (x86_64): --decode-pids=pidns annotates the same calls as the real strace', { timeout: TIMEOUT_MS, skip: skip || (!hasCommand('strace') ? 'needs strace' : false) }, () => {
  // The calls whose pids do not depend on host timing; their order within each task is fixed.
  const flags = ['-f', '--decode-pids=pidns', '-e', 'trace=getpid,getppid,kill,wait4', '-e', 'signal=none', '-qq'];
  const a = path.join(tmp, 'pid_ns-real.trace');
  const b = path.join(tmp, 'pid_ns-ours.trace');
  const s = runStrace([...flags, '-o', a], native, [], { cwd: tmp });
  assert.equal(s.status, 0, s.stderr);
  const r = runTstrace([...flags, '-o', b, native], { cwd: tmp, timeoutMs: TIMEOUT_MS });
  assert.equal(r.status, 0, tail(r.stderr));
  // kill(N, ...) and wait4(N, ...) from outside the namespace name the init by strace's id;
  // so does wait4's result there.
  const outside = /((?:kill|wait4)\(|\) = )(\d{3,})/g;
  // Each task's lines in order (tasks interleave by host timing natively), unfinished/resumed
  // halves joined.
  const byTask = (lines: string[]): string[] => {
    const tasks = new Map<string, string[]>();
    for (const l of lines) {
      const [pid] = l.split(' ', 1);
      const list = tasks.get(pid!) ?? [];
      list.push(l.replace(/^\S+ /, ''));
      tasks.set(pid!, list);
    }
    // Natively, the init's wait4 may be interrupted by the SIGTERM it then ignores (ERESTARTSYS,
    // restarted), or the orphan may have ended first: host timing, left out.
    const calls = (ls: string[]): string[] => ls.join(' | ').replace(/ <unfinished \.\.\.> \| <\.\.\. \w+ resumed>/g, '').split(' | ').filter((c) => !c.includes('= ? ERESTARTSYS'));
    return [...tasks.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([pid, ls]) => `${pid}: ${calls(ls).join(' | ')}`);
  };
  const theirs = byTask(maskStracePids(fs.readFileSync(a, 'latin1'), outside));
  const ours = byTask(maskStracePids(fs.readFileSync(b, 'latin1'), outside));
  assert.deepEqual(ours, theirs);
  // And the annotations are there: the init's getpid, its child's getppid.
  assert.ok(ours.some((l) => l.includes("getpid() = 1 /* P1 in strace's PID NS */")), ours.join('\n'));
  assert.ok(ours.some((l) => l.includes("getppid() = 1 /* P1 in strace's PID NS */")), ours.join('\n'));
});
