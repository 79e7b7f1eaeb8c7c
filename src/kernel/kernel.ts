// The emulated Linux kernel: processes and tasks, the run loop, syscall entry and exit with
// their ptrace stops, signal generation and delivery, and process exit.
//
// Scheduling is deterministic: a task runs on its CPU until a syscall or fault needs the
// kernel; nothing depends on host time. Ordinary syscalls are completed inside Unicorn's hook
// (no engine restart); those that change mappings or control flow stop the engine first.
import { threadGone } from './cpu-time.js';
import { NetlinkSocket } from './syscalls/netlink.js';
import { openSync, readSync, readFileSync, closeSync, realpathSync, constants as fsConstants } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { ArchDescriptor } from '../arch/types.js';
import { readElf, executableBytes, LoaderError, type ElfImage, type LoaderErrorKind } from '../loader/elf.js';
import { planImage, type Credentials, type LoadedProgram } from '../loader/load.js';
import { readInterpreter } from '../loader/interpreter.js';
import { BINPRM_BUF_SIZE, MAX_INTERPRETER_DEPTH, followScripts, type ScriptTarget } from '../loader/script.js';
import type { Sysroot } from '../loader/sysroot.js';
import { applyImage } from './memory/apply-image.js';
import { emulateLegacyCall } from './legacy-calls.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_LOG, SECCOMP_RET_TRACE, SECCOMP_RET_TRAP, SECCOMP_RET_USER_NOTIF, actionOf, dataOf, runFilters, seccompData } from './seccomp.js';
import { initialIds, type ProcessIds } from './process-ids.js';
import { AddressSpace, PAGE_SIZE, PROT_READ, PROT_EXEC } from './memory/address-space.js';
import { Cpu, translationBufferBytes, type CpuFault } from './cpu.js';
import { FdTable } from './files/fd-table.js';
import { OpenFile } from './files/open-file.js';
import { Task, ThreadGroup, SIG_DFL, SIG_IGN, type Termination } from './task.js';
import { GuestTraceLink, PtraceLink, PTRACE_O, PTRACE_EVENT, EVENT_OPTION, SI_KERNEL, retargetCall, overrideResult, waitStatus, type Tracer, type Siginfo, type StopKind, type ResumeMode } from './ptrace.js';
import { NO_RETURN, type SyscallContext, type SyscallEntry } from './syscalls/types.js';
import { SyscallCall } from './syscall-call.js';
import { TimerQueue, sentByTimer } from './timers.js';
import type { SignalFile } from './files/signal-file.js';
import { Scheduler, BLOCKED, QUANTUM, hostReady, waitsOnHost, type Wait } from './scheduler.js';
import { Futexes } from './futexes.js';
import { PidNamespace } from './pid-namespace.js';
import type { KernelObserver, OutsideSignal, SyscallExecutor, TimeReadObserver } from './observer.js';
import { SYSCALL_TABLE } from './syscalls/table.js';
import { defaultAction, SIG } from '../abi/signals.js';
import { E } from '../abi/errno.js';
import { beforeRun, clearDebug, COUNTED_RUN, debugTrap, watching } from './hwdebug.js';
import { hostSyscall, HOST } from '../../packages/host-syscall/src/index.js';

export interface SpawnOptions {
  /** Host path of the executable. */
  readonly path: string;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  /** Traces the new process from its first instruction (the post-exec stop comes first). */
  readonly tracer?: Tracer;
  /** The path the program is named by on its stack (AT_EXECFN) and in /proc (default: path). */
  readonly execfn?: string;
  /** Host descriptors the guest gets as 0, 1 and 2 (default: tstrace's own). */
  readonly stdio?: readonly [number, number, number];
  /** Host descriptors above 2 the guest gets under the same numbers (what tstrace inherited). */
  readonly inherit?: readonly number[];
  /** Where `path`'s `#!` chain ends, when the caller followed it already (scriptTarget). */
  readonly script?: ScriptTarget;
}

/** What ptrace's PTRACE_GET_SYSCALL_INFO reports. */
export interface SyscallInfo {
  readonly op: 'entry' | 'exit' | 'none';
  readonly nr: number;
  readonly args: readonly bigint[];
  /** At exit: the raw return value (negative errno on error). */
  readonly ret: bigint;
  readonly pc: bigint;
  readonly sp: bigint;
  /** AUDIT_ARCH_* of the task's image (PTRACE_GET_SYSCALL_INFO's arch): an execve may change it. */
  readonly arch: number;
  /** At exit, when the kernel times calls (timeSyscalls): the time its handler ran, in ns. */
  readonly kernelNs?: bigint;
}

const AT_FDCWD = -100;

/** A new program's image, built before execve's point of no return. */
interface ExecImage {
  readonly cpu: Cpu;
  readonly mm: AddressSpace;
  readonly loaded: LoadedProgram;
  readonly interpreter: ThreadGroup['interpreter'];
}

/** An execve that has built its image and may wait for the other threads' exit events. */
interface PreparedExec {
  readonly arch: ArchDescriptor;
  readonly image: ExecImage;
  readonly hostPath: string;
  readonly execfn: string;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  readonly scripts: ScriptTarget['scripts'];
}

/** What execve returns for each reason the loader refuses a file. */
const EXEC_ERRNO: Readonly<Record<LoaderErrorKind, number>> = {
  'not-found': E.ENOENT,
  'is-directory': E.EACCES,
  'permission': E.EACCES,
  'not-elf': E.ENOEXEC,
  'truncated': E.ENOEXEC,
  'wrong-class': E.ENOEXEC,
  'unsupported-machine': E.ENOEXEC,
  'unsupported-type': E.ENOEXEC,
  'bad-program-headers': E.ENOEXEC,
  'too-large': E.ENOMEM,
  'interpreter-missing': E.ENOENT,
  'bad-interpreter': E.ELIBBAD,
};
const bit = (signo: number): bigint => 1n << BigInt(signo - 1);
const UNBLOCKABLE = bit(SIG.SIGKILL) | bit(SIG.SIGSTOP);
const SA_ONSTACK = 0x08000000n;
const SA_RESETHAND = 0x80000000n;
const SA_NODEFER = 0x40000000n;
const SA_RESTORER = 0x04000000n;
const SA_RESTART = 0x10000000n;
/**
 * Linux's kernel-internal mark on an action a seccomp kill forced: the signal ends the process
 * without a signal-delivery-stop (no tracer may intercept it).
 */
const SA_IMMUTABLE = 0x00800000n;
/** The kernel-internal result of a call a signal interrupted: restarted or EINTR at delivery. */
export const ERESTARTSYS = 512;
/** Ends a call a handler interrupts with EINTR, whatever SA_RESTART says (select, ppoll). */
export const ERESTARTNOHAND = 514;
/**
 * One call in this many has its handler timed for the task's system time, credited for all of
 * them: a statistical account, as Linux's tick-based one is.
 */
const SYSTEM_TIME_SAMPLE = 8;
/**
 * A sampled call that took longer than this (ns) counts once, not for the calls around it: it
 * was a slow call or the host took the CPU away (another process, a garbage collection), and
 * multiplied it would move that much of the run's time from user to system.
 */
const SAMPLE_OUTLIER_NS = 200_000n;

/** As ERESTARTNOHAND; Linux restarts it through restart_syscall (poll, nanosleep). */
export const ERESTART_RESTARTBLOCK = 516;
const RESTART_CODES = new Set([-BigInt(ERESTARTSYS), -BigInt(ERESTARTNOHAND), -BigInt(ERESTART_RESTARTBLOCK)]);
const CLD_EXITED = 1;
const CLD_KILLED = 2;
const CLD_DUMPED = 3;
const CLD_STOPPED = 5;
const CLD_CONTINUED = 6;
const SA_NOCLDSTOP = 1n;
/** SIGSYS's si_code for a seccomp verdict. */
const SYS_SECCOMP = 1;
/** The signals whose default action stops a process. */
const STOP_SIGNALS: readonly number[] = [SIG.SIGSTOP, SIG.SIGTSTP, SIG.SIGTTIN, SIG.SIGTTOU];

/** siginfo_t as the kernel lays it out on 64-bit Linux (128 bytes). */
export function encodeSiginfo(info: Siginfo): Uint8Array {
  if (info.raw !== undefined) {
    const b = info.raw.slice(0, 128);
    new DataView(b.buffer).setInt32(0, info.signo, true);
    return b;
  }
  const b = new Uint8Array(128);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, info.signo, true);
  dv.setInt32(4, info.errno ?? 0, true);
  dv.setInt32(8, info.code, true);
  if (info.callAddr !== undefined) {
    // SIGSYS from seccomp: si_call_addr, si_syscall, si_arch.
    dv.setBigUint64(16, BigInt.asUintN(64, info.callAddr), true);
    dv.setInt32(24, info.syscall ?? 0, true);
    dv.setUint32(28, info.arch ?? 0, true);
  } else if (info.addr !== undefined) dv.setBigUint64(16, BigInt.asUintN(64, info.addr), true);
  else if (info.timerid !== undefined) {
    // A POSIX timer's expiry (SI_TIMER): si_tid, si_overrun, si_value.
    dv.setInt32(16, info.timerid, true);
    dv.setInt32(20, info.overrun ?? 0, true);
    dv.setBigUint64(24, BigInt.asUintN(64, info.value ?? 0n), true);
  } else {
    dv.setInt32(16, info.pid ?? 0, true);
    dv.setUint32(20, info.uid ?? 0, true);
    if (info.status !== undefined) dv.setInt32(24, info.status, true);
    else if (info.value !== undefined) dv.setBigUint64(24, BigInt.asUintN(64, info.value), true);
  }
  return b;
}

export class Kernel {
  private nextPid = 1000;
  /** The root pid namespace: the ids tstrace (and its strace) sees, and every table's keys. */
  readonly rootPidns = new PidNamespace(undefined);
  /** Every task by tid, until it is reaped (zombies included). */
  private readonly tasks = new Map<number, Task>();
  /** Every process by pid, until it is reaped. */
  private readonly groups = new Map<number, ThreadGroup>();
  readonly scheduler = new Scheduler();
  readonly futexes = new Futexes(this);
  /** Interval and POSIX timers of every process. */
  readonly timers = new TimerQueue();
  /** Every open signalfd: made readable when a signal of its mask becomes pending. */
  readonly signalFiles = new Set<SignalFile>();
  /** Set once a report of tasks that can never run again was printed. */
  private deadlockReported = false;
  /** Each arch's syscall table as an array by number (one lookup on the hot path). */
  private readonly entriesByArch = new Map<ArchDescriptor, (SyscallEntry | undefined)[]>();
  private lastArch: ArchDescriptor | undefined;
  private lastEntries: (SyscallEntry | undefined)[] | undefined;
  readonly creds: Credentials;
  readonly hostPid = process.pid;
  /** The pid of the process tstrace started. */
  firstPid: number | undefined;
  /** The open files behind that process's descriptors 1 and 2 when it started. */
  private inheritedOutputs: readonly (OpenFile | undefined)[] = [];
  /**
   * Signals sent to tstrace itself (SIGINT, SIGTERM, SIGHUP), looked at between runs: the
   * number of one that arrived since the last look, else 0 (see hostSignal).
   */
  interrupts: (() => number) | undefined;
  /** Whether such a signal arrived that `interrupts` has not given yet. */
  interruptWaiting: (() => boolean) | undefined;
  private interruptsSeen = 0;
  /** Outside signals sent to the guest so far (each siginfo's `outside` ordinal). */
  private outsideSent = 0;
  /** The task of the last run (hostSignal: was it running guest code?), and its CPU's count then. */
  private lastRun: Task | undefined;
  private runStartUsed = 0n;
  /**
   * Every task's guest code is counted (Task.executed), budgeted or not: set by recording and
   * replay before the first process is spawned.
   */
  countExecution = false;
  /** Replay: where in its run (Task.executed) a task must stop, because a signal comes there. */
  executionStop: ((task: Task) => bigint | undefined) | undefined;
  /** Replay: a run of `task` ended (after its slice's end, where timers expire at record time). */
  runEnded: ((task: Task) => void) | undefined;
  /** While timers expire at the end of a task's slice: that task (the place of their signals). */
  private sliceEndOf: Task | undefined;
  /** Where a syscall's effects can be observed (the recorder). */
  onSyscallExit: ((task: Task, nr: number, ret: bigint) => void) | undefined;
  /** Told which task runs next (the recorder). */
  observer: KernelObserver | undefined;
  /** Runs syscalls instead of their handlers (replay). */
  executor: SyscallExecutor | undefined;
  /**
   * Sees (and may change) the values of time-reading instructions (recording, replay). Set
   * before the first process is spawned: each CPU gets the hook when it is bound.
   */
  timeReads: TimeReadObserver | undefined;

