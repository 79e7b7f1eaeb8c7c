// Replay: the recorded program runs again on a fresh kernel, and this driver stands between
// the kernel and the strace tracer. As the kernel's syscall executor it gives each call its
// recorded effects (result, bytes written into guest memory, the guest's output that reached
// tstrace's stdout/stderr) or
// runs it again when it only changes emulator state (src/replay/policy.ts); as the tracer of
// every task it checks each stop against the recording, in order, and stops at the first
// divergence. Time-reading instructions (rdtsc, rdtscp, mrs CNTVCT_EL0) get the values the
// recording holds, per task in order. Nothing outside tstrace is opened, written or sent.
import { fstatSync, openSync, writeSync } from 'node:fs';
import { MappedFile, alignUp } from '../kernel/memory/address-space.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { SyscallExecutor } from '../kernel/observer.js';
import type { SyscallCall } from '../kernel/syscall-call.js';
import { WIFSTOPPED, WSTOPSIG, PTRACE_O, type Tracer, type Siginfo } from '../kernel/ptrace.js';
import { SIG, signalName } from '../abi/signals.js';
import type { StopRow, ImageRow, StopKind, InsnValueRow, OutsideSignalRow, TimerSignalRow } from '../../schemas/recording.js';
import type { TimeRead } from '../../packages/unicorn-engine-ts/src/index.js';
import type { StopCursor } from '../recorder/reader.js';
import { SYSCALL_STOP, EVENT_NAMES, atRandomAddress } from '../recorder/record-tracer.js';
import { replayPolicy } from './policy.js';
import { sentByTimer } from '../kernel/timers.js';
import { waitSigmask } from '../kernel/syscalls/poll.js';
import { BLOCKED, QUANTUM, type Scheduler } from '../kernel/scheduler.js';
import { AF_NETLINK, NetlinkSocket } from '../kernel/syscalls/netlink.js';

const MAP_FIXED = 0x10n;
/** How a wait with its own signal mask ends when a signal interrupts it (epoll_pwait: EINTR). */
const INTERRUPTED_NOHAND = -514n; // -ERESTARTNOHAND
const INTERRUPTED = -4n; // -EINTR
const MAP_ANONYMOUS = 0x20n;

/** A row of the recording's schedule: after which stop the switch came, to which task. */
export interface SwitchRow {
  readonly after_seq: number;
  readonly tid: number;
  /** How long the previous task's slice ran (scheduler units); null when not kept. */
  readonly units?: bigint | number | null;
  /** How much guest code the previous task had run in all (bytes of blocks). */
  readonly executed?: bigint | number | null;
}

/**
 * Whether a switch came at the stop after which it is recorded (a call that blocked, a write
 * that woke a reader), not later in the running task's guest code: the task had run no more
 * code than at that stop (`blocks`, its count there). A recording without counts says it by
 * how long the slice had run: less than a budget.
 */
function switchedAtStop(s: SwitchRow, blocks: bigint | null): boolean {
  if (s.executed != null && blocks !== null) return BigInt(s.executed) === blocks;
  return s.units === undefined || s.units === null || BigInt(s.units) < QUANTUM;
}

/** One side of a stop, as the divergence report prints it. */
export interface StopView {
  readonly seq: number;
  readonly tid: number;
  /** A stop, or a time-reading instruction between stops. */
  readonly kind: StopKind | 'instruction';
  readonly text: string;
}

export class Divergence extends Error {
  constructor(readonly recorded: StopView | undefined, readonly replayed: StopView) {
    super('replay diverged');
  }
}

/** `--to SEQ` reached: the task's registers are in `registers`. */
export class StopRequested extends Error {
  constructor(readonly seq: number, readonly tid: number, readonly registers: readonly [string, bigint][]) {
    super('stop requested');
  }
}

/** The recording ends (it is incomplete) before the program did. */
export class RecordingEnded extends Error {
  constructor(readonly seq: number) {
    super('recording ended');
  }
}

export interface ReplayInput {
  readonly stops: StopCursor;
  readonly images: readonly ImageRow[];
  /** A host file holding an image's bytes (extracted from the recording on first use). */
  imageFile(image: ImageRow): string;
  /** A new host file holding an image's bytes, of its own (a shared mapping writes into it). */
  imageCopy(image: ImageRow): string;
  blob(sha256: string): Uint8Array;
  /** The value task `tid`'s `ordinal`-th time-reading instruction got, if recorded. */
  insnValue(tid: number, ordinal: number): InsnValueRow | undefined;
  /** The signals that came from outside, in order. */
  readonly outside: readonly OutsideSignalRow[];
  /** Where each was delivered (by ordinal): the task that took it and its count there. */
  readonly outsideDeliveries?: ReadonlyMap<number, { readonly tid: number; readonly blocks: bigint }>;
  /** Timers' signals that came to a task out of any call, in order. */
  readonly timerSignals: readonly TimerSignalRow[];
  /** The writes that went to tstrace's own standard output (1) or error (2), by exit stop. */
  readonly echoes: ReadonlyMap<number, 1 | 2>;
}

