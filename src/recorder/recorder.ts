// Writes a run into a recording (schemas/recording-v3.sql): the run, its tasks, every stop
// with its strace line (interned), the kernel's writes into guest memory per syscall, the
// scheduler's switches, the values of time-reading instructions, the paths calls named and
// the executed binaries as blobs.
//
// Rows are written in transactions: at the latest every COMMIT_STOPS stops or COMMIT_MS
// milliseconds (checked at each stop), and before a call that may wait, so that a tstrace
// killed at any point leaves every stop up to its last commit (WAL keeps the file sound).
// `complete` is set only by `finish`: a recording without it was cut short.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { recordingSchemaSql } from './schema-file.js';
import { RECORDING_FORMAT, SCHEMA_VERSION, type InsnKind, type StopKind } from '../../schemas/recording.js';

const require = createRequire(import.meta.url);

const COMMIT_STOPS = 8192;
const COMMIT_MS = 200;
/** Stops inserted by one statement: a statement's own cost (~2 µs) shared by this many rows. */
const STOP_BATCH = 64;
/** The columns of a stops_raw row, in the order the insert statements bind them. */
const STOP_NAMES = ['seq', 'tid', 'kind', 'nr', 'name', 'args', 'result', 'errno', 'signo', 'line_id', 'wall_ns', 'prev_seq', 'blocks', 'raised'];
const STOP_WIDTH = STOP_NAMES.length;
const STOP_COLUMNS = `(${STOP_NAMES.join(', ')})`;
const STOP_VALUES = `(${Array<string>(STOP_WIDTH).fill('?').join(', ')})`;

export interface RunInfo {
  readonly argv: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  readonly arch: string;
  readonly program: string;
  readonly tstraceVersion: string;
  readonly unicornVersion: string;
  readonly decodeOptions: object;
}

export interface StopRecord {
  readonly tid: number;
  readonly kind: StopKind;
  readonly nr?: number | undefined;
  readonly name?: string | undefined;
  readonly args?: readonly bigint[] | undefined;
  readonly result?: bigint | undefined;
  readonly errno?: number | undefined;
  readonly signo?: number | undefined;
  readonly line?: string | undefined;
  readonly blocks?: bigint | undefined;
  /** What the kernel wrote into the task's memory since its previous stop. */
  readonly writes?: readonly MemoryWrite[] | undefined;
  /** Signals the call raised in its own task, as JSON siginfo. */
  readonly raised?: string | undefined;
}

export interface MemoryWrite {
  readonly addr: bigint;
  readonly data: Uint8Array;
}

export class RecordingWriteError extends Error {}

export class Recorder {
  private readonly db: BetterSqlite3.Database;
  private readonly insertStop: BetterSqlite3.Statement;
  private readonly insertStops: BetterSqlite3.Statement;
  /** Stops not yet inserted (STOP_WIDTH values each): written in batches, always before a commit. */
  private readonly pendingStops: unknown[] = [];
  private readonly insertLine: BetterSqlite3.Statement;
  private readonly insertWrite: BetterSqlite3.Statement;
  private readonly insertSchedule: BetterSqlite3.Statement;
  private readonly insertPath: BetterSqlite3.Statement;
  private readonly insertTask: BetterSqlite3.Statement;
  private readonly endTaskStmt: BetterSqlite3.Statement;
  private readonly insertBlob: BetterSqlite3.Statement;
  private readonly insertImage: BetterSqlite3.Statement;
  private readonly insertInsn: BetterSqlite3.Statement;
  /** Per task, how many time-reading instructions it has run. */
  private readonly insnCount = new Map<number, number>();
  private readonly lineIds = new Map<string, number>();
  private nextLineId = 1;
  private seq = 0;
  private readonly lastSeqOf = new Map<number, number>();
  private readonly started = process.hrtime.bigint();
  private lastCommit = Date.now();
  private uncommitted = 0;
  private inTransaction = false;

