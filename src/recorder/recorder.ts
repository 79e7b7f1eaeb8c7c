// Writes a run into a recording (schemas/recording-v5.sql): the run, its tasks, every stop
// with its strace line (interned), the kernel's writes into guest memory per syscall, the
// scheduler's switches, the values of time-reading instructions, the signals from outside, the
// paths calls named and the executed binaries as blobs.
//
// A syscall is one row: its entry fills a row of the batch and its exit completes it. The rows
// go to the store (src/recorder/store.ts) in batches, one transaction each: at the latest
// every COMMIT_CALLS calls or COMMIT_MS milliseconds (checked at each stop), and before a call
// that may wait (and then waits until the store committed them); a call in flight goes out
// without its exit, which then updates the row. So a tstrace killed at any point leaves every stop up to its last commit
// (WAL keeps the file sound). `complete` is set only by `finish`: a recording without it was
// cut short. The store runs on a worker thread when one can be started (store-client.ts).
import { createHash } from 'node:crypto';
import { STOP_KIND_IDS, type InsnKind, type StopKind } from '../../schemas/recording.js';
import { CALL_WIDTH, C, type Batch, type Op, type RunEnd } from './batch.js';
import type { RunInfo } from './store.js';
import type { OutsideSignal } from '../kernel/observer.js';
import { openStore, type StoreClient } from './store-client.js';

export { RecordingWriteError, type RunInfo } from './store.js';

const COMMIT_CALLS = 8192;
/** Lines and argument lists remembered for interning, at most. */
const INTERNED = 1 << 20;
const COMMIT_MS = 200;
const KIND_ID = Object.fromEntries(STOP_KIND_IDS.map((k, i) => [k, i])) as Readonly<Record<StopKind, number>>;

export interface StopRecord {
  readonly tid: number;
  readonly kind: StopKind;
  readonly nr?: number | undefined;
  readonly name?: string | undefined;
  readonly args?: readonly bigint[] | undefined;
  readonly result?: bigint | undefined;
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

/**
 * A task's call between its entry and its exit (`active`): its row in the batch `batch` (the
 * entry's columns filled). One per task, reused.
 */
interface InFlight {
  active: boolean;
  batch: number;
  row: number;
  seq: number;
  nr: number;
  /** Its syscall name id. */
  call: number;
  entryNs: number;
}

export class Recorder {
  private readonly store: StoreClient;
  private calls: Float64Array;
  private results: BigInt64Array;
  private count = 0;
  private updates = new Float64Array(64 * CALL_WIDTH);
  private updateResults = new BigInt64Array(64);
  private updateCount = 0;
  private raised: [number, string][] = [];
  private ops: Op[] = [];
  /** Per task, its call in flight. */
  private readonly inFlight = new Map<number, InFlight>();
  /** Of the stop being recorded: the task's previous stop, the time. */
  private prev: number | undefined;
  private ms = 0;
  private ns = 0;
  /** Per task, how many time-reading instructions it has run. */
  private readonly insnCount = new Map<number, number>();
  private readonly lineIds = new Map<string, number>();
  private lastLineId = 0;
  private lastArgId = 0;
  /** Syscall name ids by number and name; and by name alone, for the number last seen with it. */
  private readonly nameIdsByKey = new Map<string, number>();
  private readonly nameIds = new Map<string, { nr: number; id: number }>();
  private readonly argIds = new Map<string, number>();
  private readonly blobs = new Set<string>();
  private seq = 0;
  private readonly lastSeqOf = new Map<number, number>();
  private readonly startedMs = performance.now();
  private lastCommit = 0;
  /** Batches sent so far: the number of the one being filled. */
  private batch = 0;
  /** Per syscall name id, the last line and its id. */
  private readonly lastLines: ({ line: string; id: number } | undefined)[] = [];
  /** Per syscall name id, the last argument list and its id. */
  private readonly lastArgs: ({ args: readonly bigint[]; id: number } | undefined)[] = [];

