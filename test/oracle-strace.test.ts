// Oracle: the real strace. For every fixture's x86_64 build, on an x86_64 host:
//   strace -o A.txt [flags] BIN args            (natively)
//   node dist/tstrace.js -o B.txt [flags] BIN args
// run one after the other in the same cwd path (emptied in between, so getcwd and every path
// in the trace are the same), then compared with the project's diff engine, which masks
// addresses, pids, times and getrandom's bytes. Each fixture runs with the default flags; a few
// also with -v and with -e trace=%file.
//
// What is taken out before comparing, and why:
//  - clock_gettime, clock_getres, gettimeofday and time lines, on both sides: natively they go
//    through the vDSO and never reach strace; under emulation there is no vDSO, so they are
//    real syscalls (by design);
//  - sysinfo's struct (uptime, load averages and free memory change between any two runs) and
//    getcpu's CPU number (whichever CPU the host scheduler picked): host state of the moment;
//  - with -v, inode numbers (st_ino, stx_ino): the files and the stdout pipe are new in each run;
//  - socket ports the host chose (a bind to port 0), in sockaddr_in and sockaddr_in6.
// The execve line is compared as it is: both runs get the same absolute path, the same
// arguments and the same environment (helpers/run.ts's cleanEnv), so argv[0] and the
// "/* N vars */" count (or, with -v, the variables themselves) must be equal.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffStraceTexts, parseStraceText } from '../src/diff/api.js';
import { casesFor, expectedEnd, type FixtureCase } from './helpers/fixtures.js';
import {
  describeEnd,
  fixtureExists,
  fixturePath,
  freshDir,
  hasCommand,
  hostArch,
  makeTempDir,
  removeTempDir,
  runStrace,
  runTstrace,
  tail,
  tstraceMain,
  type RunResult,
} from './helpers/run.js';

const TIMEOUT_MS = 120_000;
const CLOCK_CALLS = ['clock_gettime', 'clock_getres', 'gettimeofday', 'time'];

/** Extra runs with flags, by fixture id. */
const EXTRA_FLAGS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  hello: [['-v'], ['-t'], ['-tt'], ['-ttt'], ['-r'], ['-T'], ['-s', '4']],
  'exit_status 42': [['-v'], ['-qq']],
  signals: [['-v'], ['-e', 'trace=%signal'], ['-e', 'signal=SIGUSR1'], ['-X', 'raw'], ['-X', 'verbose']],
  files: [
    ['-e', 'trace=%file'], ['-y'], ['-e', 'trace=!write,close'], ['-e', 'trace=/^(open|close)'],
    ['-e', 'status=failed'], ['-X', 'raw'], ['-X', 'verbose'], ['-s', '4'], ['-e', 'trace=%desc'],
    ['-e', 'trace=%stat'], ['-e', 'trace=%%stat'],
  ],
  bad_pointers: [['-e', 'trace=%file']],
  memory: [['-e', 'trace=%file'], ['-e', 'trace=%memory'], ['-e', 'trace=%memory', '-e', 'status=successful']],
  identity: [['-e', 'trace=%creds'], ['-e', 'trace=%pure'], ['-v']],
  readiness: [['-e', 'trace=%network'], ['-y'], ['-e', 'trace=%desc', '-X', 'verbose']],
  segv_null: [['-e', 'signal=none'], ['-qq']],
  kill_self: [['-e', 'signal=!SIGTERM'], ['-q']],
  unknown_syscall: [['-e', 'trace=none'], ['-e', 'trace=write']],
  netlink_attrs: [['-v'], ['-X', 'raw'], ['-X', 'verbose'], ['-s', '8'], ['-xx'], ['-e', 'verbose=execve'], ['-e', 'verbose=!bind']],
};

