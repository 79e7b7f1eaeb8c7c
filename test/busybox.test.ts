// A real-world program: Debian's static busybox (bookworm's busybox-static 1:1.35.0-4+deb12u1+b1
// for arm64 and amd64, trixie's 1:1.37.0-6 for riscv64), fetched by scripts/fetch-busybox.sh into
// vendor/busybox/<arch>/bin/busybox.
//
// For each applet command in CASES, on each architecture:
//  - aarch64, riscv64: `qemu-<arch> busybox ARGS` is the reference, `tstrace -o TRACE busybox
//    ARGS` must equal it;
//  - x86_64: busybox run natively is the reference, `tstrace -o TRACE busybox ARGS` must equal it;
// equal means: the same stdout bytes, stderr bytes and exit status, and the same directory tree
// left behind (names, types, modes, sizes, contents, link targets; not times). Each run gets a
// fresh directory with the same prepared files and times, at the same path (the two runs of a
// case are sequential: the reference's directory is removed and rebuilt before tstrace runs), so
// paths and times need no normalizing (realpath prints the path, ls -la shows `..`) and one run
// cannot see another's effects; the one normalized output is df's usage of the live root file
// system (see that case). The trace must be real: each case names trace lines that must appear for
// the command's main work (`cat a.txt` opened a.txt and wrote to fd 1).
//
// On x86_64 each trace is also compared with the real strace's of the same native run (the
// oracle-strace way: the diff engine's normalization, clock reads aside since there is no vDSO).
//
// A case marked `todo: 'why'` runs and reports without failing the suite (node:test's todo):
// for a syscall tstrace does not implement yet, or an observed difference, named in the string.
// Deleting the marker makes it an ordinary case. None is marked today.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanEnv, hasCommand, hostArch, makeTempDir, removeTempDir, repoRoot, tstraceMain, type Arch } from './helpers/run.js';
import { diffStraceTexts } from '../src/diff/api.js';

const TIMEOUT_MS = 60_000;
const ARCHES = ['aarch64', 'x86_64', 'riscv64'] as const satisfies readonly Arch[];
const busyboxPath = (arch: Arch): string => path.join(repoRoot, 'vendor', 'busybox', arch, 'bin', 'busybox');

/** One busybox invocation: its arguments (after `busybox`) and the trace lines it must produce. */
interface Step {
  argv: string[];
  /** Each must match at least one line of the trace file. */
  trace: RegExp[];
}

interface Case extends Step {
  /** Test title; the command line when absent. */
  name?: string;
  /** A second invocation in the same directory after the first (e.g. readlink after ln -s). */
  then?: Step;
  /** The reference's exit status (every step's), checked so that two equal failures cannot pass; default 0. */
  status?: number;
  /** Expected stdout, per architecture or for both, in addition to the comparison. */
  stdout?: string | Partial<Record<Arch, string>>;
  /**
   * Applied to both runs' stdout before comparing, only where the output cannot be the same
   * twice (the comment at the case says why).
   */
  normalize?: (stdout: string) => string;
  /** Why this case is expected to fail under tstrace today; node:test's `todo`. */
  todo?: string;
  /** Why the x86_64 trace is not compared with the real strace's (values that change run to run). */
  noStraceOracle?: string;
  /** Why the case cannot run on this machine (set when the table is built). */
  skip?: string;
}

/** Whether /etc/hosts names this machine (hostname -i resolves it there, never on the network). */
const hostnameInHosts = ((): boolean => {
  try {
    const name = os.hostname();
    return fs.readFileSync('/etc/hosts', 'utf8').split('\n')
      .some((line) => !line.trimStart().startsWith('#') && line.trim().split(/\s+/).slice(1).includes(name));
  } catch {
    return false;
  }
})();