  /**
   * Replay: a call parked with a timeout has no deadline; the driver wakes it with 'timeout'
   * when the recording says it timed out (its exit is the next stop and nothing woke it).
   */
  recordedTimeouts = false;
  /** Whether each call's handler time is measured (SyscallInfo.kernelNs), for strace -c. */
  timeSyscalls = false;
  /** Calls left until the next whose handler time is measured for system time. */
  private systemTimeSample = SYSTEM_TIME_SAMPLE;
  /** Host time (ms) spent in tracers' hands at ptrace stops (not the stopped task's CPU time). */
  private stoppedMs = 0;

  /**
   * The guest's root filesystem (--sysroot): absolute paths are looked up there first, and the
   * dynamic loader is found there. Undefined: the host's own paths.
   */
  sysroot: Sysroot | undefined;

  /**
   * Where the dynamic loader a program names is read from instead of the root filesystem
   * (replay: the copy stored in the recording). Undefined: the root's own.
   */
  interpreterSource: ((interp: string) => { hostPath: string; guestPath: string } | undefined) | undefined;

  constructor(creds?: Credentials) {
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    // The guest runs as tstrace's user, or as the one given (strace -u: the guest's ids only).
    this.creds = creds ?? { uid, euid: process.geteuid?.() ?? uid, gid, egid: process.getegid?.() ?? gid, groups: hostGroups() };
  }

  task(tid: number): Task | undefined {
    return this.lookup(tid);
  }

  /** The last task looked up, kept: a tracer asks about the same one several times per stop. */
  private lastTask: Task | undefined;

  private lookup(tid: number): Task | undefined {
    const last = this.lastTask;
    if (last !== undefined && last.tid === tid) return last;
    const task = this.tasks.get(tid);
    if (task !== undefined) this.lastTask = task;
    return task;
  }

  // ---- process creation -----------------------------------------------------------------

  /** Creates the first process from an executable on the host. Throws LoaderError on bad input. */
  spawn(options: SpawnOptions): ThreadGroup {
    // A `#!` script runs its interpreter, as execve runs it for strace.
    const target = options.script ?? this.scriptTarget(options.path, options.execfn ?? options.path, options.argv);
    const elf = readElf(target.hostPath);
    const arch = elf.arch;
    const exe = canonicalPath(resolvePath(process.cwd(), target.hostPath));
    const ids = initialIds(this.creds);
    const { cpu, mm, loaded, interpreter } = this.buildImage(elf, options.execfn ?? options.path, target.argv, options.envp, exe, ids);
    const fds = inheritedDescriptors(options.stdio ?? [0, 1, 2], options.inherit ?? []);
    if (this.firstPid === undefined) this.inheritedOutputs = [fds.get(1)?.file, fds.get(2)?.file];
    const cwdPath = process.cwd();
    const cwd = { path: cwdPath, hostFd: openSync(cwdPath, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY) };
    const pid = this.nextPid++;
    this.firstPid ??= pid;
    // The command is the name the program was run by, as an exec's (replay runs a stored copy
    // of the binary under another host name, and gives the recorded name as execfn).
    const named = options.execfn ?? options.path;
    const comm = named.split('/').pop() ?? named;
    const group = new ThreadGroup(pid, undefined, arch, mm, cpu, fds, cwd, comm, this.rootPidns);
    group.ids = ids;
    // tstrace's own nice value (the raw getpriority answers 20 - nice).
    group.nice = 20 - Number(hostSyscall(140 /* getpriority */, 0n, 0n));
    // The first process sits where tstrace sits: in tstrace's process group and session.
    group.pgid = Number(hostSyscall(121 /* getpgid */, 0n));
    group.sid = Number(hostSyscall(124 /* getsid */, 0n));
    group.umask = hostUmask();
    group.exe = exe;
    group.execPath = options.execfn ?? options.path;
    group.interpreter = interpreter;
    group.scripts = target.scripts;
    group.auxv = loaded.auxv;
    group.argv = options.argv;
    group.envp = options.envp;
    const task = new Task(pid, group);
    this.adopt(task);
    cpu.owner = task;
    cpu.pc = loaded.entry;
    cpu.sp = loaded.stackPointer;
    this.bindCpu(cpu);
    if (options.tracer !== undefined) {
      task.ptrace = new PtraceLink(options.tracer);
      // As after PTRACE_TRACEME + execve: the tracee stops with SIGTRAP before its first instruction.
      task.state = 'stopped';
      task.ptrace.stopKind = 'exec';
    }
    return group;
  }

  /** A new task id (a new process's id is its first task's). */
  allocateTid(): number {
    return this.nextPid++;
  }

  /** Registers a new task (and, for a group's first task, its process) with the kernel. */
  adopt(task: Task): void {
    const group = task.group;
    if (group.tasks.length === 0) this.groups.set(group.pid, group);
    group.tasks.push(task);
    group.live++;
    this.tasks.set(task.tid, task);
    this.scheduler.add(task);
  }

  /** The process with this pid, while it has not been reaped. */
  process(pid: number): ThreadGroup | undefined {
    return this.groups.get(pid);
  }

  /** The process `viewer` calls `pid` (an id in its pid namespace), while it has not been reaped. */
  processSeenBy(viewer: ThreadGroup, pid: number): ThreadGroup | undefined {
    const global = viewer.pidns.globalOf(pid);
    return global === undefined ? undefined : this.groups.get(global);
  }

  /** The task `viewer` calls `tid`, while it has not been reaped. */
  taskSeenBy(viewer: ThreadGroup, tid: number): Task | undefined {
    const global = viewer.pidns.globalOf(tid);
    return global === undefined ? undefined : this.lookup(global);
  }

  /**
   * The global id (tstrace's view) of the id `pid` as task `tid` sees it, in the namespace
   * `tid` lives in; 0 when there is no such id there (strace's translate_pid).
   */
  globalPidFor(tid: number, pid: number): number {
    const task = this.lookup(tid);
    if (task === undefined || pid <= 0) return 0;
    return task.group.pidns.globalOf(pid) ?? 0;
  }

  /** Every process not yet reaped, by pid. */
  processes(): IterableIterator<ThreadGroup> {
    return this.groups.values();
  }

  /** A fresh engine and address space holding `elf`, ready at its entry point. Throws LoaderError. */
  private buildImage(elf: ElfImage, execfn: string, argv: readonly string[], envp: readonly string[], exe: string, ids: ProcessIds): ExecImage {
    // The dynamic loader is read (and refused) before anything is built.
    let interp;
    if (elf.interpreter !== undefined) {
      const given = this.interpreterSource?.(elf.interpreter);
      const loader = given === undefined ? readInterpreter(elf, this.sysroot) : readElf(given.hostPath);
      // Named in /proc/PID/maps as Linux names a mapped file: its path with links resolved.
      interp = { elf: loader, guestPath: given?.guestPath ?? this.guestPath(canonicalPath(loader.path)), programPath: this.guestPath(exe) };
    }
    const cpu = new Cpu(elf.arch, translationBufferBytes(executableBytes(elf) + (interp === undefined ? 0 : executableBytes(interp.elf))));
    const mm = new AddressSpace(cpu.engine);
    try {
      const loaded = applyImage(mm, planImage(elf, execfn, argv, envp, ids, hostRandom(16), interp), elf.path);
      return { cpu, mm, loaded, interpreter: interp === undefined ? undefined : { hostPath: interp.elf.path, guestPath: interp.guestPath } };
    } catch (e) {
      mm.release();
      cpu.close();
      throw e;
    }
  }

  /**
   * The program the first process runs: `hostPath` itself, or for a `#!` script its interpreter
   * (looked up in `sysroot` when absolute) with binfmt_script's argv. Throws LoaderError when
   * Linux would refuse the script.
   */
  scriptTarget(hostPath: string, execfn: string, argv: readonly string[], sysroot = this.sysroot): ScriptTarget {
    const cwd = process.cwd();
    const target = followScripts(hostPath, execfn, argv, (p) => (p.startsWith('/') && sysroot !== undefined ? sysroot.hostPath(p) : resolvePath(cwd, p)));
    if (!('errno' in target)) return target;
    switch (target.errno) {
      case 'EACCES': throw new LoaderError('permission', `${target.path}: permission denied (not executable)`);
      case 'ENOEXEC': throw new LoaderError('not-elf', `${target.path}: bad #! line (no interpreter named, or its path cut at ${BINPRM_BUF_SIZE} bytes)`);
      case 'ELOOP': throw new LoaderError('bad-interpreter', `${target.path}: more than ${MAX_INTERPRETER_DEPTH} levels of #! interpreters`);
    }
  }

  /**
   * The program an execve runs: `hostPath` itself, or for a `#!` script its interpreter (itself
   * perhaps a script), with the argv Linux's binfmt_script builds. -errno when refused.
   */
  private execTarget(group: ThreadGroup, hostPath: string, execfn: string, argv: readonly string[]): (ScriptTarget & { elf: ElfImage }) | bigint {
    const target = followScripts(hostPath, execfn, argv, (interpreter) => this.resolvePath(group, interpreter));
    if ('errno' in target) return -BigInt(E[target.errno]);
    return { ...target, elf: readElf(target.hostPath) };
  }

  /**
   * execve: replaces the image (of this program's architecture, whatever the old one's was),
   * ends the process's other threads (a thread that is not the leader takes over the leader's
   * id), closes close-on-exec descriptors, resets caught signals, and reports
   * PTRACE_EVENT_EXEC (message: the caller's former id) to a tracer that asked. Returns 0, or
   * -errno with nothing changed.
   */
  exec(task: Task, hostPath: string, execfn: string, argvGiven: readonly string[], envp: readonly string[]): bigint {
    const group = task.group;
    let elf: ElfImage;
    let image;
    let argv = argvGiven;
    let scripts: ScriptTarget['scripts'];
    try {
      const target = this.execTarget(group, hostPath, execfn, argvGiven);
      if (typeof target === 'bigint') return target;
      elf = target.elf;
      hostPath = target.hostPath;
      argv = target.argv;
      scripts = target.scripts;
      image = this.buildImage(elf, execfn, argv, envp, hostPath, group.ids);
    } catch (e) {
      if (!(e instanceof LoaderError)) throw e;
      if (!e.afterPointOfNoReturn) return -BigInt(EXEC_ERRNO[e.kind]);
      // Linux has dropped the old image by then: execve fails (EINVAL, or ENOMEM for memory it
      // cannot map) and the process dies of a SIGSEGV no handler can catch.
      group.actions[SIG.SIGSEGV] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
      task.sigmask &= ~bit(SIG.SIGSEGV);
      this.sendSignal(task, { signo: SIG.SIGSEGV, code: 0x80 /* SI_KERNEL */, addr: 0n });
      return -BigInt(e.kind === 'too-large' ? E.ENOMEM : E.EINVAL);
    }
    const prepared: PreparedExec = { arch: elf.arch, image, hostPath, execfn, argv, envp, scripts };
    if (!this.otherThreadsReportExit(task)) return this.completeExec(task, prepared);
    // Linux's de_thread() waits until the other threads have gone through their exit.
    return this.park(task, task.syscall!, {
      what: 'execve (other threads report their exit)',
      interruptible: false,
      retry: () => (group.exitReporters.size > 0 ? BLOCKED : this.completeExec(task, prepared)),
      cancel: () => {
        if (group.execer === task) group.execer = undefined;
        prepared.image.mm.release();
        prepared.image.cpu.close();
      },
    });
  }

  /** execve past its point of no return: the image is replaced (see exec). */
  private completeExec(task: Task, prepared: PreparedExec): bigint {
    const group = task.group;
    const { arch, image, hostPath, execfn, argv, envp, scripts } = prepared;
    group.execer = undefined;
    const formerTid = task.tid;
    this.deThread(task);
    group.arch = arch;
    this.dropImage(group);
    group.mm = image.mm;
    group.cpu = image.cpu;
    image.cpu.owner = task;
    task.context = undefined;
    clearDebug(task);
    image.cpu.pc = image.loaded.entry;
    image.cpu.sp = image.loaded.stackPointer;
    this.bindCpu(image.cpu);
    task.syscall?.moveTo(image.cpu);
    this.releaseVforkParent(group);
    group.fds.closeOnExec();
    for (const t of group.posixTimers.values()) this.timers.remove(t);
    group.posixTimers.clear();
    group.actions.forEach((a, signo) => {
      if (a.handler !== SIG_IGN && a.handler !== SIG_DFL) group.actions[signo] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
    });
    group.exe = canonicalPath(hostPath);
    group.execPath = execfn;
    group.interpreter = image.interpreter;
    group.scripts = scripts;
    group.auxv = image.loaded.auxv;
    group.argv = argv;
    group.envp = envp;
    group.comm = (execfn.split('/').pop() ?? execfn).slice(0, 15);
    task.altStack = { sp: 0n, size: 0n, flags: 2 };
    task.rseq = undefined;
    task.robustList = 0n;
    task.clearChildTid = 0n;
    const link = task.ptrace;
    if (link !== undefined && link.has(PTRACE_O.TRACEEXEC)) {
      link.eventMessage = BigInt(formerTid);
      this.ptraceStop(task, 'event', waitStatus.stopped(SIG.SIGTRAP, PTRACE_EVENT.EXEC));
    }
    const guest = task.guestTrace;
    if (guest !== undefined && guest.has(PTRACE_O.TRACEEXEC)) {
      guest.eventMessage = BigInt(guest.tracerTask.group.pidns.idOf(formerTid));
      // Reported as execve's event stop, after the call returns.
      if (task.syscall !== undefined) task.syscall.event = { event: PTRACE_EVENT.EXEC, message: BigInt(formerTid) };
    }
    // Without PTRACE_O_TRACEEXEC a traced task gets a SIGTRAP after a successful execve.
    if ((link !== undefined && !link.has(PTRACE_O.TRACEEXEC)) || (guest !== undefined && !guest.has(PTRACE_O.TRACEEXEC) && !guest.seized)) {
      this.sendSignal(task, { signo: SIG.SIGTRAP, code: 0 /* SI_USER */, pid: 0, uid: 0 });
    }
    return 0n;
  }

