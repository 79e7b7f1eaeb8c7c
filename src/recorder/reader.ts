// Opens a recording for reading, read-only (a reading command never writes into it), checks
// that it is one (format, schema version, a sound file), and reads its rows through zod.
import { createRequire } from 'node:module';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import {
  RECORDING_FORMAT, SCHEMA_VERSION, RunRowSchema, TaskRowSchema, MemoryWriteRowSchema,
  ImageRowSchema, BlobRowSchema, ScheduleRowSchema, InsnValueRowSchema, OutsideSignalRowSchema, TimerSignalRowSchema, type OutsideSignalRow, type TimerSignalRow, type RunRow, type StopRow, type TaskRow, type MemoryWriteRow,
  type ImageRow, type ScheduleRow, type InsnValueRow,
} from '../../schemas/recording.js';

import { BadRow, CHUNK, StopReader, type EntryStop } from './stop-reader.js';
import { prefetchedChunks, type ChunkSource } from './chunk-prefetch.js';

const require = createRequire(import.meta.url);

export type RecordingErrorKind = 'not-recording' | 'corrupt' | 'newer' | 'older' | 'incomplete';

export class RecordingError extends Error {
  constructor(readonly kind: RecordingErrorKind, message: string) {
    super(message);
    this.name = 'RecordingError';
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';
const NO_WRITES: readonly MemoryWriteRow[] = Object.freeze([]);

/** Turns SQLite's own errors while reading into RecordingErrors. */
export function asRecordingError(path: string, e: unknown): unknown {
  if (e instanceof RecordingError) return e;
  const code = (e as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB') return new RecordingError('not-recording', `${path}: not a recording (not an SQLite database)`);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ' || code.startsWith('SQLITE_IOERR')) {
    return new RecordingError('corrupt', `${path}: recording is corrupt or truncated (${(e as Error).message})`);
  }
  return e;
}

/** A recording's stops by sequence number, with each call's exit stop and memory writes. */
export interface StopCursor {
  readonly length: number;
  at(seq: number): StopRow | undefined;
  exitOf(entrySeq: number): StopRow | undefined;
  writesOf(seq: number): readonly MemoryWriteRow[];
}

export class RecordingReader {
  readonly db: BetterSqlite3.Database;
  readonly run: RunRow;
  private stopsOf: StopReader | undefined;
  private readonly closers: (() => void)[] = [];

  constructor(readonly path: string) {
    checkFile(path);
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    try {
      this.db = new Database(path, { readonly: true, fileMustExist: true });
      this.db.pragma('query_only = ON');
      this.db.pragma('cache_size = -65536');
      const tables = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").all();
      if (tables.length === 0) throw new RecordingError('not-recording', `${path}: not a recording (no tstrace meta table)`);
      const meta = new Map((this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
      if (meta.get('format') !== RECORDING_FORMAT) throw new RecordingError('not-recording', `${path}: not a recording (format is not ${RECORDING_FORMAT})`);
      const version = Number(meta.get('schema_version'));
      if (!Number.isInteger(version)) throw new RecordingError('corrupt', `${path}: recording has no valid schema_version`);
      if (version > SCHEMA_VERSION) {
        throw new RecordingError('newer', `${path}: recording has schema version ${version}; this tstrace reads up to ${SCHEMA_VERSION} (upgrade tstrace)`);
      }
      if (version < SCHEMA_VERSION) {
        throw new RecordingError('older', `${path}: recorded by an older tstrace (schema version ${version}); this tstrace reads version ${SCHEMA_VERSION} (record the run again, or read it with the tstrace that recorded it)`);
      }
      const row = this.db.prepare('SELECT * FROM run WHERE id = 1').get();
      if (row === undefined) throw new RecordingError('corrupt', `${path}: recording has no run row`);
      const parsed = RunRowSchema.safeParse(row);
      if (!parsed.success) throw new RecordingError('corrupt', `${path}: recording's run row is malformed`);
      this.run = parsed.data;
      // Touch every page of the stops tables once: a truncated file fails here, not half-way.
      this.db.prepare('SELECT (SELECT count(*) FROM calls), (SELECT count(*) FROM other_stops)').get();
    } catch (e) {
      throw asRecordingError(path, e);
    }
  }

  /** Where an incomplete recording ends (its last stop), or undefined when complete. */
  incompleteAt(): number | undefined {
    if (this.run.complete) return undefined;
    const r = this.db.prepare('SELECT max((SELECT max(seq + coalesce(exit, 0)) FROM calls), (SELECT max(seq) FROM other_stops)) AS m').get() as { m: number | null };
    return r.m ?? -1;
  }

  requireComplete(): void {
    const at = this.incompleteAt();
    if (at !== undefined) throw new RecordingError('incomplete', `${this.path}: recording is incomplete (tstrace stopped at stop ${at}; no end recorded)`);
  }

  private stopReader(): StopReader {
    return (this.stopsOf ??= new StopReader(this.db));
  }

  /** The number of stops recorded (entries, exits and other stops). */
  stopCount(): number {
    const r = this.db.prepare('SELECT (SELECT count(*) + count(exit) FROM calls) + (SELECT count(*) FROM other_stops) AS n').get() as { n: number };
    return r.n;
  }

  /** Iterates stops in order without holding them all. */
  *iterateStops(): Generator<StopRow> {
    const reader = this.stopReader();
    try {
      yield* reader.iterate(0, CHUNK, this.prefetch(reader));
    } catch (e) {
      throw this.rowError(e);
    }
  }

  /** The calls' chunks in order from the start, read ahead on a worker thread when there are many. */
  private prefetch(reader: StopReader): ChunkSource {
    const last = (this.db.prepare('SELECT max(seq) FROM calls').pluck().get() as number | null) ?? 0;
    if (last < 4 * CHUNK) return reader.chunk;
    const p = prefetchedChunks(this.path, 0, CHUNK, last, reader.chunk);
    this.closers.push(p.close);
    return p.source;
  }

  /** The stops that are not syscalls: signals, events, exits. */
  *otherStops(): Generator<StopRow> {
    try {
      yield* this.stopReader().others();
    } catch (e) {
      throw this.rowError(e);
    }
  }

  private rowError(e: unknown): unknown {
    if (e instanceof BadRow) return new RecordingError('corrupt', `${this.path}: recording is corrupt (${e.message})`);
    return asRecordingError(this.path, e);
  }

  /** Stops in order, read in chunks as they are asked for (replay walks a recording once). */
  cursor(): StopCursor {
    const reader = this.stopReader();
    const writes = this.db.prepare('SELECT seq, addr, data FROM memory_writes WHERE seq = ? ORDER BY rowid').safeIntegers(true);
    const withWrites = new Set((this.db.prepare('SELECT DISTINCT seq FROM memory_writes').pluck().all() as number[]));
    const rowError = (e: unknown): unknown => this.rowError(e);
    const count = (): number => this.stopCount();
    // The window of stops being walked and the one before it (a parked call's entry, whose exit
    // is looked up, is at most a window back in practice; further back reads the table).
    let windows = reader.windows(0, CHUNK, this.prefetch(reader));
    let lo = 0;
    let rows: readonly (StopRow | undefined)[] = [];
    let before: readonly (StopRow | undefined)[] = [];
    /** The walk reached the end: the number of stops, known without a scan of the tables. */
    let end = -1;
    const next = (): boolean => {
      const n = windows.next();
      if (n.done === true) return false;
      lo += rows.length;
      before = rows;
      rows = n.value;
      const hole = rows.findIndex((s) => s === undefined);
      if (hole >= 0) end = lo + hole;
      return true;
    };
    const held = (i: number): StopRow | undefined => (i >= lo ? rows[i - lo] : before[i - lo + before.length]);
    return {
      get length(): number {
        return end >= 0 ? end : count();
      },
      at(i: number): StopRow | undefined {
        if (i < 0) return undefined;
        try {
          if (i < lo - before.length) {
            // Backwards (never in a replay's walk): start again from there.
            windows = reader.windows(i);
            lo = i;
            rows = before = [];
            end = -1;
          }
          while (i >= lo + rows.length) {
            if (end >= 0 || !next()) return undefined;
          }
          return held(i);
        } catch (e) {
          throw rowError(e);
        }
      },
      exitOf(entrySeq: number): StopRow | undefined {
        const entry = entrySeq >= lo - before.length ? held(entrySeq) : undefined;
        if (entry?.seq === entrySeq && entry.kind === 'syscall-entry') return (entry as EntryStop).exitStop;
        try {
          return reader.callOf(entrySeq)?.[1];
        } catch (err) {
          throw rowError(err);
        }
      },
      writesOf(seq: number): readonly MemoryWriteRow[] {
        if (!withWrites.has(seq)) return NO_WRITES;
        return writes.all(seq).map((r) => MemoryWriteRowSchema.parse(numbersOf(r as Record<string, unknown>, ['seq'])));
      },
    };
  }

  tasks(): TaskRow[] {
    return this.db.prepare('SELECT tid, pid, parent, start_seq, end_seq, ended_how, exit_code, exit_signal FROM task_rows ORDER BY tid').all().map((r) => TaskRowSchema.parse(r));
  }

  memoryWrites(): Map<number, MemoryWriteRow[]> {
    const out = new Map<number, MemoryWriteRow[]>();
    const st = this.db.prepare('SELECT seq, addr, data FROM memory_writes ORDER BY rowid').safeIntegers(true);
    for (const r of st.iterate()) {
      const row = MemoryWriteRowSchema.parse(numbersOf(r as Record<string, unknown>, ['seq']));
      let list = out.get(row.seq);
      if (list === undefined) out.set(row.seq, (list = []));
      list.push(row);
    }
    return out;
  }

  images(): ImageRow[] {
    return this.db.prepare('SELECT * FROM images ORDER BY seq').safeIntegers(true).all()
      .map((r) => ImageRowSchema.parse(numbersOf(r as Record<string, unknown>, ['seq', 'tid'])));
  }

  blob(sha256: string): Uint8Array {
    const r = this.db.prepare('SELECT * FROM blobs WHERE sha256 = ?').get(sha256);
    if (r === undefined) throw new RecordingError('corrupt', `${this.path}: blob ${sha256} is missing`);
    return BlobRowSchema.parse(r).data;
  }

  schedule(): ScheduleRow[] {
    return this.db.prepare('SELECT * FROM schedule ORDER BY rowid').safeIntegers(true).all()
      .map((r) => ScheduleRowSchema.parse(numbersOf(r as Record<string, unknown>, ['after_seq', 'tid'])));
  }

  /** Per task, its time-reading instructions' values in order, read in chunks as they are asked for. */
  insnValues(chunk = 4096): (tid: number, ordinal: number) => InsnValueRow | undefined {
    const st = this.db.prepare('SELECT * FROM insn_values WHERE tid = ? AND ordinal >= ? ORDER BY ordinal LIMIT ?').safeIntegers(true);
    const held = new Map<number, { base: number; rows: InsnValueRow[] }>();
    return (tid, ordinal) => {
      let h = held.get(tid);
      if (h === undefined || ordinal < h.base || ordinal >= h.base + h.rows.length) {
        h = { base: ordinal, rows: st.all(tid, ordinal, chunk).map((r) => InsnValueRowSchema.parse(numbersOf(r as Record<string, unknown>, ['tid', 'ordinal', 'after_seq']))) };
        held.set(tid, h);
      }
      return h.rows[ordinal - h.base];
    };
  }

  /** The signals from outside, in the order they came. */
  outsideSignals(): OutsideSignalRow[] {
    return this.db.prepare('SELECT * FROM outside_signals ORDER BY ordinal').safeIntegers(true).all()
      .map((r) => OutsideSignalRowSchema.parse(numbersOf(r as Record<string, unknown>, ['ordinal', 'seq', 'tid', 'signo', 'pid', 'sender_pid', 'sender_uid', 'delivered'])));
  }

  /**
   * Where each outside signal was delivered, by ordinal: the task that took it and that task's
   * count of guest code there (a signal delivery stop, in other_stops).
   */
  outsideDeliveries(): Map<number, { tid: number; blocks: bigint }> {
    const rows = this.db.prepare('SELECT o.ordinal AS ordinal, s.tid AS tid, s.blocks AS blocks FROM outside_signals o JOIN other_stops s ON s.seq = o.delivered WHERE s.blocks IS NOT NULL')
      .safeIntegers(true).all() as { ordinal: bigint; tid: bigint; blocks: bigint }[];
    return new Map(rows.map((r) => [Number(r.ordinal), { tid: Number(r.tid), blocks: r.blocks }]));
  }

  /** The writes that went to tstrace's own output: their exit stop's seq, and the stream (1, 2). */
  echoes(): Map<number, 1 | 2> {
    const rows = this.db.prepare('SELECT seq, stream FROM echoes').all() as { seq: number; stream: number }[];
    return new Map(rows.map((r) => {
      if (!Number.isInteger(r.seq) || (r.stream !== 1 && r.stream !== 2)) throw new RecordingError('corrupt', `${this.path}: bad echoes row`);
      return [r.seq, r.stream];
    }));
  }

  /** Timers' signals that came to a task out of any call, in order. */
  timerSignals(): TimerSignalRow[] {
    return this.db.prepare('SELECT * FROM timer_signals ORDER BY rowid').safeIntegers(true).all()
      .map((r) => TimerSignalRowSchema.parse(numbersOf(r as Record<string, unknown>, ['seq', 'tid', 'target'])));
  }

  /** Per task, how many time-reading instructions the recording holds values for. */
  insnCounts(): [number, number][] {
    return (this.db.prepare('SELECT tid, count(*) AS n FROM insn_values GROUP BY tid ORDER BY tid').all() as { tid: number; n: number }[]).map((r) => [r.tid, r.n]);
  }

  close(): void {
    for (const c of this.closers) c();
    this.db.close();
  }
}

/** safeIntegers gives every integer as bigint: these columns are small, as numbers. */
function numbersOf(row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  for (const k of keys) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
  return row;
}

/** Before SQLite sees the file: it exists, is SQLite, and is not shorter than its header says. */
function checkFile(path: string): void {
  if (!existsSync(path)) throw new RecordingError('not-recording', `${path}: no such file`);
  const st = statSync(path);
  if (st.isDirectory()) throw new RecordingError('not-recording', `${path}: is a directory`);
  const head = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (n === 0) throw new RecordingError('not-recording', `${path}: not a recording (empty file)`);
  if (n < 100 || head.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    if (n >= 16 && head.toString('latin1', 0, 16) === SQLITE_MAGIC) throw new RecordingError('corrupt', `${path}: recording is truncated (shorter than its header)`);
    throw new RecordingError('not-recording', `${path}: not a recording (not an SQLite database)`);
  }
  const pageSize = head.readUInt16BE(16) === 1 ? 65536 : head.readUInt16BE(16);
  const pages = head.readUInt32BE(28);
  // The header's page count is valid when its change counter matches (SQLite 3.7+ writes both).
  const valid = head.readUInt32BE(24) === head.readUInt32BE(92);
  if (valid && pages > 0 && st.size < pages * pageSize && !existsSync(`${path}-wal`)) {
    throw new RecordingError('corrupt', `${path}: recording is truncated (${st.size} bytes, its header says ${pages * pageSize})`);
  }
}
