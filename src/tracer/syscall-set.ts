// strace's sets in -e qualifiers: a comma list, negated by a leading '!'; for syscalls the
// elements are names, %classes, /regexes, `all` and `none`, each optionally prefixed by '?'
// (no error when unknown) and suffixed by a personality (@64 here; @32 and @x32 select nothing,
// the guest is 64-bit).
import { parseTraceClass, syscallsInClass, isKnownSyscallName } from './trace-classes.js';
import { UsageError } from './options.js';

export function splitSet(value: string): { negate: boolean; items: string[] } {
  let negate = false;
  let v = value;
  while (v.startsWith('!')) {
    negate = !negate;
    v = v.slice(1);
  }
  return { negate, items: v.split(',').filter((s) => s !== '') };
}

/** Selects syscalls by name, or by number in the traced architecture's numbering. */
export type SyscallPredicate = (name: string, nr?: number) => boolean;

/** A predicate over syscalls; `what` names the qualifier in error messages. */
export function parseSyscallSet(value: string, what = 'system call'): SyscallPredicate {
  const { negate, items } = splitSet(value);
  const names = new Set<string>();
  const numbers = new Set<number>();
  const regexes: RegExp[] = [];
  let all = false;
  for (const raw of items) {
    let item = raw;
    const optional = item.startsWith('?');
    if (optional) item = item.slice(1);
    const at = item.startsWith('/') ? -1 : item.lastIndexOf('@');
    if (at > 0) {
      const personality = item.slice(at + 1);
      if (!['64', '32', 'x32'].includes(personality)) throw new UsageError(`invalid ${what} '${raw}'`);
      item = item.slice(0, at);
      if (personality !== '64') continue;
    }
    if (item === 'all') all = true;
    else if (item === 'none') continue;
    else if (/^\d+$/.test(item) && Number(item) < 4096) numbers.add(Number(item));
    else if (item.startsWith('/')) {
      try {
        regexes.push(new RegExp(item.slice(1)));
      } catch {
        throw new UsageError(`invalid ${what} '${raw}'`);
      }
    } else if (item.startsWith('%') || (parseTraceClass(item) !== undefined && !isKnownSyscallName(item))) {
      const cls = parseTraceClass(item);
      if (cls === undefined) {
        if (optional) continue;
        throw new UsageError(`invalid ${what} '${raw}'`);
      }
      for (const n of syscallsInClass(cls)) names.add(n);
    } else if (isKnownSyscallName(item)) names.add(item);
    else if (!optional) throw new UsageError(`invalid ${what} '${raw}'`);
  }
  const match = (name: string, nr?: number): boolean =>
    all || names.has(name) || (nr !== undefined && numbers.has(nr)) || regexes.some((r) => r.test(name));
  return negate ? (n, nr) => !match(n, nr) : match;
}

/** A set of descriptor numbers (-e read=, -e write=). */
export function parseFdSet(value: string, what: string): (fd: number) => boolean {
  const { negate, items } = splitSet(value);
  const set = new Set<number>();
  let all = false;
  for (const item of items) {
    if (item === 'all') all = true;
    else if (item === 'none') continue;
    else if (/^\d+$/.test(item)) set.add(Number(item));
    else throw new UsageError(`invalid ${what} '${item}'`);
  }
  const match = (fd: number): boolean => all || set.has(fd);
  return negate ? (fd) => !match(fd) : match;
}

/** A set of words from a fixed list (status=, quiet=). */
export function parseWordSet<W extends string>(value: string, words: readonly W[], what: string, aliases: Readonly<Record<string, W>> = {}): ReadonlySet<W> {
  const { negate, items } = splitSet(value);
  const set = new Set<W>();
  for (const raw of items) {
    const item = aliases[raw] ?? raw;
    if (item === 'all') words.forEach((s) => set.add(s));
    else if (item === 'none') continue;
    else if ((words as readonly string[]).includes(item)) set.add(item as W);
    else throw new UsageError(`invalid ${what} '${raw}'`);
  }
  return negate ? new Set(words.filter((s) => !set.has(s))) : set;
}