  /**
   * The start of execve's de_thread() when guest tracers asked for PTRACE_O_TRACEEXIT: each
   * other live thread so traced stops in PTRACE_EVENT_EXIT (message: exited 0), the rest are
   * frozen. True when such stops were made: the exec goes on once the last is resumed
   * (execThreadEnded).
   */
  private otherThreadsReportExit(task: Task): boolean {
    const group = task.group;
    const others = group.tasks.filter((t) => t !== task && t.state !== 'zombie' && t.state !== 'dead');
    const reporters = others.filter((t) => t.guestTrace?.has(PTRACE_O.TRACEEXIT) === true && !t.exitEventDone);
    if (reporters.length === 0) return false;
    group.execer = task;
    this.freezeForExitReports(group, task);
    for (const t of reporters) {
      t.exitEventDone = true;
      group.exitReporters.add(t);
      const guest = t.guestTrace!;
      guest.eventMessage = BigInt(waitStatus.exited(0));
      this.ptraceStop(t, 'event', waitStatus.stopped(SIG.SIGTRAP, PTRACE_EVENT.EXIT), undefined, guest);
    }
    return true;
  }

  /**
   * A thread an execve ends, resumed by its guest tracer after its exit event: it ends as if by
   * _exit(0), reported to its tracers, except the leader, which ends unreported when the exec
   * goes on (deThread). The exec'ing thread goes on after the last.
   */
  private execThreadEnded(task: Task, execer: Task): void {
    const group = task.group;
    if (task !== group.leader) {
      this.traceExitEvent(task, waitStatus.exited(0));
      this.endTask(task, waitStatus.exited(0), false);
    }
    if (group.exitReporters.size === 0) this.scheduler.wake(execer, 'event');
  }

  /**
   * execve's point of no return for the process's other threads, as Linux's de_thread(): each
   * reports PTRACE_EVENT_EXIT when asked and ends as if by _exit(0). When the caller is not
   * the leader, the leader ends unreported and the caller takes over its id (tid == pid).
   */
  private deThread(task: Task): void {
    const group = task.group;
    const leader = group.leader;
    for (const t of [...group.tasks]) {
      if (t === task || t === leader || t.state === 'zombie' || t.state === 'dead') continue;
      this.traceExitEvent(t, waitStatus.exited(0));
      this.endTask(t, waitStatus.exited(0), false);
    }
    if (leader === task) return;
    if (leader.state !== 'zombie' && leader.state !== 'dead') {
      this.traceExitEvent(leader, waitStatus.exited(0));
      this.endTask(leader, waitStatus.exited(0), true);
    }
    this.heldLeaderEnds.delete(leader);
    leader.guestTrace?.tracerTask.group.tracees.delete(leader);
    leader.context?.free();
    leader.context = undefined;
    this.forgetTaskFully(leader);
    threadGone(leader);
    group.tasks.splice(group.tasks.indexOf(leader), 1);
    this.tasks.delete(task.tid);
    task.tid = group.pid;
    this.tasks.set(task.tid, task);
    group.tasks.splice(group.tasks.indexOf(task), 1);
    group.tasks.unshift(task);
    this.scheduler.renumbered(task);
  }

  /** Connects a CPU's traps to the kernel: its syscalls and faults are its owner's. */
  bindCpu(cpu: Cpu): void {
    cpu.onSyscall = () => this.syscallTrap(cpu.owner!);
    const timeReads = this.timeReads;
    if (timeReads !== undefined) cpu.watchTimeReads((read) => timeReads(cpu.owner!, read));
    cpu.classify = (addr) => {
      const mm = cpu.owner!.group.mm;
      if (mm.find(addr) === undefined) return 'unmapped';
      return mm.pastEndOfFile(addr) ? 'past-eof' : 'mapped';
    };
  }

  /** Puts a task's registers on its CPU (saving those of the task that was there). */
  activate(task: Task): void {
    const cpu = task.group.cpu;
    const owner = cpu.owner;
    if (owner === task) return;
    if (owner !== undefined && owner.state !== 'dead' && owner.group.cpu === cpu) owner.context = cpu.saveContext(owner.context);
    if (task.context !== undefined) cpu.restoreContext(task.context);
    cpu.owner = task;
  }

  /** Lets go of a process's CPU and memory (freed when no vfork child or parent still uses them). */
  private dropImage(group: ThreadGroup): void {
    const cpu = group.cpu;
    if (cpu.engine.closed) return;
    for (const t of group.tasks) {
      if (t.context !== undefined) {
        t.context.free();
        t.context = undefined;
      }
    }
    if (--cpu.users > 0) {
      if (cpu.owner?.group === group) cpu.owner = undefined;
      return;
    }
    group.mm.release();
    cpu.close();
  }

  /** A vfork parent waits until its child execs or exits: this lets it go on. */
  private releaseVforkParent(child: ThreadGroup): void {
    const parent = child.vforkParent;
    if (parent === undefined) return;
    child.vforkParent = undefined;
    this.scheduler.wake(parent, 'event');
  }

  // ---- the run loop ---------------------------------------------------------------------

  /**
   * Runs every task until all have exited; returns how `initial` (the process tstrace
   * started) ended.
   */
  run(initial: ThreadGroup): Termination {
    const first = initial.leader;
    if (first.state === 'stopped' && first.ptrace?.stopKind === 'exec') {
      first.ptrace.tracer.notify(first, waitStatus.stopped(SIG.SIGTRAP));
    }
    const scheduler = this.scheduler;
    const interrupts = this.interrupts;
    while (scheduler.size > 0) {
      if (interrupts !== undefined) {
        const sig = interrupts();
        if (sig !== 0) this.hostSignal(sig, initial);
      }
      const task = scheduler.next();
      if (task === undefined) {
        this.waitForHost();
        continue;
      }
      this.observer?.taskScheduled(task);
      this.runTask(task);
    }
    if (initial.termination === undefined) throw new KernelError('every task ended but the first process has no exit status');
    return initial.termination;
  }

  /**
   * tstrace was sent `signo`: as strace does, the program it started gets the same signal
   * (from its parent, SI_USER), and the run goes on until the program has dealt with it, so
   * the trace shows how it ended. A second such signal kills every guest process.
   */
  private hostSignal(signo: number, first: ThreadGroup): void {
    const toFirst = ++this.interruptsSeen === 1 && first.termination === undefined;
    const t = this.lastRun;
    const running = t !== undefined && t.state === 'running' && t.syscall === undefined ? { tid: t.tid, executed: t.executed } : undefined;
    this.sendOutside({ signo: toFirst ? signo : SIG.SIGKILL, pid: toFirst ? first.pid : 0, senderPid: this.hostPid, senderUid: this.creds.uid, running });
  }

  /**
   * How much guest code `task` has run up to now (Task.executed, with the run in progress when
   * it is the task running: a stop inside a run), or undefined when execution is not counted.
   */
  executedNow(task: Task): bigint | undefined {
    if (!this.countExecution) return undefined;
    const cpu = task.group.cpu;
    return task === this.lastRun && cpu.running ? task.executed + cpu.budgetUsed - this.runStartUsed : task.executed;
  }

  /**
   * After a stop made inside a counted run of `task` (a call handled in the hook): the run stops
   * where executionStop now says, which may have come nearer with the stop (replay's next place).
   */
  stopRunAtNextPlace(task: Task): void {
    if (!this.countExecution || task !== this.lastRun) return;
    const cpu = task.group.cpu;
    const now = this.executedNow(task);
    const at = this.executionStop?.(task);
    if (!cpu.running || now === undefined || at === undefined || at <= now) return;
    cpu.limitRun(at - now);
  }

  /** Sends a signal from outside (hostSignal's, or the one a recording holds, in replay). */
  sendOutside(signal: OutsideSignal): void {
    const outside = ++this.outsideSent;
    this.observer?.outsideSignal?.(signal, outside);
    const info = { signo: signal.signo, code: 0 /* SI_USER */, pid: signal.senderPid, uid: signal.senderUid, outside };
    if (signal.pid !== 0) {
      const group = this.groups.get(signal.pid);
      if (group !== undefined && group.termination === undefined) this.sendProcessSignal(group, info);
      return;
    }
    for (const group of [...this.groups.values()]) if (group.termination === undefined) this.sendProcessSignal(group, info);
  }

  /** Runs one task until it traps into the kernel, blocks, stops, or its slice ends. */
  private runTask(task: Task): void {
    const scheduler = this.scheduler;
    if (task.group.continueNotice) {
      task.group.continueNotice = false;
      this.tellParent(task.group, CLD_CONTINUED, SIG.SIGCONT);
    }
    // A thread of a dying process, resumed by its guest tracer after its exit event.
    if (task.group.exitReporters.has(task)) {
      this.exitReported(task);
      return;
    }
    // A stopped tracee a SIGKILL woke dies without running on.
    if (task.killWoken) {
      task.killWoken = false;
      task.pending &= ~bit(SIG.SIGKILL);
      this.actOnSignal(task, SIG.SIGKILL, { signo: SIG.SIGKILL, code: 0 });
      return;
    }
    // A thread whose process stopped while it was parked stops once its wait is over.
    if (task.jobStop === 'pending') {
      this.enterJobStop(task);
      return;
    }
    this.activate(task);
    const guest = task.guestTrace;
    if (guest !== undefined && task.syscall === undefined && !this.guestTraceStart(task, guest)) return;
    // Signals wait until a call in progress has finished (a parked one ends with ERESTARTSYS).
    if ((task.pending !== 0n || guest?.delivering !== undefined) && task.syscall === undefined) this.deliverSignals(task);
    if (task.state !== 'running') return;
    if (task.syscall !== undefined) {
      // A call that was parked, or stopped for its tracer, goes on.
      this.finishSyscall(task);
    } else {
      const cpu = task.group.cpu;
      // A slice is budgeted while another task could run, a parked one waits on the host, or a
      // timer is armed: its end is where the host's clock and descriptors are looked at.
      const needBudget = (scheduler.size > 1 && (scheduler.contended() || scheduler.hostWaiters())) || this.timers.anyArmed();
      const counted = this.countExecution;
      if (counted) cpu.countAll();
      if (needBudget && (!cpu.budgeted || task.sliceStart)) cpu.armBudget(QUANTUM);
      else if (!needBudget && cpu.budgeted) cpu.disarmBudget();
      task.sliceStart = false;
      // A host signal that came while the budget was set up (which may have undone its stop
      // request) is looked at first; after this look, one stops the run through the budget.
      if (counted && this.interruptWaiting?.() === true) return;
      const stops = cpu.budgetStops;
      const step = guest?.singleStep === true;
      if (step) guest.singleStep = false;
      if (task.hwDebug !== undefined) beforeRun(task, cpu);
      // Where replay must stop this run: an outside signal came there.
      const stopAt = counted ? this.executionStop?.(task) : undefined;
      const used = counted ? cpu.beforeCountedRun(stopAt !== undefined && stopAt > task.executed ? stopAt - task.executed : undefined) : 0n;
      this.runStartUsed = used;
      this.lastRun = task;
      const ran = process.hrtime.bigint();
      const system = task.usage.system;
      const stopped = this.stoppedMs;
      // A watchpoint's stop needs the exact PC of the access, which only a counted run keeps.
      let exit = cpu.run(step ? 1 : task.hwDebug !== undefined && watching(task.hwDebug) ? COUNTED_RUN : 0);
      if (counted) task.executed += cpu.afterCountedRun() - used;
      // (Calls made inside the run, from Unicorn's hook, counted as system time already; a
      // sampled estimate may exceed what they took.)
      const inTracers = this.stoppedMs === stopped ? 0n : BigInt(Math.round((this.stoppedMs - stopped) * 1e6));
      const user = process.hrtime.bigint() - ran - (task.usage.system - system) - inTracers;
      if (user > 0n) task.usage.user += user;
      if (cpu.budgetStops !== stops) {
        // Timers expire there: a signal they send is placed at the end of this task's slice.
        this.sliceEndOf = task;
        this.endSlice(task);
        this.sliceEndOf = undefined;
      }
      this.runEnded?.(task);
      if (exit.kind === 'debug') {
        const r = debugTrap(task, cpu, exit.hit);
        if ('fault' in r) exit = { kind: 'fault', fault: r.fault };
        else this.sendSignal(task, r);
      }
      // One instruction ran (a syscall instruction's call included): SIGTRAP, TRAP_TRACE.
      if (step && exit.kind !== 'fault' && exit.kind !== 'debug' && task.state === 'running' && task.syscall === undefined) {
        this.sendSignal(task, { signo: SIG.SIGTRAP, code: 2 /* TRAP_TRACE */, addr: cpu.pc });
      }
      if (exit.kind === 'fault' && !emulateLegacyCall(this, task, exit.fault)) this.forceSignal(task, exit.fault);
      else if (exit.kind === 'syscall' && task.syscall !== undefined && task.state === 'running') this.finishSyscall(task);
    }
    // (A call parked while a signal was already pending leaves the task runnable: its signal
    // waits until the call has ended, with ERESTARTSYS or the like.)
    if (task.state === 'running' && task.pending !== 0n && task.syscall === undefined) this.deliverSignals(task);
  }