function describe(kind: StopKind, name: string | null, args: readonly bigint[] | string | null, result: bigint | null, signo: number | null): string {
  switch (kind) {
    case 'syscall-entry': return `${name}(${typeof args === 'string' ? args.split(',').map((a) => '0x' + a).join(', ') : (args ?? []).map((a) => '0x' + BigInt.asUintN(64, a).toString(16)).join(', ')})`;
    case 'syscall-exit': return `${name}(...) = ${result}`;
    case 'signal': return `--- ${signo === null ? name : signalName(signo)} ---`;
    case 'event': return `event ${name}${result !== null ? ` (${result})` : ''}`;
    case 'exit': return `exit status 0x${(result ?? 0n).toString(16)}`;
  }
}

/**
 * The siginfo of signals a call raised, as the recorder stored them: those still pending when
 * it returned and, with `withTaken`, also the timer signals the call itself took.
 */
function parseRaised(json: string, withTaken: boolean): Siginfo[] {
  const list = JSON.parse(json) as Record<string, number | string | boolean>[];
  return list.filter((o) => withTaken || o['taken'] !== true).map(siginfoOf);
}

/** A siginfo as the recorder stored it (bigints as "123n"), without its `taken` mark. */
function siginfoOf(o: Record<string, number | string | boolean>): Siginfo {
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'taken')
    .map(([k, v]) => [k, typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v])) as unknown as Siginfo;
}

/** The #! scripts an exec image's exec followed, stored with it: each name they were run by, and a host copy. */
export function scriptFiles(input: Pick<ReplayInput, 'images' | 'imageFile'>, image: ImageRow): Map<string, string> {
  return new Map(input.images.filter((i) => i.role === 'script' && i.seq === image.seq && i.tid === image.tid).map((i) => [i.path, input.imageFile(i)]));
}