  constructor(path: string, run: RunInfo) {
    this.store = openStore(path, run);
    ({ calls: this.calls, results: this.results } = this.store.buffers(COMMIT_CALLS));
  }

  /** The sequence number the next stop gets. */
  get nextSeq(): number {
    return this.seq;
  }

  /** The last stop recorded (-1 before the first). */
  get lastSeq(): number {
    return this.seq - 1;
  }

  /** Hands what is recorded so far to the store and waits until it is committed. */
  commit(): void {
    this.send();
    this.store.sync();
  }

  /**
   * Hands the batch to the store (committed soon, in order). The calls in flight go in it
   * without their exit (NaN): their exits will update their rows.
   */
  private send(): void {
    const batch: Batch = {
      calls: this.calls, results: this.results, count: this.count,
      updates: this.updates, updateResults: this.updateResults, updateCount: this.updateCount,
      raised: this.raised, ops: this.ops,
    };
    this.store.apply(batch);
    this.batch++;
    ({ calls: this.calls, results: this.results } = this.store.buffers(COMMIT_CALLS));
    this.count = 0;
    this.updates = new Float64Array(64 * CALL_WIDTH);
    this.updateResults = new BigInt64Array(64);
    this.updateCount = 0;
    this.raised = [];
    this.ops = [];
    this.lastCommit = this.now();
  }

  /** Milliseconds since the recording started. */
  private now(): number {
    return performance.now() - this.startedMs;
  }

  /** A new task, at its first stop. */
  task(tid: number, pid: number, parent: number | undefined, seq: number): void {
    this.ops.push(['task', tid, pid, parent ?? null, seq]);
  }

  taskEnded(tid: number, seq: number, status: RunEnd): void {
    this.ops.push(['taskEnded', seq, status.how, status.code ?? null, status.signal ?? null, tid]);
  }

  private lineId(line: string | undefined, call: number): number | null {
    if (line === undefined) return null;
    // Most calls print the line their previous call printed: comparing with it costs less than
    // hashing the line (a rope, flattened to be hashed).
    const last = this.lastLines[call];
    if (last !== undefined && last.line === line) return last.id;
    let id = this.lineIds.get(line);
    if (id === undefined) {
      id = ++this.lastLineId;
      // A run of many distinct lines is not held whole: a line seen again after this is stored again.
      if (this.lineIds.size >= INTERNED) this.lineIds.clear();
      this.lineIds.set(line, id);
      this.ops.push(['line', id, line]);
    }
    if (last === undefined) this.lastLines[call] = { line, id };
    else {
      last.line = line;
      last.id = id;
    }
    return id;
  }

  private nameId(nr: number, name: string): number {
    const known = this.nameIds.get(name);
    if (known !== undefined && known.nr === nr) return known.id;
    const key = `${nr} ${name}`;
    let id = this.nameIdsByKey.get(key);
    if (id === undefined) {
      id = this.nameIdsByKey.size + 1;
      this.nameIdsByKey.set(key, id);
      this.ops.push(['name', id, nr, name]);
    }
    this.nameIds.set(name, { nr, id });
    return id;
  }

  private argsId(call: number, args: readonly bigint[]): number {
    const last = this.lastArgs[call];
    if (last !== undefined && sameArgs(last.args, args)) return last.id;
    let text = '';
    for (let i = 0; i < args.length; i++) text += (i === 0 ? '' : ',') + BigInt.asUintN(64, args[i]!).toString(16);
    let id = this.argIds.get(text);
    if (id === undefined) {
      id = ++this.lastArgId;
      if (this.argIds.size >= INTERNED) this.argIds.clear();
      this.argIds.set(text, id);
      this.ops.push(['argList', id, text]);
    }
    this.lastArgs[call] = { args, id };
    return id;
  }

