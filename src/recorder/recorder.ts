// Writes a run into a recording (schemas/recording-v4.sql): the run, its tasks, every stop
// with its strace line (interned), the kernel's writes into guest memory per syscall, the
// scheduler's switches, the values of time-reading instructions, the paths calls named and
// the executed binaries as blobs.
//
// A syscall is one row: its entry is held until its exit and both are written together. The
// rows go to the store (src/recorder/store.ts) in batches, one transaction each: at the latest
// every COMMIT_CALLS calls or COMMIT_MS milliseconds (checked at each stop), and before a call
// that may wait, when the calls in flight are written without their exit (their exit then
// updates the row). So a tstrace killed at any point leaves every stop up to its last commit
// (WAL keeps the file sound). `complete` is set only by `finish`: a recording without it was
// cut short. The store runs on a worker thread when one can be started (store-client.ts).
import { createHash } from 'node:crypto';
import { STOP_KIND_IDS, type InsnKind, type StopKind } from '../../schemas/recording.js';
import { CALL_WIDTH, C, type Batch, type Op, type RunEnd } from './batch.js';
import type { RunInfo } from './store.js';
import { openStore, type StoreClient } from './store-client.js';

export { RecordingWriteError, type RunInfo } from './store.js';

const COMMIT_CALLS = 8192;
const COMMIT_MS = 200;
const HELD = -2;
const SENT = -1;
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

/** A call between its entry and its exit. */
interface InFlight {
  /** HELD until its exit, or SENT: written without its exit by an earlier batch. */
  state: typeof HELD | typeof SENT;
  readonly seq: number;
  readonly nr: number;
  readonly entryNs: number;
  readonly values: Float64Array;
}

export class Recorder {
  private readonly store: StoreClient;
  private calls = new Float64Array(COMMIT_CALLS * CALL_WIDTH);
  private results = new BigInt64Array(COMMIT_CALLS);
  private count = 0;
  private updates = new Float64Array(64 * CALL_WIDTH);
  private updateResults = new BigInt64Array(64);
  private updateCount = 0;
  private raised: [number, string][] = [];
  private ops: Op[] = [];
  private readonly inFlight = new Map<number, InFlight>();
  /** Per task, how many time-reading instructions it has run. */
  private readonly insnCount = new Map<number, number>();
  private readonly lineIds = new Map<string, number>();
  private readonly nameIds = new Map<string, number>();
  private readonly argIds = new Map<string, number>();
  private readonly blobs = new Set<string>();
  private seq = 0;
  private readonly lastSeqOf = new Map<number, number>();
  private readonly started = process.hrtime.bigint();
  private lastCommit = Date.now();

