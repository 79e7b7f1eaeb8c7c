// `tstrace diff A B`: the command line. Exit status 0 when the logs are equal after
// normalization, 1 when they differ, 2 on bad input or usage.
import type { ChalkInstance } from 'chalk';
import { parseTraceClass, type TraceClass } from '../tracer/trace-classes.js';
import { alignLogs } from './align.js';
import { DEFAULT_CONTEXT } from './api.js';
import { InputError, Interner, loadLog, resolveSource } from './load.js';
import { DEFAULT_NORMALIZE_OPTIONS, Normalizer, type NormalizeOptions } from './normalize.js';
import { jsonRecords, textLines } from './render.js';

export const DIFF_HELP = `Usage: tstrace diff [OPTIONS] A B

Compares two syscall logs task by task and shows how they differ, after normalizing what
always differs between runs. A and B are strace logs (strace -f -o FILE, strace's stderr with
[pid N] prefixes, unprefixed logs, tstrace's own output) or the FILE prefix of a set written
by strace -ff -o FILE (FILE.PID...). Timestamps (-t, -tt, -ttt, -r) and -T durations are read
and never compared; a -c summary table is skipped.

Tasks are paired by their place in the process tree, not by pid: task 1 is the first process,
1.2 the second task it created (fork, vfork, clone, threads), 1.2.1 the first one that created.

Output:
  -U, --unified N         equal events shown around each change (default ${DEFAULT_CONTEXT})
      --stat              per syscall: how many added, removed, changed (no hunks)
      --json              JSON lines: task, hunk, stat and summary records
      --color WHEN        auto (default: a terminal, unless NO_COLOR is set), always, never
  -q, --quiet             print nothing; the exit status tells

Normalization (all on by default):
      --keep-addresses    compare pointers (hex values >= 0x10000) as they are, and the
                          register value rt_sigreturn restores
      --keep-pids         compare pids as they are instead of as task paths
      --keep-times        compare time values inside arguments (clock_gettime, st_mtime...)
                          and sysinfo's uptime, load and free memory
      --keep-random       compare the bytes getrandom returned
      --keep-fds          compare -y/-yy fd annotations (3</etc/passwd>); dropped otherwise
  -s, --string-limit N    compare string contents up to N bytes (default 32, strace's -s;
                          0 compares them whole)
      --ignore LIST       leave out these syscalls (names, or classes such as %memory)
      --only LIST         keep only syscalls of these trace classes (%file, desc, process,
                          network, signal, ipc, memory, stat..., creds, clock, pure)
      --ignore-signal LIST  leave out these signals (SIGCHLD or CHLD)
      --cross-arch        fold calls that differ only by architecture (open/openat,
                          stat/newfstatat, fork/vfork/clone/clone3, dup2/dup3, pipe/pipe2,
                          poll/ppoll, select/pselect6, epoll_wait/epoll_pwait, ...) and drop
                          arch-only ones (arch_prctl), to compare e.g. x86_64 with aarch64

  -h, --help              this text

Aligning one task gives up after 5 s (very long and very different sequences); the differing
part is then shown as replaced, and the task's header says so.

Exit status: 0 equal, 1 different, 2 error.
`;

class UsageError extends Error {}

interface CliOptions {
  normalize: Partial<NormalizeOptions>;
  context: number;
  json: boolean;
  stat: boolean;
  quiet: boolean;
  color: 'auto' | 'always' | 'never';
  files: string[];
  help: boolean;
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function nonNegativeInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} wants a number, not "${value}"`);
  return Number(value);
}

export function parseDiffArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { normalize: {}, context: DEFAULT_CONTEXT, json: false, stat: false, quiet: false, color: 'auto', files: [], help: false };
  const ignore: string[] = [];
  const only: TraceClass[] = [];
  const ignoreSignals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let inline: string | undefined;
    if (arg === '--') {
      o.files.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.includes('=')) {
      inline = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    } else if (/^-[Us]\d+$/.test(arg)) {
      inline = arg.slice(2);
      arg = arg.slice(0, 2);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-h': case '--help': o.help = true; break;
      case '-U': case '--unified': o.context = nonNegativeInt(arg, value()); break;
      case '--stat': o.stat = true; break;
      case '--json': o.json = true; break;
      case '-q': case '--quiet': o.quiet = true; break;
      case '--color': case '--colour': {
        const v = value();
        if (v !== 'auto' && v !== 'always' && v !== 'never') throw new UsageError(`--color wants auto, always or never, not "${v}"`);
        o.color = v;
        break;
      }
      case '--no-color': o.color = 'never'; break;
      case '--keep-addresses': o.normalize.addresses = false; break;
      case '--keep-pids': o.normalize.pids = false; break;
      case '--keep-times': o.normalize.times = false; break;
      case '--keep-random': o.normalize.random = false; break;
      case '--keep-fds': o.normalize.keepFds = true; break;
      case '-s': case '--string-limit': o.normalize.stringLimit = nonNegativeInt(arg, value()); break;
      case '--ignore': ignore.push(...list(value())); break;
      case '--only':
        for (const token of list(value())) {
          const cls = parseTraceClass(token);
          if (cls === undefined) throw new UsageError(`--only: unknown trace class "${token}"`);
          only.push(cls);
        }
        break;
      case '--ignore-signal': ignoreSignals.push(...list(value()).map((s) => s.toUpperCase())); break;
      case '--cross-arch': o.normalize.crossArch = true; break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg} (see --help)`);
        o.files.push(arg);
    }
  }
  for (const token of ignore) {
    if (token.startsWith('%') && parseTraceClass(token) === undefined) throw new UsageError(`--ignore: unknown trace class "${token}"`);
  }
  if (ignore.length > 0) o.normalize.ignore = ignore;
  if (only.length > 0) o.normalize.only = only;
  if (ignoreSignals.length > 0) o.normalize.ignoreSignals = ignoreSignals;
  return o;
}

