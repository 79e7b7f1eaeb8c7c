// From log files to compact per-task sequences.
//
// A log is read in fixed-size chunks and parsed line by line; each kept event becomes one
// canonical line, interned to an integer id shared by both logs. What reaches the aligner is
// one array of ids (and one of line numbers) per task: a 1,000,000-line log costs ~16 MB of
// arrays plus its distinct lines, never the file as a string.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StraceEvent } from '../../schemas/strace-event.js';
import { StraceParser, type LineMemo } from './parser.js';
import { Normalizer, PID_KNOWN, hasPidPlaceholder, resolvePids } from './normalize.js';
import { TaskTable, type Task } from './tasks.js';

/** Bad input: the CLI prints its message as one line and exits 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface LogFile {
  readonly path: string;
  /** The pid of a -ff file (FILE.PID); undefined for a single log. */
  readonly pid?: number;
}

export interface LogSource {
  /** As named on the command line. */
  readonly label: string;
  /** A strace-format log, a -ff set, or events from elsewhere (a recording) through loadEvents. */
  readonly kind: 'log' | 'ff' | 'events';
  readonly files: readonly LogFile[];
}

/** Distinct canonical lines, shared by the logs being compared, each with a small integer id. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly strings: string[] = [];

  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.ids.set(s, id);
      this.strings.push(s);
    }
    return id;
  }
}

export interface LoadedTask {
  /** Order of first appearance in the log. */
  readonly id: number;
  /** Position in the process tree: "1", "1.2", … */
  readonly path: string;
  readonly pid: number | null;
  /** Interned canonical lines, in order. */
  readonly ids: number[];
  /** Line of each event in its file. */
  readonly lines: number[];
  /** Which file of the source the task's lines are in (a -ff set has one per task). */
  readonly file: number;
}

export interface LoadedLog {
  readonly source: LogSource;
  /** Tasks with at least one kept event, ordered by path. */
  readonly tasks: LoadedTask[];
  readonly lines: number;
  readonly events: number;
  /** Things worth one line on stderr (a skipped -c table, a cut last line). */
  readonly warnings: string[];
}

interface Building {
  readonly task: Task;
  readonly ids: number[];
  readonly lines: number[];
  file: number;
  /** Some ids are placeholders (≤ PLACEHOLDER_BASE): lines naming pids, resolved at the end. */
  hasPlaceholders: boolean;
}

const FORK_LIKE = new Set(['clone', 'clone3', 'fork', 'vfork']);
const SKIP = -1;
/** Ids at and below this stand for placeholder lines: PLACEHOLDER_BASE - k is placeholder k. */
const PLACEHOLDER_BASE = -2;
const MEMO_LIMIT = 200_000;

/**
 * Turns a stream of events into per-task sequences of interned canonical lines. Used for files
 * (loadLog) and strings (the API) alike.
 */
export class LogBuilder {
  readonly table = new TaskTable();
  private readonly building: Building[] = [];
  private readonly namer = { taskIdOf: (pid: number): number | undefined => this.table.lookup(pid)?.id };
  events = 0;
  /** Events about tasks (all but strace's notices). */
  traced = 0;
  /**
   * What a line body (less prefix and timestamp) became: an interned id, SKIP, or a
   * placeholder id. Most lines of a long log repeat one another; a repeat then costs one map
   * lookup instead of parsing and normalizing. Bounded in size.
   */
  private readonly memo = new Map<string, number>();
  /**
   * Canonical lines that name pids (resolved once the task tree is complete), interned apart:
   * a task's id array holds PLACEHOLDER_BASE - k for the k-th of them.
   */
  private readonly placeholders: string[] = [];
  private readonly placeholderIds = new Map<string, number>();

  constructor(private readonly normalizer: Normalizer, private readonly interner: Interner) {}

  private lastPid: number | null | undefined = undefined;
  private last: Building | null = null;

  private buildingFor(pid: number | null, file: number): Building {
    // Consecutive lines mostly come from one task; its table lookup is skipped then.
    if (pid === this.lastPid && this.last !== null && !this.last.task.dead) return this.last;
    const task = this.table.taskFor(pid);
    let b = this.building[task.id];
    if (b === undefined) {
      b = { task, ids: [], lines: [], file, hasPlaceholders: false };
      this.building[task.id] = b;
    }
    this.lastPid = pid;
    this.last = b;
    return b;
  }