  /**
   * The stops a guest tracer gets before its tracee runs on: a new or attached tracee's first
   * stop (SIGSTOP, or PTRACE_EVENT_STOP when seized) and PTRACE_INTERRUPT's. False: stopped.
   */
  private guestTraceStart(task: Task, guest: GuestTraceLink): boolean {
    let status = guest.startStop;
    guest.startStop = undefined;
    if (status === undefined && guest.interrupt) status = waitStatus.stopped(SIG.SIGTRAP, PTRACE_EVENT.STOP);
    guest.interrupt = false;
    if (status === undefined) return true;
    const signo = (status >> 8) & 0xff;
    const event = status >>> 16;
    if (event === 0) guest.delivering = { signo, code: 0, pid: 0, uid: 0 };
    if (!this.ptraceStop(task, event === 0 ? 'signal-delivery' : 'event', status, guest.delivering, guest)) return false;
    if (event === 0) {
      guest.delivering = undefined;
      if (guest.resumeSignal !== 0) this.sendSignal(task, { signo: guest.resumeSignal, code: 0 });
    }
    return true;
  }

  /**
   * After a write to a pipe or socket: a task parked on the other end should run now, as Linux
   * wakes it at once, so the writer's slice ends here (the host is polled for readiness).
   */
  preemptForHost(task: Task): void {
    if (this.scheduler.hostWaiters()) this.endSlice(task);
  }

  /** The current task's budget ran out: look at the host's clock and descriptors, pass the CPU on. */
  private endSlice(task: Task): void {
    task.sliceStart = true;
    this.scheduler.sliceOver = true;
    this.scheduler.expireDeadlines();
    this.timers.expire();
    if (this.scheduler.hostWaiters()) this.scheduler.pollHost(0);
  }

  /**
   * No task can run: wait in the host for a parked task's descriptor or deadline. When
   * nothing from outside can ever wake one, say which tasks wait on what, then wait for an
   * outside signal as Linux would.
   */
  private waitForHost(): void {
    const scheduler = this.scheduler;
    scheduler.expireDeadlines();
    this.timers.expire();
    if (scheduler.all().some((t) => t.state === 'running')) return;
    const parked = scheduler.nearestDeadline();
    const timer = this.timers.nearest();
    const deadline = parked === undefined ? timer : timer === undefined || parked < timer ? parked : timer;
    if (this.nothingCanWake()) {
      this.reportDeadlock();
      hostSyscall(HOST.pause);
      return;
    }
    let timeout = -1;
    if (deadline !== undefined) {
      const left = deadline - process.hrtime.bigint();
      timeout = left <= 0n ? 0 : Number((left + 999_999n) / 1_000_000n);
    }
    scheduler.pollHost(timeout);
    scheduler.expireDeadlines();
    this.timers.expire();
  }

  /**
   * No task can run, and none waits for a deadline, a timer or a host descriptor: only a signal
   * from outside could wake one.
   */
  nothingCanWake(): boolean {
    const scheduler = this.scheduler;
    if (scheduler.all().some((t) => t.state === 'running')) return false;
    if (scheduler.nearestDeadline() !== undefined || this.timers.nearest() !== undefined) return false;
    return !scheduler.all().some((t) => t.state === 'blocked' && waitsOnHost(t.syscall?.wait));
  }

  private reportDeadlock(): void {
    if (this.deadlockReported) return;
    this.deadlockReported = true;
    const waits = this.scheduler.all().map((t) => {
      const why = t.state === 'blocked' ? (t.syscall?.wait?.what ?? 'a syscall') : t.state === 'stopped' ? 'stopped' : t.state;
      return `${t.tid} (${why})`;
    });
    process.stderr.write(`tstrace: every guest task waits for another, nothing can wake them: ${waits.join(', ')}\n`);
  }

  // ---- syscalls -------------------------------------------------------------------------

  /** Called inside Unicorn's hook: true when the syscall completed there. */
  private syscallTrap(task: Task): boolean {
    const cpu = task.group.cpu;
    const nr = cpu.readSyscallNumber();
    const entry = this.entryFor(task.group.arch, nr);
    task.syscall = (task.callRecord ??= new SyscallCall(cpu)).begin(nr, cpu, entry);
    if (entry?.outsideHook === true) return false;
    this.finishSyscall(task);
    if (task.syscall !== undefined || task.state !== 'running' || this.hasDeliverableSignal(task) || this.scheduler.sliceOver) return false;
    // A call that made another task runnable, or armed a timer: stop, so that the next run is
    // budgeted.
    if (cpu.budgeted) return true;
    return (this.scheduler.size === 1 || !this.scheduler.contended()) && !this.timers.anyArmed();
  }

  private entryFor(arch: ArchDescriptor, nr: number): SyscallEntry | undefined {
    let byNumber = arch === this.lastArch ? this.lastEntries : this.entriesByArch.get(arch);
    if (byNumber === undefined) {
      byNumber = [];
      for (const [n, name] of arch.syscallNames) byNumber[n] = SYSCALL_TABLE[name];
      this.entriesByArch.set(arch, byNumber);
    }
    this.lastArch = arch;
    this.lastEntries = byNumber;
    return nr >= 0 && nr < byNumber.length ? byNumber[nr] : undefined;
  }

  /**
   * Runs a syscall's remaining phases: entry stop, execution (perhaps parked and retried),
   * event stop, exit stop. Returns early, the call kept on the task, when a stop or a wait
   * leaves the task not running; the next run goes on from there.
   */
  private finishSyscall(task: Task): void {
    const call = task.syscall!;
    const traced = task.ptrace !== undefined || task.guestTrace !== undefined;
    if (this.delayed(task, call)) return;
    if (!call.entered) {
      call.entered = true;
      // As on Linux, the return register holds -ENOSYS while a guest tracer looks at the entry
      // (x86_64's rax): what a skipped call returns unless the tracer sets it.
      if (task.guestTrace !== undefined && task.group.arch.ptrace.entryReturnIsEnosys) task.group.cpu.setReturn(-BigInt(E.ENOSYS));
      if (traced && (!this.traceStops(task, 'syscall-enter', this.syscallStop) || this.delayed(task, call))) return;
    }
    if (call.result === undefined && !call.exitEventMade && task.guestTrace?.has(PTRACE_O.TRACEEXIT) === true && !this.guestExitEvent(task, call)) return;
    if (call.result === undefined) {
      // System time is sampled, one call in SYSTEM_TIME_SAMPLE credited for as many (reading the
      // clock twice costs more than a fast call's handler), unless every call is timed (-c, -T).
      const timed = this.timeSyscalls || --this.systemTimeSample === 0;
      const t0 = timed ? process.hrtime.bigint() : 0n;
      const ret = call.wait !== undefined ? this.retryWait(task, call) : this.execute(task, call);
      if (timed) {
        const spent = process.hrtime.bigint() - t0;
        if (this.timeSyscalls) {
          call.kernelNs += spent;
          task.usage.system += spent;
        } else {
          this.systemTimeSample = SYSTEM_TIME_SAMPLE;
          task.usage.system += spent > SAMPLE_OUTLIER_NS ? spent : spent * BigInt(SYSTEM_TIME_SAMPLE);
        }
      }
      if (ret === BLOCKED) {
        // An event of a call that now waits (vfork's) is reported first: the tracer must know
        // of the child before the child's first stop.
        const ev = call.event;
        if (ev !== undefined && traced) {
          call.event = undefined;
          this.setEventMessage(task, ev.message);
          task.state = 'running';
          if (!this.traceStops(task, 'event', this.eventStop(ev.event))) return;
        }
        // (A task woken already, by a signal that was pending when it parked, stays runnable.)
        if (task.state === 'running' && task.wake === undefined) task.state = 'blocked';
        return;
      }
      // (A process whose threads report their exit events first: the call never returns.)
      if (task.state === 'zombie' || task.state === 'dead' || task.group.dying !== undefined) return;
      // Arguments a reader may still want after the return value clobbers x0: the recorder's.
      // (A tracer reads what its decoder needs at the entry stop.)
      if (this.onSyscallExit !== undefined) call.beforeReturnWrite();
      const cpu = task.group.cpu;
      // A call that set the registers itself (rt_sigreturn) reports what is now in the return
      // register, as Linux reports regs->ax / x0.
      call.result = ret !== NO_RETURN ? ret : BigInt.asIntN(64, cpu.readReturn());
      if (ret !== NO_RETURN) cpu.setReturn(ret);
      if (RESTART_CODES.has(ret)) task.restart = { nr: call.nr, arg0: call.args[0]!, code: Number(-ret) };
      this.onSyscallExit?.(task, call.nr, ret);
    }
    const event = call.event;
    if (event !== undefined && traced) {
      call.event = undefined;
      this.setEventMessage(task, event.message);
      if (!this.traceStops(task, 'event', this.eventStop(event.event))) return;
    }
    if (!call.exitReported) {
      call.exitReported = true;
      // Linux gives up a ptrace stop when SIGKILL is pending (kill of self, tgkill): the task
      // dies inside the call and its tracer never sees the exit.
      if (traced && (task.pending & bit(SIG.SIGKILL)) === 0n && (!this.traceStops(task, 'syscall-exit', this.syscallStop) || this.delayed(task, call))) return;
    }
    task.syscall = undefined;
  }

  /**
   * A tracer resumed the call with a delay (strace -e inject=...:delay_enter/delay_exit): the
   * task stays parked on that deadline, the others run; true while it lasts.
   */
  private delayed(task: Task, call: SyscallCall): boolean {
    if (call.delayUntil === undefined) return false;
    if (process.hrtime.bigint() < call.delayUntil) {
      task.state = 'blocked';
      task.deadline = call.delayUntil;
      return true;
    }
    call.delayUntil = undefined;
    return false;
  }

  /** A parked call after its wake: interrupted by a signal, or retried. */
  private retryWait(task: Task, call: SyscallCall): bigint {
    const wait = call.wait!;
    const why = task.wake ?? 'event';
    task.wake = undefined;
    call.wait = undefined;
    if (why === 'signal') {
      wait.cancel?.();
      return wait.onSignal?.() ?? -BigInt(ERESTARTSYS);
    }
    const r = wait.retry(why);
    if (r === BLOCKED && call.wait === undefined) call.wait = wait;
    if (r !== BLOCKED) task.deadline = undefined;
    return r;
  }

  /**
   * A guest tracer that asked for PTRACE_EVENT_EXIT sees it before exit or exit_group runs,
   * with the exit status as the event message. False: the task is stopped there.
   * (Threads that exit_group ends from elsewhere make no stop yet.)
   */
  private guestExitEvent(task: Task, call: SyscallCall): boolean {
    const name = task.group.arch.syscallNames.get(call.nr);
    if (name !== 'exit' && name !== 'exit_group') return true;
    call.exitEventMade = true;
    task.exitEventDone = true;
    const guest = task.guestTrace!;
    guest.eventMessage = BigInt(waitStatus.exited(Number(call.args[0]! & 0xffn)));
    return this.ptraceStop(task, 'event', waitStatus.stopped(SIG.SIGTRAP, PTRACE_EVENT.EXIT), undefined, guest);
  }

  /** A clone or exec event's message, a task id: tstrace's view is global, a guest tracer's its own namespace's. */
  private setEventMessage(task: Task, message: bigint): void {
    if (task.ptrace !== undefined) task.ptrace.eventMessage = message;
    const guest = task.guestTrace;
    if (guest !== undefined) guest.eventMessage = BigInt(guest.tracerTask.group.pidns.idOf(Number(message)));
  }

