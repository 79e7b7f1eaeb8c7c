// The commands that read a recording: show (strace text again), stats (strace -c), query
// (filters or read-only SQL), export (Perfetto), and replay. Each opens the file read-only;
// bad input is one line and its own exit code.
import { openSync, writeSync, closeSync } from 'node:fs';
import { parseTraceArgs, UsageError, type TraceOptions } from '../tracer/options.js';
import { RecordingReader, RecordingError, asRecordingError, type RecordingErrorKind } from '../recorder/reader.js';
import { StopRenderer } from '../recorder/render.js';
import { syscallsInClass, parseTraceClass } from '../tracer/trace-classes.js';
import { errnoName } from '../abi/errno.js';
import { QueryRecordSchema, type QueryRecord } from '../../schemas/recording.js';
import { EXIT } from './exit-codes.js';

export const RECORDING_EXIT: Readonly<Record<RecordingErrorKind, number>> = {
  'not-recording': EXIT.notRecording,
  'corrupt': EXIT.corruptRecording,
  'newer': EXIT.newerRecording,
  'older': EXIT.olderRecording,
  'incomplete': EXIT.incompleteRecording,
};

function fail(message: string, code: number): number {
  process.stderr.write(`tstrace: ${message}\n`);
  return code;
}

/** Buffered writes to stdout or a file. */
class Sink {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw e;
      }
    }
    this.parts = [];
    this.size = 0;
  }
}

/** `CMD RUN.db [strace options]`: the recording and the options (the recording stands in for PROG). */
function splitRecordingArgs(argv: readonly string[], extra: ReadonlySet<string>, extraWithValue: ReadonlySet<string>): { db: string; options: TraceOptions; extra: Map<string, string> } {
  let db: string | undefined;
  const rest: string[] = [];
  const found = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [name, inline] = a.startsWith('--') ? (a.split('=', 2) as [string, string | undefined]) : [a, undefined];
    if (extraWithValue.has(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`option '${name}' requires an argument`);
      found.set(name, v);
    } else if (extra.has(a)) {
      found.set(a, '');
    } else if (db === undefined && !a.startsWith('-')) {
      db = a;
    } else {
      rest.push(a);
      if (/^-[oseXaEPSObIup]$/.test(a) && i + 1 < argv.length) rest.push(argv[++i]!);
    }
  }
  if (db === undefined) throw new UsageError('missing the recording (RUN.db)');
  return { db, options: parseTraceArgs([...rest, db]), extra: found };
}

export async function runRecordingCommand(command: string, argv: readonly string[]): Promise<number> {
  try {
    switch (command) {
      case 'show': return show(argv, false);
      case 'stats': return show(argv, true);
      case 'query': return query(argv);
      case 'export': return exportPerfetto(argv);
      case 'replay': {
        const { runReplay } = await import('../replay/replay-command.js');
        return await runReplay(argv);
      }
      default: return fail(`unknown command '${command}'`, EXIT.usage);
    }
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} (see 'tstrace -h')`, EXIT.usage);
    const r = asRecordingError(argv.find((a) => !a.startsWith('-')) ?? '', e);
    if (r instanceof RecordingError) return fail(r.message, RECORDING_EXIT[r.kind]);
    throw e;
  }
}

const REQUIRE_COMPLETE = '--require-complete';

/** Opens the recording; says so on stderr when it was cut short. */
export function openForReading(db: string, requireComplete: boolean): RecordingReader {
  const reader = new RecordingReader(db);
  if (requireComplete) reader.requireComplete();
  const at = reader.incompleteAt();
  if (at !== undefined) process.stderr.write(`tstrace: ${db}: recording is incomplete; it ends at stop ${at}\n`);
  return reader;
}

function outputFd(options: TraceOptions): { fd: number; close: () => void } {
  if (options.output === undefined) return { fd: 1, close: () => {} };
  let fd: number;
  try {
    fd = openSync(options.output, 'w');
  } catch (e) {
    throw new UsageError(`can't open '${options.output}': ${(e as Error).message}`);
  }
  return { fd, close: () => closeSync(fd) };
}

function show(argv: readonly string[], statsOnly: boolean): number {
  const { db, options, extra } = splitRecordingArgs(argv, new Set([REQUIRE_COMPLETE]), new Set());
  if (statsOnly) options.summary = 'only';
  const reader = openForReading(db, extra.has(REQUIRE_COMPLETE));
  const out = outputFd(options);
  const sink = new Sink(out.fd);
  try {
    const renderer = new StopRenderer(options, reader, (l) => sink.line(l));
    for (const s of reader.iterateStops()) renderer.stop(s);
    if (renderer.summary !== undefined) sink.line(renderer.summary.render().trimEnd());
  } finally {
    sink.flush();
    out.close();
    reader.close();
  }
  return 0;
}

