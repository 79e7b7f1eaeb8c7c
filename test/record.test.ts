// Record and replay end to end: fixtures recorded in one directory, replayed from a copy of the
// recording in another after the program and its inputs are gone; the replay must give the
// same stops in the same order (the driver exits 83 at the first difference, and the trace is
// compared with `show`'s), the same guest output and status, and must not touch the outside.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fixturePath, fixtureExists, makeTempDir, removeTempDir, repoRoot, runTstrace, tstraceMain, cleanEnv, hostArch, type Arch } from './helpers/run.js';
import { casesFor } from './helpers/fixtures.js';

const require = createRequire(import.meta.url);
const ARCHES: readonly Arch[] = ['aarch64', 'x86_64', 'riscv64'];

/** Records `name` run as ./name in a fresh directory (with `inputs` there), returns the recording's copy elsewhere. */
function recordFixture(arch: Arch, name: string, args: readonly string[] = [], inputs: Record<string, string> = {}) {
  const dir = makeTempDir('tstrace-rec-');
  fs.copyFileSync(fixturePath(arch, name), path.join(dir, name));
  fs.chmodSync(path.join(dir, name), 0o755);
  for (const [f, text] of Object.entries(inputs)) fs.writeFileSync(path.join(dir, f), text);
  const rec = runTstrace(['record', '-o', 'run.db', '--', `./${name}`, ...args], { cwd: dir });
  const keep = makeTempDir('tstrace-db-');
  fs.copyFileSync(path.join(dir, 'run.db'), path.join(keep, 'run.db'));
  return { dir, keep, db: path.join(keep, 'run.db'), rec };
}

function withoutNotes(stderr: string): string {
  return stderr.split('\n').filter((l) => !l.startsWith('tstrace: ')).join('\n');
}

const SINGLE = ['hello', 'files', 'signals', 'sig_handlers', 'clocks', 'identity', 'exec_self', 'outside_effects', 'net_netlink', 'timer_waits', 'signal_waits', 'cpu_timers', 'ids', 'more_calls'];

/** Several tasks: threads, child processes with pipes and waits, readiness (poll, SIGPIPE), a non-leader thread's execve, orphans and PR_SET_PDEATHSIG, orphaned process groups, memory shared across fork, PID namespaces, seccomp filters, calls a stop interrupts (restart_syscall), threads parked in poll and select with a timer's signal, FIFO opens that wait for the other end. */
const MULTI = ['threads', 'procs', 'diff_prog', 'readiness', 'exec_thread', 'orphans', 'orphan_pgrp', 'shared_memory', 'pid_ns', 'seccomp_filter', 'sleep_restart', 'poll_threads', 'fifo_open', 'pty'];

for (const arch of ARCHES) {
  for (const name of [...SINGLE, ...MULTI]) {
    test(`${arch} ${name}: replayed from the recording alone, elsewhere, gives the same stops, output and status`, {
      skip: !fixtureExists(arch, name),
    }, () => {
      const { dir, keep, db, rec } = recordFixture(arch, name, [], name === 'outside_effects' ? { 'input.txt': 'secret' } : {});
      try {
        assert.equal(rec.stderr, '', rec.stderr);
        // The program and its inputs are gone.
        removeTempDir(dir);
        const where = makeTempDir('tstrace-replay-');
        try {
          const rep = runTstrace(['replay', db, '-f', '-o', path.join(where, 'trace.txt')], { cwd: where });
          assert.equal(rep.stderr, '', `replay: ${rep.stderr}`);
          assert.equal(rep.status, rec.status, 'exit status');
          assert.equal(rep.stdout, rec.stdout, 'guest output');
          if (!MULTI.includes(name)) {
            // Single task: the replayed trace, decoded afresh, is the recorded one.
            const again = runTstrace(['replay', db], { cwd: where });
            const shown = runTstrace(['show', db], { cwd: where });
            assert.equal(shown.status, 0, shown.stderr);
            assert.equal(withoutNotes(again.stderr), shown.stdout.replace(/\n$/, '') + '\n'.repeat(again.stderr.endsWith('\n') ? 1 : 0));
          }
          assert.deepEqual(fs.readdirSync(where).sort(), ['trace.txt'], 'replay created nothing but its trace');
        } finally {
          removeTempDir(where);
        }
      } finally {
        removeTempDir(dir);
        removeTempDir(keep);
      }
    });
  }
}