  private syscallStopStatus(link: PtraceLink): number {
    return waitStatus.stopped(SIG.SIGTRAP | (link.has(0x1) ? 0x80 : 0));
  }

  private execute(task: Task, call: SyscallCall): bigint {
    if (call.skipped) return NO_RETURN;
    if (task.seccompMode !== 0) {
      const denied = this.seccompCheck(task, call);
      if (denied !== undefined) return denied;
    }
    if (this.executor !== undefined) return this.executor.execute(task, call, () => this.runHandler(task, call));
    return this.runHandler(task, call);
  }

  /**
   * seccomp at syscall entry: undefined when the call may run, else what it returns instead
   * (an errno, or NO_RETURN after a trap or a kill: the registers are left as they were).
   */
  private seccompCheck(task: Task, call: SyscallCall): bigint | undefined {
    const arch = task.group.arch;
    const name = arch.syscallNames.get(call.nr);
    if (task.seccompMode === 1) {
      if (name === 'read' || name === 'write' || name === 'exit' || name === 'rt_sigreturn') return undefined;
      this.sendSignal(task, { signo: SIG.SIGKILL, code: SI_KERNEL });
      return NO_RETURN;
    }
    const pc = task.group.cpu.syscallPc;
    const verdict = runFilters(task.seccompFilters, seccompData(call.nr, arch.ptrace.auditArch, pc, call.args));
    const action = actionOf(verdict);
    if (action === SECCOMP_RET_ALLOW || action === SECCOMP_RET_LOG) return undefined;
    if (action === SECCOMP_RET_ERRNO) return -BigInt(Math.min(dataOf(verdict), 4095));
    if (action === SECCOMP_RET_TRACE) {
      // Checked again after the tracer's stop, the filters' TRACE lets the call run.
      if (call.seccompTraced) return undefined;
      // A guest tracer that asked for PTRACE_EVENT_SECCOMP stops here, the filter's data as the
      // event message, before the call runs; without one the call fails with ENOSYS.
      const guest = task.guestTrace;
      if (guest?.has(PTRACE_O.TRACESECCOMP) !== true) return -BigInt(E.ENOSYS);
      call.seccompTraced = true;
      guest.eventMessage = BigInt(dataOf(verdict));
      if (this.ptraceStop(task, 'event', waitStatus.stopped(SIG.SIGTRAP, PTRACE_EVENT.SECCOMP), undefined, guest)) return call.skipped ? NO_RETURN : this.seccompCheck(task, call);
      // Stopped: the call goes on when the tracer resumes it (finishSyscall runs it again).
      return BLOCKED;
    }
    // No listener takes notifications: ENOSYS, as Linux answers without one.
    if (action === SECCOMP_RET_USER_NOTIF) return -BigInt(E.ENOSYS);
    // The call does not run and its registers are as they were (Linux's syscall_rollback).
    // TRAP: SIGSYS is forced on the task, with the call in its siginfo. A kill (or an action
    // Linux does not know): the same SIGSYS with its default action, which ends the process
    // (the engine cannot be released from inside its own run, so the end comes by the signal).
    const sigaction = task.group.actions[SIG.SIGSYS]!;
    if (action !== SECCOMP_RET_TRAP) {
      sigaction.handler = SIG_DFL;
      sigaction.flags |= SA_IMMUTABLE;
    } else if (sigaction.handler === SIG_IGN) sigaction.handler = SIG_DFL;
    task.sigmask &= ~bit(SIG.SIGSYS);
    this.sendSignal(task, { signo: SIG.SIGSYS, code: SYS_SECCOMP, errno: dataOf(verdict), callAddr: pc, syscall: call.nr, arch: arch.ptrace.auditArch });
    return NO_RETURN;
  }

  private runHandler(task: Task, call: SyscallCall): bigint {
    const entry = call.entry;
    if (entry === undefined) return -BigInt(E.ENOSYS);
    return entry.handler(new HandlerContext(this, task, call));
  }

  /** Parks a task's call on `wait` (HandlerContext.block). */
  park(task: Task, call: SyscallCall, wait: Wait, timeoutNs?: bigint): bigint {
    call.wait = wait;
    task.state = 'blocked';
    task.wake = undefined;
    call.timed = timeoutNs !== undefined;
    // In replay a wait ends when the recording says: its timeout is the recording's, not a deadline.
    task.deadline = timeoutNs === undefined || this.recordedTimeouts ? undefined : process.hrtime.bigint() + (timeoutNs < 0n ? 0n : timeoutNs);
    // A signal that is already deliverable interrupts at once.
    if (wait.interruptible !== false && this.hasDeliverableSignal(task)) this.scheduler.wake(task, 'signal');
    return BLOCKED;
  }

  // ---- ptrace ---------------------------------------------------------------------------

  /**
   * Stops a task for each of its tracers that wants this stop (`statusFor` gives the wait
   * status, or undefined for no stop): tstrace's strace first, then a guest tracer. False when
   * the task was left stopped; its next run goes on from the same point (the caller has marked
   * the stop as made, so it is not made twice).
   */
  private traceStops(task: Task, kind: StopKind, statusFor: (link: PtraceLink) => number | undefined, siginfo?: Siginfo): boolean {
    const host = task.ptrace;
    if (host !== undefined) {
      const status = statusFor(host);
      if (status !== undefined && !this.ptraceStop(task, kind, status, siginfo, host)) return false;
    }
    const guest = task.guestTrace;
    if (guest !== undefined) {
      const status = statusFor(guest);
      if (status !== undefined && !this.ptraceStop(task, kind, status, siginfo, guest)) return false;
    }
    return true;
  }

  private readonly syscallStop = (link: PtraceLink): number | undefined =>
    link.resumeMode === 'syscall' ? this.syscallStopStatus(link) : undefined;

  private eventStop(event: number): (link: PtraceLink) => number | undefined {
    return (link) => (link.has(EVENT_OPTION[event] ?? 0) ? waitStatus.stopped(SIG.SIGTRAP, event) : undefined);
  }

  /** Puts a traced task into a ptrace-stop and tells its tracer; true when it was resumed at once. */
  private ptraceStop(task: Task, kind: StopKind, status: number, siginfo?: Siginfo, link: PtraceLink = task.ptrace!): boolean {
    link.stopKind = kind;
    link.siginfo = siginfo;
    link.resumeSignal = 0;
    task.state = 'stopped';
    // A tracer in tstrace looks at the stop at once: its time is not the task's, which a timer
    // may be counting (the clock is read only then: twice a stop costs ~9% of a traced getppid).
    const timed = this.timers.anyArmed();
    const t0 = timed ? performance.now() : 0;
    link.tracer.notify(task, status);
    if (timed) this.stoppedMs += performance.now() - t0;
    return (task.state as Task['state']) === 'running';
  }

  /** PTRACE_SYSCALL / PTRACE_CONT: resumes a stopped tracee, delivering `signal` if non-zero. */
  ptraceResume(tid: number, mode: ResumeMode, signal = 0): number {
    const task = this.lookup(tid);
    if (task?.ptrace === undefined || task.state !== 'stopped') return -E.ESRCH;
    task.ptrace.resumeMode = mode;
    task.ptrace.resumeSignal = signal;
    task.state = 'running';
    // A signal passed at a syscall stop is sent as Linux sends it: from the kernel (SI_KERNEL).
    const kind = task.ptrace.stopKind;
    if (signal !== 0 && (kind === 'syscall-enter' || kind === 'syscall-exit')) this.sendSignal(task, { signo: signal, code: SI_KERNEL });
    return 0;
  }

  /**
   * PTRACE_SET_SYSCALL_INFO's entry half (or writing the number register at the entry stop):
   * the call runs as syscall `nr` instead; -1 skips it (its result is then -ENOSYS, or what
   * ptraceSetReturn puts at the exit stop).
   */
  ptraceSetSyscall(tid: number, nr: number): number {
    const task = this.stoppedTracee(tid);
    const call = task?.syscall;
    if (task === undefined || call === undefined || task.ptrace!.stopKind !== 'syscall-enter') return -E.ESRCH;
    retargetCall(call, nr, nr < 0 ? undefined : this.entryFor(task.group.arch, nr));
    return 0;
  }

  /**
   * A guest tracer changed the call's number at its entry or seccomp stop: it runs as `nr`
   * (filters checked again), or with -1 does not run and returns what the return register holds.
   */
  retargetGuestCall(task: Task, nr: number): void {
    const call = task.syscall;
    if (call === undefined || nr === call.nr) return;
    retargetCall(call, nr, nr < 0 ? undefined : this.entryFor(task.group.arch, nr));
    call.skipped = nr === -1;
  }

  /** Writing the return register at the syscall-exit stop: the call returns `value`. */
  ptraceSetReturn(tid: number, value: bigint): number {
    const task = this.stoppedTracee(tid);
    const call = task?.syscall;
    if (task === undefined || call === undefined || task.ptrace!.stopKind !== 'syscall-exit') return -E.ESRCH;
    this.activate(task);
    overrideResult(call, task.group.cpu, value);
    return 0;
  }

  /**
   * PTRACE_SYSCALL / PTRACE_CONT after `delayNs`: the tracee stays parked on a deadline in the
   * scheduler meanwhile (other tasks and the host go on), then continues from the stop.
   */
  ptraceResumeAfter(tid: number, mode: ResumeMode, delayNs: bigint, signal = 0): number {
    const call = this.stoppedTracee(tid)?.syscall;
    const r = this.ptraceResume(tid, mode, signal);
    if (r === 0 && call !== undefined && delayNs > 0n) call.delayUntil = process.hrtime.bigint() + delayNs;
    return r;
  }

  /** PTRACE_GETREGSET for a stopped tracee: the registers `ids` (Unicorn ids of its arch). */
  ptraceReadRegisters(tid: number, ids: readonly number[]): bigint[] | undefined {
    const task = this.stoppedTracee(tid);
    if (task === undefined) return undefined;
    this.activate(task);
    const cpu = task.group.cpu;
    const pcId = task.group.arch.regs.pc;
    return ids.map((id) => (id === pcId ? cpu.syscallPc : cpu.registers.read(id)));
  }

  /** PTRACE_SETOPTIONS. */
  ptraceSetOptions(tid: number, options: number): number {
    const task = this.stoppedTracee(tid);
    if (task === undefined) return -E.ESRCH;
    task.ptrace!.options = options;
    return 0;
  }

  /** PTRACE_GET_SYSCALL_INFO. */
  ptraceSyscallInfo(tid: number): SyscallInfo | undefined {
    const task = this.stoppedTracee(tid);
    if (task === undefined) return undefined;
    this.activate(task);
    const kind = task.ptrace!.stopKind;
    const call = task.syscall;
    const op = kind === 'syscall-enter' ? 'entry' : kind === 'syscall-exit' ? 'exit' : 'none';
    if (call !== undefined && op !== 'none') {
      call.op = op;
      return call;
    }
    return new NoSyscallInfo(op, call, task.group.cpu);
  }

  /** PTRACE_GETEVENTMSG: the new task's id after a clone/fork/vfork event, the status at an exit event. */
  ptraceEventMessage(tid: number): bigint | undefined {
    return this.stoppedTracee(tid)?.ptrace!.eventMessage;
  }

  /** PTRACE_GETSIGINFO. */
  ptraceSiginfo(tid: number): Siginfo | undefined {
    return this.stoppedTracee(tid)?.ptrace!.siginfo;
  }

  /** process_vm_readv for a tracer: bytes of mapped memory, or null (EFAULT/ESRCH). */
  ptraceReadMemory(tid: number, addr: bigint, len: number): Uint8Array | null {
    const task = this.lookup(tid);
    if (task === undefined || task.state === 'dead') return null;
    return task.group.mm.read(addr, len);
  }

  /**
   * The named mapping holding `addr` in task `tid`'s process, as /proc/PID/maps names it (for
   * -k): a file mapping, or a labelled image segment of a dynamic program; the base is where
   * the lowest mapping of the same name starts.
   */
  mappingAt(tid: number, addr: bigint): { name: string; hostPath: string; base: bigint } | undefined {
    const task = this.lookup(tid);
    if (task === undefined || task.state === 'dead') return undefined;
    const vmas = task.group.mm.regions;
    const nameOf = (v: (typeof vmas)[number]): string | undefined =>
      v.backing.kind === 'file' ? v.backing.file.path : v.label?.startsWith('/') === true ? v.label : undefined;
    const hit = task.group.mm.find(addr);
    const name = hit === undefined ? undefined : nameOf(hit);
    if (name === undefined) return undefined;
    let base = hit!.start;
    for (const v of vmas) if (v.start < base && nameOf(v) === name) base = v.start;
    const isFile = hit!.backing.kind === 'file';
    return {
      name: isFile ? this.guestPath(name) : name,
      hostPath: isFile ? name : this.sysroot?.hostPath(name) ?? name,
      base,
    };
  }

