// The recorder's place in a run: a Tracer in front of the strace tracer. At each ptrace stop
// it reads what the stop is (syscall info, signal, event, exit), lets a second, unfiltered
// strace tracer print the stop's line into a capture, writes the stop, then hands the stop to
// the user's tracer (which resumes the tracee). It also watches the scheduler and the kernel's
// writes into guest memory, and stores executed binaries and file-backed mappings as blobs.
import { readFileSync } from 'node:fs';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { KernelObserver, OutsideSignal } from '../kernel/observer.js';
import { accessEnd, type AddressSpace, type MemoryWriteObserver } from '../kernel/memory/address-space.js';
import { PTRACE_EVENT, WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WIFSTOPPED, WSTOPSIG, type Siginfo, type Tracer } from '../kernel/ptrace.js';
import { sentByTimer } from '../kernel/timers.js';
import { SIG, signalName } from '../abi/signals.js';
import type { StraceTracer } from '../tracer/tracer.js';
import type { CaptureOutput } from './capture-output.js';
import { PATH_ARGUMENT } from './path-args.js';
import { FILE_CHANGING, SharedMappingCopies } from './shared-mappings.js';
import type { MemoryWrite, Recorder } from './recorder.js';

/** The wait status of a syscall-stop under PTRACE_O_TRACESYSGOOD. */
export const SYSCALL_STOP = ((SIG.SIGTRAP | 0x80) << 8) | 0x7f;

/** Calls that may wait a long time: what is recorded before them is committed first. */
const MAY_WAIT = new Set(['read', 'readv', 'pread64', 'wait4', 'waitid', 'nanosleep', 'clock_nanosleep', 'pause', 'futex',
  'poll', 'ppoll', 'select', 'pselect6', 'epoll_wait', 'epoll_pwait', 'accept', 'accept4', 'recvfrom', 'recvmsg',
  'rt_sigsuspend', 'rt_sigtimedwait', 'connect', 'sched_yield']);

export const EVENT_NAMES: Readonly<Record<number, string>> = {
  [PTRACE_EVENT.FORK]: 'fork', [PTRACE_EVENT.VFORK]: 'vfork', [PTRACE_EVENT.CLONE]: 'clone', [PTRACE_EVENT.EXEC]: 'exec',
  [PTRACE_EVENT.VFORK_DONE]: 'vfork-done', [PTRACE_EVENT.EXIT]: 'exit', [PTRACE_EVENT.STOP]: 'stop',
};

/** Calls whose bytes replay writes again when they went to tstrace's own output (echoes). */
const OUTPUT_WRITES = new Set(['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2']);

const AT_RANDOM = 25n;
const MAP_ANONYMOUS = 0x20n;
const MAP_TYPE = 0xfn;
const MAP_PRIVATE = 0x2n;

