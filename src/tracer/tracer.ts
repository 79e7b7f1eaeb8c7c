// strace on top of the emulated ptrace: reacts to each stop of its tracees, decodes the
// syscall through ptrace requests (syscall info, memory reads), prints strace's lines, and
// resumes the tracee with PTRACE_SYSCALL.
import type { Kernel, SyscallInfo } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { ArchDescriptor } from '../arch/types.js';
import { PTRACE_O, PTRACE_EVENT, WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP, WIFSTOPPED, WSTOPSIG, type Tracer } from '../kernel/ptrace.js';
import { SIG, signalName } from '../abi/signals.js';
import { argCount, decoderFor } from './decode/registry.js';
import { formatSiginfo } from './decode/signal.js';
import { isError } from './decode/printers.js';
import { formatExecveLine } from './decode/process.js';
import type { DecodeOptions, EntryText, ExitContext, SyscallDecoder, TraceeMemory } from './decode/types.js';
import type { TraceOptions } from './options.js';
import { TraceFilter } from './filter.js';
import { TraceOutput } from './output.js';
import { SyscallSummary } from './summary.js';

/** What the tracer knows of one syscall number, worked out once. */
interface CallKind {
  readonly nr: number;
  readonly name: string;
  /** `name(`, the start of its lines. */
  readonly open: string;
  /** Whether -e trace= selects it (and lines are printed at all). */
  readonly traced: boolean;
  readonly decoder: SyscallDecoder;
  /** Whether its decoder reads arguments (they are read at entry, before x0 is overwritten). */
  readonly hasArgs: boolean;
}

/**
 * Per tracee: its decode context and the call between its entry and exit stops. The in-flight
 * fields are reused from call to call: a syscall stop allocates nothing here.
 */
interface TraceeState {
  readonly ctx: TraceeContext;
  /** A call is between its entry and exit stops. */
  inFlight: boolean;
  kind: CallKind | undefined;
  /** The entry stop's info (its arguments are read from it when a decoder needs them). */
  info: SyscallInfo | undefined;
  entry: EntryText;
  started: bigint;
  /** The entry half of the line is already out (see halfLines). */
  begun: boolean;
  /** The -t/-r stamp taken at entry, for a line printed whole at exit. */
  stamp: string;
  /** Its begun line was cut by another task's (` <unfinished ...>`): the exit prints `<... name resumed>`. */
  cut: boolean;
}

const NOTHING: EntryText = { text: '' };

/** The wait status of a syscall-stop under PTRACE_O_TRACESYSGOOD: stopped by SIGTRAP|0x80. */
const SYSCALL_STOP = ((SIG.SIGTRAP | 0x80) << 8) | 0x7f;

/** A decode context whose arguments and result change from stop to stop. */
class TraceeContext implements ExitContext {
  ret = 0n;
  /** The stop's syscall info: arguments and stack pointer are read from it on demand. */
  info: SyscallInfo | undefined;
  get args(): readonly bigint[] {
    return this.info?.args ?? [];
  }
  constructor(
    readonly arch: ArchDescriptor,
    readonly mem: TraceeMemory,
    readonly options: DecodeOptions,
    readonly fdPath: (fd: number) => string | undefined,
  ) {}
  get stackPointer(): bigint | undefined {
    return this.info?.sp;
  }
}

export class StraceTracer implements Tracer {
  private readonly filter: TraceFilter;
  private readonly out: TraceOutput;
  private readonly decodeOptions: DecodeOptions;
  /** Per tracee: its decode context and the call between its entry and exit stops. */
  private readonly tracees = new Map<number, TraceeState>();
  readonly summary: SyscallSummary | undefined;
  private readonly printCalls: boolean;
  private readonly pidPrefix: boolean;
  /** Whether syscall durations are needed (-T, -c, -C). */
  private readonly timed: boolean;
  private kernel!: Kernel;
  private arch!: ArchDescriptor;
  /** Per syscall number, what the stop loop needs of it. */
  private readonly kinds: (CallKind | undefined)[] = [];
  private readonly showSuccessful: boolean;
  private readonly showFailed: boolean;
  /**
   * Lines go out in two halves, as strace writes them to a terminal: `name(args` at the entry
   * stop, the rest at the exit stop, so what the program prints meanwhile lands inside the line
   * where strace puts it. Only where the trace shares a stream with the program (stderr), and
   * not when -e status= must see the result before it prints anything.
   */
  private readonly halfLines: boolean;
  /** -t/-tt/-ttt/-r: lines carry a stamp, taken at syscall entry. */
  private readonly stamped: boolean;
  /** The tracee of the last stop, looked up without the map while one task runs. */
  private lastTid = -1;
  private lastState: TraceeState | undefined;
  private readonly envCount: number;
  /** How the traced program ended, as a wait status. */
  exitStatus: number | undefined;
  /** The tracee whose line is begun and not yet ended (its entry half is out). */
  private open: TraceeState | undefined;
  /** Tasks being traced now (strace's nprocs): `[pid N]` prefixes appear while there are several. */
  private traced = 1;
  /** New tasks whose first stop (the SIGSTOP a followed clone starts with) is not yet seen. */
  private readonly newborn = new Set<number>();
  private readonly follow: boolean;
  private firstTid = -1;