export class ReplayDriver implements Tracer, SyscallExecutor {
  private pos = 0;
  /** Per task, the recorded entry stop of its call in flight. */
  private readonly entryOf = new Map<number, StopRow>();
  private readonly imageAt = new Map<number, ImageRow>();
  private readonly seen = new Set<number>();
  /** Recorded argument lists, parsed, by their text. */
  private readonly argValues = new Map<string, bigint[]>();
  /** Calls whose recorded result comes after other tasks' stops: parked until it is due. */
  private readonly parked = new Map<number, { task: Task; seq: number }>();
  private firstTid = -1;
  /** Per task, its last stop replayed and how many time-reading instructions it has run. */
  private readonly lastSeqOf = new Map<number, number>();
  /** The stops after which the recording switched tasks (steer). */
  /** The recording's switches (steer), and the next one not yet made. */
  private switches: readonly SwitchRow[] = [];
  private switchNext = 0;
  private readonly insnsOf = new Map<number, number>();
  /** Timer signals to send when the recorded exit stop (by seq) is due: a call they interrupted. */
  private readonly timerSignalsAt = new Map<number, { task: Task; infos: Siginfo[] }>();
  /** The recorded image an execve (or the first spawn) is loading now. */
  private loading: ImageRow | undefined;
  /** The outside signals sent again (by their ordinal), and the index of the first one not sent. */
  private readonly outsideSent = new Set<number>();
  private outsideNext = 0;
  /** The index of the first timer signal (timer_signals) not sent again yet. */
  private timerNext = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly input: ReplayInput,
    private readonly tracer: Tracer,
    private readonly stopAt: number | undefined,
    /** The recording followed clones and forks: replay must too, as must the tracer to see them. */
    private readonly recordedFollow: boolean,
    private readonly tracerFollows: boolean,
  ) {
    // (A dynamic program's loader is stored at its exec's stop too: interpreterFor finds it.)
    for (const i of input.images) if (i.role === 'exec' || i.role === 'mmap') this.imageAt.set(i.seq, i);
  }

  /**
   * The kernel's source of dynamic loaders in replay: the loader stored with the image being
   * loaded (`loading`), from the recording, never from a root filesystem.
   */
  interpreterFor(): { hostPath: string; guestPath: string } | undefined {
    const exec = this.loading;
    if (exec === undefined) return undefined;
    const interp = this.input.images.find((i) => i.role === 'interp' && i.seq === exec.seq && i.tid === exec.tid);
    return interp === undefined ? undefined : { hostPath: this.input.imageFile(interp), guestPath: interp.path };
  }

  /** The first process is about to be built from `image`. */
  spawning(image: ImageRow): void {
    this.loading = image;
  }

  /** A recorded argument list (hex text, comma separated) against the replayed values. */
  private sameArgs(text: string | null, args: readonly bigint[]): boolean {
    if (text === null) return false;
    let want = this.argValues.get(text);
    if (want === undefined) {
      want = text === '' ? [] : text.split(',').map((a) => BigInt(`0x${a}`));
      // A recording of many distinct argument lists is not held whole.
      if (this.argValues.size >= 1 << 16) this.argValues.clear();
      this.argValues.set(text, want);
    }
    if (want.length !== args.length) return false;
    // Registers read unsigned: asUintN (which allocates) only for a value that differs as read.
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!;
      if (v !== want[i] && BigInt.asUintN(64, v) !== want[i]) return false;
    }
    return true;
  }

  /** Stops replayed so far. */
  get replayed(): number {
    return this.pos;
  }

  notify(task: Task, status: number): void {
    const tid = task.tid;
    let kind: StopKind;
    let name: string | null = null;
    let args: readonly bigint[] | null = null;
    let result: bigint | null = null;
    let signo: number | null = null;
    if (status === SYSCALL_STOP) {
      const info = this.kernel.ptraceSyscallInfo(tid)!;
      name = task.group.arch.syscallNames.get(info.nr) ?? `syscall_0x${info.nr.toString(16)}`;
      if (info.op === 'entry') {
        kind = 'syscall-entry';
        // A fresh array per call, compared at once.
        args = info.args;
      } else {
        kind = 'syscall-exit';
        result = BigInt.asIntN(64, info.ret);
        // An execve of the other architecture's binary ends in the new image, whose table
        // names the number otherwise: the call is the one its entry named.
        const entry = this.entryOf.get(tid);
        if (entry !== undefined && entry.nr === info.nr && entry.name !== null) name = entry.name;
      }
    } else if (WIFSTOPPED(status)) {
      const sig = WSTOPSIG(status);
      const event = status >>> 16;
      if (event !== 0 || (sig === SIG.SIGTRAP && task.ptrace?.stopKind === 'exec')) {
        kind = 'event';
        name = EVENT_NAMES[event] ?? 'exec';
        if (event !== 0) result = this.kernel.ptraceEventMessage(tid) ?? null;
      } else {
        kind = 'signal';
        signo = sig;
        name = signalName(sig);
      }
    } else {
      kind = 'exit';
      result = BigInt(status);
    }
    const rec = this.input.stops.at(this.pos);
    if (rec === undefined) throw new RecordingEnded(this.pos);
    const same = rec.tid === tid && rec.kind === kind && rec.name === name &&
      (kind !== 'syscall-entry' || this.sameArgs(rec.args, args!)) &&
      (kind !== 'syscall-exit' || rec.result === result) &&
      (kind !== 'signal' || rec.signo === signo) &&
      (kind !== 'exit' || rec.result === result) &&
      (kind !== 'event' || name === 'exec' || rec.result === result);
    if (!same) {
      throw new Divergence({ seq: rec.seq, tid: rec.tid, kind: rec.kind, text: describe(rec.kind, rec.name, rec.args, rec.result, rec.signo) },
        { seq: this.pos, tid, kind, text: describe(kind, name, args, result, signo) });
    }
    this.pos++;
    this.lastSeqOf.set(tid, rec.seq);
    // A place to stop at may follow this stop in the same run (a switch, an outside signal).
    this.kernel.stopRunAtNextPlace(task);
    // The recording switched tasks after this stop, maybe for a reason replay does not
    // reproduce (a write to a host pipe ended the writer's slice): the slice ends here too.
    const sw = this.dueSwitch();
    if (sw !== undefined && switchedAtStop(sw, rec.blocks)) this.kernel.scheduler.sliceOver = true;
    this.wakeDue();
    if (this.firstTid < 0) this.firstTid = tid;
    const firstStop = !this.seen.has(tid);
    this.seen.add(tid);
    if (kind === 'syscall-entry') this.entryOf.set(tid, rec);
    else if (kind === 'syscall-exit' && replayPolicy(name!) === 'restoreWrites') this.applyWrites(task, rec.seq);
    if (kind === 'event' && name === 'exec') this.restoreAtRandom(task, rec.seq);
    // The user's tracer sees what it would have followed itself; the driver resumes the rest.
    const forward = this.tracerFollows || (tid === this.firstTid && (kind !== 'event' || name === 'exec'));
    if (forward) this.tracer.notify(task, status);
    else this.kernel.ptraceResume(tid, 'syscall', kind === 'signal' && !(firstStop && signo === SIG.SIGSTOP) ? signo ?? 0 : 0);
    const link = task.ptrace;
    if (kind === 'event' && name === 'exec' && link !== undefined) {
      // Follow children exactly when the recording did, whatever the tracer asked for.
      const follow = PTRACE_O.TRACECLONE | PTRACE_O.TRACEFORK | PTRACE_O.TRACEVFORK;
      link.options = this.recordedFollow ? link.options | follow : link.options & ~follow;
    }
    if (this.stopAt !== undefined && rec.seq >= this.stopAt) throw new StopRequested(rec.seq, tid, this.registers(task));
  }

  /**
   * A time-reading instruction of `task` (kernel.timeReads): it gets the value the recording
   * holds for the task's next one, which must be of the same kind and after the same stop.
   */
  timeRead(task: Task, read: TimeRead): void {
    const tid = task.tid;
    const ordinal = this.insnsOf.get(tid) ?? 0;
    const row = this.input.insnValue(tid, ordinal);
    const after = this.lastSeqOf.get(tid) ?? null;
    if (row === undefined || row.kind !== read.kind || row.after_seq !== after) {
      const where = (s: number | null): string => (s === null ? 'before its first stop' : `after stop ${s}`);
      throw new Divergence(
        row === undefined
          ? { seq: after ?? -1, tid, kind: 'instruction', text: `none: the recording holds ${ordinal} time-reading instructions of this task` }
          : { seq: row.after_seq ?? -1, tid, kind: 'instruction', text: `${row.kind} #${ordinal} ${where(row.after_seq)}` },
        { seq: after ?? -1, tid, kind: 'instruction', text: `${read.kind} #${ordinal} ${where(after)}` });
    }
    this.insnsOf.set(tid, ordinal + 1);
    read.value = BigInt.asUintN(64, row.value);
    if (row.aux !== null) read.aux = BigInt.asUintN(64, row.aux);
  }

  /** The next outside signal of the recording that replay has not sent yet. */
  private nextOutside(): OutsideSignalRow | undefined {
    const rows = this.input.outside;
    while (this.outsideNext < rows.length && this.outsideSent.has(rows[this.outsideNext]!.ordinal)) this.outsideNext++;
    return rows[this.outsideNext];
  }

  private sendOutside(row: OutsideSignalRow): void {
    this.outsideSent.add(row.ordinal);
    this.kernel.sendOutside({ signo: row.signo, pid: row.pid, senderPid: row.sender_pid, senderUid: row.sender_uid });
  }

  /**
   * Where a task's run must stop (kernel.executionStop): the place in its run where the next
   * outside signal came, when it came while this task ran guest code.
   */
  executionStop(task: Task): bigint | undefined {
    const now = this.kernel.executedNow(task) ?? task.executed;
    const row = this.nextOutside();
    let stop = row !== undefined && row.tid === task.tid && row.executed !== null ? row.executed : undefined;
    const timer = this.input.timerSignals[this.timerNext];
    if (timer !== undefined && timer.tid === task.tid && timer.executed >= now && (stop === undefined || timer.executed < stop)) stop = timer.executed;
    // The recording's slice of the running task ended there (the other tasks may not make replay
    // slice it at all: a reader parked on a host pipe then is parked on the recording now).
    const end = this.sliceEnd(task);
    if (end !== undefined && now < end && (stop === undefined || end < stop)) stop = end;
    return stop;
  }

  /** Where the recording's next switch ended the slice of `task`, the running one (its count). */
  private sliceEnd(task: Task): bigint | undefined {
    const sw = this.dueSwitch();
    return sw?.executed != null && task === this.kernel.scheduler.current ? BigInt(sw.executed) : undefined;
  }

  /** The recording's next switch, when it came after the last stop replayed. */
  private dueSwitch(): SwitchRow | undefined {
    const switches = this.switches;
    while (this.switchNext < switches.length && switches[this.switchNext]!.after_seq < this.pos - 1) this.switchNext++;
    const s = switches[this.switchNext];
    return s !== undefined && s.after_seq === this.pos - 1 ? s : undefined;
  }

  /**
   * A run of `task` ended (kernel.runEnded): the timers' signals that came at the end of its
   * slice there, at record time, go out now, as the timers sent them then.
   */
  runEnded(task: Task): void {
    // The run stopped where the recording's slice ended: the slice ends here too.
    const end = this.sliceEnd(task);
    if (end !== undefined && task.executed >= end) this.kernel.scheduler.sliceOver = true;
    const rows = this.input.timerSignals;
    for (let row = rows[this.timerNext]; row !== undefined && row.tid === task.tid && row.executed === task.executed && this.pos >= row.seq; row = rows[this.timerNext]) {
      this.timerNext++;
      const target = this.kernel.task(row.target);
      if (target !== undefined) this.kernel.sendSignal(target, siginfoOf(JSON.parse(row.siginfo) as Record<string, number | string | boolean>));
    }
  }

  /**
   * Between runs (kernel.interrupts): the next outside signal goes out once its task has run to
   * the place where it came, after the stops recorded before it. Never a host signal: 0.
   */
  sendDueOutside(): number {
    const row = this.nextOutside();
    if (row === undefined || row.tid === null || row.executed === null || this.pos < row.seq) return 0;
    const task = this.kernel.task(row.tid);
    if (task === undefined || task.executed < row.executed) return 0;
    // Taken by another task (one that does not block it): a count names the end of a slice and
    // the start of that task's next one alike, so it also waits until the task that took it has
    // run as far as it had then (it takes it at its next run).
    const d = this.input.outsideDeliveries?.get(row.ordinal);
    if (d !== undefined && d.tid !== row.tid) {
      const taker = this.kernel.task(d.tid);
      if (taker !== undefined && taker.executed < d.blocks) return 0;
    }
    this.sendOutside(row);
    return 0;
  }

  /**
   * Signals a call raised, to be sent again: an outside one among them is then sent (the call
   * it interrupted, or that took it, carries it; not its own row).
   */
  private raisedAgain(json: string, withTaken: boolean): Siginfo[] {
    const infos = parseRaised(json, withTaken);
    for (const info of infos) if (info.outside !== undefined) this.outsideSent.add(info.outside);
    return infos;
  }

  /** Per task, how many time-reading instructions replay gave values to. */
  get timeReadsReplayed(): ReadonlyMap<number, number> {
    return this.insnsOf;
  }

  /** A parked call whose recorded exit is the next stop goes on (or gets its timer's signal). */
  private wakeDue(): void {
    const due = this.input.stops.at(this.pos);
    if (due === undefined || due.kind !== 'syscall-exit') return;
    const signals = this.timerSignalsAt.get(due.seq);
    if (signals !== undefined) {
      this.timerSignalsAt.delete(due.seq);
      for (const info of signals.infos) this.kernel.sendSignal(signals.task, info);
    }
    const p = this.parked.get(due.tid);
    if (p === undefined) {
      const t = this.kernel.task(due.tid);
      if (t !== undefined && this.timedOut(t)) this.kernel.scheduler.sliceOver = true;
      return;
    }
    if (p.seq !== due.seq) return;
    this.parked.delete(due.tid);
    this.kernel.scheduler.wake(p.task, 'event');
    // As a write to a pipe let its parked reader run at once (Kernel.preemptForHost).
    this.kernel.scheduler.sliceOver = true;
  }

  /**
   * Runs a call the kernel runs again; one that parks with a timeout when its exit is the very
   * next stop timed out at once then (an absolute deadline already past).
   */
  private runTimed(task: Task, run: () => bigint): bigint {
    const r = run();
    if (r === BLOCKED) this.timedOut(task);
    return r;
  }

  /**
   * A call the kernel runs again (futex, rt_sigtimedwait) that waits with a timeout, when its exit
   * is the next stop and nothing woke it: it timed out then (kernel.recordedTimeouts), and is
   * woken so now. True when it was.
   */
  private timedOut(task: Task): boolean {
    const due = this.input.stops.at(this.pos);
    if (due === undefined || due.tid !== task.tid || due.kind !== 'syscall-exit') return false;
    if (task.state !== 'blocked' || task.syscall?.timed !== true || task.syscall.wait === undefined || this.parked.has(task.tid)) return false;
    this.kernel.scheduler.wake(task, 'timeout');
    return true;
  }

  /**
   * Makes the kernel's scheduler switch tasks where the recording did: after the stop at which
   * the recording switched, the task it switched to runs (when it can); between switches the
   * running task keeps the CPU. Where the recording says nothing, the scheduler decides.
   */
  steer(scheduler: Scheduler, switches: readonly SwitchRow[]): void {
    // A switch before the running task used up its budget happened at the stop itself.
    this.switches = switches;
    const own = scheduler.next.bind(scheduler);
    scheduler.next = () => {
      const cur = scheduler.current;
      // Only where the scheduler would switch anyway (a slice ended, the task cannot go on).
      const natural = cur === undefined || cur.state !== 'running' || scheduler.sliceOver;
      if (!natural) return own();
      const s = this.dueSwitch();
      // Several slices may end between two stops: the recording switched at the end of the one
      // after which the running task had run this much guest code in all.
      if (s?.executed != null && this.kernel.countExecution && cur !== undefined && cur.state === 'running' && cur.executed < s.executed) {
        scheduler.sliceOver = false;
        return cur;
      }
      const want = s?.tid;
      if (want !== undefined) {
        // The recording switched to a task whose timed wait had just run out.
        const waiting = scheduler.all().find((x) => x.tid === want && x.state === 'blocked');
        if (waiting !== undefined) this.timedOut(waiting);
        const t = scheduler.all().find((x) => x.tid === want && x.state === 'running');
        if (t !== undefined) {
          this.switchNext++;
          scheduler.current = t;
          scheduler.sliceOver = false;
          return t;
        }
      } else if (cur !== undefined && cur.state === 'running') {
        // A slice ended where the recording did not switch: the same task goes on.
        scheduler.sliceOver = false;
        return cur;
      }
      let t = own();
      // Every task waits in a call, as they did when the next outside signal came (one no call
      // took: a SIGKILL, or a signal blocked or ignored): it comes now.
      const outside = t === undefined ? this.nextOutside() : undefined;
      if (outside !== undefined && outside.tid === null && this.pos >= outside.seq) {
        this.sendOutside(outside);
        t = own();
      }
      // Every task waits, and only an outside signal could wake one (replay arms no timers): the
      // recording went on, so this is where replay left it.
      if (t === undefined && this.parked.size === 0 && this.kernel.nothingCanWake() && this.input.stops.at(this.pos) !== undefined) {
        const rec = this.input.stops.at(this.pos)!;
        const waiting = scheduler.all().filter((x) => x.state === 'blocked').map((x) => `${x.tid} in ${x.syscall?.wait?.what ?? 'a call'}`).join(', ');
        throw new Divergence({ seq: rec.seq, tid: rec.tid, kind: rec.kind, text: describe(rec.kind, rec.name, rec.args, rec.result, rec.signo) },
          { seq: this.pos, tid: rec.tid, kind: rec.kind, text: `every task waits and nothing can wake one (${waiting})` });
      }
      if (t === undefined && this.parked.size > 0 && !scheduler.all().some((x) => x.state === 'blocked' && x.syscall?.wait?.what !== 'replay')) {
        const rec = this.input.stops.at(this.pos);
        const p = [...this.parked.values()][0]!;
        throw new Divergence(rec === undefined ? undefined : { seq: rec.seq, tid: rec.tid, kind: rec.kind, text: describe(rec.kind, rec.name, rec.args, rec.result, rec.signo) },
          { seq: this.pos, tid: p.task.tid, kind: 'syscall-entry', text: 'every task waits for its recorded turn' });
      }
      return t;
    };
  }

  /** The AT_RANDOM bytes the recorded image got, in the same place of the new image. */
  private restoreAtRandom(task: Task, seq: number): void {
    const image = this.imageAt.get(seq);
    if (image?.at_random == null) return;
    const mm = task.group.mm;
    const at = atRandomAddress(mm, task.group.cpu.sp);
    if (at !== null) mm.hostWrite(at, image.at_random);
  }

  private registers(task: Task): [string, bigint][] {
    const cpu = task.group.cpu;
    const regs = task.group.arch.regs;
    const out: [string, bigint][] = [['pc', cpu.pc], ['sp', cpu.sp]];
    out.push(['nr', cpu.registers.read(regs.nr)]);
    regs.args.forEach((id, i) => out.push([`arg${i}`, cpu.registers.read(id)]));
    out.push(['ret', cpu.registers.read(regs.ret)]);
    return out;
  }

  execute(task: Task, call: SyscallCall, run: () => bigint): bigint {
    const name = task.group.arch.syscallNames.get(call.nr) ?? '';
    const policy = replayPolicy(name);
    const entry = this.entryOf.get(task.tid);
    const exit = entry === undefined ? undefined : this.input.stops.exitOf(entry.seq);
    switch (policy) {
      case 'execute':
      case 'restoreWrites': {
        // A descriptor made by a re-executed call takes the number it had: the applied calls
        // that took numbers before it (open, socket, pipe...) left no files in replay's table.
        if (name === 'signalfd' || name === 'signalfd4') return this.recordedDescriptor(task, this.runTimed(task, run), exit);
        // A timer's signal interrupted the call at record time: replay arms no timers (their
        // calls are applied), so the signal comes from the recording, once the call's exit is
        // the next stop, and the call ends as it did then.
        if (exit?.raised == null) return this.runTimed(task, run);
        const timerSignals = this.raisedAgain(exit.raised, true).filter((i) => sentByTimer(i) || i.outside !== undefined);
        if (timerSignals.length === 0) return this.runTimed(task, run);
        if (this.input.stops.at(this.pos)?.seq === exit!.seq) for (const info of timerSignals) this.kernel.sendSignal(task, info);
        else this.timerSignalsAt.set(exit!.seq, { task, infos: timerSignals });
        return this.runTimed(task, run);
      }
      case 'exec':
        return this.exec(task, entry, run);
      case 'mmap':
        if ((call.args[3]! & MAP_ANONYMOUS) !== 0n) return run();
        return this.mapRecorded(task, call, exit, run);
      case 'apply': {
        if (exit === undefined || exit.result === null) {
          // No return was recorded: the task was still in the call when it was killed (a
          // thread parked in pause() when another thread execs or exits the group), or the
          // recording ends there. It stays in the call until the replay kills it or runs out.
          if (this.input.stops.at(this.pos) === undefined) throw new RecordingEnded(this.pos);
          return this.kernel.park(task, call, { what: 'replay', interruptible: false, retry: () => BLOCKED });
        }
        if (this.input.stops.at(this.pos)?.seq === exit.seq) return this.applyRecorded(task, call, name, exit);
        // Other tasks ran before this call returned (it waited at record time): it waits its turn.
        this.parked.set(task.tid, { task, seq: exit.seq });
        return this.kernel.park(task, call, {
          what: 'replay',
          interruptible: false,
          retry: () => (this.input.stops.at(this.pos)?.seq === exit.seq ? this.applyRecorded(task, call, name, exit) : BLOCKED),
          cancel: () => this.parked.delete(task.tid),
        });
      }
    }
  }

  /** Moves the descriptor a re-executed call made (`fd`) to the number the recording gave it. */
  private recordedDescriptor(task: Task, fd: bigint, exit: StopRow | undefined): bigint {
    const want = exit?.result;
    if (fd < 0n || want == null || want < 0n || want === fd) return fd;
    const fds = task.group.fds;
    const e = fds.get(Number(fd));
    if (e === undefined) return fd;
    fds.installAt(Number(want), e.file.retain(), e.cloexec);
    fds.close(Number(fd));
    return want;
  }

  /** An applied call ends as recorded: its result, its writes into guest memory, its output and signals. */
  private applyRecorded(task: Task, call: SyscallCall, name: string, exit: StopRow): bigint {
    const result = exit.result!;
    // A signal interrupted a wait with its own mask (ppoll, pselect6, epoll_pwait): its
    // handler runs with that mask, as it did (the kernel gives it up after delivery).
    if (result === INTERRUPTED_NOHAND || result === INTERRUPTED) {
      const mask = waitSigmask(name, task.group.mm, call.args);
      if (mask !== undefined) {
        task.savedSigmask = task.sigmask;
        task.sigmask = mask;
      }
    }
    this.applyWrites(task, exit.seq);
    this.trackNetlink(task, name, call.args, result);
    this.echoOutput(task, name, call.args, result, this.input.echoes.get(exit.seq));
    if (exit.raised !== null) for (const info of this.raisedAgain(exit.raised, false)) this.kernel.sendSignal(task, info);
    return result;
  }

  /**
   * The netlink sockets of the replay, as placeholders in the fd table (no host socket behind
   * them) so the tracer decodes their buffers as it did at record time.
   */
  private trackNetlink(task: Task, name: string, args: readonly bigint[], result: bigint): void {
    const fds = task.group.fds;
    if (name === 'socket' && Number(BigInt.asIntN(32, args[0]!)) === AF_NETLINK && result >= 0n) {
      fds.installAt(Number(result), new NetlinkSocket(-1, task.group.pid, -1, Number(BigInt.asIntN(32, args[2]!))), false);
    } else if (name === 'close' && result === 0n) {
      const fd = Number(BigInt.asIntN(32, args[0]!));
      if (fds.get(fd)?.file instanceof NetlinkSocket) fds.close(fd);
    }
  }

  private applyWrites(task: Task, seq: number): void {
    const mm = task.group.mm;
    const writes = this.input.stops.writesOf(seq);
    for (let i = 0; i < writes.length; i++) {
      const w = writes[i]!;
      if (!mm.write(w.addr, w.data)) mm.hostWrite(w.addr, w.data);
    }
  }

  /** The guest's own output: what a write to tstrace's standard output or error wrote goes there again. */
  private echoOutput(task: Task, name: string, args: readonly bigint[], result: bigint, fd: 1 | 2 | undefined): void {
    if (result <= 0n || fd === undefined) return;
    const mm = task.group.mm;
    const parts: Uint8Array[] = [];
    if (name === 'write' || name === 'pwrite64') {
      const b = mm.read(args[1]!, Number(result));
      if (b !== null) parts.push(b);
    } else if (name === 'writev' || name === 'pwritev' || name === 'pwritev2') {
      let left = result;
      const iov = mm.read(args[1]!, 16 * Number(args[2]!));
      if (iov === null) return;
      const dv = new DataView(iov.buffer, iov.byteOffset, iov.byteLength);
      for (let i = 0; i < Number(args[2]!) && left > 0n; i++) {
        const base = dv.getBigUint64(i * 16, true);
        const len = dv.getBigUint64(i * 16 + 8, true);
        const n = len < left ? len : left;
        const b = mm.read(base, Number(n));
        if (b !== null) parts.push(b);
        left -= n;
      }
    } else {
      return;
    }
    for (const p of parts) {
      let off = 0;
      while (off < p.length) {
        try {
          off += writeSync(fd, p, off);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        }
      }
    }
  }

  /**
   * A file-backed mmap: a private fixed mapping at the recorded address holding the recorded
   * bytes. Where the file ended before the mapping did, it maps the stored bytes as a file, so
   * that the pages past them raise SIGBUS as they did.
   */
  private mapRecorded(task: Task, call: SyscallCall, exit: StopRow | undefined, run: () => bigint): bigint {
    if (exit === undefined || exit.result === null) throw new RecordingEnded(this.pos);
    const ret = exit.result;
    if (ret < 0n && ret >= -4095n) return ret;
    const a = call.args;
    a[0] = ret;
    // A shared mapping stays shared (anonymous shared memory): a fork's child shares it, as the
    // processes of a recorded run shared a file they mapped (a POSIX semaphore in /dev/shm).
    const shared = (a[3]! & 0x3n) !== 0x2n /* MAP_PRIVATE */;
    a[3] = (a[3]! & ~0x3n) | (shared ? 0x1n /* MAP_SHARED */ : 0x2n) | MAP_FIXED | MAP_ANONYMOUS;
    a[4] = BigInt.asUintN(64, -1n);
    a[5] = 0n;
    const r = run();
    const image = this.imageAt.get(exit.seq);
    if (image === undefined || r !== ret) return r;
    const bytes = this.input.blob(image.sha256);
    const mm = task.group.mm;
    const len = alignUp(BigInt.asUintN(64, a[1]!));
    if (BigInt(bytes.length) >= len) {
      mm.hostWrite(ret, bytes);
      return r;
    }
    // The file ended before the mapping did: the stored bytes are mapped as a file, so that the
    // pages past them raise SIGBUS as they did; a shared mapping gets a copy of its own, which
    // the processes that share it write into (a POSIX semaphore's 32-byte file).
    const fd = shared ? openSync(this.input.imageCopy(image), 'r+') : openSync(this.input.imageFile(image), 'r');
    const st = fstatSync(fd, { bigint: true });
    const file = new MappedFile(fd, image.path, st.dev, st.ino, shared, st.size);
    if (!mm.map(ret, len, Number(a[2]! & 0xffn), shared, { kind: 'file', file, offset: 0n })) file.release();
    return r;
  }

  /** execve on the recorded binary: the path the guest names resolves to the copy from the recording. */
  private exec(task: Task, entry: StopRow | undefined, run: () => bigint): bigint {
    // The image of this call is stored at its exec event, the next stop of this task after the entry;
    // a non-leader thread that execs takes the leader's tid, which its exec event is recorded under.
    const image = entry === undefined ? undefined : this.input.images.find((i) => i.role === 'exec' && (i.tid === task.tid || i.tid === task.group.pid) && i.seq > entry.seq);
    const exit = entry === undefined ? undefined : this.input.stops.exitOf(entry.seq);
    if (image === undefined || (exit !== undefined && exit.result !== 0n)) {
      // It failed at record time: its result is applied.
      if (exit?.result == null) throw new RecordingEnded(this.pos);
      return exit.result;
    }
    const file = this.input.imageFile(image);
    const kernel = this.kernel;
    const group = task.group;
    const resolve = kernel.resolvePath;
    const exe = group.exe;
    // The #! scripts it followed, by the names they were run by; any other path is the binary.
    const scripts = scriptFiles(this.input, image);
    kernel.resolvePath = (_group, path) => scripts.get(path) ?? file;
    group.exe = file;
    this.loading = image;
    let r: bigint;
    try {
      r = run();
    } finally {
      kernel.resolvePath = resolve;
      this.loading = undefined;
    }
    if (r !== 0n) group.exe = exe;
    return r;
  }
}

