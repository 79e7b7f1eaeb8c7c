// strace's command line, parsed into typed options. Unknown flags are usage errors.
import type { XlatStyle } from './decode/types.js';

export type TimestampStyle = 'none' | 'time' | 'time-us' | 'epoch-us';

export interface TraceOptions {
  output: string | undefined;
  stringLimit: number;
  followForks: boolean;
  /** -ff: one output file per process, FILE.PID. */
  perProcessFiles: boolean;
  verbose: boolean;
  decodeFds: boolean;
  xlat: XlatStyle;
  quiet: number;
  timestamps: TimestampStyle;
  relative: boolean;
  syscallTimes: boolean;
  summary: 'none' | 'only' | 'also';
  /** -e expressions, in order. */
  expressions: string[];
  program: string;
  args: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Flags taking a value: -o FILE, -s N, -e EXPR, -X STYLE, -a N (accepted), -E VAR=VAL, -P PATH. */
const WITH_VALUE = new Set(['o', 's', 'e', 'X', 'a', 'E', 'P', 'S', 'O', 'b', 'I', 'u', 'p']);

export function parseTraceArgs(argv: readonly string[]): TraceOptions {
  const o: TraceOptions = {
    output: undefined, stringLimit: 32, followForks: false, perProcessFiles: false, verbose: false, decodeFds: false,
    xlat: 'abbrev', quiet: 0, timestamps: 'none', relative: false, syscallTimes: false,
    summary: 'none', expressions: [], program: '', args: [],
  };
  let i = 0;
  let tCount = 0;
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
      const [name, value] = arg.slice(2).split('=', 2) as [string, string | undefined];
      switch (name) {
        case 'output': o.output = value ?? take(name, ''); continue;
        case 'string-limit': o.stringLimit = parseCount(name, value ?? take(name, '')); continue;
        case 'follow-forks': o.followForks = true; continue;
        case 'summary-only': o.summary = 'only'; continue;
        case 'summary': o.summary = 'also'; continue;
        case 'help': throw new HelpRequested();
        case 'version': throw new VersionRequested();
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
        case 'f':
          if (o.followForks) o.perProcessFiles = true;
          o.followForks = true;
          break;
        case 'v': o.verbose = true; break;
        case 'y': o.decodeFds = true; break;
        case 'q': o.quiet++; break;
        case 't': tCount++; break;
        case 'r': o.relative = true; break;
        case 'T': o.syscallTimes = true; break;
        case 'c': o.summary = 'only'; break;
        case 'C': o.summary = 'also'; break;
        case 'h': throw new HelpRequested();
        case 'V': throw new VersionRequested();
        default: throw new UsageError(`invalid option -- '${f}'`);
      }
    }
  }
  o.timestamps = tCount === 0 ? 'none' : tCount === 1 ? 'time' : tCount === 2 ? 'time-us' : 'epoch-us';
  const program = argv[i];
  if (program === undefined) throw new UsageError('must have PROG [ARGS]');
  o.program = program;
  o.args = argv.slice(i + 1) as string[];
  return o;
}

function applyValue(o: TraceOptions, flag: string, v: string): void {
  switch (flag) {
    case 'o': o.output = v; return;
    case 's': o.stringLimit = parseCount('-s', v); return;
    case 'e': o.expressions.push(v); return;
    case 'X':
      if (v !== 'raw' && v !== 'abbrev' && v !== 'verbose') throw new UsageError(`invalid -X argument: '${v}'`);
      o.xlat = v;
      return;
    case 'a': parseCount('-a', v); return;
    default: throw new UsageError(`option -${flag} is not supported by tstrace`);
  }
}

function parseCount(flag: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`invalid ${flag} argument: '${v}'`);
  return Number(v);
}

export class HelpRequested extends Error {}
export class VersionRequested extends Error {}
