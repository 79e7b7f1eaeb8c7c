// strace on top of the emulated ptrace: reacts to each stop of its tracees, decodes the
// syscall through ptrace requests (syscall info, memory reads), prints strace's lines, and
// resumes the tracee with PTRACE_SYSCALL.
import type { Kernel, SyscallInfo } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { ArchDescriptor } from '../arch/types.js';
import { PTRACE_O, WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP, WIFSTOPPED, WSTOPSIG, type Tracer } from '../kernel/ptrace.js';
import { SIG, signalName } from '../abi/signals.js';
import { argCount, decoderFor } from './decode/registry.js';
import { formatSiginfo } from './decode/signal.js';
import { formatExecveLine } from './decode/process.js';
import type { DecodeOptions, EntryText, ExitContext, TraceeMemory } from './decode/types.js';
import type { TraceOptions } from './options.js';
import { TraceFilter } from './filter.js';
import { TraceOutput } from './output.js';
import { SyscallSummary } from './summary.js';

interface InFlight {
  readonly name: string;
  readonly nr: number;
  /** The entry stop's info (its arguments are read from it when a decoder needs them). */
  readonly info: SyscallInfo;
  readonly entry: EntryText;
  readonly started: bigint;
  readonly traced: boolean;
}

interface TraceeState {
  readonly ctx: TraceeContext;
  inFlight: InFlight | undefined;
}

const NOTHING: EntryText = { text: '' };

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
  private readonly names = new Map<number, string>();
  private readonly envCount: number;
  /** How the traced program ended, as a wait status. */
  exitStatus: number | undefined;

  constructor(private readonly options: TraceOptions, private readonly envStrings: readonly string[]) {
    this.envCount = envStrings.length;
    this.filter = new TraceFilter(options.expressions);
    // With -ff each process gets FILE.PID (opened when it is first seen); the summary goes to stderr.
    this.out = new TraceOutput(options.perProcessFiles ? undefined : options.output, options.timestamps, options.relative);
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
  }

  /**
   * Binds the tracer to the kernel, the tracee's architecture and its first task (before the
   * first stop); opens that task's -ff file now, so a bad path fails before the program runs.
   */
  attach(kernel: Kernel, arch: ArchDescriptor, first: Task): void {
    this.kernel = kernel;
    this.arch = arch;
    this.outFor(first);
  }

  private readonly perProcess = new Map<number, TraceOutput>();

  /** Where a task's lines go: the one output, or its process's FILE.PID with -ff. */
  private outFor(task: Task): TraceOutput {
    if (!this.options.perProcessFiles) return this.out;
    const pid = task.group.pid;
    let out = this.perProcess.get(pid);
    if (out === undefined) {
      out = new TraceOutput(`${this.options.output}.${pid}`, this.options.timestamps, this.options.relative);
      this.perProcess.set(pid, out);
    }
    return out;
  }

  /** strace's line prefix: `PID  ` with -f and -o (one process or many). */
  private prefix(task: Task): string {
    return this.pidPrefix ? `${String(task.tid).padEnd(5)} ` : '';
  }

  private nameOf(nr: number): string {
    let n = this.names.get(nr);
    if (n === undefined) {
      n = this.arch.syscallNames.get(nr) ?? `syscall_0x${nr.toString(16)}`;
      this.names.set(nr, n);
    }
    return n;
  }

  notify(task: Task, status: number): void {
    if (WIFSTOPPED(status)) {
      const sig = WSTOPSIG(status);
      if (sig === (SIG.SIGTRAP | 0x80)) this.onSyscallStop(task);
      else if (sig === SIG.SIGTRAP && task.ptrace?.stopKind === 'exec') this.onExecStop(task);
      else if (status >>> 16 !== 0) this.kernel.ptraceResume(task.tid, 'syscall'); // PTRACE_EVENT_* stops print nothing
      else this.onSignalStop(task, sig);
      return;
    }
    this.onExit(task, status);
  }

  private onExecStop(task: Task): void {
    if (this.printCalls && this.filter.traces('execve') && this.filter.showsStatus('successful')) {
      this.outFor(task).syscall(this.prefix(task), this.execveLine(task), '0');
    }
    this.summary?.count('execve', this.arch.syscallNumbers.get('execve') ?? -1, 0n, 0n);
    this.kernel.ptraceSetOptions(task.tid, PTRACE_O.TRACESYSGOOD | PTRACE_O.TRACEEXEC);
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
    let t = this.tracees.get(tid);
    if (t === undefined) {
      const kernel = this.kernel;
      const ctx = new TraceeContext(this.arch, this.memoryOf(tid), this.decodeOptions, (fd) => kernel.fdPath(tid, fd));
      this.tracees.set(tid, (t = { ctx, inFlight: undefined }));
    }
    return t;
  }

  private onSyscallStop(task: Task): void {
    const tid = task.tid;
    const info = this.kernel.ptraceSyscallInfo(tid)!;
    if (info.op === 'entry') {
      const name = this.nameOf(info.nr);
      const traced = this.printCalls && this.filter.traces(name);
      const state = this.tracee(tid);
      let entry = NOTHING;
      if (traced) {
        // Read the arguments now, while they are all in their registers: the return value may
        // overwrite the first (arm64 x0) before the exit half decodes.
        if (argCount(name) > 0) void info.args;
        state.ctx.info = info;
        entry = decoderFor(name).enter(state.ctx);
      }
      // Timed from after the entry was decoded, so -T and -c measure the call, not the tracer.
      state.inFlight = { name, nr: info.nr, info, entry, started: this.timed ? process.hrtime.bigint() : 0n, traced };
    } else if (info.op === 'exit') {
      const state = this.tracee(tid);
      const call = state.inFlight;
      if (call !== undefined) {
        state.inFlight = undefined;
        const elapsed = this.timed ? process.hrtime.bigint() - call.started : 0n;
        this.summary?.count(call.name, call.nr, info.ret, elapsed);
        if (call.traced) {
          const failed = info.ret < 0n && info.ret >= -4095n;
          if (this.filter.showsStatus(failed ? 'failed' : 'successful')) {
            const ctx = state.ctx;
            ctx.info = call.info;
            ctx.ret = info.ret;
            const exit = decoderFor(call.name).exit(ctx, call.entry);
            this.outFor(task).syscall(this.prefix(task), `${call.name}(${call.entry.text}${exit.text})`, exit.ret,
              this.options.syscallTimes ? elapsed : undefined);
          }
        }
      }
    }
    this.kernel.ptraceResume(tid, 'syscall');
  }

  private onSignalStop(task: Task, sig: number): void {
    const info = this.kernel.ptraceSiginfo(task.tid);
    if (this.printCalls && this.filter.showsSignal(sig) && info !== undefined) {
      this.outFor(task).plain(this.prefix(task), `--- ${signalName(sig)} ${formatSiginfo(info)} ---`);
    }
    this.kernel.ptraceResume(task.tid, 'syscall', sig);
  }

  private onExit(task: Task, status: number): void {
    const state = this.tracees.get(task.tid);
    const call = state?.inFlight;
    if (state !== undefined && call !== undefined) {
      state.inFlight = undefined;
      if (call.traced && this.filter.showsStatus('unfinished')) {
        this.outFor(task).syscall(this.prefix(task), `${call.name}(${call.entry.text}`.replace(/, $/, '') + ')', '?');
      }
    }
    this.exitStatus = status;
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