const QUERY_FLAGS = new Set(['--failed', '--json', '--table', REQUIRE_COMPLETE]);
const QUERY_VALUES = new Set(['--syscall', '--task', '--path', '--class', '--seq', '--time', '--sql']);

/** `A..B`, `A..`, `..B` or `A` as an inclusive range. */
function parseRange(flag: string, text: string, parse: (s: string) => number): [number, number] {
  const m = /^([^.]*)(\.\.)?([^.]*)$/.exec(text);
  const bad = (): never => {
    throw new UsageError(`invalid ${flag} range '${text}' (A..B)`);
  };
  if (m === null) return bad();
  const lo = m[1] === '' ? -Infinity : parse(m[1]!);
  const hi = m[2] === undefined ? lo : m[3] === '' ? Infinity : parse(m[3]!);
  if (Number.isNaN(lo) || Number.isNaN(hi) || (m[1] === '' && m[3] === '')) return bad();
  return [lo, hi];
}

function query(argv: readonly string[]): number {
  const { db, options, extra } = splitRecordingArgs(argv, QUERY_FLAGS, QUERY_VALUES);
  const reader = openForReading(db, extra.has(REQUIRE_COMPLETE));
  const out = outputFd(options);
  const sink = new Sink(out.fd);
  try {
    const sql = extra.get('--sql');
    if (sql !== undefined) return runSql(reader, sql, extra.has('--json'), sink);
    const where: string[] = [];
    const params: unknown[] = [];
    const names = extra.get('--syscall');
    if (names !== undefined) {
      const list = names.split(',').filter((n) => n !== '');
      where.push(`name IN (${list.map(() => '?').join(',')})`);
      params.push(...list);
    }
    const cls = extra.get('--class');
    if (cls !== undefined) {
      const c = parseTraceClass(cls.startsWith('%') ? cls : `%${cls}`);
      if (c === undefined) throw new UsageError(`unknown syscall class '${cls}'`);
      const list = syscallsInClass(c);
      where.push(`name IN (${list.map(() => '?').join(',') || "''"})`);
      params.push(...list);
    }
    const task = extra.get('--task');
    if (task !== undefined) {
      if (!/^\d+$/.test(task)) throw new UsageError(`invalid --task '${task}'`);
      where.push('tid = ?');
      params.push(Number(task));
    }
    if (extra.has('--failed')) where.push('failed');
    const path = extra.get('--path');
    if (path !== undefined) {
      where.push(/[*?[]/.test(path) ? 'seq IN (SELECT seq FROM paths WHERE path GLOB ?)' : 'seq IN (SELECT seq FROM paths WHERE path = ?)');
      params.push(path);
    }
    const seq = extra.get('--seq');
    if (seq !== undefined) {
      const [lo, hi] = parseRange('--seq', seq, (s) => (/^\d+$/.test(s) ? Number(s) : NaN));
      if (lo !== -Infinity) { where.push('seq >= ?'); params.push(lo); }
      if (hi !== Infinity) { where.push('seq <= ?'); params.push(hi); }
    }
    const time = extra.get('--time');
    if (time !== undefined) {
      const [lo, hi] = parseRange('--time', time, (s) => (/^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN));
      if (lo !== -Infinity) { where.push('entry_ns >= ?'); params.push(BigInt(Math.round(lo * 1e9))); }
      if (hi !== Infinity) { where.push('entry_ns <= ?'); params.push(BigInt(Math.round(hi * 1e9))); }
    }
    const st = reader.db.prepare(`SELECT * FROM syscalls ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq`).safeIntegers(true);
    const json = extra.has('--json');
    const table = extra.has('--table');
    if (table) sink.line(['seq', 'tid', 'syscall', 'result', 'errno', 'duration_us'].join('\t'));
    for (const raw of st.iterate(...params)) {
      const r = raw as Record<string, bigint | string | null>;
      const rec = toQueryRecord(r);
      if (json) sink.line(JSON.stringify(QueryRecordSchema.parse(rec)));
      else if (table) sink.line([rec.seq, rec.tid, rec.name, rec.result ?? '?', rec.errno ?? '', rec.duration_ns === null ? '' : String(BigInt(rec.duration_ns) / 1000n)].join('\t'));
      else sink.line(rec.line ?? `${rec.name}(...) = ?`);
    }
  } finally {
    sink.flush();
    out.close();
    reader.close();
  }
  return 0;
}

function toQueryRecord(r: Record<string, bigint | string | null>): QueryRecord {
  const num = (v: bigint | string | null): number => Number(v);
  const result = r['result'] as bigint | null;
  const errno = r['errno'] as bigint | null;
  const failed = r['failed'] === 1n;
  return {
    seq: num(r['seq']!),
    tid: num(r['tid']!),
    kind: 'syscall-entry',
    name: r['name'] as string | null,
    nr: r['nr'] === null ? null : num(r['nr']!),
    args: typeof r['args'] === 'string' ? r['args'].split(',').map((a) => `0x${a}`) : null,
    result: result === null ? null : result.toString(),
    errno: errno === null ? null : (errnoName(Number(errno)) ?? String(errno)),
    failed,
    line: r['line'] as string | null,
    wall_ns: String(r['entry_ns']),
    duration_ns: r['duration_ns'] === null ? null : String(r['duration_ns']),
  };
}

function runSql(reader: RecordingReader, sql: string, json: boolean, sink: Sink): number {
  let st;
  try {
    st = reader.db.prepare(sql);
  } catch (e) {
    throw new UsageError(`bad --sql: ${(e as Error).message}`);
  }
  if (!st.reader) throw new UsageError('--sql runs queries only (SELECT ...)');
  st.safeIntegers(true);
  const show = (v: unknown): string => (v === null ? 'NULL' : v instanceof Uint8Array ? `x'${Buffer.from(v).toString('hex')}'` : String(v));
  let header = false;
  try {
    for (const row of st.iterate() as Iterable<Record<string, unknown>>) {
      if (json) {
        sink.line(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v instanceof Uint8Array || (v as { type?: string })?.type === 'Buffer' ? Buffer.from(v as Uint8Array).toString('hex') : v)));
        continue;
      }
      if (!header) {
        sink.line(Object.keys(row).join('\t'));
        header = true;
      }
      sink.line(Object.values(row).map(show).join('\t'));
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_READONLY' || /readonly|query_only/i.test((e as Error).message)) throw new UsageError('--sql is read-only');
    throw e;
  }
  return 0;
}

