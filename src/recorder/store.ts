// The recording file's one writer: creates it (schemas/recording-v5.sql), applies the
// recorder's batches, each in one transaction, and closes it as one self-contained file. It
// runs on the recorder's worker thread (store-worker.ts), or on the tracer's own thread.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { recordingSchemaSql } from './schema-file.js';
import { RECORDING_FORMAT, SCHEMA_VERSION } from '../../schemas/recording-version.js';
import { CALL_WIDTH, C, type Batch, type Op, type RunEnd } from './batch.js';

const require = createRequire(import.meta.url);

/** Calls inserted by one statement: a statement's own cost shared by this many rows. */
const CALL_BATCH = 64;
const CALL_NAMES = ['seq', 'tid', 'call', 'args', 'prev', 'entry_ns', 'entry_blocks', 'exit', 'result', 'line_id', 'exit_ns', 'exit_blocks', 'raised', 'exit_prev'];
const CALL_VALUES = `(${CALL_NAMES.map(() => '?').join(', ')})`;
const CALL_INSERT = `INSERT INTO calls (${CALL_NAMES.join(', ')}) VALUES `;

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

export class RecordingWriteError extends Error {}

export class RecordingStore {
  private readonly db: BetterSqlite3.Database;
  private readonly insertCall: BetterSqlite3.Statement;
  private readonly insertCalls: BetterSqlite3.Statement;
  private readonly updateCall: BetterSqlite3.Statement;
  private readonly statements: { readonly [K in Op[0]]: BetterSqlite3.Statement };
  private readonly rows: unknown[] = [];

  constructor(path: string, run: RunInfo) {
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // The REFERENCES document the schema; checking them costs a lookup per reference per row.
      this.db.pragma('foreign_keys = OFF');
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
    this.insertCall = db.prepare(CALL_INSERT + CALL_VALUES);
    this.insertCalls = db.prepare(CALL_INSERT + Array<string>(CALL_BATCH).fill(CALL_VALUES).join(', '));
    this.updateCall = db.prepare('UPDATE calls SET exit = ?, result = ?, line_id = ?, exit_ns = ?, exit_blocks = ?, raised = ?, exit_prev = ? WHERE seq = ?');
    this.statements = {
      line: db.prepare('INSERT INTO lines (id, text) VALUES (?, ?)'),
      name: db.prepare('INSERT INTO syscall_names (id, nr, name) VALUES (?, ?, ?)'),
      argList: db.prepare('INSERT INTO arg_lists (id, text) VALUES (?, ?)'),
      other: db.prepare('INSERT INTO other_stops (seq, tid, kind, nr, name, result, signo, line_id, wall_ns, prev, blocks, raised) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      write: db.prepare('INSERT INTO memory_writes (seq, addr, data) VALUES (?, ?, ?)'),
      path: db.prepare('INSERT INTO paths (seq, tid, path) VALUES (?, ?, ?)'),
      schedule: db.prepare('INSERT INTO schedule (after_seq, tid, units, executed) VALUES (?, ?, ?, ?)'),
      task: db.prepare('INSERT OR IGNORE INTO task_rows (tid, pid, parent, start_seq) VALUES (?, ?, ?, ?)'),
      taskEnded: db.prepare('UPDATE task_rows SET end_seq = ?, ended_how = ?, exit_code = ?, exit_signal = ? WHERE tid = ?'),
      blob: db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)'),
      image: db.prepare('INSERT INTO images (seq, tid, role, path, sha256, addr, at_random) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insn: db.prepare('INSERT INTO insn_values (tid, ordinal, after_seq, kind, value, aux) VALUES (?, ?, ?, ?, ?, ?)'),
      outside: db.prepare('INSERT INTO outside_signals (ordinal, seq, tid, executed, signo, pid, sender_pid, sender_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      outsideDelivered: db.prepare('UPDATE outside_signals SET delivered = ? WHERE ordinal = ?'),
      echo: db.prepare('INSERT INTO echoes (seq, stream) VALUES (?, ?)'),
      timerSignal: db.prepare('INSERT INTO timer_signals (seq, tid, executed, target, siginfo) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /** Writes a batch and commits it. */
  apply(b: Batch): void {
    const db = this.db;
    db.exec('BEGIN');
    try {
      for (const op of b.ops) this.op(op);
      const raised = new Map(b.raised);
      const rows = this.rows;
      rows.length = 0;
      for (let i = 0; i < b.count; i++) {
        this.callRow(rows, b.calls, b.results, i, raised.get(i) ?? null);
        if (rows.length === CALL_BATCH * CALL_NAMES.length) {
          this.insertCalls.run(rows);
          rows.length = 0;
        }
      }
      for (let i = 0; i < rows.length; i += CALL_NAMES.length) this.insertCall.run(rows.slice(i, i + CALL_NAMES.length));
      rows.length = 0;
      for (let i = 0; i < b.updateCount; i++) {
        const u = b.updates;
        const o = i * CALL_WIDTH;
        this.updateCall.run(u[o + C.exit], b.updateResults[i], nullable(u[o + C.line_id]!), u[o + C.exit_ns], nullable(u[o + C.exit_blocks]!),
          raised.get(-1 - i) ?? null, nullable(u[o + C.exit_prev]!), u[o + C.seq]);
      }
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Appends row i's values to `r`, in CALL_NAMES' order. */
  private callRow(r: unknown[], calls: Float64Array, results: BigInt64Array, i: number, raised: string | null): void {
    const o = i * CALL_WIDTH;
    const inFlight = Number.isNaN(calls[o + C.exit]!);
    r.push(calls[o + C.seq], calls[o + C.tid], calls[o + C.call], calls[o + C.args], nullable(calls[o + C.prev]!), calls[o + C.entry_ns],
      nullable(calls[o + C.entry_blocks]!), nullable(calls[o + C.exit]!), inFlight ? null : results[i], nullable(calls[o + C.line_id]!),
      nullable(calls[o + C.exit_ns]!), nullable(calls[o + C.exit_blocks]!), raised, nullable(calls[o + C.exit_prev]!));
  }

  private op(op: Op): void {
    const s = this.statements;
    switch (op[0]) {
      case 'other': {
        const o = op[1];
        s.other.run(o.seq, o.tid, o.kind, o.nr, o.name, o.result, o.signo, o.lineId, o.wallNs, o.prev, o.blocks, o.raised);
        return;
      }
      default:
        s[op[0]].run(...op.slice(1));
    }
  }

  /** The run is over: how it ended, marked complete, and the file closed without its WAL. */
  finish(end: RunEnd | undefined): void {
    if (!this.db.open) return;
    if (end !== undefined) {
      this.db.prepare('UPDATE run SET ended_how = ?, exit_code = ?, exit_signal = ?, complete = 1 WHERE id = 1')
        .run(end.how, end.code ?? null, end.signal ?? null);
    }
    // A finished recording is one self-contained file (readers open it read-only, without a WAL).
    this.db.pragma('journal_mode = DELETE');
    this.db.close();
  }
}

function nullable(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