  constructor(path: string, run: RunInfo) {
    this.store = openStore(path, run);
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

  /** Hands the batch to the store (committed soon, in order); the calls in flight go too, without their exit. */
  private send(): void {
    for (const f of this.inFlight.values()) this.sendWithoutExit(f);
    const batch: Batch = {
      calls: this.calls, results: this.results, count: this.count,
      updates: this.updates, updateResults: this.updateResults, updateCount: this.updateCount,
      raised: this.raised, ops: this.ops,
    };
    this.store.apply(batch);
    this.calls = new Float64Array(COMMIT_CALLS * CALL_WIDTH);
    this.results = new BigInt64Array(COMMIT_CALLS);
    this.count = 0;
    this.updates = new Float64Array(64 * CALL_WIDTH);
    this.updateResults = new BigInt64Array(64);
    this.updateCount = 0;
    this.raised = [];
    this.ops = [];
    this.lastCommit = Date.now();
  }

  /** A call in flight goes into the batch without its exit (its exit will update the row). */
  private sendWithoutExit(f: InFlight): void {
    if (f.state !== HELD) return;
    this.pushCall(f.values, 0n);
    f.state = SENT;
  }

  private pushCall(values: Float64Array, result: bigint): number {
    const row = this.count++;
    this.calls.set(values, row * CALL_WIDTH);
    this.results[row] = result;
    return row;
  }

  /** A new task, at its first stop. */
  task(tid: number, pid: number, parent: number | undefined, seq: number): void {
    this.ops.push(['task', tid, pid, parent ?? null, seq]);
  }

  taskEnded(tid: number, seq: number, status: RunEnd): void {
    this.ops.push(['taskEnded', seq, status.how, status.code ?? null, status.signal ?? null, tid]);
  }

  private lineId(line: string | undefined): number | null {
    if (line === undefined) return null;
    let id = this.lineIds.get(line);
    if (id === undefined) {
      id = this.lineIds.size + 1;
      this.lineIds.set(line, id);
      this.ops.push(['line', id, line]);
    }
    return id;
  }

  private nameId(nr: number, name: string): number {
    const key = `${nr} ${name}`;
    let id = this.nameIds.get(key);
    if (id === undefined) {
      id = this.nameIds.size + 1;
      this.nameIds.set(key, id);
      this.ops.push(['name', id, nr, name]);
    }
    return id;
  }

  private argsId(args: readonly bigint[]): number {
    let text = '';
    for (let i = 0; i < args.length; i++) text += (i === 0 ? '' : ',') + BigInt.asUintN(64, args[i]!).toString(16);
    let id = this.argIds.get(text);
    if (id === undefined) {
      id = this.argIds.size + 1;
      this.argIds.set(text, id);
      this.ops.push(['argList', id, text]);
    }
    return id;
  }

  /** A stop, in order; returns its sequence number. */
  stop(s: StopRecord): number {
    const seq = this.seq++;
    const prev = this.lastSeqOf.get(s.tid);
    this.lastSeqOf.set(s.tid, seq);
    const ns = Number(process.hrtime.bigint() - this.started);
    if (s.writes !== undefined) for (const w of s.writes) this.ops.push(['write', seq, BigInt.asIntN(64, w.addr), w.data]);
    const blocks = s.blocks === undefined ? NaN : Number(s.blocks);
    if (s.kind === 'syscall-entry') {
      const v = new Float64Array(CALL_WIDTH).fill(NaN);
      v[C.seq] = seq;
      v[C.tid] = s.tid;
      v[C.call] = this.nameId(s.nr!, s.name!);
      v[C.args] = this.argsId(s.args ?? []);
      if (prev !== undefined) v[C.prev] = seq - prev;
      v[C.entry_ns] = ns;
      v[C.entry_blocks] = blocks;
      // A call still in flight here (its task was made to leave it) keeps no exit.
      const left = this.inFlight.get(s.tid);
      if (left !== undefined) this.sendWithoutExit(left);
      this.inFlight.set(s.tid, { state: HELD, seq, nr: s.nr!, entryNs: ns, values: v });
    } else if (s.kind === 'syscall-exit' && this.inFlight.get(s.tid)?.nr === s.nr) {
      const f = this.inFlight.get(s.tid)!;
      this.inFlight.delete(s.tid);
      const v = f.values;
      v[C.exit] = seq - f.seq;
      v[C.line_id] = this.lineId(s.line) ?? NaN;
      v[C.exit_ns] = ns - f.entryNs;
      v[C.exit_blocks] = blocks;
      if (prev !== f.seq && prev !== undefined) v[C.exit_prev] = seq - prev;
      const result = BigInt.asIntN(64, s.result ?? 0n);
      if (f.state === SENT) {
        if (this.updateCount === this.updateResults.length) this.growUpdates();
        this.updates.set(v, this.updateCount * CALL_WIDTH);
        this.updateResults[this.updateCount] = result;
        if (s.raised !== undefined) this.raised.push([-1 - this.updateCount, s.raised]);
        this.updateCount++;
      } else {
        const row = this.pushCall(v, result);
        if (s.raised !== undefined) this.raised.push([row, s.raised]);
      }
    } else {
      const isExit = s.kind === 'syscall-exit';
      if (s.kind === 'exit') {
        const left = this.inFlight.get(s.tid);
        if (left !== undefined) this.sendWithoutExit(left);
        this.inFlight.delete(s.tid);
      }
      this.ops.push(['other', {
        seq, tid: s.tid, kind: KIND_ID[s.kind], nr: isExit ? s.nr ?? null : null, name: s.name ?? null,
        result: s.result === undefined ? null : BigInt.asIntN(64, s.result), signo: s.signo ?? null, lineId: this.lineId(s.line),
        wallNs: ns, prev: prev === undefined ? null : seq - prev, blocks: s.blocks ?? null, raised: s.raised ?? null,
      }]);
    }
    if (this.count + this.inFlight.size >= COMMIT_CALLS || Date.now() - this.lastCommit >= COMMIT_MS) this.send();
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

  path(seq: number, tid: number, path: string): void {
    this.ops.push(['path', seq, tid, path]);
  }

  /** The scheduler gave the CPU to `tid` after the last stop; the previous task ran `units`. */
  switched(tid: number, units: bigint | undefined): void {
    this.ops.push(['schedule', this.seq - 1, tid, units ?? null]);
  }

  /** An executed binary, its loader or a file-backed mapping, stored once by content. */
  image(seq: number, tid: number, role: 'exec' | 'interp' | 'mmap', path: string, data: Uint8Array, addr?: bigint, atRandom?: Uint8Array): string {
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
