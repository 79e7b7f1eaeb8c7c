// Shared helpers for the oracle, CLI and fuzz tests: where things are (the repo root, the
// fixtures, the CLI), fresh temporary directories, and spawnSync wrappers that run a command in
// a controlled way so that two runs (native, qemu-user, strace, tstrace) can be compared:
//  - a fixed, small environment (the same for every run: a tracer's execve line shows it);
//  - no core dumps (`ulimit -c 0`, so "killed by SIGSEGV" never turns into "(core dumped)" and
//    no core file lands in a test directory);
//  - no file descriptors other than 0-2 inherited (whatever the test runner holds open);
//  - a timeout that kills with SIGKILL (a guest may block or ignore SIGTERM);
// and never a shell interpreting the arguments.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding package.json above this file (works from test/ and from dist/test/). */
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const name = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name;
        if (name === 'tstrace') return dir;
      } catch {
        // not ours: keep going up
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no tstrace package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export const repoRoot = findRepoRoot();

/** The CLI as users run it, bundled by set-up: `node <tstraceMain> [strace flags] PROG [ARGS]`. */
export const tstraceMain = path.join(repoRoot, 'dist', 'tstrace.js');

export type Arch = 'x86_64' | 'aarch64' | 'riscv64';
/** The architectures the oracle tests cover. */
export const ORACLE_ARCHES: readonly Arch[] = ['aarch64', 'x86_64', 'riscv64'];

export function fixturePath(arch: Arch, name: string): string {
  return path.join(repoRoot, 'build', 'fixtures', arch, name);
}

export function fixtureExists(arch: Arch, name: string): boolean {
  return fs.existsSync(fixturePath(arch, name));
}

/** True when `cmd` is an executable on PATH. */
export function hasCommand(cmd: string): boolean {
  const r = spawnSync('sh', ['-c', 'command -v "$1" >/dev/null 2>&1', 'sh', cmd]);
  return r.status === 0;
}

/** The native architecture in our naming (x86_64, aarch64, riscv64), or null. */
export function hostArch(): Arch | null {
  switch (process.arch) {
    case 'x64':
      return 'x86_64';
    case 'arm64':
      return 'aarch64';
    case 'riscv64':
      return 'riscv64';
    default:
      return null;
  }
}

/** A fresh directory under the system temp dir. */
export function makeTempDir(prefix = 'tstrace-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Removes a directory tree even when a guest left it unwritable (fuzzing can chmod things to
 * 000 and, when not root, rm then fails): on failure, make every directory u+rwx and retry.
 */
export function removeTempDir(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  } catch {
    // fall through
  }
  const fix = (d: string): void => {
    try {
      fs.chmodSync(d, 0o700);
    } catch {
      return;
    }
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) fix(path.join(d, e.name));
  };
  fix(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Makes `dir` an empty directory (removing what a previous run left there). */
export function freshDir(dir: string): string {
  if (fs.existsSync(dir)) removeTempDir(dir);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The environment every run gets: small and fixed, identical for the runs being compared. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C',
    LC_ALL: 'C',
    TZ: 'UTC',
    ...extra,
  };
}

export interface RunOptions {
  cwd: string;
  /** Milliseconds; the process (group) is killed with SIGKILL after it. Default 60 s. */
  timeoutMs?: number;
  /** Replaces cleanEnv() when given. */
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** Run as given, without the bash wrapper (no ulimit, fds as inherited). */
  raw?: boolean;
}

export interface RunResult {
  /** Exit status, or null when killed by a signal. */
  status: number | null;
  /** The killing signal, or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The command line, for messages. */
  command: string;
}

// bash (not sh: dash cannot close fds above 9): no core dumps, close every inherited fd > 2,
// then exec the command with its arguments untouched.
const WRAPPER = [
  'ulimit -c 0',
  'for f in /proc/$$/fd/*; do n=${f##*/}; if [ "$n" -gt 2 ] 2>/dev/null; then eval "exec $n>&-"; fi; done',
  'exec "$@"',
].join('\n');

/** Runs a command (no shell interpretation of its arguments) and collects everything. */
export function run(cmd: string, args: readonly string[], opts: RunOptions): RunResult {
  const timeout = opts.timeoutMs ?? 60_000;
  // --norc: bash reads ~/.bashrc even non-interactively when its stdin is a socket (it takes
  // that for rshd), and node's stdio pipes are socketpairs.
  const [file, argv] = opts.raw
    ? [cmd, [...args]]
    : ['bash', ['--norc', '--noprofile', '-c', WRAPPER, 'tstrace-test', cmd, ...args]];
  const r = spawnSync(file, argv, {
    cwd: opts.cwd,
    env: opts.env ?? cleanEnv(),
    input: opts.input ?? '',
    timeout,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  if (r.error && !timedOut) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    timedOut,
    command: [cmd, ...args].join(' '),
  };
}

/** `node dist/tstrace.js ARGS...` */
export function runTstrace(args: readonly string[], opts: RunOptions): RunResult {
  return run(process.execPath, [tstraceMain, ...args], opts);
}

/** `qemu-ARCH PROG ARGS...` */
export function runQemu(arch: Arch, prog: string, args: readonly string[], opts: RunOptions): RunResult {
  return run(`qemu-${arch}`, [prog, ...args], opts);
}

/** The real strace: `strace FLAGS PROG ARGS...` */
export function runStrace(flags: readonly string[], prog: string, args: readonly string[], opts: RunOptions): RunResult {
  return run('strace', [...flags, prog, ...args], opts);
}

/** "exit 3", "killed by SIGSEGV" or "timed out": how a run ended, for comparisons and messages. */
export function describeEnd(r: RunResult): string {
  if (r.timedOut) return 'timed out';
  if (r.signal) return `killed by ${r.signal}`;
  return `exit ${r.status}`;
}

/** The tail of a long text, for assertion messages. */
export function tail(text: string, lines = 20): string {
  const all = text.split('\n');
  return all.length <= lines ? text : ['…', ...all.slice(-lines)].join('\n');
}

/** Lines that look like a JavaScript/Node error rather than a tracer's message. */
export function javascriptErrorLines(stderr: string): string[] {
  const patterns = [
    /^\s+at .+\(.*:\d+:\d+\)$/, // stack frame
    /^\s+at .+:\d+:\d+$/,
    /\b(TypeError|RangeError|ReferenceError|SyntaxError|AssertionError|EvalError|URIError)\b/,
    /^Uncaught\b/,
    /^node:internal\//,
    /\bERR_[A-Z_]+\b/,
    /UnhandledPromiseRejection/,
    /FATAL ERROR/,
  ];
  return stderr.split('\n').filter((l) => patterns.some((p) => p.test(l)));
}