// Patterns for trace lines. On both architectures glibc opens with openat and stats with
// newfstatat/fstat/statx, so one pattern mostly fits both.
const openat = (file: string): RegExp => new RegExp(`^openat\\(AT_FDCWD, "${reEscape(file)}", [^)]*\\)\\s+= \\d+$`, 'm');
const writeOut = (start = ''): RegExp => new RegExp(`^write\\(1, "${reEscape(start)}.*\\)\\s+= [1-9]\\d*$`, 'm');
const writeErr = (start = ''): RegExp => new RegExp(`^write\\(2, "${reEscape(start)}.*\\)\\s+= [1-9]\\d*$`, 'm');
/** A call of `name` whose arguments start with `args`, whatever its result. */
const call = (name: string, args = ''): RegExp => new RegExp(`^${name}\\(${reEscape(args)}.*\\)\\s+= `, 'm');
/**
 * A path call on either architecture: x86_64's busybox calls the old `name(PATH...` where
 * aarch64 (which has no such syscall) calls `nameat(AT_FDCWD, PATH...`; `args` starts at PATH.
 */
const pathCall = (name: string, at: string, args: string): RegExp =>
  new RegExp(`^(${name}\\(|${at}\\(AT_FDCWD, )${reEscape(args)}.*\\)\\s+= `, 'm');
