// A recording's stops in order, as rows of the `stops` view, read from its tables directly:
// each `calls` row gives an entry stop and, when recorded, an exit stop; `other_stops` the
// rest. Read in chunks by sequence number with statements in raw mode; names, argument lists
// and lines are looked up once per distinct id. Rows are checked by cheap tests (a value of
// the wrong type or a dangling id is a corrupt recording), not parsed one by one with zod.
import type BetterSqlite3 from 'better-sqlite3';
import { STOP_KIND_IDS, type StopRow } from '../../schemas/recording.js';
import { CALL_COLUMN_COUNT, CALL_VALUES, CALLS_JSON, wide } from './calls-sql.js';
import type { ChunkSource } from './chunk-prefetch.js';

/** Thrown for a row that cannot be a recording's; the reader turns it into a RecordingError. */
export class BadRow extends Error {}

const CALLS = `SELECT ${CALL_VALUES} FROM calls`;
const OTHERS = `SELECT seq, tid, kind, nr, name, ${wide('result')}, signo, line_id, wall_ns, prev, blocks, raised FROM other_stops`;

type Raw = readonly unknown[];

/** Stops are read this many sequence numbers at a time. */
export const CHUNK = 8192;

/** An entry stop as read here: with its call's exit stop, when recorded. */
export interface EntryStop extends StopRow {
  readonly kind: 'syscall-entry';
  readonly exitStop: StopRow | undefined;
}

function bad(what: string): never {
  throw new BadRow(what);
}

function int(v: unknown, what: string): number {
  return typeof v === 'number' && Number.isInteger(v) ? v : bad(what);
}

function intOrNull(v: unknown, what: string): number | null {
  return v === null ? null : int(v, what);
}

function big(v: unknown, what: string): bigint | null {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : bad(what);
  if (typeof v === 'string') return /^-?\d+$/.test(v) ? BigInt(v) : bad(what);
  return v === null ? null : bad(what);
}

function failed(result: bigint | null): number | null {
  return result !== null && result < 0n && result >= -4095n ? Number(-result) : null;
}

/** Text tables (lines, arg_lists) by id, each id read once. */
class TextById {
  private readonly cache = new Map<number, string>();
  constructor(private readonly st: BetterSqlite3.Statement, private readonly what: string) {}
  get(id: number): string {
    let t = this.cache.get(id);
    if (t === undefined) {
      const v: unknown = this.st.get(id);
      if (typeof v !== 'string') bad(`${this.what} ${id} is missing`);
      t = v;
      // A recording of many distinct lines is not held whole.
      if (this.cache.size >= 1 << 16) this.cache.clear();
      this.cache.set(id, t);
    }
    return t;
  }
}

// The stops of a call as classes whose 64-bit times and counts become bigints only when asked
// for: a replay or a plain show never asks, and two million bigints less are less to collect.

class EntryStopRow implements EntryStop {
  get kind(): 'syscall-entry' {
    return 'syscall-entry';
  }
  readonly result = null;
  readonly errno = null;
  readonly signo = null;
  readonly line = null;
  readonly raised = null;
  constructor(
    readonly seq: number, readonly tid: number, readonly nr: number, readonly name: string, readonly args: string,
    readonly prev_seq: number | null, private readonly ns: number, private readonly units: number | null, readonly exitStop: StopRow | undefined,
  ) {}
  get wall_ns(): bigint {
    return BigInt(this.ns);
  }
  get blocks(): bigint | null {
    return this.units === null ? null : BigInt(this.units);
  }
}

class ExitStop implements StopRow {
  get kind(): 'syscall-exit' {
    return 'syscall-exit';
  }
  readonly args = null;
  readonly signo = null;
  readonly errno: number | null;
  constructor(
    readonly seq: number, readonly tid: number, readonly nr: number, readonly name: string, readonly result: bigint | null,
    readonly line: string | null, private readonly ns: number, readonly prev_seq: number, private readonly units: number | null,
    readonly raised: string | null,
  ) {
    this.errno = failed(result);
  }
  get wall_ns(): bigint {
    return BigInt(this.ns);
  }
  get blocks(): bigint | null {
    return this.units === null ? null : BigInt(this.units);
  }
}

