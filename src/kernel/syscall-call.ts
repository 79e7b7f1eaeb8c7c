// A syscall in flight on a task: its number, and its arguments read from the registers only
// when someone asks for them (a handler, a tracer's decoder, the recorder). Most calls need
// some; getppid-like calls need none, and reading seven registers into BigInts is a good part
// of a syscall's cost.
//
// The call is also what PTRACE_GET_SYSCALL_INFO hands a tracer at its entry and exit stops:
// `op` follows the stop, so a stop allocates nothing.
import type { Cpu } from './cpu.js';
import type { SyscallInfo } from './kernel.js';
import type { SyscallEntry } from './syscalls/types.js';
import type { Wait } from './scheduler.js';

export class SyscallCall implements SyscallInfo {
  nr = -1;
  /** The kernel's table entry for the number (undefined: ENOSYS). */
  entry: SyscallEntry | undefined;
  /** The kernel's result, once the call has run (negative errno on failure). */
  result: bigint | undefined;
  entered = false;
  /** An exit or exit_group made its PTRACE_EVENT_EXIT stop (a guest tracer's TRACEEXIT). */
  exitEventMade = false;
  /** The exit stop was reported (or not needed). */
  exitReported = false;
  /** Set while the call is parked: what it waits for. */
  wait: Wait | undefined;
  /** A PTRACE_EVENT_* stop the call reports after it ran, before its exit stop (clone, fork). */
  event: { readonly event: number; readonly message: bigint } | undefined;
  /** Which ptrace stop the call is at, as PTRACE_GET_SYSCALL_INFO reports it. */
  op: SyscallInfo['op'] = 'none';
  /** Time spent in the handler so far (measured when the kernel's timeSyscalls is on). */
  kernelNs = 0n;
  /** A tracer resumed the call with a delay: it goes on at this host time (ns). */
  delayUntil: bigint | undefined;
  /** Parked with a timeout (whose deadline is the host's, or in replay the recording's). */
  timed = false;
  /** A seccomp filter's SECCOMP_RET_TRACE stopped it for a guest tracer (PTRACE_EVENT_SECCOMP). */
  seccompTraced = false;
  /** A guest tracer set its number to -1: it does not run, the return register is its result. */
  skipped = false;
  /** Signals sent to the task while the call was in flight (made on the first), in order. */
  signalsSent: import('./ptrace.js').Siginfo[] | undefined;
  private cached: bigint[] | undefined;
  private firstArg: bigint | undefined;

  constructor(private cpu: Cpu) {}

  /**
   * Starts a new call in this object. A task reuses one object for all its calls (one is in
   * flight at a time), so a syscall allocates nothing here; whoever held the previous call's
   * info must not use it once the next call begins (a tracer's stops do not overlap).
   */
  begin(nr: number, cpu: Cpu, entry: SyscallEntry | undefined): this {
    this.nr = nr;
    this.cpu = cpu;
    this.entry = entry;
    this.result = undefined;
    this.entered = false;
    this.exitEventMade = false;
    this.exitReported = false;
    this.wait = undefined;
    this.event = undefined;
    this.op = 'none';
    this.kernelNs = 0n;
    this.delayUntil = undefined;
    this.timed = false;
    this.seccompTraced = false;
    this.skipped = false;
    this.signalsSent = undefined;
    this.cached = undefined;
    this.firstArg = undefined;
    return this;
  }

  get args(): bigint[] {
    if (this.cached === undefined) {
      const a = this.cpu.readArgs();
      // The return value may since have landed in the first argument's register (arm64 x0).
      if (this.firstArg !== undefined) a[0] = this.firstArg;
      this.cached = a;
    }
    return this.cached;
  }

  /** The raw return value, as a tracer sees it at the exit stop (0 before). */
  get ret(): bigint {
    return this.result ?? 0n;
  }

  get pc(): bigint {
    return this.cpu.syscallPc;
  }

  /** AUDIT_ARCH_* of the image the task runs now (after an execve: the new program's). */
  get arch(): number {
    return this.cpu.arch.ptrace.auditArch;
  }

  /** execve replaced the task's CPU: the arguments are kept, the rest is read from the new one. */
  moveTo(cpu: Cpu): void {
    void this.args;
    this.cpu = cpu;
  }

  get sp(): bigint {
    return this.cpu.sp;
  }

  /** Called before the return value is written: keeps an argument the write would clobber. */
  beforeReturnWrite(): void {
    if (this.cached === undefined && this.firstArg === undefined && this.cpu.returnClobbersFirstArg) {
      this.firstArg = this.cpu.readFirstArg();
    }
  }
}
