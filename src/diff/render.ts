// Output: a unified diff per task in strace's line format, `--stat`, and `--json` records.
import type { ChalkInstance } from 'chalk';
import type {
  DiffHunkRecord, DiffLine, DiffRecord, DiffStatRecord, DiffSummaryRecord, DiffTaskRecord,
} from '../../schemas/diff-output.js';
import { countChanges, type ChangeCounts, type TaskDiff } from './align.js';
import type { LoadedLog, LoadedTask } from './load.js';

export interface RenderInput {
  readonly a: LoadedLog;
  readonly b: LoadedLog;
  readonly tasks: readonly TaskDiff[];
  readonly strings: readonly string[];
}

/** Where a task's lines are: the log itself, or its file in a -ff set. */
function fileOf(log: LoadedLog, task: LoadedTask | null): string {
  if (task === null) return log.source.label;
  return log.source.files[task.file]?.path ?? log.source.label;
}

/** The hunks of one task: changed runs with `context` equal events around them. */
export function buildHunks(input: RenderInput, td: TaskDiff, context: number): DiffHunkRecord[] {
  const { strings } = input;
  const x = td.a?.ids ?? [];
  const y = td.b?.ids ?? [];
  const la = td.a?.lines ?? [];
  const lb = td.b?.lines ?? [];
  const fileA = input.a.source.kind === 'ff' ? fileOf(input.a, td.a) : undefined;
  const fileB = input.b.source.kind === 'ff' ? fileOf(input.b, td.b) : undefined;
  const hunks: DiffHunkRecord[] = [];
  let cur: { aStart: number; bStart: number; aEnd: number; bEnd: number; lines: DiffLine[] } | null = null;
  const equalLine = (ia: number, ib: number): DiffLine => ({
    op: 'equal', text: strings[x[ia]!]!, lineA: la[ia]!, lineB: lb[ib]!,
    ...(fileA !== undefined ? { fileA } : {}), ...(fileB !== undefined ? { fileB } : {}),
  });
  const close = (): void => {
    if (cur === null) return;
    hunks.push({
      type: 'hunk', task: td.path,
      aStart: cur.aEnd > cur.aStart ? cur.aStart + 1 : cur.aStart, aCount: cur.aEnd - cur.aStart,
      bStart: cur.bEnd > cur.bStart ? cur.bStart + 1 : cur.bStart, bCount: cur.bEnd - cur.bStart,
      lines: cur.lines,
    });
    cur = null;
  };
  const ops = td.ops;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.kind === 'equal') {
      if (cur === null) continue;
      const last = i === ops.length - 1;
      const take = !last && op.count <= 2 * context ? op.count : Math.min(context, op.count);
      for (let k = 0; k < take; k++) cur.lines.push(equalLine(op.aStart + k, op.bStart + k));
      cur.aEnd += take;
      cur.bEnd += take;
      if (take < op.count || last) close();
      continue;
    }
    if (cur === null) {
      const prev = ops[i - 1];
      const lead = prev !== undefined && prev.kind === 'equal' ? Math.min(context, prev.count) : 0;
      cur = { aStart: op.aStart - lead, bStart: op.bStart - lead, aEnd: op.aStart, bEnd: op.bStart, lines: [] };
      for (let k = lead; k > 0; k--) cur.lines.push(equalLine(op.aStart - k, op.bStart - k));
    }
    if (op.kind === 'delete') {
      for (let k = 0; k < op.count; k++) {
        const ia = op.aStart + k;
        cur.lines.push({ op: 'removed', text: strings[x[ia]!]!, lineA: la[ia]!, ...(fileA !== undefined ? { fileA } : {}) });
      }
      cur.aEnd += op.count;
    } else {
      for (let k = 0; k < op.count; k++) {
        const ib = op.bStart + k;
        cur.lines.push({ op: 'added', text: strings[y[ib]!]!, lineB: lb[ib]!, ...(fileB !== undefined ? { fileB } : {}) });
      }
      cur.bEnd += op.count;
    }
  }
  close();
  return hunks;
}

export function taskRecord(td: TaskDiff): DiffTaskRecord {
  return {
    type: 'task', task: td.path, pidA: td.a?.pid ?? null, pidB: td.b?.pid ?? null, status: td.status,
    added: td.added, removed: td.removed, changed: td.changed,
    eventsA: td.a?.ids.length ?? 0, eventsB: td.b?.ids.length ?? 0, gaveUp: td.gaveUp,
  };
}

export function summaryRecord(input: RenderInput): DiffSummaryRecord {
  let added = 0, removed = 0, changed = 0, different = 0, onlyA = 0, onlyB = 0, eventsA = 0, eventsB = 0;
  for (const td of input.tasks) {
    added += td.added;
    removed += td.removed;
    changed += td.changed;
    if (td.status === 'different') different++;
    else if (td.status === 'only-a') onlyA++;
    else if (td.status === 'only-b') onlyB++;
    eventsA += td.a?.ids.length ?? 0;
    eventsB += td.b?.ids.length ?? 0;
  }
  return {
    type: 'summary', equal: different + onlyA + onlyB === 0,
    a: input.a.source.label, b: input.b.source.label,
    tasks: input.tasks.length, tasksDifferent: different, tasksOnlyA: onlyA, tasksOnlyB: onlyB,
    added, removed, changed, eventsA, eventsB,
  };
}