  /** `sink`: where lines go instead of stderr or -o (the recorder's capture); lines are then whole. */
  constructor(private readonly options: TraceOptions, private readonly envStrings: readonly string[], sink?: TraceOutput) {
    this.envCount = envStrings.length;
    this.filter = new TraceFilter(options.expressions);
    // With -ff each process gets FILE.PID (opened when it is first seen); the summary goes to stderr.
    this.out = sink ?? new TraceOutput(options.perProcessFiles ? undefined : options.output, options.timestamps, options.relative);
    this.decodeOptions = {
      stringLimit: options.stringLimit,
      verbose: options.verbose,
      xlat: options.xlat,
      decodeFds: options.decodeFds,
    };
    this.summary = options.summary === 'none' ? undefined : new SyscallSummary();
    this.printCalls = options.summary !== 'only';
    this.pidPrefix = options.followForks && !options.perProcessFiles && options.output !== undefined;
    this.timed = options.syscallTimes || this.summary !== undefined;
    this.showSuccessful = this.filter.showsStatus('successful');
    this.showFailed = this.filter.showsStatus('failed');
    // With -f, lines to a file go out in halves too, so that tasks' lines interleave as strace's do.
    this.follow = options.followForks;
    this.halfLines = sink === undefined && (options.output === undefined || options.followForks) && !options.perProcessFiles && !this.filter.statusFiltered;
    this.stamped = this.out.stamped;
  }

  /**
   * Binds the tracer to the kernel, the tracee's architecture and its first task (before the
   * first stop); opens that task's -ff file now, so a bad path fails before the program runs.
   */
  attach(kernel: Kernel, arch: ArchDescriptor, first: Task): void {
    this.kernel = kernel;
    this.arch = arch;
    this.firstTid = first.tid;
    this.outFor(first);
  }

  private readonly perProcess = new Map<number, TraceOutput>();

  /** Where a task's lines go: the one output, or its process's FILE.PID with -ff. */
  private outFor(task: Task): TraceOutput {
    if (!this.options.perProcessFiles) return this.out;
    // strace -ff writes one file per task: FILE.TID.
    const pid = task.tid;
    let out = this.perProcess.get(pid);
    if (out === undefined) {
      out = new TraceOutput(`${this.options.output}.${pid}`, this.options.timestamps, this.options.relative);
      this.perProcess.set(pid, out);
    }
    return out;
  }

  /**
   * strace's line prefix: `PID  ` with -f and -o (one process or many); on stderr,
   * `[pid  N] ` while more than one task is traced.
   */
  private prefix(task: Task): string {
    if (this.pidPrefix) return `${String(task.tid).padEnd(5)} `;
    return this.traced > 1 && !this.options.perProcessFiles ? `[pid ${String(task.tid).padStart(5)}] ` : '';
  }

  /** Before task `tid` prints: a begun line of another task is cut with ` <unfinished ...>`. */
  private cutOpenLine(state: TraceeState | undefined, task: Task): void {
    const open = this.open;
    if (open === undefined || open === state) return;
    this.outFor(task).unfinished();
    open.cut = true;
    open.begun = false;
    this.open = undefined;
  }

  private kindOf(nr: number): CallKind {
    let k = nr >= 0 ? this.kinds[nr] : undefined;
    if (k === undefined) {
      const name = this.arch.syscallNames.get(nr) ?? `syscall_0x${nr.toString(16)}`;
      k = { nr, name, open: name + '(', traced: this.printCalls && this.filter.traces(name), decoder: decoderFor(name), hasArgs: argCount(name) > 0 };
      if (nr >= 0) this.kinds[nr] = k;
    }
    return k;
  }