  /** A LineMemo for the parser of file `file`. */
  memoFor(file: number): LineMemo {
    return {
      replay: (body: string, line: number, pid: number | null): boolean => {
        const v = this.memo.get(body);
        if (v === undefined) return false;
        this.events++;
        this.traced++;
        if (v === SKIP) return true;
        const b = this.buildingFor(pid, file);
        if (v <= PLACEHOLDER_BASE) b.hasPlaceholders = true;
        b.ids.push(v);
        b.lines.push(line);
        return true;
      },
    };
  }

  readonly push = (event: StraceEvent, body?: string): void => {
    this.events++;
    if (event.kind === 'notice') return;
    this.traced++;
    const b = this.buildingFor(event.pid, event.file);
    const task = b.task;
    if (event.kind === 'syscall' && FORK_LIKE.has(event.name) && event.ret !== null) {
      const m = /^(\d+)/.exec(event.ret);
      if (m !== null && m[1] !== '0') {
        this.table.noteChild(task, Number(m[1]));
        this.lastPid = undefined;
      }
    } else if (event.kind === 'exit') {
      this.table.exited(task);
    }
    const line = this.normalizer.canonical(event, this.namer);
    const remember = body !== undefined && this.memo.size < MEMO_LIMIT;
    if (line === null) {
      if (remember) this.memo.set(body, SKIP);
      return;
    }
    if (hasPidPlaceholder(line)) {
      let k = this.placeholderIds.get(line);
      if (k === undefined) {
        k = this.placeholders.length;
        this.placeholders.push(line);
        this.placeholderIds.set(line, k);
      }
      b.ids.push(PLACEHOLDER_BASE - k);
      b.hasPlaceholders = true;
      // A pid named by number resolves the same way wherever it appears; one named as the
      // task that had it at the time may not (pids are reused), so that is not remembered.
      if (remember && !line.includes(PID_KNOWN)) this.memo.set(body, PLACEHOLDER_BASE - k);
    } else {
      const id = this.interner.intern(line);
      b.ids.push(id);
      if (remember) this.memo.set(body, id);
    }
    b.lines.push(event.line);
  };

  readonly bindAnonymous = (pid: number): void => {
    this.table.bindAnonymous(pid);
    this.lastPid = undefined;
  };

  /** Completes the tree and resolves pids; returns the tasks that kept any event, by path. */
  finish(): LoadedTask[] {
    const ordered = this.table.assignPaths();
    const pathOf = (id: number): string => this.table.tasks[id]?.path ?? '?';
    const idOfPid = (pid: number): number | undefined => this.table.lookup(pid)?.id;
    const out: LoadedTask[] = [];
    const resolved = this.placeholders.map((line) => this.interner.intern(resolvePids(line, pathOf, idOfPid)));
    for (const task of ordered) {
      const b = this.building[task.id];
      if (b === undefined || b.ids.length === 0) continue;
      if (b.hasPlaceholders) {
        const ids = b.ids;
        for (let i = 0; i < ids.length; i++) {
          const v = ids[i]!;
          if (v <= PLACEHOLDER_BASE) ids[i] = resolved[PLACEHOLDER_BASE - v]!;
        }
        b.hasPlaceholders = false;
      }
      out.push({ id: task.id, path: task.path, pid: task.pid, ids: b.ids, lines: b.lines, file: b.file });
    }
    return out;
  }
}

/**
 * What a command-line name stands for: a log file, or (when no such file exists) the -ff set
 * NAME.PID… written by `strace -ff -o NAME`, as strace-log-merge takes it.
 */
