// Alignment: tasks paired by path, each pair's id sequences diffed with jsdiff's Myers
// implementation (`diff` on npm). Identical heads and tails are cut off first, so two long
// logs that differ in one place cost a linear scan and a tiny diff.
import { diffArrays } from 'diff';
import type { LoadedLog, LoadedTask } from './load.js';

/** Per task: past this, two long and very different sequences are shown as replaced. */
export const ALIGN_TIMEOUT_MS = 5000;

export type OpKind = 'equal' | 'delete' | 'insert';

/** A run of equal, removed (delete) or added (insert) events; starts are 0-based indexes. */
export interface Op {
  readonly kind: OpKind;
  readonly aStart: number;
  readonly bStart: number;
  readonly count: number;
}

export type TaskStatus = 'equal' | 'different' | 'only-a' | 'only-b';

export interface TaskDiff {
  readonly path: string;
  readonly a: LoadedTask | null;
  readonly b: LoadedTask | null;
  readonly status: TaskStatus;
  readonly ops: readonly Op[];
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  /** The diff gave up (too long, too different): the differing middle is shown as replaced. */
  readonly gaveUp: boolean;
}

export interface AlignOptions {
  /** Per task, after this many milliseconds of searching, show the rest as replaced. */
  readonly timeoutMs?: number;
}

/** Name of the call (or event kind) a canonical line is about, for pairing and --stat. */
export function lineSubject(line: string): string {
  if (line.startsWith('--- ')) return line.startsWith('--- stopped') ? 'stopped' : (/^--- (\S+)/.exec(line)?.[1] ?? 'signal');
  if (line.startsWith('+++ ')) return 'exit';
  const p = line.indexOf('(');
  if (p > 0 && /^[a-z_][a-z0-9_]*$/i.test(line.slice(0, p))) return line.slice(0, p);
  return '(unparsed)';
}

export function alignLogs(a: LoadedLog, b: LoadedLog, strings: readonly string[], options: AlignOptions = {}): TaskDiff[] {
  const byPathB = new Map(b.tasks.map((t) => [t.path, t]));
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const t of a.tasks) {
    paths.push(t.path);
    seen.add(t.path);
  }
  for (const t of b.tasks) if (!seen.has(t.path)) paths.push(t.path);
  paths.sort(comparePaths);
  const byPathA = new Map(a.tasks.map((t) => [t.path, t]));
  return paths.map((path) => alignTask(path, byPathA.get(path) ?? null, byPathB.get(path) ?? null, strings, options));
}

/** "1.2" before "1.10", parents before children. */
export function comparePaths(x: string, y: string): number {
  const xs = x.split('.').map(Number);
  const ys = y.split('.').map(Number);
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) if (xs[i] !== ys[i]) return xs[i]! - ys[i]!;
  return xs.length - ys.length;
}

function alignTask(path: string, a: LoadedTask | null, b: LoadedTask | null, strings: readonly string[], options: AlignOptions): TaskDiff {
  if (b === null) {
    const n = a!.ids.length;
    return { path, a, b, status: 'only-a', ops: [{ kind: 'delete', aStart: 0, bStart: 0, count: n }], added: 0, removed: n, changed: 0, gaveUp: false };
  }
  if (a === null) {
    const n = b.ids.length;
    return { path, a, b, status: 'only-b', ops: [{ kind: 'insert', aStart: 0, bStart: 0, count: n }], added: n, removed: 0, changed: 0, gaveUp: false };
  }
  const x = a.ids;
  const y = b.ids;
  let head = 0;
  const max = Math.min(x.length, y.length);
  while (head < max && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < max - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const ops: Op[] = [];
  const push = (kind: OpKind, aStart: number, bStart: number, count: number): void => {
    if (count > 0) ops.push({ kind, aStart, bStart, count });
  };
  push('equal', 0, 0, head);
  let gaveUp = false;
  const midA = x.slice(head, x.length - tail);
  const midB = y.slice(head, y.length - tail);
  if (midA.length > 0 || midB.length > 0) {
    const changes = midA.length === 0 || midB.length === 0
      ? undefined
      : diffArrays(midA, midB, { timeout: options.timeoutMs ?? ALIGN_TIMEOUT_MS });
    let ia = head;
    let ib = head;
    if (changes === undefined) {
      gaveUp = midA.length > 0 && midB.length > 0;
      push('delete', ia, ib, midA.length);
      ia += midA.length;
      push('insert', ia, ib, midB.length);
      ib += midB.length;
    } else {
      for (const c of changes) {
        const n = c.count;
        if (c.removed) {
          push('delete', ia, ib, n);
          ia += n;
        } else if (c.added) {
          push('insert', ia, ib, n);
          ib += n;
        } else {
          push('equal', ia, ib, n);
          ia += n;
          ib += n;
        }
      }
    }
  }
  push('equal', x.length - tail, y.length - tail, tail);
  const merged = mergeOps(ops);
  const counts = countChanges(merged, x, y, strings);
  const status: TaskStatus = counts.added + counts.removed + counts.changed === 0 ? 'equal' : 'different';
  return { path, a, b, status, ops: merged, ...counts, gaveUp };
}

function mergeOps(ops: Op[]): Op[] {
  const out: Op[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (last !== undefined && last.kind === op.kind) out[out.length - 1] = { ...last, count: last.count + op.count };
    else out.push(op);
  }
  return out;
}

/** A removed and an added event of the same call within one change count as one "changed". */
export interface ChangeCounts {
  added: number;
  removed: number;
  changed: number;
}

export function countChanges(ops: readonly Op[], x: readonly number[], y: readonly number[], strings: readonly string[], perName?: Map<string, ChangeCounts>): ChangeCounts {
  const total: ChangeCounts = { added: 0, removed: 0, changed: 0 };
  const bump = (name: string, field: keyof ChangeCounts): void => {
    total[field]++;
    if (perName === undefined) return;
    let c = perName.get(name);
    if (c === undefined) {
      c = { added: 0, removed: 0, changed: 0 };
      perName.set(name, c);
    }
    c[field]++;
  };
  let i = 0;
  while (i < ops.length) {
    const op = ops[i]!;
    if (op.kind === 'equal') {
      i++;
      continue;
    }
    // One change block: consecutive deletes and inserts.
    const removed: string[] = [];
    const added: string[] = [];
    while (i < ops.length && ops[i]!.kind !== 'equal') {
      const o = ops[i]!;
      if (o.kind === 'delete') for (let k = 0; k < o.count; k++) removed.push(lineSubject(strings[x[o.aStart + k]!]!));
      else for (let k = 0; k < o.count; k++) added.push(lineSubject(strings[y[o.bStart + k]!]!));
      i++;
    }
    const unpaired = new Map<string, number>();
    for (const name of added) unpaired.set(name, (unpaired.get(name) ?? 0) + 1);
    for (const name of removed) {
      const left = unpaired.get(name) ?? 0;
      if (left > 0) {
        unpaired.set(name, left - 1);
        bump(name, 'changed');
      } else bump(name, 'removed');
    }
    for (const [name, left] of unpaired) for (let k = 0; k < left; k++) bump(name, 'added');
  }
  return total;
}