  /**
   * Whether a guest descriptor refers to the standard output (1) or error (2) the first process
   * inherited from tstrace (or a copy: dup, fork), where the guest's writes reach tstrace's own.
   */
  inheritedOutput(tid: number, fd: number): 1 | 2 | undefined {
    const file = this.lookup(tid)?.group.fds.get(fd)?.file;
    if (file === undefined) return undefined;
    return file === this.inheritedOutputs[0] ? 1 : file === this.inheritedOutputs[1] ? 2 : undefined;
  }

  /** A guest descriptor's host path, as /proc/PID/fd/N shows it (for -y). */
  fdPath(tid: number, fd: number): string | undefined {
    const task = this.lookup(tid);
    if (fd === AT_FDCWD) return task === undefined ? undefined : this.guestPath(task.group.cwd.path);
    const e = task?.group.fds.get(fd);
    return e === undefined ? undefined : this.guestPath(e.file.hostPath());
  }

  /** Whether the file behind a guest descriptor was unlinked (its -y path then ends in " (deleted)"). */
  fdDeleted(tid: number, fd: number): boolean {
    return this.lookup(tid)?.group.fds.get(fd)?.file.isUnlinked() ?? false;
  }

  /** The protocol of a guest descriptor that is a netlink socket (the tracer decodes its messages). */
  netlinkProtocol(tid: number, fd: number): number | undefined {
    const f = this.lookup(tid)?.group.fds.get(fd)?.file;
    return f instanceof NetlinkSocket ? f.protocol : undefined;
  }

  private stoppedTracee(tid: number): Task | undefined {
    const task = this.lookup(tid);
    return task?.ptrace !== undefined && task.state === 'stopped' ? task : undefined;
  }

  // ---- signals --------------------------------------------------------------------------

  /** Generates a signal for one task (tgkill, a fault): queued until delivery. */
  sendSignal(task: Task, info: Siginfo): void {
    const signo = info.signo;
    if (task.state === 'zombie' || task.state === 'dead') return;
    // The kernel's own siginfo names the sender in the receiver's pid namespace (0 when the
    // sender is outside it); a siginfo the guest wrote (rt_sigqueueinfo) is delivered as it is.
    const ns = task.group.pidns;
    if (!ns.isRoot && info.raw === undefined && info.pid !== undefined && info.pid !== 0) info = { ...info, pid: ns.idOf(info.pid) };
    // (Kept with the call in flight: a recording notes the signals a call saw arrive; a timer's
    // that comes to a task out of any call is noted with the place it came at.)
    const call = task.syscall;
    if (call !== undefined) (call.signalsSent ??= []).push(info);
    else if (this.sliceEndOf !== undefined && this.observer?.timerSignal !== undefined && sentByTimer(info)) this.observer.timerSignal(task, info, this.sliceEndOf);
    this.jobControlOnSend(task.group, signo);
    // A SIGKILL while an execve waits for the other threads' exit events ends the process at
    // once (Linux's complete_signal): a thread stopped in that event goes on to its end.
    if (signo === SIG.SIGKILL && task.group.execer !== undefined) {
      task.group.dying ??= { kind: 'killed', signal: SIG.SIGKILL, coreDumped: false };
      if (task.group.exitReporters.has(task) && task.state === 'stopped') task.state = 'running';
    }
    // SIGKILL wakes a tracee stopped for its guest tracer (TASK_WAKEKILL): it dies at once.
    if (signo === SIG.SIGKILL && task.state === 'stopped' && task.jobStop === undefined && !task.group.exitReporters.has(task) && task.group.dying === undefined) {
      task.state = 'running';
      task.killWoken = true;
    }
    const action = task.group.actions[signo]!;
    const ignored = action.handler === SIG_IGN || (action.handler === SIG_DFL && defaultAction(signo) === 'ignore');
    // An ignored signal is dropped at once, unless it is blocked (it may be waited for).
    const blocked = ((task.sigmask | (task.savedSigmask ?? 0n)) & bit(signo)) !== 0n || ((task.sigwaitSet ?? 0n) & bit(signo)) !== 0n;
    // The init of a pid namespace takes only the signals it handles or blocks
    // (SIGNAL_UNKILLABLE), and SIGKILL and SIGSTOP from outside (si_pid 0 there). A traced one
    // keeps the others (but SIGKILL) for its tracer to see; they are ignored at delivery.
    if (ns.init === task.group && !ns.isRoot && !blocked && info.raw === undefined && info.code <= 0 && action.handler === SIG_DFL &&
      !(info.pid === 0 && (signo === SIG.SIGKILL || signo === SIG.SIGSTOP)) &&
      (signo === SIG.SIGKILL || (task.ptrace === undefined && task.guestTrace === undefined))) return;
    if (ignored && !blocked && task.ptrace === undefined && task.guestTrace === undefined && signo !== SIG.SIGKILL) return;
    if ((task.pending & bit(signo)) !== 0n) return; // standard signals do not queue twice
    task.pending |= bit(signo);
    task.siginfo.set(signo, info);
    for (const f of this.signalFiles) if ((f.mask & bit(signo)) !== 0n) f.setReady(true);
    const awaited = ((task.sigwaitSet ?? 0n) & bit(signo)) !== 0n;
    if (task.state === 'blocked' && (awaited || this.hasDeliverableSignal(task)) && (signo === SIG.SIGKILL || task.syscall?.wait?.interruptible !== false)) {
      // A descriptor that is ready already ends the wait as it would have: the call completes,
      // then the signal is delivered.
      const wait = task.syscall?.wait;
      const ready = signo !== SIG.SIGKILL && wait?.hostFd !== undefined && hostReady(wait.hostFd, wait.events ?? 1);
      this.scheduler.wake(task, ready ? 'host' : 'signal');
    }
  }

  /**
   * Generates a signal for a whole process (kill): taken by the first thread, in id order,
   * that does not block it, else queued on the leader (or the first live thread).
   */
  sendProcessSignal(group: ThreadGroup, info: Siginfo): void {
    const live = group.tasks.filter((t) => t.state !== 'zombie' && t.state !== 'dead');
    if (live.length === 0) return;
    // SIGKILL reaches every thread at once (Linux's complete_signal): none runs on or stops.
    if (info.signo === SIG.SIGKILL) {
      for (const t of live) this.sendSignal(t, info);
      return;
    }
    const taker = live.find((t) => ((t.sigwaitSet ?? 0n) & bit(info.signo)) !== 0n) ??
      live.find((t) => (t.sigmask & bit(info.signo)) === 0n) ?? live[0]!;
    this.sendSignal(taker, info);
  }

  // ---- job control ----------------------------------------------------------------------

  /**
   * What sending a signal does at once, before any delivery (Linux's prepare_signal): SIGCONT
   * and SIGKILL resume a stopped process, SIGCONT drops pending stop signals, a stop signal
   * drops a pending SIGCONT.
   */
  private jobControlOnSend(group: ThreadGroup, signo: number): void {
    if (signo === SIG.SIGCONT || signo === SIG.SIGKILL) {
      if (signo === SIG.SIGCONT) for (const s of STOP_SIGNALS) this.discardPendingOnly(group, s);
      this.continueGroup(group, signo === SIG.SIGCONT);
    } else if (STOP_SIGNALS.includes(signo)) this.discardPendingOnly(group, SIG.SIGCONT);
  }

  /** Drops a pending signal from every task of a group. */
  private discardPendingOnly(group: ThreadGroup, signo: number): void {
    for (const t of group.tasks) {
      if ((t.pending & bit(signo)) === 0n) continue;
      t.pending &= ~bit(signo);
      t.siginfo.delete(signo);
    }
  }

  /**
   * A stop signal's default action: every thread of the process stops (one parked in a call
   * stops when its call is done), tstrace's tracer sees each stop as strace sees a group-stop,
   * and the parent learns of it (wait with WUNTRACED, SIGCHLD with CLD_STOPPED unless it asked
   * for SA_NOCLDSTOP).
   */
  private stopGroup(group: ThreadGroup, signo: number): void {
    if (group.termination !== undefined || group.stopSignal !== undefined) return;
    group.stopSignal = signo;
    for (const t of group.tasks) {
      if (t.state === 'zombie' || t.state === 'dead') continue;
      t.jobStop = 'pending';
      if (t.state === 'running') this.enterJobStop(t);
    }
    group.pendingChange = { status: waitStatus.stopped(signo), kind: 'stopped' };
    this.tellParent(group, CLD_STOPPED, signo);
  }

  /** A thread of a stopped process stops now. */
  private enterJobStop(task: Task): void {
    task.jobStop = 'stopped';
    task.state = 'stopped';
    const signo = task.group.stopSignal ?? SIG.SIGSTOP;
    const link = task.ptrace;
    if (link !== undefined) {
      // As a PTRACE_SEIZE'd tracee's group-stop: the tracer is told and leaves it stopped.
      link.stopKind = 'group-stop';
      link.siginfo = undefined;
      link.tracer.notify(task, waitStatus.stopped(signo, PTRACE_EVENT.STOP));
      task.state = 'stopped';
    }
    const guest = task.guestTrace;
    if (guest !== undefined) {
      // A guest tracer sees the group-stop as a ptrace-stop: PTRACE_EVENT_STOP with the stop
      // signal when seized; otherwise the signal's own status, told apart from a
      // signal-delivery-stop only by PTRACE_GETSIGINFO failing (EINVAL).
      guest.stopKind = 'group-stop';
      guest.siginfo = guest.seized ? { signo, code: signo | (PTRACE_EVENT.STOP << 8), pid: task.tid, uid: this.creds.uid } : undefined;
      guest.resumeSignal = 0;
      guest.listening = false;
      guest.tracer.notify(task, guest.seized ? waitStatus.stopped(signo, PTRACE_EVENT.STOP) : waitStatus.stopped(signo));
    }
  }

  /**
   * A guest tracee listening in a group-stop (PTRACE_LISTEN) traps again, as Linux's
   * ptrace_trap_notify makes it: PTRACE_EVENT_STOP with the stop signal while its process is
   * still stopped, with SIGTRAP once it has been continued.
   */
  retrapListening(task: Task): void {
    const guest = task.guestTrace;
    if (guest === undefined || !guest.listening) return;
    guest.listening = false;
    const signo = task.group.stopSignal ?? SIG.SIGTRAP;
    guest.stopKind = signo === SIG.SIGTRAP ? 'event' : 'group-stop';
    guest.siginfo = { signo, code: signo | (PTRACE_EVENT.STOP << 8), pid: task.tid, uid: this.creds.uid };
    guest.resumeSignal = 0;
    task.state = 'stopped';
    guest.tracer.notify(task, waitStatus.stopped(signo, PTRACE_EVENT.STOP));
  }

  /** SIGCONT (or SIGKILL) to a stopped process: its threads run on; a SIGCONT tells the parent. */
  private continueGroup(group: ThreadGroup, tellParent: boolean): void {
    if (group.stopSignal === undefined) return;
    group.stopSignal = undefined;
    for (const t of group.tasks) {
      const wasStopped = t.jobStop === 'stopped';
      t.jobStop = undefined;
      if (!wasStopped || t.state !== 'stopped') continue;
      const guest = t.guestTrace;
      // A guest tracee in its group-stop's ptrace-stop stays there until its tracer resumes it;
      // one that listens traps again (Linux: SIGCONT does not wake a TASK_TRACED tracee).
      if (guest?.listening === true) this.retrapListening(t);
      else if (guest?.stopKind !== 'group-stop') t.state = 'running';
    }
    if (!tellParent) return;
    // A wait with WCONTINUED can see it at once; the parent is woken and signalled when the
    // child next runs, as Linux does it from the child's own signal handling.
    group.pendingChange = { status: 0xffff, kind: 'continued' };
    group.continueNotice = true;
  }

  /** A child's stop or continue: its parent's waiters wake, then SIGCHLD unless SA_NOCLDSTOP. */
  private tellParent(group: ThreadGroup, code: number, status: number): void {
    const parent = group.parent;
    if (parent === undefined || parent.termination !== undefined) return;
    this.childChanged(parent);
    if ((parent.actions[SIG.SIGCHLD]!.flags & SA_NOCLDSTOP) !== 0n) return;
    this.sendProcessSignal(parent, { signo: SIG.SIGCHLD, code, pid: group.pid, uid: this.creds.uid, status, utime: 0n, stime: 0n });
  }

  /** Drops a pending signal from every task of a group (its action became "ignore"). */
  discardPending(group: ThreadGroup, signo: number): void {
    group.sharedPending &= ~bit(signo);
    for (const t of group.tasks) {
      t.pending &= ~bit(signo);
      t.siginfo.delete(signo);
    }
  }

  hasDeliverableSignal(task: Task): boolean {
    if (task.pending === 0n) return false;
    return (task.pending & ~(task.sigmask & ~UNBLOCKABLE)) !== 0n;
  }