  notify(task: Task, status: number): void {
    if (status === SYSCALL_STOP) {
      this.onSyscallStop(task);
      return;
    }
    if (WIFSTOPPED(status)) {
      const sig = WSTOPSIG(status);
      if (sig === SIG.SIGTRAP && task.ptrace?.stopKind === 'exec') this.onExecStop(task);
      else if (status >>> 16 !== 0) this.onEventStop(task, status >>> 16);
      else if (sig === SIG.SIGSTOP && this.newborn.delete(task.tid)) this.kernel.ptraceResume(task.tid, 'syscall'); // a followed task's first stop
      else this.onSignalStop(task, sig);
      return;
    }
    this.onExit(task, status);
  }

  /** PTRACE_EVENT_* stops print nothing; a clone, fork or vfork event announces a new tracee. */
  private onEventStop(task: Task, event: number): void {
    if (event === PTRACE_EVENT.CLONE || event === PTRACE_EVENT.FORK || event === PTRACE_EVENT.VFORK) {
      const child = this.kernel.ptraceEventMessage(task.tid);
      if (child !== undefined) {
        this.newborn.add(Number(child));
        this.traced++;
      }
    }
    this.kernel.ptraceResume(task.tid, 'syscall');
  }

  private onExecStop(task: Task): void {
    if (this.printCalls && this.filter.traces('execve') && this.filter.showsStatus('successful')) {
      this.outFor(task).syscall(this.prefix(task), this.execveLine(task), '0');
    }
    this.summary?.count('execve', this.arch.syscallNumbers.get('execve') ?? -1, 0n, 0n);
    const follow = this.follow ? PTRACE_O.TRACECLONE | PTRACE_O.TRACEFORK | PTRACE_O.TRACEVFORK : 0;
    this.kernel.ptraceSetOptions(task.tid, PTRACE_O.TRACESYSGOOD | PTRACE_O.TRACEEXEC | follow);
    this.kernel.ptraceResume(task.tid, 'syscall');
  }

  /** The first line, as strace prints the execve it watched: path, argv, the envp pointer. */
  private execveLine(task: Task): string {
    const argv = [this.options.program, ...this.options.args];
    // envp sits after argc, argv[] and argv's NULL on the initial stack.
    const sp = this.kernel.ptraceSyscallInfo(task.tid)?.sp ?? 0n;
    const envp = sp + 8n * BigInt(argv.length + 2);
    return formatExecveLine(task.group.execPath, argv, this.envCount, this.decodeOptions, { envp, env: this.envStrings });
  }

  private memoryOf(tid: number): TraceeMemory {
    const kernel = this.kernel;
    return {
      read: (addr, length) => kernel.ptraceReadMemory(tid, addr, length),
      readCString: (addr, max) => {
        const chunk = 256;
        const parts: Uint8Array[] = [];
        let total = 0;
        let cursor = addr;
        while (total < max) {
          // Read up to the end of the page, so a string ending just before unmapped memory reads.
          const pageLeft = 4096 - Number(cursor & 4095n);
          const n = Math.min(chunk, pageLeft, max - total);
          const b = kernel.ptraceReadMemory(tid, cursor, n);
          if (b === null) {
            if (total === 0) return null;
            break;
          }
          const nul = b.indexOf(0);
          if (nul >= 0) {
            parts.push(b.subarray(0, nul));
            return { bytes: Buffer.concat(parts), terminated: true };
          }
          parts.push(b.slice());
          total += n;
          cursor += BigInt(n);
        }
        return { bytes: Buffer.concat(parts), terminated: false };
      },
    };
  }

  private tracee(tid: number): TraceeState {
    if (tid === this.lastTid) return this.lastState!;
    let t = this.tracees.get(tid);
    if (t === undefined) {
      const kernel = this.kernel;
      const ctx = new TraceeContext(this.arch, this.memoryOf(tid), this.decodeOptions, (fd) => kernel.fdPath(tid, fd));
      t = { ctx, inFlight: false, kind: undefined, info: undefined, entry: NOTHING, started: 0n, begun: false, stamp: '', cut: false };
      this.tracees.set(tid, t);
    }
    this.lastTid = tid;
    this.lastState = t;
    return t;
  }