function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const CASES: Case[] = [
  { argv: ['echo', 'hello,', 'busybox'], trace: [writeOut('hello, busybox\\n')], stdout: 'hello, busybox\n' },
  {
    argv: ['uname', '-m'],
    trace: [call('uname', '{sysname="Linux"'), writeOut()],
    stdout: { aarch64: 'aarch64\n', x86_64: 'x86_64\n' },
  },
  { argv: ['ls', '-la'], trace: [openat('.'), call('getdents64', '3'), writeOut('total ')] },
  { argv: ['ls', '-R'], trace: [openat('./d'), openat('./d/e'), writeOut('.:\\n')] },
  { argv: ['find', '.', '-name', '*.txt'], trace: [openat('./d/e'), writeOut('./')] },
  { argv: ['grep', '-c', 'alpha', 'a.txt'], trace: [openat('a.txt'), writeOut('2\\n')], stdout: '2\n' },
  { argv: ['head', '-n', '2', 'a.txt'], trace: [openat('a.txt'), writeOut('alpha\\nbeta\\n')], stdout: 'alpha\nbeta\n' },
  { argv: ['tail', '-n', '2', 'a.txt'], trace: [openat('a.txt'), call('lseek', '3'), writeOut()] },
  { argv: ['wc', '-l', 'a.txt'], trace: [openat('a.txt'), call('read', '3'), writeOut()] },
  { argv: ['md5sum', 'a.txt'], trace: [openat('a.txt'), call('read', '3'), writeOut()] },
  { argv: ['sha256sum', 'a.txt'], trace: [openat('a.txt'), call('read', '3'), writeOut()] },
  { argv: ['sort', '-n', '-r', 'nums.txt'], trace: [openat('nums.txt'), writeOut('33\\n')] },
  { argv: ['seq', '1', '3', '20'], trace: [writeOut('1\\n4\\n')] },
  { argv: ['expr', '6', '*', '7'], trace: [writeOut('42\\n')], stdout: '42\n' },
  {
    name: 'dd if=a.txt of=/dev/null bs=7 status=noxfer',
    argv: ['dd', 'if=a.txt', 'of=/dev/null', 'bs=7', 'status=noxfer'],
    trace: [openat('a.txt'), openat('/dev/null'), call('write', '1, "alpha\\nb"'), writeErr()],
  },
  { argv: ['mkdir', '-p', 'x/y/z'], trace: [pathCall('mkdir', 'mkdirat', '"x/", 0777'), pathCall('mkdir', 'mkdirat', '"x/y/z", 0777')] },
  {
    name: 'ln -s a.txt l2; readlink l2',
    argv: ['ln', '-s', 'a.txt', 'l2'],
    trace: [/^(symlink\("a\.txt", |symlinkat\("a\.txt", AT_FDCWD, )"l2"\)\s+= 0$/m],
    then: { argv: ['readlink', 'l2'], trace: [pathCall('readlink', 'readlinkat', '"l2", "a.txt"'), writeOut('a.txt\\n')] },
  },
  { argv: ['cp', '-r', 'd', 'copy'], trace: [pathCall('mkdir', 'mkdirat', '"copy"'), openat('d/e/f.txt'), openat('copy/e/f.txt')] },
  // busybox copies with sendfile, as it does natively.
  { argv: ['cp', 'a.txt', 'c.txt'], trace: [openat('a.txt'), openat('c.txt'), /^sendfile\(4, 3, NULL, \d+\)\s+= 34$/m] },
  // aarch64 has no rename(2); glibc's x86_64 rename() may call either.
  { argv: ['mv', 'a.txt', 'd/moved.txt'], trace: [/^(rename\(|renameat2?\(AT_FDCWD, )"a\.txt", (AT_FDCWD, )?"d\/moved\.txt".*\)\s+= 0$/m] },
  { argv: ['chmod', '640', 'a.txt'], trace: [pathCall('chmod', 'fchmodat', '"a.txt", 0640')] },
  { argv: ['rm', '-rf', 'd'], trace: [pathCall('unlink', 'unlinkat', '"d/e/f.txt"'), /^(rmdir\("d"|unlinkat\(AT_FDCWD, "d", AT_REMOVEDIR)\)\s+= 0$/m] },
  { argv: ['du', '-s', 'd'], trace: [openat('d/e'), writeOut()] },
  // cat copies each file to stdout with sendfile, as busybox does natively.
  { argv: ['cat', 'a.txt', 'b.txt'], trace: [openat('a.txt'), openat('b.txt'), /^sendfile\(1, 3, NULL, \d+\)\s+= [1-9]\d*$/m] },
  { argv: ['od', '-A', 'x', '-t', 'x1', '-c', 'b.txt'], trace: [openat('b.txt'), writeOut('000000 ')] },
  { argv: ['gzip', '-c', 'a.txt'], trace: [openat('a.txt'), writeOut('\\37\\213\\10')] },
  { argv: ['tar', '-cf', '-', 'a.txt', 'd'], trace: [openat('a.txt'), openat('d/e/f.txt'), writeOut('a.txt\\0')] },
  {
    name: 'tar -cf t.tar a.txt d; tar -tvf t.tar',
    argv: ['tar', '-cf', 't.tar', 'a.txt', 'd'],
    trace: [openat('t.tar'), openat('d/g.txt')],
    then: { argv: ['tar', '-tvf', 't.tar'], trace: [openat('t.tar'), writeOut('-rw-r--r-- ')] },
  },
  { argv: ['realpath', 'link', 'd/e/../g.txt'], trace: [call('getcwd'), writeOut('/')] },
  { argv: ['basename', '/usr/lib/x.so.1', '.1'], trace: [writeOut('x.so\\n')], stdout: 'x.so\n' },
  { argv: ['dirname', '/usr/lib/x.so.1'], trace: [writeOut('/usr/lib\\n')], stdout: '/usr/lib\n' },
  { argv: ['printf', '%05d|%-4s|%x\\n', '42', 'ab', '255'], trace: [writeOut('00042|ab  |ff\\n')], stdout: '00042|ab  |ff\n' },
  {
    name: 'sh -c (builtins only)',
    argv: [
      'sh',
      '-c',
      'x=6; y=$((x * 7)); echo "y=$y"; for i in 1 2 3; do printf "%s-" "$i"; done; echo; ' +
        'if [ -f a.txt ] && [ ! -e nothere ]; then echo files ok; fi; cd d && pwd >&2; ' +
        'read first < ../a.txt; echo "first=$first"; exit 3',
    ],
    trace: [/^chdir\("\/.*\/cwd\/d"\)\s+= 0$/m, openat('../a.txt'), writeOut('y=42\\n')],
    status: 3,
  },
  { argv: ['cmp', 'a.txt', 'b.txt'], trace: [openat('a.txt'), openat('b.txt'), writeOut('a.txt b.txt differ')], status: 1 },
  // No split: Debian's busybox-static 1.35 is built without it ("split: applet not found").
  { argv: ['cut', '-c', '2-4', 'a.txt'], trace: [openat('a.txt'), writeOut('lph\\neta\\n')] },
  { argv: ['truncate', '-s', '1000', 'a.txt'], trace: [openat('a.txt'), call('ftruncate', '3, 1000')] },
  { argv: ['sync'], trace: [call('sync')] },
  { argv: ['sync', '-f', 'a.txt'], trace: [openat('a.txt'), call('syncfs', '3')] },
  { argv: ['nproc'], trace: [call('sched_getaffinity', '0, '), writeOut()] },
  { argv: ['cal', '2020'], trace: [writeOut('                              20')] },
  { argv: ['whoami'], trace: [call('geteuid'), openat('/etc/passwd'), writeOut()] },
  { argv: ['hostname'], trace: [call('uname'), writeOut()] },
  { argv: ['stat', '-c', '%s %a %F', 'a.txt', 'd', 'link'], trace: [writeOut('34 644 regular file\\n')] },
  // These three were todo cases (utimensat, statfs, getgroups missing) until commit 25d6823.
  { argv: ['touch', 'f'], trace: [call('utimensat', 'AT_FDCWD, "f"')] },
  {
    argv: ['df', '/'],
    trace: [call('statfs', '"/"'), writeOut('Filesystem')],
    // Normalized: the root file system is live (this very test writes to it between the two
    // runs), so Used, Available and Use% move; the device, the size and the mount point stay.
    noStraceOracle: "statfs of the live root file system: its free counts move between runs",
    normalize: (out) =>
      out.replace(/^(\S+\s+\d+\s+)\d+(\s+)\d+(\s+)\d+%/gm, (_m, a: string, b: string, c: string) => `${a}USED${b}AVAIL${c}N%`),
  },
  { argv: ['id', '-G'], trace: [call('getgroups'), writeOut()] },
  // Needed fallocate, ioprio_get and futex (glibc's resolver takes a lock) before they existed.
  { argv: ['fallocate', '-l', '100', 'a.txt'], trace: [openat('a.txt'), call('fallocate', '3, 0, 0, 100')] },
  { argv: ['ionice'], trace: [call('ioprio_get', 'IOPRIO_WHO_PROCESS, 0'), writeOut()] },
  {
    argv: ['hostname', '-i'],
    trace: [openat('/etc/hosts'), call('futex'), writeOut()],
    skip: hostnameInHosts ? undefined : "this machine's hostname is not in /etc/hosts",
  },
  // realpath walks /proc/self (a link to the guest's pid) and /proc/PID/exe (the guest's program).
  {
    argv: ['readlink', '-f', '/proc/self/exe'],
    trace: [/^readlink(at)?\((AT_FDCWD, )?"\/proc\/self", "\d+", \d+\)\s+= \d+$/m],
    noStraceOracle: "readlink(\"/proc/self\") returns the pid, a different one in every run",
  },
];

const FIXED_TIME = new Date('2020-01-02T03:04:05Z');
const A_TXT = 'alpha\nbeta\ngamma\nalpha beta\ndelta\n'; // 34 bytes
/** The prepared files every run starts with (modes set explicitly: no umask dependence). */
function prepare(work: string): string {
  if (fs.existsSync(work)) removeTempDir(work);
  const cwd = path.join(work, 'cwd');
  fs.mkdirSync(path.join(cwd, 'd', 'e'), { recursive: true });
  const file = (rel: string, text: string): void => {
    fs.writeFileSync(path.join(cwd, rel), text);
    fs.chmodSync(path.join(cwd, rel), 0o644);
  };
  file('a.txt', A_TXT);
  file('b.txt', 'alpine\nbeta\n');
  file('nums.txt', '10\n2\n33\n4\n');
  file('d/g.txt', 'g\n');
  file('d/e/f.txt', 'f'.repeat(5000));
  fs.symlinkSync('a.txt', path.join(cwd, 'link'));
  for (const dir of ['d/e', 'd', '.']) fs.chmodSync(path.join(cwd, dir), 0o755);
  // Times last, children first: a directory's mtime changes when an entry is added.
  for (const rel of ['a.txt', 'b.txt', 'nums.txt', 'd/g.txt', 'd/e/f.txt', 'd/e', 'd']) {
    fs.utimesSync(path.join(cwd, rel), FIXED_TIME, FIXED_TIME);
  }
  fs.lutimesSync(path.join(cwd, 'link'), FIXED_TIME, FIXED_TIME);
  fs.utimesSync(cwd, FIXED_TIME, FIXED_TIME);
  fs.chmodSync(work, 0o755);
  fs.utimesSync(work, FIXED_TIME, FIXED_TIME); // `..` in ls -la
  return cwd;
}

/** The tree under `dir`, sorted, without times: what a command left behind. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(dir, rel);
    const st = fs.lstatSync(abs);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out.push(`${rel} symlink -> ${fs.readlinkSync(abs)}`);
    else if (st.isFile()) {
      const sum = createHash('sha256').update(fs.readFileSync(abs)).digest('hex').slice(0, 16);
      out.push(`${rel} file ${mode} ${st.size} ${sum}`);
    } else if (st.isDirectory()) {
      out.push(`${rel || '.'} dir ${mode}`);
      for (const name of fs.readdirSync(abs).sort()) walk(path.join(rel, name));
    } else out.push(`${rel} other ${mode}`);
  };
  walk('');
  return out;
}

interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
}

// As test/helpers/run.ts's run(), but keeping stdout and stderr as bytes (gzip, tar): bash
// without rc files, no core dumps, no inherited descriptors above 2, a fixed environment.
const WRAPPER = [
  'ulimit -c 0',
  'for f in /proc/$$/fd/*; do n=${f##*/}; if [ "$n" -gt 2 ] 2>/dev/null; then eval "exec $n>&-"; fi; done',
  'exec "$@"',
].join('\n');

function runBytes(cmd: string, args: readonly string[], cwd: string): Outcome {
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', WRAPPER, 'busybox-test', cmd, ...args], {
    cwd,
    env: cleanEnv(),
    input: '',
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  if (r.error && !timedOut) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, timedOut };
}

