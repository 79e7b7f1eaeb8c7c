// strace's -e qualifiers: trace=, signal=, status=, abbrev=, verbose=, raw=, read=, write=,
// quiet=, inject=, fault= (decode-fds= is an option, handled with -y). A set is a comma list,
// optionally negated by a leading '!'; see syscall-set.ts for the elements.
import { signalNumber } from '../abi/signals.js';
import { UsageError } from './options.js';
import { parseFdSet, parseSyscallSet, parseWordSet, splitSet, type SyscallPredicate } from './syscall-set.js';
import { Injector } from './inject.js';

export type SyscallStatus = 'successful' | 'failed' | 'unfinished' | 'unavailable' | 'detached';
const STATUSES: readonly SyscallStatus[] = ['successful', 'failed', 'unfinished', 'unavailable', 'detached'];

/** strace's suppressible messages (-e quiet=). */
export type QuietMessage = 'attach' | 'exit' | 'path-resolution' | 'personality' | 'thread-execve' | 'superseded';
const QUIET: readonly QuietMessage[] = ['attach', 'exit', 'path-resolution', 'personality', 'thread-execve', 'superseded'];
const QUIET_ALIASES: Readonly<Record<string, QuietMessage>> = {
  attach: 'attach', exit: 'exit', exits: 'exit', 'path-resolution': 'path-resolution', personality: 'personality',
  personalities: 'personality', 'thread-execve': 'thread-execve', 'thread-execves': 'thread-execve', superseded: 'superseded',
};

export class TraceFilter {
  private syscallPredicate: SyscallPredicate = () => true;
  private signalSet: ((signo: number) => boolean) = () => true;
  private statusSet: ReadonlySet<SyscallStatus> = new Set(STATUSES);
  private readonly cache = new Map<string, boolean>();
  /** True when a status= qualifier narrowed the set (lines are then held until exit). */
  statusFiltered = false;
  /** -e abbrev=SET (undefined: every call, unless -v). */
  abbrev: SyscallPredicate | undefined;
  /** -e verbose=SET: calls whose structures are printed (undefined: all). */
  verbose: SyscallPredicate | undefined;
  /** -e raw=SET: calls printed undecoded. */
  raw: SyscallPredicate | undefined;
  readFds: ((fd: number) => boolean) | undefined;
  writeFds: ((fd: number) => boolean) | undefined;
  /** Messages -e quiet= suppresses (-q, -qq and -qqq add theirs in the tracer). */
  quiet: ReadonlySet<QuietMessage> = new Set();
  readonly injector = new Injector();

  constructor(expressions: readonly string[]) {
    for (const e of expressions) this.apply(e);
  }

  /** Whether trace= selects the call (`nr`: its number in the traced architecture). */
  traces(name: string, nr?: number): boolean {
    let v = this.cache.get(name);
    if (v === undefined) {
      // strace always shows calls it has no name for, whatever trace= says.
      v = name.startsWith('syscall_') ? true : this.syscallPredicate(name, nr);
      this.cache.set(name, v);
    }
    return v;
  }

  showsSignal(signo: number): boolean {
    return this.signalSet(signo);
  }

  showsStatus(status: SyscallStatus): boolean {
    return this.statusSet.has(status);
  }

  private apply(expr: string): void {
    const eq = expr.indexOf('=');
    const qualifier = eq < 0 ? 'trace' : expr.slice(0, eq);
    const value = eq < 0 ? expr : expr.slice(eq + 1);
    switch (qualifier) {
      case 'trace': case 't':
        this.syscallPredicate = parseSyscallSet(value);
        this.cache.clear();
        return;
      case 'signal': case 'signals': case 's':
        this.signalSet = parseSignalSet(value);
        return;
      case 'status':
        this.statusSet = parseWordSet(value, STATUSES, 'status');
        this.statusFiltered = this.statusSet.size < STATUSES.length;
        return;
      case 'abbrev': case 'a': this.abbrev = parseSyscallSet(value); return;
      case 'verbose': case 'v': this.verbose = parseSyscallSet(value); return;
      case 'raw': case 'x': this.raw = parseSyscallSet(value); return;
      case 'read': case 'r': this.readFds = parseFdSet(value, 'descriptor set'); return;
      case 'write': case 'w': this.writeFds = parseFdSet(value, 'descriptor set'); return;
      case 'quiet': case 'silent': case 'silence': case 'q':
        this.quiet = parseWordSet(value, QUIET, 'quiet', QUIET_ALIASES);
        return;
      case 'inject': this.injector.add(value, false); return;
      case 'fault': this.injector.add(value, true); return;
      case 'kvm': throw new UsageError('-e kvm= is not supported by tstrace: the emulated kernel has no KVM');
      case 'decode-fds': return; // an option: parseTraceArgs applied it
      default:
        throw new UsageError(`invalid filter '${qualifier}'`);
    }
  }
}

function parseSignalSet(value: string): (signo: number) => boolean {
  const { negate, items } = splitSet(value);
  const set = new Set<number>();
  let all = false;
  for (const item of items) {
    if (item === 'all') all = true;
    else if (item === 'none') continue;
    else {
      const n = /^\d+$/.test(item) ? Number(item) : signalNumber(item);
      if (n === undefined || n < 1 || n > 64) throw new UsageError(`invalid signal '${item}'`);
      set.add(n);
    }
  }
  const match = (s: number): boolean => all || set.has(s);
  return negate ? (s) => !match(s) : match;
}