  /** The start of every stop: its seq, time and the task's previous stop, and the memory writes before it. */
  private begin(tid: number, writes: readonly MemoryWrite[] | undefined): number {
    const seq = this.seq++;
    this.prev = this.lastSeqOf.get(tid);
    this.lastSeqOf.set(tid, seq);
    this.ms = this.now();
    this.ns = Math.round(this.ms * 1e6);
    if (writes !== undefined) for (const w of writes) this.ops.push(['write', seq, BigInt.asIntN(64, w.addr), w.data]);
    return seq;
  }

  /** The end of every stop: the batch goes out when full or old. */
  private end(): void {
    if (this.count >= COMMIT_CALLS || this.ms - this.lastCommit >= COMMIT_MS) this.send();
  }

  /** A syscall-entry stop (the hot path: no record object); returns its sequence number. */
  entry(tid: number, nr: number, name: string, args: readonly bigint[], blocks: bigint | undefined, writes: readonly MemoryWrite[] | undefined): number {
    const seq = this.begin(tid, writes);
    const prev = this.prev;
    // A call still in flight here (its task was made to leave it) keeps no exit.
    const row = this.count++;
    const v = this.calls;
    const o = row * CALL_WIDTH;
    const call = this.nameId(nr, name);
    v[o + C.seq] = seq;
    v[o + C.tid] = tid;
    v[o + C.call] = call;
    v[o + C.args] = this.argsId(call, args);
    v[o + C.prev] = prev === undefined ? NaN : seq - prev;
    v[o + C.entry_ns] = this.ns;
    v[o + C.entry_blocks] = blocks === undefined ? NaN : Number(blocks);
    v[o + C.exit] = NaN;
    v[o + C.line_id] = NaN;
    v[o + C.exit_ns] = NaN;
    v[o + C.exit_blocks] = NaN;
    v[o + C.exit_prev] = NaN;
    let f = this.inFlight.get(tid);
    if (f === undefined) this.inFlight.set(tid, (f = { active: false, batch: 0, row: 0, seq: 0, nr: 0, call: 0, entryNs: 0 }));
    f.active = true;
    f.batch = this.batch;
    f.row = row;
    f.seq = seq;
    f.nr = nr;
    f.call = call;
    f.entryNs = this.ns;
    this.end();
    return seq;
  }

  /** A syscall-exit stop; returns its sequence number. */
  exit(tid: number, nr: number, name: string, result: bigint, line: string | undefined, blocks: bigint | undefined,
    writes: readonly MemoryWrite[] | undefined, raised: string | undefined): number {
    const flight = this.inFlight.get(tid);
    // An exit without its entry here is a stop of its own.
    if (flight === undefined || !flight.active || flight.nr !== nr) return this.stop({ tid, kind: 'syscall-exit', nr, name, result, line, blocks, writes, raised });
    const seq = this.begin(tid, writes);
    const prev = this.prev;
    flight.active = false;
    const r = BigInt.asIntN(64, result);
    let v: Float64Array;
    let row: number;
    if (flight.batch === this.batch) {
      v = this.calls;
      row = flight.row;
      this.results[row] = r;
      if (raised !== undefined) this.raised.push([row, raised]);
    } else {
      // Its entry went out without it: the row is updated.
      if (this.updateCount === this.updateResults.length) this.growUpdates();
      v = this.updates;
      row = this.updateCount++;
      v[row * CALL_WIDTH + C.seq] = flight.seq;
      this.updateResults[row] = r;
      if (raised !== undefined) this.raised.push([-1 - row, raised]);
    }
    const o = row * CALL_WIDTH;
    v[o + C.exit] = seq - flight.seq;
    v[o + C.line_id] = this.lineId(line, flight.call) ?? NaN;
    v[o + C.exit_ns] = this.ns - flight.entryNs;
    v[o + C.exit_blocks] = blocks === undefined ? NaN : Number(blocks);
    v[o + C.exit_prev] = prev !== flight.seq && prev !== undefined ? seq - prev : NaN;
    this.end();
    return seq;
  }