function ending(o: Outcome): string {
  return o.timedOut ? 'timed out' : o.signal ? `killed by ${o.signal}` : `exit ${o.status}`;
}

/** Bytes as a string that compares exactly (latin1 maps each byte to one character). */
const bytes = (b: Buffer): string => b.toString('latin1');

interface RunRecord {
  steps: Outcome[];
  tree: string[];
}

/** Prepares `work`, runs each step of the case there with `runner`, and records the result. */
function runCase(c: Case, work: string, runner: (argv: string[], cwd: string, step: number) => Outcome): RunRecord {
  const cwd = prepare(work);
  const steps: Outcome[] = [];
  for (const [i, step] of [c, ...(c.then ? [c.then] : [])].entries()) {
    const o = runner(step.argv, cwd, i);
    steps.push(o);
    if (o.timedOut || o.signal) break;
  }
  return { steps, tree: snapshot(cwd) };
}

function title(c: Case): string {
  return c.name ?? c.argv.map((a) => (/^[\w./=%-]+$/.test(a) ? a : `'${a}'`)).join(' ');
}

/** Why an architecture's cases cannot run here, or false. */
const skipReason = (arch: Arch): string | false => {
  if (hostArch() !== 'x86_64') return 'not an x86_64 host (the x86_64 reference runs natively)';
  if (!fs.existsSync(busyboxPath(arch))) return `missing ${busyboxPath(arch)}: run bash scripts/setup.sh`;
  if (arch !== 'x86_64' && !hasCommand(`qemu-${arch}`)) return `no qemu-${arch}`;
  return false;
};

