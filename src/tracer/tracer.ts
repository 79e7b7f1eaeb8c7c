// strace on top of the emulated ptrace: reacts to each stop of its tracees, decodes the
// syscall through ptrace requests (syscall info, memory reads), prints strace's lines, and
// resumes the tracee with PTRACE_SYSCALL.
import type { Kernel, SyscallInfo } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { ArchDescriptor } from '../arch/types.js';
import { archForAudit } from '../arch/index.js';
import { PTRACE_O, PTRACE_EVENT, WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP, WIFSTOPPED, WSTOPSIG, type Tracer } from '../kernel/ptrace.js';
import { SIG, signalName } from '../abi/signals.js';
import { argCount, decoderFor } from './decode/registry.js';
import { formatSiginfo } from './decode/signal.js';
import { isError, printPid, quoteAssociated } from './decode/printers.js';
import { formatExecveLine } from './decode/process.js';
import { setHexStrings } from './decode/printers.js';
import type { DecodeOptions, EntryText, ExitContext, SyscallDecoder, TraceeMemory } from './decode/types.js';
import type { TraceOptions } from './options.js';
import { TraceFilter } from './filter.js';
import { TraceOutput, type OutputLayout } from './output.js';
import { SyscallSummary } from './summary.js';
import { PLAIN, type Painter } from './colors.js';
import type { Injector, Tampering } from './inject.js';
import { IoDumper } from './io-dump.js';
import { PathTracer } from './path-trace.js';
import { rawDecoder } from './raw-decoder.js';
import { syscallLead, NO_PC } from './line-lead.js';
import { StackTracer } from './stack/stack-tracer.js';
import { JsonStops, hex } from './json-output.js';
import { errnoName } from '../abi/errno.js';