  private onSyscallStop(task: Task): void {
    const tid = task.tid;
    const info = this.kernel.ptraceSyscallInfo(tid)!;
    const op = info.op;
    if (op === 'entry') {
      const kind = this.kindOf(info.nr);
      const state = this.tracee(tid);
      let entry = NOTHING;
      if (kind.traced) {
        // Read the arguments now, while they are all in their registers: the return value may
        // overwrite the first (arm64 x0) before the exit half decodes.
        if (kind.hasArgs) void info.args;
        state.ctx.info = info;
        entry = kind.decoder.enter(state.ctx);
        if (this.halfLines) {
          if (this.open !== undefined) this.cutOpenLine(state, task);
          this.outFor(task).begin(this.prefix(task), kind.open + entry.text);
          state.begun = true;
          this.open = state;
        } else if (this.stamped) {
          state.stamp = this.outFor(task).stamp();
        }
      }
      state.inFlight = true;
      state.kind = kind;
      state.info = info;
      state.entry = entry;
      // Timed from after the entry was decoded, so -T and -c measure the call, not the tracer.
      state.started = this.timed ? process.hrtime.bigint() : 0n;
    } else if (op === 'exit') {
      const state = this.tracee(tid);
      if (state.inFlight) {
        state.inFlight = false;
        const kind = state.kind!;
        const ret = info.ret;
        const elapsed = this.timed ? process.hrtime.bigint() - state.started : 0n;
        this.summary?.count(kind.name, kind.nr, ret, elapsed);
        if (kind.traced && (state.begun || state.cut || (isError(ret) ? this.showFailed : this.showSuccessful))) {
          const ctx = state.ctx;
          ctx.info = state.info;
          ctx.ret = ret;
          const exit = kind.decoder.exit(ctx, state.entry);
          const duration = this.options.syscallTimes ? elapsed : undefined;
          if (this.open !== undefined && this.open !== state) this.cutOpenLine(state, task);
          if (state.begun) this.outFor(task).end(exit.text + ')', exit.ret, duration);
          else if (state.cut) this.outFor(task).syscall(this.prefix(task), `<... ${kind.name} resumed>${exit.text})`, exit.ret, duration);
          else this.outFor(task).syscall(this.prefix(task), kind.open + state.entry.text + exit.text + ')', exit.ret, duration, state.stamp);
        }
        if (this.open === state) this.open = undefined;
        state.begun = false;
        state.cut = false;
        state.info = undefined;
        state.entry = NOTHING;
      }
    }
    this.kernel.ptraceResume(tid, 'syscall');
  }

  private onSignalStop(task: Task, sig: number): void {
    const info = this.kernel.ptraceSiginfo(task.tid);
    if (this.printCalls && this.filter.showsSignal(sig) && info !== undefined) {
      this.cutOpenLine(this.tracees.get(task.tid), task);
      this.outFor(task).plain(this.prefix(task), `--- ${signalName(sig)} ${formatSiginfo(info)} ---`);
    }
    this.kernel.ptraceResume(task.tid, 'syscall', sig);
  }

  private onExit(task: Task, status: number): void {
    const state = this.tracees.get(task.tid);
    this.cutOpenLine(state, task);
    if (state !== undefined && state.inFlight) {
      state.inFlight = false;
      const kind = state.kind!;
      if (state.begun) this.outFor(task).end(')', '?');
      else if (state.cut) this.outFor(task).syscall(this.prefix(task), `<... ${kind.name} resumed>)`, '?');
      else if (kind.traced && this.filter.showsStatus('unfinished')) {
        this.outFor(task).syscall(this.prefix(task), `${kind.name}(${state.entry.text}`.replace(/, $/, '') + ')', '?');
      }
      if (this.open === state) this.open = undefined;
      state.begun = false;
      state.cut = false;
    }
    this.tracees.delete(task.tid);
    if (this.lastTid === task.tid) {
      this.lastTid = -1;
      this.lastState = undefined;
    }
    if (task.tid === this.firstTid) this.exitStatus = status;
    this.exitLine(task, status);
    this.traced--;
  }

  private exitLine(task: Task, status: number): void {
    if (!this.printCalls) return;
    // -qq drops the "exited with" line; a death by signal is still reported, as strace does.
    if (WIFEXITED(status) && this.options.quiet < 2) this.outFor(task).plain(this.prefix(task), `+++ exited with ${WEXITSTATUS(status)} +++`);
    // strace reports a death by signal only for signals -e signal= shows.
    else if (WIFSIGNALED(status) && this.filter.showsSignal(WTERMSIG(status))) {
      this.outFor(task).plain(this.prefix(task), `+++ killed by ${signalName(WTERMSIG(status))}${WCOREDUMP(status) ? ' (core dumped)' : ''} +++`);
    }
  }

  /** Flushes the trace and writes the -c summary. */
  finish(): void {
    if (this.summary !== undefined) this.out.plain('', this.summary.render().trimEnd());
    this.out.close();
    for (const out of this.perProcess.values()) out.close();
  }
}