export async function resolveSource(label: string): Promise<LogSource> {
  let st;
  try {
    st = await stat(label);
  } catch {
    st = undefined;
  }
  if (st !== undefined) {
    if (st.isDirectory()) throw new InputError(`${label}: is a directory, not a log`);
    if (!st.isFile()) throw new InputError(`${label}: not a regular file`);
    return { label, kind: 'log', files: [{ path: label }] };
  }
  const dir = dirname(label);
  const prefix = `${basename(label)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new InputError(`${label}: no such file`);
  }
  const files = names
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .map((n) => ({ path: join(dir, n), pid: Number(n.slice(prefix.length)) }))
    .sort((x, y) => x.pid - y.pid);
  if (files.length === 0) throw new InputError(`${label}: no such file (nor a -ff set ${label}.PID)`);
  return { label, kind: 'ff', files };
}

export interface LoadProgress {
  (bytesRead: number, bytesTotal: number): void;
}

const CHUNK = 1 << 22;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Per-task sequences from events of any origin: the way another input kind (a recording read
 * from SQLite, the tracer's own events) joins the comparison, through the same event model.
 */
export async function loadEvents(
  source: LogSource, events: Iterable<StraceEvent> | AsyncIterable<StraceEvent>, normalizer: Normalizer, interner: Interner,
): Promise<LoadedLog> {
  const builder = new LogBuilder(normalizer, interner);
  for await (const e of events) builder.push(e);
  return { source, tasks: builder.finish(), lines: 0, events: builder.events, warnings: [] };
}

/** Reads and parses a log (or -ff set) into per-task sequences. Throws InputError on bad input. */
export async function loadLog(source: LogSource, normalizer: Normalizer, interner: Interner, progress?: LoadProgress): Promise<LoadedLog> {
  const builder = new LogBuilder(normalizer, interner);
  const warnings: string[] = [];
  let lines = 0;
  let opaque = 0;
  let summaries = 0;
  let firstSummary = '';
  let total = 0;
  const sizes: number[] = [];
  for (const f of source.files) {
    const st = await stat(f.path);
    sizes.push(st.size);
    total += st.size;
  }
  if (total === 0) throw new InputError(`${source.label}: empty log`);
  let done = 0;
  for (let fi = 0; fi < source.files.length; fi++) {
    const f = source.files[fi]!;
    const parser = new StraceParser({
      file: fi,
      ...(f.pid !== undefined ? { pid: f.pid } : {}),
      onEvent: builder.push,
      onBindAnonymous: builder.bindAnonymous,
      memo: builder.memoFor(fi),
    });
    const result = await readLines(f.path, (text, lineNo) => parser.line(text, lineNo), (n) => {
      progress?.(done + n, total);
    });
    done += sizes[fi]!;
    lines += result.lines;
    const end = parser.end(result.partial ?? undefined);
    if (result.partial !== null) {
      const where = `${f.path}:${result.partial.line}`;
      if (!end.acceptedPartial) {
        throw new InputError(`${where}: truncated mid-line ("${clip(result.partial.text)}" is not the start of a strace line)`);
      }
      warnings.push(`${where}: last line is cut short (a killed run?); taken as an unfinished call`);
    }
    opaque += parser.opaqueLines;
    if (parser.summaryTables > 0 && summaries === 0) firstSummary = f.path;
    summaries += parser.summaryTables;
  }
  const events = builder.events;
  if (events === 0) throw new InputError(`${source.label}: no strace lines in it`);
  if (builder.traced === 0) {
    throw new InputError(`${source.label}: no syscall lines in it${summaries > 0 ? ' (only a -c summary table: trace with -C, or without -c)' : ''}`);
  }
  if (opaque === events) throw new InputError(`${source.label}: not a strace log (none of its ${lines} lines is one strace prints)`);
  if (summaries > 0) warnings.push(`${firstSummary}: skipped ${summaries === 1 ? 'a -c summary table' : `${summaries} -c summary tables`}`);
  if (opaque > 0) warnings.push(`${source.label}: ${opaque} line${opaque === 1 ? '' : 's'} not understood, compared as they are`);
  return { source, tasks: builder.finish(), lines, events, warnings };
}

function clip(s: string): string {
  const t = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return t.replace(/[\u0000-\u001f]/g, '?');
}

interface ReadResult {
  lines: number;
  /** A last line without its newline. */
  partial: { text: string; line: number } | null;
}

/** Calls `onLine` for each line of a file, reading it in chunks. Rejects binary files. */
async function readLines(path: string, onLine: (text: string, lineNo: number) => void, onBytes: (n: number) => void): Promise<ReadResult> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new InputError(`${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let have = 0;
    let offset = 0;
    let lineNo = 0;
    for (;;) {
      if (have === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, have, buf.length - have, offset);
      if (bytesRead === 0) break;
      if (offset === 0 && buf.subarray(0, 16).equals(SQLITE_MAGIC)) {
        throw new InputError(`${path}: a SQLite database (a tstrace recording?), not a strace-format log; diff does not read recordings yet`);
      }
      const nul = buf.indexOf(0, have);
      if (nul >= 0 && nul < have + bytesRead) {
        throw new InputError(`${path}: binary data (a NUL byte at offset ${offset + nul - have}), not a strace log`);
      }
      offset += bytesRead;
      const end = have + bytesRead;
      let start = 0;
      let nl = buf.indexOf(10, have);
      while (nl >= 0 && nl < end) {
        lineNo++;
        onLine(buf.toString('utf8', start, nl), lineNo);
        start = nl + 1;
        nl = buf.indexOf(10, start);
      }
      // Keep the unfinished tail for the next read.
      buf.copy(buf, 0, start, end);
      have = end - start;
      onBytes(offset);
    }
    if (have > 0) return { lines: lineNo + 1, partial: { text: buf.toString('utf8', 0, have), line: lineNo + 1 } };
    return { lines: lineNo, partial: null };
  } finally {
    await fh.close();
  }
}
