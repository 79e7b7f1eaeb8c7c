// strace's command line, parsed into typed options: every strace 6.1 option letter and long
// option is either implemented or refused with "... is not supported by tstrace" (never
// accepted and ignored). Unknown flags are usage errors, as in strace.
import type { XlatStyle } from './decode/types.js';
import { NO_TIMESTAMPS, PRECISION_DIGITS, type TimestampStyle } from './timestamps.js';

export type { TimestampStyle };
/** -x: strings with a non-printable byte in hex; -xx: every string in hex. */
export type HexStrings = 'none' | 'non-ascii-chars' | 'non-ascii' | 'all';
export type ColorMode = 'auto' | 'always' | 'never';

export interface TraceOptions {
  output: string | undefined;
  /** -A: append to the -o file. */
  appendOutput: boolean;
  stringLimit: number;
  followForks: boolean;
  /** -ff: one output file per process, FILE.PID. */
  perProcessFiles: boolean;
  verbose: boolean;
  decodeFds: boolean;
  /** -yy / --decode-fds=SET: the details printed after a descriptor (path, socket, dev, pidfd). */
  fdDetails: ReadonlySet<string>;
  /** -Y / --decode-pids=comm: command names after pids. */
  decodePidComm: boolean;
  /** --decode-pids=pidns (--pidns-translation): a pid's id in strace's pid namespace after it. */
  decodePidNs: boolean;
  xlat: XlatStyle;
  quiet: number;
  timestamps: TimestampStyle;
  relative: boolean;
  /** -r's digits after the second (--relative-timestamps=PRECISION; 6 by default). */
  relativeDigits: number;
  syscallTimes: boolean;
  /** -T's digits after the second (--syscall-times=PRECISION; 6 by default). */
  syscallTimesDigits: number;
  summary: 'none' | 'only' | 'also';
  /** -a: the column results are aligned to. */
  columns: number;
  /** -i: the instruction pointer at each syscall. */
  instructionPointer: boolean;
  /** -n: the syscall number. */
  syscallNumber: boolean;
  hexStrings: HexStrings;
  /** -k: a stack trace after each syscall. */
  stackTraces: boolean;
  /** -P: only calls that touch these paths. */
  tracePaths: string[];
  /** -E: changes to the program's environment, in order (`VAR=VAL` sets, `VAR` removes). */
  envChanges: string[];
  /** -u: run as this user (a name or uid[:gid]). */
  user: string | undefined;
  /** --syscall-limit: detach after this many traced calls. */
  syscallLimit: number | undefined;
  /** -b execve: stop tracing at the first successful execve. */
  detachOnExecve: boolean;
  /** -D, -DD, -DDD: accepted (tstrace has no separate tracer process to daemonize). */
  daemonize: number;
  /** -S: the summary's sort key. */
  summarySort: string;
  /** -U: the summary's columns. */
  summaryColumns: string[] | undefined;
  /** -w: the summary measures wall-clock latency instead of the kernel's time. */
  summaryWallClock: boolean;
  /** -O: nanoseconds subtracted from every call's time in the summary. */
  overheadNs: bigint | undefined;
  color: ColorMode;
  /** --json FILE: one JSON object per stop (schemas/trace-json.ts). */
  json: string | undefined;
  /** --seccomp-bpf: accepted; the emulated kernel stops only where asked anyway. */
  seccompBpf: boolean;
  /** -e expressions, in order. */
  expressions: string[];
  /** Lines strace would print as warnings (the run goes on). */
  warnings: string[];
  program: string;
  args: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A real strace option tstrace does not offer, and why. */
function notSupported(what: string, why: string): UsageError {
  return new UsageError(`${what} is not supported by tstrace: ${why}`);
}

const NO_ATTACH = 'the tracee runs inside tstrace\'s emulator, there is no host process to attach to';

/** Letters taking a value. */
const WITH_VALUE = new Set(['o', 's', 'e', 'X', 'a', 'E', 'P', 'S', 'O', 'b', 'I', 'u', 'p', 'U']);

/** Long options that take a value, and the single-letter or -e form they stand for. */
const LONG_AS_EXPR: Readonly<Record<string, string>> = {
  trace: 'trace', signal: 'signal', status: 'status', abbrev: 'abbrev', verbose: 'verbose', raw: 'raw',
  read: 'read', write: 'write', quiet: 'quiet', inject: 'inject', fault: 'fault', kvm: 'kvm',
};

export function defaultOptions(): TraceOptions {
  return {
    output: undefined, appendOutput: false, stringLimit: 32, followForks: false, perProcessFiles: false, verbose: false,
    decodeFds: false, fdDetails: new Set(), decodePidComm: false, decodePidNs: false,
    xlat: 'abbrev', quiet: 0, timestamps: NO_TIMESTAMPS, relative: false, relativeDigits: 6, syscallTimes: false, syscallTimesDigits: 6,
    summary: 'none', columns: 40, instructionPointer: false, syscallNumber: false, hexStrings: 'none',
    stackTraces: false, tracePaths: [], envChanges: [], user: undefined, syscallLimit: undefined,
    detachOnExecve: false, daemonize: 0, summarySort: 'time', summaryColumns: undefined, summaryWallClock: false,
    overheadNs: undefined, json: undefined, color: 'auto', seccompBpf: false, expressions: [], warnings: [], program: '', args: [],
  };
}

export function parseTraceArgs(argv: readonly string[]): TraceOptions {
  const o = defaultOptions();
  let i = 0;
  let tCount = 0;
  let absoluteGiven = false;
  let xCount = 0;
  let yCount = 0;
  let fCount = 0;
  const take = (flag: string, rest: string): string => {
    if (rest !== '') return rest;
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`option requires an argument -- '${flag}'`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      const value = (): string => inline ?? take(`--${name}`, '');
      const noValue = (): void => {
        if (inline !== undefined) throw new UsageError(`option '--${name}' doesn't allow an argument`);
      };
      if (name in LONG_AS_EXPR) {
        o.expressions.push(`${LONG_AS_EXPR[name]}=${value()}`);
        continue;
      }
      switch (name) {
        case 'output': o.output = value(); continue;
        case 'output-append-mode': noValue(); o.appendOutput = true; continue;
        case 'output-separately': noValue(); o.perProcessFiles = true; continue;
        case 'string-limit': o.stringLimit = parseCount('--string-limit', value()); continue;
        case 'follow-forks': noValue(); fCount = Math.max(fCount, 1); continue;
        case 'summary-only': noValue(); o.summary = 'only'; continue;
        case 'summary': noValue(); o.summary = 'also'; continue;
        case 'summary-wall-clock': noValue(); o.summaryWallClock = true; continue;
        case 'summary-sort-by': applyValue(o, 'S', value()); continue;
        case 'summary-columns': applyValue(o, 'U', value()); continue;
        case 'summary-syscall-overhead': applyValue(o, 'O', value()); continue;
        case 'columns': applyValue(o, 'a', value()); continue;
        case 'instruction-pointer': noValue(); o.instructionPointer = true; continue;
        case 'syscall-number': noValue(); o.syscallNumber = true; continue;
        case 'stack-traces': noValue(); o.stackTraces = true; continue;
        case 'successful-only': noValue(); o.expressions.push('status=successful'); continue;
        case 'failed-only': noValue(); o.expressions.push('status=failed'); continue;
        case 'no-abbrev': noValue(); o.verbose = true; o.expressions.push('abbrev=none'); continue;
        case 'env': o.envChanges.push(value()); continue;
        case 'user': o.user = value(); continue;
        case 'trace-path': o.tracePaths.push(value()); continue;
        case 'detach-on': applyValue(o, 'b', value()); continue;
        case 'const-print-style': applyValue(o, 'X', value()); continue;
        case 'syscall-limit': o.syscallLimit = parsePositive('--syscall-limit', value()); continue;
        case 'seccomp-bpf': noValue(); o.seccompBpf = true; continue;
        case 'json': o.json = value(); continue;
        case 'color': case 'colour': o.color = parseColor(inline ?? 'always'); continue;
        case 'strings-in-hex': o.hexStrings = parseHexStrings(inline); xCount = -1; continue;
        case 'decode-fds': applyDecodeFds(o, inline ?? 'path'); yCount = -1; continue;
        case 'pidns-translation': noValue(); o.decodePidNs = true; continue;
        case 'decode-pids': {
          const v = inline ?? '';
          for (const item of v.split(',')) {
            if (item === 'comm') o.decodePidComm = true;
            else if (item === 'pidns') o.decodePidNs = true;
            else throw new UsageError(`invalid --decode-pids argument: '${v}'`);
          }
          continue;
        }
        case 'absolute-timestamps': o.timestamps = parseAbsoluteTimestamps(inline, o.timestamps); absoluteGiven = true; continue;
        case 'timestamps': o.timestamps = parseAbsoluteTimestamps(inline, o.timestamps); absoluteGiven = true; continue;
        case 'relative-timestamps': o.relativeDigits = precisionDigits(name, inline); o.relative = true; continue;
        case 'syscall-times': o.syscallTimesDigits = precisionDigits(name, inline); o.syscallTimes = true; continue;
        case 'daemonize': o.daemonize = parseDaemonize(inline); continue;
        case 'help': throw new HelpRequested();
        case 'version': throw new VersionRequested();
        case 'attach': throw notSupported('--attach', NO_ATTACH);
        case 'debug': throw notSupported('--debug', 'tstrace has no debug log; set TSTRACE_DEBUG=1 for stack traces of internal errors');
        case 'interruptible': throw notSupported('--interruptible', 'tstrace always lets the terminal\'s signals stop it and its tracee');
        case 'tips': throw notSupported('--tips', 'tstrace has no tips');
        default: throw new UsageError(`unrecognized option '--${name}'`);
      }
    }
    for (let j = 1; j < arg.length; j++) {
      const f = arg[j]!;
      if (WITH_VALUE.has(f)) {
        const v = take(f, arg.slice(j + 1));
        applyValue(o, f, v);
        break;
      }
      switch (f) {
        case 'f': fCount++; break;
        case 'F': throw notSupported('-F', 'it is deprecated in strace, use -f');
        // As in strace, -v is abbrev=none: a later -e abbrev= overrides it, and it overrides an earlier one.
        case 'v': o.verbose = true; o.expressions.push('abbrev=none'); break;
        case 'y': yCount++; break;
        case 'Y': o.decodePidComm = true; break;
        case 'q': o.quiet++; break;
        case 't': tCount++; break;
        case 'r': o.relative = true; o.relativeDigits = 6; break;
        case 'T': o.syscallTimes = true; o.syscallTimesDigits = 6; break;
        case 'c': o.summary = 'only'; break;
        case 'C': o.summary = 'also'; break;
        case 'w': o.summaryWallClock = true; break;
        case 'A': o.appendOutput = true; break;
        case 'i': o.instructionPointer = true; break;
        case 'n': o.syscallNumber = true; break;
        case 'k': o.stackTraces = true; break;
        case 'x': xCount++; break;
        case 'z': o.expressions.push('status=successful'); break;
        case 'Z': o.expressions.push('status=failed'); break;
        case 'D': o.daemonize++; break;
        case 'd': throw notSupported('-d', 'tstrace has no debug log; set TSTRACE_DEBUG=1 for stack traces of internal errors');
        case 'h': throw new HelpRequested();
        case 'V': throw new VersionRequested();
        default: throw new UsageError(`invalid option -- '${f}'`);
      }
    }
  }
  if (tCount > 0 && absoluteGiven) throw new UsageError('-t and --absolute-timestamps cannot be provided simultaneously');
  if (tCount > 0) o.timestamps = tCount === 1 ? { format: 'time', digits: 0 } : { format: tCount === 2 ? 'time' : 'unix', digits: 6 };
  if (xCount > 0) o.hexStrings = xCount === 1 ? 'non-ascii' : 'all';
  if (yCount > 0) applyDecodeFds(o, yCount === 1 ? 'path' : 'all');
  if (fCount > 0) o.followForks = true;
  if (fCount > 1) o.perProcessFiles = true;
  if (o.perProcessFiles && !o.followForks) o.followForks = true;
  if (o.daemonize > 3) throw new UsageError('too many -D\'s (maximum is 3)');
  if (o.perProcessFiles && o.output !== undefined && isPipe(o.output)) throw new UsageError('piping the output and -ff are mutually exclusive');
  if (o.seccompBpf && !o.followForks) o.warnings.push('--seccomp-bpf cannot be used without -f/--follow-forks, disabling');
  if (o.summary === 'none') {
    // As strace: -w and -U are errors without -c/-C; -S and -O only draw a warning.
    if (o.summaryWallClock) throw new UsageError('-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)');
    if (o.summaryColumns !== undefined) throw new UsageError('-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)');
    if (o.summarySort !== 'time') o.warnings.push('-S/--summary-sort-by has no effect without (-c/--summary-only or -C/--summary)');
    if (o.overheadNs !== undefined) o.warnings.push('-O/--summary-syscall-overhead has no effect without (-c/--summary-only or -C/--summary)');
  }
  const program = argv[i];
  if (program === undefined) throw new UsageError('must have PROG [ARGS]');
  o.program = program;
  o.args = argv.slice(i + 1) as string[];
  return o;
}

