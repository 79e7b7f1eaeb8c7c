// The stable programmatic surface of `tstrace diff`, for tests and other layers: parse a log
// held in a string, normalize its events, diff two logs. Files and -ff sets go through cli.ts.
import type { StraceEvent } from '../../schemas/strace-event.js';
import { alignLogs } from './align.js';
import { Interner, LogBuilder, type LoadedLog, type LogSource } from './load.js';
import { Normalizer, type NormalizeOptions } from './normalize.js';
import { StraceParser } from './parser.js';
import { textLines } from './render.js';

export type { StraceEvent } from '../../schemas/strace-event.js';
export type { NormalizeOptions } from './normalize.js';
export { DEFAULT_NORMALIZE_OPTIONS } from './normalize.js';

export interface DiffOptions extends NormalizeOptions {
  /** Equal events shown around each change (-U). */
  context: number;
}

export const DEFAULT_CONTEXT = 3;

/** Feeds a whole log held in a string to a parser, line by line. */
function feed(text: string, parser: StraceParser): void {
  let start = 0;
  let lineNo = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    parser.line(text.slice(start, nl), ++lineNo);
    start = nl + 1;
  }
  parser.end(start < text.length ? { text: text.slice(start), line: lineNo + 1 } : undefined);
}

/** Parses a whole strace log (any of the formats `tstrace diff` reads, but one file) into events. */
export function parseStraceText(text: string): StraceEvent[] {
  const events: StraceEvent[] = [];
  const parser = new StraceParser({ onEvent: (e) => events.push(e) });
  feed(text, parser);
  const anon = parser.anonymousTaskPid;
  if (anon !== null) {
    for (const e of events) if (e.pid === null && e.kind !== 'notice') e.pid = anon;
  }
  return events;
}

/**
 * One canonical line per syscall, signal and exit event (and unparsed line), in order: tasks in
 * order of appearance, each task's events in order. Pids read `<task PATH>`.
 */
export function normalizeEvents(events: readonly StraceEvent[], options?: Partial<NormalizeOptions>): string[] {
  const interner = new Interner();
  const builder = new LogBuilder(new Normalizer(options), interner);
  for (const e of events) builder.push(e);
  // Appearance: where a task's first line is (a split call counts from its first half).
  const tasks = builder.finish().sort((x, y) => x.file - y.file || (x.lines[0] ?? 0) - (y.lines[0] ?? 0) || x.id - y.id);
  const out: string[] = [];
  for (const t of tasks) for (const id of t.ids) out.push(interner.strings[id]!);
  return out;
}

function loadText(label: string, text: string, normalizer: Normalizer, interner: Interner): LoadedLog {
  const builder = new LogBuilder(normalizer, interner);
  const parser = new StraceParser({ onEvent: builder.push, onBindAnonymous: builder.bindAnonymous });
  feed(text, parser);
  const source: LogSource = { label, kind: 'log', files: [{ path: label }] };
  return { source, tasks: builder.finish(), lines: 0, events: builder.events, warnings: [] };
}

/** Diffs two logs held in strings; `text` is the rendered unified diff (no colour) and summary. */
export function diffStraceTexts(a: string, b: string, options?: Partial<DiffOptions>): { equal: boolean; text: string } {
  const { context = DEFAULT_CONTEXT, ...normalize } = options ?? {};
  const normalizer = new Normalizer(normalize);
  const interner = new Interner();
  const la = loadText('a', a, normalizer, interner);
  const lb = loadText('b', b, normalizer, interner);
  const tasks = alignLogs(la, lb, interner.strings);
  const input = { a: la, b: lb, tasks, strings: interner.strings };
  const lines = [...textLines(input, context, false, null)];
  return { equal: tasks.every((t) => t.status === 'equal'), text: lines.join('\n') + '\n' };
}