for (const arch of ARCHES) {
  const busybox = path.join(repoRoot, 'vendor', 'busybox', arch, 'bin', 'busybox');
  // A program that looks at its own name (prctl(PR_GET_NAME) and hashes it): replay runs a
  // stored copy of the binary under another host name, and must still give it the recorded one.
  test(`${arch} busybox sh: a shell that forks for a command substitution replays with the same stops, output and status`, { skip: !fs.existsSync(busybox) }, () => {
    const dir = makeTempDir('tstrace-rec-');
    try {
      const script = 'x=$(echo sub); echo "got $x"; read line; echo "read $line"; exit 4';
      const rec = runTstrace(['record', '-o', 'run.db', '-f', '--', busybox, 'sh', '-c', script], { cwd: dir, input: 'typed\n' });
      assert.equal(rec.status, 4, rec.stderr);
      assert.equal(rec.stdout, 'got sub\nread typed\n');
      const rep = runTstrace(['replay', 'run.db', '-f', '-o', 'trace.txt'], { cwd: dir });
      assert.equal(rep.stderr, '', rep.stderr);
      assert.equal(rep.stdout, rec.stdout);
      assert.equal(rep.status, 4);
      assert.match(fs.readFileSync(path.join(dir, 'trace.txt'), 'utf8'), /prctl\(PR_GET_NAME, "busybox"\) += 0/);
    } finally {
      removeTempDir(dir);
    }
  });
}