/** Writes lines to stdout in batches, waiting when the pipe is full; a closed pipe ends quietly. */
async function writeLines(lines: Iterable<string>): Promise<void> {
  const out = process.stdout;
  let broken = false;
  const onError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') broken = true;
  };
  out.on('error', onError);
  try {
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0 || broken) return;
      const ok = out.write(batch.join('\n') + '\n');
      batch = [];
      if (!ok) await new Promise<void>((resolve) => {
        const done = (): void => {
          out.off('drain', done);
          out.off('close', done);
          out.off('error', done);
          resolve();
        };
        out.once('drain', done);
        out.once('close', done);
        out.once('error', done);
      });
    };
    for (const line of lines) {
      batch.push(line);
      if (batch.length >= 2048) await flush();
      if (broken) return;
    }
    await flush();
  } finally {
    out.off('error', onError);
  }
}

async function colorFor(mode: CliOptions['color']): Promise<ChalkInstance | null> {
  if (mode === 'never') return null;
  if (mode === 'auto') {
    const noColor = process.env['NO_COLOR'];
    if (noColor !== undefined && noColor !== '') return null;
    if (process.stdout.isTTY !== true || process.env['TERM'] === 'dumb') return null;
  }
  const { Chalk, supportsColor } = await import('chalk');
  const level = supportsColor === false ? 0 : supportsColor.level;
  return new Chalk({ level: level === 0 ? 1 : level });
}

/** A one-line progress indicator on stderr, only when it is a terminal. */
function progressMeter(enabled: boolean): { update(label: string, done: number, total: number): void; clear(): void } {
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
      process.stderr.write(`\rtstrace diff: reading ${label} ${pct}%\u001b[K`);
    },
    clear() {
      if (shown) process.stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}

/** Runs `tstrace diff` with the arguments after `diff`; returns the exit status. */
export async function runDiffCommand(argv: string[]): Promise<number> {
  const fail = (message: string): number => {
    process.stderr.write(`tstrace diff: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 2;
  };
  let options: CliOptions;
  try {
    options = parseDiffArgs(argv);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  if (options.help) {
    process.stdout.write(DIFF_HELP);
    return 0;
  }
  if (options.files.length !== 2) {
    return fail(`expected two logs, got ${options.files.length} (usage: tstrace diff [OPTIONS] A B; see --help)`);
  }
  const meter = progressMeter(process.stderr.isTTY === true && !options.quiet);
  try {
    const normalizer = new Normalizer({ ...DEFAULT_NORMALIZE_OPTIONS, ...options.normalize });
    const interner = new Interner();
    const [nameA, nameB] = options.files as [string, string];
    const sourceA = await resolveSource(nameA);
    const sourceB = await resolveSource(nameB);
    // Recordings (SQLite) are read through their stops, in any mix with strace logs.
    const { looksLikeRecording, loadRecording } = await import('../recorder/diff-source.js');
    const a = looksLikeRecording(nameA) ? await loadRecording(nameA, normalizer, interner) : await loadLog(sourceA, normalizer, interner, (d, t) => meter.update(nameA, d, t));
    const b = looksLikeRecording(nameB) ? await loadRecording(nameB, normalizer, interner) : await loadLog(sourceB, normalizer, interner, (d, t) => meter.update(nameB, d, t));
    meter.clear();
    const seen = new Set<string>();
    for (const w of [...a.warnings, ...b.warnings]) {
      if (seen.has(w)) continue;
      seen.add(w);
      process.stderr.write(`tstrace diff: warning: ${w}\n`);
    }
    const tasks = alignLogs(a, b, interner.strings);
    const equal = tasks.every((t) => t.status === 'equal');
    if (!options.quiet) {
      const input = { a, b, tasks, strings: interner.strings };
      if (options.json) {
        await writeLines(mapIter(jsonRecords(input, options.context, options.stat), (r) => JSON.stringify(r)));
      } else {
        await writeLines(textLines(input, options.context, options.stat, await colorFor(options.color)));
      }
    }
    return equal ? 0 : 1;
  } catch (e) {
    meter.clear();
    if (e instanceof InputError) return fail(e.message);
    if (e instanceof Error && 'code' in e && typeof (e as NodeJS.ErrnoException).code === 'string') {
      const err = e as NodeJS.ErrnoException;
      return fail(`${err.path ?? ''}${err.path !== undefined ? ': ' : ''}${err.code} (${err.message})`);
    }
    return fail(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function* mapIter<T, U>(it: Iterable<T>, f: (t: T) => U): Generator<U> {
  for (const t of it) yield f(t);
}