/** `-o |cmd` and `-o !cmd` pipe the trace into a shell command. */
export function isPipe(output: string): boolean {
  return output.startsWith('|') || output.startsWith('!');
}

const SORT_KEYS = new Set(['time', 'time-total', 'total-time', 'min-time', 'shortest', 'time-min', 'max-time', 'longest', 'time-max',
  'avg-time', 'time-avg', 'calls', 'count', 'errors', 'error', 'name', 'syscall', 'syscall-name', 'nothing', 'none']);
const COLUMN_KEYS = new Set(['time-percent', 'percent', 'time-total', 'total-time', 'time-min', 'min-time', 'shortest',
  'time-max', 'max-time', 'longest', 'time-avg', 'avg-time', 'calls', 'count', 'errors', 'error', 'name', 'syscall', 'syscall-name']);

function applyValue(o: TraceOptions, flag: string, v: string): void {
  switch (flag) {
    case 'o': o.output = v; return;
    case 's': o.stringLimit = parseCount('-s', v); return;
    case 'e':
      if (v.startsWith('decode-fds=')) applyDecodeFds(o, v.slice('decode-fds='.length));
      o.expressions.push(v);
      return;
    case 'X':
      if (v !== 'raw' && v !== 'abbrev' && v !== 'verbose') throw new UsageError(`invalid -X argument: '${v}'`);
      o.xlat = v;
      return;
    case 'a': o.columns = parseCount('-a', v); return;
    case 'E': {
      if (v === '' || v.startsWith('=')) throw new UsageError(`invalid -E argument: '${v}'`);
      o.envChanges.push(v);
      return;
    }
    case 'P': o.tracePaths.push(v); return;
    case 'u': o.user = v; return;
    case 'b':
      if (v !== 'execve') throw new UsageError(`invalid -b argument: '${v}' (only 'execve')`);
      o.detachOnExecve = true;
      return;
    case 'S':
      if (!SORT_KEYS.has(v)) throw new UsageError(`invalid sortby: '${v}'`);
      o.summarySort = v;
      return;
    case 'U': {
      const cols = v.split(',');
      for (const c of cols) if (!COLUMN_KEYS.has(c)) throw new UsageError(`invalid -U column: '${c}'`);
      o.summaryColumns = cols;
      return;
    }
    case 'O': o.overheadNs = parseDuration('-O', v); return;
    case 'p': throw notSupported('-p', NO_ATTACH);
    case 'I': throw notSupported('-I', 'tstrace always lets the terminal\'s signals stop it and its tracee');
    default: throw new UsageError(`invalid option -- '${flag}'`);
  }
}