test('the trace printed while recording (--record) is what show prints from the recording', () => {
  const dir = makeTempDir('tstrace-rec-');
  try {
    const r = runTstrace(['-o', 'live.txt', '--record', 'run.db', fixturePath('x86_64', 'files')], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const shown = runTstrace(['show', 'run.db'], { cwd: dir });
    assert.equal(shown.stdout, fs.readFileSync(path.join(dir, 'live.txt'), 'utf8'));
  } finally {
    removeTempDir(dir);
  }
});

test('a reaped child\'s CPU times, in wait4\'s rusage, replay as recorded, not as replay measured them', () => {
  const dir = makeTempDir('tstrace-rec-');
  try {
    const r = runTstrace(['-f', '-o', 'live.txt', '--record', 'run.db', fixturePath('aarch64', 'cpu_time')], { cwd: dir });
    assert.equal(r.status, 0, r.stdout);
    const rep = runTstrace(['replay', 'run.db', '-f', '-o', 'replayed.txt'], { cwd: dir });
    assert.equal(rep.status, 0, rep.stderr);
    const rusageOf = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8').split('\n').filter((l) => /wait4 resumed>.*ru_utime=\{tv_sec=\d+, tv_usec=\d+\}/.test(l));
    const recorded = rusageOf('live.txt');
    assert.equal(recorded.length, 1);
    assert.deepEqual(rusageOf('replayed.txt'), recorded);
  } finally {
    removeTempDir(dir);
  }
});

// x86_64 dynamic programs run rdtsc in their loader, which recording catches with code hooks;
// with a code hook in the engine, Unicorn left the PC stale at a slice's end, and the next slice
// ran code again (the host's tail, preempted by seq, crashed in about half the layouts). The
// environment's size moves the stack, and with it where slices end: eight sizes are tried.
test('x86_64 dynamic programs in a pipeline record and replay whatever the environment\'s size', { skip: hostArch() !== 'x86_64' || !fs.existsSync('/usr/bin/seq') || !fs.existsSync('/usr/bin/tail') }, () => {
  const dir = makeTempDir('tstrace-rec-');
  try {
    for (let pad = 0; pad < 8; pad++) {
      const env = cleanEnv({ PAD: 'x'.repeat(pad) });
      const rec = runTstrace(['record', '-o', `run${pad}.db`, '-f', '--', '/bin/sh', '-c', '/usr/bin/seq 1 3000 | /usr/bin/tail -1'], { cwd: dir, env });
      assert.deepEqual([rec.status, rec.stdout], [0, '3000\n'], `PAD of ${pad}: ${rec.stderr}`);
      const rep = runTstrace(['replay', `run${pad}.db`, '-f', '-o', '/dev/null'], { cwd: dir, env });
      assert.deepEqual([rep.status, rep.stdout, rep.stderr], [0, '3000\n', ''], `PAD of ${pad}`);
    }
  } finally {
    removeTempDir(dir);
  }
});

// The echo that xargs starts (x86_64, dynamic) loads its libraries while xargs waits on the host
// for the end of its input: at record time the budget sliced echo (a task waited on the host)
// and the switch back to xargs came at the end of a slice; in replay xargs waits on the
// recording, nothing sliced echo, and it ran on past the switch. Replay now stops a task where
// the recording's slice ended.
test('a switch at the end of a slice, while the other task waited on the host, replays at the same place', { skip: hostArch() !== 'x86_64' || !fs.existsSync('/usr/bin/awk') || !fs.existsSync('/usr/bin/xargs') }, () => {
  const dir = makeTempDir('tstrace-rec-');
  try {
    for (let pad = 0; pad < 3; pad++) {
      // (In the C.UTF-8 locale both programs read the locale's files first: xargs starts longer.)
      const env = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC', PAD: 'x'.repeat(pad) };
      // (xargs writes into a file: the timing of a write to a pipe differs.)
      const rec = runTstrace(['record', '-o', `run${pad}.db`, '-f', '--', '/bin/sh', '-c', "/usr/bin/awk 'BEGIN { for (i = 0; i < 3; i++) print i * 7 }' | /usr/bin/xargs echo > out.txt"], { cwd: dir, env });
      assert.equal(rec.status, 0, `PAD of ${pad}: ${rec.stderr}`);
      assert.equal(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8'), '0 7 14\n');
      const rep = runTstrace(['replay', `run${pad}.db`, '-f', '-o', '/dev/null'], { cwd: dir, env });
      assert.deepEqual([rep.status, rep.stderr], [0, ''], `PAD of ${pad}`);
    }
  } finally {
    removeTempDir(dir);
  }
});

// Host programs with threads and processes, recorded and replayed (found by replaying real
// programs): a thread pool's timed futex waits with absolute deadlines (the deadline is the
// recording's, not the host clock's: they timed out at once in replay), multiprocessing's
// semaphores (a 32-byte /dev/shm file mapped shared: replay mapped it privately, so the
// processes stopped sharing it), and sort's threads (a slice's end came inside a run, after a
// call handled in the hook, where replay looked only at a run's start).
for (const [what, argv] of [
  ['a python3 thread pool', ['/usr/bin/python3', '-B', '-c', 'from concurrent.futures import ThreadPoolExecutor as P; print(sum(P(4).map(lambda n: sum(range(n)), [20000] * 8)))']],
  ['a python3 process pool', ['/usr/bin/python3', '-B', '-c', 'import multiprocessing as m; print(m.Pool(2).map(abs, [-1, -2, -3]))']],
  ['sort --parallel=4', ['/bin/sh', '-c', 'seq 1 200000 | sort --parallel=4 -S 1M -n | tail -1']],
] as const) {
  test(`${what} (x86_64 host programs) records and replays`, { skip: hostArch() !== 'x86_64' || !fs.existsSync(argv[0]) || !fs.existsSync('/dev/shm'), timeout: 300_000 }, () => {
    const dir = makeTempDir('tstrace-rec-');
    try {
      const env = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC' };
      const rec = runTstrace(['record', '-o', 'run.db', '-f', '--', ...argv], { cwd: dir, env, timeoutMs: 120_000 });
      assert.equal(rec.status, 0, rec.stderr);
      const rep = runTstrace(['replay', 'run.db', '-f', '-o', '/dev/null'], { cwd: dir, env, timeoutMs: 120_000 });
      assert.deepEqual([rep.status, rep.stderr, rep.stdout], [0, '', rec.stdout]);
    } finally {
      removeTempDir(dir);
    }
  });
}

test('two recordings of the threads fixture have the same stops and each replays twice to the same trace', () => {
  const a = recordFixture('aarch64', 'threads');
  const b = recordFixture('aarch64', 'threads');
  try {
    const stopsOf = (db: string) => runTstrace(['query', db, '--sql', 'SELECT tid, kind, name, result FROM stops WHERE name NOT IN (\'getrandom\') ORDER BY seq'], { cwd: a.keep });
    const sa = stopsOf(a.db);
    assert.equal(sa.status, 0, sa.stderr);
    assert.ok(sa.stdout.split('\n').length > 40);
    assert.equal(stopsOf(b.db).stdout, sa.stdout);
    for (const db of [a.db, b.db]) {
      const t1 = runTstrace(['replay', db, '-f'], { cwd: a.keep });
      const t2 = runTstrace(['replay', db, '-f'], { cwd: a.keep });
      assert.equal(t1.status, 0, t1.stderr);
      assert.match(t1.stderr, /\[pid +1001\] /);
      assert.equal(t2.stderr, t1.stderr);
    }
  } finally {
    for (const r of [a, b]) {
      removeTempDir(r.dir);
      removeTempDir(r.keep);
    }
  }
});

test('replay touches nothing outside: no file created or appended, no socket connected, inputs not read', async () => {
  const { dir, keep, db, rec } = recordFixture('aarch64', 'outside_effects', [], { 'input.txt': 'secret' });
  try {
    assert.match(rec.stdout, /input.txt: 6 bytes: secret/);
    assert.match(rec.stdout, /no listener/);
    const where = makeTempDir('tstrace-replay-');
    const server = net.createServer();
    let connections = 0;
    server.on('connection', (c) => {
      connections++;
      c.destroy();
    });
    await new Promise<void>((resolve) => server.listen(path.join(where, 'sock'), resolve));
    try {
      fs.writeFileSync(path.join(where, 'log.txt'), 'before\n');
      const rep = runTstrace(['replay', db], { cwd: where });
      assert.equal(rep.status, 0, rep.stderr);
      // The guest sees what it saw when recorded (no input.txt here, a listener here).
      assert.equal(rep.stdout, rec.stdout);
      assert.equal(fs.existsSync(path.join(where, 'made-by-guest.txt')), false);
      assert.equal(fs.readFileSync(path.join(where, 'log.txt'), 'utf8'), 'before\n');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(connections, 0);
      // And where it was recorded: a file the run created is not created again.
      fs.rmSync(path.join(dir, 'made-by-guest.txt'));
      const log = fs.readFileSync(path.join(dir, 'log.txt'), 'utf8');
      const rep2 = runTstrace(['replay', db], { cwd: dir });
      assert.equal(rep2.status, 0, rep2.stderr);
      assert.equal(fs.existsSync(path.join(dir, 'made-by-guest.txt')), false);
      assert.equal(fs.readFileSync(path.join(dir, 'log.txt'), 'utf8'), log);
    } finally {
      server.close();
      removeTempDir(where);
    }
  } finally {
    removeTempDir(dir);
    removeTempDir(keep);
  }
});

test('a long recording is the same whether its writer and its readers use worker threads or not', () => {
  // 50,000 calls: more than four chunks of stops, so show and replay read ahead on a worker.
  const dir = makeTempDir('tstrace-threads-');
  try {
    const bench = fixturePath('aarch64', 'bench_getppid');
    const onThread = { ...cleanEnv(), TSTRACE_RECORD_THREAD: '0', TSTRACE_READ_THREAD: '0' };
    for (const [db, env] of [['worker.db', cleanEnv()], ['local.db', onThread]] as const) {
      const r = runTstrace(['record', '-o', db, '--', bench, '50000'], { cwd: dir, env });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '50000\n');
    }
    const count = (db: string): string => runTstrace(['query', db, '--sql', "SELECT count(*), count(DISTINCT seq), max(seq), sum(name = 'getppid') FROM stops"], { cwd: dir }).stdout;
    assert.equal(count('worker.db'), count('local.db'));
    // Every stop once, and each getppid's entry and exit.
    assert.match(count('worker.db'), /\n(\d+)\t\1\t(\d+)\t100000\n$/);
    // Stops numbered without a gap: as many as the last seq + 1.
    const [n, , last] = count('worker.db').split('\n')[1]!.split('\t').map(Number);
    assert.equal(n, last! + 1);
    const ahead = runTstrace(['show', 'worker.db'], { cwd: dir });
    const here = runTstrace(['show', 'worker.db'], { cwd: dir, env: onThread });
    assert.equal(ahead.status, 0, ahead.stderr);
    assert.equal(ahead.stdout, here.stdout);
    assert.equal(ahead.stdout.split('\n').filter((l) => l.startsWith('getppid() ')).length, 50000);
    for (const env of [cleanEnv(), onThread]) {
      const rep = runTstrace(['replay', '-o', 'replayed.txt', 'worker.db'], { cwd: dir, env });
      assert.equal(rep.status, 0, rep.stderr);
      assert.equal(rep.stdout, '50000\n');
      assert.equal(fs.readFileSync(path.join(dir, 'replayed.txt'), 'utf8').split('\n').filter((l) => l.startsWith('getppid() ')).length, 50000);
    }
  } finally {
    removeTempDir(dir);
  }
});

test('a recording whose tstrace was SIGKILLed keeps its stops up to the last commit and is marked incomplete', async () => {
  const dir = makeTempDir('tstrace-kill-');
  try {
    const db = path.join(dir, 'run.db');
    const child = spawn(process.execPath, [tstraceMain, 'record', '-o', db, '--', fixturePath('aarch64', 'nap'), '20000'], { cwd: dir, env: cleanEnv(), stdio: 'ignore' });
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    // Wait until the nanosleep's entry is committed (the recorder commits before a call that may wait).
    let seen = false;
    for (let i = 0; i < 600 && !seen; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (!fs.existsSync(db)) continue;
      try {
        const rd = new Database(db, { readonly: true });
        try {
          seen = rd.prepare("SELECT 1 FROM stops WHERE name IN ('nanosleep', 'clock_nanosleep') AND kind = 'syscall-entry'").get() !== undefined;
        } finally {
          rd.close();
        }
      } catch {
        // not created yet
      }
    }
    assert.ok(seen, 'the nanosleep entry was committed');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const before = fs.readFileSync(db);
    const shown = runTstrace(['show', db], { cwd: dir });
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stderr, /recording is incomplete; it ends at stop \d+/);
    assert.match(shown.stdout, /^execve\(/);
    assert.match(shown.stdout, /rt_sigprocmask|brk\(/);
    const last = runTstrace(['query', db, '--sql', "SELECT kind, name FROM stops ORDER BY seq DESC LIMIT 1"], { cwd: dir });
    assert.match(last.stdout, /syscall-entry\t(clock_)?nanosleep/);
    const complete = runTstrace(['query', db, '--sql', 'SELECT complete, ended_how FROM run'], { cwd: dir });
    assert.match(complete.stdout, /^0\tNULL$/m);
    assert.equal(runTstrace(['show', '--require-complete', db], { cwd: dir }).status, 84);
    const rep = runTstrace(['replay', db], { cwd: dir });
    assert.equal(rep.status, 0, rep.stderr);
    assert.match(rep.stderr, /end of the recording \(incomplete\)/);
    assert.match(rep.stderr, /nanosleep\(/);
    assert.ok(fs.readFileSync(db).equals(before), 'reading commands left the file as it was');
  } finally {
    removeTempDir(dir);
  }
});

test('replay stops at the first divergence, prints both sides and exits 83', () => {
  const { dir, keep, db } = recordFixture('aarch64', 'hello');
  try {
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    // brk is re-executed at replay: a recording that says it returned something else diverges there.
    const w = new Database(db);
    const brk = w.prepare("SELECT seq FROM stops WHERE name = 'brk' AND kind = 'syscall-exit' ORDER BY seq LIMIT 1 OFFSET 1").get() as { seq: number };
    w.prepare('UPDATE calls SET result = 4096 WHERE seq + exit = ?').run(brk.seq);
    w.pragma('journal_mode = DELETE');
    w.close();
    const r = runTstrace(['replay', db], { cwd: keep });
    assert.equal(r.status, 83, r.stderr);
    assert.match(r.stderr, new RegExp(`replay diverged at stop ${brk.seq}\\n  recorded: seq ${brk.seq} task 1000 syscall-exit: brk\\(\\.\\.\\.\\) = 4096\\n  replayed: seq ${brk.seq} task 1000 syscall-exit: brk\\(\\.\\.\\.\\) = \\d+\\n`));
    assert.equal(r.stdout, '', 'the program did not get as far as its output');
  } finally {
    removeTempDir(dir);
    removeTempDir(keep);
  }
});

test('replay --to SEQ stops at that stop and prints the task\'s registers', () => {
  const { dir, keep, db } = recordFixture('x86_64', 'hello');
  try {
    const pick = runTstrace(['query', db, '--sql', "SELECT seq, nr, args FROM stops WHERE name = 'write' AND kind = 'syscall-entry'"], { cwd: keep });
    const [seq, nr, args] = pick.stdout.split('\n')[1]!.split('\t') as [string, string, string];
    const r = runTstrace(['replay', db, '--to', seq], { cwd: keep });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`stopped at stop ${seq}, task 1000`));
    // The trace ends with the half of the write's line printed at its entry.
    assert.match(r.stderr, /write\(1, "hello, world\\n", 13(?!\) = )/);
    assert.equal(r.stdout.includes('hello, world'), false, 'the write did not run');
    const regs = new Map(r.stdout.trim().split('\n').map((l) => l.split(/\s+/) as [string, string]));
    assert.equal(BigInt(regs.get('nr')!), BigInt(nr));
    assert.deepEqual([0, 1, 2].map((i) => BigInt(regs.get(`arg${i}`)!)), args.split(',').slice(0, 3).map((a) => BigInt(`0x${a}`)));
    assert.ok(BigInt(regs.get('pc')!) > 0n && BigInt(regs.get('sp')!) > 0n);
  } finally {
    removeTempDir(dir);
    removeTempDir(keep);
  }
});

test('record: usage errors are one line and exit 64; an unwritable recording exits 76', () => {
  const dir = makeTempDir('tstrace-recuse-');
  try {
    const noOut = runTstrace(['record', '--', fixturePath('aarch64', 'hello')], { cwd: dir });
    assert.equal(noOut.status, 64);
    assert.match(noOut.stderr, /^tstrace: record needs -o FILE/);
    const noArg = runTstrace(['--record'], { cwd: dir });
    assert.equal(noArg.status, 64);
    const bad = runTstrace(['record', '-o', path.join(dir, 'no/such/dir/run.db'), '--', fixturePath('aarch64', 'hello')], { cwd: dir });
    assert.equal(bad.status, 76, bad.stderr);
    assert.equal(bad.stderr.trimEnd().split('\n').length, 1, bad.stderr);
    fs.writeFileSync(path.join(dir, 'text'), 'not a program\n', { mode: 0o755 });
    const notElf = runTstrace(['record', '-o', 'x.db', '--', './text'], { cwd: dir });
    assert.equal(notElf.status, 68);
    assert.equal(fs.existsSync(path.join(dir, 'x.db')), false, 'no recording for a program that never ran');
    assert.equal(runTstrace(['replay'], { cwd: dir }).status, 64);
    assert.equal(runTstrace(['replay', 'x.db', '--to', 'abc'], { cwd: dir }).status, 64);
  } finally {
    removeTempDir(dir);
  }
});

test('replay takes any strace option: another filter, -c, -s', () => {
  const { dir, keep, db } = recordFixture('x86_64', 'files');
  try {
    const only = runTstrace(['replay', db, '-e', 'trace=openat', '-e', 'status=failed'], { cwd: keep });
    assert.equal(only.status, 0, only.stderr);
    const lines = only.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('+++'));
    assert.ok(lines.length >= 2 && lines.every((l) => /^openat\(.*= -1 E[A-Z]+/.test(l)), lines.join('\n'));
    const shown = runTstrace(['show', db, '-e', 'trace=openat', '-e', 'status=failed'], { cwd: keep });
    assert.equal(shown.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('+++')).join('\n'), lines.join('\n'));
    const c = runTstrace(['replay', db, '-c'], { cwd: keep });
    assert.match(c.stderr, /^% time +seconds +usecs\/call +calls +errors syscall$/m);
    assert.match(c.stderr, /^ *\d+\.\d\d +\d+\.\d{6} +\d+ +\d+ +\d+ openat$/m);
    const s4 = runTstrace(['replay', db, '-s', '4', '-e', 'trace=write'], { cwd: keep });
    assert.match(s4.stderr, /^write\(1, "ok  "\.\.\., \d+\) += \d+$/m);
  } finally {
    removeTempDir(dir);
    removeTempDir(keep);
  }
});

