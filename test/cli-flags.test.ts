// strace's flags under tstrace: each compared with the real strace 6.1 on the x86_64 build of
// the same fixture (addresses, inode numbers and pids normalized), and run on the aarch64
// build; every strace option letter is either implemented or refused as "not supported".
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TraceStopSchema, traceStopJsonSchema } from '../schemas/trace-json.js';
import { type Arch, fixturePath, freshDir, repoRoot, hasCommand, hostArch, makeTempDir, removeTempDir, runStrace, runTstrace, type RunResult } from './helpers/run.js';

const withStrace = hostArch() === 'x86_64' && hasCommand('strace') ? false : 'needs an x86_64 host with strace';
const EXIT_USAGE = 64;

/** Addresses, socket inodes and pids differ between any two runs. */
function normalize(text: string): string {
  return text
    .replace(/0x[0-9a-f]+/g, 'ADDR')
    .replace(/:\[\d+/g, ':[INODE')
    .replace(/ +=/g, ' =')
    .replace(/getrandom\("[^"]*"/, 'getrandom("RANDOM"')
    .replace(/^((?:\[ *\d+\] )?(?:\[[0-9a-f]+\] )?set_tid_address\(ADDR\) = )\d+$/, '$1PID');
}

/** The trace lines (stderr) of a run, without the first execve (strace's names its own pc, envp). */
function traceLines(r: RunResult): string[] {
  return r.stderr.split('\n').filter((l) => l !== '' && !/execve\("\/.*\/(hello|files|more_calls|exec_self)"/.test(l));
}

function inDir<T>(f: (cwd: string) => T): T {
  const base = makeTempDir('tstrace-flags-');
  try {
    return f(path.join(base, 'cwd'));
  } finally {
    removeTempDir(base);
  }
}

/** Runs strace and tstrace with the same flags on the x86_64 build, each in a fresh directory. */
function both(flags: readonly string[], fixture: string, arch: Arch = 'x86_64'): { ours: RunResult; theirs: RunResult } {
  return inDir((cwd) => {
    freshDir(cwd);
    const theirs = runStrace(flags, fixturePath('x86_64', fixture), [], { cwd });
    freshDir(cwd);
    const ours = runTstrace([...flags, fixturePath(arch, fixture)], { cwd });
    return { ours, theirs };
  });
}

function assertSameTrace(flags: readonly string[], fixture: string): void {
  const { ours, theirs } = both(flags, fixture);
  assert.equal(ours.status, theirs.status, `exit status\n${ours.stderr}`);
  assert.equal(ours.signal, theirs.signal);
  assert.equal(ours.stdout, theirs.stdout, 'the program\'s output');
  assert.deepEqual(traceLines(ours).map(normalize), traceLines(theirs).map(normalize));
}

// ---- every option letter ---------------------------------------------------------------

/** strace 6.1's option letters (its usage line and getopt string), with a value where needed. */
const LETTERS: readonly (readonly [string, string?])[] = [
  ['A'], ['C'], ['c'], ['d'], ['D'], ['f'], ['F'], ['h'], ['i'], ['k'], ['n'], ['q'], ['r'], ['t'], ['T'], ['v'], ['V'],
  ['w'], ['x'], ['y'], ['Y'], ['z'], ['Z'], ['a', '50'], ['b', 'execve'], ['e', 'trace=write'], ['E', 'X=1'], ['I', '2'],
  ['o', '/dev/null'], ['O', '1'], ['p', '1'], ['P', '/etc/passwd'], ['s', '10'], ['S', 'calls'], ['u', 'root'],
  ['U', 'calls'], ['X', 'raw'],
];

test('strace -h lists no option letter this test does not know', { skip: withStrace }, () => {
  const help = inDir((cwd) => (freshDir(cwd), runStrace(['-h'], '', [], { cwd }))).stdout;
  const known = new Set(LETTERS.map(([l]) => l));
  for (const m of help.matchAll(/^\s+-([A-Za-z])[ ,]/gm)) assert.ok(known.has(m[1]!), `strace's -${m[1]} is not in LETTERS`);
});

for (const [letter, value] of LETTERS) {
  test(`-${letter} is implemented or refused as not supported`, () => {
    const needsSummary = ['w', 'S', 'U', 'O'].includes(letter) ? ['-c'] : [];
    const args = [...needsSummary, `-${letter}`, ...(value === undefined ? [] : [value]), fixturePath('aarch64', 'hello')];
    const r = inDir((cwd) => (freshDir(cwd), runTstrace(args, { cwd })));
    assert.doesNotMatch(r.stderr, /invalid option|unrecognized option/, `-${letter} reads like a typo`);
    if (r.status === EXIT_USAGE) {
      assert.match(r.stderr, new RegExp(`^tstrace: -${letter}\\b.* is not supported by tstrace: \\S`), r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    } else {
      assert.equal(r.status, 0, r.stderr);
    }
  });
}

test('long options map to the same behaviour as their letters', () => {
  const pairs: [string[], string[]][] = [
    [['--trace=write', '--syscall-number', '--instruction-pointer'], ['-e', 'trace=write', '-n', '-i']],
    [['--columns=60', '--trace=brk', '--strings-in-hex'], ['-a', '60', '-e', 'trace=brk', '-xx']],
    [['--failed-only', '--quiet=exit'], ['-Z', '-qq']],
    [['--summary-only', '--summary-sort-by=name', '--summary-columns=name,calls'], ['-c', '-S', 'name', '-U', 'name,calls']],
  ];
  for (const [long, short] of pairs) {
    const [a, b] = inDir((cwd) => {
      freshDir(cwd);
      return [runTstrace([...long, fixturePath('aarch64', 'hello')], { cwd }), runTstrace([...short, fixturePath('aarch64', 'hello')], { cwd })];
    });
    assert.equal(a.status, 0, a.stderr);
    assert.equal(normalize(a.stderr), normalize(b.stderr), long.join(' '));
  }
});

test('bad flag values: one line, exit 64', () => {
  const cases: [string[], RegExp][] = [
    [['-e', 'inject=write'], /invalid inject argument 'write'/],
    [['-e', 'inject=write:when=0:error=EIO'], /invalid inject argument/],
    [['-e', 'inject=write:error=EIO:retval=1'], /invalid inject argument/],
    [['-e', 'inject=write:poke_enter=@arg1=00'], /not supported by tstrace/],
    [['-e', 'fault=write:retval=1'], /invalid fault argument/],
    [['-w'], /-w\/--summary-wall-clock must be given with/],
    [['-b', 'clone'], /invalid -b argument/],
    [['--color=rainbow'], /invalid --color argument/],
    [['-u', 'no-such-user-here'], /cannot find user 'no-such-user-here'/],
    [['-e', 'kvm=vcpu'], /not supported by tstrace/],
    [['--decode-fds=colour'], /invalid decode-fds argument/],
  ];
  for (const [flags, message] of cases) {
    const r = inDir((cwd) => (freshDir(cwd), runTstrace([...flags, fixturePath('aarch64', 'hello')], { cwd })));
    assert.equal(r.status, EXIT_USAGE, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

// ---- against strace on x86_64 ------------------------------------------------------------

const SAME_AS_STRACE: readonly [string[], string][] = [
  [['-e', 'trace=write', '-e', 'inject=write:error=EIO'], 'hello'],
  [['-e', 'trace=write', '-e', 'inject=write:retval=42'], 'hello'],
  [['-e', 'trace=write', '-e', 'inject=write:signal=SIGUSR1'], 'hello'],
  [['-e', 'trace=write,brk', '-e', 'inject=brk:retval=0:when=2..3'], 'hello'],
  [['-e', 'trace=openat,write', '-e', 'fault=openat:when=2+2'], 'files'],
  [['-e', 'trace=openat', '-e', 'fault=openat:error=EACCES:when=3'], 'files'],
  [['-xx', '-e', 'trace=write'], 'hello'],
  [['-x', '-e', 'trace=write,getrandom'], 'hello'],
  [['-e', 'raw=write,brk', '-e', 'trace=write,brk'], 'hello'],
  [['-e', 'verbose=none', '-e', 'trace=prlimit64,write'], 'hello'],
  [['-e', 'abbrev=none', '-e', 'trace=uname'], 'identity'],
  [['-e', 'abbrev=uname', '-v', '-e', 'trace=uname,prlimit64'], 'identity'],
  [['-a', '60', '-e', 'trace=write,brk'], 'hello'],
  [['-a', '10'], 'hello'],
  [['-i', '-n'], 'hello'],
  [['-z', '-e', 'trace=openat,faccessat'], 'files'],
  [['-Z'], 'files'],
  [['-e', 'trace=writev,readv,pwrite64,pread64,read,write', '-e', 'write=3', '-e', 'read=all'], 'files'],
  [['-P', 'a.txt'], 'files'],
  [['-yy', '-e', 'trace=socket,bind,getsockname,connect'], 'more_calls'],
  [['--quiet=exit', '-e', 'trace=exit_group'], 'hello'],
  [['-e', 'trace=/^(brk|write)$'], 'hello'],
  [['-e', 'trace=?nosuchcall,write'], 'hello'],
  [['-e', 'trace=1,brk@64,getrandom@32'], 'hello'],
  [['-b', 'execve', '-e', 'trace=execve'], 'exec_self'],
];

for (const [flags, fixture] of SAME_AS_STRACE) {
  test(`${flags.join(' ')} on ${fixture}: the same trace as strace's`, { skip: withStrace }, () => {
    assertSameTrace(flags, fixture);
  });
}

test('-k: the innermost frame is the one strace prints (function, offset, file offset)', { skip: withStrace }, () => {
  const { ours, theirs } = both(['-k', '-e', 'trace=write'], 'hello');
  const frame = (r: RunResult): string | undefined => r.stderr.split('\n').find((l) => l.startsWith(' > '));
  assert.ok(frame(theirs) !== undefined, theirs.stderr);
  assert.equal(frame(ours), frame(theirs));
  // strace's libdw stops after one frame on this static binary; tstrace unwinds .eh_frame to _start.
  assert.match(ours.stderr, /\n > \S+\(main\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]\n(.*\n)* > \S+\(_start\+0x[0-9a-f]+\)/);
});

test('-c -S name -U name,calls,errors and -c -w: strace\'s columns and order', { skip: withStrace }, () => {
  for (const flags of [['-c', '-S', 'name', '-U', 'name,calls,errors'], ['-c', '-S', 'calls', '-U', 'calls,name']]) {
    const { ours, theirs } = both(flags, 'hello');
    assert.equal(ours.stderr, theirs.stderr, flags.join(' '));
  }
  const { ours, theirs } = both(['-c', '-w', '-U', 'time-percent,total-time,min-time,max-time,avg-time,calls,errors,name'], 'hello');
  const head = (r: RunResult): string[] => r.stderr.split('\n').slice(0, 2);
  assert.deepEqual(head(ours), head(theirs));
});

test('-e inject delays park the task, not the emulator: the other process runs meanwhile', () => {
  // The parent's close(4) right after fork is delayed 300 ms at entry: its child runs and prints
  // in the meantime, so the parent's line is cut and resumed around the child's.
  const r = inDir((cwd) => (freshDir(cwd), runTstrace(['-f', '-e', 'trace=close,set_robust_list', '-e', 'inject=close:delay_enter=300ms:when=1', fixturePath('aarch64', 'procs')], { cwd })));
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split('\n');
  const cut = lines.findIndex((l) => /^\[pid +\d+\] close\(4 <unfinished \.\.\.>$/.test(l));
  const resumed = lines.findIndex((l) => /<\.\.\. close resumed>\) += 0$/.test(l));
  assert.ok(cut >= 0 && resumed > cut, r.stderr);
  assert.ok(lines.slice(cut + 1, resumed).some((l) => /set_robust_list\(/.test(l)), 'the child ran while the parent waited');
});

// ---- aarch64 and the rest ----------------------------------------------------------------

test('aarch64: -n prints aarch64 numbers, -i the pc, inject and fault work', () => {
  const r = inDir((cwd) => (freshDir(cwd), runTstrace(['-n', '-i', '-e', 'trace=write,exit_group', '-e', 'inject=write:retval=5', fixturePath('aarch64', 'hello')], { cwd })));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^\[ {2}64\] \[0000000000[0-9a-f]{6}\] write\(1, "hello, world\\n", 13\) += 5 \(INJECTED\)$/m);
  assert.match(r.stderr, /^\[ {2}94\] \[0000000000[0-9a-f]{6}\] exit_group\(0\) += \?$/m);
  assert.match(r.stderr, /^\[ {2}94\] \[\?{16}\] \+\+\+ exited with 0 \+\+\+$/m);
  const byNumber = inDir((cwd) => (freshDir(cwd), runTstrace(['-e', 'trace=64', fixturePath('aarch64', 'hello')], { cwd })));
  assert.match(byNumber.stderr, /^write\(1, "hello, world\\n", 13\) += 13\n\+\+\+ exited with 0 \+\+\+\n$/, 'trace=64 is write in aarch64 numbering');
  const f = inDir((cwd) => (freshDir(cwd), runTstrace(['-e', 'trace=write', '-e', 'fault=write', fixturePath('aarch64', 'hello')], { cwd })));
  assert.equal(f.stdout, '', 'the faulted write wrote nothing');
  assert.match(f.stderr, /write\(1, "hello, world\\n", 13\) += -1 ENOSYS \(Function not implemented\) \(INJECTED\)/);
});

test('aarch64 -k: frames from __write down to _start, offsets in the file', () => {
  const r = inDir((cwd) => (freshDir(cwd), runTstrace(['-k', '-e', 'trace=write', fixturePath('aarch64', 'hello')], { cwd })));
  assert.equal(r.status, 0, r.stderr);
  const frames = r.stderr.split('\n').filter((l) => l.startsWith(' > '));
  assert.match(frames[0]!, /\/aarch64\/hello\((__libc_write|__write|write)\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$/);
  assert.match(frames.join('\n'), /\(main\+0x[0-9a-f]+\)[^]*\(_start\+0x[0-9a-f]+\)/);
});

test('-o "|cmd" pipes the trace into cmd; -A appends', () => {
  inDir((cwd) => {
    freshDir(cwd);
    const out = path.join(cwd, 'piped.txt');
    const r = runTstrace(['-o', `|cat > ${out}`, '-e', 'trace=write', fixturePath('aarch64', 'hello')], { cwd });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(out, 'utf8'), 'write(1, "hello, world\\n", 13)          = 13\n+++ exited with 0 +++\n');
    runTstrace(['-A', '-o', out, '-e', 'trace=exit_group', fixturePath('aarch64', 'hello')], { cwd });
    assert.match(fs.readFileSync(out, 'utf8'), /= 13\n\+\+\+ exited with 0 \+\+\+\nexit_group\(0\) += \?\n/);
  });
});

test('-E sets and removes variables; -u gives the guest another uid', () => {
  inDir((cwd) => {
    freshDir(cwd);
    const r = runTstrace(['-v', '-E', 'TSTRACE_FLAG=yes', '-E', 'LANG', '-e', 'trace=execve', fixturePath('aarch64', 'hello')], { cwd });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /"TSTRACE_FLAG=yes"/);
    assert.doesNotMatch(r.stderr, /"LANG=/);
    const u = runTstrace(['-u', 'nobody', '-e', 'trace=getuid,geteuid', fixturePath('x86_64', 'identity')], { cwd });
    const nobody = /^nobody:[^:]*:(\d+):/m.exec(fs.readFileSync('/etc/passwd', 'utf8'))?.[1];
    assert.ok(nobody !== undefined);
    assert.match(u.stderr, new RegExp(`^getuid\\(\\) += ${nobody}$`, 'm'));
  });
});

test('--syscall-limit stops tracing after N calls; the program runs on', () => {
  const r = inDir((cwd) => (freshDir(cwd), runTstrace(['--syscall-limit=3', fixturePath('aarch64', 'hello')], { cwd })));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'hello, world\n');
  assert.equal(r.stderr.split('\n').filter((l) => /^\w+\(/.test(l)).length, 3, r.stderr);
  assert.doesNotMatch(r.stderr, /exited with/);
});

test('--color: always colours names and errors, never and NO_COLOR do not', () => {
  inDir((cwd) => {
    freshDir(cwd);
    const args = ['-e', 'trace=write', '-e', 'fault=write', fixturePath('aarch64', 'hello')];
    const always = runTstrace(['--color=always', ...args], { cwd });
    assert.match(always.stderr, /\u001b\[1mwrite\u001b\[22m\(/);
    assert.match(always.stderr, /\u001b\[31m-1 ENOSYS/);
    // Coloured or not, the result column is the same.
    assert.equal(always.stderr.replace(/\u001b\[[0-9;]*m/g, ''), runTstrace(['--color=never', ...args], { cwd }).stderr);
    assert.doesNotMatch(runTstrace(['--color=auto', ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } }).stderr, /\u001b/);
  });
});

test('--json FILE: one object per stop, valid against the zod schema, in step with the trace', () => {
  inDir((cwd) => {
    freshDir(cwd);
    const file = path.join(cwd, 'stops.json');
    const r = runTstrace(['--json', file, '-e', 'trace=write', '-e', 'inject=write:error=EIO', fixturePath('aarch64', 'hello')], { cwd });
    assert.equal(r.status, 0, r.stderr);
    const stops = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => TraceStopSchema.parse(JSON.parse(l)));
    assert.deepEqual(stops.map((s) => s.seq), stops.map((_, i) => i + 1));
    assert.equal(stops[0]!.stop, 'exec');
    assert.deepEqual(stops.at(-1), { seq: stops.length, tid: stops[0]!.tid, stop: 'exit', how: 'exited', code: 0 });
    const entries = stops.filter((s) => s.stop === 'syscall-entry').length;
    assert.equal(stops.filter((s) => s.stop === 'syscall-exit').length, entries - 1, 'every call but exit_group returns');
    const write = stops.find((s) => s.stop === 'syscall-exit' && s.name === 'write');
    assert.ok(write !== undefined && write.stop === 'syscall-exit');
    assert.equal(write.nr, 64);
    assert.equal(write.ret, '-5');
    assert.equal(write.errno, 'EIO');
    assert.equal(write.injected, true);
    assert.equal(write.text, 'write(1, "hello, world\\n", 13) = -1 EIO (Input/output error) (INJECTED)');
    const bad = runTstrace(['--json', path.join(cwd, 'no/such/dir/x.json'), fixturePath('aarch64', 'hello')], { cwd });
    assert.equal(bad.status, 76, bad.stderr);
  });
});

test('schemas/trace-json.schema.json is the zod schema as JSON Schema', () => {
  const file = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'trace-json.schema.json'), 'utf8')) as unknown;
  assert.deepEqual(file, traceStopJsonSchema(), 'run: node dist/schemas/trace-json.js --write');
});

test('-Y: command names after pids, as strace prints them (-f -o)', { skip: withStrace }, () => {
  const flags = ['-Y', '-f', '-e', 'trace=clone,getpid,exit_group,wait4,kill'];
  const [ours, theirs] = inDir((cwd) => {
    const a = path.join(path.dirname(cwd), 'strace.txt');
    const b = path.join(path.dirname(cwd), 'tstrace.txt');
    freshDir(cwd);
    runStrace([...flags, '-o', a], fixturePath('x86_64', 'procs'), [], { cwd });
    freshDir(cwd);
    const r = runTstrace([...flags, '-o', b, fixturePath('x86_64', 'procs')], { cwd });
    assert.equal(r.status, 0, r.stderr);
    return [fs.readFileSync(b, 'utf8'), fs.readFileSync(a, 'utf8')];
  });
  // wait4 may finish before or after its child's exit (the schedulers differ): its lines are left
  // out. strace names a SIGCHLD's sender only when it reads the zombie's comm in time (it varies
  // from run to run); tstrace never does. A native child's CPU ticks (si_utime, si_stime) are
  // the host's: on a loaded machine an exec can take a tick.
  // Natively a call may also be cut by another task's line that the filter then leaves out:
  // an `<unfinished ...>` line followed at once by its own `<... resumed>` is joined back.
  const joinSplit = (lines: string[]): string[] => lines.reduce<string[]>((out, l) => {
    const prev = out[out.length - 1];
    const m = /^(PID<\w+> )<\.\.\. \w+ resumed>(.*)$/.exec(l);
    if (m !== null && prev !== undefined && prev.startsWith(m[1]!) && prev.endsWith(' <unfinished ...>')) {
      out[out.length - 1] = prev.slice(0, -' <unfinished ...>'.length) + m[2]!;
    } else out.push(l);
    return out;
  }, []);
  const norm = (t: string): string[] => joinSplit(t.split('\n').filter((l) => !/wait4/.test(l))
    .map((l) => normalize(l).replace(/\b\d{4,}\b/g, 'PID').replace(/^PID(<\w+>) +/, 'PID$1 ')
      .replace(/(--- SIGCHLD \{.*si_pid=PID)<\w+>/, '$1')
      .replace(/si_([us])time=\d+(?: \/\* [^*]* \*\/)?/g, 'si_$1time=T')));
  assert.match(ours, /= \d+<procs>$/m);
  assert.deepEqual(norm(ours), norm(theirs));
});