/** Host state of the moment and fresh inode numbers, masked on both sides (see the header). */
function prepare(trace: string): string {
  return trace
    .replace(/^(sysinfo\()\{[^}]*\}/gm, '$1{…}')
    .replace(/^(getcpu\()\[\d+\]/gm, '$1[…]')
    .replace(/\b(st_ino|stx_ino)=\d+/g, '$1=…')
    // The ports the host's kernel picked for a socket bound to port 0 (net_inet).
    .replace(/\b(sin6?_port)=htons\(\d+\)/g, '$1=htons(…)');
}

function skipReason(fx: FixtureCase): string | false {
  if (fx.noStraceOracle) return fx.noStraceOracle;
  if (hostArch() !== 'x86_64') return 'the real strace runs the x86_64 build natively: not an x86_64 host';
  if (!hasCommand('strace')) return 'no strace';
  return false;
}

function context(r: RunResult): string {
  return `${r.command}\n--- ${describeEnd(r)}; stderr (tail):\n${tail(r.stderr)}`;
}

interface Pair {
  flags: readonly string[];
  strace: RunResult;
  straceTrace: string;
  /** The second run: tstrace, or the real strace again (the comparison's own self-check). */
  tstrace?: RunResult;
  tstraceTrace?: string;
}

/** Runs the real strace, then (when asked) tstrace or strace again, in the same, emptied, cwd path. */
function runBoth(fx: FixtureCase, flags: readonly string[], second: 'tstrace' | 'strace' | null): Pair {
  const bin = fixturePath('x86_64', fx.name);
  assert.ok(fixtureExists('x86_64', fx.name), `missing ${bin}: run scripts/build-fixtures.sh`);
  const base = makeTempDir('tstrace-strace-oracle-');
  try {
    const cwd = path.join(base, 'cwd');
    const a = path.join(base, 'A.txt');
    const b = path.join(base, 'B.txt');
    freshDir(cwd);
    const s = runStrace(['-o', a, ...flags], bin, fx.args, { cwd, timeoutMs: TIMEOUT_MS });
    const pair: Pair = { flags, strace: s, straceTrace: fs.existsSync(a) ? fs.readFileSync(a, 'utf8') : '' };
    if (second) {
      if (second === 'tstrace') assert.ok(fs.existsSync(tstraceMain), `missing ${tstraceMain}: run bash scripts/setup.sh`);
      freshDir(cwd);
      const t =
        second === 'tstrace'
          ? runTstrace(['-o', b, ...flags, bin, ...fx.args], { cwd, timeoutMs: TIMEOUT_MS })
          : runStrace(['-o', b, ...flags], bin, fx.args, { cwd, timeoutMs: TIMEOUT_MS });
      pair.tstrace = t;
      pair.tstraceTrace = fs.existsSync(b) ? fs.readFileSync(b, 'utf8') : '';
    }
    return pair;
  } finally {
    removeTempDir(base);
  }
}

/** The real strace's half: it ran, ended as the fixture should, and its trace parses. */
function checkStraceHalf(fx: FixtureCase, p: Pair): void {
  assert.equal(describeEnd(p.strace), expectedEnd(fx), `real strace run\n${context(p.strace)}`);
  assert.equal(p.strace.stderr, '', 'strace wrote to stderr (its trace goes to -o)');
  const events = parseStraceText(p.straceTrace);
  assert.ok(events.length > 0, `no events parsed from strace's trace:\n${tail(p.straceTrace)}`);
  // The last line says how the run ended, unless the flags hide it (-qq, a signal filter) or
  // put a timestamp before it (-t, -tt, -ttt, -r).
  const last = (p.straceTrace.trimEnd().split('\n').at(-1) ?? '').replace(/^(\d+:\d+:\d+(\.\d+)?|\s*\d+\.\d+) /, '');
  const hidesEnd = p.flags.includes('-qq') || p.flags.some((f) => f.startsWith('signal='));
  if (!hidesEnd || /^\+\+\+ killed/.test(last)) {
    assert.match(last, /^\+\+\+ (exited with \d+|killed by SIG[A-Z0-9]+( \(core dumped\))?) \+\+\+$/, 'last line');
  }
}

for (const fx of casesFor('x86_64')) {
  const variants: (readonly string[])[] = [[], ...(EXTRA_FLAGS[fx.id] ?? [])];
  for (const flags of variants) {
    const label = `strace oracle x86_64${flags.length ? ` [${flags.join(' ')}]` : ''}: ${fx.id}`;
    const skip = skipReason(fx);

    test(`${label}: the real strace's half runs`, { skip, timeout: TIMEOUT_MS + 10_000 }, () => {
      checkStraceHalf(fx, runBoth(fx, flags, null));
    });

    // The comparison's self-check: what is masked covers everything that differs between two
    // runs of the same program, so a difference found with tstrace is tstrace's.
    test(`${label}: two runs of the real strace compare equal`, { skip, timeout: 2 * TIMEOUT_MS + 10_000 }, () => {
      const p = runBoth(fx, flags, 'strace');
      checkStraceHalf(fx, p);
      assert.equal(p.tstrace!.stdout, p.strace.stdout, 'guest stdout of the two runs');
      const d = diffStraceTexts(prepare(p.straceTrace), prepare(p.tstraceTrace!), { ignore: CLOCK_CALLS });
      assert.ok(d.equal, `two strace runs differ:\n${d.text}`);
    });

    test(`${label}: tstrace's trace equals strace's`, { skip, timeout: 2 * TIMEOUT_MS + 10_000 }, () => {
      const p = runBoth(fx, flags, 'tstrace');
      checkStraceHalf(fx, p);
      const t = p.tstrace!;
      assert.equal(describeEnd(t), describeEnd(p.strace), `how tstrace ended vs strace\n${context(t)}`);
      assert.equal(t.stdout, p.strace.stdout, 'guest stdout');
      assert.ok(p.tstraceTrace, `tstrace wrote no trace to -o\n${context(t)}`);
      const d = diffStraceTexts(prepare(p.straceTrace), prepare(p.tstraceTrace!), { ignore: CLOCK_CALLS });
      assert.ok(d.equal, `traces differ (a = strace, b = tstrace):\n${d.text}`);
    });
  }
}