export function statRecords(input: RenderInput): DiffStatRecord[] {
  const perName = new Map<string, ChangeCounts>();
  for (const td of input.tasks) {
    if (td.status === 'equal') continue;
    countChanges(td.ops, td.a?.ids ?? [], td.b?.ids ?? [], input.strings, perName);
  }
  return [...perName.entries()]
    .sort((p, q) => total(q[1]) - total(p[1]) || (p[0] < q[0] ? -1 : 1))
    .map(([name, c]) => ({ type: 'stat', name, ...c }));
}

function total(c: ChangeCounts): number {
  return c.added + c.removed + c.changed;
}

/** All --json records, in output order. */
export function* jsonRecords(input: RenderInput, context: number, stat: boolean): Generator<DiffRecord> {
  for (const td of input.tasks) {
    yield taskRecord(td);
    if (!stat && td.status !== 'equal') yield* buildHunks(input, td, context);
  }
  if (stat) yield* statRecords(input);
  yield summaryRecord(input);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countsText(c: ChangeCounts): string {
  return `${c.added} added, ${c.removed} removed, ${c.changed} changed`;
}

function pidText(pid: number | null | undefined): string {
  return pid === null || pid === undefined ? '?' : String(pid);
}

/** The text output (unified diff, or --stat), line by line. `color` is chalk or null. */
export function* textLines(input: RenderInput, context: number, stat: boolean, color: ChalkInstance | null): Generator<string> {
  const c = color;
  const la = input.a.source.label;
  const lb = input.b.source.label;
  const summary = summaryRecord(input);
  if (stat) {
    yield* statLines(statRecords(input));
  } else if (!summary.equal) {
    yield c ? c.bold(`--- ${la}`) : `--- ${la}`;
    yield c ? c.bold(`+++ ${lb}`) : `+++ ${lb}`;
    for (const td of input.tasks) {
      if (td.status === 'equal') continue;
      let head: string;
      if (td.status === 'only-a') head = `task ${td.path} (only in ${la}, pid ${pidText(td.a?.pid)}): ${plural(td.removed, 'event')} removed`;
      else if (td.status === 'only-b') head = `task ${td.path} (only in ${lb}, pid ${pidText(td.b?.pid)}): ${plural(td.added, 'event')} added`;
      else head = `task ${td.path} (pid ${pidText(td.a?.pid)} ↔ ${pidText(td.b?.pid)}): ${countsText(td)}${td.gaveUp ? ' (alignment gave up: shown as replaced)' : ''}`;
      yield c ? c.yellow.bold(head) : head;
      const fa = fileOf(input.a, td.a);
      const fb = fileOf(input.b, td.b);
      for (const h of buildHunks(input, td, context)) {
        const firstA = h.lines.find((l) => l.lineA !== undefined)?.lineA;
        const firstB = h.lines.find((l) => l.lineB !== undefined)?.lineB;
        const where = [firstA !== undefined ? `${fa}:${firstA}` : '', firstB !== undefined ? `${fb}:${firstB}` : ''].filter((s) => s).join(' ');
        const header = `@@ -${h.aStart},${h.aCount} +${h.bStart},${h.bCount} @@ ${where}`;
        yield c ? c.cyan(header) : header;
        for (const l of h.lines) {
          if (l.op === 'equal') yield ` ${l.text}`;
          else if (l.op === 'removed') yield c ? c.red(`-${l.text}`) : `-${l.text}`;
          else yield c ? c.green(`+${l.text}`) : `+${l.text}`;
        }
      }
    }
  }
  yield summaryLine(summary);
}

function statLines(stats: readonly DiffStatRecord[]): string[] {
  if (stats.length === 0) return [];
  const width = Math.max(7, ...stats.map((s) => s.name.length));
  const row = (name: string, a: string | number, r: string | number, ch: string | number): string =>
    `${name.padEnd(width)}  ${String(a).padStart(7)}  ${String(r).padStart(7)}  ${String(ch).padStart(7)}`;
  const out = [row('syscall', 'added', 'removed', 'changed')];
  const sum = { added: 0, removed: 0, changed: 0 };
  for (const s of stats) {
    out.push(row(s.name, s.added, s.removed, s.changed));
    sum.added += s.added;
    sum.removed += s.removed;
    sum.changed += s.changed;
  }
  out.push(row('total', sum.added, sum.removed, sum.changed));
  return out;
}

export function summaryLine(s: DiffSummaryRecord): string {
  if (s.equal) return `equal: ${plural(s.tasks, 'task')}, ${plural(s.eventsA, 'event')} compared`;
  const parts = [`${s.tasksDifferent} of ${plural(s.tasks, 'task')} differ`];
  if (s.tasksOnlyA > 0) parts.push(`${s.tasksOnlyA} only in ${s.a}`);
  if (s.tasksOnlyB > 0) parts.push(`${s.tasksOnlyB} only in ${s.b}`);
  return `different: ${parts.join(', ')}; ${s.added} added, ${s.removed} removed, ${s.changed} changed`;
}