  /** Any other stop (signal, event, exit, a syscall exit without its entry), in order; returns its sequence number. */
  stop(s: StopRecord): number {
    const seq = this.begin(s.tid, s.writes);
    const prev = this.prev;
    if (s.kind === 'exit') {
      const f = this.inFlight.get(s.tid);
      if (f !== undefined) f.active = false;
    }
    this.ops.push(['other', {
      seq, tid: s.tid, kind: KIND_ID[s.kind], nr: s.kind === 'syscall-exit' ? s.nr ?? null : null, name: s.name ?? null,
      result: s.result === undefined ? null : BigInt.asIntN(64, s.result), signo: s.signo ?? null, lineId: this.lineId(s.line, 0),
      wallNs: this.ns, prev: prev === undefined ? null : seq - prev, blocks: s.blocks ?? null, raised: s.raised ?? null,
    }]);
    this.end();
    return seq;
  }

  private growUpdates(): void {
    const u = new Float64Array(this.updates.length * 2);
    u.set(this.updates);
    this.updates = u;
    const r = new BigInt64Array(this.updateResults.length * 2);
    r.set(this.updateResults);
    this.updateResults = r;
  }

  /** A time-reading instruction `tid` ran, after its last stop, and the value it got. */
  insnValue(tid: number, kind: InsnKind, value: bigint, aux: bigint | undefined): void {
    const ordinal = this.insnCount.get(tid) ?? 0;
    this.insnCount.set(tid, ordinal + 1);
    this.ops.push(['insn', tid, ordinal, this.lastSeqOf.get(tid) ?? null, kind, BigInt.asIntN(64, value), aux === undefined ? null : BigInt.asIntN(64, aux)]);
  }

  /** A signal from outside, sent to the guest before the next stop. */
  outsideSignal(ordinal: number, s: OutsideSignal): void {
    this.ops.push(['outside', ordinal, this.seq, s.running?.tid ?? null, s.running === undefined ? null : BigInt.asIntN(64, s.running.executed),
      s.signo, s.pid, s.senderPid, s.senderUid]);
  }

  /** A timer's signal sent to `target` at the end of a slice of `tid` (which had run `executed`), before the next stop. */
  timerSignal(tid: number, executed: bigint, target: number, siginfo: string): void {
    this.ops.push(['timerSignal', this.seq, tid, BigInt.asIntN(64, executed), target, siginfo]);
  }

  /** The write whose exit stop is `seq` went to tstrace's own standard output (1) or error (2). */
  echo(seq: number, stream: 1 | 2): void {
    this.ops.push(['echo', seq, stream]);
  }

  /** The signal-delivery stop at which the guest got outside signal `ordinal`. */
  outsideDelivered(ordinal: number, seq: number): void {
    this.ops.push(['outsideDelivered', seq, ordinal]);
  }

  path(seq: number, tid: number, path: string): void {
    this.ops.push(['path', seq, tid, path]);
  }

  /**
   * The scheduler gave the CPU to `tid` after the last stop; the previous task ran `units` in
   * its slice, and `executed` in all.
   */
  switched(tid: number, units: bigint | undefined, executed: bigint | undefined): void {
    this.ops.push(['schedule', this.seq - 1, tid, units ?? null, executed === undefined ? null : BigInt.asIntN(64, executed)]);
  }

  /** An executed binary, its loader or a file-backed mapping, stored once by content. */
  image(seq: number, tid: number, role: 'exec' | 'interp' | 'mmap' | 'script', path: string, data: Uint8Array, addr?: bigint, atRandom?: Uint8Array): string {
    const sha = createHash('sha256').update(data).digest('hex');
    if (!this.blobs.has(sha)) this.ops.push(['blob', sha, data.length, data]);
    this.blobs.add(sha);
    this.ops.push(['image', seq, tid, role, path, sha, addr === undefined ? null : BigInt.asIntN(64, addr), atRandom ?? null]);
    return sha;
  }

  /** The run is over: how it ended, marked complete, committed and closed. */
  finish(end: RunEnd | undefined): void {
    if (this.store.closed) return;
    this.send();
    this.store.finish(end);
  }
}

function sameArgs(a: readonly bigint[], b: readonly bigint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