  /** A synchronous fault: forced even when blocked or ignored, as Linux's force_sig does. */
  private forceSignal(task: Task, fault: CpuFault): void {
    const action = task.group.actions[fault.signal]!;
    if (action.handler === SIG_IGN) action.handler = SIG_DFL;
    task.sigmask &= ~bit(fault.signal);
    this.sendSignal(task, { signo: fault.signal, code: fault.code, addr: fault.addr });
  }

  /** Delivers pending unblocked signals, lowest number first, with signal-delivery-stops. */
  private deliverSignals(task: Task): void {
    const guest = task.guestTrace;
    if (guest?.delivering !== undefined && task.state === 'running') {
      // The guest tracer resumed a signal-delivery-stop: the signal it chose (0: none) goes on.
      const info = guest.delivering;
      guest.delivering = undefined;
      const chosen = guest.resumeSignal;
      if (chosen !== 0) this.actOnSignal(task, chosen, chosen === info.signo ? info : { signo: chosen, code: 0 });
    }
    while (task.state === 'running' && this.hasDeliverableSignal(task)) {
      const deliverable = task.pending & ~(task.sigmask & ~UNBLOCKABLE);
      let signo = 1;
      while ((deliverable & bit(signo)) === 0n) signo++;
      task.pending &= ~bit(signo);
      let info = task.siginfo.get(signo) ?? { signo, code: 0 };
      task.siginfo.delete(signo);
      const immutable = (task.group.actions[signo]!.flags & SA_IMMUTABLE) !== 0n;
      if (task.ptrace !== undefined && signo !== SIG.SIGKILL && !immutable) {
        if (!this.ptraceStop(task, 'signal-delivery', waitStatus.stopped(signo), info)) return;
        const injected = task.ptrace.resumeSignal;
        if (injected === 0) continue;
        if (injected !== signo) info = { signo: injected, code: 0 };
        signo = injected;
      }
      if (guest !== undefined && signo !== SIG.SIGKILL && !immutable) {
        guest.delivering = info;
        if (!this.ptraceStop(task, 'signal-delivery', waitStatus.stopped(signo), info, guest)) return;
        guest.delivering = undefined;
        const chosen = guest.resumeSignal;
        if (chosen === 0) continue;
        if (chosen !== signo) info = { signo: chosen, code: 0 };
        signo = chosen;
      }
      this.actOnSignal(task, signo, info);
    }
    // More to deliver, or stopped for a tracer: later. (A job-control stop goes on here: its
    // interrupted call is set to restart when the process continues.)
    if (task.state === 'running' ? this.hasDeliverableSignal(task) : task.jobStop === undefined) return;
    // No handler ran: a mask a call waited with is given up.
    if (task.savedSigmask !== undefined) {
      task.sigmask = task.savedSigmask;
      task.savedSigmask = undefined;
    }
    // A call interrupted by a signal that ran no handler (or one with SA_RESTART) runs again.
    if (task.restart !== undefined) this.restartCall(task);
  }

  /**
   * Points a task back at the syscall instruction with the call's number and first argument;
   * a call that ended with ERESTART_RESTARTBLOCK goes on as restart_syscall, as on Linux.
   */
  private restartCall(task: Task): void {
    const r = task.restart!;
    task.restart = undefined;
    const { arch, cpu } = task.group;
    const nr = r.code === ERESTART_RESTARTBLOCK ? (arch.syscallNumbers.get('restart_syscall') ?? r.nr) : r.nr;
    cpu.registers.write(arch.regs.nr, BigInt(nr));
    cpu.registers.write(arch.regs.args[0], r.arg0);
    cpu.pc = cpu.pc - BigInt(arch.syscallInstructionBytes);
  }

  private actOnSignal(task: Task, signo: number, info: Siginfo): void {
    const group = task.group;
    const action = group.actions[signo]!;
    if (signo !== SIG.SIGKILL && action.handler === SIG_IGN) return;
    if (signo === SIG.SIGKILL || action.handler === SIG_DFL) {
      // A pid namespace's init dies or stops only by SIGKILL or SIGSTOP (sent from outside).
      const ns = group.pidns;
      if (ns.init === group && !ns.isRoot && signo !== SIG.SIGKILL && signo !== SIG.SIGSTOP) return;
      const what = defaultAction(signo);
      if (what === 'term' || what === 'core') {
        this.terminate(group, { kind: 'killed', signal: signo, coreDumped: false });
      } else if (what === 'stop') {
        // The job-control stops do nothing in an orphaned process group; SIGSTOP always stops.
        if (signo === SIG.SIGSTOP || !this.pgrpOrphaned(group.pgid, group.sid)) this.stopGroup(group, signo);
      }
      return;
    }
    if (task.restart !== undefined) {
      if (task.restart.code === ERESTARTSYS && (action.flags & SA_RESTART) !== 0n) this.restartCall(task);
      else {
        task.restart = undefined;
        task.restartBlock = undefined;
        group.cpu.setReturn(-BigInt(E.EINTR));
      }
    }
    const frames = group.arch.signalFrame;
    if (frames === undefined) {
      this.terminate(group, { kind: 'killed', signal: signo, coreDumped: false });
      return;
    }
    const onAltStack = task.altStack.size !== 0n && (action.flags & SA_ONSTACK) !== 0n;
    const sp = group.cpu.sp;
    const inAlt = task.onAltStack(sp);
    const trampoline = (action.flags & SA_RESTORER) === 0n ? this.sigreturnTrampoline(group) : undefined;
    const ok = frames.setup(group.cpu.registers, group.mm, {
      signo,
      siginfo: encodeSiginfo(info),
      handler: action.handler,
      flags: action.flags,
      restorer: action.restorer,
      savedMask: task.savedSigmask ?? task.sigmask,
      altStack: onAltStack && !inAlt ? task.altStack : undefined,
      // Linux's __save_altstack records the flags the task set, not whether it is on the stack.
      stackInfo: { sp: task.altStack.sp, size: task.altStack.size, flags: task.altStack.flags },
      ...(trampoline !== undefined ? { trampoline } : {}),
    });
    if (!ok) {
      // Linux's force_sigsegv: a frame that cannot be written kills the task.
      this.terminate(group, { kind: 'killed', signal: SIG.SIGSEGV, coreDumped: false });
      return;
    }
    task.savedSigmask = undefined;
    task.sigmask |= action.mask | ((action.flags & SA_NODEFER) !== 0n ? 0n : bit(signo));
    task.sigmask &= ~UNBLOCKABLE;
    // SA_RESETHAND resets only the handler; Linux keeps the flags, restorer and mask.
    if ((action.flags & SA_RESETHAND) !== 0n) group.actions[signo] = { ...action, handler: SIG_DFL };
  }

  /**
   * The arch's sigreturn trampoline for handlers without SA_RESTORER (Linux's vDSO sigtramp):
   * one read+exec page labelled [sigpage], mapped on first use in each address space.
   */
  private sigreturnTrampoline(group: ThreadGroup): bigint | undefined {
    const code = group.arch.sigreturnTrampoline;
    if (code === undefined) return undefined;
    const mm = group.mm;
    const mapped = mm.regions.find((v) => v.label === '[sigpage]' && (v.prot & PROT_EXEC) !== 0);
    if (mapped !== undefined) return mapped.start;
    const at = mm.findFree(PAGE_SIZE);
    if (at === undefined || !mm.map(at, PAGE_SIZE, PROT_READ | PROT_EXEC, false, { kind: 'anon' }, '[sigpage]')) return undefined;
    mm.hostWrite(at, code);
    return at;
  }

  /** rt_sigreturn: unwinds the frame at the stack pointer; false for a bad frame (SIGSEGV). */
  sigreturn(task: Task): boolean {
    const group = task.group;
    const mask = group.arch.signalFrame?.restore(group.cpu.registers, group.mm) ?? null;
    if (mask === null) {
      this.sendSignal(task, { signo: SIG.SIGSEGV, code: 0x80 /* SI_KERNEL */, addr: 0n });
      return false;
    }
    task.sigmask = mask & ~UNBLOCKABLE;
    return true;
  }

  // ---- exit ----------------------------------------------------------------------------

  /**
   * exit(2) of one thread: its tid futex is cleared and woken, it reports its exit, and the
   * process ends with it when it was the last. A leader that exits first stays a zombie.
   */
  exitThread(task: Task, code: number): void {
    const group = task.group;
    if (group.live <= 1) {
      this.terminate(group, { kind: 'exited', code });
      return;
    }
    this.traceExitEvent(task, waitStatus.exited(code));
    this.endTask(task, waitStatus.exited(code), false);
  }

  /** PTRACE_EVENT_EXIT for a traced task that asked for it, before it is gone. */
  private traceExitEvent(task: Task, status: number): void {
    const link = task.ptrace;
    if (link === undefined || !link.has(PTRACE_O.TRACEEXIT)) return;
    link.eventMessage = BigInt(status);
    this.ptraceStop(task, 'event', waitStatus.stopped(SIG.SIGTRAP, PTRACE_EVENT.EXIT));
    task.state = 'running';
  }

  /**
   * Ends one task of a process that goes on (or whose end `terminate` handles): clears the
   * child-tid word, tells its tracer, and forgets it unless it is the leader, which stays a
   * zombie until its process ends.
   */
  private endTask(task: Task, status: number, quiet: boolean): void {
    const group = task.group;
    task.syscall?.wait?.cancel?.();
    task.exitStatus = status;
    task.state = 'zombie';
    group.live--;
    this.scheduler.remove(task);
    clearDebug(task);
    if (task.clearChildTid !== 0n && !group.cpu.engine.closed) {
      if (group.mm.write(task.clearChildTid, new Uint8Array(4))) this.futexes.wake(group.mm, task.clearChildTid, 1, 0xffffffff);
    }
    // A leader that ends before its other threads is reported with its process's end, as
    // Linux delays it (not at all when another thread's execve takes its place).
    if (!quiet && task === group.leader && group.live > 0) {
      this.heldLeaderEnds.add(task);
      task.ptrace?.tracer.leaderEnded?.(task);
    }
    else if (!quiet) this.notifyEnd(task, status);
    if (task !== group.leader) this.forgetTask(task);
  }

  /** Leaders that ended while other threads of theirs went on: their tracers hear of it later. */
  private readonly heldLeaderEnds = new WeakSet<Task>();

  private notifyEnd(task: Task, status: number): void {
    task.ptrace?.tracer.notify(task, status);
    // A guest tracer collects the end with wait (its tracees' exits are its to see).
    task.guestTrace?.tracer.notify(task, status);
  }

  private forgetTask(task: Task): void {
    task.state = 'dead';
    task.context?.free();
    task.context = undefined;
    this.tasks.delete(task.tid);
    if (this.lastTask === task) this.lastTask = undefined;
    const i = task.group.tasks.indexOf(task);
    if (i > 0) {
      threadGone(task);
      task.group.tasks.splice(i, 1);
    }
  }

  /**
   * Ends a thread group (exit_group, a fatal signal, the last thread's exit): each live thread
   * reports PTRACE_EVENT_EXIT if its tracer asked, then each ends; descriptors close, children
   * are orphaned, the parent gets SIGCHLD and its waiters wake.
   */
  terminate(group: ThreadGroup, how: Termination): void {
    if (group.termination !== undefined) return;
    if (group.exitReporters.size > 0) {
      // Threads still report their exit (an execve's, or an earlier end's): it ends after the
      // last, and the others, this one included, make theirs first or wait.
      group.dying ??= how;
      if (!this.reportExitsFirst(group, group.dying)) this.freezeForExitReports(group);
      return;
    }
    if (this.reportExitsFirst(group, how)) return;
    group.termination = how;
    this.timers.removeGroup(group);
    const status = how.kind === 'exited' ? waitStatus.exited(how.code) : waitStatus.killed(how.signal, how.coreDumped);
    const live = group.tasks.filter((t) => t.state !== 'zombie' && t.state !== 'dead');
    for (const t of live) this.traceExitEvent(t, status);
    // The leader last, as Linux reports the thread group's end with it.
    for (const t of live) if (t !== group.leader) this.endTask(t, status, false);
    const leader = group.leader;
    if (leader.state !== 'zombie' && leader.state !== 'dead') this.endTask(leader, status, false);
    else if (this.heldLeaderEnds.delete(leader)) this.notifyEnd(leader, how.kind === 'exited' ? leader.exitStatus : status);
    group.zombieStatus = status;
    group.fds.closeAll();
    hostSyscall(HOST.close, BigInt(group.cwd.hostFd));
    this.releaseVforkParent(group);
    this.dropImage(group);
    this.releaseTracees(group);
    if (group.pidns.init === group && !group.pidns.isRoot) this.endPidNamespace(group);
    this.orphan(group);
    const parent = group.parent;
    if (parent !== undefined && parent.termination === undefined) {
      // The waiters first: a parent blocked in wait4 collects the child, then gets SIGCHLD.
      this.childChanged(parent);
      if (group.exitSignal !== 0) {
        const code = how.kind === 'exited' ? CLD_EXITED : how.coreDumped ? CLD_DUMPED : CLD_KILLED;
        this.sendProcessSignal(parent, {
          signo: group.exitSignal, code, pid: group.pid, uid: this.creds.uid,
          status: how.kind === 'exited' ? how.code : how.signal, utime: 0n, stime: 0n,
        });
      }
      if (!this.autoReaps(parent)) return;
    }
    this.reap(group);
  }