test('--record with -f records every task of the run', () => {
  const dir = makeTempDir('tstrace-recf-');
  try {
    const r = runTstrace(['-f', '-o', 'live.txt', '--record', 'run.db', fixturePath('aarch64', 'procs')], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const tasks = runTstrace(['query', 'run.db', '--sql', 'SELECT count(*) FROM tasks'], { cwd: dir });
    assert.ok(Number(tasks.stdout.split('\n')[1]) >= 2, tasks.stdout);
    const rep = runTstrace(['replay', 'run.db'], { cwd: dir });
    assert.equal(rep.status, 0, rep.stderr);
    assert.equal(rep.stdout, r.stdout);
  } finally {
    removeTempDir(dir);
  }
});

// ---- dynamic programs: the loader the kernel reads at exec is stored too ----------------------

const AARCH64_ROOT = '/usr/aarch64-linux-gnu';

for (const name of ['hello_dyn', 'threads_dyn']) {
  test(`aarch64 ${name}: recorded with --sysroot, replayed after the root, the program and the recording's directory are gone`, { skip: !fixtureExists('aarch64', name) || !fs.existsSync(path.join(AARCH64_ROOT, 'lib', 'libc.so.6')) }, () => {
    const dir = makeTempDir('tstrace-rec-dyn-');
    const keep = makeTempDir('tstrace-db-');
    const where = makeTempDir('tstrace-replay-');
    try {
      // A private root with copies of the loader and the C library, deleted before the replay.
      const root = path.join(dir, 'root');
      fs.mkdirSync(path.join(root, 'lib'), { recursive: true });
      for (const f of ['ld-linux-aarch64.so.1', 'libc.so.6']) fs.copyFileSync(path.join(AARCH64_ROOT, 'lib', f), path.join(root, 'lib', f));
      fs.copyFileSync(fixturePath('aarch64', name), path.join(dir, name));
      fs.chmodSync(path.join(dir, name), 0o755);
      // Traced and recorded in one run: the live trace is the oracle for the replayed one.
      const rec = runTstrace(['-f', '-o', 'live.txt', '--sysroot', root, '--record', 'run.db', `./${name}`, 'one', 'two'], { cwd: dir });
      assert.equal(rec.stderr, '', rec.stderr);
      fs.copyFileSync(path.join(dir, 'run.db'), path.join(keep, 'run.db'));
      const live = fs.readFileSync(path.join(dir, 'live.txt'), 'utf8');
      removeTempDir(dir);
      const db = path.join(keep, 'run.db');
      // A root named by QEMU_LD_PREFIX that does not exist: replay must not look for one.
      const env = cleanEnv({ QEMU_LD_PREFIX: path.join(where, 'no-such-root') });
      const rep = runTstrace(['replay', db, '-f', '-o', path.join(where, 'trace.txt')], { cwd: where, env });
      assert.equal(rep.stderr, '', `replay: ${rep.stderr}`);
      assert.equal(rep.status, rec.status, 'exit status');
      assert.equal(rep.stdout, rec.stdout, 'guest output');
      assert.equal(fs.readFileSync(path.join(where, 'trace.txt'), 'utf8'), live, 'the replayed trace is the recorded one');
      assert.deepEqual(fs.readdirSync(where).sort(), ['trace.txt'], 'replay created nothing but its trace');
      // The loader is stored once, as an image of its own, under its guest path.
      const Database = require('better-sqlite3') as typeof import('better-sqlite3');
      const d = new Database(db, { readonly: true });
      try {
        const roles = d.prepare("SELECT role, path FROM images WHERE role IN ('exec', 'interp') ORDER BY role").all() as { role: string; path: string }[];
        assert.deepEqual(roles.map((r) => r.role), ['exec', 'interp']);
        assert.match(roles[1]!.path, /ld-linux-aarch64\.so\.1$/);
      } finally {
        d.close();
      }
    } finally {
      removeTempDir(dir);
      removeTempDir(keep);
      removeTempDir(where);
    }
  });
}

// A dynamic program's loader derives its pointer guard from AT_RANDOM, and mangled pointers end
// up in the registers every syscall stop compares: replay must give the image the recorded bytes
// (the loader's own image row sits at the same stop as the program's).
const ROOTFS = path.join(repoRoot, 'vendor', 'rootfs', 'aarch64');
for (const [what, argv] of [
  // (--norc: with its standard input a socket, as here, bash would read the host's ~/.bashrc.)
  ['bash', ['/bin/bash', '--norc', '--noprofile', '-c', 'for i in 1 2; do echo $i; done; x=$(echo sub); echo $x']],
  // (-B: no bytecode written into the root, whose files other tests trace being read.)
  ['python3', ['/usr/bin/python3', '-B', '-c', 'import hashlib; print(hashlib.sha256(b"x").hexdigest()[:8])']],
] as const) {
  test(`aarch64 root's ${what}: recorded and replayed with the same stops, output and status`, { skip: !fs.existsSync(path.join(ROOTFS, argv[0])), timeout: 300_000 }, () => {
    const dir = makeTempDir('tstrace-rec-root-');
    try {
      const rec = runTstrace(['record', '-o', 'run.db', '-f', '--sysroot', ROOTFS, '--', ...argv], { cwd: dir, timeoutMs: 240_000 });
      assert.equal(rec.status, 0, rec.stderr);
      const rep = runTstrace(['replay', 'run.db', '-f', '-o', 'trace.txt'], { cwd: dir, timeoutMs: 240_000 });
      assert.equal(rep.stderr, '', rep.stderr);
      assert.equal(rep.status, 0);
      assert.equal(rep.stdout, rec.stdout);
    } finally {
      removeTempDir(dir);
    }
  });
}

// An exec may change the architecture (the exit stop is then in the new image, whose table names
// the call's number otherwise) or follow #! scripts (replay must rebuild the same argv from the
// stored scripts): each recorded and replayed.
test('an aarch64 program that execs an x86_64 one, and #! scripts run first and exec\'d, replay with the same stops, output and status', { skip: !fixtureExists('aarch64', 'exec_child') || !fixtureExists('x86_64', 'exit_status') }, () => {
  const dir = makeTempDir('tstrace-rec-exec-');
  try {
    const busybox = path.join(repoRoot, 'vendor', 'busybox', 'aarch64', 'bin', 'busybox');
    const script = path.join(dir, 'run.sh');
    fs.writeFileSync(script, `#!${busybox} sh\necho "script $0 $1"\nx=$(echo inner)\necho "$x"\nexit 5\n`, { mode: 0o755 });
    const cases: [string[], number][] = [
      [[fixturePath('aarch64', 'exec_child'), fixturePath('x86_64', 'exit_status'), '42'], 0],
      ...(fs.existsSync(busybox) ? [[[script, 'one'], 5], [[fixturePath('x86_64', 'exec_child'), script, 'two'], 0]] as [string[], number][] : []),
    ];
    for (const [argv, status] of cases) {
      for (const f of ['run.db', 'run.db-wal', 'run.db-shm']) fs.rmSync(path.join(dir, f), { force: true });
      const rec = runTstrace(['record', '-o', 'run.db', '-f', '--', ...argv], { cwd: dir });
      assert.equal(rec.status, status, `${argv.join(' ')}: ${rec.stderr}`);
      const rep = runTstrace(['replay', 'run.db', '-f', '-o', 'trace.txt'], { cwd: dir });
      assert.equal(rep.stderr, '', `${argv.join(' ')}: ${rep.stderr}`);
      assert.equal(rep.status, status);
      assert.equal(rep.stdout, rec.stdout);
    }
  } finally {
    removeTempDir(dir);
  }
});

// Every case of the oracle tests' fixture table (test/helpers/fixtures.ts), recorded and replayed
// elsewhere: the same status, output and stops (replay checks each). Left out, with the reason:
const NOT_REPLAYED: Readonly<Record<string, string>> = {
  'sigbus truncate': 'a file truncated after it was mapped: the replayed mapping keeps the length it had',
  proc_mem: 'a write through /proc/PID/mem into another process is not replayed',
};

for (const arch of ARCHES) {
  test(`${arch}: every case of the fixture table records and replays with the same stops, output and status`, { timeout: 900_000 }, () => {
    const failed: string[] = [];
    let replayed = 0;
    for (const c of casesFor(arch)) {
      if (NOT_REPLAYED[c.id] !== undefined || !fixtureExists(arch, c.name)) continue;
      const dir = makeTempDir('tstrace-rec-all-');
      const where = makeTempDir('tstrace-replay-');
      try {
        const rec = runTstrace(['record', '-o', 'run.db', '-f', '--', fixturePath(arch, c.name), ...c.args], { cwd: dir, timeoutMs: 120_000 });
        fs.copyFileSync(path.join(dir, 'run.db'), path.join(where, 'run.db'));
        const rep = runTstrace(['replay', 'run.db', '-f', '-o', 'trace.txt'], { cwd: where, timeoutMs: 120_000 });
        replayed++;
        // (tstrace's own notes aside: a divergence shows in the status, 83.)
        const same = rep.status === rec.status && rep.signal === rec.signal && rep.stdout === rec.stdout && withoutNotes(rep.stderr) === withoutNotes(rec.stderr);
        if (!same) failed.push(`${c.id}: recorded ${rec.status ?? rec.signal}, replayed ${rep.status ?? rep.signal}; replay: ${rep.stderr.split('\n').slice(0, 3).join(' / ')}; record: ${rec.stderr.split('\n').slice(0, 2).join(' / ')}; record's failed checks: ${rec.stdout.split('\n').filter((l) => l.startsWith('FAIL')).join(' / ')}`);
      } finally {
        removeTempDir(dir);
        removeTempDir(where);
      }
    }
    assert.ok(replayed >= 40, `only ${replayed} cases ran`);
    assert.deepEqual(failed, []);
  });
}