export class StopReader {
  private readonly callsIn: BetterSqlite3.Statement;
  /** A call's values, taken out of a chunk's columns one row at a time. */
  private readonly row: unknown[] = [];
  private readonly callAt: BetterSqlite3.Statement;
  private readonly othersIn: BetterSqlite3.Statement;
  private readonly exitsAcross: BetterSqlite3.Statement;
  private readonly names = new Map<number, { nr: number; name: string }>();
  private readonly lines: TextById;
  private readonly argLists: TextById;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.callsIn = db.prepare(CALLS_JSON).pluck();
    this.callAt = db.prepare(`${CALLS} WHERE seq = ?`).raw(true);
    this.othersIn = db.prepare(`${OTHERS} WHERE seq >= ? AND seq < ? ORDER BY seq`).raw(true);
    this.exitsAcross = db.prepare(`${CALLS} WHERE seq < ? AND seq + exit >= ?`).raw(true);
    for (const r of db.prepare('SELECT id, nr, name FROM syscall_names').raw(true).all() as Raw[]) {
      this.names.set(int(r[0], 'syscall name id'), { nr: int(r[1], 'syscall number'), name: typeof r[2] === 'string' ? r[2] : bad('syscall name') });
    }
    this.lines = new TextById(db.prepare('SELECT text FROM lines WHERE id = ?').pluck(), 'line');
    this.argLists = new TextById(db.prepare('SELECT text FROM arg_lists WHERE id = ?').pluck(), 'argument list');
  }

  /** The stops with seq in [lo, hi), by seq - lo; `carried` holds exits at or past `hi` found in calls before it. */
  /** The calls with seq in [lo, hi), as JSON, read on this thread. */
  readonly chunk: ChunkSource = (lo, hi) => this.callsIn.get(lo, hi);

  private fill(lo: number, hi: number, carried: Map<number, StopRow>, out: (StopRow | undefined)[], source: ChunkSource): void {
    const json: unknown = source(lo, hi);
    const cols: unknown = JSON.parse(typeof json === 'string' ? json : bad('calls'));
    if (!Array.isArray(cols) || cols.length !== CALL_COLUMN_COUNT || !cols.every((c) => Array.isArray(c) && c.length === cols[0].length)) bad('calls');
    const columns = cols as unknown[][];
    const row = this.row;
    for (let i = 0, n = columns[0]!.length; i < n; i++) {
      for (let k = 0; k < CALL_COLUMN_COUNT; k++) row[k] = columns[k]![i];
      const entry = this.call(row);
      const exit = entry.exitStop;
      out[entry.seq - lo] = entry;
      if (exit !== undefined) {
        if (exit.seq < hi) out[exit.seq - lo] = exit;
        else carried.set(exit.seq, exit);
      }
    }
    for (const r of this.othersIn.iterate(lo, hi) as Iterable<Raw>) {
      const s = this.other(r);
      out[s.seq - lo] = s;
    }
  }

  /** Exits in [lo, …) of calls entered before lo (a fresh start in the middle of a recording). */
  private carriedInto(lo: number): Map<number, StopRow> {
    const m = new Map<number, StopRow>();
    for (const r of this.exitsAcross.iterate(lo, lo) as Iterable<Raw>) {
      const exit = this.call(r).exitStop;
      if (exit !== undefined) m.set(exit.seq, exit);
    }
    return m;
  }

  /**
   * The stops from `from` on, `chunk` sequence numbers at a time: window k holds the stops with
   * seq from + k*chunk + i at i. The first hole (undefined) is the end of what was recorded; the
   * window holding it is the last.
   */
  *windows(from = 0, chunk = CHUNK, source: ChunkSource = this.chunk): Generator<readonly (StopRow | undefined)[]> {
    let carried = from === 0 ? new Map<number, StopRow>() : this.carriedInto(from);
    for (let lo = from; ; lo += chunk) {
      const window = new Array<StopRow | undefined>(chunk);
      this.fill(lo, lo + chunk, carried, window, source);
      const next = new Map<number, StopRow>();
      for (const [seq, s] of carried) {
        if (seq < lo + chunk) window[seq - lo] = s;
        else next.set(seq, s);
      }
      carried = next;
      yield window;
      if (window.includes(undefined)) return;
    }
  }

  /** Every stop from `from` on, in order; stops at the first hole (the end of what was recorded). */
  *iterate(from = 0, chunk = CHUNK, source: ChunkSource = this.chunk): Generator<StopRow> {
    for (const window of this.windows(from, chunk, source)) {
      for (const s of window) {
        if (s === undefined) return;
        yield s;
      }
    }
  }

  /** The syscall entered at `seq`: its entry and exit stops (undefined when not recorded). */
  callOf(seq: number): [EntryStop, StopRow | undefined] | undefined {
    const r = this.callAt.get(seq) as Raw | undefined;
    if (r === undefined) return undefined;
    const entry = this.call(r);
    return [entry, entry.exitStop];
  }

  /** A `calls` row as its entry stop, which holds its exit stop. */
  private call(r: Raw): EntryStop {
    const seq = int(r[0], 'call seq');
    const tid = int(r[1], 'call tid');
    const n = this.names.get(int(r[2], 'call name id')) ?? bad(`syscall name ${String(r[2])} is missing`);
    const prev = intOrNull(r[4], 'call prev');
    const entryNs = int(r[5], 'call entry_ns');
    const entryBlocks = intOrNull(r[6], 'call entry_blocks');
    const exit = intOrNull(r[7], 'call exit');
    let exitStop: ExitStop | undefined;
    if (exit !== null) {
      const result = big(r[8], 'call result');
      const lineId = intOrNull(r[9], 'call line_id');
      const exitPrev = intOrNull(r[13], 'call exit_prev');
      const raised = r[12];
      if (raised !== null && typeof raised !== 'string') bad('call raised');
      exitStop = new ExitStop(seq + exit, tid, n.nr, n.name, result, lineId === null ? null : this.lines.get(lineId),
        entryNs + int(r[10], 'call exit_ns'), exitPrev === null ? seq : seq + exit - exitPrev, intOrNull(r[11], 'call exit_blocks'), raised);
    }
    return new EntryStopRow(seq, tid, n.nr, n.name, this.argLists.get(int(r[3], 'call args')), prev === null ? null : seq - prev,
      entryNs, entryBlocks, exitStop);
  }

  private other(r: Raw): StopRow {
    const seq = int(r[0], 'stop seq');
    const kind = STOP_KIND_IDS[int(r[2], 'stop kind')] ?? bad('stop kind');
    const name = r[4];
    if (name !== null && typeof name !== 'string') bad('stop name');
    const result = big(r[5], 'stop result');
    const lineId = intOrNull(r[7], 'stop line_id');
    const prev = intOrNull(r[9], 'stop prev');
    const blocks = intOrNull(r[10], 'stop blocks');
    const raised = r[11];
    if (raised !== null && typeof raised !== 'string') bad('stop raised');
    return {
      seq, tid: int(r[1], 'stop tid'), kind, nr: intOrNull(r[3], 'stop nr'), name, args: null, result,
      errno: kind === 'syscall-exit' ? failed(result) : null, signo: intOrNull(r[6], 'stop signo'),
      line: lineId === null ? null : this.lines.get(lineId), wall_ns: BigInt(int(r[8], 'stop wall_ns')),
      prev_seq: prev === null ? null : seq - prev, blocks: blocks === null ? null : BigInt(blocks), raised,
    };
  }

  /** The stops that are not syscalls (signals, events, exits, exits without their entry), in order. */
  *others(): Generator<StopRow> {
    for (const r of this.db.prepare(`${OTHERS} ORDER BY seq`).raw(true).iterate() as Iterable<Raw>) yield this.other(r);
  }
}