function exportPerfetto(argv: readonly string[]): number {
  const perfetto = argv.includes('--perfetto');
  const rest = argv.filter((a) => a !== '--perfetto');
  if (!perfetto) throw new UsageError("export needs a format: --perfetto");
  const { db, options, extra } = splitRecordingArgs(rest, new Set([REQUIRE_COMPLETE]), new Set());
  const reader = openForReading(db, extra.has(REQUIRE_COMPLETE));
  const out = outputFd(options);
  const sink = new Sink(out.fd);
  try {
    const tasks = reader.tasks();
    const pidOf = new Map(tasks.map((t) => [t.tid, t.pid]));
    const events: object[] = [];
    const program = reader.run.argv[0] ?? reader.run.program;
    for (const pid of new Set(tasks.map((t) => t.pid))) events.push({ name: 'process_name', ph: 'M', pid, tid: pid, args: { name: `${program} (${pid})` } });
    for (const t of tasks) events.push({ name: 'thread_name', ph: 'M', pid: t.pid, tid: t.tid, args: { name: `task ${t.tid}` } });
    const us = (ns: bigint): number => Number(ns / 1000n) + Number(ns % 1000n) / 1000;
    const st = reader.db.prepare('SELECT seq, tid, name, result, line, entry_ns, exit_ns FROM syscalls ORDER BY seq').safeIntegers(true);
    for (const raw of st.iterate()) {
      const r = raw as { seq: bigint; tid: bigint; name: string; result: bigint | null; line: string | null; entry_ns: bigint; exit_ns: bigint | null };
      const tid = Number(r.tid);
      const pid = pidOf.get(tid) ?? tid;
      const args = { seq: Number(r.seq), line: r.line, result: r.result === null ? null : r.result.toString() };
      if (r.exit_ns === null) events.push({ name: r.name, cat: 'syscall', ph: 'B', ts: us(r.entry_ns), pid, tid, args });
      else events.push({ name: r.name, cat: 'syscall', ph: 'X', ts: us(r.entry_ns), dur: us(r.exit_ns - r.entry_ns), pid, tid, args });
    }
    for (const s of reader.otherStops()) {
      if (s.kind === 'syscall-exit') continue;
      events.push({ name: s.kind === 'exit' ? 'exit' : s.name ?? s.kind, cat: s.kind, ph: 'i', s: 't', ts: us(s.wall_ns), pid: pidOf.get(s.tid) ?? s.tid, tid: s.tid, args: { seq: s.seq, line: s.line } });
    }
    sink.line(JSON.stringify({ traceEvents: events, displayTimeUnit: 'ns', otherData: { program, arch: reader.run.arch, complete: reader.run.complete } }));
  } finally {
    sink.flush();
    out.close();
    reader.close();
  }
  return 0;
}