/** What the tracer knows of one syscall number, worked out once. */
/** What a call that never returns adds before `) = ?`: ` <unfinished ...>` when its decoder had more to print at the exit. */
const unfinishedTail = (kind: CallKind): string => (kind.decoder.exitPrints === true ? ' <unfinished ...>' : '');

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
  /** Its decode options (-e abbrev=, verbose= and raw= choose per syscall). */
  readonly options: DecodeOptions;
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
  /** This call is printed (its syscall is traced and, with -P, it touches a traced path). */
  shown: boolean;
  /** -e inject: what is done to this call. */
  tamper: Tampering | undefined;
  /** The last syscall's number and pc (-n and -i on signal lines). */
  lastNr: number;
  lastPc: bigint;
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
    /** The tracee's architecture at its last syscall entry (an execve may change it). */
    public arch: ArchDescriptor,
    readonly mem: TraceeMemory,
    public options: DecodeOptions,
    readonly fdPath: (fd: number) => string | undefined,
    readonly netlinkProtocol?: (fd: number) => number | undefined,
  ) {}
  get stackPointer(): bigint | undefined {
    return this.info?.sp;
  }
  /** -Y: set by the tracer when it knows the kernel. */
  commOf: ((pid: number) => string | undefined) | undefined;
  /** What the tracee calls `pid`, as strace's (the root) pid namespace names it: set by the tracer. */
  stracePid: ((pid: number) => number) | undefined;
  /** Whether a descriptor's file was unlinked: set by the tracer. */
  fdDeleted: ((fd: number) => boolean) | undefined;
  /** The name of the tracee's last syscall to exit (strace's s_prev_ent). */
  previousSyscall: string | undefined;
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
  /** The first task was detached (-b execve, --syscall-limit): as strace, tstrace then exits 0. */
  get detachedFirst(): boolean {
    return this.detachedAll || this.detached.has(this.firstTid);
  }
  /** The tracee whose line is begun and not yet ended (its entry half is out). */
  private open: TraceeState | undefined;
  /** Tasks being traced now (strace's nprocs): `[pid N]` prefixes appear while there are several. */
  private traced = 1;
  /** New tasks whose first stop (the SIGSTOP a followed clone starts with) is not yet seen. */
  private readonly newborn = new Set<number>();
  private readonly follow: boolean;
  private firstTid = -1;
  private readonly layout: OutputLayout;
  private readonly painter: Painter;
  private readonly injector: Injector | undefined;
  private readonly io: IoDumper;
  private readonly paths: PathTracer | undefined;
  /** -k: symbolized stack traces (set by enableStackTraces). */
  private stacks: StackTracer | undefined;
  /** -i / -n: lines start with the syscall number and the pc. */
  private readonly lead: boolean;
  /** --syscall-limit: calls printed so far. */
  private printedCalls = 0;
  /** Tasks no longer traced (-b execve, --syscall-limit): their stops pass through silently. */
  private readonly detached = new Set<number>();
  private detachedAll = false;
  /** -e quiet=exit, -qq. */
  private readonly quietExit: boolean;
  /** --json FILE. */
  private readonly json: JsonStops | undefined;

  /** `sink`: where lines go instead of stderr or -o (the recorder's capture); lines are then whole. */
  constructor(private readonly options: TraceOptions, private readonly envStrings: readonly string[], painter: Painter = PLAIN, sink?: TraceOutput) {
    this.envCount = envStrings.length;
    this.filter = new TraceFilter(options.expressions);
    this.layout = { columns: options.columns, append: options.appendOutput, relativeDigits: options.relativeDigits, durationDigits: options.syscallTimesDigits };
    // With -ff each process gets FILE.PID (opened when it is first seen); the summary goes to stderr.
    const output = options.perProcessFiles ? undefined : options.output;
    this.out = sink ?? new TraceOutput(output, options.timestamps, options.relative, this.layout);
    this.painter = painter;
    setHexStrings(options.hexStrings);
    this.decodeOptions = {
      stringLimit: options.stringLimit,
      // The first execve's line, printed at the exec stop, follows -e abbrev= too.
      verbose: this.filter.abbrev === undefined ? options.verbose : !this.filter.abbrev('execve'),
      xlat: options.xlat,
      decodeFds: options.decodeFds,
      fdDetails: options.fdDetails,
      pidComm: options.decodePidComm,
      pidNs: options.decodePidNs,
    };
    this.injector = this.filter.injector.empty ? undefined : this.filter.injector;
    this.io = new IoDumper(this.filter.readFds, this.filter.writeFds);
    this.paths = options.tracePaths.length > 0 ? new PathTracer(options.tracePaths) : undefined;
    if (this.paths !== undefined && options.quiet < 3 && !this.filter.quiet.has('path-resolution')) {
      for (const note of this.paths.notes) process.stderr.write(`tstrace: ${note}\n`);
    }
    this.lead = options.instructionPointer || options.syscallNumber;
    this.quietExit = options.quiet >= 2 || this.filter.quiet.has('exit');
    this.summary = options.summary === 'none' ? undefined : new SyscallSummary({
      sortBy: options.summarySort, columns: options.summaryColumns, overheadNs: options.overheadNs,
    });
    this.printCalls = options.summary !== 'only';
    this.pidPrefix = options.followForks && !options.perProcessFiles && options.output !== undefined;
    this.json = options.json === undefined ? undefined : new JsonStops(options.json);
    this.timed = options.syscallTimes || this.summary !== undefined || this.json !== undefined;
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
    if (this.options.stackTraces) this.stacks = new StackTracer(kernel, arch);
    // -c counts the kernel's own time in each call (strace: the tracee's system time).
    if (this.summary !== undefined && !this.options.summaryWallClock) kernel.timeSyscalls = true;
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
      out = new TraceOutput(`${this.options.output}.${pid}`, this.options.timestamps, this.options.relative, this.layout);
      this.perProcess.set(pid, out);
    }
    return out;
  }

  /**
   * strace's line prefix: `PID  ` with -f and -o (one process or many); on stderr,
   * `[pid  N] ` while more than one task is traced.
   */
  private prefix(task: Task): string {
    const comm = this.options.decodePidComm ? `<${quoteAssociated(task.group.comm)}>` : '';
    if (this.pidPrefix) return `${(String(task.tid) + comm).padEnd(5)} `;
    return this.traced > 1 && !this.options.perProcessFiles ? `[pid ${String(task.tid).padStart(5)}${comm}] ` : '';
  }

  /** -Y: the command name of a guest process or thread, as /proc/PID/comm has it; the first process's parent is the tracer. */
  private commOf(pid: number): string | undefined {
    return this.kernel.task(pid)?.group.comm ?? (pid === this.kernel.hostPid ? 'strace' : undefined);
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

  /** Per architecture other than the first tracee's: its calls' kinds (a tracee exec'd a program of that CPU). */
  private readonly otherKinds = new Map<ArchDescriptor, (CallKind | undefined)[]>();

  private kindOf(nr: number, arch: ArchDescriptor = this.arch): CallKind {
    let kinds = this.kinds;
    if (arch !== this.arch) {
      kinds = this.otherKinds.get(arch) ?? [];
      this.otherKinds.set(arch, kinds);
    }
    let k = nr >= 0 ? kinds[nr] : undefined;
    if (k === undefined) {
      const name = arch.syscallNames.get(nr) ?? `syscall_0x${nr.toString(16)}`;
      const raw = this.filter.raw?.(name, nr) === true;
      const abbrev = this.filter.abbrev;
      const options: DecodeOptions = {
        ...this.decodeOptions,
        verbose: abbrev === undefined ? this.decodeOptions.verbose : !abbrev(name, nr),
        structs: this.filter.verbose === undefined ? true : this.filter.verbose(name, nr),
      };
      k = {
        nr, name, open: this.painter.name(name) + '(', traced: this.printCalls && this.filter.traces(name, nr),
        decoder: raw ? rawDecoder(argCount(name)) : decoderFor(name), hasArgs: argCount(name) > 0 || raw, options,
      };
      if (nr >= 0) kinds[nr] = k;
    }
    return k;
  }

  notify(task: Task, status: number): void {
    if (this.detachedAll || this.detached.has(task.tid)) {
      this.passThrough(task, status);
      return;
    }
    if (status === SYSCALL_STOP) {
      this.onSyscallStop(task);
      return;
    }
    if (WIFSTOPPED(status)) {
      const sig = WSTOPSIG(status);
      if (sig === SIG.SIGTRAP && task.ptrace?.stopKind === 'exec') this.onExecStop(task);
      else if (status >>> 16 === PTRACE_EVENT.STOP && sig !== SIG.SIGTRAP) this.onGroupStop(task, sig);
      else if (status >>> 16 !== 0) this.onEventStop(task, status >>> 16);
      else if (sig === SIG.SIGSTOP && this.newborn.delete(task.tid)) this.kernel.ptraceResume(task.tid, 'syscall'); // a followed task's first stop
      else this.onSignalStop(task, sig);
      return;
    }
    this.onExit(task, status);
  }

  /** PTRACE_EVENT_* stops print nothing; a clone, fork or vfork event announces a new tracee. */
  private onEventStop(task: Task, event: number): void {
    if (event === PTRACE_EVENT.EXEC) this.execedFrom(task);
    // -b execve: a successful execve ends the tracing of its task (its line ends `<detached ...>`).
    if (event === PTRACE_EVENT.EXEC && this.options.detachOnExecve) {
      this.detachTask(task);
      this.kernel.ptraceResume(task.tid, 'cont');
      return;
    }
    if (event === PTRACE_EVENT.CLONE || event === PTRACE_EVENT.FORK || event === PTRACE_EVENT.VFORK) {
      const child = this.kernel.ptraceEventMessage(task.tid);
      if (child !== undefined) {
        this.newborn.add(Number(child));
        this.traced++;
      }
    }
    this.kernel.ptraceResume(task.tid, 'syscall');
  }

  /**
   * An exec event whose message is another tid: a thread that was not the leader exec'd and
   * now has the leader's id. As strace: the leader's call in flight ends with `= ?`, the
   * leader's line says `+++ superseded by execve in pid OLD +++`, and the execve ends as
   * `<... execve resumed>` under the leader's id (with -ff, the thread's file ends with
   * ` <pid changed to PID ...>` and the leader's file goes on).
   */
  private execedFrom(task: Task): void {
    const former = Number(this.kernel.ptraceEventMessage(task.tid) ?? task.tid);
    if (former === task.tid) return;
    const pid = task.tid;
    const leader = this.tracees.get(pid);
    if (leader !== undefined && leader.inFlight) {
      this.cutOpenLine(leader, task);
      const kind = leader.kind!;
      const tail = unfinishedTail(kind);
      if (leader.begun) this.outFor(task).end(`${tail})`, '?');
      else if (leader.cut) this.outFor(task).syscall(this.prefix(task), `<... ${kind.name} resumed>${tail})`, '?');
      else if (leader.shown) this.outFor(task).syscall(this.prefix(task), tail !== '' ? `${kind.name}(${leader.entry.text}${tail})` : `${kind.name}(${leader.entry.text}`.replace(/, $/, '') + ')', '?');
      if (this.open === leader) this.open = undefined;
    }
    const state = this.tracees.get(former);
    this.tracees.delete(former);
    this.tracees.delete(pid);
    this.lastTid = -1;
    this.lastState = undefined;
    this.injector?.forget(former);
    if (state !== undefined) {
      if (state.begun || (this.options.perProcessFiles && state.shown && state.inFlight)) {
        const out = this.perProcess.get(former);
        if (state.begun) (out ?? this.out).endRaw(` <pid changed to ${pid} ...>`);
        else out?.plain('', `${state.kind!.open}${state.entry.text} <pid changed to ${pid} ...>`);
        state.begun = false;
        if (this.open === state) this.open = undefined;
      }
      // The call goes on under the new id (whose memory and descriptors the decoder reads).
      const moved = this.tracee(pid);
      Object.assign(moved, { ...state, ctx: moved.ctx, cut: state.inFlight });
      moved.ctx.info = state.ctx.info;
      moved.ctx.options = state.ctx.options;
    }
    this.traced--;
    // --quiet=thread-execve (or superseded, or -qqq) leaves this line out
    const quiet = this.options.quiet >= 3 || this.filter.quiet.has('thread-execve') || this.filter.quiet.has('superseded');
    if (this.printCalls && !quiet) this.outFor(task).plain(this.prefix(task), this.painter.exit(`+++ superseded by execve in pid ${former} +++`));
  }

  /** -T on the first execve: from the tracer's creation (just before the kernel loads the program). */
  private execStarted: bigint | undefined = process.hrtime.bigint();

  private onExecStop(task: Task): void {
    this.json?.write({ tid: task.tid, stop: 'exec', path: this.options.program, pc: hex(this.kernel.ptraceSyscallInfo(task.tid)?.pc ?? 0n) });
    const pathShown = this.paths === undefined || this.paths.matchesPath(this.options.program);
    const started = this.execStarted;
    this.execStarted = undefined;
    if (this.printCalls && pathShown && this.filter.traces('execve', this.arch.syscallNumbers.get('execve')) && this.filter.showsStatus('successful')) {
      let lead = '';
      if (this.lead) {
        // strace's pc here is its own child's, before the exec; ours is the new program's entry.
        const info = this.kernel.ptraceSyscallInfo(task.tid);
        lead = syscallLead(this.options.syscallNumber ? (this.arch.syscallNumbers.get('execve') ?? -1) : undefined, this.options.instructionPointer ? (info?.pc ?? NO_PC) : undefined);
      }
      const duration = this.options.syscallTimes ? process.hrtime.bigint() - (started ?? process.hrtime.bigint()) : undefined;
      this.outFor(task).syscall(this.prefix(task), lead + this.painter.name('execve') + this.execveLine(task).slice('execve'.length), '0', duration);
      this.printedCalls++;
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
      const ctx = new TraceeContext(this.arch, this.memoryOf(tid), this.decodeOptions, (fd) => kernel.fdPath(tid, fd), (fd) => kernel.netlinkProtocol(tid, fd));
      if (this.options.decodePidComm) ctx.commOf = (pid) => this.commOf(pid);
      ctx.stracePid = (pid) => kernel.globalPidFor(tid, pid);
      ctx.fdDeleted = (fd) => kernel.fdDeleted(tid, fd);
      t = {
        ctx, inFlight: false, kind: undefined, info: undefined, entry: NOTHING, started: 0n, begun: false, stamp: '', cut: false,
        shown: false, tamper: undefined, lastNr: -1, lastPc: NO_PC,
      };
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
    let delay = 0n;
    let signal = 0;
    if (op === 'entry') {
      const state = this.tracee(tid);
      // The tracee's CPU as ptrace reports it: an execve may have made it another.
      if (info.arch !== state.ctx.arch.ptrace.auditArch) state.ctx.arch = archForAudit(info.arch) ?? state.ctx.arch;
      const kind = this.kindOf(info.nr, state.ctx.arch);
      let entry = NOTHING;
      state.lastNr = info.nr;
      if (this.options.instructionPointer) state.lastPc = info.pc;
      // -P: a call is shown only when it touches a traced path (read before the call runs).
      const shown = kind.traced && (this.paths === undefined || this.paths.matches(kind.name, info.args, state.ctx));
      const tamper = this.injector?.decide(tid, kind.name, kind.nr);
      this.json?.write({ tid, stop: 'syscall-entry', nr: info.nr, name: kind.name, args: info.args.slice(0, 6).map(hex), pc: hex(info.pc), sp: hex(info.sp) });
      if (tamper !== undefined && (tamper.error !== undefined || tamper.retval !== undefined)) this.kernel.ptraceSetSyscall(tid, -1);
      if (shown) {
        // Read the arguments now, while they are all in their registers: the return value may
        // overwrite the first (arm64 x0) before the exit half decodes.
        if (kind.hasArgs) void info.args;
        state.ctx.info = info;
        state.ctx.options = kind.options;
        entry = kind.decoder.enter(state.ctx);
        const open = this.lead ? this.leadOf(state) + kind.open : kind.open;
        if (this.halfLines) {
          if (this.open !== undefined) this.cutOpenLine(state, task);
          this.outFor(task).begin(this.prefix(task), open + entry.text);
          state.begun = true;
          this.open = state;
        } else if (this.stamped) {
          state.stamp = this.outFor(task).stamp();
        }
      }
      state.inFlight = true;
      state.shown = shown;
      state.tamper = tamper;
      state.kind = kind;
      state.info = info;
      state.entry = entry;
      delay = tamper?.delayEnterNs ?? 0n;
      // Timed from after the entry was decoded, so -T and -c -w measure the call, not the tracer.
      state.started = this.timed ? process.hrtime.bigint() : 0n;
    } else if (op === 'exit') {
      const state = this.tracee(tid);
      if (state.inFlight) {
        state.inFlight = false;
        const kind = state.kind!;
        const tamper = state.tamper;
        if (tamper?.error !== undefined) this.kernel.ptraceSetReturn(tid, -BigInt(tamper.error));
        else if (tamper?.retval !== undefined) this.kernel.ptraceSetReturn(tid, tamper.retval);
        const injected = tamper !== undefined && (tamper.error !== undefined || tamper.retval !== undefined);
        const ret = injected ? BigInt.asIntN(64, tamper.error !== undefined ? -BigInt(tamper.error) : tamper.retval!) : info.ret;
        const elapsed = this.timed ? process.hrtime.bigint() - state.started : 0n;
        // -c measures the kernel's own time in the call (strace: the tracee's system time); -w the wall clock.
        this.summary?.count(kind.name, kind.nr, ret, this.options.summaryWallClock ? elapsed : (info.kernelNs ?? elapsed));
        let jsonText: string | undefined;
        if (state.shown && (state.begun || state.cut || (isError(ret) ? this.showFailed : this.showSuccessful))) {
          const ctx = state.ctx;
          ctx.info = state.info;
          ctx.ret = ret;
          ctx.options = kind.options;
          const exit = kind.decoder.exit(ctx, state.entry);
          const retText = this.paintResult(exit.ret, ret, injected);
          if (this.json !== undefined) jsonText = `${kind.name}(${state.entry.text}${exit.text}) = ${exit.ret}${injected ? ' (INJECTED)' : ''}`;
          const duration = this.options.syscallTimes ? elapsed : undefined;
          const out = this.outFor(task);
          if (this.open !== undefined && this.open !== state) this.cutOpenLine(state, task);
          const lead = this.lead ? this.leadOf(state) : '';
          if (state.begun) out.end(exit.text + ')', retText, duration);
          else if (state.cut) out.syscall(this.prefix(task), `${lead}<... ${this.painter.name(kind.name)} resumed>${exit.text})`, retText, duration);
          else out.syscall(this.prefix(task), lead + kind.open + state.entry.text + exit.text + ')', retText, duration, state.stamp);
          if (this.io.enabled) out.raw(this.io.dump(kind.name, state.info!.args, ret, ctx.mem, task.tid));
          if (this.stacks !== undefined) out.raw(this.stacks.trace(task.tid, task.group.exe));
          this.printedCalls++;
        }
        this.json?.write({
          tid, stop: 'syscall-exit', nr: kind.nr, name: kind.name, ret: ret.toString(),
          ...(isError(ret) ? { errno: errnoName(Number(-ret)) ?? String(-ret) } : {}),
          ...(jsonText === undefined ? {} : { text: jsonText }), injected, durationNs: Number(elapsed),
        });
        if (this.open === state) this.open = undefined;
        state.ctx.previousSyscall = kind.name;
        state.begun = false;
        state.cut = false;
        state.info = undefined;
        state.entry = NOTHING;
        state.tamper = undefined;
        delay = tamper?.delayExitNs ?? 0n;
        signal = tamper?.signal ?? 0;
        if (this.options.syscallLimit !== undefined && this.printedCalls >= this.options.syscallLimit) {
          this.detachAll();
          this.kernel.ptraceResumeAfter(tid, 'cont', delay, signal);
          return;
        }
      }
    }
    if (delay > 0n) this.kernel.ptraceResumeAfter(tid, 'syscall', delay, signal);
    else this.kernel.ptraceResume(tid, 'syscall', signal);
  }

  /** `[  nr] [pc] ` for -n and -i (strace prints the number first). */
  private leadOf(state: TraceeState): string {
    return syscallLead(this.options.syscallNumber ? state.lastNr : undefined, this.options.instructionPointer ? state.lastPc : undefined);
  }

  /** The result text, coloured: errors red, injected results marked `(INJECTED)`. */
  private paintResult(text: string, ret: bigint, injected: boolean): string {
    const t = isError(ret) ? this.painter.error(text) : text;
    return injected ? `${t} ${this.painter.injected('(INJECTED)')}` : t;
  }

  /** Stops tracing one task (-b execve): ` <detached ...>` ends its begun line. */
  private detachTask(task: Task): void {
    const state = this.tracees.get(task.tid);
    const message = this.options.quiet === 0 && !this.filter.quiet.has('attach');
    if (state?.begun === true) {
      // strace's message lands inside the begun line, as on its stderr.
      if (message && this.options.output === undefined) {
        this.outFor(task).raw(`tstrace: Process ${task.tid} detached\n`);
        this.outFor(task).endRaw(' <detached ...>');
        this.detached.add(task.tid);
        this.traced--;
        if (this.open === state) this.open = undefined;
        return;
      }
      this.outFor(task).endRaw(' <detached ...>');
      if (this.open === state) this.open = undefined;
    } else if (state?.shown === true && state.kind !== undefined) {
      this.outFor(task).plain(this.prefix(task), `${state.kind.open}${state.entry.text} <detached ...>`);
    }
    if (message) process.stderr.write(`tstrace: Process ${task.tid} detached\n`);
    this.detached.add(task.tid);
    this.traced--;
  }

  /** --syscall-limit reached: every task goes on untraced. */
  private detachAll(): void {
    this.detachedAll = true;
    if (this.open !== undefined) {
      this.out.unfinished();
      this.open = undefined;
    }
  }

  /** A stop of a task no longer traced: signals go on to it, nothing is printed. */
  private passThrough(task: Task, status: number): void {
    if (task.tid === this.firstTid && !WIFSTOPPED(status)) this.exitStatus = status;
    if (!WIFSTOPPED(status)) return;
    const sig = WSTOPSIG(status);
    const isSignal = status !== SYSCALL_STOP && status >>> 16 === 0 && sig !== SIG.SIGTRAP && !this.newborn.delete(task.tid);
    this.kernel.ptraceResume(task.tid, 'cont', isSignal ? sig : 0);
  }

  /**
   * A group-stop (the process got a stop signal): `--- stopped by SIGSTOP ---`, and the tracee
   * is left stopped (strace's PTRACE_LISTEN) until a SIGCONT or SIGKILL resumes it.
   */
  private onGroupStop(task: Task, sig: number): void {
    this.json?.write({ tid: task.tid, stop: 'group-stop', signo: sig, signal: signalName(sig) });
    if (!this.printCalls || !this.filter.showsSignal(sig)) return;
    const state = this.tracees.get(task.tid);
    this.cutOpenLine(state, task);
    this.outFor(task).plain(this.prefix(task), this.painter.signal(`--- stopped by ${signalName(sig)} ---`));
  }

  private onSignalStop(task: Task, sig: number): void {
    const info = this.kernel.ptraceSiginfo(task.tid);
    if (info !== undefined) this.json?.write({ tid: task.tid, stop: 'signal', signo: sig, signal: signalName(sig), info: formatSiginfo(info).slice(1, -1) });
    if (this.printCalls && this.filter.showsSignal(sig) && info !== undefined) {
      const state = this.tracees.get(task.tid);
      this.cutOpenLine(state, task);
      let lead = '';
      if (this.lead) {
        const pc = this.options.instructionPointer ? (this.kernel.ptraceSyscallInfo(task.tid)?.pc ?? NO_PC) : undefined;
        lead = syscallLead(this.options.syscallNumber ? (state?.lastNr ?? -1) : undefined, pc);
      }
      // -Y: the sender's command name after si_pid, when it is still there; --decode-pids=pidns:
      // its id in strace's pid namespace.
      const pidText = this.options.decodePidComm || this.options.decodePidNs ? (pid: number, withComm: boolean): string => printPid(this.tracee(task.tid).ctx, pid, withComm) : String;
      // SIGSYS names its syscall by the tracee's architecture.
      const arch = this.tracee(task.tid).ctx.arch;
      const siginfo = formatSiginfo(info, this.decodeOptions.xlat, pidText, { auditArch: arch.ptrace.auditArch, syscallNames: arch.syscallNames });
      this.outFor(task).plain(this.prefix(task), lead + this.painter.signal(`--- ${signalName(sig)} ${siginfo} ---`));
    }
    this.kernel.ptraceResume(task.tid, 'syscall', sig);
  }

  /** A leader's exit while its other threads go on: its call ends now (`exit(0) = ?`), its end line comes with its process's. */
  leaderEnded(task: Task): void {
    if (this.detachedAll || this.detached.has(task.tid)) return;
    const state = this.tracees.get(task.tid);
    this.cutOpenLine(state, task);
    this.endInFlight(task, state);
  }

  private onExit(task: Task, status: number): void {
    const state = this.tracees.get(task.tid);
    this.cutOpenLine(state, task);
    this.endInFlight(task, state);
    this.tracees.delete(task.tid);
    this.finishExit(task, status, state);
  }

  /** A call in flight when its task ends: `= ?` (strace's print_event_exit). */
  private endInFlight(task: Task, state: TraceeState | undefined): void {
    if (state !== undefined && state.inFlight) {
      state.inFlight = false;
      const kind = state.kind!;
      const tail = unfinishedTail(kind);
      if (state.begun) this.outFor(task).end(`${tail})`, '?');
      else if (state.cut) this.outFor(task).syscall(this.prefix(task), `<... ${kind.name} resumed>${tail})`, '?');
      else if (state.shown && this.filter.showsStatus('unfinished')) {
        this.outFor(task).syscall(this.prefix(task), tail !== '' ? `${kind.name}(${state.entry.text}${tail})` : `${kind.name}(${state.entry.text}`.replace(/, $/, '') + ')', '?');
      }
      if (this.open === state) this.open = undefined;
      state.begun = false;
      state.cut = false;
    }
  }

  private finishExit(task: Task, status: number, state: TraceeState | undefined): void {
    if (this.lastTid === task.tid) {
      this.lastTid = -1;
      this.lastState = undefined;
    }
    if (task.tid === this.firstTid) this.exitStatus = status;
    this.injector?.forget(task.tid);
    this.exitLine(task, status, state?.lastNr ?? -1);
    this.traced--;
  }

  private exitLine(task: Task, status: number, lastNr: number): void {
    if (WIFEXITED(status)) this.json?.write({ tid: task.tid, stop: 'exit', how: 'exited', code: WEXITSTATUS(status) });
    else if (WIFSIGNALED(status)) this.json?.write({ tid: task.tid, stop: 'exit', how: 'killed', signal: signalName(WTERMSIG(status)), core: WCOREDUMP(status) });
    if (!this.printCalls) return;
    // -qq drops the "exited with" line; a death by signal is still reported, as strace does.
    const lead = this.lead ? syscallLead(this.options.syscallNumber ? lastNr : undefined, this.options.instructionPointer ? NO_PC : undefined) : '';
    if (WIFEXITED(status) && !this.quietExit) this.outFor(task).plain(this.prefix(task), lead + this.painter.exit(`+++ exited with ${WEXITSTATUS(status)} +++`));
    // strace reports a death by signal only for signals -e signal= shows.
    else if (WIFSIGNALED(status) && this.filter.showsSignal(WTERMSIG(status))) {
      this.outFor(task).plain(this.prefix(task), lead + this.painter.exit(`+++ killed by ${signalName(WTERMSIG(status))}${WCOREDUMP(status) ? ' (core dumped)' : ''} +++`));
    }
  }

  /** Flushes the trace and writes the -c summary. */
  finish(): void {
    if (this.summary !== undefined) this.out.plain('', this.summary.render().replace(/\n$/, ''));
    this.out.close();
    for (const out of this.perProcess.values()) out.close();
    this.json?.close();
  }
}
