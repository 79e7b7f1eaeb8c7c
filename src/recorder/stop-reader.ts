// A recording's stops in order, as rows of the `stops` view, read from its tables directly:
// each `calls` row gives an entry stop and, when recorded, an exit stop; `other_stops` the
// rest. Read in chunks by sequence number with statements in raw mode; names, argument lists
// and lines are looked up once per distinct id. Rows are checked by cheap tests (a value of
// the wrong type or a dangling id is a corrupt recording), not parsed one by one with zod.
import type BetterSqlite3 from 'better-sqlite3';
import { STOP_KIND_IDS, type StopRow } from '../../schemas/recording.js';

/** Thrown for a row that cannot be a recording's; the reader turns it into a RecordingError. */
export class BadRow extends Error {}

const SAFE = '9007199254740991';
/** An integer column as a number when it fits, else as text (read back as a bigint). */
const wide = (col: string): string => `CASE WHEN ${col} BETWEEN -${SAFE} AND ${SAFE} THEN ${col} ELSE CAST(${col} AS TEXT) END`;

const CALL_VALUES = `seq, tid, call, args, prev, entry_ns, entry_blocks, exit, ${wide('result')}, line_id, exit_ns, exit_blocks, raised, exit_prev`;
const CALLS = `SELECT ${CALL_VALUES} FROM calls`;
/**
 * A chunk of calls as one JSON array of rows: SQLite builds it in C and JSON.parse reads it
 * at about twice the speed of one row object per call (the cost of reading is per value).
 */
const CALLS_JSON = `SELECT json_group_array(json_array(${CALL_VALUES})) FROM (SELECT * FROM calls WHERE seq >= ? AND seq < ? ORDER BY seq)`;
const OTHERS = `SELECT seq, tid, kind, nr, name, ${wide('result')}, signo, line_id, wall_ns, prev, blocks, raised FROM other_stops`;

type Raw = readonly unknown[];

/** An entry stop as read here: with its call's exit stop, when recorded. */
export interface EntryStop extends StopRow {
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

export class StopReader {
  private readonly callsIn: BetterSqlite3.Statement;
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
  private fill(lo: number, hi: number, carried: Map<number, StopRow>, out: (StopRow | undefined)[]): void {
    const json: unknown = this.callsIn.get(lo, hi);
    const rows: unknown = JSON.parse(typeof json === 'string' ? json : bad('calls'));
    if (!Array.isArray(rows)) bad('calls');
    for (const r of rows as unknown[]) {
      const [entry, exit] = this.call(Array.isArray(r) ? r : bad('call'));
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
      const exit = this.call(r)[1];
      if (exit !== undefined) m.set(exit.seq, exit);
    }
    return m;
  }

  /** Every stop from `from` on, in order; stops at the first hole (the end of what was recorded). */
  *iterate(from = 0, chunk = 8192): Generator<StopRow> {
    let carried = from === 0 ? new Map<number, StopRow>() : this.carriedInto(from);
    const window: (StopRow | undefined)[] = [];
    for (let lo = from; ; lo += chunk) {
      window.length = 0;
      window.length = chunk;
      this.fill(lo, lo + chunk, carried, window);
      const next = new Map<number, StopRow>();
      for (const [seq, s] of carried) {
        if (seq < lo + chunk) window[seq - lo] = s;
        else next.set(seq, s);
      }
      carried = next;
      for (let i = 0; i < chunk; i++) {
        const s = window[i];
        if (s === undefined) return;
        yield s;
      }
    }
  }

  /** The syscall entered at `seq`: its entry and exit stops (undefined when not recorded). */
  callOf(seq: number): [EntryStop, StopRow | undefined] | undefined {
    const r = this.callAt.get(seq) as Raw | undefined;
    return r === undefined ? undefined : this.call(r);
  }

  private call(r: Raw): [EntryStop, StopRow | undefined] {
    const seq = int(r[0], 'call seq');
    const tid = int(r[1], 'call tid');
    const n = this.names.get(int(r[2], 'call name id')) ?? bad(`syscall name ${String(r[2])} is missing`);
    const prev = intOrNull(r[4], 'call prev');
    const entryNs = int(r[5], 'call entry_ns');
    const entryBlocks = intOrNull(r[6], 'call entry_blocks');
    const exit = intOrNull(r[7], 'call exit');
    let exitStop: StopRow | undefined;
    if (exit !== null) {
      const result = big(r[8], 'call result');
      const lineId = intOrNull(r[9], 'call line_id');
      const exitBlocks = intOrNull(r[11], 'call exit_blocks');
      const exitPrev = intOrNull(r[13], 'call exit_prev');
      const raised = r[12];
      if (raised !== null && typeof raised !== 'string') bad('call raised');
      exitStop = {
        seq: seq + exit, tid, kind: 'syscall-exit', nr: n.nr, name: n.name, args: null, result, errno: failed(result), signo: null,
        line: lineId === null ? null : this.lines.get(lineId), wall_ns: BigInt(entryNs + int(r[10], 'call exit_ns')),
        prev_seq: exitPrev === null ? seq : seq + exit - exitPrev, blocks: exitBlocks === null ? null : BigInt(exitBlocks), raised,
      };
    }
    const entry: EntryStop = {
      seq, tid, kind: 'syscall-entry', nr: n.nr, name: n.name, args: this.argLists.get(int(r[3], 'call args')), result: null, errno: null,
      signo: null, line: null, wall_ns: BigInt(entryNs), prev_seq: prev === null ? null : seq - prev,
      blocks: entryBlocks === null ? null : BigInt(entryBlocks), raised: null, exitStop,
    };
    return [entry, exitStop];
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