/** A view of the kernel for a tracer that watches but must not resume or configure tracees. */
export function watchOnly(kernel: Kernel): Kernel {
  return new Proxy(kernel, {
    get(target, prop) {
      if (prop === 'ptraceResume' || prop === 'ptraceSetOptions') return () => 0;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export class RecordingTracer implements Tracer, KernelObserver {
  private readonly known = new Set<number>();
  private readonly writes = new Map<number, MemoryWrite[]>();
  private readonly observed = new WeakSet<AddressSpace>();
  private readonly shared = new SharedMappingCopies();
  private running: Task | undefined;
  private lastScheduled = -1;
  /** Syscall name of each task's call between entry and exit. */
  // (Entries are overwritten and set to undefined, never deleted: a Map that deletes and re-adds
  // a key at every stop spends its time compacting.)
  private readonly inFlight = new Map<number, { name: string; args: readonly bigint[]; pending: bigint } | undefined>();
  private readonly onWrite: MemoryWriteObserver = (addr, data) => {
    const tid = this.running?.tid ?? -1;
    let list = this.writes.get(tid);
    if (list === undefined) this.writes.set(tid, (list = []));
    list.push({ addr, data: Buffer.from(data) });
  };

  /**
   * `capture`: an unfiltered strace tracer printing into `captured`; it resumes tracees only
   * when there is no `primary` (record without a trace), else it is bound to watchOnly(kernel).
   */
  constructor(
    private readonly kernel: Kernel,
    private readonly recorder: Recorder,
    private readonly capture: StraceTracer,
    private readonly captured: CaptureOutput,
    private readonly primary: Tracer | undefined,
  ) {}

  taskScheduled(task: Task): void {
    const prev = this.running;
    this.running = task;
    this.watch(task);
    if (task.tid === this.lastScheduled) return;
    this.lastScheduled = task.tid;
    // How much guest code the previous task's slice ran, where its CPU counts (budgeted slices).
    const cpu = prev?.group.cpu;
    this.recorder.switched(task.tid, cpu !== undefined && !cpu.engine.closed && cpu.budgeted ? cpu.budgetUsed : undefined, prev?.executed);
  }

  timerSignal(target: Task, info: Siginfo, place: Task): void {
    this.recorder.timerSignal(place.tid, place.executed, target.tid, JSON.stringify(siginfoJson(info)));
  }

  outsideSignal(signal: OutsideSignal, ordinal: number): void {
    this.recorder.outsideSignal(ordinal, signal);
    // Committed at once: a second Ctrl-C may be the last thing this process does.
    this.recorder.commit();
  }

  private watch(task: Task): void {
    const mm = task.group.mm;
    if (!this.observed.has(mm)) {
      mm.writeObserver = this.onWrite;
      this.observed.add(mm);
    }
  }

  private takeWrites(tid: number): MemoryWrite[] | undefined {
    if (this.writes.size === 0) return undefined;
    const w = this.writes.get(tid);
    if (w !== undefined) this.writes.delete(tid);
    return w;
  }

  notify(task: Task, status: number): void {
    const tid = task.tid;
    const rec = this.recorder;
    this.running = task;
    this.watch(task);
    if (!this.known.has(tid)) {
      this.known.add(tid);
      const group = task.group;
      rec.task(tid, group.pid, tid === group.pid ? group.parent?.pid : group.pid, rec.nextSeq);
    }
    // Where in the task's run the stop is: the guest code it has run so far.
    const blocks = this.kernel.executedNow(task);
    const names = task.group.arch.syscallNames;
    if (status === SYSCALL_STOP) {
      const info = this.kernel.ptraceSyscallInfo(tid)!;
      const nr = info.nr;
      const name = names.get(nr) ?? `syscall_0x${nr.toString(16)}`;
      if (info.op === 'entry') {
        const args = [...info.args];
        this.capture.notify(task, status);
        const seq = rec.entry(tid, nr, name, args, blocks, this.takeWrites(tid));
        this.inFlight.set(tid, { name, args, pending: task.pending });
        const p = PATH_ARGUMENT.get(name);
        if (p !== undefined) {
          const s = task.group.mm.readCString(args[p]!, 4096);
          if (s instanceof Uint8Array) rec.path(seq, tid, Buffer.from(s).toString('latin1'));
        }
        if (MAY_WAIT.has(name)) rec.commit();
      } else {
        const ret = BigInt.asIntN(64, info.ret);
        const call = this.inFlight.get(tid);
        const raised = call === undefined ? undefined : raisedSignals(task, call.pending, task.syscall?.signalsSent);
        this.capture.notify(task, status);
        const line = this.captured.take();
        const failed = ret < 0n && ret >= -4095n;
        if (!failed && FILE_CHANGING.has(name)) this.shared.changes(task.group.mm, this.onWrite);
        const seq = rec.exit(tid, nr, name, ret, line, blocks, this.takeWrites(tid), raised);
        this.inFlight.set(tid, undefined);
        if (call !== undefined && ret > 0n && OUTPUT_WRITES.has(name)) {
          const stream = this.kernel.inheritedOutput(tid, Number(BigInt.asIntN(32, call.args[0]!)));
          if (stream !== undefined) rec.echo(seq, stream);
        }
        if (call !== undefined && name === 'mmap' && !failed && (call.args[3]! & MAP_ANONYMOUS) === 0n) {
          // A file-backed mapping: its bytes as the guest sees them, up to the file's last page
          // (the pages past it are not readable: touching them is SIGBUS).
          const bytes = mappedBytes(task.group.mm, ret, BigInt.asUintN(64, call.args[1]!));
          if (bytes !== null) rec.image(seq, tid, 'mmap', this.kernel.fdPath(tid, Number(BigInt.asIntN(32, call.args[4]!))) ?? '', bytes, ret);
          if ((call.args[3]! & MAP_TYPE) !== MAP_PRIVATE) this.shared.mapped(task.group.mm);
        }
      }
    } else if (WIFSTOPPED(status)) {
      const sig = WSTOPSIG(status);
      const event = status >>> 16;
      const isExec = (sig === SIG.SIGTRAP && task.ptrace?.stopKind === 'exec') || event === PTRACE_EVENT.EXEC;
      const message = event !== 0 ? this.kernel.ptraceEventMessage(tid) : undefined;
      // (Read before the capture tracer, which may resume the task.)
      const outside = event === 0 ? this.kernel.ptraceSiginfo(tid)?.outside : undefined;
      this.capture.notify(task, status);
      const line = this.captured.take();
      let seq: number;
      if (event !== 0 || isExec) {
        seq = rec.stop({ tid, kind: 'event', name: EVENT_NAMES[event] ?? 'exec', result: message, line, blocks, writes: this.takeWrites(tid) });
      } else {
        seq = rec.stop({ tid, kind: 'signal', signo: sig, name: signalName(sig), line, blocks, writes: this.takeWrites(tid) });
        if (outside !== undefined) rec.outsideDelivered(outside, seq);
      }
      if (isExec) this.recordImage(task, seq);
    } else {
      this.capture.notify(task, status);
      const line = this.captured.take();
      const seq = rec.stop({ tid, kind: 'exit', result: BigInt(status), signo: WIFSIGNALED(status) ? WTERMSIG(status) : undefined, line, writes: this.takeWrites(tid) });
      if (WIFEXITED(status)) rec.taskEnded(tid, seq, { how: 'exited', code: WEXITSTATUS(status) });
      else rec.taskEnded(tid, seq, { how: 'killed', signal: WTERMSIG(status) });
      this.inFlight.set(tid, undefined);
      this.writes.delete(tid);
      rec.commit();
    }
    this.primary?.notify(task, status);
  }

  /** The binary a task now runs, and the AT_RANDOM bytes its image got. */
  private recordImage(task: Task, seq: number): void {
    const group = task.group;
    const data = readFileSync(group.exe);
    this.recorder.image(seq, task.tid, 'exec', group.execPath, data, undefined, atRandomOf(group.mm, group.cpu.sp) ?? undefined);
    // A dynamic program's loader, which the kernel itself read: replay needs no root filesystem.
    const interp = group.interpreter;
    if (interp !== undefined) this.recorder.image(seq, task.tid, 'interp', interp.guestPath, readFileSync(interp.hostPath));
    // The #! scripts that led to the binary: replay follows them again to the same argv.
    for (const s of group.scripts) this.recorder.image(seq, task.tid, 'script', s.name, readFileSync(s.hostPath));
  }
}

/** The readable bytes of a new mapping [addr, addr+len): up to the first page it cannot read. */
function mappedBytes(mm: AddressSpace, addr: bigint, len: bigint): Uint8Array | null {
  let end = addr;
  const limit = addr + len;
  for (;;) {
    const v = mm.find(end);
    if (v === undefined || v.start > end) break;
    const stop = accessEnd(v);
    if (stop <= end) break;
    end = stop < limit ? stop : limit;
    if (end >= limit || stop < v.end) break;
  }
  return end === addr ? null : mm.peek(addr, Number(end - addr));
}

/**
 * Signals that became pending on the task during its call, with their siginfo, as JSON; and a
 * timer's or an outside signal the call itself took (rt_sigtimedwait), which replay must send
 * to it. An outside signal keeps its ordinal (`outside`).
 */
function raisedSignals(task: Task, before: bigint, sent: readonly Siginfo[] | undefined): string | undefined {
  const added = task.pending & ~before;
  const taken = sent?.filter((info) => (sentByTimer(info) || info.outside !== undefined) && (added & (1n << BigInt(info.signo - 1))) === 0n) ?? [];
  if (added === 0n && taken.length === 0) return undefined;
  const out: Record<string, unknown>[] = [];
  for (let signo = 1; signo <= 64; signo++) {
    if ((added & (1n << BigInt(signo - 1))) === 0n) continue;
    out.push(siginfoJson(task.siginfo.get(signo) ?? { signo, code: 0 }));
  }
  // (Marked: replay sends these only to a call it runs again, which takes them again.)
  for (const info of taken) out.push({ ...siginfoJson(info), taken: true });
  return JSON.stringify(out);
}

/** A siginfo as a JSON object: bigints as "123n" (replay's siginfoOf reads it back). */
function siginfoJson(info: Siginfo): Record<string, unknown> {
  return Object.fromEntries(Object.entries(info).map(([k, v]) => [k, typeof v === 'bigint' ? `${v}n` : v]));
}

/** The 16 bytes AT_RANDOM points at, found through the initial stack's auxv. */
export function atRandomAddress(mm: AddressSpace, sp: bigint): bigint | null {
  const word = (a: bigint): bigint | null => {
    const b = mm.read(a, 8);
    return b === null ? null : Buffer.from(b).readBigUInt64LE(0);
  };
  const argc = word(sp);
  if (argc === null) return null;
  let p = sp + 8n * (argc + 2n);
  for (let i = 0; i < 100000; i++, p += 8n) {
    const w = word(p);
    if (w === null) return null;
    if (w === 0n) break;
  }
  p += 8n;
  for (let i = 0; i < 64; i++, p += 16n) {
    const type = word(p);
    if (type === null || type === 0n) return null;
    if (type === AT_RANDOM) return word(p + 8n);
  }
  return null;
}

export function atRandomOf(mm: AddressSpace, sp: bigint): Uint8Array | null {
  const at = atRandomAddress(mm, sp);
  if (at === null) return null;
  const b = mm.read(at, 16);
  return b === null ? null : Buffer.from(b);
}