  constructor(path: string, run: RunInfo) {
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(recordingSchemaSql());
    } catch (e) {
      throw new RecordingWriteError(`cannot create recording '${path}': ${(e as Error).message}`);
    }
    const db = this.db;
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('format', RECORDING_FORMAT);
    meta.run('schema_version', String(SCHEMA_VERSION));
    db.prepare(`INSERT INTO run (id, argv, env, cwd, arch, program, tstrace_version, unicorn_version, started_at, decode_options)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(JSON.stringify(run.argv), JSON.stringify(run.env), run.cwd, run.arch, run.program, run.tstraceVersion,
        run.unicornVersion, new Date().toISOString(), JSON.stringify(run.decodeOptions));
    this.insertStop = db.prepare(`INSERT INTO stops_raw ${STOP_COLUMNS} VALUES ${STOP_VALUES}`);
    this.insertStops = db.prepare(`INSERT INTO stops_raw ${STOP_COLUMNS} VALUES ${Array<string>(STOP_BATCH).fill(STOP_VALUES).join(', ')}`);
    this.insertLine = db.prepare('INSERT INTO lines (id, text) VALUES (?, ?)');
    this.insertWrite = db.prepare('INSERT INTO memory_writes (seq, addr, data) VALUES (?, ?, ?)');
    this.insertSchedule = db.prepare('INSERT INTO schedule (after_seq, tid, units) VALUES (?, ?, ?)');
    this.insertPath = db.prepare('INSERT INTO paths (seq, tid, path) VALUES (?, ?, ?)');
    this.insertTask = db.prepare('INSERT OR IGNORE INTO task_rows (tid, pid, parent, start_seq) VALUES (?, ?, ?, ?)');
    this.endTaskStmt = db.prepare('UPDATE task_rows SET end_seq = ?, ended_how = ?, exit_code = ?, exit_signal = ? WHERE tid = ?');
    this.insertBlob = db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)');
    this.insertImage = db.prepare('INSERT INTO images (seq, tid, role, path, sha256, addr, at_random) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertInsn = db.prepare('INSERT INTO insn_values (tid, ordinal, after_seq, kind, value, aux) VALUES (?, ?, ?, ?, ?, ?)');
    this.begin();
  }

  /** The sequence number the next stop gets. */
  get nextSeq(): number {
    return this.seq;
  }

  /** The last stop recorded (-1 before the first). */
  get lastSeq(): number {
    return this.seq - 1;
  }

  private begin(): void {
    this.db.exec('BEGIN');
    this.inTransaction = true;
  }

  /** Commits what is written so far and starts the next transaction. */
  commit(): void {
    this.flushStops();
    if (this.inTransaction) this.db.exec('COMMIT');
    this.inTransaction = false;
    this.uncommitted = 0;
    this.lastCommit = Date.now();
    this.begin();
  }

  /** A new task, at its first stop. */
  task(tid: number, pid: number, parent: number | undefined, seq: number): void {
    this.insertTask.run(tid, pid, parent ?? null, seq);
  }

  taskEnded(tid: number, seq: number, status: { how: 'exited' | 'killed'; code?: number; signal?: number }): void {
    this.endTaskStmt.run(seq, status.how, status.code ?? null, status.signal ?? null, tid);
  }

  /** A stop, in order; returns its sequence number. */
  stop(s: StopRecord): number {
    const seq = this.seq++;
    let lineId: number | null = null;
    if (s.line !== undefined) {
      let id = this.lineIds.get(s.line);
      if (id === undefined) {
        id = this.nextLineId++;
        this.lineIds.set(s.line, id);
        this.insertLine.run(id, s.line);
      }
      lineId = id;
    }
    const args = s.args === undefined ? null : s.args.map((a) => BigInt.asUintN(64, a).toString(16)).join(',');
    const prev = this.lastSeqOf.get(s.tid);
    this.lastSeqOf.set(s.tid, seq);
    const pending = this.pendingStops;
    pending.push(seq, s.tid, s.kind, s.nr ?? null, s.name ?? null, args, s.result === undefined ? null : BigInt.asIntN(64, s.result),
      s.errno ?? null, s.signo ?? null, lineId, process.hrtime.bigint() - this.started, prev ?? null, s.blocks ?? null, s.raised ?? null);
    if (pending.length === STOP_BATCH * STOP_WIDTH) {
      this.insertStops.run(pending);
      pending.length = 0;
    }
    if (s.writes !== undefined) for (const w of s.writes) this.insertWrite.run(seq, BigInt.asIntN(64, w.addr), w.data);
    if (++this.uncommitted >= COMMIT_STOPS || Date.now() - this.lastCommit >= COMMIT_MS) this.commit();
    return seq;
  }

  /** Inserts the stops still waiting for a full batch. */
  private flushStops(): void {
    const pending = this.pendingStops;
    for (let i = 0; i < pending.length; i += STOP_WIDTH) this.insertStop.run(pending.slice(i, i + STOP_WIDTH));
    pending.length = 0;
  }

  /** A time-reading instruction `tid` ran, after its last stop, and the value it got. */
  insnValue(tid: number, kind: InsnKind, value: bigint, aux: bigint | undefined): void {
    const ordinal = this.insnCount.get(tid) ?? 0;
    this.insnCount.set(tid, ordinal + 1);
    this.insertInsn.run(tid, ordinal, this.lastSeqOf.get(tid) ?? null, kind, BigInt.asIntN(64, value), aux === undefined ? null : BigInt.asIntN(64, aux));
  }

  path(seq: number, tid: number, path: string): void {
    this.insertPath.run(seq, tid, path);
  }

  /** The scheduler gave the CPU to `tid` after the last stop; the previous task ran `units`. */
  switched(tid: number, units: bigint | undefined): void {
    this.insertSchedule.run(this.seq - 1, tid, units ?? null);
  }

  /** An executed binary, its loader or a file-backed mapping, stored once by content. */
  image(seq: number, tid: number, role: 'exec' | 'interp' | 'mmap', path: string, data: Uint8Array, addr?: bigint, atRandom?: Uint8Array): string {
    const sha = createHash('sha256').update(data).digest('hex');
    this.insertBlob.run(sha, data.length, data);
    this.insertImage.run(seq, tid, role, path, sha, addr === undefined ? null : BigInt.asIntN(64, addr), atRandom ?? null);
    return sha;
  }

  /** The run is over: how it ended, marked complete, committed and closed. */
  finish(end: { how: 'exited' | 'killed'; code?: number; signal?: number } | undefined): void {
    if (!this.db.open) return;
    this.flushStops();
    if (end !== undefined) {
      this.db.prepare('UPDATE run SET ended_how = ?, exit_code = ?, exit_signal = ?, complete = 1 WHERE id = 1')
        .run(end.how, end.code ?? null, end.signal ?? null);
    }
    if (this.inTransaction) this.db.exec('COMMIT');
    this.inTransaction = false;
    // A finished recording is one self-contained file (readers open it read-only, without a WAL).
    this.db.pragma('journal_mode = DELETE');
    this.db.close();
  }
}