function applyDecodeFds(o: TraceOptions, v: string): void {
  const all = ['path', 'socket', 'dev', 'pidfd'];
  const set = new Set<string>();
  for (const item of v.split(',')) {
    if (item === 'all') all.forEach((d) => set.add(d));
    else if (item === 'none') continue;
    else if (all.includes(item)) set.add(item);
    else throw new UsageError(`invalid decode-fds argument: '${item}'`);
  }
  o.fdDetails = set;
  o.decodeFds = set.size > 0;
}

function parseColor(v: string): ColorMode {
  if (v === 'auto' || v === 'always' || v === 'never') return v;
  throw new UsageError(`invalid --color argument: '${v}' (auto, always or never)`);
}

function parseHexStrings(v: string | undefined): HexStrings {
  switch (v ?? 'all') {
    case 'all': return 'all';
    case 'non-ascii': return 'non-ascii';
    case 'non-ascii-chars': return 'non-ascii-chars';
    case 'none': return 'none';
    default: throw new UsageError(`invalid --strings-in-hex argument: '${v}'`);
  }
}

/**
 * --absolute-timestamps=[[format:]FORMAT[,[precision:]PRECISION]]: FORMAT none, time or unix,
 * PRECISION s, ms, us or ns. What is not given keeps its earlier value (time, s at first).
 */