for (const arch of ARCHES) {
  const skip = skipReason(arch);
  if (skip) {
    test(`busybox ${arch} applets under tstrace`, { skip }, () => {});
    continue;
  }
  {
    const bb = busyboxPath(arch);
    const reference = (argv: string[], cwd: string): Outcome =>
      arch === 'x86_64' ? runBytes(bb, argv, cwd) : runBytes(`qemu-${arch}`, [bb, ...argv], cwd);
    const refName = arch === 'x86_64' ? 'native' : `qemu-${arch}`;
    for (const c of CASES) {
      test(`busybox ${arch}: ${title(c)}`, { todo: c.todo ?? false, skip: c.skip ?? false, timeout: 4 * TIMEOUT_MS }, () => {
        assert.ok(fs.existsSync(tstraceMain), `missing ${tstraceMain}: run bash scripts/setup.sh`);
        const base = makeTempDir('tstrace-busybox-');
        try {
          const work = path.join(base, 'work');
          const traceFile = (i: number): string => path.join(base, `trace${i}.txt`);
          const want = runCase(c, work, (argv, cwd) => reference(argv, cwd));
          const got = runCase(c, work, (argv, cwd, i) =>
            runBytes(process.execPath, [tstraceMain, '-o', traceFile(i), bb, ...argv], cwd),
          );
          const steps = [c, ...(c.then ? [c.then] : [])];
          for (const [i, step] of steps.entries()) {
            const w = want.steps[i];
            const g = got.steps[i];
            const cmd = `busybox ${step.argv.join(' ')}`;
            assert.ok(w && g, `${cmd}: a previous step ended the run`);
            assert.equal(ending(w), `exit ${c.status ?? 0}`, `${cmd} under ${refName}: stderr ${bytes(w.stderr)}`);
            const trace = fs.existsSync(traceFile(i)) ? fs.readFileSync(traceFile(i), 'utf8') : '';
            const ctx = `${cmd}\n--- tstrace stderr:\n${bytes(g.stderr)}\n--- trace (tail):\n${trace.split('\n').slice(-15).join('\n')}`;
            assert.equal(ending(g), ending(w), `exit status vs ${refName}\n${ctx}`);
            assert.equal(bytes(g.stderr), bytes(w.stderr), `stderr vs ${refName}\n${ctx}`);
            const norm = i === 0 && c.normalize ? c.normalize : (out: string): string => out;
            assert.equal(norm(bytes(g.stdout)), norm(bytes(w.stdout)), `stdout vs ${refName}\n${ctx}`);
            for (const re of step.trace) assert.match(trace, re, `the trace of ${cmd} has no line matching ${re}`);
          }
          assert.deepEqual(got.tree, want.tree, `directory left behind vs ${refName}`);
          const expected = typeof c.stdout === 'string' ? c.stdout : c.stdout?.[arch];
          if (expected !== undefined) assert.equal(bytes(want.steps[0]!.stdout), expected, `${refName} stdout`);
        } finally {
          removeTempDir(base);
        }
      });
    }
  }
}

