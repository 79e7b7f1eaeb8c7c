// Interrupting tstrace (issue: nothing lost on Ctrl-C). SIGINT, SIGTERM or SIGHUP sent to
// tstrace while the program spins or blocks: the program it started gets the same signal, as
// under the real strace, the `-o` file keeps every call traced up to then and ends with the
// signal and the program's death, and tstrace dies by the same signal. The oracle is the real
// strace run on the x86_64 build of the same fixture, interrupted the same way: the last lines
// of both traces must agree (pids masked). A recorded run keeps where each such signal came, and
// its replay sends it again there: the same stops, the same output (the `count` fixtures print
// how far their loops had got when the signal came).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureExists, fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir, runTstrace, tstraceMain, type Arch } from './helpers/run.js';

const TIMEOUT_MS = 60_000;

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
}

/**
 * Runs `cmd`, waits until the program printed "start", sends `signals` to the command (one
 * after the other, the next once the previous one has been taken), and waits for it to end.
 */
function interrupt(cmd: string, args: readonly string[], signals: readonly NodeJS.Signals[]): Promise<Ended> {
  return new Promise((resolve, reject) => {
    // With each signal's default action: one the test runner inherited as ignored (a background
    // job's SIGINT) would stay ignored under tstrace and strace alike.
    const child = spawn('env', ['--default-signal', cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let sent = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')}: no end within ${TIMEOUT_MS} ms; stdout: ${stdout}`));
    }, TIMEOUT_MS);
    const sendNext = (): void => {
      if (sent >= signals.length) return;
      child.kill(signals[sent++]);
      if (sent < signals.length) setTimeout(sendNext, 300);
    };
    child.stdout.on('data', (d: Buffer) => {
      const before = stdout.includes('start\n');
      stdout += d.toString();
      if (!before && stdout.includes('start\n')) setTimeout(sendNext, 200);
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout });
    });
  });
}

/** The trace's last `n` lines, pids and addresses masked. */
function lastLines(file: string, n: number): string[] {
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  return lines.slice(-n).map((l) => l.replace(/si_pid=\d+/g, 'si_pid=P').replace(/0x[0-9a-f]+/g, 'ADDR'));
}

const ARCHES: readonly Arch[] = ['aarch64', 'x86_64', 'riscv64'];
const canOracle = hostArch() === 'x86_64' && hasCommand('strace') && fixtureExists('x86_64', 'forever');

const CASES: readonly { readonly what: string; readonly signal: NodeJS.Signals; readonly tail: number }[] = [
  { what: 'loop', signal: 'SIGINT', tail: 3 },
  { what: 'loop', signal: 'SIGTERM', tail: 3 },
  { what: 'loop', signal: 'SIGHUP', tail: 3 },
  // The read is interrupted: `read(0, ...) = ? ERESTARTSYS`, then the signal and the death.
  { what: 'read', signal: 'SIGINT', tail: 3 },
];

