// strace's -e qualifiers: trace=, signal=, status= (others are accepted where tstrace has no
// choice to make). A set is a comma list, optionally negated by a leading '!'; elements are
// names, %classes, /regexes, all and none.
import { parseTraceClass, syscallsInClass, isKnownSyscallName } from './trace-classes.js';
import { signalNumber } from '../abi/signals.js';
import { UsageError } from './options.js';

export type SyscallStatus = 'successful' | 'failed' | 'unfinished' | 'unavailable' | 'detached';
const STATUSES: readonly SyscallStatus[] = ['successful', 'failed', 'unfinished', 'unavailable', 'detached'];

export class TraceFilter {
  private syscallPredicate: (name: string) => boolean = () => true;
  private signalSet: ((signo: number) => boolean) = () => true;
  private statusSet: ReadonlySet<SyscallStatus> = new Set(STATUSES);
  private readonly cache = new Map<string, boolean>();
  /** True when a status= qualifier narrowed the set (lines are then held until exit). */
  statusFiltered = false;

  constructor(expressions: readonly string[]) {
    for (const e of expressions) this.apply(e);
  }

  traces(name: string): boolean {
    let v = this.cache.get(name);
    if (v === undefined) {
      // strace always shows calls it has no name for, whatever trace= says.
      v = name.startsWith('syscall_') ? true : this.syscallPredicate(name);
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
        this.statusSet = parseStatusSet(value);
        this.statusFiltered = this.statusSet.size < STATUSES.length;
        return;
      case 'abbrev': case 'a': case 'verbose': case 'v': case 'raw': case 'x': case 'read': case 'r': case 'write': case 'w':
        return;
      default:
        throw new UsageError(`invalid filter '${qualifier}'`);
    }
  }
}

function splitSet(value: string): { negate: boolean; items: string[] } {
  let negate = false;
  let v = value;
  while (v.startsWith('!')) {
    negate = !negate;
    v = v.slice(1);
  }
  return { negate, items: v.split(',').filter((s) => s !== '') };
}

function parseSyscallSet(value: string): (name: string) => boolean {
  const { negate, items } = splitSet(value);
  const names = new Set<string>();
  const regexes: RegExp[] = [];
  let all = false;
  for (const raw of items) {
    let item = raw;
    const optional = item.startsWith('?');
    if (optional) item = item.slice(1);
    if (item === 'all') all = true;
    else if (item === 'none') continue;
    else if (item.startsWith('/')) {
      try {
        regexes.push(new RegExp(item.slice(1)));
      } catch {
        throw new UsageError(`invalid system call '${raw}'`);
      }
    } else if (item.startsWith('%') || parseTraceClass(item) !== undefined && !isKnownSyscallName(item)) {
      const cls = parseTraceClass(item);
      if (cls === undefined) {
        if (optional) continue;
        throw new UsageError(`invalid system call '${raw}'`);
      }
      for (const n of syscallsInClass(cls)) names.add(n);
    } else if (isKnownSyscallName(item)) names.add(item);
    else if (!optional) throw new UsageError(`invalid system call '${raw}'`);
  }
  const match = (name: string): boolean => all || names.has(name) || regexes.some((r) => r.test(name));
  return negate ? (n) => !match(n) : match;
}

function parseSignalSet(value: string): (signo: number) => boolean {
  const { negate, items } = splitSet(value);
  const set = new Set<number>();
  let all = false;
  for (const item of items) {
    if (item === 'all') all = true;
    else if (item === 'none') continue;
    else {
      const n = signalNumber(item);
      if (n === undefined) throw new UsageError(`invalid signal '${item}'`);
      set.add(n);
    }
  }
  const match = (s: number): boolean => all || set.has(s);
  return negate ? (s) => !match(s) : match;
}

function parseStatusSet(value: string): ReadonlySet<SyscallStatus> {
  const { negate, items } = splitSet(value);
  const set = new Set<SyscallStatus>();
  for (const item of items) {
    if (item === 'all') STATUSES.forEach((s) => set.add(s));
    else if (item === 'none') continue;
    else if ((STATUSES as readonly string[]).includes(item)) set.add(item as SyscallStatus);
    else throw new UsageError(`invalid status '${item}'`);
  }
  return negate ? new Set(STATUSES.filter((s) => !set.has(s))) : set;
}