// The real strace as the oracle for the x86_64 traces: each case's steps run natively under
// `strace -o`, then under tstrace, in the same freshly prepared directory; the traces must be
// equal event for event after the diff engine's normalization (addresses, pids), clock reads
// aside (no vDSO: tstrace sees them as syscalls) and inode numbers masked.
const CLOCK_CALLS = ['clock_gettime', 'clock_getres', 'gettimeofday', 'time'];
const maskInodes = (trace: string): string => trace.replace(/\b(st_ino|stx_ino)=\d+/g, '$1=…');
const straceSkip = skipReason('x86_64') || (hasCommand('strace') ? false : 'no strace');

for (const c of CASES) {
  test(`busybox x86_64, strace oracle: ${title(c)}`, { skip: straceSkip || c.skip || c.noStraceOracle || false, timeout: 4 * TIMEOUT_MS }, () => {
    const bb = busyboxPath('x86_64');
    const base = makeTempDir('tstrace-busybox-strace-');
    try {
      const work = path.join(base, 'work');
      const file = (who: string, i: number): string => path.join(base, `${who}${i}.txt`);
      runCase(c, work, (argv, cwd, i) => runBytes('strace', ['-o', file('strace', i), bb, ...argv], cwd));
      runCase(c, work, (argv, cwd, i) => runBytes(process.execPath, [tstraceMain, '-o', file('tstrace', i), bb, ...argv], cwd));
      const steps = [c, ...(c.then ? [c.then] : [])];
      for (const [i, step] of steps.entries()) {
        const theirs = fs.readFileSync(file('strace', i), 'utf8');
        const ours = fs.existsSync(file('tstrace', i)) ? fs.readFileSync(file('tstrace', i), 'utf8') : '';
        const d = diffStraceTexts(maskInodes(theirs), maskInodes(ours), { ignore: CLOCK_CALLS });
        assert.ok(d.equal, `busybox ${step.argv.join(' ')}: traces differ (a = strace, b = tstrace):\n${d.text}`);
      }
    } finally {
      removeTempDir(base);
    }
  });
}