for (const arch of ARCHES) {
  for (const c of CASES) {
    test(`interrupt ${arch}: ${c.signal} to tstrace while the program ${c.what === 'read' ? 'blocks in read' : 'spins'}: the trace is kept and ends as strace's does`, { skip: !canOracle, timeout: TIMEOUT_MS * 3 }, async () => {
      const dir = makeTempDir('tstrace-int-');
      try {
        const ours = path.join(dir, 'tstrace.txt');
        const theirs = path.join(dir, 'strace.txt');
        const t = await interrupt(process.execPath, [tstraceMain, '-o', ours, fixturePath(arch, 'forever'), c.what], [c.signal]);
        // The real strace, sent the same signal by timeout(1) once the program runs (after 3 s).
        // Its standard input a pipe that stays open (for `read`), each signal's default action.
        const script = `sleep 6 | env --default-signal timeout --preserve-status -s ${c.signal.slice(3)} 3 strace -o "$1" "$2" "$3"`;
        const s = spawnSync('sh', ['-c', script, 'sh', theirs, fixturePath('x86_64', 'forever'), c.what], { stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
        assert.equal(s.status, 128 + (os.constants.signals[c.signal] ?? 0), 'strace dies by the signal it was sent');
        assert.equal(t.signal, c.signal, 'tstrace dies by the signal it was sent, as strace does');
        assert.equal(t.stdout, 'start\n');
        assert.deepEqual(lastLines(ours, c.tail), lastLines(theirs, c.tail));
        assert.match(fs.readFileSync(ours, 'utf8'), /^execve\(/, 'the whole trace is kept, from the first call');
      } finally {
        removeTempDir(dir);
      }
    });
  }

  test(`interrupt ${arch}: a program that handles the signal goes on, and tstrace exits with its status`, { skip: !fixtureExists(arch, 'forever'), timeout: TIMEOUT_MS }, async () => {
    const dir = makeTempDir('tstrace-int-');
    try {
      const ours = path.join(dir, 'tstrace.txt');
      const t = await interrupt(process.execPath, [tstraceMain, '-o', ours, fixturePath(arch, 'forever'), 'handler'], ['SIGINT']);
      assert.equal(t.code, 7);
      assert.equal(t.stdout, 'start\ncaught\n');
      const trace = fs.readFileSync(ours, 'utf8');
      assert.match(trace, /--- SIGINT \{si_signo=SIGINT, si_code=SI_USER, si_pid=\d+, si_uid=\d+\} ---/);
      assert.match(trace, /\+\+\+ exited with 7 \+\+\+\n$/);
    } finally {
      removeTempDir(dir);
    }
  });

  test(`interrupt ${arch}: a program that ignores SIGINT is killed by a second one, and the trace is kept`, { skip: !fixtureExists(arch, 'forever'), timeout: TIMEOUT_MS }, async () => {
    const dir = makeTempDir('tstrace-int-');
    try {
      const ours = path.join(dir, 'tstrace.txt');
      const t = await interrupt(process.execPath, [tstraceMain, '-o', ours, fixturePath(arch, 'forever'), 'ignore'], ['SIGINT', 'SIGINT']);
      assert.equal(t.signal, 'SIGKILL');
      assert.match(fs.readFileSync(ours, 'utf8'), /\+\+\+ killed by SIGKILL \+\+\+\n$/);
    } finally {
      removeTempDir(dir);
    }
  });
}

/** The trace lines of a `show` or `replay` (tstrace's own notes left out). */
function traceOf(text: string): string {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('tstrace: ')).join('\n');
}

const RECORDED: readonly { readonly what: string; readonly signals: readonly NodeJS.Signals[]; readonly how: string }[] = [
  { what: 'count', signals: ['SIGINT'], how: 'while it spins: the handler sees the same count' },
  { what: 'threads', signals: ['SIGINT'], how: 'while three threads spin: the same counts, the same switches' },
  { what: 'read', signals: ['SIGINT'], how: 'while it blocks in read (a call replay applies)' },
  { what: 'pause', signals: ['SIGTERM'], how: 'while it waits in pause (a call replay runs again), which kills it' },
  { what: 'pause', signals: ['SIGINT'], how: 'while it waits in pause (a call replay runs again)' },
  { what: 'ignore', signals: ['SIGINT', 'SIGINT'], how: 'ignored, then the second one\'s SIGKILL while it spins' },
  { what: 'ignore-read', signals: ['SIGINT', 'SIGINT'], how: 'ignored, then the second one\'s SIGKILL while it blocks in read' },
];

for (const arch of ARCHES) {
  for (const c of RECORDED) {
    test(`interrupt ${arch}: ${c.signals.join(', ')} to a recording tstrace ${c.how}; replay sends it again where it came`, { skip: !fixtureExists(arch, 'forever'), timeout: TIMEOUT_MS * 2 }, async () => {
      const dir = makeTempDir('tstrace-int-');
      try {
        const db = path.join(dir, 'run.db');
        const rec = await interrupt(process.execPath, [tstraceMain, 'record', '-o', db, '-f', '--', fixturePath(arch, 'forever'), c.what], c.signals);
        const rows = runTstrace(['query', db, '--json', '--sql', 'SELECT * FROM outside_signals ORDER BY ordinal'], { cwd: dir }).stdout.trim().split('\n')
          .map((l) => JSON.parse(l) as Record<string, number | null>);
        assert.equal(rows.length, c.signals.length, 'one row per signal tstrace passed on');
        const first = rows[0]!;
        assert.equal(first['signo'], os.constants.signals[c.signals[0]!]);
        // Spinning, it came at a place in a task's run; blocked, no task ran guest code.
        assert.equal(first['tid'] === null, c.what === 'read' || c.what === 'pause' || c.what === 'ignore-read', `where it came: ${JSON.stringify(first)}`);
        const signalStops = runTstrace(['query', db, '--sql', 'SELECT seq FROM signals WHERE outside'], { cwd: dir }).stdout.trim().split('\n').slice(1);
        assert.deepEqual(signalStops, [String(first['delivered'])], 'the signals view marks the stop where it was delivered');
        if (c.signals.length === 2 && c.what.startsWith('ignore')) assert.equal(rows[1]!['signo'], 9, 'a second signal kills every process');

        const where = makeTempDir('tstrace-replay-');
        try {
          fs.copyFileSync(db, path.join(where, 'run.db'));
          const rep = runTstrace(['replay', 'run.db', '-f'], { cwd: where, timeoutMs: TIMEOUT_MS });
          const shown = runTstrace(['show', 'run.db', '-f'], { cwd: where });
          assert.ok(!/diverged/.test(rep.stderr), rep.stderr);
          assert.equal(rep.stdout, rec.stdout, 'the replayed program printed what it printed then');
          // (Replay checks every stop against the recording itself. With one task, the trace it
          // prints is the recorded one too; with several, its own interleaving of their lines.)
          if (c.what !== 'threads') assert.equal(traceOf(rep.stderr), traceOf(shown.stdout), 'the replayed trace is the recorded one');
          assert.match(traceOf(rep.stderr), /--- SIG(INT|TERM) \{si_signo=SIG(INT|TERM), si_code=SI_USER, si_pid=\d+, si_uid=\d+\} ---/);
          assert.deepEqual([rep.status, rep.signal], [rec.code, rec.signal], 'replay ends as the recording tstrace did');
        } finally {
          removeTempDir(where);
        }
      } finally {
        removeTempDir(dir);
      }
    });
  }
}

test('a trace file that cannot be written (-o /dev/full) is warned about once, and tstrace still exits with the program\'s status, as strace does', { skip: !fixtureExists('aarch64', 'exit_status') || !fs.existsSync('/dev/full'), timeout: TIMEOUT_MS }, () => {
  const r = spawnSync(process.execPath, [tstraceMain, '-o', '/dev/full', fixturePath('aarch64', 'exit_status'), '3'], { encoding: 'utf8', timeout: TIMEOUT_MS });
  assert.equal(r.status, 3);
  assert.equal(r.stdout, 'exiting with 3\n');
  assert.equal(r.stderr, 'tstrace: /dev/full: No space left on device\n');
  if (hasCommand('strace') && fixtureExists('x86_64', 'exit_status')) {
    const s = spawnSync('strace', ['-o', '/dev/full', fixturePath('x86_64', 'exit_status'), '3'], { encoding: 'utf8', timeout: TIMEOUT_MS });
    assert.equal(s.status, 3, 'strace exits with the program\'s status too');
    assert.match(s.stderr, /^strace: \/dev\/full: No space left on device$/m, 'strace warns with the same words');
  }
});