function parseAbsoluteTimestamps(v: string | undefined, earlier: TimestampStyle): TimestampStyle {
  let format: TimestampStyle['format'] = earlier.format === 'none' ? 'time' : earlier.format;
  let digits = earlier.format === 'none' ? 0 : earlier.digits;
  for (const raw of (v ?? '').split(',').filter((s) => s !== '')) {
    const kind = /^(format|precision):/.exec(raw)?.[1];
    const item = raw.slice(kind === undefined ? 0 : kind.length + 1);
    if (kind !== 'precision' && (item === 'none' || item === 'time' || item === 'unix')) format = item;
    else if (kind !== 'format' && PRECISION_DIGITS[item] !== undefined) digits = PRECISION_DIGITS[item]!;
    else throw new UsageError(`invalid --absolute-timestamps argument: '${raw}'`);
  }
  return format === 'none' ? NO_TIMESTAMPS : { format, digits };
}

/** --relative-timestamps[=PRECISION], --syscall-times[=PRECISION]: the digits (6 when not given). */
function precisionDigits(name: string, v: string | undefined): number {
  if (v === undefined) return 6;
  const digits = PRECISION_DIGITS[v];
  if (digits === undefined) throw new UsageError(`invalid --${name} argument: '${v}'`);
  return digits;
}

function parseDaemonize(v: string | undefined): number {
  switch (v ?? 'grandchild') {
    case 'grandchild': return 1;
    case 'pgroup': case 'pgrp': return 2;
    case 'session': return 3;
    default: throw new UsageError(`invalid --daemonize argument: '${v}'`);
  }
}

/** strace's durations: a number of microseconds, or NUMBER{s|ms|us|ns}. */
export function parseDuration(flag: string, v: string): bigint {
  const m = /^(\d+(?:\.\d+)?)(s|ms|us|ns)?$/.exec(v);
  if (m === null) throw new UsageError(`invalid ${flag} argument: '${v}'`);
  const scale = { s: 1e9, ms: 1e6, us: 1e3, ns: 1 }[m[2] ?? 'us'] ?? 1e3;
  return BigInt(Math.round(Number(m[1]) * scale));
}

function parseCount(flag: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`invalid ${flag} argument: '${v}'`);
  return Number(v);
}

function parsePositive(flag: string, v: string): number {
  const n = parseCount(flag, v);
  if (n === 0) throw new UsageError(`invalid ${flag} argument: '${v}'`);
  return n;
}

export class HelpRequested extends Error {}
export class VersionRequested extends Error {}