  /**
   * An ended process's children: each gets its parent-death signal (PR_SET_PDEATHSIG) and a
   * new parent, the nearest living ancestor that is a child subreaper (PR_SET_CHILD_SUBREAPER),
   * else none (init: getppid gives 1). A child already a zombie is collected by its new parent,
   * or reaped at once.
   */
  private orphan(group: ThreadGroup): void {
    const reaper = this.reaperFor(group);
    // Process groups this exit may leave orphaned: its own, when its parent linked it to the
    // session, and each child's of another group of the same session (Linux's exit_notify).
    const linked = new Set<number>();
    if (this.linksOutside(group, group.parent)) linked.add(group.pgid);
    for (const child of group.children) if (child.termination === undefined && this.linksOutside(child, group)) linked.add(child.pgid);
    for (const child of [...group.children]) {
      child.parent = reaper;
      if (child.deathSignal !== 0 && child.termination === undefined) {
        this.sendProcessSignal(child, { signo: child.deathSignal, code: 0 /* SI_USER */, pid: group.pid, uid: this.creds.uid });
      }
      if (reaper !== undefined) {
        reaper.children.push(child);
        if (child.zombieStatus !== undefined) this.childChanged(reaper);
      } else if (child.zombieStatus !== undefined) this.reap(child);
    }
    group.children.length = 0;
    for (const pgid of linked) this.hangUpIfOrphaned(pgid, group.sid);
  }

  /**
   * Who takes an ended process's children: the nearest living child subreaper among its
   * ancestors in its pid namespace, else that namespace's init (none in the root: tstrace's
   * first process has no init above it). An ending init's children have none: its namespace
   * ends with it, and they are reaped by the kernel when they end.
   */
  private reaperFor(group: ThreadGroup): ThreadGroup | undefined {
    const ns = group.pidns;
    if (ns.init === group && !ns.isRoot) return undefined;
    for (let r = group.parent; r !== undefined && r !== ns.init; r = r.parent) {
      if (r.childSubreaper && r.termination === undefined) return r;
    }
    return ns.init?.termination === undefined ? ns.init : undefined;
  }

  /**
   * The init of a pid namespace ended: every other process in the namespace (and those nested
   * in it) gets SIGKILL, and no process can be created in it any more (Linux's
   * zap_pid_ns_processes).
   */
  private endPidNamespace(init: ThreadGroup): void {
    const ns = init.pidns;
    ns.dead = true;
    for (const g of this.groups.values()) {
      if (g !== init && g.termination === undefined && ns.contains(g.pidns)) this.sendProcessSignal(g, { signo: SIG.SIGKILL, code: SI_KERNEL, pid: 0, uid: 0 });
    }
  }

  /**
   * Whether `parent` ties `member`'s process group to its session: a parent in another process
   * group of the same session. No parent is init (no tie), except for the first process, whose
   * parent is tstrace's: taken to be a job-control shell, in another group of the session.
   */
  private linksOutside(member: ThreadGroup, parent: ThreadGroup | undefined): boolean {
    if (parent === undefined) return member.pid === this.firstPid;
    return parent.pgid !== member.pgid && parent.sid === member.sid;
  }

  /**
   * An orphaned process group: no live member has a parent in another process group of the
   * same session (POSIX; Linux's will_become_orphaned_pgrp).
   */
  private pgrpOrphaned(pgid: number, sid: number): boolean {
    for (const g of this.groups.values()) {
      if (g.pgid !== pgid || g.sid !== sid || g.termination !== undefined) continue;
      if (this.linksOutside(g, g.parent)) return false;
    }
    return true;
  }

  /**
   * A process group an exit left orphaned that has a stopped member: each member gets SIGHUP,
   * then SIGCONT, from the kernel (Linux's kill_orphaned_pgrp), so no job stays stopped with
   * nobody left to continue it.
   */
  private hangUpIfOrphaned(pgid: number, sid: number): void {
    const members = [...this.groups.values()].filter((g) => g.pgid === pgid && g.sid === sid && g.termination === undefined);
    if (!members.some((g) => g.stopSignal !== undefined) || !this.pgrpOrphaned(pgid, sid)) return;
    for (const signo of [SIG.SIGHUP, SIG.SIGCONT]) {
      for (const g of members) if (g.termination === undefined) this.sendProcessSignal(g, { signo, code: SI_KERNEL, pid: 0, uid: 0 });
    }
  }

  /**
   * Threads a guest tracer traces with PTRACE_O_TRACEEXIT stop with PTRACE_EVENT_EXIT before
   * their process ends, each until its tracer resumes it; the other threads wait, frozen. True
   * when such stops were made: the end comes when the last of them is resumed (runTask).
   */
  private reportExitsFirst(group: ThreadGroup, how: Termination): boolean {
    const status = how.kind === 'exited' ? waitStatus.exited(how.code) : waitStatus.killed(how.signal, how.coreDumped);
    const live = group.tasks.filter((t) => t.state !== 'zombie' && t.state !== 'dead');
    const reporters = live.filter((t) => t.guestTrace?.has(PTRACE_O.TRACEEXIT) === true && !t.exitEventDone);
    if (reporters.length === 0) return false;
    group.dying = how;
    this.freezeForExitReports(group);
    for (const t of reporters) {
      t.exitEventDone = true;
      group.exitReporters.add(t);
      const guest = t.guestTrace!;
      guest.eventMessage = BigInt(status);
      this.ptraceStop(t, 'event', waitStatus.stopped(SIG.SIGTRAP, PTRACE_EVENT.EXIT), undefined, guest);
    }
    return true;
  }

  /** The live threads of a process whose threads report their exit events wait, frozen. */
  private freezeForExitReports(group: ThreadGroup, except?: Task): void {
    for (const t of group.tasks) {
      if (t === except || t.state === 'zombie' || t.state === 'dead' || group.exitReporters.has(t)) continue;
      t.syscall?.wait?.cancel?.();
      t.state = 'stopped';
    }
  }

  /** A thread resumed after its exit event of a dying process: the process ends after the last. */
  private exitReported(task: Task): void {
    const group = task.group;
    task.state = 'stopped';
    group.exitReporters.delete(task);
    if (group.execer !== undefined && group.dying === undefined) {
      this.execThreadEnded(task, group.execer);
      return;
    }
    if (group.exitReporters.size > 0 || group.dying === undefined) return;
    const how = group.dying;
    group.dying = undefined;
    this.terminate(group, how);
  }

  /** A tracer process ended: its tracees are killed (PTRACE_O_EXITKILL) or let go, running. */
  private releaseTracees(group: ThreadGroup): void {
    for (const t of group.tracees) {
      const link = t.guestTrace;
      if (link === undefined) continue;
      t.guestTrace = undefined;
      if (t.state === 'zombie' || t.state === 'dead') continue;
      if (link.has(PTRACE_O.EXITKILL)) this.sendSignal(t, { signo: SIG.SIGKILL, code: 0 });
      if (t.state === 'stopped') {
        t.state = 'running';
        if (link.delivering !== undefined) this.sendSignal(t, link.delivering);
      }
    }
    group.tracees.clear();
  }

  /** Whether a parent's children are reaped by the kernel (SIGCHLD ignored or SA_NOCLDWAIT). */
  private autoReaps(parent: ThreadGroup): boolean {
    const a = parent.actions[SIG.SIGCHLD]!;
    return a.handler === SIG_IGN || (a.flags & 2n /* SA_NOCLDWAIT */) !== 0n;
  }

  /** Wakes the tasks of `parent` that wait for a child's state change. */
  childChanged(parent: ThreadGroup): void {
    for (const t of parent.tasks) {
      if (t.state === 'blocked' && t.syscall?.wait?.what === 'wait4') this.scheduler.wake(t, 'event');
    }
  }

  /** Forgets an ended process: its zombie tasks go, its parent no longer lists it. */
  reap(group: ThreadGroup): void {
    for (const t of [...group.tasks]) if (t.state !== 'dead') this.forgetTaskFully(t);
    this.groups.delete(group.pid);
    const siblings = group.parent?.children;
    if (siblings !== undefined) {
      const i = siblings.indexOf(group);
      if (i >= 0) siblings.splice(i, 1);
    }
  }

  private forgetTaskFully(task: Task): void {
    task.state = 'dead';
    this.tasks.delete(task.tid);
    this.scheduler.remove(task);
    if (this.lastTask === task) this.lastTask = undefined;
  }

  /** Frees the engine and host memory of an ended group (done at its end; kept for callers). */
  release(group: ThreadGroup): void {
    if (!group.cpu.engine.closed && group.termination !== undefined) this.dropImage(group);
  }

  /**
   * A path as the guest named it, as a host path: an absolute one looked up in the root
   * filesystem first (sysroot), a relative one resolved against the working directory.
   */
  resolvePath(group: ThreadGroup, path: string): string {
    if (path.startsWith('/') && this.sysroot !== undefined) return this.sysroot.hostPath(path);
    return resolvePath(group.cwd.path, path);
  }

  /** The guest's name for a host path (the root filesystem's prefix taken off). */
  guestPath(host: string): string {
    return this.sysroot === undefined ? host : this.sysroot.guestPath(host);
  }
}

/** What a handler gets: the task, its process, and the arguments, read when first asked for. */
class HandlerContext implements SyscallContext {
  readonly proc: ThreadGroup;
  readonly mm: AddressSpace;
  readonly arch: ArchDescriptor;
  constructor(readonly kernel: Kernel, readonly task: Task, private readonly call: SyscallCall) {
    this.proc = task.group;
    this.mm = task.group.mm;
    this.arch = task.group.arch;
  }
  get args(): readonly bigint[] {
    return this.call.args;
  }
  block(wait: Wait, timeoutNs?: bigint): bigint {
    return this.kernel.park(this.task, this.call, wait, timeoutNs);
  }
  reportEvent(event: number, message: bigint): void {
    if (this.task.ptrace !== undefined || this.task.guestTrace !== undefined) this.call.event = { event, message };
  }
}

/** Syscall info at a stop that is not a syscall's entry or exit (an event, a signal). */
class NoSyscallInfo implements SyscallInfo {
  readonly nr: number;
  readonly ret: bigint;
  constructor(
    readonly op: SyscallInfo['op'],
    private readonly call: SyscallCall | undefined,
    private readonly cpu: Cpu,
  ) {
    this.nr = call?.nr ?? -1;
    this.ret = call?.result ?? 0n;
  }
  get args(): readonly bigint[] {
    return this.call?.args ?? [];
  }
  get pc(): bigint {
    return this.cpu.pc;
  }
  get sp(): bigint {
    return this.cpu.sp;
  }
  get arch(): number {
    return this.cpu.arch.ptrace.auditArch;
  }
}

/**
 * Random bytes from the host (AT_RANDOM). /dev/urandom rather than node:crypto, whose loading
 * alone is a few milliseconds of every start-up.
 */
function hostRandom(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  const fd = openSync('/dev/urandom', 'r');
  try {
    readSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/**
 * tstrace's supplementary groups as the host kernel has them (/proc/self/status; Node's
 * process.getgroups() adds the effective group, which getgroups(2) need not return).
 */
function hostGroups(): number[] {
  try {
    const line = /^Groups:(.*)$/m.exec(readFileSync('/proc/self/status', 'latin1'));
    return line === null ? [] : line[1]!.trim().split(/\s+/).filter((g) => g !== '').map(Number);
  } catch {
    return [];
  }
}

/** The umask tstrace was started with. */
function hostUmask(): number {
  const m = process.umask(0o022);
  process.umask(m);
  return m;
}

/**
 * The descriptors a program started by tstrace inherits: standard input, output and error, and
 * the others tstrace was given (found by the CLI). Each is a duplicate, so the guest closing it
 * leaves tstrace's intact.
 */
function inheritedDescriptors(stdio: readonly [number, number, number], more: readonly number[]): FdTable {
  const fds = new FdTable();
  const pass = (hostFd: number, fd: number): void => {
    const host = hostSyscall(HOST.fcntl, BigInt(hostFd), 1030n /* F_DUPFD_CLOEXEC */, 3n);
    if (host >= 0n) fds.installAt(fd, new OpenFile(Number(host), `/proc/self/fd/${fd}`), false);
  };
  stdio.forEach(pass);
  for (const fd of more) pass(fd, fd);
  return fds;
}

export class KernelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelError';
  }
}

/** A file's path with every symlink resolved, as Linux names it in /proc/PID/exe. */
function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

